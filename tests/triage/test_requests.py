"""Request detection (réponse attendue): French and English, examples and non-examples.

Every example runs through both scorers: the learned model that triage uses by default, and
the built-in cues it falls back on.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from accalmie.triage.requests import (
    CUE_DETECTOR,
    DEFAULT_DETECTOR,
    MAX_SENTENCES,
    THRESHOLD,
    ModelScorer,
    RequestDetector,
    model_sentences,
    request_score,
    split_sentences,
)

DETECTORS = {"model": DEFAULT_DETECTOR, "cues": CUE_DETECTOR}

REQUESTS_FR = [
    "Bonjour Madame, pourriez-vous me rappeler demain ?",
    "Merci de me transmettre le dossier avant vendredi.",
    "Je vous remercie de bien vouloir me faire parvenir l'attestation de la CAF.",
    "J'aurais besoin d'un rendez-vous la semaine prochaine.",
    "Est-il possible de décaler notre rendez-vous de jeudi ?",
    "Auriez-vous un créneau cette semaine pour faire le point ?",
    "Pouvez-vous confirmer votre présence à la synthèse ?",
    "Veuillez signer la convention et me la retourner.",
    "Rappelez-moi dès que possible, c'est urgent.",
    "Dans l'attente de votre retour, je vous souhaite une bonne journée",
    "Est-ce que tu peux passer au bureau cet après-midi ?",
    "Quand êtes-vous disponible pour la visite à domicile ?",
    "Le formulaire est à me retourner au plus tard le 15 mars.",
    "Tu peux regarder le dossier de Mme L. d'ici jeudi ?",
    "Vous avez intérêt à débloquer mon dossier d'ici vendredi.",
]
REQUESTS_EN = [
    "Could you send me the report by Friday?",
    "Please let me know if that works for you.",
    "I need the signed form ASAP.",
    "Can you call me back this afternoon?",
    "Would it be possible to move our meeting to Tuesday?",
    "Send me the figures before noon, please.",
    "What do you think about the new schedule?",
    "Are you available on Thursday morning?",
]
NOT_REQUESTS = [
    "Bonjour, je vous envoie le compte rendu de la réunion. Bonne journée.",
    "Cliquez ici pour découvrir nos offres ! N'hésitez pas à nous contacter.",
    "N'hésitez pas à me contacter si vous avez des questions.",
    "Vous cherchez une formation ? Découvrez notre catalogue.",
    "Merci pour votre message.",
    "Thank you for your email, I will review it tomorrow.",
    "If you have any questions, feel free to contact us.",
    "Ci-joint le planning de la semaine.",
    "Pour info, la réunion est décalée à 14h.",
    "Saviez-vous que 80 % des travailleurs sociaux consultent leurs mails le soir ?",
    "Merci de m'avoir répondu si vite.",
    "Please find attached the minutes of yesterday's meeting.",
    "Envie d'une pause ? Profitez de -20 % sur nos séjours.",
    "Je reste à votre disposition pour tout complément.",
    "Ceci est un message automatique, merci de ne pas répondre.",
    "",
]


@pytest.mark.parametrize("kind", DETECTORS)
@pytest.mark.parametrize("text", REQUESTS_FR + REQUESTS_EN)
def test_requests_are_detected(text: str, kind: str) -> None:
    score, passages = DETECTORS[kind](text, "")
    assert score >= THRESHOLD, (text, score)
    assert passages, text


@pytest.mark.parametrize("kind", DETECTORS)
@pytest.mark.parametrize("text", NOT_REQUESTS)
def test_non_requests_are_not(text: str, kind: str) -> None:
    score, passages = DETECTORS[kind](text, "")
    assert score < THRESHOLD, (text, score)
    assert passages == []


def test_request_score_is_the_model() -> None:
    text = "Bonjour Sophie, tu pourras me renvoyer la grille d'évaluation ?"
    assert request_score(text) == DEFAULT_DETECTOR(text)


@pytest.mark.parametrize("kind", DETECTORS)
def test_passage_is_the_asking_sentence(kind: str) -> None:
    text = ("Bonjour Sophie,\n\nSuite à notre entretien, je vous transmets les éléments. "
            "Le dossier est complet.\n\nPourriez-vous me confirmer votre présence jeudi ?"
            "\n\nBien à vous,\nLéa")
    score, passages = DETECTORS[kind](text, "fr")
    assert score >= THRESHOLD
    assert passages == ["Pourriez-vous me confirmer votre présence jeudi ?"]


def test_best_passage_comes_first_and_abbreviations_do_not_split() -> None:
    text = ("Bonjour,\n\nJe vous transmets le dossier de M. Richard. Merci de me confirmer "
            "sa date de naissance. Pourriez-vous aussi appeler Mme. Dupont avant jeudi ?")
    score, passages = request_score(text, "fr")
    assert score >= THRESHOLD
    assert "Je vous transmets le dossier de M. Richard." in model_sentences(text)
    assert "Pourriez-vous aussi appeler Mme. Dupont avant jeudi ?" in passages
    scores = DEFAULT_DETECTOR.scorer.score_sentences(passages, "fr")  # type: ignore[union-attr]
    assert scores == sorted(scores, reverse=True)


def test_a_message_scores_as_its_most_asking_sentence() -> None:
    one = "Pouvez-vous m'appeler ?"
    weak = "Le dossier est complet. La famille est prévenue. Le juge a reçu le rapport."
    assert request_score(weak + " " + one)[0] == pytest.approx(request_score(one)[0], abs=1e-3)
    assert request_score(weak)[0] < THRESHOLD  # weak sentences do not add up to an ask


@pytest.mark.parametrize("kind", DETECTORS)
def test_question_marks_inside_urls_do_not_count(kind: str) -> None:
    text = "Le compte rendu est en ligne : https://intranet.exemple.fr/doc?id=12&v=3 bonne lecture."
    assert DETECTORS[kind](text)[0] < THRESHOLD


@pytest.mark.parametrize("kind", DETECTORS)
def test_score_is_bounded_and_adds_up(kind: str) -> None:
    detect = DETECTORS[kind]
    one = detect("Pouvez-vous m'appeler ?")[0]
    several = detect("Pouvez-vous m'appeler ? Merci de me renvoyer le formulaire. "
                     "Auriez-vous aussi le justificatif ?")[0]
    assert 0.0 <= one <= several <= 1.0


@pytest.mark.parametrize("kind", DETECTORS)
def test_long_text_is_capped(kind: str) -> None:
    text = "Ceci est une phrase neutre. " * 2000 + "Pouvez-vous répondre ?"
    score, passages = DETECTORS[kind](text)
    assert score < 0.1 and passages == []  # the ask is far beyond what is read


def test_sentences_per_message_are_bounded() -> None:
    text = "Ok. " * 900 + "Pouvez-vous répondre ?"
    assert len(model_sentences(text, max_chars=10**6)) == MAX_SENTENCES
    seen: list[str] = []

    class Spy:
        def score_sentences(self, sentences: list[str], lang: str) -> list[float]:
            seen.extend(sentences)
            return [0.0] * len(sentences)

    RequestDetector(scorer=Spy(), max_chars=10**6)(text)
    assert len(seen) == MAX_SENTENCES


def test_a_missing_model_falls_back_to_the_cues(tmp_path: Path,
                                                caplog: pytest.LogCaptureFixture) -> None:
    broken = tmp_path / "intent.json"
    broken.write_text("{not json", encoding="utf-8")
    for path in (tmp_path / "absent.json", broken):
        detector = RequestDetector(scorer=ModelScorer(path=path))
        text = "Pouvez-vous me rappeler demain ?"
        assert detector(text)[0] == pytest.approx(CUE_DETECTOR(text)[0])
        assert detector("Merci pour votre message.")[0] < THRESHOLD
    assert "request model unavailable" in caplog.text


def test_split_sentences() -> None:
    parts = split_sentences("Bonjour. Pouvez-vous venir ? Oui!\n\n- un point\n- un autre")
    assert parts[0] == "Bonjour."
    assert "Pouvez-vous venir ?" in parts


class _Model:
    """A stand-in for a learned sentence model: says yes to sentences with 'dossier'."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def score_sentences(self, sentences: list[str], lang: str) -> list[float]:
        self.seen.extend(sentences)
        return [0.9 if "dossier" in s else 0.0 for s in sentences]


def test_a_model_can_replace_the_cues() -> None:
    model = _Model()
    detector = RequestDetector(scorer=model)
    score, passages = detector("Le dossier est prêt. Il fait beau.", "fr")
    assert score == pytest.approx(0.9)
    assert passages == ["Le dossier est prêt."]
    assert model.seen == ["Le dossier est prêt.", "Il fait beau."]


def test_memo_gives_the_same_answers_and_stays_bounded() -> None:
    fresh = RequestDetector(memo_size=4)
    texts = ["Bonjour Madame. Pouvez-vous me rappeler ? Cordialement.",
             "Bonjour Madame. Je vous envoie le dossier. Cordialement.",
             "Could you call me? Thanks.", "Merci de me transmettre le formulaire."]
    first = [fresh(t) for t in texts]
    again = [fresh(t) for t in texts]
    assert first == again == [CUE_DETECTOR(t) for t in texts]
    assert len(fresh._memo) <= 4
    scorer = ModelScorer(memo_size=3)
    model = RequestDetector(scorer=scorer)
    assert [model(t) for t in texts] == [model(t) for t in texts] == [
        request_score(t) for t in texts]
    assert len(scorer._memo) <= 3


@pytest.mark.parametrize("kind", DETECTORS)
def test_no_evidence_is_zero(kind: str) -> None:
    assert DETECTORS[kind]("Bien reçu.") == (0.0, [])
    assert DETECTORS[kind]("") == (0.0, [])
