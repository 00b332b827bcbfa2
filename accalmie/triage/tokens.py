"""Turn a message into the named tokens the per-user learner counts.

Tokens are grouped in three *fields* — who (people, lists, envelope), subject, body — because
the learner normalises each field separately: a message has a handful of envelope tokens and
hundreds of body words, and without this the sender would drown in the text. That one choice
is what lets a single correction about a sender change the next prediction for that sender.

Each token carries a kind prefix (``f:`` sender, ``fd:`` sender's domain, ``r:`` recipient,
``n:`` a word of a display name, ``l:`` list, ``h:`` envelope trait, ``th:`` conversation,
``s:`` subject word, ``w:`` body word). The prefix is how a learned weight is turned back into
a reason in plain words (see :mod:`accalmie.triage.learner`).

Deliberately left out: headers that an archive or a mail client adds *after* filing
(``X-Folder``, ``X-FileName``, ``X-Origin``, ``X-Keywords``, IMAP flags) — they would tell the
learner the answer rather than teach it — and ``Date`` (time is handled by the order of
learning, not as a feature).
"""

from __future__ import annotations

import re
from collections import Counter

from accalmie.mail.model import Message

WHO, SUBJECT, BODY = "who", "subject", "body"
FIELDS = (WHO, SUBJECT, BODY)
Tokens = dict[str, Counter[str]]

# Letters first, then letters, digits, apostrophes and hyphens: drops numbers (dates, amounts,
# phone numbers) that never repeat usefully, keeps accented French words whole.
_WORD = re.compile(r"[^\W\d_][\w'’-]*[^\W_]", re.U)
_SUBJECT_PREFIX = re.compile(
    r"^\s*(?:(?:re|ré|rép|réf|fw|fwd|tr|aw|wg|sv|rv|antw)\s*(?:\[\d+\])?\s*:\s*)+", re.I)
_SPACES = re.compile(r"\s+")
# Function words of English and French: frequent everywhere, they carry no topic.
STOPWORDS = frozenset("""
the and for are was were been this that with from have has had not but you your our his her
they them their she him its will would can could should may might just any all one out who what
when where which there here than then also into over such only very more most some about after
before other these those being does did doing each few how why both same own too off again once
les des une pour par sur dans avec que qui est sont pas plus ses aux ces cette nous vous leur
leurs elle ils elles mais donc car comme tout tous toute toutes fait faire bien aussi sans
sous entre chez dont etre être avoir été était ont mes mon tes ton nos vos lui moi toi
""".split())
# Enough to capture the topic of a message; more words only cost time.
MAX_BODY_WORDS = 300


def words(text: str, limit: int | None = None) -> list[str]:
    """Lowercased content words (3 to 29 characters, no stopwords), at most ``limit``."""
    out: list[str] = []
    if not text:
        return out
    for word in _WORD.findall(text.lower()):
        if 2 < len(word) < 30 and word not in STOPWORDS:
            out.append(word)
            if limit is not None and len(out) >= limit:
                break
    return out


def thread_key(subject: str) -> str:
    """The subject without reply/forward prefixes and extra spaces, lowercased."""
    return _SPACES.sub(" ", _SUBJECT_PREFIX.sub("", subject or "")).strip().lower()


def _display_names(msg: Message) -> list[str]:
    """Display names of sender and recipients.

    Some archives (Lotus Notes and Exchange exports such as Enron's) put bare addresses in
    From/To/Cc and the names the reader saw in ``X-From``/``X-To``/``X-cc``; those are the same
    information a mail client shows, so they are used as names, never as a filing hint.
    """
    names = [a.name for a in ((msg.from_,) if msg.from_ else ()) + msg.to + msg.cc if a.name]
    for key in ("x-from", "x-to", "x-cc"):
        value = msg.header(key)
        if value:
            names.append(value)
    return names


def tokenize(msg: Message, *, max_body_words: int = MAX_BODY_WORDS) -> Tokens:
    """The tokens of ``msg`` by field, with counts. Never raises on odd messages."""
    who: Counter[str] = Counter()
    subject: Counter[str] = Counter()
    body: Counter[str] = Counter()
    sender = msg.from_ or msg.sender
    if sender is not None and sender.email:
        who["f:" + sender.email] += 1
        if sender.domain:
            who["fd:" + sender.domain] += 1
    for addr in msg.to + msg.cc:
        if addr.email:
            who["r:" + addr.email] += 1
    for name in _display_names(msg):
        for word in words(name, 20):
            who["n:" + word] += 1
    if msg.list_id:
        who["l:" + msg.list_id] += 1
    if msg.precedence:
        who["h:precedence=" + msg.precedence] += 1
    if msg.auto_submitted and msg.auto_submitted != "no":
        who["h:auto"] += 1
    if msg.list_unsubscribe:
        who["h:unsubscribe"] += 1
    if msg.reply_to and sender is not None and msg.reply_to[0].email != sender.email:
        who["h:reply_to_other"] += 1
    for att in msg.attachments[:10]:
        ext = att.filename.rpartition(".")[2].lower() if "." in att.filename else ""
        if ext and ext.isalnum() and len(ext) <= 5:
            who["h:attach=" + ext] += 1

    key = thread_key(msg.subject)
    if key:
        subject["th:" + key[:200]] += 1
        for word in words(key, 30):
            subject["s:" + word] += 1

    # The whole text, quotes included: the quoted conversation is a strong hint of where a
    # reply belongs. The new text comes first, so it is never cut by the word limit.
    text = msg.text or msg.new_text
    if msg.new_text and not text.startswith(msg.new_text[:200]):
        text = msg.new_text + "\n" + text
    for word in words(text, max_body_words):
        body["w:" + word] += 1
    return {WHO: who, SUBJECT: subject, BODY: body}
