"""Configuration: one TOML file, several accounts, lane folders, working rules.

Loading validates everything and raises :class:`ConfigError` with a message in the user's
language that names the file and the faulty key, so a broken config never turns into a crash.
Passwords are never required in the file: they come from an environment variable, a command,
or the system keyring.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path
from typing import Any

from accalmie.i18n import _
from accalmie.triage.decision import Flag, Lane

DEFAULT_CONFIG_PATH = Path(
    os.environ.get("ACCALMIE_CONFIG")
    or Path(os.environ.get("XDG_CONFIG_HOME", Path.home() / ".config")) / "accalmie" / "config.toml"
)
DEFAULT_DATA_DIR = Path(
    os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share")
) / "accalmie"

DEFAULT_LANE_FOLDERS = {
    Lane.PRIORITY: "Prioritaire",
    Lane.INFO: "Pour info",
    Lane.BULK: "Infolettres",
    Lane.SUSPECT: "Suspect",
}

RULE_FIELDS = ("from", "to", "cc", "subject", "list_id", "body", "headers")

# Sections owned by the capability that reads them: "name" -> "module:function". Each parser
# takes (raw TOML value, path, "where." prefix) and returns its own frozen object, raising
# ConfigError through ``config_error`` on any mistake, so a wrong section fails at load time.
SECTIONS: dict[str, str] = {
    "hours": "accalmie.disconnect.hours:parse_section",
    "guard": "accalmie.guard.settings:parse_section",
    "smtp": "accalmie.disconnect.smtp:parse_section",
    "digest": "accalmie.disconnect.digest:parse_section",
    "send_later": "accalmie.disconnect.outbox:parse_section",
    "watch": "accalmie.disconnect.watch:parse_section",
}
# Sub-tables of an [[accounts]] entry that override the top-level section for that person.
ACCOUNT_SECTIONS: tuple[str, ...] = ("hours", "smtp", "digest")

SectionParser = Callable[[Any, "Path | None", str], Any]


class ConfigError(Exception):
    """A configuration problem, already phrased for the user."""


@dataclass(frozen=True, slots=True)
class Rule:
    """A user rule: conditions (all or any must hold) and what to do.

    Conditions: ``from``/``to``/``cc``/``list_id`` are case-insensitive glob patterns on
    addresses or ids (``*@caf.fr``); ``subject``/``body`` are case-insensitive substrings, or
    regular expressions when written ``re:...``; ``headers`` maps a header name to such a
    pattern. A value may be a list: any of its items matches.
    """

    name: str
    conditions: dict[str, Any]
    lane: Lane | None = None
    flags: frozenset[Flag] = frozenset()
    match_all: bool = True


@dataclass(frozen=True, slots=True)
class Account:
    name: str
    email: str = ""
    host: str = ""
    port: int = 993
    security: str = "tls"  # tls | starttls | plain (plain only to a loopback address)
    username: str = ""
    password_env: str = ""
    password_command: str = ""
    password_keyring: bool = False
    folders: tuple[str, ...] = ("INBOX",)
    sent_folder: str = ""  # '' = find it through SPECIAL-USE \\Sent or usual names
    addresses: tuple[str, ...] = ()  # every address of the user on this account
    internal_domains: tuple[str, ...] = ()  # the organisation's domains
    batch_size: int = 200
    timeout: float = 60.0
    ca_file: str = ""  # extra CA bundle for a self-signed server certificate
    # authserv-ids of the servers whose Authentication-Results header can be believed
    trusted_authserv_ids: tuple[str, ...] = ()
    # parsed per-account sections ([accounts.hours], [accounts.smtp], …); see ACCOUNT_SECTIONS
    sections: Mapping[str, Any] = field(default_factory=dict, hash=False)

    def section(self, name: str, config: Config | None = None) -> Any:
        """This account's section, else the top-level one from ``config``, else its default."""
        if name in self.sections:
            return self.sections[name]
        if config is not None:
            return config.section(name)
        return default_section(name)

    @property
    def own_addresses(self) -> frozenset[str]:
        return frozenset(a.lower() for a in (self.email, *self.addresses) if a)

    def password(self) -> str:
        """Resolve the password from env, command or keyring; never from the file."""
        if self.password_env:
            value = os.environ.get(self.password_env)
            if value is not None:
                return value
            raise ConfigError(
                _("Account {name}: the environment variable {var} is not set.").format(
                    name=self.name, var=self.password_env))
        if self.password_command:
            try:
                out = subprocess.run(shlex.split(self.password_command), capture_output=True,
                                     text=True, timeout=30, check=True)
            except (OSError, subprocess.SubprocessError) as exc:
                raise ConfigError(
                    _("Account {name}: the password command failed ({error}).").format(
                        name=self.name, error=exc.__class__.__name__)) from None
            return out.stdout.rstrip("\n")
        if self.password_keyring:
            try:
                import keyring

                value = keyring.get_password("accalmie", self.username or self.email)
            except Exception as exc:  # keyring backends raise many types
                raise ConfigError(
                    _("Account {name}: the system keyring is unavailable ({error}).").format(
                        name=self.name, error=exc.__class__.__name__)) from None
            if value is None:
                raise ConfigError(
                    _("Account {name}: no password in the system keyring for {user}.").format(
                        name=self.name, user=self.username or self.email))
            return value
        raise ConfigError(
            _("Account {name}: say where the password comes from "
              "(password_env, password_command or password_keyring).").format(name=self.name))


@dataclass(frozen=True, slots=True)
class Config:
    path: Path | None = None
    language: str = "fr"
    store: str = ""  # SQLite path or SQLAlchemy URL; '' = default under the data dir
    keep_bodies: bool = False
    excerpt_chars: int = 280
    lane_parent: str = "Accalmie"
    lane_folders: dict[Lane, str] = field(default_factory=lambda: dict(DEFAULT_LANE_FOLDERS))
    accounts: tuple[Account, ...] = ()
    rules: tuple[Rule, ...] = ()
    important_senders: tuple[str, ...] = ()  # glob patterns of known people (usagers, partners)
    # parsed top-level sections ([hours], [guard], [smtp], …); see SECTIONS
    sections: Mapping[str, Any] = field(default_factory=dict, hash=False)

    def section(self, name: str) -> Any:
        """The parsed section ``name``, or its default when the file has none."""
        if name in self.sections:
            return self.sections[name]
        return default_section(name)

    def account(self, name: str | None) -> Account:
        if not self.accounts:
            raise ConfigError(_("No account is configured in {path}.").format(path=self.path))
        if name is None:
            return self.accounts[0]
        for acc in self.accounts:
            if acc.name == name:
                return acc
        raise ConfigError(_("Unknown account: {name}.").format(name=name))

    def store_url(self) -> str:
        return self.store or str(DEFAULT_DATA_DIR / "accalmie.db")


def config_error(path: Path | None, key: str, problem: str) -> ConfigError:
    """The one shape of a configuration error: file, faulty key, problem in plain words."""
    return ConfigError(_("{path}: {key}: {problem}").format(path=path or "config", key=key,
                                                            problem=problem))



def _section_parser(name: str) -> SectionParser:
    module, func = SECTIONS[name].split(":")
    return getattr(import_module(module), func)  # type: ignore[no-any-return]


def default_section(name: str) -> Any:
    """What a section is when the file does not have it (its parser given an empty table)."""
    if name not in SECTIONS:
        raise KeyError(name)
    return _section_parser(name)({}, None, name + ".")


def _parse_sections(table: dict[str, Any], names: Any, path: Path | None,
                    prefix: str) -> Mapping[str, Any]:
    parsed = {name: _section_parser(name)(table[name], path, f"{prefix}{name}.")
              for name in names if name in table}
    return parsed


def _get(table: dict[str, Any], key: str, kind: type | tuple[type, ...], default: Any,
         path: Path | None, where: str) -> Any:
    if key not in table:
        return default
    value = table[key]
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise config_error(path, f"{where}{key}", _("wrong type ({found})").format(
            found=type(value).__name__))
    return value


def _str_tuple(value: Any, path: Path | None, key: str) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise config_error(path, key, _("expected a string or a list of strings"))


def _parse_lane(value: Any, path: Path | None, key: str) -> Lane:
    try:
        return Lane(str(value).lower())
    except ValueError:
        raise config_error(path, key, _(
            "unknown lane {value!r} (expected one of: {choices})").format(
            value=value, choices=", ".join(lane.value for lane in Lane))) from None


def _parse_rule(i: int, raw: Any, path: Path | None) -> Rule:
    where = f"rules[{i}]."
    if not isinstance(raw, dict):
        raise config_error(path, f"rules[{i}]", _("expected a table"))
    name = _get(raw, "name", str, f"rule {i + 1}", path, where)
    conditions: dict[str, Any] = {}
    for key in RULE_FIELDS:
        if key in raw:
            if key == "headers":
                headers = raw[key]
                if not isinstance(headers, dict):
                    raise config_error(path, where + key, _("expected a table of header = pattern"))
                conditions[key] = {str(k).lower(): _str_tuple(v, path, f"{where}headers.{k}")
                                   for k, v in headers.items()}
            else:
                conditions[key] = _str_tuple(raw[key], path, where + key)
    unknown = set(raw) - set(RULE_FIELDS) - {"name", "lane", "flag", "flags", "match"}
    if unknown:
        raise config_error(path, where + sorted(unknown)[0], _("unknown key"))
    if not conditions:
        raise config_error(path, f"rules[{i}]", _("a rule needs at least one condition"))
    lane = _parse_lane(raw["lane"], path, where + "lane") if "lane" in raw else None
    flag_names = _str_tuple(raw.get("flags", raw.get("flag", [])), path, where + "flags")
    flags = set()
    for f in flag_names:
        try:
            flags.add(Flag(f.lower()))
        except ValueError:
            raise config_error(path, where + "flags", _("unknown flag {value!r}").format(
                value=f)) from None
    if lane is None and not flags:
        raise config_error(path, f"rules[{i}]", _("a rule needs a lane or a flag"))
    match = _get(raw, "match", str, "all", path, where)
    if match not in ("all", "any"):
        raise config_error(path, where + "match", _("expected 'all' or 'any'"))
    return Rule(name, conditions, lane, frozenset(flags), match == "all")


def _parse_account(i: int, raw: Any, path: Path | None) -> Account:
    where = f"accounts[{i}]."
    if not isinstance(raw, dict):
        raise config_error(path, f"accounts[{i}]", _("expected a table"))
    if "password" in raw:
        raise config_error(path, where + "password",
                   _("passwords are not kept in the file; use password_env, "
                     "password_command or password_keyring"))
    known = (set(Account.__dataclass_fields__) - {"sections"}) | set(ACCOUNT_SECTIONS)
    unknown = set(raw) - known
    if unknown:
        raise config_error(path, where + sorted(unknown)[0], _("unknown key"))
    name = _get(raw, "name", str, "", path, where)
    if not name:
        raise config_error(path, where + "name", _("every account needs a name"))
    security = _get(raw, "security", str, "tls", path, where).lower()
    if security not in ("tls", "starttls", "plain"):
        raise config_error(path, where + "security", _("expected tls, starttls or plain"))
    default_port = 993 if security == "tls" else 143
    port = _get(raw, "port", int, default_port, path, where)
    if not 0 < port < 65536:
        raise config_error(path, where + "port", _("not a valid port"))
    return Account(
        name=name,
        email=_get(raw, "email", str, "", path, where).lower(),
        host=_get(raw, "host", str, "", path, where),
        port=port,
        security=security,
        username=_get(raw, "username", str, "", path, where),
        password_env=_get(raw, "password_env", str, "", path, where),
        password_command=_get(raw, "password_command", str, "", path, where),
        password_keyring=_get(raw, "password_keyring", bool, False, path, where),
        folders=_str_tuple(raw.get("folders", ["INBOX"]), path, where + "folders"),
        sent_folder=_get(raw, "sent_folder", str, "", path, where),
        addresses=tuple(a.lower() for a in _str_tuple(raw.get("addresses", []), path,
                                                       where + "addresses")),
        internal_domains=tuple(d.lower() for d in _str_tuple(
            raw.get("internal_domains", []), path, where + "internal_domains")),
        batch_size=_get(raw, "batch_size", int, 200, path, where),
        timeout=_get(raw, "timeout", float, 60.0, path, where),
        ca_file=_get(raw, "ca_file", str, "", path, where),
        trusted_authserv_ids=tuple(d.lower() for d in _str_tuple(
            raw.get("trusted_authserv_ids", []), path, where + "trusted_authserv_ids")),
        sections=_parse_sections(raw, ACCOUNT_SECTIONS, path, where),
    )


def parse_config(data: dict[str, Any], path: Path | None = None) -> Config:
    """Validate a decoded TOML document into a :class:`Config`."""
    general = data.get("general", {})
    if not isinstance(general, dict):
        raise config_error(path, "general", _("expected a table"))
    lanes_raw = data.get("lanes", {})
    if not isinstance(lanes_raw, dict):
        raise config_error(path, "lanes", _("expected a table"))
    folders = dict(DEFAULT_LANE_FOLDERS)
    for key, value in lanes_raw.items():
        if key == "parent":
            continue
        lane = _parse_lane(key, path, "lanes." + key)
        if not isinstance(value, str) or not value.strip():
            raise config_error(path, "lanes." + key, _("expected a folder name"))
        folders[lane] = value
    accounts_raw = data.get("accounts", [])
    rules_raw = data.get("rules", [])
    if not isinstance(accounts_raw, list):
        raise config_error(path, "accounts", _("expected [[accounts]] tables"))
    if not isinstance(rules_raw, list):
        raise config_error(path, "rules", _("expected [[rules]] tables"))
    accounts = tuple(_parse_account(i, a, path) for i, a in enumerate(accounts_raw))
    names = [a.name for a in accounts]
    if len(set(names)) != len(names):
        raise config_error(path, "accounts", _("two accounts have the same name"))
    rules = tuple(_parse_rule(i, r, path) for i, r in enumerate(rules_raw))
    from accalmie.triage.rules import validate_rules  # late: rules depend on this module

    problems = validate_rules(rules)
    if problems:
        raise config_error(path, "rules", "; ".join(problems))
    return Config(
        path=path,
        language=_get(general, "language", str, "fr", path, "general."),
        store=_get(general, "store", str, "", path, "general."),
        keep_bodies=_get(general, "keep_bodies", bool, False, path, "general."),
        excerpt_chars=_get(general, "excerpt_chars", int, 280, path, "general."),
        lane_parent=_get(lanes_raw, "parent", str, "Accalmie", path, "lanes."),
        lane_folders=folders,
        accounts=accounts,
        rules=rules,
        important_senders=_str_tuple(general.get("important_senders", []), path,
                                     "general.important_senders"),
        sections=_parse_sections(data, SECTIONS, path, ""),
    )


def load_config(path: Path | str | None = None) -> Config:
    """Read and validate the TOML file; a missing default file gives an empty config."""
    p = Path(path) if path else DEFAULT_CONFIG_PATH
    if not p.exists():
        if path:
            raise ConfigError(_("Configuration file not found: {path}").format(path=p))
        return Config()
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise ConfigError(_("{path} is not valid UTF-8 text.").format(path=p)) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(_("{path} is not valid TOML: {error}").format(path=p,
                                                                        error=exc)) from None
    except OSError as exc:
        raise ConfigError(_("Cannot read {path}: {error}").format(path=p,
                                                                  error=exc.strerror)) from None
    return parse_config(data, p)
