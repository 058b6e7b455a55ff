"""Hybrid retrieval: dense (FAISS) and keyword (FTS5 BM25) rankings fused by reciprocal rank
fusion, with a cap on passages per article and filters on source, date and article id."""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict, defaultdict
from collections.abc import Mapping, Sequence, Set
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from qa.ingest.stories import MIN_SHINGLES, repeats_passage, states_other_facts, word_shingles
from qa.store.keyword import content_terms, keyword_terms, stem
from qa.text import url_host
from qa.types import Filters, Hit, Sentence

if TYPE_CHECKING:
    from qa.ingest.embedding import Embedder
    from qa.store.store import Store

RRF_K = 60  # the constant of Cormack et al. (2009); flattens the head of each ranking
CANDIDATES = 40  # depth read from each ranking before fusion
QUERY_VECTORS = 64  # question vectors kept


@dataclass(frozen=True)
class Passage:
    """A retrieved passage with what answerers need: its sentences and their vectors."""

    hit: Hit
    sentences: tuple[Sentence, ...]
    sentence_vectors: np.ndarray
    dense_score: float


@dataclass
class Retrieval:
    """The question, its vector, the fused passages best first, and where time went."""

    query: str
    query_vector: np.ndarray
    passages: list[Passage]
    timings: dict[str, float] = field(default_factory=dict)
    # the articles a conversation was answered from (a follow-up's), whose answers it prefers
    kept: tuple[str, ...] = ()
    # (a person's name the follow-up's rewrite put for its "he" or "she", the rewrite with
    # the pronoun again): how the reader reads a passage of an article that names the
    # person, where the passage itself says only the pronoun (`chat.pronoun_said_again`)
    pronoun_for: tuple[str, str] | None = None


def fuse_rankings(
    rankings: Sequence[Sequence[int]],
    k: int = RRF_K,
    weights: Sequence[float] | None = None,
    placeless: Set[int] = frozenset(),
) -> list[tuple[int, float]]:
    """Reciprocal rank fusion: each id scores sum(w / (k + rank)); best first, ties by id.
    An id in `placeless` (a copy of a passage of a story read in another article) takes
    the rank it stands at without pushing the ids after it down."""
    scores: dict[int, float] = defaultdict(float)
    for ranking, weight in zip(rankings, weights or [1.0] * len(rankings), strict=True):
        rank = 0
        for item in ranking:
            rank += item not in placeless
            scores[item] += weight / (k + max(rank, 1))
    return sorted(scores.items(), key=lambda pair: (-pair[1], pair[0]))


def copies_of_read_stories(
    ranking: Sequence[int], article_of: Mapping[int, str], stories: Mapping[str, str]
) -> set[int]:
    """The ids in `ranking` whose article is a copy of a story first met in another article."""
    told: dict[str, str] = {}
    copies = set()
    for item in ranking:
        article_id = article_of[item]
        story = stories.get(article_id)
        if story is not None and told.setdefault(story, article_id) != article_id:
            copies.add(item)
    return copies


def cap_per_article(
    ranked: Sequence[tuple[int, str]],
    k: int,
    cap: int,
    stories: Mapping[str, str] | None = None,
    variants: set[int] | frozenset[int] = frozenset(),
    more: set[int] | frozenset[int] = frozenset(),
) -> list[int]:
    """The first `k` ids with at most `cap` per article; when that leaves fewer than `k`
    (a small collection), the passed-over ids fill the remaining places in order. With
    `stories` (article id -> story, for articles that are copies of one story), a story
    is read in the first of its articles ranked, and in its copies only where they state
    other facts (`variants`): a passage told another way is read beside the story's, while
    a passage the first copy lacks (`more`, a paragraph it was cut short of) is one more of
    the story's passages, under the story's cap."""
    chosen: list[int] = []
    passed: list[int] = []
    per_article: dict[str, int] = defaultdict(int)  # per story where the article tells one
    told: dict[str, str] = {}  # story -> the article it is read in
    for item, article_id in ranked:
        story = (stories or {}).get(article_id)
        if story is not None and told.setdefault(story, article_id) != article_id and item not in variants:
            continue  # a copy of a story already read, saying the same
        counted = told[story] if story is not None and (item not in variants or item in more) else article_id
        if per_article[counted] < cap:
            chosen.append(item)
            per_article[counted] += 1
        else:
            passed.append(item)
        if len(chosen) == k:
            return chosen
    return chosen + passed[: k - len(chosen)]


class Retriever:
    """Hybrid retrieval over one store with one embedder; the `Index` owns one."""

    def __init__(self, store: Store, embedder: Embedder, max_chunks_per_article: int = 0) -> None:
        self.store = store
        self.embedder = embedder
        self.max_chunks_per_article = max_chunks_per_article
        self._count: tuple[int, int] = (-1, 0)
        self._vectors: OrderedDict[str, np.ndarray] = OrderedDict()  # the latest questions'
        self._vectors_lock = threading.Lock()

    def query_vector(self, query: str) -> np.ndarray:
        """The question's vector; the latest few are kept (a follow-up searches again with
        the same words: within its conversation's articles, or for another rewrite)."""
        with self._vectors_lock:
            vector = self._vectors.get(query)
        if vector is None:
            vector = self.embedder.encode_queries([query])[0]
            with self._vectors_lock:
                self._vectors[query] = vector
                while len(self._vectors) > QUERY_VECTORS:
                    self._vectors.popitem(last=False)
        return vector

    def _frequencies(self, query: str) -> tuple[dict[str, int], int]:
        """Chunks per stem of the question's terms, and chunks in all (cached per generation)."""
        docstore = self.store.docstore
        generation = docstore.generation()
        if self._count[0] != generation:
            self._count = (generation, docstore.counts()["chunks"])
        return docstore.document_frequencies({stem(t) for t in content_terms(query)}), self._count[1]

    def retrieve(self, query: str, k: int = 6, filters: Filters | None = None) -> Retrieval:
        """Fused top-`k` passages for `query`.

        Candidates are the union of the FAISS and BM25 (Tantivy) top lists. Each is scored densely by
        the mean of its passage cosine and its best sentence cosine (sentence vectors were
        pooled from the passage's own tokens at index time), so a passage that holds one
        sentence squarely on the question is not drowned by the rest of it; that dense
        ranking and the BM25 ranking are fused by RRF, then capped per article; a passage
        passed over that repeats a chosen one with another figure follows it (`_with_twins`).
        """
        timings: dict[str, float] = {}
        started = time.perf_counter()
        query_vector = self.query_vector(query)
        timings["embed_ms"] = elapsed_ms(started)
        tick = time.perf_counter()
        docstore, dim = self.store.docstore, self.store.dim
        filters = filters if filters and not filters.is_empty() else None
        allowed = docstore.allowed_rowids(filters) if filters else None
        terms = keyword_terms(query, *self._frequencies(query))
        depth = max(CANDIDATES, 4 * k)
        for deepened in (False, True):
            dense = [rowid for rowid, _ in self.store.dense_search(query_vector, depth, allowed)]
            keyword = self.store.keyword_search(terms, depth, filters, allowed)
            candidates = docstore.candidate_vectors(list(dict.fromkeys(dense + keyword)), dim)
            scores = dense_similarities(
                query_vector, candidates.vectors, candidates.sentence_vectors, candidates.sentence_counts
            )
            dense_scores = dict(zip(candidates.rowids, scores.tolist(), strict=True))
            article_of = dict(zip(candidates.rowids, candidates.article_ids, strict=True))
            dense_ranking = sorted(dense_scores, key=lambda rowid: (-dense_scores[rowid], rowid))
            stories = docstore.stories_of(candidates.article_ids)
            keyword_ranking = [r for r in keyword if r in article_of]
            placeless = copies_of_read_stories(dense_ranking, article_of, stories) if stories else set()
            fused = fuse_rankings([dense_ranking, keyword_ranking], placeless=placeless)
            ranked = [(rowid, article_of[rowid]) for rowid, _ in fused]
            # the copies counted once, in the dense order, for both the fusion and the depth
            deeper = _depth_past_copies(len(ranked), len(placeless), depth)
            if deepened or deeper <= depth:
                break
            depth = deeper  # copies of stories took places: once more, deeper
        cap = self.max_chunks_per_article or max(2, (k + 1) // 2)
        variants, more, repeating = _variants(docstore, ranked, stories) if stories else (set(), set(), set())
        chosen = cap_per_article(ranked, k, cap, stories, variants, more)
        vectors = dict(zip(candidates.rowids, candidates.vectors, strict=True))
        chosen = _with_twins(docstore, ranked, chosen, stories, vectors)[:k]
        stored = docstore.load_chunks(chosen, dim, with_vectors=False)
        sentence_vectors = candidates.sentences_by_rowid()
        read = {stored[r].article.id for r in chosen if r in stored}
        differing = {stored[r].article.id for r in chosen if r in variants and r in stored} | repeating
        copies = _other_reporters(docstore, stories, read, differing)
        fused_score = dict(fused)
        passages = []
        for rank, rowid in enumerate(r for r in chosen if r in stored):
            item = stored[rowid]
            hit = Hit(
                item.chunk,
                item.article,
                round(fused_score[rowid], 6),
                rank + 1,
                copies.get(item.article.id, ()),
            )
            passages.append(Passage(hit, item.sentences, sentence_vectors[rowid], dense_scores[rowid]))
        timings["search_ms"] = elapsed_ms(tick)
        timings["retrieve_ms"] = elapsed_ms(started)
        return Retrieval(query, query_vector, passages, timings)


MAX_COPY_DEPTH = 4  # how many times deeper candidates are searched when copies fill them


def _depth_past_copies(candidates: int, copies: int, depth: int) -> int:
    """The candidate depth at which as many candidates are left once the `copies` (of a
    story read in another article) among `candidates` are set aside (a story run by three
    outlets takes three candidates a passage, crowding other stories out of the top
    `depth`): `depth` times the share copies took, at most `MAX_COPY_DEPTH` times `depth`;
    `depth` itself when no copy took a place."""
    if not copies:
        return depth
    kept = max(candidates - copies, 1)
    return min(math.ceil(depth * candidates / kept), MAX_COPY_DEPTH * depth)


def _variants(
    docstore: Any, ranked: Sequence[tuple[int, str]], stories: Mapping[str, str]
) -> tuple[set[int], set[int], set[str]]:
    """The passages of copies that state a number or a name the story's first-ranked copy
    never does (a wrong figure in one outlet's copy): read beside it, so that the answer
    can say that the sources differ. Taken in ranked order, a copy's passage must also state
    what no copy already taken for such a passage does: of two copies that go on past a
    shortened first copy with the same paragraph, the paragraph is read once. Also returned:
    those of the passages that the first copy lacks altogether (`repeats_passage` finds
    little of them in it: `cap_per_article` counts them as the story's own), and the
    articles passed over for repeating such a passage (they differ from the first copy too,
    so they are no other reporters of it)."""
    first: dict[str, str] = {}
    copies: list[tuple[int, str, str]] = []  # (rowid, its article, its story)
    for rowid, article_id in ranked:
        story = stories.get(article_id)
        if story is not None and first.setdefault(story, article_id) != article_id:
            copies.append((rowid, article_id, story))
    if not copies:
        return set(), set(), set()
    passages = docstore.copy_passages([rowid for rowid, _, _ in copies])
    texts = docstore.article_texts([*(first[story] for _, _, story in copies), *(a for _, a, _ in copies)])
    taken: dict[str, list[str]] = defaultdict(list)  # per story, the copies variants were taken from
    variants: set[int] = set()
    repeating: set[str] = set()
    for rowid, article_id, story in copies:
        if rowid not in passages:
            continue
        text, outlet = passages[rowid]
        if not states_other_facts(text, texts.get(first[story], ""), outlet):
            continue
        others = [other for other in taken[story] if other != article_id]  # its own: no repeat
        if all(states_other_facts(text, texts.get(other, ""), outlet) for other in others):
            variants.add(rowid)
            if article_id not in taken[story]:
                taken[story].append(article_id)
        else:
            repeating.add(article_id)
    firsts = {story: word_shingles(texts.get(first[story], "")) for story in taken}
    more = {
        rowid
        for rowid, _, story in copies
        if rowid in variants and not _repeats(passages[rowid][0], firsts[story])
    }
    return variants, more, repeating


def _repeats(passage: str, article: frozenset[tuple[str, ...]]) -> bool:
    """Whether most of `passage` is told in the article of the given `word_shingles`; a
    passage too short to be matched counts as told (a figure told another way, not more)."""
    shingles = word_shingles(passage)
    return len(shingles) < MIN_SHINGLES or repeats_passage(shingles, article)


TWIN_DEPTH = 20  # candidates passed over that are looked at for a read passage's twin
# a twin's vector is at least this close to its passage's: on the held-out SQuAD training
# articles with edited copies (bench/conflicts.py --articles train/cache/heldout/...) a copied
# paragraph's chunk and its original's are 0.83-0.99 apart in cosine, chunks of two other
# articles at most 0.58; the texts of the few pairs above it are compared
TWIN_COSINE = 0.7


def _with_twins(
    docstore: Any,
    ranked: Sequence[tuple[int, str]],
    chosen: list[int],
    stories: Mapping[str, str],
    vectors: Mapping[int, np.ndarray],
) -> list[int]:
    """`chosen`, each passage followed by a passage of another story passed over that
    repeats it with another number or name (`repeats_passage`, `_differ`): a
    paragraph one outlet copied into its own report with another figure, or the original of
    such a copy. Read beside it, so that the answer can say that the sources differ."""
    taken = set(chosen)
    passed = [(rowid, article) for rowid, article in ranked if rowid not in taken][:TWIN_DEPTH]
    article_of = dict(ranked)

    def story(rowid: int) -> str:
        return stories.get(article_of[rowid], article_of[rowid])

    close = {
        (rowid, twin)
        for rowid, twin in _close_pairs(chosen, [rowid for rowid, _ in passed], vectors)
        if story(rowid) != story(twin)  # a story's own copies: `_variants`
    }
    if not close:
        return chosen
    texts = docstore.copy_passages(list({rowid for pair in close for rowid in pair}))
    shingles = {rowid: word_shingles(text) for rowid, (text, _) in texts.items()}
    originals: dict[str, str] | None = None
    result: list[int] = []
    for rowid in chosen:
        result.append(rowid)
        for twin, article in passed:
            if (rowid, twin) not in close or twin in taken:
                continue
            if rowid in texts and twin in texts and repeats_passage(shingles[rowid], shingles[twin]):
                if originals is None:
                    originals = docstore.article_texts(article_of[r] for pair in close for r in pair)
                if _differ(
                    texts[rowid],
                    texts[twin],
                    originals.get(article_of[rowid], ""),
                    originals.get(article, ""),
                ):
                    result.append(twin)
                    taken.add(twin)
                    break
    return result


def _close_pairs(
    chosen: Sequence[int], passed: Sequence[int], vectors: Mapping[int, np.ndarray]
) -> set[tuple[int, int]]:
    """The (chosen, passed) pairs whose vectors are at least `TWIN_COSINE` alike."""
    chosen = [r for r in chosen if r in vectors]
    passed = [r for r in passed if r in vectors]
    if not chosen or not passed:
        return set()
    matrix = np.stack([vectors[r] for r in [*chosen, *passed]]).astype(np.float32)
    matrix /= np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-12)
    cosines = matrix[: len(chosen)] @ matrix[len(chosen) :].T
    return {(chosen[i], passed[j]) for i, j in zip(*np.nonzero(cosines >= TWIN_COSINE), strict=True)}


def _differ(
    passage: tuple[str, str | None], twin: tuple[str, str | None], article: str, twin_article: str
) -> bool:
    """Whether each of two passages (text, source) that repeat each other states a number or
    name the other's article never does: one figure told two ways, not one passage that
    merely goes on further than its twin."""
    return states_other_facts(twin[0], article, twin[1]) and states_other_facts(
        passage[0], twin_article, passage[1]
    )


def _other_reporters(
    docstore: Any, stories: Mapping[str, str], read: Set[str], differing: Set[str] = frozenset()
) -> dict[str, tuple[str, ...]]:
    """For each article read that tells a story other articles tell too: who else reported
    it (their sources, else their web sites, else their titles), each named once. A copy
    read for stating other facts (`differing`) speaks for itself alone, and is no other
    reporter of the copy it differs from: the answer cites it on its own."""
    told = {article_id: stories[article_id] for article_id in read - differing if article_id in stories}
    members = docstore.story_members(told.values())
    result = {}
    for article_id, story in told.items():
        names: list[str] = []
        own = next((m for m in members.get(story, []) if m[0] == article_id), None)
        for other_id, title, source, url in members.get(story, []):
            name = source or url_host(url) or title
            if other_id in differing or other_id == article_id or name in names:
                continue
            if own is None or name != (own[2] or ""):
                names.append(name)
        if names:
            result[article_id] = tuple(names)
    return result


def dense_similarities(
    query: np.ndarray, passages: np.ndarray, sentences: np.ndarray, sentence_counts: np.ndarray
) -> np.ndarray:
    """Per passage, the mean of its cosine and its best sentence's cosine with the query (0
    for a passage without sentences). `sentences` holds the passages' sentence vectors one
    passage after another, `sentence_counts[i]` of them passage i's: one matrix product for
    all candidates."""
    query = np.asarray(query, np.float32)
    best = np.zeros(len(passages), np.float64)
    if len(sentences):
        cosines = sentences.astype(np.float32, copy=False) @ query
        has = sentence_counts > 0
        starts = (np.cumsum(sentence_counts) - sentence_counts)[has]
        best[has] = np.maximum.reduceat(cosines, starts)
    return 0.5 * (passages.astype(np.float32, copy=False) @ query).astype(np.float64) + 0.5 * best


def elapsed_ms(since: float) -> float:
    """Milliseconds since `since` (a `time.perf_counter()` reading), to two decimals."""
    return round((time.perf_counter() - since) * 1000, 2)
