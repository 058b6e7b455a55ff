"""Scoring functions for evaluation: SQuAD answer normalisation, exact match, token F1,
containment, ranks, and ALCE-style citation recall and precision with an offline support check."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from qa.answering.citations import SUPPORT_THRESHOLD, split_claims, support_score
from qa.text import normalize_answer
from qa.types import Answer, Hit


def exact_match(prediction: str, golds: Sequence[str]) -> float:
    """1.0 when the normalised prediction equals a normalised gold answer."""
    normalised = normalize_answer(prediction)
    return float(any(normalised == normalize_answer(g) for g in golds))


def token_f1(prediction: str, golds: Sequence[str]) -> float:
    """Best token-overlap F1 of the prediction against the gold answers (SQuAD)."""
    best = 0.0
    predicted = normalize_answer(prediction).split()
    for gold in golds:
        expected = normalize_answer(gold).split()
        common = Counter(predicted) & Counter(expected)
        overlap = sum(common.values())
        if not predicted or not expected:
            best = max(best, float(predicted == expected))
        elif overlap:
            precision, recall = overlap / len(predicted), overlap / len(expected)
            best = max(best, 2 * precision * recall / (precision + recall))
    return best


def contains_answer(text: str, golds: Sequence[str]) -> float:
    """1.0 when a normalised gold answer appears in the normalised text (as whole words); a
    currency sign before a number is a word of its own ("£9,400" holds the gold "9,400":
    normalisation drops ASCII punctuation only, so "$9,400" did and "£9,400" did not)."""
    haystack = f" {_normalised(text)} "
    return float(any(_normalised(g) and f" {_normalised(g)} " in haystack for g in golds))


_CURRENCY_BEFORE_NUMBER = re.compile(r"([£€¥₹₩₽])(?=\d)")


def _normalised(text: str) -> str:
    return normalize_answer(_CURRENCY_BEFORE_NUMBER.sub(r"\1 ", text))


def first_rank(hits: Sequence[Hit], evidence_ids: Sequence[str], golds: Sequence[str] = ()) -> int | None:
    """1-based rank of the first hit from an evidence article (that also contains a gold
    answer, when `golds` are given); None when no hit qualifies."""
    wanted = set(evidence_ids)
    for position, hit in enumerate(hits, 1):
        if hit.article.id in wanted and (not golds or contains_answer(hit.chunk.text, golds)):
            return position
    return None


def hit_at(rank: int | None, k: int) -> float:
    return float(rank is not None and rank <= k)


def reciprocal_rank(rank: int | None, k: int = 10) -> float:
    return 1.0 / rank if rank is not None and rank <= k else 0.0


def citation_scores(answer: Answer) -> tuple[float, float] | None:
    """ALCE-style (recall, precision) of an answer's citations, or None when it has no
    statements to check (an abstention).

    Recall: share of statements whose cited quotes, together, support them. Precision:
    share of citations that support their statement alone, or without which a supported
    statement would no longer be supported. Support is the offline lexical check of
    `qa.answering.citations.support_score` (a stand-in for the NLI model ALCE uses).
    """
    if answer.abstained:
        return None
    by_number = {c.number: c for c in answer.citations}
    statements = split_claims(answer.text)
    if not statements:
        return None
    supported_statements = 0
    relevant = 0
    total_citations = 0
    for statement in statements:
        quotes = [by_number[n].quote for n in dict.fromkeys(statement.markers) if n in by_number]
        together = support_score(statement.text, " ".join(quotes)) >= SUPPORT_THRESHOLD if quotes else False
        supported_statements += together
        for i, quote in enumerate(quotes):
            total_citations += 1
            alone = support_score(statement.text, quote) >= SUPPORT_THRESHOLD
            others = " ".join(q for j, q in enumerate(quotes) if j != i)
            needed = together and not (others and support_score(statement.text, others) >= SUPPORT_THRESHOLD)
            relevant += alone or needed
    recall = supported_statements / len(statements)
    precision = relevant / total_citations if total_citations else 0.0
    return recall, precision


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0–100) by linear interpolation; 0.0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)
