"""`qa index` counts its work first and shows each stage as one bar with its total (issue 20,
item 7): the files to read, then the chunks to embed."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from qa.index import Index, Stages


def test_qa_index_shows_each_stage_with_its_total(tmp_path: Path, data_dir: Path) -> None:
    index_dir = tmp_path / "index"
    done = subprocess.run(
        [sys.executable, "-m", "qa", "index", str(data_dir), "--index-dir", str(index_dir)],
        env={**os.environ, "COLUMNS": "120"},
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    chunks = int(re.search(r"(\d+) chunks embedded", done.stdout).group(1))  # type: ignore[union-attr]
    files = len([p for p in data_dir.iterdir() if not p.name.startswith(".")])
    lines = [line for line in re.split(r"[\r\n]", done.stderr) if line.strip()]
    reading = [line for line in lines if line.startswith("reading:")]
    embedding = [line for line in lines if line.startswith("embedding:")]
    assert reading and all(f"/{files} " in line for line in reading), done.stderr
    assert embedding and all(f"/{chunks} " in line for line in embedding), done.stderr
    assert f"{files}/{files}" in reading[-1] and f"{chunks}/{chunks}" in embedding[-1]
    assert "100%" in embedding[-1]
    # one bar per stage: the reading is over before the embedding starts
    assert lines.index(reading[-1]) < lines.index(embedding[0])


def test_the_totals_are_known_before_the_work_starts(tmp_path: Path, data_dir: Path) -> None:
    seen: list[tuple[str, int, int | None]] = []
    stages = Stages(
        reading=lambda done, total: seen.append(("reading", done, total)),
        embedding=lambda done, total: seen.append(("embedding", done, total)),
    )
    with Index.open(tmp_path / "index") as index:
        report = index.add([data_dir], stages)
    files = len([p for p in data_dir.iterdir() if not p.name.startswith(".")])
    assert seen[0] == ("reading", 0, files)
    first = next(s for s in seen if s[0] == "embedding")
    assert first == ("embedding", 0, report.chunks)  # the total before a chunk is embedded
    assert seen[-1] == ("embedding", report.chunks, report.chunks)
    assert {total for stage, _, total in seen if stage == "reading"} == {files}
