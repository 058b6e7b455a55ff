"""The HTTP API under `/v1`, served beside the chat: OpenAI-compatible chat completions
(streaming or not) whose replies carry a `citations` field, as Perplexity's API does; the
whole `Answer`; the articles (list, upload, delete); models and health.

Any OpenAI client works: `OpenAI(base_url="http://127.0.0.1:7860/v1", api_key=KEY)`.
Errors come in OpenAI's shape, `{"error": {"message", "type", "param", "code"}}`, with a
4xx status and never a traceback.
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from collections.abc import AsyncGenerator, Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal

import anyio
from fastapi import APIRouter, Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, StreamingResponse
from fastapi.routing import APIRoute
from pydantic import BaseModel, ConfigDict, Field, field_validator
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match
from starlette.types import Receive, Scope, Send

from qa.config import MAX_QUESTION_CHARS, Settings, question_problem
from qa.errors import QAError
from qa.pipeline import QA, AnswerStream
from qa.types import Answer, Citation, Filters
from ui.access import Access
from ui.handlers import MAX_K
from ui.slots import SLOT_WAIT_S, AnswerSlots
from ui.writer import LocalWriter, Writer

API_MODEL = "article-qa"
log = logging.getLogger(__name__)
MAX_JSON_BYTES = 1 * 2**20  # a chat request; uploads get the upload limit
MULTIPART_ROOM = 2**16  # the multipart headers and boundaries around an upload's files
MAX_UPLOAD_FILES = 100
HTTP_CODES = {
    404: "not_found",
    405: "method_not_allowed",
    413: "body_too_large",
    415: "unsupported_media_type",
}
DISCONNECT_CHECK_S = 1.0  # how often a request waiting for a slot checks its client is still there
HEALTH_THREADS = 2  # /v1/health's own worker threads: it never waits behind answers


class ApiError(Exception):
    """An error for the client, in OpenAI's shape."""

    def __init__(
        self,
        status: int,
        message: str,
        kind: str = "invalid_request_error",
        param: str | None = None,
        code: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status, self.message, self.kind, self.param, self.code = status, message, kind, param, code
        self.headers = headers

    def response(self) -> JSONResponse:
        response = error_response(self.status, self.message, self.kind, self.param, self.code)
        response.headers.update(self.headers or {})
        return response


def error_response(
    status: int,
    message: str,
    kind: str = "invalid_request_error",
    param: str | None = None,
    code: str | None = None,
) -> JSONResponse:
    headers = {"WWW-Authenticate": 'Bearer realm="article-qa"'} if status == 401 else None
    return JSONResponse(error_body(message, kind, param, code), status_code=status, headers=headers)


def error_body(
    message: str, kind: str = "invalid_request_error", param: str | None = None, code: str | None = None
) -> dict[str, Any]:
    return {"error": {"message": message, "type": kind, "param": param, "code": code}}


# ---- request bodies -----------------------------------------------------------------
def surrogate_at(value: Any, where: str = "") -> str | None:
    """Where in `value` (strings, lists, dicts) a string holds a lone surrogate (JSON
    allows `"\\ud800"`; it is no Unicode text and cannot be encoded): "" for `value`
    itself, ".text" or "[0].text" inside it; None when every string is text."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return where
        return None
    if isinstance(value, dict):
        for key, item in value.items():
            name = str(key).encode("utf-8", "backslashreplace").decode("utf-8")
            found = surrogate_at(key, f"{where}.{name}") if isinstance(key, str) else None
            found = surrogate_at(item, f"{where}.{name}") if found is None else found
            if found is not None:
                return found
    elif isinstance(value, (list, tuple)):
        for number, item in enumerate(value):
            found = surrogate_at(item, f"{where}[{number}]")
            if found is not None:
                return found
    return None


class ApiBody(BaseModel):
    """A request body whose every string must be Unicode text (no lone surrogates), so a
    bad one is a 400 that names its field rather than a failure deep in the answering."""

    @field_validator("*", mode="after")
    @classmethod
    def _unicode_text(cls, value: Any) -> Any:
        where = surrogate_at(value)
        if where is not None:
            raise ValueError(not_text(where))
        return value


def not_text(where: str = "") -> str:
    return (
        f"the text{' at ' + where.lstrip('.') if where else ''} holds a lone surrogate "
        "(such as \\ud800), which is not Unicode text: send UTF-8 text"
    )


class FiltersBody(ApiBody):
    """Restrictions on retrieval."""

    model_config = ConfigDict(extra="forbid")
    sources: list[str] = Field(default_factory=list, max_length=50)
    published_from: str | None = Field(None, description="ISO date, inclusive", max_length=32)
    published_to: str | None = Field(None, description="ISO date, inclusive", max_length=32)
    article_ids: list[str] = Field(default_factory=list, max_length=500)

    def to_filters(self) -> Filters:
        return Filters(tuple(self.sources), self.published_from, self.published_to, tuple(self.article_ids))


class ChatMessage(ApiBody):
    role: Literal["system", "developer", "user", "assistant", "tool"]
    content: str | list[dict[str, Any]] | None = None

    def text(self) -> str:
        if isinstance(self.content, list):  # OpenAI's content parts: the text ones
            return "".join(str(p.get("text", "")) for p in self.content if p.get("type") == "text")
        return self.content or ""


class ChatRequest(ApiBody):
    """OpenAI's chat completion request; fields other clients send (temperature, ...) are
    accepted and ignored."""

    model_config = ConfigDict(extra="allow")
    model: str = API_MODEL
    messages: list[ChatMessage] = Field(min_length=1)
    stream: bool = False
    filters: FiltersBody | None = None
    k: int | None = Field(None, ge=1, le=MAX_K)


class AnswerRequest(ApiBody):
    """`/v1/answer`: a question, optional history (chat messages), model, k and filters."""

    model_config = ConfigDict(extra="forbid")
    question: str = Field(max_length=MAX_QUESTION_CHARS + 1000)  # the stripped text is checked

    @field_validator("question", mode="after")
    @classmethod
    def _a_question(cls, value: str) -> str:
        problem = question_problem(value)
        if problem is not None:
            raise ValueError(problem)
        return value.strip()

    history: list[ChatMessage] = Field(default_factory=list)
    model: str = API_MODEL
    filters: FiltersBody | None = None
    k: int | None = Field(None, ge=1, le=MAX_K)


class ArticlesRequest(ApiBody):
    """`POST /v1/articles` as JSON: articles like the lines of a .jsonl file."""

    articles: list[dict[str, Any]] = Field(min_length=1, max_length=1000)


# ---- what replies carry -------------------------------------------------------------
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


# ---- the router ---------------------------------------------------------------------
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


class ApiService:
    """What the endpoints do, over one `QA`; answers take one of `slots` (shared with the
    chat) from before their first step to their end."""

    def __init__(
        self, qa: QA, settings: Settings, writer: Writer | None = None, slots: AnswerSlots | None = None
    ) -> None:
        self.qa = qa
        self.settings = settings
        self.writer = writer or LocalWriter(qa.index, settings)
        self.slots = slots or AnswerSlots()
        self._health_limiter: anyio.CapacityLimiter | None = None

    def models(self) -> list[str]:
        """The server's answerer, then each answerer it offers by name."""
        return [API_MODEL] + [f"{API_MODEL}/{name}" for name in self.qa.answerer_names()]

    def answerer(self, model: str) -> str | None:
        """The pipeline's model argument for an API model name (None: the server default)."""
        name = model.strip()
        if name == API_MODEL:
            return None
        if name.startswith(API_MODEL + "/") and name[len(API_MODEL) + 1 :].strip():
            return name[len(API_MODEL) + 1 :].strip()
        raise ApiError(
            404,
            f"The model {model!r} does not exist: use {API_MODEL!r} (the server's answerer), "
            f"'{API_MODEL}/{self.qa.extractive.name}' or '{API_MODEL}/<litellm model id>'",
            param="model",
            code="model_not_found",
        )

    async def take_slot(self, request: Request) -> None:
        """Wait, on the event loop, for an answering slot: a 503 after `SLOT_WAIT_S`, and
        no slot for a client that hung up while it waited. The caller releases it."""
        if await self.slots.acquire_async(SLOT_WAIT_S, request.is_disconnected, DISCONNECT_CHECK_S):
            return
        if await request.is_disconnected():
            raise ApiError(503, "the client closed the request while it waited", "server_error")
        raise ApiError(503, "the server is busy answering; try again shortly", "server_error")

    async def answer(
        self,
        request: Request,
        question: str,
        history: list[dict[str, str]],
        model: str,
        k: int | None,
        filters: Filters | None,
    ) -> Answer:
        """The whole answer, computed in a worker thread while a slot is held."""
        chosen = self.answerer(model)  # a bad model name is refused before anything is held
        await self.take_slot(request)
        try:
            return await run_in_threadpool(self.qa.answer, question, history, chosen, k, filters)
        finally:
            self.slots.release()

    async def event_stream(
        self,
        request: Request,
        question: str,
        history: list[dict[str, str]],
        body: ChatRequest,
        filters: Filters | None,
        completion_id: str,
        created: int,
    ) -> AnswerEventStream:
        """The answer as server-sent events; the response holds the slot to its end."""
        chosen = self.answerer(body.model)
        await self.take_slot(request)
        try:
            answering = self.qa.stream(question, history, chosen, body.k, filters)
            events = stream_events(answering, body.model, completion_id, created)
            return AnswerEventStream(events, self.slots.release)
        except BaseException:
            self.slots.release()
            raise

    async def health(self) -> dict[str, Any]:
        """Read in a thread of its own (SQLite may wait on a lock), never one answers fill."""
        if self._health_limiter is None:
            self._health_limiter = anyio.CapacityLimiter(HEALTH_THREADS)
        return await anyio.to_thread.run_sync(self._health, limiter=self._health_limiter)

    def _health(self) -> dict[str, Any]:
        index = self.qa.index
        reader = self.qa.reader
        return {
            "status": "ok",
            "index": str(index.path),
            "generation": index.generation(),
            **index.counts(),
            "answers": {
                "computing": self.slots.busy,
                "waiting": self.slots.waiting,
                "slots": self.slots.size,
            },
            "models": {
                "embedding": {"id": index.embedder.model_id, "loaded": index.embedder.loaded},
                "reader": None if reader is None else {"path": str(reader.folder), "loaded": reader.loaded},
                "llm": self.settings.llm_model,
            },
        }


def split_messages(messages: list[ChatMessage]) -> tuple[str, list[dict[str, str]]]:
    """(question, history): the last message must be the user's; system messages are
    the client's business, not history."""
    if messages[-1].role != "user":
        raise ApiError(400, "the last message must be the user's question", param="messages")
    question = messages[-1].text().strip()
    problem = question_problem(question)
    if problem is not None:
        raise ApiError(400, f"the last user message: {problem}", param="messages")
    history = [
        {"role": m.role, "content": m.text()}
        for m in messages[:-1]
        if m.role in ("user", "assistant") and m.text().strip()
    ]
    return question, history


def build_router(service: ApiService, prefix: str = "/v1") -> APIRouter:
    """The /v1 routes (`prefix` "" where a Ray Serve application is mounted at /v1)."""
    router = APIRouter(prefix=prefix, tags=["article-qa"])

    @router.post("/chat/completions", summary="OpenAI-compatible chat completion with citations")
    async def chat_completions(body: ChatRequest, request: Request) -> Any:
        question, history = split_messages(body.messages)
        filters = body.filters.to_filters() if body.filters else None
        completion_id, created = f"chatcmpl-{uuid.uuid4().hex[:24]}", int(time.time())
        if body.stream:
            return await service.event_stream(
                request, question, history, body, filters, completion_id, created
            )
        answer = await service.answer(request, question, history, body.model, body.k, filters)
        return completion_body(answer, body.model, completion_id, created)

    @router.get("/models", summary="The models (answerers) this server offers")
    def models() -> dict[str, Any]:
        created = int(time.time())
        data = [
            {"id": name, "object": "model", "created": created, "owned_by": "article-qa"}
            for name in service.models()
        ]
        return {"object": "list", "data": data}

    @router.post("/answer", summary="The whole Answer: text, citations, hits, timings")
    async def answer(body: AnswerRequest, request: Request) -> dict[str, Any]:
        history = [
            {"role": m.role, "content": m.text()} for m in body.history if m.role in ("user", "assistant")
        ]
        filters = body.filters.to_filters() if body.filters else None
        found = await service.answer(request, body.question, history, body.model, body.k, filters)
        return found.to_dict()

    @router.get("/articles", summary="The indexed articles, by title, a page at a time")
    def list_articles(limit: int = Query(50, ge=1, le=500), offset: int = Query(0, ge=0)) -> dict[str, Any]:
        index = service.qa.index
        entries = index.titles(limit, offset)
        data = [
            {"id": e.id, "title": e.title, "source": e.source, "published": e.published, "url": e.url}
            for e in entries
        ]
        return {
            "object": "list",
            "data": data,
            "total": index.counts()["articles"],
            "limit": limit,
            "offset": offset,
        }

    @router.post(
        "/articles", summary="Add articles: files (multipart, field 'files') or JSON {'articles': [...]}"
    )
    async def add_articles(request: Request) -> Any:
        kind = request.headers.get("content-type", "")
        if kind.startswith("multipart/form-data"):
            form = await request.form(max_files=MAX_UPLOAD_FILES)
            uploads = [item for item in form.getlist("files") if not isinstance(item, str)]
            if not uploads:
                raise ApiError(400, "send the files in a multipart field named 'files'", param="files")
            files = [(u.filename or "upload", await u.read()) for u in uploads]
            results = [r.to_dict() for r in await run_in_threadpool(service.writer.add_files, files)]
            return upload_reply(
                results, "files", [f"{r['name']}: {'; '.join(r['skipped'])}" for r in results]
            )
        if kind.startswith("application/json"):
            try:
                payload = ArticlesRequest.model_validate_json(await request.body())
            except ValueError as error:
                raise ApiError(
                    400, f"invalid articles JSON: {_first_error(error)}", param="articles"
                ) from None
            records = await run_in_threadpool(service.writer.add_records, payload.articles)
            reasons = [f"articles[{r['index']}]: {r['reason']}" for r in records]
            return upload_reply(records, "articles", reasons)
        raise ApiError(415, "send multipart/form-data (files) or application/json (articles)")

    @router.get(
        "/articles/{article_id:path}",
        summary="One article: its metadata and text, or the slice text[start:end] of it",
    )
    def get_article(
        article_id: str,
        start: int | None = Query(None, ge=0, description="first character (as citations count)"),
        end: int | None = Query(None, ge=0, description="one past the last character"),
    ) -> dict[str, Any]:
        article = service.qa.index.get_article(article_id)
        if article is None:
            raise ApiError(404, f"no article with id {article_id!r}", param="article_id", code="not_found")
        length = len(article.text)
        first = 0 if start is None else start
        last = length if end is None else end
        if first > length:
            raise ApiError(
                400, f"start {first} is past the article's end ({length} characters)", param="start"
            )
        if not first <= last <= length:
            raise ApiError(
                400,
                f"end {last} must lie between start ({first}) and the article's length ({length})",
                param="end",
            )
        return {
            "id": article.id,
            "object": "article",
            "title": article.title,
            "source": article.source,
            "url": article.url,
            "author": article.author,
            "published": article.published,
            "length": length,
            "start": first,
            "end": last,
            "text": article.text[first:last],
        }

    @router.delete("/articles/{article_id:path}", summary="Remove an article")
    def delete_article(article_id: str) -> dict[str, Any]:
        if service.writer.remove(article_id) is None:
            raise ApiError(404, f"no article with id {article_id!r}", param="article_id", code="not_found")
        return {"id": article_id, "object": "article", "deleted": True}

    @router.get("/health", summary="Index generation, counts, answers being computed, loaded models")
    async def health() -> dict[str, Any]:
        return await service.health()

    known = list(router.routes)

    async def unknown(request: Request) -> Any:
        """Whatever no route above takes, in OpenAI's shape: 405 with `Allow` for a known
        path asked with another method, else 404 (not the chat's page mounted at `/`)."""
        allowed = sorted(
            {
                method
                for route in known
                if isinstance(route, APIRoute) and route.matches(request.scope)[0] == Match.PARTIAL
                for method in route.methods or ()
            }
        )
        if allowed:
            raise ApiError(
                405,
                f"{request.method} is not allowed here; use {', '.join(allowed)}",
                code="method_not_allowed",
                headers={"Allow": ", ".join(allowed)},
            )
        raise ApiError(404, f"no API route {request.method} {request.url.path}", code="not_found")

    every = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
    router.add_api_route("/{rest:path}", unknown, methods=every, include_in_schema=False)
    if prefix:
        router.add_api_route("", unknown, methods=every, include_in_schema=False)
    return router


def upload_reply(results: list[dict[str, Any]], param: str, reasons: list[str]) -> Any:
    """200 with every file's (or record's) result when anything is in the index as sent
    (added, updated or unchanged); else 422, with the reasons and the same results."""
    if any(r["status"] != "skipped" for r in results):
        return {"results": results}
    why = "; ".join(reason for reason, r in zip(reasons, results, strict=True) if r["status"] == "skipped")
    body = error_body(f"nothing was indexed: {why}", param=param, code="nothing_indexed")
    return JSONResponse({**body, "results": results}, status_code=422)


def _first_error(error: Exception) -> str:
    errors = getattr(error, "errors", None)
    if callable(errors):
        first = errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ()))
        return f"{where}: {first.get('msg')}" if where else str(first.get("msg"))
    return str(error)


def install_api(
    app: FastAPI,
    qa: QA,
    settings: Settings,
    access: Access,
    writer: Writer | None = None,
    prefix: str = "/v1",
    slots: AnswerSlots | None = None,
) -> None:
    """The /v1 routes, their error shapes, key checks and body size limits, on `app`;
    answers take `slots` (the chat's too, when it shares them)."""
    service = ApiService(qa, settings, writer, slots)
    router = build_router(service, prefix)

    async def require_key(request: Request) -> None:
        """Second line behind the middleware: every API route, however mounted."""
        if access.enabled and not access.allows_header(request.headers.get("authorization", "")):
            raise ApiError(
                401, "a valid API key is required: Authorization: Bearer <key>", "authentication_error"
            )

    app.include_router(router, dependencies=[Depends(require_key)])

    @app.exception_handler(ApiError)
    async def api_error(request: Request, error: ApiError) -> JSONResponse:
        return error.response()

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, error: RequestValidationError) -> JSONResponse:
        first = error.errors()[0] if error.errors() else {}
        location = [str(p) for p in first.get("loc", ())]
        location = location[1:] if location[:1] and location[0] in ("body", "query", "path") else location
        if first.get("type") == "json_invalid":
            return error_response(
                400, f"the body is not valid JSON: {first.get('ctx', {}).get('error', '')}".strip()
            )
        if not location and first.get("type") in ("model_attributes_type", "dict_type", "missing"):
            return error_response(400, "the body must be a JSON object (Content-Type: application/json)")
        where = ".".join(location)
        message = str(first.get("msg", "invalid value")).removeprefix("Value error, ")
        if first.get("type") == "string_unicode":  # pydantic's own check of a plain string
            message = not_text()
        return error_response(400, f"{where}: {message}" if where else message, param=where or None)

    def is_api(request: Request) -> bool:
        return route_path(request.scope).startswith(prefix)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> Any:
        if is_api(request):
            code = HTTP_CODES.get(error.status_code)
            response = error_response(error.status_code, str(error.detail), code=code)
            response.headers.update(error.headers or {})
            return response
        return JSONResponse({"detail": error.detail}, status_code=error.status_code, headers=error.headers)

    @app.exception_handler(Exception)
    async def server_error(request: Request, error: Exception) -> Any:
        log.exception("%s %s failed", request.method, request.url.path)
        if is_api(request):
            return error_response(
                500, f"the server failed ({type(error).__name__}); see its log", "server_error"
            )
        return JSONResponse({"detail": "Internal Server Error"}, status_code=500)

    @app.exception_handler(QAError)
    async def qa_error(request: Request, error: QAError) -> JSONResponse:
        return error_response(400, str(error))

    articles = prefix + "/articles"
    upload = BodyLimit(
        upload_limit_bytes(settings),
        f"an upload is limited to {settings.max_upload_mb:g} MB a request, all its files or "
        "articles together (QA_MAX_UPLOAD_MB)",
    )
    other = BodyLimit(MAX_JSON_BYTES, f"the request body is over the {MAX_JSON_BYTES:,}-byte limit")
    app.add_middleware(
        GuardMiddleware,
        access=access,
        prefix=prefix,
        limit_for=lambda path: upload if path.rstrip("/") == articles else other,
    )


def upload_limit_bytes(settings: Settings) -> int:
    """`POST /v1/articles`'s body limit: the upload limit (`QA_MAX_UPLOAD_MB`) for the whole
    request, and room for the multipart headers around the files."""
    return int(settings.max_upload_mb * 2**20) + MULTIPART_ROOM


@dataclass(frozen=True)
class BodyLimit:
    """The most bytes a request body may have, and what a 413 says."""

    bytes: int
    message: str


def route_path(scope: Mapping[str, Any]) -> str:
    """The path the app routes on: without the root path it is mounted under (a proxy's
    `--root-path`, or Ray Serve's route prefix)."""
    path, root = scope.get("path", ""), scope.get("root_path", "")
    return path[len(root) :] if root and path.startswith(root) else path


def log_failed(scope: Mapping[str, Any], status: int) -> None:
    """A failed API request, as the person running the server sees it (a server fault's
    traceback is logged where it is caught)."""
    level = logging.WARNING if status >= 500 else logging.INFO
    log.log(level, "%s %s failed: %d", scope.get("method", ""), scope.get("path", ""), status)


class _TooLarge(StarletteHTTPException):
    """A body over the limit, found while reading it (FastAPI passes HTTP errors on)."""

    def __init__(self, limit: BodyLimit) -> None:
        super().__init__(413, limit.message)


class GuardMiddleware:
    """For the API's routes (those under `prefix`, however the app is mounted): a valid
    key when keys are set, and a body no larger than the limit, checked on the bytes
    received, not only on Content-Length."""

    def __init__(self, app: Any, access: Access, prefix: str, limit_for: Any) -> None:
        self.app = app
        self.access = access
        self.prefix = prefix
        self.limit_for = limit_for

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        path = route_path(scope) if scope["type"] == "http" else ""
        if scope["type"] != "http" or not path.startswith(self.prefix):
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        if self.access.enabled and not self.access.allows_header(headers.get("authorization", "")):
            await error_response(
                401,
                "a valid API key is required: Authorization: Bearer <key>",
                "authentication_error",
                code="invalid_api_key",
            )(scope, receive, send)
            log_failed(scope, 401)
            return
        limit: BodyLimit = self.limit_for(path)
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit.bytes:
            await error_response(413, limit.message, code="body_too_large")(scope, receive, send)
            log_failed(scope, 413)
            return
        received = 0
        started = False
        status = 0

        async def limited_receive() -> Any:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit.bytes:
                    raise _TooLarge(limit)
            return message

        async def tracking_send(message: Any) -> None:
            nonlocal started, status
            if message["type"] == "http.response.start":
                started, status = True, int(message["status"])
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except _TooLarge:
            if not started:
                await error_response(413, limit.message, code="body_too_large")(scope, receive, send)
                status = 413
        finally:
            if status >= 400:
                log_failed(scope, status)
