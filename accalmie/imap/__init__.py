"""IMAP adapter: connection, incremental sync, mailbox actions and the triage run.

- ``connect``: :func:`~accalmie.imap.connect.connect` / ``open_session`` (TLS, STARTTLS, plain
  on loopback only) and :class:`~accalmie.imap.connect.ImapError` for every failure;
- ``sync``: :class:`~accalmie.imap.sync.FolderSync` (UIDVALIDITY/UIDNEXT, batches committed by
  the caller) and ``sync_sent`` (contacts from the Sent folder);
- ``actions``: lane folders, UID MOVE or COPY + EXPUNGE, the journal and its recovery;
- ``pipeline``: :func:`~accalmie.imap.pipeline.triage_imap`, one whole run.

Submodules are imported on use: the command line pays for IMAP only when it talks to a server.
"""
