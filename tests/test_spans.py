"""Span decoding on hand-made logits: offsets map back to the text exactly, a span never
crosses a sentence, the best span wins across passages, and no answer when none is likely."""

from __future__ import annotations

import re

import numpy as np

from qa.answering.reader import decode_windows
from qa.answering.spans import NEG, char_span, log_softmax, token_segments, top_spans
from qa.answering.windows import PassageInput, Window

TEXT = "The bridge opened on Friday. The final bill came to 310 million euros."


def window(passage: int = 0, text: str = TEXT) -> Window:
    """A toy tokenisation: [CLS] q q [SEP], the words of `text`, [SEP]."""
    words = [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]
    head = 4
    n = head + len(words) + 1
    offsets = np.zeros((n, 2), dtype=np.int64)
    offsets[head : head + len(words)] = words
    allowed = np.zeros(n, dtype=bool)
    allowed[head : head + len(words)] = True
    first = text.index(".") + 1
    bounds = ((0, first), (first + 1, len(text)))
    segments = token_segments(offsets, allowed, bounds)
    allowed &= segments >= 0
    return Window(passage, np.arange(n), np.zeros(n, dtype=np.int64), offsets, allowed, segments)


def logits_for(
    win: Window, start_token: int, end_token: int, strength: float = 8.0
) -> tuple[np.ndarray, np.ndarray]:
    start = np.zeros(len(win.ids))
    end = np.zeros(len(win.ids))
    start[start_token] = strength
    end[end_token] = strength
    return start, end


def token_of(win: Window, word: str, occurrence: int = 0) -> int:
    hits = [
        k for k in range(len(win.ids)) if win.allowed[k] and TEXT[slice(*win.offsets[k])].strip(".") == word
    ]
    return hits[occurrence]


def test_offsets_map_back_to_the_text_exactly() -> None:
    win = window()
    start, end = logits_for(win, token_of(win, "310"), token_of(win, "euros"))
    (best,) = top_spans(start, end, win.allowed, n=1, segments=win.segments)
    s, e = char_span(win.offsets, best)
    assert TEXT[s:e] == "310 million euros."
    assert (s, e) == (TEXT.index("310"), len(TEXT))


def test_a_span_never_crosses_two_sentences() -> None:
    win = window()
    start, end = logits_for(win, token_of(win, "Friday"), token_of(win, "final"))
    spans = top_spans(start, end, win.allowed, n=50, segments=win.segments)
    assert spans and all(win.segments[s.start] == win.segments[s.end] for s in spans)
    without_segments = top_spans(start, end, win.allowed, n=1)
    assert win.segments[without_segments[0].start] != win.segments[without_segments[0].end]


def test_spans_respect_their_length_limit_and_order() -> None:
    win = window()
    start, end = logits_for(win, token_of(win, "The"), token_of(win, "euros"))
    spans = top_spans(start, end, win.allowed, max_tokens=3, n=10, segments=win.segments)
    assert all(0 <= s.end - s.start < 3 for s in spans)
    assert [s.score for s in spans] == sorted((s.score for s in spans), reverse=True)


def test_log_softmax_ignores_masked_positions() -> None:
    logits = np.array([1.0, 2.0, 100.0])
    allowed = np.array([True, True, False])
    result = log_softmax(logits, allowed)
    assert np.isclose(np.exp(result[:2]).sum(), 1.0) and result[2] == NEG
    assert (log_softmax(logits, np.zeros(3, dtype=bool)) == NEG).all()


def test_the_best_span_wins_across_passages() -> None:
    first, second = window(0), window(1)
    s1, e1 = logits_for(first, token_of(first, "Friday"), token_of(first, "Friday"), strength=4.0)
    s2, e2 = logits_for(second, token_of(second, "310"), token_of(second, "euros"), strength=9.0)
    reading = decode_windows(
        [first, second], np.stack([s1, s2]), np.stack([e1, e2]), np.array([3.0, 3.0]), 2, 30
    )
    best = reading.spans[0]
    assert best.passage == 1 and TEXT[best.start : best.end] == "310 million euros."
    assert len(reading.answerable) == 2 and reading.best_answerable > 0.9


def test_a_passage_that_looks_unanswerable_loses_even_with_a_sharp_span() -> None:
    first, second = window(0), window(1)
    s1, e1 = logits_for(first, token_of(first, "Friday"), token_of(first, "Friday"), strength=9.0)
    s2, e2 = logits_for(second, token_of(second, "310"), token_of(second, "euros"), strength=9.0)
    reading = decode_windows(
        [first, second], np.stack([s1, s2]), np.stack([e1, e2]), np.array([-6.0, 4.0]), 2, 30
    )
    assert reading.spans[0].passage == 1
    assert reading.answerable[0] < 0.01 < 0.9 < reading.answerable[1]


def test_no_answer_when_every_window_says_so() -> None:
    from qa.answering.reader import ReaderConfig

    win = window()
    start, end = logits_for(win, 0, 0)  # the first token: "no answer"
    reading = decode_windows([win], start[None], end[None], np.array([-5.0]), 1, 30)
    assert reading.best_answerable < ReaderConfig().no_answer_below


def test_token_segments_leave_out_what_no_sentence_holds() -> None:
    offsets = np.array([[0, 0], [0, 3], [4, 10], [11, 18], [0, 0]])
    allowed = np.array([False, True, True, True, False])
    segments = token_segments(offsets, allowed, [(0, 10)])
    assert segments.tolist() == [-1, 0, 0, -1, -1]


def test_reader_spans_carry_offsets_into_the_passage_text() -> None:
    win = window()
    start, end = logits_for(win, token_of(win, "Friday"), token_of(win, "Friday"))
    reading = decode_windows([win], start[None], end[None], np.array([5.0]), 1, 30)
    span = reading.spans[0]
    passage = PassageInput(TEXT, ((0, 28), (29, len(TEXT))))
    assert TEXT[span.start : span.end] == "Friday." and passage.segments[span.segment] == (0, 28)


def test_shared_normalisation_compares_raw_scores_across_passages() -> None:
    """A shared-normalised model's logits compare across windows: the sharper span wins even
    where a per-window softmax would rate both alike."""
    first, second = window(0), window(1)
    s1, e1 = logits_for(first, token_of(first, "Friday"), token_of(first, "Friday"), strength=4.0)
    s2, e2 = logits_for(second, token_of(second, "310"), token_of(second, "euros"), strength=9.0)
    starts, ends = np.stack([s1, s2]), np.stack([e1, e2])
    reading = decode_windows([first, second], starts, ends, np.array([3.0, 3.0]), 2, 30, shared=True)
    best = reading.spans[0]
    assert best.passage == 1 and TEXT[best.start : best.end] == "310 million euros."
    # scores are log-probabilities under one softmax over both windows: they sum below 1
    total = sum(np.exp(s.score) for s in reading.spans)
    assert 0.5 < total <= 1.0 + 1e-9


def test_each_sentence_offers_its_best_span_after_the_window_s_best() -> None:
    win = window()
    start, end = logits_for(win, token_of(win, "310"), token_of(win, "euros"))
    start[token_of(win, "Friday")] = 3.0  # a weaker answer in the first sentence
    end[token_of(win, "Friday")] = 3.0
    spans = top_spans(start, end, win.allowed, n=2, segments=win.segments, each_segment=True)
    best, fallbacks = spans[:2], spans[2:]
    assert not any(s.fallback for s in best) and all(s.fallback for s in fallbacks)
    # the first sentence's best is among the fallbacks, though not among the window's two best
    first = [s for s in fallbacks if win.segments[s.start] == 0]
    assert len(first) == 1 and TEXT[slice(*char_span(win.offsets, first[0]))].startswith("Friday")
    assert all(win.segments[s.start] == 1 for s in best)  # both of the second sentence
    # without it, only the window's best
    assert top_spans(start, end, win.allowed, n=2, segments=win.segments) == best
