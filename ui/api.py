"""The HTTP API under `/v1`, served beside the chat: OpenAI-compatible chat completions
(streaming or not) whose replies carry a `citations` field, as Perplexity's API does; the
whole `Answer`; the articles (list, upload, delete); models and health. The request bodies
are in `ui.bodies`, the replies in `ui.completions`, the key and size checks in `ui.guard`.

Any OpenAI client works: `OpenAI(base_url="http://127.0.0.1:7860/v1", api_key=KEY)`.
Errors come in OpenAI's shape (`ui.api_errors`), with a 4xx status and never a traceback.
"""

from __future__ import annotations

import logging
import time
import uuid
from typing import Any

import anyio
from fastapi import APIRouter, Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from qa.config import Settings, question_problem
from qa.errors import QAError
from qa.pipeline import QA
from qa.types import Answer, Filters
from ui.access import Access
from ui.api_errors import ApiError, error_body, error_response
from ui.bodies import API_MODEL, AnswerRequest, ArticlesRequest, ChatMessage, ChatRequest, not_text
from ui.completions import AnswerEventStream, completion_body, stream_events
from ui.guard import MAX_JSON_BYTES, BodyLimit, GuardMiddleware, route_path, upload_limit_bytes
from ui.slots import SLOT_WAIT_S, AnswerSlots
from ui.writer import LocalWriter, Writer

log = logging.getLogger(__name__)
MAX_UPLOAD_FILES = 100
HTTP_CODES = {
    404: "not_found",
    405: "method_not_allowed",
    413: "body_too_large",
    415: "unsupported_media_type",
}
DISCONNECT_CHECK_S = 1.0  # how often a request waiting for a slot checks its client is still there
HEALTH_THREADS = 2  # /v1/health's own worker threads: it never waits behind answers


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
