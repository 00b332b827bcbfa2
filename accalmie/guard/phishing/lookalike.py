"""Domains that imitate others: typos, homoglyphs, mixed scripts, names worn as subdomains.

Every check folds look-alike characters first (:func:`skeleton`), so ``amel1.fr``, ``аmeli.fr``
(Cyrillic а) and ``ameli.fr`` compare equal, then looks for an embedded name, a small edit
distance, or a disguise in the subdomains. Results are cached per domain: a mailbox repeats
the same few hundred domains.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from accalmie.guard.phishing.institutions import (
    FREEMAIL,
    INSTITUTIONS,
    LOOKALIKE_EXCEPTIONS,
    Institution,
    official_of,
)
from accalmie.triage.features import _psl, registrable_domain

IPV4 = re.compile(r"^\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?$")
_CYRILLIC_GREEK = re.compile(r"[\u0370-\u03ff\u0400-\u04ff\u0500-\u052f]")
_LATIN = re.compile(r"[a-z]")
_SPLIT = re.compile(r"[.\-_]+")

# Tokens that, next to a short label such as "caf" or "ants", show the domain claims the body.
CONTEXT_TOKENS = frozenset({
    "fr", "france", "gouv", "allocation", "allocations", "allocataire", "allocataires",
    "famille", "familles", "familiale", "familiales", "securite", "secure", "securise",
    "security", "compte", "moncompte", "mon", "espace", "aide", "aides", "service", "services",
    "remboursement", "remboursements", "paiement", "payment", "portail", "online", "connect",
    "login", "signin", "verif", "verify", "verification", "titre", "titres", "permis", "carte",
    "identite", "client", "clients", "info", "infos", "support", "dossier", "prestation",
    "prestations", "update", "account", "accounts", "confirm", "assistance", "sante", "caf",
    "ants", "express", "delivery", "livraison", "colis", "parcel", "tracking", "track", "suivi",
    "douane", "impots", "amende", "bank", "banking", "alert", "auth", "id", "wallet", "refund",
})
_TLD_LABELS = frozenset({"fr", "com", "org", "net", "eu", "gouv", "be", "ch", "de", "uk",
                         "info", "io", "co"})

# Confusable characters folded to one representative: digits posing as letters, Cyrillic and
# Greek look-alikes, accented letters, and i/l/1 (which many fonts barely tell apart).
_CONFUSABLES = str.maketrans({
    "0": "o", "1": "l", "i": "l", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "9": "g",
    "$": "s", "|": "l", "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "х": "x", "у": "y",
    "і": "l", "ј": "j", "ԁ": "d", "ո": "n", "ѕ": "s", "ɡ": "g", "ӏ": "l", "ı": "l", "ⅼ": "l",
    "ο": "o", "α": "a", "ε": "e", "ν": "v", "τ": "t", "κ": "k", "ρ": "p", "í": "l", "ì": "l",
    "ï": "l", "î": "l", "é": "e", "è": "e", "ê": "e", "ë": "e", "à": "a", "â": "a", "ä": "a",
    "ô": "o", "ö": "o", "ó": "o", "ü": "u", "ù": "u", "û": "u", "ú": "u", "ç": "c", "ñ": "n",
    "ԛ": "q", "ԝ": "w", "ѵ": "v", "һ": "h", "ꮃ": "w", "ɑ": "a", "ɩ": "l", "ʟ": "l", "ᴠ": "v",
    "ʀ": "r", "ᴏ": "o", "ꜱ": "s", "ᴄ": "c", "ᴍ": "m", "ᴜ": "u", "ᴇ": "e", "ᴀ": "a", "ɴ": "n",
})


def to_unicode(domain: str) -> str:
    """A domain as the reader sees it (punycode decoded)."""
    if "xn--" not in domain:
        return domain
    try:
        return domain.encode("ascii").decode("idna")
    except (UnicodeError, ValueError):
        return domain


def skeleton(text: str) -> str:
    """Fold look-alike characters, so 'amel1.fr', 'аmeli.fr' and 'ameli.fr' read the same."""
    text = text.lower()
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text).lower()  # 𝗮𝗺𝗲𝗹𝗶 -> ameli
    return text.translate(_CONFUSABLES).replace("rn", "m").replace("vv", "w")


def edit_distance(a: str, b: str, limit: int = 2) -> int:
    """Optimal-string-alignment distance (typos and swapped letters), capped at ``limit + 1``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        best = i
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            v = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                v = min(v, prev2[j - 2] + 1)
            cur[j] = v
            best = min(best, v)
        if best > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1]


@dataclass(frozen=True, slots=True)
class _Index:
    """Institutions' domains and labels, folded and indexed once for fast look-ups."""

    domains: dict[str, tuple[Institution, str]]  # skeleton of an official domain -> (inst, it)
    compact: tuple[tuple[str, Institution], ...]  # "impotsgouvfr" forms of long domains
    labels: dict[str, list[tuple[str, Institution]]]  # skeleton of a label -> (label, inst)
    long_labels: tuple[tuple[str, Institution], ...]  # skeletons of labels of 7+ letters
    deletions: dict[str, list[tuple[str, int, Institution]]]  # typo index (symmetric deletes)
    exact: frozenset[str]  # the labels as written
    context: frozenset[str]
    exceptions: frozenset[str]


def _deletes(word: str, depth: int) -> set[str]:
    out = {word}
    frontier = {word}
    for _ in range(depth):
        frontier = {w[:i] + w[i + 1:] for w in frontier for i in range(len(w))}
        out |= frontier
    return out


@lru_cache(maxsize=1)
def _index() -> _Index:
    domains: dict[str, tuple[Institution, str]] = {}
    compact = []
    labels: dict[str, list[tuple[str, Institution]]] = {}
    long_labels = []
    deletions: dict[str, list[tuple[str, int, Institution]]] = {}
    for inst in INSTITUTIONS:
        for off in inst.domains:
            soff = skeleton(off)
            domains.setdefault(soff.replace("-", "."), (inst, off))
            if len(soff) >= 8:
                compact.append((soff.replace(".", ""), inst))
        for lab in inst.labels:
            slab = skeleton(lab)
            labels.setdefault(slab, []).append((lab, inst))
            if len(lab) >= 7:
                long_labels.append((slab, inst))
            if len(lab) >= 5:
                limit = 2 if len(lab) >= 8 else 1
                for variant in _deletes(lab, limit):
                    deletions.setdefault(variant, []).append((lab, limit, inst))
    return _Index(domains, tuple(compact), labels, tuple(long_labels), deletions,
                  frozenset(lab for inst in INSTITUTIONS for lab in inst.labels),
                  frozenset(skeleton(t) for t in CONTEXT_TOKENS),
                  frozenset(skeleton(t) for t in LOOKALIKE_EXCEPTIONS))


def label_and_suffix(domain: str) -> tuple[str, str, str]:
    """(registrable domain, its label, its public suffix): ``x.caf.fr`` -> caf.fr, caf, fr."""
    reg = registrable_domain(domain)
    suffix = _psl().publicsuffix(domain) or ""
    label = reg[: -len(suffix) - 1] if suffix and reg.endswith("." + suffix) else reg
    return reg, label, suffix


def _country_suffix(suffix: str) -> bool:
    """'de', 'co.uk', 'com.br': the ending of a brand's national site."""
    last = suffix.rpartition(".")[2]
    return len(last) == 2 and last.isalpha() and last.isascii() and suffix.count(".") <= 1


def _embedded(name: str, host: str) -> bool:
    """``name`` inside ``host`` on label boundaries (``caf.fr.x.com``, not ``optushome.com``)."""
    i = host.find(name)
    while i >= 0:
        end = i + len(name)
        if (i == 0 or host[i - 1] in ".-") and end < len(host) and host[end] in ".-":
            return True
        i = host.find(name, i + 1)
    return False


@lru_cache(maxsize=16384)
def institution_lookalike(domain: str) -> tuple[str, str] | None:
    """(institution, its main domain) when ``domain`` imitates one without being official.

    Recognises an embedded name or domain (``caf-mon-espace.com``,
    ``impots.gouv.fr.secure-login.net``), typos at distance 1–2 (``amelli.fr``), and homoglyphs
    (``аmeli.fr`` with a Cyrillic a, ``imp0ts-gouv.com``). A brand's exact name under a country
    ending (``ebay.es``) is taken for its national site.
    """
    d = to_unicode(domain.lower().strip("."))
    if not d or "." not in d or IPV4.match(d) or official_of(d) is not None:
        return None
    if not d.isascii():
        folded = unicodedata.normalize("NFKC", d).lower()
        if folded != d and folded.isascii():
            inst = official_of(folded)
            if inst is not None:
                return inst.name, inst.domains[0]  # fancy letters spelling an official name
            return institution_lookalike(folded)
    reg, label, suffix = label_and_suffix(d)
    skel_full = skeleton(d)
    skel_reg = skeleton(reg)
    skel_label = skeleton(label)
    parts = [t for t in _SPLIT.split(skel_full) if t]
    token_set = set(parts)
    ix = _index()
    hit = ix.domains.get(skel_reg.replace("-", "."))
    if hit is not None and reg != hit[1] and skel_reg == skeleton(hit[1]):
        return hit[0].name, hit[0].domains[0]  # homoglyph of the whole domain
    # An official domain worn inside the name: caf.fr.x.com, impots-gouv-fr.net, ...
    for i in range(len(parts)):
        for j in range(i + 2, min(len(parts), i + 5) + 1):
            hit = ix.domains.get(".".join(parts[i:j]))
            if hit is None:
                continue
            soff = skeleton(hit[1])
            if _embedded(soff, skel_full) or _embedded(soff.replace(".", "-"), skel_full):
                if hit[1] != "gouv.fr" or "gouv" in token_set or "gouvfr" in skel_label:
                    return hit[0].name, hit[0].domains[0]
    for flat, inst in ix.compact:
        if flat in skel_label:
            return inst.name, inst.domains[0]
    if label in ix.exact and _country_suffix(suffix):
        return None  # the brand's own national site
    for token in token_set:
        for lab, inst in ix.labels.get(token, ()):
            if len(lab) >= 5 or skel_label == token or (token_set - {token}) & ix.context:
                return inst.name, inst.domains[0]
    if skel_label in ix.exceptions:
        return None
    for slab, inst in ix.long_labels:
        if slab in skel_label:
            return inst.name, inst.domains[0]
    for lab, inst in ix.labels.get(skel_label, ()):
        if len(lab) >= 5:
            return inst.name, inst.domains[0]  # the label itself written with look-alikes
    if 5 <= len(label) <= 24:
        # a typo of the real name (distance on the letters as written: folding look-alikes
        # first would make 'carnell' read 'camell', one step from 'ameli')
        for variant in _deletes(label, 2):
            for lab, limit, inst in ix.deletions.get(variant, ()):
                if abs(len(label) - len(lab)) <= limit and \
                        0 < edit_distance(label, lab, limit) <= limit:
                    return inst.name, inst.domains[0]
    return None


@lru_cache(maxsize=16384)
def dressed_domain(domain: str) -> str:
    """The domain a host name pretends to be, when it hides one in its subdomains.

    ``mairie-ville.fr.share-files.net`` belongs to share-files.net but opens with what
    reads as the address of a town hall: a country or generic ending in the middle of a name
    is how such disguises are built (legitimate hosts put a language code first, if anything).
    """
    d = to_unicode(domain.lower().strip("."))
    reg = registrable_domain(d)
    if not reg or d == reg or not d.endswith("." + reg):
        return ""
    labels = d[: -len(reg) - 1].split(".")
    for i in range(1, len(labels)):
        if labels[i] in _TLD_LABELS and len(labels[i - 1]) >= 3:
            return ".".join(labels[: i + 1])
    return ""


@lru_cache(maxsize=64)
def _org_labels(internal: tuple[str, ...]) -> tuple[tuple[str, str, str], ...]:
    """(registrable domain, label skeleton, compact skeleton) of the organisation's domains."""
    out = []
    for d in internal:
        reg, label, _suffix = label_and_suffix(d.lower())
        compact = skeleton(label).replace("-", "")
        if len(compact) >= 5:
            out.append((reg, skeleton(label), compact))
    return tuple(out)


@lru_cache(maxsize=16384)
def org_lookalike(domain: str, internal: tuple[str, ...]) -> tuple[str, bool]:
    """(the organisation's domain, is it a typo) when ``domain`` imitates it, else ('', False).

    A typo or homoglyph of the organisation's domain (``mon-departement.com``,
    ``mon-departernent.fr``) is plainly deceptive; a domain that merely embeds its name
    (``mon-departement-support.com``) may be a partner's, so it weighs less.
    """
    d = to_unicode(domain.lower().strip("."))
    if not d or "." not in d:
        return "", False
    for o in internal:
        if d == o or d.endswith("." + o):
            return "", False
    reg, label, _suffix = label_and_suffix(d)
    skel_label = skeleton(label)
    compact = skeleton(d).replace("-", "").replace(".", "")
    for oreg, olabel, ocompact in _org_labels(internal):
        if reg == oreg:
            continue
        if skel_label == olabel or skel_label.replace("-", "") == ocompact or (
                edit_distance(skel_label, olabel, 1) == 1):
            return oreg, True
        if ocompact in compact:
            return oreg, False
    return "", False


def org_in_text(text: str, internal: tuple[str, ...]) -> str:
    """The organisation's domain when ``text`` (an address's local part) spells its name."""
    compact = skeleton(text).replace("-", "").replace(".", "").replace("_", "")
    for oreg, _olabel, ocompact in _org_labels(internal):
        if ocompact in compact:
            return oreg
    return ""


@lru_cache(maxsize=16384)
def contact_lookalike(domain: str, known: frozenset[str]) -> str:
    """A domain the user writes to that ``domain`` imitates (one typo or homoglyph), or ''."""
    if not known:
        return ""
    reg = registrable_domain(to_unicode(domain.lower()))
    if not reg or reg in known or len(reg) < 6:
        return ""
    skel = skeleton(reg)
    dotted = "." + to_unicode(domain.lower())
    for k in known:
        if "." + k + "." in dotted and k != reg:
            return k  # a correspondent's domain worn as a subdomain of another
        if abs(len(k) - len(reg)) > 1 or k in FREEMAIL and reg in FREEMAIL:
            continue
        if skel == skeleton(k) or edit_distance(reg, k, 1) == 1:
            return k
    return ""


def mixed_script(domain: str) -> bool:
    """A label mixing Latin with Cyrillic or Greek letters: made to be misread."""
    if domain.isascii():
        return False
    return any(_CYRILLIC_GREEK.search(lbl) and _LATIN.search(lbl) for lbl in domain.split("."))


_MIXED_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def fancy_letters(text: str) -> bool:
    """Letters a normal keyboard does not type, used to dodge filters: the mathematical,
    enclosed and full-width alphabets (𝗗𝗲𝘂𝘁𝘀𝗰𝗵𝗲, Ⓟⓐⓨ), small capitals (ᴘᴀʏᴍᴇɴᴛ), and
    strike-through marks laid over letters (C̷a̷r̷)."""
    if text.isascii():
        return False
    for ch in text:
        o = ord(ch)
        if (0x1D400 <= o <= 0x1D7FF or 0x24B6 <= o <= 0x24E9 or 0xFF21 <= o <= 0xFF5A
                or 0x1D00 <= o <= 0x1D2B or 0xA730 <= o <= 0xA7AF or 0x0334 <= o <= 0x0338
                or o in (0x0280, 0x0274, 0x0262, 0x029C, 0x026A, 0x029F, 0x0299)):
            return True
    return False


def mixed_script_word(text: str) -> str:
    """A word mixing Latin with Cyrillic or Greek letters (``Lеԁgеr``), if the text has one."""
    if text.isascii():
        return ""
    for word in _MIXED_WORD.findall(text):
        if not word.isascii() and _LATIN.search(word.lower()) and _CYRILLIC_GREEK.search(word):
            return word
    return ""


_COMMON_ACCENTS = frozenset(chr(c) for c in (0x300, 0x301, 0x302, 0x303, 0x304, 0x306, 0x308,
                                             0x30A, 0x30B, 0x30C, 0x327, 0x328))
_SPELLED = re.compile(r"(?<![\w.])(?:[A-Za-z][.\s_*|-]{1,2}){4,}[A-Za-z](?![\w])")


def obfuscated(text: str) -> str:
    """How ``text`` hides its words from filters, or '' when it does not: invisible tag or
    variation characters between letters, marks stacked on every letter (S͎a͎v͎i͎n͎g͎s͎), or a
    word spelled letter by letter (N.E.T.F.L.I.X)."""
    if _SPELLED.search(text):
        return "spelled"
    if text.isascii():
        return ""
    marks = 0
    for ch in text:
        o = ord(ch)
        if 0xE0000 <= o <= 0xE01EF or 0xFE00 <= o <= 0xFE0E:
            return "invisible"
        if 0x300 <= o <= 0x36F and ch not in _COMMON_ACCENTS:
            marks += 1
            if marks >= 3:
                return "marks"
    return ""
