"""HTML for the chat: answers with clickable `[n]` markers, the sources panel, upload results.

Everything that comes from an article, a file name or a model is escaped here, so an
article holding `<script>` shows as text. The chat renders these strings as HTML (with
Gradio's sanitiser behind them as a second guard), the sources panel as trusted HTML.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from urllib.parse import urlsplit

from qa.citations import MARKER
from qa.types import Answer, Citation, Hit

PAST_TURNS_KEPT = 10  # answers whose sources stay reachable from their markers
CLOSEST_PASSAGES = 3
EXCERPT_CHARS = 220
CONTEXT_CHARS = 320  # of the passage shown either side of a quote

UNSUPPORTED_TITLE = "No cited passage supports this sentence"
UNSUPPORTED_CITE_TITLE = "The cited passage does not clearly support this"


def text_html(text: str) -> str:
    """Plain text as HTML: escaped, line breaks kept."""
    return escape(text).replace("\n", "<br>")


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
        parts.append(text_html(text[position : match.start()]))
        for raw in match.group(1).split(","):
            number = int(raw)
            citation = citations[number - 1] if 1 <= number <= len(citations) else None
            parts.append(marker_link(turn, number, citation) if citation else escape(f"[{number}]"))
        position = match.end()
    parts.append(text_html(text[position:]))
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


def passage_html(citation: Citation, hits: Sequence[Hit]) -> str:
    """The quoted sentence highlighted in its passage (with up to ~320 characters either
    side), or the quote alone if the passage is not among the hits."""
    hit = next((h for h in hits if h.chunk.id == citation.chunk_id), None)
    chunk = hit.chunk if hit else None
    if chunk is None or not chunk.start <= citation.start <= citation.end <= chunk.end:
        return f'<mark class="qa-quote">{text_html(citation.quote)}</mark>'
    start, end = citation.start - chunk.start, citation.end - chunk.start
    return (
        text_html(_context_before(chunk.text[:start]))
        + f'<mark class="qa-quote">{text_html(chunk.text[start:end])}</mark>'
        + text_html(_context_after(chunk.text[end:]))
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


def source_card_html(citation: Citation, hits: Sequence[Hit], turn: int) -> str:
    """One cited passage in the sources panel."""
    flag = ""
    classes = "qa-source"
    if not citation.supported:
        classes += " qa-source-unsupported"
        flag = '<div class="qa-flag">⚠ This passage does not clearly support the sentence citing it.</div>'
    return (
        f'<article class="{classes}" id="qa-src-{turn}-{citation.number}">'
        f'<header><span class="qa-num">[{citation.number}]</span> {_title_html(citation.title, citation.url)}'
        f"</header>{_meta_html(citation.source, citation.published)}{flag}"
        f'<p class="qa-passage">{passage_html(citation, hits)}</p></article>'
    )


def _excerpt(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= EXCERPT_CHARS else text[:EXCERPT_CHARS].rsplit(" ", 1)[0] + " …"


def closest_passages_html(hits: Sequence[Hit]) -> str:
    """The best passages of an answer that abstained: shown, not cited."""
    items = [
        f"<li>{_title_html(h.article.title, h.article.url)}{_meta_html(h.article.source, h.article.published)}"
        f'<p class="qa-passage">{escape(_excerpt(h.chunk.text))}</p></li>'
        for h in hits[:CLOSEST_PASSAGES]
    ]
    if not items:
        return ""
    return f'<p>Closest passages (not cited):</p><ul class="qa-closest">{"".join(items)}</ul>'


def turn_sources_html(answer: Answer, turn: int, current: bool) -> str:
    """The sources of one answer; only the current answer's show until a marker is clicked."""
    classes = "qa-turn" + ("" if current else " qa-hidden")
    heading = f'<h3 class="qa-question">Sources for “{escape(answer.question)}”</h3>'
    if answer.standalone_question:
        heading += f'<div class="qa-meta">searched for “{escape(answer.standalone_question)}”</div>'
    if answer.abstained:
        body = (
            '<div class="qa-abstained">The articles do not cover this question.</div>'
            + closest_passages_html(answer.hits)
        )
    elif not answer.citations:
        body = '<p class="qa-empty">This answer cites no passage.</p>'
    else:
        body = "".join(source_card_html(c, answer.hits, turn) for c in answer.citations)
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
