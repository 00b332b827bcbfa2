"""The words of a message, computed once for every text signal and the learned model.

Only the subject and the first :data:`TEXT_CHARS` characters of the new text are read: lures
sit at the top, and a bound here bounds the work of every text check.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from accalmie.mail.model import Message

TEXT_CHARS = 3000
_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
# Years, dates and times: in the corpora at hand they tell the era, not the intent.
_YEAR = re.compile(r"\b(?:(?:19[89]|20[0-4])\d|\d{1,2}[:/.h-]\d{2}(?:[:/.-]\d{2,4})?)\b")


@dataclass(frozen=True, slots=True)
class TextView:
    low: str  # subject + start of the body, lowercased, typographic apostrophes folded
    words: tuple[str, ...]  # ASCII-folded tokens of ``low``
    vocab: frozenset[str]  # the words and word pairs ("your account") present
    body_chars: int  # length of the whole readable text


def ascii_fold(text: str) -> str:
    """Accents off and look-alike letters (𝗺𝗮𝘁𝗵 alphabets, full width) to ASCII."""
    if text.isascii():
        return text
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


_CAPS = re.compile(r"\b[A-Z]{4,}\b")


def _shape(low: str, raw: str) -> list[str]:
    """How the text shouts, in any language: amounts, percentages, exclamation marks,
    capitals. Markers start with '_' so that no word can collide with them."""
    marks = []
    if "%" in low:
        marks.append("_pct")
    if "€" in low or "$" in low or "£" in low:
        marks.append("_cur")
    n = low.count("!")
    if n:
        marks.append("_excl" if n < 3 else "_excl3")
    caps = len(_CAPS.findall(raw))
    if caps:
        marks.append("_caps" if caps < 5 else "_caps5")
    return marks


def text_view(msg: Message) -> TextView:
    body = (msg.new_text or msg.text)[:TEXT_CHARS]
    low = f"{msg.subject[:300]}\n{body}".lower().replace("\u2019", "'")
    words = tuple(_TOKEN.findall(_YEAR.sub(" ", ascii_fold(low))))
    vocab = set(words)
    vocab.update(map(" ".join, zip(words, words[1:], strict=False)))
    vocab.update(_shape(low, f"{msg.subject[:300]}\n{body}"))
    return TextView(low, words, frozenset(vocab), len(msg.text))
