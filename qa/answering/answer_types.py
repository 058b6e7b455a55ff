"""What kind of answer a question wants (a date, a number, a name, a place, a reason) and
whether a sentence offers one that the question does not already contain."""

from __future__ import annotations

import re
from enum import Enum


class AnswerType(Enum):
    DATE = "date"
    NUMBER = "number"
    PERSON = "person"
    PLACE = "place"
    REASON = "reason"
    OTHER = "other"


_QUESTION_PATTERNS: tuple[tuple[AnswerType, re.Pattern[str]], ...] = (
    (
        AnswerType.NUMBER,
        re.compile(
            r"\bhow (many|much|long|old|far|large|big|tall|high|often|fast|heavy|deep|wide)\b|"
            r"\bwhat (percentage|percent|proportion|number|amount|fraction|share|size|price|cost)\b|"
            r"\bwhat is the (population|total|average|median|rate)\b",
            re.I,
        ),
    ),
    (
        AnswerType.DATE,
        re.compile(
            r"^\s*when\b|\bwhen (did|was|were|is|does|do|will|had|has)\b|"
            r"\b(what|which|in what|in which) (year|years|date|day|month|century|decade|time|era|period|season)\b|"
            r"\bsince when\b|\bhow long ago\b",
            re.I,
        ),
    ),
    (AnswerType.PERSON, re.compile(r"\b(who|whom|whose)\b|\b(what|which) (person|man|woman|people)\b", re.I)),
    (
        AnswerType.PLACE,
        re.compile(
            r"\bwhere\b|\b(what|which|in what|in which) (country|city|town|state|region|place|"
            r"location|continent|area|province|county|village|island|river|street)\b",
            re.I,
        ),
    ),
    (
        AnswerType.REASON,
        re.compile(r"^\s*why\b|\bwhy (did|was|were|is|does|do|had|has)\b|\bfor what reason\b", re.I),
    ),
)

_MONTHS = (
    r"January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan\.|Feb\.|Mar\.|Apr\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\."
)
_DATE = re.compile(
    rf"\b(1[0-9]{{3}}|20[0-9]{{2}})s?\b|\b({_MONTHS})\b|\b(Monday|Tuesday|Wednesday|Thursday|Friday|"
    r"Saturday|Sunday|yesterday|today|tomorrow)\b|\b\d{1,2}(st|nd|rd|th)? century\b|"
    r"\b\d{1,2}:\d{2}\b|\b\d{1,2} ?(a\.m\.|p\.m\.|am|pm)\b|\b(spring|summer|autumn|fall|winter) of\b|"
    r"\b(noon|midday|midnight|morning|afternoon|evening|night|dawn|dusk|overnight)\b"
)
_NUMBER = re.compile(
    r"\d+(?:[.,]\d+)*|\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
    r"fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|"
    r"ninety|hundred|thousand|million|billion|trillion|dozen|dozens|half|twice|once|single|double|"
    r"triple|percent|third|thirds|quarter|quarters|fifth|fifths|tenth|tenths)\b",
    re.I,
)
_DAY_OF_MONTH = re.compile(
    rf"\b(?:{_MONTHS})\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,\s*\d{{4}})?|\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTHS})"
    rf"(?:\s+\d{{4}})?|\b(?:in|since|by|until|of)\s+(?:1[0-9]{{3}}|20[0-9]{{2}})\b"
)
_REASON = re.compile(
    r"\b(because|due to|owing to|so that|in order to|as a result|since|thanks to|led to|caused|"
    r"reason|therefore|in protest|to avoid|to prevent|to protect|to make|to allow|to ensure|so as to)\b",
    re.I,
)
_CAPITALISED = re.compile(
    r"(?<!^)(?<![.!?]\s)\b([A-Z][\w'’-]+(?:\s+(?:of|de|van|von|the|al)?\s*[A-Z][\w'’-]+)*)"
)


def classify_question(question: str) -> AnswerType:
    """The type of answer `question` asks for; OTHER when no cue word says."""
    for answer_type, pattern in _QUESTION_PATTERNS:
        if pattern.search(question):
            return answer_type
    return AnswerType.OTHER


def offers_answer_type(sentence: str, answer_type: AnswerType, question: str) -> bool:
    """True when `sentence` holds something of `answer_type` that `question` lacks."""
    if answer_type is AnswerType.OTHER:
        return False
    if answer_type is AnswerType.REASON:
        return bool(_REASON.search(sentence))
    pattern = {AnswerType.DATE: _DATE, AnswerType.NUMBER: _NUMBER}.get(answer_type, _CAPITALISED)
    if answer_type is AnswerType.NUMBER:  # "June 24" or "2016" is a date, not a count
        sentence = _DAY_OF_MONTH.sub(" ", sentence)
    asked = question.lower()
    return any(not _holds_phrase(asked, match.group(0).lower()) for match in pattern.finditer(sentence))


def _holds_phrase(text: str, phrase: str) -> bool:
    """Whether `phrase` occurs in `text` as whole words (not inside a longer word or number)."""
    return re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", text) is not None


# questions a span cannot answer: yes/no ("Did Putin speak to him?"), why, and how-manner
_YES_NO = re.compile(
    r"^\s*(is|are|was|were|do|does|did|can|could|will|would|should|has|have|had|may|might|must|shall)\b", re.I
)
_EXPLAIN = re.compile(
    r"^\s*(why|how (?!many\b|much\b|long\b|old\b|far\b|large\b|big\b|tall\b|high\b|often\b|fast\b|"
    r"heavy\b|deep\b|wide\b))|\bexplain\b|\bdescribe\b|\bwhat (?:happened|is the difference)\b",
    re.I,
)


def wants_short_answer(question: str) -> bool:
    """False for questions a short span cannot answer (yes/no, why, how something
    happened, describe): those are answered with the supporting sentence alone."""
    return not (_YES_NO.search(question) or _EXPLAIN.search(question))


# words before a span, or after it past a comma or parenthesis, that may open a phrase in
# apposition with it ("Nordtide's chief executive, Henrik Dahl", "Henrik Dahl, the chief
# executive")
_LEADING = re.compile(r"^[\s,(–—-]*(?:(?:the|a|an|its|his|her|their|[\w’'-]+['’]s)\s+)*", re.I)
_WORD = re.compile(r"[\w’'-]+")
_SENTENCE_EDGE = re.compile(r"[.!?;:\n]")
_DETERMINERS = frozenset("the a an its his her their this that these those".split())  # noqa: SIM905
_PREPOSITIONS = frozenset("of to by with for from in on at about against".split())  # noqa: SIM905
_AUXILIARIES = r"(?:(?:has|have|had|also|then|now|did|does|will|would|later)\s+)*"
PREFIX = 5  # words compare by their first five letters ("executive" / "executives")


def is_own_subject(question: str, text: str, start: int, end: int) -> bool:
    """Whether `text[start:end]` names the subject of `question`, a question that asks for
    something else than its subject ("Who does the chief executive blame?"): the span stands
    in apposition with the subject's words ("chief executive Henrik Dahl", "Henrik Dahl, the
    chief executive"), or is what does the question's verb to something else ("Henrik Dahl
    blames the warmer sea": who blames is not whom he blames; "Lukashenko negotiated with
    Prigozhin" still answers "Who did Prigozhin negotiate with?")."""
    from qa.answering.phrases import question_subject

    parsed = question_subject(question)
    if parsed is None:
        return False
    subject, verb = parsed
    words = {_stem(w) for w in _WORD.findall(subject) if w.lower() not in _DETERMINERS}
    if not words:
        return False
    before = _WORD.findall(_SENTENCE_EDGE.split(text[max(0, start - 80) : start])[-1])
    run = 0  # the subject's words right before the span ("chief executive")
    while run < len(before) and _stem(before[-1 - run]) in words:
        run += 1
    if run and (run == len(before) or before[-1 - run].lower() not in _PREPOSITIONS):
        return True  # "the wife of Luther, Katharina" is not Luther
    after = _SENTENCE_EDGE.split(text[end : end + 120])[0]
    if after[:1] in ",(–—" or after[:2] in (" (", " –", " —"):
        leading = _LEADING.match(after)
        following = _WORD.findall(after[leading.end() if leading else 0 :])[:2]
        if any(_stem(w) in words for w in following):
            return True
    acts = re.match(rf"[\s,]*{_AUXILIARIES}{re.escape(_stem(verb))}\w*", after, re.I)
    return acts is not None and not any(_stem(w) in words for w in _WORD.findall(after[acts.end() :]))


def _stem(word: str) -> str:
    """A word folded to compare with its other forms: "blames", "blamed" as "blam"."""
    word = word.lower().replace("’", "'").removesuffix("'s")
    word = word[:-1] if len(word) > 3 and word[-1] in "ey" else word
    return word[:PREFIX]
