"""Bad working-time input: a clear error naming the key, in the user's language, never a crash."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from accalmie.config import ConfigError, load_config
from accalmie.disconnect.hours import parse_section
from accalmie.disconnect.timespec import SpecError, parse_days, parse_range, parse_time
from accalmie.i18n import set_language


def error(raw: object) -> str:
    with pytest.raises(ConfigError) as info:
        parse_section(raw, None, "hours.")
    return str(info.value)


@pytest.fixture(autouse=True)
def english() -> None:
    set_language("en")
    yield
    set_language(None)


def test_wrong_time_zone_names_suggest_the_right_one() -> None:
    msg = error({"timezone": "Europe/Pariss"})
    assert "hours.timezone" in msg and "Europe/Paris" in msg and "unknown time zone" in msg
    assert "Europe/Paris" in error({"timezone": "Paris"})
    for bad in ("../../etc/passwd", "", "Mars/Olympus_Mons", "Europe/Paris\x00", 42, None):
        assert "hours.timezone" in error({"timezone": bad})
    # Case is forgiven: people type europe/paris.
    assert parse_section({"timezone": "europe/paris"}, None, "h.").tz.key == "Europe/Paris"


def test_the_error_is_in_the_users_language() -> None:
    set_language("fr")
    from accalmie.i18n import _

    msg = error({"timezone": "Nowhere/Land"})
    assert msg.startswith(_("{path}: {key}: {problem}").split("{")[0])
    assert "hours.timezone" in msg and "Nowhere/Land" in msg


@pytest.mark.parametrize(("raw", "key", "words"), [
    ({"ranges": "09:00-12:00, 11:00-14:00"}, "hours.ranges", "overlap"),
    ({"ranges": ["09:00-12:00", "09:00-12:00"]}, "hours.ranges", "twice"),
    ({"ranges": "25:00-26:00"}, "hours.ranges", "25:00"),
    ({"ranges": "09:60-12:00"}, "hours.ranges", "09:60"),
    ({"ranges": "24:00-06:00"}, "hours.ranges", "24:00"),
    ({"ranges": "09:00-09:00"}, "hours.ranges", "empty"),
    ({"ranges": "9 to"}, "hours.ranges", "range"),
    ({"ranges": []}, "hours.ranges", "no range"),
    ({"ranges": "off"}, "hours.ranges", "no range"),
    ({"ranges": [9, 12]}, "hours.ranges", "found 9"),
    ({"days": ""}, "hours.days", "no day"),
    ({"days": []}, "hours.days", "no day"),
    ({"days": "lundy-ven"}, "hours.days", "lundy"),
    ({"days": "lun-ven", "week": {"lun-ven": "off"}}, "hours.days", "no working day"),
    ({"week": {"mer": "8-12, 11-13"}}, "hours.week.mer", "overlap"),
    ({"week": {"funday": "off"}}, "hours.week.funday", "funday"),
    ({"week": "mer=off"}, "hours.week", "table"),
    ({"days": "lun-dim", "ranges": "22:00-06:00", "week": {"mar": "05:00-09:00"}},
     "hours.week.mar", "night range"),
    ({"timezon": "Europe/Paris"}, "hours.timezon", "timezone"),
    ({"region": "bretagne"}, "hours.region", "alsace-moselle"),
    ({"country": "XX"}, "hours.country", "XX"),
    ({"country": "DE", "region": "ZZ"}, "hours.region", "ZZ"),
    ({"public_holidays": "yes"}, "hours.public_holidays", "true or false"),
    ({"solidarity_day": "13-45"}, "hours.solidarity_day", "13-45"),
    ({"solidarity_day": 5}, "hours.solidarity_day", "wrong type"),
    ({"leave": [{"start": "2026-12-21", "end": "2026-12-01"}]}, "hours.leave[0]", "before"),
    ({"leave": ["2026-13-01"]}, "hours.leave[0]", "2026-13-01"),
    ({"leave": [{"start": datetime(2026, 12, 21, 9)}]}, "hours.leave[0]", "without a time"),
    ({"leave": [{"end": "2026-12-21"}]}, "hours.leave[0]", "start"),
    ({"leave": [{"start": "2026-12-21", "until": "x"}]}, "hours.leave[0]", "until"),
    ({"leave": 3}, "hours.leave", "list"),
    ({"leave": ["a..b..c"]}, "hours.leave[0]", "2026-12-21..2027-01-02"),
    ({"exceptions": {"2026-02-30": "off"}}, "hours.exceptions.2026-02-30", "not a date"),
    ({"exceptions": {"2026-12-24": "9-12, 10-11"}}, "hours.exceptions.2026-12-24", "overlap"),
    ({"exceptions": [{"date": "2026-12-24", "off": True, "ranges": "9-12"}]},
     "hours.exceptions[0]", "both"),
    ({"exceptions": [{"date": "2026-12-24"}]}, "hours.exceptions[0]", "off = true"),
    ({"exceptions": [{"ranges": "9-12"}]}, "hours.exceptions[0]", "date ="),
    ({"exceptions": [{"date": "2026-12-24", "off": "yes"}]}, "hours.exceptions[0]", "off"),
    ({"exceptions": [{"date": "2026-12-24", "off": True},
                     {"date": "2026-12-24", "ranges": "9-12"}]}, "hours.exceptions[1]",
     "twice"),
    ({"exceptions": 5}, "hours.exceptions", "list"),
    ({"urgent": [1, 2]}, "hours.urgent", "strings"),
])
def test_bad_tables_name_the_key_and_the_problem(raw: dict, key: str, words: str) -> None:
    msg = error(raw)
    assert key in msg, msg
    assert words.lower() in msg.lower(), msg


def test_not_a_table() -> None:
    assert "expected a table" in error("9-17")
    assert "expected a table" in error(["9-17"])


def test_too_many_entries_are_refused_not_processed() -> None:
    assert "too many" in error({"leave": ["2026-01-01"] * 3000})
    assert "too many" in error({"exceptions": {f"k{i}": "off" for i in range(6000)}})


def test_the_file_and_key_are_named_when_loading(tmp_path: Path) -> None:
    cfg = tmp_path / "c.toml"
    cfg.write_text('[hours]\ntimezone = "Europe/Pariss"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(cfg)
    assert str(cfg) in str(info.value) and "hours.timezone" in str(info.value)
    cfg.write_text('[[accounts]]\nname = "a"\n[accounts.hours]\nranges = "25:00-26:00"\n',
                   encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(cfg)
    assert "accounts[0].hours.ranges" in str(info.value)


def test_lenient_forms_people_write() -> None:
    assert parse_days("Lundi - Vendredi") == (0, 1, 2, 3, 4)
    assert parse_days("mon,wed, fri") == (0, 2, 4)
    assert parse_days(["sat", "dim"]) == (5, 6)
    assert parse_days("ven-lun") == (0, 4, 5, 6)  # wraps round the week
    assert parse_days("sam à dim") == (5, 6)
    assert parse_time("9") == 540 and parse_time("9h") == 540 and parse_time("9h30") == 570
    assert parse_time("09:30") == 570 and parse_time("24:00", end=True) == 1440
    assert parse_range("13h30 – 17h30") == (810, 1050)
    assert parse_range("22:00-00:00") == (1320, 1440)
    assert parse_range("22:00-06:00") == (1320, 1800)
    with pytest.raises(SpecError):
        parse_time("24:00")
    wt = parse_section({"ranges": "9h-12h30; 13h30-17h30", "days": "lu-ve",
                        "leave": {"start": date(2026, 8, 3), "end": date(2026, 8, 21)},
                        "exceptions": {"24/12/2026": "9h-12h", "2026-06-12": False}},
                       None, "h.")
    assert wt.week[0] == ((540, 750), (810, 1050))
    assert len(wt.leave) == 1 and dict(wt.exceptions)[date(2026, 12, 24)] == ((540, 720),)
    assert dict(wt.exceptions)[date(2026, 6, 12)] == ()


def test_an_empty_table_is_the_default_and_equal_configs_are_equal() -> None:
    a = parse_section({}, None, "hours.")
    b = parse_section({"timezone": "Europe/Paris", "days": "lun-ven",
                       "ranges": "09:00-12:30, 13:30-17:30"}, None, "hours.")
    assert a == b and hash(a) == hash(b)
