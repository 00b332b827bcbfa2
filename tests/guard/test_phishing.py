"""The phishing analyser, sign by sign: each signal alone, combinations, and ordinary mail."""

from __future__ import annotations

import pytest

from accalmie.guard.phishing import DEFAULT_THRESHOLD, assess
from accalmie.guard.phishing.institutions import name_claims
from accalmie.guard.phishing.lookalike import (
    contact_lookalike,
    dressed_domain,
    edit_distance,
    institution_lookalike,
    org_in_text,
    org_lookalike,
    skeleton,
)
from accalmie.triage.features import Context
from tests.triage.helpers import attachment, link, msg


def codes(result) -> set[str]:  # type: ignore[no-untyped-def]
    return {r.code for r in result.reasons}


@pytest.mark.parametrize("domain", [
    "caf-allocations-en-ligne.com", "mon-caf-fr.net", "caf.fr.secure-login.com", "amelli.fr",
    "ameli-remboursement.com", "impots-gouv.com", "imp0ts.gouv-fr.info", "ants-gouv.fr",
    "service-public-fr.org", "franceconnect-verif.com", "france-connect.net", "laposte-colis.com",
    "xn--meli-43d.fr",  # Cyrillic 'а' in ameli.fr, as it arrives in punycode
    "amel1.fr", "lmpots.fr",
    "аmeli.fr", "paypal-secure-login.com", "gouv-fr.info", "antai-amende.com",
])
def test_lookalikes_of_institutions(domain: str) -> None:
    assert institution_lookalike(domain) is not None, domain


@pytest.mark.parametrize("domain", [
    "caf.fr", "www.caf.fr", "caf.cnafmail.fr", "ameli.fr", "assurance-maladie.fr",
    "impots.gouv.fr", "ants.gouv.fr", "service-public.fr", "franceconnect.gouv.fr",
    "laposte.fr", "francetravail.fr", "example.org", "amelie-dupont.fr", "cafe-des-arts.fr",
    "fire-ants.com", "ccas-exemple.fr", "departement74.fr", "gmail.com", "1.2.3.4", "",
    "elephant.com", "amazonie-voyages.fr",
])
def test_ordinary_domains_are_not_lookalikes(domain: str) -> None:
    assert institution_lookalike(domain) is None, domain


def test_skeleton_and_distance() -> None:
    assert skeleton("AMEL1") == skeleton("ameli")
    assert skeleton("аmeli") == skeleton("ameli")  # Cyrillic а
    assert skeleton("rnicrosoft") == skeleton("microsoft")
    assert edit_distance("ameli", "amelli") == 1
    assert edit_distance("impots", "ipmots") == 1  # swapped letters
    assert edit_distance("franceconnect", "fr4nce-connect", 2) == 2
    assert edit_distance("caf", "laposte") == 3


def test_contact_lookalike() -> None:
    known = frozenset({"partenaire-social.org", "gmail.com"})
    assert contact_lookalike("partenaire-sociai.org", known) == "partenaire-social.org"
    assert contact_lookalike("partenaire-social.org", known) == ""
    assert contact_lookalike("unrelated.org", known) == ""


def test_display_name_claims() -> None:
    assert name_claims("Caisse d'Allocations Familiales").name == "CAF"
    assert name_claims("Service Impôts") is not None
    assert name_claims("Café des parents") is None
    assert name_claims("Jean Dupont") is None


def test_display_name_spoof() -> None:
    r = assess(msg(frm="CAF Haute-Savoie <caf.service@gmail.com>"))
    assert "display_name_spoof" in codes(r)
    assert r.score < DEFAULT_THRESHOLD  # one signal alone is not enough
    assert assess(msg(frm="CAF Haute-Savoie <agent@caf.cnafmail.fr>")).score == 0


def test_display_name_showing_another_address() -> None:
    r = assess(msg(frm='"support@paypal.com" <x@evil.example>'))
    assert "display_name_address" in codes(r)


def test_known_name_spoof() -> None:
    ctx = Context(known_names={"sophie martin": "sophie.martin@ccas-exemple.fr"})
    r = assess(msg(frm="Sophie Martin <sophie.martin.ccas@gmail.com>"), ctx)
    assert "known_name_spoof" in codes(r)


def test_internal_senders_may_use_brand_names() -> None:
    ctx = Context(internal_domains=("ccas-exemple.fr",))
    assert assess(msg(frm="Microsoft Outlook <marie@ccas-exemple.fr>"), ctx).score == 0


def test_reply_to_mismatch() -> None:
    r = assess(msg(frm="Jean <jean@example.org>", reply_to=("jean@other.net",)))
    assert "reply_to_mismatch" in codes(r) and r.score < 0.3
    same = assess(msg(frm="Jean <jean@example.org>", reply_to=("jean@mail.example.org",)))
    assert same.score == 0


def test_link_text_mismatch_and_trackers() -> None:
    bad = assess(msg(links=(link("https://evil.example/login", "www.ameli.fr"),)))
    assert "link_text_mismatch" in codes(bad)
    tracked = assess(msg(links=(link("https://x.us12.list-manage.com/track/click?u=1",
                                     "www.example.org"),)))
    assert "link_text_mismatch" not in codes(tracked)
    same = assess(msg(links=(link("https://www.caf.fr/allocataires", "caf.fr"),)))
    assert same.score == 0


def test_safelinks_are_unwrapped() -> None:
    url = ("https://eur01.safelinks.protection.outlook.com/?url=https%3A%2F%2Fevil.example%2F"
           "&data=x")
    r = assess(msg(links=(link(url, "www.impots.gouv.fr"),)))
    assert "link_text_mismatch" in codes(r)


def test_ip_link_and_shortener() -> None:
    assert "ip_link" in codes(assess(msg(links=(link("http://192.0.2.7/a", "ici"),))))
    assert "shortener" in codes(assess(msg(links=(link("https://bit.ly/x", "lien"),))))


@pytest.mark.parametrize("name", ["facture.pdf.exe", "scan.js", "photo.scr", "raccourci.lnk",
                                  "avis\u202efdp.exe", "Facture.PDF .EXE"])
def test_programs_attached_are_suspect_alone(name: str) -> None:
    r = assess(msg(attachments=(attachment(name),)))
    assert r.suspect() and r.reasons[0].code.startswith("attachment_"), codes(r)


@pytest.mark.parametrize("name", ["colis.iso", "releve.xlsm", "connexion.html"])
def test_risky_attachments_give_a_reason(name: str) -> None:
    assert any(c.startswith("attachment_") for c in codes(assess(msg(
        attachments=(attachment(name),)))))


@pytest.mark.parametrize("name", ["compte-rendu.pdf", "photo.jpg", "budget.xlsx", "notes.txt"])
def test_ordinary_attachments(name: str) -> None:
    assert assess(msg(attachments=(attachment(name),))).score == 0


@pytest.mark.parametrize(("domain", "fake"), [
    ("ville.fr.share-files.net", "ville.fr"),
    ("www.impots.gouv.fr.verif-compte.com", "www.impots.gouv"),
    ("secure.paypal.com.login-check.info", "secure.paypal.com"),
])
def test_dressed_domains(domain: str, fake: str) -> None:
    assert dressed_domain(domain) == fake


@pytest.mark.parametrize("domain", ["fr.linkedin.com", "mail.example.com", "example.co.uk",
                                    "a.b.example.org", "caf.fr", "www.service-public.fr"])
def test_ordinary_hosts_are_not_dressed(domain: str) -> None:
    assert dressed_domain(domain) == ""


def test_organisation_lookalikes() -> None:
    org = ("ccas-exemple.fr",)
    assert org_lookalike("ccas-exemple.com", org) == ("ccas-exemple.fr", True)
    assert org_lookalike("ccas-exemp1e.fr", org) == ("ccas-exemple.fr", True)
    assert org_lookalike("ccas-exemple-support.com", org) == ("ccas-exemple.fr", False)
    assert org_lookalike("mail.ccas-exemple.fr", org) == ("", False)
    assert org_lookalike("example.org", org) == ("", False)
    assert org_in_text("prenom.nom.ccasexemple", org) == "ccas-exemple.fr"


def test_freemail_borrowing_the_organisation_with_reply_elsewhere() -> None:
    ctx = Context(internal_domains=("ccas-exemple.fr",))
    m = msg(frm="Sophie Martin <sophie.martin.ccasexemple@gmail.com>",
            reply_to=("sophie.m@proton.me",),
            text="Es-tu disponible ? Je suis en réunion et je ne peux pas téléphoner. "
                 "J'ai besoin d'un achat urgent, de façon discrète.")
    r = assess(m, ctx)
    assert {"org_name_freemail", "reply_to_mismatch", "lure"} <= codes(r)
    assert r.suspect()


def test_correspondent_domain_worn_as_subdomain() -> None:
    known = frozenset({"ville.fr"})
    assert contact_lookalike("ville.fr.share-files.net", known) == "ville.fr"


@pytest.mark.parametrize("text", [
    "Votre compte sera suspendu dans les 24 heures.",
    "Veuillez vérifier vos informations pour recevoir votre remboursement.",
    "Vous avez droit à un remboursement de 245,90 euros.",
    "Your account has been suspended. Verify your account now.",
    "Votre colis est en attente : des frais de livraison restent à payer.",
])
def test_lures_confirm_another_signal(text: str) -> None:
    r = assess(msg(text=text, links=(link("https://evil.example/x", "www.ameli.fr"),)))
    assert "lure" in codes(r)
    assert r.score >= 0.6


def test_a_lure_with_a_weak_sign_stays_below_the_threshold() -> None:
    r = assess(msg(text="Votre compte sera suspendu.", reply_to=("support@other.example",)))
    assert {"reply_to_mismatch", "lure"} <= codes(r) and not r.suspect()


def test_wording_alone_never_makes_a_message_suspect() -> None:
    m = msg(subject="Votre compte sera suspendu", text="Votre compte sera suspendu demain. "
            "Veuillez vérifier vos informations immédiatement, dernier rappel, sans délai.",
            links=(link("https://example.org/x", "ici"),))
    r = assess(m)
    assert "lure" in codes(r) and not r.suspect()  # ordinary wording of real institutions too


def test_authentication_results_only_from_trusted_servers() -> None:
    header = ("mx.ccas-exemple.fr; spf=fail smtp.mailfrom=caf.fr; dkim=none; "
              "dmarc=fail header.from=caf.fr",)
    m = msg(frm="CAF <info@caf.fr>", authentication_results=header)
    assert assess(m).score == 0  # nobody trusted: the header could be forged upstream
    trusted = Context(trusted_authserv_ids=frozenset({"mx.ccas-exemple.fr"}))
    r = assess(m, trusted)
    assert "auth_fail" in codes(r)
    other = Context(trusted_authserv_ids=frozenset({"mx.elsewhere.fr"}))
    assert assess(m, other).score == 0


def test_full_lure_is_suspect_with_reasons() -> None:
    m = msg(frm="CAF <contact@caf-allocations-en-ligne.com>", subject="Votre remboursement",
            text="Vous avez droit à un remboursement. Veuillez vérifier vos informations.",
            links=(link("http://caf-allocations-en-ligne.com/login", "www.caf.fr"),))
    r = assess(m)
    assert r.suspect()
    assert {"lookalike_sender", "display_name_spoof", "lookalike_link",
            "link_text_mismatch", "lure"} <= codes(r)
    assert list(r.reasons) == sorted(r.reasons, key=lambda x: -x.weight)


def test_ordinary_messages_score_zero() -> None:
    assert assess(msg()).score == 0
    newsletter = msg(frm="ASH <lettre@ash.tm.fr>", list_unsubscribe=("https://ash.tm.fr/u",),
                     links=(link("https://www.ash.tm.fr/article/1", "Lire l'article"),
                            link("https://click.ash.tm.fr/t/2", "www.ash.tm.fr")))
    assert assess(newsletter).score == 0


def test_macro_document_with_its_lure_is_suspect() -> None:
    m = msg(frm="Comptabilité <facturation@bailleur-inconnu.fr>",
            text="Veuillez trouver ci-joint la facture. Merci d'activer le contenu du document "
                 "pour l'afficher. Sans règlement sous 8 jours, des pénalités de retard seront "
                 "appliquées.", attachments=(attachment("Facture_12.docm"),))
    r = assess(m)
    assert "lure" in codes(r) and any(c.startswith("attachment_") for c in codes(r))
    assert r.suspect()
