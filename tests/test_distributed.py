"""Past one machine, on a real local Ray cluster: ingestion as a Ray Data job gives the index
the local path gives, resumes when killed, names bad files; Serve replicas answer as
`qa.answer()` does."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from qa.index import Index

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def cluster() -> Iterator[str]:
    """A local Ray cluster of 2 CPUs for the module; its address."""
    import ray

    os.environ["RAY_USAGE_STATS_ENABLED"] = "0"
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        yield ray.get_runtime_context().gcs_address
    finally:
        ray.shutdown()


def snapshot(index_dir: Path) -> tuple[dict[str, str], dict[str, tuple[int, int, np.ndarray, np.ndarray]]]:
    from qa.store.docstore_reads import decode_passage_vectors, decode_sentence_vectors

    with sqlite3.connect(index_dir / "docstore.sqlite") as db:
        meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
        articles = dict(db.execute("SELECT id, content_hash FROM articles").fetchall())
        chunks = {
            row[0]: (
                row[1],
                row[2],
                decode_passage_vectors(row[3], 1, meta["passage_vectors"])[0],
                decode_sentence_vectors(row[4], 384, meta["sentence_vectors"]),
            )
            for row in db.execute('SELECT id, start, "end", vector, sentence_vectors FROM chunks')
        }
    return articles, chunks


def assert_same_index(ours: Path, theirs: Path) -> None:
    articles, chunks = snapshot(ours)
    expected_articles, expected_chunks = snapshot(theirs)
    assert articles == expected_articles and set(chunks) == set(expected_chunks)
    for chunk_id, (start, end, vector, sentences) in chunks.items():
        other = expected_chunks[chunk_id]
        assert (start, end) == other[:2]
        assert float(vector @ other[2]) >= 0.9999
        a = sentences.astype(np.float32).reshape(-1, 384)
        b = other[3].astype(np.float32).reshape(-1, 384)
        cosines = np.sum(a * b, axis=1) / np.linalg.norm(a, axis=1) / np.linalg.norm(b, axis=1)
        assert (
            float(cosines.min()) >= 0.99
        )  # 2-bit codes: a component at its vector's median may code either way


SOURCES = [ROOT / "seeds", ROOT / "tests" / "data", ROOT / "eval" / "articles"]


def test_the_distributed_index_is_the_local_one(cluster: str, tmp_path: Path) -> None:
    from qa.distributed import add_with_ray

    with Index.open(tmp_path / "local") as index:
        local = index.add(SOURCES)
    with Index.open(tmp_path / "ray") as index:
        remote = add_with_ray(index, SOURCES, cluster, actors=1)
        assert index.consistency_problems() == []
    assert sorted(remote.added) == sorted(local.added) and remote.chunks == local.chunks
    assert_same_index(tmp_path / "ray", tmp_path / "local")
    with Index.open(tmp_path / "ray") as index:  # a rerun embeds nothing
        again = add_with_ray(index, SOURCES, cluster, actors=1)
    assert again.chunks == 0 and sorted(again.unchanged) == sorted(local.added)


def test_bad_files_are_named_as_in_the_local_path(cluster: str, tmp_path: Path, data_dir: Path) -> None:
    from qa.distributed import add_with_ray

    drop = tmp_path / "drop"
    drop.mkdir()
    shutil.copy(data_dir / "wire-stories.jsonl", drop / "wire.jsonl")
    (drop / "nested.json").write_text("[" * 100_000 + "]" * 100_000)
    (drop / "empty.txt").write_text("  \n")
    (drop / "mixed.jsonl").write_text('{"title": "T", "text": "Ferries sail again."}\n"not an object"\n')
    (drop / ".hidden.md").write_text("Hidden\n\nText.")
    with Index.open(tmp_path / "local") as index:
        local = index.add([drop])
    with Index.open(tmp_path / "ray") as index:
        remote = add_with_ray(index, [drop], cluster, actors=1)
    assert sorted((s.path, s.reason) for s in remote.skipped) == sorted(
        (s.path, s.reason) for s in local.skipped
    )
    assert len(remote.skipped) == 3 and remote.hidden == local.hidden == 1
    assert sorted(remote.added) == sorted(local.added)


def test_a_killed_job_resumes_where_it_stopped(cluster: str, tmp_path: Path) -> None:
    source = tmp_path / "articles.jsonl"
    total = 240  # fifteen actor batches: the job is still running when its first commit lands
    with source.open("w") as out:
        for n in range(total):
            text = " ".join(
                f"Report {n} line {i}: the harbour of town {n} counted {i * n} boats." for i in range(25)
            )
            out.write(json.dumps({"id": f"art-{n:03d}", "title": f"Story {n}", "text": text}) + "\n")
    index_dir = tmp_path / "index"
    command = [
        sys.executable,
        "-m",
        "qa",
        "index",
        str(source),
        "--index-dir",
        str(index_dir),
        "--ray",
        cluster,
        "-q",
    ]
    env = {**os.environ, "QA_COMMIT_SECONDS": "0"}
    # the job kills itself with SIGKILL right after its first commit: the moment is made, not hoped for
    killed = subprocess.run(
        command, env={**env, "QA_FAILPOINT": "after-commit:1"}, capture_output=True, timeout=600
    )
    assert killed.returncode == -signal.SIGKILL, killed.stdout + killed.stderr
    with Index.open(index_dir) as index:  # the kill left a loadable, consistent index
        assert index.consistency_problems() == []
        before = index.counts()["articles"]
    assert 0 < before < total, (before, killed.stderr[-2000:])
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    added = int(done.stdout.split(" added")[0].split()[-1])
    unchanged = int(done.stdout.split(" unchanged")[0].split()[-1])
    assert unchanged == before and added == total - before  # only the rest was embedded
    with Index.open(index_dir) as index:
        assert index.counts()["articles"] == total and index.consistency_problems() == []


def test_serve_replicas_answer_as_qa_answer_does(cluster: str, built_index_dir: Path, tmp_path: Path) -> None:
    import socket

    import httpx
    from openai import OpenAI
    from ray import serve

    from qa.pipeline import QA
    from ui.replicas import deploy

    index_dir = tmp_path / "index"
    shutil.copytree(built_index_dir, index_dir)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    url = deploy(index_dir, cluster, replicas=2, port=port)
    try:
        client = OpenAI(base_url=url + "v1", api_key="none", max_retries=0, timeout=300)
        local = QA.open(index_dir)
        questions = ["Who led the negotiations with Prigozhin?", "How many trucks were stranded?"]
        for question in questions * 3:  # six requests: both replicas answer
            reply = client.chat.completions.create(
                model="article-qa", messages=[{"role": "user", "content": question}]
            )
            expected = local.answer(question)
            got: list[dict[str, Any]] = reply.model_extra["citations"]
            assert reply.choices[0].message.content == expected.text
            assert [(c["article_id"], c["start"], c["end"]) for c in got] == [
                (c.article_id, c.start, c.end) for c in expected.citations
            ]
        story = (
            "ferry.txt",
            b"Ferry strike ends\n\nThe ferry crews of Bergen ended their strike on Thursday.",
        )
        result = httpx.post(url + "v1/articles", files=[("files", story)], timeout=300).json()["results"][0]
        assert result["status"] == "added"  # through the one writer
        health = httpx.get(url + "v1/health", timeout=60).json()
        assert health["articles"] == local.index.counts()["articles"]
        assert httpx.get(url, timeout=60).status_code == 200  # the chat
    finally:
        serve.shutdown()
