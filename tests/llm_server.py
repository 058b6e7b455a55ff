"""A fake OpenAI-compatible chat completions server for the tests: a test double, not a model.

It answers `POST /v1/chat/completions` on 127.0.0.1 from a queue of scripted behaviours
that a test sets up (a reply, streamed as SSE chunks or whole; an HTTP error; a stall
longer than the client's timeout; a stream whose connection drops half way), and records
every request it received so tests can read the prompts the client sent. It exists so
the real litellm client can be exercised end to end without a provider or the network.

    with FakeLLMServer() as server:
        server.script(Reply("It rained [1]."), Reply.error(429))
        ...  # litellm.completion(model="openai/test-model", api_base=server.url, ...)
        server.requests[0].body["messages"]
"""

from __future__ import annotations

import json
import queue
import sys
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

NO_SCRIPT_STATUS = 400  # a request nobody scripted: non-retryable, so a test fails fast


@dataclass(frozen=True)
class Reply:
    """One scripted behaviour of the server.

    `text`: the completion; streamed in pieces of `chunk_chars` characters when the
    request asks for a stream. `status`: an HTTP status other than 200 answers with an
    OpenAI-style error body instead. `delay_s`: wait this long before answering (a stall
    the client's timeout should cut). `drop_after`: stream only this many chunks, then
    drop the connection without finishing the response. `headers`: extra headers.
    """

    text: str = ""
    status: int = 200
    chunk_chars: int = 12
    delay_s: float = 0.0
    drop_after: int | None = None
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def error(cls, status: int, message: str = "scripted error", **headers: str) -> Reply:
        """An HTTP error reply, e.g. `Reply.error(429)` or `Reply.error(503)`."""
        return cls(text=message, status=status, headers=headers)

    @classmethod
    def stall(cls, seconds: float) -> Reply:
        """No answer for `seconds` (then a short one, if the client is still there)."""
        return cls(text="Too late [1].", delay_s=seconds)

    @classmethod
    def broken(cls, text: str, after_chunks: int = 2) -> Reply:
        """A stream that sends `after_chunks` chunks of `text`, then drops the connection."""
        return cls(text=text, drop_after=after_chunks)


@dataclass(frozen=True)
class RecordedRequest:
    """A request the server received: path, headers (lower-case names) and JSON body."""

    path: str
    headers: dict[str, str]
    body: dict[str, Any]

    @property
    def messages(self) -> list[dict[str, Any]]:
        return list(self.body.get("messages", []))

    @property
    def prompt(self) -> str:
        """All message contents joined, for assertions on what the model was shown."""
        return "\n".join(str(m.get("content", "")) for m in self.messages)


class _QuietServer(ThreadingHTTPServer):
    """Clients that hang up mid-stream are part of the script, not errors worth a traceback."""

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)


class FakeLLMServer:
    """A threaded HTTP server on 127.0.0.1 (a free port) serving scripted completions."""

    def __init__(self) -> None:
        self.requests: list[RecordedRequest] = []
        self.unscripted = 0
        self._replies: queue.Queue[Reply] = queue.Queue()
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._httpd = _QuietServer(("127.0.0.1", 0), _handler_for(self))
        self._httpd.daemon_threads = True
        self._httpd.block_on_close = False
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="fake-llm", daemon=True)

    @property
    def url(self) -> str:
        """The OpenAI-style base URL, e.g. `http://127.0.0.1:PORT/v1`."""
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}/v1"

    def start(self) -> FakeLLMServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> FakeLLMServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def script(self, *replies: Reply | str) -> None:
        """Queue behaviours for the next requests, in order (a string is a plain reply)."""
        for reply in replies:
            self._replies.put(Reply(reply) if isinstance(reply, str) else reply)

    def reset(self) -> None:
        """Forget recorded requests and any replies still queued."""
        with self._lock:
            self.requests.clear()
            self.unscripted = 0
        while not self._replies.empty():
            self._replies.get_nowait()

    @property
    def pending(self) -> int:
        """Scripted replies not yet used."""
        return self._replies.qsize()

    def _record(self, request: RecordedRequest) -> Reply | None:
        with self._lock:
            self.requests.append(request)
            try:
                return self._replies.get_nowait()
            except queue.Empty:
                self.unscripted += 1
                return None

    def _wait(self, seconds: float) -> bool:
        """Sleep up to `seconds`; False when the server is stopping."""
        return not self._stopping.wait(seconds)


def _handler_for(server: FakeLLMServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # chunked streams, so a dropped one is detectably cut

        def log_message(self, format: str, *args: Any) -> None:
            pass  # keep test output clean

        def do_POST(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            raw = self.rfile.read(length) if length else b""
            try:
                body = json.loads(raw or b"{}")
            except json.JSONDecodeError:
                body = {"unparsed": raw.decode("utf-8", "replace")}
            headers = {name.lower(): value for name, value in self.headers.items()}
            reply = server._record(RecordedRequest(self.path, headers, body))
            try:
                if not self.path.rstrip("/").endswith("/chat/completions"):
                    self._send_json(404, _error_body("no such route", 404))
                elif reply is None:
                    self._send_json(NO_SCRIPT_STATUS, _error_body("no scripted reply left", NO_SCRIPT_STATUS))
                elif reply.delay_s and not server._wait(reply.delay_s):
                    return
                elif reply.status != 200:
                    self._send_json(reply.status, _error_body(reply.text, reply.status), reply.headers)
                elif body.get("stream"):
                    self._send_stream(reply, str(body.get("model", "")))
                else:
                    self._send_json(200, _completion(reply.text, str(body.get("model", ""))), reply.headers)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (a timeout under test): nothing to answer

        def _send_json(
            self, status: int, payload: dict[str, Any], headers: dict[str, str] | None = None
        ) -> None:
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(data)))
            for name, value in (headers or {}).items():
                self.send_header(name.replace("_", "-"), value)
            self.end_headers()
            self.wfile.write(data)

        def _send_stream(self, reply: Reply, model: str) -> None:
            self.send_response(200)
            self.send_header("content-type", "text/event-stream")
            self.send_header("transfer-encoding", "chunked")
            for name, value in reply.headers.items():
                self.send_header(name.replace("_", "-"), value)
            self.end_headers()
            pieces = [
                reply.text[i : i + reply.chunk_chars] for i in range(0, len(reply.text), reply.chunk_chars)
            ]
            events = [_chunk({"role": "assistant", "content": ""}, model)]
            events += [_chunk({"content": piece}, model) for piece in pieces]
            if reply.drop_after is not None:
                for event in events[: reply.drop_after + 1]:
                    self._write_chunk(f"data: {json.dumps(event)}\n\n")
                self.wfile.flush()
                time.sleep(0.05)  # let the client read what came, then cut mid-response
                self.close_connection = True
                self.connection.shutdown(2)
                return
            events.append(_chunk({}, model, finish_reason="stop"))
            for event in events:
                self._write_chunk(f"data: {json.dumps(event)}\n\n")
            self._write_chunk("data: [DONE]\n\n")
            self.wfile.write(b"0\r\n\r\n")
            self.wfile.flush()

        def _write_chunk(self, text: str) -> None:
            data = text.encode()
            self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
            self.wfile.flush()

    return Handler


def _completion(text: str, model: str) -> dict[str, Any]:
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 10, "completion_tokens": 10, "total_tokens": 20},
    }


def _chunk(delta: dict[str, str], model: str, finish_reason: str | None = None) -> dict[str, Any]:
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": model,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish_reason}],
    }


def _error_body(message: str, status: int) -> dict[str, Any]:
    kinds = {401: "invalid_request_error", 429: "rate_limit_error"}
    return {"error": {"message": message, "type": kinds.get(status, "server_error"), "code": str(status)}}
