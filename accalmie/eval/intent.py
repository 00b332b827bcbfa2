"""Measuring request detection (*réponse attendue*) on labelled sentences.

The format is the Parakweet e-mail intent set's: one sentence a line, ``Yes|No<TAB>sentence``.
Files come from anywhere, so reading never fails on content: invalid bytes are replaced,
malformed lines are counted and skipped. Accuracy on sentences the model was trained on says
nothing about new mail, so every result reports how many test sentences the model has already
seen (by fingerprint), and cross-validation retrains the whole method on each fold.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from accalmie.triage.requests import THRESHOLD, IntentModel, sentence_key

MAX_LINE_CHARS = 20_000  # a longer line is not a sentence: reported as malformed
LABELS = {"yes": True, "no": False, "y": True, "n": False, "1": True, "0": False}

# A method under evaluation: trained on (sentences, labels, weights), it returns a function
# giving each sentence's probability of being a request.
Predictor = Callable[[Sequence[str]], list[float]]
Trainer = Callable[[Sequence[str], Sequence[bool], Sequence[float] | None], Predictor]


@dataclass(slots=True)
class LabelledSet:
    sentences: list[str] = field(default_factory=list)
    labels: list[bool] = field(default_factory=list)
    malformed: list[tuple[int, str]] = field(default_factory=list)  # (line number, why)

    def __len__(self) -> int:
        return len(self.sentences)


def parse_tsv(data: bytes) -> LabelledSet:
    """Labelled sentences of a ``Yes|No<TAB>sentence`` file; bad lines reported, not fatal."""
    out = LabelledSet()
    text = data.decode("utf-8", errors="replace").lstrip("\ufeff")
    for no, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        label, tab, sentence = line.partition("\t")
        value = LABELS.get(label.strip().lower())
        sentence = sentence.strip()
        if not tab:
            out.malformed.append((no, "no tab"))
        elif value is None:
            out.malformed.append((no, "label is not Yes or No"))
        elif not sentence:
            out.malformed.append((no, "empty sentence"))
        elif len(sentence) > MAX_LINE_CHARS:
            out.malformed.append((no, "line too long"))
        else:
            out.sentences.append(sentence)
            out.labels.append(value)
    return out


def read_tsv(path: Path | str) -> LabelledSet:
    return parse_tsv(Path(path).read_bytes())


@dataclass(frozen=True, slots=True)
class IntentResult:
    """Accuracy and F1 of the Yes class on one labelled set."""

    accuracy: float
    f1_yes: float
    precision_yes: float
    recall_yes: float
    n: int
    n_yes: int
    tp: int
    fp: int
    fn: int
    tn: int
    n_seen: int = 0  # test sentences found among the model's training sentences
    n_malformed: int = 0

    def to_dict(self) -> dict[str, float | int]:
        return asdict(self)

    def to_json(self) -> str:
        return json.dumps(self.to_dict())


def score(labels: Sequence[bool], predicted: Sequence[bool], *, n_seen: int = 0,
          n_malformed: int = 0) -> IntentResult:
    tp = sum(1 for y, p in zip(labels, predicted, strict=True) if y and p)
    fp = sum(1 for y, p in zip(labels, predicted, strict=True) if not y and p)
    fn = sum(1 for y, p in zip(labels, predicted, strict=True) if y and not p)
    tn = len(labels) - tp - fp - fn
    n = len(labels)
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return IntentResult((tp + tn) / n if n else 0.0, f1, prec, rec, n, tp + fn, tp, fp, fn, tn,
                        n_seen, n_malformed)


def seen_mask(model: IntentModel, sentences: Sequence[str]) -> list[bool]:
    """Which sentences the model was trained on (by fingerprint)."""
    keys = model.training_keys
    return [sentence_key(s) in keys for s in sentences]


def evaluate(predict: Predictor, data: LabelledSet, *, seen: Sequence[bool] | None = None,
             unseen_only: bool = False, threshold: float = THRESHOLD, batch: int = 500,
             progress: Callable[[int, int], None] | None = None) -> IntentResult:
    """Score ``data`` with a predictor; ``seen`` marks sentences it was trained on, which
    ``unseen_only`` leaves out."""
    seen = list(seen) if seen is not None else [False] * len(data)
    pairs = [(s, y) for s, y, k in zip(data.sentences, data.labels, seen, strict=True)
             if not (unseen_only and k)]
    predicted: list[bool] = []
    for start in range(0, len(pairs), batch):
        chunk = [s for s, _ in pairs[start:start + batch]]
        predicted += [p >= threshold for p in predict(chunk)]
        if progress is not None:
            progress(len(predicted), len(pairs))
    return score([y for _, y in pairs], predicted,
                 n_seen=0 if unseen_only else sum(seen), n_malformed=len(data.malformed))


def evaluate_model(model: IntentModel, data: LabelledSet, *, unseen_only: bool = False,
                   threshold: float = THRESHOLD,
                   progress: Callable[[int, int], None] | None = None) -> IntentResult:
    """Score ``data`` with the sentence model, counting the sentences it was trained on."""
    return evaluate(lambda ss: [model.probability(s) for s in ss], data,
                    seen=seen_mask(model, data.sentences), unseen_only=unseen_only,
                    threshold=threshold, progress=progress)


def folds(labels: Sequence[bool], k: int, seed: int) -> list[list[int]]:
    """Stratified folds: each class shuffled with ``seed`` and dealt round-robin."""
    rng = random.Random(seed)
    out: list[list[int]] = [[] for _ in range(k)]
    for cls in (True, False):
        idx = [i for i, y in enumerate(labels) if y is cls]
        rng.shuffle(idx)
        for j, i in enumerate(idx):
            out[j % k].append(i)
    return [sorted(f) for f in out]


def dedupe(data: LabelledSet) -> LabelledSet:
    """One copy of each sentence (case and spacing ignored), so no fold sees a test sentence."""
    seen: set[str] = set()
    out = LabelledSet(malformed=list(data.malformed))
    for s, y in zip(data.sentences, data.labels, strict=True):
        key = sentence_key(s)
        if key not in seen:
            seen.add(key)
            out.sentences.append(s)
            out.labels.append(y)
    return out


def cross_validate(trainer: Trainer, data: LabelledSet, *, k: int = 5, seed: int = 0,
                   weight: float = 1.0, extra: LabelledSet | None = None,
                   extra_weight: float = 1.0, threshold: float = THRESHOLD,
                   step: Callable[[], None] | None = None) -> IntentResult:
    """k-fold accuracy on sentences never seen in training: the method is retrained per fold.

    ``extra`` sentences (another language's set, say) join every fold's training data and are
    never tested; ``weight`` and ``extra_weight`` are the training weights of each part.
    Duplicate sentences are dropped first, so a test sentence cannot hide in the training
    part under another line.
    """
    data = dedupe(data)
    test_keys = {sentence_key(s) for s in data.sentences}
    ex_s: list[str] = []
    ex_y: list[bool] = []
    if extra is not None:
        for s, y in zip(extra.sentences, extra.labels, strict=True):
            if sentence_key(s) not in test_keys:
                ex_s.append(s)
                ex_y.append(y)
    predicted: list[bool | None] = [None] * len(data)
    for fold in folds(data.labels, k, seed):
        held = set(fold)
        tr_s = [s for i, s in enumerate(data.sentences) if i not in held] + ex_s
        tr_y = [y for i, y in enumerate(data.labels) if i not in held] + ex_y
        weights = [weight] * (len(tr_s) - len(ex_s)) + [extra_weight] * len(ex_s)
        predict = trainer(tr_s, tr_y, weights)
        probs = predict([data.sentences[i] for i in fold])
        for i, p in zip(fold, probs, strict=True):
            predicted[i] = p >= threshold
        if step is not None:
            step()
    return score(data.labels, [bool(p) for p in predicted], n_malformed=len(data.malformed))


def tfidf_lr_trainer(sentences: Sequence[str], labels: Sequence[bool],
                     weights: Sequence[float] | None = None) -> Predictor:
    """The reference point: scikit-learn's TfidfVectorizer + LogisticRegression, defaults."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    vec = TfidfVectorizer()
    x = vec.fit_transform(sentences)
    model = LogisticRegression(max_iter=2000).fit(x, list(labels), sample_weight=weights)

    def predict(test: Sequence[str]) -> list[float]:
        return [float(p) for p in model.predict_proba(vec.transform(test))[:, 1]]

    return predict
