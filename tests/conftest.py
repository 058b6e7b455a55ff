"""Shared fixtures: the real embedding model, real FAISS and SQLite, small article files."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
for _name in ("QA_MODEL", "QA_INDEX_DIR", "QA_EMBED_MODEL", "QA_API_BASE"):
    os.environ.pop(_name, None)

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
SEEDS = ROOT / "seeds"


@pytest.fixture(scope="session")
def data_dir() -> Path:
    return DATA


@pytest.fixture(scope="session")
def built_index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An index of the shipped seeds and the test articles, built once per session."""
    from qa.index import Index

    path = tmp_path_factory.mktemp("index")
    with Index.open(path) as index:
        report = index.add([SEEDS, DATA])
    assert not report.skipped, report.skipped
    return path


@pytest.fixture()
def index_copy(built_index_dir: Path, tmp_path: Path) -> Iterator[Path]:
    """A private copy of the session index that a test may change."""
    target = tmp_path / "index"
    shutil.copytree(built_index_dir, target)
    yield target


@pytest.fixture(scope="session")
def seed_qa(built_index_dir: Path):  # type: ignore[no-untyped-def]
    """A QA over the session index (read-only use)."""
    from qa.pipeline import QA

    return QA.open(built_index_dir)


@contextmanager
def seeds_and_article(folder: Path, name: str, text: str):  # type: ignore[no-untyped-def]
    """A QA over a fresh index of the seed article and one small article (`name`, `text`)
    written into `folder` for a test module."""
    from qa.index import Index
    from qa.pipeline import QA

    (folder / name).write_text(text, encoding="utf-8")
    with Index.open(folder / "index") as index:
        index.add([SEEDS, folder / name])
        yield QA(index)
