"""The generated demo mailbox of a French social worker (see :mod:`accalmie.demo.generator`)
and the HTML overview of a triaged mailbox (:mod:`accalmie.demo.overview`)."""

from accalmie.demo.generator import (
    KIND_NAMES,
    KINDS,
    DemoMessage,
    Mailbox,
    Owner,
    demo_owner,
    generate_mailbox,
    is_after_hours,
    iter_messages,
    write_eml_dir,
    write_maildir,
    write_mbox,
    write_truth_csv,
)

__all__ = ["KINDS", "KIND_NAMES", "DemoMessage", "Mailbox", "Owner", "demo_owner",
           "generate_mailbox", "is_after_hours", "iter_messages", "write_eml_dir",
           "write_maildir", "write_mbox", "write_truth_csv"]
