"""The per-user online learner: learns from each correction at once, predicts lane or folder.

One model class serves both uses: lanes (labels are :class:`~accalmie.triage.decision.Lane`
values, taught by the user's corrections and by the moves they make in any mail client) and
the user's own folders (foldering, see :mod:`accalmie.eval.foldering`).

Why this design:

* **Online, not refitted.** Each :meth:`OnlineLearner.learn` is one passive-aggressive update
  (Crammer et al. 2006, multi-class PA-I): the smallest change of the weights that puts the
  true label ahead of the best wrong one by a margin, capped by ``aggressiveness``. A correction
  is effective for the very next message, and learning costs the same on the first day as after
  years of mail. Passive-aggressive learning also follows a user whose habits drift, which a
  model that averages its whole history does badly.
* **Fields weigh alike.** Tokens (:mod:`accalmie.triage.tokens`) are weighted by sublinear tf
  times an online idf, then each field (who / subject / body) is normalised on its own: the
  sender counts as much as the whole body, so one correction about a sender moves the next
  message from that sender.
* **A recent memory beside the weights.** Each weight row also keeps, per label, how often
  the token came with that label recently (counts decay with a half-life of
  ``MEMORY_HALF_LIFE`` learned messages, kept in O(1) per update by a growing unit). At
  prediction each token votes for the labels it came with more often than their base rate (a
  drift-aware naive-Bayes-like vote, tf·idf weighted), added to the linear scores with a small
  weight (``memory``). The two err differently: the weights are discriminative but swing after each
  update, the memory is steadier and follows what the user files *now*. On the Enron
  foldering protocol with frozen test blocks it adds about one point per user. Like
  ``calibrate`` it is meant for a stream where every message is learned (foldering): counts
  are slow to follow a single correction, so it is off by default for the lanes, which learn
  from corrections only and must obey one at once.
* **Bounded memory.** Tokens are hashed (CRC-32, stable across processes and versions) into
  ``n_buckets`` buckets; a weight row exists only for buckets seen, so the model never exceeds
  ``n_buckets`` rows whatever the mailbox size, and is small for a small mailbox.
* **Confidence from the margin.** The confidence of a prediction is a monotone function of its
  margin over the runner-up (PA aims at a margin of 1 on everything it learned: 0.5 at a tie,
  about 0.9 at the target margin). With ``calibrate=True`` — for a stream where *every*
  message is learned, such as a user filing mail into folders — the learner also checks before
  each update what it would have predicted, and the confidence becomes the observed precision
  of past predictions with a similar margin (the margin function as a weak prior), so "act when
  80 % sure" keeps its meaning as the model grows. It is off by default because the lanes learn
  from corrections, and corrections are by nature the predictions that were wrong: measured on
  them, precision would be far too low.
* **Safe storage.** :meth:`to_bytes` writes a versioned, zlib-compressed JSON header plus raw
  little-endian arrays; :meth:`from_bytes` checks every size and value and never unpickles.
"""

from __future__ import annotations

import json
import math
import struct
import zlib
from dataclasses import dataclass
from typing import Any

import numpy as np

from accalmie.i18n import N_
from accalmie.mail.model import Message
from accalmie.triage.decision import Reason
from accalmie.triage.tokens import BODY, FIELDS, MAX_BODY_WORDS, token_counts

FORMAT = "accalmie-online-learner"
VERSION = 2
MAGIC = b"ACCLRN\x00\x02"
# Decompressed size accepted by from_bytes: a model of 2**18 rows and 200 labels is ~200 MiB.
MAX_MODEL_BYTES = 256 << 20
MAX_LABELS = 4096
MAX_BUCKETS = 1 << 22
# Upper edges of the margin bins used for calibration (margins are in PA units: 1 = target).
MARGIN_EDGES = (0.05, 0.1, 0.2, 0.3, 0.45, 0.6, 0.8, 1.0, 1.3, 1.7)
_PRIOR_STRENGTH = 2.0  # pseudo-observations per bin before real ones take over
_BIN_HALF_LIFE = 1000.0  # a bin's counts are halved beyond this many observations (drift)
# The body weighs a little more than the envelope or the subject once each field is normalised.
FIELD_WEIGHTS = (1.0, 1.0, 1.5)
# Recent-memory vote (see the module docstring): its weight beside the linear scores, and how
# many learned messages halve an old observation.
MEMORY_WEIGHT = 0.4
MEMORY_HALF_LIFE = 300.0
_MEMORY_SMOOTHING = 1.0  # pseudo-observations, spread by the labels' recent frequencies
_MAX_SCALE = 1e6  # the memory's growing unit is folded back into the counts beyond this
_BODY_FIELD = FIELDS.index(BODY)
# CRC-32 of each token, remembered across messages and models (the hash does not depend on the
# model): most tokens of a mailbox recur, and hashing is a third of tokenising. Body words are
# hashed with their "w:" prefix folded into the CRC's starting value, so they need no prefixed
# string. Bounded: emptied when full.
_CRC_CACHE: dict[str, int] = {}
_WORD_CRC_CACHE: dict[str, int] = {}
_CRC_CACHE_MAX = 1 << 17
_WORD_SEED = zlib.crc32(b"w:")

_TEMPLATES = {
    "f": (N_("You filed messages from {sender} here before"), "learned_sender", "sender"),
    "fd": (N_("You filed messages from {domain} here before"), "learned_domain", "domain"),
    "l": (N_("You filed messages of the list {list} here before"), "learned_list", "list"),
    "r": (N_("You filed messages sent to {recipient} here before"), "learned_recipient",
          "recipient"),
    "th": (N_("You filed this conversation here before"), "learned_thread", "subject"),
}
_WORDS_TEMPLATE = N_("Similar words: {words}")
_WORD_KINDS = ("w", "s", "n")
_MAX_REASONS = 3
_MAX_WORDS = 5


@dataclass(frozen=True, slots=True)
class Prediction:
    """A predicted label, how sure the learner is (calibrated, in [0, 1]) and why."""

    label: str
    confidence: float
    reasons: tuple[Reason, ...] = ()
    margin: float = 0.0  # score of the label minus the runner-up's, in PA units


def _prior(margin: float) -> float:
    """Precision expected before any evidence: a coin flip at margin 0, sure well above 1."""
    return 1.0 - 0.5 * math.exp(-1.5 * margin)


def _bin(margin: float) -> int:
    for i, edge in enumerate(MARGIN_EDGES):
        if margin < edge:
            return i
    return len(MARGIN_EDGES)


class OnlineLearner:
    """Multi-class online learner over the tokens of a message (see the module docstring).

    Hyperparameters (keywords): ``aggressiveness`` (PA-I cap C on one update; 0.5),
    ``n_buckets`` (hash space, bounds memory; 2**18), ``max_body_words`` (300),
    ``calibrate`` (measure confidence on the learned stream; False), ``memory`` (weight of the
    recent-memory vote; 0 = off, :data:`MEMORY_WEIGHT` for a stream where every message is
    learned).
    """

    def __init__(self, *, aggressiveness: float = 0.5, n_buckets: int = 1 << 18,
                 max_body_words: int = MAX_BODY_WORDS, calibrate: bool = False,
                 memory: float = 0.0) -> None:
        if not (isinstance(aggressiveness, int | float) and 0 < aggressiveness < math.inf):
            raise ValueError(f"aggressiveness must be a positive number, not {aggressiveness!r}")
        if not (isinstance(n_buckets, int) and 16 <= n_buckets <= MAX_BUCKETS):
            raise ValueError(f"n_buckets must be an integer in [16, {MAX_BUCKETS}]")
        if not (isinstance(max_body_words, int) and 0 <= max_body_words <= 100_000):
            raise ValueError("max_body_words must be an integer in [0, 100000]")
        self.aggressiveness = float(aggressiveness)
        self.n_buckets = n_buckets
        if not isinstance(calibrate, bool):
            raise ValueError("calibrate must be true or false")
        self.max_body_words = max_body_words
        self.calibrate = calibrate
        if not (isinstance(memory, int | float) and not isinstance(memory, bool)
                and 0 <= memory <= 10):
            raise ValueError(f"memory must be a number in [0, 10], not {memory!r}")
        self.memory = float(memory)
        self._labels: list[str] = []
        self._index: dict[str, int] = {}
        self._row_of = np.full(0, -1, np.int32)  # bucket -> row of the weight table (or -1)
        self._n_rows = 0
        self._buckets = np.zeros(0, np.int64)  # row -> bucket
        self._df = np.zeros(0, np.float32)  # row -> messages learned that had the bucket
        self._w = np.zeros((0, 0), np.float32)  # row x label
        self._c = np.zeros((0, 0), np.float32)  # row x label: decayed co-occurrence counts
        self._lc = np.zeros(0, np.float64)  # label -> decayed message count
        self._unit = 1.0  # current value of one observation in _c and _lc (grows: decay)
        self._n_seen = 0
        self._calib = np.zeros((len(MARGIN_EDGES) + 1, 2), np.float64)  # [right, total]

    # -- public API -------------------------------------------------------------------------

    @property
    def labels(self) -> list[str]:
        return list(self._labels)

    @property
    def n_seen(self) -> int:
        """Messages learned so far (corrections, moves, filed messages)."""
        return self._n_seen

    @property
    def n_features(self) -> int:
        """Weight rows held: at most ``n_buckets``, whatever was learned."""
        return self._n_rows

    def learn(self, msg: Message, label: str) -> None:
        """One online update towards ``label``; effective for the next call to predict."""
        label = str(label)
        if not label:
            raise ValueError("label must be a non-empty string")
        buckets, _, tf, field = self._tokens(msg)
        rows = self._ensure_rows(buckets)
        self._n_seen += 1
        if len(rows):
            self._df[rows] += 1.0
        x = self._weights(rows, tf, field)
        w = self._w[rows, : len(self._labels)]
        scores = x @ w if len(rows) else np.zeros(len(self._labels), np.float32)
        known = self._index.get(label)
        self._record(scores, known)
        y = self._add_label(label) if known is None else known
        if self.memory:
            self._remember(rows, y)
        if not len(rows):
            return
        scores = np.append(scores, 0.0) if known is None else scores
        if len(self._labels) < 2:
            # No rival yet: learn against "no label" (score 0), so that the first messages of
            # the first label are remembered when a second label arrives.
            r, rival = -1, 0.0
        else:
            rival_scores = scores.copy()
            rival_scores[y] = -np.inf
            r = int(np.argmax(rival_scores))
            rival = float(scores[r])
        loss = 1.0 - (float(scores[y]) - rival)
        norm2 = float(x @ x)
        if loss <= 0.0 or norm2 <= 0.0:
            return
        sides = 1.0 if r < 0 else 2.0
        tau = min(self.aggressiveness, loss / (sides * norm2))
        self._w[rows, y] += tau * x
        if r >= 0:
            self._w[rows, r] -= tau * x

    def predict(self, msg: Message) -> Prediction | None:
        """Best label with confidence and reasons; None before two labels are known or when
        nothing in the message was ever seen."""
        if len(self._labels) < 2:
            return None
        buckets, names, tf, field = self._tokens(msg)
        if not len(buckets) or not len(self._row_of):
            return None
        rows = self._row_of[buckets]
        seen = rows >= 0
        if not seen.any():
            return None
        # Tokens never learned count in the norms (df 0): a message full of unknown words is a
        # weak match.
        index = np.flatnonzero(seen)
        x = self._weights(rows, tf, field, seen)[index]
        rows = rows[index]
        k = len(self._labels)
        w = self._w[rows, :k]
        scores = x @ w
        if self.memory:
            scores = scores + self.memory * self._vote(rows, x)
        order = np.argsort(-scores, kind="stable")[:2].tolist()
        top, second = order
        best = float(scores[top])
        margin = best - float(scores[second])
        if (best == 0.0 and margin == 0.0) or not math.isfinite(margin):
            return None  # what it shares with learned mail carries no weight yet
        contributions = x * w[:, top]
        # A token in most learned messages (the user's own address...) explains nothing.
        common = self._df[rows] > 0.5 * self._n_seen if self._n_seen >= 4 else None

        reasons = _reasons(names, field[index], index, contributions, best, common)
        return Prediction(self._labels[top], self.confidence(margin), reasons, margin)

    def confidence(self, margin: float) -> float:
        """How sure a prediction with this margin is (see the module docstring)."""
        margin = max(float(margin), 0.0)
        if not self.calibrate:
            return _prior(margin)
        right = self._calib[:, 0]
        total = self._calib[:, 1]
        mids = [0.0, *MARGIN_EDGES]
        est = [(right[i] + _PRIOR_STRENGTH * _prior(mids[i])) / (total[i] + _PRIOR_STRENGTH)
               for i in range(len(mids))]
        weights = [float(t) + _PRIOR_STRENGTH for t in total]
        monotone = _isotonic(est, weights)
        return float(min(1.0, max(0.0, monotone[_bin(margin)])))

    def forget(self, label: str) -> None:
        """Drop a label and what was learned about it (a deleted folder, a removed lane)."""
        idx = self._index.get(str(label))
        if idx is None:
            return
        self._w = np.delete(self._w, idx, axis=1)
        self._c = np.delete(self._c, idx, axis=1)
        self._lc = np.delete(self._lc, idx)
        del self._labels[idx]
        self._index = {name: i for i, name in enumerate(self._labels)}

    # -- serialisation ----------------------------------------------------------------------

    def to_bytes(self) -> bytes:
        """Versioned, compact and safe to load (no pickle): magic + zlib(header + arrays)."""
        n, k = self._n_rows, len(self._labels)
        buckets = self._buckets[:n].astype("<u4").tobytes()
        df = self._df[:n].astype("<f4").tobytes()
        weights = np.ascontiguousarray(self._w[:n, :k]).astype("<f4").tobytes()
        counts = (np.ascontiguousarray(self._c[:n, :k]).astype("<f4").tobytes()
                  if self.memory else b"")  # kept only when the memory is on
        header = {
            "format": FORMAT, "version": VERSION, "labels": self._labels,
            "hyper": {"aggressiveness": self.aggressiveness, "n_buckets": self.n_buckets,
                      "max_body_words": self.max_body_words, "calibrate": self.calibrate,
                      "memory": self.memory},
            "n_seen": self._n_seen, "rows": n, "calibration": self._calib.tolist(),
            "memory": {"unit": self._unit, "labels": self._lc[:k].tolist()},
        }
        head = json.dumps(header, ensure_ascii=True, separators=(",", ":")).encode("ascii")
        body = struct.pack("<I", len(head)) + head + buckets + df + weights + counts
        return MAGIC + zlib.compress(body, 6)

    @classmethod
    def from_bytes(cls, data: bytes) -> OnlineLearner:
        """Load a model written by :meth:`to_bytes`; ValueError for anything else."""
        if not isinstance(data, bytes | bytearray | memoryview):
            raise ValueError("a learner model must be bytes")
        data = bytes(data)
        if not data.startswith(MAGIC[:6]):
            raise ValueError("not an Accalmie learner model (bad magic)")
        if data[: len(MAGIC)] != MAGIC:
            raise ValueError("unsupported learner model version; it will be relearned")
        try:
            inflater = zlib.decompressobj()
            body = inflater.decompress(data[len(MAGIC):], MAX_MODEL_BYTES)
            if inflater.unconsumed_tail:
                raise ValueError("learner model too large")
            if not inflater.eof:
                raise ValueError("truncated learner model")
        except zlib.error as exc:
            raise ValueError(f"corrupt learner model: {exc}") from None
        try:
            return cls._from_body(body)
        except ValueError:
            raise
        except Exception as exc:  # any other surprise in a hostile blob is still bad input
            raise ValueError(f"corrupt learner model: {type(exc).__name__}: {exc}") from None

    @classmethod
    def _from_body(cls, body: bytes) -> OnlineLearner:
        if len(body) < 4:
            raise ValueError("truncated learner model")
        (hlen,) = struct.unpack_from("<I", body)
        if hlen > len(body) - 4:
            raise ValueError("truncated learner model header")
        header = json.loads(body[4: 4 + hlen].decode("ascii"))
        if not isinstance(header, dict) or header.get("format") != FORMAT:
            raise ValueError("not an Accalmie learner model (bad header)")
        if header.get("version") != VERSION:
            raise ValueError("unsupported learner model version; it will be relearned")
        hyper = header.get("hyper")
        if not isinstance(hyper, dict) or set(hyper) != {"aggressiveness", "n_buckets",
                                                           "max_body_words", "calibrate",
                                                           "memory"}:
            raise ValueError("learner model has bad hyperparameters")
        try:
            model = cls(**hyper)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"learner model has bad hyperparameters: {exc}") from None
        labels = header.get("labels")
        if (not isinstance(labels, list) or len(labels) > MAX_LABELS
                or not all(isinstance(x, str) and x for x in labels)
                or len(set(labels)) != len(labels)):
            raise ValueError("learner model has bad labels")
        n, n_seen = header.get("rows"), header.get("n_seen")
        if not (isinstance(n, int) and 0 <= n <= model.n_buckets):
            raise ValueError("learner model has a bad row count")
        if not (isinstance(n_seen, int) and n_seen >= 0):
            raise ValueError("learner model has a bad message count")
        calib = np.asarray(header.get("calibration"), dtype=np.float64)
        if (calib.shape != model._calib.shape or not np.isfinite(calib).all()
                or (calib < 0).any() or (calib[:, 0] > calib[:, 1]).any()):
            raise ValueError("learner model has a bad calibration table")
        k = len(labels)
        memory = header.get("memory")
        if not isinstance(memory, dict) or set(memory) != {"unit", "labels"}:
            raise ValueError("learner model has a bad memory table")
        unit = memory["unit"]
        label_counts = np.asarray(memory["labels"], dtype=np.float64)
        if (not isinstance(unit, int | float) or not 1.0 <= unit <= _MAX_SCALE * 2
                or label_counts.shape != (k,) or not np.isfinite(label_counts).all()
                or (label_counts < 0).any()):
            raise ValueError("learner model has a bad memory table")
        arrays = body[4 + hlen:]
        mk = k if model.memory else 0
        if len(arrays) != n * 4 * (2 + k + mk):
            raise ValueError("learner model arrays do not match their header")
        buckets = np.frombuffer(arrays, "<u4", n, 0).astype(np.int64)
        df = np.frombuffer(arrays, "<f4", n, 4 * n).astype(np.float32)
        weights = np.frombuffer(arrays, "<f4", n * k, 8 * n).astype(np.float32).reshape(n, k)
        counts = np.frombuffer(arrays, "<f4", n * mk, 8 * n + 4 * n * k).astype(np.float32)
        counts = counts.reshape(n, mk)
        if n and (int(buckets.max()) >= model.n_buckets or len(np.unique(buckets)) != n):
            raise ValueError("learner model has bad feature buckets")
        if not (np.isfinite(df).all() and (df >= 0).all() and np.isfinite(weights).all()
                and np.isfinite(counts).all() and (counts >= 0).all()):
            raise ValueError("learner model has non-finite or negative values")
        model._labels = list(labels)
        model._index = {name: i for i, name in enumerate(labels)}
        model._grow(n, max(k, 1))
        model._buckets[:n] = buckets
        model._df[:n] = df
        model._w[:n, :k] = weights
        if mk:
            model._c[:n, :mk] = counts
        model._lc[:k] = label_counts
        model._unit = float(unit)
        model._n_rows = n
        model._row_of = np.full(model.n_buckets, -1, np.int32)
        model._row_of[buckets] = np.arange(n, dtype=np.int32)
        model._n_seen = n_seen
        model._calib = calib
        return model

    # -- internals --------------------------------------------------------------------------

    def _tokens(self, msg: Message) -> tuple[np.ndarray, list[str], np.ndarray, np.ndarray]:
        """Buckets (merged when two tokens collide), a token per bucket (body words without
        their prefix, see :func:`_name`), tf and field."""
        who, subject, body = token_counts(msg, max_body_words=self.max_body_words)
        names = [*who, *subject, *body]
        hashes = _crcs(names[: len(who) + len(subject)], _CRC_CACHE, 0)
        hashes += _crcs(names[len(who) + len(subject):], _WORD_CRC_CACHE, _WORD_SEED)
        buckets = np.asarray(hashes, np.int64) % self.n_buckets
        counts = np.fromiter((*who.values(), *subject.values(), *body.values()), np.float32,
                             len(names))
        field = np.repeat(_FIELD_IDS, (len(who), len(subject), len(body)))
        if len(set(buckets.tolist())) < len(names):  # two tokens share a bucket: merge them
            unique, first, inverse = np.unique(buckets, return_index=True, return_inverse=True)
            merged = np.bincount(inverse, weights=counts).astype(np.float32)
            order = np.argsort(first)  # keep the tokens' order (the first name wins)
            buckets, counts = unique[order], merged[order]
            keep = first[order]
            names = [names[i] for i in keep.tolist()]
            field = field[keep]
        tf = 1.0 + np.log(np.maximum(counts, 1.0))
        return buckets, names, tf, field

    def _weights(self, rows: np.ndarray, tf: np.ndarray, field: np.ndarray,
                 seen: np.ndarray | None = None) -> np.ndarray:
        """tf·idf, each field L2-normalised, fields weighing alike (unit norm overall).

        With ``seen`` (at prediction), rows outside it were never learned (df 0)."""
        n = float(self._n_seen)
        if seen is None:
            df = self._df[rows]
        else:
            df = np.where(seen, self._df[np.maximum(rows, 0)], np.float32(0.0))
        x = tf * (np.log((n + 1.0) / (df + 1.0)) + 1.0)
        norm2 = np.bincount(field, weights=x * x, minlength=len(FIELDS)).tolist()
        total = sum(w * w for w, v in zip(FIELD_WEIGHTS, norm2, strict=True) if v > 0)
        if total <= 0:
            return np.zeros(len(x), np.float32)
        overall = math.sqrt(total)
        scale = np.asarray([w / (math.sqrt(v) * overall) if v > 0 else 0.0
                            for w, v in zip(FIELD_WEIGHTS, norm2, strict=True)], np.float32)
        return (x * scale[field]).astype(np.float32, copy=False)

    def _ensure_rows(self, buckets: np.ndarray) -> np.ndarray:
        if len(self._row_of) == 0:
            self._row_of = np.full(self.n_buckets, -1, np.int32)
        rows = self._row_of[buckets].astype(np.int64)
        new = rows < 0
        if new.any():
            fresh = buckets[new]
            start = self._n_rows
            stop = start + len(fresh)
            if stop > len(self._buckets):
                self._grow(stop, self._w.shape[1])
            created = np.arange(start, stop, dtype=np.int64)
            self._row_of[fresh] = created
            self._buckets[start:stop] = fresh
            self._n_rows = stop
            rows[new] = created
        return rows

    def _grow(self, min_rows: int, min_cols: int) -> None:
        """Enlarge the tables geometrically (never beyond n_buckets rows)."""
        old_rows, old_cols = self._w.shape
        rows = old_rows
        if min_rows > old_rows:
            rows = min(self.n_buckets, max(min_rows, 2 * old_rows, 1024))
        cols = old_cols if min_cols <= old_cols else max(min_cols, 2 * old_cols, 4)
        if (rows, cols) == (old_rows, old_cols):
            return
        w = np.zeros((rows, cols), np.float32)
        w[:old_rows, :old_cols] = self._w
        self._w = w
        c = np.zeros((rows if self.memory else 0, cols), np.float32)  # only when used
        c[: self._c.shape[0], :old_cols] = self._c
        self._c = c
        if cols != old_cols:
            self._lc = np.concatenate([self._lc, np.zeros(cols - old_cols, np.float64)])
        if rows != old_rows:
            self._buckets = np.concatenate([self._buckets, np.zeros(rows - old_rows, np.int64)])
            self._df = np.concatenate([self._df, np.zeros(rows - old_rows, np.float32)])

    def _add_label(self, label: str) -> int:
        if len(self._labels) >= MAX_LABELS:
            raise ValueError(f"too many labels (at most {MAX_LABELS})")
        k = len(self._labels)
        if k >= self._w.shape[1]:
            self._grow(self._w.shape[0], k + 1)
        self._w[:, k] = 0.0
        self._c[:, k] = 0.0
        self._lc[k] = 0.0
        self._labels.append(label)
        self._index[label] = k
        return k

    def _remember(self, rows: np.ndarray, y: int) -> None:
        """Count the message's tokens for its label; older counts fade (half-life in messages).

        Rather than multiplying every count by the decay at each message, the value of one new
        observation grows by 1/decay; the counts are rescaled only when that unit gets large."""
        self._unit /= 0.5 ** (1.0 / MEMORY_HALF_LIFE)
        if self._unit > _MAX_SCALE:
            n = self._n_rows
            self._c[:n] /= np.float32(self._unit)
            self._lc /= self._unit
            self._unit = 1.0
        if len(rows):
            self._c[rows, y] += np.float32(self._unit)
        self._lc[y] += self._unit

    def _vote(self, rows: np.ndarray, x: np.ndarray) -> np.ndarray:
        """Recent-memory vote per label: tf·idf-weighted mean over tokens of
        log p(label | token) / p(label), smoothed towards the labels' recent frequencies."""
        k = len(self._labels)
        lc = self._lc[:k]
        total = float(lc.sum())
        mass = float(x.sum())
        if total <= 0 or mass <= 0:
            return np.zeros(k, np.float32)
        prior = (lc + 1e-9 * total) / (total * (1.0 + 1e-9 * k))
        counts = self._c[rows, :k]
        smooth = _MEMORY_SMOOTHING * self._unit
        p = (counts + smooth * prior) / (counts.sum(axis=1, keepdims=True) + smooth)
        return (x @ np.log(p / prior)).astype(np.float32) / np.float32(mass)

    def _record(self, scores: np.ndarray, truth: int | None) -> None:
        """Calibration: what would have been predicted, and was it right?"""
        if not self.calibrate or len(scores) < 2 or not np.any(scores):
            return
        order = np.argsort(-scores, kind="stable")
        margin = float(scores[order[0]] - scores[order[1]])
        row = self._calib[_bin(margin)]
        row[0] += 1.0 if truth is not None and int(order[0]) == truth else 0.0
        row[1] += 1.0
        if row[1] > _BIN_HALF_LIFE:
            row *= 0.5


_FIELD_IDS = np.arange(len(FIELDS), dtype=np.int64)


def _crcs(tokens: list[str], cache: dict[str, int], seed: int) -> list[int]:
    """CRC-32 of each token (continuing from ``seed``), through the bounded ``cache``."""
    get = cache.get
    out = [get(t) for t in tokens]
    if None in out:
        if len(cache) > _CRC_CACHE_MAX:
            cache.clear()
        for i, value in enumerate(out):
            if value is None:
                token = tokens[i]
                out[i] = cache[token] = zlib.crc32(token.encode("utf-8", "surrogatepass"), seed)
    return out


def _isotonic(values: list[float], weights: list[float]) -> list[float]:
    """Pool-adjacent-violators: the closest non-decreasing sequence (weighted)."""
    blocks: list[list[float]] = []  # [value, weight, count]
    for v, w in zip(values, weights, strict=True):
        blocks.append([v, w, 1])
        while len(blocks) > 1 and blocks[-2][0] > blocks[-1][0]:
            v2, w2, c2 = blocks.pop()
            v1, w1, c1 = blocks.pop()
            blocks.append([(v1 * w1 + v2 * w2) / (w1 + w2), w1 + w2, c1 + c2])
    out: list[float] = []
    for v, _, c in blocks:
        out.extend([v] * int(c))
    return out


def _reasons(names: list[str], field: np.ndarray, index: np.ndarray, contributions: np.ndarray,
             score: float, common: np.ndarray | None = None) -> tuple[Reason, ...]:
    """The strongest evidence for the predicted label, in plain words.

    ``contributions`` are per learned token of the message, ``index`` their positions in
    ``names``, ``field`` their fields; ``common`` marks the tokens too frequent to be worth
    saying."""
    positive = float(np.maximum(contributions, 0.0).sum())
    if positive <= 0 or score <= 0:
        return ()
    found: dict[str, tuple[float, dict[str, Any]]] = {}
    words: list[str] = []
    word_weight = 0.0
    strongest = np.argsort(-contributions, kind="stable")[:40]
    values = contributions[strongest].tolist()
    skip = common[strongest].tolist() if common is not None else [False] * len(values)
    body = (field[strongest] == _BODY_FIELD).tolist()
    where = index[strongest].tolist()
    for j, c in enumerate(values):
        if c <= 0:
            break
        if skip[j]:
            continue
        if body[j]:
            if len(words) >= _MAX_WORDS:
                continue
            kind, value = "w", names[where[j]]
        else:
            kind, _, value = names[where[j]].partition(":")
        if kind in _TEMPLATES and kind not in found:
            found[kind] = (c, {_TEMPLATES[kind][2]: value})
        elif kind in _WORD_KINDS and len(words) < _MAX_WORDS and value not in words:
            words.append(value)
            word_weight += c
        # Later tokens weigh less than each of these: nothing they add could make the cut.
        if len(words) >= _MAX_WORDS and len(found) >= _MAX_REASONS - 1:
            break
    items: list[tuple[float, Reason]] = []
    for kind, (c, params) in found.items():
        template, code, _ = _TEMPLATES[kind]
        items.append((c, Reason(template, params, code, round(c / positive, 3))))
    if words:
        items.append((word_weight, Reason(_WORDS_TEMPLATE, {"words": ", ".join(words)},
                                          "learned_words", round(word_weight / positive, 3))))
    items.sort(key=lambda t: -t[0])
    return tuple(r for _, r in items[:_MAX_REASONS])

