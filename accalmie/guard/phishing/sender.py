"""Who the message claims to come from, versus the address it really comes from.

Display names that claim an institution or a known person, addresses shown in the name,
lookalike sender domains, personal mailboxes posing as organisations, and replies diverted to
another domain.
"""

from __future__ import annotations

import re
from functools import lru_cache

from accalmie.guard.phishing.institutions import (
    FREEMAIL,
    brand_word,
    is_official,
    name_claims,
    official_of,
    strip_accents,
)
from accalmie.guard.phishing.links import free_host
from accalmie.guard.phishing.lookalike import (
    contact_lookalike,
    dressed_domain,
    fancy_letters,
    institution_lookalike,
    mixed_script,
    org_in_text,
    org_lookalike,
    skeleton,
    to_unicode,
)
from accalmie.guard.phishing.reasons import N_, reason
from accalmie.mail.model import Address, Message
from accalmie.triage.decision import Reason
from accalmie.triage.features import Context, registrable_domain

_EMAIL_IN_NAME = re.compile(r"[\w.+-]+@([\w-]+(?:\.[\w-]+)+)")
_WORDS = re.compile(r"[a-z0-9]+")
# Words by which a display name presents an organisation rather than a person.
ORG_WORDS = frozenset({
    "team", "support", "service", "services", "security", "department", "dept", "billing",
    "customer", "customers", "rewards", "reward", "notification", "notifications", "alert",
    "alerts", "center", "centre", "account", "accounts", "admin", "administrator", "helpdesk",
    "desk", "bank", "banking", "online", "verification", "official", "office", "management",
    "webmail", "mailbox", "administration", "assistance", "equipe", "securite", "clients",
    "client", "facturation", "comptabilite", "kundenservice", "kundendienst", "sicherheit",
    "atendimento", "seguranca", "klantenservice", "delivery", "shipping", "express",
    "gewinnspiel", "gutschein", "promo", "promotions", "offers", "lottery", "winner", "prize",
    "claims", "payments", "payment", "wallet", "exchange", "it", "helpline", "hr",
})


# Words of a sales pitch or a prize draw: a display name made of them is not a sender's name.
_SALES_WORDS = frozenset({
    "congratulations", "winner", "prize", "bonus", "jackpot", "casino", "gift", "reward",
    "rewards", "free", "offer", "offers", "deal", "deals", "discount", "discounts", "sale",
    "savings", "cashback", "airdrop", "gutschein", "gewinn", "gewinnspiel", "geschenk",
    "rabatt", "angebot", "angebote", "cadeau", "recompense", "gagnant", "promo", "remise",
    "premio", "brinde", "desconto", "oferta", "korting", "aanbieding", "prijs", "gratis",
    "spins", "freispiele", "limited", "exclusive", "claim", "lottery", "sweepstakes",
})


@lru_cache(maxsize=8192)
def _tokens(text: str) -> tuple[str, ...]:
    return tuple(_WORDS.findall(strip_accents(text.lower())))


def _name_matches_address(name: str, frm: Address) -> bool:
    """Does any word of the display name (3+ letters) appear in the address?"""
    where = skeleton(frm.email).replace("-", "").replace(".", "").replace("_", "")
    return any(len(t) >= 3 and skeleton(t) in where for t in _tokens(name))


def sender_signals(msg: Message, frm: Address | None, ctx: Context | None,
                   out: dict[str, Reason]) -> None:
    if frm is None:
        return
    from_domain = to_unicode(frm.domain)
    from_reg = registrable_domain(from_domain) if from_domain else ""
    internal = ctx is not None and (frm.email in ctx.own_addresses
                                    or ctx.is_internal(from_domain))
    org = ctx.internal_domains if ctx is not None else ()
    if frm.email and (not from_domain or "." not in from_domain):
        out["bad_from"] = reason(
            N_("The sender's address {email} has no valid domain"), "invalid_sender", 0.35,
            email=frm.email[:80])
    # Display name claiming an institution, or showing another address. Mail from the user's
    # own organisation is left out: its servers write names like "Microsoft Outlook".
    if frm.name and not internal:
        inst = name_claims(frm.name)
        if inst is not None and from_domain and not is_official(from_domain, inst):
            w = 0.65 if from_reg in FREEMAIL else 0.6
            out["display_name"] = reason(
                N_("The sender's name \u201c{name}\u201d claims to be {institution}, but the "
                   "address is {email}"), "display_name_spoof", w, name=frm.name[:60],
                institution=inst.name, email=frm.email)
        else:
            m = _EMAIL_IN_NAME.search(frm.name.lower())
            if m and from_reg and registrable_domain(m.group(1)) != from_reg:
                shown_inst = official_of(registrable_domain(m.group(1)))
                out["display_name"] = reason(
                    N_("The sender's name shows the address {shown} but the mail comes from "
                       "{email}"), "display_name_address", 0.55 if shown_inst else 0.3,
                    shown=m.group(0), email=frm.email)
            elif ctx is not None and ctx.known_names:
                key = " ".join(frm.name.lower().split())
                known = ctx.known_names.get(key)
                if known and known != frm.email and registrable_domain(
                        known.rpartition("@")[2]) != from_reg:
                    out["display_name"] = reason(
                        N_("The sender uses the name of {name}, whom you know at another "
                           "address ({known})"), "known_name_spoof", 0.55,
                        name=frm.name[:60], known=known)
        if "display_name" not in out and from_domain:
            words = set(_tokens(frm.name))
            inst = brand_word(words) if words & ORG_WORDS else None
            if inst is not None and not is_official(from_domain, inst):
                out["display_name"] = reason(
                    N_("The sender's name \u201c{name}\u201d claims to be {institution}, but "
                       "the address is {email}"), "display_name_spoof", 0.55,
                    name=frm.name[:60], institution=inst.name, email=frm.email)
            elif words & ORG_WORDS and not _name_matches_address(frm.name, frm):
                free = from_reg in FREEMAIL
                out["display_name"] = reason(
                    N_("The sender presents itself as \u201c{name}\u201d but writes from "
                       "{email}"), "org_name_mismatch", 0.4 if free else 0.2,
                    name=frm.name[:60], email=frm.email)
        if "display_name" not in out and _SALES_WORDS & set(_tokens(frm.name)):
            out["display_name"] = reason(
                N_("The sender's name is a sales pitch (\u201c{name}\u201d), not a name"),
                "pitch_as_name", 0.3, name=frm.name[:60])
        if fancy_letters(frm.name):
            out["fancy_name"] = reason(
                N_("The sender's name is written in look-alike letters to dodge filters"),
                "fancy_letters", 0.45)
    # Lookalike sender domain.
    if from_domain:
        look = institution_lookalike(from_domain)
        if look is not None:
            out["from_lookalike"] = reason(
                N_("The sender's domain {domain} imitates {institution} ({official})"),
                "lookalike_sender", 0.6, domain=from_domain, institution=look[0],
                official=look[1])
        elif mixed_script(from_domain):
            out["from_lookalike"] = reason(
                N_("The sender's domain {domain} mixes alphabets to imitate another"),
                "mixed_script", 0.6, domain=from_domain)
        elif org and not internal and (hit := org_lookalike(from_domain, org))[0]:
            out["from_lookalike"] = reason(
                N_("The sender's domain {domain} imitates your organisation's domain "
                   "({official})"), "lookalike_org",
                0.6 if hit[1] else (0.35 if msg.list_unsubscribe else 0.5),
                domain=from_domain, official=hit[0])
        elif ctx is not None and ctx.contacts:
            known = contact_lookalike(from_domain, ctx.contact_domains)
            if known:
                out["from_lookalike"] = reason(
                    N_("The sender's domain {domain} looks like {known}, a domain you write "
                       "to"), "lookalike_contact", 0.6, domain=from_domain, known=known)
        if "from_lookalike" not in out and (fake := dressed_domain(from_domain)):
            out["from_lookalike"] = reason(
                N_("The sender's domain {domain} starts like {fake} but belongs to {owner}"),
                "dressed_domain", 0.55, domain=from_domain, fake=fake, owner=from_reg)
        if org and from_reg in FREEMAIL and "display_name" not in out:
            borrowed = org_in_text(frm.local, org)
            if borrowed:
                out["display_name"] = reason(
                    N_("A personal mailbox ({email}) borrows your organisation's name "
                       "({official})"), "org_name_freemail", 0.55, email=frm.email,
                    official=borrowed)
    if from_domain and "from_lookalike" not in out and not internal:
        if free_host(from_domain, from_reg):
            out["random_sender"] = reason(
                N_("The mail comes from a free web-hosting platform ({domain})"),
                "free_host_sender", 0.25, domain=from_domain)
        elif random_label(from_domain):
            out["random_sender"] = reason(
                N_("The sender's domain {domain} looks machine-generated"), "random_domain",
                0.3, domain=from_domain)
    _reply_to(msg, from_domain, from_reg, out)


_CONSONANTS = re.compile(r"[bcdfghjklmnpqrstvwxz]{6,}")
_LETTER_DIGIT = re.compile(r"[a-z]\d|\d[a-z]")


def random_label(domain: str) -> bool:
    """A label of the domain (TLD aside) that no one would choose: ``5baw0cpti8r8.com``,
    ``uhyekb.osaydus96.com``. (Not the address's own part: bulk senders legitimately put
    tracking codes there.)"""
    for label in domain.lower().split(".")[:-1]:
        if len(label) >= 5 and (_CONSONANTS.search(label)
                                or len(_LETTER_DIGIT.findall(label)) >= 2):
            return True
    return False


def _reply_to(msg: Message, from_domain: str, from_reg: str, out: dict[str, Reason]) -> None:
    for rt in msg.reply_to:
        rdom = rt.domain
        if not rdom or not from_domain or rdom == from_domain:
            continue
        rreg = registrable_domain(rdom)
        if rreg == from_reg:
            continue
        if msg.list_id and (rdom in msg.list_id or rreg in msg.list_id):
            continue
        inst_from, inst_rt = official_of(from_reg), official_of(rreg)
        if inst_from is not None and inst_from is inst_rt:
            continue
        inst_claim = "display_name" in out or inst_from is not None
        if rreg in FREEMAIL and inst_claim:
            w = 0.45
        elif rreg in FREEMAIL and from_reg in FREEMAIL:
            w = 0.35  # one personal mailbox asking for replies at another: a classic of fraud
        elif rreg in FREEMAIL:
            w = 0.3
        else:
            w = 0.2
        if institution_lookalike(rdom) is not None:
            w = 0.55
        out["reply_to"] = reason(
            N_("Replies would go to {reply_to}, not to the sender's domain ({domain})"),
            "reply_to_mismatch", w, reply_to=rt.email, domain=from_domain)
        break
