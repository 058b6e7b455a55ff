"""The API's errors in OpenAI's shape, `{"error": {"message", "type", "param", "code"}}`,
with a 4xx status and never a traceback."""

from __future__ import annotations

from typing import Any

from fastapi.responses import JSONResponse


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
