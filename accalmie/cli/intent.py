"""``accalmie eval intent``: request detection (*réponse attendue*) on labelled sentences."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from accalmie.cli.common import LangOpt, ProgressOpt, eval_app
from accalmie.cli.ui import console, err_console, handle_errors, progress_bar
from accalmie.config import ConfigError
from accalmie.i18n import _, set_language

MAX_SHOWN = 5  # malformed lines listed one by one; the rest are counted


@eval_app.command("intent", help=_(
    "Request detection on labelled sentences (Yes|No, a tab, the sentence): accuracy and F1 "
    "of Yes. Warns when the file holds sentences the model was trained on."))
@handle_errors
def eval_intent(
    tsv: Annotated[Path, typer.Option(
        "--tsv", help=_("Labelled sentences, one a line: Yes or No, a tab, the sentence."),
        exists=True, dir_okay=False)],
    as_json: Annotated[bool, typer.Option("--json", help=_("Print one JSON object."))] = False,
    model_path: Annotated[Path | None, typer.Option(
        "--model", help=_("Model file to evaluate (default: the one shipped)."),
        dir_okay=False)] = None,
    unseen_only: Annotated[bool, typer.Option(
        "--unseen-only", help=_("Leave out the sentences the model was trained on."))] = False,
    cues: Annotated[bool, typer.Option(
        "--cues", help=_("Evaluate the built-in cues instead of the learned model."))] = False,
    lang: LangOpt = None, progress: ProgressOpt = True,
) -> None:
    if lang:
        set_language(lang)
    from accalmie.eval.intent import evaluate, evaluate_model, read_tsv
    from accalmie.triage.requests import MODEL_PATH, CueScorer, ModelError, load_model

    try:
        data = read_tsv(tsv)
    except OSError as exc:
        raise ConfigError(_("Cannot read {path}: {error}").format(
            path=tsv, error=exc.strerror or exc)) from None
    for no, why in data.malformed[:MAX_SHOWN]:
        err_console.print(_("Line {no} skipped: {why}").format(no=no, why=why), highlight=False)
    if len(data.malformed) > MAX_SHOWN:
        err_console.print(_("{n} more malformed lines skipped").format(
            n=len(data.malformed) - MAX_SHOWN))
    if not data.sentences:
        raise ConfigError(_("No labelled sentence in {path} (expected: Yes or No, a tab, the "
                            "sentence).").format(path=tsv))
    with progress_bar(progress and not as_json) as bar:
        if cues:
            scorer = CueScorer()
            result = evaluate(lambda ss: scorer.score_sentences(ss, ""), data,
                              progress=lambda d, t: bar("intent", d, t))
        else:
            try:
                model = load_model(model_path or MODEL_PATH)
            except ModelError as exc:
                raise ConfigError(_("The request model cannot be used: {error}").format(
                    error=exc)) from None
            result = evaluate_model(model, data, unseen_only=unseen_only,
                                    progress=lambda d, t: bar("intent", d, t))
    if result.n == 0:
        raise ConfigError(_("Every sentence of {path} was in the model's training data: "
                            "nothing unseen is left to measure.").format(path=tsv))
    if result.n_seen:
        err_console.print(_(
            "Warning: {seen} of {n} sentences ({pct:.0%}) were in the model's training data; "
            "the figures overstate accuracy on new mail (use --unseen-only, or the benchmark's "
            "cross-validation).").format(seen=result.n_seen, n=result.n,
                                         pct=result.n_seen / result.n), highlight=False)
    if as_json:
        print(json.dumps(result.to_dict()))
        return
    table = Table(title=_("Request detection"), title_justify="left")
    table.add_column(_("Measure"))
    table.add_column(_("Value"), justify="right")
    table.add_row(_("Accuracy"), f"{result.accuracy:.3f}", style="bold")
    table.add_row(_("F1 (Yes)"), f"{result.f1_yes:.3f}", style="bold")
    table.add_row(_("Precision (Yes)"), f"{result.precision_yes:.3f}")
    table.add_row(_("Recall (Yes)"), f"{result.recall_yes:.3f}")
    table.add_row(_("Sentences"), str(result.n))
    table.add_row(_("Labelled Yes"), str(result.n_yes))
    table.add_row(_("Predicted Yes"), str(result.tp + result.fp))
    table.add_row(_("Seen in training"), str(result.n_seen))
    table.add_row(_("Malformed lines skipped"), str(result.n_malformed))
    console.print(table)
