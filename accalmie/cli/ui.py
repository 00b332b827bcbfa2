"""Terminal rendering shared by the commands: console, progress bars, errors, exit codes."""

from __future__ import annotations

import functools
import logging
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from accalmie.config import ConfigError
from accalmie.i18n import _

console = Console()
err_console = Console(stderr=True)

# Exit codes, documented in the README and in `accalmie --help`.
EXIT_OK = 0
EXIT_FAILED = 1  # the run started but some of the work failed
EXIT_CONFIG = 2  # wrong command line or configuration
EXIT_SERVER = 3  # mail server unreachable, refused the login, or misbehaved
EXIT_STORE = 4  # the store (database) could not be opened or written
EXIT_INTERRUPTED = 130

F = TypeVar("F", bound=Callable[..., Any])

STAGES = {
    "triage": "Sorting messages",
    "sync": "Fetching messages",
    "parse": "Reading messages",
    "contacts": "Reading the Sent folder",
    "moves": "Moving messages",
    "journal": "Finishing interrupted actions",
    "corrections": "Looking for your corrections",
    "foldering": "Evaluating foldering",
    "hostility": "Evaluating hostility",
    "phishing": "Evaluating phishing detection",
    "intent": "Evaluating request detection",
    "release": "Releasing held mail",
    "evidence": "Collecting the messages",
    "demo": "Generating the demo mailbox",
}


def fail(message: str, code: int) -> typer.Exit:
    err_console.print(f"[bold red]{_('Error')}:[/] {message}", highlight=False)
    return typer.Exit(code)


def handle_errors(func: F) -> F:
    """Turn the product's errors into a clear message and a documented exit code."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from sqlalchemy.exc import SQLAlchemyError

        from accalmie.store import StoreError

        try:
            from accalmie.imap.connect import ImapError
        except ImportError:  # pragma: no cover - the IMAP adapter is always installed
            ImapError = ConfigError  # type: ignore[misc,assignment]  # noqa: N806
        try:
            return func(*args, **kwargs)
        except ConfigError as exc:
            raise fail(str(exc), EXIT_CONFIG) from None
        except ImapError as exc:
            raise fail(str(exc), EXIT_SERVER) from None
        except StoreError as exc:
            raise fail(str(exc), EXIT_STORE) from None
        except SQLAlchemyError as exc:
            logging.getLogger("accalmie").debug("store error", exc_info=True)
            raise fail(_("The store could not be used: {error}").format(
                error=str(exc.__cause__ or exc).splitlines()[0][:300]), EXIT_STORE) from None
        except KeyboardInterrupt:
            err_console.print(_("Interrupted. Run the same command again to finish the work."))
            raise typer.Exit(EXIT_INTERRUPTED) from None

    return wrapper  # type: ignore[return-value]


@contextmanager
def progress_bar(enabled: bool = True) -> Iterator[Callable[[str, int, int | None], None]]:
    """A callback ``progress(stage, done, total)`` drawing one rich bar per stage."""
    if not enabled or not sys.stderr.isatty() and not _force_progress():
        yield lambda stage, done, total: None
        return
    columns = (SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
               MofNCompleteColumn(), TimeElapsedColumn(), TimeRemainingColumn())
    with Progress(*columns, console=err_console, transient=False) as bar:
        tasks: dict[str, Any] = {}

        def update(stage: str, done: int, total: int | None) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(_(STAGES.get(stage, stage)), total=total)
            bar.update(tasks[stage], completed=done, total=total)

        yield update


def _force_progress() -> bool:
    import os

    return os.environ.get("ACCALMIE_PROGRESS") == "1"


def setup_logging(verbose: bool) -> None:
    logging.basicConfig(level=logging.DEBUG if verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
