"""Public holidays: France by default, with Alsace-Moselle's and the overseas departments'.

The dates come from the ``holidays`` package (MIT, pinned), computed offline. A set of dates is
built once per (country, region, year) and cached, because ``next_start`` runs for every
message. The package is imported lazily: it costs ~60 ms that a command which never asks
about working time should not pay.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from functools import lru_cache
from types import MappingProxyType

from accalmie.disconnect.timespec import SpecError, fold
from accalmie.i18n import _

# Region names people write -> (holidays subdivision code, the region's usual time zone).
# Alsace-Moselle: Good Friday and 26 December. Overseas: abolition of slavery and the rest.
_FR_REGIONS: dict[str, tuple[str, str]] = {
    "metropole": ("", "Europe/Paris"),
    "france": ("", "Europe/Paris"),
    "alsace-moselle": ("6AE", "Europe/Paris"),
    "alsace": ("6AE", "Europe/Paris"),
    "moselle": ("57", "Europe/Paris"),
    "bas-rhin": ("6AE", "Europe/Paris"),
    "haut-rhin": ("6AE", "Europe/Paris"),
    "67": ("6AE", "Europe/Paris"),
    "68": ("6AE", "Europe/Paris"),
    "57": ("57", "Europe/Paris"),
    "guadeloupe": ("971", "America/Guadeloupe"),
    "971": ("971", "America/Guadeloupe"),
    "martinique": ("972", "America/Martinique"),
    "972": ("972", "America/Martinique"),
    "guyane": ("973", "America/Cayenne"),
    "973": ("973", "America/Cayenne"),
    "la-reunion": ("974", "Indian/Reunion"),
    "reunion": ("974", "Indian/Reunion"),
    "974": ("974", "Indian/Reunion"),
    "mayotte": ("976", "Indian/Mayotte"),
    "976": ("976", "Indian/Mayotte"),
    "saint-barthelemy": ("BL", "America/St_Barthelemy"),
    "saint-martin": ("MF", "America/Marigot"),
    "saint-pierre-et-miquelon": ("PM", "America/Miquelon"),
    "nouvelle-caledonie": ("NC", "Pacific/Noumea"),
    "polynesie-francaise": ("PF", "Pacific/Tahiti"),
    "wallis-et-futuna": ("WF", "Pacific/Wallis"),
}
FR_REGION_NAMES = ("metropole", "alsace-moselle", "guadeloupe", "martinique", "guyane",
                   "la-reunion", "mayotte", "saint-barthelemy", "saint-martin",
                   "saint-pierre-et-miquelon", "nouvelle-caledonie", "polynesie-francaise",
                   "wallis-et-futuna")
WHIT_MONDAY = "whit-monday"
_WHIT_MONDAY_NAMES = frozenset({"whit-monday", "pentecost-monday", "lundi-de-pentecote",
                                "pentecote", "pentecost"})
# Years outside this span get no public holidays: a message dated 1901 or 2999 (broken Date
# headers exist) must not make the library compute centuries.
MIN_YEAR, MAX_YEAR = 1900, 2200


def _key(text: str) -> str:
    return "-".join(fold(text).replace("_", " ").replace("'", " ").split())


def normalise_region(country: str, region: str) -> tuple[str, str]:
    """(subdivision code, suggested time zone or '') for what the user wrote.

    French names ("alsace-moselle", "Guadeloupe", "La Réunion", "971") are recognised;
    for other countries the region is the ``holidays`` subdivision code, checked here.
    """
    if not region.strip():
        return "", ("Europe/Paris" if country == "FR" else "")
    if country == "FR":
        found = _FR_REGIONS.get(_key(region))
        if found is None:
            raise SpecError(_("unknown region {value!r} (expected one of: {choices})").format(
                value=region, choices=", ".join(FR_REGION_NAMES)))
        return found
    code = region.strip().upper()
    _check_country(country, code)
    return code, ""


def normalise_country(country: str) -> str:
    """ISO code of a country known to the ``holidays`` package ('' = no public holidays)."""
    code = country.strip().upper()
    if code:
        _check_country(code, "")
    return code


def _check_country(country: str, subdiv: str) -> None:
    import holidays

    try:
        holidays.country_holidays(country, subdiv=subdiv or None, years=2000)
    except NotImplementedError:
        if subdiv:
            raise SpecError(_("unknown region {value!r} for the country {country}").format(
                value=subdiv, country=country)) from None
        raise SpecError(_("unknown country code {value!r} for public holidays").format(
            value=country)) from None


def normalise_solidarity(value: str) -> str:
    """'' (none), 'whit-monday', or 'MM-DD': the public holiday worked as journée de solidarité."""
    key = _key(value)
    if not key or key in ("none", "aucun", "aucune", "non", "no"):
        return ""
    if key in _WHIT_MONDAY_NAMES:
        return WHIT_MONDAY
    try:
        month, day = (int(p) for p in key.split("-"))
        date(2000, month, day)  # a leap year: 02-29 is accepted
    except ValueError:
        raise SpecError(_("not a solidarity day: {value!r} (write lundi-de-pentecote or the "
                          "month and day of a public holiday, such as 05-08)").format(
            value=value)) from None
    return f"{month:02d}-{day:02d}"


def _language(country: str, lang: str) -> str | None:
    if lang == "fr" and country == "FR":
        return "fr"
    return "en_US" if lang == "en" else None


@lru_cache(maxsize=512)
def holiday_names(country: str, region: str, year: int, lang: str = "fr"
                  ) -> Mapping[date, str]:
    """The public holidays of a year with their names (read-only; cached)."""
    if not country or not MIN_YEAR <= year <= MAX_YEAR:
        return MappingProxyType({})
    import holidays

    try:
        table = holidays.country_holidays(country, subdiv=region or None, years=year,
                                          language=_language(country, lang))
    except (NotImplementedError, ValueError):
        table = holidays.country_holidays(country, subdiv=region or None, years=year)
    return MappingProxyType(dict(table))


@lru_cache(maxsize=512)
def holiday_dates(country: str, region: str, year: int, solidarity: str = "") -> frozenset[date]:
    """The days off for public holidays in ``year``, minus the worked solidarity day."""
    dates = set(holiday_names(country, region, year))
    if solidarity == WHIT_MONDAY:
        dates.discard(easter(year) + timedelta(days=50))
    elif solidarity:
        month, day = (int(p) for p in solidarity.split("-"))
        try:
            dates.discard(date(year, month, day))
        except ValueError:  # 02-29 in a common year
            pass
    return frozenset(dates)


def easter(year: int) -> date:
    """Gregorian Easter Sunday (anonymous algorithm): Whit Monday is 50 days later."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month, day = divmod(h + l_ - 7 * m + 114, 31)
    return date(year, month, day + 1)
