"""Translate the help screens' own words (Usage, Options, Commands…), not only ours.

Typer marks its few strings with the stdlib's global ``gettext``; binding the global domain to
Accalmie's catalog and the chosen language translates them. Two strings are hard-coded in its
bundled click (the usage prefix and the help option's text): they are replaced here, and if a
future version moves them, the help simply stays in English.
"""

from __future__ import annotations

import gettext
import os

from accalmie.i18n import DOMAIN, LOCALE_DIR, N_, _, current_language

# Typer's strings, marked here so that extraction puts them in Accalmie's catalog.
TYPER_STRINGS = (N_("Arguments"), N_("Options"), N_("Commands"), N_("required"),
                 N_("default: {default}"), N_("env var: {var}"), N_("Aborted!"),
                 N_("(dynamic)"))


def install() -> None:
    os.environ["LANGUAGE"] = current_language()
    gettext.bindtextdomain(DOMAIN, str(LOCALE_DIR))
    gettext.textdomain(DOMAIN)
    try:
        from typer._click import core, formatting
    except ImportError:  # pragma: no cover - depends on typer's internals
        return
    write_usage = formatting.HelpFormatter.write_usage

    def translated_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:  # type: ignore[no-untyped-def]
        write_usage(self, prog, args, _("Usage: ") if prefix is None else prefix)

    formatting.HelpFormatter.write_usage = translated_usage  # type: ignore[method-assign]
    get_help_option = core.Command.get_help_option

    def translated_help_option(self, ctx):  # type: ignore[no-untyped-def]
        option = get_help_option(self, ctx)
        if option is not None:
            option.help = _("Show this message and exit.")
        return option

    core.Command.get_help_option = translated_help_option  # type: ignore[method-assign]
