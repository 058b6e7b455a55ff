"""Uploads from the page: safe names, the upload area, per-file results, size limits."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qa.index import Index
from ui.uploads import (
    MAX_NAME_CHARS,
    FileResult,
    discard_incoming,
    incoming_area,
    index_uploads,
    results_html,
    safe_file_name,
    stats_html,
    store_upload,
    upload_area,
)

STORY = (
    "Quarry pond frozen\n\nThe quarry pond in Elmstead froze solid on Monday for the first time since 1987.\n"
)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("story.txt", "story.txt"),
        ("../../etc/cron.d/evil.txt", "evil.txt"),
        ("..\\..\\windows\\evil.md", "evil.md"),
        ("/abs/path/a.json", "a.json"),
        ("..／..／fullwidth.jsonl", "fullwidth.jsonl"),  # NFKC turns the fullwidth slash into "/"
        (".hidden.txt", "hidden.txt"),
        ("..", "upload"),
        ("", "upload"),
        ("..txt", "upload.txt"),
        ("a\x00b\n.txt", "ab.txt"),
        ("Story <b>x & co.TXT", "Story_b_x_co.txt"),
        ("Story <script>x</script>.txt", "script.txt"),
        ("Путин отказался.html", "Путин_отказался.html"),
        ("notes.exe", "notes.exe"),
        ("a...b.md", "a.b.md"),
    ],
)
def test_safe_file_name(name: str, expected: str) -> None:
    assert safe_file_name(name) == expected


def test_long_names_keep_their_suffix() -> None:
    name = safe_file_name("x" * 500 + ".jsonl")
    assert len(name) == MAX_NAME_CHARS and name.endswith(".jsonl")


@given(st.text(max_size=300))
def test_any_name_stays_in_its_folder(name: str) -> None:
    safe = safe_file_name(name)
    assert safe and "/" not in safe and "\\" not in safe and "\x00" not in safe
    assert not safe.startswith(".") and safe not in (".", "..")
    assert len(safe) <= MAX_NAME_CHARS


def test_store_upload_writes_only_into_the_area(tmp_path: Path) -> None:
    source = tmp_path / "incoming.bin"
    source.write_text("first")
    area = tmp_path / "index" / "uploads"
    stored = store_upload(source, "../../../escape.txt", area)
    assert stored == (area / "escape.txt").resolve() and stored.read_text() == "first"
    source.write_text("second")
    assert store_upload(source, "escape.txt", area).read_text() == "second"
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == ["escape.txt", "incoming.bin"]


def test_discard_incoming_deletes_only_gradios_copies(tmp_path: Path) -> None:
    incoming = incoming_area(tmp_path)
    copy = incoming / "abc123" / "story.txt"
    copy.parent.mkdir(parents=True)
    copy.write_text("x")
    outside = tmp_path / "story.txt"
    outside.write_text("keep")
    discard_incoming(copy, incoming)
    discard_incoming(outside, incoming)
    assert not copy.exists() and not copy.parent.exists() and incoming.exists()
    assert outside.read_text() == "keep"


def _write(folder: Path, name: str, content: str | bytes) -> tuple[Path, str]:
    path = folder / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    return path, name


def test_index_uploads_reports_each_file(index_copy: Path, tmp_path: Path) -> None:
    temp = tmp_path / "gradio"
    temp.mkdir()
    records = [
        {
            "title": "Ferry strike ends",
            "text": "The ferry strike in Portmoor ended on Tuesday after nine days.",
        },
        "not an object",
    ]
    jsonl = "\n".join(json.dumps(r) for r in records)
    files = [
        _write(temp, "pond.txt", STORY),
        _write(temp, "wire.jsonl", jsonl),
        _write(temp, "empty.md", "   \n"),
        _write(temp, "scan.pdf", b"%PDF-1.4"),
        _write(temp, "big.txt", "word " * 300_000),  # about 1.4 MB
    ]
    progress: list[tuple[int, int | None]] = []
    with Index.open(index_copy) as index:
        before = index.info()["articles"]
        results = index_uploads(
            index, files, max_upload_mb=1.0, progress=lambda d, t: progress.append((d, t))
        )
        assert index.info()["articles"] == before + 2
    by_name = {r.name: r for r in results}
    assert [r.name for r in results] == ["pond.txt", "wire.jsonl", "empty.md", "scan.pdf", "big.txt"]
    assert by_name["pond.txt"].status == "added" and len(by_name["pond.txt"].added) == 1
    wire = by_name["wire.jsonl"]
    assert wire.status == "added" and len(wire.added) == 1
    assert wire.skipped == ["2: expected a JSON object, got str"]
    assert by_name["empty.md"].status == "skipped" and by_name["empty.md"].skipped == ["the file is empty"]
    assert "unsupported file type '.pdf'" in by_name["scan.pdf"].skipped[0]
    assert "over the 1 MB upload limit" in by_name["big.txt"].skipped[0]
    assert progress and progress[-1][0] > 0  # chunks embedded; the total is unknown while streaming
    stored = sorted(p.name for p in upload_area(index_copy).iterdir())
    assert stored == ["empty.md", "pond.txt", "wire.jsonl"]

    _write(temp, "pond.txt", STORY)
    changed = _write(
        temp, "wire.jsonl", json.dumps({"title": "Ferry strike ends", "text": "It ended on Wednesday."})
    )
    with Index.open(index_copy) as index:
        again = index_uploads(index, [(temp / "pond.txt", "pond.txt"), changed], max_upload_mb=1.0)
    assert [r.status for r in again] == ["unchanged", "updated"]


def test_results_and_stats_are_escaped() -> None:
    result = FileResult("<img src=x onerror=alert(1)>.txt", skipped=["bad <b>file</b>"])
    html = results_html([result])
    assert "<img" not in html and "&lt;img src=x onerror=alert(1)&gt;.txt" in html
    assert "bad &lt;b&gt;file&lt;/b&gt;" in html and 'class="qa-upload-skipped"' in html
    stats = stats_html({"articles": 2, "chunks": 5, "model": "<script>x</script>", "size_bytes": 2**20})
    assert (
        "<b>2</b> articles" in stats and "&lt;script&gt;x&lt;/script&gt;" in stats and "<script>" not in stats
    )
    one = stats_html({"articles": 1, "chunks": 1, "model": "m", "size_bytes": 0})
    assert "<b>1</b> article ·" in one and "<b>1</b> passage ·" in one


def test_two_uploads_with_the_same_safe_name_are_both_kept(tmp_path: Path) -> None:
    from ui.uploads import store_upload

    area = tmp_path / "uploads"
    first, second = tmp_path / "a", tmp_path / "b"
    first.write_text("First story\nOne thing happened.")
    second.write_text("Second story\nAnother thing happened.")
    kept = store_upload(first, "x y.txt", area, set())
    other = store_upload(second, "x_y.txt", area, {kept})
    assert kept != other and kept.parent == other.parent == area.resolve()
    assert kept.read_text().startswith("First") and other.read_text().startswith("Second")
