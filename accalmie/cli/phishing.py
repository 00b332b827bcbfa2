"""``accalmie eval phishing``: how much phishing the analyser catches on labelled mailboxes."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from accalmie.cli.common import LangOpt, ProgressOpt, VerboseOpt, eval_app
from accalmie.cli.ui import console, handle_errors, progress_bar, setup_logging
from accalmie.config import ConfigError
from accalmie.i18n import _, set_language


@eval_app.command("phishing", help=_(
    "Phishing detection on legitimate and phishing mailboxes, trace headers removed: "
    "detection when false positives are held to 0.1 % or 1 %, at the default threshold, "
    "ROC AUC."),
    context_settings={"allow_extra_args": True, "ignore_unknown_options": False})
@handle_errors
def eval_phishing(
    ctx: typer.Context,
    ham: Annotated[list[Path], typer.Option(
        "--ham", help=_("Legitimate mail: a Maildir, mbox, folder (searched recursively) or "
                        "file. Repeat the option, or list several paths after it."))],
    phish: Annotated[list[Path], typer.Option(
        "--phish", help=_("Phishing mail, in the same forms as --ham."))],
    threshold: Annotated[float | None, typer.Option(
        "--threshold", help=_("Suspect threshold to report the rates at (default: the "
                              "configured default)."), min=0.0, max=1.0)] = None,
    workers: Annotated[int, typer.Option(
        "--workers", help=_("Processes scoring in parallel (throughput stays a one-core "
                            "figure)."), min=1, max=64)] = 1,
    as_json: Annotated[bool, typer.Option("--json", help=_("Print one JSON object."))] = False,
    lang: LangOpt = None, progress: ProgressOpt = True, verbose: VerboseOpt = False,
) -> None:
    if lang:
        set_language(lang)
    setup_logging(verbose)
    from accalmie.eval.phishing import PhishingEvalError, evaluate_phishing

    ham_paths, phish_paths = _extra_paths(ctx, list(ham), list(phish))
    try:
        with progress_bar(progress and not as_json) as bar:
            result = evaluate_phishing(ham_paths, phish_paths, workers=workers,
                                       threshold=threshold,
                                       progress=lambda d, t: bar("phishing", d, t))
    except PhishingEvalError as exc:
        raise ConfigError(str(exc)) from None
    if as_json:
        print(result.to_json())
        return
    table = Table(title=_("Phishing detection (trace headers removed)"), title_justify="left")
    table.add_column(_("Measure"))
    table.add_column(_("Value"), justify="right")
    table.add_row(_("Phishing caught (false positives: 0.1 %)"), f"{result.detect_at_fpr_0_1:.1%}")
    table.add_row(_("Phishing caught (false positives: 1 %)"), f"{result.detect_at_fpr_1:.1%}")
    table.add_row(_("Phishing caught at the threshold {threshold:.2f}").format(
        threshold=result.threshold), f"{result.detect_default:.1%}")
    table.add_row(_("Legitimate mail flagged at that threshold"), f"{result.fpr_default:.2%}")
    table.add_row(_("ROC AUC"), f"{result.auc:.4f}")
    table.add_row(_("Legitimate messages"), str(result.n_ham))
    table.add_row(_("Phishing messages"), str(result.n_phish))
    table.add_row(_("Messages per second (one core)"), f"{result.msgs_per_s:.0f}")
    console.print(table)


def _extra_paths(ctx: typer.Context, ham: list[Path], phish: list[Path]
                 ) -> tuple[list[Path], list[Path]]:
    """``--ham A B --phish C D``: the parser hands B and D over as extra arguments; each goes
    back after the option it follows on the command line."""
    extra = list(ctx.args)
    if not extra:
        return ham, phish
    import sys

    current: list[Path] | None = None
    for arg in sys.argv[1:]:
        if arg in ("--ham", "--phish") or arg.startswith(("--ham=", "--phish=")):
            current = ham if arg.startswith("--ham") else phish
            continue
        if arg.startswith("-"):
            current = None
            continue
        if current is not None and arg in extra:
            extra.remove(arg)
            if Path(arg) not in current:
                current.append(Path(arg))
    if extra:
        raise ConfigError(_("Unexpected argument {arg}: give each mailbox after --ham or "
                            "--phish.").format(arg=extra[0]))
    return ham, phish
