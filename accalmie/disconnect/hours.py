"""Working time of one person: when mail may reach them, and when it must wait.

A :class:`WorkingTime` answers, for any instant, "is this person at work?" and "when does
their next working window start?" (``next_start`` runs for every message, so it is pure,
cached per day and per year of holidays, and never loops over minutes).

Rules, in order of authority for a given local date: an exception for that date (worked with
its own ranges, or off) > a leave period > a public holiday (minus the worked *journée de
solidarité*) > the weekly schedule. A range belongs to the day it starts on: a night shift
"22:00-06:00" on a holiday eve is worked; one starting on a holiday is not.

Daylight-saving changes. Ranges are wall-clock times in the person's zone, converted to UTC
per day. A range edge that falls in the spring-forward gap (02:00–03:00 does not exist) moves
to the instant of the change, so "01:30-02:30" lasts 30 real minutes and "02:00-02:30" does not
happen that day. An edge in the repeated autumn hour takes the earlier pass for a start and the
later pass for an end: a window never loses time to the repetition (a 22:00-06:00 night shift
lasts 9 real hours that night), and windows that would then overlap are merged.

Time zone of stored and returned instants: UTC, always aware. A naive ``at`` is taken as UTC
(as the store does) rather than refused, because a crash in the mail path loses more than an
hour's error.
"""

from __future__ import annotations

import bisect
import fnmatch
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from accalmie.disconnect.holidays import holiday_dates, holiday_names
from accalmie.disconnect.timespec import DAY_MINUTES, DayRanges

if TYPE_CHECKING:
    from accalmie.config import Account, Config

Window = tuple[datetime, datetime]

DEFAULT_TZ = "Europe/Paris"
DEFAULT_RANGES: DayRanges = ((9 * 60, 12 * 60 + 30), (13 * 60 + 30, 17 * 60 + 30))
DEFAULT_WEEK: tuple[DayRanges, ...] = (DEFAULT_RANGES,) * 5 + ((), ())

# How far ahead to look for a working window (ten years of days that are not on leave; leave
# periods are skipped in one step). Reached only by a configuration with no working day left.
HORIZON_DAYS = 3660
# Longest chain of windows merged into one (someone working 00:00-24:00 every day).
MAX_CHAIN_DAYS = 31
_CACHE_DAYS = 4096
_ONE_DAY = timedelta(days=1)


class DayKind(StrEnum):
    """What a local date is for this person (stored with after-hours facts)."""

    WORK = "work"  # a working day (weekly schedule or an exception worked)
    REST = "rest"  # a weekly rest day: weekend, or a day not worked (part time)
    HOLIDAY = "holiday"  # a public holiday
    LEAVE = "leave"  # inside a leave period
    OFF = "off"  # an exception: this date is off


class Period(StrEnum):
    """Where an instant falls: the *hors horaires* flag is OFF_HOURS and DAY_OFF only."""

    WORK = "work"  # inside a working window
    BREAK = "break"  # between two windows of the same working day (lunch)
    OFF_HOURS = "off_hours"  # a working day, before its first or after its last window
    DAY_OFF = "day_off"  # rest day, holiday, leave or exception off


@dataclass(frozen=True, slots=True)
class Leave:
    """A leave period, both ends included."""

    start: date
    end: date
    label: str = ""


def to_utc(at: datetime) -> datetime:
    """An aware UTC instant; a naive one is taken as UTC (as the store does)."""
    if at.tzinfo is None:
        return at.replace(tzinfo=UTC)
    return at.astimezone(UTC)


def local_to_utc(local: datetime, tz: ZoneInfo, *, late: bool = False) -> datetime:
    """The instant a wall clock in ``tz`` shows ``local`` (naive), for a window edge.

    Repeated time (autumn): the first pass, or the last one when ``late``. Skipped time
    (spring): the instant of the change, where the clock jumps over ``local``.
    """
    a = local.replace(tzinfo=tz, fold=0).astimezone(UTC)
    b = local.replace(tzinfo=tz, fold=1).astimezone(UTC)
    if a == b:
        return a
    lo, hi = min(a, b), max(a, b)
    if a.astimezone(tz).replace(tzinfo=None) == local:  # shown twice
        return hi if late else lo
    # Skipped: the clock reads less than ``local`` before the change and more after it.
    # Bisect on whole seconds (changes happen on whole seconds): at most ~17 steps.
    lo_s, hi_s = int(lo.timestamp()), int(hi.timestamp())
    while hi_s - lo_s > 1:
        mid = (lo_s + hi_s) // 2
        shown = datetime.fromtimestamp(mid, UTC).astimezone(tz).replace(tzinfo=None)
        if shown > local:
            hi_s = mid
        else:
            lo_s = mid
    return datetime.fromtimestamp(hi_s, UTC)


def _merge(windows: list[Window]) -> list[Window]:
    out: list[Window] = []
    for s, e in sorted(windows):
        if out and s <= out[-1][1]:
            if e > out[-1][1]:
                out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


@dataclass(frozen=True)
class WorkingTime:
    """One person's working time. Build it with :func:`parse_section` or :func:`working_time`.

    ``week`` has seven entries, Monday first; each is the day's ranges in minutes from local
    midnight (a night shift's end is past 1440). ``urgent``: glob patterns of senders whose
    mail is never held (used by the watch service).
    """

    tz: ZoneInfo = field(default_factory=lambda: ZoneInfo(DEFAULT_TZ))
    week: tuple[DayRanges, ...] = DEFAULT_WEEK
    country: str = "FR"  # ISO code for public holidays; '' = none
    region: str = ""  # holidays subdivision code ('' = the whole country / metropolitan)
    solidarity_day: str = ""  # '' | 'whit-monday' | 'MM-DD': that public holiday is worked
    leave: tuple[Leave, ...] = ()
    exceptions: tuple[tuple[date, DayRanges], ...] = ()  # (date, ranges); () = off that day
    urgent: tuple[str, ...] = ()
    # The TOML table it came from: an account's table inherits from the top-level one.
    raw: Mapping[str, Any] = field(default_factory=dict, compare=False, hash=False, repr=False)
    _exceptions: dict[date, DayRanges] = field(init=False, compare=False, hash=False,
                                                repr=False)
    _leave_starts: list[date] = field(init=False, compare=False, hash=False, repr=False)
    _leave_ends: list[date] = field(init=False, compare=False, hash=False, repr=False)
    _days: dict[date, tuple[Window, ...]] = field(init=False, compare=False, hash=False,
                                                   repr=False)

    def __post_init__(self) -> None:
        if len(self.week) != 7:
            raise ValueError("week needs 7 days")
        put = object.__setattr__
        put(self, "_exceptions", dict(self.exceptions))
        # Leave periods merged into disjoint spans, for a bisect and a jump over each.
        spans: list[list[date]] = []
        for lv in sorted(self.leave, key=lambda x: (x.start, x.end)):
            if spans and lv.start <= spans[-1][1] + _ONE_DAY:
                spans[-1][1] = max(spans[-1][1], lv.end)
            else:
                spans.append([lv.start, lv.end])
        put(self, "_leave_starts", [s for s, _e in spans])
        put(self, "_leave_ends", [e for _s, e in spans])
        put(self, "_days", {})

    # -- one local date -----------------------------------------------------------------

    def leave_until(self, d: date) -> date | None:
        """Last day of the leave containing ``d`` (periods that touch count as one), or None."""
        i = bisect.bisect_right(self._leave_starts, d) - 1
        if i >= 0 and d <= self._leave_ends[i]:
            return self._leave_ends[i]
        return None

    def is_holiday(self, d: date) -> bool:
        return bool(self.country) and d in holiday_dates(self.country, self.region, d.year,
                                                         self.solidarity_day)

    def day_plan(self, d: date) -> tuple[DayKind, DayRanges]:
        """What ``d`` is and the ranges worked on it (local wall-clock minutes)."""
        if d in self._exceptions:
            ranges = self._exceptions[d]
            return (DayKind.WORK, ranges) if ranges else (DayKind.OFF, ())
        if self._leave_starts and self.leave_until(d) is not None:
            return DayKind.LEAVE, ()
        if self.is_holiday(d):
            return DayKind.HOLIDAY, ()
        ranges = self.week[d.weekday()]
        return (DayKind.WORK, ranges) if ranges else (DayKind.REST, ())

    def day_kind(self, d: date) -> DayKind:
        return self.day_plan(d)[0]

    def holiday_name(self, d: date, lang: str = "fr") -> str:
        """The public holiday's name on ``d`` ('' if none), even when worked."""
        if not self.country:
            return ""
        return holiday_names(self.country, self.region, d.year, lang).get(d, "")

    def _day_windows(self, d: date) -> tuple[Window, ...]:
        """UTC windows of the ranges starting on local date ``d`` (cached)."""
        cached = self._days.get(d)
        if cached is not None:
            return cached
        ranges = self.day_plan(d)[1]
        out: list[Window] = []
        if ranges:
            midnight = datetime.combine(d, time())
            for s, e in ranges:
                try:
                    start = local_to_utc(midnight + timedelta(minutes=s), self.tz)
                    end = local_to_utc(midnight + timedelta(minutes=e), self.tz, late=True)
                except OverflowError:  # the last days of year 9999
                    continue
                if start < end:  # a range wholly in the spring-forward gap does not happen
                    out.append((start, end))
        windows = tuple(_merge(out))
        if len(self._days) >= _CACHE_DAYS:
            self._days.clear()
        self._days[d] = windows
        return windows

    def _local_date(self, at: datetime) -> date:
        return at.astimezone(self.tz).date()

    # -- windows ------------------------------------------------------------------------

    def _raw_windows(self, first: date) -> Iterator[Window]:
        """Per-day windows from local date ``first`` on, in order, leave skipped in one step."""
        d = first
        visited = 0
        while visited < HORIZON_DAYS:
            if self._leave_starts:
                end = self.leave_until(d)
                if end is not None and d not in self._exceptions:
                    # Exceptions worked inside a leave still count: stop at the first one.
                    inside = [x for x in self._exceptions if d < x <= end]
                    if inside:
                        d = min(inside)
                    elif end == date.max:
                        return
                    else:
                        d = end + _ONE_DAY
                    visited += 1
                    continue
            yield from self._day_windows(d)
            visited += 1
            try:
                d += _ONE_DAY
            except OverflowError:
                return

    def _merged(self, first: date) -> Iterator[Window]:
        """Windows from local date ``first`` on, touching ones merged (bounded chains)."""
        current: Window | None = None
        for s, e in self._raw_windows(first):
            if current is not None and s <= current[1]:
                if e > current[1]:
                    if e - current[0] > timedelta(days=MAX_CHAIN_DAYS):
                        yield current
                        current = (current[1], e)
                    else:
                        current = (current[0], e)
                continue
            if current is not None:
                yield current
            current = (s, e)
        if current is not None:
            yield current

    def _start_day(self, at: datetime) -> date:
        """A local date early enough that its windows include any window containing ``at``."""
        try:
            return self._local_date(at) - 2 * _ONE_DAY
        except OverflowError:
            return date.min

    def is_working(self, at: datetime) -> bool:
        """True inside a working window (start included, end excluded)."""
        at = to_utc(at)
        try:
            d = self._local_date(at)
            days = (d - 2 * _ONE_DAY, d - _ONE_DAY, d, d + _ONE_DAY)
        except OverflowError:
            return False
        for day in days:
            for s, e in self._day_windows(day):
                if s <= at < e:
                    return True
        return False

    def next_start(self, at: datetime) -> datetime:
        """``at`` itself inside a window, else the start of the next window (aware, UTC).

        With no working day left within ten years (a leave without end), the instant ten
        years ahead: mail is held, never lost, and ``describe`` says why.
        """
        at = to_utc(at)
        if self.is_working(at):
            return at
        for s, e in self._merged(self._start_day(at)):
            if e > at:
                return max(s, at)
        try:
            return at + timedelta(days=HORIZON_DAYS)
        except OverflowError:
            return at

    def window_end(self, at: datetime) -> datetime | None:
        """End of the window containing ``at`` (touching windows count as one), else None."""
        at = to_utc(at)
        if not self.is_working(at):
            return None
        for s, e in self._merged(self._start_day(at)):
            if s <= at < e:
                return e
            if s > at:
                break
        return None  # pragma: no cover - is_working said it is inside

    def windows(self, start: datetime, end: datetime, *, clip: bool = False
                ) -> Iterator[Window]:
        """The working windows that overlap [start, end), in order, never overlapping.

        Whole windows (a window already begun at ``start`` keeps its real start), unless
        ``clip``. Touching windows (a night shift ending at 00:00 and a day starting then)
        are one window.
        """
        start, end = to_utc(start), to_utc(end)
        if end <= start:
            return
        first = self._start_day(start)
        # Go back while a chain of touching windows runs into ``first``.
        for _ in range(MAX_CHAIN_DAYS):
            try:
                prev = first - _ONE_DAY
            except OverflowError:
                break
            before, here = self._day_windows(prev), self._day_windows(first)
            if not before or not here or before[-1][1] < here[0][0]:
                break
            first = prev
        for s, e in self._merged(first):
            if s >= end:
                return
            if e <= start:
                continue
            yield (max(s, start), min(e, end)) if clip else (s, e)

    def period(self, at: datetime) -> Period:
        """Work, a break between two windows of a working day, off hours, or a day off."""
        at = to_utc(at)
        if self.is_working(at):
            return Period.WORK
        try:
            d = self._local_date(at)
            days = (d - _ONE_DAY, d)
        except OverflowError:
            return Period.OFF_HOURS
        for day in days:
            w = self._day_windows(day)
            if w and w[0][0] <= at < w[-1][1]:
                return Period.BREAK
        return Period.OFF_HOURS if self.day_kind(d) is DayKind.WORK else Period.DAY_OFF

    def is_urgent(self, sender: str) -> bool:
        """The sender's address matches one of the ``urgent`` glob patterns."""
        address = sender.strip().lower()
        return bool(address) and any(fnmatch.fnmatchcase(address, p) for p in self.urgent)

    def leave_at(self, d: date) -> Leave | None:
        """The configured leave period containing ``d`` (the first one listed)."""
        return next((lv for lv in self.leave if lv.start <= d <= lv.end), None)

    # -- words ----------------------------------------------------------------------------

    def describe(self, lang: str | None, at: datetime, n: int = 5) -> list[str]:
        """The next ``n`` working windows in plain words ("Demain (mardi 1er décembre), de
        9 h à 12 h 30"); the first says "Now, until …" when ``at`` is inside one."""
        from accalmie.disconnect.hours_text import describe_windows

        return describe_windows(self, lang, to_utc(at), n)

    def status(self, lang: str | None, at: datetime) -> str:
        """One sentence: at work until when, or why not and when work starts again."""
        from accalmie.disconnect.hours_text import describe_status

        return describe_status(self, lang, to_utc(at))


# -- configuration ---------------------------------------------------------------------------


def parse_section(raw: Any, path: Path | None, where: str) -> WorkingTime:
    """The [hours] table (or an account's [accounts.hours]) -> WorkingTime; {} = defaults."""
    if isinstance(raw, dict) and not raw:
        return _defaults()
    from accalmie.disconnect.hours_config import build

    return build(raw, path, where)


@lru_cache(maxsize=1)
def _defaults() -> WorkingTime:
    """One shared default (a config without [hours] asks for it per message: keep its cache)."""
    from accalmie.disconnect.hours_config import build

    return build({}, None, "hours.")


_MERGED: dict[tuple[int, int], tuple[WorkingTime, WorkingTime, WorkingTime]] = {}


def merge_raw(top: Mapping[str, Any], own: Mapping[str, Any]) -> dict[str, Any]:
    """An account's table over the top-level one: each key it sets wins; ``week`` and
    ``exceptions`` tables merge day by day."""
    merged = dict(top)
    for key, value in own.items():
        base = merged.get(key)
        if key in ("week", "exceptions") and isinstance(base, dict) and isinstance(value, dict):
            merged[key] = {**base, **value}
        else:
            merged[key] = value
    return merged


def working_time(config: Config, account: Account | None = None) -> WorkingTime:
    """The account's working time: [accounts.hours] keys over [hours], over the defaults."""
    top = config.section("hours")
    if account is None or "hours" not in account.sections:
        return top  # type: ignore[no-any-return]
    own: WorkingTime = account.sections["hours"]
    if "hours" not in config.sections or not top.raw:
        return own
    key = (id(top), id(own))
    hit = _MERGED.get(key)
    if hit is not None and hit[0] is top and hit[1] is own:
        return hit[2]
    index = next((i for i, a in enumerate(config.accounts) if a.name == account.name), 0)
    merged = parse_section(merge_raw(top.raw, own.raw), config.path,
                           f"accounts[{index}].hours.")
    if len(_MERGED) > 64:
        _MERGED.clear()
    _MERGED[key] = (top, own, merged)
    return merged


__all__ = ["DEFAULT_RANGES", "DEFAULT_TZ", "DEFAULT_WEEK", "DayKind", "Leave", "Period",
           "WorkingTime", "local_to_utc", "merge_raw", "parse_section", "to_utc",
           "working_time", "DAY_MINUTES"]
