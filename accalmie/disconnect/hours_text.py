"""Working time in plain words: "Demain (mardi 1er décembre), de 9 h à 12 h 30".

Day and month names are data, not messages: they live here for French and English (the two
languages of the product) so that a date reads the same in the terminal, the digest and the
dashboard, with no locale installed on the machine.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from accalmie.i18n import N_, gettext_for, normalise

if TYPE_CHECKING:
    from accalmie.disconnect.hours import WorkingTime

WEEKDAYS = {
    "fr": ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}
MONTHS = {
    "fr": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
           "septembre", "octobre", "novembre", "décembre"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
}

NOW_UNTIL = N_("Now, until {end}")
TODAY = N_("Today")
TOMORROW = N_("Tomorrow ({day})")
SPAN = N_("from {start} to {end}")
LINE = N_("{when}, {span}")
AT_WORK = N_("At work until {end}.")
WHY_BREAK = N_("Break")
WHY_OFF_HOURS = N_("Outside working hours")
WHY_REST = N_("Rest day")
WHY_HOLIDAY = N_("Public holiday ({name})")
WHY_LEAVE = N_("On leave until {date} included")
WHY_LEAVE_LABEL = N_("On leave ({label}) until {date} included")
WHY_OFF = N_("Day off")
RESUMES = N_("{why}: work starts again {when}.")
NO_WINDOW = N_("{why}: no working window in the next ten years.")
WHEN_TODAY = N_("today at {time}")
WHEN_TOMORROW = N_("tomorrow at {time}")
WHEN_DAY = N_("on {day} at {time}")


def _lang(lang: str | None) -> str:
    return normalise(lang) if lang else normalise(None)


def format_clock(local: datetime, lang: str | None) -> str:
    """"9 h", "12 h 30" in French; "9:00", "12:30" in English."""
    if _lang(lang) == "fr":
        return f"{local.hour} h" if not local.minute else f"{local.hour} h {local.minute:02d}"
    return f"{local.hour}:{local.minute:02d}"


def format_day(d: date, lang: str | None, *, year: bool = False) -> str:
    """"mardi 1er décembre" / "Tuesday 1 December" (with the year when asked)."""
    code = _lang(lang)
    if code == "fr":
        num = "1er" if d.day == 1 else str(d.day)
        text = f"{WEEKDAYS['fr'][d.weekday()]} {num} {MONTHS['fr'][d.month - 1]}"
    else:
        text = f"{WEEKDAYS['en'][d.weekday()]} {d.day} {MONTHS['en'][d.month - 1]}"
    return f"{text} {d.year}" if year else text


def format_date(d: date, lang: str | None) -> str:
    """"1er décembre 2026" / "1 December 2026" (no weekday)."""
    code = _lang(lang)
    num = "1er" if code == "fr" and d.day == 1 else str(d.day)
    return f"{num} {MONTHS[code][d.month - 1]} {d.year}"


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _end_text(start: datetime, end: datetime, lang: str | None) -> str:
    """The end of a window (local times): a time, or a day and time when it ends another day."""
    days = (end.date() - start.date()).days
    if days == 0:
        return format_clock(end, lang)
    if days == 1 and end.hour == 0 and end.minute == 0:
        return "24 h" if _lang(lang) == "fr" else "24:00"
    if days == 1:
        return f"{WEEKDAYS[_lang(lang)][end.weekday()]} {format_clock(end, lang)}"
    return f"{format_day(end.date(), lang)} {format_clock(end, lang)}"


def describe_windows(wt: WorkingTime, lang: str | None, at: datetime, n: int) -> list[str]:
    t = lambda msg: gettext_for(lang, msg)  # noqa: E731
    now_local = at.astimezone(wt.tz)
    today = now_local.date()
    lines: list[str] = []
    horizon = at + timedelta(days=400)
    for start, end in wt.windows(at, horizon):
        if len(lines) >= max(0, n):
            break
        s_local, e_local = start.astimezone(wt.tz), end.astimezone(wt.tz)
        if start <= at:
            lines.append(t(NOW_UNTIL).format(end=_end_text(now_local, e_local, lang)))
            continue
        day = s_local.date()
        label = format_day(day, lang, year=day.year != today.year)
        if day == today:
            when = t(TODAY)
        elif day == today + timedelta(days=1):
            when = t(TOMORROW).format(day=label)
        else:
            when = _cap(label)
        span = t(SPAN).format(start=format_clock(s_local, lang),
                              end=_end_text(s_local, e_local, lang))
        lines.append(t(LINE).format(when=when, span=span))
    return lines


def _when(wt: WorkingTime, lang: str | None, at: datetime, start: datetime) -> str:
    t = lambda msg: gettext_for(lang, msg)  # noqa: E731
    today = at.astimezone(wt.tz).date()
    local = start.astimezone(wt.tz)
    clock = format_clock(local, lang)
    if local.date() == today:
        return t(WHEN_TODAY).format(time=clock)
    if local.date() == today + timedelta(days=1):
        return t(WHEN_TOMORROW).format(time=clock)
    return t(WHEN_DAY).format(day=format_day(local.date(), lang,
                                             year=local.year != today.year), time=clock)


def describe_status(wt: WorkingTime, lang: str | None, at: datetime) -> str:
    from accalmie.disconnect.hours import DayKind, Period

    t = lambda msg: gettext_for(lang, msg)  # noqa: E731
    period = wt.period(at)
    if period is Period.WORK:
        end = wt.window_end(at)
        now_local = at.astimezone(wt.tz)
        return t(AT_WORK).format(end=_end_text(now_local, end.astimezone(wt.tz), lang)
                                 if end else "?")
    d = at.astimezone(wt.tz).date()
    kind = wt.day_kind(d)
    if period is Period.BREAK:
        why = t(WHY_BREAK)
    elif period is Period.OFF_HOURS:
        why = t(WHY_OFF_HOURS)
    elif kind is DayKind.HOLIDAY:
        why = t(WHY_HOLIDAY).format(name=wt.holiday_name(d, _lang(lang)))
    elif kind is DayKind.LEAVE:
        lv = wt.leave_at(d)
        last = wt.leave_until(d) or d
        if lv and lv.label:
            why = t(WHY_LEAVE_LABEL).format(label=lv.label, date=format_date(last, lang))
        else:
            why = t(WHY_LEAVE).format(date=format_date(last, lang))
    elif kind is DayKind.OFF:
        why = t(WHY_OFF)
    else:
        why = t(WHY_REST)
    start = wt.next_start(at)
    if start - at >= timedelta(days=3650):
        return t(NO_WINDOW).format(why=why)
    return t(RESUMES).format(why=why, when=_when(wt, lang, at, start))
