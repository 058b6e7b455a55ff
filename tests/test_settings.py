"""Settings: every `QA_*` variable is read once, by `Settings.from_env()`; `qa info` shows them."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from qa.cli import main
from qa.config import IndexSettings, ModelSettings, ServerSettings, Settings

ROOT = Path(__file__).resolve().parent.parent
# a read: os.environ.get("QA_X" / os.getenv("QA_X" / os.environ["QA_X"] not assigned / _env_*("QA_X"
READ = re.compile(
    r"""(?:environ\.get|getenv|_env_\w+)\(\s*["'](QA_[A-Z_]+)|environ\[["'](QA_[A-Z_]+)["']\](?!\s*=[^=])"""
)
# fault injection for the crash tests, not a tunable of the product: read where it is passed
NOT_SETTINGS = {"qa/failpoints.py"}

# a value for each variable, unlike its default, and where Settings keeps it
EXAMPLES = {
    "QA_MODEL": ("openai/gpt-4o-mini", lambda s: s.llm_model),
    "QA_EMBED_MODEL": ("some/model", lambda s: s.embed_model),
    "QA_MAX_FILE_MB": ("7", lambda s: s.max_file_mb),
    "QA_MAX_ARTICLE_CHARS": ("5000", lambda s: s.max_article_chars),
    "QA_CHUNK_WORDS": ("40", lambda s: s.chunk_words),
    "QA_TOP_K": ("9", lambda s: s.top_k),
    "QA_MAX_CHUNKS_PER_ARTICLE": ("3", lambda s: s.max_chunks_per_article),
    "QA_LLM_TIMEOUT": ("5", lambda s: s.llm_timeout_s),
    "QA_LLM_RETRIES": ("4", lambda s: s.llm_retries),
    "QA_HOST": ("0.0.0.0", lambda s: s.host),
    "QA_PORT": ("9000", lambda s: s.port),
    "QA_MAX_UPLOAD_MB": ("3", lambda s: s.max_upload_mb),
    "QA_ABSTAIN_BELOW": ("0.4", lambda s: s.abstain_below),
    "QA_INDEX_DIR": ("/tmp/elsewhere", lambda s: s.index_path()),
    "QA_CACHE_DIR": ("/tmp/cache-elsewhere", lambda s: s.cache_dir),
    "QA_COMMIT_CHUNKS": ("8", lambda s: s.index.commit_chunks),
    "QA_COMMIT_SECONDS": ("0.5", lambda s: s.index.commit_seconds),
    "QA_EMBED_CHUNKS": ("8", lambda s: s.index.embed_chunks),
    "QA_ANN_THRESHOLD": ("3", lambda s: s.index.ann_threshold),
    "QA_PRECISION": ("fp32", lambda s: s.models.precision),
    "QA_QUERY_BACKEND": ("torch", lambda s: s.models.query_backend),
    "QA_READER": ("off", lambda s: s.models.reader),
    "QA_READER_BACKEND": ("torch", lambda s: s.models.reader_backend),
    "QA_JUDGE": ("off", lambda s: s.models.judge),
    "QA_API_BASE": ("http://127.0.0.1:9/v1", lambda s: s.llm.api_base),
    "QA_LLM_BACKOFF": ("0.01", lambda s: s.llm.backoff_s),
    "QA_AUTH": ("ann:secret", lambda s: s.server.auth),
    "QA_AUTH_FILE": ("/tmp/login", lambda s: s.server.auth_file),
    "QA_API_KEYS": ("k1,k2", lambda s: s.server.api_keys),
    "QA_API_KEYS_FILE": ("/tmp/keys", lambda s: s.server.api_keys_file),
    "QA_OPEN_BROWSER": ("1", lambda s: s.server.open_browser),
}


def environment_reads() -> dict[str, set[str]]:
    """Each `QA_*` variable read in qa/ and ui/, with the modules that read it."""
    found: dict[str, set[str]] = {}
    for path in sorted([*ROOT.joinpath("qa").rglob("*.py"), *ROOT.joinpath("ui").rglob("*.py")]):
        module = path.relative_to(ROOT).as_posix()
        for match in READ.finditer(path.read_text(encoding="utf-8")):
            found.setdefault(match.group(1) or match.group(2), set()).add(module)
    return found


def test_every_qa_variable_is_read_by_settings_from_env(monkeypatch: pytest.MonkeyPatch) -> None:
    reads = environment_reads()
    elsewhere = {
        name: modules for name, modules in reads.items() if modules - {"qa/config.py", *NOT_SETTINGS}
    }
    assert elsewhere == {}, "read these in Settings.from_env() and pass them down"
    tunables = {name for name, modules in reads.items() if modules - NOT_SETTINGS}
    assert tunables == set(EXAMPLES), "give each variable an example here"
    for name in EXAMPLES:
        monkeypatch.delenv(name, raising=False)
    defaults = Settings.from_env()
    for name, (value, kept) in EXAMPLES.items():
        monkeypatch.setenv(name, value)
        assert kept(Settings.from_env()) != kept(defaults), f"{name} is not read by Settings.from_env()"
        monkeypatch.delenv(name)


def test_defaults_are_those_of_the_environment_without_qa_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in EXAMPLES:
        monkeypatch.delenv(name, raising=False)
    settings = Settings.from_env()
    assert settings == replace(Settings(), cache_dir=settings.cache_dir)
    assert settings.index == IndexSettings(512, 3.0, 64, 100_000)
    assert settings.models == ModelSettings("auto", "onnx", "", "onnx-int8")
    assert settings.server == ServerSettings()


def test_qa_info_shows_the_settings_in_effect(built_index_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QA_COMMIT_CHUNKS", "8")
    monkeypatch.setenv("QA_READER_BACKEND", "torch")
    monkeypatch.setenv("QA_API_KEYS", "very-secret-key")
    runner = CliRunner()
    text = runner.invoke(main, ["info", "--index-dir", str(built_index_dir)])
    assert text.exit_code == 0, text.output
    assert "settings:" in text.output
    for line in ("index.commit_chunks = 8", "models.reader_backend = torch", "server.api_keys = set"):
        assert f"  {line}\n" in text.output
    assert f"  index_dir = {built_index_dir}\n" in text.output
    assert "very-secret-key" not in text.output
    shown = json.loads(runner.invoke(main, ["info", "--json", "--index-dir", str(built_index_dir)]).output)
    assert shown["settings"]["index.embed_chunks"] == 64 and shown["settings"]["server.auth"] == "unset"
