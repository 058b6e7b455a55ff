"""Sentence-aware chunking: passages of at most `max_words` words, one sentence of overlap."""

from __future__ import annotations

import re
from dataclasses import dataclass

from qa.ingest.sentences import count_words, paragraph_starts, split_sentences
from qa.types import Article, Chunk, Sentence

# Raise CHUNKER_VERSION with any change to how chunks are cut: it is part of the index's
# fingerprint (qa.store.identity), so an index of the old chunks is refused, not mixed.
CHUNKER_VERSION = 1
CHUNK_OVERLAP = 1  # sentences each chunk repeats from the one before
_WORD = re.compile(r"\S+")


@dataclass(frozen=True)
class ChunkPlan:
    """A chunk together with the sentences it is made of (offsets into the article)."""

    chunk: Chunk
    sentences: tuple[Sentence, ...]


def chunk_id(article_id: str, ordinal: int) -> str:
    """The id of an article's chunk number `ordinal` (the first, 0, holds its lead)."""
    return f"{article_id}#{ordinal}"


def split_into_chunks(
    article: Article, max_words: int = 180, overlap: int = CHUNK_OVERLAP
) -> list[ChunkPlan]:
    """Cut an article into passages of whole sentences, never crossing the article.

    A chunk ends at a paragraph break when the next paragraph would not fit whole and the
    chunk is already a third full, so passages follow the article's own structure. Each
    chunk after the first repeats the last `overlap` sentences of the one before.
    """
    text = article.text
    sentences = _limit_sentence_length(text, split_sentences(text), max_words)
    if not sentences:
        return []
    words = [count_words(text[s.start : s.end]) for s in sentences]
    para_words = _words_to_paragraph_end(text, sentences, words)
    starts = paragraph_starts(text)
    plans: list[ChunkPlan] = []
    i = 0
    while i < len(sentences):
        j, total = i, 0
        while j < len(sentences) and (j == i or total + words[j] <= max_words):
            at_break = j > i and sentences[j].start in starts
            if at_break and total >= max_words // 3 and total + para_words[j] > max_words:
                break
            total += words[j]
            j += 1
        group = sentences[i:j]
        start, end = group[0].start, group[-1].end
        chunk = Chunk(
            id=chunk_id(article.id, len(plans)),
            article_id=article.id,
            ordinal=len(plans),
            text=text[start:end],
            start=start,
            end=end,
        )
        plans.append(ChunkPlan(chunk, tuple(group)))
        if j >= len(sentences):
            break
        i = max(j - overlap, i + 1)
    return plans


def _words_to_paragraph_end(text: str, sentences: list[Sentence], words: list[int]) -> list[int]:
    """For each sentence, the words from it to the end of its paragraph."""
    result = [0] * len(sentences)
    running = 0
    for k in range(len(sentences) - 1, -1, -1):
        running += words[k]
        result[k] = running
        starts_paragraph = k == 0 or "\n" in text[sentences[k - 1].end : sentences[k].start]
        if starts_paragraph:
            running = 0
    return result


def _limit_sentence_length(text: str, sentences: list[Sentence], max_words: int) -> list[Sentence]:
    """Cut sentences longer than `max_words` (tables, run-ons) at word boundaries."""
    result: list[Sentence] = []
    for sentence in sentences:
        spans = [m.span() for m in _WORD.finditer(text, sentence.start, sentence.end)]
        if len(spans) <= max_words:
            result.append(sentence)
            continue
        for k in range(0, len(spans), max_words):
            piece = spans[k : k + max_words]
            result.append(Sentence(piece[0][0], piece[-1][1]))
    return result
