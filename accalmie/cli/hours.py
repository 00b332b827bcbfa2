"""`accalmie hours`: see and change working time (the right-to-disconnect policy).

``accalmie hours`` (or ``--show``) prints the next working windows in plain words; ``set``,
``leave``, ``exception`` and ``urgent`` edit the [hours] table of the configuration file (or an
account's ``[accounts.hours]`` with ``--account``), which stays the one source of truth: the
rest of the file, comments included, is kept as it is.
"""

from __future__ import annotations

import json
import os
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from accalmie.cli.common import ConfigOpt, LangOpt, VerboseOpt, _prepare, app
from accalmie.cli.ui import console, handle_errors, setup_logging
from accalmie.config import DEFAULT_CONFIG_PATH, Config, ConfigError
from accalmie.disconnect.clock import SystemClock
from accalmie.disconnect.holidays import FR_REGION_NAMES
from accalmie.disconnect.hours import WorkingTime, merge_raw, working_time
from accalmie.disconnect.hours_config import DAY_LABELS, build, parse_timezone, ranges_text
from accalmie.disconnect.hours_file import current_table, read_document, write_table
from accalmie.disconnect.hours_text import format_date
from accalmie.disconnect.timespec import (
    SpecError,
    format_ranges,
    parse_date,
    parse_days,
    parse_ranges,
)
from accalmie.i18n import _, current_language, set_language

hours_app = typer.Typer(
    no_args_is_help=False, invoke_without_command=True,
    help=_("Working time: days, hours, time zone, public holidays, leave and exceptions. "
           "Without a sub-command, show the next working windows."))
leave_app = typer.Typer(no_args_is_help=True, help=_("Leave periods: no mail reaches you."))
exception_app = typer.Typer(no_args_is_help=True, help=_(
    "Exceptions: a date worked with its own hours, or a day off."))
urgent_app = typer.Typer(no_args_is_help=True, help=_(
    "Urgent senders: their mail is never held (patterns with *)."))
app.add_typer(hours_app, name="hours")
hours_app.add_typer(leave_app, name="leave")
hours_app.add_typer(exception_app, name="exception")
hours_app.add_typer(urgent_app, name="urgent")

HoursAccountOpt = Annotated[str | None, typer.Option(
    "--account", "-a", help=_("Edit or show this account's own hours ([accounts.hours]) "
                              "instead of the shared [hours]."))]
JsonOpt = Annotated[bool, typer.Option("--json", help=_("Print one JSON object."))]
AtOpt = Annotated[str | None, typer.Option(
    "--at", help=_("Show as if it were this date and time (2026-12-24T18:00, local time)."))]
CountOpt = Annotated[int, typer.Option("--count", "-n", min=1, max=100,
                                       help=_("How many windows to show."))]
UPCOMING_DAYS = 60


# -- helpers ---------------------------------------------------------------------------------


def _spec(func: Any, *args: Any, option: str) -> Any:
    """Run a parser of what the user typed; a mistake becomes a ConfigError naming the option."""
    try:
        return func(*args)
    except SpecError as exc:
        raise ConfigError(f"{option}: {exc}") from None


def _day_ranges(text: str) -> Any:
    return parse_ranges(text, allow_off=False)


def _target(config_path: Path | None) -> Path:
    return Path(config_path) if config_path else DEFAULT_CONFIG_PATH


def _edit_start(lang: str | None, config_path: Path | None, verbose: bool
                ) -> tuple[Path, dict[str, Any]]:
    """Read the file for an edit without loading it: a broken [hours] must stay fixable."""
    setup_logging(verbose)
    path = _target(config_path)
    _text, data = read_document(path)
    if lang:
        set_language(lang)
    elif not os.environ.get("ACCALMIE_LANG"):
        general = data.get("general")
        if isinstance(general, dict) and isinstance(general.get("language"), str):
            set_language(general["language"])
    return path, data


def _save(path: Path, account: str | None, table: dict[str, Any]) -> WorkingTime:
    where = "hours." if account is None else f"{account}.hours."
    wt = build(table, path, where)  # refuse to write what would not load
    if account is not None:
        _text, data = read_document(path)
        top = data.get("hours")
        if isinstance(top, dict):  # what the account will really run with
            wt = build(merge_raw(top, table), path, where)
    write_table(path, account, table)
    return wt


def _parse_at(text: str | None, wt: WorkingTime) -> datetime:
    if not text:
        return SystemClock().now()
    raw = text.strip().replace(" ", "T", 1)
    try:
        value = datetime.fromisoformat(raw)
    except ValueError:
        try:
            value = datetime.combine(parse_date(text), datetime.min.time())
        except SpecError:
            raise ConfigError(_("--at: not a date and time: {value!r} (write "
                                "2026-12-24T18:00)").format(value=text)) from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=wt.tz)
    return value


def _resolve(config: Config, account: str | None) -> tuple[WorkingTime, str | None]:
    if account is not None:
        acc = config.account(account)
        return working_time(config, acc), acc.name
    if config.accounts and "hours" in config.accounts[0].sections:
        acc = config.accounts[0]
        return working_time(config, acc), acc.name
    return config.section("hours"), None


def _week_rows(wt: WorkingTime) -> list[tuple[str, str]]:
    """Consecutive days with the same ranges on one row: "lun–ven  09:00-12:30, 13:30-17:30"."""
    rows: list[tuple[str, str]] = []
    i = 0
    while i < 7:
        j = i
        while j + 1 < 7 and wt.week[j + 1] == wt.week[i]:
            j += 1
        days = DAY_LABELS[i] if i == j else f"{DAY_LABELS[i]}–{DAY_LABELS[j]}"
        rows.append((days, ranges_text(wt.week[i]) if wt.week[i] else _("not worked")))
        i = j + 1
    return rows


def _holidays_text(wt: WorkingTime) -> str:
    if not wt.country:
        return _("none")
    region = wt.raw.get("region") or (_("metropolitan France") if wt.country == "FR"
                                      else wt.country)
    text = f"{wt.country} — {region}" if wt.country != "FR" else str(region)
    if wt.solidarity_day:
        day = _("Whit Monday") if wt.solidarity_day == "whit-monday" else wt.solidarity_day
        text += " · " + _("solidarity day worked: {day}").format(day=day)
    return text


def _upcoming_holidays(wt: WorkingTime, start: date, days: int, lang: str
                       ) -> list[tuple[date, str, bool]]:
    out = []
    for k in range(days):
        d = start + timedelta(days=k)
        name = wt.holiday_name(d, lang)
        if name:
            out.append((d, name, wt.is_holiday(d)))
    return out


# -- show ------------------------------------------------------------------------------------


def _show(config: Config, account: str | None, at_text: str | None, count: int,
          as_json: bool) -> None:
    wt, acc_name = _resolve(config, account)
    lang = current_language()
    at = _parse_at(at_text, wt)
    today = at.astimezone(wt.tz).date()
    windows = list(wt.windows(at, at + timedelta(days=400)))[:count]
    holidays = _upcoming_holidays(wt, today, UPCOMING_DAYS, lang)
    leave = [lv for lv in wt.leave if lv.end >= today]
    exceptions = [(d, r) for d, r in wt.exceptions if d >= today]
    if as_json:
        print(json.dumps({
            "account": acc_name, "timezone": wt.tz.key, "at": at.isoformat(),
            "working": wt.is_working(at), "period": wt.period(at).value,
            "status": wt.status(lang, at), "next_start": wt.next_start(at).isoformat(),
            "window_end": (lambda e: e.isoformat() if e else None)(wt.window_end(at)),
            "windows": [{"start": s.astimezone(wt.tz).isoformat(),
                         "end": e.astimezone(wt.tz).isoformat()} for s, e in windows],
            "week": {DAY_LABELS[i]: format_ranges(wt.week[i]) for i in range(7)},
            "country": wt.country, "region": wt.region, "solidarity_day": wt.solidarity_day,
            "holidays": [{"date": d.isoformat(), "name": n, "off": off}
                         for d, n, off in holidays],
            "leave": [{"start": lv.start.isoformat(), "end": lv.end.isoformat(),
                       "label": lv.label} for lv in leave],
            "exceptions": [{"date": d.isoformat(), "ranges": format_ranges(r)}
                           for d, r in exceptions],
            "urgent": list(wt.urgent),
        }, ensure_ascii=False))
        return
    title = _("Working time") + f" — {wt.tz.key}"
    if acc_name:
        title += " " + _("(account {name})").format(name=acc_name)
    console.print(f"[bold]{title}[/]", highlight=False)
    console.print(wt.status(lang, at), highlight=False)
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold")
    grid.add_column()
    for days, text in _week_rows(wt):
        grid.add_row(days, text)
    grid.add_row(_("Public holidays"), _holidays_text(wt))
    if wt.urgent:
        grid.add_row(_("Urgent senders"), ", ".join(wt.urgent))
    console.print(grid)
    console.print(f"\n[bold]{_('Next working windows')}[/]")
    for line in wt.describe(lang, at, count):
        console.print(f"  • {line}", highlight=False)
    if leave:
        console.print(f"\n[bold]{_('Leave')}[/]")
        for lv in leave:
            label = f" ({lv.label})" if lv.label else ""
            console.print(f"  • {format_date(lv.start, lang)} → {format_date(lv.end, lang)}"
                          f"{label}", highlight=False)
    if exceptions:
        console.print(f"\n[bold]{_('Exceptions')}[/]")
        for d, r in exceptions:
            console.print(f"  • {format_date(d, lang)} : "
                          f"{ranges_text(r) if r else _('off')}", highlight=False)
    if holidays:
        head = _("Public holidays in the next {n} days").format(n=UPCOMING_DAYS)
        console.print(f"\n[bold]{head}[/]")
        for d, name, off in holidays:
            note = "" if off else " — " + _("worked (solidarity day)")
            console.print(f"  • {format_date(d, lang)} : {name}{note}", highlight=False)


@hours_app.callback()
@handle_errors
def hours(
    ctx: typer.Context,
    show: Annotated[bool, typer.Option("--show", help=_(
        "Show the working time and the next windows (the default)."))] = False,
    at: AtOpt = None, count: CountOpt = 6, as_json: JsonOpt = False,
    account: HoursAccountOpt = None, config_path: ConfigOpt = None, lang: LangOpt = None,
    verbose: VerboseOpt = False,
) -> None:
    if ctx.invoked_subcommand is not None:
        if lang:
            set_language(lang)
        return
    config = _prepare(lang, config_path, verbose)
    _show(config, account, at, count, as_json)


@hours_app.command("show", help=_("Show the working time and the next windows."))
@handle_errors
def show_cmd(
    at: AtOpt = None, count: CountOpt = 6, as_json: JsonOpt = False,
    account: HoursAccountOpt = None, config_path: ConfigOpt = None, lang: LangOpt = None,
    verbose: VerboseOpt = False,
) -> None:
    config = _prepare(lang, config_path, verbose)
    _show(config, account, at, count, as_json)


@hours_app.command("holidays", help=_("List the public holidays of a year for your region."))
@handle_errors
def holidays_cmd(
    year: Annotated[int | None, typer.Option("--year", min=1900, max=2200,
                                             help=_("The year (default: this year)."))] = None,
    account: HoursAccountOpt = None, config_path: ConfigOpt = None, lang: LangOpt = None,
) -> None:
    config = _prepare(lang, config_path)
    wt, _name = _resolve(config, account)
    lang_now = current_language()
    y = year or SystemClock().now().astimezone(wt.tz).year
    start = date(y, 1, 1)
    found = _upcoming_holidays(wt, start, (date(y + 1, 1, 1) - start).days, lang_now)
    if not found:
        console.print(_("No public holidays (public_holidays = false or no country)."))
    for d, name, off in found:
        note = "" if off else " — " + _("worked (solidarity day)")
        console.print(f"{d.isoformat()}  {name}{note}", highlight=False)


# -- set -------------------------------------------------------------------------------------


@hours_app.command("set", help=_(
    "Change days, hours, time zone or region; keys not given are kept. Example: accalmie "
    "hours set --days lun-ven --ranges 9:00-12:30,13:30-17:30 --tz Europe/Paris"))
@handle_errors
def set_cmd(
    days: Annotated[str | None, typer.Option("--days", help=_(
        "Working days: lun-ven, mon-fri, lun,mar,jeu…"))] = None,
    ranges: Annotated[str | None, typer.Option("--ranges", help=_(
        "Hours of each working day: 9:00-12:30,13:30-17:30 (22:00-06:00: a night shift)."))
    ] = None,
    day: Annotated[list[str] | None, typer.Option("--day", help=_(
        "Hours of one weekday over --ranges: mer=9:00-12:00, sam=off (repeatable; "
        "mer=default removes it)."))] = None,
    tz: Annotated[str | None, typer.Option("--tz", "--timezone", help=_(
        "Time zone (IANA name): Europe/Paris, America/Guadeloupe…"))] = None,
    region: Annotated[str | None, typer.Option("--region", help=_(
        "Public holidays of: {choices}.").format(choices=", ".join(FR_REGION_NAMES)))] = None,
    country: Annotated[str | None, typer.Option("--country", help=_(
        "Country of the public holidays (ISO code, default FR)."))] = None,
    public_holidays: Annotated[bool | None, typer.Option(
        "--holidays/--no-holidays", help=_("Public holidays are days off (default) or not."))
    ] = None,
    solidarity_day: Annotated[str | None, typer.Option("--solidarity-day", help=_(
        "The public holiday worked as journée de solidarité: lundi-de-pentecote, 05-08…, "
        "or none."))] = None,
    reset: Annotated[bool, typer.Option("--reset", help=_(
        "Forget the days, hours and per-day hours first (back to the defaults: "
        "lun-ven 9:00-12:30, 13:30-17:30)."))] = False,
    account: HoursAccountOpt = None, config_path: ConfigOpt = None, lang: LangOpt = None,
    verbose: VerboseOpt = False,
) -> None:
    path, data = _edit_start(lang, config_path, verbose)
    table = current_table(data, account)
    if reset:
        for key in ("days", "ranges", "week"):
            table.pop(key, None)
    if days is not None:
        _spec(parse_days, days, option="--days")
        table["days"] = days.strip()
    if ranges is not None:
        parsed = _spec(_day_ranges, ranges, option="--ranges")
        table["ranges"] = format_ranges(parsed)
    for item in day or []:
        key, sep, value = item.partition("=")
        if not sep:
            raise ConfigError(_("--day: write DAY=HOURS, such as mer=9:00-12:00 or sam=off"))
        key = key.strip()
        _spec(parse_days, key, option="--day")
        week = dict(table.get("week", {})) if isinstance(table.get("week"), dict) else {}
        if value.strip().lower() in ("default", "defaut", "défaut"):
            week.pop(key, None)
        else:
            parsed = _spec(parse_ranges, value, option="--day")
            week[key] = format_ranges(parsed) if parsed else "off"
        table["week"] = week
        if not week:
            table.pop("week")
    if tz is not None:
        _spec(parse_timezone, tz, option="--tz")
        table["timezone"] = tz.strip()
    if region is not None:
        table["region"] = region.strip()
    if country is not None:
        table["country"] = country.strip().upper()
    if public_holidays is not None:
        table["public_holidays"] = public_holidays
    if solidarity_day is not None:
        table["solidarity_day"] = solidarity_day.strip()
    wt = _save(path, account, table)
    console.print(_("Working time saved in {path}.").format(path=path), highlight=False)
    console.print(wt.status(current_language(), SystemClock().now()), highlight=False)


# -- leave -----------------------------------------------------------------------------------


def _leave_list(table: dict[str, Any]) -> list[dict[str, Any]]:
    """The leave periods in the canonical form written to the file."""
    wt = build({"leave": table.get("leave", [])}, None, "hours.")
    out = []
    for lv in wt.leave:
        item: dict[str, Any] = {"start": lv.start, "end": lv.end}
        if lv.label:
            item["label"] = lv.label
        out.append(item)
    return out


@leave_app.command("add", help=_("Add a leave period: START [END] (dates included)."))
@handle_errors
def leave_add(
    start: Annotated[str, typer.Argument(help=_("First day of leave (2026-12-21)."))],
    end: Annotated[str | None, typer.Argument(help=_("Last day of leave (default: START)."))
                   ] = None,
    label: Annotated[str, typer.Option("--label", help=_("A name: Noël, été…"))] = "",
    account: HoursAccountOpt = None, config_path: ConfigOpt = None, lang: LangOpt = None,
    verbose: VerboseOpt = False,
) -> None:
    path, data = _edit_start(lang, config_path, verbose)
    first = _spec(parse_date, start, option="START")
    last = _spec(parse_date, end, option="END") if end else first
    if last < first:
        raise ConfigError(_("The leave ends ({end}) before it starts ({start}).").format(
            start=first.isoformat(), end=last.isoformat()))
    table = current_table(data, account)
    items = _leave_list(table)
    new: dict[str, Any] = {"start": first, "end": last}
    if label.strip():
        new["label"] = label.strip()
    if any(i["start"] == first and i["end"] == last for i in items):
        console.print(_("This leave period is already there."))
        return
    items.append(new)
    items.sort(key=lambda i: (i["start"], i["end"]))
    table["leave"] = items
    _save(path, account, table)
    lang_now = current_language()
    console.print(_("Leave added: {start} → {end}.").format(
        start=format_date(first, lang_now), end=format_date(last, lang_now)), highlight=False)


@leave_app.command("list", help=_("List the leave periods."))
@handle_errors
def leave_list(
    as_json: JsonOpt = False, account: HoursAccountOpt = None, config_path: ConfigOpt = None,
    lang: LangOpt = None,
) -> None:
    _path, data = _edit_start(lang, config_path, False)
    items = _leave_list(current_table(data, account))
    if as_json:
        print(json.dumps([{**i, "start": i["start"].isoformat(), "end": i["end"].isoformat()}
                          for i in items], ensure_ascii=False))
        return
    if not items:
        console.print(_("No leave period."))
    lang_now = current_language()
    for n, i in enumerate(items, 1):
        label = f" ({i['label']})" if i.get("label") else ""
        console.print(f"{n}. {format_date(i['start'], lang_now)} → "
                      f"{format_date(i['end'], lang_now)}{label}", highlight=False)


@leave_app.command("remove", help=_(
    "Remove the leave period that contains a date, or the one with this number in "
    "`leave list`."))
@handle_errors
def leave_remove(
    which: Annotated[str, typer.Argument(help=_("A date inside the period, or its number."))],
    account: HoursAccountOpt = None, config_path: ConfigOpt = None, lang: LangOpt = None,
    verbose: VerboseOpt = False,
) -> None:
    path, data = _edit_start(lang, config_path, verbose)
    table = current_table(data, account)
    items = _leave_list(table)
    if which.strip().isdigit() and len(which.strip()) < 4:
        n = int(which)
        if not 1 <= n <= len(items):
            raise ConfigError(_("No leave period number {n} (see `accalmie hours leave "
                                "list`).").format(n=n))
        keep = [i for k, i in enumerate(items, 1) if k != n]
    else:
        d = _spec(parse_date, which, option="DATE")
        keep = [i for i in items if not i["start"] <= d <= i["end"]]
        if len(keep) == len(items):
            raise ConfigError(_("No leave period contains {date}.").format(date=d.isoformat()))
    if keep:
        table["leave"] = keep
    else:
        table.pop("leave", None)
    _save(path, account, table)
    console.print(_("Leave removed."))


# -- exceptions ------------------------------------------------------------------------------


def _exception_list(table: dict[str, Any]) -> list[dict[str, Any]]:
    wt = build({"exceptions": table.get("exceptions", {})}, None, "hours.")
    labels: dict[date, str] = {}
    raw = table.get("exceptions")
    if isinstance(raw, list):
        for item in raw:
            if isinstance(item, dict) and isinstance(item.get("label"), str):
                labels[parse_date(item["date"])] = item["label"]
    out = []
    for d, r in wt.exceptions:
        item: dict[str, Any] = {"date": d}
        if r:
            item["ranges"] = format_ranges(r)
        else:
            item["off"] = True
        if labels.get(d):
            item["label"] = labels[d]
        out.append(item)
    return out


@exception_app.command("add", help=_(
    "Work a date with its own hours (--ranges), or take it off (--off)."))
@handle_errors
def exception_add(
    day: Annotated[str, typer.Argument(help=_("The date (2026-12-24)."))],
    ranges: Annotated[str | None, typer.Option("--ranges", help=_(
        "Hours worked that day: 9:00-12:00 (a Saturday, a holiday…)."))] = None,
    off: Annotated[bool, typer.Option("--off", help=_("Not worked that day."))] = False,
    label: Annotated[str, typer.Option("--label", help=_("Why (kept in the file)."))] = "",
    account: HoursAccountOpt = None, config_path: ConfigOpt = None, lang: LangOpt = None,
    verbose: VerboseOpt = False,
) -> None:
    path, data = _edit_start(lang, config_path, verbose)
    d = _spec(parse_date, day, option="DATE")
    if off == (ranges is not None):
        raise ConfigError(_("Give either --ranges or --off."))
    table = current_table(data, account)
    items = [i for i in _exception_list(table) if i["date"] != d]
    new: dict[str, Any] = {"date": d}
    if off:
        new["off"] = True
    else:
        parsed = _spec(_day_ranges, ranges, option="--ranges")
        new["ranges"] = format_ranges(parsed)
    if label.strip():
        new["label"] = label.strip()
    items.append(new)
    items.sort(key=lambda i: i["date"])
    table["exceptions"] = items
    _save(path, account, table)
    console.print(_("Exception saved for {date}.").format(
        date=format_date(d, current_language())), highlight=False)


@exception_app.command("list", help=_("List the exceptions."))
@handle_errors
def exception_list(
    as_json: JsonOpt = False, account: HoursAccountOpt = None, config_path: ConfigOpt = None,
    lang: LangOpt = None,
) -> None:
    _path, data = _edit_start(lang, config_path, False)
    items = _exception_list(current_table(data, account))
    if as_json:
        print(json.dumps([{**i, "date": i["date"].isoformat()} for i in items],
                         ensure_ascii=False))
        return
    if not items:
        console.print(_("No exception."))
    lang_now = current_language()
    for i in items:
        what = ", ".join(i["ranges"]) if "ranges" in i else _("off")
        label = f" ({i['label']})" if i.get("label") else ""
        console.print(f"{format_date(i['date'], lang_now)} : {what}{label}", highlight=False)


@exception_app.command("remove", help=_("Remove the exception of a date."))
@handle_errors
def exception_remove(
    day: Annotated[str, typer.Argument(help=_("The date (2026-12-24)."))],
    account: HoursAccountOpt = None, config_path: ConfigOpt = None, lang: LangOpt = None,
    verbose: VerboseOpt = False,
) -> None:
    path, data = _edit_start(lang, config_path, verbose)
    d = _spec(parse_date, day, option="DATE")
    table = current_table(data, account)
    items = _exception_list(table)
    keep = [i for i in items if i["date"] != d]
    if len(keep) == len(items):
        raise ConfigError(_("No exception on {date}.").format(date=d.isoformat()))
    if keep:
        table["exceptions"] = keep
    else:
        table.pop("exceptions", None)
    _save(path, account, table)
    console.print(_("Exception removed."))


# -- urgent senders --------------------------------------------------------------------------


def _urgent(table: dict[str, Any]) -> list[str]:
    return list(build({"urgent": table.get("urgent", [])}, None, "hours.").urgent)


@urgent_app.command("add", help=_("Never hold mail from these senders (*@chu.fr, boss@*)."))
@handle_errors
def urgent_add(
    patterns: Annotated[list[str], typer.Argument(help=_("Address patterns with *."))],
    account: HoursAccountOpt = None, config_path: ConfigOpt = None, lang: LangOpt = None,
    verbose: VerboseOpt = False,
) -> None:
    path, data = _edit_start(lang, config_path, verbose)
    table = current_table(data, account)
    items = _urgent(table)
    for p in patterns:
        p = p.strip().lower()
        if not p or len(p) > 320:
            raise ConfigError(_("Not an address pattern: {value!r}").format(value=p[:80]))
        if p not in items:
            items.append(p)
    table["urgent"] = items
    _save(path, account, table)
    console.print(_("Urgent senders: {list}").format(list=", ".join(items)), highlight=False)


@urgent_app.command("list", help=_("List the urgent senders."))
@handle_errors
def urgent_list(
    account: HoursAccountOpt = None, config_path: ConfigOpt = None, lang: LangOpt = None,
) -> None:
    _path, data = _edit_start(lang, config_path, False)
    items = _urgent(current_table(data, account))
    if not items:
        console.print(_("No urgent sender."))
    for p in items:
        console.print(p, highlight=False)


@urgent_app.command("remove", help=_("Remove urgent sender patterns."))
@handle_errors
def urgent_remove(
    patterns: Annotated[list[str], typer.Argument(help=_("Patterns to remove."))],
    account: HoursAccountOpt = None, config_path: ConfigOpt = None, lang: LangOpt = None,
    verbose: VerboseOpt = False,
) -> None:
    path, data = _edit_start(lang, config_path, verbose)
    table = current_table(data, account)
    items = _urgent(table)
    gone = {p.strip().lower() for p in patterns}
    missing = sorted(gone - set(items))
    if missing:
        raise ConfigError(_("Not in the urgent senders: {list}").format(list=", ".join(missing)))
    keep = [p for p in items if p not in gone]
    if keep:
        table["urgent"] = keep
    else:
        table.pop("urgent", None)
    _save(path, account, table)
    console.print(_("Urgent senders: {list}").format(list=", ".join(keep) or "—"),
                  highlight=False)
