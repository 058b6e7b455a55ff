"""Citation markers and their checks: parse `[n]`, build citations whose quotes are verbatim
spans of their articles, test whether a passage supports a claim, and verify answers."""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from qa.ingest.sentences import split_sentences
from qa.store.keyword import content_stems
from qa.types import Answer, Article, Citation, Hit

MARKER = re.compile(r"\[(\d{1,3}(?:\s*,\s*\d{1,3})*)\]")
SUPPORT_THRESHOLD = 0.6  # share of a claim's content terms its quote must hold


@dataclass(frozen=True)
class Claim:
    """A sentence of an answer, without its markers, and the numbers it cites."""

    text: str
    markers: tuple[int, ...]
    separator: str = " "  # what followed it: a space, or the line break(s) of a list or paragraph


def parse_markers(text: str) -> list[int]:
    """Every cited number in `text`, in order (`[1]`, `[2, 3]` and `[2][3]` forms)."""
    return [int(n) for group in MARKER.findall(text) for n in group.split(",")]


def strip_markers(text: str) -> str:
    """`text` without its `[n]` markers and the spaces before them."""
    return _SPACED_MARKER.sub("", text).strip()


# a match starts only where a run of white space starts: linear time on any text
_SPACED_MARKER = re.compile(r"(?<!\s)\s*" + MARKER.pattern)


def split_claims(text: str) -> list[Claim]:
    """The answer's sentences, each with the markers that follow or sit inside it.

    A marker that opens a sentence (after the sentence splitter put it there) belongs to
    the sentence before, as writers put citations after the full stop.
    """
    claims: list[Claim] = []
    sentences = split_sentences(text)
    for position, sentence in enumerate(sentences):
        piece = text[sentence.start : sentence.end]
        following = sentences[position + 1].start if position + 1 < len(sentences) else sentence.end
        gap = text[sentence.end : following]
        separator = "\n\n" if "\n\n" in gap else "\n" if "\n" in gap else " "
        leading = re.match(r"^(\s*" + MARKER.pattern + r")+", piece)
        if leading and claims:
            last = claims[-1]
            claims[-1] = Claim(
                last.text, last.markers + tuple(parse_markers(leading.group())), last.separator
            )
            piece = piece[leading.end() :]
        body = strip_markers(piece)
        if body:
            claims.append(Claim(body, tuple(parse_markers(piece)), separator))
        elif claims:  # a sentence that was only markers: its line break belongs to the claim before
            last = claims[-1]
            claims[-1] = Claim(last.text, last.markers, separator if "\n" in separator else last.separator)
    return _with_leads_merged(claims)


_BOLD_LEAD = re.compile(r"^\*\*[^*]+\*\*(?:\s\([^()]*\))?[.!?]?$")  # "**Friday** (23 June 2023)."


def _with_leads_merged(claims: list[Claim]) -> list[Claim]:
    """A reader's short answer ("**310 million euros**.") is one statement with the cited
    sentence after it, not a statement of its own without a citation."""
    merged: list[Claim] = []
    for claim in claims:
        if merged and _BOLD_LEAD.match(merged[-1].text) and not merged[-1].markers:
            lead = merged.pop()
            claim = Claim(f"{lead.text} {claim.text}", claim.markers, claim.separator)
        merged.append(claim)
    return merged


def citation_for(
    number: int,
    hit: Hit,
    start: int,
    end: int,
    supported: bool = True,
    answer_start: int | None = None,
    answer_end: int | None = None,
) -> Citation:
    """A citation quoting `hit.article.text[start:end]`, with the short answer's offsets
    (inside the quote) when there is one."""
    return article_citation(
        number, hit.article, hit.chunk.id, start, end, supported, answer_start, answer_end
    )


def article_citation(
    number: int,
    article: Article,
    chunk_id: str,
    start: int,
    end: int,
    supported: bool = True,
    answer_start: int | None = None,
    answer_end: int | None = None,
) -> Citation:
    """A citation quoting `article.text[start:end]` from its chunk `chunk_id`."""
    return Citation(
        number=number,
        chunk_id=chunk_id,
        article_id=article.id,
        title=article.title,
        url=article.url,
        source=article.source,
        published=article.published,
        quote=article.text[start:end],
        start=start,
        end=end,
        supported=supported,
        answer_start=answer_start,
        answer_end=answer_end,
    )


def support_score(claim: str, evidence: str) -> float:
    """Share of the claim's content terms (stemmed) that the evidence holds: an offline,
    lexical stand-in for entailment, strict enough to catch a citation to the wrong passage."""
    claim_terms = content_stems(claim)
    if not claim_terms:
        return 1.0
    return len(claim_terms & content_stems(evidence)) / len(claim_terms)


def best_supporting_span(claim: str, hit: Hit) -> tuple[int, int, float]:
    """The sentence (or pair of neighbouring sentences) of the hit's passage that best
    supports `claim`: offsets into the article and the support score."""
    text = hit.article.text
    sentences = split_sentences(text, hit.chunk.start, hit.chunk.end)
    best = (hit.chunk.start, hit.chunk.end, support_score(claim, hit.chunk.text))
    windows = [(s.start, s.end) for s in sentences]
    windows += [(a.start, b.end) for a, b in itertools.pairwise(sentences)]
    for start, end in windows:
        score = support_score(claim, text[start:end])
        shorter = (end - start) < (best[1] - best[0])
        if score > best[2] or (score == best[2] and shorter):
            best = (start, end, score)
    return best


def ground_claims(text: str, hits: Sequence[Hit]) -> tuple[str, tuple[Citation, ...], tuple[str, ...]]:
    """Turn a model's answer citing passages `[n]` (1-based into `hits`) into answer text
    citing quotes: out-of-range markers are dropped, each cited claim is matched to the
    sentence(s) of its passage that support it best, and claims that no cited passage
    supports (or that cite nothing) are returned as unsupported."""
    grounded: list[tuple[str, list[Citation]]] = []
    unsupported: list[str] = []
    claims = split_claims(text)
    for claim in claims:
        cited = []
        for number in dict.fromkeys(claim.markers):
            if 1 <= number <= len(hits):
                start, end, score = best_supporting_span(claim.text, hits[number - 1])
                cited.append(citation_for(0, hits[number - 1], start, end, score >= SUPPORT_THRESHOLD))
        if not any(c.supported for c in cited) and content_stems(claim.text):
            unsupported.append(claim.text)
        grounded.append((claim.text, cited))
    answer_text, citations = renumber(grounded, [c.separator for c in claims])
    return answer_text, citations, tuple(unsupported)


def answer_problems(answer: Answer) -> list[str]:
    """What is wrong with an answer's citations (empty when every `[n]` resolves to
    `citations[n-1]`, numbers run 1..N, and each quote is verbatim at its offsets)."""
    problems = []
    for number in parse_markers(answer.text):
        if not 1 <= number <= len(answer.citations):
            problems.append(f"marker [{number}] has no citation")
    for position, citation in enumerate(answer.citations, 1):
        if citation.number != position:
            problems.append(f"citation {position} is numbered {citation.number}")
        article = next((h.article for h in answer.hits if h.article.id == citation.article_id), None)
        if article is None:
            problems.append(f"citation {position} cites article {citation.article_id!r} not among the hits")
        elif article.text[citation.start : citation.end] != citation.quote:
            problems.append(
                f"citation {position} quote is not the article's text at {citation.start}:{citation.end}"
            )
    return problems


def renumber(
    claims: Sequence[tuple[str, Sequence[Citation]]], separators: Sequence[str] | None = None
) -> tuple[str, tuple[Citation, ...]]:
    """Join claims into answer text with `[n]` markers numbered by first appearance; the
    same quote cited twice shares one number. `separators[i]` follows claim i (a space
    unless given, so a model's paragraphs and lists keep their line breaks)."""
    numbers: dict[tuple[str, int, int], int] = {}
    citations: list[Citation] = []
    parts: list[str] = []
    for text, cited in claims:
        marks = []
        for citation in cited:
            key = (citation.article_id, citation.start, citation.end)
            if key not in numbers:
                numbers[key] = len(citations) + 1
                citations.append(_renumbered(citation, numbers[key]))
            if numbers[key] not in marks:
                marks.append(numbers[key])
        # a bracketed number in the quoted text (a footnote such as "[2]") would read as a marker
        parts.append(strip_markers(text) + "".join(f" [{n}]" for n in marks))
    joined = ""
    for position, part in enumerate(parts):
        separator = separators[position - 1] if separators and position > 0 else " "
        joined += (separator if position else "") + part
    return joined, tuple(citations)


def _renumbered(citation: Citation, number: int) -> Citation:
    from dataclasses import replace

    return replace(citation, number=number)


class ClaimStreamer:
    """Streams an LLM's answer as it will finally read, token by token.

    The final text is `ground_claims` of the whole reply: each sentence's markers checked
    and renumbered by first appearance, so a grounded prefix stays a prefix of it. Each
    delta therefore extends the text to: the grounded complete sentences, then the words
    of the sentence under way without its markers (an unfinished `[` is held back until it
    closes). The deltas add up to the final text, not to the model's raw one.
    """

    def __init__(self, hits: Sequence[Hit]) -> None:
        self.hits = hits
        self.raw = ""
        self.sent = ""
        self._grounded: tuple[str, str] = ("", "")  # (raw prefix, its grounded text)

    def feed(self, delta: str) -> str:
        """Take raw text; return the text to emit now (often a word, sometimes "")."""
        self.raw += delta
        candidate = self._speculative()
        if not candidate.startswith(self.sent):
            return ""  # held back; `finish` settles it
        piece = candidate[len(self.sent) :]
        self.sent = candidate
        return piece

    def restart(self) -> None:
        """A retried completion: everything streamed so far was discarded."""
        self.raw = self.sent = ""

    def finish(self, final_text: str) -> tuple[str, bool]:
        """(what to emit last, whether the stream must restart first because the final
        text does not extend what was sent)."""
        if final_text.startswith(self.sent):
            return final_text[len(self.sent) :], False
        return final_text, True

    def _speculative(self) -> str:
        sentences = split_sentences(self.raw)
        if not sentences:
            return ""
        last = sentences[-1]
        leading = _LEADING_MARKERS.match(self.raw, last.start)
        cut = leading.end() if leading else last.start
        grounded = self._ground(self.raw[:cut])
        partial = self.raw[cut:]
        opened = partial.rfind("[")
        if opened >= 0 and "]" not in partial[opened:]:
            partial = partial[:opened]
        body = strip_markers(partial).strip()
        if not body or not grounded:
            return grounded or body
        gap = self.raw[sentences[-2].end if len(sentences) > 1 else 0 : last.start]
        separator = "\n\n" if "\n\n" in gap else "\n" if "\n" in gap else " "
        return grounded + separator + body

    def _ground(self, prefix: str) -> str:
        if not prefix.strip():
            return ""
        if self._grounded[0] != prefix:
            self._grounded = (prefix, ground_claims(prefix, self.hits)[0])
        return self._grounded[1]


_LEADING_MARKERS = re.compile(r"(?:(?<!\s)\s*" + MARKER.pattern + r")+")
