"""HTML for the chat: answers with clickable `[n]` markers, the sources panel, upload results.

Everything that comes from an article, a file name or a model is escaped here, so an
article holding `<script>` shows as text. The chat renders these strings as HTML (with
Gradio's sanitiser behind them as a second guard), the sources panel as trusted HTML.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from html import escape
from urllib.parse import urlsplit

from qa.answering.citations import MARKER
from qa.types import Answer, Citation, Hit

PAST_TURNS_KEPT = 10  # answers whose sources stay reachable from their markers
CLOSEST_PASSAGES = 3
EXCERPT_CHARS = 220
CONTEXT_CHARS = 320  # of the passage shown either side of a quote
HEADING_CHARS = 120  # of a question shown as the sources heading

UNSUPPORTED_TITLE = "No cited passage supports this sentence"
UNSUPPORTED_CITE_TITLE = "The cited passage does not clearly support this"


def text_html(text: str) -> str:
    """Plain text as HTML: escaped, line breaks kept."""
    return escape(text).replace("\n", "<br>")


def _emphasis_html(text: str) -> str:
    """Escaped `text` whose `**short answer**` lead becomes bold."""
    parts = re.split(r"\*\*(.+?)\*\*", text)
    return "".join(f"<strong>{text_html(p)}</strong>" if i % 2 else text_html(p) for i, p in enumerate(parts))


def shorten(text: str, limit: int = HEADING_CHARS) -> str:
    """`text` cut at a word to about `limit` characters, with "…" when cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0] if " " in text[:limit] else text[:limit]
    return cut.rstrip(",;:") + "…"


def marker_link(turn: int, number: int, citation: Citation | None) -> str:
    """A small `[n]` link that brings source `n` of answer `turn` into view."""
    classes = "qa-cite"
    title = ""
    if citation is not None:
        title = citation.title
        if not citation.supported:
            classes += " qa-cite-unsupported"
            title = f"{UNSUPPORTED_CITE_TITLE}: {title}"
    return f'<a href="#qa-src-{turn}-{number}" class="{classes}" title="{escape(title)}">[{number}]</a>'


def _with_markers(text: str, turn: int, citations: Sequence[Citation]) -> str:
    """Escaped `text` whose `[n]` (and `[n, m]`) markers become links."""
    parts: list[str] = []
    position = 0
    for match in MARKER.finditer(text):
        parts.append(_emphasis_html(text[position : match.start()]))
        for raw in match.group(1).split(","):
            number = int(raw)
            citation = citations[number - 1] if 1 <= number <= len(citations) else None
            parts.append(marker_link(turn, number, citation) if citation else escape(f"[{number}]"))
        position = match.end()
    parts.append(_emphasis_html(text[position:]))
    return "".join(parts)


def _unsupported_spans(text: str, sentences: Sequence[str]) -> list[tuple[int, int]]:
    """Where the unsupported sentences sit in `text`, in order, without overlaps."""
    spans: list[tuple[int, int]] = []
    for sentence in sentences:
        start = text.find(sentence) if sentence else -1
        if start >= 0:
            spans.append((start, start + len(sentence)))
    spans.sort()
    kept: list[tuple[int, int]] = []
    for start, end in spans:
        if not kept or start >= kept[-1][1]:
            kept.append((start, end))
    return kept


def answer_body_html(text: str, turn: int, citations: Sequence[Citation], unsupported: Sequence[str]) -> str:
    """The answer text with marker links, its unsupported sentences flagged."""
    parts: list[str] = []
    position = 0
    for start, end in _unsupported_spans(text, unsupported):
        parts.append(_with_markers(text[position:start], turn, citations))
        inner = _with_markers(text[start:end], turn, citations)
        parts.append(f'<span class="qa-unsupported" title="{UNSUPPORTED_TITLE}">{inner}</span>')
        position = end
    parts.append(_with_markers(text[position:], turn, citations))
    return "".join(parts)


def notice_html(notice: str) -> str:
    return f'<div class="qa-notice">⚠ {text_html(notice)}</div>'


def answer_html(answer: Answer, turn: int) -> str:
    """The chat message for a final answer: notice, then the answer or the abstention."""
    parts = [notice_html(answer.notice)] if answer.notice else []
    body = answer_body_html(answer.text, turn, answer.citations, answer.unsupported)
    if answer.abstained:
        parts.append(
            f'<div class="qa-abstained"><span class="qa-badge">Not in the articles</span> {body}</div>'
        )
    else:
        parts.append(f'<div class="qa-answer">{body}</div>')
    if answer.unsupported and not answer.abstained:
        count = len(answer.unsupported)
        what = "sentence is" if count == 1 else "sentences are"
        parts.append(
            f'<div class="qa-warning">⚠ {count} {what} not supported by the cited passages '
            "(underlined in red).</div>"
        )
    return "".join(parts)


def streaming_html(text: str, notice: str | None) -> str:
    """The chat message while an answer streams in (markers become links at the end)."""
    parts = [notice_html(notice)] if notice else []
    parts.append(f'<div class="qa-answer qa-streaming">{text_html(text) or "…"}</div>')
    return "".join(parts)


def error_html(message: str) -> str:
    return f'<div class="qa-error">⚠ {text_html(message)}</div>'


def safe_url(url: str | None) -> str | None:
    """`url` when it is an http(s) address (never `javascript:` and the like), else None."""
    if not url:
        return None
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return None
    return url.strip() if scheme in ("http", "https") else None


def _title_html(title: str, url: str | None) -> str:
    link = safe_url(url)
    if link is None:
        return f'<span class="qa-title">{escape(title)}</span>'
    return (
        f'<a class="qa-title" href="{escape(link)}" target="_blank" rel="noopener noreferrer nofollow">'
        f"{escape(title)}</a>"
    )


def _meta_html(source: str | None, published: str | None) -> str:
    parts = [escape(p) for p in (source, published) if p]
    return f'<div class="qa-meta">{" · ".join(parts)}</div>' if parts else ""


def _also_html(reporters: Sequence[str]) -> str:
    """The other outlets of a syndicated story (their passages are not read again)."""
    if not reporters:
        return ""
    return f'<div class="qa-also">also reported by: {escape(", ".join(reporters))}</div>'


def passage_html(citation: Citation | Sequence[Citation], hits: Sequence[Hit]) -> str:
    """The quoted sentences of one passage highlighted in it (with up to ~320 characters
    either side), the short answer in bold inside its quote; or the quotes alone if the
    passage is not among the hits."""
    cited = sorted([citation] if isinstance(citation, Citation) else citation, key=lambda c: c.start)
    hit = next((h for h in hits if h.chunk.id == cited[0].chunk_id), None)
    chunk = hit.chunk if hit else None
    if chunk is None or not all(chunk.start <= c.start <= c.end <= chunk.end for c in cited):
        return " ".join(f'<mark class="qa-quote">{_quote_html(c)}</mark>' for c in cited)
    parts, position = [], 0
    for number, c in enumerate(cited):
        start, end = max(c.start - chunk.start, position), c.end - chunk.start
        before = chunk.text[position:start]
        parts.append(text_html(_context_before(before) if number == 0 else before))
        parts.append(f'<mark class="qa-quote">{_quote_html(c, chunk.start + start)}</mark>')
        position = max(position, end)
    parts.append(text_html(_context_after(chunk.text[position:])))
    return "".join(parts)


def _quote_html(citation: Citation, shown_from: int | None = None) -> str:
    """The quote (from article offset `shown_from`), its short answer in bold."""
    start = citation.start if shown_from is None else shown_from
    quote = citation.quote[start - citation.start :]
    a, b = citation.answer_start, citation.answer_end
    if a is None or b is None or not start <= a <= b <= citation.end:
        return text_html(quote)
    a, b = a - start, b - start
    return (
        text_html(quote[:a])
        + f'<strong class="qa-short">{text_html(quote[a:b])}</strong>'
        + text_html(quote[b:])
    )


def _context_before(text: str) -> str:
    """The end of `text`, at most ~CONTEXT_CHARS, starting at a word."""
    if len(text) <= CONTEXT_CHARS:
        return text
    cut = text[-CONTEXT_CHARS:]
    return "… " + cut.split(None, 1)[-1] if " " in cut else "… " + cut


def _context_after(text: str) -> str:
    """The start of `text`, at most ~CONTEXT_CHARS, ending at a word."""
    if len(text) <= CONTEXT_CHARS:
        return text
    cut = text[:CONTEXT_CHARS]
    return (cut.rsplit(None, 1)[0] if " " in cut else cut) + " …"


def source_card_html(citation: Citation | Sequence[Citation], hits: Sequence[Hit], turn: int) -> str:
    """One cited passage in the sources panel, with every citation that quotes from it:
    one card however many sentences of the passage the answer cites."""
    cited = [citation] if isinstance(citation, Citation) else list(citation)
    first = cited[0]
    flag = ""
    classes = "qa-source"
    if not all(c.supported for c in cited):
        classes += " qa-source-unsupported"
        flag = '<div class="qa-flag">⚠ This passage does not clearly support the sentence citing it.</div>'
    numbers = "".join(f"[{c.number}]" for c in cited)
    anchors = "".join(f'<span class="qa-anchor" id="qa-src-{turn}-{c.number}"></span>' for c in cited[1:])
    return (
        f'<article class="{classes}" id="qa-src-{turn}-{first.number}">{anchors}'
        f'<header><span class="qa-num">{numbers}</span> {_title_html(first.title, first.url)}'
        f"</header>{_meta_html(first.source, first.published)}{_also_html(first.also_reported_by)}{flag}"
        f'<p class="qa-passage">{passage_html(cited, hits)}</p></article>'
    )


def _by_passage(citations: Sequence[Citation]) -> list[list[Citation]]:
    """Citations grouped by the passage they quote, in order of first citation."""
    groups: dict[str, list[Citation]] = {}
    for citation in citations:
        groups.setdefault(citation.chunk_id, []).append(citation)
    return list(groups.values())


def _excerpt(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= EXCERPT_CHARS else text[:EXCERPT_CHARS].rsplit(" ", 1)[0] + " …"


def closest_passages_html(hits: Sequence[Hit]) -> str:
    """The best passages of an answer that abstained: shown, not cited."""
    items = [
        f"<li>{_title_html(h.article.title, h.article.url)}{_meta_html(h.article.source, h.article.published)}"
        f'<p class="qa-passage">{escape(_excerpt(h.chunk.text))}</p></li>'
        for h in _distinct(hits)[:CLOSEST_PASSAGES]
    ]
    if not items:
        return ""
    return f'<p>Closest passages (not cited):</p><ul class="qa-closest">{"".join(items)}</ul>'


def _distinct(hits: Sequence[Hit]) -> list[Hit]:
    """Hits without a second passage that overlaps one already listed (neighbouring chunks
    of an article share a sentence)."""
    kept: list[Hit] = []
    for hit in hits:
        c = hit.chunk
        if not any(
            k.article.id == hit.article.id and c.start < k.chunk.end and k.chunk.start < c.end for k in kept
        ):
            kept.append(hit)
    return kept


def turn_sources_html(answer: Answer, turn: int, current: bool) -> str:
    """The sources of one answer; only the current answer's show until a marker is clicked."""
    classes = "qa-turn" + ("" if current else " qa-hidden")
    heading = f'<h3 class="qa-question">Sources for “{escape(shorten(answer.question))}”</h3>'
    if answer.standalone_question:
        heading += f'<div class="qa-meta">searched for “{escape(shorten(answer.standalone_question))}”</div>'
    if answer.abstained:
        body = (
            '<div class="qa-abstained">The articles do not cover this question.</div>'
            + closest_passages_html(answer.hits)
        )
    elif not answer.citations:
        body = '<p class="qa-empty">This answer cites no passage.</p>'
    else:
        body = "".join(source_card_html(group, answer.hits, turn) for group in _by_passage(answer.citations))
    return f'<section class="{classes}" id="qa-turn-{turn}">{heading}{body}</section>'


def sources_panel_html(answers: Sequence[Answer | None]) -> str:
    """The sources panel for a conversation: the latest answer shown, recent ones kept."""
    last = len(answers) - 1
    sections = [
        turn_sources_html(a, turn, turn == last)
        for turn, a in enumerate(answers)
        if a is not None and turn >= last - PAST_TURNS_KEPT
    ]
    if not sections or answers[last] is None:
        sections.append(
            '<section class="qa-turn qa-placeholder"><p class="qa-empty">'
            "Ask a question: the passages an answer cites appear here, the quoted sentence "
            "highlighted. Click a marker such as [1] to bring its passage into view.</p></section>"
        )
    return f'<div class="qa-sources">{"".join(sections)}</div>'
