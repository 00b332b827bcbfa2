"""Train the request (*réponse attendue*) sentence model: accalmie/data/models/intent.json.

Data: the Parakweet e-mail intent sentences (English, Apache-2.0, read in place from
../shared/corpora/parakweet_email_intent) and the project's own sentences: French
(accalmie/data/intent_fr.tsv) and a few English mail formulas (accalmie/data/intent_en.tsv).
Method: binary word unigrams, bigrams and first words (L2-normalised) plus cue families
(polite request, question to the reader, deadline, courtesy formula… in French and English),
one L2-regularised logistic regression. The model card (accalmie/data/models/intent.md) gives
the figures; `--cv` measures them again.

    nice -n 10 .venv/bin/python scripts/train_intent.py [--parakweet FILE] [--out FILE] [--cv 5]

:func:`train` is the whole method; the benchmark and the tests retrain it on every fold.
"""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from accalmie.eval.intent import LabelledSet, Predictor, cross_validate, read_tsv  # noqa: E402
from accalmie.triage.requests import (  # noqa: E402
    MODEL_PATH,
    IntentModel,
    sentence_features,
    sentence_key,
)

PARAKWEET = REPO.parent / "shared" / "corpora" / "parakweet_email_intent" / "Ask0729-fixed.txt"
FRENCH = REPO / "accalmie" / "data" / "intent_fr.tsv"
ENGLISH_OWN = REPO / "accalmie" / "data" / "intent_en.tsv"
C = 10.0  # inverse regularisation, chosen by 5-fold cross-validation on the English set
CUE_SCALE = 0.5  # cue families next to the L2-normalised n-grams
OWN_WEIGHT = 2.0  # the project's own sets are small: each sentence counts twice


def train(sentences: Sequence[str], labels: Sequence[bool],
          weights: Sequence[float] | None = None, *, c: float = C,
          cue_scale: float = CUE_SCALE) -> IntentModel:
    """Fit the sentence model; deterministic for the same data."""
    import numpy as np
    from scipy.sparse import csr_matrix, hstack
    from sklearn.linear_model import LogisticRegression

    gram_index: dict[str, int] = {}
    cue_index: dict[str, int] = {}
    g_rows: list[int] = []
    g_cols: list[int] = []
    g_vals: list[float] = []
    c_rows: list[int] = []
    c_cols: list[int] = []
    for r, s in enumerate(sentences):
        grams, cues = sentence_features(s)
        uniq = sorted(set(grams))
        norm = 1.0 / math.sqrt(len(uniq))
        for g in uniq:
            g_rows.append(r)
            g_cols.append(gram_index.setdefault(g, len(gram_index)))
            g_vals.append(norm)
        for cue in sorted(set(cues)):
            c_rows.append(r)
            c_cols.append(cue_index.setdefault(cue, len(cue_index)))
    n = len(sentences)
    xg = csr_matrix((g_vals, (g_rows, g_cols)), shape=(n, len(gram_index)))
    xc = csr_matrix(([cue_scale] * len(c_rows), (c_rows, c_cols)), shape=(n, len(cue_index)))
    x = hstack([xg, xc]).tocsr()
    y = np.array([bool(v) for v in labels])
    lr = LogisticRegression(C=c, solver="liblinear", max_iter=5000)
    lr.fit(x, y, sample_weight=None if weights is None else np.asarray(weights, dtype=float))
    coef = lr.coef_.ravel()
    ng = len(gram_index)
    grams_w = {g: float(coef[i]) for g, i in gram_index.items()}
    cues_w = {cname: float(coef[ng + i]) * cue_scale for cname, i in cue_index.items()}
    return IntentModel(float(lr.intercept_[0]), grams_w, cues_w,
                       frozenset(sentence_key(s) for s in sentences),
                       {"c": c, "cue_scale": cue_scale, "n_train": n,
                        "n_yes": int(y.sum())})


def trainer(sentences: Sequence[str], labels: Sequence[bool],
            weights: Sequence[float] | None = None) -> Predictor:
    """:func:`train` as an evaluation method (see accalmie.eval.intent.cross_validate)."""
    model = train(sentences, labels, weights)
    return lambda test: [model.probability(s) for s in test]


def merge(*sets: LabelledSet) -> LabelledSet:
    out = LabelledSet()
    for part in sets:
        out.sentences += part.sentences
        out.labels += part.labels
    return out


def own_data() -> tuple[LabelledSet, LabelledSet]:
    """The project's own sentences: French, and a few English mail formulas."""
    return read_tsv(FRENCH), read_tsv(ENGLISH_OWN)


def training_data(parakweet: Path) -> tuple[list[str], list[bool], list[float]]:
    """Everything the shipped model learns from, with each sentence's weight."""
    en = read_tsv(parakweet)
    own = merge(*own_data())
    return (en.sentences + own.sentences, en.labels + own.labels,
            [1.0] * len(en) + [OWN_WEIGHT] * len(own))


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--parakweet", type=Path, default=PARAKWEET)
    ap.add_argument("--out", type=Path, default=MODEL_PATH)
    ap.add_argument("--cv", type=int, default=0, help="also report k-fold figures (k >= 2)")
    args = ap.parse_args(argv)
    if not args.parakweet.is_file():
        print(f"missing {args.parakweet}", file=sys.stderr)
        return 2
    en = read_tsv(args.parakweet)
    fr, own_en = own_data()
    if args.cv >= 2:
        r_en = cross_validate(trainer, en, k=args.cv, extra=merge(fr, own_en),
                              extra_weight=OWN_WEIGHT)
        r_fr = cross_validate(trainer, fr, k=args.cv, weight=OWN_WEIGHT, extra=merge(en, own_en))
        print(f"English (Parakweet) {args.cv}-fold: accuracy {r_en.accuracy:.4f}, "
              f"F1 yes {r_en.f1_yes:.4f}, n {r_en.n}")
        print(f"French (own set) {args.cv}-fold: accuracy {r_fr.accuracy:.4f}, "
              f"F1 yes {r_fr.f1_yes:.4f}, n {r_fr.n}")
    sentences, labels, weights = training_data(args.parakweet)
    model = train(sentences, labels, weights)
    model.meta.update({"data": ["parakweet_email_intent/Ask0729-fixed.txt (Apache-2.0)",
                                "accalmie/data/intent_fr.tsv (Accalmie)",
                                "accalmie/data/intent_en.tsv (Accalmie)"],
                       "n_parakweet": len(en), "n_own_fr": len(fr), "n_own_en": len(own_en),
                       "own_weight": OWN_WEIGHT})
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(model.to_json(), encoding="utf-8")
    print(f"wrote {args.out} ({args.out.stat().st_size / 1024:.0f} KiB, "
          f"{len(model.grams)} n-gram weights)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
