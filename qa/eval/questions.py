"""The questions of `qa eval`: the JSONL file format (questions, or conversations), drawing
a sample, and making questions unanswerable (evidence articles left out, or the answer's
sentences cut out of them)."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qa.errors import EvalDataError
from qa.eval.metrics import contains_answer


@dataclass(frozen=True)
class EvalQuestion:
    """One evaluation question; only `id` and `question` are required."""

    id: str
    question: str
    answers: tuple[str, ...] = ()
    evidence_ids: tuple[str, ...] = ()
    answerable: bool = True
    history: tuple[str, ...] = ()


def load_questions(path: str | Path) -> list[EvalQuestion]:
    """Questions from a JSONL file; raises `EvalDataError` naming the line and field."""
    questions = []
    seen: set[str] = set()
    for where, record in jsonl_records(path):
        for name, types in (("id", (str, int)), ("question", str)):
            value = record.get(name)
            if isinstance(value, bool) or not isinstance(value, types) or not str(value).strip():
                raise EvalDataError(f"{where}: field '{name}' is required and must be a string")
        lists = {}
        for name in ("answers", "evidence_ids", "history"):
            value = record.get(name)
            value = [] if value is None else value
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise EvalDataError(f"{where}: field '{name}' must be a list of strings")
            lists[name] = tuple(value)
        answerable = record.get("answerable", True)
        if not isinstance(answerable, bool):
            raise EvalDataError(f"{where}: field 'answerable' must be true or false")
        question_id = str(record["id"])
        if question_id in seen:
            raise EvalDataError(f"{where}: duplicate id {question_id!r}")
        seen.add(question_id)
        questions.append(EvalQuestion(question_id, str(record["question"]), answerable=answerable, **lists))
    if not questions:
        raise EvalDataError(f"{path}: no questions")
    return questions


def jsonl_records(path: str | Path) -> Iterator[tuple[str, dict[str, Any]]]:
    """(`file:line`, object) for each non-blank line; `EvalDataError` names a bad line."""
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            raise EvalDataError(f"{where}: malformed JSON ({error.msg})") from None
        if not isinstance(record, dict):
            raise EvalDataError(f"{where}: expected a JSON object")
        yield where, record


def is_conversation_file(path: str | Path) -> bool:
    """True when the first record of a JSONL file has `turns` (a conversation)."""
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                try:
                    record = json.loads(line)
                except json.JSONDecodeError:
                    return False
                return isinstance(record, dict) and "turns" in record
    return False


def sample_questions(questions: Sequence[EvalQuestion], limit: int | None, seed: int) -> list[EvalQuestion]:
    """`limit` questions drawn with `random.Random(seed)`, or all of them."""
    if not limit or limit >= len(questions):
        return list(questions)
    return random.Random(seed).sample(list(questions), limit)


def make_unanswerable(
    questions: Sequence[EvalQuestion], count: int, seed: int
) -> tuple[list[EvalQuestion], set[str]]:
    """Turn about `count` questions unanswerable by leaving their evidence articles out.

    Articles are left out whole (chosen at random with `seed`), so every sampled question
    that needs one becomes unanswerable and no answerable question loses its evidence.
    Questions beyond `count` from the last article left out are dropped from the sample.
    """
    if count <= 0:
        return list(questions), set()
    by_article: dict[str, list[int]] = {}
    for position, question in enumerate(questions):
        if question.answerable:
            for article_id in question.evidence_ids:
                by_article.setdefault(article_id, []).append(position)
    order = sorted(by_article)
    random.Random(seed).shuffle(order)
    excluded: set[str] = set()
    affected: set[int] = set()
    for article_id in order:
        if len(affected) >= count:
            break
        excluded.add(article_id)
        affected |= set(by_article[article_id])
    surplus = set(sorted(affected, key=lambda p: random.Random(seed + p).random())[count:])
    result = []
    for position, question in enumerate(questions):
        if position in surplus:
            continue
        if position in affected:
            question = EvalQuestion(
                question.id, question.question, question.answers, (), False, question.history
            )
        result.append(question)
    return result, excluded


def cut_answer_sentences(text: str, golds: Sequence[str]) -> str | None:
    """`text` with every sentence holding one of `golds` cut out (same topic, same names, no
    answer); None when no sentence held one, or an answer is still there afterwards."""
    from qa.ingest.sentences import split_sentences

    holding = [s for s in split_sentences(text) if contains_answer(text[s.start : s.end], golds)]
    if not holding:
        return None
    pieces, cursor = [], 0
    for sentence in holding:
        pieces.append(text[cursor : sentence.start].rstrip(" "))
        cursor = sentence.end
    pieces.append(text[cursor:])
    edited = " ".join(p for p in pieces if p).replace("  ", " ")
    return None if contains_answer(edited, golds) else edited


def make_answer_gone(
    records: dict[str, dict[str, Any]], questions: Sequence[EvalQuestion], n: int, seed: int
) -> tuple[list[EvalQuestion], list[EvalQuestion], dict[str, dict[str, Any]]]:
    """Plausible questions whose answer is gone: `n` questions whose answer sentences are cut
    out of their articles (`records`, article id -> JSON record, left unchanged), then `n`
    others whose answers the edited articles still hold; with the edited records."""
    edited = {key: dict(record) for key, record in records.items()}
    pool = [q for q in questions if q.answers and q.evidence_ids and q.evidence_ids[0] in edited]
    random.Random(seed).shuffle(pool)
    gone: list[EvalQuestion] = []
    for question in pool:
        if len(gone) == n:
            break
        record = edited[question.evidence_ids[0]]
        text = cut_answer_sentences(record["text"], question.answers)
        if text is not None:
            record["text"] = text
            gone.append(question)
    still = {q.id for q in gone}
    intact = [
        q for q in pool if q.id not in still and contains_answer(edited[q.evidence_ids[0]]["text"], q.answers)
    ][:n]
    gone = [q for q in gone if not contains_answer(edited[q.evidence_ids[0]]["text"], q.answers)]
    return gone, intact, edited
