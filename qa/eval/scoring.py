"""Scoring `qa eval`'s answers: each answer's scores (text and short answer, citations, the
retrieval behind it, where a wrong one went wrong), the metrics of a run, and the run."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from qa.answering.citations import answer_problems
from qa.answering.reader_answerer import READ_PASSAGES
from qa.eval.metrics import (
    citation_scores,
    contains_answer,
    exact_match,
    first_rank,
    hit_at,
    percentile,
    reciprocal_rank,
    token_f1,
)
from qa.eval.questions import EvalQuestion
from qa.types import Answer

if TYPE_CHECKING:
    from qa.pipeline import QA

RETRIEVAL_DEPTH = 10


@dataclass
class QuestionResult:
    """What happened to one question: the answer and every score of it."""

    id: str
    question: str
    answerable: bool
    answers: list[str]
    evidence_ids: list[str]
    answer: str
    abstained: bool
    score: float
    model: str
    latency_ms: float
    standalone_question: str | None = None
    notice: str | None = None
    contains: float | None = None
    cited_contains: float | None = None
    short_answer: str | None = None
    em: float | None = None
    f1: float | None = None
    rank: int | None = None
    rank_answer: int | None = None
    citations_valid: bool = True
    citation_problems: list[str] = field(default_factory=list)
    citation_recall: float | None = None
    citation_precision: float | None = None
    error: str | None = None  # why a wrong answer is wrong; see `error_kind`


def score_answer(qa: QA, question: EvalQuestion, answer: Answer) -> QuestionResult:
    """Score an answer to `question`: text and short answer, citations, retrieval."""
    result = QuestionResult(
        id=question.id,
        question=question.question,
        answerable=question.answerable,
        answers=list(question.answers),
        evidence_ids=list(question.evidence_ids),
        answer=answer.text,
        abstained=answer.abstained,
        score=answer.score,
        model=answer.model,
        latency_ms=answer.timings.get("total_ms", 0.0),
        standalone_question=answer.standalone_question,
        notice=answer.notice,
    )
    result.citation_problems = answer_problems(answer)
    result.citations_valid = not result.citation_problems
    scores = citation_scores(answer)
    if scores is not None:
        result.citation_recall, result.citation_precision = scores
    if question.answerable and question.answers:
        text = "" if answer.abstained else answer.text
        result.contains = contains_answer(text, question.answers)
        quotes = [] if answer.abstained else [c.quote for c in answer.citations]
        result.cited_contains = max((contains_answer(q, question.answers) for q in quotes), default=0.0)
        if answer.short_answer and not answer.abstained:
            # a short answer is scored as SQuAD scores a reader: the span alone
            result.short_answer = answer.short_answer
            result.em = exact_match(answer.short_answer, question.answers)
            result.f1 = token_f1(answer.short_answer, question.answers)
        else:  # a sentence answer: its best-matching part (text or a quote)
            result.em = max(
                [exact_match(text, question.answers)] + [exact_match(q, question.answers) for q in quotes]
            )
            result.f1 = max(
                [token_f1(text, question.answers)] + [token_f1(q, question.answers) for q in quotes]
            )
    if question.answerable and question.answers:
        result.error = error_kind(answer, question.answers, result.em or 0.0)
    if question.answerable and question.evidence_ids:
        hits = [
            p.hit
            for p in qa.index.retrieve(
                answer.standalone_question or question.question, RETRIEVAL_DEPTH
            ).passages
        ]
        result.rank = first_rank(hits, question.evidence_ids)
        if question.answers:
            result.rank_answer = first_rank(hits, question.evidence_ids, question.answers)
    return result


def error_kind(answer: Answer, golds: Sequence[str], em: float) -> str | None:
    """Where a wrong answer went wrong (None when right, by exact match): "refused" although
    answerable; "not_read" when none of the passages the reader read holds the answer;
    "wrong_passage" when one did but the answer cites another; "wrong_span" when the cited
    passage holds the answer but another span of it was chosen."""
    if em >= 1.0:
        return None
    if answer.abstained:
        return "refused"
    read = answer.hits[:READ_PASSAGES]
    holding = {h.chunk.id for h in read if contains_answer(h.chunk.text, golds)}
    if not holding:
        return "not_read"
    cited = {c.chunk_id for c in answer.citations}
    return "wrong_span" if cited & holding else "wrong_passage"


def summarise(results: Sequence[QuestionResult]) -> dict[str, Any]:
    """The metrics of a run, in the shape `qa eval --json` prints."""

    def mean(values: list[float]) -> float | None:
        return round(sum(values) / len(values), 4) if values else None

    def retrieval(ranks: list[int | None]) -> dict[str, float | None]:
        return {
            "hit@1": mean([hit_at(r, 1) for r in ranks]),
            "hit@5": mean([hit_at(r, 5) for r in ranks]),
            "hit@10": mean([hit_at(r, 10) for r in ranks]),
            "mrr@10": mean([reciprocal_rank(r) for r in ranks]),
        }

    with_evidence = [r for r in results if r.answerable and r.evidence_ids]
    with_answers = [r for r in results if r.answerable and r.answers]
    answered = [r for r in results if r.citation_recall is not None]
    latencies = [r.latency_ms for r in results]
    return {
        "n": len(results),
        "retrieval": retrieval([r.rank for r in with_evidence]),
        "retrieval_answer": retrieval([r.rank_answer for r in with_evidence if r.answers]),
        "answer": {
            "contains": mean([r.contains or 0.0 for r in with_answers]),
            "cited_contains": mean([r.cited_contains or 0.0 for r in with_answers]),
            "em": mean([r.em or 0.0 for r in with_answers]),
            "f1": mean([r.f1 or 0.0 for r in with_answers]),
        },
        # the wrong short answers by cause, as shares of the answerable questions
        "errors": {
            kind: mean([float(r.error == kind) for r in with_answers])
            for kind in ("not_read", "wrong_passage", "wrong_span", "refused")
        },
        "citations": {
            "valid": mean([float(r.citations_valid) for r in results]),
            "recall": mean([r.citation_recall or 0.0 for r in answered]),
            "precision": mean([r.citation_precision or 0.0 for r in answered]),
        },
        "abstention": {
            "refused_unanswerable": mean([float(r.abstained) for r in results if not r.answerable]),
            "refused_answerable": mean([float(r.abstained) for r in results if r.answerable]),
        },
        # who actually answered: an LLM run whose provider failed was answered extractively
        "answered_by": dict(Counter(r.model for r in results)),
        "fallbacks": {"count": sum(1 for r in results if r.notice)},
        "latency_ms": {
            "p50": round(percentile(latencies, 50), 1),
            "p95": round(percentile(latencies, 95), 1),
        },
    }


def suggest_threshold(results: Sequence[QuestionResult]) -> tuple[float, float, float] | None:
    """The abstention threshold that best separates answerable from unanswerable questions
    (maximising refused-unanswerable minus refused-answerable), with both rates at it."""
    answerable = [r.score for r in results if r.answerable]
    unanswerable = [r.score for r in results if not r.answerable]
    if not answerable or not unanswerable:
        return None
    best = None
    for threshold in sorted({round(s, 3) for s in answerable + unanswerable}):
        refused_u = sum(s < threshold for s in unanswerable) / len(unanswerable)
        refused_a = sum(s < threshold for s in answerable) / len(answerable)
        if best is None or refused_u - refused_a > best[1] - best[2]:
            best = (threshold, refused_u, refused_a)
    return best


@dataclass
class EvalRun:
    """A finished evaluation: per-question results, the metrics, and how it was set up."""

    results: list[QuestionResult]
    metrics: dict[str, Any]
    setup: dict[str, Any]

    def to_json(self) -> str:
        return json.dumps(self.metrics)
