"""Cold-start benchmark: time to a first answer from a fresh process, over an index of the
shipped article. Five runs each, min / median / max.

    python bench/cold.py [--runs 5] [--json]

- `qa_ask_s`: the whole `qa ask "..."` command, interpreter start to exit (target median <= 2 s);
- `first_answer_s`: `from qa import answer; answer(...)` in a fresh interpreter;
- `serve_ready_s`, `first_chat_answer_s`: `qa serve` until it says it is ready, then the
  first answer through the chat's API (target <= 1 s after ready).
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from results import print_result  # bench/ is on sys.path when run as a script

ROOT = Path(__file__).resolve().parent.parent
QUESTION = "Who led the negotiations with Prigozhin?"


def _env(index_dir: Path) -> dict[str, str]:
    return dict(os.environ, QA_INDEX_DIR=str(index_dir), GRADIO_ANALYTICS_ENABLED="False", HF_HUB_OFFLINE="1")


def _spread(values: list[float]) -> dict[str, float]:
    return {
        "min": round(min(values), 2),
        "median": round(statistics.median(values), 2),
        "max": round(max(values), 2),
    }


def time_ask(index_dir: Path) -> float:
    tick = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "qa", "ask", QUESTION], check=True, capture_output=True, env=_env(index_dir)
    )
    return time.perf_counter() - tick


def time_first_answer(index_dir: Path) -> float:
    code = (
        "import time; t = time.perf_counter()\n"
        "from qa import answer\n"
        f"answer({QUESTION!r})\n"
        "print(time.perf_counter() - t)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True, env=_env(index_dir)
    )
    return float(done.stdout.strip().splitlines()[-1])


def time_serve(index_dir: Path) -> tuple[float, float]:
    """(seconds until `qa serve` prints ready, seconds of the first answer after that)."""
    import httpx

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    tick = time.perf_counter()
    server = subprocess.Popen(
        [sys.executable, "-m", "qa", "serve", "--port", str(port)],
        env=_env(index_dir),
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert server.stderr is not None
        for line in server.stderr:
            if line.startswith("ready in"):
                break
        ready = time.perf_counter() - tick
        tick = time.perf_counter()
        body = {"model": "article-qa", "messages": [{"role": "user", "content": QUESTION}]}
        httpx.post(f"http://127.0.0.1:{port}/v1/chat/completions", json=body, timeout=120).raise_for_status()
        return ready, time.perf_counter() - tick
    finally:
        server.terminate()
        server.wait(30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", action="store_true", help="print one JSON object as the last line")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        index_dir = Path(folder) / "index"
        subprocess.run(
            [sys.executable, "-m", "qa", "index", str(ROOT / "seeds"), "-q"], check=True, env=_env(index_dir)
        )
        time_ask(index_dir)  # the OS file cache warm, as on a machine in use; not counted
        asks = [time_ask(index_dir) for _ in range(args.runs)]
        firsts = [time_first_answer(index_dir) for _ in range(args.runs)]
        serves = [time_serve(index_dir) for _ in range(max(1, args.runs // 2))]
    result = {
        "qa_ask_s": _spread(asks),
        "first_answer_s": _spread(firsts),
        "serve_ready_s": _spread([s[0] for s in serves]),
        "first_chat_answer_s": _spread([s[1] for s in serves]),
    }
    print_result(result, args.json)


if __name__ == "__main__":
    main()
