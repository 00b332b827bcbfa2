"""Reading what people write for days, times, ranges and dates, in French or English.

The same words come from the TOML file and from `accalmie hours …`, so both accept
"lun-ven", "mon,wed", "9:00-12:30, 13h30-17h30", "22:00-06:00" (a night shift) and
"2026-12-21" or "21/12/2026". Every mistake raises :class:`SpecError` already phrased for the
user (the caller adds the file and key), never a bare ``ValueError`` from ``datetime``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import date, datetime

from accalmie.i18n import _

DAY_MINUTES = 24 * 60

# A range is (start, end) in minutes from local midnight of the day it starts on. A night
# shift ("22:00-06:00") ends the next day: its end is stored past 1440 (here 1800).
Range = tuple[int, int]
DayRanges = tuple[Range, ...]

_DAY_NAMES: dict[str, int] = {}
for _i, _names in enumerate((
        ("lundi", "lun", "lu", "monday", "mon", "mo"),
        ("mardi", "mar", "ma", "tuesday", "tue", "tues", "tu"),
        ("mercredi", "mer", "me", "wednesday", "wed", "we"),
        ("jeudi", "jeu", "je", "thursday", "thu", "thur", "thurs", "th"),
        ("vendredi", "ven", "ve", "friday", "fri", "fr"),
        ("samedi", "sam", "sa", "saturday", "sat"),
        ("dimanche", "dim", "di", "sunday", "sun", "su"))):
    for _n in _names:
        _DAY_NAMES[_n] = _i

OFF_WORDS = frozenset({"off", "repos", "none", "aucun", "aucune", "ferme", "closed", "conge",
                       "leave", "-", "no", "non"})
_TIME = re.compile(r"^(\d{1,2})(?:\s*(?:[:hH])\s*(\d{2})?)?$")
_RANGE_SPLIT = re.compile(r"\s*[-–—]\s*|\s+(?:à|a|to)\s+")
_LIST_SPLIT = re.compile(r"\s*[,;]\s*")


class SpecError(ValueError):
    """A day, time, range or date the user wrote cannot be understood (message translated)."""


def fold(text: str) -> str:
    """Lowercase without accents: "Fériés" and "feries" are the same word to a person."""
    nfkd = unicodedata.normalize("NFKD", text.strip().lower())
    return "".join(c for c in nfkd if not unicodedata.combining(c))


def parse_day(name: str) -> int:
    """Weekday number (Monday = 0) from a French or English name or abbreviation."""
    key = fold(name).rstrip(".")
    if key in _DAY_NAMES:
        return _DAY_NAMES[key]
    raise SpecError(_("unknown day {value!r} (write lun, mar… or mon, tue…)").format(value=name))


def parse_days(spec: str | Sequence[str]) -> tuple[int, ...]:
    """Weekdays from "lun-ven", "lun,mer,ven", "sam-lun" (wraps round) or a list of those."""
    parts: list[str] = []
    items = [spec] if isinstance(spec, str) else list(spec)
    for item in items:
        if not isinstance(item, str):
            raise SpecError(_("expected day names, found {value!r}").format(value=item))
        parts.extend(p for p in _LIST_SPLIT.split(item.strip()) if p)
    days: set[int] = set()
    for part in parts:
        ends = [p for p in _RANGE_SPLIT.split(part) if p]
        if len(ends) == 1:
            days.add(parse_day(ends[0]))
        elif len(ends) == 2:
            first, last = parse_day(ends[0]), parse_day(ends[1])
            n = (last - first) % 7
            days.update((first + k) % 7 for k in range(n + 1))
        else:
            raise SpecError(_("cannot read the days {value!r}").format(value=part))
    if not days:
        raise SpecError(_("no day given"))
    return tuple(sorted(days))


def parse_time(text: str, *, end: bool = False) -> int:
    """Minutes from midnight for "9", "9:30", "09:30", "9h", "9h30"; "24:00" only as an end."""
    m = _TIME.match(text.strip())
    if not m:
        raise SpecError(_("not a time of day: {value!r} (write 9:00 or 9h30)").format(
            value=text))
    hour, minute = int(m.group(1)), int(m.group(2) or 0)
    if minute > 59 or hour > 24 or (hour == 24 and (minute or not end)):
        raise SpecError(_("not a time of day: {value!r} (hours go from 0:00 to 24:00)").format(
            value=text))
    return hour * 60 + minute


def parse_range(text: str) -> Range:
    """(start, end) minutes for "9:00-12:30"; an end before the start is a night shift."""
    ends = [p for p in _RANGE_SPLIT.split(text.strip()) if p]
    if len(ends) != 2:
        raise SpecError(_("not a range of hours: {value!r} (write 9:00-12:30)").format(
            value=text))
    start, stop = parse_time(ends[0]), parse_time(ends[1], end=True)
    if start == stop:
        raise SpecError(_("the range {value!r} is empty").format(value=text))
    if stop < start:
        if stop == 0:
            stop = DAY_MINUTES  # "22:00-00:00" means until midnight
        else:
            stop += DAY_MINUTES  # crosses midnight: ends the next day
    return (start, stop)


def _check(ranges: list[Range], where_text: Iterable[str]) -> DayRanges:
    labels = dict(zip(ranges, where_text, strict=True))
    ordered = sorted(ranges)
    for a, b in zip(ordered, ordered[1:], strict=False):
        if b[0] < a[1]:
            raise SpecError(_("the ranges {first} and {second} overlap").format(
                first=labels[a], second=labels[b]))
    return tuple(ordered)


def parse_ranges(spec: str | Sequence[str] | bool, *, allow_off: bool = True) -> DayRanges:
    """Ranges of one day, sorted; "off" (or ``false``, ``[]``) means not worked at all.

    Overlapping ranges are refused: "9:00-12:00, 11:00-14:00" is almost always a typo, and
    silently merging it would hide it. Ranges that only touch ("9-12, 12-14") are fine.
    """
    if spec is False or (isinstance(spec, Sequence) and not isinstance(spec, str)
                         and len(spec) == 0):
        if allow_off:
            return ()
        raise SpecError(_("no range of hours given"))
    if spec is True:
        raise SpecError(_("expected ranges of hours such as \"9:00-12:30, 13:30-17:30\""))
    items = [spec] if isinstance(spec, str) else list(spec)
    texts: list[str] = []
    for item in items:
        if not isinstance(item, str):
            raise SpecError(_("expected ranges of hours such as \"9:00-12:30, 13:30-17:30\", "
                              "found {value!r}").format(value=item))
        texts.extend(p for p in _LIST_SPLIT.split(item.strip()) if p)
    if len(texts) == 1 and fold(texts[0]) in OFF_WORDS:
        if allow_off:
            return ()
        raise SpecError(_("no range of hours given"))
    if not texts:
        if allow_off:
            return ()
        raise SpecError(_("no range of hours given"))
    ranges = [parse_range(t) for t in texts]
    if len(set(ranges)) != len(ranges):
        dup = next(t for t, r in zip(texts, ranges, strict=True) if ranges.count(r) > 1)
        raise SpecError(_("the range {value!r} is given twice").format(value=dup))
    return _check(ranges, texts)


def format_time(minutes: int) -> str:
    """"09:00" style (the canonical form written to the file)."""
    if minutes != DAY_MINUTES:
        minutes %= DAY_MINUTES
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def format_range(r: Range) -> str:
    end = r[1] - DAY_MINUTES if r[1] > DAY_MINUTES else r[1]
    return f"{format_time(r[0])}-{format_time(end)}"


def format_ranges(day: DayRanges) -> list[str]:
    return [format_range(r) for r in day]


_FR_DATE = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$")


def parse_date(value: object) -> date:
    """A calendar date from a TOML date, "2026-12-21" or "21/12/2026"."""
    if isinstance(value, datetime):
        raise SpecError(_("expected a date without a time, found {value}").format(value=value))
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise SpecError(_("expected a date such as 2026-12-21, found {value!r}").format(
            value=value))
    text = value.strip()
    try:
        m = _FR_DATE.match(text)
        if m:
            return date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        return date.fromisoformat(text)
    except ValueError:
        raise SpecError(_("not a date: {value!r} (write 2026-12-21)").format(
            value=value)) from None
