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
_SPACE = re.compile(r"\s")
_CHUNK = 2048  # characters read at a time when a word limit applies
# ASCII characters that can never be inside a word (all but letters, digits, "_", "'" and "-"):
# turned into spaces in the UTF-8 bytes (bytes.translate is a table lookup, str.translate with
# accented text is slower than the regex), so that split finds the words.
_SEPARATORS = bytes.maketrans(b"!\"#$%&()*+,./:;<=>?@[\\]^`{|}~", b" " * 29)
# Pieces that are not all letters ("l'accueil", "rendez-vous", "3pm") go through the regular
# expression once; they recur, so what it found is remembered.
_PIECE_CACHE: dict[str, tuple[str, ...]] = {}
_PIECE_CACHE_MAX = 1 << 16
# Display-name strings recur (the same people write again): their words are remembered.
_NAME_CACHE: dict[str, tuple[str, ...]] = {}
_NAME_CACHE_MAX = 1 << 14
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
    """Lowercased content words (3 to 29 characters, no stopwords), at most ``limit``.

    With a limit, the text is read in chunks cut at white space (no word spans one, so the
    result is the same as one pass) and reading stops once the limit is reached: the regular
    expression costs about 20 ns a character, and long quoted threads are common."""
    if not text:
        return []
    if limit is None or len(text) <= _CHUNK:
        found = _WORD.findall(text.lower())
        out = [w for w in found if 2 < len(w) < 30 and w not in STOPWORDS]
    else:
        out = []
        start, end_of_text = 0, len(text)
        while start < end_of_text and len(out) < limit:
            end = start + _CHUNK
            if end < end_of_text:
                space = _SPACE.search(text, end)
                end = space.start() if space else end_of_text
            found = _WORD.findall(text[start:end].lower())
            out += [w for w in found if 2 < len(w) < 30 and w not in STOPWORDS]
            start = end
    if limit is not None and len(out) > limit:
        del out[limit:]
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
    who, subject, body = token_counts(msg, max_body_words=max_body_words)
    return {WHO: who, SUBJECT: subject, BODY: Counter({"w:" + w: n for w, n in body.items()})}


def token_counts(msg: Message, *, max_body_words: int = MAX_BODY_WORDS
                 ) -> tuple[Counter[str], Counter[str], Counter[str]]:
    """Who and subject tokens (prefixed), and the body's words *without* their ``w:`` prefix.

    The form the learner reads: hundreds of body words need no prefixed string each (the
    learner folds the prefix into the hash). :func:`tokenize` gives the uniform form."""
    who: Counter[str] = Counter()
    sender = msg.from_ or msg.sender
    if sender is not None and sender.email:
        who["f:" + sender.email] += 1
        if sender.domain:
            who["fd:" + sender.domain] += 1
    for addr in msg.to + msg.cc:
        if addr.email:
            who["r:" + addr.email] += 1
    for name in _display_names(msg):
        cached = _NAME_CACHE.get(name)
        if cached is None:
            if len(_NAME_CACHE) >= _NAME_CACHE_MAX:
                _NAME_CACHE.clear()
            cached = _NAME_CACHE[name] = tuple("n:" + w for w in words(name, 20))
        who.update(cached)
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

    subject: Counter[str] = Counter()
    key = thread_key(msg.subject)
    if key:
        subject["th:" + key[:200]] += 1
        subject.update(["s:" + word for word in words(key, 30)])

    # The whole text, quotes included: the quoted conversation is a strong hint of where a
    # reply belongs. The new text comes first, so it is never cut by the word limit.
    text = msg.text or msg.new_text
    if msg.new_text and not text.startswith(msg.new_text[:200]):
        text = msg.new_text + "\n" + text
    return who, subject, body_counts(text, max_body_words)


def body_counts(text: str, limit: int = MAX_BODY_WORDS) -> Counter[str]:
    """Content words of ``text`` with their counts, reading until about ``limit`` words.

    The same words as :func:`words`, found faster: separators become spaces (one C call), the
    text is split, counted, and only the distinct pieces are checked; the rare piece that is
    not all letters (digits, apostrophes, hyphens) goes through the regular expression. The text
    is read by chunks cut at white space and reading stops once ``limit`` words were counted, so
    the limit may be passed by the end of a chunk (chunks shrink as the limit nears)."""
    counts: Counter[str] = Counter()
    if not text or limit <= 0:
        return counts
    total, start, end_of_text = 0, 0, len(text)
    while start < end_of_text and total < limit:
        end = start + min(_CHUNK, 64 + 8 * (limit - total))
        if end < end_of_text:
            space = _SPACE.search(text, end)
            end = space.start() if space else end_of_text
        chunk = text[start:end].lower().encode("utf-8", "surrogatepass")
        pieces = Counter(chunk.translate(_SEPARATORS).decode("utf-8", "surrogatepass").split())
        start = end
        kept = {w: n for w, n in pieces.items()
                if w.isalpha() and 2 < len(w) < 30 and w not in STOPWORDS}
        odd = [w for w in pieces if not w.isalpha() and not w.isdecimal()]
        for piece in odd:
            found = _PIECE_CACHE.get(piece)
            if found is None:
                if len(_PIECE_CACHE) >= _PIECE_CACHE_MAX:
                    _PIECE_CACHE.clear()
                found = _PIECE_CACHE[piece] = tuple(
                    w for w in _WORD.findall(piece) if 2 < len(w) < 30 and w not in STOPWORDS)
            n = pieces[piece]
            for w in found:
                kept[w] = kept.get(w, 0) + n
        counts.update(kept)
        total += sum(kept.values())
    return counts
