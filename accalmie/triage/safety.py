"""A first phishing and malware check: a score in [0, 1] with its reasons.

Each signal has a weight (how likely it is alone to mean an attack); the score is their
noisy-or, so two independent medium signals make a strong one. Signals: display-name spoofing,
lookalike domains (of French public bodies and other often-imitated brands, and of the user's
own correspondents), link text showing another domain than the real destination, raw IP links,
dangerous attachments, credential and urgency lures in French and English, and SPF/DKIM/DMARC
failures — those only when Authentication-Results was written by a server the user trusts
(``Context.trusted_authserv_ids``): anyone can forge that header upstream.

Nothing here does network lookups; everything is cached per domain, so checking a message
costs microseconds.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple
from urllib.parse import parse_qs, urlsplit

from accalmie.i18n import N_
from accalmie.mail.model import Address, Link, Message
from accalmie.triage.decision import Reason
from accalmie.triage.features import Context, _psl, registrable_domain

DEFAULT_THRESHOLD = 0.7
MAX_LINKS = 200  # links examined per message (newsletters carry hundreds of the same few)
LURE_GATE = 0.3  # the other signals must reach this before the wording is read
LURE_CHARS = 2000  # lures sit at the top of a message


@dataclass(frozen=True, slots=True)
class Institution:
    """An often-imitated sender: its official domains, the labels and names a fake would use."""

    name: str
    domains: tuple[str, ...]  # official registrable domains (or suffixes such as gouv.fr)
    labels: tuple[str, ...] = ()  # domain labels a lookalike would embed or misspell
    names: tuple[str, ...] = ()  # words in a display name that claim to be this sender


INSTITUTIONS: tuple[Institution, ...] = (
    Institution("CAF", ("caf.fr", "cnafmail.fr", "mon-enfant.fr"), ("caf",),
                ("caf", "caisse d allocations familiales", "allocations familiales")),
    Institution("Assurance Maladie (ameli.fr)",
                ("ameli.fr", "assurance-maladie.fr", "cnamts.fr", "monespacesante.fr"),
                ("ameli", "assurance-maladie", "assurancemaladie", "cpam"),
                ("ameli", "assurance maladie", "cpam", "carte vitale")),
    Institution("impots.gouv.fr", ("impots.gouv.fr", "gouv.fr"), ("impots", "impot", "dgfip"),
                ("impots", "impot", "dgfip", "finances publiques", "tresor public")),
    Institution("ANTS", ("ants.gouv.fr",), ("ants",),
                ("ants", "agence nationale des titres securises")),
    Institution("service-public.fr", ("service-public.fr", "service-public.gouv.fr", "gouv.fr"),
                ("service-public", "servicepublic"), ("service public",)),
    Institution("FranceConnect", ("franceconnect.gouv.fr", "franceconnect.fr", "gouv.fr"),
                ("franceconnect", "france-connect"), ("franceconnect", "france connect")),
    Institution("France Travail", ("francetravail.fr", "francetravail.org", "pole-emploi.fr"),
                ("francetravail", "france-travail", "pole-emploi", "poleemploi"),
                ("france travail", "pole emploi")),
    Institution("URSSAF", ("urssaf.fr", "urssaf.org"), ("urssaf",), ("urssaf",)),
    Institution("ANTAI", ("antai.gouv.fr", "antai.fr"), ("antai",),
                ("antai", "agence nationale de traitement automatise")),
    Institution("La Poste", ("laposte.fr", "laposte.net", "lapostegroupe.com", "colissimo.fr",
                             "chronopost.fr", "labanquepostale.fr", "laposte.com"),
                ("laposte", "la-poste", "colissimo", "chronopost", "labanquepostale"),
                ("la poste", "laposte", "colissimo", "chronopost", "banque postale")),
    Institution("the French administration (gouv.fr)", ("gouv.fr",), ("gouv",),
                ("gouvernement", "ministere", "prefecture", "police nationale", "gendarmerie",
                 "tresor public", "administration fiscale")),
    Institution("Crédit Agricole", ("credit-agricole.fr", "credit-agricole.com", "ca-mail.com"),
                ("credit-agricole", "creditagricole"), ("credit agricole",)),
    Institution("Société Générale", ("societegenerale.fr", "societegenerale.com", "sg.fr"),
                ("societegenerale", "societe-generale"), ("societe generale",)),
    Institution("BNP Paribas", ("bnpparibas.com", "bnpparibas.net", "bnpparibas.fr",
                                "mabanque.bnpparibas"), ("bnpparibas", "bnp-paribas"),
                ("bnp paribas",)),
    Institution("Caisse d'Épargne", ("caisse-epargne.fr",), ("caisse-epargne", "caisseepargne"),
                ("caisse d epargne",)),
    Institution("Crédit Mutuel", ("creditmutuel.fr", "creditmutuel.com"),
                ("creditmutuel", "credit-mutuel"), ("credit mutuel",)),
    Institution("PayPal", ("paypal.com", "paypal.fr", "paypal-communication.com"), ("paypal",),
                ("paypal",)),
    Institution("Microsoft", ("microsoft.com", "office.com", "office365.com", "outlook.com",
                              "live.com", "microsoftonline.com", "sharepoint.com",
                              "onmicrosoft.com", "hotmail.com", "sharepointonline.com",
                              "microsoft365.com", "skype.com"),
                ("microsoft", "office365", "microsoftonline", "sharepoint", "onedrive"),
                ("microsoft", "office 365", "microsoft 365", "onedrive", "sharepoint")),
    Institution("Apple", ("apple.com", "icloud.com"), ("icloud",), ("apple", "icloud")),
    Institution("Amazon", ("amazon.fr", "amazon.com", "amazon.de", "amazonses.com"),
                ("amazon",), ("amazon",)),
    Institution("Netflix", ("netflix.com",), ("netflix",), ("netflix",)),
    Institution("DHL", ("dhl.com", "dhl.fr", "dhl.de"), ("dhl",), ("dhl",)),
)

# Labels that differ by one letter from an institution's label but are ordinary words or names.
LOOKALIKE_EXCEPTIONS = frozenset({"amelie", "amelia", "ameline", "cafe", "calf", "chaf", "café",
                                  "ant", "anti", "antal", "impot", "paypa"})
# Tokens that, next to a short label such as "caf" or "ants", show the domain claims the body.
_CONTEXT_TOKENS = frozenset({
    "fr", "france", "gouv", "allocation", "allocations", "allocataire", "allocataires",
    "famille", "familles", "familiale", "familiales", "securite", "secure", "securise",
    "compte", "moncompte", "mon", "espace", "aide", "aides", "service", "services",
    "remboursement", "remboursements", "paiement", "portail", "online", "connect", "login",
    "verif", "verification", "titre", "titres", "permis", "carte", "identite", "client",
    "clients", "info", "infos", "support", "dossier", "prestation", "prestations", "update",
    "account", "confirm", "assistance", "sante", "caf", "ants", "express", "delivery",
    "livraison", "colis", "parcel", "tracking", "suivi", "douane", "impots", "amende",
})
FREEMAIL = frozenset({
    "gmail.com", "googlemail.com", "yahoo.com", "yahoo.fr", "hotmail.com", "hotmail.fr",
    "outlook.com", "outlook.fr", "live.com", "live.fr", "msn.com", "aol.com", "aol.fr",
    "gmx.com", "gmx.fr", "gmx.de", "gmx.net", "mail.ru", "yandex.ru", "yandex.com",
    "protonmail.com", "proton.me", "orange.fr", "wanadoo.fr", "free.fr", "sfr.fr",
    "laposte.net", "icloud.com", "me.com", "neuf.fr", "bbox.fr", "mail.com", "zoho.com",
})
SHORTENERS = frozenset({
    "bit.ly", "tinyurl.com", "t.co", "goo.gl", "ow.ly", "is.gd", "buff.ly", "cutt.ly",
    "rebrand.ly", "shorturl.at", "tiny.cc", "rb.gy", "s.id", "t.ly", "v.gd", "qrco.de",
    "bl.ink", "short.io", "tiny.one", "urlz.fr", "u.to", "shorturl.com", "clck.ru",
})
# Link rewriters and click trackers: their domain never matches the visible text, legitimately.
REDIRECTORS = frozenset({
    "outlook.com", "urldefense.com", "proofpoint.com", "mimecast.com", "cudasvc.com",
    "symantec.com", "list-manage.com",
    "mailchimp.com", "mcusercontent.com", "sendgrid.net", "mjt.lu", "mailjet.com",
    "sendibt2.com", "sendibt3.com", "sendibm1.com", "brevo.com", "sendinblue.com",
    "hubspotlinks.com", "hs-sites.com", "hubspot.com", "mandrillapp.com", "exct.net",
    "mkt.com", "eloqua.com", "mailgun.org", "mailgun.net", "sparkpostmail.com",
    "awstrack.me", "lnkd.in", "doubleclick.net", "emlnk.com", "mailpoet.com",
    "sarbacane.com", "dolist.net", "messagebusiness.com", "splio.com", "selligent.com",
    "actito.com", "mailinblue.com", "sib.li", "sp1-brevo.net",
})
_UNWRAP_PARAMS = ("url", "u", "q", "target", "redirect", "dest", "destination")

DANGEROUS_EXT = frozenset({
    "exe", "scr", "com", "pif", "cpl", "msi", "msp", "jar", "js", "jse", "vbs", "vbe", "wsf",
    "wsh", "bat", "cmd", "ps1", "psm1", "hta", "reg", "lnk", "appx", "msix", "scf", "gadget",
    "application", "chm", "sct", "xll", "dll", "apk",
})
DISK_IMAGE_EXT = frozenset({"iso", "img", "vhd", "vhdx", "dmg"})
MACRO_EXT = frozenset({"docm", "dotm", "xlsm", "xltm", "xlam", "pptm", "potm", "ppam", "ppsm",
                       "sldm", "one", "xlsb"})
ARCHIVE_EXT = frozenset({"zip", "rar", "7z", "ace", "arj", "cab", "gz", "tgz", "bz2", "xz",
                         "tar", "z", "lzh", "uue", "r00"})
HTML_EXT = frozenset({"html", "htm", "shtml", "xhtml", "svg", "mht", "mhtml"})
DOC_EXT = frozenset({"pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "odt", "ods", "txt",
                     "rtf", "jpg", "jpeg", "png", "gif", "zip", "rar", "csv", "mp3", "mp4",
                     "html", "htm"})
DANGEROUS_TYPES = frozenset({"application/x-msdownload", "application/x-msdos-program",
                             "application/x-dosexec", "application/hta",
                             "application/x-ms-shortcut", "application/x-iso9660-image"})

# Credential, payment and urgency lures (lowercased text, accents optional). Each pattern comes
# with literal anchors that any match contains: the anchors are found with str.find and the
# pattern only runs on a window around them, which keeps this check in microseconds.
_W = r"[\w ,'’]"
LURES: tuple[tuple[tuple[str, ...], str], ...] = (
    (("suspendu", "bloqu", "sactiv", "ferm", "restreint", "limit", "supprim", "expir"),
     r"votre (?:compte|acc[eè]s|espace|dossier|carte|abonnement|bo[iî]te)" + _W + r"{0,30}"
     r"(?:a [ée]t[ée]|sera|va [êe]tre|est) (?:suspendu|bloqu[ée]|d[ée]sactiv[ée]|ferm[ée]|"
     r"restreint|limit[ée]|supprim[ée]|expir[ée])"),
    (("rifie", "confirme", " jour", "actualise", "valide", "activ", "bloque", "curise"),
     r"(?:v[ée]rifie[rz]?|confirme[rz]?|mettre [àa] jour|mettez [àa] jour|actualise[rz]?|"
     r"valide[rz]?|r[ée]activer|r[ée]activez|d[ée]bloque[rz]?|s[ée]curise[rz]?) (?:vos|votre|"
     r"les|la) (?:informations|donn[ée]es|identit[ée]|coordonn[ée]es|compte|moyen de paiement|"
     r"carte|acc[eè]s|identifiants?|situation|dossier|adresse)"),
    (("droit", "ligible", "neficier", "néficier"),
     r"(?:vous avez droit|vous [êe]tes [ée]ligible|b[ée]n[ée]ficier) [àa] (?:un|une|le) "
     r"(?:remboursement|aide|versement|prime|indemnit)"),
    (("remboursement",),
     r"remboursement (?:de|d'un montant de|en attente|disponible|exceptionnel)\s*(?:de\s*)?\d|"
     r"(?:un |le |votre )?remboursement (?:est |vous )?(?:en attente|disponible|bloqu)"),
    (("24", "48", "72"), r"(?:dans|sous) (?:les )?(?:24|48|72) ?(?:h|heures)\b|"
     r"within (?:24|48|72) hours"),
    (("dernier", "derni", "ultime"), r"dernier (?:avis|rappel|d[ée]lai)|"
     r"(?:derni[eè]re|ultime) relance"),
    (("action",), r"action (?:requise|imm[ée]diate)|immediate(?:ly)? action"),
    (("diatement",), r"imm[ée]diatement"),
    (("sans ",), r"sans (?:quoi|d[ée]lai)|sans (?:r[èe]glement|paiement|r[ée]ponse|"
     r"r[ée]gularisation) (?:de votre part )?(?:sous|dans|d'ici|avant)"),
    (("nalit",), r"p[ée]nalit[ée]s? (?:de retard|financi[eè]res?)|majoration"),
    # Macro-laden documents ask to switch their protection off.
    (("activ", "enable"), r"(?:activer|activez|autoriser|autorisez) (?:le contenu|les macros|"
     r"la modification)|enable (?:editing|content|macros)"),
    (("frais",), r"frais (?:de (?:livraison|r[ée]exp[ée]dition|douane|port|dossier)|"
     r"d'exp[ée]dition)"),
    (("colis",), r"colis (?:est )?(?:en attente|bloqu[ée]|retenu|en instance|non livr)"),
    (("vitale",), r"carte vitale (?:expir|arriv|doit|[àa] renouveler|est)"),
    (("amende", "contravention"),
     r"(?:amende|contravention|avis de contravention)s? (?:impay|major|en attente)"),
    (("mot de passe", "password"), r"mot de passe (?:expir|va expirer|arrive)|"
     r"password (?:expires|will expire|has expired)"),
    (("identifiez", "connectez"), r"(?:identifiez|connectez)[- ]vous (?:pour|afin|d[eè]s|"
     r"imm[ée]diatement|sur)"),
    (("cliquez", "click"),
     r"cliquez (?:sur le lien|ici|sur le bouton)" + _W + r"{0,20}(?:pour|afin de?) "
     r"(?:v[ée]rifier|confirmer|recevoir|d[ée]bloquer|r[ée]gulariser|mettre [àa] jour|"
     r"[ée]viter|r[ée]activer|obtenir|valider|acc[ée]der)|click (?:here|below|the link|the "
     r"button)" + _W + r"{0,20}to (?:verify|confirm|unlock|restore|claim|avoid|reactivate|"
     r"validate|update)"),
    (("gularise",), r"r[ée]gularise[rz]? (?:votre|la) situation"),
    (("boîte", "boite", "mailbox"),
     r"bo[iî]te (?:mail|aux lettres|de r[ée]ception) (?:est )?(?:pleine|satur)|"
     r"mailbox (?:is full|quota|storage)"),
    (("bancaire", "bank", "card details"),
     r"(?:coordonn[ée]es|informations) bancaires|(?:bank|banking|card) details"),
    (("cvv", "code ", "num"), r"(?:num[ée]ro|code) (?:de (?:carte|s[ée]curit[ée])|cvv|"
     r"confidentiel)"),
    (("poursuite",), r"poursuites? (?:judiciaires?|p[ée]nales)"),
    # Business e-mail compromise ("fraude au président"): secrecy, unreachable boss, payment.
    (("union",), r"je suis en r[ée]union|i(?:'m| am) in a meeting"),
    (("phoner", "appeler", "call"), r"(?:ne (?:peux|pourrai|peut) pas|impossible de) "
     r"(?:t[ée]l[ée]phoner|t'appeler|vous appeler|appeler|r[ée]pondre au t[ée]l[ée]phone)|"
     r"(?:can't|cannot|can not) (?:take|make) (?:a |any )?calls?"),
    (("discr", "confidenti"), r"(?:de fa[çc]on |en toute )?discr[eè]t(?:e|ement)?\b|"
     r"strictement confidentiel|(?:keep|kept) (?:this )?confidential"),
    (("cadeau", "gift card"), r"cartes? cadeaux?|gift cards?"),
    (("virement", "transfer", "iban", "rib"), r"virement (?:urgent|bancaire|imm[ée]diat|"
     r"rapide)|(?:nouveau|changement de) (?:rib|iban|coordonn[ée]es bancaires)|"
     r"(?:urgent|wire) transfer"),
    (("cette adresse", "this address", "this email"), r"(?:r[ée]ponds|r[ée]pondez|[ée]cris|"
     r"[ée]crivez)[- ]moi[\w ]{0,20} (?:sur|[àa]) cette adresse|reply (?:to me )?(?:only )?"
     r"(?:at|to|on) this (?:address|email)"),
    (("achat",), r"achat urgent|achats? (?:de cartes|discret)"),
    (("jointe", "joint", "attach"), r"(?:ouvr(?:ez|ir)|t[ée]l[ée]charg(?:ez|er)|consult(?:ez|er)"
     r"|d[ée]compress(?:ez|er)) (?:la|le) (?:pi[eè]ce jointe|fichier joint|document joint)|"
     r"open the attach"),
    (("verify your",), r"verify your (?:account|identity|information|details|email|payment)"),
    (("suspended", "locked", "limited", "closed", "disabled", "restricted", "deactivated",
      "on hold"),
     r"your (?:account|access|mailbox|card|subscription)[\w ,']{0,30}(?:has been|will be|is) "
     r"(?:suspended|locked|limited|closed|disabled|restricted|deactivated|on hold)"),
    (("confirm your",),
     r"confirm your (?:identity|account|details|password|information|billing)"),
    (("update your",),
     r"update your (?:payment|billing|account|card|banking) (?:information|details|method)"),
    (("unusual",), r"unusual (?:sign[- ]in|activity|login)"),
    (("you have",), r"you have (?:received|a pending) (?:a )?(?:refund|payment|transfer)"),
    (("tax refund",), r"tax refund"),
    (("final", "last"), r"(?:final|last) (?:notice|warning)"),
    (("wire transfer",), r"wire transfer"),
    (("gift card",), r"gift cards?"),
    (("security alert",), r"security alert"),
    (("failed",), r"failed (?:delivery|payment)"),
)
_LURE_TABLE = tuple((anchors, re.compile(p)) for anchors, p in LURES)
_IPV4 = re.compile(r"^\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?$")
_EMAIL_IN_NAME = re.compile(r"[\w.+-]+@([\w-]+(?:\.[\w-]+)+)")
_TEXT_DOMAIN = re.compile(r"^\s*(?:https?://)?(?:www\.)?((?:[a-z0-9\u00a0-\uffff-]+\.)+"
                          r"[a-z\u00a0-\uffff]{2,})(?:[/:?#]\S*)?\s*$", re.I)
_AUTH_RESULT = re.compile(r"\b(spf|dkim|dmarc)\s*=\s*([a-z]+)", re.I)
_NON_WORD = re.compile(r"[^a-z0-9@.]+")
_CYRILLIC_GREEK = re.compile(r"[\u0370-\u03ff\u0400-\u04ff\u0500-\u052f]")
_LATIN = re.compile(r"[a-z]")
_SUSPICIOUS_TLDS = frozenset({"zip", "mov", "top", "xyz", "click", "country", "gq", "tk", "ml",
                              "cf", "ga", "work", "rest", "cam", "icu", "buzz", "monster", "cyou",
                              "sbs", "cfd", "quest", "bond"})

# Confusable characters folded to one representative: digits posing as letters, Cyrillic and
# Greek look-alikes, accented letters, and i/l/1 (which many fonts barely tell apart).
_CONFUSABLES = str.maketrans({
    "0": "o", "1": "l", "i": "l", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "9": "g",
    "$": "s", "|": "l", "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "х": "x", "у": "y",
    "і": "l", "ј": "j", "ԁ": "d", "ո": "n", "ѕ": "s", "ɡ": "g", "ӏ": "l", "ı": "l", "ⅼ": "l",
    "ο": "o", "α": "a", "ε": "e", "ν": "v", "τ": "t", "κ": "k", "ρ": "p", "í": "l", "ì": "l",
    "ï": "l", "î": "l", "é": "e", "è": "e", "ê": "e", "ë": "e", "à": "a", "â": "a", "ä": "a",
    "ô": "o", "ö": "o", "ó": "o", "ü": "u", "ù": "u", "û": "u", "ú": "u", "ç": "c", "ñ": "n",
})


@dataclass(frozen=True, slots=True)
class SafetyResult:
    """The phishing/malware score and the reasons behind it, strongest first."""

    score: float
    reasons: tuple[Reason, ...] = ()

    def suspect(self, threshold: float = DEFAULT_THRESHOLD) -> bool:
        return self.score >= threshold


SAFE = SafetyResult(0.0, ())


# --- domain helpers ---------------------------------------------------------------------------

def _to_unicode(domain: str) -> str:
    if "xn--" not in domain:
        return domain
    try:
        return domain.encode("ascii").decode("idna")
    except (UnicodeError, ValueError):
        return domain


def skeleton(text: str) -> str:
    """Fold look-alike characters, so 'amel1.fr', 'аmeli.fr' and 'ameli.fr' read the same."""
    return text.lower().translate(_CONFUSABLES).replace("rn", "m").replace("vv", "w")


@lru_cache(maxsize=1)
def _skeletons() -> tuple[list[tuple[Institution, list[tuple[str, str]], list[tuple[str, str]]]],
                          frozenset[str], frozenset[str]]:
    """Institutions with (original, skeleton) pairs of their domains and labels, computed once."""
    table = [(inst, [(d, skeleton(d)) for d in inst.domains],
              [(lab, skeleton(lab)) for lab in inst.labels]) for inst in INSTITUTIONS]
    return (table, frozenset(skeleton(t) for t in _CONTEXT_TOKENS),
            frozenset(skeleton(t) for t in LOOKALIKE_EXCEPTIONS))


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


def _is_official(domain: str, inst: Institution) -> bool:
    for off in inst.domains:
        if domain == off or domain.endswith("." + off):
            return True
    return False


@lru_cache(maxsize=8192)
def official_of(domain: str) -> Institution | None:
    """The institution whose official domain this is (the most specific one), if any."""
    best: Institution | None = None
    best_len = 0
    for inst in INSTITUTIONS:
        for off in inst.domains:
            if (domain == off or domain.endswith("." + off)) and len(off) > best_len:
                best, best_len = inst, len(off)
    return best


def _label_and_suffix(domain: str) -> tuple[str, str, str]:
    reg = registrable_domain(domain)
    suffix = _psl().publicsuffix(domain) or ""
    label = reg[: -len(suffix) - 1] if suffix and reg.endswith("." + suffix) else reg
    return reg, label, suffix


@lru_cache(maxsize=16384)
def institution_lookalike(domain: str) -> tuple[str, str] | None:
    """(institution, its main domain) when ``domain`` imitates one without being official.

    Recognises an embedded name or domain (``caf-mon-espace.com``,
    ``impots.gouv.fr.secure-login.net``), typos at distance 1–2 (``amelli.fr``), and homoglyphs
    (``аmeli.fr`` with a Cyrillic a, ``imp0ts-gouv.com``).
    """
    d = _to_unicode(domain.lower().strip("."))
    if not d or "." not in d or _IPV4.match(d) or official_of(d) is not None:
        return None
    reg, label, _suffix = _label_and_suffix(d)
    skel_full = skeleton(d)
    skel_reg = skeleton(reg)
    skel_label = skeleton(label)
    token_set = {t for t in re.split(r"[.\-_]+", skel_full) if t}
    table, context_tokens, exceptions = _skeletons()
    exception = skel_label in exceptions
    for inst, domains, labels in table:
        main = inst.domains[0]
        for off, soff in domains:
            if skel_reg == soff and reg != off:
                return inst.name, main  # homoglyph of the whole domain
            if (soff + "." in skel_full or soff.replace(".", "-") in skel_full
                    or (len(soff) >= 8 and soff.replace(".", "") in skel_label)):
                if off != "gouv.fr" or "gouv" in token_set or "gouvfr" in skel_label:
                    return inst.name, main
        for lab, slab in labels:
            if slab in token_set:
                if len(lab) >= 5 or skel_label == slab or (token_set - {slab}) & context_tokens:
                    return inst.name, main
            if exception:
                continue
            if len(lab) >= 7 and slab in skel_label:
                return inst.name, main
            if len(lab) >= 5 and abs(len(skel_label) - len(slab)) <= 2:
                limit = 2 if len(lab) >= 8 else 1
                if 0 < edit_distance(skel_label, slab, limit) <= limit:
                    return inst.name, main
    return None


_TLD_LABELS = frozenset({"fr", "com", "org", "net", "eu", "gouv", "be", "ch", "de", "uk",
                         "info", "io", "co"})


@lru_cache(maxsize=16384)
def dressed_domain(domain: str) -> str:
    """The domain a host name pretends to be, when it hides one in its subdomains.

    ``mairie-ville.fr.share-files.net`` belongs to share-files.net but opens with what
    reads as the address of a town hall: a country or generic ending in the middle of a name
    is how such disguises are built (legitimate hosts put a language code first, if anything).
    """
    d = _to_unicode(domain.lower().strip("."))
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
        reg, label, _suffix = _label_and_suffix(d.lower())
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
    d = _to_unicode(domain.lower().strip("."))
    if not d or "." not in d:
        return "", False
    for o in internal:
        if d == o or d.endswith("." + o):
            return "", False
    reg, label, _suffix = _label_and_suffix(d)
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
    reg = registrable_domain(_to_unicode(domain.lower()))
    if not reg or reg in known or len(reg) < 6:
        return ""
    skel = skeleton(reg)
    dotted = "." + _to_unicode(domain.lower())
    for k in known:
        if "." + k + "." in dotted and k != reg:
            return k  # a correspondent's domain worn as a subdomain of another
        if abs(len(k) - len(reg)) > 1 or k in FREEMAIL and reg in FREEMAIL:
            continue
        if skel == skeleton(k) or edit_distance(reg, k, 1) == 1:
            return k
    return ""


def _mixed_script(domain: str) -> bool:
    if domain.isascii():
        return False
    return any(_CYRILLIC_GREEK.search(lbl) and _LATIN.search(lbl) for lbl in domain.split("."))


@lru_cache(maxsize=4096)
def name_claims(display_name: str) -> Institution | None:
    """The institution that a display name claims to be, if any."""
    norm = unicodedata.normalize("NFKD", display_name.lower())
    norm = "".join(c for c in norm if not unicodedata.combining(c))
    norm = " " + " ".join(_NON_WORD.sub(" ", norm.replace("'", " ")).split()) + " "
    for inst in INSTITUTIONS:
        for n in inst.names:
            if f" {n} " in norm:
                return inst
    return None


def _unwrap(link: Link) -> tuple[str, str]:
    """(url, host) of the real destination, looking through known link rewriters."""
    url, host = link.url, link.domain.lower()
    if not host:
        try:
            host = (urlsplit(url).hostname or "").lower()
        except ValueError:
            host = ""
    if host and registrable_domain(host) in ("outlook.com", "google.com") and "?" in url:
        try:
            qs = parse_qs(urlsplit(url).query)
        except ValueError:
            return url, host
        for p in _UNWRAP_PARAMS:
            if p in qs and qs[p][0].startswith("http"):
                inner = qs[p][0]
                try:
                    return inner, (urlsplit(inner).hostname or "").lower()
                except ValueError:
                    return url, host
    return url, host


def _text_domain(link: Link) -> str:
    if link.text_domain:
        return link.text_domain.lower().removeprefix("www.")
    text = link.text
    if not text or "." not in text or len(text) > 120:
        return ""
    m = _TEXT_DOMAIN.match(text)
    if not m:
        return ""
    dom = m.group(1).lower()
    tld = dom.rsplit(".", 1)[-1]
    if tld.isdigit() or tld in ("html", "htm", "php", "pdf", "aspx", "jpg", "png"):
        return ""
    return dom


def _same_owner(a: str, b: str) -> bool:
    if a == b:
        return True
    ra, rb = registrable_domain(a), registrable_domain(b)
    if ra == rb:
        return True
    ia, ib = official_of(ra), official_of(rb)
    return ia is not None and ia is ib


def _ext_parts(filename: str) -> list[str]:
    name = filename.strip().strip(".").lower()
    return [p.strip() for p in name.split(".")[1:]] if "." in name else []


# --- the check --------------------------------------------------------------------------------

def _r(template: str, code: str, weight: float, **params: object) -> Reason:
    return Reason(template, dict(params), code, weight)


def _sender_signals(msg: Message, frm: Address | None, ctx: Context | None,
                    out: dict[str, Reason]) -> None:
    if frm is None:
        return
    from_domain = _to_unicode(frm.domain)
    from_reg = registrable_domain(from_domain) if from_domain else ""
    internal = ctx is not None and (frm.email in ctx.own_addresses
                                    or ctx.is_internal(from_domain))
    org = ctx.internal_domains if ctx is not None else ()
    # Display name claiming an institution, or showing another address. Mail from the user's
    # own organisation is left out: its servers write names like "Microsoft Outlook".
    if frm.name and not internal:
        inst = name_claims(frm.name)
        if inst is not None and from_domain and not _is_official(from_domain, inst):
            w = 0.6 if from_reg in FREEMAIL else 0.55
            out["display_name"] = _r(
                N_("The sender's name \u201c{name}\u201d claims to be {institution}, but the "
                   "address is {email}"), "display_name_spoof", w, name=frm.name[:60],
                institution=inst.name, email=frm.email)
        else:
            m = _EMAIL_IN_NAME.search(frm.name.lower())
            if m and from_reg and registrable_domain(m.group(1)) != from_reg:
                out["display_name"] = _r(
                    N_("The sender's name shows the address {shown} but the mail comes from "
                       "{email}"), "display_name_address", 0.5, shown=m.group(0),
                    email=frm.email)
            elif ctx is not None and ctx.known_names:
                key = " ".join(frm.name.lower().split())
                known = ctx.known_names.get(key)
                if known and known != frm.email and registrable_domain(
                        known.rpartition("@")[2]) != from_reg:
                    out["display_name"] = _r(
                        N_("The sender uses the name of {name}, whom you know at another "
                           "address ({known})"), "known_name_spoof", 0.55,
                        name=frm.name[:60], known=known)
    # Lookalike sender domain.
    if from_domain:
        look = institution_lookalike(from_domain)
        if look is not None:
            out["from_lookalike"] = _r(
                N_("The sender's domain {domain} imitates {institution} ({official})"),
                "lookalike_sender", 0.6, domain=from_domain, institution=look[0],
                official=look[1])
        elif _mixed_script(from_domain):
            out["from_lookalike"] = _r(
                N_("The sender's domain {domain} mixes alphabets to imitate another"),
                "mixed_script", 0.6, domain=from_domain)
        elif org and not internal and (hit := org_lookalike(from_domain, org))[0]:
            out["from_lookalike"] = _r(
                N_("The sender's domain {domain} imitates your organisation's domain ({official})"),
                "lookalike_org", 0.6 if hit[1] else (0.35 if msg.list_unsubscribe else 0.5),
                domain=from_domain, official=hit[0])
        elif ctx is not None and ctx.contacts:
            known = contact_lookalike(from_domain, ctx.contact_domains)
            if known:
                out["from_lookalike"] = _r(
                    N_("The sender's domain {domain} looks like {known}, a domain you write "
                       "to"), "lookalike_contact", 0.6, domain=from_domain, known=known)
        if "from_lookalike" not in out and (fake := dressed_domain(from_domain)):
            out["from_lookalike"] = _r(
                N_("The sender's domain {domain} starts like {fake} but belongs to {owner}"),
                "dressed_domain", 0.55, domain=from_domain, fake=fake, owner=from_reg)
        if org and from_reg in FREEMAIL and "display_name" not in out:
            borrowed = org_in_text(frm.local, org)
            if borrowed:
                out["display_name"] = _r(
                    N_("A personal mailbox ({email}) borrows your organisation's name "
                       "({official})"), "org_name_freemail", 0.55, email=frm.email,
                    official=borrowed)
    # Reply-To elsewhere.
    for rt in msg.reply_to:
        rdom = rt.domain
        if not rdom or not from_domain or _same_owner(rdom, from_domain):
            continue
        if msg.list_id and rdom in msg.list_id:
            continue
        rreg = registrable_domain(rdom)
        inst_claim = "display_name" in out or official_of(from_reg) is not None
        if rreg in FREEMAIL and inst_claim:
            w = 0.45
        elif rreg in FREEMAIL and from_reg in FREEMAIL:
            w = 0.35  # one personal mailbox asking for replies at another: a classic of fraud
        else:
            w = 0.2
        if institution_lookalike(rdom) is not None:
            w = 0.55
        out["reply_to"] = _r(
            N_("Replies would go to {reply_to}, not to the sender's domain ({domain})"),
            "reply_to_mismatch", w, reply_to=rt.email, domain=from_domain)
        break


class _Host(NamedTuple):
    host: str
    reg: str
    ip: bool
    lookalike: tuple[str, str] | None
    mixed: bool
    dressed: str
    shortener: bool
    odd_tld: bool
    wrapper: bool


@lru_cache(maxsize=16384)
def _host_info(raw_host: str) -> _Host:
    """Everything the link check needs to know about a host, computed once per host."""
    host = _to_unicode(raw_host.lower().strip("[]."))
    if _IPV4.match(host) or ":" in host:
        return _Host(host, host, True, None, False, "", False, False, False)
    reg = registrable_domain(host)
    look = institution_lookalike(host)
    return _Host(host, reg, False, look, look is None and _mixed_script(host),
                 dressed_domain(host) if look is None else "", reg in SHORTENERS,
                 reg.rpartition(".")[2] in _SUSPICIOUS_TLDS,
                 reg in ("outlook.com", "google.com"))


def _link_signals(msg: Message, from_domain: str, ctx: Context | None,
                  out: dict[str, Reason]) -> None:
    mismatches = 0
    bulk = bool(msg.list_unsubscribe)
    seen: set[tuple[str, str]] = set()
    org = ctx.internal_domains if ctx is not None else ()
    for link in msg.links[:MAX_LINKS]:
        url = link.url
        if url[:7].lower() == "mailto:" or url[:4].lower() == "tel:":
            continue
        raw = link.domain
        if not raw:
            try:
                raw = urlsplit(url).hostname or ""
            except ValueError:
                raw = ""
        if not raw:
            continue
        info = _host_info(raw)
        if info.wrapper and "?" in url:
            _, inner = _unwrap(link)
            if inner:
                info = _host_info(inner)
        key = (info.host, link.text_domain or link.text[:80])
        if key in seen:
            continue
        seen.add(key)
        host = info.host
        if info.ip:
            if "ip_link" not in out:
                out["ip_link"] = _r(N_("A link points to a bare IP address ({ip})"), "ip_link",
                                    0.45, ip=host)
            continue
        if "link_lookalike" not in out:
            if info.lookalike is not None:
                out["link_lookalike"] = _r(
                    N_("A link leads to {domain}, which imitates {institution} ({official})"),
                    "lookalike_link", 0.55, domain=host, institution=info.lookalike[0],
                    official=info.lookalike[1])
            elif info.mixed:
                out["link_lookalike"] = _r(
                    N_("A link leads to {domain}, which mixes alphabets to imitate another "
                       "domain"), "mixed_script_link", 0.55, domain=host)
            elif info.dressed:
                out["link_lookalike"] = _r(
                    N_("A link leads to {domain}, which starts like {fake} but belongs to "
                       "{owner}"), "dressed_link", 0.5, domain=host, fake=info.dressed,
                    owner=info.reg)
            elif org and not info.reg == registrable_domain(from_domain) and (
                    hit := org_lookalike(host, org))[0]:
                out["link_lookalike"] = _r(
                    N_("A link leads to {domain}, which imitates your organisation's domain "
                       "({official})"), "lookalike_org_link", 0.55 if hit[1] else 0.4,
                    domain=host, official=hit[0])
        shown = _text_domain(link)
        if shown and not _same_owner(shown, host):
            claims = official_of(registrable_domain(shown)) is not None
            if info.reg in REDIRECTORS:
                pass  # click tracking and link-protection services rewrite every link
            elif bulk and not claims and from_domain and _same_owner(host, from_domain):
                pass  # the sender's own click tracking
            else:
                mismatches += 1
                if "link_text" not in out:
                    own_site = bool(from_domain) and _same_owner(host, from_domain)
                    weak = not claims and (bulk or own_site)
                    out["link_text"] = _r(
                        N_("A link shows {shown} but leads to {real}"), "link_text_mismatch",
                        0.3 if weak else 0.5, shown=shown, real=host)
        if info.shortener and "shortener" not in out:
            out["shortener"] = _r(N_("A link hides its destination behind a shortener ({domain})"),
                                  "shortener", 0.15, domain=info.reg)
        if info.odd_tld and "odd_tld" not in out:
            out["odd_tld"] = _r(N_("A link leads to a domain under an often-abused ending "
                                   "({domain})"), "suspicious_tld", 0.1, domain=info.reg)
    if mismatches > 1 and "link_text" in out:
        r = out["link_text"]
        out["link_text"] = Reason(r.template, r.params, r.code, min(0.7, r.weight + 0.1))


def _attachment_signals(msg: Message, stranger: bool, out: dict[str, Reason]) -> None:
    best: Reason | None = None
    for att in msg.attachments:
        name = att.filename or ""
        parts = _ext_parts(name)
        ext = parts[-1] if parts else ""
        r: Reason | None = None
        if "\u202e" in name or "\u202d" in name:
            r = _r(N_("The attachment {filename} hides its real extension"), "hidden_extension",
                   0.85, filename=name.replace("\u202e", "").replace("\u202d", ""))
        elif ext in DANGEROUS_EXT or ext in DISK_IMAGE_EXT or (
                not ext and att.content_type.lower() in DANGEROUS_TYPES):
            if len(parts) >= 2 and parts[-2] in DOC_EXT:
                r = _r(N_("The attachment {filename} disguises a program as a document"),
                       "double_extension", 0.9, filename=name)
            elif ext in DISK_IMAGE_EXT:
                r = _r(N_("Disk image attachment, a common way to deliver malware: {filename}"),
                       "disk_image", 0.65, filename=name)
            else:
                r = _r(N_("Attachment that can run a program: {filename}"),
                       "dangerous_attachment", 0.75, filename=name)
        elif ext in MACRO_EXT:
            r = _r(N_("Office attachment that can contain macros: {filename}"),
                   "macro_attachment", 0.5, filename=name)
        elif ext in ARCHIVE_EXT and stranger:
            r = _r(N_("Compressed attachment from a sender you have never written to: "
                      "{filename}"), "archive_attachment", 0.25, filename=name)
        elif ext in HTML_EXT and not att.inline:
            r = _r(N_("Web page attachment, often a fake login form: {filename}"),
                   "html_attachment", 0.35 if ext == "svg" else 0.45, filename=name)
        if r is not None and (best is None or r.weight > best.weight):
            best = r
    if best is not None:
        out["attachment"] = best


def find_lures(text: str, limit: int = 3) -> list[str]:
    """Phishing wording in lowercased ``text``: the matched passages, at most ``limit``."""
    found: list[str] = []
    for anchors, rx in _LURE_TABLE:
        hit = None
        for anchor in anchors:
            i = text.find(anchor)
            tries = 0
            while i >= 0 and tries < 3:
                hit = rx.search(text, max(0, i - 90), i + 110)
                if hit:
                    break
                i = text.find(anchor, i + 1)
                tries += 1
            if hit:
                break
        if hit:
            found.append(hit.group(0))
            if len(found) >= limit:
                break
    return found


def _lure_signals(msg: Message, out: dict[str, Reason]) -> None:
    body = msg.new_text or msg.text
    text = f"{msg.subject}\n{body[:LURE_CHARS]}".lower().replace("’", "'")
    found = find_lures(text)
    if found:
        w = 0.3 if len(found) == 1 else 0.45
        out["lure"] = _r(N_("Wording typical of phishing: \u201c{passage}\u201d"), "lure", w,
                         passage=" ".join(found[0].split())[:80])


def _auth_signals(msg: Message, ctx: Context | None, out: dict[str, Reason]) -> None:
    if ctx is None or not ctx.trusted_authserv_ids or not msg.authentication_results:
        return
    for value in msg.authentication_results:
        head = value.split(";", 1)[0].strip().split()
        if not head or head[0].lower() not in ctx.trusted_authserv_ids:
            continue
        results: dict[str, str] = {}
        for method, result in _AUTH_RESULT.findall(value):
            method, result = method.lower(), result.lower()
            if result == "pass" or method not in results:
                results[method] = result
        dmarc, spf, dkim = results.get("dmarc"), results.get("spf"), results.get("dkim")
        if dmarc == "fail":
            out["auth"] = _r(N_("Your mail server could not authenticate the sender "
                                "({method}: {result})"), "auth_fail", 0.55, method="DMARC",
                             result=dmarc)
        elif spf in ("fail", "softfail") and dkim != "pass":
            out["auth"] = _r(N_("Your mail server could not authenticate the sender "
                                "({method}: {result})"), "auth_fail", 0.35, method="SPF",
                             result=spf)
        elif dkim == "fail" and spf != "pass":
            out["auth"] = _r(N_("Your mail server could not authenticate the sender "
                                "({method}: {result})"), "auth_fail", 0.3, method="DKIM",
                             result=dkim)
        return  # only the newest header from a trusted server counts


def assess(msg: Message, ctx: Context | None = None) -> SafetyResult:
    """Score ``msg`` for phishing and malware risk (0 = no sign, 1 = certain) with reasons."""
    out: dict[str, Reason] = {}
    frm = msg.from_ or msg.sender
    _sender_signals(msg, frm, ctx, out)
    from_domain = frm.domain if frm else ""
    if msg.links:
        _link_signals(msg, from_domain, ctx, out)
    if msg.attachments:
        stranger = frm is None or ctx is None or not (
            ctx.contacts.get(frm.email) or frm.email in ctx.own_addresses
            or ctx.is_internal(frm.domain)
            or (ctx.important_rx is not None and ctx.important_rx.fullmatch(frm.email)))
        _attachment_signals(msg, stranger, out)
    _auth_signals(msg, ctx, out)
    if not out:
        return SAFE
    miss = 1.0
    for r in out.values():
        miss *= 1.0 - r.weight
    # Wording alone never makes a message suspect, so the text is read only when something
    # else is clearly odd: the lure then confirms it.
    if miss <= 1.0 - LURE_GATE:
        _lure_signals(msg, out)
        if "lure" in out:
            miss *= 1.0 - out["lure"].weight
    reasons = tuple(sorted(out.values(), key=lambda r: -r.weight))
    return SafetyResult(round(1.0 - miss, 4), reasons)
