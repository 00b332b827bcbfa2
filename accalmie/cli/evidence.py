"""`accalmie evidence`: pack chosen messages for a complaint, and check a pack.

``accalmie evidence ID… --out pack.zip`` is short for ``accalmie evidence pack ID… --out
pack.zip``; ``accalmie evidence verify pack.zip`` checks a pack. The group sends anything that
is not one of its commands to ``pack``, so both forms work and ``--help`` lists both.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table
from rich.text import Text
from typer.core import TyperGroup

from accalmie import service
from accalmie.cli.common import (
    EPILOG,
    AccountOpt,
    ConfigOpt,
    DbOpt,
    LangOpt,
    ProgressOpt,
    VerboseOpt,
    _lang_callback,
    _prepare,
    app,
)
from accalmie.cli.ui import EXIT_FAILED, console, err_console, fail, handle_errors, progress_bar
from accalmie.i18n import _, current_language, ngettext, set_language

DEFAULT_COMMAND = "pack"


class _PackByDefault(TyperGroup):
    """Reads ``evidence ID… --out F`` as ``evidence pack ID… --out F``."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ctx.help_option_names:
            args = [DEFAULT_COMMAND, *args]
        return super().parse_args(ctx, args)


evidence_app = typer.Typer(
    cls=_PackByDefault, no_args_is_help=True, epilog=EPILOG,
    help=_("Evidence pack for a harassment complaint: `accalmie evidence MESSAGE-ID… --out "
           "pack.zip` packs the original messages byte for byte with a SHA-256 manifest and a "
           "dated timeline (HTML and PDF); `accalmie evidence verify pack.zip` checks a pack."))
evidence_app.callback()(_lang_callback)
app.add_typer(evidence_app, name="evidence")


@evidence_app.command(DEFAULT_COMMAND, help=_(
    "Pack messages (by Message-ID or stored number) into a ZIP: the original .eml files, "
    "their SHA-256 fingerprints and a dated timeline (HTML and PDF)."), epilog=EPILOG)
@handle_errors
def pack(
    messages: Annotated[list[str], typer.Argument(
        help=_("Message-IDs (with or without <>) or stored message numbers."),
        show_default=False)],
    out: Annotated[Path, typer.Option("--out", "-o", help=_("The ZIP file to write."),
                                      dir_okay=False, show_default=False)],
    pseudonymise: Annotated[bool, typer.Option(
        "--pseudonymise", "--pseudonymize",
        help=_("Replace third parties' names and addresses by pseudonyms in the timeline and "
               "the manifest (the originals are never changed)."))] = False,
    force: Annotated[bool, typer.Option("--force", help=_("Overwrite an existing file."))
                     ] = False,
    sources: Annotated[list[Path] | None, typer.Option(
        "--source", "-s", help=_("Where messages sorted from local files are: the Maildir, "
                                 "mbox, folder or file given to `accalmie triage` "
                                 "(repeat for several)."))] = None,
    me: Annotated[list[str] | None, typer.Option(
        "--me", help=_("One of your own addresses, never pseudonymised (repeat for several; "
                       "the account's addresses are always yours)."))] = None,
    tz: Annotated[str | None, typer.Option(
        "--tz", help=_("Time zone of the timeline (default: your working hours' zone, else "
                       "Europe/Paris)."))] = None,
    as_json: Annotated[bool, typer.Option("--json", help=_("Print one JSON object."))] = False,
    account: AccountOpt = None, config_path: ConfigOpt = None, db: DbOpt = None,
    lang: LangOpt = None, progress: ProgressOpt = True, verbose: VerboseOpt = False,
) -> None:
    from accalmie.guard.evidence import EvidenceError, PackOptions
    from accalmie.guard.evidence.service import create_pack, user_timezone

    config = _prepare(lang, config_path, verbose)
    acc = service.local_account(config, account)
    zone, zone_name = user_timezone(config, acc, tz)
    mine = sorted({m.strip().lower() for m in me or () if m.strip()})
    own = acc.own_addresses | set(mine)
    opts = PackOptions(out=out, account=acc.email or (mine[0] if mine else acc.name),
                       lang=current_language(), tz=zone,
                       tz_name=zone_name, own_addresses=frozenset(own),
                       pseudonymise=pseudonymise, force=force)
    if pseudonymise and not own:
        err_console.print(_("Your own address is not known (no account address in the "
                            "configuration): you will be pseudonymised too. Give it with --me."),
                          highlight=False)
    store = service.open_store(config, db)
    try:
        with progress_bar(progress and not as_json) as bar:
            stage = _("Reading the originals")
            result = create_pack(store, config, acc, messages, opts, sources=sources or (),
                                 progress=lambda done, total: bar(stage, done, total))
    except EvidenceError as exc:
        for problem in exc.problems:
            err_console.print(f"  • {escape(problem)}", highlight=False)
        raise fail(_("No pack written: these messages cannot be packed exactly as they were "
                     "received."), EXIT_FAILED) from None
    finally:
        store.close()
    if as_json:
        print(json.dumps({"path": str(result.path), "sha256": result.sha256,
                          "size": result.size, "messages": len(result.entries),
                          "pseudonymised": pseudonymise, "files": result.files},
                         ensure_ascii=False))
        return
    table = Table(title=_("Evidence pack"), title_justify="left")
    for column in (_("No."), _("Date"), _("From"), _("Subject"), _("Category")):
        table.add_column(column)
    for e in result.entries:
        cat = e.category
        what = " · ".join([cat.lane_label, *cat.flag_labels, *([cat.grade_label]
                                                               if cat.grade_label else [])])
        table.add_row(str(e.number), e.date_text, Text(e.sender), Text(e.subject[:70]),
                      Text(what))
    console.print(table)
    console.print(escape(ngettext("{n} message packed in {path}",
                                  "{n} messages packed in {path}", len(result.entries)).format(
                                      n=len(result.entries), path=result.path)), highlight=False)
    console.print(_("SHA-256 of the pack: {digest}").format(digest=result.sha256),
                  highlight=False)
    if pseudonymise:
        console.print(_("Pseudonymised timeline and manifest ({n} people). The original "
                        "messages in the pack are unchanged and show the real names.").format(
                            n=result.pseudonyms), highlight=False)


@evidence_app.command("verify", help=_(
    "Check an evidence pack: every file against its SHA-256 fingerprint, and that the manifest "
    "covers every original. Exit code 0 when intact, 1 otherwise."), epilog=EPILOG)
@handle_errors
def verify(
    pack_file: Annotated[Path, typer.Argument(help=_("The pack to check (a ZIP file)."),
                                              dir_okay=False, show_default=False)],
    as_json: Annotated[bool, typer.Option("--json", help=_("Print one JSON object."))] = False,
    lang: LangOpt = None,
) -> None:
    from accalmie.guard.evidence import verify_pack

    if lang:
        set_language(lang)
    report = verify_pack(pack_file)
    if as_json:
        print(json.dumps(report.to_json(), ensure_ascii=False))
    else:
        for check in report.checks:
            if check.ok:
                console.print(f"[green]{_('OK')}[/]      {escape(check.name)}",
                              highlight=False)
            else:
                console.print(f"[bold red]{_('FAILED')}[/]  {escape(check.name)} — "
                              f"{escape(check.problem)}", highlight=False)
        for problem in report.problems:
            console.print(f"[bold red]{_('FAILED')}[/]  {escape(problem)}", highlight=False)
        if report.ok:
            console.print(_("The pack is intact: {n} files match their fingerprints, "
                            "{m} original messages.").format(n=len(report.checks),
                                                             m=report.originals),
                          highlight=False)
        else:
            bad = sum(not c.ok for c in report.checks) + len(report.problems)
            err_console.print(_("The pack is NOT intact: {n} problems.").format(n=bad),
                              highlight=False)
    if not report.ok:
        raise typer.Exit(EXIT_FAILED)
