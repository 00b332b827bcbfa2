"""Triage never crashes, whatever the message holds (hypothesis throws odd values at it)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accalmie.config import Rule
from accalmie.mail.model import Address, Attachment, Link, Message
from accalmie.triage.decision import Decision, Lane
from accalmie.triage.engine import Triager

from .helpers import ME, config

TEXT = st.text(max_size=300)
DOMAIN = st.one_of(
    st.from_regex(r"[a-z0-9-]{1,20}(\.[a-z0-9-]{1,10}){0,3}", fullmatch=True),
    st.text(max_size=40), st.just("xn--"), st.just("xn--zz-invalid.fr"), st.just("1.2.3.4"),
    st.just("[::1]"), st.just("."), st.just(""))
ADDRESS = st.builds(lambda name, local, dom: Address(name, f"{local}@{dom}".lower()),
                    TEXT, st.text(max_size=20), DOMAIN)
LINK = st.builds(Link, url=st.one_of(TEXT, st.builds(lambda d: f"https://{d}/x?u=1", DOMAIN)),
                 text=TEXT, domain=DOMAIN, text_domain=st.one_of(st.just(""), DOMAIN))
ATTACHMENT = st.builds(Attachment, filename=TEXT, content_type=TEXT, size=st.integers(0, 10**9),
                       sha256=st.just("0" * 64), inline=st.booleans())
MESSAGES = st.builds(
    Message, message_id=TEXT, subject=TEXT, from_=st.one_of(st.none(), ADDRESS),
    reply_to=st.lists(ADDRESS, max_size=2).map(tuple),
    to=st.lists(st.one_of(ADDRESS, st.just(Address("", ME))), max_size=4).map(tuple),
    cc=st.lists(ADDRESS, max_size=3).map(tuple), in_reply_to=TEXT,
    references=st.lists(TEXT, max_size=3).map(tuple), list_id=TEXT,
    list_unsubscribe=st.lists(TEXT, max_size=2).map(tuple), precedence=TEXT,
    auto_submitted=TEXT, authentication_results=st.lists(TEXT, max_size=2).map(tuple),
    headers=st.lists(st.tuples(TEXT, TEXT), max_size=6).map(tuple), text=TEXT, new_text=TEXT,
    language=st.sampled_from(["", "fr", "en", "zz"]), links=st.lists(LINK, max_size=4).map(tuple),
    attachments=st.lists(ATTACHMENT, max_size=3).map(tuple))

RULES = (Rule("r1", {"subject": ("re:^(a|b)+$", "x"), "body": ("y",)}, Lane.BULK, match_all=False),
         Rule("r2", {"from": ("*@*.fr",), "headers": {"x-a": ("*",)}}, Lane.INFO))
TRIAGER = Triager(config(rules=RULES), contacts={"a@b.fr": 2}, trusted_authserv_ids=("mx",),
                  overrides={("domain", "b.fr"): "priority"}, known_names={"jean": "j@x.fr"})


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(MESSAGES)
def test_decide_never_raises(m: Message) -> None:
    d = TRIAGER._decide(m)  # the inner path: the fallback must not be what saves it
    assert isinstance(d, Decision) and d.reasons
    for line in d.explain("en"):
        assert isinstance(line, str)


def test_fallback_on_unforeseen_failure() -> None:
    def broken(text: str, lang: str) -> tuple[float, list[str]]:
        raise RuntimeError("boom")

    d = Triager(config(), request_fn=broken).decide(Message(text="Bonjour", to=(Address("", ME),)))
    assert d.lane is Lane.INFO and d.reasons[0].code == "analysis_failed"
    assert d.explain("en") == ["This message could not be analysed; please look at it yourself"]
