"""Small builders of raw test messages (bytes, exactly as a server would hand them over)."""

from __future__ import annotations

import base64


def message(body: bytes | str = b"Bonjour,\n", *, headers: dict[str, str] | None = None,
            extra: list[tuple[str, str]] | None = None, charset: str | None = "utf-8",
            ctype: str = "text/plain", cte: str | None = None) -> bytes:
    """A single-part message; ``body`` is encoded with ``charset`` when given as text."""
    hdrs = {
        "From": "Marie Durand <marie.durand@cd93.fr>",
        "To": "Accueil <accueil@ccas-exemple.fr>",
        "Subject": "Dossier",
        "Date": "Mon, 3 Jun 2024 10:12:00 +0200",
        "Message-ID": "<abc123@cd93.fr>",
        "MIME-Version": "1.0",
    }
    hdrs.update(headers or {})
    if isinstance(body, str):
        body = body.encode(charset or "utf-8")
    content_type = ctype + (f"; charset={charset}" if charset else "")
    lines = [f"{k}: {v}" for k, v in hdrs.items() if v is not None]
    lines += [f"{k}: {v}" for k, v in extra or []]
    lines.append(f"Content-Type: {content_type}")
    if cte:
        lines.append(f"Content-Transfer-Encoding: {cte}")
        if cte == "base64":
            body = base64.encodebytes(body)
    head = "\r\n".join(lines).encode("utf-8") + b"\r\n\r\n"
    return head + body


def multipart(parts: list[bytes], *, subtype: str = "mixed", boundary: str = "b1",
              headers: dict[str, str] | None = None) -> bytes:
    """A multipart message; each part is its own header block + body, as bytes."""
    hdrs = {
        "From": "Marie Durand <marie.durand@cd93.fr>",
        "To": "accueil@ccas-exemple.fr",
        "Subject": "Pièces",
        "Date": "Tue, 4 Jun 2024 08:00:00 +0200",
        "MIME-Version": "1.0",
        "Content-Type": f'multipart/{subtype}; boundary="{boundary}"',
    }
    hdrs.update(headers or {})
    out = "\r\n".join(f"{k}: {v}" for k, v in hdrs.items()).encode() + b"\r\n\r\n"
    out += b"Ceci est un message MIME.\r\n"
    for part in parts:
        out += f"--{boundary}\r\n".encode() + part + b"\r\n"
    out += f"--{boundary}--\r\n".encode()
    return out


def part(body: bytes | str, ctype: str = "text/plain", *, charset: str | None = "utf-8",
         cte: str | None = None, disposition: str | None = None,
         extra: list[tuple[str, str]] | None = None) -> bytes:
    if isinstance(body, str):
        body = body.encode(charset or "utf-8")
    lines = [f"Content-Type: {ctype}" + (f"; charset={charset}" if charset else "")]
    if cte:
        lines.append(f"Content-Transfer-Encoding: {cte}")
        if cte == "base64":
            body = base64.encodebytes(body)
    if disposition:
        lines.append(f"Content-Disposition: {disposition}")
    lines += [f"{k}: {v}" for k, v in extra or []]
    return "\r\n".join(lines).encode() + b"\r\n\r\n" + body
