"""The index's identity: one fingerprint of format, embedding model, chunker version, chunk
size and overlap; an index of another fingerprint is refused, never mixed."""

from __future__ import annotations

import json
import shutil
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

import qa.store.identity
from qa.config import Settings
from qa.errors import IndexMismatchError, ModelMismatchError
from qa.eval.evaluation import cached_index
from qa.index import Index, rebuild_index
from qa.store.identity import IndexIdentity


@pytest.fixture(scope="module")
def small_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("identity") / "index"
    with Index.open(path) as index:
        index.add([Path(__file__).parent / "data" / "council-budget.md"])
    return path


@pytest.fixture()
def index_dir(small_index: Path, tmp_path: Path) -> Path:
    target = tmp_path / "index"
    shutil.copytree(small_index, target)
    return target


def test_the_fingerprint_is_stored_and_names_every_part(index_dir: Path) -> None:
    settings = Settings.from_env()
    manifest = json.loads((index_dir / "manifest.json").read_text())
    assert manifest["fingerprint"] == Index.fingerprint_of(settings)
    with sqlite3.connect(index_dir / "docstore.sqlite") as db:
        (stored,) = db.execute("SELECT value FROM meta WHERE key = 'fingerprint'").fetchone()
    assert stored == Index.fingerprint_of(settings)
    base = IndexIdentity.configured(settings.embed_model, settings.chunk_words)
    for changed in (
        replace(base, chunker=base.chunker + 1),
        replace(base, chunk_words=base.chunk_words - 20),
        replace(base, overlap=0),
        replace(base, model="other/model"),
        replace(base, format_version=base.format_version + 1),
    ):
        assert changed.fingerprint != base.fingerprint
        assert len(base.differences(changed)) == 1


def test_a_changed_chunker_version_is_refused(index_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    old = Index.fingerprint_of(Settings.from_env())
    monkeypatch.setattr(qa.store.identity, "CHUNKER_VERSION", qa.store.identity.CHUNKER_VERSION + 1)
    assert Index.fingerprint_of(Settings.from_env()) != old  # so the eval cache builds anew too
    with pytest.raises(IndexMismatchError, match=r"chunker version 1 in the index, 2 configured.*--rebuild"):
        Index.open(index_dir)
    with pytest.raises(IndexMismatchError, match="chunker version"):
        Index.open(index_dir, create=False)


def test_a_changed_chunk_size_builds_new_indexes_and_an_index_keeps_its_own(index_dir: Path) -> None:
    settings = replace(Settings.from_env(), chunk_words=60)
    assert Index.fingerprint_of(settings) != Index.fingerprint_of(Settings.from_env())  # eval cache
    with Index.open(index_dir, settings) as index:  # never mixed: it goes on at its own size
        assert index.chunk_words == 180
        assert index.store.identity.fingerprint == Index.fingerprint_of(Settings.from_env())


def test_another_model_is_still_a_model_mismatch(index_dir: Path) -> None:
    with pytest.raises(ModelMismatchError, match="QA_EMBED_MODEL"):
        Index.open(index_dir, Settings(embed_model="other/model"))


def test_an_index_written_before_fingerprints_opens_when_its_recorded_settings_match(
    index_dir: Path,
) -> None:
    with sqlite3.connect(index_dir / "docstore.sqlite") as db:
        db.execute("DELETE FROM meta WHERE key = 'fingerprint'")
    with Index.open(index_dir, create=False) as index:
        assert index.counts()["articles"] == 1
        assert index.consistency_problems() == []
    with sqlite3.connect(index_dir / "docstore.sqlite") as db:
        chunking = {"chunk_words": 120, "overlap": 2, "chunker": 1}
        db.execute("UPDATE meta SET value = ? WHERE key = 'settings'", (json.dumps(chunking),))
    with pytest.raises(IndexMismatchError, match="chunk overlap 2 in the index, 1 configured"):
        Index.open(index_dir, create=False)


def test_a_rebuild_left_by_another_chunker_is_started_over(
    tmp_path: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = data_dir / "council-budget.md"
    monkeypatch.setattr(qa.store.identity, "CHUNKER_VERSION", 0)
    with Index.open(tmp_path / "index.rebuild") as stale:
        stale.add([source])
    monkeypatch.undo()
    report = rebuild_index(tmp_path / "index", [source])
    assert any("started the rebuild over" in n and "chunker version" in n for n in report.notes), report.notes
    with Index.open(tmp_path / "index", create=False) as index:
        assert index.consistency_problems() == []


def test_the_eval_cache_follows_the_fingerprint(tmp_path: Path, data_dir: Path) -> None:
    source = [data_dir / "council-budget.md"]
    first, _ = cached_index(source, set(), Settings.from_env(), cache_root=tmp_path)
    first.close()
    other, _ = cached_index(source, set(), replace(Settings.from_env(), chunk_words=60), cache_root=tmp_path)
    other.close()
    assert first.path != other.path
    assert len([p for p in tmp_path.iterdir() if p.is_dir()]) == 2
    again, _ = cached_index(source, set(), Settings.from_env(), cache_root=tmp_path)
    again.close()
    assert again.path == first.path


def test_the_eval_cache_of_a_copied_collection_holds_no_copies(tmp_path: Path, data_dir: Path) -> None:
    # the same files in two checkouts are other articles to an index: one cache would hold both
    checkouts = []
    for name in ("one", "two"):
        folder = tmp_path / name / "stories"
        folder.mkdir(parents=True)
        shutil.copy(data_dir / "council-budget.md", folder)
        (folder / "ferry.txt").write_text(
            "Ferry strike ends\n\nThe ferry crews returned to work on Monday after a nine-day strike.\n"
        )
        checkouts.append(folder)
    cache = tmp_path / "cache"
    first, _ = cached_index([checkouts[0]], set(), Settings.from_env(), cache_root=cache)
    first_ids = [a.id for a in first.articles()]
    first.close()
    second, _ = cached_index([checkouts[1]], set(), Settings.from_env(), cache_root=cache)
    second_ids = [a.id for a in second.articles()]
    second.close()
    assert len(first_ids) == len(second_ids) == 2
    again, _ = cached_index([checkouts[0]], set(), Settings.from_env(), cache_root=cache)
    assert [a.id for a in again.articles()] == first_ids
    again.close()
