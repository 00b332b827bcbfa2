"""Commands of send-later and digests: ``send-later``, ``outbox …`` and ``digest``.

The clock is the system's, unless ``ACCALMIE_NOW`` holds an ISO instant (tests and demos
travel in time with it, as the service's code takes its clock as a parameter).
"""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from accalmie import service
from accalmie.cli.common import (
    AccountOpt,
    ConfigOpt,
    DbOpt,
    LangOpt,
    VerboseOpt,
    _prepare,
    app,
)
from accalmie.cli.ui import EXIT_FAILED, console, handle_errors
from accalmie.config import Account, Config, ConfigError
from accalmie.i18n import _, current_language, set_language

MAX_FILE = 50 * 1024 * 1024

outbox_app = typer.Typer(no_args_is_help=False, help=_(
    "Messages waiting to be sent later: list them, retry or cancel one, send what is due."))
app.add_typer(outbox_app, name="outbox")


def _clock() -> Any:
    from accalmie.disconnect.clock import ManualClock, SystemClock

    fixed = os.environ.get("ACCALMIE_NOW", "").strip()
    if not fixed:
        return SystemClock()
    try:
        at = datetime.fromisoformat(fixed)
    except ValueError:
        raise ConfigError(_("ACCALMIE_NOW: {value!r} is not a date and time.").format(
            value=fixed[:40])) from None
    if at.tzinfo is None:
        raise ConfigError(_("ACCALMIE_NOW needs a time zone offset (e.g. +01:00)."))
    return ManualClock(at)


def _accounts(config: Config, name: str | None) -> list[Account]:
    if name or len(config.accounts) < 2:
        return [config.account(name)]
    return list(config.accounts)


def _local(at: datetime | None, config: Config, account: Account) -> str:
    if at is None:
        return "—"
    from accalmie.disconnect.hours import working_time
    from accalmie.disconnect.hours_text import format_clock, format_day

    lang = current_language()
    local = at.astimezone(working_time(config, account).tz)
    return _("{day} at {time}").format(day=format_day(local.date(), lang),
                                       time=format_clock(local, lang))


def parse_at(text: str, config: Config, account: Account) -> datetime:
    """``--at``: "2026-12-01 09:00" in the sender's time zone, or an ISO instant."""
    from datetime import UTC

    from accalmie.disconnect.hours import working_time

    try:
        at = datetime.fromisoformat(text.strip().replace("h", ":", 1) if "h" in text else
                                    text.strip())
    except ValueError:
        raise ConfigError(_("--at: {value!r} is not a date and time; write it like "
                            "\"2026-12-01 09:00\".").format(value=text[:40])) from None
    if at.tzinfo is None:
        at = at.replace(tzinfo=working_time(config, account).tz)
    return at.astimezone(UTC)


@app.command("send-later", help=_(
    "Queue a finished message (.eml file) to be sent at your next working window (and, when "
    "known, the recipients'), or at the time given with --at."))
@handle_errors
def send_later(
    file: Annotated[Path, typer.Argument(help=_("The message, as an .eml file."),
                                         dir_okay=False)],
    at: Annotated[str | None, typer.Option(
        "--at", help=_("When to send it, in your time zone: \"2026-12-01 09:00\"."))] = None,
    account: AccountOpt = None, config_path: ConfigOpt = None, db: DbOpt = None,
    lang: LangOpt = None, verbose: VerboseOpt = False,
) -> None:
    from accalmie.disconnect.outbox import enqueue_file

    config = _prepare(lang, config_path, verbose)
    acc = config.account(account)
    try:
        if file.stat().st_size > MAX_FILE:
            raise ConfigError(_("{path} is too big to be sent.").format(path=file))
        raw = file.read_bytes()
    except OSError as exc:
        raise ConfigError(_("Cannot read {path}: {error}").format(
            path=file, error=exc.strerror or exc.__class__.__name__)) from None
    when = parse_at(at, config, acc) if at else None
    store = service.open_store(config, db)
    try:
        item, new = enqueue_file(config, acc, store, _clock(), raw, at=when)
    finally:
        store.close()
    text = _("Queued as number {id}: it will leave {when}.") if new else \
        _("Already queued as number {id}: it will leave {when}.")
    console.print(text.format(id=item.id, when=_local(item.due_at, config, acc)),
                  highlight=False)
    console.print(_("The watch service (or `accalmie outbox run`) sends it at that time."))


def _row(item: Any, config: Config, account: Account, lang: str) -> dict[str, Any]:
    from accalmie.disconnect.outbox import describe_notes, describe_problem, state_label

    return {
        "id": item.id, "state": item.state, "state_label": state_label(item.state, lang),
        "due_at": item.due_at.isoformat() if item.due_at else None,
        "when": _local(item.sent_at if item.sent_at else item.due_at, config, account),
        "recipients": list(item.recipients), "subject": item.subject,
        "message_id": item.message_id, "problem": describe_problem(item, lang),
        "notes": describe_notes(item, lang), "smtp_answer": item.smtp_answer,
    }


@outbox_app.command("list", help=_("Show the messages waiting to be sent, and their problems."))
@handle_errors
def outbox_list_cmd(
    show_all: Annotated[bool, typer.Option(
        "--all", help=_("Also the messages already sent or cancelled."))] = False,
    as_json: Annotated[bool, typer.Option("--json", help=_("Print one JSON object."))] = False,
    account: AccountOpt = None, config_path: ConfigOpt = None, db: DbOpt = None,
    lang: LangOpt = None, verbose: VerboseOpt = False,
) -> None:
    from accalmie.store.outbox import OPEN_STATES, outbox_list

    config = _prepare(lang, config_path, verbose)
    lang_now = current_language()
    store = service.open_store(config, db)
    rows: list[tuple[Account, dict[str, Any]]] = []
    try:
        for acc in _accounts(config, account):
            items = outbox_list(store, store.account_id(acc.name),
                                None if show_all else OPEN_STATES)
            rows += [(acc, _row(i, config, acc, lang_now)) for i in items]
    finally:
        store.close()
    if as_json:
        print(json.dumps({"items": [dict(r, account=a.name) for a, r in rows]},
                         ensure_ascii=False))
        return
    if not rows:
        console.print(_("The outbox is empty."))
        return
    table = Table(title=_("Outbox"), title_justify="left")
    for column in (_("No."), _("State"), _("When"), _("To"), _("Subject"), _("Note")):
        table.add_column(column)
    for _acc, r in rows:
        note = "; ".join(x for x in [r["problem"], *r["notes"]] if x)
        style = "bold red" if r["state"] in ("failed", "invalid", "uncertain") else None
        table.add_row(str(r["id"]), r["state_label"], r["when"],
                      ", ".join(r["recipients"][:3]), r["subject"][:60], note, style=style)
    console.print(table)


@outbox_app.command("retry", help=_(
    "Put a refused message back in the queue (an uncertain one needs --force)."))
@handle_errors
def outbox_retry(
    number: Annotated[int, typer.Argument(help=_("Its number in `accalmie outbox list`."))],
    force: Annotated[bool, typer.Option("--force", help=_(
        "Send it again even though it may have been delivered (you checked it was not)."))
    ] = False,
    account: AccountOpt = None, config_path: ConfigOpt = None, db: DbOpt = None,
    lang: LangOpt = None, verbose: VerboseOpt = False,
) -> None:
    from accalmie.disconnect.outbox import retry_item

    config = _prepare(lang, config_path, verbose)
    acc = config.account(account)
    store = service.open_store(config, db)
    try:
        item = retry_item(config, acc, store, _clock(), number, force=force)
    finally:
        store.close()
    console.print(_("Number {id} is queued again: it will leave {when}.").format(
        id=item.id, when=_local(item.due_at, config, acc)), highlight=False)


@outbox_app.command("cancel", help=_(
    "Cancel a message that has not left (it stays in the queue folder, never deleted)."))
@handle_errors
def outbox_cancel(
    number: Annotated[int, typer.Argument(help=_("Its number in `accalmie outbox list`."))],
    account: AccountOpt = None, config_path: ConfigOpt = None, db: DbOpt = None,
    lang: LangOpt = None, verbose: VerboseOpt = False,
) -> None:
    from accalmie.disconnect.outbox import cancel_item

    config = _prepare(lang, config_path, verbose)
    acc = config.account(account)
    store = service.open_store(config, db)
    try:
        cancel_item(acc, store, _clock(), number)
    finally:
        store.close()
    console.print(_("Number {id} is cancelled; it will not be sent.").format(id=number))


@outbox_app.command("run", help=_(
    "Send the messages that are due now (what the watch service does on each tick)."))
@handle_errors
def outbox_run(
    account: AccountOpt = None, config_path: ConfigOpt = None, db: DbOpt = None,
    lang: LangOpt = None, verbose: VerboseOpt = False,
) -> None:
    from accalmie.disconnect.outbox import process_due

    config = _prepare(lang, config_path, verbose)
    store = service.open_store(config, db)
    failed = False
    try:
        for acc in _accounts(config, account):
            report = process_due(config, acc, store, _clock())
            console.print(f"{acc.name}: {report.render(current_language())}", highlight=False)
            if report.next_due is not None:
                console.print(_("Next sending: {when}.").format(
                    when=_local(report.next_due, config, acc)), highlight=False)
            for line in report.problems:
                console.print(f"  ! {line}", highlight=False, style="red")
            failed = failed or bool(report.failed or report.uncertain)
    finally:
        store.close()
    if failed:
        raise typer.Exit(EXIT_FAILED)


@outbox_app.callback(invoke_without_command=True)
def outbox_default(ctx: typer.Context, lang: LangOpt = None) -> None:
    """Without a sub-command: the list."""
    if lang:
        set_language(lang)
    if ctx.invoked_subcommand is None:
        ctx.invoke(outbox_list_cmd)


@app.command("digest", help=_(
    "Deliver the digest that is due (at the times of [digest] times); --now for one now; "
    "--html FILE to write it as a web page (alone: a preview, nothing delivered)."))
@handle_errors
def digest(
    now: Annotated[bool, typer.Option("--now", help=_("A digest now, whatever the time."))
                   ] = False,
    html: Annotated[Path | None, typer.Option(
        "--html", help=_("Write the digest as an HTML file here."), dir_okay=False)] = None,
    account: AccountOpt = None, config_path: ConfigOpt = None, db: DbOpt = None,
    lang: LangOpt = None, verbose: VerboseOpt = False,
) -> None:
    from accalmie.disconnect.digest import send_due, send_now

    config = _prepare(lang, config_path, verbose)
    store = service.open_store(config, db)
    failed = False
    try:
        for acc in _accounts(config, account):
            if now or html is not None:
                report = send_now(config, acc, store, _clock(), deliver=now, html_path=html,
                                  lang=lang)
            else:
                report = send_due(config, acc, store, _clock(), lang=lang)
            console.print(f"{acc.name}: {report.render(current_language())}", highlight=False)
            failed = failed or bool(report.error)
    finally:
        store.close()
    if failed:
        raise typer.Exit(EXIT_FAILED)
