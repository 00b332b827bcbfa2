"""Measure the hostility detector on labelled text: macro-F1, precision and recall.

Also the readers of the French corpora in ``../shared/corpora`` with the label mapping chosen
for each (documented in accalmie/data/models/hostility.md):

* MLMA (MIT): hostile = any ``sentiment`` other than the single label ``normal``, as its
  authors binarise it (mixed labels such as ``abusive_normal`` count as hostile).
* CyberAgressionAdo-Large (CC BY-NC, evaluation only): hostile = ``OAG`` (overtly aggressive),
  not hostile = ``NAG``; ``CAG`` (covertly aggressive: irony, insinuation) is reported apart,
  because the product warns about overt hostility, and counted both ways in the benchmark.
* French hate speech superset (research, evaluation only): ``labels`` 1/0 as given, per
  ``dataset``; the MLMA rows are left out when testing a model trained on MLMA.
"""

from __future__ import annotations

import csv
import io
import re
import time
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from xml.etree import ElementTree as ET

from accalmie.config import ConfigError
from accalmie.i18n import _

_DELIMITERS = ",;\t|"


@dataclass(frozen=True, slots=True)
class Scores:
    macro_f1: float
    precision: float  # of the hostile class
    recall: float
    n: int
    n_positive: int
    tp: int
    fp: int
    fn: int
    tn: int
    msgs_per_s: float = 0.0

    def to_dict(self) -> dict[str, float | int]:
        return asdict(self)


def scores(truth: list[bool], predicted: list[bool], seconds: float = 0.0) -> Scores:
    tp = sum(t and p for t, p in zip(truth, predicted, strict=True))
    fp = sum(p and not t for t, p in zip(truth, predicted, strict=True))
    fn = sum(t and not p for t, p in zip(truth, predicted, strict=True))
    tn = len(truth) - tp - fp - fn

    def f1(a: int, b: int, c: int) -> float:  # tp, fp, fn of one class
        return 2 * a / (2 * a + b + c) if a else 0.0

    macro = (f1(tp, fp, fn) + f1(tn, fn, fp)) / 2
    return Scores(round(macro, 4), round(tp / (tp + fp), 4) if tp + fp else 0.0,
                  round(tp / (tp + fn), 4) if tp + fn else 0.0, len(truth), tp + fn,
                  tp, fp, fn, tn, round(len(truth) / seconds, 1) if seconds > 0 else 0.0)


def predict(texts: Iterable[str], lang: str = "fr", model: object = True,
            progress: Callable[[int, int | None], None] | None = None) -> list[bool]:
    from accalmie.guard.hostility import assess_hostility

    out: list[bool] = []
    items = list(texts)
    for i, text in enumerate(items):
        out.append(assess_hostility(text, lang, model=model).hostile)  # type: ignore[arg-type]
        if progress and i % 200 == 0:
            progress(i, len(items))
    if progress:
        progress(len(items), len(items))
    return out


def evaluate(texts: list[str], truth: list[bool], lang: str = "fr", model: object = True,
             progress: Callable[[int, int | None], None] | None = None) -> Scores:
    started = time.perf_counter()
    predicted = predict(texts, lang, model, progress)
    return scores(truth, predicted, time.perf_counter() - started)


# --- labelled files ---------------------------------------------------------------------------

def read_table(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    """Rows of a CSV/TSV file; the delimiter is sniffed, invalid UTF-8 bytes are replaced."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError(_("Cannot read {path}: {error}").format(path=path, error=exc)) from None
    text = raw.decode("utf-8-sig", errors="replace").replace("\x00", "")
    sample = text[:65536]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, _DELIMITERS)
    except csv.Error:
        first = sample.split("\n", 1)[0]
        delim = max(_DELIMITERS, key=first.count)
        dialect = csv.excel_tab if delim == "\t" else csv.excel
        if delim not in ",\t":
            class _D(csv.excel):
                delimiter = delim
            dialect = _D
    csv.field_size_limit(1 << 24)
    reader = csv.DictReader(io.StringIO(text, newline=""), dialect=dialect)
    try:
        rows = list(reader)
    except csv.Error as exc:
        raise ConfigError(_("{path} is not a readable CSV file: {error}").format(
            path=path, error=exc)) from None
    return [c for c in (reader.fieldnames or []) if c is not None], rows


def labelled_texts(path: Path, text_col: str, label_col: str, positive: Iterable[str]
                   ) -> tuple[list[str], list[bool]]:
    """Texts and hostile/not labels of a file; a label is hostile when it is in ``positive``."""
    columns, rows = read_table(path)
    for col in (text_col, label_col):
        if col not in columns:
            raise ConfigError(_("Column {col!r} not found in {path}; columns: {cols}").format(
                col=col, path=path, cols=", ".join(columns) or "-"))
    wanted = {p.strip().lower() for p in positive if p.strip()}
    if not wanted:
        raise ConfigError(_("Give at least one --positive label value."))
    texts: list[str] = []
    truth: list[bool] = []
    for row in rows:
        text = row.get(text_col)
        if text is None or not text.strip():
            continue
        texts.append(text)
        truth.append((row.get(label_col) or "").strip().lower() in wanted)
    return texts, truth


# --- the shared corpora -----------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Item:
    text: str
    label: str  # the corpus's own label
    hostile: bool | None  # None: left out of the binary evaluation (CyberAgression CAG)
    group: str  # superset dataset, CyberAgression scenario file


_SOCIAL = re.compile(r"(?i)(?:\brt\s+)?@(?:user|url)\b|\bLINK\b|\bURL\b")


def clean_social(text: str) -> str:
    """Drop the corpora's anonymisation tokens (@user, @url, LINK): no mail contains them."""
    return " ".join(_SOCIAL.sub(" ", text).split())


def mlma(corpora: Path) -> list[Item]:
    path = corpora / "mlma_hate_speech_fr" / "fr_dataset.csv"
    _, rows = read_table(path)
    return [Item(clean_social(r["tweet"]), r["sentiment"], r["sentiment"] != "normal", "MLMA")
            for r in rows if (r.get("tweet") or "").strip()]


def superset(corpora: Path) -> list[Item]:
    path = corpora / "french_hate_speech_superset" / "fr_hf_without_ftr.csv"
    _, rows = read_table(path)
    return [Item(clean_social(r["text"]), r["labels"], r["labels"].strip() == "1", r["dataset"])
            for r in rows if (r.get("text") or "").strip()]


def cyberagression(corpora: Path) -> list[Item]:
    folder = corpora / "cyberagression_large_fr" / "majority_vote"
    items: list[Item] = []
    for path in sorted(folder.glob("*.xlsx")):
        rows = xlsx_rows(path)
        if not rows:
            continue
        header = rows[0]
        for row in rows[1:]:
            rec = dict(zip(header, row, strict=False))
            text = (rec.get("TEXT") or "").strip()
            hate = (rec.get("HATE") or "").strip().upper()
            if not text or hate not in ("OAG", "CAG", "NAG"):
                continue
            items.append(Item(text, hate, {"OAG": True, "NAG": False}.get(hate),
                              path.name.split(" (")[0]))
    return items


_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def _column(ref: str) -> int:
    n = 0
    for ch in re.match(r"[A-Z]*", ref).group():  # type: ignore[union-attr]
        n = n * 26 + ord(ch) - 64
    return n - 1


def xlsx_rows(path: Path) -> list[list[str]]:
    """Cells of the first sheet of an .xlsx file as text (stdlib only: zip + XML)."""
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        shared: list[str] = []
        if "xl/sharedStrings.xml" in names:
            for si in ET.fromstring(z.read("xl/sharedStrings.xml")).iter(f"{_NS}si"):
                shared.append("".join(t.text or "" for t in si.iter(f"{_NS}t")))
        sheets = sorted(n for n in names if n.startswith("xl/worksheets/sheet"))
        if not sheets:
            return []
        root = ET.fromstring(z.read(sheets[0]))
    out: list[list[str]] = []
    for row in root.iter(f"{_NS}row"):
        cells: dict[int, str] = {}
        for c in row.iter(f"{_NS}c"):
            kind, v = c.get("t"), c.find(f"{_NS}v")
            if kind == "s" and v is not None and v.text:
                value = shared[int(v.text)]
            elif kind == "inlineStr":
                value = "".join(t.text or "" for t in c.iter(f"{_NS}t"))
            else:
                value = v.text or "" if v is not None else ""
            cells[_column(c.get("r") or "A")] = value
        if cells:
            out.append([cells.get(i, "") for i in range(max(cells) + 1)])
    return out


def binary(items: Iterable[Item]) -> Iterator[tuple[str, bool]]:
    for it in items:
        if it.hostile is not None:
            yield it.text, it.hostile
