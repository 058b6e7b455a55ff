"""Ingestion benchmark: index the SQuAD dev articles into a temporary folder and compare the
pipeline's wall time with a bare `model.encode` of the same texts in the same run.

    python bench/ingest.py [--articles PATH] [--json]

`ratio_to_encode` = pipeline seconds / bare encode seconds (target <= 1.15): everything the
pipeline does beyond the model's forward pass (reading, cleaning, chunking, sentence vectors,
SQLite, FTS5, FAISS, manifest) costs that fraction on top.
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
DEFAULT_ARTICLES = ROOT.parent / "shared" / "evaldata" / "squad-dev" / "articles.jsonl"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=Path, default=DEFAULT_ARTICLES)
    parser.add_argument("--json", action="store_true", help="print one JSON object as the last line")
    args = parser.parse_args()
    if not args.articles.exists():
        sys.exit(f"no articles at {args.articles} (give --articles PATH)")

    from qa.config import Settings
    from qa.embedding import BATCH_SIZE, Embedder
    from qa.index import Index

    started = time.perf_counter()
    model = Embedder(Settings().embed_model).model
    load_s = time.perf_counter() - started
    model.encode(["warm-up sentence"] * 8)

    with tempfile.TemporaryDirectory() as folder:
        tick = time.perf_counter()
        with Index.open(Path(folder) / "index", Settings()) as index:
            report = index.add([args.articles])
            pipeline_s = time.perf_counter() - tick
            texts = _embedded_texts(index)
            size = index.info()["size_bytes"]
    encode_runs = []
    for _ in range(2):
        tick = time.perf_counter()
        model.encode(texts, batch_size=BATCH_SIZE)
        encode_runs.append(time.perf_counter() - tick)
    encode_s = sum(encode_runs) / len(encode_runs)
    result = {
        "articles": len(report.added),
        "chunks": report.chunks,
        "wall_s": round(pipeline_s, 2),
        "chunks_per_s": round(report.chunks / pipeline_s, 1),
        "encode_s": round(encode_s, 2),
        "ratio_to_encode": round(pipeline_s / encode_s, 3),
        "model_load_s": round(load_s, 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "index_mb": round(size / 2**20, 1),
    }
    print_result(result, args.json)


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
