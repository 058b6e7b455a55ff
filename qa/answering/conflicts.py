"""Sources that disagree: two outlets report 310 and 340 million euros, one copy of a story
carries a wrong date. When the passages read for a question give different answers of the
kind the question asks (a number, a date, a name), both about as likely, the answer names
each with its citations, the better supported first ("Sources differ: **310 million
euros** [1][3]; **340 million euros** [2].").

"Different" is decided on normalised answers: numbers parsed with their scale ("310
million" = "310,000,000" = "310m"), dates by their numbers and month names, names folded
(case, accents, a first name left out: "Lukashenko" is "Alexander Lukashenko"); spans that
are one answer worded twice are one answer.

Two ways for another passage's answer to count. It is about as likely as the chosen one
(`CONFLICT_MARGIN`): two outlets that word the report each their own way. Or it fills the
same slot of the same sentence (`same_claim`): a syndicated copy whose figure was changed,
which the reader may find far less likely (an invented name in a known context, a passage
cut from its article) though it plainly says something else about the same thing.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from typing import Any

from qa.answering.dates import MONTH_NAMES, NUMBER_WORDS
from qa.text import fold

# another answer counts when at least a hundredth as likely as the chosen one: the same
# sentence in two outlets' copies scores up to ~5 nats apart when the passages around it
# differ. Chosen on the held-out SQuAD training articles (bench/conflicts.py --articles
# train/cache/heldout/...): both answers named 0.62 at 1/8, 0.70 at 1/30, 0.77 at 1/100 and
# at 1/300, where false "Sources differ" rose from 0.01 to 0.02
CONFLICT_MARGIN = math.log(100)
MOST_ANSWERS = 3  # answers named when sources differ, at most

_MONTHS = {  # month names and their abbreviations ("Sept." too) -> the month's number
    **{name.casefold(): n for n, name in enumerate(MONTH_NAMES, 1)},
    **{name.casefold()[:3]: n for n, name in enumerate(MONTH_NAMES, 1)},
    "sept": 9,
}
_SCALES = {
    "thousand": 1e3,
    "k": 1e3,
    "million": 1e6,
    "m": 1e6,
    "mn": 1e6,
    "billion": 1e9,
    "bn": 1e9,
    "b": 1e9,
    "trillion": 1e12,
    "tn": 1e12,
}
_WORD_NUMBERS = {
    **NUMBER_WORDS,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "hundred": 100,
    "dozen": 12,
}
_NUMBER = re.compile(r"(\d+(?:[.,]\d+)*)\s*(thousand|million|billion|trillion|bn|mn|tn|k|m|b)?\b", re.I)
_WORD = re.compile(r"[^\W_]+")
_TITLES = {"mr", "mrs", "ms", "dr", "prof", "sir", "president", "minister", "mayor", "general", "the"}


def numbers(text: str) -> tuple[float, ...]:
    """The numbers of a span, scaled ("310 million" -> 310e6), word numbers included."""
    found: list[float] = []
    for digits, scale in _NUMBER.findall(text):
        raw = digits.replace(",", "") if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", digits) else digits
        try:
            value = float(raw.replace(",", "."))
        except ValueError:
            continue
        found.append(value * _SCALES.get(scale.lower(), 1.0) if scale else value)
    for word in _WORD.findall(text.casefold()):
        if word in _WORD_NUMBERS:
            found.append(float(_WORD_NUMBERS[word]))
    return tuple(found)


def kind(text: str) -> str | None:
    """ "date", "number" or "name" for a short answer that states a fact of that kind (the
    kinds whose disagreement can be told), else None."""
    words = _WORD.findall(text)
    if _month_in(text) or re.search(r"\b(1[5-9]\d\d|20\d\d)\b", text):
        return "date"
    if numbers(text):
        return "number"
    if words and any(w[:1].isupper() for w in words) and len(words) <= 6:
        return "name"
    return None


def same_answer(a: str, b: str) -> bool:
    """Whether two short answers say the same (see the module's doc)."""
    kind_a, kind_b = kind(a), kind(b)
    if kind_a != kind_b and numbers(a) and numbers(b):  # "1500" read as a year, "1,500" as a count
        kind_a = kind_b = "number"
    if kind_a != kind_b or kind_a is None:
        return fold(a).strip() == fold(b).strip()
    if kind_a == "date":
        key_a, key_b = _date_key(a), _date_key(b)
        return bool(key_a and key_b) and (key_a <= key_b or key_b <= key_a)
    if kind_a == "number":
        x, y = numbers(a), numbers(b)  # "720 feet (220 m)" and "220 m", "21 to 11" and "11"
        return bool(x and y) and (_values_within(x, y) or _values_within(y, x))
    names_a, names_b = _name_words(a), _name_words(b)
    return bool(names_a and names_b) and (names_a <= names_b or names_b <= names_a)


def _comparable(answer_kind: str, answer: str, other: str) -> bool:
    """Whether `other` is an answer of the kind of `answer` (`answer_kind`): a bare year and
    a count are both numbers ("1378" reads as a count, "1585" as a year)."""
    other_kind = kind(other)
    if other_kind == answer_kind:
        return True
    kinds = {answer_kind, other_kind}
    return kinds == {"date", "number"} and not any(_month_in(text) for text in (answer, other))


def _month_in(text: str) -> bool:
    """Whether `text` names a month ("June", "Sept.", not "may")."""
    return any(w.casefold() in _MONTHS and (w[0].isupper() or len(w) > 3) for w in _WORD.findall(text))


def _values_within(x: Sequence[float], y: Sequence[float]) -> bool:
    """Whether every value of `x` is one of `y`'s."""
    return all(any(math.isclose(p, q, rel_tol=1e-6) for q in y) for p in x)


def _date_key(text: str) -> frozenset[str]:
    """A date's parts: its numbers and its month (as a number)."""
    parts = set()
    for word in _WORD.findall(fold(text)):
        if word in _MONTHS:
            parts.add(f"m{_MONTHS[word]}")
        elif word.isdigit():
            parts.add(str(int(word)))
    return frozenset(parts)


def _name_words(text: str) -> frozenset[str]:
    return frozenset(w for w in _WORD.findall(fold(text)) if w not in _TITLES and len(w) > 1)


def distinct(answers: Sequence[str]) -> list[list[int]]:
    """Groups of the answers' positions that say the same, in order of first appearance."""
    groups: list[list[int]] = []
    for position, answer in enumerate(answers):
        for group in groups:
            if same_answer(answers[group[0]], answer):
                group.append(position)
                break
        else:
            groups.append([position])
    return groups


def differing_choices(
    question: str,
    spans: Sequence[Any],
    passages: Sequence[Any],
    chosen: Any,
    choose: Callable[[Any], Any | None],
    threshold: float,
) -> list[Any]:
    """Answers other articles give to the question that differ from the chosen one: spans
    of the reading (best first) in another article, made into a `Choice` by `choose` (the
    same span hygiene), of the chosen answer's kind, saying something else, in a sentence
    that names as many of the question's names and numbers as the chosen sentence does (the
    same claim, not a neighbouring fact), in an article published within `SAME_NEWS_DAYS` of
    the chosen one's when both are dated; and either at most `CONFLICT_MARGIN` less likely
    than the chosen span, from a window the reader finds answerable (>= `threshold`), or in
    the same slot of the same sentence (`same_claim`). The chosen answer first, then one per
    different answer, at most `MOST_ANSWERS` in all; [] when they agree."""
    from qa.answering.reader_answerer import names_and_numbers

    text_of = _span_text(chosen)
    answer_kind = kind(text_of)
    if answer_kind is None:
        return []
    names = [name.casefold() for name in names_and_numbers(question)]

    def named(choice: Any) -> int:
        sentence = choice.passage.hit.article.text[choice.sentence_start : choice.sentence_end].casefold()
        return sum(name in sentence for name in names)

    needed = named(chosen)
    found = [chosen]
    for span in spans:
        if len(found) >= MOST_ANSWERS:
            break
        if passages[span.passage].hit.article.id == chosen.passage.hit.article.id:
            continue
        likely = span.score >= chosen.span.score - CONFLICT_MARGIN and span.answerable >= threshold
        choice = choose(span)
        if choice is None or not (likely or same_claim(choice, chosen)):
            continue
        other = _span_text(choice)
        if not _comparable(answer_kind, text_of, other) or any(
            same_answer(_span_text(f), other) for f in found
        ):
            continue
        if named(choice) < needed or _apart(choice, chosen):
            continue
        found.append(choice)
    return found if len(found) > 1 else []


def supporting(
    choices: Sequence[Any],
    spans: Sequence[Any],
    passages: Sequence[Any],
    choose: Callable[[Any], Any | None],
    margin: float = CONFLICT_MARGIN,
) -> list[list[Any]]:
    """For each differing answer, the choices (one per article) that state it: the answer's
    own, then other articles' spans of the same answer within `margin`, or in the same slot
    of the same sentence as the answer's own (another copy of its report). The best
    supported answer first: the one told by the most articles, copies of a story that say
    the same counted (the chosen answer first among equals)."""
    groups: list[list[Any]] = [[c] for c in choices]
    seen = {c.passage.hit.article.id for c in choices}
    best = choices[0].span.score if choices else 0.0
    for span in spans:
        article = passages[span.passage].hit.article.id
        if article in seen:
            continue
        choice = choose(span)
        if choice is None:
            continue
        for group in groups:
            if same_answer(_span_text(group[0]), _span_text(choice)) and (
                span.score >= best - margin or same_claim(choice, group[0])
            ):
                group.append(choice)
                seen.add(article)
                break
    return sorted(groups, key=lambda group: -sum(_outlets(choice) for choice in group))


def _outlets(choice: Any) -> int:
    """How many articles a choice speaks for: its own and the copies of its story that say
    the same (`Hit.also_reported_by`)."""
    return 1 + len(choice.passage.hit.also_reported_by)


# two sentences are one when the Jaccard similarity of their words around the answer is at
# least SAME_SENTENCE and the FRAME_WORDS words either side of it are the same (fewer at a
# sentence's edge). On the held-out SQuAD training articles (bench/conflicts.py --articles
# train/cache/heldout/...) both answers are named 0.775 at 0.6, 0.8 and 0.9 and at 1, 2 and 3
# words alike (0.725 without the rule), false "Sources differ" 0.01 in all
SAME_SENTENCE = 0.8
FRAME_WORDS = 2


def same_claim(a: Any, b: Any) -> bool:
    """Whether two answers fill the same slot of one sentence: the words either side of
    each (`FRAME_WORDS`) are the same, and the rest of their sentences nearly so
    (`SAME_SENTENCE`): "More than 58% of this area is sown for wheat" and "More than 50% of
    this area is sown for wheat" (one report, copied with another figure); not "Siemens will
    cut 300 jobs at its plant" and "Bosch will cut 500 jobs"."""
    before_a, after_a = _around(a)
    before_b, after_b = _around(b)
    if before_a[-FRAME_WORDS:] != before_b[-FRAME_WORDS:] or after_a[:FRAME_WORDS] != after_b[:FRAME_WORDS]:
        return False
    words_a, words_b = set(before_a + after_a), set(before_b + after_b)
    if len(words_a) < 2 * FRAME_WORDS:
        return False  # too little of a sentence to tell ("It was 310." and "It was 340.")
    return len(words_a & words_b) / len(words_a | words_b) >= SAME_SENTENCE


def _around(choice: Any) -> tuple[list[str], list[str]]:
    """The folded words of a choice's sentence before its span and after it."""
    text = choice.passage.hit.article.text
    start = choice.passage.hit.chunk.start + choice.span.start
    end = choice.passage.hit.chunk.start + choice.span.end
    before = _WORD.findall(fold(text[choice.sentence_start : max(choice.sentence_start, start)]))
    after = _WORD.findall(fold(text[min(end, choice.sentence_end) : choice.sentence_end]))
    return before, after


SAME_NEWS_DAYS = 7  # reports further apart than this are news updating news, not a disagreement


def _apart(a: Any, b: Any) -> bool:
    """Whether two answers come from articles published more than `SAME_NEWS_DAYS` apart
    (12 million euros in March, 15 million in September: the estimate changed; the
    newest-first rule of "latest" questions and the date notes tell that story)."""
    from qa.answering.dates import publication_date

    first = publication_date(a.passage.hit.article.published)
    second = publication_date(b.passage.hit.article.published)
    return first is not None and second is not None and abs((first - second).days) > SAME_NEWS_DAYS


def _span_text(choice: Any) -> str:
    offset = choice.passage.hit.chunk.start
    return str(choice.passage.hit.article.text[offset + choice.span.start : offset + choice.span.end])
