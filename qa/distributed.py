"""Ingestion past one machine: the same pipeline as `Index.add`, run as a Ray Data job.

    files ─▶ load, clean, chunk (CPU tasks; already indexed articles filtered out here)
          ─▶ embed (an actor pool: each actor loads the model once; one GPU per actor
             when the cluster has GPUs, in fp16/bf16 by QA_PRECISION; CPU actors otherwise)
          ─▶ this process, the single writer, commits batches as the local path does

So a killed job keeps what was committed and a rerun embeds only the rest; ids, chunks
and vectors are those of the local path (cosine >= 0.9999 where batches differ).
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from qa.index import Index
from qa.ingest.articles import list_article_files, load_path, origin_key
from qa.ingest.chunking import ChunkPlan, split_into_chunks
from qa.ingest.embedding import Embedder, PassageVectors
from qa.ingest.ingestion import AddReport, Embedded, Progress, Unchanged, embed_articles
from qa.types import Article, Chunk, Ignored, Sentence, Skipped

ARTICLES_PER_BATCH = 16  # rows (articles) an embedding actor takes at once
LOAD_TASK_CPUS = 0.25  # loading and chunking are light beside embedding
log = logging.getLogger(__name__)
_KNOWN: dict[str, Any] = {}  # per worker: the index's article hashes, fetched once


_FORWARDED = ("QA_", "HF_", "GRADIO_", "OPENAI_", "ANTHROPIC_", "LITELLM_", "TRANSFORMERS_")


def settings_environment() -> dict[str, str]:
    """The settings every worker needs: this process's QA_* (and provider) variables."""
    return {k: v for k, v in os.environ.items() if k.startswith(_FORWARDED)}


def connect(address: str, env: dict[str, str] | None = None) -> Any:
    """Ray, connected to the cluster at `address`, or a local one for "local"; `env`
    (settings such as QA_*) is given to every worker."""
    import ray

    if not ray.is_initialized():
        os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
        runtime_env = {"env_vars": env} if env else None
        if address == "local":
            ray.init(include_dashboard=False, log_to_driver=False, runtime_env=runtime_env)
        else:
            ray.init(address=address, log_to_driver=False, runtime_env=runtime_env)
    context = ray.data.DataContext.get_current()
    context.enable_progress_bars = False  # ours counts chunks committed
    logging.getLogger("ray.data").setLevel(logging.WARNING)
    return ray


def add_with_ray(
    index: Index,
    paths: Iterable[str | Path],
    address: str = "local",
    progress: Progress | None = None,
    max_file_mb: float | None = None,
    actors: int | None = None,
) -> AddReport:
    """Index `paths` with a Ray Data job on the cluster at `address`; see the module doc."""
    ray = connect(address, env=settings_environment())  # QA_PRECISION and the like reach the actors
    files: list[dict[str, str]] = []
    found: list[Skipped | Ignored] = []
    for entry in list_article_files(paths):
        if isinstance(entry, (Skipped, Ignored)):
            found.append(entry)
        else:
            path, root = entry
            files.append({"path": str(path), "origin": origin_key(path, root)})
    if not files:
        return index.add_articles(found, progress)
    known = index.content_hashes()
    settings = index.settings
    gpus = int(ray.cluster_resources().get("GPU", 0))
    cpus = float(ray.cluster_resources().get("CPU", 1))
    pool = _actor_count(actors, gpus, cpus)
    dataset = ray.data.from_items(files, override_num_blocks=min(len(files), 64))
    dataset = dataset.flat_map(
        load_rows,
        num_cpus=LOAD_TASK_CPUS,
        fn_kwargs={
            "max_file_bytes": int((max_file_mb or settings.max_file_mb) * 2**20),
            "max_chars": settings.max_article_chars,
            "chunk_words": index.chunk_words,
            "known": ray.put(known),
        },
    )
    dataset = dataset.map_batches(
        EmbedRows,
        fn_constructor_kwargs={
            "model_id": settings.embed_model,
            "gpu": gpus > 0,
            "precision": settings.models.precision,
        },
        batch_size=ARTICLES_PER_BATCH,
        concurrency=pool,
        num_gpus=1 if gpus else 0,
        num_cpus=0 if gpus else 1,
        batch_format="pandas",
    )
    items = (from_row(row) for row in dataset.iter_rows())
    return index.add_articles(_chain(found, items), progress)


def _actor_count(asked: int | None, gpus: int, cpus: float) -> int:
    """One embedding actor per GPU; on CPUs, as asked (default up to 4), leaving room for
    the loading tasks (an actor holding every CPU would starve them)."""
    if gpus:
        return asked or gpus
    most = max(1, int(cpus - LOAD_TASK_CPUS))
    if asked and asked > most:
        log.warning(
            "%d embedding actors asked for; %d fit beside the loading tasks on %g CPUs", asked, most, cpus
        )
    return min(asked or 4, most)


def _chain(first: Sequence[Any], rest: Iterator[Any]) -> Iterator[Any]:
    yield from first
    yield from rest


# ---- the CPU tasks: load, clean, chunk ------------------------------------------------
def load_rows(
    row: dict[str, str], max_file_bytes: int, max_chars: int, chunk_words: int, known: Any
) -> list[dict[str, Any]]:
    """One file's articles as rows: chunked (to embed), unchanged, or skipped with a reason."""
    hashes = _known(known)
    rows: list[dict[str, Any]] = []
    for item in load_path(Path(row["path"]), row["origin"], max_file_bytes, max_chars):
        if isinstance(item, Skipped):
            rows.append(_row("skipped", path=item.path, reason=item.reason))
        elif hashes.get(item.id) == item.content_hash:
            rows.append(_row("unchanged", path=item.path or row["path"], article_id=item.id))
        else:
            plans = split_into_chunks(item, chunk_words)
            rows.append(
                _row("article", article=json.dumps(dataclasses.asdict(item)), plans=_plans_json(plans))
            )
    return rows


def _known(reference: Any) -> dict[str, str]:
    key = str(reference)
    if key not in _KNOWN:
        import ray

        _KNOWN.clear()
        _KNOWN[key] = ray.get(reference)
    return dict(_KNOWN[key])


def _row(kind: str, **values: str) -> dict[str, Any]:
    base = {"kind": kind, "article": "", "plans": "", "path": "", "reason": "", "article_id": ""}
    return {**base, **values}


def _plans_json(plans: Sequence[ChunkPlan]) -> str:
    return json.dumps(
        [
            [p.chunk.id, p.chunk.ordinal, p.chunk.start, p.chunk.end, [[s.start, s.end] for s in p.sentences]]
            for p in plans
        ]
    )


def _plans_from_json(article: Article, data: str) -> list[ChunkPlan]:
    plans = []
    for chunk_id, ordinal, start, end, sentences in json.loads(data):
        chunk = Chunk(chunk_id, article.id, ordinal, article.text[start:end], start, end)
        plans.append(ChunkPlan(chunk, tuple(Sentence(s, e) for s, e in sentences)))
    return plans


# ---- the actors: embed ------------------------------------------------------------------
class EmbedRows:
    """An embedding actor: loads the model once, embeds the chunks of a batch of rows."""

    def __init__(self, model_id: str, gpu: bool, precision: str = "auto") -> None:
        if not gpu:  # one CPU per actor: torch must not spread over the machine's every core
            import torch

            torch.set_num_threads(1)
        self.embedder = Embedder(model_id, device="cuda" if gpu else "cpu", requested_precision=precision)

    def __call__(self, batch: Any) -> Any:
        positions: list[int] = []
        items: list[tuple[Article, list[ChunkPlan]]] = []
        for position, (kind, article_json, plans_json) in enumerate(
            zip(batch["kind"], batch["article"], batch["plans"], strict=True)
        ):
            if kind == "article":
                article = Article(**json.loads(article_json))
                positions.append(position)
                items.append((article, _plans_from_json(article, plans_json)))
        passages = [b""] * len(batch)
        sentences = [b""] * len(batch)
        for position, vectors in zip(positions, embed_articles(self.embedder, items), strict=True):
            if len(vectors.passages):
                passages[position] = vectors.passages.astype(np.float32).tobytes()
                sentences[position] = np.concatenate(vectors.sentences).astype(np.float32).tobytes()
        batch = batch.copy()
        batch["passages"] = passages
        batch["sentences"] = sentences
        return batch


def from_row(row: dict[str, Any]) -> Embedded | Unchanged | Skipped:
    """What the writer makes of a finished row."""
    if row["kind"] == "skipped":
        return Skipped(row["path"], row["reason"])
    if row["kind"] == "unchanged":
        return Unchanged(row["article_id"], row["path"])
    article = Article(**json.loads(row["article"]))
    plans = _plans_from_json(article, row["plans"])
    dim = len(np.frombuffer(row["passages"], dtype=np.float32)) // max(len(plans), 1)
    passages = np.frombuffer(row["passages"], dtype=np.float32).reshape(len(plans), dim)
    flat = np.frombuffer(row["sentences"], dtype=np.float32).reshape(-1, dim)
    counts = np.cumsum([0, *[len(p.sentences) for p in plans]])
    sentences = [flat[counts[k] : counts[k + 1]] for k in range(len(plans))]
    return Embedded(article, plans, PassageVectors(passages, sentences))
