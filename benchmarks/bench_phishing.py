"""(i) Phishing detection: Accalmie's analyser against SpamAssassin and rspamd, same messages.

Ham is the legitimate mail of ``spamassassin_public_corpus`` (easy and hard ham, never its spam)
and of ``enron_folders``; phishing is ``nazario_phishing_2004_2005`` and ``phishing_pot``. Every
message loses its trace and transport headers first, by the function ``accalmie eval phishing``
uses (:func:`accalmie.eval.phishing.strip_trace_headers`), and the three tools score exactly
those bytes: the corpora differ by era and relay, and a scorer reading Received lines would be
measured on where mail travelled, not on what the sender wrote.

For each tool, the threshold is set on its own ham scores: the detection rate is read at 0.1 %
and 1 % of ham flagged, plus ROC AUC, all from the same functions as the CLI evaluation.
Throughput is messages per CPU second of the scoring process (one core, start-up excluded), so a
busy machine does not change the comparison; wall-clock rates are shown beside it. SpamAssassin
and rspamd run offline (see :mod:`benchmarks.spamtools`); a missing one is reported, not
skipped silently. ``--quick`` uses an evenly spread sample of each corpus, and so does
``ACCALMIE_PHISHING_SAMPLE=HAM,PHISH`` (message counts).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from benchmarks import (
    FAILED,
    MISSING,
    PASS,
    Check,
    Context,
    Missing,
    Outcome,
    Table,
    limit_check,
    ratio_check,
    register,
)
from benchmarks.corpus import DataMissing, corpora_dir
from benchmarks.spamtools import ToolFailed, ToolScores, run_rspamd, run_spamassassin

TARGET_DETECT = 0.95  # caught at 0.1 % of ham flagged
TARGET_RATE = 500.0  # messages per second, one core
QUICK_HAM = 200  # --quick: a smoke test of the harness (SpamAssassin takes ~0.1 s a message)
QUICK_PHISH = 100

HAM_SOURCES = {
    "spamassassin_public_corpus (ham)": ("spamassassin_public_corpus",
                                         ("easy-ham-1", "easy-ham-2", "hard-ham-1")),
    "enron_folders": ("enron_folders", ("farmer-d.tar.gz", "kaminski-v.tar.gz",
                                        "lokay-m.tar.gz")),
}
PHISH_SOURCES = {
    "nazario_phishing_2004_2005": ("nazario_phishing_2004_2005",
                                   ("20051114.mbox", "phishing0.mbox", "phishing1.mbox")),
    "phishing_pot": ("phishing_pot", ("email",)),
}


@dataclass
class Labelled:
    """The stripped messages, ham first, with the source of each."""

    messages: list[bytes] = field(default_factory=list)
    is_phish: list[bool] = field(default_factory=list)
    source: list[str] = field(default_factory=list)

    def split(self, scores: Sequence[float]) -> tuple[list[float], list[float]]:
        ham = [s for s, p in zip(scores, self.is_phish, strict=True) if not p]
        phish = [s for s, p in zip(scores, self.is_phish, strict=True) if p]
        return ham, phish


def _spread(items: list[bytes], n: int) -> list[bytes]:
    """``n`` items evenly spread over the list (all of them when n is larger)."""
    if n >= len(items):
        return items
    step = len(items) / n
    return [items[int(i * step)] for i in range(n)]


def sample_sizes(ctx: Context) -> tuple[int, int] | None:
    """(ham, phishing) messages to use, or None for every message.

    ``--quick`` takes a small sample; ``ACCALMIE_PHISHING_SAMPLE=HAM,PHISH`` a chosen one (the
    full run scores ~17,000 messages, which takes SpamAssassin about half an hour of CPU).
    """
    value = os.environ.get("ACCALMIE_PHISHING_SAMPLE", "").strip()
    if value:
        try:
            ham, phish = (int(x) for x in value.split(","))
        except ValueError:
            raise ValueError("ACCALMIE_PHISHING_SAMPLE must be HAM,PHISH (two integers), "
                             f"not {value!r}") from None
        return max(2, ham), max(2, phish)
    return (QUICK_HAM, QUICK_PHISH) if ctx.quick else None


def load_messages(ctx: Context) -> Labelled:
    from accalmie.eval.phishing import iter_messages, strip_trace_headers

    root = corpora_dir()
    out = Labelled()
    sizes = sample_sizes(ctx)
    for sources, phish, quick_n in ((HAM_SOURCES, False, sizes[0] if sizes else 0),
                                    (PHISH_SOURCES, True, sizes[1] if sizes else 0)):
        for label, (folder, parts) in sources.items():
            paths = [root / folder / part for part in parts]
            missing = [p for p in paths if not p.exists()]
            if missing:
                raise DataMissing(f"{MISSING}: corpus not found: {missing[0]} (set "
                                  "ACCALMIE_CORPORA to the shared corpora folder)")
            raws = [strip_trace_headers(raw) for p in paths for raw in iter_messages(p)]
            if sizes:
                raws = _spread(raws, quick_n // len(sources))
            out.messages += raws
            out.is_phish += [phish] * len(raws)
            out.source += [label] * len(raws)
    return out


def score_ours(messages: Sequence[bytes]) -> ToolScores:
    """Accalmie's analyser in this process: parse + assess, as ``accalmie eval phishing``."""
    from accalmie.eval.phishing import score_raw

    score_raw([b"Subject: warm-up\n\nBonjour, merci de confirmer votre identifiant.\n"])
    cpu0 = time.process_time()
    scores, wall = score_raw(messages)
    cpu = time.process_time() - cpu0
    return ToolScores("Accalmie", _our_version(), scores, 0, cpu, wall)


def _our_version() -> str:
    try:
        from importlib.metadata import version

        return f"accalmie {version('accalmie')}"
    except Exception:  # noqa: BLE001 - a version string is cosmetic
        return "accalmie"


@dataclass
class Figures:
    detect_0_1: float
    detect_1: float
    auc: float
    per_source: dict[str, float]  # share flagged at the 0.1 % threshold, per source


def figures(data: Labelled, scores: Sequence[float]) -> Figures:
    from accalmie.eval.phishing import detection_at_fpr, roc_auc, threshold_at_fpr

    ham, phish = data.split(scores)
    cut = threshold_at_fpr(ham, 0.001)
    per_source: dict[str, float] = {}
    for label in dict.fromkeys(data.source):
        mine = [s for s, src in zip(scores, data.source, strict=True) if src == label]
        per_source[label] = sum(1 for s in mine if s > cut) / len(mine) if mine else 0.0
    return Figures(detection_at_fpr(ham, phish, 0.001), detection_at_fpr(ham, phish, 0.01),
                   roc_auc(ham, phish), per_source)


def _pct(x: float) -> str:
    return f"{100 * x:.1f} %"


def _rate(x: float | None) -> str:
    return "—" if x is None else f"{x:,.0f}"


def _workers(ctx: Context) -> int:
    """Reference processes in parallel (the figures stay per core: CPU seconds are summed)."""
    return max(1, min(2 if ctx.quick else 4, os.cpu_count() or 1))


def bench_phishing(ctx: Context) -> Outcome:
    if not corpora_dir().is_dir():
        raise DataMissing(f"{MISSING}: corpora not found at {corpora_dir()} "
                          "(set ACCALMIE_CORPORA)")
    data = load_messages(ctx)
    n_ham = data.is_phish.count(False)
    n_phish = len(data.messages) - n_ham
    ctx.log(f"phishing: {n_ham} ham, {n_phish} phishing messages, trace headers stripped")
    runs: dict[str, ToolScores | str] = {}
    ctx.log("phishing: scoring with Accalmie")
    runs["Accalmie"] = score_ours(data.messages)
    refs: list[tuple[str, Callable[[], ToolScores]]] = [
        ("SpamAssassin", lambda: run_spamassassin(data.messages, ctx.workdir,
                                                  workers=_workers(ctx))),
        ("rspamd", lambda: run_rspamd(data.messages, ctx.workdir, workers=_workers(ctx))),
    ]
    for name, run in refs:
        ctx.log(f"phishing: scoring with {name} (offline)")
        try:
            runs[name] = run()
        except Missing as exc:
            runs[name] = str(exc)
        except ToolFailed as exc:
            runs[name] = f"{FAILED}: {exc}"

    table = Table(
        f"Phishing detection, trace headers stripped ({n_ham:,} ham, {n_phish:,} phishing)",
        ["tool", "version", "caught at 0.1 % FPR", "caught at 1 % FPR", "ROC AUC",
         "msg/s one core (CPU)", "msg/s wall", "not scored"])
    sources = list(dict.fromkeys(data.source))
    per_source = Table("Share flagged per corpus at each tool's 0.1 % FPR threshold",
                       ["tool", *sources])
    results: dict[str, tuple[ToolScores, Figures]] = {}
    for name, run in runs.items():
        if isinstance(run, str):
            table.rows.append([name, "", run, "", "", "", "", ""])
            continue
        fig = figures(data, run.scores)
        results[name] = (run, fig)
        wall_rate = len(run.scores) / run.wall_seconds if run.wall_seconds > 0 else None
        table.rows.append([name, run.version, _pct(fig.detect_0_1), _pct(fig.detect_1),
                           f"{fig.auc:.4f}", _rate(run.msgs_per_cpu_s), _rate(wall_rate),
                           str(run.errors)])
        per_source.rows.append([name, *(_pct(fig.per_source[s]) for s in sources)])
    table.notes.append(
        "Thresholds are set per tool on its own ham scores; SpamAssassin: stock rules, local "
        "tests only, no Bayes; rspamd: stock rules, network modules off"
        + (f"; {_workers(ctx)} processes in parallel for both (CPU seconds summed)"
           if _workers(ctx) > 1 else "") + ".")
    if sample_sizes(ctx):
        table.notes.append("An evenly spread sample of each corpus, not all of it"
                           + (" (--quick: the figures mean little)." if ctx.quick else "."))

    ours, ours_fig = results["Accalmie"]
    checks = [limit_check("Phishing caught at 0.1 % FPR", 100 * ours_fig.detect_0_1, "%",
                          limit=100 * TARGET_DETECT, higher_is_better=True)]
    checks.append(_versus(ours_fig.detect_0_1, results, runs))
    checks.append(limit_check("Phishing analyser, one core", ours.msgs_per_cpu_s, "msg/s",
                              limit=TARGET_RATE, higher_is_better=True,
                              note="parse + score, per CPU second"))
    data_out = {
        name: {"version": run.version, "detect_at_fpr_0_1": fig.detect_0_1,
               "detect_at_fpr_1": fig.detect_1, "auc": fig.auc,
               "msgs_per_cpu_s": run.msgs_per_cpu_s, "wall_s": run.wall_seconds,
               "errors": run.errors, "per_source": fig.per_source}
        for name, (run, fig) in results.items()}
    data_out["missing"] = {n: r for n, r in runs.items() if isinstance(r, str)}
    data_out["n_ham"], data_out["n_phish"] = n_ham, n_phish
    return Outcome("phishing", "", "", tables=[table, per_source], checks=checks,
                   data=data_out)


def _versus(ours: float, results: dict[str, tuple[ToolScores, Figures]],
            runs: dict[str, ToolScores | str]) -> Check:
    """Our detection at 0.1 % FPR against the better of the two reference tools."""
    metric = "Phishing caught at 0.1 % FPR vs best reference"
    theirs = {n: fig.detect_0_1 for n, (_, fig) in results.items() if n != "Accalmie"}
    errors = [f"{r} [{n}]" for n, r in runs.items() if isinstance(r, str)]  # status first
    if not theirs:
        return ratio_check(metric, 100 * ours, None, "%", target_ratio=1.0,
                           higher_is_better=True, reference="SpamAssassin/rspamd",
                           theirs_error="; ".join(errors))
    best = max(theirs, key=lambda n: theirs[n])
    note = "; ".join(errors)
    if theirs[best] == 0:  # nothing to divide by: ahead when we catch anything at all
        return Check(metric, 100 * ours, 0.0, "%", None, f">= 1x {best}",
                     PASS if ours > 0 else FAILED, best,
                     (note + "; " if note else "") + f"{best} caught nothing at 0.1 % FPR")
    return ratio_check(metric, 100 * ours, 100 * theirs[best], "%", target_ratio=1.0,
                       higher_is_better=True, reference=best, note=note)


register("phishing", "Phishing detection vs SpamAssassin and rspamd",
         "detection at 0.1 % / 1 % false positives, AUC and msg/s of Accalmie, SpamAssassin "
         "and rspamd (offline) on the same stripped ham and phishing corpora", order=60
         )(bench_phishing)
