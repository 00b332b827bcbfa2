"""Small builders for Messages, so triage tests read like the mail they describe."""

from __future__ import annotations

from typing import Any

from accalmie.config import Account, Config, Rule
from accalmie.mail.model import Address, Attachment, Link, Message

ME = "marie.dupont@ccas-exemple.fr"
ORG = "ccas-exemple.fr"


def addr(spec: str) -> Address:
    """'Name <a@b>' or 'a@b' -> Address."""
    if "<" in spec:
        name, _, rest = spec.partition("<")
        return Address(name.strip().strip('"'), rest.strip(" >").lower())
    return Address("", spec.strip().lower())


def addrs(*specs: str) -> tuple[Address, ...]:
    return tuple(addr(s) for s in specs)


def msg(frm: str = "Jean Martin <jean.martin@example.net>", to: tuple[str, ...] = (ME,),
        cc: tuple[str, ...] = (), subject: str = "Bonjour", text: str = "Bonjour.",
        headers: dict[str, str] | None = None, links: tuple[Link, ...] = (),
        attachments: tuple[Attachment, ...] = (), reply_to: tuple[str, ...] = (),
        **kw: Any) -> Message:
    hdrs = tuple((k.lower(), v) for k, v in (headers or {}).items())
    return Message(subject=subject, from_=addr(frm) if frm else None, to=addrs(*to),
                   cc=addrs(*cc), reply_to=addrs(*reply_to), text=text,
                   new_text=kw.pop("new_text", text), headers=hdrs, links=links,
                   attachments=attachments, **kw)


def link(url: str, text: str = "", domain: str = "", text_domain: str = "") -> Link:
    if not domain:
        domain = url.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0].lower()
    return Link(url=url, text=text, domain=domain, text_domain=text_domain)


def attachment(name: str, ctype: str = "application/octet-stream") -> Attachment:
    return Attachment(filename=name, content_type=ctype, size=1000, sha256="0" * 64)


def account(**kw: Any) -> Account:
    base: dict[str, Any] = {"name": "travail", "email": ME, "internal_domains": (ORG,)}
    base.update(kw)
    return Account(**base)


def config(rules: tuple[Rule, ...] = (), important: tuple[str, ...] = (),
           acc: Account | None = None) -> Config:
    return Config(accounts=(acc or account(),), rules=rules, important_senders=important)
