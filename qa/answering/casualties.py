"""Whether anyone was hurt: the sentence of a story that tells of the dead, the hurt or the
sick.

"Was anyone hurt?", "Did anyone die?", "Anyone in hospital?", "Were any people infected?"
follow almost every news story of an accident, a disaster or an outbreak, and the story
answers in words of its own: "Eleven people were taken to hospital with breathing
difficulties", "One firefighter was treated in hospital for smoke inhalation", "Two people
died during the evacuation", "No human cases have been reported". The reader refuses most
of them (it was trained on questions that reuse their sentence's words). So such a question
is answered from the sentence of the passages read that tells of casualties of the kind
asked (`story_sentences.best_sentence`), the conversation's article first.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from qa.answering.dates import article_date
from qa.answering.retrieval import Passage
from qa.answering.story_sentences import (
    YEAR,
    Found,
    best_sentence,
    of_an_earlier_year,
    previous_in_paragraph,
)
from qa.store.keyword import stem

# no one harmed, told ("The crew returned to Earth safely", "all 40 passengers survived")
_UNHARMED = r"safely|unharmed|unhurt|uninjured|survivors"
# the kinds of harm a question asks of, and the words a story tells each in ("treated" and
# "hospital" only of care: "taken to hospital", "treated for smoke inhalation", never
# "treated unfairly" or "Staff praised the hospital")
_CARE = (
    r"treated\s+(?:in|at|for|by)|(?:to|in|into)\s+(?:the\s+)?(?:[A-Z][\w'’-]*\s+){0,3}hospital|"
    r"hospitali[sz]ed|admitted\s+to|intensive\s+care|inhalation|fractured?|broke\s+(?:his|her|their|a|an)\b|"
    r"kept\s+overnight|discharged|hospital\s+said"
)
_KINDS = {
    "death": r"die[ds]?|dying|dead|deaths?|killed|killing|fatal(?:ly|ities)?|lost\s+their\s+lives|bodies|"
    + _UNHARMED,
    "injury": rf"hurt|injur(?:y|ies|ed|ing)|wounded|casualt(?:y|ies)|harmed|{_CARE}|" + _UNHARMED,
    "illness": r"sick|ill(?!-)|illness(?:es)?|infected|infections?|cases|poisoned|harmed|symptoms",
}
_KIND_WORDS = {kind: re.compile(rf"\b(?:{words})\b", re.I) for kind, words in _KINDS.items()}
# the harm a question asks of, said right after whom it asks about ("Was anyone hurt?",
# "Did anybody die?", "Anyone in hospital?", "Has anyone got sick from it?", "Were any
# people infected?"), or as what there was ("Were there any casualties?"); never a harm
# the question only names ("Was anyone arrested over the killing?")
_ASKED_HARM = {
    "death": r"die[ds]?|dead|killed|(?:lose|lost)\s+their\s+li(?:fe|ves)|deaths|fatalities",
    "injury": r"hurt|injured|wounded|harmed|hospitali[sz]ed|in\s+(?:the\s+)?hospital|casualties|injuries",
    "illness": r"sick|ill|infected|poisoned|cases",
}
_ANYONE_ASKED = re.compile(
    r"^\s*(?:(?:and|so|but)\s+)?(?:(?:was|were|is|are|has|have|had|did|do|does)\s+)?"
    r"(?:(?P<there>there\s+)?any\s+(?P<what>casualties|deaths|injuries|fatalities|cases)\b"
    r"|(?:anyone|anybody|someone|somebody|any\s+(?:\w+\s+)?(?:people|one|person|staff|workers|residents|"
    r"passengers|children|humans|patients))\s+(?:(?:else|actually|still|seriously|badly|critically|"
    r"fatally|been|be|being|get|got|gotten|getting|become|became|fall|fallen|fell|end\s+up|ended\s+up|"
    # "Did anyone suffer injuries?", "Did anybody sustain serious injuries?"
    r"suffer|suffered|suffering|sustain|sustained|any|serious|minor|major|life-threatening)\s+)*"
    r"(?P<harm>\w+(?:\s+(?:the\s+)?hospital|\s+their\s+li(?:fe|ves))?))",
    re.I,
)
# no one harmed, said so ("No one", "No-one", "nobody", "no human cases")
_DENIAL = r"no[\s-]one|nobody|none|no\s+(?:\w+\s+)?(?:cases|injuries|deaths|casualties|fatalities)"
# who a sentence of harm tells of: people ("Eleven people", "One firefighter"), no one ("No
# human cases"), or a count beside the harm ("killing 12", "30 dead"); never a count of
# something else ("a 10-kilometre control zone around the infected farms")
_PEOPLE_TOLD = re.compile(
    rf"\b(?:{_DENIAL}|people|"
    r"persons?|man|men|woman|women|child(?:ren)?|boys?|girls?|babies|baby|toddlers?|teenagers?|"
    r"firefighters?|workers?|residents?|passengers?|patients?|staff|students?|pupils?|motorists?|"
    r"pedestrians?|drivers?|riders?|officers?|soldiers?|civilians?|victims?|villagers?|tourists?|"
    r"climbers?|crew|miners?|teachers?|parents?|fans?|spectators?|guests?|customers?)\b"
    r"|\b(?:killing|injuring|wounding|hurting|killed|injured|wounded|hurt)\s+"
    r"(?:at\s+least\s+|about\s+|around\s+|nearly\s+|more\s+than\s+)?\d"
    r"|\b\d[\d,]*\s+(?:were\s+)?(?:dead|killed|injured|hurt|wounded)\b",
    re.I,
)
# how things stand now, asked ("Anyone still in hospital?") and told ("were released on
# Sunday", "remains in a serious condition")
_STILL_ASKED = re.compile(r"\b(?:still|now|remain)\b", re.I)
_STILL_TOLD = re.compile(
    r"\b(?:still|remains?|remained|released|discharged|kept|continues?|recovering|condition)\b", re.I
)
# a name with its number ("Apollo 13", "Super Bowl 50"): a sentence of another of the same
# name ("Apollo 1") tells of that one
_NUMBERED_NAME = re.compile(r"\b([A-Z][\w-]+(?:\s+[A-Z][\w-]+)*)\s+(\d+|[IVXL]+)\b")


# the words such a question asks with: never what it is about
_HARM_WORDS = frozenset(
    stem(w)
    for w in [
        "anyone",
        "anybody",
        "someone",
        "somebody",
        "any",
        "people",
        "person",
        "one",
        "get",
        "got",
        "still",
        "there",
        "else",
        "actually",
    ]
) | frozenset(stem(w) for words in _KINDS.values() for w in re.findall(r"[a-z]+", words))


def casualties_asked(question: str) -> str | None:
    """The kind of harm `question` asks, yes or no, whether anyone came to ("death",
    "injury", "illness"), or None: "Was anyone hurt?" → "injury", "Did anyone die?" →
    "death", "Has anyone got sick from it?" → "illness"; never "How many people died?"."""
    asked = _ANYONE_ASKED.match(question.partition(", regarding ")[0])
    if asked is None or YEAR.search(question):
        return None  # "Did anyone die in 2009?" asks of another time
    harm = asked["what"] or asked["harm"]
    return next(
        (kind for kind, words in _ASKED_HARM.items() if re.fullmatch(rf"(?:{words})", harm, re.I)), None
    )


def tells_of_casualties(sentence: str, kind: str, today: date) -> float:
    """How well `sentence` tells of harm of `kind` to people (0 where it does not): the
    kind asked counts 2, another kind 1 ("Two people died" answers "Was anyone hurt?"
    too); never a sentence of an earlier time ("In 2008 an avalanche killed two")."""
    if of_an_earlier_year(sentence, today):
        return 0.0
    if _PEOPLE_TOLD.search(sentence) is None:
        return 0.0
    if _KIND_WORDS[kind].search(sentence):
        return 2.0
    return 1.0 if any(words.search(sentence) for words in _KIND_WORDS.values()) else 0.0


def casualties(
    question: str, kind: str, passages: Sequence[Passage], kept: Sequence[str] = (), today: date | None = None
) -> Found | None:
    """The sentence of `passages` that tells of harm of `kind` (`tells_of_casualties`), of
    the conversation's articles first (`best_sentence`): one that tells how things stand
    where that is asked ("Anyone still in hospital?": "... were released on Sunday"), and
    never one of another of a numbered name the question says ("Apollo 1" for "Apollo 13")."""

    still = _STILL_ASKED.search(question) is not None
    numbered = dict(_NUMBERED_NAME.findall(question))

    def weigh(sentence: str, when: date) -> float:
        told = dict(_NUMBERED_NAME.findall(sentence))
        if any(name in told and told[name] != number for name, number in numbered.items()):
            return 0.0  # "the Apollo 1 cabin fire that killed the entire crew" of Apollo 13
        weight = tells_of_casualties(sentence, kind, when)
        return weight + 1.0 if weight and still and _STILL_TOLD.search(sentence) else weight

    return best_sentence(question, passages, kept, weigh, _HARM_WORDS, today)


# a sentence that says no one came to harm ("No one was seriously hurt.")
_NO_ONE = re.compile(rf"\b(?:{_DENIAL})\b", re.I)


def with_the_harm_before(found: Found, kind: str) -> Found:
    """`found` quoted with the sentence before it, in its paragraph and its passage, where
    `found` says no one came to harm and that one tells of harm ("Three people were taken
    to hospital with minor injuries ... No one was seriously hurt."); else as it is."""
    article = found.passage.hit.article
    if _NO_ONE.search(article.text[found.start : found.end]) is None:
        return found
    before = previous_in_paragraph(found)
    if before is None or not tells_of_casualties(
        article.text[before.start : before.end], kind, article_date(article)
    ):
        return found
    return replace(found, start=before.start)
