"""Dangerous attachments: what a file would do if the reader opened it, found without opening it.

Why it is built this way: most ransomware still arrives as an attachment — a program with a
disguised name, a script, a shortcut, a disk image or an archive that carries one past the mail
filter, a macro document, an HTML page with a fake login form. The parser calls
:func:`inspect_payload` once per attachment and stores the finding codes on the
:class:`~accalmie.mail.model.Attachment`; :func:`attachment_reasons` turns them into
explained reasons for the phishing score. Names are judged after undoing the usual tricks
(right-to-left override, zero-width characters, full-width letters, padding before the real
extension); contents by their magic bytes, whatever the name or the declared type says.
Containers (ZIP, Office, PDF, RTF, gzip, tar, OLE, Outlook .msg) are read in memory through
capped readers (see :mod:`accalmie.guard.archives` and :mod:`accalmie.guard.office`): nothing is
written, nothing is run, and every inspection is bounded in bytes, members, depth and time. Any
failure becomes the finding ``unreadable`` (shown as "unreadable attachment"), never an error.
"""

from __future__ import annotations

import re
import time
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from accalmie.guard import archives, office
from accalmie.guard.archives import Budget
from accalmie.i18n import N_
from accalmie.triage.decision import Reason

if TYPE_CHECKING:
    from accalmie.mail.model import Message

__all__ = ["inspect_payload", "message_budget", "name_findings", "needs_content",
           "attachment_reasons", "FINDINGS", "INNER"]

INNER = "inner:"  # prefix of a finding about a file held inside the attachment
SNIFF_BYTES = archives.SNIFF_BYTES
MAX_HTML_SCAN = 2 << 20

EXECUTABLE_EXT = frozenset(
    "exe com pif scr msi msp mst msix msixbundle appx appxbundle appinstaller dll cpl ocx sys drv "
    "xll wll gadget application xbap vsto apk app elf run bin_exe".split())
SCRIPT_EXT = frozenset(
    "js jse vbs vbe vb wsf wsh wsc sct hta ps1 ps1xml ps2 ps2xml psc1 psc2 psm1 psd1 bat cmd jar "
    "chm inf reg msc msh msh1 msh2 mshxml au3 ahk applescript scpt action workflow".split())
DISK_IMAGE_EXT = frozenset("iso img vhd vhdx dmg udf vmdk".split())
SHORTCUT_EXT = frozenset(
    "lnk url scf website webloc desktop settingcontent-ms library-ms searchconnector-ms "
    "appref-ms iqy".split())
HTML_EXT = frozenset("html htm xhtml xht shtml mht mhtml".split())
SVG_EXT = frozenset("svg svgz".split())
MACRO_EXT = frozenset("docm dotm xlsm xltm xlam xla pptm potm ppam ppsm sldm slk".split())
EMBEDDING_EXT = frozenset("one onepkg".split())
ARCHIVE_EXT = frozenset(
    "zip zipx 7z rar gz tgz bz2 tbz tbz2 xz txz tar cab arj lzh lha ace z uue xxe r00 r01 "
    "zpaq wim".split())
OFFICE_EXT = frozenset(
    "doc dot docx dotx xls xlt xlsx xltx xlsb ppt pps pot pptx ppsx potx odt ods odp msg "
    "rtf".split()) | MACRO_EXT
DANGEROUS_EXT = (EXECUTABLE_EXT | SCRIPT_EXT | DISK_IMAGE_EXT | SHORTCUT_EXT | HTML_EXT
                 | SVG_EXT | MACRO_EXT | EMBEDDING_EXT)
# What a disguised file pretends to be, before its real extension.
DECOY_EXT = frozenset(
    "pdf doc docx xls xlsx ppt pptx odt ods rtf txt csv jpg jpeg png gif bmp tif tiff mp3 mp4 "
    "wav avi mov zip rar eml msg html htm xml".split())
IMAGE_EXT = frozenset("jpg jpeg png gif bmp tif tiff webp ico heic".split())
MEDIA_EXT = frozenset("mp3 mp4 wav avi mov mkv ogg m4a aac flac wma wmv".split())
TEXT_EXT = frozenset("txt csv log md json xml ics vcf".split())

_EXEC_CTYPES = frozenset({
    "application/x-msdownload", "application/x-msdos-program", "application/x-dosexec",
    "application/x-executable", "application/x-ms-installer", "application/x-msi",
    "application/vnd.microsoft.portable-executable", "application/x-mach-binary",
    "application/x-elf", "application/vnd.android.package-archive"})
_SCRIPT_CTYPES = frozenset({
    "application/javascript", "application/x-javascript", "text/javascript",
    "application/hta", "text/vbscript", "application/x-vbscript", "application/x-bat",
    "application/x-msdos-batch", "application/java-archive", "application/x-java-archive",
    "application/x-powershell", "application/x-ms-script"})
_DISK_CTYPES = frozenset({"application/x-iso9660-image", "application/x-apple-diskimage",
                          "application/x-raw-disk-image", "application/x-virtualbox-vhd"})
_SHORTCUT_CTYPES = frozenset({"application/x-ms-shortcut", "application/x-mswinurl",
                              "application/internet-shortcut", "application/x-url"})
_HTML_CTYPES = frozenset({"text/html", "application/xhtml+xml", "message/x-mht",
                          "multipart/related-mht", "application/x-mimearchive"})
_SVG_CTYPE = "image/svg+xml"

# Characters that reorder or hide part of a name (U+202E makes "exe.pdf" show as "fdp.exe").
_HIDING = re.compile("[\u200b-\u200f\u202a-\u202e\u2066-\u2069\u061c\ufeff\u180e\u034f]")
_DOTS = str.maketrans({"\u2024": ".", "\uff0e": ".", "\u3002": ".", "\u2e31": ".",
                       "\u00b7": "."})
_PADDING = re.compile(r"(?:\s{3,}|[_\-.~]{5,})$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")

_IMAGE_KINDS = frozenset({"png", "jpeg", "gif", "bmp", "tiff", "webp", "ico"})
_ACTIVE_KINDS = frozenset({"pe", "elf", "macho", "lnk", "ole", "zip", "rar", "7z", "cab", "ace",
                           "arj", "lzh", "gzip", "bzip2", "xz", "iso", "vhd", "vhdx", "dmg",
                           "chm", "onenote", "rtf"})
_ZIP_BASED = frozenset("docx dotx xlsx xltx pptx ppsx potx odt ods odp zip gz tgz".split()) | (
    MACRO_EXT - {"xla", "slk"})
_BINARY_BASED = frozenset("doc dot xls xlt ppt pps pot msg xla".split())  # else text exports
_UNREADABLE_ARCHIVES = frozenset({"rar", "7z", "cab", "ace", "arj", "lzh"})

_PASSWORD_INPUT = re.compile(rb"<input\b[^>]{0,400}?type\s*=\s*[\"']?\s*password", re.I)
_REMOTE_FORM = re.compile(rb"<form\b[^>]{0,600}?action\s*=\s*[\"']?\s*(?:https?:)?//", re.I)
_HTML_ACTIVE = re.compile(
    rb"atob\s*\(|unescape\s*\(|\beval\s*\(|document\.write\s*\(|fromcharcode|"
    rb"(?:window|document|top|self)\.location|location\.(?:href|replace|assign)|"
    rb"http-equiv\s*=\s*[\"']?refresh|<iframe\b|data:text/html|"
    rb"\$\.(?:ajax|post)\s*\(|fetch\s*\(\s*[\"'`]https?:|xmlhttprequest", re.I)
_SVG_ACTIVE = re.compile(rb"<script\b|<foreignobject\b|javascript:|\bon(?:load|click|mouseover|"
                         rb"error|begin|focus)\s*=|<iframe\b|<form\b", re.I)


# --- names ------------------------------------------------------------------------------------

def _clean_name(filename: str) -> tuple[str, bool]:
    """The name Windows would act on (lowercased), and whether characters were hiding it."""
    name = unicodedata.normalize("NFKC", filename or "")
    hidden = bool(_HIDING.search(name))
    if hidden:
        name = _HIDING.sub("", name)
    name = name.translate(_DOTS).replace("\\", "/").rsplit("/", 1)[-1]
    return name.strip().rstrip(" .").lower(), hidden


def _ext_of(name: str) -> tuple[str, list[str]]:
    parts = [p.strip() for p in name.split(".")]
    if len(parts) < 2 or not parts[-1] or len(parts[-1]) > 24:
        return "", parts
    return parts[-1], parts


def name_findings(filename: str, content_type: str = "") -> list[str]:
    """What a file's name and declared type say it is (cheap: no content read)."""
    out: list[str] = []
    name, hidden = _clean_name(filename)
    ext, parts = _ext_of(name)
    ctype = (content_type or "").lower()
    if ext in EXECUTABLE_EXT or ctype in _EXEC_CTYPES:
        out.append("executable")
    if ext in SCRIPT_EXT or ctype in _SCRIPT_CTYPES:
        out.append("script")
    if ext in DISK_IMAGE_EXT or ctype in _DISK_CTYPES:
        out.append("disk_image")
    if ext in SHORTCUT_EXT or ctype in _SHORTCUT_CTYPES:
        out.append("shortcut")
    if ext in HTML_EXT or (name and ctype in _HTML_CTYPES and ext not in TEXT_EXT):
        out.append("html")
    if ext in MACRO_EXT or "macroenabled" in ctype:
        out.append("macro")
    if ext in EMBEDDING_EXT:
        out.append("embedded_object")
    if ext in ARCHIVE_EXT:
        out.append("archive")
        if ext not in ("zip", "zipx", "gz", "tgz", "bz2", "tbz", "tbz2", "xz", "txz", "tar", "z"):
            out.append("unreadable_archive")
    dangerous = ext in DANGEROUS_EXT
    if dangerous and len(parts) >= 3 and parts[-2] in DECOY_EXT:
        out.append("double_extension")
    if hidden or (dangerous and _PADDING.search(name[: -len(ext) - 1])):
        out.append("disguised_name")
    if dangerous and ext not in HTML_EXT and ext not in SVG_EXT and (
            ctype.startswith(("image/", "audio/", "video/")) or ctype == "application/pdf"):
        out.append("type_mismatch")
    return out


# --- contents -----------------------------------------------------------------------------------

def sniff(data: bytes) -> str:
    """What the bytes are, by their signature ('' when unknown)."""
    head = data[:16]
    if head.startswith(b"MZ"):
        if len(data) >= 64:
            pe = int.from_bytes(data[60:64], "little")
            if pe + 4 <= len(data) and data[pe:pe + 4] == b"PE\x00\x00":
                return "pe"
        if b"DOS mode" in data[:512] or b"This program" in data[:512]:
            return "pe"
    if head.startswith(b"\x7fELF"):
        return "elf"
    if head[:4] in (b"\xfe\xed\xfa\xce", b"\xfe\xed\xfa\xcf", b"\xce\xfa\xed\xfe",
                    b"\xcf\xfa\xed\xfe", b"\xca\xfe\xba\xbe"):
        return "macho"
    if head.startswith(b"L\x00\x00\x00\x01\x14\x02\x00"):
        return "lnk"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")):
        return "zip"
    if head.startswith(b"Rar!\x1a\x07"):
        return "rar"
    if head.startswith(b"7z\xbc\xaf\x27\x1c"):
        return "7z"
    if head.startswith(b"MSCF\x00\x00\x00\x00"):
        return "cab"
    if data[7:14] == b"**ACE**":
        return "ace"
    if head.startswith(b"\x60\xea") and len(data) > 10:
        return "arj"
    if data[2:5] in (b"-lh", b"-lz") and data[6:7] == b"-":
        return "lzh"
    if head.startswith(b"\x1f\x8b"):
        return "gzip"
    if head.startswith(b"BZh") and data[3:4].isdigit():
        return "bzip2"
    if head.startswith(b"\xfd7zXZ\x00"):
        return "xz"
    if head.startswith(b"vhdxfile"):
        return "vhdx"
    if head.startswith(b"conectix") or data[-512:-504] == b"conectix":
        return "vhd"
    if any(data[off:off + 5] in (b"CD001", b"BEA01", b"NSR02") for off in (0x8001, 0x8801, 0x9001)):
        return "iso"
    if len(data) >= 512 and data[-512:-508] == b"koly":
        return "dmg"
    if head.startswith(b"ITSF"):
        return "chm"
    if head.startswith(b"\xe4\x52\x5c\x7b\x8c\xd8\xa7\x4d"):
        return "onenote"
    if head.startswith(b"{\\rt"):
        return "rtf"
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if archives.is_tar(data):
        return "tar"
    if head.startswith(b"\x89PNG"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return "tiff"
    if head.startswith(b"RIFF") and data[8:12] == b"WEBP":
        return "webp"
    if head.startswith(b"BM") and len(data) > 26 and data[6:10] == b"\x00\x00\x00\x00":
        return "bmp"
    start = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<script", b"<form")):
        return "html"
    if start.startswith(b"<svg") or (start.startswith(b"<?xml") and b"<svg" in start):
        return "svg"
    return ""


def _html_findings(data: bytes, svg: bool) -> list[str]:
    head = data[:MAX_HTML_SCAN]
    out: list[str] = []
    if _PASSWORD_INPUT.search(head) or _REMOTE_FORM.search(head):
        out.append("html_form")
    if (_SVG_ACTIVE if svg else _HTML_ACTIVE).search(head):
        out.append("html_script")
    return out


def _mismatch(ext: str, ctype: str, kind: str) -> bool:
    """An inert-looking claim (picture, PDF, text, media) on active content."""
    if kind not in _ACTIVE_KINDS or (kind == "gzip" and (ext == "svgz" or ctype == _SVG_CTYPE)):
        return False
    claims = set()
    if ext in IMAGE_EXT or ctype.startswith("image/"):
        claims.add("image")
    if ext == "pdf" or ctype == "application/pdf":
        claims.add("pdf")
    if ext in TEXT_EXT or ext in MEDIA_EXT or ctype.startswith(("audio/", "video/")):
        claims.add("inert")
    if not claims:
        return False
    if kind == "rtf" and ext in ("doc", "txt"):
        return False
    return True


def needs_content(filename: str, content_type: str) -> bool:
    """Whether the bytes may tell more than the name (False only for plain pictures, which are
    still sniffed by their first bytes)."""
    ext = _ext_of(_clean_name(filename)[0])[0]
    return not (ext in IMAGE_EXT and (content_type or "").lower().startswith("image/"))


def _inspect(filename: str, content_type: str, data: bytes, depth: int,
             budget: Budget) -> list[str]:
    out = name_findings(filename, content_type)
    if not data:
        return out
    if depth > archives.MAX_DEPTH:
        return out + ["inspection_limit"]
    name, _ = _clean_name(filename)
    ext = _ext_of(name)[0]
    ctype = (content_type or "").lower()
    kind = sniff(data)

    def inner(member: str, member_type: str, content: bytes, level: int) -> list[str]:
        return _inspect(member, member_type, content, level, budget)

    if _mismatch(ext, ctype, kind):
        out.append("type_mismatch")
    if kind in ("pe", "elf", "macho"):
        out.append("executable_content")
    elif kind == "lnk":
        out.append("shortcut")
    elif kind in ("iso", "vhd", "vhdx", "dmg"):
        out.append("disk_image")
    elif kind == "chm":
        out.append("script")
    elif kind == "onenote":
        out.append("embedded_object")
    elif kind in _UNREADABLE_ARCHIVES:
        out += ["archive", "unreadable_archive"]
    elif kind == "zip":
        out += _zip(data, depth, budget, inner)
    elif kind == "ole":
        out += office.ole_findings(data, depth, budget, inner)
    elif kind in ("gzip", "bzip2", "xz"):
        if ext != "svgz":  # a compressed SVG picture is not an archive
            out.append("archive")
        out += archives.compressed_findings(kind, filename, data, depth, budget, inner)
    elif kind == "tar":
        out += ["archive"] + archives.tar_findings(data, depth, budget, inner)
    elif kind == "pdf":
        out += office.pdf_findings(data, budget)
    elif kind == "rtf":
        out += office.rtf_findings(data, depth, inner)
    elif ext in _ZIP_BASED or (ext in _BINARY_BASED and b"\x00" in data[:1024]):
        out.append("unreadable")  # an Office file or an archive that is neither: corrupt
    svg = ext in SVG_EXT or ctype == _SVG_CTYPE or kind == "svg"
    html = "html" in out or (kind == "html" and name and ext not in TEXT_EXT and ext != "pdf")
    if svg and name and not html:
        found = _html_findings(data, svg=True)
        out += found
    elif html:
        out += ["html"] + _html_findings(data, svg=False)
    if budget.exhausted:
        out.append("inspection_limit")
    return out


def _zip(data: bytes, depth: int, budget: Budget, inner: archives.InspectFn) -> list[str]:
    zf, problems = archives.open_zip(data)
    if zf is None:
        return ["archive", *problems] if "unreadable" not in problems else problems
    with zf:
        names = set(zf.namelist())
        kind = office.package_kind(names)
        if kind in ("ooxml", "odf"):
            return office.package_findings(zf, kind, depth, budget, inner)
        if kind == "jar":
            return ["script"]
        if kind == "apk":
            return ["executable"]
        return ["archive", *archives.zip_findings(zf, len(data), depth, budget, inner)]


def message_budget() -> Budget:
    """One budget for all the attachments of a message, so that 200 attachments cannot each
    spend a whole attachment's allowance."""
    return Budget(bytes_left=2 * archives.MAX_TOTAL_BYTES, members_left=2 * archives.MAX_MEMBERS,
                  deadline=time.monotonic() + 2 * archives.DEADLINE_S)


def inspect_payload(filename: str, content_type: str, payload: bytes, *,
                    budget: Budget | None = None) -> tuple[str, ...]:
    """Finding codes for one attachment (see :data:`FINDINGS`); never raises, bounded work.

    ``budget`` (from :func:`message_budget`) is shared by the attachments of one message; once
    it is spent, an attachment is judged by its name and first bytes only.
    """
    if budget is None:
        budget = Budget()
    elif budget.exhausted:
        payload = bytes(payload or b"")[:SNIFF_BYTES]
        return tuple(dict.fromkeys(
            [*_safe_names(filename, content_type), *_sniff_only(payload), "inspection_limit"]))
    try:
        found = _inspect(filename if isinstance(filename, str) else "",
                         content_type if isinstance(content_type, str) else "",
                         bytes(payload or b""), 0, budget)
    except RecursionError:
        found = name_findings(filename, content_type) + ["inspection_limit"]
    except Exception:  # a reader choked on hostile bytes: say so, and keep the name's verdict
        try:
            found = name_findings(filename, content_type) + ["unreadable"]
        except Exception:
            found = ["unreadable"]
    return tuple(dict.fromkeys(found))


def _safe_names(filename: object, content_type: object) -> list[str]:
    try:
        return name_findings(str(filename or ""), str(content_type or ""))
    except Exception:
        return []


def _sniff_only(payload: bytes) -> list[str]:
    kind = sniff(payload)
    return {"pe": ["executable_content"], "elf": ["executable_content"],
            "macho": ["executable_content"], "lnk": ["shortcut"], "iso": ["disk_image"],
            "vhd": ["disk_image"], "vhdx": ["disk_image"]}.get(kind, [])


# --- reasons --------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class _Spec:
    template: str
    stranger: float  # contribution to the phishing score when the sender is unknown
    known: float  # … when the sender is a known correspondent (accounts do get hijacked)


_SPECS: dict[str, _Spec] = {
    "executable": _Spec(N_("The attachment {name} is a program: opening it would run it"),
                        0.95, 0.7),
    "executable_content": _Spec(
        N_("The attachment {name} contains a program, whatever its name says"), 0.95, 0.75),
    "script": _Spec(N_("The attachment {name} is a script: opening it would run it"), 0.9, 0.6),
    "disk_image": _Spec(
        N_("The attachment {name} is a disk image, a common way to slip programs past filters"),
        0.85, 0.4),
    "shortcut": _Spec(
        N_("The attachment {name} is a shortcut that can start a program or open a website"),
        0.9, 0.6),
    "html": _Spec(N_("The attachment {name} is a web page, a common way to show a fake "
                     "sign-in form"), 0.5, 0.1),
    "html_form": _Spec(N_("The attachment {name} contains a form that sends what you type "
                          "to a website"), 0.9, 0.4),
    "html_script": _Spec(N_("The attachment {name} runs hidden code or redirects to a website "
                            "when opened"), 0.75, 0.3),
    "macro": _Spec(N_("The attachment {name} is an Office document with macros (code that runs "
                      "if you enable it)"), 0.9, 0.5),
    "remote_template": _Spec(N_("The attachment {name} loads content from the Internet when "
                                "opened"), 0.9, 0.5),
    "encrypted_document": _Spec(N_("The attachment {name} is password-protected, so it could "
                                   "not be checked"), 0.6, 0.15),
    "embedded_object": _Spec(N_("The attachment {name} hides an embedded object or file"),
                             0.5, 0.15),
    "pdf_javascript": _Spec(N_("The PDF {name} contains code (JavaScript)"), 0.8, 0.3),
    "pdf_launch": _Spec(N_("The PDF {name} tries to start a program"), 0.9, 0.5),
    "pdf_embedded_file": _Spec(N_("The PDF {name} carries another file inside it"), 0.4, 0.1),
    "pdf_submit_form": _Spec(N_("The PDF {name} contains a form that sends what you type to a "
                                "website"), 0.5, 0.15),
    "encrypted_archive": _Spec(N_("The archive {name} is password-protected, so its content "
                                  "could not be checked"), 0.85, 0.4),
    "unreadable_archive": _Spec(N_("The archive {name} is in a format that could not be "
                                   "checked"), 0.6, 0.2),
    "nested_archive": _Spec(N_("The archive {name} contains another archive, a common way to "
                               "hide a program"), 0.6, 0.2),
    "zip_bomb": _Spec(N_("The archive {name} would expand to an enormous size (archive bomb)"),
                      0.9, 0.6),
    "double_extension": _Spec(N_("The attachment {name} hides its real type behind a double "
                                 "extension"), 0.95, 0.85),
    "disguised_name": _Spec(N_("The name of the attachment {name} uses invisible or reversing "
                               "characters to hide its real type"), 0.95, 0.85),
    "type_mismatch": _Spec(N_("The attachment {name} is not what its name or type says"),
                           0.7, 0.4),
    "unreadable": _Spec(N_("Unreadable attachment: {name}"), 0.3, 0.05),
    "inspection_limit": _Spec(N_("The attachment {name} is too large or too complex to be "
                                 "checked completely"), 0.4, 0.1),
    # about a file held inside the attachment (archive member, embedded or packaged file)
    "inner_program": _Spec(N_("The attachment {name} contains a program"), 0.95, 0.75),
    "inner_script": _Spec(N_("The attachment {name} contains a script or a shortcut"),
                          0.9, 0.6),
    "inner_disk_image": _Spec(N_("The attachment {name} contains a disk image"), 0.85, 0.4),
    "inner_macro": _Spec(N_("The attachment {name} contains an Office document with macros"),
                         0.9, 0.5),
    "inner_html": _Spec(N_("The attachment {name} contains a web page"), 0.6, 0.15),
    "inner_disguised": _Spec(N_("The attachment {name} contains a file with a disguised name"),
                             0.95, 0.85),
    "inner_other": _Spec(N_("The attachment {name} contains a suspicious file"), 0.5, 0.15),
}
_INNER_KEYS = {
    "executable": "inner_program", "executable_content": "inner_program",
    "script": "inner_script", "shortcut": "inner_script", "disk_image": "inner_disk_image",
    "macro": "inner_macro", "remote_template": "inner_macro", "html": "inner_html",
    "html_form": "inner_html", "html_script": "inner_html", "double_extension": "inner_disguised",
    "disguised_name": "inner_disguised", "pdf_javascript": "inner_other",
    "pdf_launch": "inner_other", "embedded_object": "inner_other",
    "type_mismatch": "inner_other", "encrypted_document": "inner_other",
}
# Codes kept on the attachment for information, with no weight of their own.
_SILENT = frozenset({"archive", "pdf_auto_action"})

FINDINGS: frozenset[str] = frozenset(
    {k for k in _SPECS if not k.startswith("inner_")} | _SILENT
    | {INNER + code for code in _SPECS if not code.startswith("inner_")} | {INNER + "archive"}
    | {INNER + code for code in _SILENT})


def _reason_key(code: str) -> str | None:
    if code.startswith(INNER):
        return _INNER_KEYS.get(code[len(INNER):], "inner_other") \
            if code[len(INNER):] not in _SILENT else None
    return code if code in _SPECS else None


def shown_name(filename: str, content_type: str = "") -> str:
    """A name safe to show: hiding and control characters removed, capped."""
    name = _CONTROL.sub("", _HIDING.sub("", filename or "")).strip()
    if not name:
        return content_type or "?"
    return name if len(name) <= 80 else name[:77] + "..."


def _names(names: Iterable[str]) -> str:
    unique = list(dict.fromkeys(names))
    return ", ".join(unique[:3]) + (", ..." if len(unique) > 3 else "")


def attachment_reasons(msg: Message, stranger: bool) -> list[Reason]:
    """Reasons (one per kind of danger, strongest first) from the message's attachments.

    ``weight`` is the reason's contribution to the phishing score, in [0, 1]: the probability
    that a message with this trait alone is an attack, from a ``stranger`` (a sender the user
    has never written to) or from a known correspondent. Combine them as independent evidence
    (1 - prod(1 - w)). Findings stored by the parser are used; names are re-checked so that
    attachments restored from storage without findings still count.
    """
    by_key: dict[str, list[str]] = {}
    for att in msg.attachments:
        codes = list(getattr(att, "findings", ()) or ())
        codes += name_findings(att.filename, att.content_type)
        shown = shown_name(att.filename, att.content_type)
        for code in dict.fromkeys(codes):
            key = _reason_key(code)
            if key is not None:
                by_key.setdefault(key, []).append(shown)
    reasons = []
    for key, names in by_key.items():
        spec = _SPECS[key]
        weight = spec.stranger if stranger else spec.known
        reasons.append(Reason(spec.template, {"name": _names(names)},
                              code=f"attachment_{key}", weight=weight))
    reasons.sort(key=lambda r: -r.weight)
    return reasons
