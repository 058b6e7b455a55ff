"""HTML of the web chat: escaping, marker links, flags for unsupported text and abstentions."""

from __future__ import annotations

from qa.types import Answer, Article, Chunk, Citation, Hit
from ui.render import (
    answer_html,
    marker_link,
    passage_html,
    safe_url,
    sources_panel_html,
    streaming_html,
    text_html,
)

SCRIPT = "<script>alert(1)</script>"
IMG = '<img src=x onerror="alert(2)">'
ARTICLE_TEXT = f"Intro sentence. The mayor said {SCRIPT} loudly. Closing words {IMG} here."


def _article(title: str = f"Title {SCRIPT}", url: str | None = "https://news.example/a") -> Article:
    return Article(
        id="a1", title=title, text=ARTICLE_TEXT, url=url, source="<b>Paper</b>", published="2024-01-02"
    )


def _hit(article: Article) -> Hit:
    chunk = Chunk(id="a1#0", article_id="a1", ordinal=0, text=ARTICLE_TEXT, start=0, end=len(ARTICLE_TEXT))
    return Hit(chunk=chunk, article=article, score=1.0, rank=1)


def _citation(number: int, quote: str, article: Article, supported: bool = True) -> Citation:
    start = ARTICLE_TEXT.index(quote)
    return Citation(
        number, "a1#0", "a1", article.title, article.url, article.source, article.published,
        quote, start, start + len(quote), supported,
    )  # fmt: skip


def _answer(**changes: object) -> Answer:
    article = _article()
    quote = f"The mayor said {SCRIPT} loudly."
    fields: dict[str, object] = {
        "question": f"What did the mayor say {IMG}?",
        "text": f"{quote} [1]",
        "citations": (_citation(1, quote, article),),
        "hits": (_hit(article),),
    }
    fields.update(changes)
    return Answer(**fields)  # type: ignore[arg-type]


def test_text_is_escaped_and_keeps_line_breaks() -> None:
    assert text_html(f"a\n{SCRIPT}") == "a<br>&lt;script&gt;alert(1)&lt;/script&gt;"


def test_answer_markup_is_escaped_and_markers_become_links() -> None:
    html = answer_html(_answer(), turn=3)
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert (
        '<a href="#qa-src-3-1" class="qa-cite" title="Title &lt;script&gt;alert(1)&lt;/script&gt;">[1]</a>'
        in html
    )
    assert 'class="qa-answer"' in html and "qa-abstained" not in html


def test_grouped_and_out_of_range_markers() -> None:
    article = _article()
    citations = (_citation(1, "Intro sentence.", article), _citation(2, "Closing words", article))
    html = answer_html(_answer(text="Both [1, 2] and none [7].", citations=citations), turn=0)
    assert 'href="#qa-src-0-1"' in html and 'href="#qa-src-0-2"' in html
    assert "[7]" in html and "#qa-src-0-7" not in html


def test_unsupported_citations_and_sentences_are_flagged() -> None:
    article = _article()
    weak = _citation(1, "Intro sentence.", article, supported=False)
    text = "The mayor resigned. [1] Nobody knows why."
    html = answer_html(_answer(text=text, citations=(weak,), unsupported=("Nobody knows why.",)), turn=0)
    assert 'class="qa-cite qa-cite-unsupported"' in html
    assert (
        '<span class="qa-unsupported" title="No cited passage supports this sentence">Nobody knows why.</span>'
        in html
    )
    assert "1 sentence is not supported" in html
    panel = sources_panel_html([_answer(text=text, citations=(weak,))])
    assert "qa-source-unsupported" in panel and "does not clearly support" in panel


def test_an_abstention_looks_different_and_lists_closest_passages() -> None:
    answer = _answer(text="The articles don't say.", citations=(), abstained=True)
    html = answer_html(answer, turn=0)
    assert 'class="qa-abstained"' in html and "Not in the articles" in html
    panel = sources_panel_html([answer])
    assert "do not cover this question" in panel and "Closest passages" in panel
    assert "&lt;script&gt;" in panel and "<script" not in panel


def test_a_notice_is_shown_with_the_answer_and_while_streaming() -> None:
    notice = "The model timed out. This answer was extracted from the articles instead."
    assert 'class="qa-notice"' in answer_html(_answer(notice=notice), turn=0)
    streamed = streaming_html(f"partial {SCRIPT}", notice)
    assert notice in streamed and "&lt;script&gt;" in streamed and "<script" not in streamed


def test_the_passage_highlights_the_quote_at_its_offsets() -> None:
    answer = _answer()
    html = passage_html(answer.citations[0], answer.hits)
    assert html.startswith('Intro sentence. <mark class="qa-quote">The mayor said &lt;script&gt;')
    assert html.endswith("here.") and "&lt;img src=x onerror=&quot;alert(2)&quot;&gt;" in html
    assert (
        passage_html(answer.citations[0], ())
        == f'<mark class="qa-quote">{text_html(answer.citations[0].quote)}</mark>'
    )


def test_sources_panel_shows_the_latest_answer_and_keeps_earlier_ones_hidden() -> None:
    panel = sources_panel_html([_answer(), None, _answer()])
    assert 'class="qa-turn qa-hidden" id="qa-turn-0"' in panel
    assert 'class="qa-turn" id="qa-turn-2"' in panel and 'id="qa-src-2-1"' in panel
    assert "qa-turn-1" not in panel
    assert "Ask a question" in sources_panel_html([])
    assert "&lt;b&gt;Paper&lt;/b&gt; · 2024-01-02" in panel
    assert 'href="https://news.example/a" target="_blank" rel="noopener noreferrer nofollow"' in panel


def test_only_web_addresses_become_links() -> None:
    assert safe_url("https://x.example/a?b=1") == "https://x.example/a?b=1"
    for bad in (
        "javascript:alert(1)",
        " JavaScript:alert(1)",
        "data:text/html,<script>",
        "vbscript:x",
        "",
        None,
    ):
        assert safe_url(bad) is None
    panel = sources_panel_html(
        [_answer(citations=(_citation(1, "Intro sentence.", _article(url="javascript:alert(1)")),))]
    )
    assert "javascript:" not in panel


def test_marker_link_without_citation_data() -> None:
    assert marker_link(0, 2, None) == '<a href="#qa-src-0-2" class="qa-cite" title="">[2]</a>'


def test_a_long_passage_is_cut_to_the_quote_and_its_context() -> None:
    before, quote, after = "early words " * 100, "The quoted sentence.", " later words" * 100
    text = before + quote + after
    article = Article(id="a1", title="T", text=text)
    chunk = Chunk(id="a1#0", article_id="a1", ordinal=0, text=text, start=0, end=len(text))
    start = len(before)
    citation = Citation(1, "a1#0", "a1", "T", None, None, None, quote, start, start + len(quote))
    html = passage_html(citation, [Hit(chunk, article, 1.0, 1)])
    assert html.startswith("… ") and html.endswith(" …") and "early words" in html and "later words" in html
    assert f'<mark class="qa-quote">{quote}</mark>' in html and len(html) < 800


def test_a_rewritten_follow_up_shows_what_was_searched() -> None:
    panel = sources_panel_html([_answer(standalone_question="And then? (mayor <x>)")])
    assert "searched for “And then? (mayor &lt;x&gt;)”" in panel


def test_a_syndicated_story_names_its_other_outlets() -> None:
    from dataclasses import replace

    answer = _answer()
    plain = sources_panel_html([answer])
    assert "also reported by" not in plain
    cited = replace(answer.citations[0], also_reported_by=("Reuters", "<i>Wire</i>"))
    panel = sources_panel_html([replace(answer, citations=(cited,))])
    assert '<div class="qa-also">also reported by: Reuters, &lt;i&gt;Wire&lt;/i&gt;</div>' in panel
