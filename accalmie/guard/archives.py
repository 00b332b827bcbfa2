"""Archives looked into without extracting them: ZIP (and the Office/ODF/JAR packages built on
it), gzip/bzip2/xz, tar.

Why it is built this way: an archive is how mail carries a program past a reader ("facture.zip"
holding "facture.pdf.exe"), and also how an attacker exhausts a scanner (zip bombs, overlapping
entries, millions of members, archives nested in archives). So every read is bounded by one
:class:`Budget` shared by the whole inspection of an attachment: bytes decompressed, members
looked at, nesting depth, and a deadline. Nothing is written to disk; members are read into
memory a capped number of bytes at a time through the stdlib's streaming readers. Encrypted
members are never opened (their names are still checked), and formats the stdlib cannot read
(7z, RAR, CAB…) are reported as unreadable archives rather than guessed at.
"""

from __future__ import annotations

import bz2
import io
import lzma
import struct
import time
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

MAX_DEPTH = 3  # archive inside archive inside archive: deeper is reported, not walked
MAX_TOTAL_BYTES = 64 << 20  # decompressed bytes read over a whole inspection
MAX_MEMBER_BYTES = 16 << 20  # read of one member for a deep look
MAX_MEMBERS = 2000  # members looked at over a whole inspection
MAX_ZIP_ENTRIES = 10_000  # a central directory declaring more is not parsed at all
MAX_CENTRAL_DIR = 8 << 20
SNIFF_BYTES = 64 << 10  # enough for every signature we know (ISO's sits at 32 KiB)
BOMB_TOTAL = 1 << 30  # declared uncompressed total that no mail attachment needs
BOMB_RATIO = 100  # compression ratio beyond what real documents reach…
BOMB_RATIO_MIN = 20 << 20  # …for a member that also expands to at least this much
DEADLINE_S = 2.0  # wall-clock safety net; the byte and member caps bound the work first

# Inspects one file found inside a container: (name, content type, bytes, depth) -> findings.
InspectFn = Callable[[str, str, bytes, int], list[str]]


@dataclass(slots=True)
class Budget:
    """What one attachment's inspection may still spend; shared across nesting levels."""

    bytes_left: int = MAX_TOTAL_BYTES
    members_left: int = MAX_MEMBERS
    deadline: float = field(default_factory=lambda: time.monotonic() + DEADLINE_S)
    exhausted: bool = False

    def spend(self, nbytes: int) -> None:
        self.bytes_left -= nbytes
        if self.bytes_left <= 0:
            self.exhausted = True

    def take_member(self) -> bool:
        """False (and exhausted) once the member cap or the deadline is reached."""
        if self.members_left <= 0 or time.monotonic() > self.deadline:
            self.exhausted = True
            return False
        self.members_left -= 1
        return True

    def read_cap(self, wanted: int) -> int:
        return max(0, min(wanted, self.bytes_left))


# --- ZIP ---------------------------------------------------------------------------------------

_EOCD = b"PK\x05\x06"
_ZIP64_LOCATOR = b"PK\x06\x07"


def zip_entry_count(data: bytes) -> tuple[int, int] | None:
    """(entries, central directory bytes) declared by the end record, read by hand so that a
    hostile central directory is refused before ``zipfile`` parses it; None when not found."""
    tail_start = max(0, len(data) - (22 + 0xFFFF))
    at = data.rfind(_EOCD, tail_start)
    if at < 0 or at + 22 > len(data):
        return None
    entries, cd_size = struct.unpack_from("<HI", data, at + 10)
    if entries == 0xFFFF or cd_size == 0xFFFFFFFF:
        loc = at - 20
        if loc >= 0 and data[loc:loc + 4] == _ZIP64_LOCATOR:
            (rec,) = struct.unpack_from("<Q", data, loc + 8)
            if rec + 56 <= len(data) and data[rec:rec + 4] == b"PK\x06\x06":
                entries, cd_size = struct.unpack_from("<QQ", data, rec + 32)[0], \
                    struct.unpack_from("<Q", data, rec + 40)[0]
    return int(entries), int(cd_size)


def _overlapping(infos: list[zipfile.ZipInfo], size: int) -> bool:
    """Entries whose data overlap: the trick of non-recursive zip bombs (one deflate stream
    referenced by thousands of entries)."""
    spans = sorted((i.header_offset, i.compress_size) for i in infos)
    end = -1
    for offset, csize in spans:
        if offset < end:
            return True
        end = offset + 30 + csize
    return sum(c for _, c in spans) > size + 1024


def _is_bomb(infos: list[zipfile.ZipInfo], size: int) -> bool:
    total = 0
    for info in infos:
        total += info.file_size
        if (info.file_size >= BOMB_RATIO_MIN
                and info.file_size > BOMB_RATIO * max(1, info.compress_size)):
            return True
    return total > BOMB_TOTAL or _overlapping(infos, size)


def read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, cap: int,
                budget: Budget) -> bytes | None:
    """At most ``cap`` decompressed bytes of a member (None when it cannot be read)."""
    cap = budget.read_cap(cap)
    if cap <= 0 or info.flag_bits & 0x1:
        return None
    try:
        with zf.open(info) as fh:
            data = fh.read(cap)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError,
            EOFError, OSError, ValueError, zlib.error, lzma.LZMAError):
        return None
    budget.spend(len(data))
    return data


def open_zip(data: bytes) -> tuple[zipfile.ZipFile | None, list[str]]:
    """The ZIP's reader, or the findings that say why it was not opened."""
    declared = zip_entry_count(data)
    if declared is None:
        return None, ["unreadable"]
    entries, cd_size = declared
    if entries > MAX_ZIP_ENTRIES or cd_size > MAX_CENTRAL_DIR:
        return None, ["inspection_limit"]
    try:
        return zipfile.ZipFile(io.BytesIO(data)), []
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError,
            OSError, ValueError, EOFError, struct.error):
        return None, ["unreadable"]


def zip_findings(zf: zipfile.ZipFile, size: int, depth: int, budget: Budget,
                 inspect: InspectFn) -> list[str]:
    """Findings about a plain ZIP archive: its own traits, and each member's (prefixed)."""
    out: list[str] = []
    infos = zf.infolist()
    if _is_bomb(infos, size):
        out.append("zip_bomb")
    if any(i.flag_bits & 0x1 or i.compress_type == 99 for i in infos):  # 99: WinZip AES
        out.append("encrypted_archive")
    bomb = "zip_bomb" in out
    for info in infos:
        if info.is_dir():
            continue
        if not budget.take_member():
            out.append("inspection_limit")
            break
        name = info.filename.rsplit("/", 1)[-1]
        encrypted = bool(info.flag_bits & 0x1) or info.compress_type == 99
        content = None if encrypted or bomb else read_member(zf, info, MAX_MEMBER_BYTES, budget)
        found = inspect(name, "", content or b"", depth + 1)  # empty: judged by its name
        if content is not None and len(content) < info.file_size:
            found = [f for f in found if f != "unreadable"]  # only its start was read
        out.extend(_as_inner(found))
    if budget.exhausted and "inspection_limit" not in out:
        out.append("inspection_limit")
    return out


def _as_inner(found: list[str]) -> list[str]:
    """A member's findings, said of the archive that holds it."""
    out = []
    for code in found:
        if code in ("nested_archive", "encrypted_archive", "zip_bomb", "unreadable_archive",
                    "inspection_limit"):
            out.append(code)  # these describe the whole tree
            if code in ("encrypted_archive", "unreadable_archive", "zip_bomb"):
                out.append("nested_archive")
        elif code.startswith("inner:"):
            out.append(code)
        elif code in ("archive", "unreadable"):
            if code == "archive":
                out.append("nested_archive")
        else:
            out.append("inner:" + code)
    return out


# --- single-file compressors and tar -----------------------------------------------------------

def _gzip_name(data: bytes) -> str:
    """The original file name stored in a gzip header (FNAME), '' when absent."""
    if len(data) < 10 or not data[3] & 0x08:
        return ""
    pos = 10
    if data[3] & 0x04:  # FEXTRA
        if len(data) < 12:
            return ""
        (xlen,) = struct.unpack_from("<H", data, 10)
        pos = 12 + xlen
    end = data.find(b"\x00", pos, pos + 1024)
    return data[pos:end].decode("latin-1") if end > pos else ""


def decompress_head(kind: str, data: bytes, cap: int) -> bytes | None:
    """The first ``cap`` bytes of a gzip/bzip2/xz stream (never more, whatever it declares)."""
    try:
        if kind == "gzip":
            dec: Any = zlib.decompressobj(zlib.MAX_WBITS | 16)
            out = dec.decompress(data, cap)
        elif kind == "bzip2":
            dec = bz2.BZ2Decompressor()
            out = dec.decompress(data, max_length=cap)
        elif kind == "xz":
            dec = lzma.LZMADecompressor()
            out = dec.decompress(data, max_length=cap)
        else:
            return None
    except (zlib.error, lzma.LZMAError, OSError, EOFError, ValueError):
        return None
    if len(out) < cap and not dec.eof:
        return None  # ended before the end of the stream: truncated or corrupt
    return out


def compressed_findings(kind: str, name: str, data: bytes, depth: int, budget: Budget,
                        inspect: InspectFn) -> list[str]:
    """A gzip/bzip2/xz file: the file it holds, looked at like an archive member."""
    cap = budget.read_cap(MAX_MEMBER_BYTES)
    head = decompress_head(kind, data, cap)
    if head is None:
        return ["unreadable"]
    budget.spend(len(head))
    inner = _gzip_name(data) if kind == "gzip" else ""
    if not inner:
        base = name.rsplit("/", 1)[-1]
        for suffix in (".gz", ".tgz", ".bz2", ".tbz", ".tbz2", ".xz", ".txz", ".svgz"):
            if base.lower().endswith(suffix):
                inner = base[: -len(suffix)] + {".svgz": ".svg"}.get(
                    suffix, ".tar" if suffix.startswith(".t") else "")
                break
    if is_tar(head):
        return tar_findings(head, depth, budget, inspect, nested=True)
    found = inspect(inner, "", head, depth + 1)
    if len(head) >= cap:
        found = [f for f in found if f != "unreadable"]
    return _as_inner(found)


def is_tar(data: bytes) -> bool:
    return len(data) >= 512 and data[257:262] == b"ustar"


def tar_findings(data: bytes, depth: int, budget: Budget, inspect: InspectFn,
                 *, nested: bool = False) -> list[str]:
    """Members of a tar held in memory (possibly only its first part), headers walked by hand."""
    out: list[str] = []
    pos = 0
    while pos + 512 <= len(data):
        header = data[pos:pos + 512]
        if header == b"\x00" * 512:
            break
        if header[257:262] != b"ustar" or not budget.take_member():
            if budget.exhausted:
                out.append("inspection_limit")
            break
        name = header[:100].split(b"\x00", 1)[0].decode("utf-8", "replace")
        prefix = header[345:500].split(b"\x00", 1)[0].decode("utf-8", "replace")
        try:
            size = int(header[124:136].split(b"\x00", 1)[0].strip() or b"0", 8)
        except ValueError:
            out.append("unreadable")
            break
        kind = header[156:157]
        start = pos + 512
        if kind in (b"0", b"\x00", b"7"):
            body = data[start:start + min(size, MAX_MEMBER_BYTES)]
            found = inspect((prefix + "/" + name if prefix else name).rsplit("/", 1)[-1], "",
                            body, depth + 1)
            if len(body) < size:
                found = [f for f in found if f != "unreadable"]
            out.extend(_as_inner(found))
        pos = start + (size + 511) // 512 * 512
    return out
