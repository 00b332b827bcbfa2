"""Built-in heuristics: small named filters that each vote for a lane, with a reason.

In the spirit of afew's filters, each filter looks at one thing (a List-Id, a no-reply sender,
being in copy…) and returns a :class:`Vote` or nothing. :func:`combine` adds the votes per lane
and keeps the reasons of the winning lane, so every heuristic decision is explained by the
filters that made it. Filters are plain callables; a deployment can pass its own list.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from accalmie.i18n import N_
from accalmie.mail.model import Message
from accalmie.triage.decision import Lane, Reason
from accalmie.triage.features import Context, Features, domain_in

REQUEST_THRESHOLD = 0.5
MAX_PASSAGE = 90  # characters of a quoted passage in a reason


@dataclass(frozen=True, slots=True)
class Vote:
    lane: Lane
    weight: float
    reason: Reason


FilterFn = Callable[[Features, Message, Context], "Vote | None"]


@dataclass(frozen=True, slots=True)
class Heuristic:
    """A named filter: ``name`` shows up in reason codes, logs and tests."""

    name: str
    fn: FilterFn

    def __call__(self, f: Features, msg: Message, ctx: Context) -> Vote | None:
        return self.fn(f, msg, ctx)


def _vote(lane: Lane, weight: float, code: str, template: str, **params: object) -> Vote:
    if not params:
        return _const_vote(lane, weight, code, template)
    if len(params) == 1:
        (key, value), = params.items()
        if isinstance(value, (str, int)) and not (isinstance(value, str) and len(value) > 100):
            return _vote1(lane, weight, code, template, key, value)
    return Vote(lane, weight, Reason(template, dict(params), code, weight))


@lru_cache(maxsize=256)
def _const_vote(lane: Lane, weight: float, code: str, template: str) -> Vote:
    """Votes without parameters are shared: building frozen objects costs more than a lookup."""
    return Vote(lane, weight, Reason(template, {}, code, weight))


@lru_cache(maxsize=8192)
def _vote1(lane: Lane, weight: float, code: str, template: str, key: str,
           value: str | int) -> Vote:
    """Votes with one short parameter (a list id, a count) recur across messages: shared too."""
    return Vote(lane, weight, Reason(template, {key: value}, code, weight))


def excerpt(text: str, limit: int = MAX_PASSAGE) -> str:
    """A short passage for a reason (data minimisation: reasons are stored)."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


# --- bulk and automated mail -----------------------------------------------------------------

def list_filter(f: Features, msg: Message, ctx: Context) -> Vote | None:
    if not f.list_id:
        return None
    list_domain = f.list_id.rpartition(".")[0] if "." in f.list_id else f.list_id
    if f.from_internal and (domain_in(list_domain, ctx.internal_domains)
                            or domain_in(f.list_id, ctx.internal_domains)):
        return _vote(Lane.INFO, 2.0, "internal_list",
                     N_("Sent to an internal mailing list ({list_id})"), list_id=f.list_id)
    return _vote(Lane.BULK, 2.0, "list_id", N_("Sent through a mailing list ({list_id})"),
                 list_id=f.list_id)


def unsubscribe_filter(f: Features, msg: Message, ctx: Context) -> Vote | None:
    if not f.has_unsubscribe:
        return None
    return _vote(Lane.BULK, 1.5, "list_unsubscribe",
                 N_("The sender offers a way to unsubscribe"))


def precedence_filter(f: Features, msg: Message, ctx: Context) -> Vote | None:
    if not f.precedence_bulk:
        return None
    return _vote(Lane.BULK, 1.5, "precedence",
                 N_("Marked as mass mailing by the sender (Precedence: {value})"),
                 value=f.precedence_bulk)


def auto_submitted_filter(f: Features, msg: Message, ctx: Context) -> Vote | None:
    if not f.auto_submitted:
        return None
    if f.auto_submitted.startswith("auto-replied"):
        return _vote(Lane.BULK, 2.5, "auto_replied",
                     N_("An automatic reply (absence or acknowledgement of receipt)"))
    return _vote(Lane.BULK, 2.5, "auto_submitted",
                 N_("Sent automatically by a program (Auto-Submitted: {value})"),
                 value=f.auto_submitted)


def noreply_sender_filter(f: Features, msg: Message, ctx: Context) -> Vote | None:
    if not f.noreply_sender:
        return None
    return _vote(Lane.BULK, 2.5, "noreply",
                 N_("Sent from an address that does not take replies ({sender})"),
                 sender=f.from_email)


def mass_mailer_filter(f: Features, msg: Message, ctx: Context) -> Vote | None:
    if f.esp_header:
        return _vote(Lane.BULK, 2.0, "mass_mailer",
                     N_("Sent with a mass-mailing service ({tool})"), tool=f.esp_header)
    if f.bulk_mailer:
        return _vote(Lane.BULK, 2.0, "mass_mailer",
                     N_("Sent with a mass-mailing service ({tool})"), tool=f.bulk_mailer)
    return None


def social_network_filter(f: Features, msg: Message, ctx: Context) -> Vote | None:
    if not f.social_domain:
        return None
    return _vote(Lane.BULK, 3.0, "social_network",
                 N_("A notification from a social network ({domain})"), domain=f.social_domain)


def marketing_text_filter(f: Features, msg: Message, ctx: Context) -> Vote | None:
    if not f.marketing_text:
        return None
    return _vote(Lane.BULK, 1.0, "marketing_text",
                 N_("The text has an unsubscribe or \"view in browser\" link"))


# --- a person expects something ---------------------------------------------------------------

def direct_personal_filter(f: Features, msg: Message, ctx: Context) -> Vote | None:
    if not f.is_direct or f.from_self or f.bulk_markers or f.undisclosed:
        return None
    if f.n_recipients <= 3:
        return _vote(Lane.PRIORITY, 1.5, "direct", N_("Written to you directly"))
    if f.n_recipients <= 8:
        return _vote(Lane.PRIORITY, 0.8, "direct_group",
                     N_("Written to you and {count} other people"), count=f.n_recipients - 1)
    return None


def known_correspondent_filter(f: Features, msg: Message, ctx: Context) -> Vote | None:
    n = f.contact_count
    if n <= 0 or f.from_self or f.auto_submitted:
        return None  # an automatic reply comes from someone you wrote to, not from them
    weight = 1.0 + min(1.5, 0.5 * math.log2(1 + n))
    if f.in_cc_only or f.not_addressed:
        weight *= 0.5  # they know you, but this one is addressed to someone else
    if n == 1:
        return _vote(Lane.PRIORITY, weight, "known_correspondent",
                     N_("A person you have written to before (once)"))
    return _vote(Lane.PRIORITY, weight, "known_correspondent",
                 N_("A person you have written to before ({count} messages)"), count=n)


def important_sender_filter(f: Features, msg: Message, ctx: Context) -> Vote | None:
    if not f.from_important:
        return None
    return _vote(Lane.PRIORITY, 3.0, "important_sender",
                 N_("A sender on your list of important people ({sender})"), sender=f.from_email)


def thread_reply_filter(f: Features, msg: Message, ctx: Context) -> Vote | None:
    if f.in_my_thread and not f.from_self:
        return _vote(Lane.PRIORITY, 2.0, "my_thread",
                     N_("A reply in a conversation you took part in"))
    if f.is_reply and f.is_direct and not f.bulk_markers and not f.from_self:
        return _vote(Lane.PRIORITY, 0.7, "thread_reply", N_("A reply in a conversation"))
    return None


def forward_filter(f: Features, msg: Message, ctx: Context) -> Vote | None:
    if f.is_forward and f.is_direct and not f.bulk_markers and not f.from_self:
        return _vote(Lane.PRIORITY, 0.5, "forwarded", N_("Forwarded to you by {sender}"),
                     sender=f.from_email)
    return None


def request_filter(f: Features, msg: Message, ctx: Context) -> Vote | None:
    if f.request_score < REQUEST_THRESHOLD or not f.is_direct or f.from_self:
        return None
    weight = 1.0 + 1.5 * f.request_score
    if f.request_passages:
        return _vote(Lane.PRIORITY, weight, "request",
                     N_("A question or request addressed to you: \u201c{passage}\u201d"),
                     passage=excerpt(f.request_passages[0]))
    return _vote(Lane.PRIORITY, weight, "request", N_("A question or request addressed to you"))


# --- for information --------------------------------------------------------------------------

def cc_only_filter(f: Features, msg: Message, ctx: Context) -> Vote | None:
    if not f.in_cc_only:
        return None
    return _vote(Lane.INFO, 2.0, "cc_only", N_("You are in copy only"))


def not_addressed_filter(f: Features, msg: Message, ctx: Context) -> Vote | None:
    if not (f.not_addressed and f.identity_known) or f.from_self:
        return None
    return _vote(Lane.INFO, 1.5, "not_addressed",
                 N_("You are not among the named recipients (blind copy or group address)"))


def internal_broadcast_filter(f: Features, msg: Message, ctx: Context) -> Vote | None:
    if not f.from_internal or f.from_self:
        return None
    if f.undisclosed:
        return _vote(Lane.INFO, 2.0, "internal_broadcast",
                     N_("An internal message sent to undisclosed recipients"))
    if f.n_recipients >= 6:
        return _vote(Lane.INFO, 2.0, "internal_broadcast",
                     N_("An internal message sent to many people ({count} recipients)"),
                     count=f.n_recipients)
    if f.not_addressed:
        return _vote(Lane.INFO, 1.0, "internal_broadcast_group",
                     N_("An internal message sent to a group address"))
    return None


def many_recipients_filter(f: Features, msg: Message, ctx: Context) -> Vote | None:
    if f.from_internal or f.n_recipients < 10:
        return None
    return _vote(Lane.INFO, 1.5, "many_recipients", N_("Sent to {count} people"),
                 count=f.n_recipients)


def from_self_filter(f: Features, msg: Message, ctx: Context) -> Vote | None:
    if not f.from_self:
        return None
    return _vote(Lane.INFO, 2.0, "from_self", N_("Sent from one of your own addresses"))


DEFAULT_FILTERS: tuple[Heuristic, ...] = (
    Heuristic("ListFilter", list_filter),
    Heuristic("UnsubscribeFilter", unsubscribe_filter),
    Heuristic("PrecedenceFilter", precedence_filter),
    Heuristic("AutoSubmittedFilter", auto_submitted_filter),
    Heuristic("NoReplySenderFilter", noreply_sender_filter),
    Heuristic("MassMailerFilter", mass_mailer_filter),
    Heuristic("SocialNetworkFilter", social_network_filter),
    Heuristic("MarketingTextFilter", marketing_text_filter),
    Heuristic("DirectPersonalFilter", direct_personal_filter),
    Heuristic("KnownCorrespondentFilter", known_correspondent_filter),
    Heuristic("ImportantSenderFilter", important_sender_filter),
    Heuristic("ThreadReplyFilter", thread_reply_filter),
    Heuristic("ForwardFilter", forward_filter),
    Heuristic("RequestFilter", request_filter),
    Heuristic("CcOnlyFilter", cc_only_filter),
    Heuristic("NotAddressedFilter", not_addressed_filter),
    Heuristic("InternalBroadcastFilter", internal_broadcast_filter),
    Heuristic("ManyRecipientsFilter", many_recipients_filter),
    Heuristic("FromSelfFilter", from_self_filter),
)

FALLBACK_REASON = Reason(N_("Nothing in it asks for your attention"), {}, "no_signal", 0.0)


def vote(f: Features, msg: Message, ctx: Context,
         filters: Sequence[Heuristic] = DEFAULT_FILTERS) -> list[Vote]:
    """Run every filter; the votes in filter order."""
    out = []
    for flt in filters:
        v = flt.fn(f, msg, ctx)
        if v is not None:
            out.append(v)
    return out


def combine(votes: Sequence[Vote]) -> tuple[Lane, float, tuple[Reason, ...]]:
    """Sum the votes per lane; the heaviest lane wins, explained by its own votes.

    A tie between the two ends (Priority and Bulk) is settled in the middle, For information,
    because neither side is sure. The score is the winner's share of all the weight.
    """
    if not votes:
        return Lane.INFO, 0.5, (FALLBACK_REASON,)
    prio = info = bulk = 0.0
    for v in votes:
        if v.lane is Lane.PRIORITY:
            prio += v.weight
        elif v.lane is Lane.BULK:
            bulk += v.weight
        else:
            info += v.weight
    best = max(prio, info, bulk)
    if info == best or (prio == best and bulk == best):
        lane = Lane.INFO
    elif prio == best:
        lane = Lane.PRIORITY
    else:
        lane = Lane.BULK
    total = prio + info + bulk
    score = round(best / total, 3) if total > 0 else 0.5
    mine = [v.reason for v in votes if v.lane is lane]
    if not mine:
        return lane, score, (FALLBACK_REASON,)
    if len(mine) > 1:
        mine.sort(key=_by_weight)
    return lane, score, tuple(mine)


def _by_weight(r: Reason) -> float:
    return -r.weight


def heuristic_lane(f: Features, msg: Message, ctx: Context,
                   filters: Sequence[Heuristic] = DEFAULT_FILTERS
                   ) -> tuple[Lane, float, tuple[Reason, ...]]:
    """The built-in heuristics' lane for a message, with its confidence and reasons."""
    return combine(vote(f, msg, ctx, filters))
