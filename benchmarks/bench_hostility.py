"""Hostility macro-F1 per French corpus, against TF-IDF + logistic regression, same run.

The shipped detector (rules + a model trained on MLMA and the project's own examples and
template sentences) is tested on sources it never trained on: CyberAgressionAdo-Large (teen
chats, OAG vs NAG; OAG+CAG vs NAG too) and the superset's non-MLMA datasets. One number, the
model's probability floor, was chosen on the superset's ``sexism`` rows (the dev source), so
that row is marked as such; CyberAgression is the held-out test. The superset's ``cyberado``
rows are mostly CyberAgression texts again (same project), labelled for hate only. The
baseline is a plain TF-IDF + logistic regression, shown trained in-source (5-fold
cross-validation) and cross-source (train on X, test on Y), which is the gap the issue
describes. Label mappings: accalmie/eval/hostility.py.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable

from benchmarks import INFO, MISSING, Check, Context, Outcome, Table, limit_check, ratio_check
from benchmarks import register as _register
from benchmarks.corpus import DataMissing, corpora_dir

TARGET = 0.80
QUICK_N = 300


def _sets(corpora) -> dict[str, list[tuple[str, bool]]]:  # noqa: ANN001
    from accalmie.eval import hostility as E

    cy = E.cyberagression(corpora)
    sup = [i for i in E.superset(corpora) if i.group != "MLMA"]
    return {
        "MLMA": [(i.text, bool(i.hostile)) for i in E.mlma(corpora)],
        "CyberAgression OAG/NAG": list(E.binary(cy)),
        "CyberAgression OAG+CAG/NAG": [(i.text, i.label != "NAG") for i in cy],
        "superset non-MLMA": [(i.text, bool(i.hostile)) for i in sup],
        "superset cyberado": [(i.text, bool(i.hostile)) for i in sup if i.group == "cyberado"],
        "superset sexism (dev)": [(i.text, bool(i.hostile)) for i in sup
                                  if i.group == "sexism"],
        "CyberAgression obesity+religion": [
            (i.text, bool(i.hostile)) for i in cy if i.hostile is not None
            and ("obesity" in i.group or "religion" in i.group)],
    }


def _sample(data: list[tuple[str, bool]], n: int | None) -> list[tuple[str, bool]]:
    if n is None or len(data) <= n:
        return data
    return random.Random(13).sample(data, n)


def _tfidf_fit(data: list[tuple[str, bool]]) -> Callable[[list[str]], list[bool]]:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    vec = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)
    x = vec.fit_transform([t for t, _ in data])
    clf = LogisticRegression(max_iter=2000, class_weight="balanced").fit(
        x, [int(y) for _, y in data])
    return lambda texts: [bool(p) for p in clf.predict(vec.transform(texts))]


def _tfidf_cv(data: list[tuple[str, bool]], folds: int = 5) -> float:
    from accalmie.eval.hostility import scores

    items = list(data)
    random.Random(5).shuffle(items)
    truth: list[bool] = []
    pred: list[bool] = []
    for k in range(folds):
        test = items[k::folds]
        train = [x for i, x in enumerate(items) if i % folds != k]
        if len({y for _, y in train}) < 2:
            continue
        truth += [y for _, y in test]
        pred += _tfidf_fit(train)([t for t, _ in test])
    return scores(truth, pred).macro_f1


def bench_hostility(ctx: Context) -> Outcome:
    from accalmie.eval.hostility import evaluate, scores

    corpora = corpora_dir()
    needed = ("mlma_hate_speech_fr", "cyberagression_large_fr", "french_hate_speech_superset")
    if not all((corpora / n).is_dir() for n in needed):
        raise DataMissing(f"{MISSING}: French hostility corpora not found in {corpora} "
                          "(set ACCALMIE_CORPORA)")
    n = QUICK_N if ctx.quick else None
    sets = {k: _sample(v, n) for k, v in _sets(corpora).items()}
    tests = [k for k in sets if k != "MLMA"]

    ours = Table("Accalmie (rules + model trained on MLMA + own examples and templates), "
                 "macro-F1 on sources not used for training",
                 ["test set", "n", "hostile", "macro-F1", "precision", "recall", "msgs/s",
                  "rules alone"])
    results = {}
    for name in tests:
        texts = [t for t, _ in sets[name]]
        truth = [y for _, y in sets[name]]
        res = evaluate(texts, truth, "fr", model=True)
        rules = evaluate(texts, truth, "fr", model=False)
        results[name] = res
        ours.rows.append([name, str(res.n), str(res.n_positive), f"{res.macro_f1:.3f}",
                          f"{res.precision:.3f}", f"{res.recall:.3f}", f"{res.msgs_per_s:,.0f}",
                          f"{rules.macro_f1:.3f}"])
    ours.notes.append("label mappings: accalmie/eval/hostility.py; CAG = covert aggression")
    ours.notes.append("model floor chosen on 'superset sexism (dev)'; every other row is a "
                      "held-out test")

    # TF-IDF + LR: train on X (rows), test on Y (columns); the diagonal is 5-fold CV.
    sources = ["MLMA", "CyberAgression OAG/NAG", "superset non-MLMA"]
    base = Table("TF-IDF + logistic regression: train on row, test on column (diagonal: "
                 "5-fold cross-validation in-source)", ["trained on"] + sources)
    cross = {}
    started = time.perf_counter()
    for src in sources:
        predict = _tfidf_fit(sets[src])
        row = [src]
        for dst in sources:
            if dst == src:
                f1 = _tfidf_cv(sets[src])
            else:
                f1 = scores([y for _, y in sets[dst]],
                            predict([t for t, _ in sets[dst]])).macro_f1
                cross[(src, dst)] = f1
            row.append(f"{f1:.3f}")
        base.rows.append(row)
    base.notes.append(f"baseline fitted and tested in {time.perf_counter() - started:.0f} s")
    if ctx.quick:
        for t in (ours, base):
            t.notes.append(f"--quick: {QUICK_N} texts per set, figures mean little")

    main = results["CyberAgression OAG/NAG"]
    checks: list[Check] = [
        limit_check("Hostility macro-F1, CyberAgression OAG/NAG (source not trained on)",
                    main.macro_f1, "macro-F1", limit=TARGET, higher_is_better=True),
        ratio_check("Hostility vs TF-IDF+LR, both trained on MLMA, CyberAgression",
                    main.macro_f1, cross[("MLMA", "CyberAgression OAG/NAG")], "macro-F1",
                    target_ratio=1.0, higher_is_better=True, reference="TF-IDF+LR"),
    ]
    for name in tests[1:]:
        checks.append(Check(f"Hostility macro-F1, {name}", results[name].macro_f1, None,
                            "macro-F1", None, "(information)", INFO))
    return Outcome("hostility", "", "", tables=[ours, base], checks=checks,
                   data={k: v.to_dict() for k, v in results.items()}
                   | {"tfidf_cross": {f"{a} -> {b}": v for (a, b), v in cross.items()}})


_register("hostility", "Hostility detection (French, cross-source)",
          "macro-F1 of Accalmie's hostility detector on French corpora it was not trained on, "
          "against TF-IDF + logistic regression in-source and cross-source; target >= 0.80",
          order=60)(bench_hostility)
