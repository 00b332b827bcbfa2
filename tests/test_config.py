"""The configuration: validation errors are clear, passwords never come from the file."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from accalmie.config import ConfigError, load_config, parse_config
from accalmie.i18n import set_language
from accalmie.triage.decision import Flag, Lane

TEMPLATES = Path(__file__).resolve().parents[1] / "accalmie" / "data"


@pytest.fixture(autouse=True)
def english():
    set_language("en")
    yield
    set_language(None)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_templates_are_valid(lang: str) -> None:
    config = load_config(TEMPLATES / f"config.{lang}.toml")
    assert config.accounts and config.accounts[0].security == "tls"
    assert config.lane_folders[Lane.PRIORITY] == "Prioritaire"


def test_several_accounts_and_rules() -> None:
    config = parse_config({
        "accounts": [{"name": "a", "host": "h", "password_env": "X"},
                     {"name": "b", "host": "h2", "security": "starttls", "password_env": "Y"}],
        "rules": [{"name": "caf", "from": "*@caf.fr", "lane": "priority"},
                  {"subject": ["urgent", "re:avant le"], "match": "any",
                   "flags": ["reply_expected"]}],
        "lanes": {"parent": "Tri", "bulk": "Lettres"},
    })
    assert [a.name for a in config.accounts] == ["a", "b"]
    assert config.accounts[1].port == 143
    assert config.rules[1].flags == frozenset({Flag.REPLY_EXPECTED})
    assert not config.rules[1].match_all
    assert config.lane_folders[Lane.BULK] == "Lettres" and config.lane_parent == "Tri"
    assert config.account("b").host == "h2"
    with pytest.raises(ConfigError, match="Unknown account"):
        config.account("zzz")


@pytest.mark.parametrize("data, fragment", [
    ({"accounts": [{"name": "a", "password": "secret"}]}, "passwords are not kept"),
    ({"accounts": [{"name": "a", "port": "993"}]}, "wrong type"),
    ({"accounts": [{"name": "a", "port": 70000}]}, "not a valid port"),
    ({"accounts": [{"name": "a", "security": "ssl"}]}, "tls, starttls or plain"),
    ({"accounts": [{"name": "a"}, {"name": "a"}]}, "same name"),
    ({"accounts": [{"host": "x"}]}, "needs a name"),
    ({"accounts": [{"name": "a", "colour": "blue"}]}, "unknown key"),
    ({"rules": [{"lane": "priority"}]}, "at least one condition"),
    ({"rules": [{"from": "x"}]}, "a lane or a flag"),
    ({"rules": [{"from": "x", "lane": "urgent"}]}, "unknown lane"),
    ({"rules": [{"from": "x", "flags": ["loud"]}]}, "unknown flag"),
    ({"rules": [{"from": "x", "lane": "info", "match": "some"}]}, "'all' or 'any'"),
    ({"lanes": {"info": ""}}, "folder name"),
    ({"general": []}, "expected a table"),
])
def test_bad_config_is_explained(data: dict, fragment: str) -> None:
    with pytest.raises(ConfigError, match=fragment):
        parse_config(data)


def test_broken_files(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[general\nlanguage = ", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(bad)
    bad.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(ConfigError, match="UTF-8"):
        load_config(bad)
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path / "missing.toml")


def test_password_sources(monkeypatch: pytest.MonkeyPatch) -> None:
    config = parse_config({"accounts": [
        {"name": "env", "password_env": "ACCALMIE_TEST_PW"},
        {"name": "cmd", "password_command": f"{sys.executable} -c \"print('s3cret')\""},
        {"name": "failing", "password_command": "/nonexistent/command"},
        {"name": "none"},
    ]})
    monkeypatch.delenv("ACCALMIE_TEST_PW", raising=False)
    with pytest.raises(ConfigError, match="ACCALMIE_TEST_PW"):
        config.account("env").password()
    monkeypatch.setenv("ACCALMIE_TEST_PW", "pw")
    assert config.account("env").password() == "pw"
    assert config.account("cmd").password() == "s3cret"
    with pytest.raises(ConfigError, match="password command failed"):
        config.account("failing").password()
    with pytest.raises(ConfigError, match="password_env"):
        config.account("none").password()
    assert "pw" not in repr(config) and os.environ["ACCALMIE_TEST_PW"] == "pw"


def test_errors_in_french() -> None:
    set_language("fr")
    with pytest.raises(ConfigError) as info:
        parse_config({"accounts": [{"name": "a", "password": "x"}]})
    assert "mot de passe" in str(info.value).lower()


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_commented_examples_of_the_template_are_valid(lang: str) -> None:
    """Uncommenting the example sections of the template gives a configuration that loads."""
    import re
    import tomllib

    text = (Path(__file__).resolve().parents[1] / "accalmie" / "data" /
            f"config.{lang}.toml").read_text(encoding="utf-8")
    head, marker, tail = text.partition("# --- ")
    assert marker, "the template lost its optional sections"
    pattern = r"^# (\[(hours|watch|digest|send_later|smtp|guard)\]|[a-z_]+ = .*)$"
    lines = [m.group(1) if (m := re.match(pattern, line)) else line
             for line in tail.splitlines()]
    config = parse_config(tomllib.loads(head + marker + "\n".join(lines)))
    assert set(config.sections) == {"hours", "watch", "digest", "send_later", "smtp", "guard"}
