"""Each built-in filter on the message it is meant for, and how votes combine."""

from __future__ import annotations

import pytest

from accalmie.triage.decision import Lane, Reason
from accalmie.triage.features import Context, extract
from accalmie.triage.heuristics import (
    DEFAULT_FILTERS,
    FALLBACK_REASON,
    Vote,
    combine,
    heuristic_lane,
)

from .helpers import ME, ORG, msg

CTX = Context(own_addresses=frozenset({ME}), internal_domains=(ORG,),
              contacts={"paul@partenaire.org": 12, "lea@asso.org": 1},
              important_senders=("*@justice.fr",), thread_ids=frozenset({"mine@ccas"}))
BY_NAME = {f.name: f for f in DEFAULT_FILTERS}


def run(name: str, m, ctx: Context = CTX):  # type: ignore[no-untyped-def]
    return BY_NAME[name](extract(m, ctx), m, ctx)


def lane_of(m, ctx: Context = CTX) -> Lane:  # type: ignore[no-untyped-def]
    return heuristic_lane(extract(m, ctx), m, ctx)[0]


def test_filter_names_are_unique() -> None:
    assert len(BY_NAME) == len(DEFAULT_FILTERS)


@pytest.mark.parametrize(("name", "message", "lane", "code"), [
    ("ListFilter", msg(list_id="lettre.ash.tm.fr"), Lane.BULK, "list_id"),
    ("ListFilter", msg(frm="rh@ccas-exemple.fr", list_id="tous.ccas-exemple.fr"), Lane.INFO,
     "internal_list"),
    ("UnsubscribeFilter", msg(list_unsubscribe=("mailto:u@x.org",)), Lane.BULK,
     "list_unsubscribe"),
    ("PrecedenceFilter", msg(precedence="bulk"), Lane.BULK, "precedence"),
    ("AutoSubmittedFilter", msg(auto_submitted="auto-generated"), Lane.BULK, "auto_submitted"),
    ("AutoSubmittedFilter", msg(auto_submitted="auto-replied"), Lane.BULK, "auto_replied"),
    ("NoReplySenderFilter", msg(frm="CAF <ne-pas-repondre@caf.fr>"), Lane.BULK, "noreply"),
    ("NoReplySenderFilter", msg(frm="x <no-reply@outil.fr>"), Lane.BULK, "noreply"),
    ("NoReplySenderFilter", msg(frm="x <notification@logiciel.fr>"), Lane.BULK, "noreply"),
    ("MassMailerFilter", msg(headers={"X-Mailchimp-Campaign": "1"}), Lane.BULK, "mass_mailer"),
    ("MassMailerFilter", msg(headers={"Feedback-ID": "1:2:3"}), Lane.BULK, "mass_mailer"),
    ("MassMailerFilter", msg(headers={"X-Mailer": "Sarbacane Campaigns"}), Lane.BULK,
     "mass_mailer"),
    ("SocialNetworkFilter", msg(frm="LinkedIn <messages-noreply@linkedin.com>"), Lane.BULK,
     "social_network"),
    ("SocialNetworkFilter", msg(frm="Facebook <notification@facebookmail.com>"), Lane.BULK,
     "social_network"),
    ("MarketingTextFilter", msg(text="Lire la suite. Se désinscrire de cette lettre."),
     Lane.BULK, "marketing_text"),
    ("DirectPersonalFilter", msg(), Lane.PRIORITY, "direct"),
    ("DirectPersonalFilter", msg(to=(ME, "a@x.fr", "b@x.fr", "c@x.fr")), Lane.PRIORITY,
     "direct_group"),
    ("KnownCorrespondentFilter", msg(frm="Paul <paul@partenaire.org>"), Lane.PRIORITY,
     "known_correspondent"),
    ("ImportantSenderFilter", msg(frm="Greffe <greffe@justice.fr>"), Lane.PRIORITY,
     "important_sender"),
    ("ThreadReplyFilter", msg(in_reply_to="mine@ccas"), Lane.PRIORITY, "my_thread"),
    ("ThreadReplyFilter", msg(subject="RE: dossier"), Lane.PRIORITY, "thread_reply"),
    ("ForwardFilter", msg(subject="TR: courrier CAF"), Lane.PRIORITY, "forwarded"),
    ("RequestFilter", msg(text="Pouvez-vous me rappeler ?"), Lane.PRIORITY, "request"),
    ("CcOnlyFilter", msg(to=("chef@ccas-exemple.fr",), cc=(ME,)), Lane.INFO, "cc_only"),
    ("NotAddressedFilter", msg(to=("equipe@ccas-exemple.fr",)), Lane.INFO, "not_addressed"),
    ("InternalBroadcastFilter",
     msg(frm="Direction <direction@ccas-exemple.fr>",
         to=tuple(f"agent{i}@ccas-exemple.fr" for i in range(8)) + (ME,)),
     Lane.INFO, "internal_broadcast"),
    ("InternalBroadcastFilter",
     msg(frm="Direction <direction@ccas-exemple.fr>", to=("tous@ccas-exemple.fr",)),
     Lane.INFO, "internal_broadcast_group"),
    ("ManyRecipientsFilter", msg(to=tuple(f"p{i}@x.org" for i in range(12))), Lane.INFO,
     "many_recipients"),
    ("FromSelfFilter", msg(frm=ME), Lane.INFO, "from_self"),
])
def test_filter_votes(name: str, message, lane: Lane, code: str) -> None:  # type: ignore[no-untyped-def]
    vote = run(name, message)
    assert vote is not None, name
    assert vote.lane is lane
    assert vote.reason.code == code
    assert vote.weight > 0
    assert vote.reason.render("en")  # formats with its params


@pytest.mark.parametrize("name", sorted(BY_NAME))
def test_filters_stay_silent_on_a_plain_message(name: str) -> None:
    plain = msg(frm="Jean <jean@example.net>", to=("autre@example.net",), subject="x", text="x")
    ctx = Context()  # identity unknown
    vote = run(name, plain, ctx)
    assert vote is None or name in ("DirectPersonalFilter",)


def test_request_in_copy_is_not_for_me() -> None:
    m = msg(to=("chef@ccas-exemple.fr",), cc=(ME,), text="Pouvez-vous me rappeler ?")
    assert run("RequestFilter", m) is None
    assert lane_of(m) is Lane.INFO


@pytest.mark.parametrize(("message", "lane"), [
    (msg(text="Pourriez-vous me rappeler demain ?"), Lane.PRIORITY),
    (msg(frm="Paul <paul@partenaire.org>", to=("chef@x.fr",), cc=(ME,), text="Pour info."),
     Lane.INFO),
    (msg(frm="ASH <lettre@ash.tm.fr>", list_id="lettre.ash.tm.fr",
         list_unsubscribe=("https://ash.tm.fr/u",), precedence="bulk",
         text="Pourriez-vous répondre à notre enquête ?"), Lane.BULK),
    (msg(frm="LinkedIn <invitations@linkedin.com>", text="Voulez-vous rejoindre mon réseau ?"),
     Lane.BULK),
    (msg(frm="Logiciel <notification@logiciel.fr>", auto_submitted="auto-generated"), Lane.BULK),
    (msg(frm="Direction <direction@ccas-exemple.fr>", to=("tous@ccas-exemple.fr",),
         text="La réunion plénière aura lieu mardi."), Lane.INFO),
    (msg(frm="Greffe <greffe@justice.fr>", to=("service@ccas-exemple.fr",)), Lane.PRIORITY),
])
def test_combined_lanes(message, lane: Lane) -> None:  # type: ignore[no-untyped-def]
    assert lane_of(message) is lane


def test_combine_explains_with_winning_votes_only() -> None:
    a = Vote(Lane.BULK, 2.0, Reason("bulk a", {}, "a", 2.0))
    b = Vote(Lane.BULK, 1.0, Reason("bulk b", {}, "b", 1.0))
    c = Vote(Lane.PRIORITY, 1.5, Reason("prio", {}, "c", 1.5))
    lane, score, reasons = combine([b, c, a])
    assert lane is Lane.BULK
    assert [r.code for r in reasons] == ["a", "b"]
    assert score == pytest.approx(3.0 / 4.5, abs=1e-3)


def test_combine_tie_between_ends_goes_to_info() -> None:
    lane, _, reasons = combine([Vote(Lane.BULK, 1.0, Reason("b", {}, "b", 1.0)),
                                Vote(Lane.PRIORITY, 1.0, Reason("p", {}, "p", 1.0))])
    assert lane is Lane.INFO
    assert reasons == (FALLBACK_REASON,)


def test_combine_without_votes() -> None:
    assert combine([]) == (Lane.INFO, 0.5, (FALLBACK_REASON,))


def test_custom_filter_list() -> None:
    m = msg(list_id="l.example.org")
    only_cc = [BY_NAME["CcOnlyFilter"]]
    assert heuristic_lane(extract(m, CTX), m, CTX, only_cc)[0] is Lane.INFO  # fallback


def test_automatic_reply_from_a_correspondent_is_bulk() -> None:
    m = msg(frm="Paul <paul@partenaire.org>", subject="Réponse automatique : dossier",
            auto_submitted="auto-replied", text="Je suis absent jusqu'au 13 novembre.")
    assert run("KnownCorrespondentFilter", m) is None
    assert lane_of(m) is Lane.BULK
