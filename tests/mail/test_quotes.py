"""New text versus quoted history and signatures, for French and English mail clients."""

from __future__ import annotations

from accalmie.mail.parse import parse_message
from accalmie.mail.quotes import strip_quotes
from tests.mail.mime import message

OUTLOOK_FR = """Bonjour Madame Martin,

Je vous confirme le rendez-vous de jeudi à 14 h.

Cordialement,

Sophie Bernard
Assistante de service social
Conseil départemental – Service social de secteur
Tél. : 01 23 45 67 89

De : Paul Martin <paul.martin@example.fr>
Envoyé : lundi 3 juin 2024 10:12
À : Sophie Bernard <s.bernard@cd.example.fr>
Objet : RDV

Bonjour, est-ce possible de vous voir jeudi ?"""

OUTLOOK_OLD_FR = """Merci pour votre retour rapide.

-----Message d'origine-----
De : Paul Martin [mailto:paul.martin@example.fr]
Envoyé : lundi 3 juin 2024 10:12
À : Sophie Bernard
Objet : RDV

Texte ancien."""

OUTLOOK_WEB_FR = """Bien reçu, je transmets au service.
________________________________
De : CAF de Seine-Saint-Denis <ne-pas-repondre@caf.example.fr>
Envoyé : mardi 4 juin 2024 09:00
À : accueil@ccas.example.fr
Objet : Attestation

Ancien texte de la CAF."""

GMAIL_FR = """Oui, je serai présente.

Le lun. 3 juin 2024 à 10:12, Paul Martin <paul.martin@example.fr> a écrit :

> Bonjour,
> Serez-vous présente à la réunion ?
>
> Paul"""

GMAIL_FR_WRAPPED = """D'accord pour mardi.

Le lun. 3 juin 2024 à 10:12, Paul Martin de l'association Entraide Solidarité <
paul.martin@example.fr> a écrit :

> Texte cité"""

THUNDERBIRD_FR = """Voici le document demandé.

Le 03/06/2024 à 10:12, Paul Martin a écrit\u00a0:
> Pouvez-vous m'envoyer le document ?"""

APPLE_FR = """Je vous rappelle demain.

Envoyé de mon iPhone

> Le 3 juin 2024 à 10:12, Paul Martin <paul.martin@example.fr> a écrit :
>
> Rappelez-moi."""

ENGLISH = """Sounds good, see you then.

On Mon, Jun 3, 2024 at 10:12 AM John Smith <john@example.com> wrote:
> Can we meet on Thursday?"""

INTERLEAVED = """> Avez-vous reçu le dossier ?
Oui, hier.
> Et l'attestation ?
Pas encore, je relance la CAF."""

SIGNATURE = "Merci de me rappeler au plus vite.\n\n-- \nJean Dupont\nÉducateur spécialisé"

CLOSING_BLOCK = """Bonjour,

Pouvez-vous me transmettre l'attestation de la CAF avant vendredi ?

Bien cordialement

Marie Durand
Conseillère en ESF
CCAS de Montreuil
Tél. 01 02 03 04 05"""

FORWARD_FR = """Pour info.

---------- Forwarded message ---------
De : France Travail <no-reply@francetravail.example.fr>
Date: lun. 3 juin 2024 à 10:12
Subject: Votre rendez-vous
To: <usager@example.fr>

Ancien."""

DISCLAIMER = """Le dossier est complet.

Ce message et toutes les pièces jointes sont confidentiels et établis à l'intention exclusive
de ses destinataires."""


def test_outlook_french() -> None:
    assert strip_quotes(OUTLOOK_FR) == (
        "Bonjour Madame Martin,\n\nJe vous confirme le rendez-vous de jeudi à 14 h.\n\n"
        "Cordialement,")


def test_outlook_old_separator() -> None:
    assert strip_quotes(OUTLOOK_OLD_FR) == "Merci pour votre retour rapide."


def test_outlook_web_underscores() -> None:
    assert strip_quotes(OUTLOOK_WEB_FR) == "Bien reçu, je transmets au service."


def test_gmail_french_attribution_even_wrapped() -> None:
    assert strip_quotes(GMAIL_FR) == "Oui, je serai présente."
    assert strip_quotes(GMAIL_FR_WRAPPED) == "D'accord pour mardi."


def test_thunderbird_french_with_non_breaking_space() -> None:
    assert strip_quotes(THUNDERBIRD_FR) == "Voici le document demandé."


def test_apple_mail_and_sent_from_mobile() -> None:
    assert strip_quotes(APPLE_FR) == "Je vous rappelle demain."


def test_english_client() -> None:
    assert strip_quotes(ENGLISH) == "Sounds good, see you then."


def test_interleaved_quotes_keep_the_answers() -> None:
    assert strip_quotes(INTERLEAVED) == "Oui, hier.\nPas encore, je relance la CAF."


def test_dash_dash_signature() -> None:
    assert strip_quotes(SIGNATURE) == "Merci de me rappeler au plus vite."


def test_closing_then_signature_block() -> None:
    assert strip_quotes(CLOSING_BLOCK) == (
        "Bonjour,\n\nPouvez-vous me transmettre l'attestation de la CAF avant vendredi ?\n\n"
        "Bien cordialement")


def test_english_closing_and_weak_closing() -> None:
    text = "Hi Ann,\n\nPlease send the form.\n\nKind regards,\nJohn Smith\nCase worker"
    assert strip_quotes(text) == "Hi Ann,\n\nPlease send the form.\n\nKind regards,"
    text = "Bonjour,\nle dossier est prêt.\nMerci,\nJean\n06 00 00 00 00"
    assert strip_quotes(text) == "Bonjour,\nle dossier est prêt.\nMerci,"


def test_forwarded_message() -> None:
    assert strip_quotes(FORWARD_FR) == "Pour info."


def test_disclaimer_is_cut() -> None:
    assert strip_quotes(DISCLAIMER) == "Le dossier est complet."


def test_ordinary_text_is_not_cut() -> None:
    text = ("Bonjour,\nLe rapport a été envoyé hier.\nDe plus, la réunion est à 10 h.\n"
            "On verra demain.\nMerci de confirmer votre présence.\nÀ demain.")
    assert strip_quotes(text) == text
    assert strip_quotes("Cordialement,\nJean") == "Cordialement,\nJean"  # closing first: kept
    assert strip_quotes("") == ""


def test_new_text_on_parsed_message_and_html_reply() -> None:
    msg = parse_message(message(GMAIL_FR))
    assert msg.new_text == "Oui, je serai présente."
    html = ('<div dir="ltr">Merci, c\'est noté.</div><br><div class="gmail_quote">'
            '<div class="gmail_attr">Le mar. 4 juin 2024 à 09:00, CAF &lt;caf@example.fr&gt; '
            'a écrit&nbsp;:<br></div><blockquote>Votre dossier est incomplet.</blockquote></div>')
    msg = parse_message(message(html, ctype="text/html"))
    assert "Votre dossier est incomplet." in msg.text
    assert msg.new_text == "Merci, c'est noté."
    outlook_html = ("<p>Je m'en occupe.</p><div id='divRplyFwdMsg'><b>De :</b> Paul<br>"
                    "<b>Envoyé :</b> lundi<br><b>À :</b> Sophie<br><b>Objet :</b> RDV</div>"
                    "<p>ancien</p>")
    assert parse_message(message(outlook_html, ctype="text/html")).new_text == "Je m'en occupe."


def test_hostile_text_finishes() -> None:
    # long attribution-like lines and header-like blocks: a backtracking rule would hang here
    text = ("Le " + "a " * 5000 + "\n") * 200 + "> " * 100_000 + "\nDe : x\n" * 2000
    assert isinstance(strip_quotes(text), str)
    assert strip_quotes("Bonjour\n" + "Merci\n" * 100_000).startswith("Bonjour\nMerci")
    assert strip_quotes("x\n" + "De : a Envoyé : b À : c " * 20_000).startswith("x")
    assert strip_quotes("x\nDe : a Envoyé : b À : c Objet : d") == "x"


LOTUS_NOTES = """Darren:
I think Marta is right.

Megan


Daren J Farmer@ECT
01/10/2001 10:58 AM
To: Megan Parker/Corp/Enron@ENRON
cc:

Subject: Intraday

Megan, old text"""

LOTUS_NOTES_FR = """Bonjour,
voir ci-dessous.

Jean Dupont
03/06/2024 10:12
A : Marie Martin/DSI/CD93@CD93
cc :
Objet : dossier
vieux texte"""

NOTES_FORWARD = """Please pass this.
---------------------- Forwarded by Marta K Henderson/Houston/PEFS/PEC on
01/10/2001 10:41 AM ---------------------------
old"""


def test_lotus_notes_replies_and_forwards() -> None:
    assert strip_quotes(LOTUS_NOTES) == "Darren:\nI think Marta is right.\n\nMegan"
    assert strip_quotes(LOTUS_NOTES_FR) == "Bonjour,\nvoir ci-dessous."
    assert strip_quotes(NOTES_FORWARD) == "Please pass this."


BOTTOM_POSTED = """On Sun, 18 Aug 2002, Rob Shavell wrote:

> right now 2 persons can take photos and share them instantly

The word "trivial" comes to mind.

> will be as big as the browser.

Sharing pictures? You invoke big words rather readily.

_______________________________________________
Fork mailing list
http://xent.com/mailman/listinfo/fork"""

INLINE_FR = """Le 3 juin 2024 à 10:12, Paul Martin a écrit :
> Avez-vous le formulaire ?
Oui, je vous l'envoie.
> Et le RIB ?
Demain.

-----BEGIN PGP SIGNATURE-----
abc"""


def test_bottom_and_inline_posting_keep_the_answers() -> None:
    assert strip_quotes(BOTTOM_POSTED) == (
        'The word "trivial" comes to mind.\n\nSharing pictures? You invoke big words rather '
        "readily.")
    assert strip_quotes(INLINE_FR) == "Oui, je vous l'envoie.\nDemain."


def test_pgp_armor_is_not_text() -> None:
    text = ("-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA1\n\nBonjour.\n"
            "-----BEGIN PGP SIGNATURE-----")
    assert strip_quotes(text) == "Bonjour."
