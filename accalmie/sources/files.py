"""Messages stored in files: Maildir (with Maildir++ and nested folders), mbox, .eml, folders.

Every reader yields ``(key, raw_bytes)`` pairs, one message at a time, so that a mailbox of any
size streams through the parser without being loaded whole. Keys are stable and say where the
message is, relative to the source:

* Maildir: the relative path, e.g. ``cur/1700000000.M1P2.host:2,S`` or ``.Sent/new/…``;
* mbox: ``mbox:<byte offset of the "From " line>``;
* a single .eml file: its file name;
* a folder of files: the relative path, and ``<relative path>#mbox:<offset>`` for each message
  of an mbox file found inside it.

A file that cannot be read is skipped with a warning on the ``accalmie.sources`` logger (never a
crash, never a body in the log); files that are obviously not messages (README, licences,
indexes, archives, mail-server index files) are skipped quietly.
"""

from __future__ import annotations

import io
import logging
import os
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

__all__ = ["open_source", "count_messages", "read_maildir", "read_mbox", "read_eml",
           "read_folder", "split_mbox", "detect_kind", "SourceError"]

log = logging.getLogger("accalmie.sources")

MBOX_SUFFIXES = frozenset({".mbox", ".mbx", ".mbs"})
_SKIP_NAMES = frozenset({
    "provenance.md", "readme", "license", "licence", "copying", "notice", "authors",
    "changelog", "labels.csv", "index.csv", ".ds_store", "thumbs.db", "desktop.ini",
    "maildirfolder", "subscriptions", "dovecot-uidlist", "dovecot-keywords", "dovecot-uidvalidity",
    "courierimapuiddb", "courierimapkeywords", "courierimapacl", ".mbsyncstate", ".uidvalidity",
})
_SKIP_SUFFIXES = (
    ".md", ".rst", ".csv", ".tsv", ".json", ".jsonl", ".gz", ".tgz", ".bz2", ".xz", ".zst",
    ".zip", ".7z", ".tar", ".rar", ".py", ".pyc", ".pdf", ".png", ".jpg", ".jpeg", ".gif",
    ".svg", ".ics", ".html", ".htm", ".js", ".css", ".yaml", ".yml", ".toml", ".ini", ".cfg",
    ".sqlite", ".db", ".log", ".pkl", ".npz", ".lock", ".xml", ".doc", ".docx", ".xls",
    ".xlsx", ".odt", ".ods", ".exe", ".dll", ".so",
)
_SKIP_DIRS = frozenset({".git", ".hg", ".svn", "__pycache__", ".venv", "node_modules", "tmp",
                        ".notmuch", "__MACOSX"})
_MAX_IN_MEMORY = 64 << 20  # bigger files are streamed line by line
_SNIFF = 4096

# "From MAILER-DAEMON Fri Jul  8 12:08:34 2011", "From - Mon Jan 01 00:00:00 2024", …: an
# envelope line has a sender token and a time or a year, which "From here on, …" has not.
_ENVELOPE = re.compile(rb"From \S*[ \t]+.*?(?:\d{1,2}:\d{2}|\b(?:19|20)\d{2}\b)")
_ESCAPED_FROM = re.compile(rb">+From ")
_HEADER_LINE = re.compile(rb"[!-9;-~]{1,100}[ \t]*:")


class SourceError(OSError):
    """The source itself (not one message in it) cannot be read."""


# --- detection --------------------------------------------------------------------------------

def _is_maildir(path: Path) -> bool:
    return (path / "cur").is_dir() or (path / "new").is_dir()


def _skipped_name(name: str) -> bool:
    lower = name.lower()
    if lower.startswith(".") or lower.startswith("dovecot") or lower in _SKIP_NAMES:
        return True
    stem = lower.split(".", 1)[0]
    if stem in ("readme", "license", "licence", "copying", "notice", "provenance"):
        return True
    return lower.endswith(_SKIP_SUFFIXES)


def _looks_like_message(head: bytes) -> bool:
    """Does a file start like a message (an envelope line or a header field)?"""
    head = head.lstrip(b"\r\n\t ")
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    if not head:
        return False
    return head.startswith(b"From ") or _HEADER_LINE.match(head) is not None


def _is_separator(line: bytes, after_blank: bool) -> bool:
    return after_blank and line.startswith(b"From ") and _ENVELOPE.match(line) is not None


def detect_kind(path: str | os.PathLike[str]) -> str:
    """'maildir', 'folder', 'mbox', 'eml', or 'missing' for what ``path`` holds."""
    p = Path(path)
    if p.is_dir():
        return "maildir" if _is_maildir(p) else "folder"
    if p.is_file():
        return "mbox" if _file_is_mbox(p) else "eml"
    return "missing"


def _file_is_mbox(path: Path) -> bool:
    """An mbox by name, or a file whose lines hold at least two envelope separators."""
    if path.suffix.lower() in MBOX_SUFFIXES or path.name.lower() in ("mbox", "inbox"):
        return True
    try:
        with path.open("rb") as handle:
            first = handle.readline(_SNIFF)
            if not _is_separator(first, True):
                return False
            return _count_lines(handle) > 0
    except OSError:
        return False


# --- public entry points ----------------------------------------------------------------------

def open_source(path: str | os.PathLike[str], *, include: Callable[[str], bool] | None = None
                ) -> Iterator[tuple[str, bytes]]:
    """Stream ``(key, raw)`` from a Maildir, an mbox, an .eml file or a folder of messages.

    ``include(key)`` keeps only some messages; in a Maildir, files are skipped before they are
    read. Raises :class:`SourceError` at once when ``path`` does not exist; messages that cannot
    be read later are skipped with a warning.
    """
    p = Path(path)
    kind = detect_kind(p)
    if kind == "missing":
        raise SourceError(f"no mailbox at {p}: not a file or folder")
    if kind == "maildir":
        return read_maildir(p, include=include)
    if kind == "folder":
        source = read_folder(p)
    elif kind == "mbox":
        source = read_mbox(p)
    else:
        source = read_eml(p)
    if include is None:
        return source
    return ((key, raw) for key, raw in source if include(key))


def count_messages(path: str | os.PathLike[str]) -> int:
    """How many messages :func:`open_source` will yield, cheaply (for progress bars)."""
    p = Path(path)
    kind = detect_kind(p)
    if kind == "missing":
        raise SourceError(f"no mailbox at {p}: not a file or folder")
    if kind == "maildir":
        return sum(1 for _ in _maildir_files(p))
    if kind == "mbox":
        return _count_mbox(p)
    if kind == "eml":
        return 1
    total = 0
    for entry, kind_of in _folder_entries(p):
        if kind_of == "maildir":
            total += sum(1 for _ in _maildir_files(entry))
        elif _file_is_mbox(entry):
            total += _count_mbox(entry)
        elif _sniff(entry):
            total += 1
    return total


# --- Maildir ----------------------------------------------------------------------------------

def _listdir(path: Path) -> list[str]:
    try:
        return sorted(os.listdir(path))
    except OSError as exc:
        log.warning("cannot list folder %s: %s", path, exc.strerror or exc)
        return []


def _maildir_folders(root: Path) -> Iterator[Path]:
    """The root Maildir and every folder below it that is one (Maildir++ '.A.B' or nested)."""
    yield root
    pending = [root]
    while pending:
        folder = pending.pop(0)
        for name in _listdir(folder):
            if name in ("cur", "new") or name in _SKIP_DIRS:
                continue
            sub = folder / name
            try:
                if not sub.is_dir() or sub.is_symlink():
                    continue
            except OSError:
                continue
            if _is_maildir(sub):
                yield sub
                pending.append(sub)
            elif not name.startswith("."):
                pending.append(sub)


def _maildir_files(root: Path) -> Iterator[tuple[str, Path]]:
    for folder in _maildir_folders(root):
        prefix = folder.relative_to(root).as_posix()
        prefix = "" if prefix == "." else prefix + "/"
        for sub in ("cur", "new"):
            directory = folder / sub
            if not directory.is_dir():
                continue
            for name in _listdir(directory):
                if name.startswith("."):
                    continue
                yield f"{prefix}{sub}/{name}", directory / name


def read_maildir(root: str | os.PathLike[str], *, include: Callable[[str], bool] | None = None
                 ) -> Iterator[tuple[str, bytes]]:
    """Messages of a Maildir and its sub-folders (``cur/`` and ``new/``; ``tmp/`` is in-flight)."""
    base = Path(root)
    for key, path in _maildir_files(base):
        if include is not None and not include(key):
            continue
        data = _read(path)
        if data is not None:
            yield key, data


def _read(path: Path) -> bytes | None:
    try:
        if path.is_dir():
            return None
        return path.read_bytes()
    except OSError as exc:
        log.warning("skipping unreadable file %s: %s", path, exc.strerror or exc)
        return None


# --- mbox -------------------------------------------------------------------------------------

def split_mbox(lines: Iterable[bytes]) -> Iterator[tuple[int, bytes]]:
    """Split mbox lines into ``(offset of the From line, raw message)`` pairs.

    Separators are "From " lines that follow a blank line (or start the file) and look like an
    envelope (sender, then a time or a year), so an unescaped "From here…" in a body does not
    split a message. ">From " lines are unescaped (mboxrd); CRLF files work as LF ones. Text
    before the first separator is kept as a message, never dropped.
    """
    offset = 0
    start = 0
    current: list[bytes] = []
    after_blank = True
    pending_blank: bytes | None = None
    started = False
    for line in lines:
        if _is_separator(line, after_blank):
            if current and (started or any(chunk.strip() for chunk in current)):
                yield start, b"".join(current)
            current = []
            pending_blank = None
            start = offset
            started = True
            offset += len(line)
            after_blank = False
            continue
        offset += len(line)
        blank = not line.strip()
        if pending_blank is not None:
            current.append(pending_blank)
            pending_blank = None
        if blank:
            pending_blank = line  # the blank line before a separator belongs to no message
        else:
            if line.startswith(b">") and _ESCAPED_FROM.match(line):
                line = line[1:]
            current.append(line)
        after_blank = blank
    if current and (started or any(chunk.strip() for chunk in current)):
        yield start, b"".join(current)


def read_mbox(path: str | os.PathLike[str], *, key_prefix: str = ""
              ) -> Iterator[tuple[str, bytes]]:
    """Messages of an mbox file, streamed; keys are ``mbox:<offset>``."""
    p = Path(path)
    try:
        handle = p.open("rb")
    except OSError as exc:
        log.warning("skipping unreadable mbox %s: %s", p, exc.strerror or exc)
        return
    with handle:
        try:
            for offset, raw in split_mbox(handle):
                yield f"{key_prefix}mbox:{offset}", raw
        except OSError as exc:
            log.warning("stopped reading mbox %s: %s", p, exc.strerror or exc)


def _count_lines(handle: Iterable[bytes]) -> int:
    count = 0
    after_blank = False
    for line in handle:
        if _is_separator(line, after_blank):
            count += 1
        after_blank = not line.strip()
    return count


def _count_mbox(path: Path) -> int:
    try:
        with path.open("rb") as handle:
            first = handle.readline()
            if not first:
                return 0
            count = _count_lines(handle)
            return count + 1
    except OSError as exc:
        log.warning("cannot read mbox %s: %s", path, exc.strerror or exc)
        return 0


# --- single files and folders -----------------------------------------------------------------

def read_eml(path: str | os.PathLike[str]) -> Iterator[tuple[str, bytes]]:
    """The one message of an .eml file; its key is the file name."""
    p = Path(path)
    data = _read(p)
    if data is not None:
        yield p.name, data


def _sniff(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return _looks_like_message(handle.read(_SNIFF))
    except OSError as exc:
        log.warning("skipping unreadable file %s: %s", path, exc.strerror or exc)
        return False


def _folder_entries(root: Path, depth: int = 0) -> Iterator[tuple[Path, str]]:
    """Files (kind 'file') and Maildirs (kind 'maildir') under ``root``, depth first, by name."""
    for name in _listdir(root):
        path = root / name
        try:
            is_dir = path.is_dir()
            if is_dir and path.is_symlink():
                continue  # never follow a linked folder: loops, and mail outside the source
        except OSError:
            continue
        if is_dir:
            if name in _SKIP_DIRS or depth > 64:
                continue
            if _is_maildir(path):
                yield path, "maildir"
            elif not name.startswith("."):
                yield from _folder_entries(path, depth + 1)
        elif not _skipped_name(name):
            yield path, "file"


def read_folder(root: str | os.PathLike[str]) -> Iterator[tuple[str, bytes]]:
    """Every message file under a folder, recursively (Maildirs and mbox files included)."""
    base = Path(root)
    for path, kind in _folder_entries(base):
        rel = path.relative_to(base).as_posix()
        if kind == "maildir":
            for key, raw in read_maildir(path):
                yield f"{rel}/{key}", raw
            continue
        try:
            size = path.stat().st_size
        except OSError as exc:
            log.warning("skipping unreadable file %s: %s", path, exc.strerror or exc)
            continue
        if size > _MAX_IN_MEMORY or path.suffix.lower() in MBOX_SUFFIXES:
            if _file_is_mbox(path):
                yield from read_mbox(path, key_prefix=f"{rel}#")
                continue
        data = _read(path)
        if data is None or not _looks_like_message(data[:_SNIFF]):
            if data is not None:
                log.debug("not a message, skipped: %s", path)
            continue
        if data.startswith(b"From ") and _has_second_envelope(data):
            for offset, raw in split_mbox(io.BytesIO(data)):
                yield f"{rel}#mbox:{offset}", raw
            continue
        yield rel, data


def _has_second_envelope(data: bytes) -> bool:
    for match in re.finditer(rb"\n\r?\n(From [^\r\n]*)", data):
        if _ENVELOPE.match(match.group(1)):
            return True
    return False
