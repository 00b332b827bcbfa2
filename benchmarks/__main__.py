"""Run the benchmark suite: ``python -m benchmarks [--only NAME] [--quick] [--json FILE]``.

Prints one table per benchmark, then a summary of the ratios against the targets. Exit code:
0 every benchmark ran (PASS or MISS), 1 a tool or a benchmark failed, 2 bad command line,
3 something was missing (a tool or the corpora) and nothing failed.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
import traceback
from datetime import UTC, datetime
from pathlib import Path

from rich.console import Console
from rich.table import Table as RichTable

from benchmarks import (
    ERROR,
    FAILED,
    INFO,
    MISS,
    MISSING,
    PASS,
    Benchmark,
    Check,
    Context,
    Missing,
    Outcome,
    Table,
    load_all,
)
from benchmarks.corpus import REPO, bench_root
from benchmarks.tools import machine

STYLE = {PASS: "bold green", MISS: "bold yellow", INFO: "cyan", MISSING: "bold white on red",
         FAILED: "bold white on red", ERROR: "bold white on red"}


def _fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit in ("msg/s",):
        return f"{value:,.0f} {unit}"
    if unit == "%":
        return f"{value:.1f} %"
    return f"{value:,.2f} {unit}" if abs(value) < 100 else f"{value:,.0f} {unit}"


def run_one(bench: Benchmark, ctx: Context, console: Console) -> Outcome:
    """Run one benchmark; a missing tool or a crash becomes a loud summary row."""
    start = time.perf_counter()
    try:
        outcome = bench.func(ctx)
    except Missing as exc:
        outcome = Outcome(bench.name, "", "", checks=[Check(
            bench.title, None, None, "", None, "", MISSING, "", str(exc))], error=str(exc))
    except Exception as exc:  # noqa: BLE001 - report every failure, keep running the suite
        tb = traceback.format_exc()
        console.print(f"[red]{bench.name}: the benchmark broke[/red]\n{tb}")
        outcome = Outcome(bench.name, "", "", checks=[Check(
            bench.title, None, None, "", None, "", ERROR, "",
            f"{type(exc).__name__}: {exc}")], error=tb)
    outcome.name, outcome.title, outcome.measures = bench.name, bench.title, bench.measures
    outcome.seconds = time.perf_counter() - start
    return outcome


def render_table(table: Table) -> RichTable:
    out = RichTable(title=table.title, title_justify="left", show_lines=False)
    for i, col in enumerate(table.columns):
        out.add_column(col, justify="left" if i < 2 else "right", overflow="fold")
    for row in table.rows:
        loud = any(str(cell).startswith((MISSING, FAILED)) for cell in row)
        out.add_row(*[str(c) for c in row], style="bold red" if loud else None)
    if table.notes:
        out.caption = "\n".join(table.notes)
        out.caption_justify = "left"
    return out


def render_outcome(outcome: Outcome, console: Console) -> None:
    console.rule(f"[bold]{outcome.title}[/bold]")
    console.print(f"[dim]Measures:[/dim] {outcome.measures}")
    for table in outcome.tables:
        console.print(render_table(table))
    for check in outcome.checks:
        if check.status in (MISSING, FAILED, ERROR):
            console.print(f"[{STYLE[check.status]}] {check.status} [/] {check.note}")
    console.print(f"[dim]({outcome.seconds:.0f} s)[/dim]\n")


def render_summary(outcomes: list[Outcome], console: Console, quick: bool) -> None:
    table = RichTable(title="Summary: Accalmie against the established tools, same run"
                      + (" (--quick: sizes too small to mean anything)" if quick else ""),
                      title_justify="left")
    for col in ("Benchmark", "Measure", "Accalmie", "Reference", "Ratio", "Target", "Result"):
        table.add_column(col, justify="right" if col in ("Accalmie", "Reference", "Ratio")
                         else "left", overflow="fold")
    for outcome in outcomes:
        for check in outcome.checks:
            ratio = f"{check.ratio:.2f}x" if check.ratio is not None else "—"
            result = f"[{STYLE.get(check.status, '')}]{check.status}[/]"
            if check.note and check.status not in (PASS, MISS):
                note = check.note if len(check.note) <= 160 else check.note[:157] + "…"
                result += f"\n{note}"
            ref = _fmt(check.theirs, check.unit)
            if check.reference and check.theirs is not None:
                ref = f"{ref}\n({check.reference})"
            table.add_row(outcome.title, check.metric, _fmt(check.ours, check.unit), ref,
                          ratio, check.target, result)
    console.rule("[bold]Summary[/bold]")
    console.print(table)


def exit_code(outcomes: list[Outcome]) -> int:
    statuses = {c.status for o in outcomes for c in o.checks}
    if statuses & {FAILED, ERROR}:
        return 1
    if MISSING in statuses:
        return 3
    return 0


def parse_args(argv: list[str] | None, names: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="Accalmie's benchmarks, side by side with established tools, in one run.")
    p.add_argument("--only", action="append", metavar="NAME",
                   help=f"run only this benchmark (repeatable; one of: {', '.join(names)})")
    p.add_argument("--quick", action="store_true",
                   help="small sizes, one run each: a smoke test of the harness")
    p.add_argument("--json", type=Path, metavar="FILE", help="also write the results as JSON")
    p.add_argument("--repeats", type=int, default=None,
                   help="runs per timed tool, best counts (default 2, 1 with --quick)")
    p.add_argument("--mailbox", type=Path, metavar="DIR",
                   help="use this Maildir instead of the shared corpora")
    p.add_argument("--include-preprocessed", action="store_true",
                   help="also put the subject+body Enron-Spam set (enron1) in the mailbox")
    p.add_argument("--workdir", type=Path, metavar="DIR",
                   help="scratch folder (default: a new one under $ACCALMIE_BENCH_DIR or /tmp)")
    p.add_argument("--keep", action="store_true", help="keep the scratch folder")
    p.add_argument("--list", action="store_true", help="list the benchmarks and exit")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    suite = load_all()
    names = [b.name for b in suite]
    args = parse_args(argv, names)
    console = Console(highlight=False, width=None if sys.stdout.isatty() else 132)
    if args.list:
        for b in suite:
            console.print(f"[bold]{b.name}[/bold]  {b.title}\n    {b.measures}")
        return 0
    if args.only:
        unknown = [n for n in args.only if n not in names]
        if unknown:
            console.print(f"[red]Unknown benchmark(s): {', '.join(unknown)}; "
                          f"choose from {', '.join(names)}[/red]")
            return 2
        suite = [b for b in suite if b.name in args.only]
    repeats = args.repeats or (1 if args.quick else 2)
    if repeats < 1:
        console.print("[red]--repeats must be at least 1[/red]")
        return 2
    parent = args.workdir or bench_root()
    if parent is not None:
        parent = parent.resolve()
        if parent == REPO or REPO in parent.parents:
            console.print(f"[red]The scratch folder must be outside the repository ({REPO}).")
            return 2
        parent.mkdir(parents=True, exist_ok=True)
    base = Path(tempfile.mkdtemp(prefix="accalmie-bench-", dir=parent))
    cache = base / "shared"
    cache.mkdir()
    info = machine()
    console.print(f"Accalmie benchmarks — {info['cpus']} CPUs ({info['cpu']}), Python "
                  f"{info['python']}, load {info['load_before']}; scratch {base}")
    outcomes: list[Outcome] = []
    try:
        for bench in suite:
            workdir = base / bench.name
            workdir.mkdir()
            ctx = Context(workdir=workdir, cache=cache, quick=args.quick, repeats=repeats,
                          mailbox=args.mailbox, include_preprocessed=args.include_preprocessed,
                          log=lambda msg: console.print(f"[dim]· {msg}[/dim]"))
            outcome = run_one(bench, ctx, console)
            render_outcome(outcome, console)
            outcomes.append(outcome)
            if not args.keep:
                shutil.rmtree(workdir, ignore_errors=True)
    finally:
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)
    render_summary(outcomes, console, args.quick)
    if args.json:
        doc = {
            "when": datetime.now(UTC).isoformat(timespec="seconds"),
            "machine": info, "quick": args.quick, "repeats": repeats,
            "benchmarks": [o.to_dict() for o in outcomes],
            "summary": [{"benchmark": o.name, **_check_dict(c)}
                        for o in outcomes for c in o.checks],
        }
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(doc, indent=2, default=str) + "\n")
        console.print(f"JSON written to {args.json}")
    return exit_code(outcomes)


def _check_dict(check: Check) -> dict[str, object]:
    from dataclasses import asdict

    return asdict(check)


if __name__ == "__main__":
    sys.exit(main())
