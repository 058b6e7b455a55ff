"""Cleaning scraped text: markup leftovers, boilerplate lines, source and author trailers."""

from __future__ import annotations

from qa.ingest.cleaning import clean_article_text, find_author_in_bio, is_markup_leftover, strip_markdown


def test_markup_leftovers_are_recognised() -> None:
    assert is_markup_leftover("class=”sc-29f61514-0 jbwksb”>")
    assert is_markup_leftover('<div class="x"></div>')
    assert is_markup_leftover("<img src=x onerror=alert(1)>")
    assert not is_markup_leftover("The class of 2024 graduated.")
    assert not is_markup_leftover("Prices rose 5% > inflation.")


def test_source_trailer_and_biography_become_metadata() -> None:
    raw = "Story line one.\nStory line two.\nSource: Reuters\n\nJohn Smith is a senior reporter covering energy."
    cleaned = clean_article_text(raw)
    assert cleaned.text == "Story line one.\nStory line two."
    assert cleaned.source == "Reuters" and cleaned.author == "John Smith"


def test_byline_and_boilerplate_lines() -> None:
    raw = "By Jane Doe\nAdvertisement\nThe mayor resigned on Friday.\nShare this article\nRead more: other stories"
    cleaned = clean_article_text(raw)
    assert cleaned.text == "The mayor resigned on Friday."
    assert cleaned.author == "Jane Doe"


def test_a_source_line_far_from_the_end_is_story_text() -> None:
    lines = ["Source: a ministry official said talks would go on."] + [f"Paragraph {i}." for i in range(12)]
    cleaned = clean_article_text("\n".join(lines))
    assert cleaned.source is None and cleaned.text.startswith("Source: a ministry")


def test_inline_markup_in_a_sentence_is_kept_as_text() -> None:
    raw = "The page showed <script>alert(1)</script> as plain words."
    assert clean_article_text(raw).text == raw


def test_author_from_biography() -> None:
    assert find_author_in_bio("I am Amelia James, a passionate journalist.") == "Amelia James"
    assert find_author_in_bio("Nothing to see here.") is None


def test_strip_markdown() -> None:
    md = "# Title\n\nSome **bold** and _italic_ text with a [link](http://x.example).\n![img](a.png)\n- item one\n> quoted"
    assert strip_markdown(md) == "Title\n\nSome bold and italic text with a link.\n\nitem one\nquoted"


def test_a_wire_dateline_is_a_line_of_its_own_before_the_first_sentence() -> None:
    """ "VALMORA, Feb 6 - Around 14,000 teachers ..." had made "Around" a name and put the
    capitals "BRENNICK" in answers: the dateline stays, on a line of its own."""
    cases = {
        "Teachers strike\n\nVALMORA, Feb 6 - Around 14,000 teachers went on strike on Monday, the union said.": (
            "Teachers strike\n\nVALMORA, Feb 6 -\nAround 14,000 teachers went on strike on Monday, the union said."
        ),
        "WASHINGTON (AP) — President Joe Biden said on Monday that the plan would go ahead.": (
            "WASHINGTON (AP) —\nPresident Joe Biden said on Monday that the plan would go ahead."
        ),
        "LONDON, March 3 (Reuters) - Britain's economy grew faster than expected, data showed.": (
            "LONDON, March 3 (Reuters) -\nBritain's economy grew faster than expected, data showed."
        ),
        "(CNN) — The first sentence of a CNN story begins here and runs on a while.": (
            "(CNN) —\nThe first sentence of a CNN story begins here and runs on a while."
        ),
    }
    for raw, cleaned in cases.items():
        assert clean_article_text(raw).text == cleaned
    # no dateline: an acronym, a dash inside a sentence, a short title, a later paragraph
    for raw in (
        "AI — A new era: companies are racing to build ever larger models this year.",
        "The US - China talks resumed on Monday after a pause of several months.",
        "NASA - the agency said so.",
        "COVID-19 cases rose sharply across the region this week, officials said on Monday.",
        "USA-China trade talks resumed in Geneva on Monday after a pause of several months.",
        "Storm Ingrid\n\nBREAKING - Storm hits the west coast with winds of up to 120 kilometres an hour",
        "One.\n\nTwo.\n\nThree.\n\nOSLO - A later paragraph that starts with capitals stays as it is.",
    ):
        assert clean_article_text(raw).text == raw
