"""The web chat end to end: a real Gradio server (`ui.app.serve`) driven by Playwright in
Debian's Chromium, and by gradio_client. Screenshots go to test-artifacts/; set
QA_SCREENSHOT=docs/screenshot.png to refresh the README's."""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from qa.index import Index

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
TIMEOUT_MS = 30_000
SEED_QUESTION = "Who led the negotiations with Prigozhin?"
SEED_QUOTE = "these negotiations were led by the dictator in Belarus, Alexander Lukashenko"
# "What did Prigozhin demand?": the seed's "vague demands", or what they were ("that Defense
# Minister Sergei Shoigu should be removed from office, ..."), as the reader picks
DEMANDS = re.compile("demands|Shoigu should be removed")

LIGHTHOUSE = """Glimmerton lighthouse restored

The Glimmerton lighthouse reopened on Friday after a restoration that cost 3.2 million euros.
The work was led by the engineer Ottilie Brandvold, who replaced the original lens with a copy made in Norway.
Visitors can climb its 214 steps from April to October.
"""
XSS_RECORD = {
    "title": 'Kite <script>window.__xssTitle=1</script> festival <img src=x onerror="window.__xssImg=1">',
    "url": "javascript:window.__xssUrl=1",
    "source": "<b>Gazette</b>",
    "text": (
        "The Zanzibar kite festival drew 40,000 visitors on Sunday, organisers said. "
        "The winning kite carried the slogan <script>window.__xss=1</script> and the caption "
        '<img src=x onerror="window.__xssImg=1"> in bright paint. Judges praised the design.'
    ),
}
XSS_FLAGS = "[window.__xss, window.__xssImg, window.__xssTitle, window.__xssUrl]"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def llm() -> Iterator[Any]:
    """A small OpenAI-compatible server on 127.0.0.1 (a test double), named by QA_API_BASE
    before the chat server starts: settings are read once, at its start."""
    from llm_server import FakeLLMServer

    with FakeLLMServer() as fake, pytest.MonkeyPatch.context() as patch:
        patch.setenv("QA_API_BASE", fake.url)
        yield fake


@pytest.fixture(scope="module")
def server(
    built_index_dir: Path, tmp_path_factory: pytest.TempPathFactory, llm: Any
) -> Iterator[tuple[str, Path]]:
    """A chat server on a private copy of the session index: (url, index folder)."""
    from ui.app import serve

    index_dir = tmp_path_factory.mktemp("ui") / "index"
    shutil.copytree(built_index_dir, index_dir)
    port = _free_port()
    demo = serve(index_dir, host="127.0.0.1", port=port, block=False, open_browser=False)
    try:
        yield f"http://127.0.0.1:{port}/", index_dir
    finally:
        demo.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed (make chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture()
def page(browser: Any, server: tuple[str, Path], request: pytest.FixtureRequest) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.goto(server[0], wait_until="load")
    page.wait_for_selector("#qa-question textarea")
    yield page
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


def ask(page: Any, question: str) -> Any:
    """Ask `question` and return the locator of its final answer message."""
    answers = page.locator("#qa-chat [data-testid='bot']")
    before = answers.count()
    page.locator("#qa-question textarea").fill(question)
    page.locator("#qa-ask").click()
    final = page.locator(
        "#qa-chat [data-testid='bot']:has(.qa-answer:not(.qa-streaming)), "
        "#qa-chat [data-testid='bot']:has(.qa-abstained), #qa-chat [data-testid='bot']:has(.qa-error)"
    )
    final.nth(before).wait_for()
    return final.nth(before)


def open_articles(page: Any) -> None:
    if not page.locator("#qa-upload").is_visible():
        page.locator("#qa-add").get_by_text("Articles").first.click()


def upload(page: Any, name: str, content: bytes) -> str:
    """Upload one file from the page; returns the text of the per-file results."""
    open_articles(page)
    page.evaluate("document.querySelector('#qa-upload-result table')?.remove()")
    page.locator("#qa-upload input[type=file]").set_input_files(
        {"name": name, "mimeType": "text/plain", "buffer": content}
    )
    page.locator("#qa-upload-result table").wait_for()
    return str(page.locator("#qa-upload-result").inner_text())


def test_answer_cites_the_seed_and_the_marker_shows_its_quote(page: Any) -> None:
    from playwright.sync_api import expect

    message = ask(page, SEED_QUESTION)
    expect(message).to_contain_text("Lukashenko")
    marker = message.locator("a.qa-cite").last  # the sentence naming Lukashenko ends the answer
    expect(marker).to_have_text(re.compile(r"\[\d\]"))
    marker.click()
    card = page.locator("#qa-sources .qa-source.qa-active")
    expect(card).to_be_visible()
    expect(card.locator(".qa-title")).to_have_text("Putin refused direct contact with Prigozhin")
    expect(card.locator("mark.qa-quote")).to_contain_text(SEED_QUOTE)
    expect(card.locator("mark.qa-quote")).to_be_in_viewport()
    assert "#" not in page.url  # the click scrolled the panel, it did not navigate
    target = os.environ.get("QA_SCREENSHOT")
    if target:
        page.screenshot(path=str(ROOT / target))

    # a follow-up gets its own sources; the first answer's marker still finds its passage
    follow_up = ask(page, "Did Putin speak to him?")
    expect(follow_up.locator("a.qa-cite").first).to_be_visible()
    expect(page.locator("#qa-turn-1")).to_be_visible()
    expect(page.locator("#qa-turn-0")).to_be_hidden()
    marker.click()
    expect(page.locator("#qa-turn-0")).to_be_visible()
    expect(page.locator("#qa-turn-1")).to_be_hidden()
    expect(page.locator("#qa-turn-0 .qa-active mark.qa-quote")).to_contain_text(SEED_QUOTE)


def test_an_example_question_is_asked_when_clicked(page: Any) -> None:
    from playwright.sync_api import expect

    page.get_by_text("What did Prigozhin demand?", exact=True).first.click()
    message = page.locator("#qa-chat [data-testid='bot']:has(.qa-answer:not(.qa-streaming))").first
    expect(message).to_contain_text(DEMANDS)
    expect(page.locator("#qa-chat [data-testid='user']").first).to_have_text("What did Prigozhin demand?")


def test_an_abstention_looks_different_from_an_answer(page: Any) -> None:
    from playwright.sync_api import expect

    message = ask(page, "What is the airspeed of an unladen swallow?")
    expect(message.locator(".qa-abstained")).to_be_visible()
    expect(message.locator(".qa-badge")).to_have_text("Not in the articles")
    expect(page.locator("#qa-sources .qa-abstained")).to_be_visible()


def test_an_uploaded_article_is_indexed_and_answers(page: Any, server: tuple[str, Path]) -> None:
    from playwright.sync_api import expect

    before = page.locator("#qa-stats .qa-stats b").first.inner_text()
    result = upload(page, "glimmerton.txt", LIGHTHOUSE.encode())
    assert "glimmerton.txt" in result and "added" in result
    expect(page.locator("#qa-stats .qa-stats b").first).to_have_text(str(int(before) + 1))
    assert (server[1] / "uploads" / "glimmerton.txt").read_text() == LIGHTHOUSE
    assert not any((server[1] / "uploads" / ".incoming").rglob("glimmerton.txt"))  # Gradio's copy is gone

    message = ask(page, "Which engineer led the work on the Glimmerton lighthouse?")
    expect(message).to_contain_text("Ottilie Brandvold")
    message.locator("a.qa-cite").first.click()
    expect(page.locator("#qa-sources .qa-active .qa-title")).to_have_text("Glimmerton lighthouse restored")

    again = upload(page, "glimmerton.txt", LIGHTHOUSE.encode())
    assert "unchanged" in again
    empty = upload(page, "empty.txt", b"  \n")
    assert "skipped" in empty and "empty" in empty


def test_article_markup_shows_as_text_and_runs_nothing(page: Any, server: tuple[str, Path]) -> None:
    from playwright.sync_api import expect

    index_dir = server[1]
    result = upload(page, "../../kite-<img src=x onerror=alert(1)>.jsonl", json.dumps(XSS_RECORD).encode())
    assert "added" in result
    assert not list(index_dir.parent.glob("*.jsonl")) and not list(index_dir.parent.parent.glob("*.jsonl"))
    stored = [p for p in (index_dir / "uploads").iterdir() if p.suffix == ".jsonl"]
    assert len(stored) == 1 and stored[0].parent == index_dir / "uploads"

    message = ask(page, "What slogan did the winning kite at the Zanzibar festival carry?")
    expect(message).to_contain_text("<script>window.__xss=1</script>")
    message.locator("a.qa-cite").first.click()
    card = page.locator("#qa-sources .qa-source.qa-active")
    expect(card.locator(".qa-title")).to_contain_text("<script>window.__xssTitle=1</script>")
    expect(card.locator("mark.qa-quote")).to_contain_text('<img src=x onerror="window.__xssImg=1">')
    expect(card.locator(".qa-meta")).to_contain_text("<b>Gazette</b>")
    assert card.locator("a.qa-title").count() == 0  # a javascript: url is not made a link
    expect(page.locator("#qa-articles")).to_contain_text("<script>window.__xssTitle=1</script>")
    for scope in ("#qa-chat", "#qa-sources", "#qa-stats", "#qa-upload-result", "#qa-articles"):
        assert page.locator(f"{scope} script, {scope} img[src='x']").count() == 0
    page.wait_for_timeout(300)  # give an injected onerror handler the time it would need
    assert page.evaluate(XSS_FLAGS) == [None, None, None, None]


def test_gradio_client_chat_returns_text_with_markers(server: tuple[str, Path]) -> None:
    from gradio_client import Client

    client = Client(server[0], verbose=False)
    assert set(client.view_api(print_info=False, return_format="dict")["named_endpoints"]) == {
        "/chat",
        "/answer",
    }
    text = client.predict(SEED_QUESTION, api_name="/chat")
    assert "Lukashenko" in text and "[1]" in text
    history = [{"role": "user", "content": SEED_QUESTION}, {"role": "assistant", "content": text}]
    follow_up = client.predict("Did Putin speak to him?", history=history, api_name="/chat")
    assert "[1]" in follow_up
    answer = client.predict(SEED_QUESTION, api_name="/answer")
    assert any(SEED_QUOTE in c["quote"] for c in answer["citations"])


def test_an_llm_answer_flags_unsupported_text_and_a_failed_call_says_so(
    page: Any, llm: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from llm_server import Reply
    from playwright.sync_api import expect

    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    # the server was started with QA_API_BASE naming `llm`
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-0123456789DUMMY")
    page.locator("#qa-settings").get_by_text("Settings").first.click()
    answerer = page.locator("#qa-model input")
    answerer.fill("openai/test-model")
    answerer.press("Enter")
    answerer.blur()

    llm.script(Reply("Lukashenko negotiated with Prigozhin [1]. The moon is made of green cheese [1]."))
    message = ask(page, SEED_QUESTION)
    assert len(llm.requests) == 1 and llm.requests[0].body["model"] == "test-model"
    expect(message.locator(".qa-unsupported")).to_contain_text("The moon is made of green cheese")
    expect(message.locator(".qa-warning")).to_contain_text("1 sentence is not supported")
    weak = message.locator("a.qa-cite-unsupported")
    expect(weak).to_have_count(1)
    weak.click()
    expect(page.locator("#qa-sources .qa-source.qa-active .qa-flag")).to_be_visible()

    llm.script(Reply.error(401, "Incorrect API key provided"))
    message = ask(page, "What did Prigozhin demand?")
    expect(message.locator(".qa-notice")).to_contain_text("extracted from the articles")
    expect(message.locator(".qa-answer")).to_contain_text(DEMANDS)


def test_a_three_turn_conversation_resolves_its_follow_ups(page: Any) -> None:
    from playwright.sync_api import expect

    first = ask(page, SEED_QUESTION)
    expect(first).to_contain_text("Lukashenko")
    second = ask(page, "Which country is he the dictator of?")
    expect(second).to_contain_text("Belarus")
    expect(page.locator("#qa-turn-1 .qa-meta").first).to_contain_text(
        "Lukashenko"
    )  # searched for: "he" resolved
    third = ask(page, "Did Putin speak to Prigozhin?")
    # either sentence of the seed that answers it: "refused any direct contact", "wouldn’t speak to him"
    expect(third).to_contain_text(re.compile("refused any direct contact|wouldn’t speak to him"))


def test_the_page_stays_true_after_an_upload_and_a_reload(page: Any, server: tuple[str, Path]) -> None:
    from playwright.sync_api import expect

    story = (
        b"Ferry strike ends\n\nThe ferry crews of Bergen ended their strike on Thursday after a deal on pay."
    )
    with Index.open(server[1], create=False) as index:
        count = index.counts()["articles"]
    assert "added" in upload(page, "ferry-strike.txt", story)
    page.reload(wait_until="load")
    page.wait_for_selector("#qa-question textarea")
    expect(page.locator("#qa-stats")).to_contain_text(f"{count + 1} articles")
    open_articles(page)
    expect(page.locator("#qa-articles")).to_contain_text("Ferry strike ends")
    expect(page.locator("#qa-articles")).to_contain_text("Putin refused direct contact with Prigozhin")
    expect(page.locator("#qa-examples")).to_contain_text("Ferry strike ends")  # examples cover uploads
    expect(page.locator("#qa-examples")).not_to_contain_text("...")  # gradio's cut: never shown
    choice = page.locator("#qa-remove-choice input")
    choice.click()
    page.get_by_role("option", name=re.compile("Ferry strike ends")).click()
    page.locator("#qa-remove").click()
    expect(page.locator("#qa-upload-result")).to_contain_text("Removed")
    expect(page.locator("#qa-stats")).to_contain_text(f"{count} article")
    expect(page.locator("#qa-articles")).not_to_contain_text("Ferry strike ends")
    assert not (server[1] / "uploads" / "ferry-strike.txt").exists()


def test_a_question_in_german_gets_the_language_message(page: Any) -> None:
    from playwright.sync_api import expect

    message = ask(page, "Wer hat die Verhandlungen mit Prigoschin geführt?")
    expect(message).to_contain_text("Please ask in English")
    expect(message).to_contain_text("German")


def test_an_empty_question_gets_a_hint(page: Any) -> None:
    from playwright.sync_api import expect

    page.locator("#qa-question textarea").fill("   ")
    page.locator("#qa-ask").click()
    expect(page.get_by_text("Type a question about the articles first")).to_be_visible()
