"""Language of a message, from a short sample of its new text.

Triage only needs to know which language a message is written in to read requests and hostility
in French or English, so a compact method does: scripts other than Latin are recognised by their
characters, and Latin-script languages by their most frequent function words (articles,
pronouns, prepositions, courtesy words), which dominate any real sentence. This costs a few
kilobytes and a few microseconds per message: every worker process of a large triage holds it,
where an n-gram model would cost tens of megabytes each.
"""

from __future__ import annotations

import re

SAMPLE_CHARS = 400
MIN_LETTERS = 24
MIN_HITS = 2  # function words needed to name a Latin-script language
MARGIN = 1.25  # the best language must lead the next one by this factor

_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_EMAIL = re.compile(r"[\w.+-]+@[\w.-]+")
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")

_FUNCTION_WORDS = {
    "fr": "le la les de des du un une et est en que qui pour pas vous nous je il elle ne sur "
          "dans au aux ce cette avec mais ou sont par plus son sa ses mon ma mes votre vos notre "
          "été être avoir fait très bien merci bonjour madame monsieur cordialement nos leur "
          "j'ai c'est n'est d'un d'une l'on qu'il",
    "en": "the and of to in is you that it for was on are with as this be at have from or by "
          "not your we an but all can will my if me our please thank thanks would could should "
          "there their they has had been hi dear regards i'm it's don't",
    "de": "der die das und ist nicht ich sie es ein eine zu den mit von sich auf für dem des im "
          "auch wir bitte ihr ihre sind wird haben oder aber danke ihnen uns noch nach wie bei "
          "guten tag vielen gruß grüßen",
    "es": "el la los las de que y en un una es por con para no se lo le su sus al del como más "
          "pero muy gracias usted está son este esta hola saludos nos favor también hay",
    "it": "il lo la gli le di che e è un una per non con si sono del della al alla come più ma "
          "anche grazie questo questa ho hai buongiorno cordiali saluti nel dei delle",
    "pt": "o a os as de que e do da em um uma para com não por se mais na no dos das você "
          "obrigado obrigada muito mas foi está são olá atenciosamente pelo pela",
    "nl": "de het een en van ik is dat niet je met op te zijn voor er maar wij we ook als bij "
          "dank u uw naar dit wordt hebben groeten",
}
_WORDS: dict[str, frozenset[str]] = {
    lang: frozenset(words.split()) for lang, words in _FUNCTION_WORDS.items()}

# Scripts that name their language (or family) by themselves.
_SCRIPTS = (
    ("ja", re.compile(r"[\u3040-\u30ff]")),  # kana: Japanese even among kanji
    ("ko", re.compile(r"[\uac00-\ud7af]")),
    ("zh", re.compile(r"[\u4e00-\u9fff]")),
    ("ar", re.compile(r"[\u0600-\u06ff]")),
    ("he", re.compile(r"[\u0590-\u05ff]")),
    ("el", re.compile(r"[\u0370-\u03ff]")),
    ("uk", re.compile(r"[ієїґІЄЇҐ]")),
    ("ru", re.compile(r"[\u0400-\u04ff]")),
)


def sample(text: str) -> str:
    """The prose part of a text: its words, without URLs, addresses, numbers or markup."""
    head = text[: SAMPLE_CHARS * 4]
    if "://" in head or "www." in head or "WWW." in head:
        head = _URL.sub(" ", head)
    if "@" in head:
        head = _EMAIL.sub(" ", head)
    return " ".join(_WORD.findall(head))[:SAMPLE_CHARS]


def detect_language(text: str) -> str:
    """ISO 639-1 code of the text's language, or '' when there is too little text to tell."""
    prose = sample(text)
    letters = len(prose) - prose.count(" ")
    if letters < MIN_LETTERS:
        return ""
    for lang, script in _SCRIPTS:
        if len(script.findall(prose)) * 3 >= letters:
            return lang
    words = prose.lower().replace("’", "'").split()
    scores = {lang: sum(w in vocab for w in words) for lang, vocab in _WORDS.items()}
    ranked = sorted(scores.items(), key=lambda kv: -kv[1])
    (best, top), (_second, runner_up) = ranked[0], ranked[1]
    if top < MIN_HITS or top < runner_up * MARGIN:
        return ""
    return best
