"""The HTTP API when clients misbehave or crowd it: hung-up streams, crowds waiting for a
turn, health under load, bad text, empty questions, uploads of nothing, unknown routes.

A real server on 127.0.0.1 (`ui.app.serve`, in this process, so a test can take answering
slots itself and make "every slot is taken" happen when it wants), real httpx and
gradio_client as the clients. Every wait is for something observed (the server's own
counts in `/v1/health`), never a sleep that hopes.
"""

from __future__ import annotations

import asyncio
import shutil
import socket
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest

QUESTION = "Who led the negotiations with Prigozhin?"
T = TypeVar("T")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def served(built_index_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """A server (chat and API, no keys: loopback only) on a private copy of the index."""
    from ui.app import serve

    index_dir = tmp_path_factory.mktemp("faults") / "index"
    shutil.copytree(built_index_dir, index_dir)
    server = serve(index_dir, port=free_port(), block=False, open_browser=False)
    assert server is not None
    try:
        yield server
    finally:
        server.close()


@pytest.fixture()
def api(served: Any) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=served.url + "v1", timeout=60) as client:
        yield client


def wait_for(check: Callable[[], T], what: str, timeout_s: float = 60.0) -> T:
    """Ask `check` until it answers truthily (an observed event), failing after `timeout_s`."""
    deadline = time.monotonic() + timeout_s
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.05)


def answers(api: httpx.Client) -> dict[str, int]:
    """The server's answering counts; health must answer at once whatever the load."""
    started = time.monotonic()
    response = api.get("/health", timeout=5)
    assert response.status_code == 200 and time.monotonic() - started < 5
    return dict(response.json()["answers"])


# ---- answering slots ----------------------------------------------------------------
def test_hung_up_streams_give_their_slots_back(served: Any, api: httpx.Client) -> None:
    """Four clients read the first chunk of a stream and hang up: the four slots come
    back (not minutes later, at garbage collection), so answers are served at once."""
    body = {"model": "article-qa", "stream": True, "messages": [{"role": "user", "content": QUESTION}]}
    assert answers(api)["slots"] == 4
    for _ in range(4):
        with (
            httpx.Client(base_url=served.url + "v1", timeout=60) as hasty,
            hasty.stream("POST", "/chat/completions", json=body) as response,
        ):
            assert response.status_code == 200
            first = next(response.iter_lines())
            assert first.startswith("data: ") and '"role": "assistant"' in first
        # leaving the block mid-stream closes the connection: the client is gone
    wait_for(lambda: answers(api)["computing"] == 0, "the hung-up streams' slots to come back")

    def ask(_: int) -> int:
        with httpx.Client(base_url=served.url + "v1", timeout=60) as client:
            return client.post("/answer", json={"question": QUESTION}).status_code

    with ThreadPoolExecutor(4) as pool:  # all four slots are needed at once
        assert list(pool.map(ask, range(4))) == [200] * 4


def test_health_answers_while_every_slot_is_taken_and_many_wait(served: Any, api: httpx.Client) -> None:
    """With every slot taken and more requests waiting than the server has worker threads
    (40), health still answers at once; waiting clients that hang up take no slot later."""
    slots = served.app.state.slots
    crowd = 44
    for _ in range(slots.size):
        assert slots.acquire(0)
    try:
        assert answers(api) == {"computing": 4, "waiting": 0, "slots": 4}

        async def crowd_waits_then_leaves() -> None:
            limits = httpx.Limits(max_connections=crowd + 5)
            async with httpx.AsyncClient(base_url=served.url + "v1", timeout=120, limits=limits) as client:
                asking = [
                    asyncio.create_task(client.post("/answer", json={"question": QUESTION}))
                    for _ in range(crowd)
                ]
                deadline = time.monotonic() + 60
                while True:  # health answers at once all along (`answers` checks)
                    count = await asyncio.to_thread(answers, api)
                    if count["waiting"] == crowd:
                        break
                    assert time.monotonic() < deadline, f"the crowd never all waited: {count}"
                    await asyncio.sleep(0.05)
                assert not any(task.done() for task in asking)
                for task in asking:  # every waiting client hangs up
                    task.cancel()
                await asyncio.gather(*asking, return_exceptions=True)

        asyncio.run(crowd_waits_then_leaves())
        wait_for(lambda: answers(api)["waiting"] == 0, "the hung-up crowd to stop waiting")
        assert answers(api)["computing"] == 4  # none of them took a slot on leaving
    finally:
        for _ in range(slots.size):
            slots.release()
    assert answers(api) == {"computing": 0, "waiting": 0, "slots": 4}
    assert api.post("/answer", json={"question": QUESTION}).status_code == 200


def test_the_chat_and_the_api_share_one_limit(served: Any, api: httpx.Client) -> None:
    """One process computes at most four answers, whichever face asks: a chat question
    waits while the API's answers hold every slot, and is answered when one comes back."""
    from gradio_client import Client

    slots = served.app.state.slots
    for _ in range(slots.size):
        assert slots.acquire(0)
    released = False
    try:
        chat = Client(served.url, verbose=False)
        job = chat.submit(QUESTION, api_name="/chat")
        wait_for(lambda: answers(api)["waiting"] == 1, "the chat's question to wait for a slot")
        assert not job.done()
        slots.release()
        released = True
        assert "[1]" in job.result(timeout=60)
    finally:
        for _ in range(slots.size - (1 if released else 0)):
            slots.release()
    assert answers(api)["computing"] == 0


# ---- text that is not text, questions that are not questions ---------------------------
CHAT = b'{"model": "article-qa", "stream": %s, "messages": [{"role": "user", "content": %s}]}'


@pytest.mark.parametrize(
    ("path", "body", "param", "words"),
    [
        ("/chat/completions", CHAT % (b"false", rb'"Who \ud800 led?"'), "messages.0.content", "surrogate"),
        ("/chat/completions", CHAT % (b"true", rb'"Who \ud800 led?"'), "messages.0.content", "surrogate"),
        (
            "/chat/completions",
            CHAT % (b"false", rb'[{"type": "text", "text": "Who led? \udfff"}]'),
            "messages.0.content",
            "[0].text",
        ),
        ("/answer", rb'{"question": "Who \ud83d led?"}', "question", "surrogate"),
        (
            "/answer",
            rb'{"question": "Who led?", "history": [{"role": "user", "content": "\ud800"}]}',
            "history.0.content",
            "surrogate",
        ),
        (
            "/answer",
            rb'{"question": "Who led?", "filters": {"sources": ["\udc00"]}}',
            "filters.sources",
            "[0]",
        ),
    ],
)
def test_a_lone_surrogate_is_a_400_that_names_the_field(
    api: httpx.Client, path: str, body: bytes, param: str, words: str
) -> None:
    response = api.post(path, content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert error["param"] == param and error["type"] == "invalid_request_error"
    assert param in error["message"] and words in error["message"] and "Value error" not in error["message"]
    assert api.get("/health").status_code == 200  # the same connection still serves


@pytest.mark.parametrize("question", ["", "   ", "\n\t "])
def test_an_empty_question_is_refused_by_every_face(served: Any, api: httpx.Client, question: str) -> None:
    """The same 400 and words from /v1/answer and /v1/chat/completions, the same words from
    the chat's gradio_client endpoints (the CLI's are in test_cli.py)."""
    from gradio_client import Client
    from gradio_client.exceptions import AppError

    from qa.config import EMPTY_QUESTION

    answered = api.post("/answer", json={"question": question})
    assert answered.status_code == 400 and answered.json()["error"]["param"] == "question"
    assert answered.json()["error"]["message"] == f"question: {EMPTY_QUESTION}"
    chat = {"model": "article-qa", "messages": [{"role": "user", "content": question}]}
    for stream in (False, True):
        completed = api.post("/chat/completions", json={**chat, "stream": stream})
        assert completed.status_code == 400 and EMPTY_QUESTION in completed.json()["error"]["message"]
    assert answers(api)["computing"] == 0
    gradio = Client(served.url, verbose=False)
    for endpoint in ("/chat", "/answer"):
        with pytest.raises(AppError, match=EMPTY_QUESTION):
            gradio.predict(question, api_name=endpoint)


# ---- uploads ---------------------------------------------------------------------------
STORY = b"Ferry timetable\n\nThe island ferry will run every forty minutes from Monday, the operator said."


def test_an_upload_that_indexes_nothing_is_a_422_with_every_reason(api: httpx.Client) -> None:
    files = [("files", ("empty.txt", b"")), ("files", ("report.pdf", b"%PDF-1.4 not an article"))]
    response = api.post("/articles", files=files)
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["error"]["code"] == "nothing_indexed" and body["error"]["param"] == "files"
    message = body["error"]["message"]
    assert "empty.txt: the file is empty" in message and "report.pdf: unsupported file type '.pdf'" in message
    assert [r["status"] for r in body["results"]] == ["skipped", "skipped"]
    records = {"articles": [{"title": "No text"}, {"title": "Number", "text": 42}]}
    refused = api.post("/articles", json=records)
    assert refused.status_code == 422 and refused.json()["error"]["param"] == "articles"
    message = refused.json()["error"]["message"]
    assert message.startswith("nothing was indexed: articles[0]: ") and "; articles[1]: " in message
    assert "'text' must be a string" in message


def test_an_upload_that_indexes_something_is_a_200_with_the_reasons_for_the_rest(api: httpx.Client) -> None:
    files = [("files", ("ferry.txt", STORY)), ("files", ("empty.md", b""))]
    response = api.post("/articles", files=files)
    assert response.status_code == 200, response.text
    added, skipped = response.json()["results"]
    assert added["status"] == "added" and skipped == {
        "name": "empty.md",
        "status": "skipped",
        "added": [],
        "updated": [],
        "unchanged": [],
        "skipped": ["the file is empty"],
    }
    again = api.post("/articles", files=[("files", ("ferry.txt", STORY))])
    assert again.status_code == 200 and again.json()["results"][0]["status"] == "unchanged"  # in the index
    assert api.delete(f"/articles/{added['added'][0]}").status_code == 200


def test_uploads_have_the_upload_limit_and_other_routes_one_mib(served: Any, api: httpx.Client) -> None:
    """`POST /v1/articles` takes up to QA_MAX_UPLOAD_MB (20 MB) a request, not 201 MiB;
    a 2 MB JSON upload is fine there and too large for a chat request."""
    from qa.config import Settings
    from ui.guard import upload_limit_bytes

    limit = upload_limit_bytes(Settings())
    assert 20 * 2**20 < limit <= 21 * 2**20
    padding = "x" * (2 * 2**20)
    big = api.post("/articles", json={"articles": [{"title": "Padded", "text": 42, "note": padding}]})
    assert big.status_code == 422 and "'text' must be a string" in big.json()["error"]["message"]
    chat = {"messages": [{"role": "user", "content": "Who?"}], "note": padding}
    assert api.post("/chat/completions", json=chat).status_code == 413
    host, port = served.url.split("//")[1].rstrip("/").split(":")
    for declared in (limit + 1, 201 * 2**20):  # refused on the declared length, before the body
        with socket.create_connection((host, int(port)), timeout=30) as raw:
            raw.sendall(
                b"POST /v1/articles HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\n"
                b'Content-Length: %d\r\n\r\n{"articles": [' % (host.encode(), declared)
            )
            reply = raw.makefile("rb").read().decode("utf-8", "replace")
        assert reply.startswith("HTTP/1.1 413") and "limited to 20 MB a request" in reply


# ---- articles by id, and the routes that are not there --------------------------------
def test_an_article_and_the_slice_a_citation_names(api: httpx.Client) -> None:
    found = api.post("/answer", json={"question": QUESTION}).json()
    citation = found["citations"][0]
    article = api.get(f"/articles/{citation['article_id']}").json()
    assert article["object"] == "article" and article["id"] == citation["article_id"]
    assert article["title"] == citation["title"] and article["source"] == citation["source"]
    assert article["start"] == 0 and article["end"] == article["length"] == len(article["text"])
    params = {"start": citation["start"], "end": citation["end"]}
    quoted = api.get(f"/articles/{citation['article_id']}", params=params).json()
    assert quoted["text"] == citation["quote"] == article["text"][citation["start"] : citation["end"]]
    assert (quoted["start"], quoted["end"], quoted["length"]) == (
        citation["start"],
        citation["end"],
        article["length"],
    )
    for params, param in (
        ({"start": 10, "end": 5}, "end"),
        ({"end": article["length"] + 1}, "end"),
        ({"start": article["length"] + 1}, "start"),
        ({"start": -1}, "start"),
    ):
        refused = api.get(f"/articles/{citation['article_id']}", params=params)
        assert refused.status_code == 400 and refused.json()["error"]["param"] == param, refused.text


@pytest.mark.parametrize(
    ("method", "path", "status", "code"),
    [
        ("GET", "/articles/no-such-article", 404, "not_found"),
        ("GET", "/nothing/here", 404, "not_found"),
        ("GET", "", 404, "not_found"),
        ("GET", "/", 404, "not_found"),
        ("GET", "/chat/completions", 405, "method_not_allowed"),
        ("PUT", "/health", 405, "method_not_allowed"),
        ("PATCH", "/articles/some-id", 405, "method_not_allowed"),
    ],
)
def test_every_api_error_is_in_openai_shape(
    api: httpx.Client, method: str, path: str, status: int, code: str
) -> None:
    response = api.request(method, path)
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["code"] == code and error["type"] == "invalid_request_error" and error["message"]
    if status == 405:
        assert response.headers["allow"] and response.headers["allow"] in error["message"]


def test_openai_clients_see_not_found_as_such(served: Any) -> None:
    from openai import NotFoundError, OpenAI

    client = OpenAI(base_url=served.url + "v1", api_key="unused", max_retries=0, timeout=60)
    with pytest.raises(NotFoundError, match="no API route"):
        client.models.retrieve("article-qa")  # GET /v1/models/{id}: not a route of this API
    assert httpx.get(served.url + "not-the-api").json() == {"detail": "Not Found"}  # the chat's, as before
