"""Follow-up latency: what a question that leans on earlier turns costs against one that
stands alone, over the conversation set (its follow-ups are rewritten, and an ambiguous
pronoun is tried with each plausible referent).

    python bench/followups.py [--conversations eval/conversations.jsonl ...] [--articles seeds eval/articles ...] [--json]

Target (issue 19): a follow-up's p95 at most 2x a standalone question's p95. One set has a
dozen or so standalone questions, whose p95 is about their slowest: pool sets (several
`--conversations` files over all their `--articles`, one index) to judge the bar.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from results import print_result  # bench/ is on sys.path when run as a script

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--conversations", type=Path, nargs="+", default=[ROOT / "eval" / "conversations.jsonl"]
    )
    parser.add_argument(
        "--articles", type=Path, nargs="+", default=[ROOT / "seeds", ROOT / "eval" / "articles"]
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object as the last line")
    args = parser.parse_args()

    from qa.answering.chat import needs_context
    from qa.config import Settings
    from qa.eval.conversations import load_conversations
    from qa.eval.evaluation import cached_index
    from qa.eval.metrics import percentile
    from qa.pipeline import QA

    settings = Settings()
    index, _ = cached_index(args.articles, set(), settings)
    qa = QA(index, settings)
    qa.warm_up()
    for question in ("Who wrote the first article?", "What happened next?"):  # not timed
        qa.answer(question)
    conversations = [c for path in args.conversations for c in load_conversations(path)]
    standalone_ms: list[float] = []
    follow_up_ms: list[float] = []
    rewrites = 0
    # one pass: a question asked again would find its vector kept, which a user's do not
    for conversation in conversations:
        history: list[dict[str, str]] = []
        for turn in conversation.turns:
            leans = bool(history) and needs_context(turn.question)
            tick = time.perf_counter()
            answer = qa.answer(turn.question, history)
            (follow_up_ms if leans else standalone_ms).append((time.perf_counter() - tick) * 1000)
            rewrites += leans and answer.standalone_question is not None
            history += [
                {"role": "user", "content": turn.question},
                {"role": "assistant", "content": answer.text},
            ]
    p95_standalone = percentile(standalone_ms, 95)
    p95_follow_up = percentile(follow_up_ms, 95)
    result = {
        "standalone": len(standalone_ms),
        "follow_ups": len(follow_up_ms),
        "follow_ups_rewritten": rewrites,
        "standalone_ms": {"p50": round(percentile(standalone_ms, 50), 1), "p95": round(p95_standalone, 1)},
        "follow_up_ms": {"p50": round(percentile(follow_up_ms, 50), 1), "p95": round(p95_follow_up, 1)},
        "p95_ratio": round(p95_follow_up / p95_standalone, 2),
    }
    print_result(result, args.json)


if __name__ == "__main__":
    main()
