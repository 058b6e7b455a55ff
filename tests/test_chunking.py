"""Chunks: whole sentences, bounded size, one sentence of overlap, exact offsets."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from qa.ingest.chunking import split_into_chunks
from qa.ingest.sentences import count_words, split_sentences
from qa.types import Article


def article(text: str) -> Article:
    return Article(id="a", title="T", text=text)


def test_offsets_point_at_the_chunk_text() -> None:
    text = "\n".join(
        f"Sentence number {i} says something about topic {i % 7}. It has a second clause." for i in range(80)
    )
    plans = split_into_chunks(article(text), max_words=60)
    assert len(plans) > 5
    for plan in plans:
        chunk = plan.chunk
        assert chunk.text == text[chunk.start : chunk.end]
        assert count_words(chunk.text) <= 60
        assert plan.sentences[0].start == chunk.start and plan.sentences[-1].end == chunk.end


def test_consecutive_chunks_share_exactly_one_sentence() -> None:
    text = " ".join(f"This is sentence {i} of a long paragraph about rivers." for i in range(40))
    plans = split_into_chunks(article(text), max_words=50)
    for before, after in itertools.pairwise(plans):
        assert before.sentences[-1] == after.sentences[0]
        assert before.sentences[-2] not in after.sentences


def test_chunks_prefer_paragraph_breaks() -> None:
    para = "Alpha beta gamma delta epsilon zeta eta theta. " * 5  # 40 words
    text = "\n\n".join(para.strip() for _ in range(4))
    plans = split_into_chunks(article(text), max_words=100)
    # two whole paragraphs fit (80 words); the third would not, so the chunk ends at a break
    first = plans[0].chunk
    assert text[first.end : first.end + 2] == "\n\n"


def test_a_sentence_longer_than_the_limit_is_cut_at_words() -> None:
    text = " ".join(f"w{i}" for i in range(500)) + "."
    plans = split_into_chunks(article(text), max_words=180)
    assert all(count_words(p.chunk.text) <= 180 for p in plans)
    assert plans[-1].chunk.end == len(text)


def test_sentence_splitting_keeps_abbreviations_and_line_breaks() -> None:
    text = "Dr. Smith met U.S. officials at 3 p.m. on Monday. They talked.\nA heading without stop\nLast one."
    pieces = [text[s.start : s.end] for s in split_sentences(text)]
    assert pieces == [
        "Dr. Smith met U.S. officials at 3 p.m. on Monday.",
        "They talked.",
        "A heading without stop",
        "Last one.",
    ]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.text(
            alphabet=st.characters(codec="utf-8", categories=["L", "N", "P", "Zs"]), min_size=1, max_size=80
        ),
        min_size=1,
        max_size=30,
    ),
    st.integers(min_value=20, max_value=200),
)
def test_any_text_chunks_into_exact_spans_covering_every_sentence(lines: list[str], limit: int) -> None:
    text = "\n".join(lines)
    plans = split_into_chunks(article(text), max_words=limit)
    covered = {s for p in plans for s in p.sentences}
    for plan in plans:
        assert plan.chunk.text == text[plan.chunk.start : plan.chunk.end]
        assert count_words(plan.chunk.text) <= limit or len(plan.sentences) == 1
    assert all(s in covered for s in split_sentences(text) if count_words(text[s.start : s.end]) <= limit)
