"""The index: incremental adds, replacement, removal, model checks, search, consistency."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from qa.config import Settings
from qa.errors import IndexNotFoundError, ModelMismatchError
from qa.index import Index
from qa.types import Filters


def test_built_index_has_every_article_and_is_consistent(built_index_dir: Path) -> None:
    with Index.open(built_index_dir) as index:
        info = index.info()
        assert info["articles"] == 6  # the seed, the HTML page, the markdown, 2 JSONL, 1 JSON
        assert info["chunks"] >= 6
        assert info["model"] == "sentence-transformers/all-MiniLM-L6-v2" and info["dim"] == 384
        assert index.consistency_problems() == []
    manifest = json.loads((built_index_dir / "manifest.json").read_text())
    assert manifest["embedding"]["model"] == "sentence-transformers/all-MiniLM-L6-v2"
    assert manifest["embedding"]["dim"] == 384 and manifest["embedding"]["precisions"] in (["bf16"], ["fp32"])
    assert manifest["counts"] == {"articles": info["articles"], "chunks": info["chunks"]}


def test_readding_unchanged_articles_does_no_work(index_copy: Path, data_dir: Path) -> None:
    with Index.open(index_copy) as index:
        calls = []
        original = index.embedder.encode_passages
        index.embedder.encode_passages = lambda *a, **k: calls.append(1) or original(*a, **k)  # type: ignore[method-assign]
        report = index.add([data_dir])
    assert report.added == [] and report.updated == [] and report.chunks == 0
    assert len(report.unchanged) == 5 and calls == []


def test_a_changed_article_replaces_its_chunks(index_copy: Path, tmp_path: Path) -> None:
    path = tmp_path / "story.txt"
    path.write_text("Bridge story\nThe bridge opened in May. It carries trains.")
    with Index.open(index_copy) as index:
        first = index.add([path])
        (article_id,) = first.added
        path.write_text("Bridge story\nThe bridge opened in June after delays. It carries trains and cars.")
        second = index.add([path])
        assert second.updated == [article_id] and second.added == []
        assert "June" in index.get_article(article_id).text  # type: ignore[union-attr]
        hits = index.search("When did the bridge open?", k=3)
        texts = [h.chunk.text for h in hits if h.article.id == article_id]
        assert texts and all("May" not in t for t in texts)
        assert index.consistency_problems() == []


def test_remove_deletes_the_article_everywhere(index_copy: Path) -> None:
    with Index.open(index_copy) as index:
        before = index.info()
        assert index.remove("wire-001")
        assert not index.remove("wire-001")
        after = index.info()
        assert after["articles"] == before["articles"] - 1
        assert all(h.article.id != "wire-001" for h in index.search("Brenner pass snow trucks", k=10))
        assert index.consistency_problems() == []
    with Index.open(index_copy) as reopened:  # the FAISS file on disk agrees too
        assert reopened.info()["articles"] == after["articles"]
        assert reopened.consistency_problems() == []


def test_search_returns_hits_with_text_metadata_and_scores(built_index_dir: Path) -> None:
    with Index.open(built_index_dir) as index:
        hits = index.search("Who negotiated with Prigozhin on behalf of the Kremlin?", k=4)
    assert [h.rank for h in hits] == [1, 2, 3, 4]
    assert hits[0].article.source == "Blick" and "Prigozhin" in hits[0].chunk.text
    assert hits[0].score >= hits[-1].score
    for hit in hits:
        assert hit.chunk.text == hit.article.text[hit.chunk.start : hit.chunk.end]


def test_filters_by_source_date_and_id(built_index_dir: Path) -> None:
    with Index.open(built_index_dir) as index:
        only_wire = index.search("news", k=10, filters=Filters(sources=("example wire",)))
        assert {h.article.id for h in only_wire} == {"wire-001", "wire-002"}
        in_2024 = index.search(
            "news", k=10, filters=Filters(published_from="2024-01-01", published_to="2024-02-28")
        )
        assert {h.article.published[:7] for h in in_2024} <= {"2024-01", "2024-02"}  # type: ignore[index]
        one = index.search("snow", k=10, filters=Filters(article_ids=("wire-002",)))
        assert {h.article.id for h in one} == {"wire-002"}


def test_opening_with_another_model_is_a_clear_error(built_index_dir: Path) -> None:
    with pytest.raises(ModelMismatchError, match=r"all-MiniLM-L6-v2.*other/model"):
        Index.open(built_index_dir, Settings(embed_model="other/model"))


def test_opening_a_missing_index_without_create(tmp_path: Path) -> None:
    with pytest.raises(IndexNotFoundError, match="qa index"):
        Index.open(tmp_path / "nothing", create=False)


def test_a_stale_or_damaged_vector_file_is_rebuilt_from_the_docstore(index_copy: Path) -> None:
    (index_copy / "vectors.faiss").write_bytes(b"garbage")
    with Index.open(index_copy) as index:
        assert index.consistency_problems() == []
        assert index.search("Lukashenko", k=1)[0].article.source == "Blick"


def test_approximate_index_above_the_threshold(index_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QA_ANN_THRESHOLD", "3")  # read by Settings.from_env() in Index.open
    with Index.open(index_copy) as index:
        index.store.save_vectors()  # the writer's upkeep switches to IVF, never a reader
        assert index.store.vectors.kind == "ivf"
        hits = index.search("How many steel cables were replaced on the bridge?", k=3)
        assert index.info()["chunks"] >= 3 and index.consistency_problems() == []
        assert "212 steel cables" in hits[0].chunk.text
        index.remove("wire-002")  # IVF removes by id: no rebuild, nothing filtered
        assert not index.store.vectors.deleted and index.consistency_problems() == []
        assert all(h.article.id != "wire-002" for h in index.search("chess prodigy title", k=10))
    manifest = json.loads((index_copy / "manifest.json").read_text())
    assert manifest["vectors"]["kind"] == "ivf" and manifest["vectors"]["recall@10"] >= 0.95
    with Index.open(index_copy, create=False) as reader:  # another process reads the file
        assert reader.consistency_problems() == [] and reader.store.vectors.kind == "ivf"
        assert all(h.article.id != "wire-002" for h in reader.search("chess prodigy title", k=10))
        assert reader.info()["recall@10"] >= 0.95


def test_an_index_killed_while_being_created_opens_again(tmp_path: Path) -> None:
    import sqlite3

    root = tmp_path / "index"
    root.mkdir()
    sqlite3.connect(root / "docstore.sqlite").close()  # the file exists, nothing committed yet
    with Index.open(root) as index:
        assert index.info()["articles"] == 0 and index.info()["dim"] == 384
        index.add([Path(__file__).parent / "data" / "wire-stories.jsonl"])
        assert index.info()["articles"] == 2


def test_vectors_of_another_docstore_are_not_reused(index_copy: Path, tmp_path: Path) -> None:
    (index_copy / "docstore.sqlite").unlink()  # only the docstore lost: the FAISS file is stale
    for extra in ("docstore.sqlite-wal", "docstore.sqlite-shm"):
        (index_copy / extra).unlink(missing_ok=True)
    story = tmp_path / "one.txt"
    story.write_text("Ferry news\nThe ferry resumed service on Monday.")
    with Index.open(index_copy) as index:
        index.add([story])
        assert index.info()["chunks"] == 1
        assert index.consistency_problems() == []
        assert "ferry" in index.search("When did the ferry resume?", k=1)[0].chunk.text


def test_rebuild_swaps_in_a_fresh_index_and_keeps_uploads(index_copy: Path, tmp_path: Path) -> None:
    from qa.errors import QAError
    from qa.index import rebuild_index

    uploads = index_copy / "uploads"
    uploads.mkdir()
    (uploads / "upload.txt").write_text("Uploaded story\nThe museum reopened its east wing.")
    with pytest.raises(QAError, match=r"not found; the index at .* is unchanged"):
        rebuild_index(index_copy, [tmp_path / "typo"])
    with Index.open(index_copy) as index:
        assert index.info()["articles"] == 6
    report = rebuild_index(index_copy, [Path(__file__).parent / "data" / "wire-stories.jsonl"])
    assert len(report.added) == 3
    with Index.open(index_copy) as index:
        titles = {a.title for a in index.articles()}
        assert titles == {"Storm closes mountain pass", "Chess prodigy wins national title", "Uploaded story"}
    assert (uploads / "upload.txt").exists() and not index_copy.with_name("index.old").exists()


def test_a_rebuild_killed_between_the_renames_is_undone(index_copy: Path) -> None:
    old = index_copy.with_name(index_copy.name + ".old")
    index_copy.rename(old)  # the old index moved aside, the new one not yet in place
    with Index.open(index_copy) as index:
        assert index.info()["articles"] == 6
    assert not old.exists()


# ---- identity: two different articles are never merged (issue 18, item 2) -------------
def _briefing(folder: Path, text: str) -> Path:
    feeds = folder / "feeds"
    feeds.mkdir(parents=True)
    (feeds / "feed.jsonl").write_text(json.dumps({"title": "Daily briefing", "text": text}) + "\n")
    return feeds


def test_records_of_same_named_files_in_two_collections_stay_two_articles(tmp_path: Path) -> None:
    first = _briefing(tmp_path / "x", "The harbour crane was repaired on Monday.")
    second = _briefing(tmp_path / "y", "The school choir sang in Bergen on Friday.")
    with Index.open(tmp_path / "index") as index:
        assert len(index.add([first]).added) == 1
        report = index.add([second])
        assert len(report.added) == 1 and report.updated == [], report
        texts = sorted(a.text for a in index.articles())
        assert texts == [
            "The harbour crane was repaired on Monday.",
            "The school choir sang in Bergen on Friday.",
        ]
        again = index.add([first, second])  # both known now: nothing changes
        assert len(again.unchanged) == 2 and not again.added and not again.updated
        assert index.consistency_problems() == []


def test_a_different_file_at_a_deleted_files_place_is_a_new_article(tmp_path: Path) -> None:
    import shutil

    gone = tmp_path / "x5" / "news" / "gone.txt"
    gone.parent.mkdir(parents=True)
    gone.write_text("Gone story\nThe old mill burned down in 1911.")
    fresh = tmp_path / "y5" / "news" / "gone.txt"
    fresh.parent.mkdir(parents=True)
    fresh.write_text("Gone story\nThe lighthouse keeper retired after forty years.")
    with Index.open(tmp_path / "index") as index:
        (first_id,) = index.add([gone.parent]).added
        shutil.rmtree(tmp_path / "x5")
        report = index.add([fresh.parent])
        assert len(report.added) == 1 and report.updated == [] and report.added != [first_id], report
        kept = index.get_article(first_id)
        assert kept is not None and "old mill" in kept.text
        assert len(index.articles()) == 2 and index.consistency_problems() == []


# ---- identity of JSON and JSON Lines records (issue 18, item 3) -------------------------
def _count_embeddings(index: Index) -> list[int]:
    calls: list[int] = []
    original = index.embedder.encode_passages

    def counting(texts, *args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(len(texts))
        return original(texts, *args, **kwargs)

    index.embedder.encode_passages = counting  # type: ignore[method-assign]
    return calls


def _write_records(path: Path, *records: dict[str, str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r) + "\n" for r in records))


BIRCH = {"title": "Birch report", "text": "The birch trees in the park were counted: 412 in all."}
ELM = {"title": "Elm report", "text": "The elms along the canal were treated for disease in May."}


def test_retitling_a_record_updates_it_in_place(tmp_path: Path) -> None:
    feed = tmp_path / "reports" / "trees.jsonl"
    _write_records(feed, BIRCH, ELM)
    with Index.open(tmp_path / "index") as index:
        birch_id, elm_id = index.add([feed.parent]).added
        _write_records(feed, {**BIRCH, "title": "Birch report (corrected)"}, ELM)
        report = index.add([feed.parent])
        assert report.updated == [birch_id] and report.added == [] and report.unchanged == [elm_id]
        assert sorted(a.title for a in index.articles()) == ["Birch report (corrected)", "Elm report"]
        assert index.consistency_problems() == []


def test_a_moved_jsonl_is_rekeyed_not_embedded_again(tmp_path: Path) -> None:
    import shutil

    old = tmp_path / "inbox" / "trees.jsonl"
    _write_records(old, BIRCH, ELM)
    with Index.open(tmp_path / "index") as index:
        old_ids = index.add([old.parent]).added
        new = tmp_path / "archive" / "2024" / "trees.jsonl"
        new.parent.mkdir(parents=True)
        shutil.move(old, new)
        calls = _count_embeddings(index)
        report = index.add([tmp_path / "archive"])
        assert calls == [] and report.added == [] and report.updated == []
        assert [old_id for old_id, _ in report.moved] == old_ids
        assert sorted(a.title for a in index.articles()) == ["Birch report", "Elm report"]
        assert {a.path for a in index.articles()} == {str(new.resolve())}
        assert index.consistency_problems() == []
        # the keyword index is at the docstore's generation: searches stay on it, not on FTS5
        keyword = index.store._keyword_reader()
        assert keyword is not None and keyword.generation == index.store.docstore.generation()


def test_record_ids_come_from_their_id_or_url_field(tmp_path: Path) -> None:
    feed = tmp_path / "wire" / "feed.jsonl"
    _write_records(
        feed,
        {**BIRCH, "id": "birch-1"},
        {**ELM, "url": "https://news.example/trees/elm-report"},
    )
    with Index.open(tmp_path / "index") as index:
        added = index.add([feed])
        assert added.added[0] == "birch-1" and added.added[1].startswith("elm-report-")
        _write_records(  # retitled, and the other record's place changed: the ids hold
            feed,
            {**ELM, "title": "Elms treated", "url": "https://news.example/trees/elm-report"},
            {**BIRCH, "id": "birch-1"},
        )
        report = index.add([feed])
        assert report.updated == [added.added[1]] and report.unchanged == ["birch-1"] and not report.added


def test_a_record_under_a_title_derived_id_is_rekeyed(tmp_path: Path) -> None:
    """Ids made by an older version slugged the record's title: the record keeps its vectors."""
    feed = tmp_path / "reports" / "trees.jsonl"
    _write_records(feed, BIRCH)
    with Index.open(tmp_path / "index") as index:
        (new_id,) = index.add([feed.parent]).added
        old_id = "birch-report-" + new_id[-10:]  # the older scheme: title slug, then the place hash
        entry = index.store.docstore.articles_by_id()[new_id]
        index.store.docstore.rename_article(new_id, old_id, entry.path, entry.origin)
        calls = _count_embeddings(index)
        report = index.add([feed.parent])
        assert calls == [] and report.moved == [(old_id, new_id)] and report.unchanged == [new_id]


def test_removing_one_record_of_an_uploaded_jsonl_drops_that_record(tmp_path: Path) -> None:
    root = tmp_path / "index"
    feed = root / "uploads" / "trees.jsonl"
    _write_records(feed, BIRCH, ELM)
    with Index.open(root) as index:
        birch_id, elm_id = index.add([feed]).added
        assert index.remove(birch_id)
        lines = feed.read_text().splitlines()
        assert [json.loads(line)["title"] for line in lines if line.strip()] == ["Elm report"]
        again = index.add([root / "uploads"])  # the kept record keeps its id: nothing comes back
        assert again.unchanged == [elm_id] and not again.added and not again.updated
        assert index.remove(elm_id) and not feed.exists()
