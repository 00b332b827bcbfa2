"""Triage of the generated demo mailbox: lanes, phishing, reply-expected flags.

The engine knows nothing of the demo: it gets what a real deployment gets (the owner's
account and the people they wrote to, read from the Sent folder), and a guard checks that no
name or domain of the demo's fictional département appears in the engine's code.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from accalmie.config import Account, Config
from accalmie.guard.phishing.institutions import FREEMAIL, official_of
from accalmie.triage.decision import Decision, Flag, Lane
from accalmie.triage.engine import Triager

generator = pytest.importorskip("accalmie.demo.generator",
                                reason="the demo generator is not available")
parse = pytest.importorskip("accalmie.mail.parse", reason="the parser is not available")

LANES = (Lane.PRIORITY, Lane.INFO, Lane.BULK, Lane.SUSPECT)


def triage_demo(size: int, seed: int, *, use_sent: bool = True
                ) -> list[tuple[object, Decision]]:
    mailbox = generator.generate_mailbox(size=size, seed=seed)
    owner = mailbox.owner
    account = Account(name="demo", email=owner.email, internal_domains=(owner.domain,))
    contacts: Counter[str] = Counter()
    if use_sent:
        for dm in mailbox.messages:
            if dm.folder == "Sent":
                for a in parse.parse_message(dm.raw).recipients:
                    contacts[a.email] += 1
    triager = Triager(Config(accounts=(account,)), contacts=contacts)
    return [(dm, triager.decide(parse.parse_message(dm.raw)))
            for dm in mailbox.messages if dm.folder == "INBOX"]


def confusion(rows: list[tuple[object, Decision]]) -> str:
    counts = Counter((dm.expected_lane, d.lane) for dm, d in rows)  # type: ignore[attr-defined]
    lines = ["expected \\ decided " + " ".join(f"{g.value:>9}" for g in LANES)]
    for e in LANES:
        lines.append(f"{e.value:>18} " + " ".join(f"{counts[(e, g)]:>9}" for g in LANES))
    return "\n".join(lines)


@pytest.mark.parametrize(("size", "seed", "use_sent"), [(600, 7, True), (1500, 3, True),
                                                        (1500, 5, False)])
def test_demo_mailbox_lanes(size: int, seed: int, use_sent: bool) -> None:
    rows = triage_demo(size, seed, use_sent=use_sent)
    table = confusion(rows)
    print(f"\ndemo size={size} seed={seed} sent={use_sent}\n{table}")
    agree = sum(d.lane is dm.expected_lane for dm, d in rows) / len(rows)
    assert agree >= 0.9, f"agreement {agree:.3f}\n{table}"
    for dm, d in rows:
        if dm.expected_lane is Lane.SUSPECT:
            assert d.lane is Lane.SUSPECT, (dm.kind, d.explain("en"), table)
        else:
            assert d.lane is not Lane.SUSPECT, (dm.kind, d.explain("en"), table)
        assert d.reasons, "every decision carries its reasons"


def test_demo_reply_expected() -> None:
    rows = triage_demo(600, 7)
    counts = Counter((Flag.REPLY_EXPECTED in dm.expected_flags, Flag.REPLY_EXPECTED in d.flags)
                     for dm, d in rows)
    print(f"\nreply expected (expected, decided): {dict(counts)}")
    agree = (counts[(True, True)] + counts[(False, False)]) / len(rows)
    assert agree >= 0.9, counts


def test_engine_does_not_know_the_demo() -> None:
    corpus = pytest.importorskip("accalmie.demo.corpus_fr")
    secrets = {corpus.DOMAIN, corpus.BAILLEUR_DOMAIN, corpus.HOSPITAL_DOMAIN, corpus.CCAS_DOMAIN}
    secrets |= {lure.from_addr.rpartition("@")[2] for lure in getattr(corpus, "LURES", ())}
    secrets |= {d.split(".")[0] for d in list(secrets) if len(d.split(".")[0]) > 8}
    pkg = Path(__file__).resolve().parents[2] / "accalmie" / "triage"
    paths = [pkg / f"{n}.py" for n in ("features", "heuristics", "rules", "requests", "engine")]
    paths += sorted((pkg / "requests").glob("*.py")) + sorted(
        (pkg.parent / "guard" / "phishing").glob("*.py"))
    for path in paths:
        if not path.exists():
            continue
        name = path.stem
        source = path.read_text(encoding="utf-8").lower()
        for secret in secrets:
            if secret in FREEMAIL or official_of(secret) is not None:
                continue  # real providers and public bodies, not the demo's inventions
            assert secret.lower() not in source, (name, secret)
