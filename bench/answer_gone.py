"""Plausible questions whose answer is gone: are they refused, while the rest are still answered?

    python bench/answer_gone.py [--n 150] [--seed 0] [--json]

From the SQuAD development articles, every sentence holding the gold answer of `--n`
questions is cut out (same topic, same names, no answer: what a user asks of news that never
said it); `--n` other questions whose answers are still in the edited articles stay intact.
The edited articles are indexed once (cached by content) and all questions are asked with
the default answerer. Bars: refused >= 0.80 of the first kind, <= 0.10 of the second.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from results import print_result  # bench/ is on sys.path when run as a script

ROOT = Path(__file__).resolve().parent.parent
SQUAD = ROOT.parent / "shared" / "evaldata" / "squad-dev"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=Path, default=SQUAD / "articles.jsonl")
    parser.add_argument("--questions", type=Path, default=SQUAD / "questions.jsonl")
    parser.add_argument("--n", type=int, default=150, help="questions of each kind")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", action="store_true", help="print one JSON object as the last line")
    args = parser.parse_args()
    if not args.articles.exists() or not args.questions.exists():
        sys.exit(f"missing {args.articles} or {args.questions}")

    from qa.config import Settings
    from qa.eval.evaluation import answer_gone_index, load_questions
    from qa.eval.metrics import exact_match, percentile
    from qa.pipeline import QA

    settings = Settings()
    gone, intact, index = answer_gone_index(
        args.articles, load_questions(args.questions), args.n, args.seed, settings
    )
    qa = QA(index, settings)
    refused: dict[str, list[float]] = {"gone": [], "intact": []}
    em, latencies = [], []
    for kind, group in (("gone", gone), ("intact", intact)):
        for question in group:
            answer = qa.answer(question.question)
            latencies.append(answer.timings.get("total_ms", 0.0))
            refused[kind].append(float(answer.abstained))
            if kind == "intact" and not answer.abstained:
                em.append(exact_match(answer.short_answer or answer.text, list(question.answers)))
            elif kind == "intact":
                em.append(0.0)
    result = {
        "questions_answer_gone": len(gone),
        "questions_intact": len(intact),
        "refused_answer_gone": round(sum(refused["gone"]) / max(len(gone), 1), 3),
        "refused_intact": round(sum(refused["intact"]) / max(len(intact), 1), 3),
        "intact_short_answer_em": round(sum(em) / max(len(em), 1), 3),
        "latency_p50_ms": round(percentile(latencies, 50), 1),
        "latency_p95_ms": round(percentile(latencies, 95), 1),
        "bars": "refused_answer_gone >= 0.80, refused_intact <= 0.10",
    }
    print_result(result, args.json)


if __name__ == "__main__":
    main()
