"""The learned part: a logistic regression on the words and word pairs of a message.

Trained by ``scripts/train_phishing.py`` on data whose licence allows shipping the result (see
``accalmie/data/models/phishing.md``). Its input is the text only (subject and the start of the
body, :mod:`~accalmie.guard.phishing.text`): never a trace header, never a date, which in the
available corpora tell the era and the provider apart, not the intent.

The model is a JSON file of ``{feature: weight}`` (pruned to the features that matter), read
once; scoring is one dictionary lookup per distinct word and pair, binary features scaled to
unit length, as in training.
"""

from __future__ import annotations

import json
import logging
import math
from dataclasses import dataclass
from functools import lru_cache
from itertools import repeat
from pathlib import Path

from accalmie.guard.phishing.text import TextView

MODEL_PATH = Path(__file__).resolve().parents[2] / "data" / "models" / "phishing.json"
FORMAT = "accalmie-phishing-text/1"

log = logging.getLogger(__name__)


def features(view: TextView) -> set[str]:
    """The model's input: the message's words and word pairs."""
    return set(view.vocab)


@dataclass(frozen=True, slots=True)
class TextModel:
    weights: dict[str, float]
    bias: float
    # Platt scaling of the raw margin, fitted on held-out data: p = sigmoid(a * margin + b).
    calib_a: float = 1.0
    calib_b: float = 0.0
    # p -> reason weight: below ``floor`` nothing; the weight then grows to ``ceiling`` at p=1.
    floor: float = 0.5
    ceiling: float = 0.6

    def margin(self, view: TextView) -> float:
        feats = view.vocab
        if not feats:
            return self.bias
        total = sum(map(self.weights.get, feats, repeat(0.0)))
        return self.bias + total / math.sqrt(len(feats))

    def probability(self, view: TextView) -> float:
        z = self.calib_a * self.margin(view) + self.calib_b
        if z < -35:
            return 0.0
        return 1.0 / (1.0 + math.exp(-z))

    def weight(self, p: float) -> float:
        """How much the model's probability weighs as a reason (0 when unsure)."""
        if p <= self.floor:
            return 0.0
        return round(self.ceiling * (p - self.floor) / (1.0 - self.floor), 4)

    def to_json(self) -> str:
        return json.dumps({"format": FORMAT, "bias": self.bias, "calib_a": self.calib_a,
                           "calib_b": self.calib_b, "floor": self.floor,
                           "ceiling": self.ceiling, "weights": self.weights},
                          ensure_ascii=False, sort_keys=True)


def load(path: Path) -> TextModel:
    data = json.loads(path.read_text(encoding="utf-8"))
    if data.get("format") != FORMAT:
        raise ValueError(f"{path}: not a {FORMAT} model")
    return TextModel({str(k): float(v) for k, v in data["weights"].items()},
                     float(data["bias"]), float(data.get("calib_a", 1.0)),
                     float(data.get("calib_b", 0.0)), float(data.get("floor", 0.5)),
                     float(data.get("ceiling", 0.6)))


@lru_cache(maxsize=1)
def text_model() -> TextModel | None:
    """The shipped model, or None when it is missing or unreadable (the heuristics remain)."""
    try:
        return load(MODEL_PATH)
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        log.warning("phishing text model unreadable, heuristics only: %s", exc)
        return None
