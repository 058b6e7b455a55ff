"""The LLM answerer through the real litellm client, against the fake OpenAI-compatible
server of `tests/llm_server.py` (a test double on 127.0.0.1): prompts, streaming, marker
checks, retries, fallbacks with notices, key hygiene, follow-up condensing, and that
litellm reaches nothing but 127.0.0.1."""

from __future__ import annotations

import json
import logging
import os
import socket
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from llm_server import FakeLLMServer, Reply

from qa.answering.citations import answer_problems
from qa.answering.prompts import CONDENSE_SYSTEM, NO_ANSWER_REPLY
from qa.config import Settings
from qa.pipeline import QA, StreamEvent
from qa.types import Answer

MODEL = "openai/test-model"
DUMMY_KEY = "sk-test-0123456789abcdefDUMMY"
COUNCIL = "City council approves budget for new library"
BUDGET_QUESTION = "How much money did the Riverside council approve for the new library?"
LOOPBACK = {"127.0.0.1", "::1", "localhost"}


@pytest.fixture(scope="module")
def fake_llm() -> Iterator[FakeLLMServer]:
    with FakeLLMServer() as server:
        yield server


@pytest.fixture()
def server(fake_llm: FakeLLMServer) -> Iterator[FakeLLMServer]:
    """The fake server, emptied; after the test, every scripted reply must have been used."""
    fake_llm.reset()
    yield fake_llm
    assert fake_llm.unscripted == 0, "the client made a request nobody scripted"
    assert fake_llm.pending == 0, "a scripted reply was never requested"


@pytest.fixture(autouse=True)
def llm_env(monkeypatch: pytest.MonkeyPatch, fake_llm: FakeLLMServer) -> None:
    """A dummy key, the fake server as API base, quick backoff and timeouts."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("OPENAI_API_KEY", DUMMY_KEY)
    monkeypatch.setenv("QA_API_BASE", fake_llm.url)
    monkeypatch.setenv("QA_LLM_BACKOFF", "0.01")
    monkeypatch.setenv("QA_LLM_TIMEOUT", "5")
    monkeypatch.setenv("QA_LLM_RETRIES", "2")
    monkeypatch.delenv("QA_MODEL", raising=False)


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Any]]:
    """Refuse (and record) any connection or name lookup beyond 127.0.0.1 during a test."""
    attempts: list[Any] = []
    connect = socket.socket.connect
    getaddrinfo = socket.getaddrinfo

    def guarded_connect(self: socket.socket, address: Any) -> Any:
        if isinstance(address, tuple) and address[0] not in LOOPBACK:
            attempts.append(address)
            raise OSError(f"test refused a connection to {address}")
        return connect(self, address)

    def guarded_getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host not in LOOPBACK and host is not None:
            attempts.append(host)
            raise socket.gaierror(f"test refused to look up {host}")
        return getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)
    monkeypatch.setattr(socket, "getaddrinfo", guarded_getaddrinfo)
    yield attempts
    assert attempts == [], f"something tried to reach {attempts}"


@pytest.fixture()
def qa(seed_qa: QA) -> QA:
    """A QA over the session index with settings read from this test's environment."""
    return QA(seed_qa.index, Settings.from_env())


def ask(qa: QA, question: str, **kwargs: Any) -> tuple[list[StreamEvent], Answer]:
    events = list(qa.stream(question, model=kwargs.pop("model", MODEL), k=kwargs.pop("k", 4), **kwargs))
    assert events[-1].kind == "answer" and events[-1].answer is not None
    return events, events[-1].answer


def passage_number(qa: QA, question: str, title: str, k: int = 4) -> int:
    """The number the prompt gives the first passage of the article titled `title`."""
    passages = qa.index.retrieve(question, k).passages
    return next(n for n, p in enumerate(passages, 1) if p.hit.article.title == title)


def streamed_text(events: list[StreamEvent]) -> str:
    """The text a reader saw streamed, honouring restarts."""
    text = ""
    for event in events:
        if event.kind == "restart":
            text = ""
        elif event.kind == "delta":
            text += event.text
    return text


# -- prompts, streaming, markers ------------------------------------------------------------


def test_streamed_answer_cites_the_numbered_passages(qa: QA, server: FakeLLMServer) -> None:
    n = passage_number(qa, BUDGET_QUESTION, COUNCIL)
    reply = f"The council approved a budget of 12.5 million dollars for a new public library [{n}]."
    server.script(Reply(reply, chunk_chars=7))

    events, answer = ask(qa, BUDGET_QUESTION)

    assert sum(e.kind == "delta" for e in events) > 3, "the reply should arrive in several deltas"
    assert streamed_text(events) == answer.text  # streamed as it finally reads: grounded markers
    assert (
        answer.text == "The council approved a budget of 12.5 million dollars for a new public library. [1]"
    )
    assert answer_problems(answer) == []
    (citation,) = answer.citations
    assert citation.title == COUNCIL and citation.supported
    assert "12.5 million dollars" in citation.quote
    assert answer.model == MODEL and answer.notice is None and not answer.abstained
    assert answer.unsupported == () and answer.score == 1.0
    (request,) = server.requests
    assert request.path == "/v1/chat/completions"
    assert request.body["model"] == "test-model" and request.body["stream"] is True
    assert request.headers["authorization"] == f"Bearer {DUMMY_KEY}"  # from the environment


def test_prompt_numbers_passages_with_title_and_date(qa: QA, server: FakeLLMServer) -> None:
    server.script(Reply(NO_ANSWER_REPLY))
    ask(qa, BUDGET_QUESTION)
    system, user = server.requests[0].messages
    assert system["role"] == "system"
    assert "after every sentence" in system["content"].lower()
    assert NO_ANSWER_REPLY in system["content"]
    passages = qa.index.retrieve(BUDGET_QUESTION, 4).passages
    for number, passage in enumerate(passages, 1):
        assert f"[{number}] {passage.hit.article.title}" in user["content"]
        assert passage.hit.chunk.text in user["content"]
    assert (
        f"[{passage_number(qa, BUDGET_QUESTION, COUNCIL)}] {COUNCIL} (Riverside Gazette, 2024-05-02)"
        in user["content"]
    )
    assert f"Question: {BUDGET_QUESTION}" in user["content"]


def test_out_of_range_marker_is_removed(qa: QA, server: FakeLLMServer) -> None:
    n = passage_number(qa, BUDGET_QUESTION, COUNCIL)
    server.script(
        f"The council approved a budget of 12.5 million dollars [{n}]. The library opens with a rooftop garden [9]."
    )
    _, answer = ask(qa, BUDGET_QUESTION)
    assert "[9]" not in answer.text and "[2]" not in answer.text
    assert answer.text.startswith("The council approved a budget of 12.5 million dollars. [1] ")
    assert answer_problems(answer) == []
    assert len(answer.citations) == 1
    assert answer.unsupported == ("The library opens with a rooftop garden.",)


def test_sentence_its_passage_does_not_support_is_marked(qa: QA, server: FakeLLMServer) -> None:
    n = passage_number(qa, BUDGET_QUESTION, COUNCIL)
    server.script(
        f"The council approved 12.5 million dollars for the library [{n}]. "
        f"Prigozhin negotiated with Lukashenko in Belarus [{n}]."
    )
    _, answer = ask(qa, BUDGET_QUESTION)
    assert answer_problems(answer) == []
    assert [c.supported for c in answer.citations] == [True, False]
    assert answer.unsupported == ("Prigozhin negotiated with Lukashenko in Belarus.",)
    assert answer.text.endswith("Belarus. [2]") and answer.score == 0.5


def test_reply_that_the_articles_do_not_say_is_an_abstention(qa: QA, server: FakeLLMServer) -> None:
    server.script(NO_ANSWER_REPLY)
    _, answer = ask(qa, "What colour is the mayor's car?")
    assert answer.abstained and answer.text == NO_ANSWER_REPLY
    assert answer.citations == () and answer.unsupported == () and answer.notice is None


def test_model_comes_from_qa_model(qa: QA, server: FakeLLMServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QA_MODEL", "openai/env-model")
    configured = QA(qa.index, Settings.from_env())
    server.script(NO_ANSWER_REPLY)
    answer = configured.answer(BUDGET_QUESTION, k=3)
    assert answer.model == "openai/env-model"
    assert server.requests[0].body["model"] == "env-model"


def test_cli_model_option_picks_the_model(built_index_dir: Path, server: FakeLLMServer) -> None:
    from click.testing import CliRunner

    from qa.cli import main

    server.script(Reply.error(401, f"Incorrect API key provided: {DUMMY_KEY}"))
    args = [
        "ask",
        BUDGET_QUESTION,
        "--index-dir",
        str(built_index_dir),
        "--model",
        "openai/cli-model",
        "--json",
    ]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert server.requests[0].body["model"] == "cli-model"
    data = json.loads(result.output)
    assert data["model"] == "reader" and "API key" in data["notice"]
    assert DUMMY_KEY not in result.output


# -- retries and fallbacks ------------------------------------------------------------------


@pytest.mark.parametrize("status", [429, 503])
def test_provider_error_is_retried_then_answered(qa: QA, server: FakeLLMServer, status: int) -> None:
    n = passage_number(qa, BUDGET_QUESTION, COUNCIL)
    server.script(Reply.error(status), f"The budget is 12.5 million dollars [{n}].")
    events, answer = ask(qa, BUDGET_QUESTION)
    assert len(server.requests) == 2
    assert answer.model == MODEL and answer.notice is None
    assert "notice" not in {e.kind for e in events}
    assert answer.text == "The budget is 12.5 million dollars. [1]" and answer_problems(answer) == []


def test_retry_waits_for_retry_after_then_backs_off(server: FakeLLMServer) -> None:
    from qa.answering.llm import LLMClient

    waits: list[float] = []
    client = LLMClient(MODEL, timeout_s=5, retries=2, api_base=server.url, backoff_s=0.01, sleep=waits.append)
    server.script(Reply.error(429, retry_after="0.02"), Reply.error(500), "Fine.")
    assert client.complete([{"role": "user", "content": "hi"}]) == "Fine."
    assert waits == [0.02, 0.02]  # Retry-After, then backoff 0.01 * 2**1


def test_broken_stream_restarts_and_retries(qa: QA, server: FakeLLMServer) -> None:
    n = passage_number(qa, BUDGET_QUESTION, COUNCIL)
    good = f"The council approved 12.5 million dollars [{n}]."
    server.script(Reply.broken("The council approved a budget of 12.5 million dollars", after_chunks=2), good)
    events, answer = ask(qa, BUDGET_QUESTION)
    kinds = [e.kind for e in events]
    assert kinds.index("restart") > kinds.index("delta"), "text streamed before the drop is withdrawn"
    assert streamed_text(events) == answer.text
    assert answer.notice is None and answer.model == MODEL and answer_problems(answer) == []
    assert len(server.requests) == 2


@pytest.mark.parametrize(
    ("replies", "retries", "reason"),
    [
        ([Reply.stall(1.0)] * 2, 1, "no reply within 0.3 s"),
        ([Reply.broken("The council approved", after_chunks=1)] * 3, 2, "failed"),
        ([Reply.error(502)] * 3, 2, "failed"),
    ],
    ids=["timeout", "broken-stream", "bad-gateway"],
)
def test_persistent_failure_falls_back_with_a_notice(
    qa: QA,
    server: FakeLLMServer,
    monkeypatch: pytest.MonkeyPatch,
    replies: list[Reply],
    retries: int,
    reason: str,
) -> None:
    monkeypatch.setenv("QA_LLM_TIMEOUT", "0.3")
    monkeypatch.setenv("QA_LLM_RETRIES", str(retries))
    qa = QA(qa.index, Settings.from_env())
    server.script(*replies)
    events, answer = ask(qa, BUDGET_QUESTION)
    assert len(server.requests) == retries + 1
    notices = [e.text for e in events if e.kind == "notice"]
    assert notices == [answer.notice]
    assert answer.notice is not None and MODEL in answer.notice and reason in answer.notice
    assert f"after {retries + 1} tries" in answer.notice and "extracted from the articles" in answer.notice
    assert answer.model == "reader" and "12.5 million" in answer.text
    assert streamed_text(events) == answer.text
    assert answer_problems(answer) == []


def test_unauthorized_falls_back_at_once_without_leaking_the_key(
    qa: QA, server: FakeLLMServer, caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]
) -> None:
    caplog.set_level(logging.DEBUG)
    server.script(Reply.error(401, f"Incorrect API key provided: {DUMMY_KEY}. Find your key at example."))
    events, answer = ask(qa, BUDGET_QUESTION)
    assert len(server.requests) == 1, "a refused key is not retried"
    assert answer.notice is not None and "API key" in answer.notice and "401" in answer.notice
    assert answer.model == "reader" and answer_problems(answer) == []
    out, err = capfd.readouterr()
    seen = [answer.notice, json.dumps(answer.to_dict()), caplog.text, out, err, *(e.text for e in events)]
    assert not [text for text in seen if DUMMY_KEY in text or DUMMY_KEY[:12] in text]


def test_missing_key_is_named_and_not_retried(
    qa: QA, server: FakeLLMServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("OPENAI_API_KEY")
    _, answer = ask(qa, BUDGET_QUESTION)
    assert server.requests == []
    assert answer.notice is not None and "set OPENAI_API_KEY in the environment" in answer.notice
    assert answer.model == "reader"


def test_empty_reply_falls_back_with_a_notice(qa: QA, server: FakeLLMServer) -> None:
    server.script("")
    _, answer = ask(qa, BUDGET_QUESTION)
    assert answer.notice is not None and "empty answer" in answer.notice
    assert answer.model == "reader" and answer_problems(answer) == []


# -- conversation ---------------------------------------------------------------------------


def test_follow_up_is_condensed_by_the_llm_before_retrieval(qa: QA, server: FakeLLMServer) -> None:
    history = [(BUDGET_QUESTION, "The council approved 12.5 million dollars [1].")]
    follow_up = "And when will they start building it?"
    standalone = "When will construction of the new Riverside library begin?"
    n = passage_number(qa, standalone, COUNCIL)
    server.script(Reply(f'"{standalone}"'), f"Construction is expected to begin in September [{n}].")

    _, answer = ask(qa, follow_up, history=history)

    condense, answering = server.requests
    assert condense.messages[0]["content"] == CONDENSE_SYSTEM
    assert BUDGET_QUESTION in condense.prompt and follow_up in condense.prompt
    assert f"Question: {standalone}" in answering.prompt
    assert answer.question == follow_up and answer.standalone_question == standalone
    assert answer.text == "Construction is expected to begin in September. [1]"
    assert answer.citations[0].title == COUNCIL and answer_problems(answer) == []


def test_provider_outage_during_condensing_is_not_waited_out_twice(
    qa: QA, server: FakeLLMServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QA_LLM_RETRIES", "1")
    qa = QA(qa.index, Settings.from_env())
    server.script(Reply.error(503), Reply.error(503))
    history = [(BUDGET_QUESTION, "The council approved 12.5 million dollars [1].")]
    _, answer = ask(qa, "And when will they start building it?", history=history)
    assert len(server.requests) == 2, "the answer step reuses the condensing step's verdict"
    assert answer.standalone_question is not None  # condensed by the rule instead
    assert answer.notice is not None and "503" in answer.notice and answer.model == "reader"
    assert answer_problems(answer) == []


# -- imports and network --------------------------------------------------------------------


def test_litellm_is_imported_only_for_a_model_and_fetches_nothing(tmp_path: Path) -> None:
    """In a fresh interpreter: importing article-qa does not import litellm; loading it
    sets the offline switches first and opens no connection or name lookup."""
    script = textwrap.dedent(
        """
        import os, socket, sys
        seen = []
        def refuse(*args, **kwargs):
            seen.append(args[:2])
            raise OSError("refused")
        socket.getaddrinfo = refuse
        socket.socket.connect = lambda self, address: refuse(address)
        import qa, qa.cli, qa.pipeline, qa.answering.llm
        qa.answering.llm.LLMClient("openai/test-model")
        assert "litellm" not in sys.modules, "litellm imported without a model in use"
        litellm = qa.answering.llm.load_litellm()
        assert os.environ["LITELLM_LOCAL_MODEL_COST_MAP"] == "True"
        assert os.environ["LITELLM_OFFLINE_MODE"] == "true"
        litellm.completion(model="openai/test-model", messages=[{"role": "user", "content": "hi"}],
                           mock_response="ok")
        import time; time.sleep(0.5)  # give any background fetch thread its chance
        print("SEEN", seen)
        """
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LITELLM_", "QA_"))}
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=Path(__file__).resolve().parent.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "SEEN []" in result.stdout, result.stdout + result.stderr[-2000:]


def test_fake_server_answers_whole_completions_too(server: FakeLLMServer) -> None:
    from qa.answering.llm import load_litellm

    server.script("A whole reply [1].")
    response = load_litellm().completion(
        model=MODEL, messages=[{"role": "user", "content": "hi"}], api_base=server.url, stream=False
    )
    assert response.choices[0].message.content == "A whole reply [1]."
    assert server.requests[0].body.get("stream") in (None, False)
