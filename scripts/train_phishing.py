"""Train the phishing analyser's text model (accalmie/data/models/phishing.json).

Data, all of it allowed to train a shipped model (see accalmie/data/models/phishing.md):

* the SpamAssassin public corpus (PDDL / CC0): ham (easy-ham-1, easy-ham-2, hard-ham-1) and
  spam (spam-1, spam-2), trace headers stripped exactly as the evaluation strips them;
* the project's demo mailbox generator (its phishing lures against its ordinary mail);
* the project's hand-written examples in seven languages (scripts/phishing_examples.py).

Never the evaluation-only corpora (Nazario, phishing_pot, Enron): they are research or
non-commercial data, and the figures must be measured on mail the model has not seen.

Features: the ASCII-folded words and word pairs of the subject and the start of the body
(accalmie.guard.phishing.text), binary, scaled to unit length; no header, no date. Model: L2
logistic regression, calibrated with Platt scaling on out-of-fold margins, pruned to the
features that weigh. Usage:

    .venv/bin/python scripts/train_phishing.py [--corpora ../shared/corpora] [--out PATH]
        [--sa-ham easy-ham-1,easy-ham-2,hard-ham-1]
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "scripts"))

from accalmie.eval.phishing import iter_messages, strip_trace_headers  # noqa: E402
from accalmie.guard.phishing.model import MODEL_PATH, TextModel, features  # noqa: E402
from accalmie.guard.phishing.text import TextView, text_view  # noqa: E402
from accalmie.mail.model import Message  # noqa: E402
from accalmie.mail.parse import parse_message  # noqa: E402

C = 4.0
MAX_FEATURES = 40_000
MIN_DF = 2
FLOOR, CEILING = 0.5, 0.55
SHARES = {"sa": 0.5, "own": 0.3, "demo": 0.2}


def _view(raw: bytes) -> TextView:
    return text_view(parse_message(strip_trace_headers(raw)))


def load(corpora: Path, sa_ham: list[str], demo_size: int, per_cell: int
         ) -> tuple[list[TextView], list[int], list[str]]:
    views: list[TextView] = []
    labels: list[int] = []
    origin: list[str] = []
    sa = corpora / "spamassassin_public_corpus"
    for sub, label in [*((s, 0) for s in sa_ham), ("spam-1", 1), ("spam-2", 1)]:
        for raw in iter_messages(sa / sub):
            views.append(_view(raw))
            labels.append(label)
            origin.append("sa")
    from accalmie.demo.generator import generate_mailbox
    from accalmie.triage.decision import Lane

    for seed in (1, 2, 3):
        for dm in generate_mailbox(size=demo_size, seed=seed).messages:
            if dm.folder != "INBOX":
                continue
            views.append(_view(dm.raw))
            labels.append(1 if dm.expected_lane is Lane.SUSPECT else 0)
            origin.append("demo")
    from phishing_examples import examples

    for subject, body, label in examples(seed=11, per_cell=per_cell):
        views.append(text_view(Message(subject=subject, text=body, new_text=body)))
        labels.append(label)
        origin.append("own")
    return views, labels, origin


def matrix(views: list[TextView], vocab: dict[str, int]) -> csr_matrix:
    rows, cols, vals = [], [], []
    for i, v in enumerate(views):
        feats = features(v)
        if not feats:
            continue
        scale = 1.0 / math.sqrt(len(feats))  # as at run time: every feature counts in the norm
        for f in feats:
            j = vocab.get(f)
            if j is not None:
                rows.append(i)
                cols.append(j)
                vals.append(scale)
    return csr_matrix((vals, (rows, cols)), shape=(len(views), len(vocab)))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpora", type=Path, default=REPO.parent / "shared" / "corpora")
    ap.add_argument("--out", type=Path, default=MODEL_PATH)
    ap.add_argument("--sa-ham", default="easy-ham-1,easy-ham-2,hard-ham-1",
                    help="SpamAssassin ham folders to train on (leave some out to test on)")
    ap.add_argument("--demo-size", type=int, default=400)
    ap.add_argument("--per-cell", type=int, default=60)
    args = ap.parse_args()
    t0 = time.time()
    views, labels, origin = load(args.corpora, [s for s in args.sa_ham.split(",") if s],
                                 args.demo_size, args.per_cell)
    y = np.array(labels)
    print(f"{len(views)} messages ({int(y.sum())} fraud) read in {time.time() - t0:.0f}s: "
          + ", ".join(f"{o} {origin.count(o)}" for o in sorted(set(origin))))
    df: dict[str, int] = {}
    for v in views:
        for f in features(v):
            df[f] = df.get(f, 0) + 1
    vocab = {f: i for i, f in enumerate(sorted(f for f, n in df.items() if n >= MIN_DF))}
    X = matrix(views, vocab)
    # Real mail weighs most; within a source, each class as much as the other. The demo and
    # the hand-written examples are narrow (a few names, a few templates): they teach the
    # scenarios and the languages, not the details.
    weight = np.ones(len(y))
    for o, share in SHARES.items():
        for cls in (0, 1):
            mask = (np.array(origin) == o) & (y == cls)
            if mask.any():
                weight[mask] = len(y) * share / (2 * mask.sum())
    margins = np.zeros(len(y))
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
    for train, test in folds.split(X, y):
        clf = LogisticRegression(C=C, max_iter=3000)
        clf.fit(X[train], y[train], sample_weight=weight[train])
        margins[test] = clf.decision_function(X[test])
    for o in sorted(set(origin)):
        mask = np.array(origin) == o
        if len(set(y[mask])) == 2:
            print(f"  out-of-fold AUC on {o}: {roc_auc_score(y[mask], margins[mask]):.4f}")
    platt = LogisticRegression(C=1e4).fit(margins.reshape(-1, 1), y)
    calib_a, calib_b = float(platt.coef_[0][0]), float(platt.intercept_[0])
    clf = LogisticRegression(C=C, max_iter=3000).fit(X, y, sample_weight=weight)
    coef = clf.coef_[0]
    names = sorted(vocab, key=vocab.get)  # type: ignore[arg-type]
    order = np.argsort(-np.abs(coef))[:MAX_FEATURES]
    weights = {names[j]: round(float(coef[j]), 4) for j in order if abs(coef[j]) >= 1e-3}
    model = TextModel(weights, round(float(clf.intercept_[0]), 4), round(calib_a, 4),
                      round(calib_b, 4), FLOOR, CEILING)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(model.to_json(), encoding="utf-8")
    top = sorted(weights.items(), key=lambda kv: -kv[1])
    print(f"{len(weights)} features kept of {len(vocab)}; Platt a={calib_a:.3f} "
          f"b={calib_b:.3f}; {args.out} ({args.out.stat().st_size // 1024} KiB) in "
          f"{time.time() - t0:.0f}s")
    print("  most fraudulent:", ", ".join(k for k, _ in top[:25]))
    print("  most ordinary:", ", ".join(k for k, _ in top[-25:]))


if __name__ == "__main__":
    main()
