"""What triage needs to know about a message, computed once.

:func:`extract` turns a parsed :class:`~accalmie.mail.model.Message` and the user's
:class:`Context` (who they are, whom they write to, what they told us) into a small frozen
:class:`Features` record. Filters, rules and the engine read only this record and the message,
so each decision is a pure function of (message, context).
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable, Container, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from operator import itemgetter
from typing import NamedTuple

from accalmie.mail.model import Message
from accalmie.triage.requests import request_score

RequestFn = Callable[[str, str], tuple[float, list[str]]]

# Local parts of addresses that machines send from.
_NOREPLY = re.compile(
    r"^(?:no[-_.]?reply|do[-_.]?not[-_.]?reply|ne[-_.]?pas[-_.]?r[ée]pondre|nepasrepondre|"
    r"noreponse|no[-_.]?response|notifications?|notify|alerts?|mailer[-_.]?daemon|postmaster|"
    r"bounces?|newsletters?|news|infolettre|marketing|mailing|automate|robot|system|"
    r"ne_pas_repondre|nereplypas|auto[-_.]?confirm|updates?|digest)(?:[-_.+].*)?$",
    re.I)
# Headers that mass-mailing services (ESPs) add; their presence means a campaign tool sent it.
ESP_HEADERS = (
    "x-mailchimp", "x-mc-user", "x-campaign", "x-campaignid", "x-campaign-id", "feedback-id",
    "x-sg-eid", "x-sg-id", "x-mailgun-sid", "x-mailgun-tag", "x-ses-outgoing", "x-sib-id",
    "x-mailjet-campaign", "x-mj-mid", "x-csa-complaints", "x-newsletter", "x-mailer-recptid",
    "x-emarsys", "x-sfmc-stack", "x-marketo", "x-hubspot", "x-pm-message-id",
    "x-mandrill-user", "x-rpcampaign", "x-listmember", "x-sendinblue", "x-brevo",
    "x-mailin-campaign", "x-cmae", "x-mailer-sid", "x-sparkpost", "x-msys-api",
)
_ESP_SET = frozenset(ESP_HEADERS)
_ESP_PREFIXES = ("x-mailchimp", "x-campaign", "x-mc-", "x-sg-", "x-mailgun", "x-ses-", "x-sib-",
                 "x-mailjet", "x-mj-", "x-newsletter", "x-emarsys", "x-sfmc", "x-marketo",
                 "x-hubspot", "x-mandrill", "x-sendinblue", "x-brevo", "x-mailin-",
                 "x-sparkpost", "x-msys")
_BULK_MAILERS = re.compile(
    r"mailchimp|sendinblue|brevo|mailjet|sendgrid|mailgun|campaign|newsletter|emailing|"
    r"sarbacane|mailpoet|acymailing|phplist|listmonk|hubspot|marketo|mautic|dolist|"
    r"message ?business|splio|selligent|actito|cabestan", re.I)
# Registrable domains of social networks and community platforms (their notifications).
SOCIAL_DOMAINS = frozenset({
    "linkedin.com", "facebookmail.com", "facebook.com", "twitter.com", "x.com",
    "instagram.com", "tiktok.com", "youtube.com", "pinterest.com", "reddit.com",
    "redditmail.com", "snapchat.com", "meetup.com", "quora.com", "nextdoor.com", "viadeo.com",
    "tumblr.com", "threads.net", "bsky.app", "discord.com", "discordapp.com", "telegram.org",
    "whatsapp.com", "mastodon.social", "strava.com", "goodreads.com", "medium.com",
    "substack.com", "vk.com", "xing.com", "welcometothejungle.com", "glassdoor.com",
})
# Words in a body that only marketing and newsletters use (lowercased, found with str.find).
MARKETING_WORDS = (
    "sinscri", "sabonn", "unsubscri", "dans votre navigateur", "in your browser",
    "view in browser", "version en ligne", "préférences", "preferences", "vous recevez ce",
    "receiving this", "received this", "opt-out", "opt out",
)
_REPLY_PREFIX = re.compile(r"^\s*(?:(?:re|ré|rép|réf|aw|sv|antw)\s*(?:\[\d+\])?\s*:\s*)+", re.I)
_FWD_PREFIX = re.compile(r"^\s*(?:(?:re|ré|aw)\s*:\s*)*(?:fwd?|tr|wg|rv|fw)\s*:", re.I)
_UNDISCLOSED = re.compile(r"undisclosed|destinataires? non (?:r[ée]v[ée]l|divulgu)|"
                          r"liste de diffusion|recipient list", re.I)


@dataclass(frozen=True, slots=True)
class Context:
    """The user's side of a decision: identity, correspondents, explicit choices.

    ``contacts`` counts messages the user sent to each address (from the Sent folder);
    ``important_senders`` are glob patterns (``*@caf.fr``); ``overrides`` maps
    ``(kind, value)`` to a lane, kind in {"sender", "domain", "list"}; ``thread_ids`` holds
    Message-IDs of conversations the user took part in (their own sent messages), so a reply
    to one of them is recognised; ``trusted_authserv_ids`` names the mail servers whose
    Authentication-Results headers are believed; ``known_names`` maps a lowercased display
    name of a known person to their address (for display-name spoofing).
    """

    own_addresses: frozenset[str] = frozenset()
    internal_domains: tuple[str, ...] = ()
    contacts: Mapping[str, int] = field(default_factory=dict)
    important_senders: tuple[str, ...] = ()
    overrides: Mapping[tuple[str, str], str] = field(default_factory=dict)
    thread_ids: Container[str] = frozenset()
    trusted_authserv_ids: frozenset[str] = frozenset()
    known_names: Mapping[str, str] = field(default_factory=dict)
    request_fn: RequestFn = request_score
    contact_domains: frozenset[str] = frozenset()  # filled from ``contacts`` when left empty
    important_rx: re.Pattern[str] | None = field(default=None, init=False, repr=False,
                                                  compare=False)
    _internal: dict[str, bool] = field(default_factory=dict, init=False, repr=False,
                                       compare=False)

    def __post_init__(self) -> None:
        if self.contacts and not self.contact_domains:
            doms = frozenset(registrable_domain(e.rpartition("@")[2])
                             for e in self.contacts if "@" in e)
            object.__setattr__(self, "contact_domains", doms)
        object.__setattr__(self, "important_rx", glob_matcher(tuple(self.important_senders)))

    def is_internal(self, domain: str) -> bool:
        """Is ``domain`` one of the organisation's domains (or a subdomain of one)? Cached."""
        hit = self._internal.get(domain)
        if hit is None:
            hit = bool(domain) and domain_in(domain, self.internal_domains)
            if len(self._internal) > 10000:
                self._internal.clear()
            self._internal[domain] = hit
        return hit


class Features(NamedTuple):
    """The facts about one message that lanes and flags depend on.

    Immutable like a frozen dataclass, but a named tuple: it is built for every message and
    a 28-field frozen dataclass costs several microseconds to construct.
    """

    from_email: str = ""
    from_domain: str = ""
    identity_known: bool = False  # do we know the user's own addresses?
    is_direct: bool = False  # the user is in To
    in_cc_only: bool = False  # the user is in Cc, not in To
    not_addressed: bool = False  # the user is neither in To nor Cc (Bcc, list, alias)
    from_self: bool = False
    n_recipients: int = 0
    contact_count: int = 0  # messages the user sent to this sender
    from_important: bool = False
    from_internal: bool = False
    is_reply: bool = False  # In-Reply-To/References or a reply prefix in the subject
    in_my_thread: bool = False  # the reply refers to a message the user sent
    is_forward: bool = False
    list_id: str = ""
    has_unsubscribe: bool = False
    precedence_bulk: str = ""  # bulk / list / junk, '' otherwise
    auto_submitted: str = ""  # the header value unless absent or "no"
    noreply_sender: bool = False
    esp_header: str = ""  # name of the first mass-mailing header found
    bulk_mailer: str = ""  # X-Mailer naming a campaign tool
    social_domain: str = ""
    marketing_text: bool = False
    undisclosed: bool = False  # no named recipient: the user got it in Bcc
    request_score: float = 0.0
    request_passages: tuple[str, ...] = ()
    request_checked: bool = False  # False when scoring was skipped (bulk, or not for the user)
    bulk_markers: int = 0  # how many independent signs of bulk or automated mail

    @property
    def from_known(self) -> bool:
        return self.contact_count > 0 or self.from_important


@lru_cache(maxsize=256)
def glob_matcher(patterns: tuple[str, ...]) -> re.Pattern[str] | None:
    """One case-insensitive regex for a tuple of glob patterns (None when empty)."""
    if not patterns:
        return None
    return re.compile("|".join(f"(?:{fnmatch.translate(p.strip().lower())})"
                               for p in patterns if p.strip()), re.I)


@lru_cache(maxsize=4096)
def registrable_domain(domain: str) -> str:
    """The part of a host name that someone registered (``a.b.caf.fr`` -> ``caf.fr``)."""
    domain = domain.strip(".").lower()
    if not domain:
        return ""
    return _psl().privatesuffix(domain) or domain


@lru_cache(maxsize=1)
def _psl():  # type: ignore[no-untyped-def]
    """The bundled Public Suffix List, loaded on first use (no network)."""
    from publicsuffixlist import PublicSuffixList

    return PublicSuffixList()


def domain_in(domain: str, domains: tuple[str, ...]) -> bool:
    """True when ``domain`` is one of ``domains`` or a subdomain of one."""
    for d in domains:
        if domain == d or domain.endswith("." + d):
            return True
    return False


@lru_cache(maxsize=4096)
def _is_esp_header(name: str) -> bool:
    return name in _ESP_SET or name.startswith(_ESP_PREFIXES)


_NAME = itemgetter(0)


@lru_cache(maxsize=4096)
def _header_layout(names: tuple[str, ...]) -> tuple[str, int]:
    """(first mass-mailing header, index of X-Mailer or -1) for a sequence of header names.

    Messages from the same software share their header layout, so this is nearly always a
    cache hit.
    """
    esp = ""
    mailer = -1
    for i, name in enumerate(names):
        if not esp and _is_esp_header(name):
            esp = name
        elif name == "x-mailer" and mailer < 0:
            mailer = i
    return esp, mailer


def _scan_headers(headers: tuple[tuple[str, str], ...]) -> tuple[str, str]:
    """(first mass-mailing header name, X-Mailer value)."""
    esp, mailer = _header_layout(tuple(map(_NAME, headers)))
    return esp, headers[mailer][1] if mailer >= 0 else ""


@lru_cache(maxsize=1024)
def _bulk_mailer(mailer: str) -> str:
    return mailer[:60] if _BULK_MAILERS.search(mailer) else ""


def extract(msg: Message, ctx: Context, *, score_requests: bool | None = None) -> Features:
    """Compute the :class:`Features` of ``msg`` for the user described by ``ctx``.

    Request scoring is the only costly step; with ``score_requests=None`` it runs only for
    mail addressed to the user that is not plainly bulk (elsewhere a request changes nothing).
    """
    frm = msg.from_ or msg.sender
    if frm is not None:
        from_email = frm.email
        local, _, from_domain = from_email.rpartition("@")
        if not _:
            local, from_domain = from_email, ""
    else:
        from_email = from_domain = local = ""
    own = ctx.own_addresses
    to, cc = msg.to, msg.cc
    n_rcpt = len(to) + len(cc) + len(msg.bcc)
    if own:
        direct = any(a.email in own for a in to)
        in_cc = not direct and any(a.email in own for a in cc)
        not_addressed = not direct and not in_cc
        from_self = from_email in own
    else:  # without the user's addresses, assume what arrived was addressed to them
        direct = bool(to) or not cc
        in_cc = not_addressed = from_self = False

    contact_count = ctx.contacts.get(from_email, 0) if from_email else 0
    imp = ctx.important_rx
    from_important = bool(imp is not None and from_email and imp.fullmatch(from_email))
    from_internal = ctx.is_internal(from_domain) if from_domain else False

    subject = msg.subject
    in_reply_to = msg.in_reply_to
    refs = msg.references
    has_refs = bool(in_reply_to or refs)
    is_reply = has_refs or bool(subject and _REPLY_PREFIX.match(subject))
    in_my_thread = False
    tids = ctx.thread_ids
    if has_refs and tids:
        in_my_thread = bool(in_reply_to) and in_reply_to in tids
        if not in_my_thread:
            in_my_thread = any(r in tids for r in refs)
    is_forward = bool(subject) and bool(_FWD_PREFIX.match(subject))

    precedence = msg.precedence if msg.precedence in ("bulk", "list", "junk") else ""
    auto = msg.auto_submitted if msg.auto_submitted and msg.auto_submitted != "no" else ""
    noreply = bool(local) and bool(_NOREPLY.match(local))
    esp, mailer = _scan_headers(msg.headers)
    bulk_mailer = _bulk_mailer(mailer) if mailer else ""
    social = ""
    if from_domain:
        reg = registrable_domain(from_domain)
        if reg in SOCIAL_DOMAINS:
            social = reg
    header_bulk = (bool(msg.list_id) + bool(msg.list_unsubscribe) + bool(precedence)
                   + bool(auto) + noreply + bool(esp) + bool(social))
    marketing = False
    text = msg.text
    if not header_bulk and text:  # only needed when the headers say nothing
        tail = text[-700:].lower()
        for w in MARKETING_WORDS:
            if w in tail:
                marketing = True
                break
    # "undisclosed-recipients:;" parses to no address at all: the user was in Bcc.
    undisclosed = not to and not cc
    if len(to) == 1 and "@" not in to[0].email:
        a = to[0]
        undisclosed = not a.email or bool(_UNDISCLOSED.search(a.name or a.email))

    if score_requests is None:  # a request only matters in mail addressed to the user
        score_requests = header_bulk + marketing < 2 and direct and not from_self
    rscore = 0.0
    passages: tuple[str, ...] = ()
    if score_requests:
        body = msg.new_text or text
        rtext = f"{subject}\n\n{body}" if subject and not is_reply else body
        rscore, plist = ctx.request_fn(rtext, msg.language)
        passages = tuple(plist)

    return Features(
        from_email, from_domain, bool(own), direct, in_cc, not_addressed, from_self, n_rcpt,
        int(contact_count), from_important, from_internal, is_reply, in_my_thread, is_forward,
        msg.list_id, bool(msg.list_unsubscribe), precedence, auto, noreply, esp, bulk_mailer,
        social, marketing, undisclosed, rscore, passages, bool(score_requests),
        header_bulk + bool(bulk_mailer) + marketing,
    )
