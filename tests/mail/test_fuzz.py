"""Property tests: whatever bytes arrive, the parser returns a Message and never raises."""

from __future__ import annotations

import base64
from datetime import datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accalmie.mail.model import Address, Attachment, Link, Message
from accalmie.mail.parse import parse_message
from tests.mail.mime import message, multipart, part

FUZZ = settings(max_examples=150, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.filter_too_much])

SEEDS = [
    message("Bonjour,\nPouvez-vous rappeler ?\n\nLe 3 juin, X a écrit :\n> question"),
    message("Déjà reçu €".encode("cp1252"), charset="windows-1252", cte="quoted-printable"),
    message("<p>Cliquez <a href='http://x.example/'>www.caf.fr</a></p>", ctype="text/html",
            cte="base64"),
    multipart([part("texte"), part("<b>html</b>", "text/html")], subtype="alternative"),
    multipart([part("corps"),
               part(b"%PDF-1.4 data", "application/pdf", charset=None, cte="base64",
                    disposition='attachment; filename="a.pdf"'),
               b"Content-Type: message/rfc822\r\n\r\n" + message("inner")], boundary="zz"),
    (b"From x@y Mon Jan  1 00:00:00 2024\nFrom: =?utf-8?q?Jos=C3=A9?= <j@x.fr>\n"
     b"Subject: =?iso-8859-1?b?6XTp?=\nDate: Mon, 1 Jan 2024 00:00:00 +0100\n"
     b"Content-Type: multipart/mixed; boundary=a\n\n--a\nContent-Type: multipart/related;"
     b" boundary=b\n\n--b\nContent-Type: text/plain; charset=utf-8\n"
     b"Content-Transfer-Encoding: 8bit\n\n\xc3\xa9t\xc3\xa9\n--b--\n--a--\n"),
]

TOKENS = [
    b"--", b"--b1", b"--b1--", b"\r\n\r\n", b"\n\n", b'boundary="b1"', b"boundary=",
    b"Content-Type: multipart/mixed; boundary=b1\r\n", b"Content-Type: message/rfc822\r\n\r\n",
    b"Content-Transfer-Encoding: base64\r\n", b"Content-Transfer-Encoding: quoted-printable\r\n",
    b"Content-Transfer-Encoding: x-uuencode\r\n", b"begin 644 x.bin\n", b"charset=",
    b"charset=zlib",
    b'filename*=UTF-8\'\'%FF%FE', b"=?utf-8?b?", b"=?x?q?", b"?=", b"=\r\n", b"=ZZ", b"\x00",
    b"\xff\xfe", b"\xc3", b"\r", b">From ", b"From ", b"<", b">", b'"', b"@", b",", b":", b";",
    b"<a href='", b"<html>", b"</", b"&#x", b"\t", b" " * 500, b"A" * 5000,
]
CHARSETS = ["utf-8", "iso-8859-1", "windows-1252", "us-ascii", "utf-16", "utf-7", "koi8-r",
            "gb2312", "iso-2022-jp", "x-unknown", "bogus", "zlib", "base64", "", "utf-8*fr",
            "\u00e9", "unicode_escape", "idna", "a" * 100]
CTES = ["7bit", "8bit", "binary", "base64", "quoted-printable", "x-uuencode", "bogus", ""]


def check(msg: object, raw: bytes, max_text: int = 200_000) -> None:
    assert isinstance(msg, Message)
    assert msg.size == len(raw)
    assert isinstance(msg.subject, str) and isinstance(msg.text, str)
    assert isinstance(msg.new_text, str) and len(msg.text) <= max_text
    assert msg.from_ is None or isinstance(msg.from_, Address)
    assert all(isinstance(a, Address) for a in msg.to + msg.cc + msg.bcc + msg.reply_to)
    assert msg.date is None or (isinstance(msg.date, datetime) and msg.date.tzinfo is not None)
    assert all(isinstance(link, Link) for link in msg.links)
    assert all(isinstance(a, Attachment) and len(a.sha256) == 64 and a.size >= 0
               for a in msg.attachments)
    assert all(name == name.lower() and isinstance(value, str) for name, value in msg.headers)
    assert all(isinstance(d, str) and d for d in msg.defects)
    assert isinstance(msg.language, str)


@FUZZ
@given(st.binary(max_size=4000))
def test_random_bytes(raw: bytes) -> None:
    check(parse_message(raw), raw)


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(1, 12))):
        op = draw(st.sampled_from(["flip", "insert", "delete", "truncate", "duplicate", "token"]))
        pos = draw(st.integers(0, len(data)))
        if op == "flip" and data:
            data[min(pos, len(data) - 1)] = draw(st.integers(0, 255))
        elif op == "insert":
            data[pos:pos] = draw(st.binary(min_size=1, max_size=20))
        elif op == "delete":
            del data[pos:pos + draw(st.integers(1, 50))]
        elif op == "truncate":
            del data[pos:]
        elif op == "duplicate":
            data[pos:pos] = data[pos:pos + draw(st.integers(1, 400))]
        else:
            data[pos:pos] = draw(st.sampled_from(TOKENS))
    return bytes(data)


@FUZZ
@given(mutated(), st.sampled_from([200_000, 100, 0]))
def test_mutated_real_messages(raw: bytes, max_text: int) -> None:
    check(parse_message(raw, max_text_chars=max_text), raw, max_text)


def _encoded_word(draw: st.DrawFn) -> str:
    charset = draw(st.sampled_from(CHARSETS)) or "utf-8"
    text = draw(st.text(max_size=20))
    data = text.encode("utf-8", "surrogatepass")
    if draw(st.booleans()):
        payload = base64.b64encode(data).decode()
        if draw(st.booleans()):
            payload = payload.rstrip("=")
        return f"=?{charset}?B?{payload}?="
    return f"=?{charset}?Q?{''.join(f'={b:02X}' for b in data)}?="


@st.composite
def header_value(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["text", "word", "address", "huge", "garbage"]))
    if kind == "word":
        return " ".join(_encoded_word(draw) for _ in range(draw(st.integers(1, 3))))
    if kind == "address":
        name = draw(st.sampled_from(['"Dupont, J"', "=?utf-8?q?Jos=C3=A9?=", "", "<", '"x']))
        addr = draw(st.sampled_from(["a@b.fr", "a@b@c", "@x", "", "<>", "a@", "x y@z"]))
        return f"{name} <{addr}>, {addr}"
    if kind == "huge":
        return "h" * draw(st.integers(1000, 60_000))
    if kind == "garbage":
        return draw(st.binary(max_size=60)).decode("latin-1").replace("\n", "\n ")
    return draw(st.text(max_size=60)).replace("\n", " ")


@st.composite
def mime_body(draw: st.DrawFn, depth: int = 0) -> bytes:
    charset = draw(st.sampled_from(CHARSETS))
    cte = draw(st.sampled_from(CTES))
    ctype = draw(st.sampled_from(["text/plain", "text/html", "application/pdf", "image/png",
                                  "message/rfc822", "multipart/mixed", "multipart/alternative",
                                  "text", "", "garbage/", "multipart/digest"]))
    lines = [f"Content-Type: {ctype}; charset={charset}"] if ctype else []
    if cte:
        lines.append(f"Content-Transfer-Encoding: {cte}")
    if draw(st.booleans()):
        lines.append(f'Content-Disposition: attachment; filename="{draw(header_value())[:80]}"')
    if ctype.startswith("multipart/") and depth < 40:
        boundary = draw(st.sampled_from(["b", "bb", "", 'x"y', "b" * 80]))
        declared = boundary if draw(st.integers(0, 4)) else "other"
        lines[0] = f'Content-Type: {ctype}; boundary="{declared}"'
        children = [draw(mime_body(depth + 1)) for _ in range(draw(st.integers(0, 3)))]
        body = b"".join(f"--{boundary}{depth}\r\n".encode() + child + b"\r\n" for child in children)
        if draw(st.booleans()):
            body += f"--{boundary}{depth}--\r\n".encode()
        lines[0] = lines[0].replace(f'"{declared}"', f'"{declared}{depth}"')
    elif ctype == "message/rfc822" and depth < 40:
        body = draw(full_message(depth + 1))
    else:
        content = draw(st.one_of(st.binary(max_size=300), st.text(max_size=300).map(
            lambda t: t.encode("utf-8", "surrogatepass"))))
        if cte == "base64" and draw(st.booleans()):
            content = base64.encodebytes(content)
        body = content
    head = "\r\n".join(lines).encode("utf-8", "surrogateescape")
    return head + b"\r\n\r\n" + body


@st.composite
def full_message(draw: st.DrawFn, depth: int = 0) -> bytes:
    names = ["From", "To", "Cc", "Subject", "Date", "Message-ID", "References", "List-Id",
             "List-Unsubscribe", "List-Unsubscribe-Post", "Reply-To", "X-Custom", "Received"]
    headers = []
    for _ in range(draw(st.integers(0, 8))):
        name = draw(st.sampled_from(names))
        headers.append(f"{name}: {draw(header_value())}")
    if draw(st.booleans()):
        when = draw(st.sampled_from(["Mon, 3 Jun 2024 10:12:00 +0200", "yesterday",
                                     "32 Foo 99999 99:99", "Mon, 3 Jun 2024 10:12:00 -9999"]))
        headers.append(f"Date: {when}")
    head = "\r\n".join(headers).encode("utf-8", "surrogateescape")
    return head + b"\r\n" + draw(mime_body(depth))


@FUZZ
@given(full_message())
def test_generated_mime_trees(raw: bytes) -> None:
    check(parse_message(raw), raw)


@FUZZ
@given(st.integers(1, 3000), st.sampled_from(["mixed", "alternative", "rfc822"]))
def test_deep_nesting(depth: int, kind: str) -> None:
    leaf = b"Content-Type: text/plain\r\n\r\nfeuille\r\n"
    raw = leaf
    for level in reversed(range(depth)):
        if kind == "rfc822":
            raw = b"Content-Type: message/rfc822\r\n\r\nSubject: x\r\n" + raw
        else:
            raw = (f'Content-Type: multipart/{kind}; boundary="n{level}"\r\n\r\n--n{level}\r\n'
                   .encode() + raw + f"\r\n--n{level}--\r\n".encode())
    raw = b"From: a@b.fr\r\n" + raw
    check(parse_message(raw), raw)
