"""The [hours] table of the configuration, validated into a :class:`WorkingTime`.

```toml
[hours]
timezone = "Europe/Paris"           # IANA name; default from the region, else Europe/Paris
days = "lun-ven"                    # or ["lun", "mar", …], "mon-fri"
ranges = ["09:00-12:30", "13:30-17:30"]
week = { mer = "09:00-12:00", sam = "off" }   # per weekday, over days/ranges
region = "alsace-moselle"           # metropole (default), guadeloupe, la-reunion, …
country = "FR"                      # public holidays of this country; "" = none
public_holidays = true              # false: holidays are ordinary days
solidarity_day = "lundi-de-pentecote"   # this public holiday is worked
urgent = ["*@chu-exemple.fr"]       # senders never held
leave = [{ start = 2026-12-21, end = 2027-01-02, label = "Noël" }]
exceptions = [{ date = 2026-12-24, ranges = ["09:00-12:00"] }, { date = 2026-06-12, off = true }]
```

Leave also reads as "2026-12-21..2027-01-02" strings or [start, end] pairs, and exceptions as
a ``[hours.exceptions]`` table (``2026-12-24 = "09:00-12:00"``, ``2026-06-12 = "off"``): people
write what they like, ``accalmie hours …`` writes the forms above.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from accalmie.config import config_error
from accalmie.disconnect.holidays import normalise_country, normalise_region, normalise_solidarity
from accalmie.disconnect.hours import DEFAULT_RANGES, DEFAULT_TZ, Leave, WorkingTime
from accalmie.disconnect.timespec import (
    DAY_MINUTES,
    DayRanges,
    SpecError,
    format_range,
    parse_date,
    parse_days,
    parse_ranges,
)
from accalmie.i18n import _

KEYS = ("timezone", "days", "ranges", "week", "country", "region", "public_holidays",
        "solidarity_day", "urgent", "leave", "exceptions")
DAY_LABELS = ("lun", "mar", "mer", "jeu", "ven", "sam", "dim")
MAX_LEAVE = 2000  # entries; a bigger list is a mistake (or hostile), not a calendar
MAX_EXCEPTIONS = 5000


@lru_cache(maxsize=1)
def _zones() -> dict[str, str]:
    return {name.lower(): name for name in available_timezones()}


def parse_timezone(name: object) -> ZoneInfo:
    """A ZoneInfo from an IANA name; a wrong one raises SpecError with the closest names."""
    if not isinstance(name, str) or not name.strip():
        raise SpecError(_("expected a time zone name such as Europe/Paris"))
    text = name.strip()
    try:
        if "\x00" not in text and ".." not in text and not text.startswith("/"):
            return ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        pass
    zones = _zones()
    exact = zones.get(text.lower())
    if exact:
        return ZoneInfo(exact)
    keys = list(zones)
    close = difflib.get_close_matches(text.lower(), keys, n=3, cutoff=0.6)
    tail = [zones[k] for k in keys if k.rsplit("/", 1)[-1] == text.lower().replace(" ", "_")]
    hints = list(dict.fromkeys([*tail, *(zones[k] for k in close)]))[:3]
    if hints:
        raise SpecError(_("unknown time zone {value!r}; did you mean {hints}?").format(
            value=text[:80], hints=", ".join(hints)))
    raise SpecError(_("unknown time zone {value!r} (write an IANA name such as "
                      "Europe/Paris or America/Guadeloupe)").format(value=text[:80]))


def _leave(i: int, item: Any) -> Leave:
    label = ""
    if isinstance(item, dict):
        unknown = set(item) - {"start", "end", "label"}
        if unknown:
            raise SpecError(_("unknown key {key!r} (expected start, end, label)").format(
                key=sorted(unknown)[0]))
        if "start" not in item:
            raise SpecError(_("a leave period needs a start date"))
        start = parse_date(item["start"])
        end = parse_date(item.get("end", item["start"]))
        label = item.get("label", "")
        if not isinstance(label, str):
            raise SpecError(_("the label must be text"))
    elif isinstance(item, str):
        parts = [p for p in item.replace("→", "..").split("..")]
        if len(parts) == 1:
            start = end = parse_date(parts[0])
        elif len(parts) == 2:
            start, end = parse_date(parts[0]), parse_date(parts[1])
        else:
            raise SpecError(_("write a leave period as 2026-12-21..2027-01-02"))
    elif isinstance(item, date):
        start = end = parse_date(item)
    elif isinstance(item, list) and len(item) == 2:
        start, end = parse_date(item[0]), parse_date(item[1])
    else:
        raise SpecError(_("write a leave period as {{ start = 2026-12-21, end = 2027-01-02 }}"))
    if end < start:
        raise SpecError(_("the leave period ends ({end}) before it starts ({start})").format(
            start=start.isoformat(), end=end.isoformat()))
    return Leave(start, end, label.strip()[:200])


def _exception_value(value: Any) -> DayRanges:
    if value is False or (isinstance(value, str) and not value.strip()):
        return ()
    return parse_ranges(value)


def _exceptions(raw: Any, path: Path | None, where: str) -> dict[date, DayRanges]:
    out: dict[date, DayRanges] = {}
    if isinstance(raw, dict):
        items = list(raw.items())
        if len(items) > MAX_EXCEPTIONS:
            raise config_error(path, where.rstrip("."), _("too many entries"))
        for key, value in items:
            try:
                out[parse_date(key)] = _exception_value(value)
            except SpecError as exc:
                raise config_error(path, f"{where}{key}", str(exc)) from None
        return out
    if not isinstance(raw, list):
        raise config_error(path, where.rstrip("."), _("expected a list of {{ date = …, "
                                                      "ranges = […] }} or {{ date = …, "
                                                      "off = true }}"))
    if len(raw) > MAX_EXCEPTIONS:
        raise config_error(path, where.rstrip("."), _("too many entries"))
    for i, item in enumerate(raw):
        key = f"{where.rstrip('.')}[{i}]"
        try:
            if not isinstance(item, dict) or "date" not in item:
                raise SpecError(_("expected {{ date = 2026-12-24, ranges = [\"09:00-12:00\"] }} "
                                  "or {{ date = 2026-12-24, off = true }}"))
            unknown = set(item) - {"date", "ranges", "off", "label"}
            if unknown:
                raise SpecError(_("unknown key {key!r} (expected date, ranges, off)").format(
                    key=sorted(unknown)[0]))
            day = parse_date(item["date"])
            off = item.get("off", False)
            if not isinstance(off, bool):
                raise SpecError(_("off must be true or false"))
            if off and item.get("ranges"):
                raise SpecError(_("a day cannot be both off and worked"))
            if not off and "ranges" not in item:
                raise SpecError(_("say the ranges worked that day, or off = true"))
            ranges = () if off else _exception_value(item["ranges"])
            if day in out and out[day] != ranges:
                raise SpecError(_("the date {date} is listed twice").format(
                    date=day.isoformat()))
            out[day] = ranges
        except SpecError as exc:
            raise config_error(path, key, str(exc)) from None
    return out


def _str_list(value: Any, path: Path | None, key: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise config_error(path, key, _("expected a string or a list of strings"))
    patterns = tuple(dict.fromkeys(v.strip().lower() for v in value if v.strip()))
    return patterns


def _check_week(week: list[DayRanges], path: Path | None, where: str) -> None:
    """No day-less week, and no night shift running into the next day's first range."""
    if not any(week):
        raise config_error(path, where + "days", _(
            "no working day in the week: every message would be held for ever"))
    for i, ranges in enumerate(week):
        if not ranges or ranges[-1][1] <= DAY_MINUTES:
            continue
        spill = ranges[-1][1] - DAY_MINUTES
        nxt = week[(i + 1) % 7]
        if nxt and nxt[0][0] < spill:
            raise config_error(path, f"{where}week.{DAY_LABELS[(i + 1) % 7]}", _(
                "the night range {night} of {day} runs into {next}").format(
                night=format_range(ranges[-1]), day=DAY_LABELS[i],
                next=format_range(nxt[0])))


def build(raw: Any, path: Path | None, where: str) -> WorkingTime:
    """Validate the table; every mistake names the file and the key, in the user's language."""
    if not isinstance(raw, dict):
        raise config_error(path, where.rstrip("."), _("expected a table"))
    unknown = set(raw) - set(KEYS)
    if unknown:
        key = sorted(unknown)[0]
        hint = difflib.get_close_matches(key, KEYS, n=1)
        problem = _("unknown key")
        if hint:
            problem = _("unknown key (did you mean {hint}?)").format(hint=hint[0])
        raise config_error(path, where + key, problem)

    def spec(key: str, func: Any, *args: Any) -> Any:
        try:
            return func(*args)
        except SpecError as exc:
            raise config_error(path, where + key, str(exc)) from None

    def text(key: str, default: str) -> str:
        value = raw.get(key, default)
        if not isinstance(value, str):
            raise config_error(path, where + key, _("wrong type ({found})").format(
                found=type(value).__name__))
        return value

    country = spec("country", normalise_country, text("country", "FR"))
    holidays_on = raw.get("public_holidays", True)
    if not isinstance(holidays_on, bool):
        raise config_error(path, where + "public_holidays", _("expected true or false"))
    region_code, region_tz = spec("region", normalise_region, country or "FR",
                                  text("region", ""))
    if "timezone" in raw:
        tz = spec("timezone", parse_timezone, raw["timezone"])
    else:
        tz = ZoneInfo(region_tz or DEFAULT_TZ)
    solidarity = spec("solidarity_day", normalise_solidarity, text("solidarity_day", ""))

    days = spec("days", parse_days, raw["days"]) if "days" in raw else tuple(range(5))
    base = spec("ranges", parse_ranges, raw["ranges"]) if "ranges" in raw else DEFAULT_RANGES
    if "ranges" in raw and not base:
        raise config_error(path, where + "ranges", _("no range of hours given"))
    week: list[DayRanges] = [base if i in days else () for i in range(7)]
    per_day = raw.get("week", {})
    if not isinstance(per_day, dict):
        raise config_error(path, where + "week", _("expected a table of day = ranges"))
    for key, value in per_day.items():
        these = spec(f"week.{key}", parse_days, key)
        ranges = spec(f"week.{key}", _exception_value, value)
        for i in these:
            week[i] = ranges
    _check_week(week, path, where)

    leave_raw = raw.get("leave", [])
    if isinstance(leave_raw, (str, dict)):
        leave_raw = [leave_raw]
    if not isinstance(leave_raw, list):
        raise config_error(path, where + "leave", _("expected a list of leave periods"))
    if len(leave_raw) > MAX_LEAVE:
        raise config_error(path, where + "leave", _("too many entries"))
    leave = tuple(spec(f"leave[{i}]", _leave, i, item) for i, item in enumerate(leave_raw))
    exceptions = _exceptions(raw.get("exceptions", {}), path, where + "exceptions.")
    urgent = _str_list(raw.get("urgent", []), path, where + "urgent")
    return WorkingTime(
        tz=tz, week=tuple(week), country=country if holidays_on else "", region=region_code,
        solidarity_day=solidarity, leave=leave, exceptions=tuple(sorted(exceptions.items())),
        urgent=urgent, raw=dict(raw))


def day_label(i: int) -> str:
    return DAY_LABELS[i]


def ranges_text(ranges: Sequence[tuple[int, int]]) -> str:
    return ", ".join(format_range(r) for r in ranges)
