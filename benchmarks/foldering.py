"""(d) Foldering accuracy: Accalmie's online learner against a linear SVM, same splits, same run.

Both read the same parsed messages of each Enron user (``enron_folders``), sorted by date, with
non-topical and tiny folders dropped and X-Folder removed, and are scored on the incremental
time split of Bekkerman et al. (2004): train on the first 100·k messages, test on the next 100.

Three columns per user:

* **ours (frozen)** — the learner is frozen during each block of 100 and learns it afterwards:
  the batch protocol to the letter, the strict like-for-like comparison with the SVM, what
  ``accalmie eval foldering`` reports by default, and the column the target is judged on;
* **ours (online)** — the learner predicts each message, then learns it: how it runs in the
  product (shown for information: it sees more than the protocol allows);
* **SVM** — scikit-learn ``LinearSVC`` on tf·idf bag of words of From/To/Cc/Subject/body,
  refitted from scratch for every block.

Run: ``python -m benchmarks.foldering [--index CSV] [--archives DIR] [--users u1,u2] [--json]``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from accalmie.eval.baseline import run_svm
from accalmie.eval.foldering import (
    FolderingError,
    Item,
    block_mean,
    load_user,
    read_index,
    run_learner,
    select,
)
from accalmie.triage.learner import MEMORY_WEIGHT, OnlineLearner
from benchmarks import INFO, MISSING, Check, Context, Missing, Outcome, Table, limit_check
from benchmarks.corpus import corpora_dir

TARGET_MEAN = 0.78
USERS = ("farmer-d", "kaminski-v", "lokay-m")


@dataclass
class Row:
    user: str
    messages: int
    folders: int
    n_test: int
    online: float
    frozen: float
    svm: float
    seconds_online: float
    seconds_frozen: float
    seconds_svm: float


@dataclass
class Comparison:
    rows: list[Row] = field(default_factory=list)

    def mean(self, attr: str) -> float:
        values = [getattr(r, attr) for r in self.rows]
        return sum(values) / len(values) if values else float("nan")

    @property
    def above_svm_everywhere(self) -> bool:
        return bool(self.rows) and all(r.frozen > r.svm for r in self.rows)

    def to_dict(self) -> dict[str, object]:
        return {"rows": [asdict(r) for r in self.rows],
                "mean": {k: self.mean(k) for k in ("online", "frozen", "svm")}}


def _timed_learner(items: list[Item], online: bool) -> tuple[float, float]:
    start = time.perf_counter()
    blocks = run_learner(items, OnlineLearner(memory=MEMORY_WEIGHT), online=online)
    return block_mean(blocks), time.perf_counter() - start


def compare(index_csv: Path, archives: Path, users: list[str] | None = None,
            limit: int | None = None, log=print) -> Comparison:  # noqa: ANN001
    """Parse each user once, then score the three contestants on the same items."""
    index = read_index(index_csv)
    chosen = users or [u for u in USERS if u in index] or sorted(index)
    result = Comparison()
    for user in chosen:
        if user not in index:
            raise FolderingError(f"user not in the index: {user}")
        items = load_user(archives, user, index[user])
        if limit:
            items = items[:limit]
        if len(items) <= 100:
            log(f"{user}: only {len(items)} messages kept, skipped")
            continue
        online, t_online = _timed_learner(items, True)
        frozen, t_frozen = _timed_learner(items, False)
        start = time.perf_counter()
        svm = block_mean(run_svm(items))
        t_svm = time.perf_counter() - start
        row = Row(user, len(items), len({it.folder for it in items}), len(items) - 100,
                  online, frozen, svm, t_online, t_frozen, t_svm)
        log(f"{user}: online {online:.3f}  frozen {frozen:.3f}  svm {svm:.3f}  "
            f"({len(select(index[user]))} kept in the index)")
        result.rows.append(row)
    return result


def table(cmp: Comparison) -> Table:
    out = Table("Foldering accuracy (mean over test blocks of 100)",
                ["user", "folders", "n test", "ours (online)", "ours (frozen)", "SVM",
                 "frozen − SVM", "time ours / SVM"])
    for r in cmp.rows:
        out.rows.append([r.user, str(r.folders), str(r.n_test), f"{r.online:.1%}",
                         f"{r.frozen:.1%}", f"{r.svm:.1%}", f"{(r.frozen - r.svm) * 100:+.1f} pt",
                         f"{r.seconds_online:.1f} s / {r.seconds_svm:.1f} s"])
    out.rows.append(["mean", "", str(sum(r.n_test for r in cmp.rows)),
                     f"{cmp.mean('online'):.1%}", f"{cmp.mean('frozen'):.1%}",
                     f"{cmp.mean('svm'):.1%}",
                     f"{(cmp.mean('frozen') - cmp.mean('svm')) * 100:+.1f} pt", ""])
    out.notes = [
        "frozen: the learner does not learn inside a test block (the batch protocol exactly;",
        "        `accalmie eval foldering`); the target is judged on this column.",
        "online: predict each message, then learn it (the product; for information).",
        "SVM: LinearSVC on tf-idf of From/To/Cc/Subject/body, refitted for every block.",
    ]
    return out


def outcome(ctx: Context) -> Outcome:
    """The suite's entry: (d) with the summary rows (mean target, above the SVM per user)."""
    base = corpora_dir() / "enron_folders"
    if not (base / "index.csv").is_file():
        raise Missing(f"{MISSING}: {base}/index.csv not found (set ACCALMIE_CORPORA)")
    cmp = compare(base / "index.csv", base, ["lokay-m"] if ctx.quick else None,
                  limit=600 if ctx.quick else None, log=ctx.log)
    out = Outcome("foldering", "", "", tables=[table(cmp)], data=cmp.to_dict())
    out.checks.append(limit_check("mean accuracy, frozen per block (batch protocol)",
                                  cmp.mean("frozen") * 100, "%", limit=TARGET_MEAN * 100,
                                  higher_is_better=True))
    for r in cmp.rows:
        ok = r.frozen > r.svm
        out.checks.append(Check(f"{r.user}: frozen vs SVM", r.frozen * 100, r.svm * 100, "%",
                                r.frozen / r.svm if r.svm else None, "> SVM",
                                "PASS" if ok else "MISS", "linear SVM"))
    out.checks.append(Check("mean accuracy, online (predict then learn)",
                            cmp.mean("online") * 100, cmp.mean("svm") * 100, "%", None,
                            "information", INFO, "linear SVM"))
    return out


def main(argv: list[str] | None = None) -> int:
    base = corpora_dir() / "enron_folders"
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index", type=Path, default=base / "index.csv")
    parser.add_argument("--archives", type=Path, default=base)
    parser.add_argument("--users", default="", help="comma-separated (default: the three "
                        "benchmark users)")
    parser.add_argument("--limit", type=int, default=0, help="first N messages per user only")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = parser.parse_args(argv)
    users = [u.strip() for u in args.users.split(",") if u.strip()] or None
    try:
        cmp = compare(args.index, args.archives, users, args.limit or None,
                      log=lambda s: print(s, file=sys.stderr))
    except FolderingError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 3
    if args.json:
        print(json.dumps(cmp.to_dict(), indent=2))
        return 0
    t = table(cmp)
    widths = [max(len(str(row[i])) for row in [t.columns, *t.rows]) for i in range(len(t.columns))]
    print(t.title)
    for row in [t.columns, *t.rows]:
        print("  ".join(str(c).ljust(w) if i < 1 else str(c).rjust(w)
                        for i, (c, w) in enumerate(zip(row, widths, strict=True))))
    for note in t.notes:
        print("  " + note)
    target = "PASS" if cmp.mean("frozen") >= TARGET_MEAN and cmp.above_svm_everywhere else "MISS"
    print(f"target (frozen, the protocol): mean >= {TARGET_MEAN:.0%} and above the SVM on every "
          f"user: {target}")
    print(f"online (for information): mean {cmp.mean('online'):.1%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
