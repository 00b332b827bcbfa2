"""The learned part: a logistic regression on hashed character and word n-grams of folded text.

Why this shape: character n-grams of folded text survive the spelling of chats and angry mail
("conar", "kon", "ptn", stretched letters), word n-grams carry the constructions ("t es",
"ta gueule", "sont des") that a bag of letters blurs, and the hashing trick needs no vocabulary
file, so the shipped model is one weight vector (npz, no pickle) plus a small JSON of settings
(with the probability floor chosen on a dev source). It is a complement to the rules, never
alone: it cannot tell a quoted insult from one aimed at the reader, so it scores the text with
the words the scope rules set aside masked out.
"""

from __future__ import annotations

import json
import zlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

MODEL_DIR = Path(__file__).resolve().parents[2] / "data" / "models"
MAX_MODEL_CHARS = 4000


@dataclass(frozen=True)
class HashedLR:
    weights: np.ndarray  # float32, one per hashed feature
    intercept: float
    n_features: int
    ngram: tuple[int, int]
    meta: dict
    word_ngram: tuple[int, int] = (1, 2)

    @property
    def floor(self) -> float | None:
        """Probability above which the model adds evidence (chosen on a dev source)."""
        value = self.meta.get("model_floor")
        return float(value) if value is not None else None

    def probability(self, texts: list[str]) -> np.ndarray:
        """numpy only: the long-running service never loads scikit-learn or scipy."""
        z = np.asarray([float(self.weights[idx] @ val) for idx, val in (
            hashed(t[:MAX_MODEL_CHARS], self.n_features, self.ngram, self.word_ngram)
            for t in texts)]) + self.intercept
        return 1.0 / (1.0 + np.exp(-z))


def ngram_features(text: str, ngram: tuple[int, int], word_ngram: tuple[int, int]
                   ) -> list[tuple[str, float]]:
    """Character n-grams of each padded word and word n-grams, each family L2-normalised.

    Built by hand (one pass, one hashing call) because two sklearn vectorisers per message
    cost more than the rules; the character part is the same as sklearn's ``char_wb``.
    """
    words = text.split()
    chars: dict[str, int] = {}
    lo, hi = ngram
    for w in words:
        padded = f" {w} "
        size = len(padded)
        for n in range(lo, min(hi, size) + 1):
            for i in range(size - n + 1):
                g = padded[i:i + n]
                chars[g] = chars.get(g, 0) + 1
    grams: dict[str, int] = {}
    wlo, whi = word_ngram
    for n in range(wlo, whi + 1):
        for i in range(len(words) - n + 1):
            g = "w:" + " ".join(words[i:i + n])
            grams[g] = grams.get(g, 0) + 1
    out: list[tuple[str, float]] = []
    for family in (chars, grams):
        norm = sum(v * v for v in family.values()) ** 0.5
        out.extend((k, v / norm) for k, v in family.items())
    return out


def hashed(text: str, n_features: int, ngram: tuple[int, int], word_ngram: tuple[int, int]
           ) -> tuple[np.ndarray, np.ndarray]:
    """Feature indices (CRC-32 of each n-gram, stable across processes) and their values."""
    feats = ngram_features(text, ngram, word_ngram)
    cache = _CRC_CACHE
    if len(cache) > _CRC_CACHE_MAX:
        cache.clear()
    crcs = []
    for k, _ in feats:
        crc = cache.get(k)
        if crc is None:
            crc = cache[k] = zlib.crc32(k.encode("utf-8", "surrogatepass"))
        crcs.append(crc)
    idx = np.asarray(crcs, np.int64) % n_features
    val = np.fromiter((v for _, v in feats), np.float32, len(feats))
    return idx, val


# CRC-32 of n-grams seen before: most recur from message to message (bounded, emptied when full)
_CRC_CACHE: dict[str, int] = {}
_CRC_CACHE_MAX = 1 << 18


class _CharWord:
    """Hashed character + word n-grams (see :func:`ngram_features` and :func:`hashed`)."""

    def __init__(self, n_features: int, ngram: tuple[int, int],
                 word_ngram: tuple[int, int]) -> None:
        self.n_features = n_features
        self.ngram, self.word_ngram = ngram, word_ngram

    def transform(self, texts: list[str]):  # noqa: ANN201 - scipy type
        """A sparse matrix for training (scipy is needed only there)."""
        from scipy.sparse import csr_matrix

        rows = [hashed(t, self.n_features, self.ngram, self.word_ngram) for t in texts]
        ptr = np.cumsum([0, *(len(i) for i, _ in rows)])
        idx = np.concatenate([i for i, _ in rows]) if rows else np.zeros(0, np.int64)
        val = np.concatenate([v for _, v in rows]) if rows else np.zeros(0, np.float32)
        x = csr_matrix((val, idx, ptr), shape=(len(texts), self.n_features))
        x.sum_duplicates()
        return x


def make_vectorizer(n_features: int, ngram: tuple[int, int],
                    word_ngram: tuple[int, int]) -> _CharWord:
    """The featuriser shared by training and scoring (stateless: nothing to ship)."""
    return _CharWord(n_features, ngram, word_ngram)


def save(path: Path, weights: np.ndarray, intercept: float, n_features: int,
         ngram: tuple[int, int], meta: dict, word_ngram: tuple[int, int]) -> None:
    """Write ``path``.npz (the nonzero weights) and ``path``.json (settings and figures)."""
    idx = np.flatnonzero(weights).astype(np.int32)
    np.savez_compressed(path.with_suffix(".npz"), index=idx,
                        value=weights[idx].astype(np.float16))
    info = dict(meta, hash="crc32", intercept=float(intercept), n_features=int(n_features),
                ngram=list(ngram), word_ngram=list(word_ngram))
    path.with_suffix(".json").write_text(json.dumps(info, indent=1, ensure_ascii=False) + "\n",
                                         encoding="utf-8")


def load(path: Path) -> HashedLR:
    """Read a model written by :func:`save`; ValueError for any other feature scheme."""
    info = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    word = info.get("word_ngram")
    if info.get("hash") != "crc32" or not word:
        raise ValueError(f"{path}: not a CRC-32 char+word n-gram model; retrain it with "
                         "scripts/train_hostility.py")
    with np.load(path.with_suffix(".npz"), allow_pickle=False) as data:
        weights = np.zeros(int(info["n_features"]), dtype=np.float32)
        weights[data["index"]] = data["value"].astype(np.float32)
    return HashedLR(weights, float(info["intercept"]), int(info["n_features"]),
                    (int(info["ngram"][0]), int(info["ngram"][1])), info,
                    (int(word[0]), int(word[1])))


@lru_cache(maxsize=2)
def shipped(lang: str) -> HashedLR | None:
    """The shipped model for ``lang``, or None (the rules then work alone)."""
    path = MODEL_DIR / ("hostility" if lang == "fr" else f"hostility_{lang}")
    if not path.with_suffix(".npz").is_file():
        return None
    return load(path)
