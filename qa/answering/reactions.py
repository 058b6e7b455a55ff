"""A question about someone's reaction asked as what they said.

News reports a reaction as speech: "How did the minister react?" is answered by "Education
Minister Karl Dujardin called the strike 'regrettable'", "What does the union think?" by
"The union called the closure 'a betrayal'". The reader, trained on questions written in
their paragraph's words, finds "react", "think" or "response" in no sentence and refuses;
asked "What did the minister say?" it answers. `said_reading` gives that second reading,
which the pipeline reads beside the question as asked (`QA._most_answerable`): the
articles choose, and a reading that says nothing new is never shown.
"""

from __future__ import annotations

import re

from qa.answering.answer_types import SIDE_OF, singular
from qa.answering.references import Referent, describes_someone, looks_like_person, may_hold_a_view

_AUX = r"(?:did|does|do|has|have|had|will|would|is|are|was|were)"
_REACT = r"(?:react|respond|reacted|responded|reacting|responding)"

# "What about the mayor?": what was said, only of someone
_WHAT_ABOUT = re.compile(r"(?:and\s+)?what\s+about\s+(?P<who>.+)", re.I)

# each with the one reacting (`who`) and what to (`what`), or the rest of the question
_READINGS = [
    # "How did the minister react (to the strike)?", "How has Vantor responded?"
    # ("How did Luther respond after being asked ...?"; never "... respond on the pitch?")
    re.compile(
        rf"how\s+{_AUX}\s+(?P<who>.+?)\s+{_REACT}"
        r"(?:\s+to\s+(?P<what>.+)|(?P<rest>\s+(?:after|when|as|following|once)\b.+))?",
        re.I,
    ),
    # "What does the union think (of the plan)?": never "What did Tesla think X caused?"
    re.compile(r"what\s+(?:do|does|did)\s+(?P<who>.+?)\s+think(?:\s+(?:of|about)\s+(?P<what>.+))?", re.I),
    # "How are the scooter firms taking it?", "... taking the decision?"
    re.compile(
        r"how\s+(?:is|are|was|were)\s+(?P<who>.+?)\s+taking\s+(?:it|that|this|the news|(?P<what>.+))", re.I
    ),
    # "How did the fans take it?", "... take the news?"
    re.compile(
        r"how\s+(?:did|do|does|will|would)\s+(?P<who>.+?)\s+take\s+(?:it|that|this|the\s+news|(?P<what>the\s+"
        r"(?:decision|verdict|ruling|result|announcement|defeat|loss|ban|sacking|news\s+of\s+.+)))",
        re.I,
    ),
    _WHAT_ABOUT,
    # "What was the union's reaction (to the closure)?"
    re.compile(
        r"what\s+(?:was|is|were|has been)\s+(?P<who>.+?)['’]s?\s+(?:reaction|response)(?:\s+to\s+(?P<what>.+))?",
        re.I,
    ),
    # "What was the reaction of the union (to the closure)?"
    re.compile(
        r"what\s+(?:was|is|were)\s+the\s+(?:reaction|response)\s+of\s+(?P<who>.+?)(?:\s+to\s+(?P<what>.+))?",
        re.I,
    ),
    # "What did Nordtide say in response (to the report)?"
    re.compile(
        r"what\s+(?:did|does|do)\s+(?P<who>.+?)\s+say\s+in\s+(?:response|reply)(?:\s+to\s+(?P<what>.+))?",
        re.I,
    ),
    # "What's her side of it?", "What is Hebden's side of the story?": what she says of it;
    # never a side of a place or a thing ("London's side of the river", "the B side")
    re.compile(
        rf"what(?:\s+is|\s+was|['’]s)\s+(?:(?P<owner>her|his|their)|(?P<who>.+?)['’]s?)\s+side{SIDE_OF}", re.I
    ),
]
# whose side a possessive pronoun asks for
_OWNER = {"her": "she", "his": "he", "their": "they"}

# markets and what is traded, which move and say nothing ("the Nasdaq", "Brent crude")
_MARKET = re.compile(
    r"\b(?:Nasdaq|Dow Jones|FTSE|Nikkei|DAX|S&P|Bitcoin|Ethereum|Brent|WTI|Wall Street)\b"
    r"|\b(?:yen|euro|dollar|pound|sterling|rouble|ruble|yuan|rupee|franc|crude|gold|index|stocks?|shares?|"
    r"markets?|bonds?|futures)\b"  # lower-case: "Gold Fields", "Index Ventures" are companies
)
# a "who" that is no one reacting ("How did it come to react ...", "How did the reaction ...")
_NO_ONE = re.compile(r"^(?:what|which|who|how|why|when|where|there|the (?:reaction|response))\b", re.I)


def said_reading(question: str) -> str | None:
    """`question` about someone's reaction asked as what they said ("How did the minister
    react to the strike?" → "What did the minister say about the strike?"), a topic
    attached kept ("..., regarding Valmora?"); None for any other question."""
    asked, comma, topic = question.strip().partition(", regarding ")
    asked = asked.strip().rstrip("?.! ")
    for pattern in _READINGS:
        match = pattern.fullmatch(asked)
        if match is None:
            continue
        owner = match.groupdict().get("owner")
        who = _OWNER[owner.lower()] if owner else match["who"]
        if _NO_ONE.match(who) or not _may_speak(who):
            continue
        if pattern is _WHAT_ABOUT and not (
            describes_someone(match["who"]) or looks_like_person(match["who"])
        ):
            continue  # "What about the museum?" asks more than what it said
        if match.groupdict().get("what") and _NOT_SPEECH.match(match["what"]):
            continue  # "How did the patient respond to treatment?": no speech
        groups = match.groupdict()
        what, rest = groups.get("what"), groups.get("rest")
        tail = f" about {what}" if what else (rest or "")
        said = f"What did {who} say{tail}"
        return f"{said}, regarding {topic.strip().rstrip('?.! ')}?" if comma else f"{said}?"
    return None


# what one responds to without a word ("responded to treatment", "... to requests for comment"
# is answered by whether it did)
_NOT_SPEECH = re.compile(
    r"(?:the\s+|a\s+|his\s+|her\s+|their\s+)?(?:treatment|therapy|drugs?|medication|vaccines?|antibiotics|"
    r"requests?\s+for\s+comment)\b",
    re.I,
)


def _may_speak(who: str) -> bool:
    """Whether `who` may say something: a pronoun, a name, a person, a body ("the union")
    or many of them ("the scooter firms", "residents"); never things ("the shares" of "How
    did the shares react?", "oil prices") nor "the market"."""
    if who.lower() in ("he", "she", "they", "we", "you", "i"):
        return True
    owned = re.match(r"[A-Z][\w\s&.-]*?['’]s?\s+(?P<what>[a-z].*)$", who)
    if owned is not None:  # "Vantor's rivals" are the rivals
        who = f"the {owned['what']}"
    if who[:1].isupper() and not who.lower().startswith("the ") and who.split()[-1][:1].isupper():
        # "Vantor", "Luther", "Nordvik Bank"; never "Tesla shares" (below) nor a market
        return may_hold_a_view(Referent(who, False)) and not _MARKET.search(who)
    one = who[:-3] + "y" if who.endswith("ies") else singular(who)  # "the firms", "the authorities"
    if _MARKET.search(who):
        return False
    return (
        may_hold_a_view(Referent(one, False))
        or may_hold_a_view(Referent(who, False))  # "Vantor's rivals", "the locals"
        or who.lower() == "the public"
    )
