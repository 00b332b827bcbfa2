"""After-hours facts: did a message arrive or leave outside the person's working time?

The weekly report shows volume per day, an hour × weekday heatmap and the after-hours share;
for that it needs, per message, only the local date and hour, the direction and the verdict,
never who wrote or what. A :class:`Fact` is exactly that, computed once when the message is
triaged (with the working time in force then), so the report does not depend on later edits
of the hours.

"After hours" means outside the working day: evenings, nights, rest days, holidays, leave.
The lunch break between two ranges of a working day is not after hours (it is not what the
right to disconnect is about, and flagging every midday message would drown the flag).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from accalmie.disconnect.hours import DayKind, Period, WorkingTime, to_utc

DIRECTIONS = ("in", "out")


@dataclass(frozen=True, slots=True)
class Fact:
    direction: str  # "in" (received) | "out" (sent)
    day: date  # local date in the person's time zone
    hour: int  # local hour, 0–23
    after_hours: bool
    day_kind: str  # DayKind value: work | rest | holiday | leave | off


def is_after_hours(msg_date: datetime | None, working_time: WorkingTime) -> bool:
    """The *hors horaires* flag: outside the working day (not the lunch break).

    No date (a broken Date header) is not after hours: the flag must not be a guess.
    """
    fact = after_hours_fact(msg_date, working_time, "in")
    return fact is not None and fact.after_hours


def after_hours_fact(msg_date: datetime | None, working_time: WorkingTime,
                     direction: str) -> Fact | None:
    """The fact to store for one message; None without a usable date."""
    if direction not in DIRECTIONS:
        raise ValueError(f"direction must be 'in' or 'out', not {direction!r}")
    if msg_date is None:
        return None
    try:
        at = to_utc(msg_date)
        local = at.astimezone(working_time.tz)
        period = working_time.period(at)
        kind = working_time.day_kind(local.date())
    except (OverflowError, ValueError):
        return None
    return Fact(direction=direction, day=local.date(), hour=local.hour,
                after_hours=period in (Period.OFF_HOURS, Period.DAY_OFF),
                day_kind=DayKind(kind).value)


__all__ = ["DIRECTIONS", "Fact", "after_hours_fact", "is_after_hours"]
