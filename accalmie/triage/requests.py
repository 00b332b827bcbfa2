"""Is somebody expecting an answer or an action? (the *réponse attendue* flag)

Detection works sentence by sentence, in French and English, so that the interface can show the
passage that asks something. The built-in scorer matches short word sequences (questions, polite
requests, imperatives, deadlines) and damps them with negative cues (marketing calls to action,
closing formulas such as "n'hésitez pas à me contacter", rhetorical openers). Matching works on
word tokens through a dictionary index rather than large regular expressions, because triage
must stay at tens of thousands of messages per second on one core.

A learned model can take the built-in scorer's place without touching the callers: anything
with ``score_sentences(sentences, lang)`` plugs into :class:`RequestDetector`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

MAX_CHARS = 4000  # the ask is near the top of a message; long tails are signatures and legal text
THRESHOLD = 0.5  # a sentence at or above this counts as a request

_URL = re.compile(r"(?:https?://|www\.)\S+", re.I)
_PUNCT = re.compile(r"[,;:.!?…()\[\]{}<>\"'’`«»“”*/\\|=+_#&@~^\-–—%$€]+")
_SPACES = re.compile(r"\s+")

# --- cue patterns ----------------------------------------------------------------------------
# A pattern is a sequence of space-separated elements; each element is one token:
#   a|b|c   one of these words          #      a number
#   ~inf    a French infinitive          !a|b   any token but these (or the end of the sentence)
# Apostrophes and hyphens split words: "j'aurais" -> "j aurais", "pourriez-vous" -> "pourriez
# vous". Text is lowercased first; accents are kept (both spellings are listed where clients or
# people drop them).
_DAYS_FR = "lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche"
_DAYS_EN = "monday|tuesday|wednesday|thursday|friday|saturday|sunday"
_IMP_FR = ("envoyez|rappelez|appelez|contactez|transmettez|confirmez|indiquez|précisez|dites|"
           "tenez|faites|retournez|renvoyez|communiquez|donnez|répondez|écrivez|passez|"
           "prévenez|informez|laissez|adressez|envoie|rappelle|appelle|transmets|confirme|"
           "indique|précise|dis|tiens|fais|renvoie|donne|réponds|écris|préviens|passe")

REQUEST_PATTERNS = (
    # French polite requests and questions by inversion
    "pourriez|pouvez|pourrais|peux|auriez|avez|voudriez|voulez|sauriez|accepteriez vous|tu",
    "pourrions|pouvons nous", "merci de me|nous|m|n ~inf", "merci de bien vouloir",
    "merci de ~inf",
    "merci d avance|par de|pour votre|ton retour|réponse", "je vous remercie|remercierais de",
    "je vous saurais gré|gre", "veuillez !agréer|agreer|croire|recevoir|accepter|trouver",
    "je vous prie de|d !agréer|agreer|croire|recevoir|accepter|trouver|excuser",
    "prière|priere de|d",
    "j aurais besoin", "nous aurions besoin", "j ai besoin de|d|que votre|ton|vous|tu|un|une",
    "est|serait il possible", "est ce que vous|tu", "est ce possible",
    "pensez|pense à|a me|nous|m|bien", "il faudrait|faut que vous|tu",
    "me faire parvenir", "me transmettre|retourner|renvoyer|rappeler|recontacter|confirmer|dire|"
    "préciser|indiquer|communiquer|envoyer", "me tenir informé|informée|informe|au",
    "nous faire parvenir", "nous transmettre|retourner|renvoyer|confirmer|indiquer|communiquer",
    f"{_IMP_FR} moi|nous", "dans l attente de votre|ton|vos retour|réponse|accord|avis|"
    "validation|confirmation|nouvelles", "qu en pensez|penses vous|tu",
    "votre avis sur|svp", "vos disponibilités|disponibilites",
    "vous avez|auriez intérêt|interet à|a|de", "tu as|aurais intérêt|interet à|a|de",
    "à|a me|nous retourner|renvoyer|transmettre|compléter", "svp", "s il vous|te plaît|plait",
    # English
    "please !find|see|note|accept|disregard|ignore|do",
    "could|can|would|will|might you|u",
    "let me|us know", "i|we need|needed you|your|to|a|the", "i|we would appreciate",
    "i|we would be grateful", "kindly", "get back to me|us", "your thoughts|feedback|input",
    "what do you think", "looking forward to your|hearing", "i|we d like you|your|to",
    "i|we would like you|your|to", "make sure you|to", "don t forget to", "remember to",
    "is it possible", "would it be possible", "are you available", "any update|updates on",
)
DEADLINE_PATTERNS = (
    f"avant le|la|ce|cette|demain|midi|{_DAYS_FR}|#",
    f"d ici le|la|à|a|demain|ce|cette|#|{_DAYS_FR}",
    "au plus tard|vite", "dès|des que possible", "urgent|urgente|urgence|urgemment",
    "rapidement", "sous huitaine|quinzaine|#", "date limite", "échéance", "dernier délai",
    f"by {_DAYS_EN}|tomorrow|tonight|noon|eod|cob|end|the|next|this|#", "asap",
    "no later than", "deadline", "as soon as possible", f"before {_DAYS_EN}|tomorrow|noon|#",
    "urgently", "today", "aujourd hui",
)
NEGATIVE_PATTERNS = (
    "cliquez ici|sur", "click here|below|on|the", "unsubscribe", "n hésitez|hesitez|hésite pas",
    "do not hesitate", "don t hesitate", "feel free", "version en ligne|web", "view in|on browser",
    "view it in", "profitez", "découvrez|decouvrez", "inscrivez vous", "rejoignez nous",
    "contactez nous", "suivez nous", "shop now", "sign up", "register now|today|here",
    "join us|now|today", "follow us", "si vous avez des|une|la|d questions|question|autres",
    "pour toute question|information|demande", "en cas de question|questions|besoin|difficulté",
    "if you have any|further|questions|question", "if you need any|anything|help|further",
    "message automatique", "ne pas répondre|repondre", "ne répondez|repondez pas",
    "do not reply", "automated message|email", "saviez vous", "did you know", "vous cherchez",
    "envie de|d", "looking for a|an", "offre spéciale", "newsletter", "infolettre",
    "webinaire|webinar", "free trial", "bonne lecture",
    "je reste à|a votre|ta disposition", "nous restons à|a votre disposition",
    "please find|see attached|enclosed|below", "veuillez trouver", "ci joint", "ci dessous",
    "please note", "for your information", "pour information|info", "fyi",
)
_NEGATIVE_PREFIXES = ("désinscri", "desinscri", "désabonn", "desabonn", "promo", "gratuit")
RHETORICAL_OPENERS = frozenset({
    "saviez", "envie", "want", "ready", "tired", "need", "looking", "besoin", "marre",
})
# Questions asked with these words count as requests only when the sentence ends with '?'.
QUESTION_PATTERNS = (
    "do|did|are|were|have|has|is|was|will you|u !know", "est ce que",
    "when|where|what|who|how|which can|could|do|does|did|is|are|should|would|will",
    "quand|où|ou|comment|quel|quelle|quels|quelles|combien|pourquoi",
)
IMPERATIVES_EN = frozenset(
    "send call review check confirm sign complete fill forward reply respond give tell email "
    "contact schedule attach provide update submit approve return bring prepare fix arrange "
    "ring phone advise ask print read".split())
# Words ending in -ez that open a sentence without asking anything (French vous-imperatives
# such as "Envoyez", "Débloquez" otherwise do ask).
NOT_IMPERATIVES_FR = frozenset({"chez", "assez", "notez", "sachez", "excusez", "pardonnez",
                                "profitez", "découvrez", "decouvrez", "retrouvez", "rejoignez",
                                "inscrivez", "cliquez", "suivez", "imaginez", "testez",
                                "téléchargez", "telechargez", "commandez", "économisez"})
_OPENERS = frozenset("so also and then just pls hi hello now ok okay but again".split())
_INF_STOP = frozenset({"votre", "vos", "ton", "ta", "tes", "la", "le", "les", "ce", "cette", "cet",
                       "tout", "toute", "leur", "leurs", "mon", "ma", "mes", "notre", "nos",
                       "avoir", "être", "etre"})
_INF_ENDINGS = ("er", "ir", "re", "oir")

_KIND_REQUEST, _KIND_DEADLINE, _KIND_NEGATIVE, _KIND_QUESTION = 1, 2, 4, 8


_Entry = tuple[frozenset[str] | None, tuple[object, ...], int]


def _compile(patterns: Sequence[str], kind: int, index: dict[str, list[_Entry]]) -> None:
    """Index patterns by first word; a plain second word is kept apart for a quick check."""
    for pat in patterns:
        elems = pat.split(" ")
        rest: list[object] = []
        for e in elems[1:]:
            if e == "#":
                rest.append("#")
            elif e == "~inf":
                rest.append("~inf")
            elif e.startswith("!"):
                rest.append(("!", frozenset(e[1:].split("|"))))
            else:
                rest.append(frozenset(e.split("|")))
        second = rest[0] if rest and isinstance(rest[0], frozenset) else None
        tail = tuple(rest[1:]) if second is not None else tuple(rest)
        for first in elems[0].split("|"):
            index.setdefault(first, []).append((second, tail, kind))


_INDEX: dict[str, list[_Entry]] = {}
_compile(REQUEST_PATTERNS, _KIND_REQUEST, _INDEX)
_compile(DEADLINE_PATTERNS, _KIND_DEADLINE, _INDEX)
_compile(NEGATIVE_PATTERNS, _KIND_NEGATIVE, _INDEX)
_compile(QUESTION_PATTERNS, _KIND_QUESTION, _INDEX)


def _matches(rest: tuple[object, ...], toks: list[str], j: int) -> bool:
    """Do the pattern elements ``rest`` match ``toks`` from position ``j`` on?"""
    n = len(toks)
    for elem in rest:
        if elem.__class__ is frozenset:
            if j >= n or toks[j] not in elem:  # type: ignore[operator]
                return False
        elif elem.__class__ is tuple:  # ("!", words): next token must not be one of these
            if j < n and toks[j] in elem[1]:  # type: ignore[index]
                return False
        elif elem == "#":
            if j >= n or not toks[j][:1].isdigit():
                return False
        else:  # ~inf
            if j >= n:
                return False
            tok = toks[j]
            if tok in _INF_STOP or not tok.endswith(_INF_ENDINGS) or len(tok) < 4:
                return False
        j += 1
    return True


def cues(toks: list[str]) -> int:
    """Bit set of the cue kinds found in one tokenised sentence."""
    found = 0
    get = _INDEX.get
    last = len(toks) - 1
    for i, tok in enumerate(toks):
        cands = get(tok)
        if cands is None:
            continue
        nxt = toks[i + 1] if i < last else None
        for second, tail, kind in cands:
            if found & kind:
                continue
            if second is not None:
                if nxt is None or nxt not in second:
                    continue
                if not tail or _matches(tail, toks, i + 2):
                    found |= kind
            elif not tail or _matches(tail, toks, i + 1):
                found |= kind
    return found


def score_tokens(toks: list[str], question: bool) -> float:
    """Score one sentence given its lowercased tokens and whether it ends with '?'."""
    if not toks:
        return 0.0
    found = cues(toks)
    score = 0.6 if question else 0.0
    if found & _KIND_REQUEST or (question and found & _KIND_QUESTION):
        score = max(score, 0.7) + (0.15 if question else 0.0)
    else:
        i = 1 if toks[0] in _OPENERS and len(toks) > 1 else 0
        first = toks[i]
        if first in IMPERATIVES_EN or (
                first.endswith("ez") and len(first) >= 5 and first not in NOT_IMPERATIVES_FR
                and (i + 1 >= len(toks) or toks[i + 1] != "vous")):  # not "rendez-vous"
            score = max(score, 0.55)
    if found & _KIND_DEADLINE:
        score = score + 0.2 if score else 0.3
    if score:
        if found & _KIND_NEGATIVE or any(t.startswith(_NEGATIVE_PREFIXES) for t in toks):
            score *= 0.35
        if question and not (found & _KIND_REQUEST) and toks[0] in RHETORICAL_OPENERS:
            score *= 0.5
        if len(toks) > 70:  # run-on legal or marketing paragraphs rarely carry a personal ask
            score *= 0.6
    return min(score, 1.0)


def _is_question(sentence: str) -> bool:
    return sentence.rstrip(" )»\"”\n\t").endswith("?")


def _mark(text: str, max_chars: int) -> str:
    """The text cut to ``max_chars``, URLs blanked, sentence ends marked with NUL.

    Plain string replacements, not a regular expression: this runs on every message.
    """
    t = text if len(text) <= max_chars else text[:max_chars]
    if "://" in t or "www." in t:
        t = _URL.sub(" ", t)  # a URL's '?' and dots are not sentence ends
    if "\r" in t:
        t = t.replace("\r", "")
    return (t.replace("?", "?\x00").replace("! ", "!\x00").replace(". ", ".\x00")
            .replace(".\n", ".\x00").replace("…", "…\x00").replace("\n\n", "\x00"))


def tokenise(text: str, max_chars: int = MAX_CHARS) -> tuple[list[str], list[list[str]]]:
    """Split into sentences: the original sentences and their lowercased word tokens.

    Sentence boundaries are marked on the whole text at once, so both lists stay aligned
    without per-sentence regex work.
    """
    marked = _mark(text, max_chars)
    originals = marked.split("\x00")
    toks = [s.split() for s in _PUNCT.sub(" ", marked.lower()).split("\x00")]
    return originals, toks


def split_sentences(text: str, max_chars: int = MAX_CHARS) -> list[str]:
    """Sentences of ``text`` with whitespace collapsed (for a model or for display)."""
    originals, toks = tokenise(text, max_chars)
    return [_SPACES.sub(" ", o).strip(" \t-*•·>") for o, t in zip(originals, toks, strict=True)
            if t]


class SentenceScorer(Protocol):
    """What a model must offer to replace the built-in cues: one score in [0, 1] per sentence."""

    def score_sentences(self, sentences: Sequence[str], lang: str) -> list[float]: ...


class CueScorer:
    """The built-in scorer: hand-written French and English cues, no training data."""

    def score_sentences(self, sentences: Sequence[str], lang: str) -> list[float]:
        out = []
        for sentence in sentences:
            originals, toks = tokenise(sentence)
            out.append(max((score_tokens(t, _is_question(o))
                            for o, t in zip(originals, toks, strict=True) if t), default=0.0))
        return out


def _combine(scores: Sequence[float]) -> float:
    """Noisy-or over the three best sentences: one clear ask suffices, weak hints add up."""
    ranked = sorted((s for s in scores if s > 0.0), reverse=True)[:3]
    miss = 1.0
    for s in ranked:
        miss *= 1.0 - min(s, 1.0)
    return round(1.0 - miss, 4)


@dataclass(frozen=True, slots=True)
class RequestDetector:
    """Sentence-level request detection; ``scorer=None`` uses the fast built-in cues.

    With the built-in cues, sentence scores are memoised: greetings, closing formulas and
    signatures recur in nearly every message, and a dictionary lookup is far cheaper than
    tokenising them again. The memo holds sentences in memory only, never on disk or in logs.
    """

    scorer: SentenceScorer | None = None
    threshold: float = THRESHOLD
    max_chars: int = MAX_CHARS
    max_passages: int = 3
    memo_size: int = 20_000
    _memo: dict[str, float] = field(default_factory=dict, repr=False, compare=False)

    def __call__(self, text: str, lang: str = "") -> tuple[float, list[str]]:
        if not text:
            return 0.0, []
        if self.scorer is not None:
            originals, toks = tokenise(text, self.max_chars)
            sentences = [_SPACES.sub(" ", o).strip() for o, t in zip(originals, toks,
                                                                     strict=True) if t]
            scores = list(self.scorer.score_sentences(sentences, lang))
            passages = [s for s, sc in zip(sentences, scores, strict=True)
                        if sc >= self.threshold]
            return _combine(scores), passages[:self.max_passages]
        memo = self._memo
        scores = []
        passages = []
        for orig in _mark(text, self.max_chars).split("\x00"):
            sc = memo.get(orig)
            if sc is None:
                toks = _PUNCT.sub(" ", orig.lower()).split()
                sc = score_tokens(toks, _is_question(orig)) if toks else 0.0
                if len(memo) >= self.memo_size:
                    memo.clear()
                memo[orig] = sc
            if sc > 0.0:
                scores.append(sc)
                if sc >= self.threshold and len(passages) < self.max_passages:
                    passages.append(_SPACES.sub(" ", orig).strip(" \t-*•·>"))
        return _combine(scores), passages


DEFAULT_DETECTOR = RequestDetector()


def request_score(text: str, lang: str = "") -> tuple[float, list[str]]:
    """Score in [0, 1] that ``text`` asks the reader for something, and the asking passages."""
    return DEFAULT_DETECTOR(text, lang)
