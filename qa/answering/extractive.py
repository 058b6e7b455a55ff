"""The extractive answerer: the best sentence(s) of the retrieved passages, verbatim, or an
abstention when the evidence is weak. Fully offline; no second model pass is needed
because sentence vectors were pooled from the passages' own token embeddings."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from qa.answering.answer_types import AnswerType, classify_question, offers_answer_type
from qa.answering.answerer import ABSTAIN_TEXT, Answerer, Draft
from qa.answering.citations import citation_for, renumber
from qa.answering.registry import AnswererParts, register_answerer
from qa.answering.retrieval import Passage, Retrieval
from qa.config import DEFAULT_ABSTAIN_BELOW
from qa.store.keyword import content_stems, content_terms, stem
from qa.text import normalize_answer

IdfLookup = Callable[[Iterable[str]], dict[str, float]]


@dataclass(frozen=True)
class Weights:
    """How much each signal counts in a sentence's score (fitted on development data)."""

    similarity: float = 1.0
    overlap: float = 0.8
    context: float = 0.2
    answer_type: float = 0.1
    rank: float = 0.05
    novelty: float = 0.2


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


SECOND_SENTENCE_RATIO = 0.9  # a runner-up this close to the best is added as a second sentence
STRICT_TYPES = (AnswerType.NUMBER, AnswerType.DATE)  # answer types a sentence must show
# answer types whose cue is specific enough to score (in news nearly every sentence has a name)
CUED_TYPES = (AnswerType.NUMBER, AnswerType.DATE, AnswerType.REASON)
TYPED_DEPTH = 5  # how far down the ranking a typed answer is looked for
TYPE_MISS_PENALTY = 0.5  # confidence reported when no sentence offers the wanted type
FEW_NOVEL_TERMS = 2  # a best sentence adding no more new terms than this gets its follower


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
        self, idf: IdfLookup, abstain_below: float = DEFAULT_ABSTAIN_BELOW, weights: Weights = Weights()
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
