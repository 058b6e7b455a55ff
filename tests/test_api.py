"""The HTTP API as other programs use it: a real server on 127.0.0.1 (`ui.app.serve`) and
the real `openai` package as the client, plus httpx for what OpenAI's client cannot send."""

from __future__ import annotations

import json
import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from qa.index import Index

KEY = "test-key-0123456789"
QUESTION = "Who led the negotiations with Prigozhin?"
LIGHTHOUSE = (
    "Glimmerton lighthouse restored\n\nThe Glimmerton lighthouse reopened on Friday after a restoration "
    "that cost 3.2 million euros. The work was led by the engineer Ottilie Brandvold."
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def server(built_index_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """A server with an API key on a private copy of the session index: (url, index folder)."""
    from ui.app import serve

    index_dir = tmp_path_factory.mktemp("api") / "index"
    shutil.copytree(built_index_dir, index_dir)
    os.environ["QA_API_KEYS"] = f"other-key-99999999, {KEY}"
    try:
        served = serve(index_dir, port=free_port(), block=False, open_browser=False)
    finally:
        del os.environ["QA_API_KEYS"]
    assert served is not None
    try:
        yield served.url, index_dir
    finally:
        served.close()


@pytest.fixture(scope="module")
def client(server: tuple[str, Path]) -> Any:
    from openai import OpenAI

    return OpenAI(base_url=server[0] + "v1", api_key=KEY, max_retries=0, timeout=120)


def http(server: tuple[str, Path], key: str | None = KEY) -> httpx.Client:
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    return httpx.Client(base_url=server[0] + "v1", headers=headers, timeout=120)


def article_text(index_dir: Path, article_id: str) -> str:
    with Index.open(index_dir, create=False) as index:
        article = index.get_article(article_id)
    assert article is not None
    return article.text


def test_a_completion_carries_citations_that_resolve(client: Any, server: tuple[str, Path]) -> None:
    reply = client.chat.completions.create(
        model="article-qa", messages=[{"role": "user", "content": QUESTION}]
    )
    text = reply.choices[0].message.content
    assert "Lukashenko" in text and "[1]" in text and reply.choices[0].finish_reason == "stop"
    extra = reply.model_extra
    assert extra["abstained"] is False
    (first, *_) = extra["citations"]
    assert first["number"] == 1 and first["title"] == "Putin refused direct contact with Prigozhin"
    assert first["source"] == "Blick"
    assert article_text(server[1], first["article_id"])[first["start"] : first["end"]] == first["quote"]


def test_a_streamed_answer_adds_up_to_the_final_text(client: Any) -> None:
    whole = client.chat.completions.create(
        model="article-qa", messages=[{"role": "user", "content": "How many trucks were stranded?"}]
    )
    stream = client.chat.completions.create(
        model="article-qa",
        messages=[{"role": "user", "content": "How many trucks were stranded?"}],
        stream=True,
    )
    chunks = list(stream)
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text == whole.choices[0].message.content and "300 trucks" in text
    assert chunks[-1].choices[0].finish_reason == "stop"
    assert chunks[-1].model_extra["citations"][0]["article_id"] == "wire-001"


def test_raw_stream_is_server_sent_events_ending_with_done(server: tuple[str, Path]) -> None:
    body = {"model": "article-qa", "stream": True, "messages": [{"role": "user", "content": QUESTION}]}
    with http(server) as api, api.stream("POST", "/chat/completions", json=body) as response:
        assert response.headers["content-type"].startswith("text/event-stream")
        lines = [line for line in response.iter_lines() if line]
    assert all(line.startswith("data: ") for line in lines) and lines[-1] == "data: [DONE]"
    final = json.loads(lines[-2][6:])
    assert final["object"] == "chat.completion.chunk" and final["citations"]


def test_a_follow_up_uses_the_messages_as_history(client: Any) -> None:
    first = client.chat.completions.create(
        model="article-qa", messages=[{"role": "user", "content": QUESTION}]
    )
    messages = [
        {"role": "system", "content": "Answer from the articles."},
        {"role": "user", "content": QUESTION},
        {"role": "assistant", "content": first.choices[0].message.content},
        {"role": "user", "content": "Which country is he the dictator of?"},
    ]
    reply = client.chat.completions.create(model="article-qa", messages=messages)
    assert reply.model_extra["standalone_question"]  # the history reached the pipeline
    assert "Belarus" in reply.choices[0].message.content


def test_an_abstention_is_a_normal_reply_with_a_flag(client: Any) -> None:
    reply = client.chat.completions.create(
        model="article-qa", messages=[{"role": "user", "content": "What is the boiling point of tungsten?"}]
    )
    assert reply.model_extra["abstained"] is True and reply.model_extra["citations"] == []
    assert "don't say" in reply.choices[0].message.content


def test_without_a_valid_key_nothing_is_served(server: tuple[str, Path]) -> None:
    from openai import AuthenticationError, OpenAI

    wrong = OpenAI(base_url=server[0] + "v1", api_key="wrong-key", max_retries=0)
    with pytest.raises(AuthenticationError):
        wrong.chat.completions.create(model="article-qa", messages=[{"role": "user", "content": QUESTION}])
    for path in ("/models", "/articles", "/health"):
        with http(server, key=None) as api:
            response = api.get(path)
        assert response.status_code == 401 and "error" in response.json() and "data" not in response.json()
    with http(server, key="other-key-99999999") as api:
        assert api.get("/health").status_code == 200


def test_models_health_and_docs(client: Any, server: tuple[str, Path]) -> None:
    assert [m.id for m in client.models.list().data][:2] == ["article-qa", "article-qa/reader"]
    with http(server) as api:
        health = api.get("/health").json()
    assert health["status"] == "ok" and health["articles"] >= 6 and health["models"]["embedding"]["loaded"]
    assert httpx.get(server[0] + "docs").status_code == 200
    paths = httpx.get(server[0] + "openapi.json").json()["paths"]
    assert {"/v1/chat/completions", "/v1/answer", "/v1/articles", "/v1/health", "/v1/models"} <= set(paths)


def test_answer_gives_the_whole_answer(server: tuple[str, Path]) -> None:
    with http(server) as api:
        data = api.post("/answer", json={"question": QUESTION, "k": 3}).json()
    assert data["question"] == QUESTION and data["citations"] and len(data["hits"]) == 3
    assert "timings" in data and data["model"] == "reader"


def test_upload_ask_and_delete_through_the_api(client: Any, server: tuple[str, Path]) -> None:
    question = [{"role": "user", "content": "Who led the restoration of the Glimmerton lighthouse?"}]
    with http(server) as api:
        uploaded = api.post("/articles", files=[("files", ("glimmerton.txt", LIGHTHOUSE.encode()))]).json()
        (result,) = uploaded["results"]
        assert result["status"] == "added" and result["name"] == "glimmerton.txt"
        (article_id,) = result["added"]
        reply = client.chat.completions.create(model="article-qa", messages=question)
        assert "Ottilie Brandvold" in reply.choices[0].message.content  # who led it, from the upload
        assert reply.model_extra["citations"][0]["article_id"] == article_id
        listed = api.get("/articles", params={"limit": 500}).json()
        assert article_id in {a["id"] for a in listed["data"]} and listed["total"] == len(listed["data"])
        assert api.delete(f"/articles/{article_id}").json()["deleted"] is True
        assert api.delete(f"/articles/{article_id}").status_code == 404
        assert article_id not in {a["id"] for a in api.get("/articles", params={"limit": 500}).json()["data"]}
    again = client.chat.completions.create(model="article-qa", messages=question)
    assert all(c["article_id"] != article_id for c in again.model_extra["citations"])
    assert not (server[1] / "uploads" / "glimmerton.txt").exists()  # a rebuild will not bring it back


def test_json_articles_are_checked_like_jsonl_lines(server: tuple[str, Path]) -> None:
    articles = [
        {
            "title": "Tram line",
            "text": "The new tram line opened in Lyon on Monday with 14 stops.",
            "source": "Wire",
        },
        {"title": "Broken", "text": 42},
    ]
    with http(server) as api:
        results = api.post("/articles", json={"articles": articles}).json()["results"]
        assert results[0]["status"] == "added" and results[0]["id"]
        assert results[1]["status"] == "skipped" and "'text' must be a string" in results[1]["reason"]
        again = api.post("/articles", json={"articles": articles[:1]}).json()["results"]
        assert again[0] == {**results[0], "status": "unchanged"}
        api.delete(f"/articles/{results[0]['id']}")


@pytest.mark.parametrize(
    ("body", "status", "words"),
    [
        ({"model": "article-qa", "messages": []}, 400, "messages"),
        ({"model": "article-qa", "messages": "hello"}, 400, "messages"),
        ({"model": "article-qa", "messages": [{"role": "user", "content": 7}]}, 400, "messages"),
        ({"model": "article-qa", "messages": [{"role": "assistant", "content": "hi"}]}, 400, "user"),
        ({"model": "article-qa", "messages": [{"role": "user", "content": "   "}]}, 400, "empty"),
        ({"model": "gpt-9", "messages": [{"role": "user", "content": "hi"}]}, 404, "does not exist"),
        ({"model": "article-qa", "k": 0, "messages": [{"role": "user", "content": "hi"}]}, 400, "k"),
        (
            {"model": "article-qa", "filters": {"when": 1}, "messages": [{"role": "user", "content": "hi"}]},
            400,
            "filters",
        ),
    ],
)
def test_bad_requests_get_clear_errors(
    server: tuple[str, Path], body: dict[str, Any], status: int, words: str
) -> None:
    with http(server) as api:
        response = api.post("/chat/completions", json=body)
    assert response.status_code == status
    error = response.json()["error"]
    assert words in error["message"] and "Traceback" not in response.text


def test_broken_json_and_huge_bodies_are_refused(server: tuple[str, Path]) -> None:
    with http(server) as api:
        broken = api.post(
            "/chat/completions", content=b'{"messages": [', headers={"Content-Type": "application/json"}
        )
        assert broken.status_code == 400 and "not valid JSON" in broken.json()["error"]["message"]
        huge = {"messages": [{"role": "user", "content": "x" * (2 * 2**20)}]}
        response = api.post("/chat/completions", json=huge)
        assert response.status_code == 413 and "limit" in response.json()["error"]["message"]

        def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it arrives
            yield b'{"messages": [{"role": "user", "content": "'
            for _ in range(40):
                yield b"y" * 65536
            yield b'"}]}'

        streamed = api.post(
            "/chat/completions", content=chunks(), headers={"Content-Type": "application/json"}
        )
        assert streamed.status_code == 413


def test_an_open_server_only_listens_on_loopback(
    built_index_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from ui.app import serve

    index_dir = tmp_path / "index"
    shutil.copytree(built_index_dir, index_dir)
    served = serve(index_dir, host="0.0.0.0", port=free_port(), block=False, open_browser=False)
    assert served is not None
    try:
        assert served.url.startswith("http://127.0.0.1:")
        assert "listening on 127.0.0.1 only" in capsys.readouterr().err
        assert httpx.get(served.url + "v1/health").status_code == 200  # no keys: open, but local
    finally:
        served.close()


@pytest.mark.slow
def test_chat_clients_and_uploads_at_once_through_the_server(client: Any, server: tuple[str, Path]) -> None:
    """Eight chat clients and an uploader for a minute: no errors, and every answer is one
    a quiet server gives (with or without the one note the uploader keeps at a time)."""
    seconds = float(os.environ.get("QA_STRESS_SECONDS", "60"))
    questions = [
        QUESTION,
        "How many trucks were stranded?",
        "How many steel cables were replaced on the bridge?",
    ]

    def ask(q: str) -> str:
        reply = client.chat.completions.create(model="article-qa", messages=[{"role": "user", "content": q}])
        return str(reply.choices[0].message.content)

    def note(n: int) -> tuple[str, tuple[str, bytes]]:
        text = f"Harbour note {n}\n\nThe harbour of village {n} repaired {n} boats this spring."
        return ("files", (f"note-{n}.txt", text.encode()))

    expected = {q: {ask(q)} for q in questions}
    with http(server) as api:
        (noted,) = api.post("/articles", files=[note(0)]).json()["results"][0]["added"]
        for q in questions:
            expected[q].add(ask(q))
        api.delete(f"/articles/{noted}").raise_for_status()
    errors: list[str] = []
    answers = [0]
    stop = time.monotonic() + seconds

    def chat(offset: int) -> None:
        n = offset
        while time.monotonic() < stop:
            question = questions[n % len(questions)]
            n += 1
            try:
                if ask(question) not in expected[question]:
                    errors.append(f"changed answer to {question!r}")
                answers[0] += 1
            except Exception as error:  # every failure counts
                errors.append(repr(error))

    def upload() -> None:
        n = 1
        with http(server) as api:
            while time.monotonic() < stop:
                try:
                    result = api.post("/articles", files=[note(n)]).json()
                    (article_id,) = result["results"][0]["added"]
                    api.delete(f"/articles/{article_id}").raise_for_status()
                except Exception as error:
                    errors.append(repr(error))
                n += 1

    threads = [threading.Thread(target=chat, args=(i,)) for i in range(8)] + [threading.Thread(target=upload)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and answers[0] > 8
    with Index.open(server[1], create=False) as index:
        assert index.consistency_problems() == []
