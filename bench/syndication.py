"""The same story three times: does retrieval read each story once, and are answers unchanged?

    python bench/syndication.py [--questions 200] [--seed 0] [--json]

Every SQuAD development article is indexed three times, as three outlets would run it: as
it is, with an outlet's dateline before it, and without its last paragraph with a
"Source:" trailer. The same questions are asked of that collection and of the articles
once. Reported: hit@5 of each (the gold story among the top five passages' stories), how
many questions get the same short answer, and how many get top five passages from as many
different stories as without copies (copies must take no places). Bars: hit@5 and answers
unchanged; stories in the top five as without copies.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
from pathlib import Path

from results import print_result  # bench/ is on sys.path when run as a script

ROOT = Path(__file__).resolve().parent.parent
SQUAD = ROOT.parent / "shared" / "evaldata" / "squad-dev"
OUTLETS = ("Wire One", "Daily Two", "Herald Three")


def copies(record: dict[str, object]) -> list[dict[str, object]]:
    """The record as three outlets run it: ids `<id>~<n>`, each with its own source and URL."""
    text = str(record["text"])
    paragraphs = text.split("\n")
    versions = [
        text,
        f"({OUTLETS[1]}) - {text}",
        "\n".join(paragraphs[:-1] if len(paragraphs) > 1 else paragraphs) + f"\nSource: {OUTLETS[2]}",
    ]
    return [
        {
            **record,
            "id": f"{record['id']}~{n}",
            "source": OUTLETS[n],
            "url": f"https://outlet{n}.example/{record['id']}",
            "text": version,
        }
        for n, version in enumerate(versions)
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=Path, default=SQUAD / "articles.jsonl")
    parser.add_argument("--questions", type=Path, default=SQUAD / "questions.jsonl")
    parser.add_argument("--n", type=int, default=200, help="questions asked")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", action="store_true", help="print one JSON object as the last line")
    args = parser.parse_args()
    if not args.articles.exists() or not args.questions.exists():
        sys.exit(f"missing {args.articles} or {args.questions}")

    from qa.config import Settings
    from qa.eval.evaluation import cached_index, load_questions
    from qa.eval.metrics import exact_match
    from qa.pipeline import QA

    settings = Settings()
    records = [json.loads(line) for line in args.articles.read_text(encoding="utf-8").splitlines() if line]
    questions = [q for q in load_questions(args.questions) if q.evidence_ids]
    questions = random.Random(args.seed).sample(questions, min(args.n, len(questions)))
    with tempfile.TemporaryDirectory() as folder:
        tripled = Path(folder) / "tripled.jsonl"
        tripled.write_text(
            "".join(json.dumps(c) + "\n" for r in records for c in copies(r)), encoding="utf-8"
        )
        once_index, _ = cached_index(args.articles, set(), settings)
        thrice_index, _ = cached_index(tripled, set(), settings)
    groups = thrice_index.info()["syndicated"]
    once, thrice = QA(once_index, settings), QA(thrice_index, settings)
    hits = {"once": 0, "thrice": 0}
    em = {"once": 0.0, "thrice": 0.0}
    same_answer = same_stories = 0
    for question in questions:
        gold = set(question.evidence_ids)
        found: dict[str, list[str]] = {}
        for name, qa in (("once", once), ("thrice", thrice)):
            answer = qa.answer(question.question)
            stories = [hit.article.id.split("~")[0] for hit in answer.hits[:5]]
            hits[name] += bool(gold & set(stories))
            short = None if answer.abstained else (answer.short_answer or answer.text)
            em[name] += exact_match(short, list(question.answers)) if short else 0.0
            found[name] = [str(short), *stories]
        same_answer += found["once"][0] == found["thrice"][0]
        same_stories += len(set(found["once"][1:])) == len(set(found["thrice"][1:]))
    n = len(questions)
    result = {
        "questions": n,
        "articles_once": once_index.counts()["articles"],
        "articles_thrice": thrice_index.counts()["articles"],
        "stories_grouped": groups["stories"],
        "articles_in_groups": groups["articles"],
        "hit@5_once": round(hits["once"] / n, 3),
        "hit@5_thrice": round(hits["thrice"] / n, 3),
        "em_once": round(em["once"] / n, 3),
        "em_thrice": round(em["thrice"] / n, 3),
        "same_short_answer": round(same_answer / n, 3),
        "same_number_of_stories_in_top5": round(same_stories / n, 3),
        "bars": "hit@5 and answers unchanged; as many stories in the top five as without copies",
    }
    print_result(result, args.json)


if __name__ == "__main__":
    main()
