"""The ``[guard]`` section: defaults, validation, and reading it from a configuration file."""

from __future__ import annotations

from pathlib import Path

import pytest

from accalmie.config import ConfigError, default_section, load_config
from accalmie.guard.phishing import DEFAULT_THRESHOLD
from accalmie.guard.settings import GuardSettings, parse_section


def test_defaults() -> None:
    settings = parse_section({}, None, "guard.")
    assert settings == GuardSettings() == default_section("guard")
    assert settings.suspect_threshold == DEFAULT_THRESHOLD
    assert settings.trusted_authserv_ids == () and settings.hostility is True


def test_values_are_read_and_normalised() -> None:
    s = parse_section({"suspect_threshold": 0.8, "trusted_authserv_ids": ["MX.Example.org ",
                                                                          "mx.example.org"],
                       "hostility": False}, None, "guard.")
    assert s == GuardSettings(0.8, ("mx.example.org",), False)
    assert parse_section({"suspect_threshold": 1, "trusted_authserv_ids": "mx.a.fr"}, None,
                         "guard.") == GuardSettings(1.0, ("mx.a.fr",), True)


@pytest.mark.parametrize(("raw", "key"), [
    ({"suspect_threshold": 0}, "suspect_threshold"),
    ({"suspect_threshold": 1.5}, "suspect_threshold"),
    ({"suspect_threshold": "high"}, "suspect_threshold"),
    ({"suspect_threshold": True}, "suspect_threshold"),
    ({"trusted_authserv_ids": [1]}, "trusted_authserv_ids"),
    ({"trusted_authserv_ids": ["mx a"]}, "trusted_authserv_ids"),
    ({"trusted_authserv_ids": [""]}, "trusted_authserv_ids"),
    ({"hostility": "yes"}, "hostility"),
    ({"threshold": 0.5}, "threshold"),
])
def test_bad_values_name_the_key(raw: dict, key: str) -> None:
    with pytest.raises(ConfigError, match=f"guard.{key}"):
        parse_section(raw, Path("c.toml"), "guard.")


def test_not_a_table() -> None:
    with pytest.raises(ConfigError, match="guard"):
        parse_section(0.7, None, "guard.")


def test_read_from_a_file(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[guard]\nsuspect_threshold = 0.85\ntrusted_authserv_ids = ["mx.ccas.fr"]\n'
                    '\n[[accounts]]\nname = "travail"\nemail = "a@ccas.fr"\n',
                    encoding="utf-8")
    config = load_config(path)
    assert config.section("guard") == GuardSettings(0.85, ("mx.ccas.fr",), True)
