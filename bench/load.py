"""Load test of the web chat or the HTTP API: concurrent sessions against a local `qa serve`
that this script starts (or `--url`), reporting requests, errors and latency.

    .venv/bin/python bench/load.py                 # 10 chat sessions for 60 s (gradio_client)
    .venv/bin/python bench/load.py --mode api      # 10 OpenAI clients on /v1/chat/completions
    .venv/bin/python bench/load.py --seconds 10 --json

Each session is its own client asking questions in a loop, every other one a follow-up
that passes the conversation as history. With `--json` the last line printed is one JSON
object with the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = (
    "Who led the negotiations with Prigozhin?",
    "Did Putin speak to Prigozhin?",
    "What did Prigozhin demand?",
    "When did the authorities start negotiating with Prigozhin?",
    "Where did Prigozhin go into exile?",
    "Which officials negotiated with Prigozhin?",
    "What is the capital of Peru?",  # an abstention
)
FOLLOW_UPS = ("And who was he friends with?", "Why did he refuse?", "What happened after that?")
STARTUP_TIMEOUT_S = 180


@dataclass
class SessionLog:
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _environment() -> dict[str, str]:
    env = dict(os.environ, GRADIO_ANALYTICS_ENABLED="False", HF_HUB_OFFLINE="1", PYTHONUNBUFFERED="1")
    env.pop("QA_MODEL", None)
    return env


def build_seed_index(folder: Path) -> Path:
    """An index of seeds/ in `folder` (the bench never writes to the project's index)."""
    index_dir = folder / "index"
    subprocess.run(
        [sys.executable, "-m", "qa", "index", str(ROOT / "seeds"), "--index-dir", str(index_dir), "-q"],
        check=True,
        cwd=ROOT,
        env=_environment(),
    )
    return index_dir


def start_server(index_dir: Path, port: int, log_path: Path) -> subprocess.Popen[bytes]:
    """`qa serve` on 127.0.0.1:`port`, its output in `log_path`."""
    with log_path.open("wb") as log:
        return subprocess.Popen(
            [
                sys.executable,
                "-m",
                "qa",
                "serve",
                "--index-dir",
                str(index_dir),
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
            ],
            cwd=ROOT,
            env=_environment(),
            stdout=log,
            stderr=subprocess.STDOUT,
        )


def wait_until_up(url: str, server: subprocess.Popen[bytes] | None, log_path: Path | None) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if server is not None and server.poll() is not None:
            output = log_path.read_text(errors="replace") if log_path else ""
            raise SystemExit(f"the server exited with status {server.returncode}:\n{output}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"the server at {url} did not answer within {STARTUP_TIMEOUT_S} s")


def chat_asker(url: str) -> Any:
    """A function (question, history) -> answer text through the chat's gradio_client API."""
    from gradio_client import Client

    client = Client(url, verbose=False)
    return lambda question, history: client.predict(question, history=history, api_name="/chat")


def api_asker(url: str) -> Any:
    """The same through the OpenAI-compatible API with the `openai` client."""
    from openai import OpenAI

    client = OpenAI(
        base_url=url + "v1", api_key=os.environ.get("QA_BENCH_KEY", "none"), max_retries=0, timeout=300
    )

    def ask(question: str, history: list[dict[str, str]]) -> str:
        messages = [*history, {"role": "user", "content": question}]
        reply = client.chat.completions.create(model="article-qa", messages=messages)  # type: ignore[arg-type]
        return str(reply.choices[0].message.content or "")

    return ask


ASKERS = {"chat": chat_asker, "api": api_asker}


def run_session(url: str, number: int, deadline: float, log: SessionLog, mode: str = "chat") -> None:
    """Ask questions until `deadline`, every other one a follow-up with history."""
    chooser = random.Random(number)
    try:
        ask = ASKERS[mode](url)
    except Exception as error:
        log.errors.append(f"connect: {type(error).__name__}: {error}")
        return
    history: list[dict[str, str]] = []
    while time.monotonic() < deadline:
        follow_up = bool(history) and chooser.random() < 0.5
        question = chooser.choice(FOLLOW_UPS if follow_up else QUESTIONS)
        if not follow_up:
            history = []
        started = time.perf_counter()
        try:
            text = ask(question, history)
        except Exception as error:
            log.errors.append(f"{type(error).__name__}: {error}")
            continue
        log.latencies.append(time.perf_counter() - started)
        if not isinstance(text, str) or not text.strip():
            log.errors.append(f"empty answer to {question!r}")
            continue
        history = [*history, {"role": "user", "content": question}, {"role": "assistant", "content": text}][
            -6:
        ]


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile of `values` (0 when empty)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, round(share * len(ordered) + 0.5 - 1e-9))
    return ordered[min(rank, len(ordered)) - 1]


def run_load(url: str, sessions: int, seconds: float, mode: str = "chat") -> dict[str, Any]:
    """`sessions` concurrent sessions for `seconds`; the figures as a dict."""
    ASKERS[mode](url)(QUESTIONS[0], [])  # warm-up, not counted
    logs = [SessionLog() for _ in range(sessions)]
    started = time.monotonic()
    deadline = started + seconds
    threads = [
        threading.Thread(target=run_session, args=(url, n, deadline, logs[n], mode)) for n in range(sessions)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    latencies = [value for log in logs for value in log.latencies]
    errors = [error for log in logs for error in log.errors]
    return {
        "mode": mode,
        "sessions": sessions,
        "seconds": round(elapsed, 1),
        "requests": len(latencies) + len(errors),
        "errors": len(errors),
        "error_examples": sorted(set(errors))[:5],
        "throughput_rps": round(len(latencies) / elapsed, 2) if elapsed else 0.0,
        "p50_ms": round(percentile(latencies, 0.50) * 1000, 1),
        "p95_ms": round(percentile(latencies, 0.95) * 1000, 1),
        "max_ms": round(max(latencies, default=0.0) * 1000, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--seconds", type=float, default=60.0, help="How long to keep the sessions busy (default 60)."
    )
    parser.add_argument("--sessions", type=int, default=10, help="Concurrent chat sessions (default 10).")
    parser.add_argument(
        "--index-dir", type=Path, default=None, help="Index to serve (default: a fresh one of seeds/)."
    )
    parser.add_argument("--url", default=None, help="Use this running server instead of starting one.")
    parser.add_argument(
        "--mode", choices=sorted(ASKERS), default="chat", help="chat (gradio_client) or api (openai)."
    )
    parser.add_argument("--json", action="store_true", help="Print the figures as one JSON object last.")
    args = parser.parse_args()
    server = None
    with tempfile.TemporaryDirectory(prefix="qa-load-") as scratch:
        url = args.url
        log_path = Path(scratch) / "server.log"
        if url is None:
            index_dir = args.index_dir or build_seed_index(Path(scratch))
            url = f"http://127.0.0.1:{_free_port()}/"
            server = start_server(index_dir, int(url.rsplit(":", 1)[1].strip("/")), log_path)
        try:
            wait_until_up(url, server, log_path if server else None)
            figures = run_load(url, args.sessions, args.seconds, args.mode)
        finally:
            if server is not None:
                server.terminate()
                try:
                    server.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    server.kill()
    print(
        f"{figures['mode']}: {figures['sessions']} sessions for {figures['seconds']} s: {figures['requests']} requests, "
        f"{figures['errors']} errors, {figures['throughput_rps']} answers/s, "
        f"p50 {figures['p50_ms']} ms, p95 {figures['p95_ms']} ms, max {figures['max_ms']} ms"
    )
    for example in figures["error_examples"]:
        print(f"  error: {example}")
    if args.json:
        print(json.dumps(figures))


if __name__ == "__main__":
    main()
