"""The sentence ranker: every sentence of the retrieved passages scored against the question
by weighted signals (embedding similarity, the question's terms it holds, the kind of answer
it offers). The extractive answerer answers with its best sentences; the reader weighs its
spans by it."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from qa.answering.answer_types import AnswerType, classify_question, offers_answer_type
from qa.answering.retrieval import Passage
from qa.store.keyword import content_stems, content_terms, stem

IdfLookup = Callable[[Iterable[str]], dict[str, float]]
# answer types whose cue is specific enough to score (in news nearly every sentence has a name)
CUED_TYPES = (AnswerType.NUMBER, AnswerType.DATE, AnswerType.REASON)


@dataclass(frozen=True)
class Weights:
    """How much each signal counts in a sentence's score (fitted on development data)."""

    similarity: float = 1.0
    overlap: float = 0.8
    context: float = 0.2
    answer_type: float = 0.1
    rank: float = 0.05
    novelty: float = 0.2


DEFAULT_WEIGHTS = Weights()


@dataclass(frozen=True)
class ScoredSentence:
    """A candidate sentence and its combined score."""

    candidate: Candidate
    score: float


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
    wants_type: AnswerType = AnswerType.OTHER
    offers_type: bool = False
    novel_terms: int = 0


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
            offers = offers_answer_type(texts[i], wanted, question)
            novel = stems[i] - question_stems
            candidates.append(
                Candidate(
                    passage,
                    sentence.start,
                    sentence.end,
                    texts[i],
                    float(similarities[i]),
                    overlaps[i],
                    wanted,
                    offers,
                    len(novel),
                )
            )
            rows.append(
                (
                    float(similarities[i]),
                    overlaps[i],
                    overlaps[i - 1] if i > 0 else 0.0,
                    float(offers and wanted in CUED_TYPES),
                    1.0 / passage.hit.rank,
                    len(novel) / max(len(stems[i]), 1),
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
