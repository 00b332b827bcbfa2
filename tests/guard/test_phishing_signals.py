"""The analyser's newer signs, one by one, and what must stay quiet."""

from __future__ import annotations

import pytest

from accalmie.guard.phishing import assess
from accalmie.guard.phishing.lookalike import (
    fancy_letters,
    institution_lookalike,
    mixed_script_word,
    obfuscated,
)
from accalmie.guard.phishing.lures import find_lures, lexicon_hits
from accalmie.guard.phishing.model import text_model
from accalmie.guard.phishing.sender import random_label
from accalmie.guard.phishing.text import text_view
from accalmie.mail.model import Address, Message
from accalmie.mail.parse import parse_message
from tests.triage.helpers import link, msg


def codes(result) -> set[str]:  # type: ignore[no-untyped-def]
    return {r.code for r in result.reasons}


def test_script_and_userinfo_links() -> None:
    assert "script_url" in codes(assess(msg(links=(link("javascript:alert(1)", "Ouvrir"),))))
    tricked = assess(msg(links=(link("http://www.paypal.com@evil.example/login",
                                     "PayPal", domain="evil.example"),)))
    assert "userinfo_link" in codes(tricked)
    ftp = assess(msg(links=(link("ftp://energy@ftp.example.com", "ftp", "ftp.example.com"),)))
    assert "userinfo_link" not in codes(ftp)  # a login in an FTP address is no disguise


def test_encoded_host_is_decoded_and_flagged() -> None:
    url = "http://%77%77%77%2E%65%76%69%6C%2E%63%6F%6D/paypal/login"
    r = assess(msg(links=(link(url, "https://www.paypal.com/", domain="%77%77%77%2e%65%76%69"
                               "%6c%2e%63%6f%6d"),)))
    assert {"encoded_host", "link_text_mismatch"} <= codes(r)


def test_free_hosting_and_ip_links() -> None:
    r = assess(msg(links=(link("https://my-login-page.web.app/x", "Se connecter"),)))
    assert "free_host" in codes(r)
    shown = assess(msg(links=(link("http://192.0.2.7/photos", "http://192.0.2.7/photos"),)))
    hidden = assess(msg(links=(link("http://192.0.2.7/login", "Votre espace"),)))
    assert shown.reasons[0].weight < hidden.reasons[0].weight  # disguised is worse


@pytest.mark.parametrize(("text", "kind"), [
    ("N.E.T.F.L.I.X", "spelled"), ("S\u034ea\u034ev\u034ei\u034en\u034eg\u034es", "marks"),
    ("Mi\U000e0139c\U000e0139rosoft", "invisible"), ("Jean-Paul Dupont", ""),
    ("Café élégant à Noël", ""), ("J. R. R. Tolkien", ""),
])
def test_obfuscation(text: str, kind: str) -> None:
    assert obfuscated(text) == kind


def test_look_alike_letters_and_mixed_words() -> None:
    assert fancy_letters("𝗗𝗲𝘂𝘁𝘀𝗰𝗵𝗲 𝗕𝗮𝗵𝗻") and fancy_letters("ᴘᴀʏᴍᴇɴᴛ")
    assert not fancy_letters("Crédit Agricole") and not fancy_letters("Санкт-Петербург")
    assert mixed_script_word("Recent L\u0435\u0501g\u0435r breach") == "L\u0435\u0501g\u0435r"
    assert mixed_script_word("Москва and Paris") == ""
    r = assess(msg(frm="L\u0435dg\u0435r <support@ledger-help.example>", subject="Breach"))
    assert "mixed_script_word" in codes(r)
    assert institution_lookalike("𝗱𝗲𝘂𝘁𝘀𝗰𝗵𝗲-𝗯𝗮𝗻𝗸.de.example.com") is not None


def test_bidi_and_invisible_subject() -> None:
    r = assess(msg(subject="Facture \u202efdp.exe", text="Voir la facture."))
    assert "bidi_override" in codes(r)
    r = assess(msg(subject="Pa\u200by\u200bPal alert"))
    assert "invisible_characters" in codes(r)


def test_brand_with_a_foreign_action_link() -> None:
    m = msg(frm="PayPal <service@paypal.com>", subject="Your account",
            text="We noticed an unusual sign-in. Click here to verify your account.",
            links=(link("https://www.paypal.com/help", "Help"),
                   link("https://www.paypal.com/privacy", "Privacy"),
                   link("http://account-check.example/pp", "Click here to verify")))
    r = assess(m)
    assert "brand_foreign_action" in codes(r)
    own = msg(frm="PayPal <service@paypal.com>", subject="Your receipt",
              links=(link("https://www.paypal.com/activity", "View the payment"),))
    assert "brand_foreign_action" not in codes(assess(own))


def test_sender_shapes() -> None:
    assert "invalid_sender" in codes(assess(msg(frm="DETRAN <aviso@detran>")))
    assert random_label("x5baw0cpti8r8.com") and not random_label("strengthmarkets.com")
    assert "random_domain" in codes(assess(msg(frm="Offre <a@5baw0cpti8r8.com>")))
    assert "pitch_as_name" in codes(assess(msg(frm="Exclusive Bonus <a@shop.example>")))
    assert "org_name_mismatch" in codes(assess(msg(frm="Security Team <x@gmail.com>")))
    spoof = assess(msg(frm="Norton Billing <billing@renewals.example>"))
    assert "display_name_spoof" in codes(spoof)
    assert "display_name_spoof" not in codes(assess(msg(frm="Jim Norton <jim@example.org>")))


def test_greeting_and_address_in_subject() -> None:
    me = "marie.dupont@ccas-exemple.fr"
    r = assess(msg(subject=f"{me}, votre cadeau vous attend", text="Cher client, bravo."))
    assert {"generic_greeting", "address_in_subject"} <= codes(r)


def test_wording_lexicons_in_several_languages() -> None:
    def hits(subject: str, body: str) -> dict[str, list[str]]:
        return lexicon_hits(text_view(Message(subject=subject, text=body, new_text=body)))

    assert len(hits("Herzlichen Glückwunsch", "Ihr Gutschein wartet, jetzt teilnehmen, "
                    "kostenlos")["prize"]) >= 3
    assert len(hits("Urgent", "I am a barrister, my late client left a fund of 10 million "
                    "US dollars, next of kin")["scam"]) >= 3
    assert find_lures("votre compte sera suspendu sous 24 heures")
    assert not find_lures("please do not reply to this email, it is an automatic message")


def test_text_view_drops_dates_and_years() -> None:
    view = text_view(Message(subject="Re: rapport 2002", text="Le 09/12/2002 à 14h30, 100 €"))
    assert "2002" not in view.words and "09" not in view.words and "14h30" not in view.words
    assert "100" in view.words and "_cur" in view.vocab


def test_the_shipped_model_is_read_and_bounded() -> None:
    model = text_model()
    if model is None:
        pytest.skip("no text model shipped")
    lure = text_view(Message(subject="Your account has been suspended", text=(
        "Dear customer, click here to verify your account within 24 hours or it will be "
        "closed. Claim your free gift now!")))
    plain = text_view(Message(subject="Réunion de synthèse", text=(
        "Bonjour, je vous propose de nous retrouver jeudi à 14 h pour faire le point sur la "
        "situation de la famille. Bien cordialement.")))
    assert 0.0 <= model.probability(plain) < 0.5 < model.probability(lure) <= 1.0
    assert 0.0 < model.weight(model.probability(lure)) <= model.ceiling


def test_ordinary_mail_stays_quiet() -> None:
    raw = ("From: Sophie Martin <s.martin@partenaire-social.org>\nTo: marie@ccas-exemple.fr\n"
           "Subject: Re: situation de la famille\nIn-Reply-To: <a@b>\n\n"
           "Bonjour Marie,\n\nMerci pour ton message. Je passe voir la famille jeudi et je te "
           "fais un retour vendredi. Le dossier d'aide est complet.\n\nBonne journée,\nSophie\n"
           "\n> Le 3 mars, Marie a écrit :\n> Peux-tu passer voir la famille ?\n").encode()
    r = assess(parse_message(raw))
    assert r.score < 0.3, r.reasons


def test_bad_input_never_raises() -> None:
    odd = Message(subject="\u202e" * 5000, from_=Address("\U000e0139" * 300, "@"),
                  text="x" * 500_000, links=tuple(link(f"http://{'%' * 50}{i}/", "a" * 600)
                                                   for i in range(400)))
    r = assess(odd)
    assert 0.0 <= r.score <= 1.0
