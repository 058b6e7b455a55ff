"""The Gradio web chat: layout, event handlers and `serve()` (what `qa serve` runs).

Gradio is imported inside the functions that need it, so `qa --help` stays fast.
"""

from __future__ import annotations

import ipaddress
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from qa.articles import SUPPORTED_SUFFIXES
from qa.config import Settings, default_index_dir
from qa.errors import ConfigError
from qa.index import Index
from qa.pipeline import QA
from ui.handlers import MAX_K, Handlers
from ui.session import EXTRACTIVE, Conversation, example_questions
from ui.uploads import incoming_area

if TYPE_CHECKING:
    import gradio as gr

ASSETS = Path(__file__).resolve().parent
CHAT_CONCURRENCY = 4  # answers computed at once, across the chat and the API
MODEL_HELP = "extractive (offline, default) or a litellm model id, e.g. ollama/llama3.1, gpt-4o-mini"


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
    model: Any
    top_k: Any


def _layout(gr: Any, handlers: Handlers, settings: Settings) -> Page:
    """Chat and sources side by side; uploads and settings below."""
    models = [EXTRACTIVE] + ([settings.llm_model] if settings.llm_model else [])
    conversation = gr.State(Conversation())
    with gr.Row():
        gr.Markdown(
            "## article-qa: ask the articles\nAnswers quote the articles; click a [n] to see its passage."
        )
        stats = gr.HTML(handlers.stats(), elem_id="qa-stats")
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
                )
                ask = gr.Button("Ask", variant="primary", scale=0, min_width=90, elem_id="qa-ask")
                new_chat = gr.Button("New chat", scale=0, min_width=130, elem_id="qa-new-chat")
            questions = example_questions(handlers.qa.index.articles())
            examples = None
            if questions:
                examples = gr.Examples(
                    [[q] for q in questions],
                    inputs=[question],
                    label="Example questions (click to ask)",
                    api_visibility="private",
                )
        with gr.Column(scale=2):
            sources = gr.HTML(Conversation().sources_html(), elem_id="qa-sources", label="Sources")
    with gr.Row(equal_height=False):
        with gr.Column(), gr.Accordion("Add articles", open=False, elem_id="qa-add"):
            files = gr.File(
                label=f"Upload {' '.join(SUPPORTED_SUFFIXES)} (up to {settings.max_upload_mb:g} MB each)",
                file_count="multiple",
                file_types=list(SUPPORTED_SUFFIXES),
                type="filepath",
                elem_id="qa-upload",
            )
            upload_result = gr.HTML("", elem_id="qa-upload-result")
        with gr.Column(), gr.Accordion("Settings", open=False, elem_id="qa-settings"):
            model = gr.Dropdown(
                models,
                value=settings.llm_model or EXTRACTIVE,
                allow_custom_value=True,
                label="Answerer",
                info=MODEL_HELP,
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
        model=model,
        top_k=top_k,
    )


def build_app(qa: QA, settings: Settings) -> gr.Blocks:
    """The chat page over `qa`, with the `/chat` and `/answer` API endpoints for gradio_client."""
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    import gradio as gr

    handlers = Handlers(qa, settings)

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
        if page.examples is not None:
            page.examples.load_input_event.then(**chat_io)
        page.new_chat.click(handlers.new_chat, outputs=turn_outputs, api_visibility="private")
        page.chatbot.clear(handlers.new_chat, outputs=turn_outputs, api_visibility="private")
        page.files.upload(
            on_upload, [page.files], [page.upload_result, page.stats, page.files], api_visibility="private"
        )
        gr.api(handlers.chat_api, api_name="chat", **answering)
        gr.api(handlers.answer_api, api_name="answer", **answering)
    return demo


def parse_auth(auth: str | None) -> tuple[str, str] | None:
    """`user:password` as Gradio's auth pair; None when not given."""
    if not auth:
        return None
    user, sep, password = auth.partition(":")
    if not sep or not user or not password:
        raise ConfigError("--auth must be user:password (both non-empty)")
    return user, password


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def serve(
    index_dir: str | Path | None = None,
    host: str | None = None,
    port: int | None = None,
    auth: str | None = None,
    *,
    block: bool = True,
    settings: Settings | None = None,
    open_browser: bool | None = None,
) -> gr.Blocks:
    """Start the web chat over the index at `index_dir` (created empty if absent).

    Binds `host`:`port` (default `QA_HOST`/`QA_PORT`, 127.0.0.1:7860). `auth` is
    `user:password`. Uploads, including Gradio's own temporary copies, stay in
    `<index_dir>/uploads/`. With `block=False` it returns the running app (tests, benches);
    `open_browser` (default: `QA_OPEN_BROWSER=1`) opens a browser tab.
    """
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    settings = settings or Settings.from_env()
    root = Path(index_dir) if index_dir is not None else default_index_dir()
    credentials = parse_auth(auth)
    host = host or settings.host
    port = port or settings.port
    if not _is_loopback(host) and credentials is None:
        print(
            f"warning: serving on {host} without --auth: anyone who can reach it can use it", file=sys.stderr
        )
    qa = QA(Index.open(root, settings), settings)
    incoming = incoming_area(root)
    incoming.mkdir(parents=True, exist_ok=True)
    os.environ["GRADIO_TEMP_DIR"] = str(incoming.resolve())  # read by Gradio at launch
    if open_browser is None:
        open_browser = os.environ.get("QA_OPEN_BROWSER", "").lower() in ("1", "true", "yes")
    demo = build_app(qa, settings)
    demo.queue(default_concurrency_limit=CHAT_CONCURRENCY)
    demo.launch(
        server_name=host,
        server_port=port,
        auth=credentials,
        max_file_size=int(settings.max_upload_mb * 2**20),
        prevent_thread_lock=not block,
        inbrowser=open_browser,
        css=(ASSETS / "style.css").read_text(encoding="utf-8"),
        js=(ASSETS / "citations.js").read_text(encoding="utf-8"),
        show_error=True,
        quiet=not block,
    )
    return demo
