"""The Tantivy keyword index: BM25 top k over titles and texts, kept to a docstore generation
by the changes each commit made, and read back the same after reopening."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from qa.store.keyword_index import KeywordIndex

CHUNKS = {
    1: ("Tidal plant", "The tidal plant at Varnholm has 22 turbines and opened in June."),
    2: (
        "Fishermen sue",
        "The fishermen of Tromsø are suing the operator for compensation over lost catches.",
    ),
    3: ("Budget", "The final bill for the plant came to 310 million euros."),
}


def texts_of(chunks: dict[int, tuple[str, str]]):  # type: ignore[no-untyped-def]
    def texts(rowids: Sequence[int]) -> list[tuple[int, str, str]]:
        return [(r, *chunks[r]) for r in rowids if r in chunks]

    return texts


def test_search_ranks_by_bm25_over_title_and_text_and_filters(tmp_path: Path) -> None:
    index = KeywordIndex(tmp_path / "keyword")
    index.apply(1, [1, 2, 3], [], texts_of(CHUNKS))
    assert index.generation == 1
    assert index.search(["turbines"], 5) == [1]
    assert index.search(["suing"], 5) == [2]  # stemmed: "suing" and "sue"
    assert index.search(["tromso"], 5) == [2]  # accents folded, as FTS5's unicode61 does
    assert index.search(["plant"], 5)[0] == 1  # in the title and the text of 1, the text of 3
    assert index.search(["plant", "euros"], 5, np.array([3, 2])) == [3]
    assert index.search(["plant"], 5, np.array([], dtype=np.int64)) == []
    assert index.search([], 5) == []
    assert index.search(["nowhere"], 5) == []


def test_query_syntax_in_terms_is_read_as_words(tmp_path: Path) -> None:
    index = KeywordIndex(tmp_path / "keyword")
    index.apply(1, [1, 2, 3], [], texts_of(CHUNKS))
    # "OR" and "AND" are words here (in no chunk), not operators; quotes, colons, brackets
    # and carets are no syntax: the chunks with turbines, plant or euros are found
    assert sorted(index.search(['"turbines', "OR", "AND", "(plant:", "euros^2"], 5)) == [1, 3]


def test_changes_replace_and_delete_chunks_and_survive_reopening(tmp_path: Path) -> None:
    chunks = dict(CHUNKS)
    index = KeywordIndex(tmp_path / "keyword")
    index.apply(1, [1, 2, 3], [], texts_of(chunks))
    chunks[1] = ("Tidal plant", "Now the plant runs on wind.")
    del chunks[3]
    index.apply(2, [1], [3], texts_of(chunks))
    assert index.search(["turbines"], 5) == []
    assert index.search(["wind"], 5) == [1]
    assert index.search(["euros"], 5) == []
    index.apply(2, [1], [3], texts_of(chunks))  # applied twice (a crash before `generation`)
    assert index.document_count() == 2
    reopened = KeywordIndex(tmp_path / "keyword")
    assert reopened.generation == 2
    assert reopened.search(["wind"], 5) == [1]
    assert reopened.document_count() == 2


def test_a_rebuild_holds_exactly_the_chunks_given(tmp_path: Path) -> None:
    index = KeywordIndex(tmp_path / "keyword")
    index.apply(1, [1, 2, 3], [], texts_of(CHUNKS))
    index.rebuild(7, [2], texts_of(CHUNKS))
    assert index.generation == 7
    assert index.document_count() == 1
    assert index.search(["turbines", "fishermen"], 5) == [2]


def test_an_index_of_another_schema_is_told_apart(tmp_path: Path) -> None:
    import tantivy

    from qa.store.keyword_index import KeywordIndexOutdated, remove

    folder = tmp_path / "keyword"
    folder.mkdir()
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("text", stored=False, tokenizer_name="en_stem")
    tantivy.Index(builder.build(), path=str(folder))
    with pytest.raises(KeywordIndexOutdated):
        KeywordIndex(folder)
    remove(folder)
    assert KeywordIndex(folder).generation == 0
