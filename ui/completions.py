"""What the API's replies carry: citations, OpenAI's chat completion and its streamed chunks
(server-sent events computed a step at a time in worker threads)."""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncGenerator, Callable, Iterator
from typing import Any

import anyio
from fastapi.responses import StreamingResponse
from starlette.types import Receive, Scope, Send

from qa.errors import QAError
from qa.pipeline import AnswerStream
from qa.types import Answer, Citation
from ui.api_errors import ApiError

log = logging.getLogger(__name__)


def citation_dict(citation: Citation) -> dict[str, Any]:
    """A citation as the API gives it: where it is, what it quotes, and the short answer."""
    short = None
    if citation.answer_start is not None and citation.answer_end is not None:
        short = {"start": citation.answer_start, "end": citation.answer_end}
    return {
        "number": citation.number,
        "article_id": citation.article_id,
        "chunk_id": citation.chunk_id,
        "title": citation.title,
        "source": citation.source,
        "url": citation.url,
        "published": citation.published,
        "quote": citation.quote,
        "start": citation.start,
        "end": citation.end,
        "supported": citation.supported,
        "short_answer": short,
        "also_reported_by": list(citation.also_reported_by),
    }


def answer_extras(answer: Answer) -> dict[str, Any]:
    """The fields beside OpenAI's that a reply (or the final stream chunk) carries."""
    return {
        "citations": [citation_dict(c) for c in answer.citations],
        "abstained": answer.abstained,
        "short_answer": answer.short_answer,
        "alternatives": [{"answer": a.answer, "citations": list(a.citations)} for a in answer.alternatives],
        "standalone_question": answer.standalone_question,
        "notice": answer.notice,
        "answerer": answer.model,
    }


def completion_body(answer: Answer, model: str, completion_id: str, created: int) -> dict[str, Any]:
    return {
        "id": completion_id,
        "object": "chat.completion",
        "created": created,
        "model": model,
        "choices": [
            {"index": 0, "message": {"role": "assistant", "content": answer.text}, "finish_reason": "stop"}
        ],
        "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},
        **answer_extras(answer),
    }


def chunk_body(
    completion_id: str, created: int, model: str, delta: dict[str, Any], finish: str | None = None
) -> dict[str, Any]:
    return {
        "id": completion_id,
        "object": "chat.completion.chunk",
        "created": created,
        "model": model,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }


def sse(data: dict[str, Any] | str) -> str:
    return f"data: {data if isinstance(data, str) else json.dumps(data, ensure_ascii=False)}\n\n"


def stream_events(answering: AnswerStream, model: str, completion_id: str, created: int) -> Iterator[str]:
    """Server-sent events in OpenAI's chunk format; the last chunk carries the citations,
    then `data: [DONE]`. The deltas add up to the final answer text."""
    yield sse(chunk_body(completion_id, created, model, {"role": "assistant", "content": ""}))
    sent = ""
    try:
        for event in answering:
            if event.kind == "delta" and event.text:
                sent += event.text
                yield sse(chunk_body(completion_id, created, model, {"content": event.text}))
        answer = answering.finish()
    except Exception as error:  # the stream has started: the error travels in it
        if not isinstance(error, (QAError, ApiError)):
            log.exception("streaming an answer failed")
        message = error.message if isinstance(error, ApiError) else str(error) or type(error).__name__
        yield sse({"error": {"message": message, "type": "server_error", "param": None, "code": None}})
        yield sse("[DONE]")
        return
    if answer.text.startswith(sent) and len(answer.text) > len(sent):
        yield sse(chunk_body(completion_id, created, model, {"content": answer.text[len(sent) :]}))
    final = {**chunk_body(completion_id, created, model, {}, "stop"), **answer_extras(answer)}
    if not answer.text.startswith(sent):  # a retried LLM call after text was sent: the text that stands
        final["final_text"] = answer.text
    yield sse(final)
    yield sse("[DONE]")


class AnswerEventStream(StreamingResponse):
    """The server-sent events of one answer, computed a step at a time in a worker thread
    while its answering slot is held. However the response ends (the last event sent, the
    client gone, the server stopping) the generator is closed and the slot given back then,
    not when garbage collection gets to them. A step under way when the client hangs up
    finishes first (a thread cannot be stopped), so no more answers than slots ever run."""

    def __init__(self, events: Iterator[str], release: Callable[[], None]) -> None:
        self._events = events
        self._release = release
        self._chunks = self._in_threads()
        super().__init__(
            self._chunks,
            media_type="text/event-stream",
            headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
        )

    async def _in_threads(self) -> AsyncGenerator[str, None]:
        while True:
            chunk = await anyio.to_thread.run_sync(next, self._events, None)
            if chunk is None:
                return
            yield chunk

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            with anyio.CancelScope(shield=True):
                await self._chunks.aclose()
            try:
                close = getattr(self._events, "close", None)
                if close is not None:
                    close()  # runs the answer's `finally`s (an LLM stream's connection, ...)
            finally:
                self._release()
