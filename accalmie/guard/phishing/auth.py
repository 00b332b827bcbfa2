"""SPF, DKIM and DMARC results, believed only from a server the user trusts.

Anyone can write an Authentication-Results header upstream, so only the newest one whose
authserv-id is in ``Context.trusted_authserv_ids`` (the user's own mail server) counts.
"""

from __future__ import annotations

import re

from accalmie.guard.phishing.reasons import N_, reason
from accalmie.mail.model import Message
from accalmie.triage.decision import Reason
from accalmie.triage.features import Context

_AUTH_RESULT = re.compile(r"\b(spf|dkim|dmarc)\s*=\s*([a-z]+)", re.I)
_TEMPLATE = N_("Your mail server could not authenticate the sender ({method}: {result})")


def auth_results(value: str) -> dict[str, str]:
    """method -> result of one header value; a method that passed once counts as passed."""
    results: dict[str, str] = {}
    for method, result in _AUTH_RESULT.findall(value[:4000]):
        method, result = method.lower(), result.lower()
        if result == "pass" or method not in results:
            results[method] = result
    return results


def trusted_results(msg: Message, ctx: Context | None) -> dict[str, str] | None:
    """The results of the newest header written by a trusted server, if there is one."""
    if ctx is None or not ctx.trusted_authserv_ids or not msg.authentication_results:
        return None
    for value in msg.authentication_results:
        head = value.split(";", 1)[0].strip().split()
        if head and head[0].lower() in ctx.trusted_authserv_ids:
            return auth_results(value)
    return None


def auth_signals(msg: Message, ctx: Context | None, out: dict[str, Reason]) -> None:
    results = trusted_results(msg, ctx)
    if results is None:
        return
    dmarc, spf, dkim = results.get("dmarc"), results.get("spf"), results.get("dkim")
    if dmarc == "fail":
        out["auth"] = reason(_TEMPLATE, "auth_fail", 0.55, method="DMARC", result=dmarc)
    elif spf in ("fail", "softfail") and dkim != "pass":
        out["auth"] = reason(_TEMPLATE, "auth_fail", 0.35, method="SPF", result=spf)
    elif dkim == "fail" and spf != "pass":
        out["auth"] = reason(_TEMPLATE, "auth_fail", 0.3, method="DKIM", result=dkim)
