"""Translations: French by default, English available.

User-visible strings are written in English in the source, marked with ``_()`` (translated now)
or ``N_()`` (marked for extraction, translated later, e.g. a reason stored in the database and
shown in the user's language). Catalogs live in ``accalmie/locale/<lang>/LC_MESSAGES``.
The language comes from ``set_language()``, else ``ACCALMIE_LANG``, else French.
"""

from __future__ import annotations

import gettext
import os
from functools import lru_cache
from pathlib import Path

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "accalmie"
LANGUAGES = ("fr", "en")
DEFAULT_LANGUAGE = "fr"

_current: str | None = None


def normalise(lang: str | None) -> str:
    """'en_GB.UTF-8' -> 'en'; anything unknown falls back to French."""
    code = (lang or "").strip().lower().replace("-", "_").split(".")[0].split("_")[0]
    return code if code in LANGUAGES else DEFAULT_LANGUAGE


def set_language(lang: str | None) -> str:
    global _current
    _current = normalise(lang) if lang else None
    return current_language()


def current_language() -> str:
    if _current:
        return _current
    return normalise(os.environ.get("ACCALMIE_LANG") or DEFAULT_LANGUAGE)


@lru_cache(maxsize=8)
def translation(lang: str) -> gettext.NullTranslations:
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[lang], fallback=True)


def gettext_for(lang: str | None, message: str) -> str:
    return translation(normalise(lang) if lang else current_language()).gettext(message)


def _(message: str) -> str:
    """Translate now, into the current language."""
    return translation(current_language()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translation(current_language()).ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark for extraction only; translate later with ``gettext_for``."""
    return message
