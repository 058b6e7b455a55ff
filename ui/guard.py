"""The API's guard in front of its routes: a valid key when keys are set, and a body no
larger than its limit (the upload limit for articles, 1 MB for the rest)."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from starlette.exceptions import HTTPException as StarletteHTTPException

from qa.config import Settings
from ui.access import Access
from ui.api_errors import error_response

log = logging.getLogger(__name__)
MAX_JSON_BYTES = 1 * 2**20  # a chat request; uploads get the upload limit
MULTIPART_ROOM = 2**16  # the multipart headers and boundaries around an upload's files


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
