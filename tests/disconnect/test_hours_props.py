"""Properties of working time on random schedules, zones and instants (hypothesis).

Zones chosen for their awkward changes: Paris and New York (1 hour, different Sundays),
Lord Howe (30 minutes), Santiago (changes at midnight), Apia (skipped a whole day in 2011),
Kolkata (no DST, half-hour offset), UTC.
"""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, timedelta

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from accalmie.config import ConfigError
from accalmie.disconnect.hours import MAX_CHAIN_DAYS, WorkingTime, parse_section
from accalmie.disconnect.timespec import format_time

ZONES = ["Europe/Paris", "America/New_York", "Australia/Lord_Howe", "America/Santiago",
         "Pacific/Apia", "Asia/Kolkata", "UTC"]
DAYS = ("lun", "mar", "mer", "jeu", "ven", "sam", "dim")
# Instants near the changes are where mistakes hide: bias towards them.
HOT = [datetime(2026, 3, 29, 1, tzinfo=UTC), datetime(2026, 10, 25, 1, tzinfo=UTC),
       datetime(2026, 3, 8, 7, tzinfo=UTC), datetime(2026, 11, 1, 6, tzinfo=UTC),
       datetime(2026, 4, 4, 15, tzinfo=UTC), datetime(2026, 10, 3, 15, tzinfo=UTC),
       datetime(2026, 9, 6, 4, tzinfo=UTC), datetime(2026, 4, 5, 3, tzinfo=UTC),
       datetime(2011, 12, 29, 10, tzinfo=UTC)]

minutes = st.integers(min_value=0, max_value=24 * 12).map(lambda k: k * 5)


@st.composite
def day_ranges(draw: st.DrawFn) -> list[str]:
    n = draw(st.integers(min_value=0, max_value=3))
    points = sorted(set(draw(st.lists(minutes, min_size=2 * n, max_size=2 * n))))
    if len(points) % 2:
        points = points[:-1]
    out = [f"{format_time(points[i])}-{format_time(points[i + 1])}"
           for i in range(0, len(points), 2)]
    if out and draw(st.booleans()) and points[-1] < 1440:
        # Make the last range a night shift ending the next morning.
        end = draw(st.integers(min_value=1, max_value=12 * 12)) * 5
        out[-1] = f"{format_time(points[-2])}-{format_time(end)}"
    return out


@st.composite
def schedules(draw: st.DrawFn) -> WorkingTime:
    week = {DAYS[i]: draw(day_ranges()) or "off" for i in range(7)}
    base = date(2026, 1, 1)
    leave = []
    for _ in range(draw(st.integers(min_value=0, max_value=3))):
        start = base + timedelta(days=draw(st.integers(min_value=0, max_value=700)))
        leave.append({"start": start,
                      "end": start + timedelta(days=draw(st.integers(0, 40)))})
    exceptions = {}
    for _ in range(draw(st.integers(min_value=0, max_value=4))):
        d = base + timedelta(days=draw(st.integers(min_value=0, max_value=700)))
        exceptions[d.isoformat()] = draw(day_ranges()) or "off"
    raw = {"timezone": draw(st.sampled_from(ZONES)), "days": "lun-dim", "week": week,
           "leave": leave, "exceptions": exceptions,
           "region": draw(st.sampled_from(["", "alsace-moselle", "guadeloupe"])),
           "public_holidays": draw(st.booleans())}
    try:
        return parse_section(raw, None, "hours.")
    except ConfigError:
        assume(False)
        raise


instants = st.one_of(
    st.datetimes(min_value=datetime(2025, 6, 1), max_value=datetime(2028, 6, 1),
                 timezones=st.just(UTC)),
    st.builds(lambda hot, m: hot + timedelta(minutes=m), st.sampled_from(HOT),
              st.integers(min_value=-36 * 60, max_value=36 * 60)))

# ACCALMIE_HYPOTHESIS_EXAMPLES=5000 for a deeper search than the everyday run.
SETTINGS = settings(max_examples=int(os.environ.get("ACCALMIE_HYPOTHESIS_EXAMPLES", "100")),
                    deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


@SETTINGS
@given(schedules(), instants)
def test_next_start_is_a_working_instant_not_before_at(wt: WorkingTime, at: datetime) -> None:
    start = wt.next_start(at)
    assert start.tzinfo is not None and start.utcoffset() == timedelta(0)
    assert start >= at
    if start - at < timedelta(days=3000):
        assert wt.is_working(start)
    assert (start == at) == wt.is_working(at)
    # Nothing between ``at`` and the next start is working time (checked at its windows).
    for s, _e in wt.windows(at, start):
        assert s >= start or wt.is_working(at)


@SETTINGS
@given(schedules(), instants, st.integers(min_value=1, max_value=20))
def test_windows_are_ordered_disjoint_and_agree_with_is_working(
        wt: WorkingTime, at: datetime, days: int) -> None:
    end = at + timedelta(days=days)
    got = list(wt.windows(at, end))
    for s, e in got:
        assert s < e and e > at and s < end
        assert wt.is_working(s)
        assert wt.is_working(e - timedelta(microseconds=1))
    for (_s1, e1), (s2, _e2) in zip(got, got[1:], strict=False):
        assert e1 < s2  # touching windows are merged, so there is a real gap
        assert not wt.is_working(e1)
    # Sample instants: working iff inside one of the windows.
    step = (end - at) / 37
    for k in range(37):
        t = at + step * k
        inside = any(s <= t < e for s, e in got)
        assert wt.is_working(t) == inside, t


@SETTINGS
@given(schedules(), instants)
def test_window_end_is_the_end_of_the_current_window(wt: WorkingTime, at: datetime) -> None:
    end = wt.window_end(at)
    if not wt.is_working(at):
        assert end is None
        return
    assert end is not None and end > at
    assert wt.is_working(end - timedelta(microseconds=1))
    assert wt.status("fr", at) and len(wt.describe("en", at, 2)) <= 2
    if end - at < timedelta(days=MAX_CHAIN_DAYS - 1):
        assert not wt.is_working(end)


@SETTINGS
@given(schedules(), instants)
def test_clipped_windows_cover_exactly_the_working_time(wt: WorkingTime, at: datetime) -> None:
    end = at + timedelta(days=3)
    clipped = list(wt.windows(at, end, clip=True))
    for s, e in clipped:
        assert at <= s < e <= end
    whole = list(wt.windows(at, end))
    assert len(whole) == len(clipped)
