"""A killed `qa index --rebuild` resumes from what it committed (issue 18, item 7): the rerun
embeds only the chunks the killed run had not committed, and builds what an uninterrupted
rebuild builds. A large article is committed in bounded steps that readers never see half of."""

from __future__ import annotations

import json
import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from qa.config import Settings
from qa.index import Index, rebuild_index

WORDS = ["river", "council", "bridge", "harbour", "election", "budget", "storm", "vaccine", "market"]


def sentences(seed: int, count: int) -> str:
    rng = random.Random(seed)
    return " ".join(
        f"Report {seed} line {i}: the {rng.choice(WORDS)} and the {rng.choice(WORDS)} met {rng.randint(1, 999)} times."
        for i in range(count)
    )


def write_collection(folder: Path, records: int = 60) -> None:
    """Three one-article files (read first: names sort before the feed) and a feed."""
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(3):
        (folder / f"a-note-{n}.txt").write_text(f"Note {n}\n\n{sentences(100 + n, 30)}")
    with (folder / "feed.jsonl").open("w") as out:
        for n in range(records):
            out.write(
                json.dumps({"id": f"art-{n:03d}", "title": f"Story {n}", "text": sentences(n, 30)}) + "\n"
            )


def run_qa(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "qa", *args], env={**os.environ, **env}, capture_output=True, text=True
    )


def embedded(output: str) -> int:
    found = re.search(r"(\d+) chunks embedded", output)
    assert found, output
    return int(found.group(1))


def stored(folder: Path) -> dict[str, tuple[str, int]]:
    """article id -> (content hash, chunks), read from the docstore without opening an Index."""
    with sqlite3.connect(f"file:{folder / 'docstore.sqlite'}?mode=ro", uri=True) as con:
        rows = con.execute(
            "SELECT a.id, a.content_hash, count(c.rowid) FROM articles a "
            "LEFT JOIN chunks c ON c.article_id = a.id GROUP BY a.id"
        ).fetchall()
    return {article_id: (content_hash, int(chunks)) for article_id, content_hash, chunks in rows}


def staged(folder: Path) -> dict[str, tuple[str, int]]:
    with sqlite3.connect(f"file:{folder / 'docstore.sqlite'}?mode=ro", uri=True) as con:
        rows = con.execute(
            "SELECT article_id, content_hash, count(*) FROM staged_chunks GROUP BY article_id, content_hash"
        ).fetchall()
    return {article_id: (content_hash, int(chunks)) for article_id, content_hash, chunks in rows}


def still_to_embed(final: dict[str, tuple[str, int]], kept: dict[str, tuple[str, int]]) -> int:
    """Chunks of the final articles not kept, with the same content, by the killed run."""
    return sum(
        chunks for article_id, (digest, chunks) in final.items() if kept.get(article_id, ("", 0))[0] != digest
    )


def assert_same_index(folder: Path, reference: Path) -> None:
    with Index.open(folder, create=False) as index, Index.open(reference, create=False) as other:
        assert index.consistency_problems() == []
        assert {a.id: a.content_hash for a in index.articles()} == {
            a.id: a.content_hash for a in other.articles()
        }
        assert index.counts() == other.counts()
        assert index.store.docstore.staged_count() == 0
        ids = sorted(index.store.docstore.chunk_rowids().tolist())
        chunk_ids = [c.chunk.id for c in index.load_chunks(ids).values()]
        other_ids = [
            c.chunk.id for c in other.load_chunks(other.store.docstore.chunk_rowids().tolist()).values()
        ]
        assert sorted(chunk_ids) == sorted(other_ids)
        hit = index.search("river council harbour", k=1)[0]
        assert hit.chunk.text == hit.article.text[hit.chunk.start : hit.chunk.end]


@pytest.mark.slow
def test_a_killed_rebuild_resumes_and_builds_what_an_uninterrupted_one_builds(tmp_path: Path) -> None:
    articles = tmp_path / "articles"
    write_collection(articles)
    index_dir = tmp_path / "index"
    fresh = tmp_path / "index.rebuild"
    env = {"QA_COMMIT_CHUNKS": "8", "QA_FAILPOINT": ""}
    first = run_qa("index", str(articles / "feed.jsonl"), "--index-dir", str(index_dir), "-q", env=env)
    assert first.returncode == 0, first.stderr

    # killed (by its own failpoint: the moment is exact) after its second commit
    killed = run_qa(
        "index", str(articles), "--rebuild", "--index-dir", str(index_dir), "-q",
        env={**env, "QA_FAILPOINT": "after-commit:2"},
    )  # fmt: skip
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    kept = stored(fresh)
    assert kept and "note-0" in " ".join(kept), kept  # the notes were in the first commit
    with Index.open(index_dir, create=False) as live:  # the old index is untouched meanwhile
        assert live.counts()["articles"] == 60

    # between the runs one committed file goes, another changes: the rerun must not keep them
    gone = articles / "a-note-0.txt"
    gone.unlink()
    (articles / "a-note-1.txt").write_text(f"Note 1 revised\n\n{sentences(555, 30)}")

    rerun = run_qa("index", str(articles), "--rebuild", "--index-dir", str(index_dir), "-q", env=env)
    assert rerun.returncode == 0, rerun.stderr
    assert "resuming the interrupted rebuild" in rerun.stderr, rerun.stderr
    assert "dropped 1 article" in rerun.stderr, rerun.stderr
    assert not fresh.exists()

    reference = tmp_path / "reference"
    whole = run_qa("index", str(articles), "--rebuild", "--index-dir", str(reference), "-q", env=env)
    assert whole.returncode == 0, whole.stderr
    final = stored(reference)
    assert embedded(whole.stdout) == sum(chunks for _, chunks in final.values())
    # the rerun embedded exactly what the killed run had not committed (or what changed)
    assert embedded(rerun.stdout) == still_to_embed(final, kept)
    assert embedded(rerun.stdout) < embedded(whole.stdout) // 2
    assert_same_index(index_dir, reference)


def big_article(path: Path) -> None:
    paragraphs = [sentences(1000 + p, 8) for p in range(14)]
    path.write_text("A very long report\n\n" + "\n\n".join(paragraphs))


@pytest.mark.slow
def test_a_large_article_is_committed_in_steps_no_reader_sees_half_and_a_rerun_resumes(
    tmp_path: Path,
) -> None:
    articles = tmp_path / "articles"
    articles.mkdir()
    big_article(articles / "big.txt")
    (articles / "small.jsonl").write_text(
        "".join(
            json.dumps({"id": f"s{n}", "title": f"Small {n}", "text": sentences(n, 2)}) + "\n"
            for n in range(3)
        )
    )
    index_dir = tmp_path / "index"
    # 8 chunks embedded at a time and per transaction: the big article (over 8) is staged
    env = {"QA_COMMIT_CHUNKS": "8", "QA_EMBED_CHUNKS": "8", "QA_CHUNK_WORDS": "40", "QA_FAILPOINT": ""}
    killed = run_qa(
        "index",
        str(articles),
        "--index-dir",
        str(index_dir),
        "-q",
        env={**env, "QA_FAILPOINT": "after-commit:3"},
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    ((article_id, (_, parts)),) = staged(index_dir).items()
    assert parts == 24  # three bounded steps of 8 chunks, nothing more held or written at once
    with Index.open(index_dir, create=False) as reader:  # a reader sees none of it
        assert reader.counts() == {"articles": 0, "chunks": 0}
        assert reader.consistency_problems() == []
        assert reader.search("river council", k=3) == []

    rerun = run_qa("index", str(articles), "--index-dir", str(index_dir), "-q", env=env)
    assert rerun.returncode == 0, rerun.stderr
    reference = tmp_path / "reference"
    whole = run_qa("index", str(articles), "--index-dir", str(reference), "-q", env=env)
    assert whole.returncode == 0, whole.stderr
    total = embedded(whole.stdout)
    big_chunks = stored(reference)[article_id][1]
    assert big_chunks > 3 * 8
    assert embedded(rerun.stdout) == total - parts  # the staged chunks were not embedded again
    assert "4 added" in rerun.stdout
    assert_same_index(index_dir, reference)
    with Index.open(index_dir, create=False) as index, Index.open(reference, create=False) as other:
        ours = {
            c.chunk.id: c.sentence_vectors
            for c in index.load_chunks(index.store.docstore.chunk_rowids().tolist()).values()
        }
        theirs = {
            c.chunk.id: c.sentence_vectors
            for c in other.load_chunks(other.store.docstore.chunk_rowids().tolist()).values()
        }
        for chunk_id, vectors in ours.items():
            assert np.allclose(vectors, theirs[chunk_id], atol=0.02), chunk_id


def test_a_rebuild_left_with_other_settings_or_damaged_is_started_over(
    tmp_path: Path, data_dir: Path
) -> None:
    index_dir = tmp_path / "index"
    fresh = tmp_path / "index.rebuild"
    source = data_dir / "council-budget.md"
    with Index.open(fresh, replace(Settings.from_env(), chunk_words=60)) as other:
        other.add([source])
    report = rebuild_index(index_dir, [source])
    assert any("started the rebuild over" in n and "chunked otherwise" in n for n in report.notes), (
        report.notes
    )
    assert report.added and report.chunks > 0
    assert report.lines()[0].startswith("started the rebuild over")

    fresh.mkdir()
    (fresh / "docstore.sqlite").write_bytes(b"not a database at all" * 100)
    report = rebuild_index(index_dir, [source])
    assert any("cannot be opened" in n for n in report.notes), report.notes
    with Index.open(index_dir, create=False) as index:
        assert index.consistency_problems() == [] and index.counts()["articles"] == 1
