"""Robust under real use: article identity, writers and readers at once, rebuilds while
serving, and our own bugs surfacing as bugs."""

from __future__ import annotations

import json
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from qa.index import Index, rebuild_index
from qa.types import Article

STORY = "Ferry strike\n\nThe ferry crews walked out on Monday. Talks resume on Friday in Bergen."


def count_embeddings(index: Index) -> list[int]:
    calls: list[int] = []
    original = index.embedder.encode_passages

    def counting(texts, *args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(len(texts))
        return original(texts, *args, **kwargs)

    index.embedder.encode_passages = counting  # type: ignore[method-assign]
    return calls


def test_editing_the_title_updates_the_article_in_place(index_copy: Path, tmp_path: Path) -> None:
    story = tmp_path / "story.txt"
    story.write_text(STORY)
    with Index.open(index_copy) as index:
        (article_id,) = index.add([story]).added
        story.write_text(STORY.replace("Ferry strike", "Ferry crews strike"))
        report = index.add([story])
        assert report.updated == [article_id] and report.added == []
        assert index.get_article(article_id).title == "Ferry crews strike"  # type: ignore[union-attr]
        assert sum(a.title.startswith("Ferry") for a in index.articles()) == 1
        assert index.consistency_problems() == []


def test_same_named_files_in_two_folders_stay_two_articles(index_copy: Path, tmp_path: Path) -> None:
    for name, day in (("a", "Monday"), ("b", "Tuesday")):
        folder = tmp_path / name / "news"
        folder.mkdir(parents=True)
        (folder / "x.txt").write_text(STORY.replace("Monday", day))
    with Index.open(index_copy) as index:
        first = index.add([tmp_path / "a"])
        second = index.add([tmp_path / "b"])
        assert len(first.added) == 1 and len(second.added) == 1 and second.updated == []
        texts = {a.text for a in index.articles() if a.title == "Ferry strike"}
        assert any("Monday" in t for t in texts) and any("Tuesday" in t for t in texts)
        # the same layout under two roots of one name, in one run and again later
        other = tmp_path / "elsewhere" / "a" / "news"
        other.mkdir(parents=True)
        (other / "x.txt").write_text(STORY.replace("Monday", "Sunday"))
        third = index.add([tmp_path / "elsewhere" / "a"])
        assert len(third.added) == 1 and third.updated == []
        again = index.add([tmp_path / "a", tmp_path / "elsewhere" / "a"])
        assert len(again.unchanged) == 2 and not again.added and not again.updated
        assert sum(a.title == "Ferry strike" for a in index.articles()) == 3


def test_a_moved_file_is_rekeyed_not_reembedded(index_copy: Path, tmp_path: Path) -> None:
    old = tmp_path / "inbox" / "story.txt"
    old.parent.mkdir()
    old.write_text(STORY)
    with Index.open(index_copy) as index:
        (old_id,) = index.add([old.parent]).added
        new = tmp_path / "archive" / "2024" / "story.txt"
        new.parent.mkdir(parents=True)
        shutil.move(old, new)
        calls = count_embeddings(index)
        report = index.add([tmp_path / "archive"])
        assert calls == [] and report.added == [] and len(report.moved) == 1
        assert report.moved[0][0] == old_id
        new_id = report.moved[0][1]
        assert index.get_article(old_id) is None
        assert index.get_article(new_id).path == str(new.resolve())  # type: ignore[union-attr]
        assert index.search("When do the ferry talks resume?", k=1)[0].article.id == new_id
        assert index.consistency_problems() == []


def test_an_article_stored_under_an_id_of_the_old_scheme_is_rekeyed(index_copy: Path, tmp_path: Path) -> None:
    story = tmp_path / "story.txt"
    story.write_text(STORY)
    with Index.open(index_copy) as index:
        (new_id,) = index.add([story]).added
        index.store.docstore.rename_article(new_id, "ferry-strike-0123456789", str(story.resolve()), None)
        calls = count_embeddings(index)
        report = index.add([story])
        assert calls == [] and report.moved == [("ferry-strike-0123456789", new_id)]
        assert [a.id for a in index.articles() if a.title == "Ferry strike"] == [new_id]


def test_commits_stream_as_files_are_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A run commits while later files are still unread: a kill keeps early work."""
    monkeypatch.setenv("QA_COMMIT_SECONDS", "0")  # read by Settings.from_env() in Index.open
    seen_counts: list[int] = []
    with Index.open(tmp_path / "index") as index:

        def articles() -> Iterator[Article]:
            for n in range(4):
                seen_counts.append(index.counts()["articles"])  # committed before this one is read
                text = f"Story {n} tells of harbour number {n}. It opened in {2000 + n}."
                yield Article(f"s{n}", f"Story {n}", text, content_hash=str(n))

        report = index.add_articles(articles())
    assert report.commits >= 3 and seen_counts[-1] >= 2, seen_counts


def test_a_reader_follows_a_writer_through_the_change_log(index_copy: Path, tmp_path: Path) -> None:
    story = tmp_path / "story.txt"
    story.write_text(STORY)
    with Index.open(index_copy) as writer, Index.open(index_copy, create=False) as reader:
        assert reader.search("ferry crews", k=1)[0].article.title != "Ferry strike"
        rebuilds: list[int] = []
        original = reader.store.vectors._rebuild
        reader.store.vectors._rebuild = lambda docstore: rebuilds.append(1) or original(docstore)  # type: ignore[method-assign]
        (article_id,) = writer.add([story]).added
        assert reader.search("When do the ferry talks resume?", k=1)[0].article.id == article_id
        writer.remove(article_id)
        assert all(h.article.id != article_id for h in reader.search("ferry talks Bergen", k=10))
        assert reader.consistency_problems() == [] and rebuilds == []


def test_chats_and_uploads_at_once_in_threads(index_copy: Path, tmp_path: Path) -> None:
    from qa.pipeline import QA

    index = Index.open(index_copy)
    qa = QA(index)
    questions = ["Who led the negotiations with Prigozhin?", "How many trucks were stranded?"]
    note = tmp_path / "upload-0.txt"
    note.write_text("Upload 0\n\nThe library in town 0 opened a reading room for 0 children.")
    expected = {q: {qa.answer(q).text} for q in questions}  # quiet, and with one upload present
    (note_id,) = index.add([note]).added
    for q in questions:
        expected[q].add(qa.answer(q).text)
    index.remove(note_id)
    errors: list[BaseException] = []
    changed: list[str] = []
    stop = time.monotonic() + 20

    def chat() -> None:
        while time.monotonic() < stop:
            for q in questions:
                try:
                    text = qa.answer(q).text
                    if text not in expected[q]:
                        changed.append(text)
                except BaseException as error:
                    errors.append(error)

    def upload() -> None:
        n = 1
        while time.monotonic() < stop:  # one upload at a time, added then removed
            path = tmp_path / f"upload-{n}.txt"
            path.write_text(f"Upload {n}\n\nThe library in town {n} opened a reading room for {n} children.")
            try:
                (added,) = index.add([path]).added
                index.remove(added)
            except BaseException as error:
                errors.append(error)
            n += 1

    threads = [threading.Thread(target=chat) for _ in range(3)] + [threading.Thread(target=upload)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    try:
        assert errors == [] and changed == []
        assert index.consistency_problems() == []
    finally:
        index.close()


def test_rebuild_while_serving_switches_and_keeps_what_was_written(index_copy: Path, tmp_path: Path) -> None:
    serving = Index.open(index_copy)  # a running server's index
    uploads = index_copy / "uploads"
    uploads.mkdir()
    started, release = threading.Event(), threading.Event()
    original_add = Index.add

    def slow_add(self: Index, paths, progress=None, max_file_mb=None):  # type: ignore[no-untyped-def]
        report = original_add(self, paths, progress, max_file_mb)
        if self.path.name.endswith(".rebuild") and not started.is_set():
            started.set()
            release.wait(30)  # hold the rebuild after its first pass, while the server writes
        return report

    Index.add = slow_add  # type: ignore[method-assign]
    try:
        seeds = Path(__file__).resolve().parent.parent / "seeds"
        rebuilder = threading.Thread(target=rebuild_index, args=(index_copy, [seeds]))
        rebuilder.start()
        assert started.wait(120)
        late = uploads / "late.txt"
        late.write_text(STORY)
        (late_id,) = serving.add([late]).added  # uploaded through the server mid-rebuild
        release.set()
        rebuilder.join(120)
    finally:
        Index.add = original_add  # type: ignore[method-assign]
    try:
        titles = {t.title for t in serving.titles()}  # the server switched to the new index
        assert titles == {"Putin refused direct contact with Prigozhin", "Ferry strike"}, titles
        assert serving.search("When do the ferry talks resume?", k=1)[0].article.id == late_id
        assert serving.consistency_problems() == []
    finally:
        serving.close()
    with Index.open(index_copy, create=False) as restarted:  # and after a restart
        assert {t.title for t in restarted.titles()} == titles
    assert not index_copy.with_name(index_copy.name + ".old").exists()


def test_a_reader_waits_for_a_swap_in_progress(index_copy: Path) -> None:
    from qa.store.store import writer_lock

    old = index_copy.with_name(index_copy.name + ".old")
    opened: list[int] = []

    def open_reader() -> None:
        with Index.open(index_copy, create=False) as index:
            opened.append(index.counts()["articles"])

    with writer_lock(index_copy, exclusive=True):
        index_copy.rename(old)  # mid-swap: the folder is away
        reader = threading.Thread(target=open_reader)
        reader.start()
        time.sleep(0.5)
        assert opened == []  # waiting, not undoing the swap
        old.rename(index_copy)
    reader.join(30)
    assert opened == [6]


def test_a_bug_in_our_llm_code_is_not_blamed_on_the_provider(
    seed_qa, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    import qa.answering.llm

    def broken(self, text, retrieval):  # type: ignore[no-untyped-def]
        raise KeyError("citations")  # a bug of ours, after the provider answered

    monkeypatch.setattr(qa.answering.llm.LLMAnswerer, "draft_from_text", broken)
    monkeypatch.setattr(qa.answering.llm.LLMClient, "stream", lambda self, messages: iter(["An answer [1]."]))
    with pytest.raises(KeyError):
        seed_qa.answer("Who led the negotiations?", model="openai/test-model")


def test_keyword_search_faults_are_raised_not_swallowed(index_copy: Path) -> None:
    import sqlite3

    with Index.open(index_copy) as index:
        with sqlite3.connect(index_copy / "docstore.sqlite") as db:
            db.execute("DROP TABLE chunks_fts")
        with pytest.raises(sqlite3.OperationalError):
            index.search("Lukashenko", k=3)


def test_an_index_of_format_1_migrates_on_open(index_copy: Path) -> None:
    import sqlite3

    with sqlite3.connect(index_copy / "docstore.sqlite") as db:
        db.execute("UPDATE meta SET value = '1' WHERE key = 'format_version'")
        db.execute("DELETE FROM meta WHERE key = 'changes_from'")
    with Index.open(index_copy) as index:
        assert index.info()["articles"] == 6 and index.consistency_problems() == []
    manifest = json.loads((index_copy / "manifest.json").read_text())
    assert manifest["format_version"] == 2
