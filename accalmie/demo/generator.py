"""Deterministic generator of a French social worker's mailbox.

The demo, the tests and the benchmarks need a mailbox that looks like the real thing — what
Camille Martin, *assistante de service social* in a département, receives and sends over a few
weeks — with the answer attached to every message: the lane it belongs in and the flags it
deserves. Each message is built from its scenario (a usager asking for an appointment, the
juvenile court asking for a report, a newsletter, a lure imitating the Caf…), in the layout of
the mail client that would have written it, then serialised to RFC 5322 bytes.

Same arguments, same bytes: all randomness comes from ``random.Random`` seeded by the caller,
dates from a fixed default start, and nothing reads the clock. Messages are produced in date
order by a generator (:func:`iter_messages`), so 100k messages can be written to disk without
holding them in memory.
"""

from __future__ import annotations

import base64
import hashlib
import html
import io
import os
import random
import re
import zipfile
from array import array
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from email.utils import format_datetime
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from accalmie.demo import corpus_fr as C
from accalmie.demo import mime
from accalmie.triage.decision import Flag, Lane

TZ = ZoneInfo("Europe/Paris")
DEFAULT_START = datetime(2026, 11, 2, tzinfo=TZ)  # a Monday, after the autumn clock change
MIN_SIZE, MAX_SIZE = 10, 200_000
WORK_START = (8, 30)  # working hours used for the expected *hors horaires* flag
WORK_END = (18, 0)

# --- public data types -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Owner:
    """Whose mailbox it is."""

    name: str
    email: str
    title: str
    service: str

    @property
    def domain(self) -> str:
        return self.email.rpartition("@")[2]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"


@dataclass(frozen=True, slots=True)
class DemoMessage:
    """One generated message and what triage should make of it.

    ``expected_lane`` is None for the owner's own messages (folder "Sent"): they are not
    triaged, they teach who matters. ``kind`` names the scenario (see :data:`KINDS`).
    """

    raw: bytes
    folder: str  # "INBOX" or "Sent"
    kind: str
    expected_lane: Lane | None
    expected_flags: frozenset[Flag]
    date: datetime
    message_id: str  # as in the header, with angle brackets


@dataclass(frozen=True, slots=True)
class Mailbox:
    owner: Owner
    messages: list[DemoMessage]

    def by_folder(self, folder: str) -> list[DemoMessage]:
        return [m for m in self.messages if m.folder == folder]


def demo_owner() -> Owner:
    return Owner(f"{C.OWNER_FIRST} {C.OWNER_LAST}",
                 f"{_ascii(C.OWNER_FIRST)}.{_ascii(C.OWNER_LAST)}@{C.DOMAIN}",
                 C.OWNER_TITLE, C.MDS)


# --- scenarios -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Kind:
    """One scenario of the mailbox, its share and when it happens."""

    name: str
    weight: int  # per mille of the mailbox
    timing: str  # time profile name, see TIMINGS
    group: str  # people | internal | bulk | phishing | aggressive | sent
    about: str = ""


KINDS: tuple[Kind, ...] = (
    Kind("usager_request", 86, "usager", "people",
         "a usager asks for something: appointment, RSA/APL, housing debt, papers, help"),
    Kind("usager", 51, "usager", "people",
         "a usager informs or thanks (confirmation, documents sent, new job), no request"),
    Kind("family", 35, "usager", "people",
         "a relative writes about a usager (elderly parent, children in care, homeless brother)"),
    Kind("caf", 20, "partner", "people", "a Caf agent about a shared case (caf.fr)"),
    Kind("cpam", 15, "partner", "people",
         "the health insurance fund about a case (assurance-maladie.fr)"),
    Kind("mdph", 15, "partner", "people", "the disability centre (MDPH) about a file"),
    Kind("france_travail", 16, "partner", "people",
         "a France Travail adviser (francetravail.fr)"),
    Kind("school", 20, "partner", "people",
         "a school social worker, head teacher, CPE or nurse (ac-orleans-tours.fr)"),
    Kind("court", 10, "partner", "people",
         "the juvenile or family court registry: reports due, hearings, judgments (justice.fr)"),
    Kind("partner", 14, "partner", "people", "social housing company, hospital or CCAS"),
    Kind("reply", 40, "usager", "people",
         "someone answers a message of the owner, quoting it (Gmail, Apple, Outlook styles)"),
    Kind("complaint", 7, "usager", "people", "a firm complaint, not hostile"),
    Kind("distress", 7, "usager", "people", "despair, not hostile"),
    Kind("child_at_risk", 7, "partner", "people",
         "a report about a child at risk, with the vocabulary of violence, not hostile"),
    Kind("quoted_insult", 7, "usager", "people",
         "a usager quotes insults or threats received from someone else, not hostile"),
    Kind("colleague", 70, "colleague", "internal",
         "a colleague, to the owner (tutoiement) or to the team list (some reply-all)"),
    Kind("manager", 40, "manager", "internal",
         "the head of the MDS or the territorial director: requests, planning, notes"),
    Kind("internal_note", 40, "internal", "internal",
         "HR, IT, training, communication broadcasts to all staff"),
    Kind("meeting", 50, "colleague", "internal",
         "meeting invitations with Teams, Zoom, Jitsi or State webinar links, some with .ics"),
    Kind("newsletter", 130, "newsletter", "bulk",
         "professional newsletters (ASH, Lien Social, ANAS, union, Gazette, CNFPT, Uniopss)"),
    Kind("notification", 155, "notification", "bulk",
         "case-management software, GLPI, Teams, intranet, LinkedIn, e-parapheur, voicemail"),
    Kind("auto_reply", 10, "colleague", "bulk", "out-of-office replies"),
    Kind("phishing", 30, "phishing", "phishing",
         "lures imitating the Caf, ameli, impots.gouv, ANTS, FranceConnect, La Poste, IT, boss"),
    Kind("aggressive", 20, "aggressive", "aggressive",
         "hostile usagers: incivility, insults, threats (\"je sais où vous habitez\")"),
    Kind("sent", 105, "sent", "sent", "written by the owner (folder Sent), new or replies"),
)
KIND_NAMES = tuple(k.name for k in KINDS)
_KIND_INDEX = {k.name: i for i, k in enumerate(KINDS)}

# Time profiles: weekday weights (Mon..Fri), weekend/holiday weight, and day intervals
# (start minute, end minute, weight) in Europe/Paris local time.
_H = 60
TIMINGS: dict[str, tuple[tuple[float, ...], float, tuple[tuple[int, int, float], ...]]] = {
    "usager": ((1.3, 1.05, 0.95, 1.0, 0.85), 0.35,
               ((0, 7 * _H, 0.02), (7 * _H, 8 * _H + 30, 0.08), (8 * _H + 30, 12 * _H, 0.30),
                (12 * _H, 14 * _H, 0.14), (14 * _H, 18 * _H, 0.25), (18 * _H, 22 * _H, 0.17),
                (22 * _H, 24 * _H, 0.04))),
    "partner": ((1.1, 1.05, 1.0, 1.0, 0.85), 0.02,
                ((8 * _H, 8 * _H + 30, 0.03), (8 * _H + 30, 12 * _H + 30, 0.5),
                 (13 * _H + 30, 17 * _H + 30, 0.42), (17 * _H + 30, 19 * _H, 0.05))),
    "colleague": ((1.1, 1.0, 0.9, 1.05, 0.85), 0.05,
                  ((7 * _H + 30, 8 * _H + 30, 0.05), (8 * _H + 30, 12 * _H + 30, 0.45),
                   (12 * _H + 30, 13 * _H + 30, 0.06), (13 * _H + 30, 18 * _H, 0.34),
                   (18 * _H, 20 * _H, 0.06), (20 * _H, 23 * _H, 0.04))),
    "manager": ((1.2, 1.0, 1.0, 1.0, 0.9), 0.15,
                ((7 * _H, 8 * _H + 30, 0.10), (8 * _H + 30, 12 * _H + 30, 0.35),
                 (13 * _H + 30, 18 * _H, 0.30), (18 * _H, 20 * _H + 30, 0.12),
                 (20 * _H + 30, 23 * _H + 30, 0.13))),
    "internal": ((1.0, 1.0, 1.0, 1.0, 0.9), 0.0,
                 ((8 * _H + 30, 12 * _H, 0.55), (13 * _H + 30, 17 * _H, 0.45))),
    "newsletter": ((1.0, 1.0, 1.0, 1.2, 1.0), 0.3,
                   ((6 * _H, 9 * _H, 0.55), (9 * _H, 12 * _H, 0.2), (12 * _H, 18 * _H, 0.15),
                    (18 * _H, 21 * _H, 0.1))),
    "notification": ((1.0, 1.0, 1.0, 1.0, 1.0), 0.4,
                     ((0, 6 * _H, 0.10), (6 * _H, 8 * _H + 30, 0.07),
                      (8 * _H + 30, 18 * _H, 0.70), (18 * _H, 24 * _H, 0.13))),
    "phishing": ((1.0, 1.0, 1.0, 1.0, 1.0), 0.8,
                 ((0, 7 * _H, 0.3), (7 * _H, 18 * _H, 0.45), (18 * _H, 24 * _H, 0.25))),
    "aggressive": ((1.0, 1.0, 1.0, 1.0, 1.0), 0.8,
                   ((8 * _H + 30, 18 * _H, 0.35), (18 * _H, 24 * _H, 0.45), (0, 3 * _H, 0.15),
                    (3 * _H, 8 * _H + 30, 0.05))),
    "sent": ((1.1, 1.0, 0.95, 1.0, 0.9), 0.08,
             ((8 * _H, 8 * _H + 30, 0.04), (8 * _H + 30, 12 * _H + 30, 0.45),
              (13 * _H + 30, 18 * _H, 0.38), (18 * _H, 19 * _H + 30, 0.06),
              (20 * _H + 30, 23 * _H, 0.07))),
}

# --- French dates ----------------------------------------------------------------------------

JOURS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
JOURS_ABR = ("lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim.")
MOIS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
        "octobre", "novembre", "décembre")
MOIS_ABR = ("janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.",
            "nov.", "déc.")


def _easter(year: int) -> date:
    """Gregorian Easter Sunday (anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month = (h + l_ - 7 * m + 114) // 31
    day = (h + l_ - 7 * m + 114) % 31 + 1
    return date(year, month, day)


@lru_cache(maxsize=64)
def french_holidays(year: int) -> frozenset[date]:
    """Public holidays in metropolitan France (used to thin human traffic, not for flags)."""
    e = _easter(year)
    fixed = [date(year, m, d) for m, d in ((1, 1), (5, 1), (5, 8), (7, 14), (8, 15), (11, 1),
                                           (11, 11), (12, 25))]
    return frozenset([*fixed, e + timedelta(days=1), e + timedelta(days=39),
                      e + timedelta(days=50)])


def is_after_hours(when: datetime) -> bool:
    """Outside Monday–Friday 08:30–18:00 and public holidays, Europe/Paris: the expected
    *hors horaires* flag."""
    local = when.astimezone(TZ)
    if local.weekday() >= 5 or local.date() in french_holidays(local.year):
        return True
    hm = (local.hour, local.minute)
    return hm < WORK_START or hm >= WORK_END


def _d_long(d: date) -> str:  # "jeudi 12 novembre"
    return f"{JOURS[d.weekday()]} {_day(d.day)} {MOIS[d.month - 1]}"


def _d_short(d: date) -> str:  # "12 novembre"
    return f"{_day(d.day)} {MOIS[d.month - 1]}"


def _day(n: int) -> str:
    return "1er" if n == 1 else str(n)


@lru_cache(maxsize=4096)
def _business_day(d: date, n: int) -> date:
    """The n-th working day after d (weekends and public holidays skipped)."""
    while n > 0:
        d += timedelta(days=1)
        if d.weekday() < 5 and d not in french_holidays(d.year):
            n -= 1
    return d


# --- small helpers ---------------------------------------------------------------------------

_ASCII_MAP = str.maketrans("àâäáãåçéèêëíìîïñóòôöõúùûüýÿœæÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŒÆ",
                           "aaaaaaceeeeiiiinooooouuuuyyoaAAACEEEEIIOOUUUOA")


def _ascii(text: str) -> str:
    """Lowercase ASCII local part from a name ("Aïcha Da Silva" -> "aicha-da-silva"-ish)."""
    t = text.translate(_ASCII_MAP).lower()
    t = t.replace("œ", "oe").replace("æ", "ae")
    return re.sub(r"[^a-z0-9]+", "-", t).strip("-")


def _money(rng: random.Random, lo: int, hi: int) -> str:
    cents = rng.randint(lo * 100, hi * 100)
    euros, c = divmod(cents, 100)
    e = f"{euros:,}".replace(",", "\u202f")
    return f"{e},{c:02d} €"


def _phone(rng: random.Random, mobile: bool = True) -> str:
    base = "06 39 98" if mobile else "02 61 91"
    return f"{base} {rng.randint(0, 99):02d} {rng.randint(0, 99):02d}"


_CHOICE = re.compile(r"\[\[(.*?)\]\]", re.S)


@lru_cache(maxsize=4096)
def _compile(template: str) -> tuple[str | tuple[str, ...], ...]:
    parts: list[str | tuple[str, ...]] = []
    pos = 0
    for m in _CHOICE.finditer(template):
        parts.append(template[pos:m.start()])
        parts.append(tuple(m.group(1).split("|")))
        pos = m.end()
    parts.append(template[pos:])
    return tuple(parts)


def _tidy(text: str) -> str:
    text = text.replace("  ", " ").replace(" .", ".").replace(" ,", ",")
    return "\n".join(line.strip() for line in text.split("\n")).strip("\n")


def _typo(text: str) -> str:
    """French typography as Word/Outlook autocorrect writes it (no-break spaces, ’)."""
    return (text.replace("'", "’").replace(" ?", "\u00a0?").replace(" !", "\u00a0!")
            .replace(" :", "\u00a0:").replace(" ;", "\u00a0;").replace("« ", "«\u00a0")
            .replace(" »", "\u00a0»"))


# --- people ----------------------------------------------------------------------------------


@dataclass(slots=True)
class Person:
    """Anyone who writes or is written to: usager, relative, colleague, partner, service."""

    first: str
    last: str
    female: bool
    email: str
    display: str  # as it appears in From/To
    profile: str  # mail client profile name, see PROFILES
    role: str  # usager | family | partner | colleague | manager | internal | system | owner
    title: str = ""
    org: str = ""
    phone: str = ""
    key: str = ""
    informal: bool = False
    signature_style: int = 0
    children: tuple[tuple[str, bool, int], ...] = ()
    caf: str = ""
    street: str = ""
    town: str = ""

    @property
    def civ(self) -> str:
        return "Mme" if self.female else "M."

    @property
    def full(self) -> str:
        return f"{self.first} {self.last}".strip()


def _contact_person(c: C.Contact, role: str, profile: str) -> Person:
    if c.first:
        display = (f"{c.last.upper()} {c.first}" if role == "partner" and profile == "outlook"
                   else f"{c.first} {c.last.upper()}" if role in ("colleague", "manager")
                   else f"{c.first} {c.last}")
    else:
        display = f"{c.title} — {c.org}"
    return Person(c.first, c.last, c.female, c.email, display, profile, role, c.title, c.org,
                  c.phone, c.key)


OWNER_PERSON = Person(C.OWNER_FIRST, C.OWNER_LAST, True, demo_owner().email,
                      f"{C.OWNER_FIRST} {C.OWNER_LAST.upper()}", "outlook_org", "owner",
                      C.OWNER_TITLE, C.MDS, C.OWNER_PHONE, "owner")
COLLEAGUES = tuple(_contact_person(c, "colleague", "outlook_org") for c in C.COLLEAGUES)
CHEF = _contact_person(C.CHEF, "manager", "outlook_org")
DIRECTRICE = _contact_person(C.DIRECTRICE, "manager", "outlook_org")
_PARTNER_PROFILE = {"caf": "outlook", "cpam": "outlook", "mdph": "outlook_org",
                    "france_travail": "outlook", "school": "zimbra", "court": "outlook",
                    "bailleur": "outlook", "hospital": "outlook", "ccas": "thunderbird"}
PARTNERS = {k: tuple(_contact_person(c, "partner", _PARTNER_PROFILE[k]) for c in v)
            for k, v in C.PARTNERS.items()}
PARTNER_BY_KEY = {p.key: p for v in PARTNERS.values() for p in v}
INTERNAL = {k: Person("", "", True, addr, name, "exchange_bulk", "internal", sig, C.DEPARTEMENT,
                      key=k) for k, name, addr, sig in C.INTERNAL_SENDERS}


# --- mail client profiles --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Profile:
    """How one mail client writes a message."""

    name: str
    agent: tuple[str, str] | None  # (header name, value)
    html: bool  # text + HTML alternative
    text_cte: str
    html_cte: str
    charsets: tuple[str, ...]
    header_style: mime.HeaderStyle
    reply_prefix: str
    quote: str  # gmail | apple | outlook | outlook_old | orange | android | thunderbird | zimbra
    mid: str  # message-id style
    mobile_footer: str = ""
    flowed: bool = False
    typography: bool = False
    received: str = "external"


PROFILES = {p.name: p for p in (
    Profile("gmail", None, True, "quoted-printable", "quoted-printable", ("utf-8",), mime.UTF8_B,
            "Re: ", "gmail", "gmail"),
    Profile("android", ("X-Mailer", "Samsung Email"), True, "base64", "base64", ("utf-8",),
            mime.UTF8_B, "RE: ", "android", "android",
            mobile_footer="Envoyé depuis mon smartphone Samsung Galaxy."),
    Profile("iphone", ("X-Mailer", "iPhone Mail (22B91)"), False, "quoted-printable", "",
            ("utf-8",), mime.UTF8_Q, "Re: ", "apple", "apple",
            mobile_footer="Envoyé de mon iPhone"),
    Profile("orange", ("X-Mailer", "Orange Messagerie"), True, "8bit", "quoted-printable",
            ("utf-8",), mime.UTF8_B, "RE: ", "orange", "orange"),
    Profile("webmail", ("User-Agent", "Zimbra Webmail (ZimbraWebClient - FF144)"), True,
            "quoted-printable", "quoted-printable", ("utf-8",), mime.UTF8_Q, "Re: ", "zimbra",
            "zimbra"),
    Profile("outlookcom", None, True, "quoted-printable", "quoted-printable",
            ("utf-8", "iso-8859-1"), mime.UTF8_B, "RE: ", "outlook", "outlookcom"),
    Profile("thunderbird", ("User-Agent", "Mozilla Thunderbird"), False, "8bit", "", ("utf-8",),
            mime.UTF8_Q, "Re: ", "thunderbird", "thunderbird", flowed=True),
    Profile("zimbra", ("X-Mailer", "Zimbra 10.0.10_GA_4654 (ZimbraWebClient - FF144)"), True,
            "quoted-printable", "quoted-printable", ("utf-8",), mime.UTF8_Q, "Re: ", "zimbra",
            "zimbra"),
    Profile("outlook", ("X-Mailer", "Microsoft Outlook 16.0"), True, "quoted-printable",
            "quoted-printable", ("utf-8", "utf-8", "windows-1252", "iso-8859-1"), mime.LATIN1_Q,
            "RE : ", "outlook", "exchange", typography=True),
    Profile("outlook_org", ("X-Mailer", "Microsoft Outlook 16.0"), True, "quoted-printable",
            "quoted-printable", ("utf-8", "iso-8859-1"), mime.LATIN1_Q, "RE : ", "outlook",
            "exchange_org", typography=True, received="internal"),
    Profile("exchange_bulk", None, True, "quoted-printable", "quoted-printable", ("utf-8",),
            mime.UTF8_Q, "RE : ", "outlook", "exchange_org", received="internal"),
)}

_CONSUMER_W = [w for _, w, _ in C.CONSUMER_DOMAINS]
_GMAIL_CLIENTS = ("gmail", "gmail", "gmail", "android", "iphone")

# --- message context (template fields) -------------------------------------------------------


class Context(dict):  # type: ignore[type-arg]
    """Template fields, computed on first use so that a message pays only for what it shows."""

    def __init__(self, gen: _Gen, when: datetime, sender: Person, u: Person | None = None):
        super().__init__()
        self.gen = gen
        self.rng = gen.rng
        self.when = when
        self.sender = sender
        self.u = u if u is not None else (sender if sender.role == "usager" else None)
        self._child: tuple[str, bool, int] | None = None

    def __missing__(self, key: str) -> str:
        maker = _FIELDS.get(key)
        if maker is None:
            raise KeyError(key)
        value = maker(self)
        self[key] = value
        return value

    @property
    def usager(self) -> Person:
        if self.u is None:
            self.u = self.gen.pick_usager()
        return self.u

    @property
    def child(self) -> tuple[str, bool, int]:
        if self._child is None:
            kids = self.usager.children
            self._child = (self.rng.choice(kids) if kids else self.gen.make_child())
        return self._child

    def day(self, lo: int, hi: int) -> date:
        return _business_day(self.when.date(), self.rng.randint(lo, hi))


def _heure(c: Context) -> str:
    h = c.rng.choice((9, 9, 10, 10, 11, 14, 14, 15, 15, 16))
    m = c.rng.choice((0, 0, 30, 30, 15))
    if "heure_style" not in c:
        c["heure_style"] = c.rng.choice(("h", "h", "hh"))
    if c["heure_style"] == "hh":
        return f"{h}h{m:02d}" if m else f"{h}h"
    return f"{h} h {m:02d}" if m else f"{h} h"


def _jour_proche(c: Context) -> str:
    d = c.day(1, 3)
    return "demain" if d == c.when.date() + timedelta(days=1) else JOURS[d.weekday()]


def _date_rdv(c: Context) -> str:
    d = c.day(2, 12)
    c["jour_rdv"] = JOURS[d.weekday()]
    return _d_long(d)


def _jour_rdv(c: Context) -> str:
    c["date_rdv"]  # noqa: B018 - computes and stores jour_rdv
    return dict.__getitem__(c, "jour_rdv")


def _date_audience(c: Context) -> str:
    return _d_long(c.day(8, 30))


def _jour_ferie(c: Context) -> str:
    d = c.when.date()
    for _ in range(400):
        d += timedelta(days=1)
        if d in french_holidays(d.year):
            return _d_long(d)
    return _d_long(d)


def _samedi_noel(c: Context) -> str:
    y = c.when.year
    d = date(y, 12, 1)
    saturdays = [d + timedelta(days=i) for i in range(31) if (d + timedelta(days=i)).weekday() == 5]
    return _d_long(saturdays[1])


def _month(c: Context, delta: int) -> str:
    return MOIS[(c.when.month - 1 + delta) % 12]


def _de(word: str) -> str:
    """French elision: "de novembre", "d'octobre"."""
    return f"d'{word}" if word[0] in "aeiouyéèêh" else f"de {word}"


def _colleague(c: Context) -> Person:
    if "_colleague" not in c:
        others = [p for p in COLLEAGUES if p.email != c.sender.email]
        c["_colleague"] = c.rng.choice(others)  # type: ignore[assignment]
    return dict.__getitem__(c, "_colleague")  # type: ignore[return-value]


def _visio(c: Context, platform: str | None = None) -> str:
    r = c.rng
    platform = platform or r.choices(("teams", "zoom", "jitsi", "webconf"), (6, 2, 2, 1))[0]
    tok = f"{r.getrandbits(64):016x}"
    if platform == "teams":
        return ("Réunion Microsoft Teams\nRejoindre la réunion : "
                f"https://teams.microsoft.com/l/meetup-join/19%3ameeting_{tok}%40thread.v2/0\n"
                f"ID de réunion : {r.randint(100, 999)} {r.randint(100, 999)} "
                f"{r.randint(100, 999)} {r.randint(100, 999)}\n"
                f"Code secret : {tok[:6].upper()}")
    if platform == "zoom":
        mid = r.randint(81_000_000_000, 89_999_999_999)
        return (f"Participer à la réunion Zoom : https://us06web.zoom.us/j/{mid}?pwd={tok}\n"
                f"ID de réunion : {str(mid)[:3]} {str(mid)[3:7]} {str(mid)[7:]}\n"
                f"Code secret : {r.randint(100000, 999999)}")
    if platform == "jitsi":
        room = f"MDS-SaintAubin-{tok[:8]}"
        return f"Visio Jitsi (sans compte, depuis le navigateur) : https://meet.jit.si/{room}"
    if platform == "etat":
        return ("Rejoindre le webinaire (service de webinaire de l'État) : "
                f"https://webinaire.numerique.gouv.fr/meeting/signin/{r.randint(10000, 99999)}/"
                f"creator/{r.randint(1000, 9999)}/hash/{tok}")
    return ("Webconférence de l'État : "
            f"https://webconf.numerique.gouv.fr/{tok[:4]}-{tok[4:8]}-{tok[8:12]}")


_FIELDS: dict[str, Any] = {
    "owner_first": lambda c: C.OWNER_FIRST,
    "owner_last": lambda c: C.OWNER_LAST,
    "owner_last_lower": lambda c: C.OWNER_LAST.lower(),
    "domain": lambda c: C.DOMAIN,
    "mx": lambda c: C.MX_HOST,
    "mds_adresse": lambda c: C.MDS_ADDRESS,
    "tel_service": lambda c: "02 61 91 24 00",
    "prenom": lambda c: c.sender.first,
    "nom": lambda c: c.sender.last,
    "e": lambda c: "e" if c.sender.female else "",
    "lien_enfant": lambda c: "la fille" if c.sender.female else "le fils",
    "frere_prenom": lambda c: c.rng.choice(C.MALE_FIRST),
    "u_civ": lambda c: c.usager.civ,
    "u_nom": lambda c: c.usager.last,
    "u_prenom": lambda c: c.usager.first,
    "u_nom_maj": lambda c: c.usager.last.upper(),
    "u_e": lambda c: "e" if c.usager.female else "",
    "u_il_elle": lambda c: "elle" if c.usager.female else "il",
    "u_il_elle_maj": lambda c: "Elle" if c.usager.female else "Il",
    "u_lui_elle": lambda c: "elle" if c.usager.female else "lui",
    "u2_nom": lambda c: c.gen.pick_usager().last,
    "enfant": lambda c: c.child[0],
    "enfant_e": lambda c: "e" if c.child[1] else "",
    "enfant_il_elle": lambda c: "elle" if c.child[1] else "il",
    "enfant_il_elle_maj": lambda c: "Elle" if c.child[1] else "Il",
    "enfant_le_la": lambda c: "la" if c.child[1] else "le",
    "enfant_age_petit": lambda c: str(c.rng.randint(1, 3)),
    "classe_college": lambda c: c.rng.choice(C.CLASSES_COLLEGE),
    "classe_primaire": lambda c: c.rng.choice(C.CLASSES_PRIMAIRE),
    "college": lambda c: c.rng.choice(C.COLLEGES),
    "mon_college": lambda c: (c.sender.org[0].lower() + c.sender.org[1:]
                              if c.sender.org.startswith("Collège")
                              else c.rng.choice(C.COLLEGES)),
    "jour_proche": _jour_proche,
    "date_rdv": _date_rdv,
    "jour_rdv": _jour_rdv,
    "heure": _heure,
    "date_autre": lambda c: _d_long(c.day(3, 9)),
    "date_limite": lambda c: _d_short(c.day(4, 15)),
    "date_lointaine": lambda c: _d_short(c.day(25, 60)),
    "date_passee": lambda c: _d_short(c.when.date() - timedelta(days=c.rng.randint(3, 20))),
    "date_commission": lambda c: _d_short(c.day(6, 18)),
    "date_audience": _date_audience,
    "semaine": lambda c: _d_long(c.when.date() + timedelta(days=7 * c.rng.randint(1, 3)
                                                         - c.when.weekday())),
    "heure_audience": lambda c: c.rng.choice(("9 h", "9 h 30", "10 h 30", "14 h", "15 h 30")),
    "date_courte": lambda c: c.when.strftime("%d/%m/%Y à %H:%M"),
    "mois": lambda c: _month(c, 0),
    "mois_suivant": lambda c: _month(c, 1),
    "mois_precedent": lambda c: _month(c, -1),
    "de_mois_suivant": lambda c: _de(_month(c, 1)),
    "de_mois_precedent": lambda c: _de(_month(c, -1)),
    "jour_ferie": _jour_ferie,
    "samedi_noel": _samedi_noel,
    "num_caf": lambda c: c.usager.caf or str(c.rng.randint(1_000_000, 9_999_999)),
    "num_mdph": lambda c: f"{c.when.year}-{c.rng.randint(1, 9999):06d}",
    "num_tj": lambda c: f"{c.when.year % 100 - c.rng.randint(0, 2):02d}/"
                        f"{c.rng.randint(1, 999):05d}",
    "num_sidonie": lambda c: f"D{c.when.year}-{c.rng.randint(1000, 99999):05d}",
    "num_sidonie2": lambda c: f"D{c.when.year - 1}-{c.rng.randint(1000, 99999):05d}",
    "montant": lambda c: _money(c.rng, 280, 4600),
    "petit_montant": lambda c: _money(c.rng, 25, 240),
    "montant_rond": lambda c: f"{c.rng.randrange(300, 2001, 50):,} €".replace(",", "\u202f"),
    "n_mois": lambda c: str(c.rng.randint(2, 11)),
    "n_absences": lambda c: str(c.rng.randint(12, 46)),
    "n_small": lambda c: str(c.rng.randint(2, 9)),
    "n_enfants": lambda c: ("deux", "trois", "quatre")[c.rng.randint(0, 2)],
    "surface": lambda c: str(c.rng.randint(28, 46)),
    "telephone": lambda c: c.sender.phone if c.sender.role == "usager" and c.sender.phone
    else _phone(c.rng),
    "adresse": lambda c: c.usager.street or f"{c.rng.randint(1, 60)}, {c.rng.choice(C.STREETS)}",
    "ville": lambda c: c.usager.town or c.rng.choice(C.TOWNS),
    "bailleur": lambda c: C.BAILLEUR,
    "hopital": lambda c: C.HOSPITAL,
    "document": lambda c: c.rng.choice(C.DOCUMENTS),
    "document_usager": lambda c: c.rng.choice(C.DOCUMENTS_USAGER),
    "organisme": lambda c: c.rng.choice(C.ORGANISMES),
    "motif": lambda c: c.rng.choice(C.MOTIFS),
    "empechement": lambda c: c.rng.choice(C.EMPECHEMENTS),
    "employeur": lambda c: c.rng.choice(C.EMPLOYEURS),
    "salle": lambda c: c.rng.choice(C.SALLES),
    "collegue_prenom": lambda c: _colleague(c).first,
    "collegue_nom": lambda c: _colleague(c).last,
    "visio_bloc": lambda c: _visio(c),
    "visio_etat": lambda c: _visio(c, "etat"),
    "ticket": lambda c: f"{c.rng.randint(40000, 49999):07d}",
    "glpi_statut": lambda c: c.rng.choice(("En cours (attribué)", "Résolu", "En attente")),
    "glpi_suivi": lambda c: c.rng.choice((
        "Intervention prévue sur site jeudi matin.",
        "Les droits d'accès ont été rétablis, merci de confirmer.",
        "Pièce commandée, délai estimé d'une semaine.")),
    "teams_message": lambda c: c.rng.choice(C.TEAMS_MESSAGES),
    "intranet_titre": lambda c: c.rng.choice(C.INTRANET_TITRES),
    "intranet_slug": lambda c: _ascii(c["intranet_titre"]),
    "contact_prenom": lambda c: c.rng.choice(C.FEMALE_FIRST),
    "contact_nom": lambda c: c.rng.choice(C.LAST_NAMES),
    "contact_slug": lambda c: f"{_ascii(c['contact_prenom'])}-{_ascii(c['contact_nom'])}-"
                              f"{c.rng.getrandbits(24):06x}",
    "parapheur_dossier": lambda c: f"{c.rng.choice(C.PARAPHEUR_DOSSIERS)} — {c.usager.last}",
    "evento_titre": lambda c: c.rng.choice(C.EVENTO_TITRES),
    "evento_id": lambda c: f"{c.rng.getrandbits(40):010x}",
    "duree": lambda c: f"0:{c.rng.randint(8, 59):02d}",
    "bounce_sujet": lambda c: c.rng.choice(("Proposition de rendez-vous", "Pièces à fournir",
                                            "Votre dossier")),
    "bounce_adresse": lambda c: c.gen.pick_usager().email.replace("@", ".ancien@", 1),
    "token": lambda c: f"{c.rng.getrandbits(96):024x}",
    "token_court": lambda c: f"{c.rng.randint(10**8, 10**9 - 1)}",
}


def fill(template: str, ctx: Context) -> str:
    """Render a corpus template: pick the [[a|b]] options, then fill the {fields}."""
    rng = ctx.rng
    text = "".join(p if isinstance(p, str) else rng.choice(p) for p in _compile(template))
    return _tidy(text.format_map(ctx))


# --- bodies ----------------------------------------------------------------------------------


@dataclass(slots=True)
class Quote:
    """The message being answered, as the replying client shows it."""

    when: datetime
    sender: str  # display name
    sender_email: str
    to: str  # "Name <email>"
    subject: str
    text: str


@dataclass(slots=True)
class Body:
    greeting: str
    text: str
    closing: str
    signature: str
    quote: Quote | None = None


def _quote_header(style: str, q: Quote) -> str:
    w = q.when.astimezone(TZ)
    hm = f"{w.hour:02d}:{w.minute:02d}"
    if style == "gmail":
        return (f"Le {JOURS_ABR[w.weekday()]} {w.day} {MOIS_ABR[w.month - 1]} {w.year} à {hm}, "
                f"{q.sender} <{q.sender_email}> a écrit :")
    if style == "apple":
        return (f"Le {w.day} {MOIS_ABR[w.month - 1]} {w.year} à {hm}, {q.sender} "
                f"<{q.sender_email}> a écrit :")
    if style == "thunderbird":
        return f"Le {w.day:02d}/{w.month:02d}/{w.year} à {hm}, {q.sender} a écrit :"
    if style == "zimbra":
        return (f"De: \"{q.sender}\" <{q.sender_email}>\nÀ: {q.to}\n"
                f"Envoyé: {JOURS[w.weekday()].capitalize()} {w.day} "
                f"{MOIS[w.month - 1].capitalize()} {w.year} {hm}:{w.second:02d}\n"
                f"Objet: {q.subject}")
    if style == "orange":
        return (f"> Message du {w.day:02d}/{w.month:02d}/{w.year % 100:02d} {hm}\n"
                f"> De : \"{q.sender}\" <{q.sender_email}>\n> A : {q.to}\n> Objet : {q.subject}")
    if style == "android":
        return (f"-------- Message d'origine --------\nDe : {q.sender} <{q.sender_email}>\n"
                f"Date : {w.day:02d}/{w.month:02d}/{w.year} {hm} (GMT+01:00)\n"
                f"À : {q.to}\nObjet : {q.subject}")
    head = (f"De : {q.sender} <{q.sender_email}>\nEnvoyé : {JOURS[w.weekday()]} {w.day} "
            f"{MOIS[w.month - 1]} {w.year} {hm}\nÀ : {q.to}\nObjet : {q.subject}")
    if style == "outlook_old":
        return "-----Message d'origine-----\n" + head
    return head


def _prefix(text: str) -> str:
    return "\n".join(("> " + line) if line and not line.startswith(">") else ">" + line
                     for line in text.split("\n"))


def body_text(b: Body, profile: Profile) -> str:
    """The text/plain body as the client writes it: new text, signature, then the quote.
    French typography (Outlook's autocorrect) applies to what is typed, not to the quote."""
    parts = [p for p in (b.greeting, b.text, b.closing) if p]
    out = "\n\n".join(parts)
    if b.signature:
        sep = "\n\n-- \n" if profile.name == "thunderbird" else ("\n" if b.closing else "\n\n")
        out += sep + b.signature
    if profile.typography:
        out = _typo(out)
    if profile.mobile_footer:
        out += "\n\n" + profile.mobile_footer
    if b.quote is not None:
        q = b.quote
        style = profile.quote
        head = _quote_header(style, q)
        if style in ("gmail", "thunderbird"):
            out += f"\n\n{head}\n{_prefix(q.text)}"
        elif style == "apple":
            out += f"\n\n{_prefix(head)}\n>\n{_prefix(q.text)}"
        elif style == "orange":
            out += f"\n\n{head}\n>\n{_prefix(q.text)}"
        elif style == "zimbra":
            out += f"\n\n----- Mail original -----\n{head}\n\n{_prefix(q.text)}"
        else:
            out += f"\n\n{head}\n\n{q.text}"
    return out + "\n"


_URL = re.compile(r"https?://[^\s<>\"]+")


def _html_inline(text: str) -> str:
    esc = html.escape(text, quote=False)
    return _URL.sub(lambda m: f'<a href="{m.group(0)}">{m.group(0)}</a>', esc)


def _html_paras(text: str, tag: str = "p", cls: str = "") -> str:
    """Paragraphs as a client's editor writes them (Gmail: <div>s with an empty line between)."""
    attr = f' class="{cls}"' if cls else ""
    paras = [p for p in text.split("\n\n") if p.strip()]
    sep = "<div><br></div>" if tag == "div" else ""
    return sep.join(f"<{tag}{attr}>{'<br>'.join(_html_inline(x) for x in p.split(chr(10)))}"
                    f"</{tag}>" for p in paras)


def body_html(b: Body, profile: Profile) -> str:
    main = "\n\n".join(p for p in (b.greeting, b.text, b.closing) if p)
    if profile.quote == "outlook":
        inner = _html_paras(main, "p", "MsoNormal")
        if b.signature:
            inner += _html_paras(b.signature.replace("\n", "\n"), "p", "MsoNormal")
        if b.quote is not None:
            q = b.quote
            w = q.when.astimezone(TZ)
            head = (f"<b>De&nbsp;:</b> {html.escape(q.sender)} &lt;{html.escape(q.sender_email)}"
                    f"&gt;<br><b>Envoyé&nbsp;:</b> {JOURS[w.weekday()]} {w.day} "
                    f"{MOIS[w.month - 1]} {w.year} {w.hour:02d}:{w.minute:02d}<br>"
                    f"<b>À&nbsp;:</b> {html.escape(q.to)}<br>"
                    f"<b>Objet&nbsp;:</b> {html.escape(q.subject)}")
            inner += ('<div style="border:none;border-top:solid #E1E1E1 1.0pt;padding:3.0pt 0cm '
                      f'0cm 0cm"><p class="MsoNormal">{head}</p></div>'
                      + _html_paras(q.text, "p", "MsoNormal"))
        return ('<html xmlns:o="urn:schemas-microsoft-com:office:office" '
                'xmlns:w="urn:schemas-microsoft-com:office:word"><head>'
                '<meta http-equiv="Content-Type" content="text/html; charset=utf-8">'
                '<style>p.MsoNormal{margin:0cm;font-size:11.0pt;font-family:"Calibri",'
                'sans-serif;}</style></head><body lang="FR" link="#0563C1" vlink="#954F72">'
                f'<div class="WordSection1">{inner}</div></body></html>\n')
    inner = _html_paras(main, "div")
    if b.signature:
        inner += f'<div class="signature">{_html_paras(b.signature, "div")}</div>'
    if profile.mobile_footer:
        inner += f"<div><br>{html.escape(profile.mobile_footer)}</div>"
    if b.quote is not None:
        q = b.quote
        head = html.escape(_quote_header("gmail", q))
        inner += (f'<br><div class="gmail_quote"><div dir="ltr" class="gmail_attr">{head}<br>'
                  '</div><blockquote class="gmail_quote" style="margin:0px 0px 0px 0.8ex;'
                  'border-left:1px solid rgb(204,204,204);padding-left:1ex">'
                  f'{_html_paras(q.text, "div")}</blockquote></div>')
    return f'<div dir="ltr">{inner}</div>\n'


# --- attachments -----------------------------------------------------------------------------


def _fake_pdf(rng: random.Random, title: str) -> bytes:
    stream = rng.randbytes(rng.randint(1500, 9000))
    return (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
            b"2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n"
            b"3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>"
            b"\nendobj\n4 0 obj\n<< /Length " + str(len(stream)).encode() + b" /Filter "
            b"/FlateDecode >>\nstream\n" + stream + b"\nendstream\nendobj\n"
            b"5 0 obj\n<< /Title (" + title.encode("latin-1", "replace") + b") >>\nendobj\n"
            b"trailer\n<< /Root 1 0 R /Info 5 0 R >>\n%%EOF\n")


def _fake_jpeg(rng: random.Random) -> bytes:
    return (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00H\x00H\x00\x00"
            + rng.randbytes(rng.randint(6000, 16000)) + b"\xff\xd9")


def _zip(members: list[tuple[str, bytes]], when: datetime) -> bytes:
    buf = io.BytesIO()
    dt = when.astimezone(TZ)
    stamp = (max(dt.year, 1980), dt.month, dt.day, dt.hour, dt.minute, dt.second - dt.second % 2)
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members:
            info = zipfile.ZipInfo(name, stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, data)
    return buf.getvalue()


_DOCX_CT = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas'
            '.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType'
            '="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
            'ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="'
            '{main}"/>{extra}</Types>')
_DOCX_RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http'
              '://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
              'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDo'
              'cument" Target="word/document.xml"/></Relationships>')


def _docx(text: str, when: datetime, macro: bool = False) -> bytes:
    main = ("application/vnd.ms-word.document.macroEnabled.main+xml" if macro else
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml")
    extra = ('<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'
             if macro else "")
    doc = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="http://'
           'schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
           + "".join(f"<w:p><w:r><w:t>{html.escape(p)}</w:t></w:r></w:p>"
                     for p in text.split("\n")) + "</w:body></w:document>")
    members = [("[Content_Types].xml", _DOCX_CT.format(main=main, extra=extra).encode()),
               ("_rels/.rels", _DOCX_RELS.encode()), ("word/document.xml", doc.encode())]
    if macro:
        # An inert stand-in for a VBA project: the OLE signature and the stream names that a
        # detector looks for, no code that could run.
        vba = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 24
               + "VBA\x00PROJECT\x00dir\x00ThisDocument\x00".encode("utf-16-le")
               + b"Attribute VB_Name = \"ThisDocument\"\r\nSub AutoOpen()\r\nEnd Sub\r\n")
        members.append(("word/vbaProject.bin", vba))
    return _zip(members, when)


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


# --- the generator ---------------------------------------------------------------------------


@dataclass(slots=True)
class ThreadEntry:
    """A message that may be answered later: enough of it to write a reply that quotes it."""

    message_id: str
    references: tuple[str, ...]
    subject: str
    when: datetime
    author: Person
    other: Person  # the correspondent (not the owner)
    text: str
    category: str  # rdv | documents | partner | court | colleague | usager | meeting
    depth: int = 0


@dataclass(slots=True)
class Draft:
    kind: str
    when: datetime
    sender: Person
    to: list[Person]
    subject: str
    body: Body | None = None
    cc: list[Person] = field(default_factory=list)
    text: str = ""  # ready-made text (bulk, lures); used when body is None
    html: str = ""
    attachments: list[tuple[bytes, str, str]] = field(default_factory=list)
    lane: Lane | None = Lane.PRIORITY
    flags: set[Flag] = field(default_factory=set)
    folder: str = "INBOX"
    extra: list[tuple[str, str]] = field(default_factory=list)
    in_reply_to: str = ""
    references: tuple[str, ...] = ()
    profile: str = ""
    calendar: str = ""
    to_header: str = ""  # overrides the To header (undisclosed recipients, lists)
    auth: str = "pass"
    mid_domain: str = ""
    remember: str = ""  # thread category, for the reply that may come
    team_thread: bool = False  # a team message that others may reply-all to
    depth: int = 0  # how many exchanges deep in its thread


class _Gen:
    """Holds the random state, the cast and the open threads while messages are produced."""

    def __init__(self, size: int, seed: int, start: datetime, weeks: int) -> None:
        self.rng = random.Random(seed)
        self.size = size
        self.start = start
        self.weeks = weeks
        self.owner = demo_owner()
        self.caseload = self._make_caseload(max(30, min(size // 5, 6000)))
        # what the owner wrote and a person may answer, and what a person asked her
        self.awaiting_reply: deque[ThreadEntry] = deque(maxlen=200)
        self.awaiting_answer: deque[ThreadEntry] = deque(maxlen=200)
        self.team_threads: deque[ThreadEntry] = deque(maxlen=20)
        self.seq = 0

    # cast ---------------------------------------------------------------------------------

    def _make_caseload(self, n: int) -> list[Person]:
        r = random.Random(f"caseload-{self.rng.random()}")
        used: set[str] = set()
        out = []
        domains = [d for d, _, _ in C.CONSUMER_DOMAINS]
        profiles = {d: p for d, _, p in C.CONSUMER_DOMAINS}
        for _ in range(n):
            female = r.random() < 0.68
            first = r.choice(C.FEMALE_FIRST if female else C.MALE_FIRST)
            last = r.choice(C.LAST_NAMES)
            dom = r.choices(domains, _CONSUMER_W)[0]
            f, l_ = _ascii(first).replace("-", ""), _ascii(last).replace("-", "")
            pattern = r.randrange(7)
            local = (f"{f}.{l_}", f"{f}{l_}{r.randint(60, 99)}", f"{l_}.{f}", f"{f[0]}{l_}",
                     f"{f}.{l_}{r.randint(1, 99)}", f"{l_}{f}{r.randint(1970, 2004)}",
                     f"{f}-{l_}")[pattern]
            while f"{local}@{dom}" in used:
                local += str(r.randint(0, 9))
            email = f"{local}@{dom}"
            used.add(email)
            profile = profiles[dom]
            if profile == "gmail":
                profile = r.choice(_GMAIL_CLIENTS)
            disp_style = r.randrange(10)
            display = (f"{first} {last}" if disp_style < 5 else
                       f"{last.upper()} {first}" if disp_style < 7 else
                       f"{first.lower()} {last.lower()}" if disp_style < 8 else
                       f"{first} {last[0]}." if disp_style < 9 else "")
            kids = tuple(self._child(r) for _ in range(r.choice((0, 1, 1, 2, 2, 3, 4))))
            out.append(Person(first, last, female, email, display, profile, "usager",
                              phone=_phone(r), informal=r.random() < 0.2,
                              signature_style=r.randrange(5), children=kids,
                              caf=str(r.randint(1_000_000, 9_999_999)),
                              street=f"{r.randint(1, 80)}, {r.choice(C.STREETS)}",
                              town=r.choice(C.TOWNS)))
        return out

    @staticmethod
    def _child(r: random.Random) -> tuple[str, bool, int]:
        girl = r.random() < 0.5
        return (r.choice(C.CHILD_F if girl else C.CHILD_M), girl, r.randint(1, 17))

    def make_child(self) -> tuple[str, bool, int]:
        return self._child(self.rng)

    def pick_usager(self) -> Person:
        # A few families take most of the time, as in any caseload.
        n = len(self.caseload)
        i = int(n * (self.rng.random() ** 1.6))
        return self.caseload[min(i, n - 1)]

    def make_relative(self) -> Person:
        r = self.rng
        female = r.random() < 0.7
        first = r.choice(C.FEMALE_FIRST if female else C.MALE_FIRST)
        last = r.choice(C.LAST_NAMES)
        dom, _, profile = r.choices(C.CONSUMER_DOMAINS, _CONSUMER_W)[0]
        email = f"{_ascii(first).replace('-', '')}.{_ascii(last).replace('-', '')}" \
                f"{r.randint(1, 99)}@{dom}"
        if profile == "gmail":
            profile = r.choice(_GMAIL_CLIENTS)
        return Person(first, last, female, email, f"{first} {last}", profile, "family",
                      phone=_phone(r))

    # schedule -----------------------------------------------------------------------------

    def schedule(self) -> array[int]:
        """Every message's (time, kind) as one sortable integer, in a compact array."""
        r = random.Random(f"schedule-{self.rng.random()}")
        counts = _quotas(self.size)
        days = [(self.start.date() + timedelta(days=i)) for i in range(self.weeks * 7)]
        day_cw: dict[str, list[float]] = {}
        for name, (wd, we, _) in TIMINGS.items():
            acc, cw = 0.0, []
            for d in days:
                off = d.weekday() >= 5 or d in french_holidays(d.year)
                acc += we if off else wd[d.weekday()]
                cw.append(acc)
            day_cw[name] = cw
        keys: list[int] = []
        for ki, kind in enumerate(KINDS):
            n = counts[kind.name]
            if not n:
                continue
            cw = day_cw[kind.timing]
            _, _, slots = TIMINGS[kind.timing]
            slot_cw = []
            acc = 0.0
            for s in slots:
                acc += s[2]
                slot_cw.append(acc)
            if cw[-1] <= 0:
                cw = day_cw["notification"]
            picks = r.choices(days, cum_weights=cw, k=n)
            slot_picks = r.choices(slots, cum_weights=slot_cw, k=n)
            for d, (lo, hi, _) in zip(picks, slot_picks, strict=True):
                minute = r.randrange(lo, hi)
                local = datetime(d.year, d.month, d.day, minute // 60, minute % 60,
                                 r.randrange(60), tzinfo=TZ)
                keys.append(int(local.timestamp()) * 64 + ki)
        keys.sort()
        return array("q", keys)

    # identifiers --------------------------------------------------------------------------

    def message_id(self, style: str, when: datetime, domain: str) -> str:
        r = self.rng
        self.seq += 1
        if style == "gmail":
            tok = "".join(r.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
                          for _ in range(44))
            return f"<CA{tok}@mail.gmail.com>"
        if style in ("apple", "android"):
            u = f"{r.getrandbits(128):032X}"
            host = domain if style == "apple" else "email.android.com"
            return f"<{u[:8]}-{u[8:12]}-{u[12:16]}-{u[16:20]}-{u[20:]}@{host}>"
        if style == "exchange_org":
            n = r.randint(1, 4)
            return f"<{r.getrandbits(160):040X}@EXMBX0{n}.ad.{C.DOMAIN}>"
        if style in ("exchange", "outlookcom"):
            srv = f"PA{r.randint(4, 7)}P{r.randint(190, 299)}MB{r.randint(1000, 9999):04d}"
            return f"<{srv}{r.getrandbits(128):032X}@{srv}.EURP{srv[4:7]}.PROD.OUTLOOK.COM>"
        if style == "zimbra":
            return (f"<{r.randint(10**8, 10**9)}.{r.randint(10**6, 10**7)}."
                    f"{int(when.timestamp() * 1000)}.JavaMail.zimbra@{domain}>")
        if style == "orange":
            return f"<{r.randint(10**8, 10**9)}.{r.randint(1000, 99999)}." \
                   f"{int(when.timestamp() * 1000)}.JavaMail.www@wwinf{r.randint(1000, 9999)}>"
        if style == "thunderbird":
            u = f"{r.getrandbits(128):032x}"
            return f"<{u[:8]}-{u[8:12]}-{u[12:16]}-{u[16:20]}-{u[20:]}@{domain}>"
        u = when.astimezone(UTC)
        stamp = f"{u.year}{u.month:02d}{u.day:02d}{u.hour:02d}{u.minute:02d}{u.second:02d}"
        return f"<{stamp}.{r.getrandbits(48):012X}@{domain}>"

    # compose one message ------------------------------------------------------------------

    def build(self, kind: str, when: datetime) -> DemoMessage:
        maker = getattr(self, f"_k_{kind}")
        draft: Draft = maker(when)
        return self.render(draft)

    # people scenarios ---------------------------------------------------------------------

    def _person_draft(self, kind: str, when: datetime, sender: Person, tpl: C.Tpl,
                      u: Person | None = None, to_others: list[Person] | None = None) -> Draft:
        ctx = Context(self, when, sender, u)
        subject = fill(self.rng.choice(tpl.subjects), ctx) if tpl.subjects else ""
        text = fill(tpl.body, ctx)
        body = self._wrap_body(sender, text, tpl.ask, tpl.style, when, ctx,
                               team=tpl.audience != "direct", group=tpl.audience == "group")
        draft = Draft(kind, when, sender, [OWNER_PERSON], subject, body)
        if tpl.audience in ("direct", "group"):
            draft.lane = Lane.PRIORITY
            if tpl.ask:
                draft.flags.add(Flag.REPLY_EXPECTED)
            if tpl.audience == "group":
                others = [p for p in COLLEAGUES if p.email != sender.email]
                draft.to += self.rng.sample(others, self.rng.randint(1, 3))
                draft.cc = [self.rng.choice(PARTNERS[self.rng.choice(("school", "caf", "cpam"))])]
            elif self.rng.random() < 0.12 and sender.role == "partner":
                draft.cc = [self.rng.choice(COLLEAGUES)]
        else:
            draft.lane = Lane.INFO
            if tpl.audience == "cc":
                draft.to = to_others or [self.rng.choice(COLLEAGUES)]
                draft.cc = [OWNER_PERSON]
            else:
                name, addr = C.TEAM_LIST if tpl.audience == "team" else C.TERRITORY_LIST
                draft.to = [Person("", "", True, addr, name, "", "list")]
        if tpl.attach:
            draft.attachments.extend(self._attachments(tpl.attach, ctx))
        if tpl.ask and tpl.audience in ("direct", "group") and sender.role != "owner":
            self.awaiting_answer.append(ThreadEntry("", (), subject, when, sender, sender,
                                                    body_text(body, PROFILES[sender.profile]),
                                                    _category(sender), 0))
        return draft

    def _wrap_body(self, sender: Person, text: str, ask: bool, style: str, when: datetime,
                   ctx: Context, team: bool = False, group: bool = False) -> Body:
        """Greeting, closing and signature as this sender writes them to this audience
        (``team``: a list or several people; ``group``: with partners in copy)."""
        r = self.rng
        hour = when.astimezone(TZ).hour
        evening = hour >= 18 or hour < 6
        role = sender.role
        if style == "informal":
            sig = r.choice(("", sender.first, sender.full, f"{sender.last.upper()} {sender.first}"))
            return Body("", text, "", sig)
        if role in ("usager", "family"):
            bonjour = "Bonsoir" if evening and r.random() < 0.6 else "Bonjour"
            greeting = r.choice((f"{bonjour} Madame,", f"{bonjour} Madame Martin,", "Madame,",
                                 f"{bonjour} Mme Martin,", f"{bonjour},"))
            closing = r.choice(("Merci d'avance.", "Cordialement,", "Merci beaucoup.",
                                "Je vous remercie par avance.", "Bien cordialement,",
                                "Dans l'attente de votre réponse, je vous prie d'agréer, Madame, "
                                "mes salutations distinguées.") if ask else
                               ("Cordialement,", "Bonne journée,", "Bien cordialement,",
                                "Je vous prie d'agréer, Madame, mes salutations distinguées.",
                                "Bonne soirée," if evening else "Bonne fin de journée,"))
            if evening:
                closing = closing.replace("Bonne journée", "Bonne soirée")
            s = sender.signature_style
            sig = (sender.full, f"{sender.last.upper()} {sender.first}",
                   f"{sender.civ} {sender.last}", sender.first, f"{sender.full}\n{sender.phone}")[s]
            return Body(greeting, text, closing, sig)
        if role == "partner":
            if sender.key.startswith("greffe"):
                return Body("", text, "Le greffe", f"{sender.title}\n{sender.org}\n"
                            f"Tél. : {sender.phone}")
            greeting = r.choice(("Bonjour Madame,", "Bonjour Madame Martin,", "Madame,", "Bonjour,",
                                 "Chère collègue,"))
            closing = r.choice(("Cordialement,", "Bien cordialement,", "Bien à vous,",
                                "Avec mes remerciements,") if ask else
                               ("Cordialement,", "Bien cordialement,", "Bien à vous,"))
            sig = f"{sender.full}\n{sender.title}\n{sender.org}\nTél. : {sender.phone}"
            if r.random() < 0.35:
                sig += ("\n\nCe message et ses pièces jointes sont confidentiels et destinés "
                        "exclusivement à leurs destinataires. Si vous avez reçu ce message par "
                        "erreur, merci de le détruire et d'en avertir l'expéditeur.")
            return Body(greeting, text, closing, sig)
        if role in ("colleague", "manager"):
            formal = sender.key == "isabelle" or group
            if team:
                greeting = r.choice(("Bonjour à toutes et à tous,", "Bonjour à tous,",
                                     "Bonjour l'équipe,", "Hello tout le monde,") if not formal
                                    else ("Bonjour à toutes et à tous,", "Bonjour à tous,")
                                    if group else ("Bonjour à toutes et à tous,",
                                                   "Mesdames, Messieurs,"))
            elif formal:
                greeting = r.choice(("Madame,", "Bonjour Madame Martin,", "Bonjour,"))
            else:
                salut = "Bonsoir" if evening else r.choice(("Bonjour", "Bonjour", "Salut",
                                                            "Coucou", "Hello"))
                greeting = r.choice((f"{salut} Camille,", f"{salut} Camille,", "Camille,", ""))
            if formal:
                closing = "Bien cordialement,"
            else:
                closing = r.choice(("Merci !", "Merci d'avance,", "Bonne journée,", "Bises,",
                                    "À tout à l'heure,") if ask and not team else
                                   ("Bonne journée !", "Bises,", "Bonne fin de journée,",
                                    "À plus,", "Bonne soirée," if evening else "Merci,"))
                if evening:
                    closing = (closing.replace("Bonne fin de journée", "Bonne soirée")
                               .replace("Bonne journée", "Bonne soirée")
                               .replace("À tout à l'heure", "À demain"))
            if formal or r.random() < 0.45:
                org = sender.org if sender.org == C.DEPARTEMENT else \
                    f"{sender.org}\n{C.DEPARTEMENT}"
                sig = (f"{sender.first} {sender.last.upper()}\n{sender.title}\n{org}\n"
                       f"Tél. : {sender.phone}")
                if r.random() < 0.3:
                    sig += "\n\nPensez à l'environnement avant d'imprimer ce courriel."
            else:
                sig = sender.first
            return Body(greeting, text, closing, sig)
        if role == "internal":
            greeting = (r.choice(("Bonjour à toutes et à tous,", "Mesdames, Messieurs,",
                                  "Chères et chers collègues,")) if team
                        else r.choice(("Madame,", "Bonjour,", "Bonjour Madame Martin,")))
            return Body(greeting, text, "Cordialement,", sender.title)
        if role == "owner":
            return Body("", text, "", "")
        return Body("", text, "", "")

    def _k_usager_request(self, when: datetime) -> Draft:
        u = self.pick_usager()
        pool = C.USAGER_REQUEST
        if u.informal and self.rng.random() < 0.6:
            pool = tuple(t for t in pool if t.style == "informal")
        return self._person_draft("usager_request", when, u, self.rng.choice(pool))

    def _k_usager(self, when: datetime) -> Draft:
        u = self.pick_usager()
        return self._person_draft("usager", when, u, self.rng.choice(C.USAGER_INFO))

    def _k_family(self, when: datetime) -> Draft:
        rel = self.make_relative()
        return self._person_draft("family", when, rel, self.rng.choice(C.FAMILY),
                                  u=self.pick_usager())

    def _partner_kind(self, kind: str, when: datetime, group: str,
                      templates: tuple[C.Tpl, ...]) -> Draft:
        tpl = self.rng.choice(templates)
        sender = PARTNER_BY_KEY[tpl.who] if tpl.who in PARTNER_BY_KEY else \
            self.rng.choice(PARTNERS[group])
        others = None
        if tpl.audience == "cc":
            others = [self.rng.choice([p for g, v in PARTNERS.items() if g != group
                                       and g != "court" for p in v])]
        return self._person_draft(kind, when, sender, tpl, u=self.pick_usager(), to_others=others)

    def _k_caf(self, when: datetime) -> Draft:
        return self._partner_kind("caf", when, "caf", C.CAF)

    def _k_cpam(self, when: datetime) -> Draft:
        return self._partner_kind("cpam", when, "cpam", C.CPAM)

    def _k_mdph(self, when: datetime) -> Draft:
        return self._partner_kind("mdph", when, "mdph", C.MDPH)

    def _k_france_travail(self, when: datetime) -> Draft:
        return self._partner_kind("france_travail", when, "france_travail", C.FRANCE_TRAVAIL)

    def _k_school(self, when: datetime) -> Draft:
        return self._partner_kind("school", when, "school", C.SCHOOL)

    def _k_court(self, when: datetime) -> Draft:
        return self._partner_kind("court", when, "court", C.COURT)

    def _k_partner(self, when: datetime) -> Draft:
        group, templates = self.rng.choice((("bailleur", C.BAILLEUR_T), ("bailleur", C.BAILLEUR_T),
                                            ("hospital", C.HOSPITAL_T), ("ccas", C.CCAS_T)))
        return self._partner_kind("partner", when, group, templates)

    def _k_complaint(self, when: datetime) -> Draft:
        return self._person_draft("complaint", when, self.pick_usager(),
                                  self.rng.choice(C.COMPLAINT))

    def _k_distress(self, when: datetime) -> Draft:
        return self._person_draft("distress", when, self.pick_usager(), self.rng.choice(C.DISTRESS))

    def _k_quoted_insult(self, when: datetime) -> Draft:
        return self._person_draft("quoted_insult", when, self.pick_usager(),
                                  self.rng.choice(C.QUOTED_INSULT))

    def _k_child_at_risk(self, when: datetime) -> Draft:
        tpl = self.rng.choice(C.CHILD_AT_RISK)
        return self._person_draft("child_at_risk", when, PARTNER_BY_KEY[tpl.who], tpl,
                                  u=self.pick_usager())

    def _k_aggressive(self, when: datetime) -> Draft:
        d = self._person_draft("aggressive", when, self.pick_usager(),
                               self.rng.choice(C.AGGRESSIVE))
        d.flags.add(Flag.AGGRESSIVE)
        return d

    # internal scenarios -------------------------------------------------------------------

    def _k_colleague(self, when: datetime) -> Draft:
        r = self.rng
        if r.random() < 0.35:
            tpl = r.choice(C.COLLEAGUE_TEAM)
        else:
            tpl = r.choice(C.COLLEAGUE_DIRECT)
        sender = (next(p for p in COLLEAGUES if p.key == tpl.who) if tpl.who
                  else r.choice(COLLEAGUES))
        d = self._person_draft("colleague", when, sender, tpl)
        if tpl.audience == "team":
            self._team_reply_all(d)
        return d

    def _team_reply_all(self, d: Draft) -> None:
        """Now and then a team message is a reply-all to an earlier one."""
        r = self.rng
        if self.team_threads and r.random() < 0.3:
            parent = r.choice(self.team_threads)
            d.subject = "RE : " + _strip_prefix(parent.subject)
            d.in_reply_to = parent.message_id
            d.references = (*parent.references, parent.message_id)[-8:]
            assert d.body is not None
            d.body = Body("", r.choice(("Je serai là !", "Merci pour l'info.",
                                        "Bien noté, merci.", "Super, merci !")), "",
                          d.sender.first,
                          Quote(parent.when, parent.author.display, parent.author.email,
                                f"{C.TEAM_LIST[0]} <{C.TEAM_LIST[1]}>", parent.subject,
                                parent.text))
        else:
            d.team_thread = True

    def _pick(self, templates: tuple[C.Tpl, ...], when: datetime) -> C.Tpl:
        """A template that fits the hour (some only make sense written in the evening)."""
        h = when.astimezone(TZ).hour
        if not (h >= 18 or h < 6):
            templates = tuple(t for t in templates if not t.evening) or templates
        return self.rng.choice(templates)

    def _k_manager(self, when: datetime) -> Draft:
        tpl = self._pick(C.MANAGER, when)
        sender = CHEF if tpl.who == "chef" else DIRECTRICE
        return self._person_draft("manager", when, sender, tpl)

    def _k_internal_note(self, when: datetime) -> Draft:
        tpl = self.rng.choice(C.INTERNAL_NOTE)
        sender = INTERNAL[tpl.who]
        ctx = Context(self, when, sender)
        subject = fill(self.rng.choice(tpl.subjects), ctx)
        text = fill(tpl.body, ctx)
        body = self._wrap_body(sender, text, False, "formal", when, ctx, team=True)
        d = Draft("internal_note", when, sender, [], subject, body, lane=Lane.INFO)
        d.to_header = mime.address(*C.ALL_STAFF, style=mime.UTF8_Q)
        d.extra.append(("X-Auto-Response-Suppress", "All"))
        return d

    def _k_meeting(self, when: datetime) -> Draft:
        r = self.rng
        tpl = r.choice(C.MEETING)
        if tpl.who == "colleague":
            sender = r.choice(COLLEAGUES)
        elif tpl.who in INTERNAL:
            sender = INTERNAL[tpl.who]
        else:
            sender = CHEF if tpl.who == "chef" else DIRECTRICE
        d = self._person_draft("meeting", when, sender, tpl)
        if r.random() < 0.45:
            d.calendar = self._ics(d, when)
        return d

    def _ics(self, d: Draft, when: datetime) -> str:
        r = self.rng
        day = _business_day(when.date(), r.randint(2, 10))
        h = r.choice((9, 10, 14, 15))
        start = datetime(day.year, day.month, day.day, h, r.choice((0, 30)), tzinfo=TZ)
        end = start + timedelta(minutes=r.choice((60, 90, 120)))
        fmt = "%Y%m%dT%H%M%S"
        uid = f"{r.getrandbits(128):032X}"
        text = d.body.text if d.body else ""
        link = _URL.search(text)
        lines = [
            "BEGIN:VCALENDAR", "METHOD:REQUEST", "PRODID:Microsoft Exchange Server 2019",
            "VERSION:2.0", "BEGIN:VTIMEZONE", "TZID:Europe/Paris", "BEGIN:STANDARD",
            "DTSTART:16010101T030000", "TZOFFSETFROM:+0200", "TZOFFSETTO:+0100",
            "RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=10", "END:STANDARD",
            "BEGIN:DAYLIGHT", "DTSTART:16010101T020000", "TZOFFSETFROM:+0100",
            "TZOFFSETTO:+0200", "RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=3",
            "END:DAYLIGHT", "END:VTIMEZONE", "BEGIN:VEVENT",
            f"ORGANIZER;CN=\"{d.sender.display}\":mailto:{d.sender.email}",
            f"ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE;CN=\"{C.OWNER_FIRST} "
            f"{C.OWNER_LAST.upper()}\":mailto:{self.owner.email}",
            f"SUMMARY;LANGUAGE=fr-FR:{_ics_text(d.subject)}",
            f"DTSTART;TZID=Europe/Paris:{start.strftime(fmt)}",
            f"DTEND;TZID=Europe/Paris:{end.strftime(fmt)}",
            f"UID:{uid}", f"DTSTAMP:{when.astimezone(UTC).strftime(fmt)}Z",
            f"LOCATION;LANGUAGE=fr-FR:{_ics_text(link.group(0) if link else 'MDS Saint-Aubin')}",
            "SEQUENCE:0", "STATUS:CONFIRMED", "TRANSP:OPAQUE", "CLASS:PUBLIC",
            "BEGIN:VALARM", "TRIGGER:-PT15M", "ACTION:DISPLAY", "DESCRIPTION:Rappel",
            "END:VALARM", "END:VEVENT", "END:VCALENDAR"]
        return "\r\n".join(_ics_fold(line).replace("\n", "\r\n") for line in lines) + "\r\n"

    def _k_auto_reply(self, when: datetime) -> Draft:
        r = self.rng
        sender = r.choice(COLLEAGUES + tuple(p for g in ("caf", "france_travail", "mdph")
                                             for p in PARTNERS[g]))
        ctx = Context(self, when, sender)
        subject = "Réponse automatique : " + r.choice(("Situation de la famille " +
                                                       self.pick_usager().last,
                                                       "Dossier FSL", "Demande d'information",
                                                       "Synthèse", "Rapport"))
        text = fill(r.choice(C.AUTO_REPLY), ctx)
        d = Draft("auto_reply", when, sender, [OWNER_PERSON], subject, Body("", text, "", ""),
                  lane=Lane.BULK)
        d.extra += [("Auto-Submitted", "auto-replied"), ("X-Auto-Response-Suppress", "All")]
        return d

    # replies and sent messages ------------------------------------------------------------

    def _k_reply(self, when: datetime) -> Draft:
        r = self.rng
        parent = None
        if self.awaiting_reply:
            recent = list(self.awaiting_reply)[-40:]
            if is_after_hours(when):  # partners do not answer at night: usagers and families do
                recent = [e for e in recent if e.other.role in ("usager", "family")] or recent
            parent = r.choice(recent)
            self.awaiting_reply.remove(parent)
        if parent is None:
            parent = self._fabricated_sent(when)
        person = parent.other
        category = {"court": "partner", "usager": "rdv"}.get(parent.category, parent.category)
        if category == "colleague" and not _familiar(person):
            category = "partner"  # the director says "vous"
        tpl = r.choice(C.REPLY.get(category, C.REPLY["partner"]))
        if tpl.style == "informal" and person.role != "usager":
            tpl = C.REPLY[category][0]
        ctx = Context(self, when, person, person if person.role == "usager" else None)
        text = fill(tpl.body, ctx)
        profile = PROFILES[person.profile]
        body = self._wrap_body(person, text, tpl.ask, tpl.style, when, ctx)
        body.quote = Quote(parent.when, parent.author.display or parent.author.full,
                           parent.author.email,
                           f"{person.display} <{person.email}>" if person.display else person.email,
                           parent.subject, parent.text)
        d = Draft("reply", when, person, [OWNER_PERSON],
                  profile.reply_prefix + _strip_prefix(parent.subject), body)
        d.in_reply_to = parent.message_id
        d.references = (*parent.references, parent.message_id)[-10:]
        if tpl.ask:
            d.flags.add(Flag.REPLY_EXPECTED)
        if tpl.attach:
            d.attachments.extend(self._attachments(tpl.attach, ctx))
        if tpl.ask and parent.depth < 3:
            self.awaiting_answer.append(ThreadEntry("", d.references, d.subject, when, person,
                                                    person, body_text(body, profile),
                                                    _category(person), parent.depth + 1))
        return d

    def _fabricated_sent(self, when: datetime) -> ThreadEntry:
        """A message the owner wrote before the mailbox starts, so that early replies have a
        parent to quote (its Message-ID is referenced but the message itself is absent)."""
        r = self.rng
        category = r.choice(("rdv", "documents", "partner", "colleague"))
        other = self._recipient_for(category)
        tpl = r.choice(C.SENT_NEW[category])
        past = when - timedelta(days=r.randint(1, 6), minutes=r.randint(0, 600))
        ctx = Context(self, past, OWNER_PERSON, other if other.role == "usager" else None)
        text = self._owner_text(other, fill(tpl.body, ctx), ctx)
        mid = self.message_id("exchange_org", past, C.DOMAIN)
        return ThreadEntry(mid, (), fill(r.choice(tpl.subjects), ctx), past, OWNER_PERSON, other,
                           text, category)

    def _recipient_for(self, category: str) -> Person:
        r = self.rng
        if category in ("rdv", "documents"):
            return self.pick_usager()
        if category == "court":
            return PARTNERS["court"][0]
        if category == "colleague":
            return r.choice(COLLEAGUES)
        group = r.choice(("caf", "cpam", "mdph", "france_travail", "school", "bailleur", "ccas"))
        return r.choice(PARTNERS[group])

    def _owner_text(self, to: Person, text: str, ctx: Context) -> str:
        r = self.rng
        if to.role == "usager" or to.role == "family":
            greeting = f"Bonjour {'Madame' if to.female else 'Monsieur'} {to.last},"
        elif _familiar(to):
            greeting = r.choice((f"Bonjour {to.first},", f"Coucou {to.first},", f"{to.first},"))
        elif to.key.startswith("greffe"):
            greeting = "Madame, Monsieur,"
        else:
            greeting = r.choice(("Bonjour,", f"Bonjour {'Madame' if to.female else 'Monsieur'},",
                                 f"Bonjour {to.first},"))
        closing = ("Bonne journée," if _familiar(to) else
                   r.choice(("Cordialement,", "Bien cordialement,", "Bien à vous,")))
        sig = (f"{C.OWNER_FIRST} {C.OWNER_LAST.upper()}\n{C.OWNER_TITLE}\n{C.MDS}\n"
               f"{C.DEPARTEMENT}\nTél. : {C.OWNER_PHONE}")
        if _familiar(to):
            sig = C.OWNER_FIRST
        return f"{greeting}\n\n{text}\n\n{closing}\n{sig}"

    def _k_sent(self, when: datetime) -> Draft:
        r = self.rng
        if self.awaiting_answer and r.random() < 0.55:
            i = r.randrange(min(len(self.awaiting_answer), 30))
            parent = self.awaiting_answer[-1 - i]
            del self.awaiting_answer[-1 - i]
            return self._owner_reply(parent, when)
        category = r.choices(("rdv", "documents", "partner", "court", "colleague"),
                             (4, 3, 4, 1, 3))[0]
        to = self._recipient_for(category)
        tpl = r.choice(C.SENT_NEW[category])
        ctx = Context(self, when, OWNER_PERSON, to if to.role == "usager" else None)
        subject = fill(r.choice(tpl.subjects), ctx)
        text = self._owner_text(to, fill(tpl.body, ctx), ctx)
        d = Draft("sent", when, OWNER_PERSON, [to], subject, Body("", text, "", ""), lane=None,
                  folder="Sent")
        if tpl.attach:
            d.attachments.extend(self._attachments(tpl.attach, ctx))
        d.remember = category
        return d

    def _owner_reply(self, parent: ThreadEntry, when: datetime) -> Draft:
        r = self.rng
        other = parent.other
        group = ("usager" if other.role in ("usager", "family") else
                 "colleague" if _familiar(other) else "partner")
        tpl = r.choice(C.SENT_REPLY[group])
        ctx = Context(self, when, OWNER_PERSON, other if other.role == "usager" else None)
        text = self._owner_text(other, fill(tpl.body, ctx), ctx)
        body = Body("", text, "", "", Quote(parent.when, other.display or other.email,
                                             other.email, f"{C.OWNER_FIRST} {C.OWNER_LAST.upper()}"
                                             f" <{self.owner.email}>", parent.subject,
                                             parent.text))
        d = Draft("sent", when, OWNER_PERSON, [other], "RE : " + _strip_prefix(parent.subject),
                  body, lane=None, folder="Sent")
        d.in_reply_to = parent.message_id
        d.references = (*parent.references, parent.message_id)[-10:] if parent.message_id else ()
        d.depth = parent.depth
        return d

    # bulk ---------------------------------------------------------------------------------

    def _k_newsletter(self, when: datetime) -> Draft:
        r = self.rng
        key, name, addr, list_id, site, pool_name, _ = r.choices(
            C.NEWSLETTERS, [n[-1] for n in C.NEWSLETTERS])[0]
        pool = {"social": C.HEADLINES_SOCIAL, "union": C.HEADLINES_UNION,
                "training": C.HEADLINES_TRAINING}[pool_name]
        items = r.sample(pool, min(len(pool), r.randint(3, 5)))
        first = items[0][0]
        w = when.astimezone(TZ)
        issue = r.randint(1200, 1400)
        subject = {
            "ash": f"L'essentiel de la semaine — {first}",
            "liensocial": f"Lien Social n° {issue} : {first}",
            "anas": f"La lettre de l'ANAS — {MOIS[w.month - 1]} {w.year}",
            "union": f"[Infos adhérents] {first}",
            "gazette": f"Action sociale : {first}",
            "cnfpt": f"Votre lettre formation — {first}",
            "uniopss": f"Uniopss Actus — {first}",
            "praxis": f"Formations de {MOIS[w.month % 12]} : {first}",
        }[key]
        host = addr.rpartition("@")[2]
        token = f"{r.getrandbits(80):020x}"
        unsub_url = f"{site}/desinscription?u={token}"
        track = f"https://click.{host}/c/{token}"
        text_lines = [name, f"{JOURS[w.weekday()].capitalize()} {_d_short(w.date())} {w.year}", ""]
        html_items = []
        for i, (title, summary) in enumerate(items, 1):
            url = f"{track}/{i}"
            label = {"social": "Lire l'article", "union": "Lire la suite"}.get(pool_name,
                                                                               "En savoir plus")
            text_lines += [f"{i}. {title}", summary, f"{label} : {url}", ""]
            html_items.append(
                f'<tr><td style="padding:12px 24px"><h2 style="font-size:18px;margin:0 0 6px">'
                f'<a href="{url}" style="color:#1a3d6d;text-decoration:none">'
                f'{html.escape(title)}</a></h2><p style="margin:0;font-size:14px;color:#333">'
                f'{html.escape(summary)}</p></td></tr>')
        text_lines += [f"Vous recevez cette lettre car vous êtes abonné(e) avec l'adresse "
                       f"{self.owner.email}.", f"Se désinscrire : {unsub_url}"]
        body_html = (
            '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>'
            f'{html.escape(subject)}</title></head><body style="margin:0;background:#f2f2f2">'
            '<table role="presentation" width="600" align="center" style="background:#fff;'
            'font-family:Arial,sans-serif"><tr><td style="padding:8px 24px;font-size:12px">'
            f'<a href="{track}/web">Voir la version en ligne</a></td></tr>'
            f'<tr><td style="background:#1a3d6d;color:#fff;padding:18px 24px;font-size:22px">'
            f'{html.escape(name)}</td></tr>{"".join(html_items)}'
            '<tr><td style="padding:18px 24px;font-size:11px;color:#666">Vous recevez cette '
            f'lettre car vous êtes abonné(e) avec l\'adresse {html.escape(self.owner.email)}. '
            f'<a href="{unsub_url}">Se désinscrire</a></td></tr></table>'
            f'<img src="https://t.{host}/o/{token}.gif" width="1" height="1" alt=""></body></html>'
            "\n")
        sender = Person("", "", True, addr, name, "", "system")
        d = Draft("newsletter", when, sender, [OWNER_PERSON], subject, None,
                  text="\n".join(text_lines) + "\n", html=body_html, lane=Lane.BULK)
        d.profile = "newsletter"
        if key == "union":
            d.extra += [("List-Id", f"Infos aux adhérents <{list_id}>"),
                        ("List-Unsubscribe", f"<mailto:sympa@{host}?subject=unsubscribe%20"
                                             f"{list_id.split('.')[0]}>"),
                        ("List-Post", "NO"), ("List-Archive", f"<{site}/sympa/arc>"),
                        ("Precedence", "list")]
            d.html = ""
        else:
            d.extra += [("List-Id", f"{name} <{list_id}>"),
                        ("List-Unsubscribe", f"<{unsub_url}>, <mailto:unsubscribe-{token}@{host}>"),
                        ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"),
                        ("Precedence", "bulk"), ("Feedback-ID", f"{key}:{token[:8]}:newsletter"),
                        ("X-Mailer", r.choice(("Sarbacane", "Brevo", "Mailchimp Mailer")))]
        d.mid_domain = host
        return d

    def _k_notification(self, when: datetime) -> Draft:
        r = self.rng
        key, name, addr, subjects, body, _ = r.choices(C.NOTIFICATIONS,
                                                       [n[-1] for n in C.NOTIFICATIONS])[0]
        sender = Person("", "", True, addr, name, "", "system", key=key)
        ctx = Context(self, when, sender)
        subject = fill(r.choice(subjects), ctx)
        text = fill(body, ctx) + "\n"
        d = Draft("notification", when, sender, [OWNER_PERSON], subject, None, text=text,
                  lane=Lane.BULK)
        d.profile = "notification"
        d.extra.append(("Auto-Submitted", "auto-replied" if key == "bounce" else "auto-generated"))
        if key in ("teams", "linkedin", "glpi", "intranet"):
            d.html = ('<html><body style="font-family:Segoe UI,Arial,sans-serif">'
                      + _html_paras(text, "p") + "</body></html>\n")
        if key in ("sidonie", "glpi", "parapheur", "intranet", "voicemail"):
            d.extra.append(("Precedence", "bulk"))
            d.extra.append(("X-Auto-Response-Suppress", "All"))
        if key == "linkedin":
            tok = f"{r.getrandbits(64):016x}"
            d.extra += [("List-Unsubscribe",
                         f"<https://www.linkedin.com/comm/psettings/email-unsubscribe?t={tok}>"),
                        ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click")]
        if key == "voicemail":
            d.attachments.append((b"RIFF" + r.randbytes(4) + b"WAVEfmt " + r.randbytes(3000),
                                  "audio/wav", f"message_{when.strftime('%Y%m%d_%H%M')}.wav"))
        d.mid_domain = addr.rpartition("@")[2]
        return d

    # phishing -----------------------------------------------------------------------------

    def _k_phishing(self, when: datetime) -> Draft:
        r = self.rng
        lure = r.choices(C.LURES, [x.weight for x in C.LURES])[0]
        sender = Person("", "", True, lure.from_addr, lure.from_name, "", "system", key=lure.key)
        ctx = Context(self, when, sender)
        ctx["lien"] = "\x00LIEN\x00"
        subject = fill(r.choice(lure.subjects), ctx)
        text = fill(lure.body, ctx)
        href = fill(lure.link_href, ctx) if lure.link_href else ""
        shown = fill(lure.link_text, ctx) if lure.link_text else ""
        text_plain = text.replace("\x00LIEN\x00", href) + "\n"
        anchor = (f'<a href="{html.escape(href)}" style="background:#0b5fa5;color:#fff;'
                  f'padding:10px 18px;text-decoration:none">{html.escape(shown)}</a>')
        paras = "".join(
            f"<p>{'<br>'.join(html.escape(x) for x in p.split(chr(10)))}</p>"
            for p in text.split("\n\n")).replace("\x00LIEN\x00", anchor)
        body_html = ('<html><head><meta charset="utf-8"></head><body style="font-family:Arial,'
                     f'sans-serif;font-size:14px"><div style="max-width:560px">{paras}</div>'
                     "</body></html>\n")
        d = Draft("phishing", when, sender, [OWNER_PERSON], subject, None, text=text_plain,
                  html=body_html if href else "", lane=Lane.SUSPECT)
        d.profile = "phishing"
        d.auth = lure.auth
        if lure.reply_to:
            d.extra.append(("Reply-To", lure.reply_to))
        if r.random() < 0.3 and lure.key not in ("ceo", "helpdesk"):
            d.to_header = "undisclosed-recipients:;"
        if lure.key != "ceo":
            d.extra.append(("X-Mailer", "PHPMailer 6.8.1 (https://github.com/PHPMailer/PHPMailer)"))
        n = r.randint(1000, 9999)
        if lure.attach == "html":
            form = ('<html><body><form action="https://impots-gouv-remboursement.com/valider.php" '
                    'method="post"><h1>Formulaire de remboursement</h1><p>Numéro fiscal <input '
                    'name="spi"></p><p>Numéro de carte <input name="cc"></p><p>Date '
                    'd\'expiration <input name="exp"></p><p>Cryptogramme <input name="cvv"></p>'
                    '<button>Valider</button></form></body></html>')
            d.attachments.append((form.encode(), "text/html", "Formulaire_remboursement.html"))
        elif lure.attach == "zip":
            inner = b"MZ\x90\x00" + b"\x00" * 60 + b"demo placeholder, not an executable"
            d.attachments.append((_zip([(f"Document_numerise_{n}.pdf.exe", inner)], when),
                                  "application/zip", f"Document_numerise_{n}.zip"))
        elif lure.attach == "docm":
            d.attachments.append((_docx("Facture\nActivez le contenu pour afficher le document.",
                                        when, macro=True),
                                  "application/vnd.ms-word.document.macroEnabled.12",
                                  f"Facture_{n}.docm"))
        d.mid_domain = lure.from_addr.rpartition("@")[2]
        return d

    # attachments --------------------------------------------------------------------------

    def _attachments(self, recipe: str, ctx: Context) -> list[tuple[bytes, str, str]]:
        r = self.rng
        w = ctx.when.astimezone(TZ)
        nom = _ascii(ctx.usager.last).replace("-", "_").upper()
        if recipe == "scan":
            label = r.choice(("avis_imposition", "attestation_caf", "quittance_loyer", "RIB",
                              "certificat_medical", "bulletin_salaire"))
            name = r.choice((f"{label}.pdf", f"Scan_{w.strftime('%Y%m%d')}_{w.strftime('%H%M%S')}"
                             ".pdf", f"{label}_{nom.lower()}.pdf"))
            return [(_fake_pdf(r, label), "application/pdf", name)]
        if recipe == "photos":
            out = []
            for i in range(r.randint(1, 3)):
                stamp = (w + timedelta(seconds=17 * i)).strftime("%Y%m%d_%H%M%S")
                out.append((_fake_jpeg(r), "image/jpeg", f"IMG_{stamp}.jpg"))
            return out
        if recipe == "cr":
            return [(_fake_pdf(r, "Compte rendu"), "application/pdf",
                     f"CR_equipe_educative_{nom}.pdf")]
        if recipe == "jugement":
            return [(_fake_pdf(r, "Jugement"), "application/pdf",
                     f"Jugement_{w.strftime('%Y%m%d')}_{nom}.pdf")]
        if recipe == "rapport":
            doc = _docx(f"Rapport d'évaluation sociale\nSituation de la famille {nom}\n"
                        "Document de démonstration.", ctx.when)
            return [(doc, DOCX, f"Rapport_évaluation_{nom}.docx")]
        if recipe == "planning":
            return [(_fake_pdf(r, "Planning"), "application/pdf",
                     f"Planning_permanences_{_ascii(MOIS[w.month % 12])}.pdf")]
        if recipe == "note":
            return [(_fake_pdf(r, "Note"), "application/pdf",
                     "Note_organisation_accueil_du_public.pdf")]
        return []

    # serialisation ------------------------------------------------------------------------

    def render(self, d: Draft) -> DemoMessage:
        r = self.rng
        sender = d.sender
        extra = d.extra
        pname = d.profile or sender.profile or "gmail"
        profile = PROFILES.get(pname)
        sdomain = sender.email.rpartition("@")[2]
        mid_style = profile.mid if profile else "system"
        mid = self.message_id(mid_style, d.when, d.mid_domain or sdomain)
        hstyle = profile.header_style if profile else mime.UTF8_Q
        if pname == "phishing":
            hstyle = r.choice((mime.UTF8_B, mime.UTF8_Q))

        # body
        if d.body is not None and profile is not None:
            text = body_text(d.body, profile)
            charset = r.choice(profile.charsets)
            htm = ""
            if profile.html:
                htm = body_html(d.body, profile)
                if profile.typography:
                    htm = _typo(htm).replace("\u00a0", "&nbsp;")
            if charset != "utf-8":
                try:
                    text.encode(charset)
                except UnicodeEncodeError:  # a legacy client would have switched to UTF-8 too
                    charset = "utf-8"
            plain = mime.text_part(text, "plain", charset, profile.text_cte, profile.flowed)
            if htm:
                htm = htm.replace("charset=utf-8", f"charset={charset}")
                hpart = mime.text_part(htm, "html", charset, profile.html_cte)
                root = mime.multipart("alternative", [plain, hpart], self._boundary(pname))
            else:
                root = plain
        else:
            text = d.text
            cte = r.choice(("quoted-printable", "quoted-printable", "base64", "8bit"))
            plain = mime.text_part(text, "plain", "utf-8", cte)
            if d.html:
                hpart = mime.text_part(d.html, "html", "utf-8",
                                       "base64" if cte == "base64" else "quoted-printable")
                root = mime.multipart("alternative", [plain, hpart], self._boundary(pname))
            else:
                root = plain
        if d.calendar:
            cal = mime.text_part(d.calendar, "calendar", "utf-8", "base64")
            cal.headers[0] = ("Content-Type", 'text/calendar; charset="utf-8"; method=REQUEST')
            root = mime.multipart("alternative", [*_parts_of(root), cal], self._boundary(pname))
        if d.attachments:
            parts = [root] + [mime.attachment(data, ct, fn) for data, ct, fn in d.attachments]
            root = mime.multipart("mixed", parts, self._boundary(pname))

        # headers
        date_hdr = format_datetime(d.when.astimezone(
            UTC if pname == "notification" and sender.key in ("teams", "linkedin")
            else TZ))
        headers: list[tuple[str, str]] = []
        if d.folder == "INBOX":
            headers += self._trace(d, sender, sdomain, pname)
        headers.append(("From", mime.address(sender.display, sender.email, hstyle)))
        if d.to_header:
            headers.append(("To", d.to_header))
        else:
            headers.append(("To", ", ".join(mime.address(p.display, p.email, hstyle)
                                            for p in d.to)))
        if d.cc:
            headers.append(("Cc", ", ".join(mime.address(p.display, p.email, hstyle)
                                            for p in d.cc)))
        headers.append(("Subject", mime.unstructured(d.subject, hstyle)))
        headers.append(("Date", date_hdr))
        headers.append(("Message-ID", mid))
        if d.in_reply_to:
            headers.append(("In-Reply-To", d.in_reply_to))
        if d.references:
            headers.append(("References", " ".join(d.references)))
        if profile is not None and profile.agent:
            headers.append(profile.agent)
        if profile is not None and profile.quote == "outlook":
            headers.append(("Thread-Topic", mime.unstructured(_strip_prefix(d.subject), hstyle)))
            headers.append(("Thread-Index", _b64(r.randbytes(22))))
            headers.append(("Content-Language", "fr-FR"))
            headers.append(("X-MS-Has-Attach", "yes" if d.attachments else ""))
        headers += extra
        raw = mime.serialize([(k, v) for k, v in headers if v != ""], root)

        flags = set(d.flags)
        if is_after_hours(d.when):
            flags.add(Flag.AFTER_HOURS)
        msg = DemoMessage(raw, d.folder, d.kind, d.lane if d.folder == "INBOX" else None,
                          frozenset(flags), d.when, mid)

        # remember what may be answered later
        if d.folder == "Sent" and d.to and d.body is not None:
            self.awaiting_reply.append(ThreadEntry(
                mid, d.references, d.subject, d.when, OWNER_PERSON, d.to[0],
                body_text(d.body, PROFILES["outlook_org"]).rstrip("\n"),
                d.remember or _category(d.to[0]), d.depth))
        elif d.folder == "INBOX" and self.awaiting_answer and \
                self.awaiting_answer[-1].message_id == "" and \
                self.awaiting_answer[-1].author is sender and \
                self.awaiting_answer[-1].when == d.when:
            e = self.awaiting_answer[-1]
            e.message_id = mid
            e.subject = d.subject
            e.references = d.references
        if d.team_thread and d.body is not None:
            self.team_threads.append(ThreadEntry(mid, (), d.subject, d.when, sender, sender,
                                                 body_text(d.body, PROFILES["outlook_org"]),
                                                 "colleague"))
        return msg

    def _boundary(self, profile: str) -> str:
        r = self.rng
        if profile in ("gmail", "android"):
            return f"000000000000{r.getrandbits(48):012x}"
        if profile in ("outlook", "outlook_org", "outlookcom", "exchange_bulk"):
            return f"_000_{r.getrandbits(160):040X}_"
        if profile == "iphone":
            return f"Apple-Mail-{r.getrandbits(128):032X}"
        return f"----=_Part_{r.randint(10000, 99999)}_{r.randint(10**8, 10**9)}.{r.getrandbits(40)}"

    def _trace(self, d: Draft, sender: Person, sdomain: str, pname: str) -> list[tuple[str, str]]:
        """Return-Path, Received and Authentication-Results, as the organisation's MX adds."""
        r = self.rng
        owner = self.owner.email
        rcv = d.when + timedelta(seconds=r.randint(1, 40))
        stamp = format_datetime(rcv.astimezone(TZ))
        qid = f"{r.getrandbits(44):011X}"
        ip = f"{r.choice(('192.0.2', '198.51.100', '203.0.113'))}.{r.randint(2, 250)}"
        internal = sdomain == C.DOMAIN or sdomain.endswith("." + C.DOMAIN)
        if pname == "newsletter":
            ret = f"bounce-{r.getrandbits(40):010x}@{sdomain}"
        elif pname in ("notification",) and sender.key == "bounce":
            ret = ""
        elif pname == "phishing" and d.auth == "spoof":
            ret = f"info@mailer{r.randint(1, 99)}.{r.choice(('xyz', 'top', 'icu'))}"
        else:
            ret = sender.email
        out = [("Return-Path", f"<{ret}>"), ("Delivered-To", owner)]
        if internal:
            n = r.randint(1, 4)
            out.append(("Received", f"from EXMBX0{n}.ad.{C.DOMAIN} (10.20.1.1{n}) by "
                                    f"EXMBX0{5 - n}.ad.{C.DOMAIN} (10.20.1.1{5 - n}) with "
                                    "Microsoft SMTP Server (version=TLS1_2, "
                                    "cipher=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384) id "
                                    f"15.2.1544.14; {stamp}"))
            auth = (f"{C.MX_HOST}; spf=pass smtp.mailfrom={C.DOMAIN}; dkim=pass "
                    f"header.d={C.DOMAIN}; dmarc=pass header.from={C.DOMAIN}")
            return [*out, ("Authentication-Results", auth)]
        helo = {"gmail.com": "mail-wm1-f41.google.com", "outlook.fr": "EUR05-AM6-obe"
                ".outbound.protection.outlook.com"}.get(sdomain, f"smtp-out.{sdomain}")
        if pname == "phishing" and d.auth != "freemail":
            helo = r.choice(("localhost", f"vps{r.randint(1000, 99999)}.hosting-cloud.example",
                             f"mail.{sdomain}"))
        out.append(("Received", f"from {helo} ({helo} [{ip}]) by {C.MX_HOST} (Postfix) with "
                                f"ESMTPS id {qid} for <{owner}>; {stamp}"))
        if pname in ("gmail", "android", "iphone") and r.random() < 0.6:
            out.append(("Received", f"by 2002:a05:6000:{r.getrandbits(16):x}::{r.getrandbits(12):x}"
                                    f" with SMTP id {r.getrandbits(40):x}; "
                                    f"{format_datetime(d.when.astimezone(UTC))}"))
        dom = ret.rpartition("@")[2] or sdomain
        if pname == "phishing":
            if d.auth == "spoof":
                auth = (f"{C.MX_HOST}; spf=fail (domain of {ret} does not designate {ip} as "
                        f"permitted sender) smtp.mailfrom={dom}; dkim=none; dmarc=fail "
                        f"(p=REJECT) header.from={sdomain}")
            elif d.auth == "freemail":
                auth = (f"{C.MX_HOST}; spf=pass smtp.mailfrom={dom}; dkim=pass header.d={sdomain};"
                        f" dmarc=pass (p=NONE) header.from={sdomain}")
            else:
                auth = (f"{C.MX_HOST}; spf={r.choice(('pass', 'neutral', 'softfail'))} "
                        f"smtp.mailfrom={dom}; dkim=none; dmarc=none header.from={sdomain}")
            out.append(("Authentication-Results", auth))
            if d.auth == "forged":
                out.append(("Authentication-Results", "mx.caf.fr; spf=pass smtp.mailfrom=caf.fr;"
                            " dkim=pass header.d=caf.fr; dmarc=pass header.from=caf.fr"))
            return out
        auth = (f"{C.MX_HOST}; spf=pass smtp.mailfrom={dom}; dkim=pass header.d={sdomain} "
                f"header.s={r.choice(('s1', 'selector1', '20230601', 'mail'))}; dmarc=pass "
                f"header.from={sdomain}")
        out.append(("Authentication-Results", auth))
        if pname in ("gmail", "newsletter") or sdomain.endswith(("caf.fr", "linkedin.com")):
            out.append(("DKIM-Signature", f"v=1; a=rsa-sha256; c=relaxed/relaxed; d={sdomain}; "
                                          f"s=s1; h=from:to:subject:date:message-id; "
                                          f"bh={_b64(r.randbytes(32))}; "
                                          f"b={_b64(r.randbytes(128))}"))
        return out


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _parts_of(p: mime.Part) -> list[mime.Part]:
    """Re-open a multipart/alternative to add a part (the calendar) to it."""
    ctype = p.headers[0][1]
    if not ctype.startswith("multipart/alternative"):
        return [p]
    boundary = ctype.split('boundary="', 1)[1].split('"', 1)[0]
    chunks = p.body.split(f"--{boundary}\n")[1:]
    out = []
    for ch in chunks:
        ch = ch.replace(f"--{boundary}--\n", "")
        head, _, body = ch.partition("\n\n")
        headers = []
        for line in head.split("\n"):
            if line.startswith((" ", "\t")) and headers:
                k, v = headers[-1]
                headers[-1] = (k, v + " " + line.strip())
            elif ":" in line:
                k, _, v = line.partition(":")
                headers.append((k, v.strip()))
        out.append(mime.Part(headers, body))
    return out


def _ics_text(s: str) -> str:
    return s.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _ics_fold(line: str) -> str:
    """RFC 5545 folding at 75 octets, never inside a UTF-8 character."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line
    out, cur, size = [], [], 0
    for ch in line:
        n = len(ch.encode("utf-8"))
        if size + n > (75 if not out else 74):
            out.append("".join(cur))
            cur, size = [], 0
        cur.append(ch)
        size += n
    out.append("".join(cur))
    return "\n ".join(out)


def _familiar(p: Person) -> bool:
    """Colleagues and the head of the MDS say "tu" to the owner; everyone else "vous"."""
    return p.role == "colleague" or p.key == "sophie"


def _category(p: Person) -> str:
    if p.role in ("usager", "family"):
        return "rdv"
    if p.role in ("colleague", "manager"):
        return "colleague"
    if p.key.startswith("greffe"):
        return "court"
    return "partner"


_PREFIX = re.compile(r"^\s*((re|tr|fwd?|aw)\s*:\s*)+", re.I)


def _strip_prefix(subject: str) -> str:
    return _PREFIX.sub("", subject)


def _quotas(size: int) -> dict[str, int]:
    """Messages per kind: proportional to the weights (largest remainder), and at least one of
    every kind once the mailbox is big enough to hold them all."""
    total = sum(k.weight for k in KINDS)
    exact = [(k.name, size * k.weight / total) for k in KINDS]
    counts = {n: int(x) for n, x in exact}
    rest = size - sum(counts.values())
    for n, _ in sorted(exact, key=lambda t: (-(t[1] - int(t[1])), _KIND_INDEX[t[0]]))[:rest]:
        counts[n] += 1
    if size >= 4 * len(KINDS):
        for n in counts:
            if counts[n] == 0:
                big = max(counts, key=lambda k: counts[k])
                counts[big] -= 1
                counts[n] = 1
    return counts


# --- public API ------------------------------------------------------------------------------


def _check(size: int, weeks: int, start: datetime | None) -> datetime:
    if not MIN_SIZE <= size <= MAX_SIZE:
        raise ValueError(f"size must be between {MIN_SIZE} and {MAX_SIZE}, not {size}")
    if not 1 <= weeks <= 52:
        raise ValueError(f"weeks must be between 1 and 52, not {weeks}")
    if start is None:
        return DEFAULT_START
    if start.tzinfo is None:
        start = start.replace(tzinfo=TZ)
    s = start.astimezone(TZ)
    return datetime(s.year, s.month, s.day, tzinfo=TZ)


def iter_messages(size: int = 600, seed: int = 7, start: datetime | None = None,
                  weeks: int = 4) -> Iterator[DemoMessage]:
    """Stream the mailbox's messages in date order (both folders), one at a time."""
    begin = _check(size, weeks, start)
    gen = _Gen(size, seed, begin, weeks)
    for key in gen.schedule():
        ts, ki = divmod(key, 64)
        when = datetime.fromtimestamp(ts, TZ)
        yield gen.build(KINDS[ki].name, when)


def generate_mailbox(size: int = 600, seed: int = 7, start: datetime | None = None,
                     weeks: int = 4) -> Mailbox:
    """The whole mailbox in memory (use :func:`iter_messages` for large sizes)."""
    return Mailbox(demo_owner(), list(iter_messages(size, seed, start, weeks)))


# --- writers ---------------------------------------------------------------------------------

Messages = Mailbox | Iterable[DemoMessage]


def _messages(src: Messages) -> Iterable[DemoMessage]:
    return src.messages if isinstance(src, Mailbox) else src


def _seen(m: DemoMessage, cutoff: datetime | None) -> bool:
    return m.folder == "Sent" or cutoff is None or m.date < cutoff


def write_maildir(mailbox: Messages, path: str | os.PathLike[str], unread_days: int = 3,
                  until: datetime | None = None) -> dict[str, int]:
    """Write a Maildir++ tree: INBOX in ``cur/``, the owner's messages in ``.Sent/cur/``.

    File names are deterministic (``<epoch>.M<n>P0.accalmie-demo,S=<size>:2,<flags>``) and each
    file's mtime is its Date, as a delivery agent would leave them. INBOX messages of the last
    ``unread_days`` before ``until`` (default: the last message of a Mailbox) stay unread, the
    rest is seen; a stream without ``until`` is written all seen. Returns the count per folder.
    """
    root = Path(path)
    for folder in (root, root / ".Sent"):
        for sub in ("cur", "new", "tmp"):
            (folder / sub).mkdir(parents=True, exist_ok=True)
    (root / ".Sent" / "maildirfolder").touch()
    msgs = _messages(mailbox)
    if until is None and isinstance(mailbox, Mailbox) and mailbox.messages:
        until = mailbox.messages[-1].date
    cutoff = until - timedelta(days=unread_days) if until is not None else None
    counts = {"INBOX": 0, "Sent": 0}
    for i, m in enumerate(msgs, 1):
        folder = root if m.folder == "INBOX" else root / ".Sent"
        ts = int(m.date.timestamp())
        flags = "S" if _seen(m, cutoff) else ""
        name = f"{ts}.M{i:06d}P0.accalmie-demo,S={len(m.raw)}:2,{flags}"
        target = folder / "cur" / name
        target.write_bytes(m.raw)
        os.utime(target, (ts, ts))
        counts[m.folder] = counts.get(m.folder, 0) + 1
    return counts


def _mbox_bytes(m: DemoMessage) -> bytes:
    """One mboxrd entry: From_ line, LF line ends, '>'-quoted From lines."""
    data = m.raw.replace(b"\r\n", b"\n")
    data = re.sub(rb"(?m)^(>*From )", rb">\1", data)
    envelope = "MAILER-DAEMON"
    frm = re.search(rb"(?mi)^Return-Path: <([^>]*)>", data)
    if frm and frm.group(1):
        envelope = frm.group(1).decode("ascii", "replace")
    stamp = m.date.astimezone(UTC).strftime("%a %b %d %H:%M:%S %Y")
    if not data.endswith(b"\n"):
        data += b"\n"
    return f"From {envelope} {stamp}\n".encode() + data + b"\n"


def write_mbox(mailbox: Messages, path: str | os.PathLike[str],
               folder: str | None = "INBOX") -> int:
    """Write one mbox file (mboxrd quoting, LF line ends) with the messages of ``folder``
    (all of them when None). Returns the number written."""
    n = 0
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("wb") as f:
        for m in _messages(mailbox):
            if folder is not None and m.folder != folder:
                continue
            f.write(_mbox_bytes(m))
            n += 1
    return n


def write_eml_dir(mailbox: Messages, path: str | os.PathLike[str]) -> dict[str, int]:
    """One ``.eml`` file per message: ``<path>/INBOX/000001.eml``, ``<path>/Sent/…``."""
    root = Path(path)
    counts = {"INBOX": 0, "Sent": 0}
    for folder in counts:
        (root / folder).mkdir(parents=True, exist_ok=True)
    for i, m in enumerate(_messages(mailbox), 1):
        target = root / m.folder / f"{i:06d}.eml"
        target.write_bytes(m.raw)
        ts = int(m.date.timestamp())
        os.utime(target, (ts, ts))
        counts[m.folder] = counts.get(m.folder, 0) + 1
    return counts


def write_truth_csv(mailbox: Messages, path: str | os.PathLike[str]) -> int:
    """The expected answers, one row per message: message_id, folder, kind, lane, flags, date,
    sha256 of the raw bytes. For evaluations that read the messages from disk."""
    import csv

    n = 0
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["message_id", "folder", "kind", "expected_lane", "expected_flags", "date",
                    "sha256"])
        for m in _messages(mailbox):
            w.writerow([m.message_id, m.folder, m.kind,
                        m.expected_lane.value if m.expected_lane else "",
                        " ".join(sorted(f.value for f in m.expected_flags)), m.date.isoformat(),
                        hashlib.sha256(m.raw).hexdigest()])
            n += 1
    return n
