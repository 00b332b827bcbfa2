"""Signs in how the message is built rather than in what it says: characters made to deceive,
a body that is only a picture and a link, an impersonal greeting, the reader's own address used
as their name, an institution named in the text while every link leads elsewhere.
"""

from __future__ import annotations

import re

from accalmie.guard.phishing.institutions import Institution, text_claims
from accalmie.guard.phishing.links import LinkFacts
from accalmie.guard.phishing.lookalike import fancy_letters, mixed_script_word, obfuscated
from accalmie.guard.phishing.reasons import N_, reason
from accalmie.guard.phishing.text import TextView
from accalmie.mail.model import Message
from accalmie.triage.decision import Reason

# Bidirectional overrides and invisible characters: they reorder or hide what the reader sees.
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
_INVISIBLE = re.compile("[\u200b-\u200d\u2060\ufeff\u00ad\u034f\u180e]")
GREETINGS = ("dear customer", "dear client", "dear user", "dear member", "dear account",
             "dear valued", "dear sir/madam", "dear sir or madam", "dear beneficiary",
             "dear friend", "dear winner", "dear applicant", "dear paypal", "dear ebay",
             "dear email user", "dear e-mail user", "dear webmail", "dear card", "hello customer",
             "cher client", "chère cliente", "cher(e) client", "cher utilisateur",
             "cher allocataire", "cher assuré", "cher(e) assuré", "cher abonné",
             "cher(e) abonné", "madame, monsieur, votre", "sehr geehrter kunde",
             "sehr geehrte kundin", "lieber kunde", "liebe kundin", "prezado cliente",
             "caro cliente", "beste klant", "estimado cliente", "gentile cliente")


def content_signals(msg: Message, view: TextView, links: LinkFacts,
                    out: dict[str, Reason]) -> list[Institution]:
    """Add the construction reasons to ``out``; return the institutions the text names."""
    head = f"{msg.subject}\n{msg.from_.name if msg.from_ else ''}"
    if _BIDI.search(head) or _BIDI.search(view.low):
        out["bidi"] = reason(N_("The message contains characters that reverse the reading "
                                "direction, to disguise a name or an address"), "bidi_override",
                             0.45)
    if _INVISIBLE.search(msg.subject):
        out["invisible"] = reason(N_("The subject hides invisible characters between its "
                                     "letters, to dodge filters"), "invisible_characters", 0.35)
    if fancy_letters(msg.subject):
        out["fancy_subject"] = reason(N_("The subject is written in look-alike letters to "
                                         "dodge filters"), "fancy_letters", 0.4)
    trick = obfuscated(head)
    if trick:
        out["obfuscated"] = reason(
            N_("The sender's name or the subject is written to slip past filters (letters "
               "spaced out, hidden characters or marks over every letter)"),
            "obfuscated_text", 0.5)
    word = mixed_script_word(head)
    if word:
        out["mixed_word"] = reason(
            N_("\u201c{word}\u201d mixes alphabets (Latin with Cyrillic or Greek letters) to "
               "look like another word"), "mixed_script_word", 0.5, word=word[:40])
    start = view.low[len(msg.subject) + 1: len(msg.subject) + 400]
    for greeting in GREETINGS:
        if greeting in start:
            out["greeting"] = reason(
                N_("The message does not know your name: \u201c{greeting}\u201d"),
                "generic_greeting", 0.15, greeting=greeting)
            break
    me = msg.to[0] if len(msg.to) == 1 else None
    if me is not None and me.email and len(me.local) >= 3:
        subj = msg.subject.lower()
        if me.email in subj or (len(me.local) >= 5 and f"{me.local}," in subj):
            out["address_as_name"] = reason(
                N_("The subject addresses you by your e-mail address"), "address_in_subject",
                0.25)
    words = len(view.words) - len(msg.subject.split())
    if msg.has_html and links.n and words < 25 and (view.body_chars < 300):
        images = sum(1 for a in msg.attachments if a.content_type.startswith("image/"))
        template = (N_("Almost no text: a picture and a link") if images
                    else N_("Almost no text, just a link"))
        out["thin_body"] = reason(template, "image_only_body", 0.25)
    return text_claims(view.words[:120])
