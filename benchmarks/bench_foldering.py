"""(d) Foldering accuracy against a linear SVM (runs ``benchmarks/foldering.py``).

The evaluation itself lives in ``foldering.py`` (also runnable alone); this module only puts
it in the suite, so that ``python -m benchmarks`` reports it with the others.
"""

from __future__ import annotations

from pathlib import Path

from benchmarks import Context, Outcome, register

SCRIPT = Path(__file__).with_name("foldering.py")


def bench_foldering(ctx: Context) -> Outcome:
    from benchmarks.foldering import outcome

    return outcome(ctx)


if SCRIPT.exists():
    register("foldering", "(d) Foldering accuracy",
             "mean accuracy per Enron user of Accalmie's online learner vs a linear SVM on the "
             "same incremental time split (Bekkerman et al.), same run; target >= 78 % mean "
             "and above the SVM on every user", order=40)(bench_foldering)
