"""Bodies: charsets, MIME structure, HTML text and links, attachments, and broken input."""

from __future__ import annotations

import base64
import hashlib

from accalmie.mail.model import Message
from accalmie.mail.parse import parse_message
from tests.mail.mime import message, multipart, part

ACCENTS = "Madame, votre dossier d'aide à l'énergie est reçu. Ça coûte 12 € ; « merci »."


def test_charsets_latin1_cp1252_utf8() -> None:
    for charset in ("iso-8859-1", "ISO-8859-15", "windows-1252", "utf-8"):
        body = ACCENTS if charset != "iso-8859-1" else ACCENTS.replace("€", "EUR")
        for cte in (None, "quoted-printable", "base64"):
            raw = message(body.encode(charset.replace("ISO-8859-15", "iso8859-15")),
                          charset=charset, cte=cte)
            if cte == "quoted-printable":
                import quopri

                raw = message(quopri.encodestring(body.encode(charset.lower())),
                              charset=charset, cte=cte)
            msg = parse_message(raw)
            assert msg.text == body, (charset, cte)
            assert msg.defects == (), (charset, cte, msg.defects)


def test_windows_1252_quotes_labelled_latin1() -> None:
    raw = message("Voilà “le” dossier – merci…".encode("cp1252"), charset="iso-8859-1")
    assert parse_message(raw).text == "Voilà “le” dossier – merci…"


def test_mislabelled_and_unknown_charsets() -> None:
    msg = parse_message(message("Déjà reçu".encode(), charset="iso-8859-1"))
    assert msg.text == "Déjà reçu"
    assert any("really utf-8" in d for d in msg.defects)

    msg = parse_message(message("Déjà reçu".encode("latin-1"), charset="utf-8"))
    assert msg.text == "Déjà reçu"
    assert any("really windows-1252" in d for d in msg.defects)

    msg = parse_message(message("Déjà reçu".encode("latin-1"), charset="x-bogus-42"))
    assert msg.text == "Déjà reçu"
    assert any("unknown charset 'x-bogus-42'" in d for d in msg.defects)

    msg = parse_message(message("Déjà reçu".encode(), charset=None))
    assert msg.text == "Déjà reçu" and msg.defects == ()

    msg = parse_message(message("Déjà".encode("latin-1"), charset="us-ascii"))
    assert msg.text == "Déjà" and any("us-ascii" in d for d in msg.defects)

    for codec in ("zlib", "base64", "rot13", "unicode_escape", "idna"):
        msg = parse_message(message(b"Bonjour \\u0041", charset=codec))
        assert msg.text == "Bonjour \\u0041", codec
        assert any("unknown charset" in d for d in msg.defects)


def test_undecodable_utf8_is_replaced_and_reported() -> None:
    msg = parse_message(message("réponse ".encode() + b"\xff\xfe fin", charset="utf-8"))
    assert msg.text.startswith("réponse ") and "fin" in msg.text
    assert any("undecodable" in d for d in msg.defects)


def test_alternative_prefers_plain_text_but_takes_links_from_html() -> None:
    html = ('<html><head><style>p{color:red}</style><title>t</title></head><body>'
            '<p>Bonjour Madame,</p><p>Votre <b>attestation</b> est disponible '
            '<a href="https://caf-verif.example.net/login">sur www.caf.fr</a>.</p>'
            '<script>alert(1)</script></body></html>')
    raw = multipart([part("Bonjour Madame,\n\nVotre attestation est disponible sur www.caf.fr."),
                     part(html, "text/html")], subtype="alternative")
    msg = parse_message(raw)
    assert msg.text == "Bonjour Madame,\n\nVotre attestation est disponible sur www.caf.fr."
    assert msg.has_html
    assert len(msg.links) == 1
    link = msg.links[0]
    assert link.url == "https://caf-verif.example.net/login"
    assert link.text == "sur www.caf.fr"
    assert link.domain == "caf-verif.example.net"
    assert link.text_domain == ""  # the text is not a domain by itself


def test_html_only_gives_structured_text() -> None:
    html = ("<div>Bonjour,</div><div><br></div><ul><li>point un</li><li>point deux</li></ul>"
            "<table><tr><td>Nom</td><td>Dupont</td></tr><tr><td>CAF</td><td>123</td></tr></table>"
            '<p>Lien : <a href="http://xn--pypal-4ve.com/x">https://www.paypal.com/fr</a>'
            '<a href="#top">haut</a> <a href="mailto:Aide@CCAS.fr?subject=x">écrire</a></p>'
            "<!-- comment --><style>.x{}</style>")
    msg = parse_message(message(html, ctype="text/html"))
    lines = msg.text.splitlines()
    assert lines[0] == "Bonjour,"
    assert "point un" in lines and "point deux" in lines
    assert "Nom Dupont" in lines and "CAF 123" in lines
    assert "comment" not in msg.text and ".x{}" not in msg.text
    assert [link.url for link in msg.links] == ["http://xn--pypal-4ve.com/x",
                                               "mailto:Aide@CCAS.fr?subject=x"]
    paypal = msg.links[0]
    assert paypal.domain == "pаypal.com"  # Cyrillic а, decoded from IDNA
    assert paypal.text_domain == "www.paypal.com"
    assert msg.links[1].domain == "ccas.fr"


def test_html_without_content_type_is_detected() -> None:
    raw = (b"From: spam@x.example\r\nSubject: promo\r\n\r\n"
           b"<html><body><p>Gagnez <a href='http://x.example/'>ici</a></p></body></html>")
    msg = parse_message(raw)
    assert msg.has_html and msg.text == "Gagnez ici"
    assert msg.links[0].domain == "x.example"


def test_plain_text_links() -> None:
    msg = parse_message(message("Voir https://www.service-public.fr/particuliers/vosdroits, "
                                "ou www.ameli.fr. Et (http://exemple.fr/a?b=c)."))
    assert [link.url for link in msg.links] == [
        "https://www.service-public.fr/particuliers/vosdroits", "www.ameli.fr",
        "http://exemple.fr/a?b=c"]
    assert msg.links[1].domain == "www.ameli.fr"
    assert all(link.text_domain == link.domain for link in msg.links)


def test_attachments_are_hashed_not_opened() -> None:
    pdf = b"%PDF-1.4\n" + bytes(range(256)) * 40
    exe = b"MZ\x90\x00" + b"\x00" * 1000
    raw = multipart([
        part("Voici les pièces."),
        part(pdf, "application/pdf", charset=None, cte="base64",
             disposition='attachment; filename="attestation CAF.pdf"'),
        part(exe, "application/octet-stream", charset=None, cte="base64",
             disposition="attachment; filename*=UTF-8''facture%20%C3%A9t%C3%A9.pdf.exe"),
        part(b"GIF89a....", "image/gif", charset=None, cte="base64", disposition="inline",
             extra=[("Content-ID", "<img1@x>")]),
        part("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar",
             disposition='attachment; filename="=?utf-8?q?r=C3=A9union.ics?="'),
    ])
    msg = parse_message(raw)
    assert msg.text == "Voici les pièces."
    names = [a.filename for a in msg.attachments]
    assert names == ["attestation CAF.pdf", "facture été.pdf.exe", "", "réunion.ics"]
    first = msg.attachments[0]
    assert first.content_type == "application/pdf"
    assert first.size == len(pdf)
    assert first.sha256 == hashlib.sha256(pdf).hexdigest()
    assert msg.attachments[1].sha256 == hashlib.sha256(exe).hexdigest()
    assert msg.attachments[2].inline is True and msg.attachments[0].inline is False
    assert msg.attachments[3].content_type == "text/calendar"


def test_large_attachment_hashed_in_chunks_matches_hashlib() -> None:
    blob = bytes(range(256)) * (6 * 4096 + 7)  # ~6 MB: the chunked path
    raw = multipart([part("x"), part(blob, "application/zip", charset=None, cte="base64",
                                     disposition='attachment; filename="a.zip"')])
    att = parse_message(raw).attachments[0]
    assert att.size == len(blob)
    assert att.sha256 == hashlib.sha256(blob).hexdigest()


def test_forwarded_message_is_an_attachment_not_text() -> None:
    inner = message("Texte du message transféré", headers={"Subject": "Original"})
    inner_mp = multipart([part("corps"), part(b"PK\x03\x04zip", "application/zip", charset=None,
                                              cte="base64",
                                              disposition='attachment; filename="x.zip"')],
                         boundary="inner")
    raw = multipart([part("Pour info, voir ci-dessous."),
                     b"Content-Type: message/rfc822\r\n\r\n" + inner,
                     b"Content-Type: message/rfc822\r\n\r\n" + inner_mp])
    msg = parse_message(raw)
    assert msg.text == "Pour info, voir ci-dessous."
    kinds = [(a.content_type, a.filename) for a in msg.attachments]
    assert ("message/rfc822", "Original.eml") in kinds
    assert ("application/zip", "x.zip") in kinds  # what the forwarded message carries


def test_bad_base64_and_quoted_printable() -> None:
    raw = message(b"x", cte="7bit").replace(b"7bit", b"base64").replace(
        b"\r\n\r\nx", b"\r\n\r\nQm9uam91ciBs*YSBDQUY!!\r\nZm9v=")
    msg = parse_message(raw)
    assert isinstance(msg, Message) and msg.text.startswith("Bonjour")
    raw = message(b"caf=E9 =ZZ soft=\r\nbreak =C3=A9", charset="utf-8", cte="quoted-printable")
    msg = parse_message(raw)
    assert "soft" in msg.text and "break é" in msg.text
    raw = message(b"plain", cte="x-weird")
    assert any("unknown transfer encoding" in d for d in parse_message(raw).defects)


def test_missing_and_wrong_boundaries() -> None:
    no_boundary = (b"From: a@b.fr\r\nContent-Type: multipart/mixed\r\n\r\n"
                   b"--x\r\nContent-Type: text/plain\r\n\r\ncorps\r\n--x--\r\n")
    msg = parse_message(no_boundary)
    assert "corps" in msg.text
    assert "multipart part without a boundary" in msg.defects
    wrong = (b'From: a@b.fr\r\nContent-Type: multipart/mixed; boundary="zz"\r\n\r\n'
             b"--x\r\nContent-Type: text/plain\r\n\r\ncorps\r\n--x--\r\n")
    msg = parse_message(wrong)
    assert "corps" in msg.text and "MIME boundary never found in the body" in msg.defects
    truncated = multipart([part("début du texte")])[:-8]
    msg = parse_message(truncated)
    assert msg.text.startswith("début du texte")
    assert any("closing MIME boundary missing" in d for d in msg.defects)


def _nested(depth: int, leaf: bytes = b"Content-Type: text/plain\r\n\r\nfeuille\r\n") -> bytes:
    raw = leaf
    for level in reversed(range(depth)):
        raw = (f'Content-Type: multipart/mixed; boundary="n{level}"\r\n\r\n--n{level}\r\n'
               .encode() + raw + f"\r\n--n{level}--\r\n".encode())
    return b"From: a@b.fr\r\nSubject: deep\r\n" + raw


def test_reasonable_nesting_is_read() -> None:
    msg = parse_message(_nested(8))
    assert msg.text == "feuille" and msg.defects == ("no Date header",)


def test_deep_nesting_is_bounded() -> None:
    for depth in (25, 300, 2000):
        msg = parse_message(_nested(depth))
        assert msg.subject == "deep"
        assert any("nesting" in d or "boundaries" in d for d in msg.defects), depth
        assert "feuille" in msg.text  # still readable, as text


def test_huge_text_part_is_capped() -> None:
    body = ("Ligne de texte assez longue pour remplir. " * 40 + "\n") * 3000  # ~5 MB
    msg = parse_message(message(body), max_text_chars=50_000)
    assert len(msg.text) <= 50_000
    assert any("truncated" in d for d in msg.defects)
    msg = parse_message(message(body.encode(), cte="base64"), max_text_chars=10_000)
    assert len(msg.text) <= 10_000


def test_huge_html_is_capped() -> None:
    html = "<html><body>" + "<p>Paragraphe avec <a href='http://x.fr/'>lien</a></p>" * 100_000
    msg = parse_message(message(html, ctype="text/html"))
    assert len(msg.text) <= 200_000
    assert len(msg.links) <= 300


def test_text_parts_in_mixed_are_joined_and_footer_kept() -> None:
    raw = multipart([part("Message principal."), part("-- \nPied de liste")])
    msg = parse_message(raw)
    assert msg.text == "Message principal.\n\n-- \nPied de liste"
    assert msg.new_text == "Message principal."


def test_empty_and_garbage_inputs() -> None:
    for raw in (b"", b"\r\n", b"\x00\x01\x02", b"not a message at all", b":::", b"\xff" * 100):
        msg = parse_message(raw)
        assert isinstance(msg, Message)
        assert msg.size == len(raw)
    assert parse_message(b"").defects == ("empty message",)
    assert parse_message(bytearray(b"Subject: x\n\ny")).subject == "x"  # type: ignore[arg-type]
    assert parse_message("Subject: é\n\ny").subject == "é"  # type: ignore[arg-type]
    assert parse_message(None).size == 0  # type: ignore[arg-type]


def test_control_characters_removed_from_text() -> None:
    msg = parse_message(message("a\x00b\x07c\td\r\ne"))
    assert msg.text == "abc\td\ne"


def test_language_is_detected() -> None:
    fr = parse_message(message("Bonjour Madame, je vous écris au sujet du dossier de votre fils "
                               "pour la demande d'aide au logement. Pouvez-vous me rappeler ?"))
    en = parse_message(message("Hello, I am writing about the housing application for your son. "
                               "Could you please call me back when you have a moment?"))
    short = parse_message(message("ok", headers={"Subject": "re"}))
    assert (fr.language, en.language, short.language) == ("fr", "en", "")


def test_message_is_picklable() -> None:
    import pickle

    raw = multipart([part("Bonjour"), part(b"x", "application/pdf", charset=None, cte="base64",
                                           disposition='attachment; filename="a.pdf"')])
    msg = parse_message(raw)
    assert pickle.loads(pickle.dumps(msg)) == msg


def test_base64_helper_matches_stdlib_on_clean_input() -> None:
    from accalmie.mail.decode import decode_transfer

    data = bytes(range(256)) * 10
    encoded = base64.encodebytes(data).decode()
    assert decode_transfer(encoded, "base64")[0] == data


def test_hostile_html_nesting_is_bounded() -> None:
    raw = message("<html><body>" + "<div><font>" * 100_000 + "fin", ctype="text/html")
    msg = parse_message(raw)
    assert any("HTML part too large or too deeply nested" in d for d in msg.defects)


def test_html_meta_charset_when_mime_has_none() -> None:
    html = ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=koi8-r">'
            "</head><body>Привет</body></html>").encode("koi8-r")
    msg = parse_message(message(html, ctype="text/html", charset=None))
    assert msg.text == "Привет"
