"""Feature extraction: addressing, correspondents, threads, bulk markers, requests."""

from __future__ import annotations

from accalmie.triage.features import Context, extract, glob_matcher, registrable_domain

from .helpers import ME, ORG, msg

CTX = Context(own_addresses=frozenset({ME, "m.dupont@ccas-exemple.fr"}), internal_domains=(ORG,),
              contacts={"paul@partenaire.org": 3}, important_senders=("*@justice.fr",),
              thread_ids=frozenset({"sent-1@ccas"}))


def test_addressing() -> None:
    f = extract(msg(to=("M.Dupont@ccas-exemple.fr".lower(),)), CTX)
    assert f.is_direct and not f.in_cc_only and not f.not_addressed
    f = extract(msg(to=("x@y.fr",), cc=(ME,)), CTX)
    assert f.in_cc_only and not f.is_direct
    f = extract(msg(to=("x@y.fr",)), CTX)
    assert f.not_addressed
    assert extract(msg(to=("a@b.c", "d@e.f"), cc=("g@h.i",)), CTX).n_recipients == 3


def test_unknown_identity_assumes_addressed() -> None:
    f = extract(msg(to=("someone@x.fr",)), Context())
    assert f.is_direct and not f.identity_known and not f.not_addressed


def test_correspondents() -> None:
    f = extract(msg(frm="Paul <paul@partenaire.org>"), CTX)
    assert f.contact_count == 3 and f.from_known
    f = extract(msg(frm="Greffe <greffe@justice.fr>"), CTX)
    assert f.from_important and f.from_known
    f = extract(msg(frm="Collègue <c@ccas-exemple.fr>"), CTX)
    assert f.from_internal and not f.from_known
    assert extract(msg(frm="x@sub.ccas-exemple.fr"), CTX).from_internal
    assert not extract(msg(frm="x@notccas-exemple.fr"), CTX).from_internal


def test_threads() -> None:
    f = extract(msg(in_reply_to="other@x", references=("a@x", "sent-1@ccas")), CTX)
    assert f.is_reply and f.in_my_thread
    f = extract(msg(in_reply_to="other@x"), CTX)
    assert f.is_reply and not f.in_my_thread
    for subject in ("Re: dossier", "RE : dossier", "Réf : x", "AW: x"):
        assert extract(msg(subject=subject), CTX).is_reply, subject
    for subject in ("TR: courrier", "Fwd: note", "RE: TR: x"):
        assert extract(msg(subject=subject), CTX).is_forward, subject
    assert not extract(msg(subject="Recette de cuisine"), CTX).is_reply


def test_bulk_markers() -> None:
    f = extract(msg(frm="Lettre <news@asso.org>", list_id="l.asso.org",
                    list_unsubscribe=("https://asso.org/u",), precedence="bulk",
                    auto_submitted="auto-generated", headers={"Feedback-ID": "x"},
                    text="Se désabonner"), CTX)
    assert f.list_id == "l.asso.org" and f.has_unsubscribe and f.precedence_bulk == "bulk"
    assert f.auto_submitted and f.noreply_sender and f.esp_header == "feedback-id"
    assert f.bulk_markers == 6
    assert not f.marketing_text  # the body is read only when the headers say nothing
    assert extract(msg(text="Pour vous désabonner, cliquez ici."), CTX).marketing_text
    assert not f.request_checked  # clearly bulk: requests are not scored
    assert extract(msg(auto_submitted="no"), CTX).auto_submitted == ""
    assert extract(msg(precedence="first-class"), CTX).precedence_bulk == ""


def test_social_domain_uses_registrable_domain() -> None:
    f = extract(msg(frm="LinkedIn <messages-noreply@bounce.linkedin.com>"), CTX)
    assert f.social_domain == "linkedin.com"


def test_undisclosed_recipients() -> None:
    f = extract(msg(to=("Destinataires non révélés <>",)), CTX)
    assert f.undisclosed


def test_request_score_from_new_text_and_subject() -> None:
    f = extract(msg(subject="Pouvez-vous me rappeler ?", text="Merci.", new_text="Merci."), CTX)
    assert f.request_score >= 0.5 and f.request_checked
    quoted = msg(subject="Re: x", text="Bien reçu.\n> Pouvez-vous me rappeler ?",
                 new_text="Bien reçu.")
    assert extract(quoted, CTX).request_score == 0


def test_request_function_is_pluggable() -> None:
    calls = []

    def fake(text: str, lang: str) -> tuple[float, list[str]]:
        calls.append(lang)
        return 0.9, ["x"]

    ctx = Context(own_addresses=frozenset({ME}), request_fn=fake)
    f = extract(msg(language="fr"), ctx)
    assert f.request_score == 0.9 and calls == ["fr"]


def test_helpers() -> None:
    rx = glob_matcher(("*@caf.fr", "jean.*@x.org"))
    assert rx is not None and rx.fullmatch("a@caf.fr") and rx.fullmatch("jean.m@x.org")
    assert not rx.fullmatch("a@caf.fr.evil")
    assert glob_matcher(()) is None
    assert registrable_domain("a.b.impots.gouv.fr") == "impots.gouv.fr"
    assert registrable_domain("") == ""


def test_message_without_anything() -> None:
    from accalmie.mail.model import Message

    f = extract(Message(), CTX)
    assert f.from_email == "" and f.n_recipients == 0
