"""Documents that can carry code: Office (OLE2 and OOXML/ODF packages), RTF and PDF.

Why it is built this way: macro documents, RTF exploits and PDF actions are how most
ransomware arrived by mail in the last decade, and the only safe way to look at them is to read
their structure, never to render or run them. OLE2 containers are read with ``olefile`` (pure
Python, in memory, no write mode); only the directory and a few small streams are read: the
storages that hold VBA projects, the Excel workbook globals (Excel 4.0 macro sheets, password
records), the Word FIB (encryption flag), OLE1 "Package" objects (the file they carry) and Outlook
``.msg`` attachments. OOXML and ODF packages are ZIPs: the part names tell of macros, the
relationship files of remote templates. RTF and PDF are scanned as bytes for the keywords that
make them active. Every read is capped; anything malformed is "unreadable", never an exception.
"""

from __future__ import annotations

import binascii
import io
import re
import struct
import zipfile
import zlib
from typing import TYPE_CHECKING

from accalmie.guard.archives import Budget, InspectFn, _as_inner, read_member

if TYPE_CHECKING:
    import olefile

MIN_OLE_BYTES = 1536  # olefile.MINIMAL_OLEFILE_SIZE: a header plus one sector
MAX_OLE_BYTES = 32 << 20  # an OLE file larger than this is not parsed
MAX_STREAM_BYTES = 2 << 20  # per stream read (workbook globals, Package objects, msg data)
MAX_OLE_ENTRIES = 5000
MAX_RELS_BYTES = 256 << 10
MAX_RELS_FILES = 40
MAX_PDF_SCAN = 32 << 20
MAX_PDF_STREAMS = 200
MAX_PDF_INFLATE = 16 << 20
MAX_RTF_OBJECT_HEX = 512 << 10

_MACRO_STORAGES = {"_vba_project", "_vba_project_cur", "macros", "vba"}
_EXTERNAL_REL = re.compile(rb"<Relationship\b[^>]{0,2000}>", re.IGNORECASE)
_ACTIVE_REL = re.compile(rb"/(?:attachedTemplate|oleObject|frame|subDocument)[\"']",
                         re.IGNORECASE)
_ODF_MACRO = re.compile(r"^(?:Basic/[^/]+/(?!script-lb\.xml$|dialog-lb\.xml$)[^/]+\.xml"
                        r"|Scripts/[^/]+/.+)$")


# --- OOXML / ODF packages ---------------------------------------------------------------------

def package_kind(names: set[str]) -> str:
    """What a ZIP is by its part names: 'ooxml', 'odf', 'jar', 'apk' or 'zip'."""
    if "[Content_Types].xml" in names:
        return "ooxml"
    if "mimetype" in names and "META-INF/manifest.xml" in names:
        return "odf"
    if "AndroidManifest.xml" in names or "classes.dex" in names:
        return "apk"
    if "META-INF/MANIFEST.MF" in names:
        return "jar"
    return "zip"


def package_findings(zf: zipfile.ZipFile, kind: str, depth: int, budget: Budget,
                     inspect: InspectFn) -> list[str]:
    """Macros, remote templates and embedded files of an OOXML or ODF document."""
    out: list[str] = []
    infos = zf.infolist()
    if any(i.flag_bits & 0x1 for i in infos):
        out.append("encrypted_document")
    rels = 0
    for info in infos:
        name = info.filename
        low = name.lower()
        if kind == "ooxml":
            if low.endswith("vbaproject.bin") or "/macrosheets/" in f"/{low}":
                out.append("macro")
            elif "/activex/" in f"/{low}":
                out.append("embedded_object")
            if low.endswith(".rels") and rels < MAX_RELS_FILES:
                rels += 1
                body = read_member(zf, info, MAX_RELS_BYTES, budget) or b""
                if any(b"external" in m.group(0).lower() and _ACTIVE_REL.search(m.group(0))
                       for m in _EXTERNAL_REL.finditer(body)):
                    out.append("remote_template")
        elif _ODF_MACRO.match(name):
            out.append("macro")
        if "/embeddings/" in f"/{low}" and not info.is_dir():
            if not budget.take_member():
                out.append("inspection_limit")
                break
            content = read_member(zf, info, MAX_OLE_BYTES, budget)
            if content:
                found = inspect(name.rsplit("/", 1)[-1], "", content, depth + 1)
                out.extend(f for f in _as_inner(found)
                           if f not in ("nested_archive", "inner:embedded_object"))
    return out


# --- OLE2 ---------------------------------------------------------------------------------------

def ole_findings(data: bytes, depth: int, budget: Budget, inspect: InspectFn) -> list[str]:
    """Macros, encryption, packaged files and mail attachments of an OLE2 compound file."""
    if len(data) < MIN_OLE_BYTES or len(data) > MAX_OLE_BYTES:
        return ["unreadable" if len(data) < MIN_OLE_BYTES else "inspection_limit"]
    import olefile  # imported on first use: most mail has no OLE attachment

    try:
        ole = olefile.OleFileIO(io.BytesIO(data))
    except Exception:  # olefile raises many kinds on corrupt input (OSError, IndexError…)
        return ["unreadable"]
    try:
        return _ole_walk(ole, depth, budget, inspect)
    except Exception:
        return ["unreadable"]
    finally:
        try:
            ole.close()
        except Exception:
            pass


def _stream(ole: olefile.OleFileIO, path: list[str], cap: int = MAX_STREAM_BYTES) -> bytes:
    with ole.openstream(path) as fh:
        return fh.read(cap)


def _ole_walk(ole: olefile.OleFileIO, depth: int, budget: Budget,
              inspect: InspectFn) -> list[str]:
    out: list[str] = []
    entries = ole.listdir(streams=True, storages=True)[:MAX_OLE_ENTRIES]
    lowered = [[part.lower() for part in path] for path in entries]
    for path in lowered:
        if any(part in _MACRO_STORAGES for part in path[:-1]) or path[-1] == "_vba_project":
            out.append("macro")
            break
    tops = {path[0] for path in lowered if len(path) == 1}
    if "encryptedpackage" in tops or "encryptioninfo" in tops:
        out.append("encrypted_document")
    if "worddocument" in tops:
        fib = _stream(ole, ["WordDocument"], 16)
        if len(fib) >= 12 and struct.unpack_from("<H", fib, 10)[0] & 0x0100:
            out.append("encrypted_document")
    for book in ("Workbook", "Book"):
        if book.lower() in tops:
            out.extend(_biff_findings(_stream(ole, [book])))
            break
    for original, path in zip(entries, lowered, strict=True):
        if path[-1] == "\x01ole10native":
            out.append("embedded_object")
            name, body = _ole10native(_stream(ole, original, MAX_OLE_BYTES))
            if name and budget.take_member():
                budget.spend(len(body))
                out.extend(_as_inner(inspect(name, "", body, depth + 1)))
    out.extend(_msg_attachments(ole, entries, lowered, depth, budget, inspect))
    return out


def _biff_findings(stream: bytes) -> list[str]:
    """Excel 97 workbook globals: a macro sheet (Excel 4.0 macros), a password record."""
    out: list[str] = []
    pos = 0
    for _ in range(200_000):
        if pos + 4 > len(stream):
            break
        rtype, length = struct.unpack_from("<HH", stream, pos)
        body = stream[pos + 4:pos + 4 + length]
        if rtype == 0x0085 and len(body) >= 6 and body[5] == 0x01:  # BOUNDSHEET, dt=macro
            out.append("macro")
        elif rtype == 0x002F:  # FILEPASS
            out.append("encrypted_document")
        elif rtype == 0x000A:  # EOF of the globals substream: the sheets follow
            break
        pos += 4 + length
    return out


def _ole10native(data: bytes) -> tuple[str, bytes]:
    """(file name, contents) of an OLE1 Package object; ('', b'') when it is not one."""
    try:
        pos = 4 + 2  # total size, flags
        end = data.index(b"\x00", pos, pos + 520)  # label
        end2 = data.index(b"\x00", end + 1, end + 521)  # original path
        name = data[end + 1:end2].decode("latin-1").replace("\\", "/").rsplit("/", 1)[-1]
        pos = end2 + 1 + 4  # reserved
        (plen,) = struct.unpack_from("<I", data, pos)
        pos += 4 + plen  # temp path
        (size,) = struct.unpack_from("<I", data, pos)
        return name, data[pos + 4:pos + 4 + size]
    except (ValueError, struct.error):
        label_end = data.find(b"\x00", 6, 6 + 520)
        return (data[6:label_end].decode("latin-1") if label_end > 6 else ""), b""


def _msg_attachments(ole: olefile.OleFileIO, entries: list[list[str]],
                     lowered: list[list[str]], depth: int, budget: Budget,
                     inspect: InspectFn) -> list[str]:
    """Attachments of an Outlook .msg (each ``__attach_version1.0_#N`` storage)."""
    out: list[str] = []
    by_path = {tuple(low): orig for orig, low in zip(entries, lowered, strict=True)}
    storages = sorted({path[0] for path in lowered
                       if len(path) > 1 and path[0].startswith("__attach_version1.0_")})
    for storage in storages:
        if not budget.take_member():
            out.append("inspection_limit")
            break
        name = ""
        for prop in ("__substg1.0_3707001f", "__substg1.0_3704001f"):  # long, short name
            if (storage, prop) in by_path:
                raw = _stream(ole, by_path[(storage, prop)], 1024)
                name = raw.decode("utf-16-le", "replace").rstrip("\x00")
                break
        body = b""
        if (storage, "__substg1.0_37010102") in by_path:
            body = _stream(ole, by_path[(storage, "__substg1.0_37010102")],
                           budget.read_cap(MAX_OLE_BYTES))
            budget.spend(len(body))
        out.extend(_as_inner(inspect(name, "", body, depth + 1)))
    return out


# --- RTF ----------------------------------------------------------------------------------------

_RTF_OBJECT = re.compile(rb"\\obj(?:data|ocx|emb|link|autlink|update|class|html)(?![a-z])"
                         rb"|\\object(?![a-z])", re.IGNORECASE)
_RTF_OBJDATA = re.compile(rb"\\objdata(?![a-z])", re.IGNORECASE)
_NOT_HEX = re.compile(rb"[^0-9A-Fa-f]+")
_PACKAGED_NAME = re.compile(rb"([\x20-\x7e]{1,200}\.[A-Za-z0-9]{1,12})\x00")


def rtf_findings(data: bytes, depth: int, inspect: InspectFn) -> list[str]:
    """Embedded OLE objects in RTF (the vector of the Equation Editor and OLE2Link exploits),
    and the names of files packaged inside them."""
    if not _RTF_OBJECT.search(data):
        return []
    out = ["embedded_object"]
    for match in _RTF_OBJDATA.finditer(data):
        hexed = _NOT_HEX.sub(b"", data[match.end():match.end() + MAX_RTF_OBJECT_HEX])
        try:
            blob = binascii.unhexlify(hexed[: len(hexed) // 2 * 2])
        except binascii.Error:
            continue
        for name in _PACKAGED_NAME.findall(blob[:65536])[:20]:
            found = inspect(name.decode("latin-1").replace("\\", "/").rsplit("/", 1)[-1], "",
                            b"", depth + 1)
            out.extend(f for f in _as_inner(found) if f.startswith("inner:"))
        if len(out) > 50:
            break
    return out


# --- PDF ----------------------------------------------------------------------------------------

_PDF_NAME = re.compile(rb"/(JavaScript|JS|Launch|OpenAction|AA|EmbeddedFiles?|RichMedia|"
                       rb"SubmitForm|ImportData)(?![A-Za-z0-9#])")
_PDF_HEXNAME = re.compile(rb"/[A-Za-z0-9]*#[0-9A-Fa-f]{2}[A-Za-z0-9#]*")
_PDF_STREAM = re.compile(rb"stream\r?\n")
_PDF_CODES = {b"JavaScript": "pdf_javascript", b"JS": "pdf_javascript",
              b"Launch": "pdf_launch", b"OpenAction": "pdf_auto_action",
              b"AA": "pdf_auto_action", b"EmbeddedFile": "pdf_embedded_file",
              b"EmbeddedFiles": "pdf_embedded_file", b"RichMedia": "pdf_javascript",
              b"SubmitForm": "pdf_submit_form", b"ImportData": "pdf_submit_form"}


def _unhex_name(match: re.Match[bytes]) -> bytes:
    return re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), match.group(0))


def _pdf_scan(data: bytes) -> set[str]:
    found = {_PDF_CODES[m.group(1)] for m in _PDF_NAME.finditer(data)}
    if b"#" in data:
        fixed = _PDF_HEXNAME.sub(_unhex_name, data)
        if fixed != data:
            found |= {_PDF_CODES[m.group(1)] for m in _PDF_NAME.finditer(fixed)}
    return found


def pdf_findings(data: bytes, budget: Budget) -> list[str]:
    """Actions and code of a PDF, including those hidden in compressed object streams."""
    data = data[:MAX_PDF_SCAN]
    found = _pdf_scan(data)
    if b"/ObjStm" in data:
        inflated = 0
        for n, match in enumerate(_PDF_STREAM.finditer(data)):
            if n >= MAX_PDF_STREAMS or inflated >= MAX_PDF_INFLATE or budget.exhausted:
                break
            if b"/ObjStm" not in data[max(0, match.start() - 400):match.start()]:
                continue
            try:
                cap = budget.read_cap(min(MAX_PDF_INFLATE - inflated, 4 << 20))
                body = zlib.decompressobj().decompress(data[match.end():match.end() + cap], cap)
            except zlib.error:
                continue
            inflated += len(body)
            budget.spend(len(body))
            found |= _pdf_scan(body)
    return sorted(found)
