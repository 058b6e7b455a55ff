"""What the page's events and API endpoints do: ask (streaming), start a new chat, index
uploads; and `/chat`, `/answer` for gradio_client. Gradio is imported only where needed."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from html import escape
from pathlib import Path
from typing import Any

from qa.config import Settings, question_problem
from qa.pipeline import QA
from ui.session import Conversation, answerable_examples, chat_turn
from ui.slots import AnswerSlots
from ui.uploads import discard_incoming, incoming_area, results_html, stats_html
from ui.writer import LocalWriter, Writer

MAX_K = 20  # passages a person (or an API client) may ask for


def clamp_k(k: float | None) -> int | None:
    """`k` as a whole number of passages within 1..MAX_K; None (the default) for 0 or None."""
    if not k:
        return None
    return max(1, min(int(k), MAX_K))


class Handlers:
    """The event handlers and API functions of one app, over one `QA`; every answer takes
    one of `slots` (the API's too, in one app) while it is computed."""

    def __init__(
        self, qa: QA, settings: Settings, writer: Writer | None = None, slots: AnswerSlots | None = None
    ) -> None:
        self.qa = qa
        self.settings = settings
        self.writer = writer or LocalWriter(qa.index, settings)
        self.slots = slots or AnswerSlots()

    def stats(self) -> str:
        """The index statistics line, as HTML."""
        return stats_html(self.qa.index.info())

    def page_state(self) -> tuple[Any, ...]:
        """What the page shows of the index, read anew (page load, upload, removal):
        statistics, the article table, the removal choices and the example questions."""
        import gradio as gr

        titles = self.qa.index.titles()
        rows = [[t.title, t.source or "", t.published or "", t.id] for t in titles]
        choices = [(f"{t.title} ({t.id})", t.id) for t in titles]
        examples = [[q] for q in answerable_examples(self.qa, titles)]
        return (
            stats_html(self.qa.index.info()),
            gr.update(value=rows or [["(no articles yet)", "", "", ""]]),
            gr.update(choices=choices, value=None),
            gr.update(samples=examples, visible=bool(examples)),
        )

    def remove(self, article_id: str | None) -> tuple[Any, ...]:
        """Remove the chosen article (and its uploaded file); a note, then the page state."""
        import gradio as gr

        if not article_id:
            gr.Warning("Choose an article to remove.")
            return ("", *self.page_state())
        title = self.writer.remove(article_id)
        note = f"Removed “{title}”." if title is not None else f"No article {article_id!r}."
        return (f'<p class="qa-note">{escape(note)}</p>', *self.page_state())

    def ask(self, message: str, state: Conversation, answerer: str, k: float) -> Iterator[tuple[Any, ...]]:
        """Outputs (question box, chat, sources panel, state) after each step of a turn."""
        import gradio as gr

        if not message.strip():  # a person pressed Ask too soon: a hint, not an error
            gr.Info("Type a question about the articles first, then press Ask.")
            yield gr.skip(), gr.skip(), gr.skip(), gr.skip()
            return
        # Gradio closes this generator when the event ends, however it ends: the slot goes back
        for current in chat_turn(self.qa, state, message, answerer, clamp_k(k), self.slots.hold):
            # copies: Gradio diffs each streamed value against the one before
            yield "", [dict(m) for m in current.display], current.sources_html(), current

    def new_chat(self) -> tuple[Any, ...]:
        """Outputs (question box, chat, sources panel, state) of an empty conversation."""
        fresh = Conversation()
        return "", [], fresh.sources_html(), fresh

    def upload(self, paths: list[str] | None, progress: Callable[..., Any]) -> tuple[Any, ...]:
        """Index uploaded files; outputs (per-file results, statistics, file box cleared)."""
        import gradio as gr

        uploads = [(Path(p), Path(p).name) for p in paths or []]
        if not uploads:
            return gr.skip(), gr.skip(), None

        def report(done: int, total: int | None) -> None:
            progress((done, total) if total else None, desc=f"Indexing: {done} passages embedded")

        progress(0, desc=f"Indexing {len(uploads)} file(s)")
        try:
            results = self.writer.add_paths(uploads, report)
        finally:
            for path, _ in uploads:
                discard_incoming(path, incoming_area(self.qa.index.path))
        return (results_html(results), None, *self.page_state())

    def chat_api(
        self, message: str, history: list[dict[str, str]] | None = None, model: str = "", k: int = 0
    ) -> str:
        """Answer `message` from the indexed articles: the answer text with its [n] markers.

        `history`: earlier turns as [{"role": "user"|"assistant", "content": ...}];
        `model`: an answerer's name ("reader") or a litellm model id ("" for the server's default);
        `k`: passages to retrieve (0 for the default)."""
        _require_question(message)
        with self.slots.hold():
            return self.qa.answer(message, history=history, model=model or None, k=clamp_k(k)).text

    def answer_api(
        self, message: str, history: list[dict[str, str]] | None = None, model: str = "", k: int = 0
    ) -> dict[str, Any]:
        """Like /chat, returning the whole Answer (citations with quotes, hits) as JSON."""
        _require_question(message)
        with self.slots.hold():
            return self.qa.answer(message, history=history, model=model or None, k=clamp_k(k)).to_dict()


def _require_question(message: str) -> None:
    """Refuse an empty, blank or overlong question as the HTTP API and the CLI do."""
    problem = question_problem(message or "")
    if problem is not None:
        import gradio as gr

        raise gr.Error(problem)
