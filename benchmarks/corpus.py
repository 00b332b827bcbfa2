"""The benchmark mailbox: every raw message of the shared corpora, written as one Maildir.

The tools are compared on real third-party mail (odd charsets, broken MIME, huge HTML), not on
generated text, so the numbers say something about a real inbox. The corpora are read in place
and the Maildir is always built outside the repository (a temporary folder).
"""

from __future__ import annotations

import mailbox
import os
import shutil
import socket
import tarfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from benchmarks import MISSING, Context, Missing

REPO = Path(__file__).resolve().parents[1]


def corpora_dir() -> Path:
    """Where the shared corpora live (``ACCALMIE_CORPORA`` overrides)."""
    return Path(os.environ.get("ACCALMIE_CORPORA", REPO.parent / "shared" / "corpora"))


def bench_root() -> Path | None:
    """Parent folder for the benchmark's scratch data (``ACCALMIE_BENCH_DIR``, else /tmp)."""
    value = os.environ.get("ACCALMIE_BENCH_DIR")
    return Path(value) if value else None


@dataclass(frozen=True, slots=True)
class Source:
    name: str
    raw: bool  # full RFC 822 headers; False for subject+body preprocessed sets


SOURCES = (
    Source("spamassassin_public_corpus", True),
    Source("nazario_phishing_2004_2005", True),
    Source("phishing_pot", True),
    Source("enron_folders", True),
    # Subject + body only (no other headers), and its ham duplicates enron_folders/farmer-d.
    Source("enron_spam_metsis_enron1", False),
)


def _strip_from_line(data: bytes) -> bytes:
    """Drop an mbox ``From `` separator line: it is not part of the message in a Maildir."""
    if data.startswith(b"From "):
        nl = data.find(b"\n")
        return data[nl + 1:] if nl >= 0 else b""
    return data


def _tar_messages(path: Path, only: tuple[str, ...] = ()) -> Iterator[bytes]:
    with tarfile.open(path, "r:gz") as tar:
        for member in tar:
            if not member.isfile():
                continue
            if only and not any(f"/{part}/" in f"/{member.name}" for part in only):
                continue
            fh = tar.extractfile(member)
            if fh is not None:
                yield fh.read()


def iter_source(root: Path, name: str) -> Iterator[bytes]:
    """Raw messages of one corpus folder, in a stable order."""
    base = root / name
    if name == "spamassassin_public_corpus":
        for sub in ("easy-ham-1", "easy-ham-2", "hard-ham-1", "spam-1", "spam-2"):
            for f in sorted((base / sub).glob("*.txt")):
                yield _strip_from_line(f.read_bytes())
    elif name == "nazario_phishing_2004_2005":
        for f in sorted(base.glob("*.mbox")):
            box = mailbox.mbox(f, create=False)
            try:
                for key in box.iterkeys():
                    yield box.get_bytes(key)
            finally:
                box.close()
    elif name == "phishing_pot":
        for f in sorted((base / "email").glob("*.eml")):
            yield f.read_bytes()
    elif name == "enron_folders":
        for f in sorted(base.glob("*.tar.gz")):
            yield from _tar_messages(f)
    elif name == "enron_spam_metsis_enron1":
        for f in sorted(base.glob("*.tar.gz")):
            yield from _tar_messages(f, only=("ham", "spam"))
    else:
        raise ValueError(f"unknown corpus {name}")


def iter_corpus(root: Path | None = None, *, include_preprocessed: bool = False,
                limit: int | None = None) -> Iterator[bytes]:
    """Every raw message of the corpora (the preprocessed Enron-Spam set only on request)."""
    root = root or corpora_dir()
    n = 0
    for src in SOURCES:
        if not src.raw and not include_preprocessed:
            continue
        if not (root / src.name).exists():
            continue
        for raw in iter_source(root, src.name):
            if limit is not None and n >= limit:
                return
            n += 1
            yield raw


class MaildirWriter:
    """Write messages into ``cur/`` of a Maildir with unique, unread names, fast.

    The stdlib ``mailbox.Maildir`` writes through ``tmp/`` and stats each file; for tens of
    thousands of messages a direct write with a counter-based unique name is several times
    quicker, and the result is a valid Maildir (the name is unique within the folder).
    """

    def __init__(self, path: Path, info: str = ":2,") -> None:
        self.path = Path(path)
        for sub in ("cur", "new", "tmp"):
            (self.path / sub).mkdir(parents=True, exist_ok=True)
        self._prefix = f"{int(time.time())}.M{os.getpid()}P"
        self._host = socket.gethostname().replace("/", "\\057").replace(":", "\\072")
        self._info = info
        self.count = 0

    def add(self, raw: bytes) -> Path:
        self.count += 1
        dest = self.path / "cur" / f"{self._prefix}Q{self.count}.{self._host}{self._info}"
        with open(dest, "wb") as fh:
            fh.write(raw)
        return dest


def write_maildir(messages: Iterator[bytes], path: Path) -> int:
    """Write every message into a new Maildir at ``path``; return how many."""
    writer = MaildirWriter(path)
    for raw in messages:
        writer.add(raw)
    return writer.count


def build_corpus_maildir(path: Path, *, include_preprocessed: bool = False,
                         limit: int | None = None) -> int:
    """The benchmark Maildir: all raw corpus messages (or the first ``limit``)."""
    return write_maildir(iter_corpus(include_preprocessed=include_preprocessed, limit=limit),
                         path)


def link_tree(src: Path, dest: Path) -> int:
    """A fresh copy of a Maildir made of hard links (copies across file systems).

    Each tool gets its own copy because the tools rename or move files; hard links keep the
    copy cheap and the file contents identical (no tool rewrites a message in place).
    """
    n = 0
    for dirpath, _dirnames, filenames in os.walk(src):
        rel = Path(dirpath).relative_to(src)
        target = dest / rel
        target.mkdir(parents=True, exist_ok=True)
        for name in filenames:
            s = Path(dirpath) / name
            d = target / name
            try:
                os.link(s, d)
            except OSError:
                d.write_bytes(s.read_bytes())
            n += 1
    return n


def count_maildir(path: Path) -> int:
    """How many message files a Maildir tree holds (all folders, cur/ and new/)."""
    n = 0
    for dirpath, _dirnames, filenames in os.walk(path):
        if os.path.basename(dirpath) in ("cur", "new"):
            n += len(filenames)
    return n


class DataMissing(Missing):
    """The benchmark's data is absent; the message says where it was looked for."""


def corpus_maildir(ctx: Context) -> tuple[Path, int]:
    """The benchmark Maildir, built once per run and shared (read-only) by the benchmarks.

    All raw corpus messages; with ``--quick`` only the first few hundred; with ``--mailbox``
    the given Maildir instead (linked, never modified).
    """
    dest = ctx.cache / "corpus-maildir"
    done = ctx.cache / "corpus-maildir.count"
    if done.exists():
        return dest, int(done.read_text())
    if dest.exists():
        shutil.rmtree(dest)
    if ctx.mailbox is not None:
        if not ctx.mailbox.is_dir():
            raise DataMissing(f"{MISSING}: mailbox {ctx.mailbox} is not a folder")
        n = link_tree(ctx.mailbox, dest)
        n = count_maildir(dest)
    else:
        root = corpora_dir()
        if not root.is_dir():
            raise DataMissing(f"{MISSING}: corpora not found at {root} "
                              "(set ACCALMIE_CORPORA, or pass --mailbox DIR)")
        ctx.log(f"building the corpus Maildir in {dest}")
        n = build_corpus_maildir(dest, include_preprocessed=ctx.include_preprocessed,
                                 limit=ctx.quick_size if ctx.quick else None)
    if n == 0:
        raise DataMissing(f"{MISSING}: no message found for the benchmark mailbox")
    done.write_text(str(n))
    return dest, n
