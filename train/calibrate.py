"""Calibrate the reader on held-out training articles, then write the result into the
model's reader.json and refresh its model card:

- `rank_weight`: how much a passage's retrieval rank counts beside the reader's own score
  when the best span is picked across passages (the weight with the best short-answer F1);
- `no_answer_below`: the refusal threshold, the highest answerable-probability cut that
  refuses at most `--max-refused-answerable` of the answerable questions.

    python train/calibrate.py [--answerable 600] [--unanswerable 200] [--max-refused-answerable 0.04]

The held-out articles (train/cache/heldout/, written by `train/reader.py prepare`) are 20
SQuAD training articles the reader never trained on, used as an open corpus. Questions are
made unanswerable by leaving their articles out of the index (as `qa eval --unanswerable`
does). SQuAD development questions are never used here.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qa.answering.reader import DEFAULT_READER  # noqa: E402
from qa.config import Settings  # noqa: E402

HELDOUT = ROOT / "train" / "cache" / "heldout"
WEIGHTS = (0.0, 0.25, 0.5, 1.0, 2.0)


def choose_threshold(
    answerable: list[float], unanswerable: list[float], most_refused: float
) -> dict[str, float]:
    """The highest cut refusing at most `most_refused` of the answerable scores, and what
    it refuses of each kind."""
    best = {"threshold": 0.0, "refused_answerable": 0.0, "refused_unanswerable": 0.0}
    for cut in sorted(set(answerable + unanswerable)):
        refused_a = sum(s < cut for s in answerable) / len(answerable)
        if refused_a > most_refused:
            break
        refused_u = sum(s < cut for s in unanswerable) / max(len(unanswerable), 1)
        best = {
            "threshold": round(cut, 4),
            "refused_answerable": round(refused_a, 4),
            "refused_unanswerable": round(refused_u, 4),
        }
    return best


def readings(qa: Any, questions: list[Any]) -> list[tuple[Any, Any, Any, Any]]:
    """(question, passages, inputs, reading) for each question, read once."""
    from qa.answering.reader_answerer import READ_PASSAGES, passage_inputs

    result = []
    for question in questions:
        passages = qa.index.retrieve(question.question, qa.settings.top_k).passages[:READ_PASSAGES]
        inputs = passage_inputs(passages)
        result.append((question, passages, inputs, qa.reader.read(question.question, inputs)))
    return result


def short_answer_f1(read: list[tuple[Any, Any, Any, Any]], weight: float) -> tuple[float, float]:
    """(exact match, F1) of the short answers picked with `weight`."""
    from qa.answering.reader_answerer import choose_span, compose, with_rank_prior
    from qa.eval.metrics import exact_match, token_f1

    em = f1 = 0.0
    for question, passages, inputs, reading in read:
        choice = choose_span(with_rank_prior(reading, weight), passages, inputs)
        short = compose(question.question, choice)[1] if choice else None
        text = short or ""
        em += exact_match(text, question.answers)
        f1 += token_f1(text, question.answers)
    return em / len(read), f1 / len(read)


def write_heldout() -> None:
    """The held-out articles and their questions in the eval format (as `train/reader.py
    prepare` writes them), from SQuAD v1.1 train."""
    import squad as base  # train/ is on sys.path when run as a script

    data = base.load_squad(base.SQUAD)
    _, held = base.split_articles(data)
    records = base.article_records(data)
    id_of = {a["title"]: r["id"] for a, r in zip(data, records, strict=True)}
    base.write_heldout_eval(held, records, id_of)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--answerable", type=int, default=600)
    parser.add_argument("--unanswerable", type=int, default=200, help="made so by leaving their article out")
    parser.add_argument(
        "--answer-gone", type=int, default=200, help="made so by cutting their answer sentences"
    )
    parser.add_argument("--max-refused-answerable", type=float, default=0.04)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    from qa.eval.evaluation import (
        answer_gone_index,
        cached_index,
        load_questions,
        make_unanswerable,
        sample_questions,
    )
    from qa.pipeline import QA

    settings = Settings(abstain_below=1e-9)
    if not (HELDOUT / "questions.jsonl").exists():
        write_heldout()
    pool = load_questions(HELDOUT / "questions.jsonl")
    answerable = sample_questions(pool, args.answerable, args.seed)
    index, _ = cached_index(HELDOUT / "articles.jsonl", set(), settings)
    qa = QA(index, settings)
    read = readings(qa, answerable)
    scores = {w: short_answer_f1(read, w) for w in WEIGHTS}
    weight = max(WEIGHTS, key=lambda w: (round(scores[w][1], 3), -w))
    taken = {q.id for q in answerable}
    kept = [q for q in random.Random(args.seed + 1).sample(pool, len(pool)) if q.id not in taken]
    drawn, excluded = make_unanswerable(kept[: args.unanswerable * 4], args.unanswerable, args.seed)
    unanswerable_questions = [q for q in drawn if not q.answerable]
    closed, _ = cached_index(HELDOUT / "articles.jsonl", excluded, settings)
    closed_qa = QA(closed, settings)
    left_out = [r[3].best_answerable for r in readings(closed_qa, unanswerable_questions)]
    # plausible questions whose answer is gone: the held-out articles minus answer sentences
    gone_questions, _, gone_index = answer_gone_index(
        HELDOUT / "articles.jsonl", kept, args.answer_gone, args.seed + 2, settings
    )
    gone = [r[3].best_answerable for r in readings(QA(gone_index, settings), gone_questions)]
    unanswerable = left_out + gone
    chosen = choose_threshold([r[3].best_answerable for r in read], unanswerable, args.max_refused_answerable)
    cut = chosen["threshold"]
    chosen["refused_left_out"] = round(sum(s < cut for s in left_out) / max(len(left_out), 1), 4)
    chosen["refused_answer_gone"] = round(sum(s < cut for s in gone) / max(len(gone), 1), 4)
    meta_path = DEFAULT_READER / "reader.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta["no_answer_below"] = chosen["threshold"]
    meta["rank_weight"] = weight
    meta["calibration"] = {
        "data": "20 held-out SQuAD v1.1 training articles as an open corpus; unanswerable: questions "
        "whose article was left out, and questions whose answer sentences were cut out",
        "answerable": len(read),
        "unanswerable": len(unanswerable),
        **chosen,
        "rank_weight": weight,
        "short_answer_em_f1_by_rank_weight": {
            str(w): [round(e, 4), round(f, 4)] for w, (e, f) in scores.items()
        },
    }
    meta_path.write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    from card import write_card  # train/ is on sys.path when run as a script

    write_card(DEFAULT_READER)
    print(json.dumps(meta["calibration"], indent=2))


if __name__ == "__main__":
    main()
