"""Consistent pseudonyms for third parties in the timeline and the manifest of a pack.

A pack may go to management or to a staff representative who has no business knowing who the
usagers, relatives or colleagues are. Everyone except the account owner becomes "Personne A",
"Personne B"… with a matching address, the same pseudonym everywhere (headers, subjects,
excerpts, reasons), so the timeline still reads as a story. People are known first from the
headers of the chosen messages (address, and display name seen with it); addresses that only
appear in a text get a pseudonym when first met. In texts, a full display name is replaced
whatever its case and accents; a single first or last name only when written with a capital,
so that "Rose" the person goes and "rose" the colour stays. A name shared by two people
becomes a neutral "[name]". The originals are never touched: this only transforms what is shown.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from accalmie.i18n import N_, gettext_for
from accalmie.mail.model import Address

EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}(?![\w-])")
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
# Words of display names that are not names (titles, particles, generic mailboxes).
_NOT_NAMES = frozenset("""
madame monsieur mme mmes mlle mr mrs ms miss dr docteur docteure maitre pr professeur
de du des la le les et and the of van von der den da di del dos el al bin ben
service services contact info infos information noreply no reply ne pas repondre
accueil secretariat equipe team support admin mairie ville conseil departement
""".split())
LABEL = N_("Person {letter}")
MAILBOX = N_("person-{letter}@pseudonym.invalid")
AMBIGUOUS = N_("[name]")


def fold(text: str) -> str:
    """Lower case without accents, one character for one (offsets stay valid)."""
    out = []
    for ch in text:
        base = unicodedata.normalize("NFD", ch)[0].lower()
        out.append(base[0] if base else ch)
    return "".join(out)


def letters(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA (as spreadsheet columns)."""
    out = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out


class Pseudonymiser:
    """Maps third parties to stable pseudonyms; does nothing when ``enabled`` is false."""

    def __init__(self, own_addresses: Iterable[str], lang: str, *, enabled: bool = True) -> None:
        self.enabled = enabled
        self.lang = lang
        self.own = frozenset(a.strip().lower() for a in own_addresses if a and a.strip())
        self._by_email: dict[str, int] = {}
        self._names: dict[str, int] = {}  # folded full display name -> person
        self._tokens: dict[str, set[int]] = {}  # folded single name -> people
        self._own_words: set[str] = set()
        self._count = 0
        self._pattern: re.Pattern[str] | None = None

    @property
    def count(self) -> int:
        """How many people were given a pseudonym."""
        return self._count

    # -- learning who is who ------------------------------------------------------------------

    def _new(self) -> int:
        self._count += 1
        return self._count - 1

    def learn(self, addresses: Iterable[Address | None], *, people: bool = True) -> None:
        """Register the people of one message's headers, in the order met.

        ``people=False`` for organisations (the sender of a newsletter or a notification):
        their name is replaced whole, but its words alone ("Formations", "Ville") are not.
        """
        for addr in addresses:
            if addr is None:
                continue
            email = (addr.email or "").strip().lower()
            name = " ".join((addr.name or "").split())
            if email in self.own:
                if name:
                    self._own_words.update(fold(w) for w in _WORD.findall(name))
                    self._pattern = None
                continue
            if not email and not name:
                continue
            if email:
                person = self._by_email.get(email)
                if person is None:
                    person = self._names.get(fold(name)) if name else None
                    if person is None:
                        person = self._new()
                    self._by_email[email] = person
            else:
                person = self._names.get(fold(name))
                if person is None:
                    person = self._new()
            if name and not EMAIL.fullmatch(name):
                self._add_name(name, person, words=people)
            elif email and people:
                self._add_local_part(email, person)
            self._pattern = None

    def _add_name(self, name: str, person: int, *, words: bool = True) -> None:
        folded = fold(name)
        self._names.setdefault(folded, person)
        parts = [fold(w) for w in _WORD.findall(name)]
        if len(parts) >= 2:  # "Dupont Jean" as well as "Jean Dupont"
            self._names.setdefault(" ".join(reversed(parts)), person)
        if not words:
            return
        for word in parts:
            if len(word) >= 3 and word not in _NOT_NAMES:
                self._tokens.setdefault(word, set()).add(person)

    def _add_local_part(self, email: str, person: int) -> None:
        """``jean.dupont@…`` with no display name still names Jean Dupont."""
        parts = re.split(r"[._-]", email.partition("@")[0])
        if len(parts) >= 2 and all(p.isalpha() for p in parts):
            for part in parts:
                word = fold(part)
                if len(word) >= 3 and word not in _NOT_NAMES:
                    self._tokens.setdefault(word, set()).add(person)

    # -- what is shown --------------------------------------------------------------------------

    def label(self, person: int) -> str:
        return gettext_for(self.lang, LABEL).format(letter=letters(person))

    def mailbox(self, person: int) -> str:
        return gettext_for(self.lang, MAILBOX).format(letter=letters(person).lower())

    def person(self, addr: Address | None) -> tuple[str, str]:
        """(display name, address) to show for a header address."""
        if addr is None:
            return "", ""
        email = (addr.email or "").strip().lower()
        if not self.enabled or email in self.own:
            return addr.name or "", addr.email or ""
        person = self._by_email.get(email) if email else self._names.get(fold(addr.name or ""))
        if person is None:
            self.learn([addr])
            person = self._by_email.get(email) if email else self._names.get(
                fold(addr.name or ""))
        if person is None:
            return "", ""
        return self.label(person), self.mailbox(person)

    def knows(self, email: str) -> bool:
        """Is this the address of a third party met in the headers?"""
        return email.strip().lower() in self._by_email

    def address(self, email: str) -> str:
        """The address to show in place of ``email``."""
        return self.person(Address("", email))[1] if email else ""

    def text(self, value: str) -> str:
        """A free text (subject, excerpt, reason) with the third parties' names and addresses
        replaced."""
        if not self.enabled or not value:
            return value
        value = EMAIL.sub(self._email, value)
        pattern = self._compiled()
        if pattern is None:
            return value
        folded = fold(value)
        out: list[str] = []
        pos = 0
        for match in pattern.finditer(folded):
            start, end = match.span()
            replacement = self._name_for(match.group(0), value[start:end])
            if replacement is None:
                continue
            out.append(value[pos:start])
            out.append(replacement)
            pos = end
        out.append(value[pos:])
        return "".join(out)

    def _email(self, match: re.Match[str]) -> str:
        email = match.group(0)
        if email.lower() in self.own:
            return email
        return self.address(email)

    def _compiled(self) -> re.Pattern[str] | None:
        if self._pattern is None:
            words = set(self._names) | {t for t in self._tokens if t not in self._own_words}
            if not words:
                return None
            alternatives = sorted(words, key=len, reverse=True)
            body = "|".join(r"\s+".join(re.escape(p) for p in w.split()) for w in alternatives)
            self._pattern = re.compile(rf"(?<!\w)(?:{body})(?!\w)")
        return self._pattern

    def _name_for(self, folded: str, original: str) -> str | None:
        key = " ".join(folded.split())
        person = self._names.get(key)
        if person is not None:
            return self.label(person)
        people = self._tokens.get(key)
        if not people or not original[:1].isupper():
            return None  # a common word that happens to be a name, written as a word
        if len(people) == 1:
            return self.label(next(iter(people)))
        return gettext_for(self.lang, AMBIGUOUS)
