"""The one place that composes a question's trip: condense → retrieve → answer → verify →
fall back. `answer()` and `stream_answer()` are the library's front door."""

from __future__ import annotations

import logging
import math
import re
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal

import numpy as np

from qa.answering import phrases, references
from qa.answering.answer_types import asks_yes_no, wants_short_answer
from qa.answering.answerer import NOTHING_MORE_TEXT, Answerer, Draft, DraftStream, Restart
from qa.answering.casualties import casualties_asked
from qa.answering.chat import (
    Conversation,
    about_reading,
    be_passive,
    condense_alternatives,
    condense_question,
    is_fragment,
    plain_question,
    pronoun_said_again,
    who_reading,
    without_short_answer,
)
from qa.answering.citations import ClaimStreamer, strip_markers
from qa.answering.idioms import chat_words_reading, plain_words_reading
from qa.answering.language import detect_language, language_name
from qa.answering.metadata import MetadataQuestion, metadata_draft, metadata_question, which_article_draft
from qa.answering.phrases import plain_stem
from qa.answering.reactions import said_reading
from qa.answering.reader import Reader
from qa.answering.reader_answerer import PREFIX, READ_PASSAGES, ReaderAnswerer, plain_stems
from qa.answering.references import THING, bare_descriptions, pronouns
from qa.answering.registry import (
    LEGACY_OFFLINE_NAME,
    AnswererParts,
    find_answerer,
    offline_answerer,
    registered_answerers,
)
from qa.answering.retrieval import Passage, Retrieval, elapsed_ms
from qa.config import Settings, question_problem
from qa.errors import LLMError, QuestionError
from qa.index import Index
from qa.store.keyword import STOPWORDS, content_terms, idf_weights, tokenize
from qa.types import Answer, Filters, Request

NOT_ENGLISH_TEXT = (
    "Please ask in English: this question looks {language}, and the articles are searched and read "
    "with English-only models."
)
EMPTY_INDEX_TEXT = "No articles are indexed yet. Add some with `qa index PATH` (or upload them in the chat)."
NO_MATCH_TEXT = "No passage of the articles matches this question."
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class StreamEvent:
    """One step of a streamed answer.

    `delta`: more answer text; `restart`: discard the text so far (a retried LLM call);
    `notice`: a message for the reader (e.g. a fallback); `answer`: the final `Answer`,
    whose text (with renumbered, verified markers) replaces what was streamed.
    """

    kind: Literal["delta", "restart", "notice", "answer"]
    text: str = ""
    answer: Answer | None = None


class AnswerStream:
    """A question's answer as it is made. Iterate it for `StreamEvent`s, or call
    `finish()` to run it to the end and get the `Answer`. While it streams, `text` is the
    text since the last restart and `notice` the latest notice."""

    def __init__(self, events: Iterator[StreamEvent]) -> None:
        self._events = events
        self.text = ""
        self.notice: str | None = None
        self.answer: Answer | None = None

    def __iter__(self) -> Iterator[StreamEvent]:
        for event in self._events:
            if event.kind == "delta":
                self.text += event.text
            elif event.kind == "restart":
                self.text = ""
            elif event.kind == "notice":
                self.notice = event.text
            elif event.kind == "answer":
                self.answer = event.answer
            yield event

    def finish(self) -> Answer:
        """Run to the end and return the final `Answer`."""
        for _ in self:
            pass
        if self.answer is None:
            raise RuntimeError("the answer stream ended without an answer")
        return self.answer


class QA:
    """An index plus answerers: asks questions of a collection of articles."""

    def __init__(
        self,
        index: Index,
        settings: Settings | None = None,
        abstain_below: float | None = None,
        reader: Reader | Literal["auto"] | None = "auto",
    ) -> None:
        self.index = index
        self.settings = settings or index.settings
        threshold = abstain_below if abstain_below is not None else self.settings.abstain_below
        self.reader = (
            Reader.load(self.settings.models, self.settings.cache_dir) if reader == "auto" else reader
        )
        self._parts = AnswererParts(self.settings, self.reader, self.idf, threshold)
        # the offline answerer: the trained reader; the sentence scorer where none is installed
        self.extractive: Answerer = offline_answerer(self._parts)
        self._chunk_count: tuple[int, int] = (-1, 0)
        # (generation, quote) -> (article id, where the quote starts in it)
        self._quoted: dict[tuple[int, str], tuple[str, int] | None] = {}

    @classmethod
    def open(cls, index_dir: str | Path | None = None, settings: Settings | None = None) -> QA:
        settings = settings or Settings.from_env()
        return cls(Index.open(index_dir, settings, create=False), settings)

    def warm_up(self) -> None:
        """Load the models now (a server does this at start), not on the first question."""
        self.index.embedder.warm_up()
        if self.reader is not None:
            self.reader.warm_up()
        phrases.warm()  # the follow-up rewriter's tagger
        references.warm()  # its census names and places

    def idf(self, stems: Any) -> dict[str, float]:
        """IDF weights of stems over this index's chunks."""
        stems = list(stems)
        generation = self.index.generation()
        if self._chunk_count[0] != generation:
            self._chunk_count = (generation, self.index.counts()["chunks"])
        return idf_weights(stems, self.index.document_frequencies(stems), self._chunk_count[1])

    def answerer(self, model: str | None) -> Answerer:
        """The answerer `model` names in the registry (`qa.answering.registry`): none, or
        "extractive" (the offline answerer's name before the reader was named "reader"), the
        offline one; a registered name, that answerer; else an LLM's for a litellm model id."""
        if not model or model in (LEGACY_OFFLINE_NAME, self.extractive.name):
            return self.extractive
        return find_answerer(model).build(self._parts, model)

    def answerer_names(self) -> list[str]:
        """The answerers to offer a person: the offline one, the other registered ones that
        can run here (not "extractive" where that name means the reader), then `QA_MODEL`."""
        names = [self.extractive.name]
        for entry in registered_answerers():
            shadowed = entry.name == LEGACY_OFFLINE_NAME  # a request by that name gets the offline one
            cannot = entry.model_ids or (entry.cls.needs_reader and self.reader is None)
            if not (shadowed or cannot) and entry.name not in names:
                names.append(entry.name)
        if self.settings.llm_model and self.settings.llm_model not in names:
            names.append(self.settings.llm_model)
        return names

    def answer(
        self,
        question: str,
        history: Sequence[Any] | None = None,
        model: str | None = None,
        k: int | None = None,
        filters: Filters | None = None,
    ) -> Answer:
        """Answer `question` from the index; see `stream` for the meaning of the arguments."""
        return self.ask(Request(question, history, model, k, filters)).finish()

    def stream(
        self,
        question: str,
        history: Sequence[Any] | None = None,
        model: str | None = None,
        k: int | None = None,
        filters: Filters | None = None,
    ) -> AnswerStream:
        """Answer `question`, streaming: `delta` events, then one `answer` event.

        `history`: earlier turns (questions, (question, answer) pairs or chat messages) for
        follow-ups. `model`: a registered answerer's name ("reader", "extractive") or a litellm
        model id; None for `QA_MODEL`, else the offline answerer.
        `k`: passages to retrieve. `filters`: sources, date range, article ids.
        Raises `QuestionError` for an empty or blank question, as every other face refuses it.
        """
        return self.ask(Request(question, history, model, k, filters))

    def ask(self, request: Request) -> AnswerStream:
        """Answer `request`, streaming (what `stream` does, for a request already made)."""
        problem = question_problem(request.question)
        if problem is not None:
            raise QuestionError(problem)
        return AnswerStream(self._events(request))

    def _events(self, request: Request) -> Iterator[StreamEvent]:
        started = time.perf_counter()
        question, k, filters = request.question.strip(), request.k, request.filters
        language = detect_language(question)
        if language != "en":  # the models are English-only: say so, rather than "the articles don't say"
            text = NOT_ENGLISH_TEXT.format(language=language_name(language))
            nothing = Retrieval(question, np.zeros(0, np.float32), [])
            draft = Draft(text, (), True, self.extractive.name)
            yield _finish(question, question, nothing, draft, {}, started)
            return
        model = request.model if request.model is not None else self.settings.llm_model
        answerer = self.answerer(model)
        complete = answerer.complete if answerer.needs_llm else None
        conversation = Conversation.from_history(request.history)
        # "Can you tell me what the dam was built for in the first place?" is read as "What
        # was the dam built for?" (shown as searched for); the answer keeps what was asked
        plain = plain_question(question)
        asked = metadata_question(plain)
        if asked is not None:  # who wrote the article, where, when: its metadata answers
            yield self._metadata_answer(question, asked, conversation, k, filters, started)
            return
        # any follow-up, with a pronoun or without ("How long did the call last?"), keeps to
        # the articles the conversation was answered from, the passage last quoted first
        kept = self.conversation_articles(conversation) if conversation.turns else ()
        place = self.conversation_place(conversation) if kept else None
        conversation = conversation.with_articles([a.text for a in map(self.index.get_article, kept) if a])
        standalone = condense_question(plain, conversation, complete)
        retrieval, read = None, None
        previous = conversation.answered_before()
        if complete is None and answerer.scores_answerability and answerer is self.extractive:
            options = condense_alternatives(plain, conversation, limit=CANDIDATES_JUDGED)
            # a reaction asked as what was said ("How did the minister react?": "What did the
            # minister say?"), an idiom in plain words ("kick in": "take effect"), the other
            # readings too, read where the rule's is answered poorly
            plain_words = {option: paraphrase(option) for option in options}
            worded = {said: option for option, said in plain_words.items() if said is not None}
            first = plain_words[options[0]]
            if first is not None:
                others = [plain_words[option] or option for option in options[1:]]
                options = list(dict.fromkeys([options[0], first, *others]))[:CANDIDATES_JUDGED]
            # a pronoun that may point to more than one referent; or a rewrite, which may be
            # refused where the question as asked is answered (`_most_answerable`)
            if len(options) > 1 or (kept and options[0] != plain and _may_be_read_as_asked(plain)):
                standalone, retrieval, read = self._most_answerable(
                    plain,
                    options,
                    previous,
                    k,
                    filters,
                    kept,
                    place,
                    worded,
                )
        avoid = _avoided(previous, standalone, plain)
        timings = {"condense_ms": elapsed_ms(started)}
        if retrieval is None:
            retrieval = self._retrieve(standalone, k, filters, kept, place)
            if kept:
                retrieval = replace(retrieval, pronoun_for=pronoun_said_again(plain, standalone))
        timings.update(retrieval.timings)
        if not retrieval.passages:
            yield _finish(question, standalone, retrieval, self._empty_draft(), timings, started)
            return
        tick = time.perf_counter()
        notice = None
        try:
            # the reader's answer to the chosen rewrite is already made: not read twice
            drafting = (
                DraftStream([read.text, read]) if read else answerer.stream(standalone, retrieval, avoid)
            )
            # an LLM's raw markers name passages; its deltas are grounded sentence by sentence
            streamer = (
                ClaimStreamer([p.hit for p in retrieval.passages]) if answerer.streams_raw_markers else None
            )
            for item in drafting:
                if isinstance(item, Restart):
                    if streamer is not None:
                        streamer.restart()
                    yield StreamEvent("restart")
                elif isinstance(item, str):
                    piece = streamer.feed(item) if streamer is not None else item
                    if piece:
                        yield StreamEvent("delta", piece)
            draft = drafting.finish()
            if streamer is not None:
                rest, start_over = streamer.finish(draft.text)
                if start_over:
                    yield StreamEvent("restart")
                if rest:
                    yield StreamEvent("delta", rest)
        except LLMError as error:  # a provider or network failure: say so, answer from the articles
            notice = f"{str(error).rstrip('.')}. This answer was extracted from the articles instead."
            yield StreamEvent("restart")
            yield StreamEvent("notice", notice)
            draft = self.extractive.answer(standalone, retrieval, avoid)
            yield StreamEvent("delta", draft.text)
        except Exception:
            log.exception("answering %r with %s failed", question, answerer.name)
            raise  # our bug: an error, not a fallback that hides it
        timings["answer_ms"] = elapsed_ms(tick)
        if notice is None and kept and draft.citations and draft.citations[0].article_id not in kept:
            notice = f"From another article: {draft.citations[0].title}"
        yield _finish(question, standalone, retrieval, draft, timings, started, notice)

    def _metadata_answer(
        self,
        question: str,
        asked: MetadataQuestion,
        conversation: Conversation,
        k: int | None,
        filters: Filters | None,
        started: float,
    ) -> StreamEvent:
        """Answer a question about an article's author, source or date from its metadata.
        The article: the one its topic retrieves first ("the article about ..."), else the
        one the conversation was last answered from, else the only one there is (or the
        only one the filters allow); else the answer asks which article is meant."""
        retrieval = Retrieval(question, np.zeros(0, np.float32), [])
        chosen: str | None = None
        if asked.topic:
            retrieval = self.index.retrieve(asked.topic, k or self.settings.top_k, filters)
            chosen = retrieval.passages[0].hit.article.id if retrieval.passages else None
        elif kept := self.conversation_articles(conversation):
            chosen = kept[0]
        elif filters is not None and len(filters.article_ids or ()) == 1:
            chosen = filters.article_ids[0]
        elif self.index.counts()["articles"] == 1:
            chosen = self.index.titles(limit=1)[0].id
        article = self.index.get_article(chosen) if chosen else None
        if article is not None:
            draft = metadata_draft(asked, article)
        elif self.index.counts()["chunks"] == 0:
            draft = self._empty_draft()
        else:
            draft = which_article_draft()
        return _finish(question, question, retrieval, draft, {}, started)

    def _empty_draft(self) -> Draft:
        """The refusal when no passage matches: the index is empty, or nothing in it matches."""
        text = EMPTY_INDEX_TEXT if self.index.counts()["chunks"] == 0 else NO_MATCH_TEXT
        return Draft(text, (), True, self.extractive.name)

    def conversation_articles(self, conversation: Conversation) -> tuple[str, ...]:
        """The articles the conversation's latest two answers that quote one quote, latest
        first, among its last `KEPT_LOOKBACK` answers (a refusal quotes nothing: the
        conversation keeps its article after "The articles don't say", and forgets it
        after a run of them). A history is text only (an API client sends messages), so
        each is found by its quote: an FTS5 phrase query of the quoted sentence, checked
        against the article's text."""
        places = []
        for text in conversation.answer_texts()[:KEPT_LOOKBACK]:
            place = self._place_quoted(text)
            if place is not None:
                places.append(place)
            if len(places) == 2:
                break
        return tuple(dict.fromkeys(place[0] for place in places))

    def conversation_place(self, conversation: Conversation) -> tuple[str, int] | None:
        """Where the latest answer quoted its article: (article id, offset of the quote)."""
        texts = conversation.answer_texts()
        return self._place_quoted(texts[0]) if texts else None

    def _place_quoted(self, text: str) -> tuple[str, int] | None:
        """(article id, offset) of the first sentence of an answer found in an article."""
        for quote in quoted_sentences(text):
            place = self._article_quoting(quote)
            if place is not None:
                return place
        return None

    def _article_quoting(self, quote: str) -> tuple[str, int] | None:
        key = (self.index.generation(), quote)
        if key not in self._quoted:
            if len(self._quoted) > 1024:
                self._quoted.clear()
            terms = tokenize(quote)[:QUOTE_TERMS]
            rowids = self.index.store.docstore.keyword_search('"' + " ".join(terms) + '"', 3)
            chunks = self.index.load_chunks(rowids).values()
            self._quoted[key] = next(
                ((c.article.id, c.article.text.find(quote)) for c in chunks if quote in c.article.text), None
            )
        return self._quoted[key]

    def _retrieve(
        self,
        query: str,
        k: int | None,
        filters: Filters | None,
        kept: Sequence[str],
        place: tuple[str, int] | None = None,
    ) -> Retrieval:
        """Retrieval for `query`; with `kept` (the conversation's articles), their passages
        go first among those the reader reads (its rank prior then favours them a little:
        a clearly better answer elsewhere still wins), fetched for the purpose when none
        was retrieved; with `place`, the passage the latest answer quoted first among them
        (a conversation moves through its article: what comes next is often close by)."""
        retrieval = self.index.retrieve(query, k or self.settings.top_k, filters)
        if not kept or not retrieval.passages:
            return retrieval
        own = [p for p in retrieval.passages if p.hit.article.id in kept]
        if not own and (filters is None or filters.is_empty()):
            own = self.index.retrieve(query, 1, Filters(article_ids=tuple(kept))).passages
        if not own:
            return retrieval
        if place is not None:  # the passage the latest answer quoted comes first among them
            own.sort(key=lambda p: not _holds(p, place))
        # up to four of them are read first (a conversation is mostly about its article:
        # "Did the attack disrupt care at the hospitals?" is answered by its article's fourth
        # passage, ranked seventh behind other articles' passages); the others stay where
        # retrieval ranked them ("How many times did Denver's defense sack him?" is answered
        # by the passage ranked first, which the one quoted last had pushed third)
        first = own[:KEPT_PASSAGES]
        chosen = {p.hit.chunk.id for p in first}
        passages = first + [p for p in retrieval.passages if p.hit.chunk.id not in chosen]
        return replace(
            retrieval, passages=passages[: max(len(retrieval.passages), READ_PASSAGES)], kept=tuple(kept)
        )

    def _most_answerable(
        self,
        question: str,
        options: Sequence[str],
        previous: Sequence[str],
        k: int | None,
        filters: Filters | None,
        kept: Sequence[str] = (),
        place: tuple[str, int] | None = None,
        worded: Mapping[str, str] | None = None,
    ) -> tuple[str, Retrieval, Draft]:
        """The rewrite the articles answer best: the reader's answerable probability, plus
        `NAMED_IN_ANSWER` where the sentence it answers from names the referent put in (the
        answer to "When did he announce his march?" should be about the man who marched);
        the rule's first choice unless another is clearly better; with its retrieval and
        the reader's answer to it. The rule's reading answered well (`ANSWERED_WELL`) ends
        the search: a follow-up then costs one reading, else two (of the other readings, the
        one whose passages match it best is read), or three where the rule's reading has one
        in plain words (`worded`: a reading of `paraphrase`, by the reading it puts so),
        read too; a yes/no reading in plain words counts only where its sentence says them.
        The question as asked, read first and answered well, costs two: the likeliest
        reading that says more of what it is about (`_names_more`) is read too, and shown
        (with its answer and confidence) only where its answer is the same text.
        An idiom of the rule's reading is put plainly and read however well the words as
        asked are answered (they are read literally), and needs only `IDIOM_MARGIN` more.
        Where every reading is refused, the question as asked is read too (an ellipsis as
        what it asks about, `_as_asked`), the conversation's articles (`kept`) first, unless
        it has a pronoun of a person or of many (`_may_be_read_as_asked`)."""
        reader = self.extractive
        assert isinstance(reader, ReaderAnswerer)
        worded = worded or {}  # a reading in plain words: the reading it puts so
        # whether anyone did something is read as who did, however well a sentence settles it
        whom = who_reading(options[0])
        idiomatic = plain_words_reading(options[0]) is not None or whom is not None
        scored: list[tuple[float, int, str, Retrieval, Draft]] = []

        def judge(position: int, retrieval: Retrieval) -> float:
            option = options[position]
            # another reading is read over fewer passages (the reader was trained over three)
            read = (
                retrieval
                if position == 0
                else replace(retrieval, passages=retrieval.passages[:OTHER_PASSAGES])
            )
            read = replace(read, pronoun_for=pronoun_said_again(question, option))
            # the question as asked, read after its rewrites, is a follow-up still: it does
            # not answer again what was answered
            asked_again = position and option == question and wants_short_answer(option)
            avoid = previous if asked_again else _avoided(previous, option, question)
            draft = reader.answer(option, read, avoid)
            # a reading the reader refused (its sentence does not hold what was asked) is
            # no better than nothing found, however answerable its passages looked
            answerable = 0.0 if draft.abstained else draft.confidence
            quote = draft.citations[0].quote if draft.citations else ""
            if (
                option in worded
                and asks_yes_no(option)
                and not _says_plain_words(option, worded[option], quote)
            ):
                answerable = 0.0  # "Is he going to resign?" settled by a sentence that says no resigning
            # who did it, from a sentence that says it was done ("Who voted against the ban?":
            # "Councillor Aisha Rahman, who voted against the ban"), is the answer to whether
            # anyone did, and beats the sentence that settled it; from another, it is none
            asked_whom = whom is not None and worded.get(option) == options[0] and not asks_yes_no(option)
            if asked_whom and not _says_what_was_done(option, quote, draft.short_answer or ""):
                answerable = 0.0
            if quote and names_the_referent(option, options, quote, question):
                answerable += NAMED_IN_ANSWER * draft.confidence  # an unlikely answer gains little
            # another reading must be clearly better than an answered rule's reading; any
            # answer beats the rule's refusal
            # an idiom put plainly is read as an equal: the words as asked are read literally
            # ("What got out of the zoo?" answered "an internal review", "What escaped from
            # the zoo?" "jaguar")
            plainly_put = option in worded and worded[option] == options[0] and idiomatic
            margin = 0.0
            if position and not scored[0][4].abstained:
                margin = IDIOM_MARGIN if plainly_put else CLEARLY_BETTER
                if asked_whom and answerable >= ANSWERED_WELL:
                    margin = -1.0
            scored.append((answerable - margin, -position, option, retrieval, draft))
            return answerable

        first = judge(0, self._retrieve(options[0], k, filters, kept, place))
        quote = scored[0][4].citations[0].quote if scored[0][4].citations else ""
        # the sentence answering the rule's reading names another reading's referent and not
        # its own ("When did Lukashenko announce his march?" answered of Prigozhin's march)
        about = [
            n
            for n in range(1, len(options))
            if quote and names_the_referent(options[n], options, quote, question)
        ]
        # a description the answering sentence itself says ("Did the mayor accept the
        # result?" answered "The outgoing mayor, Per Holm, conceded") is the articles' own:
        # no reading of it as another's ("the mayor of the Green Party") is tried
        qualified = [
            (phrase, noun)
            for phrase, noun in bare_descriptions(question)
            if any(f"{phrase} of " in option for option in options[1:])
        ]
        described = options[0] == question and bool(quote) and said_by(qualified, quote)
        answered_well = first >= ANSWERED_WELL or described
        elsewhere = bool(about) and not names_the_referent(options[0], options, quote, question)
        if not answered_well or elsewhere or idiomatic:
            # (else the rule's reading stands: another beat it, on the conversation sets, only
            # where it was answered poorly.) The other reading read: the one its answer is
            # about, else the one whose passages match it best
            others = [
                (n, self._retrieve(options[n], k, filters, kept, place)) for n in range(1, len(options))
            ]
            # the question in plain words before any other ("What did the minister say?")
            others.sort(
                key=lambda pair: (
                    pair[0] not in about,
                    worded.get(options[pair[0]]) != options[0],
                    -_best_dense(pair[1]),
                )
            )
            # the rule's reading in plain words is read beside the likeliest other of another
            # referent, never in its place ("When did Olsen resign?" is still read for "he");
            # the same with a topic attached is no other referent
            plainly = any(worded.get(options[n]) == options[0] for n, _ in others)
            if plainly:
                others = others[:1] + [
                    (n, r)
                    for n, r in others[1:]
                    if not _with_a_topic(worded.get(options[n], options[n]), options[0])
                ]
            if answered_well and not elsewhere:  # read for its idiom alone: the idiom put plainly
                others = [(n, r) for n, r in others if worded.get(options[n]) == options[0]]
            for position, retrieval in others[: ALTERNATIVES - 1 + plainly]:
                judge(position, retrieval)
        elif options[0] == question and len(options) > 1 and not scored[0][4].abstained:
            # the question as asked, answered well, is a follow-up still: the reading that
            # says what it is about and matches its passages best is read too, and shown
            # where it is answered alike ("How did the crew of Apollo 13 get back?"), never
            # for a better score: an answered question as asked stands, as above; the words
            # put plainly name nothing more
            named = [n for n in range(1, len(options)) if _names_more(options[n], options[0], worded)]
            if named:
                others = [(n, self._retrieve(options[n], k, filters, kept, place)) for n in named]
                judge(*max(others, key=lambda pair: _best_dense(pair[1])))
                scored[-1] = (-math.inf, *scored[-1][1:])
        if (
            kept
            and all(item[4].abstained and item[4].text != NOTHING_MORE_TEXT for item in scored)
            and (as_asked := _as_asked(question)) is not None
            and as_asked not in options
        ):
            # every reading refused, none for saying nothing more than an earlier answer
            # ("What must happen before Gavi can buy Belgium?"): the
            # question as asked, the conversation's articles first, may be answered where no
            # referent put in fits ("... buy it?": the vaccine the article is about)
            options = [*options, as_asked]
            judge(len(options) - 1, self._retrieve(as_asked, k, filters, kept, place))
        best = max(scored, key=lambda item: (item[0], item[1]))
        if best is scored[0] and options[0] == question:
            # the question as asked gives way to a reading answered alike that says what it
            # is about
            alike = [
                item
                for item in scored[1:]
                if not item[4].abstained
                and item[4].text == best[4].text
                and _names_more(item[2], options[0], worded)
            ]
            best = alike[0] if alike else best
        # the rule's rewrite given the same answer as the one chosen: the articles do not
        # tell the two apart, the rule's reading of the words does ("How old was it?" after
        # "What happened to the library in Brennby?" is of the library, though the reader
        # finds "How old was Brennby?" the more answerable, both answered "140"); the
        # question as asked, read first, gives way to a rewrite that says what it is about;
        # so does the rule's where the answer's sentence names what the chosen reading put
        # in and not its own ("When did he announce his march?" of Prigozhin, not Lukashenko)
        rule = scored[0]
        said = best[4].citations[0].quote if best[4].citations else ""
        if (
            best is not rule
            and rule[2] != question
            and not rule[4].abstained
            and rule[4].text == best[4].text
            and not (
                names_the_referent(best[2], options, said, question)
                and not names_the_referent(rule[2], options, said, question)
            )
        ):
            best = rule
        _, _, chosen, retrieval, draft = best
        return chosen, retrieval, draft


# answers looked back over for the conversation's articles: two refusals in a row keep it
KEPT_LOOKBACK = 4
CLEARLY_BETTER = 0.1  # how much more answerable another referent must make the question
# how much more answerable an idiom put plainly must be than the words as asked, answered
# ("What got out of Westbrook Zoo?": "an internal review" 0.94, "What escaped ...?" 0.996)
IDIOM_MARGIN = 0.05
# the reader's answerability at which the rule's reading is taken without reading another
# (on the dev conversations no reading that beat a rule's answered this well was better)
ANSWERED_WELL = 0.5
# rewrites of a follow-up read: the rule's choice and the likeliest other referent (on the
# conversation set a third never won; each costs a reading: the latency bar is 2x a question)
ALTERNATIVES = 2
# readings of a follow-up retrieved for (a retrieval is cheap beside a reading): the other
# one read is the one whose passages match it best
CANDIDATES_JUDGED = 3
# passages another reading is read over: a follow-up read twice costs about 1.6 readings
OTHER_PASSAGES = 3


def paraphrase(question: str) -> str | None:
    """`question` in the words articles use: a reaction asked as what was said ("How did
    the minister react?" → "What did the minister say?"), idioms put plainly ("When do the
    new prices kick in?" → "... take effect?"), whether anyone did something asked as who
    did ("Did anyone vote against it?" → "Who voted against it?"; never whether anyone was
    hurt, `qa.answering.casualties`), a chat's words in a
    story's ("kids": "children"); None where it has no other words."""
    said = said_reading(question)
    plain = plain_words_reading(said or question) or said
    plain = be_passive(plain) if plain is not None else None  # "Did he get sacked?": "Was he sacked?"
    # (never of harm: "Was anyone hurt?" is answered by the sentence that tells of it,
    # "Eleven people were taken to hospital", not "Who was hurt?" by "No one was seriously hurt")
    who = None if casualties_asked(plain or question) else who_reading(plain or question)
    plain = be_passive(who) if who is not None else plain  # "Who got sacked?": "Who was sacked?"
    # and a chat's words in a story's ("Which jab hadn't the kids had?": vaccine, children)
    return chat_words_reading(plain or question) or plain


def _names_more(reading: str, asked: str, worded: Mapping[str, str]) -> bool:
    """Whether `reading` says more of what a follow-up `asked` is about than its words do:
    not the same words put plainly (`worded`), nor a whole earlier question attached as its
    topic ("..., regarding whether the club is paying the manager off?"), which names
    nothing."""
    topic = reading.partition(", regarding ")[2]
    return worded.get(reading) != asked and not (topic and _QUESTION_START.match(topic))


# an earlier question attached as a topic, said as inside a sentence, is lower-cased ("...,
# regarding whether the club is paying ...?"); a name is not ("..., regarding Will Smith?")
_QUESTION_START = re.compile(rf"(?:whether|{references.QUESTION_OPENERS})\b")


def _with_a_topic(reading: str, asked: str) -> bool:
    """Whether `reading` is `asked` with a topic attached ("..., regarding Valmora?")."""
    return reading.startswith(asked.strip().rstrip("?.! ") + ", regarding ")


def _says_plain_words(reading: str, asked: str, quote: str) -> bool:
    """Whether `quote` says the words `reading` put a question `asked` in ("resign" of "Is
    he going to resign?" for "... step down?"): a yes/no question in plain words is settled
    only by a sentence that says them."""
    put = plain_stems(reading) - plain_stems(asked)
    return not put or bool(put & plain_stems(quote))


# what "Who ...?" asks was done ("Who voted", "Who has died", "Who was hurt")
_WHO_DID = re.compile(
    r"^who(?:\s+else)?\s+(?:(?:is|was|has|had|will|would|can|could)\s+)?"
    r"(?:(?:have|been|being|be|got|going\s+to|trying\s+to)\s+)*(?P<done>[\w'’-]+)",
    re.I,
)


def _says_what_was_done(reading: str, quote: str, who: str) -> bool:
    """Whether `quote` says `who` did what a "Who ...?" `reading` asks was done, the verb
    within a few words after the answer ("Councillor Aisha Rahman, who voted against the
    ban" of "Who voted against the ban?", "Kevin Doyle and Ray Atkins also left" of "Who
    else left with him?"); never of the one who said so ("Two people died during the
    evacuation, said Yosef Bataona" is not who died)."""
    match = _WHO_DID.match(reading)
    at = quote.find(who) if who else -1
    if match is None or at < 0:
        return False
    after = quote[at + len(who) :].split()[:DONE_WITHIN]
    return plain_stem(match["done"].lower()) in plain_stems(" ".join(after))


# words after who did it within which the verb says so ("Rahman, who voted ...")
DONE_WITHIN = 5


def _may_be_read_as_asked(question: str) -> bool:
    """Whether a follow-up whose rewrites were refused may be read as asked: one with no
    pronoun, or only "it" ("Will the trust pay up?", "... before Gavi can buy it?"). Never
    one with "he", "she" or "they", "there", "this" or "then", nor a fragment ("When?"): a
    rewrite is refused where the sentence is about someone else, and an unresolved "his"
    fits anyone ("What is his wife's name?" would be answered with another man's wife)."""
    if _LEANS.search(question) or is_fragment(question) or not content_terms(question):
        return False  # "How many people live there?", "When?": as unresolved as "his"
    return all(p in THING for p in pronouns(question))


def _as_asked(question: str) -> str | None:
    """A follow-up whose rewrites were all refused, as it may still be read: itself where
    `_may_be_read_as_asked`, an ellipsis as what it asks about (`about_reading`: "And the
    farmers?" is read "What about the farmers?"); else None."""
    about = about_reading(question)
    return about if about is not None else question if _may_be_read_as_asked(question) else None


# words that point back as a pronoun does ("there", "this", "then")
_LEANS = re.compile(r"\b(?:there|this|that|these|those|then)\b", re.I)


def _avoided(previous: Sequence[str], standalone: str, question: str) -> Sequence[str]:
    """What a follow-up must not answer again: the conversation's earlier answers, unless
    it is a question answered by a sentence ("Was he a Protestant?", "Why?"), which the
    sentence quoted before may well settle."""
    if standalone == question or not wants_short_answer(standalone):
        return ()
    return previous


def _holds(passage: Passage, place: tuple[str, int]) -> bool:
    """Whether `passage` holds the place (article id, offset) an answer quoted."""
    chunk = passage.hit.chunk
    return chunk.article_id == place[0] and chunk.start <= place[1] < chunk.end


def _best_dense(retrieval: Retrieval) -> float:
    """How closely the passages the reader would read match the query (dense cosine)."""
    return max((p.dense_score for p in retrieval.passages[:READ_PASSAGES]), default=0.0)


KEPT_PASSAGES = 4  # of a follow-up's passages, at most this many from the conversation's articles first
QUOTE_TERMS = 16  # words of an earlier answer's quote searched for to find its article


def quoted_sentences(text: str) -> list[str]:
    """The sentences an extractive answer quotes (its bold short answer and markers
    removed), longest first; an LLM's own wording finds no article, as it should."""
    plain = without_short_answer(strip_markers(text))
    sentences = [s.strip() for s in re.split(r"(?<=[.!?])\s+", plain)]
    return sorted((s for s in sentences if len(tokenize(s)) >= 6), key=len, reverse=True)


NAMED_IN_ANSWER = 0.5


def said_by(descriptions: Sequence[tuple[str, str]], quote: str) -> bool:
    """Whether `quote` says the noun of each of `descriptions` (from `bare_descriptions`),
    not of something else: "mayor" of "the mayor" in "The outgoing mayor, Per Holm,
    conceded", never in "The mayor of Bergen, ..."; False for none."""
    text = quote.lower()
    # the noun of someone there, never of another ("The mayor of Bergen, Kari Lund, ...")
    return bool(descriptions) and all(
        re.search(rf"(?<!\w){re.escape(noun)}(?!\w)(?!\s+of\b)", text) for _, noun in descriptions
    )


def names_the_referent(option: str, options: Sequence[str], quote: str, asked: str = "") -> bool:
    """Whether `quote` names what `option` put in for the pronoun: a word of `option` that
    the other rewrites lack (by its first five letters), a name or a common noun ("the
    fishermen" as much as "Varnholm"); of each rewrite only the words it put in, not those
    `asked` already said ("Who painted the painting?" puts in "painting", which "Who painted
    the auction record?" lacks, though both say "painted"), by a word of `quote` not
    `asked` either."""
    said = set(_words(asked))
    others = {key for other in options if other != option for key in _word_keys(other, said)}
    own = [key for key in _word_keys(option, said) if key not in others]
    # a key the question's own words share ("paint" of "painted") names only as the whole
    # word put in ("painting", never "painter")
    shared = _word_keys(asked)
    put_in = [w for w in _words(option) if w not in said]
    patterns = [
        re.escape(next((w for w in put_in if w.startswith(key)), key)) + r"(?!\w)"
        if key in shared
        else re.escape(key)
        for key in own
    ]
    # by a word of the quote that is not the question's own ("discovered" of "Who else
    # discovered it?" names no "discovery")
    text = re.sub(
        r"[\w'’-]+", lambda word: " " if word.group().lower() in said else word.group(), quote.lower()
    )
    return any(re.search(r"(?<!\w)" + pattern, text) for pattern in patterns)


def _words(text: str) -> list[str]:
    return re.findall(r"[\w'’-]+", text.lower())


def _word_keys(text: str, said: set[str] | frozenset[str] = frozenset()) -> set[str]:
    """The first five letters of each word of `text` that is no stopword, numbers whole;
    none of the words `said`."""
    return {
        w if w[0].isdigit() else w[:PREFIX]
        for w in _words(text)
        if w not in STOPWORDS and len(w) > 2 and w not in said
    }


def _finish(
    question: str,
    standalone: str,
    retrieval: Retrieval,
    draft: Draft,
    timings: dict[str, float],
    started: float,
    notice: str | None = None,
) -> StreamEvent:
    timings["total_ms"] = elapsed_ms(started)
    reporters = {p.hit.article.id: p.hit.also_reported_by for p in retrieval.passages}
    citations = tuple(  # a syndicated story: who else reported it
        replace(c, also_reported_by=reporters[c.article_id]) if reporters.get(c.article_id) else c
        for c in draft.citations
    )
    answer = Answer(
        question=question,
        text=draft.text,
        citations=citations,
        hits=tuple(p.hit for p in retrieval.passages),
        abstained=draft.abstained,
        model=draft.model,
        timings=timings,
        notice=notice,
        standalone_question=standalone if standalone != question else None,
        score=round(draft.confidence, 4),
        unsupported=draft.unsupported,
        short_answer=draft.short_answer,
        alternatives=draft.alternatives,
    )
    return StreamEvent("answer", answer=answer)


_DEFAULT: dict[str, QA] = {}
_DEFAULT_LOCK = threading.Lock()


def default_qa(index_dir: str | Path | None = None) -> QA:
    """A QA over the default (or given) index, opened once and kept with its model loaded."""
    key = str(Path(index_dir).resolve()) if index_dir else ""
    with _DEFAULT_LOCK:
        if key not in _DEFAULT:
            _DEFAULT[key] = QA.open(index_dir)
        return _DEFAULT[key]


def answer(
    question: str,
    history: Sequence[Any] | None = None,
    model: str | None = None,
    k: int | None = None,
    filters: Filters | None = None,
    index_dir: str | Path | None = None,
) -> Answer:
    """Answer `question` from the default index (`QA_INDEX_DIR` or `index/`).

    Every `[n]` in `Answer.text` resolves to `Answer.citations[n-1]`, whose `quote` is the
    exact supporting text of the article. The index and model load on the first call.
    """
    return default_qa(index_dir).answer(question, history, model, k, filters)


def stream_answer(
    question: str,
    history: Sequence[Any] | None = None,
    model: str | None = None,
    k: int | None = None,
    filters: Filters | None = None,
    index_dir: str | Path | None = None,
) -> AnswerStream:
    """Like `answer`, streaming `StreamEvent`s; the last one carries the `Answer`."""
    return default_qa(index_dir).stream(question, history, model, k, filters)
