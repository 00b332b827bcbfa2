"""The `accalmie` command: one sub-command per job, French by default (`--lang en`)."""

from __future__ import annotations

from importlib import import_module
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from accalmie import service
from accalmie.cli.common import (
    AccountOpt,
    ConfigOpt,
    DbOpt,
    LangOpt,
    ProgressOpt,
    VerboseOpt,
    _prepare,
    app,
    eval_app,
    parse_lane,
)
from accalmie.cli.ui import (
    EXIT_FAILED,
    console,
    fail,
    handle_errors,
    progress_bar,
    setup_logging,
)
from accalmie.config import DEFAULT_CONFIG_PATH, Config, ConfigError
from accalmie.i18n import _, current_language, set_language
from accalmie.triage.decision import Lane, flag_label, lane_label

# Each module declares its commands on ``app`` / ``eval_app`` when imported.
COMMAND_MODULES = ("phishing", "hostility", "intent", "evidence", "hours", "watch", "outbox")

def print_summary(summary: service.TriageSummary, title: str) -> None:
    lang = current_language()
    table = Table(title=title, title_justify="left")
    table.add_column(_("Lane"))
    table.add_column(_("Messages"), justify="right")
    table.add_column(_("Examples and why"))
    for lane in Lane:
        examples = summary.examples.get(lane.value, [])
        lines = []
        for msg, decision in examples:
            sender = msg.from_.name or msg.from_.email if msg.from_ else "?"
            flags = "".join(f" [{flag_label(f, lang)}]" for f in sorted(decision.flags))
            why = "; ".join(decision.explain(lang)[:2])
            lines.append(f"• {sender} — {msg.subject[:60]}{flags}\n  ↳ {why}")
        table.add_row(lane_label(lane, lang), str(summary.counts.get(lane.value, 0)),
                      "\n".join(lines))
    console.print(table)
    extra = [_("{n} messages sorted").format(n=summary.total)]
    if summary.sent:
        extra.append(_("{n} sent messages read to know your correspondents").format(
            n=summary.sent))
    for flag, n in sorted(summary.flags.items()):
        extra.append(f"{flag_label(flag, lang)}: {n}")
    if summary.defects:
        extra.append(_("{n} damaged messages read with a safe fallback").format(
            n=summary.defects))
    console.print(" · ".join(extra))


@app.command(help=_("Write a commented configuration file to fill in."))
@handle_errors
def init(
    path: Annotated[Path | None, typer.Option("--path", help=_("Where to write it."))] = None,
    force: Annotated[bool, typer.Option("--force", help=_("Overwrite an existing file."))] = False,
    lang: LangOpt = None,
) -> None:
    if lang:
        set_language(lang)
    target = path or DEFAULT_CONFIG_PATH
    if target.exists() and not force:
        raise ConfigError(_("{path} already exists (use --force to overwrite it).").format(
            path=target))
    template = Path(__file__).resolve().parents[1] / "data" / f"config.{current_language()}.toml"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(template.read_text(encoding="utf-8"), encoding="utf-8")
    target.chmod(0o600)
    console.print(_("Configuration written to {path}. Edit it, then run `accalmie sync`.")
                  .format(path=target))


@app.command(help=_(
    "Sort messages into lanes, with the reasons; on IMAP, move them to the lane folders."))
@handle_errors
def triage(
    source: Annotated[Path | None, typer.Argument(
        help=_("A Maildir, mbox, .eml file or folder to sort locally. Without it, the "
               "configured IMAP account is sorted on the server."))] = None,
    maildir: Annotated[Path | None, typer.Option(
        "--maildir", help=_("Same as SOURCE, for a Maildir."))] = None,
    account: AccountOpt = None,
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", help=_("Decide and show, but move nothing."))] = False,
    config_path: ConfigOpt = None, db: DbOpt = None, lang: LangOpt = None,
    progress: ProgressOpt = True, verbose: VerboseOpt = False,
) -> None:
    config = _prepare(lang, config_path, verbose)
    local = source or maildir
    if local is not None:
        acc = service.local_account(config, account)
        store = None if dry_run else service.open_store(config, db)
        try:
            with progress_bar(progress) as bar:
                summary = service.triage_files(local, store, config, acc, progress=bar)
        finally:
            if store is not None:
                store.close()
        print_summary(summary, _("Sorted: {path}").format(path=local))
        return
    _triage_imap(config, account, db, dry_run, progress)


@app.command(help=_(
    "Fetch new messages from the IMAP account and decide their lanes, without moving them."))
@handle_errors
def sync(
    account: AccountOpt = None, config_path: ConfigOpt = None, db: DbOpt = None,
    lang: LangOpt = None, progress: ProgressOpt = True, verbose: VerboseOpt = False,
) -> None:
    config = _prepare(lang, config_path, verbose)
    _triage_imap(config, account, db, False, progress, move=False)


def _triage_imap(config: Config, account_name: str | None, db: str | None, dry_run: bool,
                 progress: bool, move: bool = True) -> None:
    from accalmie.disconnect.hold import HoldPolicy, load_working_time
    from accalmie.imap.pipeline import triage_imap

    accounts = [config.account(account_name)] if account_name or len(config.accounts) < 2 \
        else list(config.accounts)
    failed = False
    store = service.open_store(config, db)
    try:
        for acc in accounts:
            password = acc.password()
            triager, account_id = service.load_triager(config, acc, store)

            def save(triager=triager, account_id=account_id) -> None:  # type: ignore[no-untyped-def]
                service.save_learner(store, account_id, triager)

            # Run from cron outside working hours, triage holds new mail as the watch does.
            hold = HoldPolicy(config.section("watch"), load_working_time(config, acc))
            with progress_bar(progress) as bar:
                report = triage_imap(config, acc, store, triager, password=password,
                                     dry_run=dry_run, progress=bar, move=move,
                                     after_learning=save, hold=hold if hold.enabled else None)
            if not dry_run:
                save()
            console.print(report.render(current_language()))
            failed = failed or bool(getattr(report, "errors", 0))
    finally:
        store.close()
    if failed:
        raise typer.Exit(EXIT_FAILED)


@app.command(help=_("Correct a lane: the model learns it at once."))
@handle_errors
def correct(
    message: Annotated[str, typer.Argument(help=_("Message-ID, or the stored message number."))],
    lane: Annotated[str, typer.Argument(help=_("The right lane: priority, info, bulk, suspect."))],
    always: Annotated[str | None, typer.Option(
        "--always", help=_("Always this lane for this sender, domain or list: "
                           "sender | domain | list."))] = None,
    account: AccountOpt = None, config_path: ConfigOpt = None, db: DbOpt = None,
    lang: LangOpt = None, verbose: VerboseOpt = False,
) -> None:
    config = _prepare(lang, config_path, verbose)
    if always not in (None, "sender", "domain", "list"):
        raise ConfigError(_("--always takes sender, domain or list."))
    target = parse_lane(lane)
    acc = service.local_account(config, account)
    store = service.open_store(config, db)
    try:
        old, new = service.correct(store, config, acc, message, target, always=always)
    finally:
        store.close()
    lang_now = current_language()
    console.print(_("Corrected: {old} → {new}. Learned.").format(
        old=lane_label(old, lang_now) if old else "—", new=lane_label(new, lang_now)))


@app.command(help=_("Say why a message is in its lane."))
@handle_errors
def explain(
    message: Annotated[str, typer.Argument(help=_("Message-ID, or the stored message number."))],
    account: AccountOpt = None, config_path: ConfigOpt = None, db: DbOpt = None,
    lang: LangOpt = None,
) -> None:
    config = _prepare(lang, config_path)
    acc = service.local_account(config, account)
    store = service.open_store(config, db)
    try:
        row = service.find_stored(store, acc, message)
    finally:
        store.close()
    lang_now = current_language()
    d = row.decision
    console.print(f"[bold]{row.subject}[/] — {row.from_email}", highlight=False)
    console.print(_("Lane: {lane} (decided by: {source})").format(
        lane=lane_label(d.lane, lang_now), source=service.source_label(d.source, lang_now)))
    for reason in d.explain(lang_now):
        console.print(f"  • {reason}", highlight=False)


@app.command(help=_("Run the whole product on a generated French social worker's mailbox."))
@handle_errors
def demo(
    size: Annotated[int, typer.Option("--size", min=10, max=200_000,
                                      help=_("Number of messages to generate."))] = 600,
    seed: Annotated[int, typer.Option("--seed", help=_("Generator seed."))] = 7,
    out: Annotated[Path | None, typer.Option("--out", help=_("Output folder."))] = None,
    lang: LangOpt = None, progress: ProgressOpt = True, verbose: VerboseOpt = False,
) -> None:
    setup_logging(verbose)
    if lang:
        set_language(lang)
    from accalmie.demo.run import run_demo

    with progress_bar(progress) as bar:
        result = run_demo(out or service.default_demo_dir(), size=size, seed=seed,
                          lang=current_language(), progress=bar)
    print_summary(result.summary, _("Demo mailbox of {owner}").format(owner=result.owner))
    if result.agreement is not None:
        console.print(_("Agreement with the generator's expected lanes: {pct:.1%}").format(
            pct=result.agreement))
    lang = current_language()
    for flag, (tp, fp, fn) in result.flags.items():
        console.print(_("Flag “{flag}”: {found} of {expected} expected found, "
                        "{extra} not expected").format(flag=flag_label(flag, lang), found=tp,
                                                       expected=tp + fn, extra=fp))
    console.print(_("Overview page: {path}").format(path=result.html_path))


@eval_app.command("foldering", help=_(
    "Foldering accuracy under the incremental time-split protocol (Bekkerman et al., 2004)."))
@handle_errors
def eval_foldering(
    index: Annotated[Path, typer.Option("--index", help=_("INDEX.csv (tar_member,user,folder,…)."),
                                        exists=True, dir_okay=False)],
    archives: Annotated[Path, typer.Option("--archives", help=_("Folder of <user>.tar.gz."),
                                           exists=True, file_okay=False)],
    users: Annotated[str | None, typer.Option("--users", help=_("Users, comma-separated."))
                     ] = None,
    as_json: Annotated[bool, typer.Option("--json", help=_("Print one JSON object."))] = False,
    online: Annotated[bool, typer.Option(
        "--online", help=_("Also learn each test message right after predicting it, as the "
                           "product does (not the published protocol)."))] = False,
    lang: LangOpt = None, progress: ProgressOpt = True,
) -> None:
    if lang:
        set_language(lang)
    from accalmie.eval.foldering import FolderingError, evaluate_foldering

    user_list = [u.strip() for u in users.split(",") if u.strip()] if users else None
    try:
        with progress_bar(progress and not as_json) as bar:
            result = evaluate_foldering(index, archives, user_list, online=online,
                                        progress=lambda d, t: bar("foldering", d, t))
    except FolderingError as exc:
        raise ConfigError(str(exc)) from None
    if as_json:
        print(result.to_json())
        return
    table = Table(title=_("Foldering accuracy"), title_justify="left")
    table.add_column(_("User"))
    table.add_column(_("Accuracy"), justify="right")
    for user, acc in result.users.items():
        table.add_row(user, f"{acc:.1%}")
    table.add_row(_("Mean"), f"{result.mean:.1%}", style="bold")
    console.print(table)


for _module in COMMAND_MODULES:
    import_module(f"accalmie.cli.{_module}")


def main() -> None:
    try:
        app()
    except SystemExit:
        raise
    except Exception as exc:  # last resort: never a raw traceback for the user
        import logging

        logging.getLogger("accalmie").debug("unexpected error", exc_info=True)
        fail(_("Unexpected error: {error} (run again with --verbose for details)").format(
            error=exc.__class__.__name__), EXIT_FAILED)
        raise SystemExit(EXIT_FAILED) from exc

