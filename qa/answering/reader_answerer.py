"""The default offline answerer: the trained reader picks the short answer across the top
passages; the answer leads with it, then quotes the sentence that holds it, verbatim, cited:
"**310 million euros**. The final bill came to 310 million euros. [1]". It refuses when the
reader finds no passage answerable."""

from __future__ import annotations

import math
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date

import numpy as np

from qa.answering.answer_types import (
    ASKS_WHO,
    AnswerType,
    asks_yes_no,
    classify_question,
    fits_the_question,
    measures,
    offers_answer_type,
    unit_cut_off,
    wants_short_answer,
)
from qa.answering.answerer import ABSTAIN_TEXT, NOTHING_MORE_TEXT, Answerer, Draft, DraftStream
from qa.answering.casualties import casualties, casualties_asked, tells_of_casualties, with_the_harm_before
from qa.answering.citations import article_citation, citation_for, strip_markers
from qa.answering.conflicts import differing_choices, supporting
from qa.answering.dates import (
    CALENDAR_WORDS,
    MONTH_NAMES,
    NUMBER_WORDS,
    article_date,
    format_date,
    names_calendar_date,
    publication_date,
    resolved_label,
)
from qa.answering.judge import Judge
from qa.answering.phrases import VERB_FORMS, is_common_word, lexicon_tag, plain_stem, tagged
from qa.answering.precedents import asks_precedent, precedent, tells_of_a_precedent, with_its_date
from qa.answering.reader import PassageInput, Reader, ReaderSpan, Reading
from qa.answering.references import (
    HE,
    SHE,
    head_word,
    is_country,
    is_first_name,
    list_items,
    looks_like_person,
    names,
    one_entity,
    pronoun_gender,
    pronouns,
)
from qa.answering.registry import AnswererParts, register_answerer
from qa.answering.retrieval import Passage, Retrieval
from qa.answering.sentence_scores import IdfLookup, score_sentences
from qa.answering.story_sentences import Found, says_an_earlier_year
from qa.ingest.chunking import chunk_id
from qa.ingest.sentences import count_words, is_heading, split_sentences, whole_quotation
from qa.store.keyword import content_terms, stem
from qa.text import fold, normalize_answer
from qa.types import Alternative, Article, Citation

READ_PASSAGES = 5  # passages the reader reads per question (of the retrieval's top k)
# how much more a follow-up's spans from its conversation's articles weigh (nats): "How tall
# is the tower?" in a conversation about a bridge is the bridge's tower, not one of another
# article that the reader scores a little higher (no turn of the conversation sets changed at
# 1.0 or 2.0)
KEPT_PRIOR = 1.0
# a doubtful answer (answerable under DOUBTFUL) from a sentence holding under SUPPORTED_SHARE
# of the question's terms (IDF-weighted) is refused. Chosen on SQuAD dev questions whose
# answer sentences were cut out (`bench/answer_gone.py --seed 1 --n 200`: refused 0.50 ->
# 0.63, intact 0.125 -> 0.13) against 1,600 of its questions with every article (seed 1:
# answerable refused 0.067 -> 0.090, most of them answered wrongly before); 0.3 refused more
# of both (0.69; 0.109)
DOUBTFUL = 0.15
# how much the sentence ranker's score of a span's sentence (`sentence_scores.score_sentences`,
# about 0.3-1.5) weighs beside the reader's span score (nats): the reader picks spans well
# within a sentence, the ranker sentences about as well as the reader across passages, and
# together they pick better. SQuAD dev, 1,600 questions of seed 1, paired with 0: cited
# sentence contains +0.009 (standard error 0.004), EM +0.008 (0.003) at 10; 1: +0.001,
# 3: +0.001, 20: +0.008 / +0.006, 40: +0.005 / +0.002
SENTENCE_WEIGHT = 10.0
SUPPORTED_SHARE = 0.3
# a follow-up answered from an article the conversation was not answered from needs a
# sentence holding at least this share of its terms, however sure the reader is: "How long
# did the call last?" after questions about Prigozhin's call was answered "5–10 million
# years" from an article about the Amazon ("Within the last 5–10 million years")
SUPPORTED_ELSEWHERE = 0.5
# a sentence's best span, taken where every span among the windows' best was ruled out
# ("Bekele's time" for "What was Faith Chebet's time?"), needs a sentence holding at least
# this share of the question's terms: "Bank of America launched ..." does not answer "Who
# created the first successful credit card?" because "its creator" was no answer
FALLBACK_SUPPORTED = 0.5
# a sentence opening so says its fact only with the one before it (for the sentence judge)
_LEANS_ON_BEFORE = re.compile(
    r"^[\"“‘']?(?:That|This|These|Those|It|He|She|They|His|Her|Its|Their|But|And|So|Such|Both|The latter)\b"
)
_ENDS_SENTENCE = re.compile(r"[.!?][\"”’')\]]*$")
_ASKS_GIST = re.compile(
    r"^\s*what\s+(?:does|do|did)\s+(?:“[^”]+”|\"[^\"]+\"|the\s+(?:article|story|report|piece))\s+"
    r"(?:report|say|cover)\b",
    re.I,
)
# a name (a capitalised word after the first) or a number in a question
_NAME_OR_NUMBER = re.compile(r"(?<=\s)[\"“‘'(]?([A-Z][\w’'-]*|\d[\d,.:/-]*\d|\d)")
_NUMBER_NAMES = {str(value): word for word, value in NUMBER_WORDS.items()}  # "8": "eight"
_NOT_NAMES = {"i", "i'm", "i’m", "i've", "i’ve", "i'd", "i’d"}
_COUNTING = re.compile(r"\bhow (?:many|much)\b", re.I)
NUMBER = AnswerType.NUMBER
PREFIX = 5  # "Victorians" is found as "Victoria", "Russia's" as "Russia"
# what a short answer never starts or ends with (a closing parenthesis whose opening one is
# inside stays; so does the full stop of an abbreviation such as "U.S.")
_EDGE = " \t\n,;:!?\"'“”‘’«»()[]—–-"
_QUOTES = '"“”«»'
# a span that starts with one of these is a dangling clause ("said the chair, Ingrid Sæther")
_DANGLING = re.compile(
    r"(?:said|says|told|tells|added|according|and|but|or|which|who|whom|whose|that|because|while)\b", re.I
)
# a count and its unit, where the unit is never the thing a "how many X" question counts
# unless X is that unit ("How many turbines?" is not answered by "22 years"); a share is
# not among them: "42%" of teachers answers "How many teachers felt stress?"
_COUNT_UNIT = re.compile(
    r"(?:\d[\d,.]*|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|"
    r"thirty|forty|fifty|hundred|thousand|million|dozen)\b)\s*-?\s*(?P<unit>years?|months?|weeks?|"
    r"days?|hours?|minutes?|seconds?|decades?|centuries|century|km|kilomet(?:re|er)s?|"
    r"miles?|met(?:re|er)s?|feet|foot|kg|kilograms?|tonnes?|tons?|euros?|dollars?|pounds?|kroner|yen|yuan)"
    r"(?!\w)",
    re.I,
)
# a clause hanging off the end of a span: "June 23, when he announced the start of his march";
# "Shoigu should be removed from office, that Wagner affairs" (a list of that-clauses cut
# inside its second)
_TRAILING_CLAUSE = re.compile(
    r",\s+(?:when|who|whom|whose|which|that|where|while|because|after|before|as|and|but|said|says|according)\b"
)
# the rest of a parenthesis a span opened: "(220 m" + "))" within a few words, no sentence end
_CLOSING = re.compile(r"[^().!?;\n]{0,24}\)")
_HOW_MANY = re.compile(r"\bhow many\s+([a-z]+)", re.I)
# a question about the present state of things: among about equally likely answers, the
# one from the newest article wins, and the answer says the date it is from
_LATEST = re.compile(
    r"\b(?:latest|most recent(?:ly)?|newest|now|currently|current|at present|these days)\b", re.I
)
# how much less likely (in log probability: the reader's span scores) an answer from a newer
# article may be than the best one and still be preferred by a "latest" question: a third as
# likely
RECENT_TOLERANCE = math.log(3)


@dataclass(frozen=True)
class Choice:
    """The span chosen to answer with, the passage it is in and its sentence's offsets
    into the article."""

    span: ReaderSpan
    passage: Passage
    sentence_start: int
    sentence_end: int


# the end of a sentence before a word; never an abbreviation ("Norway vs. Sweden")
_SENTENCE_END = re.compile(
    r"(?:[?!]|\b(?!(?:vs|etc|incl|approx|esp|cf|ca|al|no|nos|vol|pp)\.)[a-z]{2,}\.)\s+$"
)


def names_and_numbers(question: str) -> list[str]:
    """The capitalised words after the first, and the numbers, of `question`."""
    rest = " " + question.strip().partition(" ")[2]  # the first word is capitalised anyway
    tokens = (
        m.group(1).rstrip(".,:/-’'")
        for m in _NAME_OR_NUMBER.finditer(rest)
        # nor is the first of a second sentence ("... has two layers below it. What are they?")
        if not (m.group(1)[0].isupper() and _SENTENCE_END.search(rest[: m.start()]))
    )
    return [t for t in tokens if t and t.lower() not in _NOT_NAMES]


_FOLDED: OrderedDict[tuple[str, str, int], tuple[str, str]] = OrderedDict()
_FOLDED_KEPT = 256
_FOLDED_LOCK = threading.Lock()


def folded_article(article: Article) -> tuple[str, str]:
    """The article's title and text folded (`fold`), remembered by the article's id, content
    hash and length, so a text is folded once a question and once across questions."""
    # an article made in memory (no hash) by its text
    key = (article.id, article.content_hash or article.text, len(article.text))
    with _FOLDED_LOCK:  # the servers answer from several threads
        if key in _FOLDED:
            _FOLDED.move_to_end(key)
            return _FOLDED[key]
    both = (fold(article.title), fold(article.text))
    with _FOLDED_LOCK:
        _FOLDED[key] = both
        if len(_FOLDED) > _FOLDED_KEPT:
            _FOLDED.popitem(last=False)
    return both


def folded_articles(passages: Sequence[Passage]) -> tuple[str, str]:
    """The titles and the texts of the articles of `passages`, each folded once (`fold`)."""
    articles = {p.hit.article.id: p.hit.article for p in passages}.values()
    titled = [folded_article(a) for a in articles]
    return "\n".join(title for title, _ in titled), "\n".join(text for _, text in titled)


def missing_names(names: Sequence[str], text: str, raw: str = "") -> list[str]:
    """The `names` (from `names_and_numbers`) that the folded `text` does not mention: a
    name by its first five letters, at the start of a word; a number whole, or in words
    ("8" as "eight"); an acronym also spelled out in `raw`, the text unfolded ("EU": "the
    European Union"). The reader judges
    whether a passage answers a question; it cannot know that "the 2022 FIFA World Cup" is
    nowhere in a collection about something else, and then picks the likeliest span anyway."""
    missing = []
    for token in names:
        if token[0].isdigit():
            found = re.search(r"(?<![\d.,])" + re.escape(token) + r"(?![\d]|[.,]\d)", text)
            word = _NUMBER_NAMES.get(token)
            if found is None and word is not None:
                found = re.search(rf"(?<!\w){word}(?!\w)", text)
        elif raw and _ACRONYM.fullmatch(token):
            # in capitals, never as a word ("WHO" is not "who", "US" not "us"), or spelled out
            # ("EU": "the European Union"), or of four letters or more as a name ("Nato")
            found = re.search(_dotted(token), raw) or re.search(spelled_out(token), raw)
            if found is None and len(token) >= 4:  # "Nato", "Fifa" in some house styles; never "Who"
                found = re.search(rf"(?<!\w){token.capitalize()}(?!\w)", raw)
        else:
            key = fold(token)[:PREFIX]
            found = re.search(
                r"(?<!\w)" + re.escape(key) + (r"" if len(token) >= PREFIX else r"(?!\w)"), text
            )
        if found is None:
            missing.append(token)
    return missing


_ACRONYM = re.compile(r"[A-Z]{2,5}")
# words an acronym's letters skip ("UoL": University of Leiden; "USA": United States of America)
_SKIPPED = r"(?:(?:of|the|and|for|de|du|der)\s+)*"


def _dotted(acronym: str) -> str:
    """A pattern for an acronym in capitals, with or without full stops ("US", "U.S.")."""
    return r"(?<!\w)" + r"\.?".join(re.escape(letter) for letter in acronym) + r"(?![^\W_])"


def spelled_out(acronym: str) -> str:
    """A pattern for the capitalised words an acronym stands for: "EU" finds "European
    Union", "WHO" "World Health Organization", "USA" "United States of America"."""
    letters = [re.escape(letter) + r"[\w'-]*" for letter in acronym]
    return r"(?<!\w)" + (r"\s+" + _SKIPPED).join(letters) + r"(?!\w)"


# words of a question no article need say: indefinite pronouns ("Was anyone hurt?"), the
# word a follow-up's topic is attached with ("..., regarding Kettla?") and words of speech that
# say nothing of the thing asked ("Why is the ash such a problem for planes anyway?")
_NOT_CONTENT = frozenset(
    {
        "actually",
        "anyway",
        "exactly",
        "ok",
        "okay",
        "really",
        "anyone",
        "anybody",
        "anything",
        "someone",
        "somebody",
        "something",
        "everyone",
        "everybody",
        "everything",
        "nobody",
        "nothing",
        "else",
        "regarding",
    }
)


_NOT_CONTENT_STEMS = frozenset(stem(word) for word in _NOT_CONTENT)
# verbs that say little of their own, and "still" ("Is he still going to get paid?")
_LIGHT_STEMS = frozenset(stem(w) for w in "go going get got make take still ever yet".split())  # noqa: SIM905


def content_words(question: str) -> list[str]:
    """The question's content words (no stopwords, no numbers), folded."""
    return [w for w in content_terms(fold(question)) if w.isalpha() and w not in _NOT_CONTENT]


def missing_words(words: Sequence[str], text: str) -> list[str]:
    """The `words` (from `content_words`) that the folded `text` does not hold, by their
    first five letters, or another form of an irregular verb whole ("leave" is said by
    "left", "meet" never by "metal")."""
    return [
        w
        for w in words
        if re.search(r"(?<!\w)" + re.escape(w[:PREFIX]), text) is None
        # another form whole ("met" is no start of "metal")
        and not any(re.search(rf"(?<!\w){re.escape(form)}(?!\w)", text) for form in VERB_FORMS.get(w, ()))
    ]


def plain_stems(text: str) -> set[str]:
    """The stems of the content terms of `text`, an irregular verb's past as its plain
    form ("left" as "leave"), so that a question's "leave" is said by "left"."""
    return {plain_stem(term) for term in content_terms(text)}


# a question of what is going on with something, and what it asks about ("the Kestrel mine")
_OVERVIEW = re.compile(
    r"^\s*(?:(?:and|so)\s+)?(?:what(?:['’]s|\s+is|\s+was|\s+has)?\s+(?:been\s+)?(?:going\s+on|happening|happened|up)"
    r"|tell\s+me\s+about)"
    r"\s+(?:(?:with|at|in|near|to|on|about|over|for)\s+)?(?P<topic>.+?)\s*[?.!]*\s*$"
    # "What's the latest on the strike?", never "What is the latest cost of ...?"
    r"|^\s*(?:(?:and|so)\s+)?what(?:['’]s|\s+is)\s+the\s+(?:story|latest|news|deal)"
    r"\s+(?:with|at|in|near|to|on|about|over|for)\s+(?P<latest>.+?)\s*[?.!]*\s*$"
    r"|^\s*(?:(?:and|so)\s+)?what(?:['’]s|\s+is)\s+(?:this|that|the)\s+(?P<about>.+?)\s+about\s*[?.!]*\s*$",
    re.I,
)
LEAD_WITHIN = 1500  # characters of an article its lead sentence is looked for in
# words up to a lead's end that its article's first passage surely holds (a passage holds
# 180 by default, `QA_CHUNK_WORDS`)
LEAD_IN_FIRST_PASSAGE = 100
# the share of what is asked about (IDF-weighted) an article's lead sentence must say
LEAD_SUPPORT = 0.5


def overview_topic(question: str) -> str | None:
    """What a question of what is going on asks about: "the Kestrel mine" of "What's going
    on with the Kestrel mine?", "Harwick City" of "What happened at Harwick City?", "blood
    pressure drug recall" of "What's this blood pressure drug recall about?"; None for any
    other question, one of a time or of what came next ("What happened next?", "... on
    Monday?", "... in the second half?", "... after the vote?"), and a follow-up's attached
    topic is not read as asked ("What has happened since, regarding Harwick City?")."""
    match = _OVERVIEW.match(question.partition(", regarding ")[0])
    if match is None:
        return None
    topic = match["topic"] or match["latest"] or match["about"]
    return None if _A_TIME.search(topic) else topic


# a topic that is a time or what came next: no story
_A_TIME = re.compile(
    r"^(?:next|then|after|afterwards|before|since|later|during|now|so far|recently|today|yesterday|"
    r"tonight|overnight|first|last|in the end)\b"
    r"|^(?:(?:the|this|that|last|next)\s+)?(?:(?:first|second|third|final|last|next)\s+)?"
    r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|march|april|may|"
    r"june|july|august|september|october|november|december|morning|night|evening|afternoon|week|"
    r"weekend|month|year|half|quarter|period|round|minute|hour|day)s?$",
    re.I,
)


def off_collection(question: str, passages: Sequence[Passage], follow_up: bool = False) -> bool:
    """Most of the question's names and numbers are nowhere in the passages' articles (one
    name of two missing may be a misspelling: "Sentanta Sports" for "Setanta Sports"), or
    three quarters of its content words are not ("How long should I bake sourdough bread?").
    A `follow_up` asks about the story the conversation is about, often in words of its own
    ("How many cops were out looking?" of "40 officers"; "What does the drug do?" of EPO),
    which the reader judges: its words rule it out only where it has three or more and the
    articles say none of them."""
    titles, texts = folded_articles(passages)
    names = names_and_numbers(question)
    raw = "\n".join(
        {p.hit.article.id: f"{p.hit.article.title}\n{p.hit.article.text}" for p in passages}.values()
    )
    missing = missing_names(names, f"{titles}\n{texts}", raw)
    if missing and 2 * len(missing) > len(names):
        return True
    words = content_words(question)
    missing = missing_words(words, texts)
    if follow_up:  # only a question of three words or more, none of them said
        return len(words) >= 3 and len(missing) == len(words)
    return len(words) >= 2 and 4 * len(missing) >= 3 * len(words)


def _as_the_person_asked(
    question: str, passages: Sequence[Passage], pronoun_for: tuple[str, str] | None
) -> list[str] | None:
    """The question each passage is read for: a follow-up's rewrite put a person's name for
    the "she" asked (`pronoun_for`: the name, and the rewrite with "she" again), and a
    passage of an article that names her in full, but not in the passage itself, goes on
    about her as "she": read with the pronoun there ("Who is her coach?" of "Her coach,
    Henrik Dahl, said ..."; "Who is Mara Lindqvist's coach?" finds that passage
    unanswerable, the reader being trained to refuse a question whose names its passage
    lacks). Never a passage where someone else is named before its "she" or "her" (that
    "she" may be hers: "Priya Anand, 17, said she had revised ..."), nor an article that
    says "he" of the name asked as "she". None where every passage is read for `question`."""
    if pronoun_for is None:
        return None
    name, said = pronoun_for
    asked = pronouns(said)
    kind = SHE if asked and asked[0] in SHE else HE
    whole = re.compile(rf"\b{re.escape(name)}\b")
    last = re.compile(rf"\b{re.escape(name.split()[-1])}\b")

    def as_asked(passage: Passage) -> bool:
        article, text = passage.hit.article, passage.hit.chunk.text
        if not whole.search(article.text) or last.search(text):
            return False
        if pronoun_gender(name, (article.text,)) not in (None, "she" if kind is SHE else "he"):
            return False
        return not _someone_else_first(text, name, kind)

    reads = [said if as_asked(p) else question for p in passages]
    return reads if said in reads else None


def _someone_else_first(text: str, name: str, kind: frozenset[str]) -> bool:
    """Whether a paragraph of `text` names a person other than `name` before a pronoun of
    `kind` ("she", "her"): the pronoun may be theirs."""
    for paragraph in text.split("\n\n"):
        first = next((m for m in re.finditer(r"[\w'’]+", paragraph) if m.group(0).lower() in kind), None)
        if first is None:
            continue
        before = paragraph[: first.start()]
        if any(looks_like_person(n) and not one_entity(n, name) for n in names(before)):
            return True
    return False


def naming_passages(question: str, passages: Sequence[Passage]) -> frozenset[int] | None:
    """The positions of `passages` whose articles mention the most of the names the question
    names, where others' mention fewer: "Who is the mayor of Brennby?" is not answered from
    an article about a ferry strike in Skarvik that never says Brennby ("The mayor of
    Skarvik, Liv Haugen, ..."), however alike the sentence. A name said another way
    ("Norwegian" for "Norway") costs every article alike. Days and months are no story's
    names. None (all may answer) where all mention as many, or none mentions any."""
    names = [n for n in names_and_numbers(question) if not n[0].isdigit() and n.lower() not in CALENDAR_WORDS]
    if not names:
        return None
    named: dict[str, int] = {}
    for passage in passages:
        article = passage.hit.article
        if article.id not in named:
            text = "\n".join(folded_article(article))
            named[article.id] = len(names) - len(
                missing_names(names, text, f"{article.title}\n{article.text}")
            )
    most = max(named.values(), default=0)
    kept = frozenset(n for n, p in enumerate(passages) if named[p.hit.article.id] == most)
    return kept if most and len(kept) < len(passages) else None


def kept_passages(question: str, passages: Sequence[Passage], kept: Sequence[str]) -> frozenset[int] | None:
    """The positions of `passages` from the articles a conversation was answered from
    (`kept`), for a follow-up that names nothing of its own and whose words those articles
    all say, or that has one word of its own: "Was anyone injured?" asked about a storm is
    not answered "Nobody was injured." from a story about kettles. None (all may answer) for a
    question that names something, one that moves on to words only another story says
    ("How many steel cables did they replace on the bridge?"), outside a conversation, or
    where no passage or every passage is from those articles."""
    if not kept or names_and_numbers(question):
        return None
    positions = frozenset(n for n, p in enumerate(passages) if p.hit.article.id in kept)
    if not positions or len(positions) == len(passages):
        return None
    own = {p.hit.article.id: p.hit.article for p in passages if p.hit.article.id in kept}.values()
    said = "\n".join("\n".join(folded_article(article)) for article in own)
    # a verb that says nothing of its own need not be said ("What went wrong?", "What is the
    # union saying?" of a story that says "We got this badly wrong", "The dockers' union said")
    words = [w for w in content_words(question) if w not in _SAYS_LITTLE]
    # a question of one word of its own ("Was anyone injured?") is about the conversation
    return None if len(words) >= 2 and missing_words(words, said) else positions


# the forms of verbs that say little of their own: of going, getting, making, taking, doing,
# happening and saying
_SAYS_LITTLE = frozenset(
    word
    for forms in (
        "go goes going went gone",
        "get gets getting got gotten",
        "make makes making made",
        "take takes taking took taken",
        "do does doing did done",
        "happen happens happening happened",
        "say says saying said",
    )
    for word in forms.split()
)


def only_passages(reading: Reading, kept: frozenset[int] | None) -> Reading:
    """`reading` with only the spans and windows of the passages at `kept` (all with None)."""
    if kept is None:
        return reading
    return Reading(
        tuple(s for s in reading.spans if s.passage in kept),
        tuple(a if n in kept else 0.0 for n, a in enumerate(reading.answerable)),
    )


def log_odds(p: float) -> float:
    """log(p / (1 - p)), kept finite at 0 and 1."""
    p = min(max(p, 1e-9), 1 - 1e-9)
    return math.log(p / (1 - p))


def passage_inputs(passages: Sequence[Passage]) -> list[PassageInput]:
    """What the reader reads of each passage: its text and its citable sentences (headings
    are read as context but never answer), as offsets into the passage text."""
    inputs = []
    for passage in passages:
        article, chunk = passage.hit.article, passage.hit.chunk
        segments = tuple(
            (s.start - chunk.start, s.end - chunk.start)
            for s in passage.sentences
            if not is_heading(article.text, s.start, s.end)
        )
        inputs.append(PassageInput(chunk.text, segments))
    return inputs


def with_rank_prior(
    reading: Reading,
    weight: float,
    favoured: frozenset[int] = frozenset(),
    bonus: float = 0.0,
    sentence: Callable[[ReaderSpan], float] | None = None,
) -> Reading:
    """Spans re-ranked by score - weight * log(passage rank): a passage retrieval ranked
    first weighs a little more than the sixth (the weight is tuned on held-out articles);
    the `favoured` passages' spans `bonus` more (a follow-up's: its conversation's articles);
    each span what `sentence` says its sentence adds."""
    if not weight and not (favoured and bonus) and sentence is None:
        return reading

    def prior(span: ReaderSpan) -> float:
        added = sentence(span) if sentence is not None else 0.0
        return (
            span.score
            - weight * math.log(span.passage + 1)
            + (bonus if span.passage in favoured else 0.0)
            + added
        )

    return Reading(tuple(sorted(reading.spans, key=lambda s: -prior(s))), reading.answerable)


def whole_words(text: str, start: int, end: int) -> tuple[int, int]:
    """`start` and `end` moved out to the edges of the words they cut: the reader reads word
    pieces, and a span may end inside a word ("Ce" of "Celts") or a number ("400" of
    "3,400", "5" of "2.5")."""

    def inside_a_number(at: int) -> bool:  # a separator between digits at `at`
        return (
            0 < at < len(text) - 1 and text[at] in ",." and text[at - 1].isdigit() and text[at + 1].isdigit()
        )

    while 0 < start < len(text):
        if text[start - 1].isalnum() and text[start].isalnum():
            start -= 1
        elif text[start].isdigit() and inside_a_number(start - 1):
            start -= 2  # over the separator to the digit before it
        elif inside_a_number(start):
            start -= 1
        else:
            break
    while 0 < end < len(text):
        if text[end - 1].isalnum() and text[end].isalnum():
            end += 1
        elif text[end - 1].isdigit() and inside_a_number(end):
            end += 2
        elif inside_a_number(end - 1):
            end += 1
        else:
            break
    return start, end


def tidy_span(text: str, start: int, end: int) -> tuple[int, int] | None:
    """`text[start:end]` without punctuation, quote marks or dashes at its edges, and with
    its parentheses closed ("720 feet (220 m" reads "720 feet (220 m)" when the text closes it
    close by, else "720 feet"); None when nothing is left, when it starts with a dangling
    clause, or when it holds a lone quote mark (it crosses the edge of a quotation)."""
    opened = text.rfind("(", start, end)
    if opened >= 0 and text.find(")", opened, end) < 0:
        closing = _CLOSING.match(text, end)
        if closing is not None:
            return tidy_span(text, start, closing.end())
        return tidy_span(text, start, opened) if opened > start else tidy_span(text, start + 1, end)
    closed = text.find(")", start, end)
    if closed >= 0 and text.rfind("(", start, closed) < 0:  # "220 m) long": the rest
        return tidy_span(text, closed + 1, end)
    # a bracket half in the span is cut off: "O.S. 28 June] 1856" of "10 July [O.S. 28 June]
    # 1856" reads "1856", "[O.S. 28" reads nothing before it
    bracket = text.find("]", start, end)
    if bracket >= 0 and text.rfind("[", start, bracket) < 0:
        return tidy_span(text, bracket + 1, end)
    opened = text.rfind("[", start, end)
    if opened >= 0 and text.find("]", opened, end) < 0:
        return tidy_span(text, start, opened) if opened > start else None
    while start < end and text[start] in _EDGE and not (text[start] == "(" and ")" in text[start:end]):
        start += 1
    while end > start and text[end - 1] in _EDGE + "." and not _keeps_last(text, start, end):
        end -= 1
    # a clause inside a whole parenthesis stays: cutting it would reopen the parenthesis
    trailing = _TRAILING_CLAUSE.search(text, max(start, text.rfind(")", start, end) + 1), end)
    if trailing is not None:
        return tidy_span(text, start, trailing.start())
    span = text[start:end]
    if not any(ch.isalnum() for ch in span):
        return None
    if _DANGLING.match(span) or sum(span.count(q) for q in _QUOTES) % 2:
        return None
    return _without_its_country(text, start, end), _with_its_noun(text, start, end)


# a name's owner said before it ("Ethiopia's Dawit Bekele"; "The United States' Noah Lyles")
_OWNER = re.compile(r"((?:[Tt]he\s+)?[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*){0,2}?)(?:['’]s|(?<=s)['’])\s+(?=[A-Z])")


def _without_its_country(text: str, start: int, end: int) -> int:
    """`start`, past a country said as the owner of the person's name that follows
    ("Ethiopia's Dawit Bekele" reads "Dawit Bekele": who won, not whose he is; what a
    follow-up's "he" then means). A person's name opens with a first name or ends with a
    word no dictionary has: "Canada's Supreme Court", "Israel's Iron Dome" and
    "Greenland's Ice Sheet" stay."""
    owner = _OWNER.match(text, start, end)
    said = owner.group(1) if owner else ""
    if owner is None or not (is_country(said) or is_country(re.sub(r"^[Tt]he\s+", "", said))):
        return start
    words = text[owner.end() : end].split()
    person = (
        len(words) >= 2
        and looks_like_person(" ".join(words))
        and (is_first_name(words[0]) or not is_common_word(words[-1]))
    )
    return owner.end() if person else start


def _with_its_noun(text: str, start: int, end: int) -> int:
    """`end`, past the noun an adjective ending a phrase of three words or more qualifies:
    "Saudi Arabia and the other Arab oil-producing" reads "... oil-producing states"; a
    shorter one may be the answer itself ("bright red" of "a bright red car")."""
    words = text[start:end].split()
    after = _NEXT_NOUN.match(text, end)
    if after is None or len(words) < 3 or lexicon_tag(words[-1].lower()) != "JJ":
        return end
    return after.end() if lexicon_tag(after.group(1).lower()) in ("NN", "NNS") else end


# the word right after a span, in the same sentence
_NEXT_NOUN = re.compile(r" ([a-z][a-z-]*)\b")
# a question of what thing with its verb ("What was stolen?", "What did they find?", "What
# was he wearing?"), never of what something is ("What was the weapon?": "knife" of "knife
# attack" is the answer) nor with a noun of what kind
_WHAT_AUX = re.compile(
    r"^\s*(?:and\s+)?what\s+(?:(?P<do>did|does|do)|was|were|is|are|has|have|had|got)\s+(?P<rest>[\w\s'’-]*)",
    re.I,
)
_SUBJECT_PRONOUNS = frozenset(("he", "she", "it", "they", "we", "you", "i"))


_MADE_OF = re.compile(r"\bmade\s+(?:out\s+)?(?:of|from)\b", re.I)


def _asks_what_thing(question: str) -> bool:
    """Whether `question` asks what thing was done with, by its verb ("What was stolen?",
    "What did they find?", "What was he wearing?"), never what something is ("What was the
    weapon?": "knife" of "knife attack") nor what stuff it is made of."""
    match = _WHAT_AUX.match(question)
    if match is None or _MADE_OF.search(question):
        return False  # "What was it made of?" asks the stuff: "silver" of "silver chains"
    if match.group("do"):
        return True
    words = match.group("rest").split()[:2]

    def done(word: str) -> bool:
        return (lexicon_tag(word.lower()) or "").startswith(("VBN", "VBD", "VBG"))

    if words and done(words[0]):
        return True  # "What was stolen?"
    # "What was he wearing?", "What was Tesla working on?"
    return (
        len(words) == 2
        and (words[0].lower() in _SUBJECT_PRONOUNS or words[0][:1].isupper())
        and done(words[1])
    )


# nouns of time, which follow an object without being its head ("approved funding today")
_TIME_NOUNS = frozenset(
    "today yesterday tomorrow tonight ago year years month months week weeks weekend day days morning "  # noqa: SIM905
    "afternoon evening night".split()
)


def _with_its_head(text: str, start: int, end: int, asked: set[str] | frozenset[str] = frozenset()) -> int:
    """`end`, past the noun a one-word noun span qualifies ("gold" of "a 14th-century gold
    reliquary" reads "gold reliquary"): asked what thing, the thing is the head noun, unless
    the question names it (`asked`, its stems: "What were Isaac's chains made out of?" is
    answered "silver" of "silver chains")."""
    word = text[start:end]
    after = _NEXT_NOUN.match(text, end)
    if " " in word or not word.isalpha() or after is None or plain_stem(after.group(1)) in asked:
        return end
    # a word the lexicon does not know is a rare noun ("reliquary"), unless it reads as a
    # verb's or an adverb's form
    head = after.group(1).lower()
    known = lexicon_tag(head)
    rare = known is None and not head.endswith(("ly", "ed", "ing"))
    if lexicon_tag(word.lower()) != "NN" or not (known in ("NN", "NNS") or rare) or head in _TIME_NOUNS:
        return end
    # a noun after it makes it a verb ("Demand drives growth")
    then = _NEXT_NOUN.match(text, after.end())
    if then is not None and lexicon_tag(then.group(1)) in ("NN", "NNS"):
        return end
    return after.end()


def _keeps_last(text: str, start: int, end: int) -> bool:
    """The last character of `text[start:end]` belongs to the answer: the closing
    parenthesis of an opening one inside, or the full stop of an abbreviation ("U.S.")."""
    last = text[end - 1]
    if last == ")":
        return "(" in text[start : end - 1]
    if last == ".":
        word = text[start : end - 1].rsplit(" ", 1)[-1]
        return word[-1:].isalpha() and ("." in word or len(word) == 1)
    return False


def counts_the_thing_asked(question: str, text: str, start: int, end: int) -> bool:
    """False when a "how many X" question would be answered by a count of a unit other than
    X: "22 years" for "How many turbines does the plant have?". The unit is read in the span
    and just after it ("22" followed by " years")."""
    asked = _HOW_MANY.search(question)
    if asked is None:
        return True
    noun = asked.group(1).lower().rstrip("s")
    for count in _COUNT_UNIT.finditer(text, start, min(len(text), end + 20)):
        if count.start() >= end:
            break
        if count.group("unit").lower().rstrip("s") != noun:
            return False
    return True


def choose_span(
    reading: Reading,
    passages: Sequence[Passage],
    inputs: Sequence[PassageInput],
    avoid: Sequence[str] = (),
    sentences_only: bool = False,
    question: str = "",
    fallback_ok: Callable[[Choice], bool] | None = None,
) -> Choice | None:
    """The best span (the windows' best first, then each other sentence's, where
    `fallback_ok` accepts its choice: `Reading.ranked`)
    that does not repeat an answer already given in this conversation (`avoid`: earlier
    short answers, or whole answers where there was none), or None. A
    new fact from the sentence of an earlier answer is not a repeat; for a question
    answered by a sentence (`sentences_only`), the same sentence is. A "how many" or "how
    much" `question` takes only a span with a number in it (not a date); no span is made of
    the question's own words, nor one that does not fit it (`fits_the_question`: the
    question's own subject, a quantity of another kind, a sentence about another day or
    number of what it names, another's thing); a span's edges are tidied (`tidy_span`).
    What someone said is the whole quotation, unless it is asked what about."""
    counting = _COUNTING.search(question) is not None
    saying = asks_what_was_said(question)
    everything_said = saying and _SAID_AT_END.search(question) is not None
    asked = set(normalize_answer(question).split())
    asked_stems = plain_stems(question)
    # the one who did it is never listed beside whom it was done to; asked whom it was done
    # to, the one beside the doer may be ("Denver and Carolina met": whom Denver beat)
    doer = _asks_the_doer(question)
    another = _ASKS_ANOTHER.search(question) is not None or doer is None
    repeated = [normalize_answer(text) for text in avoid if text.strip()]
    quotations: dict[tuple[int, int], tuple[int, int] | None] = {}
    for span in reading.ranked:
        passage = passages[span.passage]
        seg_start, seg_end = inputs[span.passage].segments[span.segment]
        offset = passage.hit.chunk.start
        text = passage.hit.article.text
        if counting and not offers_answer_type(
            text[offset + span.start : offset + span.end], NUMBER, question
        ):
            continue  # "how many" is answered by a count, not by "June 23"
        whole = whole_words(text, offset + span.start, offset + span.end)
        tidy = tidy_span(text, *whole)
        quoted = None
        if saying:  # read once per sentence, however many spans it holds
            key = (span.passage, span.segment)
            if key not in quotations:
                quotations[key] = quotation(text, offset + seg_start, offset + seg_end)
            quoted = quotations[key]
        if quoted is not None and (everything_said or not quoted[0] <= whole[0] < quoted[1]):
            # what someone said is the quotation, not who said it: "What did the coach say?"
            # is not answered "said Odda's coach" nor "Odda's coach", but by the words of
            # "'This is the greatest day ...,' said Odda's coach"; nor by a part of it
            # ("the climate warms"), unless it asks what of ("... about the price?")
            tidy = quoted
        if tidy is None or not counts_the_thing_asked(question, text, *tidy):
            continue
        if quoted is None and _asks_what_thing(question):
            tidy = (tidy[0], _with_its_head(text, *tidy, asked_stems))
        span = replace(span, start=tidy[0] - offset, end=tidy[1] - offset)
        raw = text[offset + span.start : offset + span.end]
        short = normalize_answer(raw)
        if short and set(short.split()) <= asked:
            continue  # the question's own words ("Nordtide" for "What does Nordtide say?")
        if unit_cut_off(text, offset + span.start, offset + span.end):
            continue  # "euros" of "180 million euros": a unit without its amount answers nothing
        if _names_the_asked(raw, question):
            continue  # "Lorraine Hebden, 47" for "Where does Hebden say she got the ticket?"
        if not sentences_only and _lists_the_asked(raw, asked):
            continue  # "secondary law and supplementary law" for "... the sources of secondary law?"
        if not sentences_only and doer and not another and _beside_the_asked(text, *tidy, asked, doer):
            continue  # "the board" of "It appoints the Commissioners and the board" for who appoints them
        said = plain_stems(raw)
        if not sentences_only and _echoes(raw, said, asked_stems):
            continue  # a sentence answers "Will the company compensate them?" whatever its span
        if not fits_the_question(question, text, *tidy, offset + seg_start, offset + seg_end):
            continue  # not the chief executive for whom he blames; no hours for how fast
        holder = _ROLE_THEN_NAME.fullmatch(text, *tidy) if ASKS_WHO.match(question) else None
        if holder is not None and not set(normalize_answer(holder["name"]).split()) <= asked:
            # "Martin Olsen" of "Kestrel's chief executive, Martin Olsen"; "Who is Martin
            # Olsen?" keeps the role, which is the answer
            span = replace(span, start=holder.start("name") - offset)
            raw = text[offset + span.start : offset + span.end]
            short = normalize_answer(raw)
        sentence = normalize_answer(text[offset + seg_start : offset + seg_end])
        named = {normalize_answer(w) for w in raw.split() if w[:1].isupper()} - {""}
        if any(_repeats(short, named, r) or (sentences_only and sentence in r) for r in repeated):
            continue
        if any(_counts_again(raw, earlier) for earlier in avoid):
            continue  # "14 people" after "14" ("How many passengers were on it?" after "How many were hurt?")
        choice = Choice(span, passage, offset + seg_start, offset + seg_end)
        if span.fallback and fallback_ok is not None and not fallback_ok(choice):
            continue  # another sentence answers only if it says what was asked
        return choice
    return None


# "What did the coach say after the match?", "What has Kettla's chief executive told
# customers?": the verb of saying in its form after the auxiliary, followed by nothing, a
# phrase of time or topic, or an object of two words at most (never a clause: "What did
# police say caused the fire?"; never "add": "What did Luther add to his catechisms?")
_SAY_AFTER = {
    **dict.fromkeys(("did", "does", "do", "will", "would"), frozenset({"say", "tell", "reply"})),
    **dict.fromkeys(("has", "have", "had"), frozenset({"said", "told", "replied"})),
}
_AFTER_SAYING = frozenset(
    {"about", "to", "after", "before", "on", "in", "at", "during", "when", "while", "of"}
)
# a verb or a clause's start before the saying: it is not what the question asks
_BEFORE_ANOTHER_VERB = frozenset(
    {"do", "if", "when", "whether", "unless", "because", "after", "before", "that"}
)
# a verb right after the saying: what was said is asked about, not the words
_VERB_AFTER_SAYING = frozenset(
    {
        "was",
        "is",
        "were",
        "are",
        "will",
        "would",
        "could",
        "can",
        "should",
        "had",
        "has",
        "have",
        "might",
        "may",
    }
)
_WORD_OF_QUESTION = re.compile(r"[\w’'-]+")
# a quotation ("..." or ‘...’) of a few words at least; ’ between letters is an
# apostrophe ("didn’t"), no closing mark
_QUOTATION = re.compile(r"[\"“]([^\"“”]{12,})[\"”]|‘((?:[^‘’]|(?<=\w)’(?=\w)){12,})’(?!\w)")
_SAYING = r"(?:said|says|added|told|tells|wrote|writes|asked)"
# a verb of saying within a few words after a quotation ("...," said the coach)
_SAID_AFTER = re.compile(rf"[\s,.!?]*(?:(?:[\w’'.,-]+\s+){{0,8}}?){_SAYING}\b")


# "What did she say?": all that was said, nothing about what
_SAID_AT_END = re.compile(r"\b(?:say|said|tell|told|reply|replied)\s*[?.!]*\s*$", re.I)
_FINITE_VERB = re.compile(r"\b(?:was|were|is|are|had|has|have|will|would|be|been)\b", re.I)


# "Who ...?" answered by a role and the name of who holds it ("Kestrel's chief executive,
# Martin Olsen"): the name is the answer; never of a list ("the president and his wife,
# Jill Biden")
_ROLE_THEN_NAME = re.compile(
    r"(?:(?!\b(?:and|or)\b)[^,;])*\b[a-z][\w'’-]*,\s+(?P<name>[A-Z][\w'’.-]+(?:\s+(?:[A-Z][\w'’.-]+|de|van|von|da|di|le|la|al|bin)){1,3})"
)


# questions a person they name never answers: where, when, why, how (not how old or how
# many: "How old is Hebden?" is answered "Lorraine Hebden, 47"), what (not what age)
_ASKS_BESIDE_WHO = re.compile(
    r"^\s*(?:and\s+|so\s+)?(?:where|when|why|what(?!\s+age\b)|how(?!\s+(?:old|many|much)\b))\b", re.I
)
# a name of the question said as a family's or another's: "Hebden's sister", "the sister of
# Hebden", "Which Hebden ...?", and "the Hebden family" (a noun after it, `_of_another`):
# someone else who may bear it
_ANOTHER_OF_THE_NAME = r"(?:\b{name}['’]s\b|\bof\s+(?:the\s+)?{name}\b|\bwhich\s+{name}\b)"


def _names_the_asked(raw: str, question: str) -> bool:
    """Whether the span `raw` is only people the question names, in full or in part, and
    perhaps an age ("Lorraine Hebden, 47" for "Where does Hebden say she got the ticket?"):
    who the question is about, never where, when, why or what (`_ASKS_BESIDE_WHO`). A name
    the question says as a family's or another's (`_of_another`: "Hebden's sister") does
    not count: the span may be that other person."""
    said = names(raw)
    rest = raw
    for name in said:
        rest = rest.replace(name, " ")
    if (
        not said
        or not _ASKS_BESIDE_WHO.match(question)
        or re.search(r"[^\W\d_]", rest)
        # a thing's name may go on as another's ("Super Bowl XLIV" of "Super Bowl")
        or not all(looks_like_person(name) and is_first_name(name.split()[0]) for name in said)
    ):
        return False
    asked = [n for n in names(question) if not _of_another(n, question)]
    return all(any(one_entity(name, other) for other in asked) for name in said)


def _of_another(name: str, question: str) -> bool:
    """Whether `question` says `name` as a family's or another's (`_ANOTHER_OF_THE_NAME`),
    or before a noun of its own ("the Hebden sisters", "the Hebden family")."""
    if re.search(_ANOTHER_OF_THE_NAME.format(name=re.escape(name)), question, re.I):
        return True
    after = re.search(rf"\b{re.escape(name)}\s+([a-z]+)", question)
    return after is not None and (lexicon_tag(after.group(1)) or "").startswith("NN")


def _lists_the_asked(raw: str, asked: set[str]) -> bool:
    """Whether a span lists things (`list_items`) one of which is a phrase of the question
    (`asked`: its normalised words): "secondary law and supplementary law" for "What are
    the main sources of secondary law?" names what was asked about beside its kin, not what
    was asked for ("Denver and Carolina" for "Who did Denver beat?")."""
    if not re.search(r"\s(?:and|or)\s", raw):  # "Houston, Texas", "June 5, 2015" list nothing
        return False
    items = [normalize_answer(item) for item in list_items(raw)]
    return any(item and set(item.split()) <= asked for item in items)


# a question for what goes beside what it names ("What else does it appoint?", "Who, besides
# Lukashenko, ...?", "What is made along with oxygen?")
_ASKS_ANOTHER = re.compile(
    r"\b(?:else|other|others|another|besides|also|too|as\s+well|along\s+with|together\s+with|apart\s+from|"
    r"in\s+addition|aside\s+from|both|and|with|against|versus|vs)\b",
    re.I,
)
# "Who appoints the Commissioners?", "Which company makes it?", "What team won?": the
# question word (and its noun) then a verb that is not an auxiliary
_ASKS_THE_DOER = re.compile(
    r"^\s*(?P<wh>who|what|which)\s+(?P<first>[a-z][\w'’-]*)(?:\s+(?P<second>[a-z][\w'’-]*))?", re.I
)
_AUXILIARY = frozenset(
    "did does do is was are were has have had will would can could should may might else".split()  # noqa: SIM905
)


def _asks_the_doer(question: str) -> str | None:
    """The verb of `question` where its question word is the one who did it ("appoints"
    of "Who appoints the Commissioners?", "won" of "Who won the final?" and of "What team
    won?"); None where it asks whom it was done to ("Who did Denver beat?", "What teams did
    Denver beat?") or for anything else."""
    match = _ASKS_THE_DOER.match(question)
    if match is None:
        return None
    first, second = match["first"].lower(), (match["second"] or "").lower()
    if first in _AUXILIARY:
        return None
    noun_first = match["wh"].lower() != "who" and bool(second)
    then_verb = noun_first and (second in _AUXILIARY or _is_verb(second))
    if not then_verb and (_is_verb(first) or first.endswith(("s", "ed"))):
        return first  # "Who won", "Who married ...", "What causes it"
    # "Which company makes it?", "What team won?": a noun, then the verb
    return second if noun_first and second not in _AUXILIARY and _is_verb(second) else None


def _is_verb(word: str) -> bool:
    """Whether `word` may be a verb's finite form ("appoints", "won", "led")."""
    return word in VERB_FORMS or (lexicon_tag(word) or "")[:3] in ("VBZ", "VBD", "VBP", "VBN")


# what a span is listed with: "<kin> and " before it, " and <kin>" after it
_KIN_BEFORE = re.compile(
    r"(?P<kin>(?:[\w'’-]+\s+){0,2}[\w'’-]+)(?:\s*,)?\s+(?:and|or)\s+(?:(?:the|a|an|its|his|her|their)\s+)?$",
    re.I,
)
_KIN_AFTER = re.compile(r"^(?:\s*,)?\s+(?:and|or)\s+(?P<kin>[\w'’-]+(?:\s+[\w'’-]+){0,2})")


def _beside_the_asked(text: str, start: int, end: int, asked: set[str], verb: str) -> bool:
    """Whether the span `text[start:end]` is listed with a phrase of the question (`asked`:
    its normalised words) after the question's `verb`: "the board of the European Central
    Bank" in "It appoints the Commissioners and the board of the European Central Bank" is
    appointed beside the Commissioners, not who appoints them; "Meghan Markle" in "Prince
    Harry and Meghan Markle married" did it with him. The kin is the last words before
    "and" or the first after it, each of them the question's."""
    # listed after the verb, as its objects are ("appoints the Commissioners and ...")
    if not _said_before(text, start, verb):
        return False
    window = max(0, start - 60)
    before = _KIN_BEFORE.search(text[window:start])
    after = _KIN_AFTER.match(text[end : end + 60])
    for match, words in ((before, -1), (after, 1)):
        if match is None:
            continue
        kin = normalize_answer(match["kin"]).split()
        # the kin's own words nearest the span, one to three of them
        for size in (3, 2, 1):
            part = kin[-size:] if words < 0 else kin[:size]
            if part and len(part) == size and set(part) <= asked:
                return True
    return False


def _said_before(text: str, at: int, verb: str) -> bool:
    """Whether the sentence of `text` that `at` is in says `verb` before `at`."""
    opening = max(
        text.rfind(". ", 0, at), text.rfind("\n", 0, at), text.rfind("? ", 0, at), text.rfind("! ", 0, at)
    )
    return plain_stem(verb) in plain_stems(text[opening + 1 : at])


def _echoes(raw: str, said: set[str], asked: set[str]) -> bool:
    """Whether a span (`said`: its `plain_stems`) says nothing the question (`asked`: its
    stems) does not: no word of content at all, a stopword or an adverb alone ("until",
    "now", "there"; "one", "once" and figures are answers), or a clause of the question's
    words alone ("until a new minister was appointed" for "When will a new minister be
    appointed?"); a name of them is an answer ("The graph isomorphism problem")."""
    if not said:
        return re.search(r"\d|\bone\b|\bonce\b", raw, re.I) is None
    return said <= asked and _FINITE_VERB.search(raw) is not None


def asks_what_was_said(question: str) -> bool:
    """Whether `question` asks for someone's words ("What did the coach say after the
    match?"), which a quotation answers."""
    words = _WORD_OF_QUESTION.findall(question.lower()[:300])
    if words[:1] == ["and"]:
        words = words[1:]
    if len(words) < 3 or words[0] != "what" or words[1] not in _SAY_AFTER:
        return False
    verbs = _SAY_AFTER[words[1]]
    at = next((n for n in range(2, len(words)) if words[n] in verbs), None)
    # the saying is the question's verb: no other verb or clause before it ("What will the
    # council do if voters say no?")
    if at is None or any(w in _BEFORE_ANOTHER_VERB for w in words[2:at]):
        return False
    rest = words[at + 1 :]
    if rest and (rest[0] in _VERB_AFTER_SAYING or rest[0].endswith("ed")):
        return False  # "What did police say was stolen?": what was stolen
    # nothing after, a phrase of time or topic, or an object of two words at most, alone or
    # before one ("What did the CEO tell investors about the merger?")
    return not rest or len(rest) <= 2 or any(w in _AFTER_SAYING for w in rest[:3])


def quotation(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The longest quotation in `text[start:end]` that a verb of saying is beside ("'This
    is the greatest day,' said the coach", "she said: 'We will'"), its words without the
    quotation marks and a comma or full stop before the closing one; None without one (a
    phrase in quotation marks inside a sentence is nobody's answer)."""
    spoken = [
        m
        for m in _QUOTATION.finditer(text, start, end)
        if _SAID_AFTER.match(text[m.end() : min(end, m.end() + 80)])
        or re.search(
            rf"\b{_SAYING}\s*(?:[\w’'-]+\s+){{0,3}}?[:,]?\s*$", text[max(start, m.start() - 60) : m.start()]
        )
    ]
    found = max(spoken, key=lambda m: len(m.group(1) or m.group(2)), default=None)
    if found is None:
        return _quotation_ending(text, start, end)
    group = 1 if found.group(1) is not None else 2
    words = found.group(group).rstrip(",. ")
    return found.start(group), found.start(group) + len(words)


def _quotation_ending(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The words of a quotation opened in an earlier sentence of the paragraph that
    `text[start:end]` ends, with a verb of saying after it: "It is sad to lose him, but
    this is the right step for him" of "... I have coached. It is sad to lose him, but this
    is the right step for him," Glimt coach Kjetil Knutsen said."; None without one."""
    closing = re.compile(r"[\"”’](?!\w)").search(text, start, end)
    if closing is None or re.search(r"[\"“‘]", text[start : closing.start()]):
        return None
    mark = text[closing.start()]
    paragraph = text.rfind("\n", 0, start) + 1
    before = text[max(paragraph, start - 600) : start]
    opened = (
        before.count('"') % 2 == 1
        if mark == '"'
        else before.rfind("“" if mark == "”" else "‘") > before.rfind(mark)
    )
    if not opened or not _SAID_AFTER.match(text[closing.end() : min(end, closing.end() + 80)]):
        return None
    words = text[start : closing.start()].rstrip(",. ")
    return (start, start + len(words)) if len(words) >= 12 else None


def _repeats(short: str, named: set[str], earlier: str) -> bool:
    """A short answer (normalised; `named`: its capitalised words, normalised) repeats an
    earlier answer (normalised): the same, or, after a short earlier answer, a name of it
    ("dictator Lukashenko", "President Lukashenko" after "Alexander Lukashenko": at least
    half its capitalised words are the earlier answer's, its last among them); a new fact from an earlier
    answer's whole sentence is not a repeat, nor a longer name that holds a word of it
    ("International Association for the Study of Pain" after "Pain")."""
    if not short:
        return False
    if short == earlier:
        return True
    words = earlier.split()
    shared = named & set(words)
    # the earlier answer's last word (a surname) among them: "Alexander de Lodyguine" is
    # Lodygin's new name, no repeat of "Alexander Lodygin"
    return 0 < len(words) <= 6 and words[-1] in shared and 2 * len(shared) >= len(named)


_NUMBER = re.compile(r"\d(?:[\d,.]*\d)?")


def _counts_again(span: str, earlier: str) -> bool:
    """Whether `span` gives again the count an earlier answer was, as written, with the noun
    of what it counts or a word of how near: "14 people", "more than 14" after "14"; never a
    year ("May 2019" after "2019"), a measure ("2 years", "14 km", "14 per cent", "14
    million" after "2", "14"), a date ("14 May"), another name's number ("Route 14") or
    another number ("2.5 million" after "25")."""
    count = earlier.strip().rstrip(".")
    if not _NUMBER.fullmatch(count) or re.fullmatch(r"1\d{3}|20\d{2}", count):
        return False
    said = re.fullmatch(
        r"(?:(?i:about|around|some|nearly|almost|over|more than|fewer than|less than|up to)\s+)?"
        rf"{re.escape(count)}((?:,?\s+[a-z][\w-]*){{0,3}})",
        span.strip(),
    )
    return said is not None and not measures(span) and not _NOT_COUNTED.match(said.group(1).strip(" ,"))


# words after a number that make it no count of things: a scale, a share, a month
_NOT_COUNTED = re.compile(
    r"(?:hundred|thousand|million|billion|trillion|per\s+cent|percent|bn|m|" + "|".join(MONTH_NAMES) + r")\b",
    re.I,
)


def asks_for_latest(question: str) -> bool:
    """Whether `question` asks how things stand now ("latest", "most recent", "now",
    "currently", "newest"): newer articles answer it better."""
    return _LATEST.search(question) is not None


def newest_first(
    reading: Reading,
    passages: Sequence[Passage],
    best: ReaderSpan,
    weight: float,
    tolerance: float,
    today: date | None = None,
) -> Reading:
    """`reading` with the spans whose score (with the rank prior `weight`) is within
    `tolerance` of `best`'s first, newest article first (score order within an article's
    date), then the others in their order."""

    def prior(span: ReaderSpan) -> float:
        return span.score - weight * math.log(span.passage + 1)

    floor = prior(best) - tolerance
    close = [s for s in reading.spans if prior(s) >= floor]
    newest = sorted(close, key=lambda s: article_date(passages[s.passage].hit.article, today), reverse=True)
    rest = [s for s in reading.spans if prior(s) < floor]
    return Reading((*newest, *rest), reading.answerable)


def date_note(question: str, short: str | None, article: Article, latest: bool = False) -> str:
    """What the answer adds about dates, for an article with a publication date: the
    calendar date of a relative short answer ("23 June 2023" for "on Friday"), the article's
    date for a "when" answer that is relative but not placeable ("reported 23 June 2023" for
    "after the vote"), and for a `latest` question the date the answer is from ("as of 23
    June 2023"). Empty for an article without a date."""
    published = publication_date(article.published)
    if published is None:
        return ""
    parts = []
    resolved = resolved_label(short, published) if short else None
    if resolved is not None:
        parts.append(resolved)
    if latest:
        parts.append(f"as of {format_date(published)}")
    elif (
        resolved is None
        and short
        and classify_question(question) is AnswerType.DATE
        and not names_calendar_date(short)
    ):
        parts.append(f"reported {format_date(published)}")
    return "; ".join(parts)


def span_text(choice: Choice) -> str:
    """The chosen span's text, as the article has it."""
    offset = choice.passage.hit.chunk.start
    return choice.passage.hit.article.text[offset + choice.span.start : offset + choice.span.end].strip()


def with_whole_quotation(choice: Choice) -> Choice:
    """`choice` citing the whole quotation its sentence is part of, where that lies within
    its passage (`whole_quotation`): '"We told them this wall was weeping water. Nobody
    came," he said.', never 'Nobody came," he said.' alone."""
    chunk = choice.passage.hit.chunk
    text = choice.passage.hit.article.text
    start, end = whole_quotation(text, choice.sentence_start, choice.sentence_end)
    if chunk.start <= start and end <= chunk.end:
        return replace(choice, sentence_start=start, sentence_end=end)
    return choice


def compose(question: str, choice: Choice, note: str = "") -> tuple[str, str | None]:
    """The answer text (short answer first when the question wants one) and the short
    answer; a date `note` follows the bold short answer ("**Friday** (23 June 2023).");
    an answer without one leaves it to the caller."""
    article = choice.passage.hit.article
    short = span_text(choice)
    # a footnote such as "[2]" in the quoted text would read as a citation marker
    sentence = strip_markers(article.text[choice.sentence_start : choice.sentence_end])
    if not wants_short_answer(question) or not short:
        return sentence, None
    if normalize_answer(short) == normalize_answer(sentence):
        return sentence, short
    stop = "" if short[-1] in ".!?" else "."
    noted = f" ({note})" if note else ""
    return f"**{short}**{noted}{stop} {sentence}", short


class ReaderAnswerer(Answerer):
    """Answers with the reader's best short answer and its sentence, or refuses.

    `abstain_below`: the reader's answerable probability under which it refuses (default:
    the value calibrated on held-out training articles, in the model's reader.json).
    """

    name = "reader"
    needs_reader = True
    scores_answerability = True
    abstain_below: float

    def __init__(
        self,
        reader: Reader,
        abstain_below: float | None = None,
        idf: IdfLookup | None = None,
    ) -> None:
        self.reader = reader
        self.abstain_below = abstain_below if abstain_below is not None else reader.config.no_answer_below
        self.rank_weight = reader.config.rank_weight
        # the sentence judge shipped with the reader (`qa.answering.judge`), if any
        self.judge: Judge | None = getattr(reader, "judge", None)
        self.idf = idf  # the index's IDF weights: how much of the question a sentence says

    def refuses(self, question: str, choice: Choice, confidence: float, kept: Sequence[str]) -> bool:
        """Whether `choice` is no answer: below `abstain_below`, or unsupported, straying to
        another article, doubted, or saying only a follow-up's topic (see each)."""
        return (
            choice.span.answerable < self.abstain_below
            or self.unsupported(question, choice, confidence)
            or self.strays(question, choice, kept)
            or self.doubted(question, choice, confidence)
            or self.topic_only(question, choice)
        )

    def topic_only(self, question: str, choice: Choice) -> bool:
        """A yes/no follow-up read with its conversation's topic attached ("Is the engineer
        going to face charges, regarding Kenya?") whose sentence says nothing of what is
        asked, only the topic: the topic finds the article, the sentence must still settle
        the question ("Kenya has been hit by above-average long rains ..." does not). A span
        of the kind asked answers other questions in words of their own ("How many people
        had to leave their homes?" by "4,200 residents were evacuated"), which the reader
        judges."""
        asked, attached, _ = question.partition(", regarding ")
        # a clause of one word of its own leans on its topic ("Is that true, regarding ...?")
        # unless the word is what is done ("Can I still ride my own one?"); light verbs and
        # "still" are no word of its own ("Is he still going?")
        own = plain_stems(asked) - _NOT_CONTENT_STEMS - _LIGHT_STEMS
        if not attached or self.idf is None or not asks_yes_no(asked) or not own:
            return False
        if len(own) == 1 and not any(
            tag == "VB" and plain_stem(word.lower()) in own for word, tag, _ in tagged(asked)
        ):
            return False
        sentence = choice.passage.hit.article.text[choice.sentence_start : choice.sentence_end]
        return self.sentence_support(asked, sentence) == 0.0

    def unsupported(self, question: str, choice: Choice, confidence: float) -> bool:
        """A doubtful answer (answerable below `DOUBTFUL`) from a sentence that holds little
        of what the question asks about (under `SUPPORTED_SHARE` of its terms, weighted by
        IDF): what a neighbour of a sentence that is not there looks like ("How many turbines
        ...?" answered from the sentence after the one that would have said it)."""
        return confidence < DOUBTFUL and self.support(question, choice) < SUPPORTED_SHARE

    def support(self, question: str, choice: Choice) -> float:
        """The share of the question's terms, weighted by IDF, that the chosen sentence
        holds (1.0 without the index's weights, or for a question of no content terms); the
        terms of the article's title count only where the sentence says them: a sentence
        need not repeat what its whole article is about ("The museum will stay closed until
        Wednesday." answers "When will the Lillehammer museum reopen?" from an article
        headed "... from Lillehammer museum ...")."""
        article = choice.passage.hit.article
        sentence = article.text[choice.sentence_start : choice.sentence_end]
        return self.sentence_support(question, sentence, plain_stems(article.title) - plain_stems(sentence))

    def sentence_support(
        self, question: str, sentence: str, topic: set[str] | frozenset[str] = frozenset()
    ) -> float:
        """The share of `question`'s terms (less the `topic`'s), weighted by IDF, that
        `sentence` holds (1.0 without the index's weights, or for a question of no content
        terms)."""
        if self.idf is None:
            return 1.0
        asked = plain_stems(question) - _NOT_CONTENT_STEMS
        asked = (asked - topic) or asked  # a question of its topic's words alone: all count
        weights = self.idf(asked)
        total = sum(weights.values())
        if not total:
            return 1.0
        said = plain_stems(sentence) & asked
        return sum(weights.get(t, 0.0) for t in said) / total

    def strays(self, question: str, choice: Choice, kept: Sequence[str]) -> bool:
        """A follow-up (`kept`: the conversation's articles) answered from another article
        by a sentence that says under `SUPPORTED_ELSEWHERE` of what it asks."""
        elsewhere = bool(kept) and choice.passage.hit.article.id not in kept
        return elsewhere and self.support(question, choice) < SUPPORTED_ELSEWHERE

    def _sentence_prior(
        self,
        question: str,
        query_vector: np.ndarray,
        passages: Sequence[Passage],
        inputs: Sequence[PassageInput],
    ) -> Callable[[ReaderSpan], float] | None:
        """What each span's sentence adds to its score: `SENTENCE_WEIGHT` times the
        sentence ranker's score of it (embedding similarity to the question, its share of
        the question's terms and the one before it, the kind of answer it offers), for a
        span of a window the reader finds answerable (`abstain_below`): a good sentence
        never lifts a span the reader would refuse above one it would give; None without
        the index's weights."""
        if self.idf is None or not SENTENCE_WEIGHT:
            return None
        scores = {
            (s.candidate.passage.hit.article.id, s.candidate.start): s.score
            for s in score_sentences(question, query_vector, passages, self.idf)
        }

        def prior(span: ReaderSpan) -> float:
            if span.answerable < self.abstain_below:
                return 0.0
            passage = passages[span.passage]
            start = passage.hit.chunk.start + inputs[span.passage].segments[span.segment][0]
            return SENTENCE_WEIGHT * scores.get((passage.hit.article.id, start), 0.0)

        return prior

    def doubted(self, question: str, choice: Choice, confidence: float) -> bool:
        """The reader's and the sentence judge's evidence together say the sentence the
        answer would cite does not answer the question: the log-odds of the reader's
        answerability (`confidence`) plus the judge's best logit for the readings of that
        sentence (`judge_readings`) fall under the judge's calibrated `refuse_below`. The
        reader answers a plausible question whose answer the articles never gave from a
        neighbouring sentence of the same topic; the judge was trained on such neighbours."""
        judge = self.judge
        if judge is None or judge.refuse_below is None:
            return False
        readings = self.judge_readings(question, choice)
        if not readings:
            return False
        return log_odds(confidence) + max(judge.logits(question, readings)) < judge.refuse_below

    @staticmethod
    def judge_readings(question: str, choice: Choice) -> list[str]:
        """What the judge reads for the sentence `choice` would cite: the sentence, and
        where it leans on the one before it ("That Shoigu should be removed." after
        "Prigozhin made vague demands.") the two together, the likelier reading counting.
        Nothing for a question about what an article reports as a whole (the chat's example
        questions: "What does “Ferry strike ends” report?"): that is no question of one
        fact, which is all the judge learned. `train/judge.py calibrate` chooses the cut
        on these same readings."""
        if _ASKS_GIST.match(question):
            return []
        text = choice.passage.hit.article.text
        sentence = text[choice.sentence_start : choice.sentence_end]
        readings = [sentence]
        if _LEANS_ON_BEFORE.match(sentence):
            before = [s for s in choice.passage.sentences if s.end <= choice.sentence_start]
            previous = text[before[-1].start : before[-1].end].strip() if before else ""
            # a sentence, not a heading ("Background") or a line of another paragraph
            if _ENDS_SENTENCE.search(previous) and "\n\n" not in text[before[-1].end : choice.sentence_start]:
                readings.append(f"{previous} {sentence}")
        return readings

    def answer(self, question: str, retrieval: Retrieval, avoid: Sequence[str] = ()) -> Draft:
        draft = self._read(question, retrieval, avoid)
        if asks_precedent(question):
            # "Has the bridge been shut before?": its history ("In 2009 it was shut ..."),
            # a count of the times quoted with the sentence after it that says when
            return self.told_answer(
                retrieval,
                draft,
                # the reader's own sentence stands where it tells of a time before the
                # story's at all ("He played for Chelsea between 2015 and 2018")
                lambda sentence, when: float(
                    tells_of_a_precedent(sentence, when) or says_an_earlier_year(sentence, when)
                ),
                lambda passages, kept: precedent(question, passages, kept),
                with_its_date,
            )
        harm = casualties_asked(question)
        if harm is not None:  # "Was anyone hurt?": "Eleven people were taken to hospital ..."
            return self.told_answer(
                retrieval,
                draft,
                lambda sentence, when: tells_of_casualties(sentence, harm, when),
                lambda passages, kept: casualties(question, harm, passages, kept),
                lambda found: with_the_harm_before(found, harm),
            )
        topic = overview_topic(question)
        if (draft.abstained and draft.text != ABSTAIN_TEXT) or topic is None:
            return draft
        # "What's going on with the Kestrel mine?": the story's own lead says, refused, or
        # answered from a sentence that does not say what was asked about, or with a figure,
        # which says no event ("What's happening with e-scooters in Port Allard?" is not
        # "between them run about 2,400" but the council's ban; "What happened to Chebet's
        # training partner?" keeps "... after her training partner, Mercy Wanjiru, dropped
        # out"); the reader's answer from the lead itself keeps its short answer
        lead = self.lead_answer(question, retrieval.passages[:READ_PASSAGES], avoid)
        if lead is None:
            return draft
        if draft.abstained or not draft.citations:
            return lead if draft.abstained else draft
        quoted, opening = draft.citations[0], lead.citations[0]
        if quoted.article_id == opening.article_id and quoted.start <= opening.start < quoted.end:
            return draft
        # the reader's sentence stands where it says what was asked about, unless the lead
        # says it too and more fully ("What is happening with the Kessler Bridge?" is not
        # "The bridge is not about to fall down", which says "bridge" alone, but the lead
        # that names the Kessler Bridge; "What happened to the striker's contract?" keeps
        # "... terminate his contract" over a lead that never says a contract)
        head = plain_stems(head_word(topic))
        says_topic = head <= plain_stems(quoted.quote) and (
            not head <= plain_stems(opening.quote)
            or self.sentence_support(topic, quoted.quote) >= self.sentence_support(topic, opening.quote)
        )
        if says_topic and not re.search(r"\d", draft.short_answer or ""):
            return draft
        return replace(lead, confidence=draft.confidence)

    def told_answer(
        self,
        retrieval: Retrieval,
        draft: Draft,
        tells: Callable[[str, date], float],
        find: Callable[[Sequence[Passage], Sequence[str]], Found | None],
        extend: Callable[[Found], Found] | None = None,
    ) -> Draft:
        """A question of a kind a news story answers in a sentence of a known shape ("Has
        the bridge been shut before?", "Was anyone hurt?"): the reader's sentence where it
        `tells` it (of the sentence and its story's date), else the sentence `find` finds
        among the passages read (`story_sentences.best_sentence`), quoted as far as
        `extend` says; the reader's answer where none does. It is as answerable as the
        reader found the passages, and no less than the refusal cut."""
        passages = retrieval.passages[:READ_PASSAGES]
        chosen = None
        if draft.citations and not draft.abstained:
            quoted = draft.citations[0]
            holder = next((p for p in passages if p.hit.chunk.id == quoted.chunk_id), None)
            if holder is not None and tells(quoted.quote, article_date(holder.hit.article)) > 0:
                chosen = Found(holder, quoted.start, quoted.end)
        found = chosen or find(passages, retrieval.kept)
        if found is None:
            return draft
        whole = extend(found) if extend is not None else found
        if found is chosen and (whole.start, whole.end) == (found.start, found.end):
            return draft
        said = whole.passage.hit.article.text[whole.start : whole.end]
        citation = citation_for(1, whole.passage.hit, whole.start, whole.end)
        confidence = max(draft.confidence, self.abstain_below)
        return Draft(f"{said} [1]", (citation,), False, self.name, confidence)

    def lead_answer(
        self, question: str, passages: Sequence[Passage], avoid: Sequence[str] = ()
    ) -> Draft | None:
        """The lead sentence of the story a question asks what is going on with ("What's
        going on at Harwick City?", "What happened to the Skywatch-2 launch?", "What's this
        recall about?"): a news story's first sentence says what happened, which is what is
        asked. Only of an article whose lead says what is asked about (half of it by the
        index's term weights, and every name, which the title may say), among the passages
        read, best first, and never a lead already answered (`avoid`); None for any other
        question."""
        topic = overview_topic(question)
        asked = plain_stems(topic) - _NOT_CONTENT_STEMS if topic else set()
        if not topic or not asked:
            return None
        named = {plain_stem(w.lower()) for w in re.findall(r"\b[A-Z][\w-]+", topic)} & asked
        said_before = [normalize_answer(strip_markers(text)) for text in avoid]
        for article in {p.hit.article.id: p.hit.article for p in passages}.values():
            lead = next(
                (
                    s
                    for s in split_sentences(article.text, 0, min(len(article.text), LEAD_WITHIN))
                    if not is_heading(article.text, s.start, s.end)
                ),
                None,
            )
            if lead is None:
                continue
            said = article.text[lead.start : lead.end]
            if not named <= plain_stems(f"{article.title} {said}"):
                continue
            if self.sentence_support(topic, said) < LEAD_SUPPORT:
                continue
            if any(normalize_answer(said) in earlier for earlier in said_before):
                continue
            citation = self._lead_citation(article, lead.start, lead.end, passages)
            if citation is not None:
                return Draft(f"{said} [1]", (citation,), False, self.name, self.abstain_below)
        return None

    @staticmethod
    def _lead_citation(
        article: Article, start: int, end: int, passages: Sequence[Passage]
    ) -> Citation | None:
        """A citation of `article.text[start:end]`, its lead: from a passage read that holds
        it, else from the article's first passage where the lead lies well within it."""
        for passage in passages:
            chunk = passage.hit.chunk
            if passage.hit.article.id == article.id and chunk.start <= start and end <= chunk.end:
                return citation_for(1, passage.hit, start, end)
        if count_words(article.text[:end]) <= LEAD_IN_FIRST_PASSAGE:
            return article_citation(1, article, chunk_id(article.id, 0), start, end)
        return None

    def _read(self, question: str, retrieval: Retrieval, avoid: Sequence[str]) -> Draft:
        passages = retrieval.passages[:READ_PASSAGES]
        if passages and off_collection(question, passages, follow_up=bool(retrieval.kept)):
            return Draft(ABSTAIN_TEXT, (), True, self.name, 0.0)
        inputs = passage_inputs(passages)
        favoured = frozenset(n for n, p in enumerate(passages) if p.hit.article.id in retrieval.kept)
        sentence = self._sentence_prior(question, retrieval.query_vector, passages, inputs)
        asked = _as_the_person_asked(question, passages, retrieval.pronoun_for)
        reading = with_rank_prior(
            self.reader.read(question, inputs, asked), self.rank_weight, favoured, KEPT_PRIOR, sentence
        )
        reading = only_passages(
            reading, naming_passages(question, passages) or kept_passages(question, passages, retrieval.kept)
        )
        confidence = reading.best_answerable
        if not reading.spans or confidence < self.abstain_below:
            return Draft(ABSTAIN_TEXT, (), True, self.name, confidence)
        sentences_only = not wants_short_answer(question)

        def supported(choice: Choice) -> bool:
            return self.idf is not None and self.support(question, choice) >= FALLBACK_SUPPORTED

        choice = choose_span(reading, passages, inputs, avoid, sentences_only, question, supported)
        latest = asks_for_latest(question)
        if choice is not None and latest:  # among about equally good answers, the newest
            newest = newest_first(reading, passages, choice.span, self.rank_weight, RECENT_TOLERANCE)
            newer = choose_span(newest, passages, inputs, avoid, sentences_only, question, supported)
            if newer is not None and newer.span.answerable >= self.abstain_below:
                choice = newer
        if choice is None or self.refuses(question, choice, confidence, retrieval.kept):
            # "nothing more than the answer above" only where what it would answer was
            # answered already; else the articles do not say ("When will the museum
            # reopen?" asked after other questions about it)
            best = (
                choose_span(reading, passages, inputs, (), sentences_only, question, supported)
                if avoid
                else None
            )
            repeats = (
                best is not None
                and best != choice
                and not self.refuses(question, best, confidence, retrieval.kept)
            )
            text = NOTHING_MORE_TEXT if repeats else ABSTAIN_TEXT
            return Draft(text, (), True, self.name, confidence)
        if not sentences_only and not latest and not avoid and not retrieval.kept:  # do the sources agree?
            differing = self._differing(question, reading.without_fallbacks(), passages, inputs, choice)
            if differing is not None:
                return replace(differing, confidence=confidence)
        choice = with_whole_quotation(choice)
        wanted = span_text(choice) if wants_short_answer(question) else None
        note = date_note(question, wanted, choice.passage.hit.article, latest)
        text, short = compose(question, choice, note)
        # a sentence alone keeps its marker right after it, the note follows
        text = f"{text} [1] ({note})" if note and not text.startswith("**") else f"{text} [1]"
        offset = choice.passage.hit.chunk.start
        citation = citation_for(
            1,
            choice.passage.hit,
            choice.sentence_start,
            choice.sentence_end,
            answer_start=offset + choice.span.start if short else None,
            answer_end=offset + choice.span.end if short else None,
        )
        return Draft(text, (citation,), False, self.name, confidence, short_answer=short)

    def _differing(
        self,
        question: str,
        reading: Reading,
        passages: Sequence[Passage],
        inputs: Sequence[PassageInput],
        choice: Choice,
    ) -> Draft | None:
        """ "Sources differ: **310 million euros** [1][3]; **340 million euros** [2]." when
        other articles give another answer about as likely (`conflicts.differing_choices`),
        each answer with the citations of the articles stating it, the best supported first;
        None when the sources agree."""

        def choose(span: ReaderSpan) -> Choice | None:
            one = Reading((span,), reading.answerable)
            return choose_span(one, passages, inputs, (), False, question)

        differing = differing_choices(question, reading.spans, passages, choice, choose, self.abstain_below)
        if not differing:
            return None
        groups = supporting(differing, reading.spans, passages, choose)
        citations: list[Citation] = []
        parts, alternatives = [], []
        for group in groups:
            numbers = []
            for member in group:
                offset = member.passage.hit.chunk.start
                number = len(citations) + 1
                citations.append(
                    citation_for(
                        number,
                        member.passage.hit,
                        member.sentence_start,
                        member.sentence_end,
                        answer_start=offset + member.span.start,
                        answer_end=offset + member.span.end,
                    )
                )
                numbers.append(number)
            short = span_text(group[0])
            parts.append(f"**{short}** " + "".join(f"[{n}]" for n in numbers))
            alternatives.append(Alternative(short, tuple(numbers)))
        text = "Sources differ: " + "; ".join(parts) + "."
        return Draft(
            text,
            tuple(citations),
            False,
            self.name,
            short_answer=span_text(groups[0][0]),
            alternatives=tuple(alternatives),
        )

    def stream(self, question: str, retrieval: Retrieval, avoid: Sequence[str] = ()) -> DraftStream:
        draft = self.answer(question, retrieval, avoid)
        return DraftStream([draft.text, draft])  # whole at once: one delta, no fake typing


def _make(parts: AnswererParts, name: str) -> ReaderAnswerer:
    assert parts.reader is not None  # the registry checks `needs_reader` first
    return ReaderAnswerer(parts.reader, parts.abstain_below, parts.idf)


register_answerer(ReaderAnswerer, _make)
