"""Where the links really go: text showing one domain for another, lookalikes, raw IPs,
shorteners, user-info tricks, ``data:`` and ``javascript:`` URLs, free hosting, and links that
wear a brand's name in their path.

At most :data:`MAX_LINKS` links are read, and host facts are cached, so a newsletter with
hundreds of links costs the same as one with a dozen.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple
from urllib.parse import parse_qs, unquote, urlsplit

from accalmie.guard.phishing.institutions import (
    REDIRECTORS,
    SHORTENERS,
    Institution,
    official_of,
)
from accalmie.guard.phishing.lookalike import (
    IPV4,
    dressed_domain,
    institution_lookalike,
    mixed_script,
    org_lookalike,
    to_unicode,
)
from accalmie.guard.phishing.reasons import N_, add, reason
from accalmie.mail.html import text_domain
from accalmie.mail.model import Link, Message
from accalmie.triage.decision import Reason
from accalmie.triage.features import Context, registrable_domain

MAX_LINKS = 200  # links examined per message (newsletters carry hundreds of the same few)
_UNWRAP_PARAMS = ("url", "u", "q", "target", "redirect", "dest", "destination")
SUSPICIOUS_TLDS = frozenset({
    "zip", "mov", "top", "xyz", "click", "country", "gq", "tk", "ml", "cf", "ga", "work",
    "rest", "cam", "icu", "buzz", "monster", "cyou", "sbs", "cfd", "quest", "bond", "su",
    "loan", "win", "bid", "racing", "review", "download", "stream", "men", "date", "party",
    "trade", "webcam", "accountant", "cricket", "faith", "science", "gdn", "lol", "mom",
    "autos", "beauty", "hair", "skin", "makeup", "boats", "homes", "motorcycles", "yachts",
    "shop", "online", "site", "store", "live", "fun", "space", "website", "life", "vip",
})
# Free site builders, form services and cloud buckets: anyone can put a login page there in a
# minute, and fraud does, because the host's reputation is clean.
FREE_HOSTS = frozenset({
    "firebaseapp.com", "web.app", "weebly.com", "wixsite.com", "000webhostapp.com",
    "blogspot.com", "github.io", "netlify.app", "vercel.app", "glitch.me", "azurewebsites.net",
    "herokuapp.com", "pages.dev", "workers.dev", "r2.dev", "ngrok.io", "ngrok-free.app",
    "typeform.com", "jotform.com", "formstack.com", "wufoo.com", "123formbuilder.com",
    "webflow.io", "square.site", "mystrikingly.com", "godaddysites.com", "sites.google.com",
    "forms.gle", "ipfs.io", "dweb.link", "fleek.co", "repl.co", "replit.app", "surge.sh",
    "translate.goog", "appspot.com", "cloudfront.net", "blob.core.windows.net",
    "storage.googleapis.com", "s3.amazonaws.com", "myshopify.com", "carrd.co", "tilda.ws",
    "yolasite.com", "jimdosite.com", "wordpress.com", "zohosites.com", "notion.site",
    "canva.site", "framer.website", "onrender.com", "fly.dev", "trycloudflare.com",
    "hubspotpagebuilder.com",
})
_LOGIN_RX = re.compile(
    "login|logon|signin|sign-in|verif|webscr|secure|account|update|confirm|auth|wallet|"
    "billing|banking|password|unlock|validate|recover|connexion|identif")
# The visible text of a link that asks to act, in the languages fraud arrives in.
_ACTION = re.compile(
    "click|here|update|verify|confirm|log ?in|sign ?in|access|secure|validate|restore|unlock|"
    "reactivate|continue|review|claim|cliquez|ici|connect|mettre à jour|vérifi|confirme|valide|"
    "accéde|régularis|klicken|hier|bestätigen|aktualisieren|anmelden|clique|aqui|acesse|"
    "atualiz|confirmar|klik|bevestig|haga clic|aquí|verifique|accedi")
_DOMAIN_IN_PATH = re.compile(r"[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|gov|fr|net|org|de|co\.uk)"
                             r"(?![a-z0-9-])")
_BRAND_RX = re.compile(
    "(?<![a-z])(paypal|ebay|amazon|apple|icloud|microsoft|office365|outlook|netflix|ameli|"
    "impots|caf|laposte|colissimo|chase|wellsfargo|bankofamerica|citibank|wamu|barclays|hsbc|"
    "lloyds|santander|binance|coinbase|metamask|ledger|dhl|fedex|usps|franceconnect|ants)"
    "(?![a-z])")


class Host(NamedTuple):
    host: str
    reg: str
    ip: bool
    lookalike: tuple[str, str] | None
    mixed: bool
    dressed: str
    shortener: bool
    odd_tld: bool
    wrapper: bool
    free_host: bool
    official: Institution | None


def free_host(host: str, reg: str) -> bool:
    """Is ``host`` on a platform where anyone can publish a page for free?"""
    if reg in FREE_HOSTS:
        return True
    i = host.find(".")
    while i >= 0:
        if host[i + 1:] in FREE_HOSTS:
            return True
        i = host.find(".", i + 1)
    return host in FREE_HOSTS


@lru_cache(maxsize=16384)
def host_info(raw_host: str) -> Host:
    """Everything the link check needs to know about a host, computed once per host."""
    host = to_unicode(raw_host.lower().strip("[]."))
    if IPV4.match(host) or ":" in host or host.replace(".", "").isdigit():
        return Host(host, host, True, None, False, "", False, False, False, False, None)
    reg = registrable_domain(host)
    look = institution_lookalike(host)
    return Host(host, reg, False, look, look is None and mixed_script(host),
                dressed_domain(host) if look is None else "", reg in SHORTENERS,
                reg.rpartition(".")[2] in SUSPICIOUS_TLDS,
                reg in ("outlook.com", "google.com"), free_host(host, reg), official_of(reg))


def unwrap(link: Link) -> tuple[str, str]:
    """(url, host) of the real destination, looking through known link rewriters."""
    url, host = link.url, link.domain.lower()
    if not host:
        try:
            host = (urlsplit(url).hostname or "").lower()
        except ValueError:
            host = ""
    if host and registrable_domain(host) in ("outlook.com", "google.com") and "?" in url:
        try:
            qs = parse_qs(urlsplit(url[:4000]).query)
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


def shown_domain(link: Link) -> str:
    """The domain a link's text shows, without ``www.`` (read from the text when the parser
    did not record it, as for links built by hand)."""
    shown = link.text_domain or (text_domain(link.text) if "." in link.text else "")
    return shown.lower().removeprefix("www.")


def same_owner(a: str, b: str) -> bool:
    if a == b:
        return True
    ra, rb = registrable_domain(a), registrable_domain(b)
    if ra == rb:
        return True
    ia, ib = official_of(ra), official_of(rb)
    return ia is not None and ia is ib


@dataclass(slots=True)
class LinkFacts:
    """What the links say, for the signals that combine links with the sender or the text."""

    n: int = 0  # web links examined
    regs: set[str] = field(default_factory=set)  # registrable domains of web links
    foreign: int = 0  # links to neither the sender's domain, a tracker nor an official site
    foreign_example: str = ""
    foreign_action: str = ""  # host of a call-to-action link ("click here") that goes elsewhere
    brand_path: tuple[str, str] | None = None  # (institution, host) of a path wearing a brand


def _brand_in_path(url: str, host: Host) -> str:
    """An institution name in the path or query of a link to an unrelated host."""
    if host.official is not None or host.reg in REDIRECTORS:
        return ""
    rest = url[:500].split("//", 1)[-1]
    cut = min((i for i in (rest.find("/"), rest.find("?")) if i >= 0), default=-1)
    if cut < 0:
        return ""
    tail = rest[cut:].lower()
    if not _LOGIN_RX.search(tail):
        return ""
    for m in _DOMAIN_IN_PATH.finditer(tail[:300]):
        inst = official_of(registrable_domain(m.group(0)))
        if inst is not None:
            return m.group(0)  # /www.ncua.gov/update.php on someone else's server
    m = _BRAND_RX.search(tail)
    return m.group(1) if m else ""


def link_signals(msg: Message, from_domain: str, ctx: Context | None,
                 out: dict[str, Reason]) -> LinkFacts:
    """Add the link reasons to ``out``; return the facts other signals combine with."""
    facts = LinkFacts()
    mismatches = 0
    bulk = bool(msg.list_unsubscribe)
    seen: set[tuple[str, str]] = set()
    org = ctx.internal_domains if ctx is not None else ()
    from_reg = registrable_domain(from_domain) if from_domain else ""
    for link in msg.links[:MAX_LINKS]:
        url = link.url
        scheme = url[:11].lower()
        if scheme.startswith(("mailto:", "tel:", "sms:", "cid:")):
            continue
        if scheme.startswith(("javascript:", "data:", "vbscript:")):
            if "script_url" not in out:
                out["script_url"] = reason(
                    N_("A link runs code or opens an embedded page ({scheme}) instead of "
                       "going to a site"), "script_url", 0.25, scheme=scheme.split(":")[0] + ":")
            continue
        raw = link.domain
        if not raw:
            try:
                raw = urlsplit(url).hostname or ""
            except ValueError:
                raw = ""
        if not raw:
            continue
        if "%" in raw:
            raw_host = unquote(raw)
            info = host_info(raw_host if raw_host.isascii() else raw)
        else:
            info = host_info(raw)
        if info.wrapper and "?" in url:
            url, inner = unwrap(link)
            if inner:
                info = host_info(inner)
        host = info.host
        facts.n += 1
        facts.regs.add(info.reg)
        if not (info.reg == from_reg or info.reg in REDIRECTORS or info.official is not None):
            facts.foreign += 1
            facts.foreign_example = facts.foreign_example or host
            if not facts.foreign_action and not link.text_domain and _ACTION.search(
                    link.text[:80].lower()):
                facts.foreign_action = host
        if "%" in raw and "encoded" not in out:
            out["encoded"] = reason(
                N_("A link disguises its address with encoded characters ({host})"),
                "encoded_host", 0.5, host=host[:80])
        key = (info.host, link.text_domain or link.text[:80])
        if key in seen:
            continue
        seen.add(key)
        authority = url.split("//", 1)[-1].split("/", 1)[0]
        if "@" in authority and "." in authority.partition("@")[0] and \
                scheme.startswith("http") and "userinfo" not in out:
            out["userinfo"] = reason(
                N_("A link hides its real destination after an \u201c@\u201d ({host})"),
                "userinfo_link", 0.6, host=host)
        if info.ip:
            # An address shown as it is deceives no one; one behind other words does.
            shown_ip = host in link.text or host in link.text_domain
            w = 0.3 if shown_ip else 0.5
            if "ip_link" not in out or out["ip_link"].weight < w:
                out["ip_link"] = reason(N_("A link points to a bare IP address ({ip})"),
                                        "ip_link", w, ip=host)
            continue
        if "link_lookalike" not in out:
            if info.lookalike is not None:
                out["link_lookalike"] = reason(
                    N_("A link leads to {domain}, which imitates {institution} ({official})"),
                    "lookalike_link", 0.55, domain=host, institution=info.lookalike[0],
                    official=info.lookalike[1])
            elif info.mixed:
                out["link_lookalike"] = reason(
                    N_("A link leads to {domain}, which mixes alphabets to imitate another "
                       "domain"), "mixed_script_link", 0.55, domain=host)
            elif info.dressed:
                out["link_lookalike"] = reason(
                    N_("A link leads to {domain}, which starts like {fake} but belongs to "
                       "{owner}"), "dressed_link", 0.3, domain=host, fake=info.dressed,
                    owner=info.reg)
            elif org and info.reg != from_reg and (hit := org_lookalike(host, org))[0]:
                out["link_lookalike"] = reason(
                    N_("A link leads to {domain}, which imitates your organisation's domain "
                       "({official})"), "lookalike_org_link", 0.55 if hit[1] else 0.4,
                    domain=host, official=hit[0])
        if facts.brand_path is None:
            brand = _brand_in_path(url, info)
            if brand:
                facts.brand_path = (brand, host)
        shown = shown_domain(link)
        if shown and not same_owner(shown, host):
            claims = official_of(registrable_domain(shown)) is not None
            if info.reg in REDIRECTORS:
                pass  # click tracking and link-protection services rewrite every link
            elif bulk and not claims and from_domain and same_owner(host, from_domain):
                pass  # the sender's own click tracking
            else:
                mismatches += 1
                if "link_text" not in out:
                    # Click tracking makes ordinary mail show one domain and go to another;
                    # showing an institution's domain while going elsewhere is the attack.
                    own_site = bool(from_domain) and same_owner(host, from_domain)
                    w = 0.5 if claims else (0.15 if bulk or own_site else 0.25)
                    out["link_text"] = reason(
                        N_("A link shows {shown} but leads to {real}"), "link_text_mismatch",
                        w, shown=shown, real=host)
        if info.shortener:
            add(out, "shortener",
                N_("A link hides its destination behind a shortener ({domain})"), 0.15,
                domain=info.reg)
        if info.free_host and info.reg != from_reg:
            add(out, "free_host",
                N_("A link leads to a page anyone can publish for free ({domain})"), 0.2,
                domain=host)
        if info.odd_tld:
            add(out, "odd_tld", N_("A link leads to a domain under an often-abused ending "
                                   "({domain})"), 0.1, domain=info.reg, code="suspicious_tld")
        if "xn--" in raw.lower() and not info.mixed and info.lookalike is None:
            add(out, "punycode", N_("A link leads to an internationalised domain written to "
                                    "look like another ({domain})"), 0.2, domain=host,
                code="punycode_link")
    if mismatches > 1 and "link_text" in out:
        r = out["link_text"]
        out["link_text"] = Reason(r.template, r.params, r.code, min(0.7, r.weight + 0.1))
    if facts.brand_path is not None:
        brand, host = facts.brand_path
        out["brand_path"] = reason(
            N_("A link to {host} uses the name \u201c{brand}\u201d in its address to look "
               "official"), "brand_in_path", 0.35, host=host, brand=brand)
    return facts
