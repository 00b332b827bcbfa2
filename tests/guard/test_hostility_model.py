"""The learned part's features, the shipped model's settings and the template training data."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from accalmie.guard.hostility import assess_hostility
from accalmie.guard.hostility.model import make_vectorizer, ngram_features, shipped
from accalmie.guard.hostility.text import fold
from tests.guard.hostility_cases import FR_HOSTILE, FR_NOT_HOSTILE

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"


def _synth():  # noqa: ANN202 - module
    sys.path.insert(0, str(SCRIPTS))
    try:
        import hostility_synth
    finally:
        sys.path.remove(str(SCRIPTS))
    return hostility_synth


def test_features_are_char_and_word_ngrams_each_normalised() -> None:
    feats = dict(ngram_features("ta gueule ta gueule", (2, 5), (1, 2)))
    assert " ta " in feats and "w:ta gueule" in feats and "w:gueule ta" in feats
    chars = [v for k, v in feats.items() if not k.startswith("w:")]
    words = [v for k, v in feats.items() if k.startswith("w:")]
    assert sum(v * v for v in chars) == pytest.approx(1.0)
    assert sum(v * v for v in words) == pytest.approx(1.0)
    assert ngram_features("", (2, 5), (1, 2)) == []
    x = make_vectorizer(1 << 10, (2, 5), (1, 2)).transform(["", "   ", "fdp"])
    assert x.shape == (3, 1 << 10) and x[0].nnz == 0 and x[2].nnz > 0


def test_shipped_model_declares_its_features_and_dev_chosen_floor() -> None:
    lr = shipped("fr")
    assert lr is not None and lr.word_ngram == (1, 2)
    assert lr.floor is not None and 0.0 < lr.floor < 1.0
    assert lr.meta["floor_chosen_on"] != "cyberagression"  # the held-out test source
    p = lr.probability(["ferme ta gueule sale bouffon", "merci pour votre aide, bonne journée"])
    assert p[0] > 0.8 and p[1] < 0.5


def test_templates_are_deterministic_balanced_and_disjoint_from_the_test_cases() -> None:
    synth = _synth()
    data = synth.examples(n=1500, seed=3)
    assert data == synth.examples(n=1500, seed=3)
    assert sum(y for _, y in data) == 1500 and len(data) == 3000
    folded = {" ".join(fold(t)[0].split()).strip(" .!?") for t, _ in synth.examples()}
    cases = FR_NOT_HOSTILE + [t for _, t in FR_HOSTILE]
    leaked = [t for t in cases if " ".join(fold(t)[0].split()).strip(" .!?") in folded]
    assert not leaked


@pytest.mark.parametrize(("grade", "text"), [
    ("insult", "wesh ftg sale boloss"),
    ("insult", "t'es kune grosse conasse mdrrr"),
    ("insult", "Les Roms, c'est tous des voleurs et des parasites."),
    ("threat", "jte jure si jte croise jte defonce"),
    ("insult", "Sale bougnoule, rentre chez toi."),
])
def test_chat_spellings_and_hate_constructions(grade: str, text: str) -> None:
    h = assess_hostility(text)
    assert h.hostile and h.grade == grade, (h.grade, h.score, [r.code for r in h.reasons])


@pytest.mark.parametrize("text", [
    "Dire que les migrants sont des parasites, c'est du racisme pur.",
    "Les Tchétchènes de la résidence ont demandé une salle pour une fête.",
    "Des mineurs isolés dorment dans la gare depuis lundi.",
    "ptdr t'es trop fort, t'as vu le but hier ?",
    "tu peux me redire l'heure du rdv stp",
    "Mon fils dit que des élèves le traitent de gros lard à la cantine.",
])
def test_chat_and_group_mentions_not_flagged(text: str) -> None:
    h = assess_hostility(text)
    assert not h.hostile, (h.score, [r.render("en") for r in h.reasons])
