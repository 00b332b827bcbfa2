"""Accalmie's benchmarks, each side by side with an established tool, in the same run.

A benchmark is a function registered with :func:`register`; it receives a :class:`Context`
and returns an :class:`Outcome`: detail tables to print and :class:`Check` rows for the summary
(Accalmie's figure, the reference tool's figure, their ratio, the target, PASS or MISS).
Every module of this package named ``bench_*.py`` is imported by :func:`load_all`, so a new
comparison (phishing against SpamAssassin/rspamd, IDLE latency…) slots in by adding one file.

Figures are ratios measured in the same run on the same data; nothing here asserts an absolute
time, because machines differ and the reference tools run on the same one.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

# Status of a summary row. PASS/MISS compare with the target; INFO has no target; MISSING
# means a tool is not installed; FAILED means a tool ran and failed; ERROR means the
# benchmark itself broke (a bug to fix here).
PASS, MISS, INFO, MISSING, FAILED, ERROR = "PASS", "MISS", "INFO", "MISSING", "FAILED", "ERROR"


class Missing(Exception):
    """Something a benchmark needs is absent (a tool, the corpora); says how to get it."""


@dataclass(slots=True)
class Check:
    """One summary row: how Accalmie compares with the reference, against the target."""

    metric: str
    ours: float | None
    theirs: float | None
    unit: str
    ratio: float | None
    target: str
    status: str
    reference: str = ""
    note: str = ""


@dataclass(slots=True)
class Table:
    """A detail table: one row per tool or per case."""

    title: str
    columns: list[str]
    rows: list[list[str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Outcome:
    name: str
    title: str
    measures: str
    tables: list[Table] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)
    error: str | None = None
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class Context:
    """What a benchmark needs to know about this run."""

    workdir: Path  # scratch space for this benchmark, outside the repository, removed after
    cache: Path  # scratch space shared by the whole run (the corpus Maildir is built once)
    quick: bool = False  # small sizes: a smoke test of the harness, figures mean nothing
    repeats: int = 2  # each timed tool runs this many times; the best run counts
    mailbox: Path | None = None  # a Maildir to use instead of the shared corpora
    include_preprocessed: bool = False  # add the subject+body Enron-Spam set to the corpus
    log: Callable[[str], None] = print

    @property
    def quick_size(self) -> int:
        """How many messages a --quick run uses instead of the full corpus."""
        return 300


BenchFunc = Callable[[Context], Outcome]


@dataclass(frozen=True, slots=True)
class Benchmark:
    name: str
    title: str
    measures: str  # one line: what is measured, against what
    func: BenchFunc
    order: int = 100


BENCHMARKS: dict[str, Benchmark] = {}


def register(name: str, title: str, measures: str,
             order: int = 100) -> Callable[[BenchFunc], BenchFunc]:
    """Add a benchmark to the suite (run by ``python -m benchmarks``)."""

    def deco(func: BenchFunc) -> BenchFunc:
        if name in BENCHMARKS and BENCHMARKS[name].func is not func:
            raise ValueError(f"benchmark {name!r} registered twice")
        BENCHMARKS[name] = Benchmark(name, title, measures, func, order)
        return func

    return deco


def load_all() -> list[Benchmark]:
    """Import every ``bench_*`` module of this package and return the suite in order."""
    for mod in pkgutil.iter_modules(__path__):
        if mod.name.startswith("bench_"):
            importlib.import_module(f"{__name__}.{mod.name}")
    return sorted(BENCHMARKS.values(), key=lambda b: (b.order, b.name))


def ratio_check(metric: str, ours: float | None, theirs: float | None, unit: str, *,
                target_ratio: float, higher_is_better: bool, reference: str,
                ours_error: str | None = None, theirs_error: str | None = None,
                note: str = "") -> Check:
    """A summary row comparing ``ours / theirs`` with a target ratio.

    ``higher_is_better``: the target is ``ratio >= target_ratio`` (throughput), else
    ``ratio <= target_ratio`` (wall time, memory).
    """
    sign = ">=" if higher_is_better else "<="
    target = f"{sign} {target_ratio:g}x {reference}"
    errors = [e for e in (ours_error, theirs_error) if e]
    if errors:
        status = MISSING if any(e.startswith(MISSING) for e in errors) else FAILED
        return Check(metric, ours, theirs, unit, None, target, status, reference,
                     "; ".join(errors))
    if ours is None or theirs is None or theirs == 0:
        return Check(metric, ours, theirs, unit, None, target, FAILED, reference,
                     note or "no measurement")
    ratio = ours / theirs
    ok = ratio >= target_ratio if higher_is_better else ratio <= target_ratio
    return Check(metric, ours, theirs, unit, ratio, target, PASS if ok else MISS, reference,
                 note)


def limit_check(metric: str, value: float | None, unit: str, *, limit: float,
                higher_is_better: bool = False, error: str | None = None,
                note: str = "") -> Check:
    """A summary row comparing one figure with an absolute target (memory, accuracy)."""
    sign = ">=" if higher_is_better else "<="
    target = f"{sign} {limit:g} {unit}"
    if error:
        return Check(metric, value, None, unit, None, target,
                     MISSING if error.startswith(MISSING) else FAILED, "", error)
    if value is None:
        return Check(metric, None, None, unit, None, target, FAILED, "", note or "no value")
    ok = value >= limit if higher_is_better else value <= limit
    return Check(metric, value, None, unit, None, target, PASS if ok else MISS, "", note)
