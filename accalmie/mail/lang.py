"""Language of a message, from a short sample of its new text.

py3langid's n-gram walk runs in Python at about one microsecond per byte, so only a sample of a
few hundred characters is classified: enough for a reliable answer on real prose, and a bounded
cost per message. The candidate set is restricted to languages a French or European mailbox
actually meets, which makes short texts far less likely to be labelled with an exotic language.
The model (about a second to load) is loaded once per process, on first use.
"""

from __future__ import annotations

import re
import threading
from typing import Any

LANGUAGES = ("fr", "en", "de", "es", "it", "pt", "nl", "ca", "br", "ro", "pl", "cs", "sv", "da",
             "no", "fi", "el", "ru", "uk", "tr", "ar", "he", "zh", "ja", "ko", "vi")
SAMPLE_CHARS = 240
MIN_LETTERS = 24
MIN_CONFIDENCE = 0.5

_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_EMAIL = re.compile(r"[\w.+-]+@[\w.-]+")
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
_lock = threading.Lock()
_identifier = None


def _get_identifier() -> Any:
    global _identifier
    if _identifier is None:
        with _lock:
            if _identifier is None:
                from py3langid.langid import MODEL_FILE, LanguageIdentifier

                ident = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
                ident.set_languages(list(LANGUAGES))
                _identifier = ident
    return _identifier


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
    if len(prose) - prose.count(" ") < MIN_LETTERS:
        return ""
    try:
        lang, confidence = _get_identifier().classify(prose)
    except Exception:  # a model failure must not stop the parse
        return ""
    return lang if confidence >= MIN_CONFIDENCE and lang in LANGUAGES else ""
