"""Recall of the approximate vector index (HNSW, used above QA_ANN_THRESHOLD chunks) against
exact search, on real embeddings: the SQuAD dev sentence vectors, grown to `--size` by
adding small perturbations of them, queried with the SQuAD questions.

    python bench/ann.py [--size 100000] [--queries 400] [--json]
"""

from __future__ import annotations

import argparse
import random
import time
from pathlib import Path

import numpy as np
from results import print_result  # bench/ is on sys.path when run as a script

SQUAD = Path(__file__).resolve().parent.parent.parent / "shared" / "evaldata" / "squad-dev"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=400)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    import faiss

    from qa.config import Settings
    from qa.eval.evaluation import cached_index, load_questions
    from qa.store.vector_cache import HNSW_EF_SEARCH, HNSW_M

    index, _ = cached_index(SQUAD / "articles.jsonl", set(), Settings())
    rows = index.store.docstore._read.execute("SELECT sentence_vectors FROM chunks").fetchall()
    real = np.concatenate([index.store.docstore.decode_sentences(b, index.store.dim) for (b,) in rows])
    rng = np.random.default_rng(0)
    picks = real[rng.integers(0, len(real), args.size)].astype(np.float32)
    picks += rng.normal(0, 0.03, picks.shape).astype(np.float32)
    base = picks / np.linalg.norm(picks, axis=1, keepdims=True)
    questions = load_questions(SQUAD / "questions.jsonl")
    queries = index.embedder.encode_queries(
        [q.question for q in random.Random(0).sample(questions, args.queries)]
    )

    exact = faiss.IndexFlatIP(base.shape[1])
    exact.add(base)
    tick = time.perf_counter()
    _, truth = exact.search(queries, 10)
    flat_ms = (time.perf_counter() - tick) * 1000 / len(queries)
    hnsw = faiss.IndexHNSWFlat(base.shape[1], HNSW_M, faiss.METRIC_INNER_PRODUCT)
    hnsw.hnsw.efConstruction = 80
    tick = time.perf_counter()
    hnsw.add(base)
    build_s = time.perf_counter() - tick
    hnsw.hnsw.efSearch = HNSW_EF_SEARCH
    tick = time.perf_counter()
    _, found = hnsw.search(queries, 10)
    hnsw_ms = (time.perf_counter() - tick) * 1000 / len(queries)
    recall = float(np.mean([len(set(f) & set(t)) / 10 for f, t in zip(found, truth, strict=True)]))
    result = {
        "vectors": args.size,
        "queries": len(queries),
        "recall@10": round(recall, 4),
        "hnsw_build_s": round(build_s, 1),
        "hnsw_ms_per_query": round(hnsw_ms, 3),
        "flat_ms_per_query": round(flat_ms, 3),
    }
    print_result(result, args.json)


if __name__ == "__main__":
    main()
