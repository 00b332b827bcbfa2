"""What every sub-command shares: the two typer apps, the common options, config loading.

Command modules (``accalmie/cli/*.py``) import ``app`` / ``eval_app`` from here and declare
their commands on them; ``accalmie.cli.app`` imports every command module.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from accalmie.cli.ui import setup_logging
from accalmie.config import DEFAULT_CONFIG_PATH, Config, ConfigError, load_config
from accalmie.i18n import _, set_language
from accalmie.triage.decision import Lane

EPILOG = _(
    "Exit codes: 0 success; 1 the run failed in part; 2 wrong command line or configuration; "
    "3 mail server unreachable or login refused; 4 store unusable; 130 interrupted.")

app = typer.Typer(
    name="accalmie", no_args_is_help=True, add_completion=False, rich_markup_mode=None,
    help=_("Accalmie sorts your mail into lanes and says why, holds what arrives after hours, "
           "and warns before a dangerous message is opened. Everything stays on your machine."),
    epilog=EPILOG, context_settings={"help_option_names": ["-h", "--help"]})
eval_app = typer.Typer(no_args_is_help=True, help=_("Measure the product on labelled data."),
                       epilog=EPILOG)
app.add_typer(eval_app, name="eval")


def _lang_callback(lang: str | None = typer.Option(
        None, "--lang", help=_("Language of messages: fr (default) or en."),
        envvar="ACCALMIE_LANG")) -> None:
    """Accept --lang before the sub-command too (it is read before the app is built)."""
    if lang:
        set_language(lang)


app.callback()(_lang_callback)
eval_app.callback()(_lang_callback)

LangOpt = Annotated[str | None, typer.Option(
    "--lang", help=_("Language of messages: fr (default) or en."), envvar="ACCALMIE_LANG")]
ConfigOpt = Annotated[Path | None, typer.Option(
    "--config", "-c", help=_("Configuration file (default: {path}).").format(
        path=DEFAULT_CONFIG_PATH), envvar="ACCALMIE_CONFIG", dir_okay=False)]
DbOpt = Annotated[str | None, typer.Option(
    "--db", help=_("Store: a SQLite file path or a database URL (overrides the configuration)."),
    envvar="ACCALMIE_DB")]
AccountOpt = Annotated[str | None, typer.Option(
    "--account", "-a", help=_("Account name from the configuration (default: the first)."))]
VerboseOpt = Annotated[bool, typer.Option("--verbose", "-v", help=_("Show debugging details."))]
ProgressOpt = Annotated[bool, typer.Option("--progress/--no-progress",
                                           help=_("Show progress bars."))]


def _prepare(lang: str | None, config_path: Path | None, verbose: bool = False) -> Config:
    setup_logging(verbose)
    config = load_config(config_path)
    if lang:
        set_language(lang)
    elif not os.environ.get("ACCALMIE_LANG") and config.language:
        set_language(config.language)
    return config


LANE_ALIASES = {
    "priority": Lane.PRIORITY, "prioritaire": Lane.PRIORITY, "p": Lane.PRIORITY,
    "info": Lane.INFO, "pour-info": Lane.INFO, "pourinfo": Lane.INFO, "i": Lane.INFO,
    "bulk": Lane.BULK, "infolettres": Lane.BULK, "newsletters": Lane.BULK, "b": Lane.BULK,
    "suspect": Lane.SUSPECT, "s": Lane.SUSPECT,
}


def parse_lane(value: str) -> Lane:
    lane = LANE_ALIASES.get(value.strip().lower())
    if lane is None:
        raise ConfigError(_("Unknown lane {value!r}: use priority, info, bulk or suspect.")
                          .format(value=value))
    return lane
