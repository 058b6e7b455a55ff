"""Ingestion benchmark: index the SQuAD dev articles once per precision and compare the
pipeline's wall time with a plain fp32 `model.encode` of the same texts in the same run;
then score retrieval (hit@5, MRR@10) on the dev questions for each index.

    python bench/ingest.py [--articles PATH] [--questions PATH] [--precisions fp32,bf16] [--json]

`ratio_to_fp32_encode` = pipeline seconds / plain fp32 encode seconds (target with bf16 <=
0.55): the pipeline's own work (reading, cleaning, chunking, sentence vectors, SQLite,
FTS5, FAISS) plus the forward passes in the chosen precision.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

from results import print_result  # bench/ is on sys.path when run as a script

ROOT = Path(__file__).resolve().parent.parent
SQUAD = ROOT.parent / "shared" / "evaldata" / "squad-dev"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=Path, default=SQUAD / "articles.jsonl")
    parser.add_argument("--questions", type=Path, default=SQUAD / "questions.jsonl")
    parser.add_argument("--precisions", default="fp32,bf16")
    parser.add_argument("--n", type=int, default=400, help="questions for the retrieval scores")
    parser.add_argument("--json", action="store_true", help="print one JSON object as the last line")
    args = parser.parse_args()
    if not args.articles.exists():
        sys.exit(f"no articles at {args.articles} (give --articles PATH)")

    from qa.config import Settings
    from qa.ingest.embedding import BATCH_SIZE, Embedder

    started = time.perf_counter()
    model = Embedder(Settings().embed_model, precision="fp32").model
    load_s = time.perf_counter() - started
    model.encode(["warm-up sentence"] * 8)
    result: dict[str, object] = {"model_load_s": round(load_s, 2)}
    texts: list[str] = []
    for precision in args.precisions.split(","):
        with tempfile.TemporaryDirectory() as folder:
            figures, texts = _index_with(Path(folder), args.articles, precision, args)
        result[precision] = figures
    encode_runs = []
    for _ in range(2):
        tick = time.perf_counter()
        model.encode(texts, batch_size=BATCH_SIZE)
        encode_runs.append(time.perf_counter() - tick)
    encode_s = min(encode_runs)
    result["fp32_encode_s"] = round(encode_s, 2)
    result["fp32_encode_chunks_per_s"] = round(len(texts) / encode_s, 1)
    for precision in args.precisions.split(","):
        figures = result[precision]
        assert isinstance(figures, dict)
        figures["ratio_to_fp32_encode"] = round(figures["wall_s"] / encode_s, 3)
    result["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    print_result(result, args.json)


def _index_with(
    folder: Path, articles: Path, precision: str, args: argparse.Namespace
) -> tuple[dict[str, object], list[str]]:
    """Index `articles` with passages in `precision`; wall time, size and retrieval scores."""
    from qa.config import Settings
    from qa.eval.evaluation import load_questions, sample_questions
    from qa.eval.metrics import first_rank, hit_at, reciprocal_rank
    from qa.index import Index
    from qa.ingest.embedding import Embedder

    settings = Settings()
    with Index.open(folder / "index", settings) as index:
        index.embedder = Embedder(settings.embed_model, precision=precision)
        index.retriever.embedder = index.embedder
        index.embedder.model.encode(["warm-up sentence"] * 8)
        tick = time.perf_counter()
        report = index.add([articles])
        wall_s = time.perf_counter() - tick
        texts = _embedded_texts(index)
        figures: dict[str, object] = {
            "chunks": report.chunks,
            "wall_s": round(wall_s, 2),
            "chunks_per_s": round(report.chunks / wall_s, 1),
            "index_mb": round(index.info()["size_bytes"] / 2**20, 1),
        }
        if args.questions.exists():
            questions = sample_questions(load_questions(args.questions), args.n, 0)
            ranks = []
            for question in questions:
                hits = index.search(question.question, k=10)
                ranks.append(first_rank(hits, question.evidence_ids, question.answers))
            figures["hit@5"] = round(sum(hit_at(r, 5) for r in ranks) / len(ranks), 4)
            figures["mrr@10"] = round(sum(reciprocal_rank(r) for r in ranks) / len(ranks), 4)
    return figures, texts


def _embedded_texts(index: object) -> list[str]:
    """The exact strings the pipeline embedded: title line, then the chunk text."""
    store = index.store  # type: ignore[attr-defined]
    rows = store.docstore._read.execute(
        'SELECT a.title, substr(a.text, c.start + 1, c."end" - c.start) FROM chunks c '
        "JOIN articles a ON a.id = c.article_id ORDER BY c.rowid"
    ).fetchall()
    return [f"{title}\n{text}" for title, text in rows]


if __name__ == "__main__":
    main()
