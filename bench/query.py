"""Query latency benchmark: with the model loaded, time retrieval + the reader's answer for
questions over the SQuAD dev articles (index cached by content, built on first use).

    python bench/query.py [--articles PATH] [--questions PATH] [--n 400] [--seed 0] [--json]

Targets: total p50 <= 150 ms, p95 <= 300 ms (the reader reads the top passages in one batch).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from results import print_result  # bench/ is on sys.path when run as a script

ROOT = Path(__file__).resolve().parent.parent
SQUAD = ROOT.parent / "shared" / "evaldata" / "squad-dev"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=Path, default=SQUAD / "articles.jsonl")
    parser.add_argument("--questions", type=Path, default=SQUAD / "questions.jsonl")
    parser.add_argument("--n", type=int, default=400)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", action="store_true", help="print one JSON object as the last line")
    args = parser.parse_args()
    if not args.articles.exists() or not args.questions.exists():
        sys.exit(f"missing {args.articles} or {args.questions}")

    from qa.config import Settings
    from qa.eval.evaluation import cached_index, load_questions, sample_questions
    from qa.eval.metrics import percentile
    from qa.pipeline import QA

    settings = Settings()
    index, _ = cached_index(args.articles, set(), settings)
    qa = QA(index, settings)
    sample = sample_questions(load_questions(args.questions), args.n + 10, args.seed)
    questions, warming = sample[: args.n], sample[args.n :]
    for question in warming:  # warm the model with questions not timed (question vectors are kept)
        qa.answer(question.question)
    retrieval_ms, answer_ms, total_ms = [], [], []
    for question in questions:
        tick = time.perf_counter()
        result = qa.answer(question.question)
        total_ms.append((time.perf_counter() - tick) * 1000)
        retrieval_ms.append(result.timings["retrieve_ms"])
        answer_ms.append(result.timings.get("answer_ms", 0.0))
    result = {
        "questions": len(questions),
        "chunks": index.info()["chunks"],
        "retrieve_ms": {
            "p50": round(percentile(retrieval_ms, 50), 1),
            "p95": round(percentile(retrieval_ms, 95), 1),
        },
        "answer_ms": {"p50": round(percentile(answer_ms, 50), 1), "p95": round(percentile(answer_ms, 95), 1)},
        "total_ms": {"p50": round(percentile(total_ms, 50), 1), "p95": round(percentile(total_ms, 95), 1)},
    }
    print_result(result, args.json)


if __name__ == "__main__":
    main()
