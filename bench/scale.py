"""Scale benchmark (run by hand): a synthetic index of many chunks written through the
docstore's write path, with real chunk texts and real vectors plus noise (from the SQuAD
dev articles), then timed as a reader opens and queries it with real questions.

    python bench/scale.py [--chunks 1000000] [--queries 400] [--no-sentence-vectors] [--json]
    python bench/scale.py --chunks 1000000 --keep DIR   # build into DIR and keep it
    python bench/scale.py --keep DIR                    # DIR holds one already: query it only

Latency depends on what else runs on the cores: the report gives the 1-minute load average
before and after the queries (a 2-core machine at load 4 answers about half as fast).

Reports: write rate, vector index build (kind, recall@10), disk (in all, and per chunk for
each stored part: every SQLite table and index by `dbstat`, every file and folder of the
index), open time, RSS, the first and the steady `retrieve()` p50/p95, keyword search
alone, and FAISS alone with one thread against the default.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
from results import print_result  # bench/ is on sys.path when run as a script

ROOT = Path(__file__).resolve().parent.parent
SQUAD = ROOT.parent / "shared" / "evaldata" / "squad-dev"
CHUNKS_PER_ARTICLE = 10
BATCH_ARTICLES = 500


def pools() -> tuple[list[str], np.ndarray, list[np.ndarray], list[str]]:
    """Real chunk texts, their vectors and sentence vectors, and real questions."""
    from qa.config import Settings
    from qa.eval.evaluation import cached_index, load_questions

    index, _ = cached_index(SQUAD / "articles.jsonl", set(), Settings())
    rows = index.store.docstore._read.execute(
        'SELECT substr(a.text, c.start + 1, c."end" - c.start), c.vector, c.sentence_vectors '
        "FROM chunks c JOIN articles a ON a.id = c.article_id"
    ).fetchall()
    docstore = index.store.docstore
    texts = [r[0] for r in rows]
    vectors = np.concatenate([docstore.decode_vectors(r[1], 1) for r in rows])
    sentences = [docstore.decode_sentences(r[2], vectors.shape[1]) for r in rows]
    questions = [q.question for q in load_questions(SQUAD / "questions.jsonl")]
    index.close()
    return texts, vectors, sentences, questions


def build(folder: Path, total: int, keep_sentences: bool) -> dict[str, Any]:
    from qa.config import Settings
    from qa.index import Index
    from qa.store.rows import NewChunk
    from qa.types import Article, Chunk, Sentence

    texts, vectors, sentences, _ = pools()
    rng = np.random.default_rng(0)
    dim = vectors.shape[1]
    written = 0
    started = time.perf_counter()
    with Index.open(folder, Settings()) as index:
        number = 0
        while written < total:
            batch = []
            for _ in range(BATCH_ARTICLES):
                picks = rng.integers(0, len(texts), CHUNKS_PER_ARTICLE)
                body = "\n\n".join(texts[p] for p in picks)
                article = Article(
                    f"syn-{number}", f"Synthetic article {number}", body, content_hash=str(number)
                )
                chunks, position = [], 0
                for ordinal, p in enumerate(picks):
                    start = body.index(texts[p], position)
                    end = start + len(texts[p])
                    position = end
                    vector = vectors[p] + rng.normal(0, 0.05, dim).astype(np.float32)
                    vector /= np.linalg.norm(vector)
                    spread = sentences[p] if keep_sentences else np.zeros((1, dim), np.float32)
                    spans = (Sentence(start, end),) * len(spread)
                    chunk = Chunk(f"syn-{number}#{ordinal}", article.id, ordinal, body[start:end], start, end)
                    chunks.append(NewChunk(chunk, spans, vector, spread))
                batch.append((article, chunks))
                number += 1
            commit = index.store.docstore.write_articles(batch)
            index.store.apply(commit)
            written += sum(len(c) for _, c in batch)
        write_s = time.perf_counter() - started
        tick = time.perf_counter()
        index.store.save_vectors()
        build_s = time.perf_counter() - tick
        info = index.info()
        parts = stored_parts(folder, index.store.docstore._read, written)
    return {
        "chunks": written,
        "write_chunks_per_s": round(written / write_s),
        "vector_build_s": round(build_s, 1),
        "vectors": info["vectors"],
        "recall@10": info.get("recall@10"),
        "disk_gb": round(info["size_bytes"] / 2**30, 2),
        "bytes_per_chunk": round(sum(parts["files"].values())),
        "bytes_per_chunk_tables": parts["tables"],
        "bytes_per_chunk_files": parts["files"],
    }


def stored_parts(folder: Path, db: Any, chunks: int) -> dict[str, dict[str, float]]:
    """Bytes per chunk of each SQLite table and index (`dbstat`: the pages each one holds,
    FTS5's shadow tables apart) and of each file and folder of the index (a folder's files
    summed), largest first."""
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the WAL's pages into the file they belong to
    tables = {
        name: size / chunks for name, size in db.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name")
    }
    files = {}
    for path in folder.iterdir():
        inside = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()]
        files[path.name + ("" if path.is_file() else "/")] = sum(p.stat().st_size for p in inside) / chunks

    def ordered(sizes: dict[str, float]) -> dict[str, float]:
        return {k: round(v, 1) for k, v in sorted(sizes.items(), key=lambda kv: -kv[1]) if v >= 0.05}

    return {"tables": ordered(tables), "files": ordered(files)}


def query(folder: Path, count: int) -> dict[str, Any]:
    import faiss

    from qa.config import Settings
    from qa.eval.metrics import percentile
    from qa.index import Index
    from qa.store.keyword import content_terms, fts_query, keyword_terms, stem

    _, _, _, questions = pools()
    questions = questions[:count]
    load_before = os.getloadavg()[0]
    tick = time.perf_counter()
    index = Index.open(folder, Settings(), create=False)
    first = index.retrieve(questions[0], k=6)
    open_s = time.perf_counter() - tick
    rss_gb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20

    def timed(run: Any) -> list[float]:
        values = []
        for q in questions:
            t = time.perf_counter()
            run(q)
            values.append((time.perf_counter() - t) * 1000)
        return values

    cold = timed(lambda q: index.retrieve(q, k=6))
    steady = timed(lambda q: index.retrieve(q, k=6))
    docstore = index.store.docstore
    chunks = docstore.counts()["chunks"]

    def terms(q: str) -> list[str]:
        return keyword_terms(q, docstore.document_frequencies({stem(t) for t in content_terms(q)}), chunks)

    def keyword(q: str) -> None:  # Tantivy (block-max WAND), as retrieval searches
        index.store.keyword_search(terms(q), 40)

    def fts5(q: str) -> None:  # FTS5's bm25(), which scores every match: what it replaced
        match = fts_query(terms(q))
        if match:
            docstore.keyword_search(match, 40)

    keyword_ms = timed(keyword)
    fts5_ms = timed(fts5)
    vectors = index.embedder.encode_queries(questions)
    faiss_ms = {}
    for threads in (1, faiss.omp_get_max_threads()):
        faiss.omp_set_num_threads(threads)
        values = []
        for vector in vectors:
            t = time.perf_counter()
            index.store.vectors.search(vector, 40)
            values.append((time.perf_counter() - t) * 1000)
        faiss_ms[f"{threads}_thread"] = {
            "p50": round(percentile(values, 50), 2),
            "p95": round(percentile(values, 95), 2),
        }
    index.close()
    del first
    return {
        "open_and_first_query_s": round(open_s, 2),
        "rss_after_open_gb": round(rss_gb, 2),
        "retrieve_first_pass_ms": {
            "p50": round(percentile(cold, 50), 1),
            "p95": round(percentile(cold, 95), 1),
        },
        "retrieve_steady_ms": {
            "p50": round(percentile(steady, 50), 1),
            "p95": round(percentile(steady, 95), 1),
        },
        "keyword_ms": {
            "p50": round(percentile(keyword_ms, 50), 1),
            "p95": round(percentile(keyword_ms, 95), 1),
        },
        "keyword_fts5_ms": {
            "p50": round(percentile(fts5_ms, 50), 1),
            "p95": round(percentile(fts5_ms, 95), 1),
        },
        "faiss_ms": faiss_ms,
        "load_average_1m": {"before": round(load_before, 2), "after": round(os.getloadavg()[0], 2)},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--chunks", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=400)
    parser.add_argument(
        "--folder",
        type=Path,
        default=None,
        help="Where the temporary index folder goes (default: the system's).",
    )
    parser.add_argument(
        "--keep",
        type=Path,
        default=None,
        help="Build the index in this folder and keep it; if it holds one already, only query it.",
    )
    parser.add_argument(
        "--no-sentence-vectors", action="store_true", help="Store one zero vector per chunk instead."
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if not SQUAD.exists():
        sys.exit(f"needs the SQuAD dev articles at {SQUAD}")
    if args.keep is not None:
        built = (args.keep / "docstore.sqlite").exists()
        result = {"index": str(args.keep), "built_now": not built}
        if not built:
            result.update(build(args.keep, args.chunks, not args.no_sentence_vectors))
        result.update(query(args.keep, args.queries))
    else:
        with tempfile.TemporaryDirectory(dir=args.folder) as scratch:
            folder = Path(scratch) / "index"
            result = build(folder, args.chunks, not args.no_sentence_vectors)
            result.update(query(folder, args.queries))
    print_result(result, args.json)


if __name__ == "__main__":
    main()
