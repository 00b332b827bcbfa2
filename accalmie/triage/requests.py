"""Is somebody expecting an answer or an action? (the *réponse attendue* flag)

Detection works sentence by sentence, in French and English, so that the interface can show the
passage that asks something; a message scores as its most asking sentence. The default scorer
is a small learned model (:class:`IntentModel`: a logistic regression over word n-grams and
language-independent cue families, weights in ``accalmie/data/models/intent.json``, trained by
``scripts/train_intent.py`` on English labelled sentences and the project's own French ones).
The hand-written cues below (questions, polite requests, imperatives, deadlines, damped by
marketing calls to action and closing formulas such as "n'hésitez pas à me contacter") are
both the model's fallback when its file is unusable and the source of its cue families.
Matching works on word tokens through a dictionary index rather than large regular
expressions, because triage must stay fast on one core.

Anything with ``score_sentences(sentences, lang)`` plugs into :class:`RequestDetector`.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
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


def cues(toks: list[str], index: dict[str, list[_Entry]] | None = None) -> int:
    """Bit set of the cue kinds found in one tokenised sentence (built-in cues by default)."""
    found = 0
    get = (_INDEX if index is None else index).get
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


# --- the learned sentence model --------------------------------------------------------------
# A logistic regression over binary features of one sentence: word unigrams and bigrams, its
# first words, its length, and language-independent cue families (a polite request, a question
# to the reader, a deadline, a courtesy formula…) found by French and English phrase lists, so
# that what is learned from English labelled sentences carries over to French. Weights live in
# a small JSON file (no pickle); training is scripts/train_intent.py.

MODEL_PATH = Path(__file__).resolve().parents[1] / "data" / "models" / "intent.json"
MODEL_FORMAT = "accalmie-intent/1"
MAX_SENTENCES = 80  # sentences scored per message: bounded work whatever the input
NO_EVIDENCE = 0.1  # a model's message score under this is noise, reported as 0 (no ask found)
MAX_SENTENCE_CHARS = 600  # a longer "sentence" is a paragraph without punctuation: cut it

_F_URL = re.compile(r"(?:https?://|www\.)\S+|\$link\b|[\w.+-]+@[\w-]+\.[\w.-]+", re.I)
_F_NUM = re.compile(r"\d+(?:[.,:/h-]\d+)*")
_F_TOK = re.compile(r"_url_|_num_|[^\W\d_]+(?:'[^\W\d_]+)*'?|[?!$%€:,;()]")
_UPPER = re.compile(r"[A-ZÀ-ÖØ-Þ]")
_LOWER = re.compile(r"[a-zß-öø-ÿ]")
_APOS = str.maketrans({"’": "'", "`": "'", "ʼ": "'", "‘": "'"})
_FOLD = str.maketrans({"à": "a", "â": "a", "ä": "a", "á": "a", "é": "e", "è": "e", "ê": "e",
                       "ë": "e", "î": "i", "ï": "i", "í": "i", "ô": "o", "ö": "o", "ó": "o",
                       "ù": "u", "û": "u", "ü": "u", "ú": "u", "ÿ": "y", "ç": "c", "ñ": "n",
                       "œ": "oe", "æ": "ae"})
_ELISIONS = frozenset({"l", "d", "j", "m", "t", "s", "n", "c", "qu", "jusqu", "lorsqu",
                       "puisqu", "quoiqu", "presqu"})
_SKIP_FIRST = frozenset(
    "so also and then just pls plz please kindly hi hello hey now ok okay but again oh well "
    "anyway bonjour bonsoir salut coucou alors donc sinon stp svp et puis bon re".split())

# Single words that mark a cue family (accents folded, lowercase).
_WORD_CUES: dict[str, frozenset[str]] = {
    "you": frozenset("you your yours yourself u ur vous votre vos tu te t' ton ta tes toi".split()),
    "me": frozenset("i me my we us our je j' me m' moi mon ma mes nous notre nos".split()),
    "please": frozenset("please pls plz kindly svp stp".split()),
    "deadline": frozenset(
        "asap today tomorrow tonight deadline eod cob urgent urgently soon noon monday tuesday "
        "wednesday thursday friday saturday sunday demain aujourd'hui urgence urgente urgemment "
        "rapidement vite midi lundi mardi mercredi jeudi vendredi samedi dimanche "
        "echeance".split()),
    "web": frozenset(
        "click tap download unsubscribe subscribe login browser link app website cliquez "
        "cliquer lien telechargez telecharger desinscrire desabonner connectez application "
        "site newsletter infolettre webinaire webinar".split()),
    "market": frozenset(
        "free offer offers deal deals save sale discount shop buy win exclusive limited trial "
        "premium coupon upgrade gratuit gratuite offre offres promo promotion reduction "
        "profitez decouvrez inscrivez abonnez reservez exclusif soldes cadeau".split()),
    "thanks": frozenset("thanks thank merci remerciements".split()),
    "neg": frozenset("not no never don't doesn't didn't won't can't n' ne pas jamais aucun "
                     "aucune rien".split()),
}
# Function words telling French sentences from English ones (accents folded; ambiguous words
# such as "me", "a", "on" left out).
_FRENCH_WORDS = frozenset(
    "le la les des du de d' et est une un pour pas vous nous je j' tu que qui qu' dans sur avec "
    "ce cette merci votre vos mon ma mes au aux l' n' c' m' s' t' ne il elle ils sont suis "
    "avez avons ai etes ou mais si en cela ca tout tres aussi avant apres demain bonjour "
    "pouvez pourriez peux pourrais moi toi".split())
_ENGLISH_WORDS = frozenset(
    "the an of to is are was were be been have has had do does did will would can could "
    "should i you he she it we they this that these those my your his her our their not with "
    "for from at by and or but if so please thanks what when".split())
_WH = frozenset("what when where who whom whose which why how quand ou comment pourquoi quel "
                "quelle quels quelles combien qui que qu'".split())
_VERBS_EN = frozenset(
    "accept add advise allow answer apply approve arrange ask attach attend avoid book bring buy "
    "call cancel change check choose clarify click come comment complete confirm consider "
    "contact continue copy correct coordinate cover create deal decide delete deliver describe "
    "discuss do download draft drop email enjoy ensure enter explain fax feel fill find finish "
    "fix follow forward get give go grab help hold include inform insert install join keep let "
    "list look mail make meet move note notify obtain open order pass pay pick plan play post "
    "prepare print proceed provide put read reach register remember remind remove reply report "
    "request reschedule reserve respond return review revise ring run save schedule see select "
    "sell send set share shop show sign start stop submit subscribe take talk tell text think "
    "try turn update upgrade upload use verify visit wait watch write".split())
_VERBS_FR_TU = frozenset(
    "envoie rappelle appelle transmets confirme indique precise dis fais tiens passe donne "
    "reponds ecris previens pense regarde relis verifie previens reviens garde mets prends "
    "signe remplis complete joins laisse contacte".split())
_NOT_IMP_FR = frozenset(NOT_IMPERATIVES_FR | {"decouvrez", "telechargez", "economisez", "rendez",
                                              "chez", "nez", "abonnez", "reservez"})

# Phrases for each cue family, in the pattern language of the built-in cues above, on the
# model's tokens (accents folded, elisions split: "j' aurais", "s' il"; "<s>" opens the
# sentence). A dictionary index by first word finds them all in one pass over the tokens.
PHRASES: dict[str, tuple[str, ...]] = {
    "please": (
        "merci de|d' !votre|vos|ton|ta|tes|la|le|les|l'|ce|cette|cet|m'|nous|ne|n'|rien|tout",
        "merci de|d' m'|nous !avoir", "s' il vous|te plait", "je vous prie de !m'",
        "je vous prie de m' !excuser", "je vous prie d' !agreer|accepter",
        "veuillez !agreer|trouver|croire|recevoir|accepter|noter",
        "je|nous vous remercie|remercions|remercierais|remercierions de|d' "
        "!votre|vos|ce|cette|la|le|l'|m'|nous",
        "je|nous vous remercie|remercions|remercierais|remercierions de|d' m'|nous !avoir",
        "priere de|d'", "merci par|d' avance", "je vous saurais gre", "vous voudrez bien",
        "auriez|aurais vous|tu la gentillesse"),
    "modal_you": (
        "<s> can|could|would|will|won't|might|may|should|do|did|are|were|have|has|is|can't|"
        "couldn't|wouldn't you|u",
        "pouvez|pourriez|voulez|voudriez|auriez|avez|sauriez|accepteriez|seriez|etes|savez|"
        "souhaitez|confirmez|pourrais|peux|veux|voudrais|aurais|as|sais|es|pourrions|pouvons|"
        "confirmes|pourrez|pourras vous|tu", "est ce que|qu' vous|tu|il|elle|on",
        "vous pouvez|pourriez|auriez|pourrez", "tu peux|pourrais|aurais|pourras",
        "vous|tu voulez|veux bien",
        "est|serait il possible", "would it be possible", "is it possible",
        "are you available", "est ce possible"),
    "to_me": (
        "let me|us know", "get back to me|us", "keep me posted|informed",
        "your thoughts|feedback|input|comments", "what do you think", "any thoughts",
        "any update|updates", "tenez|tiens moi au courant", "me tenir au courant",
        "me tenir informe|informee|informes|informees", "votre|ton retour|avis|reponse|accord",
        "qu' en pensez|penses", "dans l' attente", "revenez|reviens vers moi",
        "faites|fais moi signe",
        "me|nous dire|confirmer|preciser|communiquer|transmettre|retourner|renvoyer|indiquer|"
        "adresser|envoyer|rappeler|recontacter", "me|nous faire savoir|parvenir",
        "m' envoyer|indiquer|adresser|aider|appeler|accorder|eclairer",
        "envoyez|envoie|rappelez|rappelle|appelez|appelle|dites|dis|donnez|donne|confirmez|"
        "confirme|indiquez|indique|transmettez|transmets moi|nous"),
    "desire": (
        "i|we need|needed|want|wanted", "i'd|we'd like|love|appreciate",
        "i|we would like|love|appreciate", "was wondering", "wondering if",
        "would be great|helpful|appreciated|nice|ideal", "j' aurais|ai besoin",
        "nous avons|aurions besoin", "je souhaiterais|souhaite|voudrais|sollicite",
        "je voulais savoir", "nous voudrions|souhaitons|souhaiterions", "il me faut|faudrait",
        "je|nous vous|te demande|demandons|demanderai|demanderais|demanderions",
        "je me permets de vous|te relancer|revenir",
        "je vous serais reconnaissant|reconnaissante", "j' attends votre|ton|vos|tes",
        "je compte sur"),
    "you_need": (
        "need|want you", "like you to", "you need|have to", "you should|must",
        "you may|might want", "you'll need", "you will need", "make sure", "don't forget",
        "remember to", "vous devez|devriez", "tu dois|devrais",
        "il faut|faudrait que|qu' vous|tu|on", "il vous faut|appartient",
        "vous avez interet", "tu as interet", "n' oubliez|oublie pas", "<s> pensez|pense a",
        "il serait bon que", "je vous|t' invite a", "je vous|te laisse"),
    "suggest": (
        "i|we suggest|recommend|propose", "we should", "let's", "<s> lets", "why don't|not",
        "how about", "shall we", "je propose", "je vous|te propose", "on pourrait",
        "nous pourrions", "pourquoi ne pas", "et si on", "<s> on se|maintient|fait"),
    "courtesy": (
        "feel free", "don't hesitate", "do not hesitate", "do not reply", "don't reply",
        "n' hesitez|hesite pas", "ne pas repondre", "ne repondez pas",
        "je|nous reste|restons", "pour toute question|information|demande", "en cas de|d'",
        "if you have|need any", "any questions", "si vous avez des questions", "si besoin",
        "please find|see attached|enclosed|below", "ci joint|jointe|joints|jointes",
        "vous trouverez", "tu trouveras", "pour info|information", "for your information",
        "fyi", "veuillez agreer|trouver|recevoir|croire", "je vous prie d' agreer|accepter",
        "merci de ne", "merci de|pour votre|ta|vos",
        "pour les situations|questions|demandes|cas urgents|urgentes", "en mon absence",
        "in my absence", "out of office", "out of the office"),
    "commit": (
        "i|we will|shall", "i'll", "we'll", "i'm|we're going to", "i|we am|are going to",
        "je vais", "nous allons", "on va",
        "je vous|te|t' enverrai|tiendrai|tiens|rappelle|appellerai|contacterai|fais|ferai|"
        "envoie|prepare|preparerai|transmets|transmettrai|joins",
        "je m' occupe", "nous vous reviendrons|contacterons|enverrons",
        "nous reviendrons|contacterons|enverrons"),
    "reported": (
        "m'|nous|lui|leur|l' a demande", "se demande", "m' a dit", "asked|told me|us|him|her",
        "he|she|they asked", "wants to know"),
    "rhetorical": (
        "<s> vous|tu cherchez|cherches|souhaitez|souhaites", "<s> envie de|d'", "<s> saviez vous",
        "<s> marre de|d'", "<s> besoin d' aide", "<s> des|une questions|question", "<s> et si",
        "<s> vous aussi", "<s> looking for", "<s> want to", "<s> ready to|for",
        "<s> tired of", "<s> did you know", "<s> need help|a|an|more", "<s> questions"),
    "cond": ("<s> if|unless|si", "<s> s' il|ils !vous|te", "in case", "<s> should you",
             "en|au cas"),
    "deadline": (
        "avant le|la|ce|cette|demain|midi|_num_|lundi|mardi|mercredi|jeudi|vendredi",
        "au plus tard|vite", "des que possible", "d' ici", "sous huitaine",
        "as soon as possible", "by the end", "by end of",
        "by eod|cob|_num_|tomorrow|monday|tuesday|wednesday|thursday|friday", "no later than",
        "date limite", "dernier delai"),
}
_FAMILIES = tuple(PHRASES)
_PHRASE_INDEX: dict[str, list[_Entry]] = {}
for _bit, _name in enumerate(_FAMILIES):
    _compile(PHRASES[_name], 1 << _bit, _PHRASE_INDEX)


def sentence_tokens(sentence: str) -> list[str]:
    """Lowercased, accent-folded word tokens with URLs, addresses and numbers as placeholders.

    French elisions are split ("j'aurais" -> "j'", "aurais"), English contractions kept
    ("don't"), hyphens split ("pouvez-vous" -> "pouvez", "vous").
    """
    s = sentence[:MAX_SENTENCE_CHARS].translate(_APOS).lower()
    if "@" in s or "://" in s or "www." in s or "$link" in s:
        s = _F_URL.sub(" _url_ ", s)
    s = _F_NUM.sub(" _num_ ", s.translate(_FOLD))
    out: list[str] = []
    for tok in _F_TOK.findall(s):
        if "'" in tok:
            head, _, rest = tok.partition("'")
            if head in _ELISIONS and rest:
                out.append(head + "'")
                tok = rest
        out.append(tok)
    return out


def sentence_features(sentence: str) -> tuple[list[str], list[str]]:
    """The model's features of one sentence: (lexical n-grams, cue families)."""
    t = sentence_tokens(sentence)
    grams = ["w:" + w for w in t]
    b = ["<s>", *t, "</s>"]
    grams += ["b:" + b[i] + "_" + b[i + 1] for i in range(len(b) - 1)]
    words = [w for w in t if w[0].isalpha() or w[0] == "_"]
    grams.append("f1:" + (words[0] if words else ""))
    grams.append("f2:" + "_".join(words[:2]))
    grams.append("f3:" + "_".join(words[:3]))
    grams.append(f"len:{min(len(t) // 5, 8)}")
    end = sentence.rstrip(" )\"'”»\t\r\n")
    question = end.endswith("?")
    cues_found = ["q" if question else "nq"]
    if words:
        i = 0
        if len(words) > 2 and len(t) > 3 and t[1] == "," and t[0] == words[0]:
            words = words[1:]  # "Julie, peux-tu…" / "Larry, go get 'em": skip the vocative
        while i < min(len(words) - 1, 3) and words[i] in _SKIP_FIRST:
            i += 1
        first = words[i]
        nxt = words[i + 1] if i + 1 < len(words) else ""
        if first in _VERBS_EN or first in _VERBS_FR_TU or (
                first.endswith("ez") and len(first) >= 5 and first not in _NOT_IMP_FR
                and nxt not in ("vous", "-vous")):
            cues_found.append("imp")
        ws = set(words)
        for name, vocab in _WORD_CUES.items():
            if not vocab.isdisjoint(ws):
                cues_found.append(name)
        if question:
            cues_found.append("q_you" if "you" in cues_found else "q_noyou")
            if first in _WH or words[0] in _WH:
                cues_found.append("q_wh")
        found = cues(["<s>", *words], _PHRASE_INDEX)
        if found:
            cues_found += ["p_" + name for bit, name in enumerate(_FAMILIES) if found >> bit & 1]
        if "p_please" in cues_found and "thanks" in cues_found:
            cues_found.remove("thanks")  # "merci de me rappeler" asks, it does not thank
        if len(_FRENCH_WORDS.intersection(ws)) > len(_ENGLISH_WORDS.intersection(ws)):
            cues_found += ["fr_" + c for c in cues_found]  # French may weigh a cue differently
    head = sentence[:MAX_SENTENCE_CHARS]
    upper = len(_UPPER.findall(head))
    if upper > 8 and upper > 1.5 * len(_LOWER.findall(head)):
        cues_found.append("caps")  # shouting, mostly marketing
    if "!" in sentence:
        cues_found.append("excl")
    return grams, cues_found


def sentence_key(sentence: str) -> str:
    """A short stable fingerprint of a sentence (case and spacing ignored).

    The model file keeps these for its training sentences, so an evaluation can tell how much
    of a test file the model has already seen, without the file holding the sentences.
    """
    norm = " ".join(sentence.lower().split())
    return hashlib.blake2b(norm.encode("utf-8", "replace"), digest_size=8).hexdigest()


class ModelError(ValueError):
    """The model file is missing, unreadable or not an intent model."""


@dataclass(frozen=True, slots=True)
class IntentModel:
    """Weights of the sentence model, and what it was trained on (fingerprints only)."""

    bias: float
    grams: dict[str, float]
    cues: dict[str, float]
    training_keys: frozenset[str] = frozenset()
    meta: dict[str, object] = field(default_factory=dict)

    def logit(self, sentence: str) -> float:
        grams, found = sentence_features(sentence)
        uniq = set(grams)
        get = self.grams.get
        acc = 0.0
        for g in uniq:
            acc += get(g, 0.0)
        z = self.bias + acc / math.sqrt(len(uniq))
        cget = self.cues.get
        for c in found:
            z += cget(c, 0.0)
        return z

    def probability(self, sentence: str) -> float:
        z = self.logit(sentence)
        if z < -30.0:
            return 0.0
        return 1.0 / (1.0 + math.exp(-z))

    def to_json(self) -> str:
        return json.dumps({
            "format": MODEL_FORMAT, "meta": self.meta, "bias": round(self.bias, 6),
            "cues": {k: round(v, 6) for k, v in sorted(self.cues.items())},
            "grams": {k: round(v, 5) for k, v in sorted(self.grams.items()) if abs(v) >= 5e-6},
            "training_keys": sorted(self.training_keys),
        }, ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> IntentModel:
        try:
            raw = json.loads(text)
            if raw.get("format") != MODEL_FORMAT:
                raise ModelError(f"not an intent model ({raw.get('format')!r})")
            return cls(float(raw["bias"]),
                       {str(k): float(v) for k, v in raw["grams"].items()},
                       {str(k): float(v) for k, v in raw["cues"].items()},
                       frozenset(str(k) for k in raw.get("training_keys", ())),
                       dict(raw.get("meta", {})))
        except ModelError:
            raise
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise ModelError(f"unreadable intent model: {exc}") from None


def load_model(path: Path | str = MODEL_PATH) -> IntentModel:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise ModelError(f"cannot read {path}: {exc.strerror or exc}") from None
    return IntentModel.from_json(text)


class ModelScorer:
    """The learned scorer, loaded on first use; falls back to the cues if the file is bad.

    Scores are memoised per sentence (bounded): greetings, closings and signatures recur in
    nearly every message. The memo lives in memory only, never on disk or in logs.
    """

    def __init__(self, model: IntentModel | None = None, path: Path | str = MODEL_PATH,
                 memo_size: int = 20_000) -> None:
        self._model = model
        self._path = path
        self._failed = False
        self._memo: dict[str, float] = {}
        self.memo_size = memo_size

    @property
    def model(self) -> IntentModel | None:
        if self._model is None and not self._failed:
            try:
                self._model = load_model(self._path)
            except ModelError as exc:
                self._failed = True
                logging.getLogger("accalmie").warning(
                    "request model unavailable, using the built-in cues: %s", exc)
        return self._model

    def score_sentences(self, sentences: Sequence[str], lang: str) -> list[float]:
        model = self.model
        if model is None:
            return CueScorer().score_sentences(sentences, lang)
        memo = self._memo
        out = []
        for s in sentences:
            p = memo.get(s)
            if p is None:
                p = model.probability(s)
                if len(memo) >= self.memo_size:
                    memo.clear()
                memo[s] = p
            out.append(p)
        return out


_ABBREV_END = re.compile(r"(?:^|[\s(])(?:M|MM|Mme|Mmes|Mlle|Dr|Pr|Me|Mr|Mrs|Ms|St|Ste|cf|"
                         r"art|Tél|Tel|tél|tel|[A-Z])\.$")


def model_sentences(text: str, max_chars: int = MAX_CHARS) -> list[str]:
    """Sentences for the model: split as for the cues, but "M. Richard" stays whole.

    At most ``MAX_SENTENCES``: the work per message is bounded whatever the input.
    """
    originals, toks = tokenise(text, max_chars)
    out: list[str] = []
    for o, t in zip(originals, toks, strict=True):
        if not t:
            continue
        piece = _SPACES.sub(" ", o).strip(" \t-*•·>")
        if out and _ABBREV_END.search(out[-1]):
            out[-1] += " " + piece
        elif len(out) >= MAX_SENTENCES:
            break
        else:
            out.append(piece)
    return out


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

    With a scorer (the learned model), the message score is the best sentence's: the model's
    probabilities are calibrated per sentence, and adding up weak sentences would flag every
    long message. With the built-in cues, scores are memoised and combined by a noisy-or (one
    clear ask suffices, weak hints add up). Work is bounded: ``max_chars`` of text and
    ``MAX_SENTENCES`` sentences at most.
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
            sentences = model_sentences(text, self.max_chars)
            scores = list(self.scorer.score_sentences(sentences, lang))
            ranked = sorted(((sc, i) for i, sc in enumerate(scores) if sc >= self.threshold),
                            key=lambda p: (-p[0], p[1]))
            passages = [sentences[i] for _, i in ranked[:self.max_passages]]
            best = max(scores, default=0.0)
            return (round(best, 4) if best >= NO_EVIDENCE else 0.0), passages
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


CUE_DETECTOR = RequestDetector()
DEFAULT_DETECTOR = RequestDetector(scorer=ModelScorer())


def request_score(text: str, lang: str = "") -> tuple[float, list[str]]:
    """Score in [0, 1] that ``text`` asks the reader for something, and the asking passages.

    Uses the learned sentence model shipped with Accalmie (the built-in cues if its file is
    missing or damaged).
    """
    return DEFAULT_DETECTOR(text, lang)
