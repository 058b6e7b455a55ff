"""The Gradio web chat: layout, event handlers and `serve()` (what `qa serve` runs).

Gradio is imported inside the functions that need it, so `qa --help` stays fast.
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
import threading
import time
import webbrowser
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from qa.config import Settings
from qa.errors import ConfigError
from qa.index import Index
from qa.ingest.articles import SUPPORTED_SUFFIXES
from qa.pipeline import QA
from ui.access import Access, guarded_host, parse_auth  # noqa: F401 - parse_auth is part of this module's API
from ui.handlers import MAX_K, Handlers
from ui.session import Conversation
from ui.slots import ANSWER_SLOTS, AnswerSlots
from ui.uploads import incoming_area
from ui.writer import Writer

if TYPE_CHECKING:
    import gradio as gr
    from fastapi import FastAPI

ASSETS = Path(__file__).resolve().parent
CHAT_CONCURRENCY = ANSWER_SLOTS  # chat events run at once (each waits for a shared answering slot)
log = logging.getLogger(__name__)
MODEL_HELP = "{offline} (offline, default) or a litellm model id, e.g. ollama/llama3.1, gpt-4o-mini"


@dataclass
class Page:
    """The components that events read and write."""

    conversation: Any
    stats: Any
    chatbot: Any
    question: Any
    ask: Any
    new_chat: Any
    examples: Any
    sources: Any
    files: Any
    upload_result: Any
    articles: Any
    remove_choice: Any
    remove: Any
    model: Any
    top_k: Any

    def index_outputs(self) -> list[Any]:
        """What `Handlers.page_state` fills: statistics, articles, removal choices, examples."""
        return [self.stats, self.articles, self.remove_choice, self.examples]


def _layout(gr: Any, handlers: Handlers, settings: Settings) -> Page:
    """Chat and sources side by side; articles (upload, list, remove) and settings below.
    Everything about the index is filled on page load, so a reload shows it as it is."""
    models = handlers.qa.answerer_names()
    offline = handlers.qa.extractive.name
    conversation = gr.State(Conversation())
    with gr.Row():
        gr.Markdown(
            "## article-qa: ask the articles\nAnswers quote the articles; click a [n] to see its passage."
        )
        stats = gr.HTML("", elem_id="qa-stats")
    with gr.Row(equal_height=False):
        with gr.Column(scale=3):
            chatbot = gr.Chatbot(
                elem_id="qa-chat",
                label="Chat",
                height=520,
                render_markdown=False,  # the HTML comes escaped from ui.render
                latex_delimiters=[],
                allow_tags=False,
                feedback_options=None,
                buttons=["copy"],
                placeholder="Ask a question about the indexed articles.",
            )
            with gr.Row():
                question = gr.Textbox(
                    placeholder="Ask about the articles…",
                    show_label=False,
                    elem_id="qa-question",
                    autofocus=True,
                    max_length=4000,
                )
                ask = gr.Button("Ask", variant="primary", scale=0, min_width=90, elem_id="qa-ask")
                new_chat = gr.Button("New chat", scale=0, min_width=130, elem_id="qa-new-chat")
            examples = gr.Dataset(
                components=[gr.Textbox(visible=False)],
                samples=[],
                label="Example questions (click to ask)",
                elem_id="qa-examples",
                visible=False,
            )
        with gr.Column(scale=2):
            sources = gr.HTML(Conversation().sources_html(), elem_id="qa-sources", label="Sources")
    with gr.Row(equal_height=False):
        with gr.Column(), gr.Accordion("Articles", open=False, elem_id="qa-add"):
            files = gr.File(
                label=f"Upload {' '.join(SUPPORTED_SUFFIXES)} (up to {settings.max_upload_mb:g} MB each)",
                file_count="multiple",
                file_types=list(SUPPORTED_SUFFIXES),
                type="filepath",
                elem_id="qa-upload",
            )
            upload_result = gr.HTML("", elem_id="qa-upload-result")
            articles = gr.Dataframe(
                headers=["Title", "Source", "Published", "Id"],
                interactive=False,
                wrap=True,
                label="Indexed articles",
                elem_id="qa-articles",
            )
            with gr.Row():
                remove_choice = gr.Dropdown(
                    [], label="Remove an article", elem_id="qa-remove-choice", scale=3
                )
                remove = gr.Button("Remove", variant="stop", scale=1, elem_id="qa-remove")
        with gr.Column(), gr.Accordion("Settings", open=False, elem_id="qa-settings"):
            model = gr.Dropdown(
                models,
                value=settings.llm_model or offline,
                allow_custom_value=True,
                label="Answerer",
                info=MODEL_HELP.format(offline=offline),
                elem_id="qa-model",
            )
            top_k = gr.Slider(
                1, MAX_K, value=min(settings.top_k, MAX_K), step=1, label="Passages to retrieve (top-k)"
            )
    return Page(
        conversation=conversation,
        stats=stats,
        chatbot=chatbot,
        question=question,
        ask=ask,
        new_chat=new_chat,
        examples=examples,
        sources=sources,
        files=files,
        upload_result=upload_result,
        articles=articles,
        remove_choice=remove_choice,
        remove=remove,
        model=model,
        top_k=top_k,
    )


def build_app(
    qa: QA, settings: Settings, writer: Writer | None = None, slots: AnswerSlots | None = None
) -> gr.Blocks:
    """The chat page over `qa`, with the `/chat` and `/answer` API endpoints for gradio_client;
    its answers take `slots` (shared with the API when `create_app` makes both)."""
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    import gradio as gr

    handlers = Handlers(qa, settings, writer, slots)

    def on_upload(paths: list[str] | None, progress: gr.Progress = gr.Progress()) -> tuple[Any, ...]:  # noqa: B008
        return handlers.upload(paths, progress)

    with gr.Blocks(title="article-qa") as demo:
        page = _layout(gr, handlers, settings)
        turn_outputs = [page.question, page.chatbot, page.sources, page.conversation]
        answering = {"concurrency_limit": CHAT_CONCURRENCY, "concurrency_id": "answer"}
        chat_io: dict[str, Any] = {
            "fn": handlers.ask,
            "inputs": [page.question, page.conversation, page.model, page.top_k],
            "outputs": turn_outputs,
            "api_visibility": "private",
            "show_progress": "minimal",
            **answering,
        }
        page.question.submit(**chat_io)
        page.ask.click(**chat_io)
        page.examples.click(
            lambda sample: sample[0], [page.examples], [page.question], api_visibility="private"
        ).then(**chat_io)
        page.new_chat.click(handlers.new_chat, outputs=turn_outputs, api_visibility="private")
        page.chatbot.clear(handlers.new_chat, outputs=turn_outputs, api_visibility="private")
        page.files.upload(
            on_upload,
            [page.files],
            [page.upload_result, page.files, *page.index_outputs()],
            api_visibility="private",
        )
        page.remove.click(
            handlers.remove,
            [page.remove_choice],
            [page.upload_result, *page.index_outputs()],
            api_visibility="private",
        )
        demo.load(handlers.page_state, outputs=page.index_outputs(), api_visibility="private")
        gr.api(handlers.chat_api, api_name="chat", **answering)
        gr.api(handlers.answer_api, api_name="answer", **answering)
    return demo


def create_app(
    index_dir: str | Path | None = None,
    settings: Settings | None = None,
    auth: str | None = None,
    *,
    access: Access | None = None,
    writer: Writer | None = None,
    chat: bool = True,
    api_prefix: str | None = "/v1",
) -> FastAPI:
    """The ASGI app: the chat at `/`, the HTTP API under `/v1`, its docs at `/docs`.

    Importable for any ASGI server (`uvicorn --factory ui.app:create_app --workers 4`),
    configured then by the environment (`QA_INDEX_DIR`, `QA_API_KEYS`, `QA_AUTH`, ...).
    The models load here, before the first request (the time it took is logged at DEBUG).
    With a `writer` (a Ray Serve replica's) the index is opened read-only and every write
    goes to that writer; `chat` and `api_prefix` (None: no API) choose the faces.
    """
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    settings = settings or Settings.from_env()
    access = access or Access.from_settings(settings.server, auth)
    root = Path(index_dir) if index_dir is not None else settings.index_path()
    qa = QA(Index.open(root, settings, create=writer is None), settings)  # before any folder is made in it
    incoming = incoming_area(root)
    clear_incoming(incoming)
    incoming.mkdir(parents=True, exist_ok=True)
    os.environ["GRADIO_TEMP_DIR"] = str(incoming.resolve())  # Gradio's upload copies stay in the index
    started = time.perf_counter()
    qa.warm_up()
    log.debug("models loaded in %.1f s", time.perf_counter() - started)
    from fastapi import FastAPI

    from ui.api import install_api

    app = FastAPI(
        title="article-qa",
        description="Answers from your articles, with citations. OpenAI-compatible under /v1.",
        version=_version(),
    )
    app.state.qa = qa
    slots = AnswerSlots(ANSWER_SLOTS)  # one limit for the whole process: the chat and the API
    app.state.slots = slots
    if api_prefix is not None:
        install_api(app, qa, settings, access, writer, api_prefix, slots)
    if not chat:
        return app
    import gradio as gr

    demo = build_app(qa, settings, writer, slots)
    demo.queue(default_concurrency_limit=CHAT_CONCURRENCY)
    app = gr.mount_gradio_app(
        app,
        demo,
        path="/",
        auth=access.gradio_auth(),
        max_file_size=int(settings.max_upload_mb * 2**20),
        css=(ASSETS / "style.css").read_text(encoding="utf-8"),
        js=(ASSETS / "citations.js").read_text(encoding="utf-8"),
        show_error=True,
        footer_links=["api"],
    )
    app.state.qa = qa
    app.state.slots = slots
    app.state.blocks = demo
    return app


@dataclass
class Served:
    """A running server (`serve(block=False)`): its URL, app and `close()`."""

    url: str
    app: Any
    server: Any
    thread: threading.Thread
    ready_s: float

    @property
    def blocks(self) -> Any:
        return self.app.state.blocks

    def close(self) -> None:
        self.server.should_exit = True
        self.thread.join(30)
        self.app.state.qa.index.close()


def serve(
    index_dir: str | Path | None = None,
    host: str | None = None,
    port: int | None = None,
    auth: str | None = None,
    *,
    block: bool = True,
    settings: Settings | None = None,
    open_browser: bool | None = None,
) -> Served | None:
    """Start the chat and the API over the index at `index_dir` (created empty if absent).

    Binds `host`:`port` (default `QA_HOST`/`QA_PORT`, 127.0.0.1:7860). Without API keys
    (`QA_API_KEYS`, `QA_API_KEYS_FILE`) or `auth` (`user:password`) it listens on
    127.0.0.1 only, whatever `host` says, and says so. With `block=False` it returns the
    running server (tests, benches); `open_browser` (default `QA_OPEN_BROWSER=1`) opens a tab.
    """
    import uvicorn

    started = time.perf_counter()
    settings = settings or Settings.from_env()
    access = Access.from_settings(settings.server, auth)
    host = guarded_host(host or settings.host, access)
    port = port or settings.port
    app = create_app(index_dir, settings, access=access)
    config = uvicorn.Config(app, host=host, port=port, log_level="warning", timeout_graceful_shutdown=5)
    server = uvicorn.Server(config)
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{port}/"
    if open_browser is None:
        open_browser = settings.server.open_browser
    thread = threading.Thread(target=server.run, name="qa-server", daemon=True)
    thread.start()
    while not server.started and thread.is_alive():
        time.sleep(0.05)
    if not thread.is_alive():
        raise ConfigError(f"the server could not start on {host}:{port} (is the port in use?)")
    ready = time.perf_counter() - started
    secured = "keys required" if access.enabled else "no keys: local use only"
    print(f"ready in {ready:.1f} s: chat {url}  API {url}v1  docs {url}docs  ({secured})", file=sys.stderr)
    if open_browser:
        webbrowser.open(url)
    served = Served(url, app, server, thread, ready)
    if not block:
        return served
    try:
        while thread.is_alive():
            thread.join(0.5)
    except KeyboardInterrupt:
        served.close()
    return None


def clear_incoming(incoming: Path, older_than_s: float = 3600.0) -> None:
    """Delete what an upload left in Gradio's upload area over an hour ago (a killed
    server's leftovers); newer files may be another worker's upload under way."""
    if not incoming.is_dir():
        return
    cutoff = time.time() - older_than_s
    for entry in incoming.iterdir():
        try:
            if entry.stat().st_mtime < cutoff:
                shutil.rmtree(entry) if entry.is_dir() and not entry.is_symlink() else entry.unlink()
        except OSError:
            pass


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("article-qa")
    except Exception:
        return "0"
