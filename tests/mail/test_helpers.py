"""Decoding, HTML and language helpers, on their own."""

from __future__ import annotations

from accalmie.mail.decode import decode_bytes, decode_words, normalize_charset
from accalmie.mail.html import html_to_text, text_domain, url_domain
from accalmie.mail.lang import detect_language


def test_normalize_charset() -> None:
    assert normalize_charset("UTF8") == "utf-8"
    assert normalize_charset("iso-8859-1") == "cp1252"  # as browsers read it
    assert normalize_charset('charset="iso-8859-15') == "iso8859-15"
    assert normalize_charset(None) == "" and normalize_charset("unknown-8bit") == ""
    for bad in ("x-bogus", "zlib", "rot13", "base64", "idna", "unicode_escape", "a" * 500):
        assert normalize_charset(bad) is None, bad


def test_decode_bytes_never_raises() -> None:
    for label in ("utf-16", "utf-32", "iso-2022-jp", "gb2312", "big5", "shift_jis", "utf-7",
                  "koi8-r", "x-mac-roman", "cp037", "\x00", "é", "utf-8\r\n <div>"):
        text, _ = decode_bytes(bytes(range(256)), label)
        assert isinstance(text, str)


def test_decode_words() -> None:
    assert decode_words("=?utf-8?q?=C3=A9t=C3=A9?=")[0] == "été"
    assert decode_words("=?x-unknown?q?caf=E9?=")[0] == "café"
    assert decode_words("=?utf-8*fr?b?w6l0w6k=?=")[0] == "été"  # RFC 2231 language suffix
    text, defects = decode_words("=?utf-8?b?w6l0w6k?=")  # missing padding
    assert text == "été"
    assert decode_words("=?utf-8?q?a?= b =?utf-8?q?c?=")[0] == "a b c"
    assert decode_words("=?utf-8?q?a?=   =?utf-8?q?b?=")[0] == "ab"
    assert decode_words("=?bogus?q?=FF?=")[1]  # the defect is reported
    assert decode_words("plain =? not encoded ?=")[0] == "plain =? not encoded ?="


def test_url_domain() -> None:
    assert url_domain("https://user@www.Example.FR:8443/a?b#c") == "www.example.fr"
    assert url_domain("http://paypal.com@evil.example/login") == "evil.example"
    assert url_domain("https:\\\\evil.example\\x") == "evil.example"
    assert url_domain("//cdn.example.net/x.js") == "cdn.example.net"
    assert url_domain("www.ameli.fr/assure") == "www.ameli.fr"
    assert url_domain("mailto:a@XN--caf-dma.fr") == "café.fr"
    assert url_domain("javascript:alert(1)") == ""
    assert url_domain("http://[::1") == ""  # invalid IPv6: no crash
    assert url_domain("/relative/path") == ""


def test_text_domain() -> None:
    assert text_domain("www.impots.gouv.fr") == "www.impots.gouv.fr"
    assert text_domain("https://ameli.fr/assure/") == "ameli.fr"
    assert text_domain(" caf.fr ") == "caf.fr"
    assert text_domain("<support@paypal.com>") == "paypal.com"
    assert text_domain("HTTP://XN--PYPAL-4VE.COM") == "pаypal.com"
    for not_a_domain in ("Cliquez ici", "M.Dupont", "etc.)", "v1.2", "3.14", "",
                         "voir www.caf.fr pour plus d'informations", "index.html"):
        assert text_domain(not_a_domain) == "", not_a_domain


def test_html_to_text_details() -> None:
    text, links, _ = html_to_text("<p>a<br>b</p><p>c&nbsp;&amp;&eacute;</p><img alt='Payer'>"
                               "<script>x</script><a href=' https://x.fr/\n a '>x.fr</a>")
    assert text.splitlines() == ["a", "b", "c &é", "Payer x.fr"]
    assert links[0].url == "https://x.fr/ a" and links[0].text_domain == "x.fr"
    assert html_to_text("") == ("", (), False)
    assert html_to_text("<<<>>>&&&")[0] == "<<<>>>&&&"


def test_language() -> None:
    assert detect_language("Bonjour, je vous remercie pour votre réponse rapide concernant "
                           "le dossier de mon fils.") == "fr"
    assert detect_language("Thank you for your quick answer about my son's application.") == "en"
    german = "Guten Tag, vielen Dank für Ihre schnelle Antwort zu dem Antrag."
    assert detect_language(german) == "de"
    assert detect_language("ok merci") == ""
    assert detect_language("https://x.fr 0123456789 a@b.fr") == ""
