"""The engine: order of authority, flags, reasons, learning and overrides."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from accalmie.config import Rule
from accalmie.triage.decision import Decision, Flag, Lane, Source
from accalmie.triage.engine import Triager

from .helpers import ME, account, attachment, config, link, msg

PHISH = msg(frm="CAF <contact@caf-allocations-en-ligne.com>", subject="Votre remboursement",
            text="Vous avez droit à un remboursement. Veuillez vérifier vos informations.",
            links=(link("http://caf-allocations-en-ligne.com/login", "www.caf.fr"),))
NEWSLETTER = msg(frm="ASH <lettre@ash.tm.fr>", list_id="lettre.ash.tm.fr",
                 list_unsubscribe=("https://ash.tm.fr/u",), precedence="bulk",
                 text="Les nouvelles de la semaine.")
PERSONAL = msg(frm="Jean Martin <jean.martin@example.net>",
               text="Bonjour, pourriez-vous me rappeler demain ? Merci.")


@dataclass
class Prediction:
    label: str
    confidence: float
    reasons: tuple = ()


@dataclass
class MemoryLearner:
    """A minimal per-sender learner with the OnlineLearner interface, for order tests."""

    confidence: float = 0.95
    labels: dict[str, str] = field(default_factory=dict)
    n_learned: int = 0

    def learn(self, message, label: str) -> None:  # type: ignore[no-untyped-def]
        self.labels[message.from_.email] = label
        self.n_learned += 1

    def predict(self, message):  # type: ignore[no-untyped-def]
        label = self.labels.get(message.from_.email if message.from_ else "")
        return Prediction(label, self.confidence, ("same sender as corrected",)) if label else None


def codes(d: Decision) -> list[str]:
    return [r.code for r in d.reasons]


def test_heuristics_alone() -> None:
    t = Triager(config())
    d = t.decide(PERSONAL)
    assert d.lane is Lane.PRIORITY and d.source is Source.HEURISTIC
    assert Flag.REPLY_EXPECTED in d.flags
    assert t.decide(NEWSLETTER).lane is Lane.BULK


def test_safety_beats_heuristics() -> None:
    d = Triager(config()).decide(PHISH)
    assert d.lane is Lane.SUSPECT and d.source is Source.SAFETY
    assert codes(d)[0] == "safety" and d.score >= 0.7
    assert Flag.REPLY_EXPECTED not in d.flags  # a lure's "please verify" expects no reply


def test_threshold_is_configurable() -> None:
    assert Triager(config(), suspect_threshold=0.999).decide(PHISH).lane is not Lane.SUSPECT


def test_rule_beats_safety_but_keeps_a_warning() -> None:
    rule = Rule("CAF toujours prioritaire", {"from": ("*caf*",)}, Lane.PRIORITY)
    d = Triager(config(rules=(rule,))).decide(PHISH)
    assert d.lane is Lane.PRIORITY and d.source is Source.RULE
    assert codes(d)[0] == "rule"
    assert "safety_warning" in codes(d)
    text = d.explain("en")
    assert text[0] == "Your rule \u201cCAF toujours prioritaire\u201d"
    assert any("phishing" in line for line in text)


def test_override_beats_safety_and_heuristics() -> None:
    t = Triager(config(), overrides={("domain", "ash.tm.fr"): "priority"})
    d = t.decide(NEWSLETTER)
    assert d.lane is Lane.PRIORITY and d.source is Source.RULE
    assert codes(d) == ["override_domain"]
    t.set_override("sender", "contact@caf-allocations-en-ligne.com", Lane.INFO)
    d = t.decide(PHISH)
    assert d.lane is Lane.INFO and "safety_warning" in codes(d)
    t.clear_override("sender", "contact@caf-allocations-en-ligne.com")
    assert t.decide(PHISH).lane is Lane.SUSPECT
    with pytest.raises(ValueError):
        t.set_override("planet", "x", Lane.INFO)


def test_rules_beat_overrides() -> None:
    rule = Rule("ASH en info", {"list_id": ("*.ash.tm.fr",)}, Lane.INFO)
    t = Triager(config(rules=(rule,)), overrides={("list", "lettre.ash.tm.fr"): "priority"})
    assert t.decide(NEWSLETTER).lane is Lane.INFO


def test_flag_only_rule_leaves_the_lane_to_others() -> None:
    rule = Rule("agressif", {"body": ("semaine",)}, None, frozenset({Flag.AGGRESSIVE}))
    d = Triager(config(rules=(rule,))).decide(NEWSLETTER)
    assert d.lane is Lane.BULK and d.source is Source.HEURISTIC
    assert Flag.AGGRESSIVE in d.flags and "rule_flag" in codes(d)


def test_learned_beats_heuristics_but_not_safety() -> None:
    learner = MemoryLearner()
    t = Triager(config(), learner=learner, min_corrections=2)
    t.learn(NEWSLETTER, Lane.PRIORITY)
    assert t.decide(NEWSLETTER).source is Source.HEURISTIC  # not enough corrections yet
    t.learn(PHISH, Lane.PRIORITY)
    d = t.decide(NEWSLETTER)
    assert d.lane is Lane.PRIORITY and d.source is Source.LEARNED
    assert codes(d)[:2] == ["learned", "learned_detail"]
    assert t.decide(PHISH).lane is Lane.SUSPECT  # safety outranks what was learned


def test_learned_needs_confidence() -> None:
    learner = MemoryLearner(confidence=0.5, n_learned=100)
    t = Triager(config(), learner=learner)
    t.learn(NEWSLETTER, Lane.PRIORITY)
    assert t.decide(NEWSLETTER).source is Source.HEURISTIC


def test_learner_labels_that_are_not_lanes_are_ignored() -> None:
    learner = MemoryLearner(n_learned=100)
    learner.labels["lettre@ash.tm.fr"] = "projects/budget"
    assert Triager(config(), learner=learner).decide(NEWSLETTER).source is Source.HEURISTIC


def test_a_failing_learner_never_stops_triage() -> None:
    class Broken(MemoryLearner):
        def predict(self, message):  # type: ignore[no-untyped-def]
            raise RuntimeError("boom")

    d = Triager(config(), learner=Broken(n_learned=100)).decide(NEWSLETTER)
    assert d.lane is Lane.BULK


def test_rule_beats_learned() -> None:
    learner = MemoryLearner(n_learned=100)
    learner.labels["lettre@ash.tm.fr"] = "priority"
    rule = Rule("ASH", {"from": ("*@ash.tm.fr",)}, Lane.BULK)
    assert Triager(config(rules=(rule,)), learner=learner).decide(NEWSLETTER).lane is Lane.BULK


def test_reply_expected_only_when_addressed_to_me() -> None:
    t = Triager(config())
    in_copy = msg(to=("chef@ccas-exemple.fr",), cc=(ME,), text="Pouvez-vous me rappeler ?")
    d = t.decide(in_copy)
    assert d.lane is Lane.INFO and Flag.REPLY_EXPECTED not in d.flags
    statement = msg(text="Je vous envoie le compte rendu. Bonne journée.")
    assert Flag.REPLY_EXPECTED not in t.decide(statement).flags
    english = msg(text="Could you send me the signed form by Friday?")
    assert Flag.REPLY_EXPECTED in t.decide(english).flags


def test_rule_lane_still_gets_reply_expected() -> None:
    rule = Rule("Jean en info", {"from": ("jean.*@*",)}, Lane.INFO)
    d = Triager(config(rules=(rule,))).decide(PERSONAL)
    assert d.lane is Lane.INFO and Flag.REPLY_EXPECTED in d.flags
    assert "request" in codes(d)


def test_bad_rule_is_reported_and_triage_goes_on() -> None:
    rule = Rule("cassée", {"subject": ("re:(",)}, Lane.BULK)
    t = Triager(config(rules=(rule,)))
    assert len(t.rule_problems) == 1
    assert t.decide(PERSONAL).lane is Lane.PRIORITY


def test_contacts_and_threads_raise_a_sender() -> None:
    t = Triager(config())
    group = msg(frm="Léa <lea@asso.org>", to=(ME, "a@asso.org", "b@asso.org", "c@asso.org",
                                                 "d@asso.org", "e@asso.org", "f@asso.org",
                                                 "g@asso.org", "h@asso.org"), text="Compte rendu")
    assert t.decide(group).lane is Lane.INFO
    t.add_contacts({"Lea@asso.org": 10})
    assert t.decide(group).lane is Lane.PRIORITY
    reply = msg(frm="x@y.org", to=("liste@y.org",), in_reply_to="sent@me", text="ok")
    assert t.decide(reply).lane is Lane.INFO
    t.add_thread_ids(["sent@me"])
    assert t.decide(reply).lane is Lane.PRIORITY


def test_caution_below_threshold() -> None:
    m = msg(frm="Jean <jean@example.net>", reply_to=("jean.reply@gmail.com",),
            links=(link("http://192.0.2.1/doc", "document"),), text="Voici le document.")
    d = Triager(config()).decide(m)
    assert d.lane is not Lane.SUSPECT
    assert "safety_caution" in codes(d)


def test_malware_attachment_goes_to_suspect() -> None:
    m = msg(text="Voir la facture jointe.", attachments=(attachment("facture.pdf.exe"),))
    d = Triager(config()).decide(m)
    assert d.lane is Lane.SUSPECT and "attachment_double_extension" in codes(d)


def test_without_account() -> None:
    from accalmie.config import Config

    t = Triager(Config())
    assert t.decide(PERSONAL).lane is Lane.PRIORITY
    assert t.decide(NEWSLETTER).lane is Lane.BULK


def test_explicit_account_is_used() -> None:
    other = account(name="perso", email="moi@perso.fr", internal_domains=())
    t = Triager(config(), other)
    d = t.decide(PERSONAL)  # addressed to ME, not to moi@perso.fr
    assert d.lane is Lane.INFO


def test_decisions_round_trip_and_render() -> None:
    t = Triager(config())
    for m in (PERSONAL, NEWSLETTER, PHISH):
        d = t.decide(m)
        assert Decision.from_dict(d.to_dict()) == d
        assert all(line and "{" not in line for line in d.explain("en"))
        assert d.reasons, "every decision carries its reasons"


def test_learn_without_learner_module_is_harmless() -> None:
    t = Triager(config())
    t.learn(PERSONAL, "bulk")  # creates the default learner if available, else does nothing
    assert t.decide(PERSONAL).lane in (Lane.PRIORITY, Lane.BULK)


def test_corrected_decision_keeps_warnings_and_flags() -> None:
    t = Triager(config())
    d = t.corrected(PHISH, Lane.PRIORITY)
    assert d.lane is Lane.PRIORITY and d.source is Source.RULE
    assert codes(d)[0] == "correction" and "safety_warning" in codes(d)
    d = t.corrected(PERSONAL, "bulk")
    assert d.lane is Lane.BULK and Flag.REPLY_EXPECTED not in d.flags
    d = t.corrected(PERSONAL, "info")
    assert Flag.REPLY_EXPECTED in d.flags and "request" in codes(d)


def test_update_contacts_is_add_contacts() -> None:
    t = Triager(config())
    t.update_contacts({"a@b.fr": 1})
    t.add_contacts({"A@b.fr": 2})
    assert t.context.contacts["a@b.fr"] == 3


def test_with_the_real_online_learner() -> None:
    learner_mod = pytest.importorskip("accalmie.triage.learner")
    t = Triager(config(), learner=learner_mod.OnlineLearner(), min_corrections=4,
                min_learned_confidence=0.6)
    weekly = [msg(frm="Lettre ASH <lettre@ash.tm.fr>", list_id="lettre.ash.tm.fr",
                  list_unsubscribe=("https://ash.tm.fr/u",), subject=f"La lettre n°{i}",
                  text=f"Numéro {i} : protection de l'enfance, RSA, logement.")
              for i in range(8)]
    others = [msg(frm=f"Usager {i} <usager{i}@example.net>", subject="Mon dossier",
                  text="Bonjour, pouvez-vous me rappeler ?") for i in range(8)]
    assert t.decide(weekly[0]).source is Source.HEURISTIC
    for w, o in zip(weekly[:6], others[:6], strict=True):
        t.learn(w, Lane.PRIORITY)  # this user reads that letter first thing
        t.learn(o, Lane.PRIORITY)
        t.learn(NEWSLETTER, Lane.BULK)
    d = t.decide(weekly[7])
    assert d.lane is Lane.PRIORITY and d.source is Source.LEARNED, d.explain("en")
    assert d.reasons[0].code == "learned"
    assert t.decide(PHISH).lane is Lane.SUSPECT  # safety still outranks what was learned
