"""Evidence packs from a Maildir triaged into a real store (SQLite and PostgreSQL): originals
byte for byte, manifests, timeline, verification, and every way a pack must refuse."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from accalmie.config import ConfigError
from accalmie.guard.evidence import EvidenceError, build_pack, select_rows, verify_pack
from accalmie.guard.evidence.collect import OriginalFetcher
from accalmie.guard.evidence.service import create_pack
from accalmie.store import Store
from tests.guard.test_evidence_helpers import Triaged, members, rewrite_zip, triage_demo


@pytest.fixture
def triaged(store: Store, tmp_path: Path) -> Triaged:
    return triage_demo(store, tmp_path)


def _chosen(t: Triaged) -> list[str]:
    picks = t.of_kind("aggressive")[:2] + t.of_kind("complaint")[:1] + t.of_kind("newsletter")[:1]
    assert len(picks) == 4
    return [m.message_id for m in picks]


def _pack(t: Triaged, refs: list[str], out: Path, **kw: object):  # type: ignore[no-untyped-def]
    return create_pack(t.store, t.config, t.account, refs, t.options(out, **kw),
                       sources=[t.maildir])


def test_pack_holds_the_originals_byte_for_byte_and_verifies(triaged: Triaged,
                                                             tmp_path: Path) -> None:
    refs = _chosen(triaged)
    # One by stored number, one without <>, the others as written in the header.
    refs[1] = str(triaged.row(refs[1]).id)
    refs[2] = refs[2].strip("<>")
    out = tmp_path / "pack.zip"
    result = _pack(triaged, refs, out)
    assert out.is_file() and len(result.entries) == 4
    assert result.sha256 == hashlib.sha256(out.read_bytes()).hexdigest()
    files = members(out)
    originals = {n: d for n, d in files.items() if n.startswith("originals/")}
    assert len(originals) == 4
    wanted = {triaged.message(m).raw for m in _chosen(triaged)}
    assert set(originals.values()) == wanted
    for name in originals:
        assert name.endswith(".eml") and name.isascii() and "/" not in name[len("originals/"):]
    # Same bytes as the files on disk, and as the hashes recorded when they were first read.
    for mid in _chosen(triaged):
        assert triaged.path_of(mid).read_bytes() == triaged.message(mid).raw
    assert set(files) == {*originals, "timeline.html", "timeline.pdf", "manifest.json",
                          "README.txt", "SHA256SUMS"}

    # SHA256SUMS in sha256sum's own format, covering every other file.
    sums = dict(reversed(line.split("  ", 1)) for line in files["SHA256SUMS"].decode()
                .splitlines())
    assert set(sums) == set(files) - {"SHA256SUMS"}
    for name, digest in sums.items():
        assert hashlib.sha256(files[name]).hexdigest() == digest

    doc = json.loads(files["manifest.json"])
    assert doc["format"] == "accalmie-evidence-pack" and doc["pseudonymised"] is False
    assert doc["time_zone"] == "Europe/Paris"
    dates = [m["date"] for m in doc["messages"]]
    assert dates == sorted(dates), "the timeline is in date order"
    for item in doc["messages"]:
        raw = files[item["file"]]
        assert item["sha256"] == hashlib.sha256(raw).hexdigest() == triaged.row(
            item["message_id"]).raw_sha256
        assert item["sender"]["address"] and item["subject"] is not None
        assert item["category"]["lane"] in ("priority", "info", "bulk", "suspect")
        assert item["date_local"].endswith(("+01:00", "+02:00"))
        assert item["excerpt"]
    aggressive = [m for m in doc["messages"] if "aggressive" in m["category"]["flags"]]
    assert len(aggressive) >= 2
    assert all(m["category"]["hostility"] in (None, "incivility", "insult", "threat", "hate")
               for m in doc["messages"])

    html = files["timeline.html"].decode()
    for item in doc["messages"]:
        assert item["sha256"] in html and item["date_text"] in html
    assert files["timeline.pdf"].startswith(b"%PDF-")
    assert "sha256sum -c SHA256SUMS" in files["README.txt"].decode()

    report = verify_pack(out)
    assert report.ok, (report.problems, [c for c in report.checks if not c.ok])
    assert report.originals == 4 and len(report.checks) == 8


@pytest.mark.skipif(shutil.which("sha256sum") is None, reason="coreutils sha256sum missing")
def test_sha256sum_checks_the_unzipped_pack(triaged: Triaged, tmp_path: Path) -> None:
    out = _pack(triaged, _chosen(triaged)[:2], tmp_path / "p.zip").path
    folder = tmp_path / "unzipped"
    with zipfile.ZipFile(out) as archive:
        archive.extractall(folder)
    done = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=folder, capture_output=True,
                          text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count(": OK") == 6
    (folder / "originals" / sorted(os.listdir(folder / "originals"))[0]).write_bytes(b"forged")
    tampered = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=folder,
                              capture_output=True, text=True, check=False)
    assert tampered.returncode == 1 and "FAILED" in tampered.stdout


def test_every_kind_of_tampering_fails_verification(triaged: Triaged, tmp_path: Path) -> None:
    out = _pack(triaged, _chosen(triaged)[:2], tmp_path / "p.zip").path
    first = sorted(n for n in members(out) if n.startswith("originals/"))[0]

    def flip(name: str, data: bytes) -> bytes:
        return data.replace(b"e", b"E", 1) if name == first else data

    cases = {
        "changed original": rewrite_zip(out, tmp_path / "a.zip", flip),
        "original removed": rewrite_zip(out, tmp_path / "b.zip",
                                        lambda n, d: None if n == first else d),
        "file added": rewrite_zip(out, tmp_path / "c.zip",
                                  extra={"originals/99_extra.eml": b"From: x\r\n\r\nhi"}),
        "manifest changed": rewrite_zip(out, tmp_path / "d.zip", lambda n, d: d.replace(
            b'"pseudonymised": false', b'"pseudonymised": true') if n == "manifest.json" else d),
        "sums missing": rewrite_zip(out, tmp_path / "e.zip",
                                    lambda n, d: None if n == "SHA256SUMS" else d),
        "unsafe name": rewrite_zip(out, tmp_path / "f.zip", extra={"../evil.eml": b"x"}),
    }
    # A forger who recomputes the changed original's line in SHA256SUMS is still caught by
    # manifest.json, whose own fingerprint is listed there.
    forged = rewrite_zip(out, tmp_path / "g.zip", flip)
    data = members(forged)[first]
    sums = members(out)["SHA256SUMS"].decode().replace(
        hashlib.sha256(members(out)[first]).hexdigest(), hashlib.sha256(data).hexdigest())
    cases["sums recomputed"] = rewrite_zip(
        forged, tmp_path / "h.zip", lambda n, d: sums.encode() if n == "SHA256SUMS" else d)
    cases["listed twice"] = rewrite_zip(out, tmp_path / "i.zip", lambda n, d: (
        f"{'0' * 64}  {first}\n".encode() + d) if n == "SHA256SUMS" else d)
    for what, path in cases.items():
        report = verify_pack(path)
        assert not report.ok, what
        text = " ".join([*report.problems, *(f"{c.name} {c.problem}" for c in report.checks
                                              if not c.ok)])
        assert text, what
    assert verify_pack(out).ok


def test_verify_survives_what_is_not_a_pack(tmp_path: Path, monkeypatch) -> None:
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"PK\x03\x04 this is not a zip at all" * 10)
    report = verify_pack(junk)
    assert not report.ok and report.problems
    with pytest.raises(ConfigError):
        verify_pack(tmp_path / "missing.zip")
    # A bomb-like entry: hashing stops at the bound with a clear failure.
    import accalmie.guard.evidence.verify as verify_module

    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("originals/01_a.eml", b"\0" * (8 << 20))
        archive.writestr("SHA256SUMS", f"{'0' * 64}  originals/01_a.eml\n")
    monkeypatch.setattr(verify_module, "MAX_TOTAL", 1 << 20)
    report = verify_pack(bomb)
    assert not report.ok
    assert any("large" in c.problem or "volumineux" in c.problem for c in report.checks)


def test_a_changed_file_is_refused_and_nothing_is_written(triaged: Triaged,
                                                          tmp_path: Path) -> None:
    refs = _chosen(triaged)
    victim = triaged.path_of(refs[0])
    victim.write_bytes(victim.read_bytes().replace(b"Subject:", b"Subject: [modifie]", 1))
    out = tmp_path / "out" / "p.zip"
    out.parent.mkdir()
    with pytest.raises(EvidenceError) as caught:
        _pack(triaged, refs, out, lang="en")
    assert len(caught.value.problems) == 1
    problem = caught.value.problems[0]
    assert refs[0] in problem and str(victim) in problem and "SHA-256" in problem
    assert os.listdir(out.parent) == [], "no pack and no temporary file left"


def test_gone_moved_and_unlocated_files(triaged: Triaged, tmp_path: Path) -> None:
    refs = _chosen(triaged)[:2]
    # A mail client read the message: Maildir moves it to cur/ and adds flags to its name.
    path = triaged.path_of(refs[0])
    base = path.name.split(":", 1)[0]
    moved = path.parent.parent / "cur" / f"{base}:2,RS"
    path.rename(moved)
    result = _pack(triaged, refs, tmp_path / "moved.zip")
    assert str(moved) in {e.location for e in result.entries}
    assert verify_pack(result.path).ok
    # Gone for good.
    moved.unlink()
    with pytest.raises(EvidenceError) as caught:
        _pack(triaged, refs, tmp_path / "gone.zip")
    assert refs[0] in caught.value.problems[0]
    assert not (tmp_path / "gone.zip").exists()
    # Triage recorded where the files are: no source needs to be given.
    chosen = select_rows(triaged.store, triaged.account, refs[1:])
    with OriginalFetcher(triaged.config, triaged.account) as fetcher:
        assert len(fetcher.fetch_all(chosen)) == 1


def test_unknown_and_invalid_references(triaged: Triaged) -> None:
    good = _chosen(triaged)[0]
    with pytest.raises(ConfigError) as caught:
        select_rows(triaged.store, triaged.account, [good, "<nobody@nowhere>", "999999"])
    assert "<nobody@nowhere>" in str(caught.value) and "999999" in str(caught.value)
    for bad in ([], [""], ["a\nb"], ["x" * 2000]):
        with pytest.raises(ConfigError):
            select_rows(triaged.store, triaged.account, bad)
    other = triaged.account.__class__(name="someone-else")
    with pytest.raises(ConfigError):
        select_rows(triaged.store, other, [good])
    # Duplicates are packed once.
    rows = select_rows(triaged.store, triaged.account, [good, good, good.strip("<>")])
    assert len(rows) == 2  # two spellings, one message: the fetcher keeps one original


def test_refuses_to_overwrite_and_writes_atomically(triaged: Triaged, tmp_path: Path) -> None:
    refs = _chosen(triaged)[:1]
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "p.zip"
    out.write_bytes(b"precious")
    with pytest.raises(ConfigError, match="--force"):
        _pack(triaged, refs, out)
    assert out.read_bytes() == b"precious"
    result = _pack(triaged, refs, out, force=True)
    assert verify_pack(result.path).ok
    assert os.listdir(folder) == ["p.zip"], "no temporary file left"
    assert oct(out.stat().st_mode & 0o777) == "0o600"
    with pytest.raises(ConfigError):
        _pack(triaged, refs, tmp_path / "no-such-folder" / "p.zip")
    with pytest.raises(ConfigError):
        _pack(triaged, refs, folder)
    # A dangling link is a name taken too: never written through.
    link = folder / "link.zip"
    link.symlink_to(tmp_path / "elsewhere.zip")
    with pytest.raises(ConfigError):
        _pack(triaged, refs, link)
    assert not (tmp_path / "elsewhere.zip").exists()


def test_timeline_dates_follow_the_time_zone(triaged: Triaged, tmp_path: Path) -> None:
    from zoneinfo import ZoneInfo

    ref = _chosen(triaged)[0]
    paris = _pack(triaged, [ref], tmp_path / "paris.zip")
    tokyo = _pack(triaged, [ref], tmp_path / "tokyo.zip", tz=ZoneInfo("Asia/Tokyo"),
                  tz_name="Asia/Tokyo", lang="fr")
    a = json.loads(members(paris.path)["manifest.json"])["messages"][0]
    b = json.loads(members(tokyo.path)["manifest.json"])["messages"][0]
    assert a["date"] == b["date"] and b["date_local"].endswith("+09:00")
    assert "(UTC+09:00)" in b["date_text"] and a["date_text"] != b["date_text"]
    assert "PAQUET DE PREUVES" in members(tokyo.path)["README.txt"].decode()
    assert "EVIDENCE PACK" in members(paris.path)["README.txt"].decode()


def test_build_pack_needs_no_store_once_originals_are_read(triaged: Triaged,
                                                           tmp_path: Path) -> None:
    chosen = select_rows(triaged.store, triaged.account, _chosen(triaged)[:2])
    with OriginalFetcher(triaged.config, triaged.account, [triaged.maildir]) as fetcher:
        originals = fetcher.fetch_all(chosen)
    result = build_pack(originals, triaged.options(tmp_path / "x.zip"))
    assert [e.number for e in result.entries] == [1, 2]
    assert verify_pack(result.path).ok
