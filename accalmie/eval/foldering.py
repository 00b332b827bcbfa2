"""Foldering evaluation: can the learner predict the folder a user files each message into?

The protocol is the incremental time split of Bekkerman, McCallum and Huang (2004), "Automatic
categorization of email into folders: benchmark experiments on Enron and SRI corpora":

1. take one user's messages and sort them by ``Date`` (messages without a date first, then by
   archive member name, so the order is deterministic);
2. drop the non-topical folders (:data:`NON_TOPICAL`: inbox, sent mail, deleted items...) and
   then every folder with fewer than :data:`MIN_FOLDER_SIZE` messages;
3. remove the ``X-Folder`` header (and the other headers that leak the folder, see
   :data:`LEAKING_HEADERS`) from the raw bytes before parsing;
4. for k = 1, 2, ...: train on the first 100·k messages, test on the next 100 (the last test
   block holds what is left, if fewer);
5. a user's accuracy is the mean of the blocks' accuracies; the overall figure is the mean over
   users.

Archives are read member by member from ``<archives>/<user>.tar.gz`` and never extracted. The
index CSV maps each member to its user and folder (columns ``tar_member,user,folder,...``).
"""

from __future__ import annotations

import csv
import json
import math
import tarfile
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Protocol

from accalmie.mail.model import Message
from accalmie.mail.parse import parse_message

NON_TOPICAL = frozenset({
    "all_documents", "calendar", "contacts", "deleted_items", "discussion_threads", "inbox",
    "notes_inbox", "sent", "sent_items", "_sent_mail",
})
MIN_FOLDER_SIZE = 3
BLOCK = 100
# Headers removed before parsing. Of the Enron export's X- headers:
# - X-Folder names the folder: it is the answer itself.
# - X-FileName names the .nsf/.pst file the message was exported from; the files were made at
#   different dates from different sets of folders, so the name carries a trace of the folder
#   (for farmer-d, the file alone lifts a majority guess from 33 % to 37 %).
# - X-Origin is the mailbox owner, constant per user: useless, and removed for symmetry.
# X-From/X-To/X-cc/X-bcc are kept: they are the display names of From/To/Cc/Bcc as the user's
# mail client showed them, known before the message is filed, so they leak nothing.
LEAKING_HEADERS = ("x-folder", "x-filename", "x-origin")
MAX_MEMBER_BYTES = 32 << 20  # a single message larger than this is skipped, not read

Progress = Callable[[int, int], None]


class FolderingError(ValueError):
    """The index or the archives cannot be used; the message says why."""


class Learner(Protocol):
    def learn(self, msg: Message, label: str) -> None: ...
    def predict(self, msg: Message) -> object | None: ...


@dataclass
class FolderingResult:
    """Mean accuracy per user and over users; the per-block detail stays available."""

    users: dict[str, float]
    mean: float
    n_test: dict[str, int] = field(default_factory=dict)  # test predictions per user
    blocks: dict[str, list[tuple[int, int, int]]] = field(default_factory=dict)
    # (messages trained on, messages tested, correct) for each block
    skipped: dict[str, str] = field(default_factory=dict)  # user -> why it has no score
    method: str = ""

    def to_dict(self) -> dict[str, object]:
        return {"users": dict(self.users), "mean": self.mean}

    def to_json(self) -> str:
        """One JSON object: ``{"users": {"<user>": accuracy, ...}, "mean": accuracy}``."""
        return json.dumps(self.to_dict(), sort_keys=False)


@dataclass(frozen=True, slots=True)
class Item:
    """One filed message of the evaluation."""

    member: str
    folder: str
    msg: Message


# -- reading ---------------------------------------------------------------------------------

def read_index(index_csv: Path) -> dict[str, dict[str, str]]:
    """user -> {tar member -> folder}, from the index CSV."""
    path = Path(index_csv)
    try:
        with path.open(newline="", encoding="utf-8") as fh:
            reader = csv.DictReader(fh)
            missing = {"tar_member", "user", "folder"} - set(reader.fieldnames or ())
            if missing:
                raise FolderingError(
                    f"{path}: the index lacks the column(s) {', '.join(sorted(missing))}")
            out: dict[str, dict[str, str]] = {}
            for row in reader:
                member, user, folder = row["tar_member"], row["user"], row["folder"]
                if member and user and folder:
                    out.setdefault(user.strip(), {})[member.strip()] = folder.strip()
    except OSError as exc:
        raise FolderingError(f"cannot read the index {path}: {exc.strerror or exc}") from None
    except (csv.Error, UnicodeDecodeError) as exc:
        raise FolderingError(f"{path} is not a readable CSV index: {exc}") from None
    return out


def is_topical(folder: str) -> bool:
    """False for the folders that say where a message is, not what it is about."""
    name = folder.strip("/").lower()
    return name not in NON_TOPICAL and name.rpartition("/")[2] not in NON_TOPICAL


def select(members: dict[str, str]) -> dict[str, str]:
    """Members kept by the protocol: topical folders holding at least MIN_FOLDER_SIZE."""
    topical = {m: f for m, f in members.items() if is_topical(f)}
    sizes = Counter(topical.values())
    return {m: f for m, f in topical.items() if sizes[f] >= MIN_FOLDER_SIZE}


def strip_headers(raw: bytes, names: Sequence[str] = LEAKING_HEADERS) -> bytes:
    """Remove the named header fields (with their continuation lines) from a raw message."""
    ends = [(i, sep) for sep in (b"\n\n", b"\r\n\r\n") if (i := raw.find(sep)) != -1]
    if ends:
        i, sep = min(ends)
        cut = i + len(sep) // 2  # keep the end of line of the last header
        head, rest = raw[:cut], raw[cut:]
    else:
        head, rest = raw, b""
    drop = tuple(n.lower().encode("ascii") + b":" for n in names)
    out: list[bytes] = []
    skipping = False
    for line in head.splitlines(keepends=True):
        if line[:1] in (b" ", b"\t"):
            if not skipping:
                out.append(line)
            continue
        skipping = line.lower().replace(b" :", b":").startswith(drop)
        if not skipping:
            out.append(line)
    return b"".join(out) + rest


def _sort_key(item: Item) -> tuple[float, str]:
    date: datetime | None = item.msg.date
    try:
        stamp = date.timestamp() if date is not None else -math.inf
    except (OverflowError, OSError, ValueError):
        stamp = -math.inf
    return (stamp, item.member)


def load_user(archives: Path, user: str, members: dict[str, str],
              progress: Callable[[], None] | None = None) -> list[Item]:
    """The user's kept messages, parsed (leaking headers removed), sorted by date."""
    path = Path(archives) / f"{user}.tar.gz"
    if not path.is_file():
        raise FolderingError(f"no archive for {user}: {path} is missing")
    wanted = select(members)
    items: list[Item] = []
    try:
        with tarfile.open(path, "r:gz") as tar:
            for info in tar:
                folder = wanted.get(info.name)
                if folder is None or not info.isfile() or info.size > MAX_MEMBER_BYTES:
                    continue
                fh = tar.extractfile(info)
                if fh is None:
                    continue
                raw = strip_headers(fh.read())
                items.append(Item(info.name, folder, parse_message(raw)))
                if progress is not None:
                    progress()
    except (OSError, tarfile.TarError, EOFError) as exc:
        raise FolderingError(f"cannot read {path}: {exc}") from None
    # Folder sizes are checked again on what was really read (members may be missing).
    sizes = Counter(it.folder for it in items)
    items = [it for it in items if sizes[it.folder] >= MIN_FOLDER_SIZE]
    items.sort(key=_sort_key)
    return items


def splits(n: int, block: int = BLOCK) -> list[tuple[int, int]]:
    """(train_end, test_end) for k = 1, 2, ...: train on [0, train_end), test up to test_end."""
    return [(k, min(k + block, n)) for k in range(block, n, block)]


# -- scoring ---------------------------------------------------------------------------------

def _label(prediction: object | None) -> str | None:
    return None if prediction is None else getattr(prediction, "label", None)


def run_learner(items: Sequence[Item], learner: Learner, *, online: bool = True,
                block: int = BLOCK, step: Callable[[], None] | None = None
                ) -> list[tuple[int, int, int]]:
    """Run the protocol with an online learner; returns (trained, tested, correct) per block.

    Bekkerman et al. train on the first 100·k messages and test on the next 100. An online
    learner meets the rule that matters — it never sees a message's folder before predicting
    it — by predicting each message and only then learning it (the "prequential" order). That
    is how it runs in the product, where a message the user files is learned at once, and it
    is the default here (``online=True``). It is not the batch protocol to the letter: message
    j of a test block is predicted after the j-1 earlier messages of that block were learned,
    which a batch model refitted every 100 messages has not seen. With ``online=False`` the
    learner is frozen during each test block and learns the block afterwards: the batch
    protocol exactly. The benchmark reports both.
    """
    result: list[tuple[int, int, int]] = []
    for item in items[:block]:
        learner.learn(item.msg, item.folder)
        if step is not None:
            step()
    for train_end, test_end in splits(len(items), block):
        correct = 0
        test = items[train_end:test_end]
        for item in test:
            if _label(learner.predict(item.msg)) == item.folder:
                correct += 1
            if online:
                learner.learn(item.msg, item.folder)
            if step is not None:
                step()
        if not online:
            for item in test:
                learner.learn(item.msg, item.folder)
        result.append((train_end, len(test), correct))
    return result


def block_mean(blocks: Sequence[tuple[int, int, int]]) -> float:
    """Mean over blocks of each block's accuracy (every block weighs alike)."""
    accs = [c / t for _, t, c in blocks if t]
    return sum(accs) / len(accs) if accs else float("nan")


def _users(index: dict[str, dict[str, str]], users: Sequence[str] | None) -> list[str]:
    if not users:
        return sorted(index)
    unknown = [u for u in users if u not in index]
    if unknown:
        raise FolderingError(f"user(s) not in the index: {', '.join(unknown)}")
    return list(dict.fromkeys(users))


def evaluate_with(index_csv: Path, archives: Path, users: Sequence[str] | None,
                  score_user: Callable[[list[Item], Callable[[], None]],
                                       list[tuple[int, int, int]]],
                  progress: Progress | None = None, method: str = "") -> FolderingResult:
    """Shared driver: load each user, score it with ``score_user``, average.

    Progress counts units of work: each kept message is read once, then evaluated once."""
    index = read_index(index_csv)
    chosen = _users(index, users)
    expected = {u: len(select(index[u])) for u in chosen}
    total = 2 * sum(expected.values())
    done = 0

    def tick() -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, total)

    result = FolderingResult({}, float("nan"), method=method)
    for user in chosen:
        start = done
        items = load_user(archives, user, index[user], tick)
        if len(items) <= BLOCK:
            result.skipped[user] = (f"{len(items)} messages kept: a test block needs more than "
                                    f"{BLOCK}")
        else:
            blocks = score_user(items, tick)
            result.blocks[user] = blocks
            result.users[user] = block_mean(blocks)
            result.n_test[user] = sum(t for _, t, _ in blocks)
        done = start + 2 * expected[user]  # members missing from the archive still count
        if progress is not None:
            progress(done, total)
    if not result.users:
        why = "; ".join(f"{u}: {r}" for u, r in result.skipped.items())
        raise FolderingError(f"no user could be evaluated ({why})")
    result.mean = sum(result.users.values()) / len(result.users)
    return result


def evaluate_foldering(index_csv: Path, archives: Path, users: list[str] | None = None,
                       progress: Progress | None = None, *, online: bool = False,
                       learner_factory: Callable[[], Learner] | None = None
                       ) -> FolderingResult:
    """Run the protocol with Accalmie's online learner on each user (all users by default).

    ``progress(done, total)`` is called as work advances. ``online`` chooses predict-then-learn
    (how the product runs) instead of the protocol's frozen blocks (the default); see
    :func:`run_learner`. Raises
    :class:`FolderingError` (a ValueError) when the index or an archive cannot be used.
    """
    if learner_factory is None:
        from accalmie.triage.learner import MEMORY_WEIGHT, OnlineLearner

        def learner_factory() -> Learner:
            # Every filed message is learned: the recent-memory vote is meant for this stream.
            return OnlineLearner(memory=MEMORY_WEIGHT)
    factory = learner_factory

    def score(items: list[Item], step: Callable[[], None]) -> list[tuple[int, int, int]]:
        return run_learner(items, factory(), online=online, step=step)

    method = "online learner, " + ("predict then learn" if online else "frozen per block")
    return evaluate_with(index_csv, archives, users, score, progress, method)
