"""Bytes to text, tolerantly: charsets, RFC 2047 encoded words, transfer encodings.

Real mail lies about its charset, splits multi-byte characters across encoded words, pads
base64 badly and puts raw 8-bit bytes in headers. Every function here returns *something*
readable and says, in plain words, what was wrong, instead of raising.

The fallback for an unknown or wrong charset is deliberate and cheap: UTF-8 if the bytes are
valid UTF-8, else windows-1252 (a superset of Latin-1 and the legacy charset of most French
mail), with replacement characters for the few undefined bytes.
"""

from __future__ import annotations

import binascii
import codecs
import hashlib
import re
from functools import lru_cache

# Labels that mean "no information": decode by guessing, without calling it a defect.
_UNSPECIFIED = frozenset({"", "unknown-8bit", "x-unknown", "unknown", "default", "x-user-defined",
                          "none", "charset", "8bit", "binary"})

# Labels that mail clients write but Python does not know, or knows under a narrower meaning.
# Latin-1 and ASCII labels are read as windows-1252, as browsers do (WHATWG encoding standard):
# mail labelled iso-8859-1 routinely carries windows-1252 quotes and euro signs.
_ALIASES = {
    "iso-8859-1": "cp1252", "iso8859-1": "cp1252", "iso_8859-1": "cp1252", "latin1": "cp1252",
    "latin-1": "cp1252", "l1": "cp1252", "iso-ir-100": "cp1252", "cp819": "cp1252",
    "ibm819": "cp1252", "iso_8859-1:1987": "cp1252", "windows-1252": "cp1252",
    "x-cp1252": "cp1252", "8859-1": "cp1252", "iso8859_1": "cp1252", "iso-latin-1": "cp1252",
    "us-ascii": "ascii", "ascii": "ascii", "ansi_x3.4-1968": "ascii", "us": "ascii",
    "iso646-us": "ascii", "646": "ascii",
    "utf8": "utf-8", "utf-8": "utf-8", "unicode-1-1-utf-8": "utf-8", "x-unicode20utf8": "utf-8",
    "iso-8859-15": "iso8859-15", "latin-9": "iso8859-15", "latin9": "iso8859-15",
    "iso-8859-8-i": "iso8859-8", "iso-8859-6-i": "iso8859-6",
    "gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030",
    "euc-cn": "gb18030", "chinese": "gb18030", "csgb2312": "gb18030",
    "big5": "big5hkscs", "x-x-big5": "big5hkscs",
    "ks_c_5601-1987": "cp949", "ks_c_5601": "cp949", "euc-kr": "cp949", "korean": "cp949",
    "shift_jis": "cp932", "shift-jis": "cp932", "sjis": "cp932", "x-sjis": "cp932",
    "windows-31j": "cp932", "ms_kanji": "cp932",
    "x-mac-roman": "mac_roman", "macintosh": "mac_roman", "mac": "mac_roman",
    "windows-874": "cp874", "tis-620": "cp874",
    "cp-850": "cp850", "ibm850": "cp850",
}

# Python codecs that are not text encodings one may meet in mail, or that would turn arbitrary
# input into something misleading; a label naming one is treated as unknown.
_REFUSED = frozenset({"unicode_escape", "raw_unicode_escape", "idna", "punycode", "undefined",
                      "mbcs", "oem", "rot_13", "base64_codec", "hex_codec", "zlib_codec",
                      "bz2_codec", "quopri_codec", "uu_codec"})

_RAW_FALLBACK = "cp1252"
_FALLBACK_NAME = "windows-1252"
# A charset name buried in a garbled label: 'charset="iso-8859-1', 'utf-8 sdq'.
_EMBEDDED = re.compile(r"utf-?8|iso[-_ ]?8859[-_ ]?1[0-6]|iso[-_ ]?8859[-_ ]?[1-9]"
                       r"|windows-125[0-8]|cp125[0-8]|koi8-[ru]|gb2312|gbk|gb18030|big5"
                       r"|shift[-_]jis|euc-(?:jp|kr)|iso-2022-jp|us-ascii")
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]")
_SINGLE_BYTE = re.compile(r"cp125\d|iso8859-\d+|latin|mac_|koi8|cp8\d\d|ascii")


@lru_cache(maxsize=512)
def normalize_charset(label: str | None) -> str | None:
    """Python codec name for a MIME charset label; '' when unspecified, None when unknown."""
    if label is None:
        return ""
    name = label.strip().strip("\"'").lower()
    if name in _UNSPECIFIED:
        return ""
    if "*" in name:  # RFC 2231 language suffix: utf-8*fr
        name = name.split("*", 1)[0]
    name = _ALIASES.get(name, name)
    try:
        if len(name) > 40:
            raise LookupError(name)
        info = codecs.lookup(name)
    except (LookupError, ValueError, TypeError):
        found = _EMBEDDED.search(name[:200])
        if found is None or found.group(0) == name:
            return None
        return _defaulted(normalize_charset(found.group(0)))
    if info.name.replace("-", "_") in _REFUSED or not getattr(info, "_is_text_encoding", True):
        return None
    return info.name


def find_charset(text: str) -> str | None:
    """A known charset name anywhere in a garbled header ('charset="charset="iso-8859-1"')."""
    found = _EMBEDDED.search(text[:300].lower())
    return found.group(0) if found else None


def _defaulted(name: str | None) -> str | None:
    return name or None


def guess_decode(data: bytes) -> tuple[str, str | None]:
    """Decode bytes of unknown charset: UTF-8 when valid, else windows-1252 with replacement."""
    if data.isascii():
        return data.decode("ascii"), None
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError:
        return data.decode(_RAW_FALLBACK, "replace"), _FALLBACK_NAME


def decode_bytes(data: bytes, label: str | None) -> tuple[str, str | None]:
    """Decode ``data`` declared as charset ``label``; returns (text, defect or None)."""
    name = normalize_charset(label)
    if data.isascii() and name in ("", "ascii", "utf-8", "cp1252", "iso8859-15"):
        return data.decode("ascii"), None
    if name is None:
        text, used = guess_decode(data)
        return text, f"unknown charset {_show(label)}, decoded as {used or 'utf-8'}"
    if name == "":
        text, used = guess_decode(data)
        return text, (f"8-bit text without a declared charset, decoded as {used}" if used
                      else None)
    if name == "ascii":
        text, used = guess_decode(data)
        return text, f"8-bit bytes in text declared us-ascii, decoded as {used or 'utf-8'}"
    if _SINGLE_BYTE.match(name):
        # valid UTF-8 with multi-byte sequences is no accident: the label is wrong
        try:
            return data.decode("utf-8"), f"text declared {_show(label)} is really utf-8"
        except UnicodeDecodeError:
            pass
    try:
        return data.decode(name), None
    except UnicodeDecodeError:
        pass
    except Exception:  # a codec bug on hostile input must not escape
        text, used = guess_decode(data)
        return text, f"charset {_show(label)} failed to decode, decoded as {used or 'utf-8'}"
    if name == "utf-8" and _UTF8_SEQUENCE.search(data) is None:
        return (data.decode(_RAW_FALLBACK, "replace"),
                f"text declared {_show(label)} is really {_FALLBACK_NAME}")
    return data.decode(name, "replace"), f"undecodable bytes in {_show(label)} text replaced"


def _show(label: str | None) -> str:
    text = (label or "").strip()
    if len(text) > 40:
        text = text[:40] + "…"
    return repr(text)


def surrogates_to_text(value: str) -> tuple[str, str | None]:
    """Undo the parser's surrogateescape: raw 8-bit header bytes become real characters."""
    if value.isascii():
        return value, None
    try:
        data = value.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # not produced by the parser: already real text
        return value, None
    if data.isascii():
        return value, None
    try:
        return data.decode("utf-8"), None  # RFC 6532 allows UTF-8 in headers
    except UnicodeDecodeError:
        return (data.decode(_RAW_FALLBACK, "replace"),
                f"raw 8-bit bytes in header, decoded as {_FALLBACK_NAME}")


# --- RFC 2047 encoded words -------------------------------------------------------------------

_ENCODED_WORD = re.compile(r"=\?([^?\s]{1,80})\?([bBqQ])\?([^?]*?)\?=")
_B64_JUNK = re.compile(r"[^A-Za-z0-9+/]")


def _b64(text: str) -> tuple[bytes, bool]:
    """Tolerant base64: ignore junk, repair padding. Returns (bytes, was_broken)."""
    try:
        return binascii.a2b_base64(text), False
    except (binascii.Error, ValueError):
        pass
    clean = _B64_JUNK.sub("", text.split("=", 1)[0])
    rem = len(clean) % 4
    if rem == 1:
        clean = clean[:-1]
    elif rem:
        clean += "=" * (4 - rem)
    try:
        return binascii.a2b_base64(clean), True
    except (binascii.Error, ValueError):
        return b"", True


def decode_words(value: str) -> tuple[str, list[str]]:
    """Decode RFC 2047 encoded words (and raw 8-bit bytes) in a header value.

    Adjacent encoded words in the same charset are joined before decoding, so that a
    multi-byte character split across two words (a common client bug) survives.
    """
    defects: list[str] = []
    if "=?" not in value:
        text, defect = surrogates_to_text(value)
        if defect:
            defects.append(defect)
        return text, defects
    out: list[str] = []
    pending: bytearray = bytearray()
    pending_charset: str | None = None
    pos = 0

    def flush() -> None:
        nonlocal pending, pending_charset
        if pending_charset is not None:
            text, defect = decode_bytes(bytes(pending), pending_charset)
            out.append(text)
            if defect:
                defects.append(defect)
        pending = bytearray()
        pending_charset = None

    def plain(segment: str) -> None:
        text, defect = surrogates_to_text(segment)
        if defect:
            defects.append(defect)
        out.append(text)

    for match in _ENCODED_WORD.finditer(value):
        between = value[pos:match.start()]
        if between and not (pending_charset is not None and between.isspace()):
            flush()
            plain(between)
        charset, kind, payload = match.group(1), match.group(2), match.group(3)
        if kind in "bB":
            data, broken = _b64(payload)
            if broken:
                defects.append("bad base64 in encoded header word")
        else:
            try:
                data = binascii.a2b_qp(payload.encode("ascii", "surrogateescape"), header=True)
            except (UnicodeEncodeError, binascii.Error, ValueError):
                data = payload.encode("utf-8", "surrogateescape").replace(b"_", b" ")
                defects.append("bad quoted-printable in encoded header word")
        key = charset.lower()
        if pending_charset is not None and key != pending_charset:
            flush()
        pending_charset = key
        pending += data
        pos = match.end()
    flush()
    if pos < len(value):
        plain(value[pos:])
    return "".join(out), defects


# --- Content-Transfer-Encoding ----------------------------------------------------------------

_KNOWN_CTE = frozenset({"7bit", "8bit", "binary", "base64", "quoted-printable", "x-uuencode",
                        "uuencode", "x-uue", ""})


def payload_bytes(payload: str) -> bytes:
    """The raw bytes behind a payload string from ``BytesParser`` (surrogateescape'd ASCII)."""
    try:
        return payload.encode("ascii", "surrogateescape")
    except UnicodeEncodeError:
        return payload.encode("utf-8", "surrogateescape")


def decode_transfer(payload: str, cte: str, limit: int | None = None) -> tuple[bytes, list[str]]:
    """Undo a transfer encoding. ``limit`` caps the *encoded* characters read (bounded work)."""
    defects: list[str] = []
    if limit is not None and len(payload) > limit:
        payload = payload[:limit]
    if cte == "base64":
        data, broken = _b64(payload)
        if broken:
            defects.append("bad base64 in body part")
        return data, defects
    if cte == "quoted-printable":
        try:
            return binascii.a2b_qp(payload_bytes(payload)), defects
        except (binascii.Error, ValueError):
            defects.append("bad quoted-printable in body part")
            return payload_bytes(payload), defects
    if cte in ("x-uuencode", "uuencode", "x-uue"):
        return _uudecode(payload, defects), defects
    if cte not in _KNOWN_CTE:
        defects.append(f"unknown transfer encoding {_show(cte)}")
    return payload_bytes(payload), defects


def _uudecode(payload: str, defects: list[str]) -> bytes:
    out = bytearray()
    started = False
    for line in payload.splitlines():
        if not started:
            started = line.startswith("begin ")
            continue
        if line.strip() in ("end", "`", ""):
            if line.strip() == "end":
                break
            continue
        try:
            out += binascii.a2b_uu(line.encode("ascii", "replace"))
        except binascii.Error:
            try:  # some encoders pad badly; the line length byte tells the truth
                n = ((ord(line[0]) - 32) & 63) * 4 // 3
                out += binascii.a2b_uu(line[: n + 1].encode("ascii", "replace"))
            except (binascii.Error, IndexError, ValueError):
                defects.append("bad uuencoded line")
    if not started:
        defects.append("uuencoded part without a begin line")
    return bytes(out)


_CHUNK = 1 << 20


def hash_transfer(payload: str, cte: str) -> tuple[int, str, list[str]]:
    """Decoded size and SHA-256 of a part, decoding big base64 payloads chunk by chunk."""
    if cte == "base64" and len(payload) > 4 * _CHUNK:
        digest = hashlib.sha256()
        size = 0
        carry = ""
        broken = False
        for start in range(0, len(payload), _CHUNK):
            clean = carry + _B64_JUNK.sub("", payload[start:start + _CHUNK].split("=", 1)[0])
            cut = len(clean) - len(clean) % 4
            carry = clean[cut:]
            if cut:
                data = binascii.a2b_base64(clean[:cut])
                digest.update(data)
                size += len(data)
            if "=" in payload[start:start + _CHUNK]:
                break  # padding marks the end of the data; anything after is junk
        if carry:
            data, broken = _b64(carry)
            digest.update(data)
            size += len(data)
        return size, digest.hexdigest(), (["bad base64 in attachment"] if broken else [])
    data, defects = decode_transfer(payload, cte)
    return len(data), hashlib.sha256(data).hexdigest(), [
        d.replace("body part", "attachment") for d in defects]
