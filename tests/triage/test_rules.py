"""User rules and overrides: globs, substrings, regexes, match all/any, bad patterns."""

from __future__ import annotations

import pytest

from accalmie.config import Rule, parse_config
from accalmie.triage.decision import Flag, Lane
from accalmie.triage.rules import (
    RuleSet,
    compile_rule,
    lookup_override,
    normalise_overrides,
    validate_rules,
)

from .helpers import ME, msg


def rules_from_toml(*tables: dict) -> RuleSet:
    cfg = parse_config({"rules": list(tables)})
    return RuleSet(cfg.rules)


def names(rs: RuleSet, m) -> list[str]:  # type: ignore[no-untyped-def]
    return [r.name for r in rs.matching(m)]


def test_from_glob_matches_address_case_insensitively() -> None:
    rs = rules_from_toml({"name": "tribunal", "from": "*@JUSTICE.fr", "lane": "priority"})
    assert names(rs, msg(frm="Greffe <Greffe.TJ@justice.fr>")) == ["tribunal"]
    assert names(rs, msg(frm="x@notjustice.fr")) == []
    assert names(rs, msg(frm="x@justice.fr.evil.com")) == []


def test_glob_without_at_also_matches_display_name() -> None:
    rs = rules_from_toml({"name": "caf", "from": "*CAF*", "lane": "info"})
    assert names(rs, msg(frm="Agent CAF Haute-Savoie <agent@cnafmail.fr>")) == ["caf"]
    assert names(rs, msg(frm="Jean <jean@example.net>")) == []


def test_to_and_cc_are_separate_fields() -> None:
    rs = rules_from_toml({"name": "equipe", "cc": "equipe@*", "lane": "info"})
    assert names(rs, msg(to=(ME,), cc=("equipe@ccas-exemple.fr",))) == ["equipe"]
    assert names(rs, msg(to=("equipe@ccas-exemple.fr",))) == []


def test_subject_substring_and_regex() -> None:
    rs = rules_from_toml(
        {"name": "urgent", "subject": ["urgent", r"re:\bavant (le|ce) (soir|midi)\b"],
         "flags": ["reply_expected"]})
    assert names(rs, msg(subject="TRÈS URGENT : dossier")) == ["urgent"]
    assert names(rs, msg(subject="à rendre avant ce soir")) == ["urgent"]
    assert names(rs, msg(subject="réunion")) == []


def test_list_id_glob_ignores_angle_brackets() -> None:
    rs = rules_from_toml({"name": "ash", "list_id": "<*.ash.tm.fr>", "lane": "bulk"})
    assert names(rs, msg(list_id="lettre.ash.tm.fr")) == ["ash"]
    assert names(rs, msg()) == []


def test_body_substring() -> None:
    rs = rules_from_toml({"name": "mdph", "body": "Dossier MDPH", "lane": "priority"})
    assert names(rs, msg(text="Objet : le dossier mdph de M. X")) == ["mdph"]


def test_headers_presence_substring_and_regex() -> None:
    rs = rules_from_toml(
        {"name": "outil", "headers": {"X-Mailer": "re:^logiciel", "X-Outil": "*"},
         "lane": "bulk"})
    m = msg(headers={"X-Mailer": "Logiciel métier 3.2", "X-Outil": "oui"})
    assert names(rs, m) == ["outil"]
    assert names(rs, msg(headers={"X-Mailer": "Logiciel métier 3.2"})) == []
    assert names(rs, msg(headers={"X-Mailer": "Thunderbird", "X-Outil": ""})) == []


def test_match_all_versus_any() -> None:
    both = {"from": "*@caf.fr", "subject": "attestation", "lane": "priority"}
    rs_all = rules_from_toml({"name": "all", **both})
    rs_any = rules_from_toml({"name": "any", "match": "any", **both})
    only_from = msg(frm="a@caf.fr", subject="info")
    assert names(rs_all, only_from) == []
    assert names(rs_any, only_from) == ["any"]
    assert names(rs_all, msg(frm="a@caf.fr", subject="Votre attestation")) == ["all"]


def test_rules_keep_their_order_and_flags() -> None:
    rs = rules_from_toml(
        {"name": "first", "from": "*@caf.fr", "lane": "info"},
        {"name": "second", "from": "*@caf.fr", "lane": "bulk", "flags": ["aggressive"]})
    matched = rs.matching(msg(frm="a@caf.fr"))
    assert [r.name for r in matched] == ["first", "second"]
    assert matched[0].lane is Lane.INFO and Flag.AGGRESSIVE in matched[1].flags


def test_bad_regex_is_reported_not_raised() -> None:
    rule = Rule("cassée", {"subject": ("re:([unclosed",)}, Lane.BULK)
    problems = validate_rules([rule])
    assert len(problems) == 1
    assert "cassée" in problems[0] and "([unclosed" in problems[0]
    rs = RuleSet([rule])
    assert rs.problems == problems
    assert rs.matching(msg(subject="([unclosed")) == []  # never matches, never crashes


def test_bad_pattern_only_disables_its_own_condition() -> None:
    rule = Rule("mixte", {"subject": ("re:(", "bilan")}, Lane.INFO)
    compiled, problems = compile_rule(rule)
    assert problems
    assert compiled.matches(msg(subject="Bilan annuel"))


def test_unknown_condition_is_reported() -> None:
    problems = validate_rules([Rule("x", {"color": ("red",)}, Lane.INFO)])
    assert problems and "color" in problems[0]


def test_valid_rules_have_no_problems() -> None:
    cfg = parse_config({"rules": [{"name": "a", "from": "*@x.fr", "lane": "bulk"},
                                  {"name": "b", "subject": "re:^\\[GT\\]", "flag": "aggressive"}]})
    assert validate_rules(cfg.rules) == []


def test_empty_ruleset_is_falsy_and_matches_nothing() -> None:
    rs = RuleSet([])
    assert not rs
    assert rs.matching(msg()) == []


def test_message_without_from_does_not_crash() -> None:
    rs = rules_from_toml({"name": "a", "from": "*", "lane": "bulk"})
    assert rs.matching(msg(frm="")) == []


@pytest.mark.parametrize(("email", "domain", "list_id", "expected"), [
    ("a@news.example.org", "news.example.org", "", ("domain", "example.org", Lane.BULK)),
    ("boss@example.org", "example.org", "", ("sender", "boss@example.org", Lane.PRIORITY)),
    ("x@other.org", "other.org", "lettre.example.org",
     ("list", "lettre.example.org", Lane.INFO)),
    ("x@other.org", "other.org", "", None),
])
def test_overrides_most_specific_first(email: str, domain: str, list_id: str,
                                       expected: tuple | None) -> None:
    ov = normalise_overrides({("domain", "@Example.org"): "bulk",
                              ("sender", "Boss@example.org"): "priority",
                              ("list", "<lettre.example.org>"): "info"})
    assert lookup_override(ov, email, domain, list_id) == expected


def test_overrides_drop_invalid_entries() -> None:
    ov = normalise_overrides({("planet", "x"): "bulk", ("sender", "a@b.c"): "nowhere",
                              ("sender", ""): "bulk", ("domain", "ok.fr"): Lane.INFO})
    assert ov == {("domain", "ok.fr"): Lane.INFO}


def test_domain_override_does_not_reach_the_public_suffix() -> None:
    ov = normalise_overrides({("domain", "fr"): "bulk"})
    assert lookup_override(ov, "a@caf.fr", "caf.fr", "") is None
