"""Working time: nights, weekends, holidays, leave, exceptions and daylight-saving changes."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from accalmie.config import parse_config
from accalmie.disconnect.clock import ManualClock
from accalmie.disconnect.hours import (
    DayKind,
    Period,
    WorkingTime,
    local_to_utc,
    parse_section,
    working_time,
)

PARIS = ZoneInfo("Europe/Paris")


def at(y: int, m: int, d: int, h: int = 0, mi: int = 0, tz: ZoneInfo = PARIS) -> datetime:
    return datetime(y, m, d, h, mi, tzinfo=tz)


def hours(**raw: object) -> WorkingTime:
    return parse_section(raw, None, "hours.")


def local(dt: datetime, tz: ZoneInfo = PARIS) -> tuple[int, int, int, int, int]:
    x = dt.astimezone(tz)
    return (x.year, x.month, x.day, x.hour, x.minute)


DEFAULT = hours()


# -- the default week ------------------------------------------------------------------------


def test_defaults_are_monday_to_friday_with_a_lunch_break_in_paris() -> None:
    wt = DEFAULT
    assert wt.tz.key == "Europe/Paris"
    monday = (2026, 11, 30)
    assert not wt.is_working(at(*monday, 8, 59))
    assert wt.is_working(at(*monday, 9, 0))  # start included
    assert wt.is_working(at(*monday, 12, 29))
    assert not wt.is_working(at(*monday, 12, 30))  # end excluded
    assert not wt.is_working(at(*monday, 13, 0))
    assert wt.is_working(at(*monday, 17, 29))
    assert not wt.is_working(at(*monday, 17, 30))
    assert not wt.is_working(at(2026, 12, 5, 10))  # Saturday
    assert not wt.is_working(at(2026, 12, 6, 10))  # Sunday


def test_next_start_and_window_end() -> None:
    wt = DEFAULT
    inside = at(2026, 11, 30, 10, 15)
    assert wt.next_start(inside) == inside.astimezone(UTC)
    assert wt.next_start(inside).tzinfo is UTC
    assert local(wt.window_end(inside)) == (2026, 11, 30, 12, 30)
    assert local(wt.next_start(at(2026, 11, 30, 12, 45))) == (2026, 11, 30, 13, 30)
    assert local(wt.next_start(at(2026, 11, 30, 21, 0))) == (2026, 12, 1, 9, 0)  # night
    assert local(wt.next_start(at(2026, 12, 4, 18, 0))) == (2026, 12, 7, 9, 0)  # weekend
    assert local(wt.next_start(at(2026, 12, 6, 23, 59))) == (2026, 12, 7, 9, 0)
    assert wt.window_end(at(2026, 11, 30, 12, 45)) is None


def test_a_naive_instant_is_taken_as_utc() -> None:
    naive = datetime(2026, 11, 30, 8, 30)  # 09:30 in Paris
    assert DEFAULT.is_working(naive)
    assert DEFAULT.next_start(naive) == naive.replace(tzinfo=UTC)


def test_time_travel_through_a_week_with_a_manual_clock() -> None:
    """What the hold/release loop does: sleep until the next start, work until the end."""
    clock = ManualClock(at(2026, 12, 4, 17, 0))  # Friday afternoon
    seen: list[tuple[int, int, int, int, int]] = []
    for _ in range(6):
        now = clock.now()
        if DEFAULT.is_working(now):
            end = DEFAULT.window_end(now)
            assert end is not None and end > now
            clock.set(end)
            seen.append(("end",) + local(end))  # type: ignore[arg-type]
        else:
            start = DEFAULT.next_start(now)
            assert start > now
            clock.set(start)
            seen.append(("start",) + local(start))  # type: ignore[arg-type]
    assert seen == [("end", 2026, 12, 4, 17, 30), ("start", 2026, 12, 7, 9, 0),
                    ("end", 2026, 12, 7, 12, 30), ("start", 2026, 12, 7, 13, 30),
                    ("end", 2026, 12, 7, 17, 30), ("start", 2026, 12, 8, 9, 0)]


def test_windows_are_whole_ordered_and_can_be_clipped() -> None:
    start, end = at(2026, 11, 30, 10, 0), at(2026, 12, 1, 10, 0)
    got = [(local(s), local(e)) for s, e in DEFAULT.windows(start, end)]
    assert got == [((2026, 11, 30, 9, 0), (2026, 11, 30, 12, 30)),
                   ((2026, 11, 30, 13, 30), (2026, 11, 30, 17, 30)),
                   ((2026, 12, 1, 9, 0), (2026, 12, 1, 12, 30))]
    clipped = list(DEFAULT.windows(start, end, clip=True))
    assert local(clipped[0][0]) == (2026, 11, 30, 10, 0)
    assert local(clipped[-1][1]) == (2026, 12, 1, 10, 0)
    assert list(DEFAULT.windows(end, start)) == []


def test_periods_tell_a_break_from_the_evening_and_a_day_off() -> None:
    assert DEFAULT.period(at(2026, 11, 30, 10)) is Period.WORK
    assert DEFAULT.period(at(2026, 11, 30, 13)) is Period.BREAK
    assert DEFAULT.period(at(2026, 11, 30, 7)) is Period.OFF_HOURS
    assert DEFAULT.period(at(2026, 11, 30, 19)) is Period.OFF_HOURS
    assert DEFAULT.period(at(2026, 12, 5, 11)) is Period.DAY_OFF


def test_different_hours_per_weekday() -> None:
    wt = hours(days="lun-ven", ranges="8:30-12:00, 13:00-17:00",
               week={"mer": "9h-12h", "vendredi": ["08:00-12:00", "12:30-15:00"],
                     "sam": "10:00-12:00"})
    assert wt.week[2] == ((540, 720),)
    assert not wt.is_working(at(2026, 12, 2, 14))  # Wednesday afternoon
    assert wt.is_working(at(2026, 12, 4, 14))  # Friday 12:30-15:00
    assert not wt.is_working(at(2026, 12, 4, 16))
    assert wt.is_working(at(2026, 12, 5, 11))  # Saturday morning
    assert local(wt.next_start(at(2026, 12, 2, 12, 30))) == (2026, 12, 3, 8, 30)


# -- public holidays -------------------------------------------------------------------------


def test_fixed_and_easter_based_holidays_in_metropolitan_france() -> None:
    wt = DEFAULT
    # Christmas on a Friday: from Thursday evening to Monday morning.
    assert local(wt.next_start(at(2026, 12, 24, 17, 30))) == (2026, 12, 28, 9, 0)
    assert wt.day_kind(date(2026, 12, 25)) is DayKind.HOLIDAY
    assert wt.holiday_name(date(2026, 12, 25), "fr") == "Noël"
    # Movable, from Easter: Easter Monday, Ascension Thursday, Whit Monday.
    for d in (date(2027, 3, 29), date(2026, 5, 14), date(2026, 5, 25)):
        assert not wt.is_working(datetime(d.year, d.month, d.day, 10, tzinfo=PARIS)), d
    assert local(wt.next_start(at(2027, 3, 26, 18))) == (2027, 3, 30, 9, 0)
    # Good Friday is worked outside Alsace-Moselle.
    assert wt.is_working(at(2026, 4, 3, 10))
    assert wt.is_working(at(2025, 12, 26, 10))


def test_alsace_moselle_adds_good_friday_and_26_december() -> None:
    wt = hours(region="alsace-moselle")
    assert not wt.is_working(at(2026, 4, 3, 10))
    assert wt.day_kind(date(2026, 4, 3)) is DayKind.HOLIDAY
    assert not wt.is_working(at(2025, 12, 26, 10))
    assert local(wt.next_start(at(2025, 12, 24, 18))) == (2025, 12, 29, 9, 0)
    assert hours(region="Moselle").day_kind(date(2026, 4, 3)) is DayKind.HOLIDAY
    assert hours(region="67").day_kind(date(2026, 4, 3)) is DayKind.HOLIDAY


def test_overseas_departments_get_their_own_holidays_and_time_zone() -> None:
    gp = hours(region="Guadeloupe")
    assert gp.tz.key == "America/Guadeloupe"  # from the region when none is given
    assert gp.day_kind(date(2026, 5, 27)) is DayKind.HOLIDAY  # abolition of slavery
    assert not gp.is_working(datetime(2026, 5, 27, 10, tzinfo=gp.tz))
    assert DEFAULT.day_kind(date(2026, 5, 27)) is DayKind.WORK
    re_ = hours(region="La Réunion", timezone="Indian/Reunion")
    assert re_.day_kind(date(2027, 12, 20)) is DayKind.HOLIDAY
    # An explicit time zone wins over the region's.
    assert hours(region="guadeloupe", timezone="Europe/Paris").tz.key == "Europe/Paris"


def test_solidarity_day_and_holidays_switched_off() -> None:
    worked = hours(solidarity_day="lundi-de-pentecote")
    assert worked.is_working(at(2026, 5, 25, 10))
    assert worked.holiday_name(date(2026, 5, 25), "en") == "Pentecost Monday"
    assert hours(solidarity_day="05-08").is_working(at(2026, 5, 8, 10))
    none = hours(public_holidays=False)
    assert none.is_working(at(2026, 12, 25, 10))
    assert none.day_kind(date(2026, 12, 25)) is DayKind.WORK


def test_another_country() -> None:
    de = hours(country="DE", region="BY", timezone="Europe/Berlin")
    assert de.day_kind(date(2026, 1, 6)) is DayKind.HOLIDAY  # Epiphany in Bavaria
    assert hours(country="DE", timezone="Europe/Berlin").day_kind(date(2026, 1, 6)) \
        is DayKind.WORK


# -- leave and exceptions --------------------------------------------------------------------


def test_leave_holds_until_the_first_working_day_after_it() -> None:
    wt = hours(leave=[{"start": date(2026, 12, 21), "end": date(2027, 1, 2),
                       "label": "Noël"}])
    assert wt.day_kind(date(2026, 12, 22)) is DayKind.LEAVE
    assert local(wt.next_start(at(2026, 12, 18, 18))) == (2027, 1, 4, 9, 0)
    assert wt.leave_at(date(2026, 12, 30)).label == "Noël"  # type: ignore[union-attr]
    assert "Noël" in wt.status("en", at(2026, 12, 22, 10))
    assert "2 January 2027" in wt.status("en", at(2026, 12, 22, 10))


def test_leave_forms_and_overlaps() -> None:
    wt = hours(leave=["2026-08-03..2026-08-14", "2026-08-10..2026-08-21", "2026-07-14",
                      ["2026-11-02", "2026-11-03"]])
    assert wt.day_kind(date(2026, 8, 20)) is DayKind.LEAVE
    assert wt.leave_until(date(2026, 8, 5)) == date(2026, 8, 21)  # merged spans
    assert local(wt.next_start(at(2026, 8, 3, 8))) == (2026, 8, 24, 9, 0)
    assert wt.day_kind(date(2026, 11, 3)) is DayKind.LEAVE


def test_exceptions_work_a_day_off_or_take_a_working_day_off() -> None:
    wt = hours(exceptions={"2026-12-05": "10:00-12:00", "2026-11-30": "off",
                           "2026-12-25": ["09:00-11:00"]},
               leave=[{"start": "2027-01-04", "end": "2027-01-08"}])
    assert wt.is_working(at(2026, 12, 5, 11))  # a Saturday, worked
    assert wt.day_kind(date(2026, 11, 30)) is DayKind.OFF
    assert local(wt.next_start(at(2026, 11, 29, 20))) == (2026, 12, 1, 9, 0)
    assert wt.is_working(at(2026, 12, 25, 10))  # Christmas, worked by exception
    listed = hours(exceptions=[{"date": date(2027, 1, 6), "ranges": ["14:00-16:00"]},
                               {"date": date(2027, 1, 7), "off": True}],
                   leave=[{"start": "2027-01-04", "end": "2027-01-08"}])
    # An exception worked inside a leave is a working day; the rest of the leave is not.
    assert local(listed.next_start(at(2027, 1, 4, 8))) == (2027, 1, 6, 14, 0)
    assert local(listed.next_start(at(2027, 1, 6, 16))) == (2027, 1, 11, 9, 0)


def test_a_leave_without_end_gives_a_far_start_not_a_hang() -> None:
    wt = hours(leave=[{"start": "2026-01-01", "end": "2999-12-31"}])
    start = wt.next_start(at(2026, 6, 1, 10))
    assert start - at(2026, 6, 1, 10) >= timedelta(days=3650)
    assert "ten years" in wt.status("en", at(2026, 6, 1, 10))
    forever = hours(leave=[{"start": "2026-01-01", "end": "9999-12-31"}])
    assert forever.next_start(at(2026, 6, 1, 10)) > at(2036, 1, 1)
    assert list(forever.windows(at(2026, 6, 1), at(2027, 6, 1))) == []


# -- night shifts ----------------------------------------------------------------------------


def test_night_shifts_cross_midnight_and_belong_to_their_first_day() -> None:
    wt = hours(days="lun-ven", ranges="22:00-06:00")
    assert wt.is_working(at(2026, 11, 30, 23))  # Monday night
    assert wt.is_working(at(2026, 12, 1, 5, 59))  # Tuesday morning, same shift
    assert not wt.is_working(at(2026, 11, 30, 5))  # Monday morning: Sunday had no shift
    assert wt.is_working(at(2026, 12, 5, 3))  # Saturday morning: Friday's shift
    assert local(wt.window_end(at(2026, 11, 30, 23))) == (2026, 12, 1, 6, 0)
    assert local(wt.next_start(at(2026, 12, 5, 7))) == (2026, 12, 7, 22, 0)
    # A shift starting on a holiday is not worked; one starting the day before is.
    assert not wt.is_working(at(2026, 12, 25, 23))
    assert wt.is_working(at(2026, 12, 25, 3))


def test_touching_windows_are_one_window() -> None:
    wt = hours(days="lun-dim", ranges="18:00-24:00", week={"mar": "00:00-08:00, 18:00-24:00"})
    monday_night = at(2026, 11, 30, 20)
    assert local(wt.window_end(monday_night)) == (2026, 12, 1, 8, 0)
    got = list(wt.windows(at(2026, 11, 30, 12), at(2026, 12, 1, 12)))
    assert [(local(s), local(e)) for s, e in got] == [
        ((2026, 11, 30, 18, 0), (2026, 12, 1, 8, 0))]
    # Whole windows: asked from inside, the window keeps its real start.
    inside = list(wt.windows(at(2026, 12, 1, 2), at(2026, 12, 1, 3)))
    assert local(inside[0][0]) == (2026, 11, 30, 18, 0)


def test_round_the_clock_work_is_cut_into_bounded_windows() -> None:
    wt = hours(days="lun-dim", ranges="00:00-24:00")
    now = at(2026, 11, 30, 10)
    assert wt.next_start(now) == now.astimezone(UTC)
    end = wt.window_end(now)
    assert end is not None and timedelta(days=1) < end - now <= timedelta(days=32)


# -- daylight-saving changes -----------------------------------------------------------------


def test_day_hours_across_both_paris_changes() -> None:
    # Spring (last Sunday of March): Friday evening CET to Monday morning CEST.
    start = DEFAULT.next_start(at(2026, 3, 27, 17, 30))
    assert start == datetime(2026, 3, 30, 7, 0, tzinfo=UTC)  # 09:00 CEST
    assert start - at(2026, 3, 27, 17, 30) == timedelta(hours=62, minutes=30)
    # Autumn (last Sunday of October): Friday CEST to Monday 09:00 CET.
    assert DEFAULT.next_start(at(2026, 10, 23, 17, 30)) == datetime(2026, 10, 26, 8, 0,
                                                                   tzinfo=UTC)


def test_night_shift_is_shorter_in_spring_and_longer_in_autumn() -> None:
    wt = hours(days="lun-dim", ranges="22:00-06:00")
    spring = list(wt.windows(at(2026, 3, 28, 23), at(2026, 3, 28, 23, 1)))
    assert spring[0][1] - spring[0][0] == timedelta(hours=7)
    autumn = list(wt.windows(at(2026, 10, 24, 23), at(2026, 10, 24, 23, 1)))
    assert autumn[0][1] - autumn[0][0] == timedelta(hours=9)
    # Every instant of the repeated hour is inside the shift.
    for minutes in range(0, 181, 10):
        assert wt.is_working(datetime(2026, 10, 24, 23, 0, tzinfo=UTC)
                             + timedelta(minutes=minutes))


def test_a_range_in_the_spring_gap_is_skipped_or_shortened() -> None:
    wt = hours(days="lun-dim", ranges="02:00-02:30, 02:45-04:00, 06:00-07:00")
    sunday = list(wt.windows(at(2026, 3, 29, 0), at(2026, 3, 29, 12)))
    # 02:00-02:30 does not exist that day; 02:45-04:00 starts at the change (03:00 CEST).
    assert [(local(s), local(e)) for s, e in sunday] == [
        ((2026, 3, 29, 3, 0), (2026, 3, 29, 4, 0)),
        ((2026, 3, 29, 6, 0), (2026, 3, 29, 7, 0))]
    assert not wt.is_working(datetime(2026, 3, 29, 0, 59, tzinfo=UTC))  # 01:59 CET
    assert wt.is_working(datetime(2026, 3, 29, 1, 0, tzinfo=UTC))  # 03:00 CEST
    # The day before, the same ranges are normal.
    saturday = list(wt.windows(at(2026, 3, 28, 0), at(2026, 3, 28, 12)))
    assert len(saturday) == 3


def test_a_range_in_the_autumn_overlap_covers_both_passes() -> None:
    wt = hours(days="lun-dim", ranges="02:15-02:45, 06:00-07:00")
    sunday = list(wt.windows(at(2026, 10, 25, 0), at(2026, 10, 25, 5)))
    s, e = sunday[0]
    assert s == datetime(2026, 10, 25, 0, 15, tzinfo=UTC)  # 02:15 CEST, first pass
    assert e == datetime(2026, 10, 25, 1, 45, tzinfo=UTC)  # 02:45 CET, second pass
    assert wt.is_working(datetime(2026, 10, 25, 1, 20, tzinfo=UTC))  # 02:20 CET


def test_local_to_utc_edges() -> None:
    gap = datetime(2026, 3, 29, 2, 30)
    assert local_to_utc(gap, PARIS) == datetime(2026, 3, 29, 1, 0, tzinfo=UTC)
    assert local_to_utc(gap, PARIS, late=True) == datetime(2026, 3, 29, 1, 0, tzinfo=UTC)
    twice = datetime(2026, 10, 25, 2, 30)
    assert local_to_utc(twice, PARIS) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    assert local_to_utc(twice, PARIS, late=True) == datetime(2026, 10, 25, 1, 30, tzinfo=UTC)
    # Half-hour change (Lord Howe Island: 02:00 -> 02:30 in October).
    lhi = ZoneInfo("Australia/Lord_Howe")
    assert local_to_utc(datetime(2026, 10, 4, 2, 10), lhi) == \
        local_to_utc(datetime(2026, 10, 4, 2, 30), lhi)


def test_new_york_changes_on_other_sundays() -> None:
    ny = ZoneInfo("America/New_York")
    wt = hours(timezone="America/New_York", country="US")
    # Second Sunday of March 2026 (8th): Friday 17:30 EST -> Monday 09:00 EDT (13:00 UTC).
    assert wt.next_start(datetime(2026, 3, 6, 17, 30, tzinfo=ny)) == \
        datetime(2026, 3, 9, 13, 0, tzinfo=UTC)
    # First Sunday of November (1st): Monday 09:00 EST is 14:00 UTC.
    assert wt.next_start(datetime(2026, 10, 30, 17, 30, tzinfo=ny)) == \
        datetime(2026, 11, 2, 14, 0, tzinfo=UTC)
    # Paris has not changed yet on 9 March: 14:00 UTC is 15:00 in Paris, 10:00 in New York.
    assert wt.is_working(datetime(2026, 3, 9, 14, 0, tzinfo=UTC))
    night = hours(timezone="America/New_York", country="", days="lun-dim",
                  ranges="22:00-06:00")
    w = list(night.windows(datetime(2026, 3, 7, 23, tzinfo=ny),
                           datetime(2026, 3, 7, 23, 1, tzinfo=ny)))
    assert w[0][1] - w[0][0] == timedelta(hours=7)


def test_southern_hemisphere_changes() -> None:
    sy = ZoneInfo("Australia/Sydney")
    wt = hours(timezone="Australia/Sydney", country="", days="lun-dim", ranges="22:00-06:00")
    # DST ends on the first Sunday of April (5 April 2026): a 9-hour night.
    w = list(wt.windows(datetime(2026, 4, 4, 23, tzinfo=sy), datetime(2026, 4, 4, 23, 1,
                                                                      tzinfo=sy)))
    assert w[0][1] - w[0][0] == timedelta(hours=9)


# -- robustness ------------------------------------------------------------------------------


@pytest.mark.parametrize("when", [datetime(1, 1, 1, tzinfo=UTC), datetime(1, 1, 2, tzinfo=UTC),
                                  datetime(9999, 12, 31, 23, tzinfo=UTC),
                                  datetime(1850, 6, 1, tzinfo=UTC)])
def test_absurd_dates_never_crash(when: datetime) -> None:
    DEFAULT.is_working(when)
    assert DEFAULT.next_start(when) >= when
    DEFAULT.window_end(when)
    DEFAULT.period(when)
    list(DEFAULT.windows(when, when + timedelta(hours=1) if when.year < 9999 else when))


def test_day_cache_is_bounded() -> None:
    wt = hours()
    start = at(2020, 1, 1)
    for k in range(0, 6000, 1):
        wt.is_working(start + timedelta(days=k))
    assert len(wt._days) <= 4096


def test_urgent_senders() -> None:
    wt = hours(urgent=["*@CHU-exemple.fr", "direction@*"])
    assert wt.urgent == ("*@chu-exemple.fr", "direction@*")
    assert wt.is_urgent("Dr.Martin@chu-exemple.fr")
    assert wt.is_urgent("direction@mairie.fr")
    assert not wt.is_urgent("someone@else.fr")
    assert not wt.is_urgent("")


def test_describe_in_english_and_french() -> None:
    lines = DEFAULT.describe("en", at(2026, 11, 30, 12, 45), 3)
    assert lines == ["Today, from 13:30 to 17:30",
                     "Tomorrow (Tuesday 1 December), from 9:00 to 12:30",
                     "Tomorrow (Tuesday 1 December), from 13:30 to 17:30"]
    now = DEFAULT.describe("en", at(2026, 11, 30, 10), 1)
    assert now == ["Now, until 12:30"]
    fr = DEFAULT.describe("fr", at(2026, 12, 4, 18), 2)
    assert "lundi 7 décembre" in fr[0].lower() and "9 h" in fr[0] and "12 h 30" in fr[0]
    assert "mardi 1er décembre" in DEFAULT.describe("fr", at(2026, 11, 30, 18), 1)[0]
    night = hours(ranges="22:00-06:00").describe("en", at(2026, 11, 30, 12), 1)
    assert night == ["Today, from 22:00 to Tuesday 6:00"]
    assert DEFAULT.describe("en", at(2026, 12, 31, 18), 1) == [
        "Monday 4 January 2027, from 9:00 to 12:30"]


def test_status_sentences() -> None:
    assert DEFAULT.status("en", at(2026, 11, 30, 10)) == "At work until 12:30."
    assert DEFAULT.status("en", at(2026, 11, 30, 13)) == \
        "Break: work starts again today at 13:30."
    assert DEFAULT.status("en", at(2026, 11, 30, 20)) == \
        "Outside working hours: work starts again tomorrow at 9:00."
    assert DEFAULT.status("en", at(2026, 12, 25, 10)) == (
        "Public holiday (Christmas Day): work starts again on Monday 28 December at 9:00.")


# -- per account -----------------------------------------------------------------------------


def test_an_account_inherits_what_it_does_not_set() -> None:
    config = parse_config({
        "hours": {"timezone": "Europe/Paris", "region": "alsace-moselle",
                  "week": {"mer": "off"}, "urgent": ["boss@*"]},
        "accounts": [
            {"name": "a"},
            {"name": "b", "hours": {"ranges": "08:00-16:00", "week": {"ven": "08:00-12:00"}}},
            {"name": "c", "hours": {"timezone": "America/Guadeloupe"}},
        ]})
    a, b, c = config.accounts
    assert working_time(config, a) is config.section("hours")
    wb = working_time(config, b)
    assert wb.tz.key == "Europe/Paris" and wb.region == "6AE" and wb.urgent == ("boss@*",)
    assert wb.week[0] == ((480, 960),) and wb.week[2] == () and wb.week[4] == ((480, 720),)
    assert working_time(config, b) is wb  # cached
    assert working_time(config, c).tz.key == "America/Guadeloupe"
    assert working_time(config, None) is config.section("hours")
    alone = parse_config({"accounts": [{"name": "x", "hours": {"ranges": "7-15"}}]})
    assert working_time(alone, alone.accounts[0]).week[0] == ((420, 900),)
    assert parse_config({}).section("hours") == DEFAULT
    # Without [hours], every call gets the same object (and so the same day cache).
    assert parse_config({}).section("hours") is parse_config({}).section("hours")
