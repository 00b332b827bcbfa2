"""The timeline of a pack: hostile messages stay inert text, the PDF fits the page, excerpts
keep the offending passages, and mbox and folder sources give back their exact messages."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from accalmie.config import Account, Config
from accalmie.guard.evidence import verify_pack
from accalmie.guard.evidence.service import create_pack, user_timezone
from accalmie.guard.evidence.timeline import excerpt_segments
from accalmie.service import triage_files
from accalmie.sources.files import read_mbox
from accalmie.store import Store
from tests.guard.test_evidence_helpers import NOW, PARIS, members

OWNER = "claire.martin@mds.example"
ACCOUNT = Account(name="claire", email=OWNER)
CONFIG = Config(accounts=(ACCOUNT,))

HOSTILE = (
    b'From: "<script>alert(1)</script> Evil" <evil@bad.example>\r\n'
    b"To: claire.martin@mds.example\r\n"
    b"Subject: <img src=x onerror=alert(1)> {{ 7*7 }} </style><b>bold</b>\r\n"
    b"Date: Tue, 14 May 2024 23:12:00 +0200\r\n"
    b"Message-ID: <hostile@bad.example>\r\n"
    b"MIME-Version: 1.0\r\n"
    b"Content-Type: text/html; charset=utf-8\r\n\r\n"
    b"<html><head><style>body{display:none}</style></head><body>"
    b"<script>alert(1)</script><img src=\"http://tracker.example/p.png\">"
    b"<p>Je sais o\xc3\xb9 vous habitez, <b>vous allez le payer</b>.</p>"
    b"<a href=\"file:///etc/passwd\">dossier</a> {% raw %}{{ config }}"
    + b"https://very-long.example/" + b"a" * 600 + b"</body></html>\r\n")

LONG = (
    b"From: " + b"Quelqu'un avec un nom vraiment tres long " * 5 + b"<long@x.example>\r\n"
    b"To: claire.martin@mds.example\r\n"
    b"Subject: " + b"Sans-espace-" * 40 + b"\r\n"
    b"Date: Wed, 15 May 2024 08:00:00 +0200\r\n"
    b"Message-ID: <" + b"l" * 300 + b"@x.example>\r\n"
    b"Content-Type: text/plain; charset=utf-8\r\n\r\n"
    + b"Vous allez le payer. " + b"x" * 2000 + b"\r\n" + b"Texte normal. " * 200 + b"\r\n")


def _mbox_bytes() -> bytes:
    return (
        b"From alice@a.example Mon May 13 10:00:00 2024\n"
        b"From: Alice <alice@a.example>\nTo: claire.martin@mds.example\nSubject: premier\n"
        b"Date: Mon, 13 May 2024 10:00:00 +0200\nMessage-ID: <one@a.example>\n\n"
        b"Bonjour,\n>From the start, escaped in the mbox.\nFrom here on, not a separator.\n\n"
        b"From bob@b.example Mon May 13 11:00:00 2024\n"
        b"From: Bob <bob@b.example>\nTo: claire.martin@mds.example\nSubject: second\n"
        b"Date: Mon, 13 May 2024 11:00:00 +0200\nMessage-ID: <two@b.example>\n\n"
        b"Je sais o\xc3\xb9 vous habitez.\n\n"
        b"From carol@c.example Mon May 13 12:00:00 2024\n"
        b"From: Carol <carol@c.example>\nTo: claire.martin@mds.example\nSubject: third\n"
        b"Date: Mon, 13 May 2024 12:00:00 +0200\nMessage-ID: <three@c.example>\n\nfin\n")


def _options(out: Path, **kw: object):  # type: ignore[no-untyped-def]
    from accalmie.guard.evidence import PackOptions

    return PackOptions(out=out, account=OWNER, lang="en", tz=PARIS, tz_name="Europe/Paris",
                       own_addresses=frozenset({OWNER}), now=NOW, **kw)  # type: ignore[arg-type]


def test_excerpt_keeps_start_and_offending_passages() -> None:
    text = "Bonjour.   Ligne\n\nsuivante " + "x " * 800 + "je vais venir vous voir à la sortie."
    start = text.index("je vais")
    pieces = excerpt_segments(text, [(start, len(text) - 1)], "[…]", limit=100)
    shown = "".join(t for t, _m in pieces)
    assert shown.startswith("Bonjour. Ligne suivante x")
    assert "[…]" in shown and [t for t, m in pieces if m] == ["je vais venir vous voir à la sortie"]
    assert len(shown) < 500
    assert excerpt_segments("", [], "[…]") == []
    # Spans out of range or overlapping are tolerated.
    assert "".join(t for t, _ in excerpt_segments("abc def", [(2, 5), (4, 99)], "…")) == "abc def"


def test_hostile_message_stays_inert_text(store: Store, tmp_path: Path) -> None:
    folder = tmp_path / "mail"
    folder.mkdir()
    (folder / "hostile.eml").write_bytes(HOSTILE)
    (folder / "long.eml").write_bytes(LONG)
    triage_files(folder, store, CONFIG, ACCOUNT, workers=1)
    result = create_pack(store, CONFIG, ACCOUNT, ["<hostile@bad.example>", "l" * 300 +
                                                  "@x.example"], _options(tmp_path / "h.zip"),
                         sources=[folder])
    files = members(result.path)
    html = files["timeline.html"].decode()
    body = html.split("<body>", 1)[1]
    assert "<script" not in body.lower() and "<img" not in body.lower()
    assert "<b>" not in body and "</style><b>" not in html
    assert "&lt;script&gt;" in body and "&lt;img src=x onerror=alert(1)&gt;" in body
    assert "{{ 7*7 }}" in body and "{{ config }}" in body
    assert "http://tracker.example" not in html  # HTML bodies become text; images never load
    name = next(k for k, v in files.items() if v == HOSTILE)
    assert name.startswith("originals/01_2024-05-14_img-src-x-onerror") and name.isascii()
    assert verify_pack(result.path).ok
    doc = json.loads(files["manifest.json"])
    assert doc["messages"][0]["date_text"].startswith("Tuesday, May 14, 2024")
    assert "11:12" in doc["messages"][0]["date_text"] and "(UTC+02:00)" in doc["messages"][0][
        "date_text"]


def test_pdf_fits_the_page_whatever_the_content(store: Store, tmp_path: Path) -> None:
    from weasyprint import HTML
    from weasyprint.formatting_structure.boxes import MarginBox, PageBox

    folder = tmp_path / "mail"
    folder.mkdir()
    (folder / "long.eml").write_bytes(LONG)
    (folder / "hostile.eml").write_bytes(HOSTILE)
    triage_files(folder, store, CONFIG, ACCOUNT, workers=1)
    refs = ["<hostile@bad.example>", "l" * 300 + "@x.example"]
    result = create_pack(store, CONFIG, ACCOUNT, refs,
                         _options(tmp_path / "p.zip", pseudonymise=True), sources=[folder])
    html = members(result.path)["timeline.html"].decode()
    doc = HTML(string=html).render()
    assert doc.pages
    margin = 14 * 96 / 25.4  # the right margin of the @page rule, in CSS pixels
    for page in doc.pages:
        limit = page.width - margin + 1
        for box in page._page_box.descendants():  # noqa: SLF001 - layout boxes for the check
            if isinstance(box, PageBox | MarginBox):
                continue
            right = box.position_x + box.margin_width()
            assert right <= limit, (type(box).__name__, right, limit,
                                    getattr(box, "text", "")[:40])


def test_mbox_and_folder_sources_give_back_their_messages(store: Store, tmp_path: Path) -> None:
    mbox = tmp_path / "archive.mbox"
    mbox.write_bytes(_mbox_bytes())
    triage_files(mbox, store, CONFIG, ACCOUNT, workers=1)
    expected = {raw for _key, raw in read_mbox(mbox)}
    assert len(expected) == 3
    result = create_pack(store, CONFIG, ACCOUNT, ["<one@a.example>", "two@b.example"],
                         _options(tmp_path / "m.zip"), sources=[mbox])
    originals = [v for k, v in members(result.path).items() if k.startswith("originals/")]
    assert set(originals) <= expected and len(originals) == 2
    assert any(b"\nFrom the start, escaped" in o for o in originals)  # as the product read it
    assert verify_pack(result.path).ok
    # The same mbox inside a folder, next to a single message file: keys "archive.mbox#mbox:N".
    folder = tmp_path / "folder"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "archive.mbox").write_bytes(_mbox_bytes())
    (folder / "single.eml").write_bytes(LONG)
    other = Account(name="folder", email=OWNER)
    triage_files(folder, store, CONFIG, other, workers=1)
    result = create_pack(store, CONFIG, other, ["<three@c.example>", "<" + "l" * 300 +
                                                "@x.example>"], _options(tmp_path / "f.zip"),
                         sources=[folder])
    originals = {k: v for k, v in members(result.path).items() if k.startswith("originals/")}
    assert LONG in originals.values() and len(originals) == 2
    locations = [e.location for e in result.entries]
    assert any(re.search(r"/sub/archive\.mbox#mbox:\d+$", loc) for loc in locations)
    assert any(loc.endswith("/single.eml") for loc in locations)


def test_time_zone_comes_from_the_option_or_defaults_to_paris() -> None:
    assert user_timezone(CONFIG, ACCOUNT)[1] == "Europe/Paris"
    assert user_timezone(CONFIG, ACCOUNT, "America/Cayenne")[1] == "America/Cayenne"
    from accalmie.config import ConfigError

    with pytest.raises(ConfigError):
        user_timezone(CONFIG, ACCOUNT, "Mars/Olympus")


def test_category_without_or_with_an_odd_detector(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys
    from enum import Enum

    from accalmie.guard.evidence import category

    assert [category._grade_code(g) for g in  # noqa: SLF001
            (None, "", "none", "Menace", "insult", "INCIVILITÉ", "hate")] == \
        ["", "", "", "threat", "insult", "incivility", "hate"]

    class Grade(Enum):
        THREAT = 3

    assert category._grade_code(Grade.THREAT) == "threat"  # noqa: SLF001
    assert category._span((5, 2), 10) is None and category._span((-3, 4), 10) == (0, 4)  # noqa: SLF001
    assert category._span(object(), 10) is None  # noqa: SLF001
    monkeypatch.setitem(sys.modules, "accalmie.guard.hostility", None)
    assert category.assess("je vais venir vous voir à la sortie", "fr", "fr") is None
