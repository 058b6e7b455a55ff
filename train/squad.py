"""SQuAD v1.1 training data for the reader: the articles split into training and held-out
ones, the examples of stage 1 (each question with its paragraph, plus unanswerable pairs mined
with the project's own retrieval), and the held-out articles and questions in the eval format.

The SQuAD development questions are never read here.
"""

from __future__ import annotations

import json
import os
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from qa.eval.metrics import contains_answer
from qa.ingest.precision import cpu_supports_bf16

ROOT = Path(__file__).resolve().parent.parent
SQUAD = ROOT.parent / "shared" / "traindata" / "squad-v1.1-train" / "train-v1.1.json"
# everything training makes lands here (git-ignored), except the exported model
CACHE = Path(os.environ.get("READER_TRAIN_CACHE", ROOT / "train" / "cache"))
SEED = 13
HELDOUT_ARTICLES = 20  # training articles kept out for model selection and calibration
SAME_ARTICLE_NEGATIVES = (
    0.35  # share of questions also paired with a passage of their article lacking the answer
)
OTHER_ARTICLE_NEGATIVES = 0.15  # share also paired with a retrieved passage of another article


@dataclass
class Example:
    question: str
    context: str
    answers: list[str]
    answer_start: int  # character offset into context; -1 when the context lacks the answer
    kind: str  # "gold", "same", "other"


def load_squad(path: Path) -> list[dict[str, Any]]:
    data = json.loads(path.read_text(encoding="utf-8"))["data"]
    return data


def split_articles(data: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    order = list(range(len(data)))
    random.Random(SEED).shuffle(order)
    held = set(order[:HELDOUT_ARTICLES])
    return [a for i, a in enumerate(data) if i not in held], [a for i, a in enumerate(data) if i in held]


def article_records(data: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "id": f"squad-train-{i:03d}",
            "title": a["title"].replace("_", " "),
            "text": "\n\n".join(p["context"] for p in a["paragraphs"]),
            "url": f"https://en.wikipedia.org/wiki/{a['title']}",
        }
        for i, a in enumerate(data)
    ]


def lacks(text: str, answers: list[str]) -> bool:
    return not contains_answer(text, answers)


def build_retrieval_index(records: list[dict[str, Any]], folder: Path | None = None) -> Any:
    """The project's own index over `records` (dense + BM25, as the product)."""
    import torch

    from qa.config import Settings
    from qa.index import Index

    folder = folder or CACHE / "index"
    folder.mkdir(parents=True, exist_ok=True)
    source = folder.parent / f"{folder.name}-articles.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    index = Index.open(folder, Settings())
    if index.counts()["articles"] < len(records):
        print(f"indexing {len(records)} training articles with the project's pipeline ...", flush=True)
        # bf16 only where the CPU computes it natively: emulated, it is ~300x slower than fp32
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=cpu_supports_bf16()):
            report = index.add([source])
        print(report.summary(), flush=True)
    return index


def retrieved_negatives(index: Any, questions: list[tuple[str, list[str], str]]) -> list[tuple[str, str]]:
    """For each (question, answers, article id): the best-ranked retrieved passage of the
    same article and of another article that lack every answer ("" when none)."""
    from tqdm import tqdm

    vectors = index.embedder.encode_queries([q for q, _, _ in questions])
    lookup = {q: v for (q, _, _), v in zip(questions, vectors, strict=True)}
    original = index.embedder.encode_queries
    index.embedder.encode_queries = lambda texts: np.stack([lookup[t] for t in texts])
    result = []
    try:
        for question, answers, article_id in tqdm(questions, desc="mining negatives", mininterval=5):
            same = other = ""
            for passage in index.retrieve(question, k=8).passages:
                chunk = passage.hit.chunk
                if not lacks(chunk.text, answers):
                    continue
                if chunk.article_id == article_id and not same:
                    same = chunk.text
                elif chunk.article_id != article_id and not other:
                    other = chunk.text
            result.append((same, other))
    finally:
        index.embedder.encode_queries = original
    return result


def make_examples(
    data: list[dict[str, Any]], first_id: int, rng: random.Random, negatives: dict[str, tuple[str, str]]
) -> list[Example]:
    examples = []
    for offset, article in enumerate(data):
        paragraphs = [p["context"] for p in article["paragraphs"]]
        for p_index, paragraph in enumerate(article["paragraphs"]):
            for qa in paragraph["qas"]:
                answers = [a["text"] for a in qa["answers"]]
                start = qa["answers"][0]["answer_start"]
                examples.append(Example(qa["question"], paragraph["context"], answers, start, "gold"))
                same, other = negatives.get(qa["id"], ("", ""))
                if rng.random() < SAME_ARTICLE_NEGATIVES:
                    if not same:
                        pool = [p for k, p in enumerate(paragraphs) if k != p_index and lacks(p, answers)]
                        same = rng.choice(pool) if pool else ""
                    if same:
                        examples.append(Example(qa["question"], same, answers, -1, "same"))
                if other and rng.random() < OTHER_ARTICLE_NEGATIVES:
                    examples.append(Example(qa["question"], other, answers, -1, "other"))
        del offset
    return examples


def write_heldout_eval(
    held: list[dict[str, Any]], records: list[dict[str, Any]], id_of: dict[str, str]
) -> None:
    """The held-out articles and questions in the eval format, for `qa eval` calibration."""
    folder = CACHE / "heldout"
    folder.mkdir(parents=True, exist_ok=True)
    by_id = {r["id"]: r for r in records}
    with (folder / "articles.jsonl").open("w", encoding="utf-8") as out:
        for article in held:
            out.write(json.dumps(by_id[id_of[article["title"]]]) + "\n")
    with (folder / "questions.jsonl").open("w", encoding="utf-8") as out:
        for article in held:
            for p_index, paragraph in enumerate(article["paragraphs"]):
                for qa in paragraph["qas"]:
                    item = {
                        "id": qa["id"],
                        "question": qa["question"],
                        "answers": [a["text"] for a in qa["answers"]],
                        "evidence_ids": [id_of[article["title"]]],
                        "type": "extractive-span",
                        "paragraph_index": p_index,
                    }
                    out.write(json.dumps(item) + "\n")
