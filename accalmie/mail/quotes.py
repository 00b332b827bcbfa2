"""What the sender wrote *now*: the text without quoted replies, forwards and signatures.

Requests, questions and hostility must be judged on the new text only: the quoted history of
a thread repeats old requests, and signatures and legal footers add noise. The rules cover the
clients French and English correspondents use (Outlook and Outlook on the web, Gmail,
Thunderbird, Apple Mail, mobile clients) in French and English, plus a few other languages'
attribution lines, and run line by line in linear time (no backtracking regular expression is
ever applied to more than one short line).
"""

from __future__ import annotations

import re

_LINE_CAP = 400  # attribution and header lines are short; longer lines are body text

# "-----Message d'origine-----", "---------- Forwarded message ---------", "Begin forwarded…"
_SEPARATOR = re.compile(
    r"^[\s>*_]*(?:-{2,}|_{2,}|={2,})?\s*(?:original message|message d['’]origine|"
    r"message original|forwarded message|message transf[ée]r[ée]|mensaje original|"
    r"urspr[üu]ngliche nachricht|messaggio originale|oorspronkelijk bericht|"
    r"weitergeleitete nachricht|messaggio inoltrato|mensagem original)\s*(?:-{2,}|_{2,}|={2,})?"
    r"\s*:?\s*$"
    r"|^[\s>*]*(?:begin forwarded message|d[ée]but du message r[ée]exp[ée]di[ée]|"
    r"message transf[ée]r[ée]|forwarded message|inizio messaggio inoltrato|"
    r"anfang der weitergeleiteten nachricht)\s*:\s*$"
    # Lotus Notes: "---------------------- Forwarded by Jean Dupont/DSI on 01/10/2001 …"
    r"|^[\s>]*-{3,}\s*(?:forwarded by|transf[ée]r[ée] par|weitergeleitet von)\s",
    re.IGNORECASE,
)
# Lotus Notes replies put the header block under a name and a date: "To: …" then "cc: …"
# or "Subject: …" ("A : …", "Objet : …" in French).
_TO_FIRST = re.compile(r"^[\s>*]*(?:to|[àa]|an|para|pour)\s*\**\s*:", re.IGNORECASE)
_TO_NEXT = re.compile(r"^[\s>*]*(?:cc|cci|bcc|subject|objet|sujet|betreff|asunto)\s*\**\s*:",
                      re.IGNORECASE)
_DATE_TIME = re.compile(r"\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}\D{0,20}\d{1,2}[:h]\d{2}")
# An Outlook-style block of header lines: "De : …", "Envoyé : …", "À : …", "Objet : …".
_HEADER_FIRST = re.compile(
    r"^[\s>*]*(?:de|from|von|da|van|exp[ée]diteur)\s*\**\s*:\s*\**\s*\S", re.IGNORECASE)
_HEADER_NEXT = re.compile(
    r"^[\s>*]*(?:envoy[ée](?: le| par)?|sent|date|[àa]|to|objet|subject|cc|cci|bcc|gesendet|"
    r"an|betreff|inviato|oggetto|enviado|para|asunto|verzonden|aan|onderwerp|"
    r"importance|priorit[ée])\s*\**\s*:",
    re.IGNORECASE,
)
# The same block flattened onto one line by an HTML conversion.
_HEADER_INLINE = re.compile(
    r"(?:^|\s)\**(?:de|from)\s*\**\s*:.{1,300}?\s\**(?:envoy[ée]|sent|date)\s*\**\s*:"
    r".{1,300}?\s\**(?:[àa]|to|objet|subject)\s*\**\s*:",
    re.IGNORECASE,
)
# "Le lun. 3 juin 2024 à 10:12, Jean <j@x.fr> a écrit :", "On Mon, … wrote:", "X a écrit :".
_ATTRIBUTION = re.compile(
    r"(?:a\s+[ée]crit|wrote|schrieb|escribi[óo]|ha\s+scritto|scrisse|escreveu|schreef|"
    r"napisa[łl]\(?a?\)?)\s*:\s*$",
    re.IGNORECASE,
)
_ATTRIBUTION_START = re.compile(
    r"^[\s>]*(?:le|on|am|el|il|em|op|w|dnia)\s", re.IGNORECASE)
_UNDERSCORES = re.compile(r"^[\s>]*(?:_{10,}|-{10,}|={10,})\s*$")

# Sent-from lines of mobile clients, and the start of confidentiality footers.
_SENT_FROM = re.compile(
    r"^[\s>]*(?:envoy[ée] (?:de|depuis) (?:mon|ma|un|une|l['’])|sent from my|sent from "
    r"(?:outlook|mail|yahoo)|get outlook for|t[ée]l[ée]charger outlook|obtenir outlook|"
    r"envoy[ée] (?:avec|via|à partir de)|sent (?:with|via) |von meinem .* gesendet)",
    re.IGNORECASE,
)
_DISCLAIMER = re.compile(
    r"^[\s>*]*(?:ce (?:message|courriel|mail|e-mail|courrier [ée]lectronique)"
    r"(?: [ée]lectronique)?(?: et (?:toutes |ses |les )?(?:les |ses )?pi[èe]ces? jointes?)?"
    r" (?:est|sont|peu[tv]ent|contien)|"
    r"(?:avertissement|disclaimer|confidentialit[ée])\s*:|"
    r"this (?:e-?mail|message|communication)(?: and any (?:files|attachments))?"
    r"(?: transmitted with it)? (?:is|are|may|contains?)\b.{0,40}"
    r"(?:confidential|privileged|intended)|"
    r"(?:pensez|merci de penser) [àa] l['’]environnement|"
    r"please consider the environment|"
    r"the information (?:contained )?in this (?:e-?mail|message))",
    re.IGNORECASE,
)

# Sign-offs. Strong ones end the new text wherever they appear after some content; weak ones
# ("Merci,", "Thanks,") only when what follows is a short name-and-title block.
_STRONG_CLOSING = re.compile(
    r"^(?:(?:bien |tr[eè]s |tr[eè]s bien |bien sinc[eè]rement et )?cordialement|"
    r"(?:tr[eè]s |bien )?cordialement v[ôo]tre|cdlt|cdt|crdlt|slts|"
    r"bien [àa] (?:vous|toi)|b[àa]v|"
    r"(?:sinc[eè]res |meilleures |bien |mes )?salutations(?: distingu[ée]es| cordiales)?|"
    r"(?:bien |tr[eè]s )?amicalement|amiti[ée]s|respectueusement|"
    r"bien sinc[eè]rement|sinc[eè]rement|"
    r"(?:with )?(?:best|kind|warm|warmest|kindest|many)\s+(?:regards|wishes)|regards|"
    r"(?:yours )?(?:sincerely|truly|faithfully|respectfully)(?: yours)?|"
    r"all the best|cheers)"
    r"\s*[,.!]*\s*$",
    re.IGNORECASE,
)
_WEAK_CLOSING = re.compile(
    r"^(?:merci(?: beaucoup| bien| encore)?|merci d['’]avance|merci par avance|"
    r"avec mes remerciements|en vous remerciant|(?:thanks|thank you)(?: again| in advance)?|"
    r"many thanks|thx|[àa] bient[ôo]t|bonne (?:journ[ée]e|soir[ée]e|fin de journ[ée]e|"
    r"semaine)|belle journ[ée]e|see you|talk soon|best)\s*[,.!]*\s*$",
    re.IGNORECASE,
)
_MAX_SIGNATURE_LINES = 8
# What mailing-list software appends under a rule of dashes or underscores.
_LIST_FOOTER = re.compile(
    r"mailing list|liste de diffusion|listinfo|unsubscribe|d[ée]sabonne|d[ée]sinscri|"
    r"sponsored by|this (?:e-?mail|message) was sent|pour ne plus recevoir", re.IGNORECASE)


def _is_quote(line: str) -> bool:
    return line.lstrip(" \t").startswith(">")


def _attribution_end(lines: list[str], i: int) -> int:
    """Last line of an "… a écrit :" / "… wrote:" attribution starting at ``i`` (it may be
    wrapped over up to three lines), or -1."""
    line = lines[i].strip()
    if not line or len(line) > _LINE_CAP:
        return -1
    if line.endswith(":") and _ATTRIBUTION.search(line):
        return i
    if _ATTRIBUTION_START.match(line):
        joined = line
        for j in range(i + 1, min(i + 3, len(lines))):
            nxt = lines[j].strip()
            if not nxt or len(joined) > _LINE_CAP:
                break
            joined = f"{joined} {nxt}"
            if joined.endswith(":") and _ATTRIBUTION.search(joined):
                return j
    return -1


def _is_header_block(lines: list[str], i: int) -> bool:
    line = lines[i]
    if len(line) > 2000:
        return False
    if _HEADER_FIRST.match(line[:_LINE_CAP]):
        seen = 0
        for j in range(i + 1, min(i + 7, len(lines))):
            nxt = lines[j][:_LINE_CAP]
            if not nxt.strip():
                continue
            if _HEADER_NEXT.match(nxt):
                seen += 1
                if seen >= 2 or j == i + 1:
                    return True
    return ":" in line and _HEADER_INLINE.search(line[:1200]) is not None


def _history_at(lines: list[str], i: int) -> int:
    """-1 when line ``i`` starts no quoted history; else the last line of an attribution that
    may be followed by quoted lines (bottom or inline posting), or ``len(lines)`` when the rest
    of the text is history (a separator or a block of header lines)."""
    stripped = lines[i].strip()
    if not stripped:
        return -1
    # Every marker has a colon, starts with a rule character, or opens an attribution; most
    # body lines have none of these, and are dismissed without a regular expression.
    if ":" not in stripped and stripped[0] not in "-_=*>" and not _ATTRIBUTION_START.match(
            stripped):
        return -1
    rest = len(lines)
    short = len(stripped) <= _LINE_CAP
    if short and _SEPARATOR.match(stripped):
        return rest
    if short and _UNDERSCORES.match(stripped):
        # Outlook's "________________________________" before a header block, or a mailing
        # list's footer
        for j in range(i + 1, min(i + 4, len(lines))):
            if lines[j].strip():
                if _is_header_block(lines, j) or _LIST_FOOTER.search(lines[j][:_LINE_CAP]):
                    return rest
                break
        return -1
    end = _attribution_end(lines, i)
    if end >= 0:
        return end
    return rest if ":" in stripped and _is_header_block(lines, i) else -1


# First words of the lines _SENT_FROM and _DISCLAIMER recognise (a cheap pre-check).
_SIGNATURE_WORDS = frozenset({
    "envoyé", "envoye", "sent", "get", "télécharger", "telecharger", "obtenir", "von", "ce",
    "avertissement", "disclaimer", "confidentialité", "confidentialite", "this", "pensez",
    "merci", "please", "the", "avertissement:", "disclaimer:", "confidentialité:",
    "confidentialite:"})


def _is_notes_block(lines: list[str], i: int) -> bool:
    line = lines[i]
    if ":" not in line or len(line) > _LINE_CAP or not _TO_FIRST.match(line):
        return False
    seen = 0
    for j in range(i + 1, min(i + 8, len(lines))):
        nxt = lines[j]
        if not nxt.strip():
            continue
        if _TO_NEXT.match(nxt[:_LINE_CAP]):
            return True
        seen += 1
        if seen > 3:  # continuation lines of a long recipient list, then cc:/Subject:
            break
    return False


def _notes_block_start(lines: list[str], i: int) -> int:
    """Back up over the "Name" and "01/10/2001 10:58 AM" lines above a Notes header block."""
    start = i
    looked = 0
    for j in range(i - 1, max(-1, i - 6), -1):
        text = lines[j].strip()
        if not text:
            continue
        looked += 1
        if looked > 3 or len(text) > 120:
            break
        if _DATE_TIME.search(text) or (looked > 1 and start == j + 1 and len(text) <= 60):
            start = j
        elif looked == 1:
            break
    return start


def _is_signature_start(line: str) -> bool:
    stripped = line.strip()
    if stripped == "--" or stripped.startswith("-----BEGIN PGP SIGNATURE"):
        return True
    if not stripped or len(stripped) > _LINE_CAP:
        return False
    first = stripped.lstrip(">* ").split(None, 1)
    if not first or first[0].lower() not in _SIGNATURE_WORDS:
        return False
    return bool(_SENT_FROM.match(stripped) or _DISCLAIMER.match(stripped))


def strip_quotes(text: str) -> str:
    """The new text of a message body: no quoted history, no signature, no legal footer.

    Quoted lines ("> …") are dropped wherever they are, so the answers of an inline or
    bottom-posted reply survive; an attribution line followed by quoted lines is dropped with
    them; an attribution not followed by quoted lines (HTML replies, whose quotes have no "> "),
    a separator, a block of header lines or a signature ends the new text.
    """
    if not text:
        return ""
    lines = text.split("\n")
    kept: list[str] = []
    i = 0
    n = len(lines)
    while i < n:
        line = lines[i]
        if _is_quote(line):
            i += 1
            continue
        at = _history_at(lines, i)
        if at >= n:
            break
        if at >= 0:
            nxt = at + 1
            while nxt < n and not lines[nxt].strip():
                nxt += 1
            if nxt < n and _is_quote(lines[nxt]):
                i = nxt  # the attribution of quoted lines: both dropped, the answers kept
                continue
            break
        if _is_signature_start(line):
            break
        if _is_notes_block(lines, i):
            kept = kept[: max(0, len(kept) - (i - _notes_block_start(lines, i)))]
            break
        if line.startswith("-----BEGIN PGP SIGNED MESSAGE"):
            i += 1
            while i < n and lines[i].strip() and ":" in lines[i]:
                i += 1  # the "Hash: SHA1" armor headers
            continue
        kept.append(line)
        i += 1
    return _tidy(_cut_after_closing(kept))


def _cut_after_closing(lines: list[str]) -> list[str]:
    """Keep the sign-off line itself, drop the name/title/phone block after it."""
    content_seen = False
    for i, line in enumerate(lines):
        stripped = line.strip().strip("*_").strip()
        if not stripped:
            continue
        if len(stripped) <= 60:
            if _STRONG_CLOSING.match(stripped):
                if content_seen:
                    return lines[: i + 1]
            elif (content_seen and len(lines) - i <= 5 * _MAX_SIGNATURE_LINES
                  and _WEAK_CLOSING.match(stripped)):
                rest = [r for r in lines[i + 1:] if r.strip()]
                if len(rest) <= _MAX_SIGNATURE_LINES and all(len(r.strip()) <= 80 for r in rest):
                    return lines[: i + 1]
        content_seen = True
    return lines


def _tidy(lines: list[str]) -> str:
    out: list[str] = []
    blank = False
    for line in lines:
        line = line.rstrip()
        if not line:
            blank = bool(out)
            continue
        if blank:
            out.append("")
            blank = False
        out.append(line)
    return "\n".join(out)
