"""What kind of answer a question wants (a date, a number, a name, a place, a reason) and
whether a sentence offers one that the question does not already contain."""

from __future__ import annotations

import re
from collections.abc import Sequence
from enum import Enum
from functools import lru_cache

from qa.answering.dates import CALENDAR_WORDS, MONTH_NAMES
from qa.answering.phrases import lexicon_tag, plain_stem, tagged, verb_starts
from qa.answering.references import (
    CONTRACTED,
    before_preposition,
    could_be_person,
    describes_someone,
    is_group,
    names,
    singular,
)
from qa.store.keyword import stem


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


def asks_yes_no(question: str) -> bool:
    """Whether `question` asks yes or no ("Did Putin speak to him?")."""
    return _YES_NO.search(question) is not None


# what one's side is of ("her side of it", "the union's side of the story"): the matter
# argued over, never a place or a thing ("the side of the river")
SIDE_OF = (
    r"(?:\s+of\s+(?:it|this|that|things|events|the\s+(?:story|dispute|argument|matter|row|case|affair)))?"
)
# someone's account asked for ("What's her side of it?", "What's his story then?"): what a
# sentence tells, never a phrase of it ("a syndicate ticket" of "Hebden denies the ticket
# was a syndicate ticket")
_ACCOUNT = re.compile(
    r"\bwhat(?:\s+is|\s+was|['’]s)\s+(?:her|his|their|(?!(?:the\s+)?(?:name|title|headline|subject|year|date)\s+of\b)"
    rf"[^?]{{1,60}}?['’]s?)\s+(?:side{SIDE_OF}|story(?:\s+then)?)\s*[?.!]*\s*$",
    re.I,
)


def wants_short_answer(question: str) -> bool:
    """False for questions a short span cannot answer (yes/no, why, how something
    happened, describe, someone's account): those are answered with the supporting
    sentence alone."""
    return not (_YES_NO.search(question) or _EXPLAIN.search(question) or _ACCOUNT.search(question))


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
    something else than its subject ("Who does the chief executive blame?"): the span, asked
    for a person, stands in apposition with the subject's words ("chief executive Henrik
    Dahl", "Henrik Dahl, the chief executive"), or it is what does the question's verb to something else ("Henrik Dahl
    blames the warmer sea": who blames is not whom he blames; "Lukashenko negotiated with
    Prigozhin" still answers "Who did Prigozhin negotiate with?")."""
    from qa.answering.phrases import question_subject

    asked = classify_question(question)  # a "when" or "where" is never the subject anyway
    wanted = asked in (AnswerType.PERSON, AnswerType.OTHER) and wants_short_answer(question)
    if asked is AnswerType.PERSON and _is_own_object(question, text, start, end):
        return True
    parsed = question_subject(question) if wanted else None
    if parsed is None:
        return False
    subject, verb = parsed
    words = [_stem(w) for w in _WORD.findall(subject) if w.lower() not in _DETERMINERS]
    if not words:
        return False
    head = words[-1]  # "executive" of "the chief executive": what the subject is
    if asked is AnswerType.PERSON and _apposed(text, start, end, words, head):
        return True
    if verb.lower() in ("do", "does", "did"):  # stands for any verb: "What did his mother do?"
        return False
    after = _SENTENCE_EDGE.split(text[end : end + 120])[0]
    acts = re.match(rf"[\s,]*{_AUXILIARIES}{re.escape(_stem(verb))}\w*", after, re.I)
    return acts is not None and not any(_stem(w) in words for w in _WORD.findall(after[acts.end() :]))


_WHO_DID_THE = re.compile(
    r"^\s*who\s+(?!(?:is|was|are|were|be|became|becomes|remains|remained|has|had|have)\b)\w+\s+the\s+((?:[\w'’-]+\s+){0,3}?[\w'’-]+?)(?=\s+(?:that|which|who|of|in|at|for|on|with|from)\b|\s*[?.!]*\s*$)",
    re.I,
)


def _is_own_object(question: str, text: str, start: int, end: int) -> bool:
    """Whether the span names the thing a "Who <did> the X ...?" question is about ("Who led
    the firm that designed it?": the firm is not who led it), standing in apposition with
    the question's words for it ("the engineering firm Nord Struktur"); never of "Who is the
    X?", which the apposition answers."""
    match = _WHO_DID_THE.match(question)
    if match is None:
        return False
    words = [_stem(w) for w in _WORD.findall(match.group(1)) if w.lower() not in _DETERMINERS]
    return bool(words) and _apposed(text, start, end, words, words[-1])


def _apposed(text: str, start: int, end: int, words: list[str], head: str) -> bool:
    """Whether the span `text[start:end]` stands in apposition with a phrase of the
    subject's `words` ending in its `head`: "chief executive Henrik Dahl", "Henrik Dahl, the
    chief executive of Nordtide,". (Only of a person: "Central business districts (CBD)"
    answers "What does CBD stand for?".)"""
    from qa.answering.phrases import verb_starts

    before = _WORD.findall(_SENTENCE_EDGE.split(text[max(0, start - 80) : start])[-1])
    run = 0  # the subject's words right before the span ("chief executive")
    while run < len(before) and _stem(before[-1 - run]) in words:
        run += 1
    # (but "the wife of Luther, Katharina" is not Luther)
    apposed = run == len(before) or before[-1 - run].lower() not in _PREPOSITIONS
    if run and _stem(before[-1]) == head and apposed:
        return True
    after = _SENTENCE_EDGE.split(text[end : end + 120])[0]
    if after[:1] not in ",(–—" and after[:2] not in (" (", " –", " —"):
        return False
    leading = _LEADING.match(after)
    # the phrase up to the next comma, parenthesis or dash: "the chief executive of
    # Nordtide", an apposition when it holds no verb ("In 1870, Tesla moved" is none)
    phrase = re.split(r"[,()–—]", after[leading.end() if leading else 0 :], maxsplit=1)[0]
    following = _WORD.findall(phrase)[:3]
    return head in {_stem(w) for w in following} and not verb_starts(phrase)


def _stem(word: str) -> str:
    """A word folded to compare with its other forms: "blames", "blamed" as "blam"."""
    word = word.lower().replace("’", "'").removesuffix("'s")
    word = word[:-1] if len(word) > 3 and word[-1] in "ey" else word
    return word[:PREFIX]


# the kind of quantity a unit measures, and which kinds answer "how fast / old / far ..."
_UNITS = (
    ("time", r"years?|months?|weeks?|days?|hours?|minutes?|seconds?|decades?|centuries|century"),
    ("clock", r"mornings?|evenings?|nights?|afternoons?|o'clock|a\.m\.|p\.m\."),
    ("length", r"km|kilomet(?:re|er)s?|miles?|met(?:re|er)s?|feet|foot|inch(?:es)?|yards?|cm|mm"),
    ("mass", r"kg|kilograms?|grams?|tonnes?|tons?|pounds?|lbs?"),
    ("money", r"euros?|dollars?|kroner|yen|yuan|\$|€|£"),
)
_UNIT = re.compile(
    r"(?:\d[\d,.]*|\b(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|twelve|twenty|thirty|"
    r"forty|fifty|hundred|thousand|million|several|few)\b)\s*-?\s*(?:"
    + "|".join(f"(?P<{kind}>{pattern})" for kind, pattern in _UNITS)
    + r")(?!\w)",
    re.I,
)
# a unit of money, length, weight or share ("euros", "million euros", "per cent", "kilometres")
_UNIT_WORDS = re.compile(
    r"(?:(?:hundred|thousand|million|billion|trillion|bn|m)\s+)?"
    r"(?:euros?|dollars?|kroner|krone|kronor|yuan|pounds?|pence|cents?|percent|per\s+cent|%"
    r"|km|kilomet(?:re|er)s?|miles?|met(?:re|er)s?|cm|mm|kg|kilograms?|grams?|tonnes?|tons?|lbs?)"
)
# the end of an amount said right before ("180 million", "2.5", "12")
_AMOUNT_BEFORE = re.compile(r"\d(?:[\d,.]*\d)?\s*(?:(?:hundred|thousand|million|billion|trillion|bn|m)\s*)?$")


def unit_cut_off(text: str, start: int, end: int) -> bool:
    """Whether the span `text[start:end]` is a unit cut off from the amount right before it:
    "euros" of "180 million euros"; "euro" of "Croatia adopted the euro" is an answer."""
    return _UNIT_WORDS.fullmatch(text[start:end].strip().rstrip(".")) is not None and bool(
        _AMOUNT_BEFORE.search(text[max(0, start - 40) : start])
    )


def measures(span: str) -> bool:
    """Whether `span` gives an amount of a unit ("2 years", "14 km", "12 million euros")."""
    return _UNIT.search(span) is not None


_SPEED = re.compile(r"\bper\b|/|\b(?:an|a|per) (?:hour|second|minute)\b|\bmph\b|\bknots?\b|\bmach\b", re.I)
_MEASURED = re.compile(r"\bhow (fast|old|far|tall|high|deep|wide|heavy|long)\b", re.I)
_ANSWERS_MEASURE = {
    "fast": set(),  # a speed: a distance per time, never a time or a distance alone
    "old": {"time"},
    "far": {"length", "time"},  # "two hours away"
    "tall": {"length"},
    "high": {"length"},
    "deep": {"length"},
    "wide": {"length"},
    "heavy": {"mass"},
    "long": {"time", "length", "clock"},
}


# "How much are the sketches worth?": an amount, never a bare count in words ("two" of "two
# pencil sketches"); "How much time ...?" may be any quantity
_HOW_MUCH = re.compile(
    r"^\s*(?:and\s+)?how\s+much\b(?!\s+(?:time|longer|older|later|earlier|further)\b)", re.I
)
_BARE_COUNT = re.compile(
    r"^(?:about |around |some |nearly |almost |over |only |more than )?"
    r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)[.,]?$",
    re.I,
)  # in words: a figure ("12" for "How much did prices rise?") may have its unit beside it

# "How much will a dose cost?", "How much was the painting worth?": an amount of money ...
_MONEY_ASKED = re.compile(
    r"^\s*(?:and\s+)?how\s+much\b(?!\s+(?:time|of|paid\s+leave|longer|later)\b)[^?]*?\b(?:cost|costs|costing|"
    r"pay|pays|paid|price|priced|worth|charge|charges|charged|spend|spends|spent|fee|fees|fine|fined|"
    r"earn|earns|earned|insured|valued)\b"
    # "For how much?", "Sold for how much?" (never "For how much longer ...?")
    r"|^\s*(?:and\s+)?(?:\w+\s+)?for\s+how\s+much\b(?!\s+(?:longer|time|later|more)\b)"
    # "What are the coins worth?", "What were they worth?"
    r"|^\s*(?:and\s+)?what(?:['’]re|['’]s|\s+(?:is|are|was|were|will|would|could|might))\b[^?]*\bworth\s*\??\s*$",
    re.I,
)
# ... never a count of things ("20 million doses", "one dose"), where the span says no money
_MONEY_SAID = re.compile(
    r"[$€£¥₹]|\b(?:[A-Z]{3}|(?i:euros?|dollars?|pounds?|kroner|krone|krona|kronor|crowns?|francs?|rupees?|yen|"
    r"yuan|cents?|pence|reais|real|roubles?|rubles?|pesos?|rand|lira|zloty|won|dirhams?|riyals?|shekels?)|bn|m)\b"
)
_THINGS_COUNTED = re.compile(
    r"(?:\d[\d,.]*(?:\s+(?:hundred|thousand|million|billion|trillion))?\s+[a-z]+s"
    r"|\b(?i:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+"
    r"(?!(?:of|for|in|on|at|to|and|or|but|the|a|an|per|each|more|less|than|hundred|thousand|million|billion|"
    r"thirds?|quarters?|halves|half)\b)[a-z]+)\b"
)


# a time that is the rate or the period of a sum: "12.50 an hour", "1.2 billion over five years"
_PERIOD_OF_A_SUM = re.compile(r"\b(?:over|for|per|each|every|a|an|within)\s*$", re.I)


def _another_measure(span: str) -> bool:
    """Whether `span` gives a length, a weight or a time that is no rate or period of a sum
    ("2,100 kilograms", "up to four years"; not "12.50 an hour", "1,200 a month", "1.2
    billion over five years")."""
    for unit in _UNIT.finditer(span):
        if not (unit.group("length") or unit.group("mass") or unit.group("time")):
            continue
        if re.match(r"(?:an?|one)\b", unit.group(0), re.I) or _PERIOD_OF_A_SUM.search(span[: unit.start()]):
            continue
        return True
    return False


# a time of day asked: "What time of day ...?", "At what hour ...?"; never "At what time
# did the Soviet Union collapse?" (a date, asked so), "What time did she finish in?" (a
# race), nor "Which hour-long documentary ...?"
_CLOCK_ASKED = re.compile(r"\b(?:what|which)\s+(?:time\s+of\s+(?:the\s+)?day\b|hour\b(?!-))", re.I)
_HOURS = r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|1[0-2]|[1-9])"
_DAYS = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
# a time of day said: "3:15", "10 p.m.", "seven o'clock", "around noon", "in the early
# hours", "0300 GMT", "1930 hours", "half past three", "twenty past seven", "nine-thirty",
# "at nightfall", "late Tuesday" (news style), or only the hour ("shortly before six")
_CLOCK_SAID = re.compile(
    r"\b\d{1,2}[:.]\d{2}\b|\b\d{1,2}\s?(?:a\.?m\b\.?|p\.?m\b\.?)|o['’]clock|\b(?:noon|midday|midnight|"
    r"morning|afternoon|evening|night|nightfall|dawn|dusk|daybreak|sunrise|sunset|twilight|predawn|"
    r"lunchtime|overnight|tonight)\b|\b(?:early|small|wee)\s+hours\b|\bfirst\s+light\b|\bafter\s+dark\b"
    r"|\b(?:GMT|UTC|local\s+time)\b|\b[0-2]\d{3}\s*hours\b|\b(?:half|quarter)\s+(?:past|to)\b"
    rf"|\b[a-z-]+\s+(?:past|to)\s+{_HOURS}\b|\b{_HOURS}-(?:thirty|fifteen|forty-five)\b"
    rf"|\b(?:early|late)\s+{_DAYS}\b"
    r"|^\s*(?:(?:at|around|about|roughly|approximately|shortly|soon|just|a\s+little|before|after|by|until)\s+)*"
    rf"{_HOURS}\s*$",
    re.I,
)


# "Where is it?"; and a span that opens with a number ("1,703 metres", "about 40 km")
_WHERE = re.compile(r"^\s*(?:(?:and|but|so)\s+)?where\b", re.I)
_QUANTITY = re.compile(r"^\s*(?:(?:about|around|some|nearly|almost|roughly|more\s+than)\s+)?[\d.,]*\d")
_SEA_LEVEL = re.compile(r"^\s*(?:above|below)\s+(?:mean\s+)?sea\s+level\b", re.I)
# what puts a distance somewhere: a name, or a word of place ("from", "north of", "off")
_PLACED = re.compile(
    r"[A-Z]|\b(?:from|of|north|south|east|west|near|outside|off|behind|beyond|away|inside|in|at|on|"
    r"along|across|upstream|downstream)\b"
)


def _may_be_a_place(span: str) -> bool:
    """Whether `span` may answer "where": not a distance that puts nothing somewhere
    ("1,703 metres above sea level"; "40 km north of Oslo" and "300 metres from the zoo"
    are places), nor a clause ("rises 1,703 metres ...")."""
    if _SEA_LEVEL.match(span):
        return False
    first = next(iter(span.split()), "")
    if first[:1].islower() and lexicon_tag(first) in ("VBZ", "VBD", "VBP"):
        return False
    number = _QUANTITY.match(span)
    if number is None:
        return True
    unit = _UNIT.search(span)
    if unit is None or unit.start() >= number.end():
        # a number of no unit ("1856", "5.9%"; an address, "10 Downing Street") is the
        # reader's to judge: passing it over takes another sentence, most often a worse one
        return True
    return _PLACED.search(span[unit.end() :]) is not None


def measures_what_is_asked(question: str, span: str) -> bool:
    """False when a "how fast / old / far / tall / heavy / long" question would be answered
    by a quantity of another kind: "three hours" for "How fast did the train go?", "one
    evening" or "1960" for "How old was he?", "12 million euros" for "How long is the bridge?";
    a "how much" question by a bare count ("two" for "How much are the sketches worth?"); a
    "where" question by a quantity that names no place ("1,703 metres above sea level"); or
    a time of day asked by a date ("June 23" for "At what time of day did he call?"); a
    measure by a ratio ("ten times their own weight" for "How long do they live?")."""
    if _HOW_MUCH.match(question) and _BARE_COUNT.match(span.strip()):
        return False
    if _WHERE.match(question) and not _may_be_a_place(span):
        return False
    if _CLOCK_ASKED.search(question) and not _CLOCK_SAID.search(span):
        return False  # "June 23" is no time of day ("At what time of day did he call?")
    if (
        _MONEY_ASKED.match(question)
        and not _MONEY_SAID.search(span)
        and _THINGS_COUNTED.search(span)
        and not any(m.group("time") for m in _UNIT.finditer(span))
    ):
        return False  # "20 million doses" is no price of a dose
    if _MONEY_ASKED.match(question) and not _MONEY_SAID.search(span) and _another_measure(span):
        return False  # "2,100 kilograms" is no worth of a satellite, "four years" no sum insured
    asked = _MEASURED.search(question)
    if asked is None:
        return True
    measure = asked.group(1).lower()
    if _RATIO.match(span) and not re.search(_DIMENSION[measure], span, re.I):
        return False  # "ten times their own weight in a day" is no lifetime; "twice as long" is
    allowed = _ANSWERS_MEASURE[measure]
    if not allowed and _SPEED.search(span):
        return True
    units = [next(k for k, value in unit.groupdict().items() if value) for unit in _UNIT.finditer(span)]
    if not units and "clock" not in allowed and _DATE.search(span):
        return False  # a date ("1960", "in June") is no age or distance
    if not units and measure == "old" and (_COUNT_OF_THINGS.search(span) or _too_many_years(span)):
        return False  # "more than 3,400" coins is no age of the coins
    return all(kind in allowed for kind in units)


# a figure of things that are no time ("3,400 coins"; never "4.5 billion years")
_COUNT_OF_THINGS = re.compile(
    r"\d[\d,.]*(?:\s+(?:hundred|thousand|million|billion))?\s+"
    r"(?!(?:years|months|weeks|days|decades|centuries|millennia|hours|minutes|seconds)\b)[a-z]+s\b"
)


def _too_many_years(span: str) -> bool:
    """Whether `span` opens with a figure no age is ("more than 3,400 Roman"): over 150 (a
    measure with its unit, or a year, is found before: `_UNIT`, `_DATE`)."""
    figure = re.match(
        r"\s*(?:(?:about|around|some|nearly|almost|roughly|over|more\s+than)\s+)?(\d[\d,]*)\b"
        r"(?!\s*(?:AD|BC|BCE|CE)\b)",
        span,
    )
    return figure is not None and int(figure.group(1).replace(",", "")) > 150


# a ratio, no measure: "ten times their own weight", "3 times faster", "twice as long"
_RATIO = re.compile(
    r"^\s*(?:(?:\d[\d.,]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|"
    r"hundred|several|many)\s+times|twice|thrice)\b",
    re.I,
)
# the words of each measure a ratio may be of ("twice the speed of sound")
_DIMENSION = {
    "fast": r"\b(?:speed|fast|faster|quick|quicker)\b",
    "old": r"\b(?:age|old|older)\b",
    "far": r"\b(?:distance|far|farther|further)\b",
    "tall": r"\b(?:height|tall|taller|high|higher)\b",
    "high": r"\b(?:height|high|higher|tall|taller)\b",
    "deep": r"\b(?:depth|deep|deeper)\b",
    "wide": r"\b(?:width|wide|wider)\b",
    "heavy": r"\b(?:weight|heavy|heavier)\b",
    "long": r"\b(?:length|long|longer|duration)\b",
}
_MONTH_NAMES = tuple(name.lower() for name in MONTH_NAMES)
_MONTH_DAY = re.compile(
    rf"\b(?P<m1>{'|'.join(_MONTH_NAMES)})\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\b|"
    rf"\b(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m2>{'|'.join(_MONTH_NAMES)})\b",
    re.I,
)
# a name and its number: "Super Bowl 50", "Apollo 13", "Super Bowl XLVIII"
_NUMBERED_NAME = re.compile(r"\b((?:[A-Z][\w-]+ )+)(\d{1,4}|[IVXLC]{1,8})\b")
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


def names_another_instance(question: str, sentence: str, text: str = "") -> bool:
    """Whether `sentence` (of the article `text`) is about another instance of what
    `question` names: it gives another day ("June 23" for a question about June 24), another
    number of the same name ("Super Bowl XLVIII" for one about Super Bowl 50), another place
    (`_in_another_place`) or another's thing (`_of_another`), and not the question's own."""
    asked = _days(question)
    given = _days(sentence)
    if asked and given and not asked & given:
        return True
    for name, number in _numbered(question):
        numbers = {n for other, n in _numbered(sentence) if _same_name(name, other)}
        if numbers and number not in numbers:
            return True
    return (
        _in_another_place(question, sentence)
        or _of_another(question, sentence, text)
        or _of_another_kind(question, sentence)
    )


# whose something is: "Faith Chebet's time", "the women's race" (a name, or a kind of people
# a contest or a record is kept for)
_OWNER = (
    rf"(?<![\w’'-])(?!{CONTRACTED})"
    r"([A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*){0,3}|(?i:men|women|boys|girls))['’]s\s+([a-z]+)\b"
)
_OWNED = re.compile(_OWNER)
_NOT_OWNED = frozenset({"been", "got", "the", "a", "an", "not", "no", "just", "also", "already"})


# what a thing is of, with the one word that tells it from another: "the sources of
# secondary law" (not of primary law)
_OF_KIND = re.compile(r"\b([a-z]+)\s+of\s+(?:the\s+)?([a-z-]+)\s+([a-z]+)\b")
_NO_KIND = frozenset(
    "a an the this that these those its his her their our my your all each every some any many much "  # noqa: SIM905
    "most such other both either neither no one two three several new old latest current former "
    "proposed planned same whole entire first last next".split()
)
# what follows the kind when it is no modifier of a noun ("the cause of the fire in Oslo")
_NOT_A_HEAD = frozenset(
    "in on at of for from to by with and or but as is are was were be been has have had will would "  # noqa: SIM905
    "can could that which who when where than after before during since until over under".split()
)
_CALENDAR = frozenset(w.lower() for w in CALENDAR_WORDS) | {"today", "yesterday", "tomorrow", "tonight"}


def _of_another_kind(question: str, sentence: str) -> bool:
    """Whether `sentence` says what `question` asks of one kind of a thing of another kind
    only: "The main sources of primary law are ..." for "What are the main sources of
    secondary law?" (never "the senate of the theological faculty" for "... of the theology
    faculty")."""
    for asked in _OF_KIND.finditer(question[:300]):
        thing, kind, of = asked.groups()
        # the kind a modifier (never a name: "the Labour party"), of a noun ("the fire in")
        if kind in _NO_KIND or of in _NOT_A_HEAD or f"{kind} {of}" in sentence.lower():
            continue
        for said in _OF_KIND.finditer(sentence):
            other = said.group(2)
            # another form of the same word is the same kind ("theological" of "theology")
            if (
                said.group(1) == thing
                and said.group(3) == of
                and other not in _NO_KIND
                and other[:5] != kind[:5]
            ):
                return True
    return False


def _of_another(question: str, sentence: str, text: str = "") -> bool:
    """Whether `sentence` says what `question` asks of someone as another's: "Bekele's time
    of 2:04:12" for "What was Faith Chebet's time?", "the men's race" for "Who won the
    women's race?" (and does not name the question's own). Another part of one name in
    the article `text` is the same one's ("Dr. Martin's return" of Martin Luther's)."""
    for asked in _OWNED.finditer(question[:300]):
        owner, thing = asked.group(1).lower(), asked.group(2).lower()
        if thing in _NOT_OWNED or owner in _CALENDAR:
            continue
        if re.search(rf"\b(?:{re.escape(owner.split()[-1])}|his|her|their)\b", sentence, re.I):
            continue  # "Chebet's time" may be said of her in another way ("Her time of ...")
        for said in _OWNED.finditer(sentence):
            other = said.group(1)
            if said.group(2).lower() != thing or set(other.lower().split()) & set(owner.split()):
                continue
            if other.lower() in _CALENDAR:
                continue  # "Sunday's race" is no one's
            one_name = (
                rf"\b{re.escape(other)}\s+(?:[A-Z][\w’'-]*\s+)*{re.escape(asked.group(1).split()[-1])}\b"
            )
            if not re.search(one_name, text):
                return True
    return False


# a place something is in or at: "in Trondheim", "at Ullevaal Stadium" (never a month or a day)
_IN_PLACE = re.compile(r"\b(?:in|at)\s+([A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)*)")
# ... nor a holiday ("at Christmas") ...
_HOLIDAYS = frozenset(
    {"christmas", "easter", "eid", "ramadan", "hanukkah", "diwali", "thanksgiving", "midsummer", "pentecost"}
)
# ... nor a people's adjective before a noun ("in Russian strikes", "in French ports") ...
_ADJECTIVE_OF_A_PEOPLE = re.compile(
    r"(?:ian|ish|ese|ean|french|dutch|greek|german|american|african|mexican|thai|swiss|iraqi|israeli|saudi)$"
)
# ... nor where something was said or published ("told staff at Fornebu", "said in Dagens
# Næringsliv", "speaking in Oslo"): the place of the saying, not of what is counted
_SAID_BEFORE = re.compile(
    r"\b(?:said|says|say|told|tells|tell|wrote|writes|announced|reported|speaking|interview|quoted)"
    r"(?:\s+[^\W\d][\w’'-]*){0,4}\s+$"
)  # the saying and a few words of no number before the place ("told staff on Monday at
# Fornebu"), never "said 40 people died in"


def _places(text: str, counted: bool = False) -> list[str]:
    """The places `text` says something is in or at. `counted`: only those within a few
    words of a number (`_NUMBER`: where a count or an amount is), and not where it was said."""
    found = []
    for m in _IN_PLACE.finditer(text):
        place = m.group(1)
        first, last = place.split()[0].lower(), place.split()[-1].lower()
        if first in CALENDAR_WORDS or first in _HOLIDAYS or place.lower().startswith("new year"):
            continue
        if _ADJECTIVE_OF_A_PEOPLE.search(last) and re.match(r"\s+[a-z]", text[m.end() :]):
            continue
        if counted and (
            _SAID_BEFORE.search(text[max(0, m.start() - 60) : m.start()])
            or not _NUMBER.search(text[max(0, m.start() - 40) : m.end() + 40])
        ):
            continue
        found.append(place)
    return found


def _in_another_place(question: str, sentence: str) -> bool:
    """Whether `sentence` gives a count or an amount in another place than the one
    `question` asks about, and never names the question's: "How many people work in
    Trondheim?" is not answered from "... its office in Gothenburg, where 45 people work".
    Only for "how many" and "how much": a place of another form ("Irish" for "in Ireland")
    or a smaller one ("at Sullivan Bay" for "in Australia") still answers where or what."""
    if not re.match(r"^\s*(?:and\s+)?how\s+(?:many|much)\b", question, re.I):
        return False
    asked = _places(question)
    if not asked:
        return False
    said = sentence.lower()
    if any(_stem(place.split()[-1]) in said for place in asked):
        return False
    return any(_stem(other.split()[-1]) not in question.lower() for other in _places(sentence, counted=True))


def _days(text: str) -> set[tuple[str, int]]:
    return {
        ((m.group("m1") or m.group("m2")).lower(), int(m.group("d1") or m.group("d2")))
        for m in _MONTH_DAY.finditer(text)
    }


def _numbered(text: str) -> list[tuple[str, int]]:
    """The names with a number of `text`, the number as an int ("Super Bowl XLVIII": 48)."""
    found = []
    for match in _NUMBERED_NAME.finditer(text):
        name, number = match.group(1).strip(), match.group(2)
        value = int(number) if number.isdigit() else _roman(number)
        if value and name.split()[-1].lower() not in _MONTH_NAMES:
            found.append((name, value))
    return found


def _same_name(one: str, other: str) -> bool:
    """ "World War" and "In World War" (a capitalised word before a name is not its own)."""
    return one == other or one.endswith(" " + other) or other.endswith(" " + one)


def _roman(numeral: str) -> int:
    values = [_ROMAN[c] for c in numeral]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))


_NEXT_WORD = re.compile(r"[ -]?[^\s,.;:!?()]+")


_WHO = re.compile(r"^\s*(?:(?:and|but|so)\s+)?(?:who|whom)\b", re.I)
# "Who ...?", after any "and" or "so" ("And so who runs it?")
ASKS_WHO = re.compile(r"^\s*(?:and\s+|so\s+)*who\b", re.I)
# a number or an amount first: "£1bn", "42%", "1,200", "$5 million", "1852 and named after"
# (never "20th Century Fox")
_AMOUNT = re.compile(r"[£$€¥]?\s*\d[\d,.]*(?:%|bn|m|k)?(?=\s|$)", re.I)


# a finite verb (the tagger's tags) and what may open a relative clause before one
_FINITE = ("VBD", "VBZ", "VBP", "MD")
_RELATIVE = {"who", "whom", "whose", "which", "that", "when", "where"}
CLAUSE_WORDS = 6  # a span of fewer words is read as a name or a phrase, whatever its tags


def is_a_clause(span: str) -> bool:
    """Whether `span` is a clause of its own rather than the name or noun phrase a "who"
    question wants: six words or more with a finite verb that no relative word ("who", "that")
    comes before ("Darwin had initially decided to call his book ..."; never "the fishermen
    who sued Nordtide")."""
    tokens = tagged(span)
    if len(tokens) < CLAUSE_WORDS:
        return False
    for word, tag, _ in tokens:
        if word.lower() in _RELATIVE:
            return False
        if tag in _FINITE:
            return True
    return False


# a question that asks what someone is called: "What's the van driver called?", "What's
# his name?", "What is the name of the driver?", "What's the driver's name?"
_ASKS_NAME = re.compile(
    r"^\s*(?:(?:and|so|but)\s+)?what(?:['’]s|\s+is|\s+was|\s+are|\s+were)\s+(?:"
    r"(?P<called>[^?]+?)\s+(?:called|named)|(?:the\s+)?names?\s+of\s+(?P<of>[^?]+?)"
    r"|(?P<whose>[^?]+?)(?:['’]s?)?\s+names?)\s*[?.!]*\s*$",
    re.I,
)
_PERSON_PRONOUN = re.compile(r"(?:he|she|him|her|his)$", re.I)
# capitalised words that are no name: a sentence's or a title's opening words
_NOT_NAMES = frozenset("the a an his her its their this that these those mr mrs ms dr".split())  # noqa: SIM905


def asks_a_name(question: str) -> bool:
    """Whether `question` asks for the name of someone ("What's the van driver called?",
    "What's his name?"), which a description ("a 52-year-old man") does not give. What a
    thing or a process is called may be a common word ("photosynthesis")."""
    match = _ASKS_NAME.match(question)
    if match is None:
        return False
    said = (match["called"] or match["of"] or match["whose"]).strip()
    said = re.split(r"\s+(?:who|whom|that|which)\s", said, maxsplit=1)[0]  # "the guy who was arrested"
    # one person, said with "the" ("the van driver"), never a kind ("What is a teacher who
    # teaches on an individual basis called?": a tutor)
    return _PERSON_PRONOUN.match(said) is not None or (
        re.match(r"(?:the|his|her|their)\s", said, re.I) is not None
        and not is_group(said)
        and describes_someone(f"the {said.split(maxsplit=1)[1]}")
    )


def _describes_unnamed(span: str) -> bool:
    """Whether `span`, before any preposition, describes someone without a name or a role:
    "a 52-year-old man from the village of Kessling", "a local woman" (never "Tomas
    Reiher", nor a role's name: "the captain", "a palaeontologist", "guru")."""
    head = before_preposition(span).strip()
    words = re.findall(r"[\w'’-]+", head)
    named = any(w[:1].isupper() and w.lower() not in _NOT_NAMES for w in words)
    return (
        not named
        and re.match(r"(?:a|an|one|another)\s", head, re.I) is not None
        and bool(words)
        and words[-1].lower() in _ANYONE
    )


# nouns that say only who someone is, not a role with a name of its own
_ANYONE = frozenset(
    "man woman men women boy girl person people teenager child youth pensioner resident local".split()  # noqa: SIM905
)


# "Which school was it?", "What company does she run?": which one of a kind is asked
_WHICH_ONE = re.compile(
    r"^\s*(?:(?:and|so)\s+)?(?:which|what)\s+(?:[a-z-]+\s+){0,2}?(?P<noun>[a-z-]+)\s+"
    r"(?:was|were|is|are)\b",
    re.I,
)
# a bare number, in figures or words
_BARE_NUMBER = re.compile(
    r"(?:\d[\d,.]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozens?|hundreds?|"
    r"thousands?|millions?|(?:twen|thir|for|fif|six|seven|eigh|nine)ty(?:-\w+)?)",
    re.I,
)


# what a sentence says is not so: the span right after "rather than" or "instead of" ("The
# balance was £9,400, rather than the £230,000 recorded"), unless the question asks of it
_DENIED_BEFORE = re.compile(r"\b(?:rather\s+than|instead\s+of)\s+(?:(?:the|a|an)\s+)?$", re.I)
_DENIAL = re.compile(r"\b(?:rather\s+than|instead\s+of)\b", re.I)
_ASKS_WHAT_NOT = re.compile(r"\b(?:rather|instead|not|never|other\s+than)\b|n['’]t\b", re.I)


def _denied(question: str, text: str, start: int, end: int, sentence_start: int) -> bool:
    """Whether the span is, or runs into, what its sentence says is not so ("£230,000", or
    "£9,400, rather than the £230,000", of "The balance was £9,400, rather than the £230,000
    recorded"), for a question that does not ask what is not ("instead", "rather", "not")."""
    return (
        _DENIED_BEFORE.search(text[max(sentence_start, start - 40) : start]) is not None
        or _DENIAL.search(text[start:end]) is not None
    ) and not _ASKS_WHAT_NOT.search(question)


# what may come before a count in a span: "at 410", "about 400", "more than 3,400"
_COUNT_LEAD = r"(?:at|in|of|from|to|for|by|about|around|some|over|under|nearly|almost|more\s+than|up\s+to)"


def _counts_the_one_asked(question: str, text: str, start: int, end: int) -> bool:
    """Whether the span is a bare number that counts the kind of thing a "which" question
    asks one of: "410" of "410 schools" says how many schools, never which school ("Which
    school was it?"); a year may still say which ("the 2003 case")."""
    asked = _WHICH_ONE.match(question)
    # "What number of schools ...?" asks a count; "the 42 bus", "number 42" name one
    if (
        asked is None
        or " of " in asked.group(0).lower()
        or re.search(r"\b(?:the|number|no\.?)\s*$", text[:start], re.I)
    ):
        return False
    # the number and what it counts, in the span ("410 schools") or right after it ("410")
    counted = re.fullmatch(
        rf"(?:{_COUNT_LEAD}\s+)?({_BARE_NUMBER.pattern})(?:\s+([a-z-]+))?", text[start:end].strip(), re.I
    )
    if counted is None or re.fullmatch(r"1\d{3}|20\d\d", counted.group(1)):
        return False
    after = re.match(r"\s+([a-z-]+)", text[end : end + 40])
    following = counted.group(2) or (after.group(1) if after else "")
    return bool(following) and singular(following.lower()) == singular(asked.group("noun").lower())


_HOW_LONG = re.compile(r"^\s*(?:and\s+)?how\s+long\b", re.I)
# a time since something was last so: "the first strike in 17 years", "its lowest level for"
_SINCE_A_RECORD = re.compile(
    r"\b(?:first|last|largest|biggest|worst|best|highest|lowest|longest|deadliest|strongest|"
    r"warmest|coldest|wettest|driest)\b(?P<gap>[\w\s,'’-]{0,60})\b(?:in|for)\s+(?:(?:more\s+than|over|almost|"
    r"nearly|about|some)\s+)?(?:a\s+)?$",
    re.I,
)


def _since_a_record(before: str) -> bool:
    """Whether the text before a span says it is the time since a record: a superlative
    and a noun, no verb, then "in" or "for" ("the first province-wide strike in", "its
    highest level for"; never "The first phase was completed in", "finished first in")."""
    found = _SINCE_A_RECORD.search(before)
    if found is None or not found.group("gap").strip():
        return False
    tags = [tag for _, tag, _ in tagged(found.group("gap"))]
    return any(tag.startswith("NN") for tag in tags) and not any(
        t.startswith("VB") or t == "MD" for t in tags
    )


def fits_the_question(
    question: str, text: str, start: int, end: int, sentence_start: int, sentence_end: int
) -> bool:
    """Whether the span `text[start:end]`, in the sentence `text[sentence_start:sentence_end]`,
    may answer `question`: it measures what is asked (`measures_what_is_asked`, the span read
    with the word after it: "22" with " years"), it is not the question's own subject
    (`is_own_subject`), its sentence is not about another day or number of what the
    question names (`names_another_instance`), it is no one else's role or title
    (`holds_another_role`, `modifies_the_role`, `titled_otherwise`, `leaves_it_unnamed`), and
    no title of someone the question names, which says only who that one is
    (`describes_one_asked`)."""
    unit = _NEXT_WORD.match(text, end)
    amount = _AMOUNT.match(text[start:end].strip())
    if (
        _WHO.match(question)
        and amount
        and not describes_someone(f"the {text[start:end].strip()[amount.end() :]}")
    ):
        # "Who else bid?" is not answered "£1bn" nor "£1bn more than the company"; "Who
        # brought the case?" is answered "212 residents of the Solberg neighbourhood"
        return False
    if _WHO.match(question) and is_a_clause(text[start:end]):
        return False  # "Who was it written for?" is not answered "Darwin had initially decided to ..."
    if asks_a_name(question) and (
        _describes_unnamed(text[start:end])
        or (unit is not None and _describes_unnamed(text[start : unit.end()]))
    ):
        return False  # "What's the van driver called?" is not answered "a 52-year-old man"
    if _counts_the_one_asked(question, text, start, end):
        return False  # "Which school was it?" is not "410" of "410 schools"
    if _denied(question, text, start, end, sentence_start):
        return False  # "The balance was £9,400, rather than the £230,000 recorded": not £230,000
    if _HOW_LONG.match(question) and _since_a_record(text[max(sentence_start, start - 80) : start]):
        return False  # "How long will the strike last?" is not "17 years" of "the first strike in 17 years"
    return (
        measures_what_is_asked(question, text[start : unit.end() if unit else end])
        and not is_own_subject(question, text, start, end)
        and not names_another_instance(question, text[sentence_start:sentence_end], text)
        and not holds_another_role(question, text, start, end, sentence_start, sentence_end)
        and not modifies_the_role(question, text, end)
        and not titled_otherwise(question, text, start, end, sentence_start, sentence_end)
        and not leaves_it_unnamed(question, text, start, end, sentence_start, sentence_end)
        and not describes_one_asked(question, text, start, end)
    )


# a question of who or what someone is, which a title or apposition answers: "Who is Darnell
# Fisk?", "What is Anton Vaino's job?", "What does Vaino do?", "Whose son was he?", "Where is
# Haugland from?" ("Norwegian"); "What did Vaino do?" asks what he did
_ASKS_WHO_ONE_IS = re.compile(
    r"^\s*(?:(?:and|so)\s+)?(?:who(?:['’]s|\s+(?:is|was|are|were))\b|whose\b)"
    r"|\b(?:job|role|position|title|background|occupation|profession|post|career|nationality|known\s+as|"
    r"for\s+a\s+living|for\s+work|kind|type|sort|rank|elected|appointed|named|describe)\b"
    r"|\bfrom[\s?.!]*$|^\s*tell\s+me\s+about\b"
    r"|^\s*(?:(?:and|so)\s+)?what(?:['’]s|\s+(?:is|was|does))\s+(?-i:[A-Z])[\w'’-]*(?:\s+(?-i:[A-Z])[\w'’-]*)*(?:\s+do)?[\s?.!]*$",
    re.I,
)


def describes_one_asked(question: str, text: str, start: int, end: int) -> bool:
    """Whether the span `text[start:end]` is a title or apposition of someone the question
    names, which answers who or what that one is, nothing else: "Union president" of "Union
    president Darnell Fisk said ..." is not what Darnell Fisk is after, nor "a two-time stage
    winner" of "Eirik Haugland, a two-time stage winner at the Tour de France, ..." what his
    team did. The span's head is a lower-case person noun ("president", "winner"), so a name
    in a title ("Union", "Nordtide" of "Nordtide chief executive Darnell Fisk") may still
    answer where he works; no verb comes between ("The minister met council leader Kari
    Lund", "Kari Lund, blaming the contractor,"); "What is Anton Vaino's job?" is answered
    so, and an age ("Eirik Haugland, 28") or what a title's preposition brings in ("the Tour
    de France") is none."""
    span = text[start:end].strip()
    owners = _title_owners(question)
    if not span or not owners or re.search(r"\d", span):
        return False
    head = _before_a_preposition(span, 0).split()
    if not head or not head[-1][:1].islower() or not describes_someone(f"the {' '.join(head).lower()}"):
        return False
    before, after, titled = text[max(0, start - 120) : start], text[end : end + 120], _a_title(span)
    # any name the question says: a person's title beside it makes it a person's
    for name in owners:
        # a title right before the name, the span its end: "[Union president] Darnell Fisk",
        # "Norwegian cyclist [Eirik] Haugland" (first names between); never a span a word
        # away, which the tagger may miss as a verb ("The coach names captain Kari Lund")
        if titled and re.match(rf"(?:\s+(?-i:[A-Z])[\w'’-]*){{0,2}}?\s+{re.escape(name)}\b", after):
            return True
        # an apposition after the name up to the span: "Eirik Haugland, a two-time stage [winner]"
        apposed = re.search(rf"\b{re.escape(name)}\s*[,(]\s*((?:[\w'’-]+\s+){{0,5}}?)$", before)
        if apposed and _AFTER_A_PREPOSITION.search(before[: apposed.start()]):
            apposed = None  # "Near Svalbard, two fishermen": a sentence's opening phrase
        if apposed and _a_title(_before_a_preposition(apposed.group(1) + span, len(apposed.group(1)))):
            return True
    return False


_AFTER_A_PREPOSITION = re.compile(
    r"\b(?:in|on|at|near|after|before|from|to|by|for|with|of|since|during|outside|inside)\s+$", re.I
)


@lru_cache(maxsize=256)
def _title_owners(question: str) -> frozenset[str]:
    """The names `question` says that may be a person's, and the last word of each ("Darnell
    Fisk", "Fisk"), whose title is no answer to it; never a day, a place or an event
    ("Monday", "the Tour de France"), and none where it asks who or what someone is
    (`_ASKS_WHO_ONE_IS`). Read once per question, not per span."""
    if _ASKS_WHO_ONE_IS.search(question):
        return frozenset()
    return frozenset(form for n in names(question) if could_be_person(n) for form in (n, n.split()[-1]))


# the words that end a title: what follows is another thing ("winner at the Tour de France")
_NOT_OF_A_TITLE = frozenset("of at in for with from to by on and or said says who which that".split())  # noqa: SIM905


def _before_a_preposition(words: str, span_at: int) -> str:
    """`words` up to the first that ends a title (`_NOT_OF_A_TITLE`), or "" where the span
    (from `span_at`) starts after it: "a two-time stage winner" of "a two-time stage winner at
    the Tour de France" holds a span that starts with "a two-time" or "winner", never
    "the Tour de France"."""
    for word in re.finditer(r"[\w'’-]+", words):
        if word.group(0).lower() in _NOT_OF_A_TITLE:
            return words[: word.start()] if word.start() > span_at else ""
    return words


def _a_title(words: str) -> bool:
    """Whether `words` are one description of a person ("Union president", "a two-time stage
    winner"): no preposition, conjunction or verb among them (by the tagger, which may miss
    one: "shot" of "A gunman shot police officer Kari Lund" reads as a noun)."""
    said = words.split()
    return (
        bool(said)
        and not any(w.lower() in _NOT_OF_A_TITLE for w in said)
        and not any(tag.startswith("VB") or tag == "MD" for _, tag, _ in tagged(words))
        and describes_someone(f"the {words.lower()}")
    )


# "Which town did they occupy?": the noun asked, of what the question's subject acted on
_WHICH_OBJECT = re.compile(
    r"^\s*(?:(?:and|so)\s+)?(?:which|what)\s+((?:[a-z-]+\s+){0,2}?[a-z-]+)\s+"
    r"(?:did|does|do|will|would|has|have|had|can|could)\b",
    re.I,
)


def leaves_it_unnamed(
    question: str, text: str, start: int, end: int, sentence_start: int, sentence_end: int
) -> bool:
    """Whether the span's sentence says only "a town" of what "Which town did they
    occupy?" asks, right after the question's own verb, and the span is another name in it:
    "... occupied a town with his mercenaries and announced that he would move to Moscow"
    does not say the town was Moscow. A name right after ("a town, Rostov,", "a town called
    Rostov") is the one, so is a span that holds the town ("a stage win at the Tour of
    Romandy") or one it is said of ("Activision, a video game company"); "a town" said of
    anything else ("Russia, a country of 144 million people, invaded Ukraine") rules out
    nothing."""
    asked = _WHICH_OBJECT.match(question)
    if asked is None:
        return False
    noun = singular(asked.group(1).split()[-1].lower())
    verb = _verb_after(question, asked.end())
    if noun in _TIME_NOUNS or verb is None:
        return False  # "He died in 2004, a year after his wife."
    sentence = text[sentence_start:sentence_end]
    said = [
        (sentence_start + m.start(), sentence_start + m.end())
        for m in re.finditer(rf"\ban?\s+(?:[\w-]+\s+){{0,2}}?{re.escape(noun)}s?\b", sentence, re.I)
        if verb in _stems_before(sentence[: m.start()])
    ]

    def names_it(at: int, at_end: int) -> bool:
        # the span holds it, follows it closely ("a town called Rostov") or is set beside
        # it ("Activision, a video game company", "'Shake It Off', a song")
        return (
            (at < end and start < at_end)
            or (at_end <= start and len(text[at_end:start].split()) <= 3)
            or (end <= at and re.fullmatch(r"[\s\"'”’)\]]*[,(—–-]\s*(?:now\s+)?", text[end:at]) is not None)
        )

    return bool(said) and not any(names_it(at, at_end) for at, at_end in said)


def _stems_before(text: str) -> set[str]:
    """The stems of the last two words of `text` ("occupied a town": "occupi"), an
    irregular past as its plain form."""
    words = re.findall(r"[\w’'-]+", text)[-2:]
    return {plain_stem(w.lower()) for w in words}


def _verb_after(question: str, auxiliary_end: int) -> str | None:
    """The stem of the first verb of `question` after its auxiliary ("occupy" of "Which town
    did the Wagner mercenaries occupy on June 24?"), or None."""
    for at, tag in sorted(verb_starts(question).items()):
        if at >= auxiliary_end and tag in ("VB", "VBP"):
            word = re.match(r"[\w’'-]+", question[at:])
            return stem(word.group(0).lower()) if word else None
    return None


# nouns of time a date is "a" of ("on Wednesday, a day after ...")
_TIME_NOUNS = frozenset("day week month year decade century time season date night morning hour".split())  # noqa: SIM905


# "Which professional skateboarder ...?", "What striker ...?": the words that say what is asked
_WHICH_NOUNS = re.compile(r"^\s*(?:(?:and|but|so)\s+)?(?:which|what)\s+((?:[a-z-]+\s+){0,2}[a-z-]+)", re.I)


def titled_otherwise(
    question: str, text: str, start: int, end: int, sentence_start: int, sentence_end: int
) -> bool:
    """Whether the span is a name its sentence titles with another noun than the one a
    "which" question asks for, in a list that titles another name with the asked one:
    "Which professional skateboarder lives in southern California?" is not answered "Shaun
    White" of "Professional skateboarder Tony Hawk, ... and professional snowboarder Shaun
    White live in southern California". Only a list of titled names says who is what: a
    title in another clause ("Swiss lender UBS agreed to buy rival bank Credit Suisse"),
    after "the", "his" or "rival", or before a day ("the company Tuesday") says nothing
    against the span, which may be titled by a narrower noun ("Which bank ...?": "lender
    UBS")."""
    if _WHICH_NOUNS.match(question) is None or not text[start : start + 1].isupper():
        return False
    words = _nouns_asked(question)
    sentence = text[sentence_start:sentence_end]
    at = start - sentence_start
    if not words or re.search(r"(?:^|\s)[a-z-]{3,}\s+$", sentence[:at]) is None:
        return False
    # the title's words since the last comma ("Luftwaffe General and fighter ace Adolf Galland")
    titled = sentence[:at].replace(";", ",").replace(":", ",").rsplit(",", 1)[-1]
    if words & {singular(w.lower()) for w in titled.split()[-5:]}:
        return False  # titled as asked
    if not tagged(sentence[:at])[-1][1].startswith("NN"):
        return False  # not titled at all ("met Shaun White")
    verbs = verb_starts(sentence)
    for word in words:
        for other in re.finditer(rf"(?:^|(?<=\s)){re.escape(word)}s?\s+([A-Z][\w’'-]*)", sentence):
            if other.group(1).lower() in CALENDAR_WORDS or _DETERMINED_TITLE.search(
                sentence[: other.start()]
            ):
                continue
            low, high = sorted((other.start(), at))
            if not any(low < verb < high for verb in verbs):
                return True
    return False


# a title said with a determiner, a possessive or a word of contrast before it ("the ruling
# party Fidesz", "his former club Manchester United", "rival bank Credit Suisse")
_DETERMINED_TITLE = re.compile(
    r"(?:\b(?i:the|a|an|his|her|its|their|our|this|that|rival|former)|['’]s?)\s+(?:[\w-]+\s+)?\Z"
)


@lru_cache(maxsize=256)
def _nouns_asked(question: str) -> frozenset[str]:
    """The common nouns, made singular, of the phrase a "which" or "what" question opens
    with ("Which professional skateboarder lives ...?": "skateboarder"); none in "What did
    police find?" (no phrase) or of a people's adjective ("Which Norwegian painter ...?")."""
    tokens = tagged(question)
    start = 1 if tokens and tokens[0][0].lower() in ("which", "what") else 2
    nouns = []
    for word, tag, _ in tokens[start:]:
        if tag not in ("JJ", "NN", "NNS"):
            break
        if tag.startswith("NN") and word.islower():
            nouns.append(singular(word))
    return frozenset(nouns)


# "Who is the chief executive of Lumera Bio?", "Who is Nordtide's chief executive?": the role
_ROLE_ASKED = re.compile(
    r"^\s*who\s+(?:is|was|are|were|has\s+been|had\s+been)\s+(?:the\s+|[\w’'-]+['’]s\s+)"
    r"((?:[a-z-]+\s+){0,3}?[a-z-]+)(?:\s+(?:of|at|for|in|on)\b[^?.!]*)?[?.!\s]*\Z",
    re.I,
)
# the role said beside a name, where a clause starts ("Lumera's chief scientist, Dr. Ines
# Okafor", "..., said the mayor, Liv Haugen"; never "After meeting the mayor, Henrik Dahl") ...
_ROLE_BEFORE = re.compile(
    r"(?:^(?:(?:In|On|Last|This|Earlier|Later)\s+(?:[A-Z][a-z]+|\d{4}|week|month|year),?\s+)?"
    r"|[,;:(]\s*|\b(?:said|says|told|according\s+to)\s+)"
    r"(?:(?i:the|its|his|her|their)\s+(?:[\w’'-]+['’]s\s+)?|[\w’'-]+['’]s\s+)"
    r"((?:[a-z-]+\s+){0,3}?[a-z-]+),\s*$"
)
# ... or "Henrik Dahl, the chief executive," (after it)
_ROLE_AFTER = re.compile(
    r"^,\s*(?:the\s+|its\s+|his\s+|her\s+|their\s+|[\w’'-]+['’]s\s+)((?:[a-z-]+\s+){0,3}?[a-z-]+)(?=\s+of\b|\s*[,.;)])"
)
# a role said of a name more loosely, which tells who holds it though not that he holds
# no other: "Per Holm, a former mayor,", "Per Holm, outgoing mayor of Tarnby", "Per Holm,
# mayor since 2015" (its words no determiner or relative pronoun: "Per Holm, who
# criticised the mayor," is no mayor) ...
_ROLE_WORD = r"(?!(?i:the|an?|who|whom|whose|which|that)\b)[a-z-]+"
_ROLE_AFTER_LOOSELY = re.compile(
    rf"^,\s*(?:(?:the|a|an|its|his|her|their)\s+|[\w’'-]+['’]s\s+)?((?:{_ROLE_WORD}\s+){{0,3}}?{_ROLE_WORD})"
    r"(?=\s+(?:of|since|from|in|at|for)\b|\s*[,.;)])"
)
# ... or as a title before it: "Outgoing mayor Per Holm conceded"
_TITLE_BEFORE = re.compile(
    r"(?:^|[\s,;:(])((?:(?i:former|outgoing|incoming|deputy|acting|interim|new|current|longtime)\s+"
    rf"|[A-Z][\w’'-]+\s+)?{_ROLE_WORD})\s+$"
)  # a modifier or a place before the role, never a verb ("criticised mayor Per Holm")


def _singular_words(phrase: str) -> tuple[str, ...]:
    return tuple(singular(word) for word in phrase.lower().split())


# "What's the mayor's name?", "What is the chief executive's full name?": who holds it
_ROLE_NAME_ASKED = re.compile(
    r"^\s*(?:and\s+)?what(?:['’]s|\s+is|\s+was)\s+the\s+((?:[a-z-]+\s+){0,3}?[a-z-]+)['’]s\s+"
    r"(?:full\s+|first\s+|last\s+)?name\b"
    # "What's the name of the mayor?", "... of the head of the agency?" (never of one said by
    # what befell them: "the man who died" may hold any role)
    r"|^\s*(?:and\s+)?what(?:['’]s|\s+is|\s+was)\s+the\s+(?:full\s+)?name\s+of\s+the\s+"
    r"(?!(?:man|woman|person|boy|girl|child|victim|people)\b)"
    r"((?:[a-z-]+\s+){0,3}?[a-z-]+)(?:\s+(?:of|at|in|for|on)\b[^?.!]*)?[?.!\s]*\Z",
    re.I,
)


@lru_cache(maxsize=256)
def _role_asked(question: str) -> tuple[str, ...] | None:
    """The words of the role a "who holds it" question asks, made singular ("Who are the
    owners of Nordtide?", "What's the owner's name?": ("owner",)), or None where it asks none."""
    asked = _ROLE_ASKED.match(question) or _ROLE_NAME_ASKED.match(question)
    role = next((g for g in asked.groups() if g), None) if asked is not None else None
    if role is None or not describes_someone(f"the {role.lower()}"):
        return None
    return _singular_words(role)


def modifies_the_role(question: str, text: str, end: int) -> bool:
    """Whether the span ending at `end` only says whose the role asked is, before it: "Who
    is the mayor?" is never answered "Brennick" of "Brennick mayor Ruth Halloran"."""
    asked = _role_asked(question)
    if asked is None:
        return False
    after = re.match(rf"(['’]s)?((?:\s+[A-Za-z-]+){{{len(asked)}}})\b(\s+[A-Z])?", text[end : end + 80])
    # the role said after the span and before the holder's name ("Brennick mayor Ruth
    # Halloran"), or the span's role ("Brennick's mayor"); never "Voters elected Maria Costa
    # president", where she holds it
    return (
        after is not None
        and _singular_words(after.group(2)) == asked
        and bool(after.group(1) or after.group(3))
    )


def holds_another_role(
    question: str, text: str, start: int, end: int, sentence_start: int, sentence_end: int
) -> bool:
    """Whether the span is a person its sentence gives another role than the one asked:
    "Who is the chief executive of Lumera Bio?" is not answered "Dr. Ines Okafor" from
    "Lumera's chief scientist, Dr. Ines Okafor, began ..." (the role beside the name, a noun
    of a person: `references.describes_someone`). Roles are the same where the head of one is
    a word of the other ("chief executive officer", "the chief executive"); a role said
    beside the name that is the one asked wins over another one."""
    asked = _role_asked(question)
    if asked is None:
        return False
    roles = roles_beside(text, start, end, sentence_start, sentence_end)
    return bool(roles) and not any(same_role(role, asked) for role in roles)


def roles_beside(
    text: str, start: int, end: int, sentence_start: int, sentence_end: int, loosely: bool = False
) -> list[tuple[str, ...]]:
    """The roles of a person its sentence says beside the name `text[start:end]` ("chief
    scientist" of "The company's chief scientist, Dr. Ines Okafor, ..." or of "Dr. Ines
    Okafor, the chief scientist, ..."), each as its words made singular. `loosely`: also a
    role said as a title ("Outgoing mayor Per Holm") or without "the" ("Per Holm, a former
    mayor,"), which says who holds it but not that he holds no other."""
    roles = []
    found = [_ROLE_BEFORE.search(text[sentence_start:start]), _ROLE_AFTER.match(text[end:sentence_end])]
    if loosely:
        found += [_TITLE_BEFORE.search(text[max(sentence_start, start - 60) : start])]
        found += [_ROLE_AFTER_LOOSELY.match(text[end:sentence_end])]
    for said in found:
        if said is not None and describes_someone(f"the {said.group(1).lower()}"):
            roles.append(_singular_words(said.group(1)))
    return roles


def role_words(phrase: str) -> tuple[str, ...]:
    """The words of a role, made singular, without a determiner or what follows its head
    ("the outgoing mayors of Skarvik": ("outgoing", "mayor"))."""
    words = [w for w in before_preposition(phrase.lower()).split() if w not in _DETERMINERS]
    return _singular_words(" ".join(words))


def same_role(one: Sequence[str], other: Sequence[str]) -> bool:
    """Whether two roles (their words, singular) are the same: the head of one is a word of
    the other ("chief executive officer", "chief executive")."""
    return one[-1] in other or other[-1] in one
