"""Check an evidence pack: every file against SHA256SUMS, and the manifests cover every original.

The ZIP is untrusted input (it may have been tampered with, or be something else entirely):
nothing is extracted to disk, names are checked before use, entries are hashed as streams with
a bound on the bytes read, so a ZIP bomb or a huge entry ends in a clear failure, not a hang.
"""

from __future__ import annotations

import hashlib
import json
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from accalmie.config import ConfigError
from accalmie.guard.evidence.pack import FORMAT, MANIFEST, ORIGINALS, SUMS
from accalmie.i18n import _

MAX_ENTRIES = 20_000
MAX_TOTAL = 8 << 30  # decompressed bytes hashed in all
MAX_TEXT = 64 << 20  # bytes of SHA256SUMS or manifest.json read
_SUM_LINE = re.compile(r"^([0-9a-fA-F]{64}) [ *](.+)$")


class _Limit(Exception):
    pass


@dataclass(frozen=True, slots=True)
class Check:
    """One file of the pack: did its content match its listed fingerprint?"""

    name: str
    ok: bool
    problem: str = ""


@dataclass
class VerifyReport:
    path: Path
    checks: list[Check] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # about the pack as a whole
    originals: int = 0

    @property
    def ok(self) -> bool:
        return bool(self.checks) and not self.problems and all(c.ok for c in self.checks)

    def to_json(self) -> dict[str, Any]:
        return {"ok": self.ok, "path": str(self.path), "originals": self.originals,
                "files": [{"name": c.name, "ok": c.ok, "problem": c.problem or None}
                          for c in self.checks],
                "problems": list(self.problems)}


def safe_name(name: str) -> bool:
    """A member name that stays inside the folder it is unzipped in."""
    if not name or "\x00" in name or "\\" in name or name.startswith("/"):
        return False
    if re.match(r"^[A-Za-z]:", name):
        return False
    return all(part not in ("..", ".") for part in name.rstrip("/").split("/"))


class _Reader:
    def __init__(self, archive: zipfile.ZipFile) -> None:
        self.archive = archive
        self.total = 0

    def read(self, info: zipfile.ZipInfo, limit: int | None = None) -> bytes:
        chunks: list[bytes] = []
        self._stream(info, chunks.append, limit)
        return b"".join(chunks)

    def sha256(self, info: zipfile.ZipInfo) -> str:
        h = hashlib.sha256()
        self._stream(info, h.update, None)
        return h.hexdigest()

    def _stream(self, info: zipfile.ZipInfo, sink: Any, limit: int | None) -> None:
        read = 0
        with self.archive.open(info) as handle:
            while chunk := handle.read(1 << 20):
                read += len(chunk)
                self.total += len(chunk)
                if self.total > MAX_TOTAL or (limit is not None and read > limit):
                    raise _Limit
                sink(chunk)


def _damaged(exc: BaseException) -> str:
    if isinstance(exc, _Limit):
        return _("too large to check")
    if isinstance(exc, RuntimeError | NotImplementedError):
        return _("encrypted or compressed in an unknown way")
    return _("damaged ({error})").format(error=str(exc)[:120] or exc.__class__.__name__)


_READ_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError,
                NotImplementedError, ValueError, _Limit)


def verify_pack(path: Path) -> VerifyReport:
    """Check every file against SHA256SUMS, then the manifest against the files."""
    path = Path(path).expanduser()
    if not path.is_file():
        raise ConfigError(_("Not found: {path}").format(path=path))
    report = VerifyReport(path)
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        report.problems.append(_("{path} is not a readable ZIP file ({error}).").format(
            path=path.name, error=str(exc)[:120] or exc.__class__.__name__))
        return report
    with archive:
        _check(archive, report)
    return report


def _members(archive: zipfile.ZipFile, report: VerifyReport) -> dict[str, zipfile.ZipInfo]:
    infos = archive.infolist()
    if len(infos) > MAX_ENTRIES:
        report.problems.append(_("The ZIP holds {n} entries: too many for a pack.").format(
            n=len(infos)))
        return {}
    members: dict[str, zipfile.ZipInfo] = {}
    for info in infos:
        name = info.filename
        if not safe_name(name):
            report.problems.append(_("Unsafe name in the ZIP: {name!r}.").format(name=name[:200]))
        elif name in members:
            report.problems.append(_("{name} appears twice in the ZIP.").format(name=name))
        elif not info.is_dir():
            members[name] = info
    return members


def _parse_sums(text: str, report: VerifyReport) -> dict[str, str]:
    listed: dict[str, str] = {}
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        match = _SUM_LINE.match(line)
        if not match or not safe_name(match.group(2)):
            report.problems.append(_("{file}, line {n}: not a valid line.").format(file=SUMS, n=n))
            continue
        if match.group(2) in listed:
            report.problems.append(_("{file} lists {name} twice.").format(
                file=SUMS, name=match.group(2)))
        listed[match.group(2)] = match.group(1).lower()
    return listed


def _check(archive: zipfile.ZipFile, report: VerifyReport) -> None:
    members = _members(archive, report)
    reader = _Reader(archive)
    if SUMS not in members:
        report.problems.append(_("{file} is missing: this is not an evidence pack, or it is "
                                 "incomplete.").format(file=SUMS))
        return
    try:
        sums = reader.read(members[SUMS], MAX_TEXT).decode("utf-8")
    except (*_READ_ERRORS, UnicodeDecodeError) as exc:
        report.problems.append(f"{SUMS}: {_damaged(exc)}")
        return
    listed = _parse_sums(sums, report)
    actual: dict[str, str] = {}
    for name, expected in listed.items():
        info = members.get(name)
        if info is None:
            report.checks.append(Check(name, False, _("missing from the pack")))
            continue
        if info.flag_bits & 0x1:
            report.checks.append(Check(name, False, _("encrypted")))
            continue
        try:
            actual[name] = reader.sha256(info)
        except _READ_ERRORS as exc:
            report.checks.append(Check(name, False, _damaged(exc)))
            if isinstance(exc, _Limit):
                break
            continue
        if actual[name] == expected:
            report.checks.append(Check(name, True))
        else:
            report.checks.append(Check(name, False, _("changed: its SHA-256 differs from the "
                                                      "one listed")))
    for name in members:
        if name != SUMS and name not in listed:
            report.checks.append(Check(name, False, _("not listed in {file}: added after the "
                                                      "pack was made").format(file=SUMS)))
    originals = [n for n in members if n.startswith(ORIGINALS)]
    report.originals = len(originals)
    if not originals:
        report.problems.append(_("The pack holds no original message."))
    _check_manifest(reader, members, listed, actual, originals, report)


def _check_manifest(reader: _Reader,
                    members: dict[str, zipfile.ZipInfo], listed: dict[str, str],
                    actual: dict[str, str], originals: list[str], report: VerifyReport) -> None:
    if MANIFEST not in members:
        report.problems.append(_("{file} is missing.").format(file=MANIFEST))
        return
    try:
        doc = json.loads(reader.read(members[MANIFEST], MAX_TEXT).decode("utf-8"))
    except (*_READ_ERRORS, UnicodeDecodeError, json.JSONDecodeError) as exc:
        report.problems.append(f"{MANIFEST}: {_damaged(exc)}")
        return
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        report.problems.append(_("{file} is not the manifest of an evidence pack.").format(
            file=MANIFEST))
        return
    messages = doc.get("messages")
    files = doc.get("files")
    if not isinstance(messages, list) or not isinstance(files, dict):
        report.problems.append(_("{file} is incomplete.").format(file=MANIFEST))
        return
    covered: set[str] = set()
    for item in messages:
        name = item.get("file") if isinstance(item, dict) else None
        digest = item.get("sha256") if isinstance(item, dict) else None
        if not isinstance(name, str) or not isinstance(digest, str):
            report.problems.append(_("{file} lists a message without file or SHA-256.").format(
                file=MANIFEST))
            continue
        covered.add(name)
        if name not in members:
            report.problems.append(_("{file} lists {name}, which is not in the pack.").format(
                file=MANIFEST, name=name))
        elif name in actual and actual[name] != digest.lower():
            report.problems.append(_("{name}: its SHA-256 differs from the one in {file}.")
                                   .format(name=name, file=MANIFEST))
    for name in originals:
        if name not in covered:
            report.problems.append(_("{name} is not described in {file}.").format(
                name=name, file=MANIFEST))
    for name, digest in files.items():
        if isinstance(name, str) and listed.get(name) != str(digest).lower():
            report.problems.append(_("{file} and {sums} disagree about {name}.").format(
                file=MANIFEST, sums=SUMS, name=name))
