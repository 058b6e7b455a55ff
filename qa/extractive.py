"""The extractive answerer: the best sentence(s) of the retrieved passages, verbatim, or an
abstention when the evidence is weak. Fully offline; no second model pass is needed
because sentence vectors were pooled from the passages' own token embeddings."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from qa.answer_types import classify_question, offers_answer_type
from qa.answerer import ABSTAIN_TEXT, Draft, Restart
from qa.citations import citation_for, renumber
from qa.config import DEFAULT_ABSTAIN_BELOW
from qa.keyword import content_stems, content_terms, stem
from qa.retrieval import Passage, Retrieval

IdfLookup = Callable[[Iterable[str]], dict[str, float]]


@dataclass(frozen=True)
class Weights:
    """How much each signal counts in a sentence's score (fitted on development data)."""

    similarity: float = 1.0
    overlap: float = 0.8
    context: float = 0.2
    answer_type: float = 0.15
    rank: float = 0.1
    novelty: float = 0.1


@dataclass(frozen=True)
class ScoredSentence:
    """A candidate sentence and its combined score."""

    candidate: Candidate
    score: float


@dataclass(frozen=True)
class Selection:
    """What the extractive answerer picked: sentences (best first) and a confidence."""

    sentences: tuple[ScoredSentence, ...]
    confidence: float
    abstained: bool


SECOND_SENTENCE_RATIO = 0.9


FEATURES = ("similarity", "overlap", "context", "answer_type", "rank", "novelty")


@dataclass(frozen=True)
class Candidate:
    """A sentence of a retrieved passage: offsets into its article, its text and signals."""

    passage: Passage
    start: int
    end: int
    text: str
    similarity: float
    overlap: float


def sentence_features(
    question: str, query_vector: np.ndarray, passages: Sequence[Passage], idf: IdfLookup
) -> tuple[list[Candidate], np.ndarray]:
    """Every distinct sentence of `passages` with its signals as a matrix `[n, len(FEATURES)]`.

    Signals: embedding similarity; the IDF-weighted share of the question's terms the
    sentence holds; the same share for the sentence before it (a question often names the
    topic one sentence before the fact); whether it offers the kind of answer asked for (a
    date for "when", a number for "how many", a name for "who"); the passage's rank prior;
    the share of its words the question does not already use (an answer adds something).
    """
    wanted = classify_question(question)
    question_stems = content_stems(question)
    weights_by_stem = idf(question_stems)
    total_idf = sum(weights_by_stem.values()) or 1.0
    candidates: list[Candidate] = []
    rows: list[tuple[float, ...]] = []
    seen: set[tuple[str, int]] = set()
    for passage in passages:
        article = passage.hit.article
        similarities = passage.sentence_vectors.astype(np.float32) @ query_vector
        texts = [article.text[s.start : s.end] for s in passage.sentences]
        stems = [{stem(t) for t in content_terms(text)} for text in texts]
        overlaps = [sum(weights_by_stem.get(t, 0.0) for t in s & question_stems) / total_idf for s in stems]
        for i, sentence in enumerate(passage.sentences):
            if (article.id, sentence.start) in seen:
                continue  # the shared sentence of two overlapping chunks
            seen.add((article.id, sentence.start))
            candidates.append(
                Candidate(
                    passage, sentence.start, sentence.end, texts[i], float(similarities[i]), overlaps[i]
                )
            )
            rows.append(
                (
                    float(similarities[i]),
                    overlaps[i],
                    overlaps[i - 1] if i > 0 else 0.0,
                    float(offers_answer_type(texts[i], wanted, question)),
                    1.0 / passage.hit.rank,
                    len(stems[i] - question_stems) / max(len(stems[i]), 1),
                )
            )
    return candidates, np.array(rows, dtype=np.float32).reshape(-1, len(FEATURES))


def score_sentences(
    question: str,
    query_vector: np.ndarray,
    passages: Sequence[Passage],
    idf: IdfLookup,
    weights: Weights = Weights(),
) -> list[ScoredSentence]:
    """Every sentence of `passages` scored against `question` (weighted signals), best first."""
    candidates, features = sentence_features(question, query_vector, passages, idf)
    scores = features @ np.array([getattr(weights, f) for f in FEATURES], dtype=np.float32)
    order = np.argsort(-scores, kind="stable")
    return [ScoredSentence(candidates[i], float(scores[i])) for i in order]


def select_sentences(
    scored: Sequence[ScoredSentence],
    abstain_below: float = DEFAULT_ABSTAIN_BELOW,
    max_sentences: int = 2,
) -> Selection:
    """The best sentence, plus the runner-up when it scores nearly as well; or abstain.

    Confidence is the best sentence's similarity plus its term overlap, the signal whose
    distribution separates answerable from unanswerable questions on development data.
    """
    if not scored:
        return Selection((), 0.0, True)
    best = scored[0]
    confidence = best.candidate.similarity + best.candidate.overlap
    if confidence < abstain_below:
        return Selection((best,), confidence, True)
    chosen = [best]
    for candidate in scored[1:max_sentences]:
        if candidate.score >= SECOND_SENTENCE_RATIO * best.score:
            chosen.append(candidate)
    return Selection(tuple(chosen), confidence, False)


class ExtractiveAnswerer:
    """Answers with the best sentence(s) of the passages verbatim, each cited, or abstains.

    `idf` maps question stems to IDF weights of the index; `abstain_below` is the
    confidence under which it refuses (calibrated with `qa eval`, see the README).
    """

    name = "extractive"

    def __init__(
        self, idf: IdfLookup, abstain_below: float = DEFAULT_ABSTAIN_BELOW, weights: Weights = Weights()
    ) -> None:
        self.idf = idf
        self.abstain_below = abstain_below
        self.weights = weights

    def answer(self, question: str, retrieval: Retrieval) -> Draft:
        scored = score_sentences(question, retrieval.query_vector, retrieval.passages, self.idf, self.weights)
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

    def stream(self, question: str, retrieval: Retrieval) -> Iterator[str | Restart | Draft]:
        draft = self.answer(question, retrieval)
        yield from re.findall(r"\S+\s*", draft.text)
        yield draft
