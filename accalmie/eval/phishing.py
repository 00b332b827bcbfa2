"""Phishing evaluation: how much phishing is caught at a given rate of legitimate mail flagged.

The corpora at hand differ by era and provider as much as by intent: 2002 mailing lists, 2001
Enron exports, 2005 phishing through a university relay, 2023 honeypot mail through Outlook.
A scorer reading trace headers would learn *where and when* a message travelled, not whether
it is an attack. So every message loses its trace and transport headers (:data:`TRACE_HEADERS`,
:data:`TRACE_PREFIXES`) and its mbox envelope line before it is parsed and scored; what is left
is what a sender wrote.

Figures: the detection rate at 0.1 % and 1 % of ham flagged (threshold set on the given ham), the
detection and false-positive rates at the default threshold, ROC AUC (ties counted half), and
single-core throughput (parse + score CPU time summed over messages, reading excluded).

Sources are anything :func:`accalmie.sources.files.open_source` reads (Maildir, mbox, a folder
searched recursively, one file), plus ``.tar.gz`` archives of message files (the Enron
mailboxes come that way), read member by member and never extracted.
"""

from __future__ import annotations

import json
import math
import os
import re
import tarfile
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from accalmie.guard.phishing.score import assess
from accalmie.mail.parse import parse_message
from accalmie.sources.files import SourceError, count_messages, open_source
from accalmie.triage.features import Context

# Header fields added in transit (or by the archive a corpus was exported from), removed before
# scoring: they say where and when a message travelled, not what its sender wrote.
TRACE_HEADERS = frozenset({
    "received", "return-path", "dkim-signature", "domainkey-signature", "authentication-results",
    "received-spf", "delivered-to", "x-original-to", "envelope-to", "delivery-date", "status",
    "x-status", "x-keywords", "x-uid", "lines", "content-length", "x-authentication-warning",
    "x-virus-scanned", "x-virus-status", "x-sender-ip", "x-message-delivery", "x-message-info",
    "x-antiabuse", "x-original-date", "x-ip", "x-received", "x-mailscanner",
    # the Enron export's own fields (folder, file and owner of the archive)
    "x-folder", "x-filename", "x-origin", "x-from", "x-to", "x-cc", "x-bcc",
})
TRACE_PREFIXES = ("arc-", "x-ms-", "x-microsoft-", "x-originating-", "x-spam-", "x-eop",
                  "x-incoming", "x-sid-", "x-forefront-", "x-exchange-", "x-google-", "x-gm-",
                  "x-source", "x-mailscanner", "x-barracuda-", "x-proofpoint-", "x-ironport-",
                  "x-mimecast-", "x-yahoo-", "x-ymail-", "x-apparently-", "x-rcpt-",
                  "x-envelope-", "x-virus-", "x-amavis-", "x-scanned", "x-ovh-", "x-sender-")
MAX_MEMBER_BYTES = 32 << 20  # an archive member larger than this is skipped, not read
TAR_SUFFIXES = (".tar.gz", ".tgz", ".tar", ".tar.bz2", ".tar.xz")
_HEADER_NAME = re.compile(rb"([!-9;-~]{1,100})[ \t]*:")
_CHUNK = 64

Progress = Callable[[int, int], None]


class PhishingEvalError(ValueError):
    """A source cannot be used; the message says why."""


def _is_trace(name: bytes) -> bool:
    lname = name.decode("latin-1").lower()
    return lname in TRACE_HEADERS or lname.startswith(TRACE_PREFIXES)


def strip_trace_headers(raw: bytes) -> bytes:
    """``raw`` without its mbox envelope line and its trace and transport header fields."""
    if raw.startswith(b"From "):
        nl = raw.find(b"\n")
        raw = raw[nl + 1:] if nl >= 0 else b""
    end = raw.find(b"\n\n")
    end_crlf = raw.find(b"\r\n\r\n")
    if end < 0 or (0 <= end_crlf < end):
        end = end_crlf
    head, body = (raw, b"") if end < 0 else (raw[:end + 1], raw[end + 1:])
    out: list[bytes] = []
    dropping = False
    for line in head.splitlines(keepends=True):
        if line[:1] in (b" ", b"\t"):
            if not dropping:
                out.append(line)
            continue
        m = _HEADER_NAME.match(line)
        dropping = m is not None and _is_trace(m.group(1))
        if not dropping:
            out.append(line)
    return b"".join(out) + body


# --- sources ----------------------------------------------------------------------------------

def _is_tar(path: Path) -> bool:
    return path.is_file() and path.name.lower().endswith(TAR_SUFFIXES)


def _tarballs(root: Path) -> list[Path]:
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        found.extend(Path(dirpath) / f for f in sorted(filenames)
                     if f.lower().endswith(TAR_SUFFIXES))
    return found


def _read_tar(path: Path) -> Iterator[bytes]:
    try:
        with tarfile.open(path, "r:*") as tar:
            for member in tar:
                if not member.isfile() or member.size > MAX_MEMBER_BYTES:
                    continue
                handle = tar.extractfile(member)
                if handle is None:
                    continue
                data = handle.read()
                if _HEADER_NAME.match(data.lstrip()[:200]) or data.startswith(b"From "):
                    yield data
    except (OSError, tarfile.TarError) as exc:
        raise PhishingEvalError(f"cannot read the archive {path}: {exc}") from None


def _count_tar(path: Path) -> int:
    try:
        with tarfile.open(path, "r:*") as tar:
            return sum(1 for m in tar if m.isfile())
    except (OSError, tarfile.TarError):
        return 0


def iter_messages(path: str | os.PathLike[str]) -> Iterator[bytes]:
    """Raw messages of a Maildir, mbox, folder (recursively, archives included) or file."""
    p = Path(path)
    if _is_tar(p):
        yield from _read_tar(p)
        return
    try:
        source = open_source(p)
    except SourceError as exc:
        raise PhishingEvalError(str(exc)) from None
    for _key, raw in source:
        yield raw
    if p.is_dir():
        for tar in _tarballs(p):
            yield from _read_tar(tar)


def count(paths: Iterable[str | os.PathLike[str]]) -> int:
    """How many messages :func:`iter_messages` will yield (for progress bars)."""
    total = 0
    for path in paths:
        p = Path(path)
        if _is_tar(p):
            total += _count_tar(p)
            continue
        try:
            total += count_messages(p)
        except SourceError as exc:
            raise PhishingEvalError(str(exc)) from None
        if p.is_dir():
            total += sum(_count_tar(t) for t in _tarballs(p))
    return total


# --- scoring ----------------------------------------------------------------------------------

def score_raw(raws: Sequence[bytes]) -> tuple[list[float], float]:
    """Scores of raw messages (trace headers stripped first) and the CPU seconds it took.

    CPU time of this process, not wall time: a one-core figure that other programs running on
    the machine do not distort.
    """
    ctx = Context()
    scores = []
    start = time.process_time()
    for raw in raws:
        scores.append(assess(parse_message(strip_trace_headers(raw)), ctx).score)
    return scores, time.process_time() - start


def _batches(paths: Sequence[str | os.PathLike[str]], size: int) -> Iterator[list[bytes]]:
    batch: list[bytes] = []
    for path in paths:
        for raw in iter_messages(path):
            batch.append(raw)
            if len(batch) >= size:
                yield batch
                batch = []
    if batch:
        yield batch


def _score_paths(paths: Sequence[str | os.PathLike[str]], workers: int,
                 tick: Callable[[int], None]) -> tuple[list[float], float]:
    scores: list[float] = []
    seconds = 0.0
    if workers <= 1:
        for batch in _batches(paths, _CHUNK):
            s, t = score_raw(batch)
            scores.extend(s)
            seconds += t
            tick(len(s))
        return scores, seconds
    from accalmie.pipeline import _context

    with ProcessPoolExecutor(max_workers=workers, mp_context=_context()) as pool:
        pending = []
        for batch in _batches(paths, _CHUNK):
            pending.append(pool.submit(score_raw, batch))
            if len(pending) >= 2 * workers:
                s, t = pending.pop(0).result()
                scores.extend(s)
                seconds += t
                tick(len(s))
        for fut in pending:
            s, t = fut.result()
            scores.extend(s)
            seconds += t
            tick(len(s))
    return scores, seconds


# --- figures ----------------------------------------------------------------------------------

def threshold_at_fpr(ham: Sequence[float], fpr: float) -> float:
    """The lowest score flagged while at most ``fpr`` of ``ham`` scores reach it.

    A message is flagged when its score is strictly above the returned value.
    """
    if not ham:
        return 0.0
    ordered = sorted(ham, reverse=True)
    allowed = int(math.floor(fpr * len(ordered) + 1e-9))
    if allowed >= len(ordered):
        return -math.inf
    return ordered[allowed]


def detection_at_fpr(ham: Sequence[float], phish: Sequence[float], fpr: float) -> float:
    if not phish:
        return 0.0
    cut = threshold_at_fpr(ham, fpr)
    return sum(1 for s in phish if s > cut) / len(phish)


def roc_auc(ham: Sequence[float], phish: Sequence[float]) -> float:
    """Probability that a random phish outscores a random ham (ties count half)."""
    if not ham or not phish:
        return 0.0
    pairs = sorted([(s, 0) for s in ham] + [(s, 1) for s in phish])
    rank_sum = 0.0
    i = 0
    while i < len(pairs):
        j = i
        while j < len(pairs) and pairs[j][0] == pairs[i][0]:
            j += 1
        mid = (i + j + 1) / 2  # 1-based mean rank of the tie group
        rank_sum += mid * sum(1 for k in range(i, j) if pairs[k][1] == 1)
        i = j
    n1, n0 = len(phish), len(ham)
    return (rank_sum - n1 * (n1 + 1) / 2) / (n0 * n1)


@dataclass
class PhishingResult:
    """The figures of one evaluation; ``ham_scores``/``phish_scores`` keep the detail."""

    detect_at_fpr_0_1: float
    detect_at_fpr_1: float
    detect_default: float
    fpr_default: float
    auc: float
    n_ham: int
    n_phish: int
    msgs_per_s: float
    threshold: float = 0.0
    ham_scores: list[float] = field(default_factory=list, repr=False)
    phish_scores: list[float] = field(default_factory=list, repr=False)

    def to_dict(self) -> dict[str, float | int]:
        return {"detect_at_fpr_0_1": self.detect_at_fpr_0_1,
                "detect_at_fpr_1": self.detect_at_fpr_1, "detect_default": self.detect_default,
                "fpr_default": self.fpr_default, "auc": self.auc, "n_ham": self.n_ham,
                "n_phish": self.n_phish, "msgs_per_s": self.msgs_per_s}

    def to_json(self) -> str:
        """One JSON object with exactly the keys of :meth:`to_dict`."""
        return json.dumps(self.to_dict())


def figures(ham: Sequence[float], phish: Sequence[float], threshold: float,
            seconds: float = 0.0) -> PhishingResult:
    """The evaluation figures from scores already computed."""
    n = len(ham) + len(phish)
    return PhishingResult(
        detect_at_fpr_0_1=round(detection_at_fpr(ham, phish, 0.001), 4),
        detect_at_fpr_1=round(detection_at_fpr(ham, phish, 0.01), 4),
        detect_default=round(sum(1 for s in phish if s >= threshold) / len(phish), 4)
        if phish else 0.0,
        fpr_default=round(sum(1 for s in ham if s >= threshold) / len(ham), 5) if ham else 0.0,
        auc=round(roc_auc(ham, phish), 4), n_ham=len(ham), n_phish=len(phish),
        msgs_per_s=round(n / seconds, 1) if seconds > 0 else 0.0, threshold=threshold,
        ham_scores=list(ham), phish_scores=list(phish))


def evaluate_phishing(ham_paths: Sequence[str | os.PathLike[str]],
                      phish_paths: Sequence[str | os.PathLike[str]],
                      progress: Progress | None = None, workers: int = 1,
                      threshold: float | None = None) -> PhishingResult:
    """Strip, parse and score every message of the sources; the figures of issue 3, item 3.

    ``workers`` > 1 scores in that many processes; ``msgs_per_s`` stays a one-core figure
    (messages divided by the summed parse and score time).
    """
    if not ham_paths or not phish_paths:
        raise PhishingEvalError("both ham and phishing sources are needed")
    for path in (*ham_paths, *phish_paths):
        if not Path(path).exists():
            raise PhishingEvalError(f"no mailbox at {path}: not a file or folder")
    if threshold is None:
        from accalmie.guard.settings import GuardSettings

        threshold = GuardSettings().suspect_threshold
    total = count([*ham_paths, *phish_paths]) if progress is not None else 0
    done = 0

    def tick(n: int) -> None:
        nonlocal done
        done += n
        if progress is not None:
            progress(done, total)

    ham, t_ham = _score_paths(ham_paths, workers, tick)
    phish, t_phish = _score_paths(phish_paths, workers, tick)
    if not ham or not phish:
        raise PhishingEvalError("no message found in the " + ("ham" if not ham else "phishing")
                                + " sources")
    return figures(ham, phish, threshold, t_ham + t_phish)
