"""The `qa` command line as a person uses it: index, info, ask, remove, bad input."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from qa.cli import EXIT_SKIPPED, main

ROOT = Path(__file__).resolve().parent.parent


def run_qa(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [sys.executable, "-m", "qa", *args], capture_output=True, text=True, env=env, timeout=300
    )


def test_index_ask_info_remove_end_to_end(tmp_path: Path, data_dir: Path) -> None:
    index_dir = str(tmp_path / "index")
    indexed = run_qa(
        "index", str(ROOT / "seeds"), str(data_dir / "wire-stories.jsonl"), "--index-dir", index_dir
    )
    assert indexed.returncode == 0, indexed.stderr
    assert "3 added, 0 updated, 0 unchanged, 0 skipped" in indexed.stdout

    asked = run_qa("ask", "Who led the negotiations with Prigozhin?", "--index-dir", index_dir)
    assert asked.returncode == 0, asked.stderr
    assert "Lukashenko" in asked.stdout and "Sources:" in asked.stdout
    assert "[1] Putin refused direct contact with Prigozhin (Blick)" in asked.stdout

    as_json = run_qa("ask", "How many trucks were stranded?", "--json", "--index-dir", index_dir)
    data = json.loads(as_json.stdout)
    assert "300 trucks" in data["text"] and data["citations"][0]["article_id"] == "wire-001"
    assert data["citations"][0]["quote"] in data["text"]

    removed = run_qa("remove", "wire-001", "--index-dir", index_dir)
    assert removed.returncode == 0 and "removed wire-001" in removed.stdout
    info = json.loads(run_qa("info", "--json", "--index-dir", index_dir).stdout)
    assert info["articles"] == 2 and info["model"].endswith("all-MiniLM-L6-v2")
    assert info["precisions"] and set(info["precisions"]) <= {"fp32", "bf16", "fp16"}


def test_skipped_files_are_named_and_change_the_exit_code(tmp_path: Path, built_index_dir: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text("Good story\nThe ferry service resumed on Monday.")
    (folder / "bad.json").write_text("{not json")
    (folder / "empty.md").write_text("")
    index_dir = tmp_path / "index"
    result = CliRunner().invoke(main, ["index", str(folder), "--index-dir", str(index_dir), "-q"])
    assert result.exit_code == EXIT_SKIPPED
    assert f"skipped {folder / 'bad.json'}: malformed JSON" in result.output
    assert f"skipped {folder / 'empty.md'}: the file is empty" in result.output
    assert "1 added" in result.output and "2 skipped" in result.output
    again = CliRunner().invoke(main, ["index", str(folder / "good.txt"), "--index-dir", str(index_dir), "-q"])
    assert again.exit_code == 0 and "0 added, 0 updated, 1 unchanged" in again.output


def test_errors_are_messages_not_tracebacks(tmp_path: Path, built_index_dir: Path) -> None:
    runner = CliRunner()
    missing = runner.invoke(main, ["ask", "Anything?", "--index-dir", str(tmp_path / "none")])
    assert missing.exit_code == 1 and "error: no index at" in missing.output
    assert "Traceback" not in missing.output
    unknown = runner.invoke(main, ["remove", "no-such-id", "--index-dir", str(built_index_dir)])
    assert unknown.exit_code == 1 and "no article with id 'no-such-id'" in unknown.output
    mismatch = runner.invoke(
        main, ["info", "--index-dir", str(built_index_dir)], env={"QA_EMBED_MODEL": "some/other-model"}
    )
    assert mismatch.exit_code == 1 and "QA_EMBED_MODEL" in mismatch.output


def test_an_empty_question_is_refused(tmp_path: Path) -> None:
    """As the API and the chat refuse it: the same words, before any index is opened."""
    from qa.config import EMPTY_QUESTION

    for question in ("", "   ", "\n\t"):
        result = CliRunner().invoke(main, ["ask", question, "--index-dir", str(tmp_path / "none")])
        assert result.exit_code == 1 and f"error: {EMPTY_QUESTION}" in result.output
        assert "no index" not in result.output and "Traceback" not in result.output


def test_the_default_index_is_the_one_the_help_names(
    tmp_path: Path, built_index_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """$QA_INDEX_DIR, else ./index in the current folder, for every command (not the index
    of the source checkout the package was installed from)."""
    runner = CliRunner()
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("QA_INDEX_DIR", raising=False)
    for command in (["info"], ["ask", "Who led the negotiations?"], ["remove", "wire-001"]):
        result = runner.invoke(main, command)
        assert result.exit_code == 1 and f"no index at {tmp_path / 'index'}:" in result.output, result.output
        help_text = runner.invoke(main, [command[0], "--help"]).output
        assert "$QA_INDEX_DIR or ./index" in " ".join(help_text.split())
    monkeypatch.setenv("QA_INDEX_DIR", str(built_index_dir))
    info = json.loads(runner.invoke(main, ["info", "--json"]).output)
    assert info["path"] == str(built_index_dir) and info["articles"] >= 6
    assert not (tmp_path / "index").exists()


def test_ask_lists_sources_with_quotes(built_index_dir: Path) -> None:
    result = CliRunner().invoke(
        main, ["ask", "What did engineers replace on the bridge?", "--index-dir", str(built_index_dir)]
    )
    assert result.exit_code == 0
    assert "Harbour bridge reopens after two-year repair (Coastal Herald, 2024-03-14)" in result.output
    assert '"Engineers replaced all 212 steel cables and resurfaced the deck."' in result.output


def test_help_is_fast_and_lists_the_commands() -> None:
    result = run_qa("--help")
    for command in ("index", "ask", "eval", "info", "remove", "serve"):
        assert command in result.stdout
    check = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, qa.cli; print(sorted(m for m in ('torch', 'gradio', 'litellm', 'faiss') if m in sys.modules))",
        ],
        capture_output=True,
        text=True,
    )
    assert check.stdout.strip() == "[]"  # heavy libraries wait for the command that needs them


def _interruptible() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_serve_takes_its_login_from_a_file_and_logs_only_what_matters(
    tmp_path: Path, built_index_dir: Path
) -> None:
    """`qa serve --auth-file`: the password is not in the command line (`ps`), the login
    works; the log says ready, the failed request and the upload, and nothing else (no
    FAISS back-end probing, no "Batches" progress bars)."""
    index_dir = tmp_path / "index"
    shutil.copytree(built_index_dir, index_dir)
    secret = tmp_path / "login"
    secret.write_text("# the server's login\nann:pw-not-in-ps-4711\n")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "PYTHONUNBUFFERED": "1"}
    for name in ("QA_AUTH", "QA_AUTH_FILE", "QA_API_KEYS", "QA_API_KEYS_FILE"):
        env.pop(name, None)
    command = ["serve", "--index-dir", str(index_dir), "--port", str(port), "--auth-file", str(secret)]
    server = subprocess.Popen(
        [sys.executable, "-m", "qa", *command, "--no-open"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        # Ctrl-C as at a terminal: a suite started in the background (`make test &`) ignores
        # SIGINT, and a child would inherit that and never stop
        preexec_fn=_interruptible,
    )
    log: list[str] = []
    ready = threading.Event()

    def read_log() -> None:
        assert server.stderr is not None
        for line in server.stderr:
            log.append(line)
            if line.startswith("ready in "):
                ready.set()

    reader = threading.Thread(target=read_log, daemon=True)
    reader.start()
    try:
        assert ready.wait(240) or server.poll() is not None, "the server never said it was ready"
        assert ready.is_set(), "".join(log)
        assert "pw-not-in-ps" not in Path(f"/proc/{server.pid}/cmdline").read_text()
        base = f"http://127.0.0.1:{port}/v1"
        assert httpx.get(base + "/health", timeout=30).status_code == 401
        login = ("ann", "pw-not-in-ps-4711")
        assert httpx.get(base + "/health", auth=login, timeout=30).status_code == 200
        story = b"Ferry timetable\n\nThe island ferry will run every forty minutes from Monday."
        uploaded = httpx.post(
            base + "/articles", auth=login, files=[("files", ("ferry.txt", story))], timeout=120
        )
        assert uploaded.status_code == 200 and uploaded.json()["results"][0]["status"] == "added"
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(60)
        reader.join(10)
    text = "".join(log)
    assert "GET /v1/health failed: 401" in text and "upload done" in text and "ferry.txt added" in text
    for noise in ("ModuleNotFoundError", "faiss", "Batches", "Loading SentenceTransformer", "models loaded"):
        assert noise not in text, text
    assert "pw-not-in-ps" not in text


def test_the_login_can_come_from_the_environment_and_is_documented(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from qa.errors import ConfigError
    from ui.access import Access

    for name in ("QA_AUTH", "QA_AUTH_FILE", "QA_API_KEYS", "QA_API_KEYS_FILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("QA_AUTH", "ann:from-env")
    assert Access.from_env().login == ("ann", "from-env")
    monkeypatch.delenv("QA_AUTH")
    (tmp_path / "login").write_text("\nbob:from-file\n")
    monkeypatch.setenv("QA_AUTH_FILE", str(tmp_path / "login"))
    assert Access.from_env().login == ("bob", "from-file")
    monkeypatch.setenv("QA_AUTH_FILE", str(tmp_path / "missing"))
    with pytest.raises(ConfigError, match="QA_AUTH_FILE"):
        Access.from_env()
    both = CliRunner().invoke(main, ["serve", "--auth", "a:b", "--auth-file", str(tmp_path / "login")])
    assert both.exit_code == 2 and "not both" in both.output
    help_text = " ".join(CliRunner().invoke(main, ["serve", "--help"]).output.split())
    assert "--auth-file" in help_text and "$QA_AUTH" in help_text and "ps" in help_text
