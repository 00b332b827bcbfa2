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
_ITEM = re.compile(r'[a-z0-9]+|["]|[' + re.escape(".!?;\n…,:()[]–—") + "]")
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
    letters ("c0nnard", "s@lope"), which keeps "2000" and "13h30" intact. The common case
    (every character folds to one character, no stretched letters) runs in C: str.translate
    and two regular expressions, no loop over characters in Python.
    """
    text = text[:MAX_CHARS]
    folded = text.translate(_TABLE)
    if all(len(_TABLE[ord(c)]) == 1 for c in set(text)):
        where = list(range(len(text)))
    else:  # œ -> oe, combining marks dropped: offsets character by character
        where = []
        for i, ch in enumerate(text):
            where.extend([i] * len(_TABLE[ord(ch)]))
    if _LEET_CHARS.search(folded):
        folded = _LEET_RE.sub(lambda m: m.group().translate(_LEET), folded)
    if _RUN_RE.search(folded) is None:
        return folded, where
    out: list[str] = []
    out_where: list[int] = []
    last = 0
    for m in _RUN_RE.finditer(folded):
        keep = m.start() + 1  # the first letter of the run stays
        out.append(folded[last:keep])
        out_where.extend(where[last:keep])
        last = m.end()
    out.append(folded[last:])
    out_where.extend(where[last:])
    return "".join(out), out_where


class _FoldTable(dict[int, str]):
    """str.translate table filled on demand with :func:`_fold_char` (bounded by Unicode)."""

    def __missing__(self, code: int) -> str:
        value = self[code] = _fold_char(chr(code))
        return value


_TABLE = _FoldTable()
_LEET_CHARS = re.compile(r"[0134@$]")
_LEET_RE = re.compile(r"(?<=[^\W\d_])[0134@$](?=[^\W\d_])")
_RUN_RE = re.compile(r"([^\W\d_])\1{2,}")


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
    # Only words, quotes and punctuation that ends a sentence or a clause matter: one regular
    # expression visits just those (the rest is spaces and symbols).
    for m in _ITEM.finditer(folded):
        word = m.group()
        c = word[0]
        if c.isalnum():
            if word in _CLAUSE_WORDS:
                clause += 1
            tokens.append(Token(word, where[m.start()], where[m.end() - 1] + 1, sentence,
                                clause, quoted))
        elif c == '"':
            orig = text[where[m.start()]]
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
        else:  # _CLAUSE_END
            clause += 1
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
