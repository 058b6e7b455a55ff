"""The extractive answerer: the best sentence(s) of the retrieved passages, verbatim, or an
abstention when the evidence is weak. Fully offline; no second model pass is needed
because sentence vectors were pooled from the passages' own token embeddings."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from qa.answering.answer_types import AnswerType
from qa.answering.answerer import ABSTAIN_TEXT, Answerer, Draft
from qa.answering.citations import citation_for, renumber
from qa.answering.registry import AnswererParts, register_answerer
from qa.answering.retrieval import Retrieval
from qa.answering.sentence_scores import (
    DEFAULT_WEIGHTS,
    Candidate,
    IdfLookup,
    ScoredSentence,
    Weights,
    score_sentences,
)
from qa.config import DEFAULT_ABSTAIN_BELOW
from qa.text import normalize_answer


@dataclass(frozen=True)
class Selection:
    """What the extractive answerer picked: sentences (best first) and a confidence."""

    sentences: tuple[ScoredSentence, ...]
    confidence: float
    abstained: bool


SECOND_SENTENCE_RATIO = 0.9  # a runner-up this close to the best is added as a second sentence
STRICT_TYPES = (AnswerType.NUMBER, AnswerType.DATE)  # answer types a sentence must show
TYPED_DEPTH = 5  # how far down the ranking a typed answer is looked for
TYPE_MISS_PENALTY = 0.5  # confidence reported when no sentence offers the wanted type
FEW_NOVEL_TERMS = 2  # a best sentence adding no more new terms than this gets its follower


def select_sentences(
    scored: Sequence[ScoredSentence],
    abstain_below: float = DEFAULT_ABSTAIN_BELOW,
    max_sentences: int = 2,
) -> Selection:
    """The best sentence and, when it helps, a second one; or an abstention.

    A question that wants a number or a date is answered only by a sentence among the top
    few that offers one. Confidence is the chosen sentence's similarity plus its term
    overlap, the signal whose distribution separates answerable from unanswerable
    questions (see `qa eval --out`). A second sentence is added when the best one says
    little beyond the question (its next sentence carries the answer: "He made vague
    demands." → "That Shoigu should be removed…"), else when the runner-up scores nearly
    as well.
    """
    if not scored:
        return Selection((), 0.0, True)
    best = scored[0]
    if best.candidate.wants_type in STRICT_TYPES:
        typed = [s for s in scored[:TYPED_DEPTH] if s.candidate.offers_type]
        if not typed:
            return Selection((best,), _confidence(best) * TYPE_MISS_PENALTY, True)
        best = typed[0]
    confidence = _confidence(best)
    if confidence < abstain_below:
        return Selection((best,), confidence, True)
    chosen = [best]
    follower = _next_sentence(best, scored)
    if max_sentences > 1 and follower is not None and _says_little(best.candidate):
        chosen.append(follower)
    elif max_sentences > 1:
        runner_up = next((s for s in scored if s is not best), None)
        if runner_up is not None and runner_up.score >= SECOND_SENTENCE_RATIO * best.score:
            chosen.append(runner_up)
    return Selection(tuple(chosen), confidence, False)


def _confidence(sentence: ScoredSentence) -> float:
    return sentence.candidate.similarity + sentence.candidate.overlap


def _says_little(candidate: Candidate) -> bool:
    return candidate.novel_terms <= FEW_NOVEL_TERMS or candidate.text.rstrip().endswith(":")


def _next_sentence(sentence: ScoredSentence, scored: Sequence[ScoredSentence]) -> ScoredSentence | None:
    """The scored sentence that follows `sentence` in the same article, if retrieved."""
    article_id = sentence.candidate.passage.hit.article.id
    following = [
        s
        for s in scored
        if s.candidate.passage.hit.article.id == article_id and s.candidate.start >= sentence.candidate.end
    ]
    return min(following, key=lambda s: s.candidate.start, default=None)


class ExtractiveAnswerer(Answerer):
    """Answers with the best sentence(s) of the passages verbatim, each cited, or abstains.

    `idf` maps question stems to IDF weights of the index; `abstain_below` is the
    confidence under which it refuses (calibrated with `qa eval`, see the README).
    """

    name = "extractive"
    abstain_below: float

    def __init__(
        self, idf: IdfLookup, abstain_below: float = DEFAULT_ABSTAIN_BELOW, weights: Weights = DEFAULT_WEIGHTS
    ) -> None:
        self.idf = idf
        self.abstain_below = abstain_below
        self.weights = weights

    def answer(self, question: str, retrieval: Retrieval, avoid: Sequence[str] = ()) -> Draft:
        scored = score_sentences(question, retrieval.query_vector, retrieval.passages, self.idf, self.weights)
        repeated = [normalize_answer(text) for text in avoid if text.strip()]
        if repeated:  # a follow-up: sentences already given as answers are passed over
            scored = [s for s in scored if not any(normalize_answer(s.candidate.text) in r for r in repeated)]
        selection = select_sentences(scored, self.abstain_below)
        if selection.abstained:
            return Draft(ABSTAIN_TEXT, (), True, self.name, selection.confidence)
        # sentences read in article order when they come from the same passage
        ordered = sorted(selection.sentences, key=lambda s: (s.candidate.passage.hit.rank, s.candidate.start))
        claims = [
            (s.candidate.text, [citation_for(0, s.candidate.passage.hit, s.candidate.start, s.candidate.end)])
            for s in ordered
        ]
        text, citations = renumber(claims)
        return Draft(text, citations, False, self.name, selection.confidence)


def _make(parts: AnswererParts, name: str) -> ExtractiveAnswerer:
    if parts.idf is None:
        raise ValueError("the sentence scorer needs the index's IDF weights (AnswererParts.idf)")
    return ExtractiveAnswerer(
        parts.idf, DEFAULT_ABSTAIN_BELOW if parts.abstain_below is None else parts.abstain_below
    )


register_answerer(ExtractiveAnswerer, _make)
