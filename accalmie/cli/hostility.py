"""``accalmie eval hostility``: macro-F1 of the hostility detector on a labelled CSV/TSV file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from accalmie.cli.common import LangOpt, ProgressOpt, eval_app
from accalmie.cli.ui import console, handle_errors, progress_bar
from accalmie.i18n import _, current_language, set_language


@eval_app.command("hostility", help=_(
    "Hostility detection on a labelled file (CSV, TSV or other delimiter): macro-F1, and the "
    "precision and recall of the hostile class."))
@handle_errors
def eval_hostility(
    csv_path: Annotated[Path, typer.Option(
        "--csv", help=_("Labelled file; its delimiter is detected."), exists=True,
        dir_okay=False)],
    text_col: Annotated[str, typer.Option("--text-col", help=_("Column holding the text."))],
    label_col: Annotated[str, typer.Option("--label-col", help=_("Column holding the label."))],
    positive: Annotated[str, typer.Option(
        "--positive", help=_("Label values that mean hostile, comma-separated."))],
    as_json: Annotated[bool, typer.Option("--json", help=_("Print one JSON object."))] = False,
    rules_only: Annotated[bool, typer.Option(
        "--rules-only", help=_("Leave the learned model out (rules alone)."))] = False,
    lang: LangOpt = None, progress: ProgressOpt = True,
) -> None:
    if lang:
        set_language(lang)
    from accalmie.eval.hostility import evaluate, labelled_texts

    texts, truth = labelled_texts(csv_path, text_col, label_col, positive.split(","))
    with progress_bar(progress and not as_json) as bar:
        result = evaluate(texts, truth, current_language(), model=not rules_only,
                          progress=lambda d, t: bar("hostility", d, t))
    if as_json:
        print(json.dumps({"macro_f1": result.macro_f1, "precision": result.precision,
                          "recall": result.recall, "n": result.n,
                          "n_positive": result.n_positive, "tp": result.tp, "fp": result.fp,
                          "fn": result.fn, "tn": result.tn,
                          "msgs_per_s": result.msgs_per_s}))
        return
    table = Table(title=_("Hostility detection"), title_justify="left")
    table.add_column(_("Measure"))
    table.add_column(_("Value"), justify="right")
    table.add_row(_("Macro-F1"), f"{result.macro_f1:.3f}", style="bold")
    table.add_row(_("Precision (hostile)"), f"{result.precision:.3f}")
    table.add_row(_("Recall (hostile)"), f"{result.recall:.3f}")
    table.add_row(_("Messages"), str(result.n))
    table.add_row(_("Hostile messages"), str(result.n_positive))
    table.add_row(_("Flagged"), str(result.tp + result.fp))
    table.add_row(_("Messages per second"), f"{result.msgs_per_s:,.0f}")
    console.print(table)
