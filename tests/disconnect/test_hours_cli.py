"""`accalmie hours`: showing the windows, and editing the file without disturbing the rest."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from accalmie.cli.hours import hours_app
from accalmie.config import load_config
from accalmie.disconnect.hours import working_time
from accalmie.disconnect.hours_file import find_headers, splice
from accalmie.i18n import set_language

TEMPLATE = Path(__file__).resolve().parents[2] / "accalmie" / "data" / "config.fr.toml"

CONFIG_WITH_HOURS = """\
# My config: keep this comment
[general]
language = "en"   # inline comment kept

[hours]
# this comment is inside the table (not kept)
timezone = "Europe/Paris"
ranges = "9-17"
notes = \"\"\"
[not.a.header]
\"\"\"

[hours.exceptions]
2026-12-24 = "09:00-12:00"

# Comment about the accounts: kept, it belongs to what follows
[[accounts]]
name = "a"
folders = [
  "INBOX",
  "[Gmail]/Important",
]

[accounts.smtp]
host = "smtp.example.org"

[[accounts]]
name = "b"
"""


@pytest.fixture(autouse=True)
def _env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.setenv("ACCALMIE_LANG", "en")
    monkeypatch.delenv("ACCALMIE_CONFIG", raising=False)
    set_language("en")
    yield
    set_language(None)


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(hours_app, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def lines_outside_hours(text: str) -> list[str]:
    """The file's lines minus the [hours] table (header to the next header)."""
    out, inside = [], False
    for line in text.splitlines():
        if line.startswith("["):
            inside = line.startswith("[hours")
        if not inside:
            out.append(line)
    return out


# -- show ------------------------------------------------------------------------------------


def test_show_without_a_config_prints_the_default_windows(tmp_path: Path) -> None:
    code, out = run("--show", "--config", str(tmp_path / "none.toml"), "--at",
                    "2026-11-30T12:45")
    assert code == 2 and "not found" in out.lower()  # an explicit missing file is an error
    cfg = tmp_path / "c.toml"
    cfg.write_text("", encoding="utf-8")
    code, out = run("--show", "--config", str(cfg), "--at", "2026-11-30T12:45", "-n", "3")
    assert code == 0, out
    assert "Europe/Paris" in out and "Break: work starts again today at 13:30." in out
    assert "Today, from 13:30 to 17:30" in out
    assert "Tomorrow (Tuesday 1 December), from 9:00 to 12:30" in out
    assert "25 December 2026" in out  # public holidays ahead


def test_show_json(tmp_path: Path) -> None:
    cfg = tmp_path / "c.toml"
    cfg.write_text('[hours]\nregion = "guadeloupe"\n', encoding="utf-8")
    code, out = run("show", "--config", str(cfg), "--json", "--at", "2026-05-26T18:00")
    assert code == 0, out
    data = json.loads(out)
    assert data["timezone"] == "America/Guadeloupe" and data["working"] is False
    assert data["next_start"].startswith("2026-05-28T13:00")  # 27 May is a holiday there
    assert data["windows"][0]["start"] == "2026-05-28T09:00:00-04:00"
    assert any(h["date"] == "2026-05-27" for h in data["holidays"])


def test_show_in_french_has_french_dates(tmp_path: Path) -> None:
    cfg = tmp_path / "c.toml"
    cfg.write_text("", encoding="utf-8")
    code, out = run("--config", str(cfg), "--at", "2026-11-30T18:00", "--lang", "fr")
    assert code == 0, out
    assert "mardi 1er décembre" in out and "9 h" in out


def test_bad_at_is_a_clear_error(tmp_path: Path) -> None:
    cfg = tmp_path / "c.toml"
    cfg.write_text("", encoding="utf-8")
    code, out = run("--config", str(cfg), "--at", "yesterday")
    assert code == 2 and "--at" in out


# -- set -------------------------------------------------------------------------------------


def test_set_on_the_template_keeps_every_other_line(tmp_path: Path) -> None:
    cfg = tmp_path / "c.toml"
    original = TEMPLATE.read_text(encoding="utf-8")
    cfg.write_text(original, encoding="utf-8")
    cfg.chmod(0o600)
    code, out = run("set", "--config", str(cfg), "--days", "lun-ven", "--ranges",
                    "9:00-12:30,13:30-17:30", "--tz", "Europe/Paris", "--day", "mer=9-12")
    assert code == 0, out
    text = cfg.read_text(encoding="utf-8")
    assert text.startswith(original.rstrip("\n"))  # nothing before changed, comments kept
    assert oct(cfg.stat().st_mode & 0o777) == "0o600"
    config = load_config(cfg)
    wt = config.section("hours")
    assert wt.week[2] == ((540, 720),) and wt.tz.key == "Europe/Paris"
    # Second edit: replaced in place, still one [hours] table.
    code, out = run("set", "--config", str(cfg), "--region", "alsace-moselle", "--day",
                    "mer=default")
    assert code == 0, out
    text = cfg.read_text(encoding="utf-8")
    assert text.splitlines().count("[hours]") == 1  # the template's example stays a comment
    wt = load_config(cfg).section("hours")
    assert wt.region == "6AE" and wt.week[2] == wt.week[0]
    assert lines_outside_hours(text) == lines_outside_hours(original) + [""]


def test_set_rewrites_the_table_and_its_sub_tables_only(tmp_path: Path) -> None:
    cfg = tmp_path / "c.toml"
    cfg.write_text(CONFIG_WITH_HOURS, encoding="utf-8")
    before = tomllib.loads(CONFIG_WITH_HOURS)
    before["hours"].pop("notes")  # unknown key: refused by the parser, so drop it first
    cfg.write_text(CONFIG_WITH_HOURS.replace('notes = """\n[not.a.header]\n"""\n', ""),
                   encoding="utf-8")
    code, out = run("set", "--config", str(cfg), "--ranges", "8:00-16:00")
    assert code == 0, out
    text = cfg.read_text(encoding="utf-8")
    assert "# My config: keep this comment" in text
    assert 'language = "en"   # inline comment kept' in text
    assert "# Comment about the accounts: kept, it belongs to what follows" in text
    assert "[hours.exceptions]" not in text and "(not kept)" not in text
    after = tomllib.loads(text)
    assert after["hours"]["ranges"] == ["08:00-16:00"]
    assert after["hours"]["exceptions"] == {"2026-12-24": "09:00-12:00"}
    assert {k: v for k, v in after.items() if k != "hours"} == \
        {k: v for k, v in before.items() if k != "hours"}


def test_headers_inside_strings_and_arrays_are_not_headers() -> None:
    keys = [h.key for h in find_headers(CONFIG_WITH_HOURS)]
    assert keys == [("general",), ("hours",), ("hours", "exceptions"), ("accounts",),
                    ("accounts", "smtp"), ("accounts",)]


def test_an_account_gets_its_own_table_inside_its_entry(tmp_path: Path) -> None:
    cfg = tmp_path / "c.toml"
    base = CONFIG_WITH_HOURS.replace('notes = """\n[not.a.header]\n"""\n', "")
    cfg.write_text(base, encoding="utf-8")
    code, out = run("set", "--config", str(cfg), "--account", "a", "--ranges", "7-15",
                    "--tz", "America/Guadeloupe")
    assert code == 0, out
    code, out = run("urgent", "add", "--config", str(cfg), "--account", "b", "*@chu.fr")
    assert code == 0, out
    config = load_config(cfg)
    a, b = config.accounts
    wa, wb = working_time(config, a), working_time(config, b)
    assert wa.week[0] == ((420, 900),) and wa.tz.key == "America/Guadeloupe"
    assert wa.exceptions == config.section("hours").exceptions  # inherited
    assert wb.urgent == ("*@chu.fr",) and wb.tz.key == "Europe/Paris"
    assert config.section("hours").week[0] == ((540, 1020),)  # shared table untouched
    text = cfg.read_text(encoding="utf-8")
    assert text.index("[accounts.hours]") < text.index('name = "b"')
    assert a.sections["smtp"] is not None
    code, out = run("show", "--config", str(cfg), "--account", "a", "--json",
                    "--at", "2026-11-30T10:00")
    assert json.loads(out)["account"] == "a"
    code, out = run("set", "--config", str(cfg), "--account", "nobody", "--ranges", "7-15")
    assert code == 2 and "nobody" in out


def test_bad_input_is_refused_and_the_file_is_untouched(tmp_path: Path) -> None:
    cfg = tmp_path / "c.toml"
    cfg.write_text(TEMPLATE.read_text(encoding="utf-8"), encoding="utf-8")
    before = cfg.read_bytes()
    for args, words in [
        (["--tz", "Europe/Pariss"], "Europe/Paris"),
        (["--ranges", "25:00-26:00"], "25:00"),
        (["--ranges", "9-12,11-14"], "overlap"),
        (["--ranges", "off"], "no range"),
        (["--days", "lundy"], "lundy"),
        (["--day", "mer"], "DAY=HOURS"),
        (["--region", "bretagne"], "bretagne"),
        (["--days", "sam", "--day", "sam=off"], "no working day"),
    ]:
        code, out = run("set", "--config", str(cfg), *args)
        assert code == 2, (args, out)
        assert words.lower() in out.lower(), (args, out)
        assert "Traceback" not in out
    assert cfg.read_bytes() == before


def test_a_broken_hours_table_can_be_fixed_from_the_command_line(tmp_path: Path) -> None:
    cfg = tmp_path / "c.toml"
    cfg.write_text('[hours]\ntimezone = "Europe/Pariss"\n', encoding="utf-8")
    code, out = run("--config", str(cfg))
    assert code == 2 and "Europe/Paris" in out
    code, out = run("set", "--config", str(cfg), "--tz", "Europe/Paris")
    assert code == 0, out
    assert load_config(cfg).section("hours").tz.key == "Europe/Paris"


def test_hours_written_in_an_unusual_way_are_left_to_the_user(tmp_path: Path) -> None:
    cfg = tmp_path / "c.toml"
    text = 'hours = { ranges = "9-17" }\n[general]\nlanguage = "en"\n'
    cfg.write_text(text, encoding="utf-8")
    code, out = run("set", "--config", str(cfg), "--ranges", "8-16")
    assert code == 2 and "by hand" in out
    assert cfg.read_text(encoding="utf-8") == text


def test_set_creates_the_file_when_there_is_none(tmp_path: Path) -> None:
    cfg = tmp_path / "sub" / "config.toml"
    code, out = run("set", "--config", str(cfg), "--ranges", "8-16")
    assert code == 0, out
    assert oct(cfg.stat().st_mode & 0o777) == "0o600"
    assert load_config(cfg).section("hours").week[0] == ((480, 960),)


# -- leave, exceptions, urgent ---------------------------------------------------------------


def test_leave_add_list_remove(tmp_path: Path) -> None:
    cfg = tmp_path / "c.toml"
    cfg.write_text("[general]\nlanguage = \"en\"\n", encoding="utf-8")
    assert run("leave", "add", "2026-12-21", "2027-01-02", "--label", "Noël",
               "--config", str(cfg))[0] == 0
    assert run("leave", "add", "14/07/2026", "--config", str(cfg))[0] == 0
    code, out = run("leave", "list", "--config", str(cfg), "--json")
    assert json.loads(out) == [{"start": "2026-07-14", "end": "2026-07-14"},
                               {"start": "2026-12-21", "end": "2027-01-02", "label": "Noël"}]
    wt = load_config(cfg).section("hours")
    assert wt.day_kind(date(2026, 12, 23)).value == "leave"
    code, out = run("leave", "add", "2027-01-02", "2026-12-21", "--config", str(cfg))
    assert code == 2 and "before" in out
    assert run("leave", "remove", "2026-12-25", "--config", str(cfg))[0] == 0
    assert run("leave", "remove", "1", "--config", str(cfg))[0] == 0
    code, out = run("leave", "list", "--config", str(cfg))
    assert "No leave period" in out
    assert "leave" not in tomllib.loads(cfg.read_text(encoding="utf-8")).get("hours", {})
    code, out = run("leave", "remove", "2026-01-01", "--config", str(cfg))
    assert code == 2


def test_exceptions_add_list_remove(tmp_path: Path) -> None:
    cfg = tmp_path / "c.toml"
    cfg.write_text("", encoding="utf-8")
    assert run("exception", "add", "2026-12-05", "--ranges", "10-12", "--label",
               "portes ouvertes", "--config", str(cfg))[0] == 0
    assert run("exception", "add", "2026-11-30", "--off", "--config", str(cfg))[0] == 0
    code, out = run("exception", "add", "2026-11-30", "--config", str(cfg))
    assert code == 2 and "--off" in out
    code, out = run("exception", "list", "--config", str(cfg), "--json")
    assert json.loads(out) == [
        {"date": "2026-11-30", "off": True},
        {"date": "2026-12-05", "ranges": ["10:00-12:00"], "label": "portes ouvertes"}]
    wt = load_config(cfg).section("hours")
    assert wt.day_kind(date(2026, 11, 30)).value == "off"
    assert run("exception", "remove", "2026-11-30", "--config", str(cfg))[0] == 0
    assert run("exception", "remove", "2026-11-30", "--config", str(cfg))[0] == 2


def test_urgent_add_list_remove(tmp_path: Path) -> None:
    cfg = tmp_path / "c.toml"
    cfg.write_text("", encoding="utf-8")
    assert run("urgent", "add", "*@CHU.fr", "direction@*", "--config", str(cfg))[0] == 0
    code, out = run("urgent", "list", "--config", str(cfg))
    assert "*@chu.fr" in out and "direction@*" in out
    assert run("urgent", "remove", "nobody@x", "--config", str(cfg))[0] == 2
    assert run("urgent", "remove", "*@chu.fr", "--config", str(cfg))[0] == 0
    assert load_config(cfg).section("hours").urgent == ("direction@*",)


def test_holidays_listing(tmp_path: Path) -> None:
    cfg = tmp_path / "c.toml"
    cfg.write_text('[hours]\nregion = "alsace-moselle"\nsolidarity_day = "pentecote"\n',
                   encoding="utf-8")
    code, out = run("holidays", "--year", "2026", "--config", str(cfg))
    assert code == 0, out
    assert "2026-04-03" in out and "2026-12-26" in out
    assert "2026-05-25" in out and "worked" in out


def test_splice_is_stable() -> None:
    """Writing the same table twice gives the same text (no growing blank lines)."""
    data = tomllib.loads(CONFIG_WITH_HOURS)
    table = {"ranges": ["09:00-17:00"]}
    once = splice(CONFIG_WITH_HOURS, data, None, table)
    twice = splice(once, tomllib.loads(once), None, table)
    assert once == twice


# -- the real command ------------------------------------------------------------------------


def test_the_real_command_in_both_languages(tmp_path: Path) -> None:
    cfg = tmp_path / "c.toml"
    cfg.write_text("", encoding="utf-8")
    env = {**os.environ, "COLUMNS": "200", "ACCALMIE_LANG": ""}
    env.pop("ACCALMIE_CONFIG", None)
    for lang, words in (("fr", "décembre"), ("en", "December")):
        done = subprocess.run(
            [sys.executable, "-m", "accalmie", "hours", "--show", "--config", str(cfg),
             "--at", "2026-11-30T18:00", "--lang", lang],
            capture_output=True, text=True, env=env, timeout=120)
        assert done.returncode == 0, done.stderr
        assert words in done.stdout
        helped = subprocess.run([sys.executable, "-m", "accalmie", "hours", "set", "--help",
                                 "--lang", lang], capture_output=True, text=True, env=env,
                                timeout=120)
        assert helped.returncode == 0 and "--ranges" in helped.stdout


def test_an_accounts_existing_table_and_sub_tables_are_replaced_in_place() -> None:
    text = """\
[hours.week]
mer = "off"

[hours]
ranges = "9-17"

[[accounts]]
name = "a"

[accounts.hours]
ranges = "8-12"

[accounts.hours.week]
ven = "off"

# about b
[[accounts]]
name = "b"

[accounts.hours]
ranges = "10-18"
"""
    data = tomllib.loads(text)
    new = splice(text, data, "a", {"ranges": ["07:00-11:00"]})
    after = tomllib.loads(new)
    assert after["accounts"][0]["hours"] == {"ranges": ["07:00-11:00"]}
    assert after["accounts"][1]["hours"] == {"ranges": "10-18"}
    assert after["hours"] == data["hours"]
    assert "# about b" in new and new.count("[accounts.hours]") == 2
    top = splice(text, data, None, {"ranges": "9-16", "week": {"mer": "off"}})
    again = tomllib.loads(top)
    assert again["hours"] == {"ranges": "9-16", "week": {"mer": "off"}}
    assert again["accounts"] == data["accounts"] and "[hours.week]" not in top
    removed = tomllib.loads(splice(text, data, "b", {}))
    assert "hours" not in removed["accounts"][1] and removed["accounts"][0] == data[
        "accounts"][0]
