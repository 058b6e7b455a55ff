"""Parts of speech of a question, from a tagger that ships its model.

The tagger is pattern's Brill tagger with its English lexicon and chunking rules, as
vendored by TextBlob (`textblob.en`, MIT licence, ~1.2 MB lexicon, no downloads); about
0.2 ms a question once its lexicon is loaded (~0.2 s, once). Only `textblob.en` is loaded:
TextBlob's package front imports NLTK (~2 s) for parts this module does not use, so the
`textblob` package is entered without running its `__init__`.

A follow-up's referent is a whole noun phrase: "the fishermen" of "How much compensation
are the fishermen seeking?", never "the fishermen seeking" (`references.definite_phrases`
ends a phrase at a word tagged as a verb).
"""

from __future__ import annotations

import importlib.util
import re
import sys
import threading
import types
from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Any

from qa.store.keyword import stem

_LOCK = threading.Lock()


@lru_cache(maxsize=1)
def _parse() -> Callable[..., Any]:
    with _LOCK:
        if "textblob" not in sys.modules:
            spec = importlib.util.find_spec("textblob")
            if spec is None or spec.submodule_search_locations is None:
                raise ImportError("textblob is not installed")
            package = types.ModuleType("textblob")
            package.__path__ = list(spec.submodule_search_locations)
            sys.modules["textblob"] = package
        from textblob.en import parse

        parse("Who led the talks?")  # its lexicon loads on first use: once, under the lock
        return parse


# the past of irregular verbs and their plain form ("won": "win", "left": "leave")
IRREGULAR_PAST = dict(
    pair.split(":")
    for pair in (  # noqa: SIM905
        "won:win gave:give led:lead took:take made:make said:say beat:beat went:go came:come got:get "
        "found:find told:tell built:build bought:buy brought:bring sold:sell wrote:write ran:run "
        "began:begin left:leave paid:pay held:hold kept:keep became:become met:meet sent:send "
        "spent:spend lost:lose chose:choose drove:drive threw:throw fought:fight taught:teach "
        "caught:catch thought:think knew:know saw:see struck:strike broke:break spoke:speak "
        "stole:steal fell:fall rose:rise grew:grow drew:draw hit:hit put:put set:set cut:cut "
        "shot:shoot sat:sit stood:stand understood:understand rode:ride hid:hide forgot:forget "
        "ate:eat drank:drink flew:fly wore:wear sang:sing swam:swim woke:wake bore:bear tore:tear "
        "sank:sink shook:shake froze:freeze fled:flee dug:dig lent:lend bent:bend "
        "overtook:overtake undertook:undertake withdrew:withdraw"
    ).split()
)
# every form of an irregular verb, by each of them ("leave": {"leave", "left"})
VERB_FORMS: dict[str, frozenset[str]] = {}
for _past, _plain in IRREGULAR_PAST.items():
    VERB_FORMS[_plain] = VERB_FORMS.get(_plain, frozenset({_plain})) | {_past}
for _past, _plain in IRREGULAR_PAST.items():
    VERB_FORMS[_past] = VERB_FORMS[_plain]


def warm() -> None:
    """Load the tagger's lexicon now (a server does this once, off the answer path)."""
    _parse()


def plural(phrase: str) -> str:
    """The plural of a common noun phrase, its last word inflected ("comprehensive school"
    → "comprehensive schools", "city" → "cities")."""
    _parse()
    from textblob.en.inflect import pluralize

    words = phrase.split()
    return " ".join([*words[:-1], pluralize(words[-1])]) if words else phrase


_CONTRACTED = {"m": "VBP", "re": "VBP", "ve": "VBP", "ll": "MD", "d": "MD"}


@lru_cache(maxsize=4096)
def tagged(text: str) -> tuple[tuple[str, str, str], ...]:
    """(word, Penn tag, chunk tag) of every token of `text`; possessive "'s", a
    negation's "n't" and a contracted verb ("'m", "'re", "'ll") one token each; "ok" an
    adjective; a question's only verb read as a noun is put right (`_with_a_verb`)."""
    plain = text.replace("’", "'")
    parsed = _parse()(plain, tokenize=True, tags=True, chunks=True, relations=False, lemmata=False)
    tokens: list[tuple[str, str, str]] = []
    for sentence in parsed.split():
        for word, tag, chunk, *_ in sentence:
            if tokens and tokens[-1][0] == "'" and word.lower() == "s":
                tokens[-1] = ("'s", "POS", "I-NP")  # the tokenizer splits "Halden's" in three
                continue
            if (
                len(tokens) > 1
                and tokens[-1][0] == "'"
                and tokens[-2][0].lower() == "n"
                and word.lower() == "t"
            ):
                # and "can't" in four ("ca", "n", "'", "t"): "t people" is no phrase
                tokens[-2:] = [("n't", "RB", "O")]
                continue
            if (
                len(tokens) > 1
                and tokens[-1][0] == "'"
                and word.lower() in _CONTRACTED
                and tokens[-2][1] in ("PRP", "WP", "WRB", "WDT", "EX")  # "I'm", "Who'd", never "the 'd'"
            ):
                # "I'm", "they're", "we've", "you'll", "he'd": a verb, never a noun "m"
                tokens[-1] = (f"'{word}", _CONTRACTED[word.lower()], "B-VP")
                continue
            if word.lower() in ("ok", "okay", "alright") and tag.startswith("NN"):
                tag, chunk = "JJ", "B-ADJP"  # "was he ok?": how he was, never "the driver ok"
            tokens.append((word, tag, chunk))
    return _with_a_verb(_verb_after_do(tokens))


def _verb_after_do(tokens: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    """A question with "do", "will" or "can" before its subject and no verb the tagger
    reads after it has one: the last noun of the subject, after a noun of its own ("When do
    the new prices kick in?": "kick", never "the new prices kick")."""
    if not tokens or tokens[-1][0] != "?":
        return tokens
    opening = 1 if tokens[0][0].lower() in ("and", "but", "so") else 0  # "And did the price cap work?"
    at = next((n for n, (w, _, _) in enumerate(tokens[:5]) if w.lower() in _BASE_AUXILIARIES), None)
    # after a question word ("When", "How much", "Which sailings") or none ("Did the council vote?")
    if at is None or not all(t.startswith(("W", "RB", "JJ", "NN")) for _, t, _ in tokens[opening:at]):
        return tokens
    rest = tokens[at + 1 :]
    if any(t.startswith("VB") or t == "MD" for _, t, _ in rest):
        return tokens
    n = at + 1
    while n < len(tokens) and tokens[n][2] in ("B-NP", "I-NP") and (n == at + 1 or tokens[n][2] == "I-NP"):
        n += 1
    last = n - 1  # the subject's last word, where a particle, a preposition or the end follows
    if (
        last > at + 1
        and n < len(tokens)
        and tokens[n][1] in ("IN", "RP", "TO", ".")
        and tokens[last][1] == "NN"
        and tokens[last - 1][1] in ("NN", "NNS", "NNP", "NNPS")
        # after a plural or a name ("the new prices kick", "Carolina score"), or a subject of
        # one noun ("the council vote"); "the government ban alcohol" has its verb inside
        and (
            tokens[last - 1][1] != "NN"
            or sum(t.startswith("NN") for _, t, _ in tokens[at + 1 : last + 1]) == 2
        )
    ):
        tokens = list(tokens)
        tokens[last] = (tokens[last][0], "VB", "B-VP")
    return tokens


def _with_a_verb(tokens: list[tuple[str, str, str]]) -> tuple[tuple[str, str, str], ...]:
    """A question the tagger reads no verb in has one: the plural noun after a noun of the
    phrase it opens with ("Which professional skateboarder lives in southern California?":
    "lives"), where a preposition, determiner or adverb follows it and the lexicon knows
    the word without its "s" first as a verb ("live"); never in a fragment ("What about
    the oil prices?", "Which party leaders in the debate?": "leader" is a noun)."""
    if (
        not tokens
        or tokens[-1][0] != "?"
        or tokens[0][1] not in ("WDT", "WP")
        or any(t.startswith("VB") or t == "MD" for _, t, _ in tokens)
    ):
        return tuple(tokens)
    for n in range(1, min(len(tokens) - 1, 5)):
        word, tag, chunk = tokens[n]
        follows = tokens[n + 1][1]
        if (
            tag == "NNS"
            and chunk == "I-NP"
            and tokens[n - 1][1] == "NN"
            and follows in ("IN", "DT", "TO", "RB", "PRP$", "PRP", "EX")
            and _verb_first(word)
        ):
            tokens[n] = (word, "VBZ", "B-VP")
            break
    return tuple(tokens)


def plain_stem(word: str) -> str:
    """The stem of a lower-case `word`, an irregular verb's past as its plain form ("left"
    as "leave"), so that a question's "leave" is said by "left"."""
    return stem(IRREGULAR_PAST.get(word, word))


def _verb_first(word: str) -> bool:
    """Whether the lexicon's likeliest tag of `word` without its "s" or "es" is a verb's."""
    stems = [word[:-1], word[:-2]] if word.endswith("es") else [word[:-1]]
    return any(lexicon_tag(s) in ("VB", "VBP") for s in stems if s)  # never "crossing" (VBG)


def is_common_word(word: str) -> bool:
    """True when the tagger's lexicon knows `word`, lower-cased, as other than a proper noun
    ("Engineers", "Officials" at a sentence's start are no names; "Lukashenko" is unknown)."""
    tag = lexicon_tag(word)
    return tag is not None and not tag.startswith("NNP")


def lexicon_tag(word: str) -> str | None:
    """The tagger's lexicon's tag of `word`, lower-cased (its likeliest), or None."""
    _parse()
    from textblob.en import lexicon

    tag = lexicon.get(word.lower())
    return tag if isinstance(tag, str) else None


def verb_starts(text: str) -> dict[int, str]:
    """Character offsets in `text` of the words the tagger reads as verbs (modals too), with
    their tags."""
    return {at: tag for at, tag in word_tags(text).items() if tag.startswith("VB") or tag == "MD"}


def word_tags(text: str) -> Mapping[int, str]:
    """The tagger's tag of each word of `text`, by the character offset it starts at (read
    once per text: a phrase's words each ask)."""
    return _word_readings(text)[0]


def word_chunks(text: str) -> Mapping[int, str]:
    """The chunker's tag of each word of `text` ("B-NP": a noun phrase begins there), by
    the character offset it starts at."""
    return _word_readings(text)[1]


@lru_cache(maxsize=4096)
def _word_readings(text: str) -> tuple[Mapping[int, str], Mapping[int, str]]:
    tags: dict[int, str] = {}
    chunks: dict[int, str] = {}
    for (_, tag, chunk), span in zip(tagged(text), word_spans(text), strict=True):
        if span is not None:
            tags[span[0]] = tag
            chunks[span[0]] = chunk
    return types.MappingProxyType(tags), types.MappingProxyType(chunks)


@lru_cache(maxsize=4096)
def word_spans(text: str) -> tuple[tuple[int, int] | None, ...]:
    """Where each word `tagged` reads in `text` is (start, end), in order ("n't" of "can't"
    after "ca"; a curly apostrophe as typed); None for one not found as the tagger gives it."""
    spans: list[tuple[int, int] | None] = []
    position = 0
    for word, _, _ in tagged(text):
        found = _surface(text, [word], position)
        if found is not None:
            position = found.end()
        spans.append((found.start(), found.end()) if found is not None else None)
    return tuple(spans)


def _surface(text: str, words: list[str], start: int) -> re.Match[str] | None:
    pattern = r"\s*".join(re.escape(w).replace("'", "['’]") for w in words)
    return re.compile(pattern).search(text, start)


# words that open a noun phrase without being part of what it names ("most ctenophore
# species" is about ctenophore species)
_QUANTIFIERS = frozenset("most some many all both each every several few any much".split())  # noqa: SIM905
# pronouns of no one in particular, which the tagger may read as nouns
_INDEFINITE = frozenset(
    "anyone anybody anything someone somebody something everyone everybody everything nobody nothing".split()  # noqa: SIM905
)


def noun_phrases(text: str) -> list[str]:
    """The common noun phrases of `text` as the tagger's chunker reads them, without a
    leading determiner, possessive or quantifier: "ctenophores", "mid-ocean ridges",
    "ctenophore species". A phrase that asks ("which famous scientist"), one that opens with
    "the" (`references.definite_phrases` reads those whole) and one that is a name are left
    out: they are found elsewhere."""
    found = []
    tokens = tagged(text)
    chunk: list[tuple[str, str]] = []
    previous = ""
    padded = (*tokens, ("", ".", "O"))
    for n, (word, tag, label) in enumerate(padded):
        # a gerund after a noun that ends the question is the noun's compound ("Who developed
        # packet switching?"), not a verb
        last = n + 1 == len(tokens) or (n + 1 < len(tokens) and padded[n + 1][1] in (".", ",", ":"))
        if tag == "VBG" and chunk and chunk[-1][1] == "NN" and last:
            chunk.append((word, "NN"))
            previous = "NN"
            continue
        # a plural noun ends its phrase ("ctenophore species | hermaphrodites"): the chunker
        # runs a copula's subject and complement together
        if label == "I-NP" and chunk and not (tag.startswith("NN") and _plural(*chunk[-1])):
            chunk.append((word, tag))
            previous = tag
            continue
        phrase = _common_phrase(chunk)
        if phrase and phrase not in found:
            found.append(phrase)
        # the noun a question word asks about is no referent ("Whose | son ...?")
        chunk = [(word, tag)] if label in ("B-NP", "I-NP") and previous not in ("WP$", "WDT", "WP") else []
        previous = tag
    return found


def _plural(word: str, tag: str) -> bool:
    return tag == "NNS" or (
        tag == "NN" and word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 3
    )


def _common_phrase(chunk: list[tuple[str, str]]) -> str:
    """The words of one NP chunk that name a kind of thing, or "" (see `noun_phrases`)."""
    if not chunk or chunk[0][1] in ("WDT", "WP", "WP$") or chunk[0][0].lower() in ("the", "which", "what"):
        return ""
    if chunk[0][0].lower() in _INDEFINITE:
        return ""  # "anyone vote" of "Did anyone vote against it?": the tagger's nouns
    while chunk and (chunk[0][1] in ("DT", "PDT", "PRP$", "CD") or chunk[0][0].lower() in _QUANTIFIERS):
        chunk = chunk[1:]
    if not chunk or not chunk[-1][1].startswith("NN") or any(tag.startswith("NNP") for _, tag in chunk):
        return ""
    if any(tag in ("PRP", "POS") for _, tag in chunk):
        return ""
    return " ".join(word for word, _ in chunk)


# auxiliaries that put a question's subject after them ("Who does the chief executive
# blame?"); forms of "be" are not among them: "Who is the chief executive?" asks for the
# subject itself
_DO_AUXILIARIES = frozenset(
    "do does did will would can could should shall may might must has have had".split()  # noqa: SIM905
)
# the auxiliaries a question's main verb follows in its base form
_BASE_AUXILIARIES = _DO_AUXILIARIES - {"has", "have", "had"}


def question_subject(question: str) -> tuple[str, str] | None:
    """The subject and the main verb of a question that asks for something else than its
    subject: a wh-question whose auxiliary comes before its subject ("Who does the chief
    executive blame?" gives ("the chief executive", "blame")); None for other questions, a
    subject that is a pronoun, or one the tagger reads no verb after."""
    tokens = tagged(question)
    if not tokens or (not tokens[0][1].startswith("W") and tokens[0][1] != "IN"):
        return None
    at = next((n for n, (word, _, _) in enumerate(tokens[:6]) if word.lower() in _DO_AUXILIARIES), None)
    if at is None or not any(tag.startswith("W") for _, tag, _ in tokens[:at]):
        return None
    subject: list[tuple[str, str]] = []
    perfect_auxiliary = tokens[at][0].lower() in ("has", "have", "had")
    rest = tokens[at + 1 :]
    for n, (word, tag, _) in enumerate(rest):
        following = rest[n + 1][1] if n + 1 < len(rest) else ""
        perfect = perfect_auxiliary and tag == "VBN" and bool(subject) and subject[-1][1].startswith("NN")
        if subject and tag in ("VBG", "VBN") and following.startswith(("NN", "JJ")) and not perfect:
            # a participle before a noun describes it: "the first full-scale working railway
            # steam locomotive", "the striking workers" (as `references._verb_here`); after
            # "has" a participle after a noun is the verb ("Why has the company paid workers
            # less?")
            subject.append((word, tag))
            continue
        if tag.startswith("VB") or tag == "MD":
            if not subject or all(t in ("PRP", "DT") for _, t in subject):
                return None
            if not any(t.startswith(("NN", "CD")) for _, t in subject):
                return None  # "How many people had to leave?": "had to" is no auxiliary, "to" no subject
            return " ".join(w for w, _ in subject).replace(" 's", "'s"), word
        if tag == "." or tag.startswith("W"):
            return None
        subject.append((word, tag))
    return None
