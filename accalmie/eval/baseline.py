"""The reference point for foldering: a linear SVM on bag-of-words, refitted for every split.

This is the classic baseline of Bekkerman et al. (2004): a linear SVM on the words of From,
To, Cc, Subject and body. Here it is scikit-learn's ``LinearSVC`` (C = 1) on a sublinear tf·idf
bag of words; sender and recipients are turned into single tokens so that an address stays one
feature. It is refitted from scratch on the first 100·k messages for each test block, exactly
as the protocol says, so it never benefits from learning inside a block.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from pathlib import Path

from accalmie.eval.foldering import (
    BLOCK,
    FolderingResult,
    Item,
    Progress,
    evaluate_with,
    splits,
)
from accalmie.mail.model import Address, Message


def _address_token(kind: str, addr: Address) -> str:
    return kind + "_" + "".join(c if c.isalnum() else "_" for c in addr.email)


def document(msg: Message) -> str:
    """From/To/Cc as address tokens, then Subject and body, as one text."""
    people = []
    if msg.from_ is not None:
        people.append(_address_token("from", msg.from_))
    people += [_address_token("to", a) for a in msg.to]
    people += [_address_token("cc", a) for a in msg.cc]
    return "\n".join((" ".join(people), msg.subject, msg.text))


def run_svm(items: Sequence[Item], *, block: int = BLOCK,
            step: Callable[[], None] | None = None) -> list[tuple[int, int, int]]:
    """(trained, tested, correct) per block, refitting the SVM on all earlier messages."""
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.svm import LinearSVC

    docs = [document(it.msg) for it in items]
    labels = [it.folder for it in items]
    if step is not None:
        for _ in range(min(block, len(items))):
            step()
    result: list[tuple[int, int, int]] = []
    for train_end, test_end in splits(len(items), block):
        vectorizer = TfidfVectorizer(sublinear_tf=True)
        x_train = vectorizer.fit_transform(docs[:train_end])
        train_labels = labels[:train_end]
        if len(set(train_labels)) < 2:
            predicted = [train_labels[0]] * (test_end - train_end)
        else:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ConvergenceWarning)
                model = LinearSVC(C=1.0).fit(x_train, train_labels)
            predicted = list(model.predict(vectorizer.transform(docs[train_end:test_end])))
        correct = sum(p == t for p, t in zip(predicted, labels[train_end:test_end], strict=True))
        result.append((train_end, test_end - train_end, int(correct)))
        if step is not None:
            for _ in range(test_end - train_end):
                step()
    return result


def evaluate_baseline(index_csv: Path, archives: Path, users: list[str] | None = None,
                      progress: Progress | None = None) -> FolderingResult:
    """The same protocol and splits as :func:`~accalmie.eval.foldering.evaluate_foldering`,
    scored by the refitted linear SVM."""
    return evaluate_with(index_csv, archives, users,
                         lambda items, step: run_svm(items, step=step), progress,
                         "linear SVM (tf-idf), refitted per block")
