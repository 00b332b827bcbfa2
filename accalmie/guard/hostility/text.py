"""Text view for the hostility rules: folded words with offsets into the original text.

Rules match on folded text (lower case, no accents, leetspeak and letter stretching undone:
"C0NNAAARD" -> "connard") so that one lexicon entry covers the spellings people type, while
every token keeps the offsets of the characters it came from, so the passage can be
highlighted in the text as written. Each token also knows its sentence, its clause and
whether it stands inside quotation marks: quoted words are someone else's words.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass

MAX_CHARS = 20_000  # hostility shows early; a longer text is judged on its beginning

_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "@": "a", "$": "s", "€": "e"})
_APOS = "'’`´ʼ"
_OPEN_Q = "«“„"
_CLOSE_Q = "»”"
_SENTENCE_END = ".!?;\n…"
_CLAUSE_END = ",:()[]–—"
_WORD = re.compile(r"[a-z0-9]+")
# Words that open a new clause even without punctuation ("je ne veux pas… mais vous…").
_CLAUSE_WORDS = frozenset({"mais", "but", "sinon", "otherwise", "or", "et", "and", "puis"})


@dataclass(frozen=True, slots=True)
class Token:
    text: str  # folded
    start: int  # offsets into the original text
    end: int
    sentence: int
    clause: int
    quoted: bool


def _fold_char(ch: str) -> str:
    """One original character as folded text ("" for combining marks)."""
    if ch in _APOS:
        return "'"
    if ch in _OPEN_Q or ch in _CLOSE_Q:
        return '"'
    low = ch.lower()
    if low.isascii():
        return low
    if low == "œ":
        return "oe"
    if low == "æ":
        return "ae"
    if low == "ß":
        return "ss"
    decomposed = unicodedata.normalize("NFKD", low)
    base = "".join(c for c in decomposed if not unicodedata.combining(c))
    if base.isascii():
        return base
    return low if low.isalnum() else " "


def fold(text: str) -> tuple[str, list[int]]:
    """Folded text and, for each of its characters, the offset of the original character.

    Runs of three or more identical letters shrink to one ("nuuuul" -> "nul") so stretched
    shouting matches the lexicon; leet characters are read as letters only between two
    letters ("c0nnard", "s@lope"), which keeps "2000" and "13h30" intact.
    """
    text = text[:MAX_CHARS]
    chars: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text):
        for c in _fold_char(ch):
            chars.append(c)
            where.append(i)
    for j in range(1, len(chars) - 1):
        if chars[j] in "0134@$" and chars[j - 1].isalpha() and chars[j + 1].isalpha():
            chars[j] = chars[j].translate(_LEET)
    out: list[str] = []
    out_where: list[int] = []
    k, n = 0, len(chars)
    while k < n:
        c = chars[k]
        run = 1
        while k + run < n and chars[k + run] == c:
            run += 1
        if run >= 3 and c.isalpha():
            out.append(c)
            out_where.append(where[k])
        else:
            out.extend(chars[k:k + run])
            out_where.extend(where[k:k + run])
        k += run
    return "".join(out), out_where


@dataclass(frozen=True, slots=True)
class View:
    """The folded tokens of a text and a space-joined string of them for phrase patterns."""

    original: str
    tokens: tuple[Token, ...]
    joined: str  # token texts joined by one space, "#" between sentences
    _starts: tuple[int, ...]  # offset in ``joined`` of each token (-1 for nothing)

    def token_at(self, pos: int) -> int:
        """Index of the token that covers position ``pos`` of ``joined``."""
        return max(0, bisect_right(self._starts, pos) - 1)

    def tokens_between(self, start: int, end: int) -> range:
        """Token indices of the ``joined`` span [start, end)."""
        return range(self.token_at(start), self.token_at(max(start, end - 1)) + 1)


def view(text: str) -> View:
    folded, where = fold(text)
    tokens: list[Token] = []
    sentence = clause = 0
    quoted = False
    plain_quote_open = False
    pos = 0
    n = len(folded)
    while pos < n:
        c = folded[pos]
        m = _WORD.match(folded, pos) if c.isascii() and c.isalnum() else None
        if m is not None:
            word = m.group()
            if word in _CLAUSE_WORDS:
                clause += 1
            start = where[pos]
            end = where[m.end() - 1] + 1
            tokens.append(Token(word, start, end, sentence, clause, quoted))
            pos = m.end()
            continue
        if c == '"':
            orig = text[where[pos]]
            if orig in _OPEN_Q:
                quoted = True
            elif orig in _CLOSE_Q:
                quoted = False
            else:  # a straight quote toggles
                plain_quote_open = not plain_quote_open
                quoted = plain_quote_open
        elif c in _SENTENCE_END:
            sentence += 1
            clause += 1
            if c == "\n" and not quoted:
                plain_quote_open = False
        elif c in _CLAUSE_END:
            clause += 1
        pos += 1
    parts: list[str] = []
    starts: list[int] = []
    offset = 0
    prev_sentence = 0
    for tok in tokens:
        if tok.sentence != prev_sentence:
            parts.append("#")
            offset += 2
            prev_sentence = tok.sentence
        starts.append(offset)
        parts.append(tok.text)
        offset += len(tok.text) + 1
    return View(text, tuple(tokens), " ".join(parts), tuple(starts))
