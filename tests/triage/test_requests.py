"""Request detection (réponse attendue): French and English, examples and non-examples."""

from __future__ import annotations

import pytest

from accalmie.triage.requests import (
    THRESHOLD,
    RequestDetector,
    request_score,
    split_sentences,
)

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


@pytest.mark.parametrize("text", REQUESTS_FR + REQUESTS_EN)
def test_requests_are_detected(text: str) -> None:
    score, passages = request_score(text, "")
    assert score >= THRESHOLD, (text, score)
    assert passages, text


@pytest.mark.parametrize("text", NOT_REQUESTS)
def test_non_requests_are_not(text: str) -> None:
    score, passages = request_score(text, "")
    assert score < THRESHOLD, (text, score)
    assert passages == []


def test_passage_is_the_asking_sentence() -> None:
    text = ("Bonjour Sophie,\n\nSuite à notre entretien, je vous transmets les éléments. "
            "Le dossier est complet.\n\nPourriez-vous me confirmer votre présence jeudi ?"
            "\n\nBien à vous,\nLéa")
    score, passages = request_score(text, "fr")
    assert score >= THRESHOLD
    assert passages == ["Pourriez-vous me confirmer votre présence jeudi ?"]


def test_question_marks_inside_urls_do_not_count() -> None:
    text = "Le compte rendu est en ligne : https://intranet.exemple.fr/doc?id=12&v=3 bonne lecture."
    assert request_score(text)[0] < THRESHOLD


def test_score_is_bounded_and_adds_up() -> None:
    one = request_score("Pouvez-vous m'appeler ?")[0]
    several = request_score("Pouvez-vous m'appeler ? Merci de me renvoyer le formulaire. "
                            "Auriez-vous aussi le justificatif ?")[0]
    assert 0.0 <= one <= several <= 1.0


def test_long_text_is_capped() -> None:
    text = "Ceci est une phrase neutre. " * 2000 + "Pouvez-vous répondre ?"
    assert request_score(text)[0] == 0.0  # the ask is far beyond what is read


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
    assert first == again == [request_score(t) for t in texts]
    assert len(fresh._memo) <= 4
