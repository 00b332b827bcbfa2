"""Parser throughput on one core, per corpus (runs ``benchmarks/parse_speed.py``).

Isolates the costly per-message stage of the Maildir and IMAP benchmarks, so that a slowdown
shows where it happens. No target of its own: the figures are shown for information.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from benchmarks import INFO, MISSING, Check, Context, Outcome, Table, register
from benchmarks.corpus import REPO, DataMissing, corpora_dir
from benchmarks.tools import private_env, run_measured

SCRIPT = Path(__file__).with_name("parse_speed.py")
QUICK_LIMIT = 300


def _parse_table(text: str) -> tuple[list[str], list[list[str]], float | None]:
    """Columns and rows of parse_speed's plain table, and the all-corpora messages/s.

    Columns are separated by two spaces or more (a corpus name may hold single spaces); the
    first column whose header says msgs/s is the headline figure.
    """
    columns: list[str] = []
    rows: list[list[str]] = []
    total = None
    for line in text.splitlines():
        cells = [c for c in re.split(r"\s{2,}", line.strip()) if c]
        if not columns:
            if cells and cells[0].lower() == "corpus":
                columns = cells
            continue
        if len(cells) != len(columns):
            continue
        rows.append(cells)
        rate_col = next((i for i, c in enumerate(columns) if "/s" in c), len(columns) - 1)
        if cells[0].startswith("all"):
            try:
                total = float(cells[rate_col].replace(",", ""))
            except ValueError:
                total = None
    return columns, rows, total


def bench_parse(ctx: Context) -> Outcome:
    argv = [sys.executable, "-m", "benchmarks.parse_speed"]
    if ctx.quick:
        argv += ["--limit", str(QUICK_LIMIT)]
    env = private_env(ctx.workdir / "home")
    env["PYTHONPATH"] = str(REPO)
    env["ACCALMIE_CORPORA"] = str(corpora_dir())
    if not corpora_dir().is_dir():
        raise DataMissing(f"{MISSING}: corpora not found at {corpora_dir()} "
                          "(set ACCALMIE_CORPORA)")
    res = run_measured(argv, env=env, cwd=REPO, timeout=3600)
    columns, rows, total = _parse_table(res.stdout)
    table = Table("Parser alone, one core, messages already in memory",
                  columns or ["corpus"], rows)
    if not res.ok or total is None:
        note = f"FAILED: python -m benchmarks.parse_speed {res.failure()}"
        table.notes.append(res.output_tail())
        return Outcome("parse", "", "", tables=[table], checks=[Check(
            "Parser, one core", None, None, "msg/s", None, "", "FAILED", "", note)])
    return Outcome("parse", "", "", tables=[table], checks=[Check(
        "Parser, one core", total, None, "msg/s", None, "(information)", INFO)],
        data={"columns": columns, "rows": rows, "messages_per_s": total})


if SCRIPT.exists():
    register("parse", "Parser speed (one core)",
             "messages/s of accalmie.mail.parse.parse_message alone on each corpus, one core "
             "(benchmarks/parse_speed.py); for information", order=45)(bench_parse)
