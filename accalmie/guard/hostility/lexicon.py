"""Hostile vocabulary: the lexicon files of accalmie/data/hostility and their matcher.

Entries are phrases of folded words (see ``text.fold``); a trailing ``*`` on a word matches any
ending, so "connard*" covers the plural and the feminine. Matching walks the tokens once and
looks up each position in two dictionaries (exact first word, and first-word stems), so the
cost is linear in the text whatever the size of the lexicon.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from accalmie.guard.hostility.text import Token

DATA_DIR = Path(__file__).resolve().parents[2] / "data" / "hostility"
KINDS = ("insult", "slur", "addressed", "profanity", "contempt")
_MAX_STEM = 24


@dataclass(frozen=True, slots=True)
class Entry:
    words: tuple[str, ...]  # a word ending in "*" is a stem
    kind: str
    weight: float
    not_before: frozenset[str] = frozenset()

    def matches_word(self, i: int, word: str) -> bool:
        w = self.words[i]
        return word.startswith(w[:-1]) if w.endswith("*") else word == w


@dataclass(frozen=True, slots=True)
class Hit:
    entry: Entry
    first: int  # token indices, inclusive
    last: int


_CACHE_MAX = 1 << 16


class Lexicon:
    """The entries of one language, indexed by their first word."""

    def __init__(self, entries: list[Entry]) -> None:
        self.entries = tuple(entries)
        self._exact: dict[str, list[Entry]] = defaultdict(list)
        self._stems: dict[str, list[Entry]] = defaultdict(list)
        self._cache: dict[str, list[Entry]] = {}  # word -> candidates (never mutated)
        for e in entries:
            head = e.words[0]
            if head.endswith("*"):
                self._stems[head[:-1]].append(e)
            else:
                self._exact[head].append(e)

    def _candidates(self, word: str) -> list[Entry]:
        cached = self._cache.get(word)
        if cached is not None:  # most words of a mailbox recur
            return cached
        found = list(self._exact.get(word, ()))
        for k in range(1, min(len(word), _MAX_STEM) + 1):
            found.extend(self._stems.get(word[:k], ()))
        if len(self._cache) > _CACHE_MAX:
            self._cache.clear()
        self._cache[word] = found
        return found

    def find(self, tokens: tuple[Token, ...]) -> list[Hit]:
        """Every entry found in the tokens; the longest one wins where two overlap."""
        hits: list[Hit] = []
        n = len(tokens)
        for i in range(n):
            best: Hit | None = None
            for e in self._candidates(tokens[i].text):
                last = i + len(e.words) - 1
                if last >= n or any(tokens[j].sentence != tokens[i].sentence
                                    for j in (last,)):
                    continue
                if not all(e.matches_word(k, tokens[i + k].text) for k in range(len(e.words))):
                    continue
                if e.not_before and last + 1 < n and tokens[last + 1].text in e.not_before:
                    continue
                if best is None or len(e.words) > len(best.entry.words) or (
                        len(e.words) == len(best.entry.words) and e.weight > best.entry.weight):
                    best = Hit(e, i, last)
            if best is not None:
                hits.append(best)
        # Drop hits contained in a longer one ("merde" inside "sac a merde").
        kept: list[Hit] = []
        for h in hits:
            if any(o is not h and o.first <= h.first and h.last <= o.last
                   and (o.last - o.first) > (h.last - h.first) for o in hits):
                continue
            kept.append(h)
        return kept


def parse_lexicon(text: str, where: str = "lexicon") -> list[Entry]:
    entries: list[Entry] = []
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cols = line.rstrip("\n").split("\t")
        if len(cols) < 3 or cols[1] not in KINDS:
            raise ValueError(f"{where}:{lineno}: expected PHRASE<TAB>KIND<TAB>WEIGHT")
        weight = float(cols[2])
        if not 0 < weight <= 1:
            raise ValueError(f"{where}:{lineno}: weight must be in (0, 1]")
        not_before = frozenset(w for w in (cols[3].split(",") if len(cols) > 3 else ()) if w)
        entries.append(Entry(tuple(cols[0].split()), cols[1], weight, not_before))
    return entries


@lru_cache(maxsize=4)
def lexicon(lang: str) -> Lexicon:
    """The lexicon of ``lang`` ("fr" or "en"), loaded once."""
    path = DATA_DIR / f"lexicon_{lang}.tsv"
    return Lexicon(parse_lexicon(path.read_text(encoding="utf-8"), path.name))
