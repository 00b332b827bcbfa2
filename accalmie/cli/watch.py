"""`accalmie watch` (the live service) and `accalmie release` (held mail, now)."""

from __future__ import annotations

import json
import logging
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from accalmie import service
from accalmie.cli.common import ConfigOpt, DbOpt, LangOpt, ProgressOpt, VerboseOpt, _prepare, app
from accalmie.cli.ui import (
    EXIT_CONFIG,
    EXIT_FAILED,
    EXIT_SERVER,
    EXIT_STORE,
    console,
    err_console,
    handle_errors,
    progress_bar,
)
from accalmie.config import Account, Config, ConfigError
from accalmie.i18n import _

AccountsOpt = Annotated[list[str] | None, typer.Option(
    "--account", "-a", help=_("Account name from the configuration (repeatable; default: "
                              "every account)."))]
JsonOpt = Annotated[bool, typer.Option("--json", help=_("Print one JSON object."))]

# Exit code for an account's last error kind, most serious first.
_EXIT_BY_KIND = (({"config"}, EXIT_CONFIG), ({"store"}, EXIT_STORE),
                 ({"unreachable", "auth", "tls", "server"}, EXIT_SERVER),
                 ({"folder", "hook", "internal"}, EXIT_FAILED))


def _accounts(config: Config, names: list[str] | None) -> list[Account]:
    if not config.accounts:
        raise ConfigError(_("No account is configured in {path}.").format(path=config.path))
    chosen = [config.account(n) for n in names] if names else list(config.accounts)
    missing = [a.name for a in chosen if not a.host]
    if missing:
        raise ConfigError(_("These accounts have no IMAP host, so they cannot be watched: "
                            "{names}.").format(names=", ".join(missing)))
    return chosen


@contextmanager
def _signals(handler: Any) -> Iterator[None]:
    """SIGTERM and SIGINT call ``handler`` (a clean stop) instead of killing the process."""
    wanted = (signal.SIGTERM, signal.SIGINT)
    old = {s: signal.getsignal(s) for s in wanted}
    for s in wanted:
        signal.signal(s, lambda _signum, _frame: handler())
    try:
        yield
    finally:
        for s, h in old.items():
            signal.signal(s, h)


def _exit_code(statuses: list[dict[str, Any]], once: bool) -> int:
    kinds = {s.get("error_kind") for s in statuses if s.get("state") == "error"
             or (once and s.get("last_error"))}
    for group, code in _EXIT_BY_KIND:
        if kinds & group:
            return code
    return 0


def _print_statuses(statuses: list[dict[str, Any]]) -> None:
    table = Table(title=_("Accounts"), title_justify="left")
    for col in (_("Account"), _("State"), _("Sorted"), _("Held"), _("Released"),
                _("Last error")):
        table.add_column(col)
    for s in statuses:
        c = s["counts"]
        table.add_row(s["name"], s["state"], str(c.get("triaged", 0)), str(s.get("held", 0)),
                      str(c.get("released", 0)), s.get("last_error") or "")
    console.print(table)


@app.command(help=_(
    "Watch the mailboxes live (IMAP IDLE): sort each new message as it arrives, hold mail "
    "outside working hours in a \"Plus tard\" folder and release it when work starts. "
    "Reconnects by itself, writes a health file, stops cleanly on SIGTERM or Ctrl+C."))
@handle_errors
def watch(
    account: AccountsOpt = None,
    once: Annotated[bool, typer.Option(
        "--once", help=_("One pass on each account (sort, release when due), then exit."))
    ] = False,
    health_file: Annotated[Path | None, typer.Option(
        "--health-file", dir_okay=False,
        help=_("Where to write the health line (default: [watch] health_file, else in the "
               "data folder)."))] = None,
    check: Annotated[bool, typer.Option(
        "--check", help=_("Read the health file of a running watch: exit 0 when it is "
                          "healthy, 1 otherwise."))] = False,
    max_age: Annotated[float, typer.Option(
        "--max-age", min=1.0, help=_("With --check: the oldest health line still considered "
                                     "alive, in seconds."))] = 120.0,
    as_json: JsonOpt = False,
    config_path: ConfigOpt = None, db: DbOpt = None, lang: LangOpt = None,
    verbose: VerboseOpt = False,
) -> None:
    config = _prepare(lang, config_path, verbose)
    settings = config.section("watch")
    path = health_file or settings.health_path()
    if check:
        from accalmie.disconnect.watch_service import check_health

        result = check_health(path, max_age)
        if as_json:
            print(json.dumps({"ok": result.ok, "message": result.message,
                              "health": result.data}, ensure_ascii=False))
        else:
            (console if result.ok else err_console).print(result.message, highlight=False)
            if result.data:
                _print_statuses(result.data.get("accounts", []))
        raise typer.Exit(0 if result.ok else EXIT_FAILED)
    accounts = _accounts(config, account)
    passwords = {a.name: a.password() for a in accounts}
    logging.getLogger("accalmie.disconnect").setLevel(logging.DEBUG if verbose
                                                      else logging.INFO)
    from accalmie.disconnect.watch_service import WatchService, limit_malloc_arenas

    limit_malloc_arenas()  # before the account threads: a flat resident set over weeks
    store = service.open_store(config, db)
    try:
        svc = WatchService(config, accounts, store, passwords=passwords, settings=settings,
                           health_file=path, once=once)
        if not once and not as_json:
            err_console.print(_("Watching {n} accounts (health: {path}). Stop with Ctrl+C.")
                              .format(n=len(accounts), path=path), highlight=False)
        with _signals(svc.stop):
            statuses = svc.run()
    finally:
        store.close()
    if as_json:
        print(json.dumps(svc.health(), ensure_ascii=False))
    else:
        _print_statuses(statuses)
        if not once:
            err_console.print(_("Stopped cleanly."))
    code = _exit_code(statuses, once)
    if code:
        raise typer.Exit(code)


@app.command(help=_(
    "Release held mail into its lanes now (oldest first). Without --now, only when working "
    "time has come; the watch does this by itself at the start of each working window."))
@handle_errors
def release(
    account: AccountsOpt = None,
    now: Annotated[bool, typer.Option(
        "--now", help=_("Release even outside working hours."))] = False,
    as_json: JsonOpt = False,
    config_path: ConfigOpt = None, db: DbOpt = None, lang: LangOpt = None,
    progress: ProgressOpt = True, verbose: VerboseOpt = False,
) -> None:
    from accalmie.disconnect.clock import SystemClock
    from accalmie.disconnect.hold import (
        HoldPolicy,
        describe_release,
        load_working_time,
        release_held,
    )
    from accalmie.imap.connect import open_session
    from accalmie.store import hold as held_store

    config = _prepare(lang, config_path, verbose)
    settings = config.section("watch")
    accounts = _accounts(config, account)
    clock = SystemClock()
    failed = False
    out: list[dict[str, Any]] = []
    store = service.open_store(config, db)
    try:
        for acc in accounts:
            account_id = store.account_id(acc.name)
            working = load_working_time(config, acc)
            policy = HoldPolicy(settings, working, clock=clock)
            count, _oldest = held_store.held_summary(store, account_id)
            if not now and (count == 0 or not policy.release_due(store, account_id)):
                when = policy.next_start()
                out.append({"account": acc.name, "held": count, "released": 0,
                            "next_release": when.isoformat() if when else None})
                if not as_json:
                    if count == 0:
                        console.print(_("Account {name}: nothing is held.").format(
                            name=acc.name))
                    else:
                        tz = getattr(working, "tz", None)
                        shown = when.astimezone(tz).strftime("%Y-%m-%d %H:%M") if when else "?"
                        console.print(_("Account {name}: {n} held messages wait for your "
                                        "working hours ({when}); use --now to release them "
                                        "now.").format(name=acc.name, n=count, when=shown))
                continue
            session = open_session(acc, acc.password())
            try:
                with progress_bar(progress and not as_json) as bar:
                    report = release_held(session, config, acc, store, settings=settings,
                                          clock=clock, progress=bar)
            finally:
                session.close()
            out.append(report.to_dict())
            failed = failed or not report.ok
            if not as_json:
                console.print(describe_release(report), highlight=False)
                for error in report.errors[:10]:
                    err_console.print(_("Error: {error}").format(error=error),
                                      highlight=False)
    finally:
        store.close()
    if as_json:
        print(json.dumps(out if len(out) != 1 else out[0], ensure_ascii=False))
    if failed:
        raise typer.Exit(EXIT_FAILED)
