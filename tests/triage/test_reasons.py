"""Reasons: every template formats with its parameters, in English and in French."""

from __future__ import annotations

import ast
import gettext
import io
import re
import string
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from accalmie.config import Rule
from accalmie.triage.decision import Decision, Lane, Reason
from accalmie.triage.engine import Triager

from .helpers import ME, attachment, config, link, msg

PKG = Path(__file__).resolve().parents[2] / "accalmie" / "triage"
MODULES = ("features", "heuristics", "rules", "requests", "engine")
FRAGMENT = PKG.parent / "locale" / "fr" / "LC_MESSAGES" / "accalmie.po"


def sources() -> list[Path]:
    """The triage modules and the guard's phishing analyser, whose reasons triage shows."""
    own = [PKG / f"{n}.py" for n in MODULES if (PKG / f"{n}.py").exists()]
    own += sorted((PKG / "requests").glob("*.py"))
    guard = PKG.parent / "guard"
    return own + sorted((guard / "phishing").glob("*.py")) + [guard / "attachments.py"]


def msgids() -> set[str]:
    """Every string marked with N_() or _() in the triage modules."""
    found = set()
    for path in sources():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id in ("N_", "_") and node.args
                    and isinstance(node.args[0], ast.Constant)):
                found.add(node.args[0].value)
    return found


def fields(template: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(template) if f}


def catalog() -> dict[str, str]:
    with FRAGMENT.open("rb") as fh:
        cat = read_po(fh, locale="fr")
    return {m.id: m.string for m in cat if m.id and m.id in msgids()}


def french() -> gettext.GNUTranslations:
    with FRAGMENT.open("rb") as fh:
        cat = read_po(fh, locale="fr")
    buf = io.BytesIO()
    write_mo(buf, cat)
    buf.seek(0)
    return gettext.GNUTranslations(buf)


def test_every_msgid_has_a_french_translation_with_the_same_fields() -> None:
    fr = catalog()
    missing = msgids() - set(fr)
    assert not missing, f"add to {FRAGMENT.name}: {sorted(missing)}"
    for msgid, text in fr.items():
        assert text, msgid
        assert fields(text) == fields(msgid), msgid


def every_decision() -> list[Decision]:
    """Messages chosen to trigger every reason the engine can give."""
    rules = (Rule("Tribunal", {"from": ("*@justice.fr",)}, Lane.PRIORITY),
             Rule("Marque", {"subject": ("marque",)}, None, frozenset({"aggressive"})),  # type: ignore[arg-type]
             Rule("Faux CAF", {"from": ("*@caf-allocations-en-ligne.com",)}, Lane.INFO))

    class Learner:
        n_learned = 50

        def learn(self, m, label):  # type: ignore[no-untyped-def]
            pass

        def predict(self, m):  # type: ignore[no-untyped-def]
            if m.subject == "appris":
                return type("P", (), {"label": "bulk", "confidence": 0.99,
                                      "reasons": ("detail",)})()
            return None

    t = Triager(config(rules=rules), contacts={"paul@partenaire.org": 12, "lea@asso.org": 1},
                overrides={("domain", "ash.tm.fr"): "bulk", ("sender", "a@b.fr"): "info",
                           ("list", "l.x.org"): "bulk"},
                learner=Learner(), trusted_authserv_ids=("mx.ccas-exemple.fr",),
                known_names={"sophie martin": "sophie@ccas-exemple.fr"},
                thread_ids=("mine@x",))
    many = tuple(f"p{i}@x.org" for i in range(12))
    lure = "Votre compte sera suspendu. Vérifiez vos informations."
    msgs = [
        msg(text="Pouvez-vous me rappeler ?"), msg(text="Bonjour."),
        msg(frm="ASH <lettre@news.org>", list_id="l.news.org", precedence="bulk",
            list_unsubscribe=("https://u",), auto_submitted="auto-generated",
            headers={"Feedback-ID": "1"}),
        msg(frm="x <no-reply@outil.fr>"), msg(auto_submitted="auto-replied"),
        msg(frm="LinkedIn <m@linkedin.com>"), msg(text="Se désinscrire"),
        msg(headers={"X-Mailer": "Mailchimp"}), msg(to=(ME, "a@x.fr", "b@x.fr", "c@x.fr")),
        msg(frm="paul@partenaire.org"), msg(frm="lea@asso.org"), msg(in_reply_to="mine@x"),
        msg(subject="Re: x"), msg(subject="TR: x"), msg(to=("a@x.fr",), cc=(ME,)),
        msg(to=("a@x.fr",)), msg(frm="d@ccas-exemple.fr", to=("tous@ccas-exemple.fr",)),
        msg(frm="d@ccas-exemple.fr", to=("Destinataires non révélés <>",)),
        msg(frm="d@ccas-exemple.fr", list_id="tous.ccas-exemple.fr"),
        msg(frm="d@ccas-exemple.fr", to=(ME,) + many), msg(to=many), msg(frm=ME),
        msg(frm="g@justice.fr"), msg(subject="marque"), msg(frm="a@b.fr"),
        msg(frm="x@ash.tm.fr"), msg(list_id="l.x.org"), msg(subject="appris"),
        msg(frm="CAF <contact@caf-allocations-en-ligne.com>", text=lure,
            links=(link("http://caf-allocations-en-ligne.com/l", "www.caf.fr"),)),
        msg(frm="CAF <caf@gmail.com>", reply_to=("r@gmail.com",), text=lure,
            links=(link("http://192.0.2.1/x", "ici"), link("https://bit.ly/x", "a"),
                   link("https://a.xyz/x", "b"), link("https://xn--meli-43d.com/x", "c"))),
        msg(frm='"support@paypal.com" <x@evil.example>', text=lure,
            links=(link("https://аmeli.fr/x", "d"),)),
        msg(frm="Sophie Martin <sophie.m@gmail.com>", text=lure),
        msg(frm="x@xn--meli-43d.com", text=lure), msg(frm="x@partenaire-social.org"),
        msg(frm="x@g\u043e\u043egle.com", links=(link("https://g\u043e\u043egle.com/x", "y"),)),
        msg(links=(link("https://evil.example/x", "www.ameli.fr"),)),
        msg(frm="Support <it@ccas-exemple-support.com>", text=lure,
            links=(link("https://ccas-exemp1e.com/x", "x"),)),
        msg(frm="Sophie <sophie.ccasexemple@gmail.com>", reply_to=("s@proton.me",)),
        msg(frm="Mairie <scan@mairie.fr.docs-partage.net>", text=lure,
            links=(link("https://mairie.fr.docs-partage.net/x", "x"),),
            attachments=(attachment("scan.zip"),)),
        msg(frm="Jean <j@partenaire-sociai.org>", reply_to=("j@z.org",)),
        msg(frm="CAF <x@caf.fr>", authentication_results=(
            "mx.ccas-exemple.fr; dmarc=fail header.from=caf.fr",)),
        msg(authentication_results=("mx.ccas-exemple.fr; spf=fail; dkim=none",), text=lure,
            reply_to=("z@z.org",)),
        msg(authentication_results=("mx.ccas-exemple.fr; spf=none; dkim=fail",)),
        *(msg(attachments=(attachment(n),)) for n in (
            "a.pdf.exe", "b.exe", "c.iso", "d.docm", "e.html", "f\u202egpj.exe")),
    ]
    t.update_contacts({"x@partenaire-social.org": 2})
    return [t.decide(m) for m in msgs]


def test_every_reason_formats_with_its_params() -> None:
    reasons = [r for d in every_decision() for r in d.reasons]
    codes = {r.code for r in reasons}
    expected = {"direct", "request", "list_id", "precedence", "list_unsubscribe",
                "auto_submitted", "noreply", "auto_replied", "social_network",
                "marketing_text", "mass_mailer", "direct_group", "known_correspondent",
                "my_thread", "thread_reply", "forwarded", "cc_only", "not_addressed",
                "internal_broadcast", "internal_broadcast_group", "internal_list",
                "many_recipients", "from_self", "rule", "rule_flag", "override_sender",
                "override_domain", "override_list", "learned", "learned_detail", "safety",
                "safety_warning", "lookalike_sender", "display_name_spoof", "lookalike_link",
                "link_text_mismatch", "lure", "ip_link", "shortener", "suspicious_tld",
                "display_name_address", "known_name_spoof", "lookalike_contact",
                "reply_to_mismatch", "auth_fail", "safety_caution", "lookalike_org",
                "lookalike_org_link", "org_name_freemail", "dressed_domain", "dressed_link"}
    assert expected <= codes, sorted(expected - codes)
    assert any(c.startswith("attachment_") for c in codes)
    for r in reasons:
        if r.code == "learned_detail":
            continue  # the learner's own words
        assert fields(r.template) <= set(r.params), (r.code, r.template, r.params)
        text = r.template.format(**r.params)  # raises if a field is missing
        assert r.render("en") == text
        assert "{" not in text


def test_french_rendering_of_reasons() -> None:
    fr = french()
    reasons = {r.code: r for d in every_decision() for r in d.reasons}
    for r in reasons.values():
        if r.code == "learned_detail":
            continue
        translated = fr.gettext(r.template)
        assert translated != r.template or r.template == "", r.template
        rendered = translated.format(**r.params)
        assert "{" not in rendered
    assert fr.gettext("You are in copy only") == "Vous êtes seulement en copie"
    list_reason = reasons["list_id"]
    assert fr.gettext(list_reason.template).format(**list_reason.params) == \
        "Envoyé via une liste de diffusion (l.news.org)"


@pytest.mark.parametrize("template", sorted(msgids()))
def test_placeholders_are_simple_names(template: str) -> None:
    for name in fields(template):
        assert re.fullmatch(r"[a-z_]+(![rs])?", name), name


def test_reason_round_trip() -> None:
    r = Reason("Sent to {count} people", {"count": 12}, "many_recipients", 1.5)
    assert Reason.from_dict(r.to_dict()) == r
    assert r.render("en") == "Sent to 12 people"
