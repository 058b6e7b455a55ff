"""Calibrate the reader's refusal threshold on held-out training articles, then write the
threshold into the model's reader.json and refresh its model card.

    python train/calibrate.py [--limit 800] [--unanswerable 200] [--max-refused-answerable 0.04]

The held-out articles (train/cache/heldout/, written by `train/reader.py prepare`) are 20
SQuAD training articles the reader never trained on. Questions are made unanswerable by
leaving their articles out of the index (as `qa eval --unanswerable` does); the threshold
is the highest answerable-probability cut that refuses at most the given share of the
answerable questions. SQuAD development questions are never used here.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qa.config import Settings  # noqa: E402
from qa.reader import DEFAULT_READER  # noqa: E402

HELDOUT = ROOT / "train" / "cache" / "heldout"


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, default=800)
    parser.add_argument("--unanswerable", type=int, default=200)
    parser.add_argument("--max-refused-answerable", type=float, default=0.04)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    from qa.evaluation import run_eval

    settings = Settings(abstain_below=1e-9)  # nothing refused by the threshold while measuring
    run = run_eval(
        HELDOUT / "questions.jsonl",
        HELDOUT / "articles.jsonl",
        limit=args.limit,
        seed=args.seed,
        unanswerable=args.unanswerable,
        settings=settings,
    )
    answerable = [r.score for r in run.results if r.answerable]
    unanswerable = [r.score for r in run.results if not r.answerable]
    chosen = choose_threshold(answerable, unanswerable, args.max_refused_answerable)
    meta_path = DEFAULT_READER / "reader.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta["no_answer_below"] = chosen["threshold"]
    meta["calibration"] = {
        "data": "20 held-out SQuAD v1.1 training articles, open corpus",
        "answerable": len(answerable),
        "unanswerable": len(unanswerable),
        **chosen,
        "heldout_end_to_end": run.metrics["answer"],
    }
    meta_path.write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    from reader import write_card  # train/ is on sys.path when run as a script

    write_card(DEFAULT_READER)
    print(json.dumps(meta["calibration"], indent=2))


if __name__ == "__main__":
    main()
