"""The hostility detector on hand-written mail: threats and insults caught, ordinary mail not.

The cases (tests/guard/hostility_cases.py) are not in the training data. Rules alone and rules
with the shipped model must both pass: the model may add recall, never false alarms here.
"""

from __future__ import annotations

import pytest

from accalmie.guard.hostility import GRADES, Hostility, Span, assess_hostility
from tests.guard.hostility_cases import EN_HOSTILE, EN_NOT_HOSTILE, FR_HOSTILE, FR_NOT_HOSTILE

MODES = [pytest.param(False, id="rules"), pytest.param(True, id="rules+model")]


@pytest.mark.parametrize("model", MODES)
@pytest.mark.parametrize("text", FR_NOT_HOSTILE)
def test_french_hard_negatives_not_flagged(text: str, model: bool) -> None:
    h = assess_hostility(text, "fr", model=model)
    assert not h.hostile, (h.grade, h.score, [r.render("en") for r in h.reasons])
    assert h.spans == () and h.reasons == ()


@pytest.mark.parametrize("model", MODES)
@pytest.mark.parametrize(("grade", "text"), FR_HOSTILE)
def test_french_hostile_graded(grade: str, text: str, model: bool) -> None:
    h = assess_hostility(text, "fr", model=model)
    assert h.grade == grade, (h.score, [r.render("en") for r in h.reasons])
    assert h.hostile and 0.5 <= h.score <= 1.0
    assert h.spans and h.reasons


@pytest.mark.parametrize("text", EN_NOT_HOSTILE)
def test_english_hard_negatives_not_flagged(text: str) -> None:
    h = assess_hostility(text, "en")
    assert not h.hostile, (h.grade, [r.render("en") for r in h.reasons])


@pytest.mark.parametrize(("grade", "text"), EN_HOSTILE)
def test_english_hostile_graded(grade: str, text: str) -> None:
    h = assess_hostility(text, "en")
    assert h.grade == grade, (h.score, [r.render("en") for r in h.reasons])


def test_spans_locate_the_passage_in_the_given_text() -> None:
    text = "Bonjour,\n\nJe vous préviens : je sais où vous habitez. Espèce de CONNASSE."
    h = assess_hostility(text)
    assert h.grade == "threat"
    found = {(text[s.start:s.end], s.category) for s in h.spans}
    assert ("je sais où vous habitez", "threat") in found
    assert ("CONNASSE", "insult") in found
    for s in h.spans:
        assert isinstance(s, Span) and 0 <= s.start < s.end <= len(text)


def test_spans_survive_accents_stretching_and_leetspeak() -> None:
    text = "Vous êtes une c0nnaaaasse, une vraie MENTEUSE."
    h = assess_hostility(text)
    words = {text[s.start:s.end] for s in h.spans}
    assert "c0nnaaaasse" in words and "MENTEUSE" in words


def test_reasons_quote_the_passage_in_both_languages() -> None:
    h = assess_hostility("Vous allez le payer.")
    (reason,) = [r for r in h.reasons if r.code == "hostility_threat"]
    assert reason.params["passage"] == "Vous allez le payer"
    assert "Vous allez le payer" in reason.render("en")
    assert "Vous allez le payer" in reason.render("fr")
    assert "%" not in reason.template.replace("{", "")


def test_result_is_frozen_and_serialisable() -> None:
    h = assess_hostility("Ferme ta gueule.")
    assert isinstance(h, Hostility) and h.grade in GRADES
    with pytest.raises(AttributeError):
        h.grade = None  # type: ignore[misc]
    d = h.to_dict()
    assert d["grade"] == "insult" and d["spans"] and d["reasons"][0]["code"]


def test_quoted_threat_inside_a_hostile_message_still_flags_the_writer() -> None:
    text = "Il m'a dit « je vais te tuer ». Et vous, espèce d'incapable, vous ne faites rien."
    h = assess_hostility(text)
    assert h.grade == "insult"
    assert all("tuer" not in text[s.start:s.end] for s in h.spans)
    assert any(s.category == "quoted" for s in h.set_aside)


def test_restrictive_ne_que_is_not_a_negation() -> None:
    assert assess_hostility("Vous n'êtes qu'une menteuse.").grade == "insult"
    assert not assess_hostility("Vous n'êtes pas une menteuse, c'est le logiciel.").hostile


@pytest.mark.parametrize("text", ["", "   ", "\x00\x01", "😡" * 50, "ab" * 5,
                                  "« » \" “ ” ' ’", "!!!???", "#" * 100])
def test_odd_input_is_safe(text: str) -> None:
    h = assess_hostility(text)
    assert 0.0 <= h.score <= 1.0


def test_long_input_is_bounded() -> None:
    # A huge message with hostility far past the cap is judged on its beginning only.
    text = "Bonjour, merci pour votre aide. " * 20_000 + "Je sais où vous habitez."
    h = assess_hostility(text)
    assert not h.hostile
    patho = ("vous " * 5000) + ("a" * 50_000) + (" je" * 5000)
    assert 0.0 <= assess_hostility(patho).score <= 1.0


def test_language_defaults_to_french_and_accepts_locale_codes() -> None:
    assert assess_hostility("I know where you live.", "en_GB.UTF-8").grade == "threat"
    assert assess_hostility("Je sais où vous habitez.").grade == "threat"


def test_demo_aggressive_messages_caught_and_ordinary_ones_not() -> None:
    from accalmie.demo import corpus_fr as C

    def bodies(tpls: tuple) -> list[str]:
        import re

        return [re.sub(r"\[\[([^\]|]*)[^\]]*\]\]", r"\1", re.sub(r"\{[^{}]*\}", "X", t.body))
                for t in tpls]

    for body in bodies(C.AGGRESSIVE):
        assert assess_hostility(body, model=False).hostile, body
    for name in ("COMPLAINT", "DISTRESS", "CHILD_AT_RISK", "QUOTED_INSULT", "USAGER_REQUEST",
                 "FAMILY", "SCHOOL", "COURT", "COLLEAGUE_DIRECT", "MANAGER"):
        for body in bodies(getattr(C, name)):
            assert not assess_hostility(body).hostile, (name, body)
