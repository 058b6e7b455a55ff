"""Follow-up questions: turn "when did he leave?" into a standalone question before retrieval,
by an LLM when one is configured, else by rule: the pronoun or ellipsis resolved to what the
conversation is about (`qa.answering.references`), never by appending keywords."""

from __future__ import annotations

import functools
import itertools
import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from qa.answering.answer_types import role_words, roles_beside, same_role, singular
from qa.answering.citations import strip_markers
from qa.answering.idioms import plain_words_reading
from qa.answering.phrases import (
    IRREGULAR_PAST,
    is_common_word,
    lexicon_tag,
    noun_phrases,
    plural,
    question_subject,
    tagged,
    verb_starts,
    word_spans,
    word_tags,
)
from qa.answering.prompts import CONDENSE_SYSTEM, CONDENSE_USER
from qa.answering.references import (
    ABOUT_THEN_ASKED,
    DISLOCATED,
    DISLOCATED_BARE,
    DO_FORMS,
    FEMALE_NOUNS,
    GROUP,
    IN_FULL,
    MALE_NOUNS,
    PERSON,
    PERSON_NOUN,
    PERSON_NOUNS,
    PLACE_NOUN,
    POSSESSIVES,
    SHE,
    THING,
    TIME_ADVERBS,
    Referent,
    agent_noun,
    agrees,
    asks_of_an_event,
    asks_of_this_event,
    bare_descriptions,
    could_be_person,
    definite_phrases,
    describes_someone,
    dummy_it,
    ellipsis_subject,
    event_question,
    event_said,
    generic,
    head_word,
    is_company,
    is_country,
    is_event,
    is_first_name,
    is_group,
    is_modifier,
    is_organisation,
    list_items,
    located_in,
    locative_there,
    looks_like_person,
    may_hold_a_view,
    named_in,
    names,
    object_her,
    on_the_map,
    opens_clause,
    ordinal_reference,
    place_referents,
    placed_in,
    plausible_referents,
    pronoun_gender,
    pronouns,
    put_there,
    resolve_descriptions,
    sex_said,
    substitute,
    with_modifier,
)
from qa.errors import LLMError
from qa.store.keyword import content_terms

log = logging.getLogger(__name__)
# a question whose answer is what happened ("What's going on near X?", "What happened in X?";
# "What happened to the library?" asks about the library)
_HAPPENING = r"^\s*what(?:['’]s|\s+is|\s+was)?\s+(?:happened|happening|going\s+on|went\s+on"
_WHAT_HAPPENS = re.compile(rf"{_HAPPENING}|took\s+place)\b(?!\s+(?:to|with)\b)", re.I)
# what is going on with many things, which are no "it": "What's going on with Fenwick
# council's computers?" (the attack an answer tells of is "it" next)
_GOING_ON_WITH = re.compile(rf"{_HAPPENING})\s+with\s+(?P<x>[^?]+)", re.I)
_SHORT_ANSWER = re.compile(r"^\s*\*\*(.+?)\*\*")  # the reader's answers lead with the short answer
# the short answer an answer leads with, and the mark after it: what its sentence follows
LEADING_SHORT_ANSWER = re.compile(r"^\s*\*\*.+?\*\*[.:]?\s*")
MAX_TURNS = 12  # of history a follow-up is resolved against: the first exchange and the latest
MAX_TURN_CHARS = 4000
_BACK_IN_TIME = re.compile(r"\b(afterwards?|after that|before that|next|later|since then)\b", re.I)
_WH_START = re.compile(
    r"^\s*(?:who|whom|whose|what|when|where|why|how|which)(?:\s+(?:much|many|long|old|far|often))?\b\s*", re.I
)
_AUXILIARY = re.compile(r"^(?:is|are|was|were|do|does|did|can|could|will|would|has|have|had)\b", re.I)
# a question that says it leans on the one before: "Which other officials took part?",
# "What did they do instead?", "When was that?"
_DEPENDENT = re.compile(
    r"\b(?:other|others|else|also|another|the rest|in response|instead|too|as well)\b|"
    r"(?<!\ball )\b(?:that|this)\s*[?.!]*\s*$|\b(?:did|was|is|does|will) (?:that|this)\b",
    re.I,
)
# what still leans on the last question when a name is given: "What did Nordtide say in response?"
_DEPENDENT_NAMED = re.compile(r"\b(?:in response|instead|the rest)\b", re.I)
_BARE = re.compile(r"^\s*(?:and\s+|but\s+|so\s+)?(why|when|where|how(?:\s+(?:much|many|long))?|who)\b", re.I)


def without_short_answer(reply: str) -> str:
    """What an extractive answer quotes: `reply` (its markers stripped) without the bold
    short answer it leads with, nor any other bold."""
    return LEADING_SHORT_ANSWER.sub("", reply).replace("**", "").strip()


@dataclass(frozen=True)
class Turn:
    """One message of a conversation."""

    role: str  # "user" or "assistant"
    text: str


def _people_named(turns: Sequence[Turn]) -> tuple[str, ...]:
    """The people that the short answers to "who" in `turns` (of a conversation) name,
    latest first, at most `REMEMBERED_PEOPLE` of the latest `REMEMBERED_TURNS` turns ("Who
    took the money?" answered "**Graham Soley**"); never a name an answer to another
    question or an answer's sentence brings in (the person did not ask after them: "how far
    did she go?" answered "... set by Josie Farrant ...")."""
    said: list[str] = []
    asked = ""
    for turn in turns[-REMEMBERED_TURNS:]:
        text = turn.text[:MAX_TURN_CHARS]
        short = _SHORT_ANSWER.match(text) if turn.role == "assistant" else None
        if short and _ASKS_WHO.match(asked):
            # a one-word name is someone's by the title its sentence gives ("Mr Hebden")
            context = without_short_answer(text)
            said = [n for n in names(short.group(1)) if looks_like_person(n, context)] + said
        asked = text if turn.role == "user" else ""
    return tuple(dict.fromkeys(said))[:REMEMBERED_PEOPLE]


# of the turns the history window leaves out, the latest looked through for people (a
# history is user input: what is read of it is bounded), and how many are kept
REMEMBERED_TURNS = 12
REMEMBERED_PEOPLE = 3
# and the latest looked through for short answers not to give again
REMEMBERED_ANSWERS = 40


def _short_answers(turns: Sequence[Turn]) -> tuple[str, ...]:
    """The short answers of the assistant's turns among the latest `REMEMBERED_ANSWERS` of
    `turns`, latest first ("14" of "**14**. A regional train ..."); an answer that was a
    sentence or a refusal has none."""
    found = (
        _SHORT_ANSWER.match(t.text[:MAX_TURN_CHARS])
        for t in turns[-REMEMBERED_ANSWERS:]
        if t.role == "assistant"
    )
    return tuple(short.group(1) for short in reversed([f for f in found if f]))


_ASKS_WHO = re.compile(r"\s*(?:and\s+|so\s+)?who(?:se|m)?\b", re.I)  # "who", "who's", "whose", "whom"


def normalise_history(history: Sequence[Any] | None) -> list[Turn]:
    """Turns from earlier questions (strings), (question, answer) pairs, or
    {"role", "content"} messages as chat UIs keep them."""
    turns: list[Turn] = []
    for item in history or []:
        if isinstance(item, Turn):
            turns.append(item)
        elif isinstance(item, str):
            turns.append(Turn("user", item))
        elif isinstance(item, dict):
            content = item.get("content", "")
            if isinstance(content, str) and content.strip():
                turns.append(Turn(str(item.get("role", "user")), content))
        elif isinstance(item, (list, tuple)) and len(item) == 2:
            question, reply = item
            if question:
                turns.append(Turn("user", str(question)))
            if reply:
                turns.append(Turn("assistant", str(reply)))
    return turns


@dataclass(frozen=True)
class Conversation:
    """The turns before the current question."""

    turns: tuple[Turn, ...] = ()
    # the texts of the articles its answers came from: what "the company" or "the game"
    # refers to is what they call so
    articles: tuple[str, ...] = ()
    # the people named in the turns `from_history` left out (the answer to "Who took it?"
    # eight questions back): "he" may still be one of them where no one later is
    remembered: tuple[str, ...] = ()
    # the short answers of the turns `from_history` left out, latest first: a follow-up
    # does not answer again what the conversation answered eight questions back
    forgotten: tuple[str, ...] = ()

    def with_articles(self, texts: Sequence[str]) -> Conversation:
        """This conversation, knowing the texts of the articles it was answered from."""
        return Conversation(self.turns, tuple(texts), self.remembered, self.forgotten)

    @classmethod
    def from_history(cls, history: Sequence[Any] | Conversation | None) -> Conversation:
        """The first exchange of `history` and its latest turns, `MAX_TURNS` in all, each cut
        to `MAX_TURN_CHARS`: a follow-up leans on the last few turns and on what the
        conversation opened with, and history is user input like any other."""
        if isinstance(history, Conversation):
            return history
        turns = normalise_history(history)
        remembered: tuple[str, ...] = ()
        forgotten: tuple[str, ...] = ()
        if len(turns) > MAX_TURNS:
            # the first exchange, which most often names what the conversation is about
            # ("Where is Eirik Solli going?"), and the latest ones
            opening = 2 if len(turns) > 1 and turns[1].role == "assistant" else 1
            kept = len(turns) - (MAX_TURNS - opening)
            # an answer the window keeps without its question is read with it
            seen = kept + (turns[kept].role == "assistant")
            remembered = _people_named(turns[opening:seen])
            forgotten = _short_answers(turns[opening:kept])
            turns = turns[:opening] + turns[kept:]
        return cls(
            tuple(Turn(t.role, t.text[:MAX_TURN_CHARS]) for t in turns),
            remembered=remembered,
            forgotten=forgotten,
        )

    def previous_answers(self) -> tuple[str, ...]:
        """What the assistant already answered, latest first: the short answer where there
        was one, else the answer's text (markers stripped)."""
        answers = []
        for turn in reversed(self.turns):
            if turn.role == "assistant":
                short = _SHORT_ANSWER.match(turn.text)
                answers.append(short.group(1) if short else strip_markers(turn.text))
        return tuple(answers)

    def answered_before(self) -> tuple[str, ...]:
        """Every answer a follow-up must not give again: `previous_answers`, then the short
        answers of the turns the history window left out (`forgotten`): not in the order
        they were given (the opening answer comes before the left-out ones)."""
        return self.previous_answers() + self.forgotten

    def latest_short_answer(self) -> str:
        """The latest answer's short answer ("switch" of "**switch**. ..."), "" where it
        had none (a sentence, a refusal) or there is no answer yet."""
        texts = self.answer_texts()
        short = _SHORT_ANSWER.match(texts[0]) if texts else None
        return short.group(1).strip().rstrip(".") if short else ""

    def answer_texts(self) -> tuple[str, ...]:
        """The assistant's answers as they were given, latest first."""
        return tuple(turn.text for turn in reversed(self.turns) if turn.role == "assistant")

    def said(self) -> str:
        """The standalone questions and the answers, one text: where the conversation put
        something ("in Warsaw", "near Pinecrest Valley")."""
        return " ".join([*self.standalone_questions(), *self.answer_texts()])

    def exchanges(self) -> list[tuple[str, str]]:
        """(user question, the answer that followed or "") in order."""
        pairs: list[tuple[str, str]] = []
        for turn in self.turns:
            if turn.role == "user":
                pairs.append((turn.text.strip(), ""))
            elif turn.role == "assistant" and pairs and not pairs[-1][1]:
                pairs[-1] = (pairs[-1][0], turn.text)
        return pairs

    def standalone_questions(self) -> list[str]:
        """Each earlier question made standalone in the light of the turns before it (in
        one pass: each prefix is handed the questions already made standalone)."""
        return list(self._standalone)

    @functools.cached_property
    def _standalone(self) -> tuple[str, ...]:
        done: list[str] = []
        turns: list[Turn] = []
        for n, turn in enumerate(self.turns):
            if turn.role == "user":
                text = plain_question(turn.text.strip())  # as the pipeline read it
                earlier = Conversation(tuple(turns), self.articles, self.remembered)
                earlier.__dict__["_standalone"] = tuple(done)  # already known: never recomputed
                done.append(_reading_answered(text, earlier, _reply_to(self.turns, n)) if turns else text)
                # as asked: what its pronouns were taken to mean is read from it (`_centres`)
                turns.append(Turn("user", text))
            else:
                turns.append(turn)
        return tuple(done)

    def listed(self) -> list[str]:
        """What "the first one" or "the last one" may point into: the latest short answer
        that lists things ("igneous, sedimentary, and metamorphic"), else the phrases the
        questions named that share their last word ("the Łazienki Park", "the Wilanów Palace
        Park"), in the order they were first named. The answer to a question asked of an item
        ("And the second one?") is no list to point into: "And the last one?" after it goes
        on through the list the second one was of."""
        for (asked, reply), question in zip(
            reversed(self.exchanges()), reversed(self.standalone_questions()), strict=False
        ):
            if ordinal_reference(asked) is not None:
                continue
            items = _listed_in(reply, _asks_for_several(_main_clause(question)))
            if items:
                kind = _KIND_OF.search(question)  # "the three major types of rock": igneous rock
                if kind is None:
                    return items
                noun = kind.group(1)
                return [i if tagged(i)[-1][1].startswith("NN") else f"{i} {noun}" for i in items]
        seen: dict[str, list[str]] = {}
        for question in self.standalone_questions():
            for phrase in [*definite_phrases(question), *names(question)]:
                head = phrase.split()[-1].lower()
                bare = re.sub(r"^the\s+", "", phrase, flags=re.I).lower()
                known = [re.sub(r"^the\s+", "", p, flags=re.I).lower() for p in seen.setdefault(head, [])]
                if bare not in known and len(phrase.split()) > 1:
                    seen[head].append(phrase)
        groups = [items for items in seen.values() if len(items) > 1]
        return groups[-1] if groups else []

    def referents(self) -> list[Referent]:
        """What pronouns may point to, most salient first (see `_referents`)."""
        return list(self._referents)

    @functools.cached_property
    def _referents(self) -> tuple[Referent, ...]:
        """What pronouns may point to, most salient first: what the latest follow-up's
        pronouns were taken to mean (a conversation keeps to its centre), then per exchange,
        latest first, the short answer when it names something (a name, or any answer to
        "who"), then the names and definite phrases of the question (what the conversation
        keeps coming back to first); then the common noun phrases of the questions ("the
        ctenophores" of "What are ctenophores known as?"); last, the other names of the
        answers' sentences (the reader quotes them, the person did not ask about them)."""
        questions = self.standalone_questions()
        exchanges = self.exchanges()
        context = " ".join(t.text for t in self.turns)
        people = {
            n.split()[-1]
            for q, a in exchanges
            for n in names(q + " " + strip_markers(a))
            if looks_like_person(n, context)
        }
        called: dict[str, str] = {}  # names the person called "he" or "she"
        for_things: list[set[str]] = [set() for _ in questions]  # names put in for "it" or "they"
        # and whom "he" or "she" of a question was taken to be ("How long is his contract?"
        # → "... Solli's contract": Solli is a person, though named by one word)
        for position, ((original, reply), standalone) in enumerate(zip(exchanges, questions, strict=False)):
            taken = pronouns(original)
            # only where every pronoun was a person's ("How long is his contract?"): "Why did
            # she sell it?" → "... Kari Strand sell Nordtide?" adds no one, lest Nordtide be one;
            # and only a name put in for one: "Did the landlord face charges, regarding
            # Bristol?" for "..., did she face charges?" makes no one of Bristol
            body = standalone.partition(", regarding ")[0]
            put = [name for name in names(body) if not named_in(name, original)]  # for a pronoun
            replaced = len(pronouns(body)) < len(taken)
            if taken and all(p in PERSON for p in taken) and replaced:
                people.update(name.split()[-1] for name in put)
            if taken and not any(p in PERSON for p in taken):
                for_things[position] = {name.lower() for name in put}
            # one the person called "she" is "she" next, never "he" ("Is she happy about it?"
            # of Priya Lancaster: "Does he admit it?" is of someone else): the one name put in
            # for pronouns of one sex, as a name of its own (not "Desmond Aukett's pumpkin"),
            # where the answer did not go on with the other alone ("The grower said he ...")
            owned = any(p in ("his", "her", "hers") for p in taken)
            put = [
                name
                for name in put
                if could_be_person(name)
                # a name's own ("What is her salary?" → "Priya Lancaster's salary") only for a
                # possessive pronoun
                and (owned or not re.search(rf"{re.escape(name)}['’]", body))
            ]
            sexes = {p in SHE for p in taken if p in PERSON}
            if len(put) == 1 and len(sexes) == 1 and replaced:
                sex = "she" if sexes.pop() else "he"
                replied = {
                    "she" if w in SHE else "he"
                    for w in re.findall(r"[a-z]+", strip_markers(reply).lower())
                    if w in PERSON
                }
                if replied != {"he" if sex == "she" else "she"}:
                    called[put[0].lower()] = sex
        found: list[Referent] = []
        common: list[Referent] = []
        quoted: list[Referent] = []
        things: set[str] = set()  # answers to "what" or "which" of a thing: never a person
        # answers to "which" of a noun that names no agent ("Which movement ...?"): never "he",
        # even as a name that may be a person's; the answer to "where" or "what" is, unless
        # it looks like a person's name ("Where is X traced to?" → "Rodolphe Töpffer")
        named_things: set[str] = set()
        said = " ".join([*questions, *(t.text for t in self.turns if t.role == "assistant")]).lower()
        leading: list[Referent] = []  # the latest answer, where it was the subject asked for
        for position, (_, reply), question in zip(
            reversed(range(len(questions))), reversed(exchanges), reversed(questions), strict=False
        ):
            if position == 0:  # "that dam in western Kenya" points to what the person has in mind
                question = demonstrative_as_the(question)
            # a topic attached ("..., regarding Pinecrest Valley") was named before, where it
            # counts: here it would take "it" from what the conversation is about ("Where did
            # it start?" of the wildfire, two questions on)
            asked, nouns, other = _referents_of(_main_clause(question), strip_markers(reply), people, said)
            # an idiom names no thing ("the hook" of "How much is the city on the hook for?" is
            # nothing "it" may mean): the words its plain reading puts otherwise
            idiom = set(question.lower().split()) - set(
                (plain_words_reading(question) or question).lower().split()
            )
            asked = [r for r in asked if r.text.lower().split()[-1] not in idiom]
            # a name put in for "it" or "they" is no one for the verb it was put before ("How
            # did Hollisford Harvest Show catch it?" says nothing of the show): only the
            # other turns may show it to be someone
            asked = [
                replace(r, person=False)
                if r.person and r.text.split()[-1] not in people and r.text.lower() in for_things[position]
                else r
                for r in asked
            ]
            short = _SHORT_ANSWER.match(reply)
            if (
                not found
                and asked
                and short
                and asked[0].text == short.group(1).rstrip(".")
                and (_asks_for_subject(_main_clause(question)) or _NAMING.match(_main_clause(question)))
            ):
                # "Which wars followed?" → "Wars of Religion": "they" next; "What is their
                # stadium called?" → "St. James' Park": "it" next
                leading = asked[:1]
                # what "which" asked for is the answer, no other thing: "the other states" of
                # "Which other states joined?" answered "Saudi Arabia" ("When did they join?")
                main = _main_clause(question).lower()
                asked = [
                    r
                    for r in asked
                    if not (r.text.lower().startswith("the ") and f"which {r.text.lower()[4:]}" in main)
                ]
            elif (
                not found
                and asked
                and short
                and (
                    _counted(_main_clause(question)) == asked[0].text
                    or (
                        _BARE_HOW_MANY.match(_main_clause(question))
                        and is_group(asked[0].text)
                        and asked[0].text.removeprefix("the ") in reply
                        and all(c.person for c in self._centres)
                    )
                )
            ):
                # "How many brothers did he have?" → "two": "they" next; "How many did they
                # find?" → "23" of "found 23 hairline cracks": "them" next, before the people
                # "they" were (not before a party: "How many did they win?" of the Greens is
                # "14" seats, and "Who leads them?" is of the Greens)
                leading = asked[:1]
            elif (_WHAT_HAPPENS.match(question) and not _may_be_it([*leading, *found])) or (
                (many := _GOING_ON_WITH.match(question)) is not None
                and is_group(many["x"])
                and not _may_be_it([*leading, *found])
            ):
                # "What's going on near Pinecrest Valley?" → "fast-moving wildfire": the event
                # is "it" next ("Where did it start?"), before the place it was asked of, and
                # after "How many people had to leave?" too ("the people" are "they")
                if short:
                    event = short.group(1).rstrip(".").lower()
                    matched = [
                        r
                        for r in asked
                        if r.text.lower().removeprefix("the ") in (event, second_mention(event))
                    ][:1]
                    # a thing the question did not name ("measles" of "What's going on at that
                    # school?") is "it" next all the same
                    thing = _answered_thing(short.group(1))
                    told = [Referent(thing, False, thing=True)] if thing and not matched else []
                    leading += matched
                    # first while nothing was asked since; after, where an answer names it
                    # ("Was there a fire too?": the fire is "it" next)
                    if position == len(questions) - 1:
                        leading += told
                    else:
                        quoted += told
                else:
                    # answered by a sentence ("... were halted after a cyberattack disabled
                    # ..."): the event it tells of is "it" next ("When was it discovered?")
                    sentence = strip_markers(reply).split(". ")[0]
                    event = event_said(sentence)
                    # else the things it brings in ("has uncovered a hoard of more than 3,400
                    # Roman silver coins": "it" is the hoard, "them" the coins)
                    leading += [Referent(event, False, thing=True)] if event else _introduced_things(sentence)
            elif _WHAT_HAPPENS.match(question) and not short:
                # what the sentence that told it brought in is still there to be pointed to,
                # after what was asked since ("How many passengers were on it?" of the train)
                quoted += _introduced_things(strip_markers(reply).split(". ")[0])
            found += asked
            common += nouns
            quoted += other
            # the answer, and the answer made definite ("the fast-moving wildfire" of
            # "fast-moving wildfire"), is the thing it answered
            answered = short.group(1).rstrip(".").lower() if short else ""
            if short and _asks_for_a_thing(_main_clause(question)):
                things.update((answered, f"the {answered}"))
            if short and _asks_which_thing(_main_clause(question)):
                named_things.update((answered, f"the {answered}"))
        # last, the people of the turns left out, where no later turn named them in full
        later = " | ".join(r.text for r in [*leading, *found, *common, *quoted])
        gone = [
            Referent(name, True)
            for name in self.remembered
            # named again in full (not "Ann Leeming" for "Ann Lee", nor "Graham Soley's wife")
            if not re.search(rf"\b{re.escape(name)}\b(?!['’]?\w)", later, re.I)
        ]
        unique: dict[str, Referent] = {}
        for referent in [*leading, *self._centres, *found, *common, *quoted, *gone]:
            # a name any turn shows to be a person's is a person's, unless it answered a
            # question about a thing ("What is the largest stadium?")
            key = referent.text.lower()
            if referent.gender is None and key in called:
                referent = replace(referent, gender=called[key])
            known = unique.setdefault(key, referent)
            if referent.gender is not None and known.gender is None:
                # "the pedestrian" asked about is the one the answer said "she" of, and
                # "the female jaguar" asked about is "she" as the answer that named her
                known = unique[key] = replace(known, gender=referent.gender)
            if referent.person and not known.person and key not in things:
                unique[key] = replace(known, person=True, someone=referent.someone)
            elif referent.someone and not known.someone and key not in things:
                unique[key] = replace(known, someone=True)
            elif key in things and known.person and known not in self._centres:
                unique[key] = replace(known, person=False, thing=key in named_things)
            elif (
                key in named_things or (key in things and not looks_like_person(known.text))
            ) and not known.person:
                unique[key] = replace(known, thing=True)
        # a name the articles call a place is no one's ("the village of Ashburn Ford": "Who
        # found them?" and "What did he think it was?" are not of it)
        return tuple(
            replace(r, person=False, someone=False, thing=True) if self._no_one(r) else r
            for r in unique.values()
        )

    def _no_one(self, referent: Referent) -> bool:
        """Whether the articles show a name that may look like a person's to be no one's:
        they call it a place ("the village of Ashburn Ford": "Ford" is a surname too)."""
        name = referent.text
        # a name of words typed in lower case too ("ashburn ford"; never "workers" of "laid
        # off workers"): `_a_place_of` finds it as written
        typed = name.islower() and " " in name and not _DETERMINED.match(name)
        if (
            not self.articles
            or not (name[:1].isupper() or typed)
            or not (referent.person or could_be_person(name))
        ):
            return False
        return _a_place_of(name, self.articles)

    @functools.cached_property
    def _centres(self) -> tuple[Referent, ...]:
        """What the latest follow-up's pronouns were taken to mean, a person's if a person
        pronoun meant it ("Was he named MVP?" → "Was the Panthers' quarterback named MVP?":
        the quarterback is "him" next)."""
        questions = self.standalone_questions()
        asked = [t.text for t in self.turns if t.role == "user"]
        if not asked or not questions or asked[-1].strip() == questions[-1]:
            return ()
        found = pronouns(asked[-1])
        # a topic attached ("..., regarding Bristol") is no pronoun's meaning
        rewritten, original = questions[-1].partition(", regarding ")[0], asked[-1]
        if not found or not content_terms(original) or ellipsis_subject(original) is not None:
            return ()  # only what a pronoun was put as ("When did he do it?" is asked anew)
        if len(pronouns(rewritten)) >= len(found):
            return ()  # none was put as anything
        earlier = Conversation(
            self.turns[: max(i for i, t in enumerate(self.turns) if t.role == "user")],
            remembered=self.remembered,
        )
        earlier.__dict__["_standalone"] = tuple(questions[:-1])  # already known: never recomputed
        centres = []
        # a person pronoun made what it meant a person's; with a pronoun of a thing beside it
        # ("When did he build it?") only what was a person's already is
        personal = all(p in PERSON for p in found)
        # what "it" meant is a thing: never "he" next ("When was it published?" → "On the
        # Origin of Species"; "Where did he gather his evidence?" is not about the book)
        impersonal = all(p in THING for p in found)
        # what "they" meant is many: "comprehensive school", defined, was "they" and is
        # "comprehensive schools" next (before "England and Wales", also named)
        many = all(p in GROUP for p in found)
        for referent in earlier.referents():
            if named_in(referent.text, rewritten) and not named_in(referent.text, original):
                # an animal said female or male stays one: "she" of "Who found her?", "it" too
                animal = not referent.person and sex_said(referent.text) is not None
                person = referent.person or (personal and not animal)
                thing = referent.thing or (impersonal and not person)
                text = referent.text
                if many and not person and generic(text):
                    text = plural(text)
                someone = referent.someone or (personal and not animal)
                centres.append(Referent(text, person, someone=someone, thing=thing, gender=referent.gender))
        return tuple(centres[:2])


_KIND_OF = re.compile(
    r"\b(?:types?|kinds?|sorts?|forms?|classes|class|categories|category)\s+of\s+([a-z]+)\b", re.I
)


def _listed_in(reply: str, several: bool = False) -> list[str]:
    """The items an answer lists: its short answer's ("igneous, sedimentary"), made whole by
    the list its sentence goes on with ("igneous, sedimentary, and metamorphic"); when the
    question asked for `several` things and the short answer holds one, the coordination
    around it in its sentence ("Los Angeles (at 3.7 million people) and San Diego" of
    "Which two major cities ...?" answered "San Diego")."""
    short = _SHORT_ANSWER.match(reply)
    lead = short.group(1).rstrip(".") if short else ""
    items = list_items(lead) if lead else []
    plain = strip_markers(reply[short.end() if short else 0 :]).replace("**", "")
    if not items:
        return _coordination_around(plain, lead) if lead and several else []
    start = plain.find(items[0])
    if start >= 0:
        whole = list_items(re.split(r"[.;:!?](?:\s|$)", plain[start:])[0])
        if len(whole) > len(items) and whole[: len(items)] == items:
            return whole
    return items


def _coordination_around(text: str, item: str) -> list[str]:
    """The list `item` is part of in `text` (parentheses aside), between the punctuation
    around it ("Los Angeles and San Diego, both in ..."), or []."""
    text = re.sub(r"\s*\([^()]*\)", "", text)
    at = text.find(item)
    if at < 0:
        return []
    left = max(text.rfind(mark, 0, at) for mark in ",;:.!?") + 1
    stops = [i for mark in ",;:.!?" if (i := text.find(mark, at + len(item))) >= 0]
    items = list_items(text[left : min(stops, default=len(text))])
    return items if item in items else []


_SEVERAL = re.compile(
    r"^\s*(?:what|which|name)\s+(?:the\s+)?(?:two|three|four|five|both|several|some)\b", re.I
)


def _asks_for_several(question: str) -> bool:
    """Whether `question` asks for more than one thing: "Which two major cities ...?"."""
    return _SEVERAL.match(question) is not None


def _reply_to(turns: Sequence[Turn], n: int) -> str:
    """The assistant's reply to the user turn `n`, or ""."""
    following = turns[n + 1] if n + 1 < len(turns) else None
    return following.text if following is not None and following.role == "assistant" else ""


# "What is her name?", "What was his full name?": the name of someone a pronoun points to
_ASKS_A_NAME = re.compile(
    r"^\s*(?:and\s+)?what(?:['’]s|\s+is|\s+was)\s+(?:his|her|its|their)\s+(?:full\s+|first\s+|last\s+)?names?\b",
    re.I,
)


# "they" who know, think, say or want something
_THEY_HOLD = re.compile(
    r"\bthey\s+(?:(?:still|really|now|already|ever|not)\s+)?(?:know|knew|think|thought|believe|believed|"
    r"say|said|expect|expected|want|wanted|plan|planned|hope|hoped|fear|feared|suspect|suspected|"
    r"claim|claimed|admit|admitted|deny|denied|blame|blamed|worry|worried|reckon|decide|decided|"
    r"agree|agreed|announce|announced|respond|responded|react|reacted|feel|felt|"
    # and who may notice ("How'd they notice?" is never of the outbreak)
    r"notice|noticed|realise|realised|realize|realized|learn|learned|learnt|find\s+out|found\s+out)\b",
    re.I,
)


def _fitting(question: str, referents: list[Referent], conversation: Conversation) -> list[Referent]:
    """The `referents` the pronouns of `question` may stand for, by what it asks: "he" or
    "she" never a place the conversation was in (`_no_places`), nor one the articles call
    the other (`pronoun_gender`); "What is her name?" of the
    one said by a role (`_said_by_role`), never "What is Kjersti Ravn's name?"; "When did
    it happen?" of an event, never of the museum."""
    found = pronouns(question)
    if found and found[0] in PERSON:
        referents = _no_places(referents, conversation)
        # nor a name the articles only ever say with "the" ("the Hollisford Harvest Show"):
        # no one's
        referents = [r for r in referents if r.person or not _always_with_the(r.text, conversation.articles)]
    # "he" is never one the articles call "she" ("Is he going to fight the result?" is not
    # of Dolores Quinn), nor "she" one they call "he", after another pronoun too ("Did they
    # have to shoot her?")
    said = {"she" if p in SHE else "he" for p in found if p in PERSON}
    if said and conversation.articles:
        told = {r.text: pronoun_gender(r.text, conversation.articles, first_name=False) for r in referents}
        # each pronoun is of one the articles do not call the other ("How fast was he going
        # when he hit her?" is not of Claire Lowe, "Lowe's daughter"), recorded on any
        # referent they call "he" or "she", a name not yet known as a person's too
        referents = [replace(r, gender=told[r.text]) if told[r.text] else r for r in referents]
        # one word an answer only quoted, which the articles never give a first name nor
        # "he" or "she", is no one's name: news names people in full ("Zipp employs 65
        # people" is a company; "Lowe" of "Margaret Lowe" is hers)
        referents = [
            replace(r, thing=True) if _one_word_no_one(r, conversation.articles) and not told[r.text] else r
            for r in referents
        ]
    if len(said) == 1 and conversation.articles:
        # as the articles say, else as the person said ("Is she happy?" of Priya Lancaster)
        referents = [r for r in referents if (told[r.text] or r.gender) in (None, *said)]
        # a first name's guess ("Helen" is a woman's) rules one out only where someone is
        # left to be it, or where the articles name someone else it may be: the census makes
        # "Andrea", "Kim" and "Nikita" women's names ("Why did he order the launch?" is of
        # Kim Jong Un), but "What's her background?" is not of Tomas Lindqvist where the
        # story names Sofia Ruiz
        guessed = [r for r in referents if pronoun_gender(r.text, conversation.articles) in (None, *said)]
        if any(r.person or describes_someone(r.text) for r in guessed) or _names_someone(
            conversation.articles, said, {r.text for r in referents}
        ):
            referents = guessed
        if not any(r.person or describes_someone(r.text) for r in referents):
            # no one left: the pronoun stays as asked ("Was she injured?" of a jaguar is not
            # of the man who found her), never a name that only may be someone's, unless the
            # articles call it so ("Why did her family sell?" is not of Rotterdam)
            referents = [r for r in referents if r.thing or told[r.text] or not could_be_person(r.text)]
    asked = [r for r in referents if not r.quoted]
    two = len(asked) > 1 and asked[0].person and asked[1].person  # "the treaty between them"
    if found and all(p in GROUP for p in found) and conversation.articles and not two:
        # "they" is never one the articles go on to call "he" or "she" ("Are they going to
        # fight the decision?" is not of Linas Jankauskas, whose "-s" reads as a plural's)
        referents = [
            r
            for r in referents
            if not r.person
            or " and " in r.text
            or pronoun_gender(r.text, conversation.articles, first_name=False) is None
        ]
    if _THEY_HOLD.search(question) and all(p in GROUP for p in found):
        # "Do they know what caused the blaze?", "What do they think went wrong?": someone
        # who may know or think, never "provided cots" or "the rocket"; else "they" stays
        referents = _no_places([r for r in referents if may_hold_a_view(r)], conversation)
    if _their_people(question):
        # "What did their boss say?": the boss of a body or of people, never of "the pills",
        # an organisation's first ("Alvera Pharmaceuticals", not the drug "Caldorin")
        holders = [r for r in referents if may_hold_a_view(r)] or referents
        context = " ".join(conversation.articles)
        referents = sorted(holders, key=lambda r: not is_organisation(r.text, context))
    if _MADE_IT.search(question) and len(pronouns(question)) == 1 and not _MADE_IT_TO.search(question):
        # what is made or sold is a thing, never its maker ("Is the factory still making
        # them?" of the pills, not of Alvera Pharmaceuticals)
        context = " ".join(conversation.articles)
        referents = [
            r for r in referents if not (r.person or r.someone or is_organisation(r.text, context))
        ] or referents
    if found and found[0] in GROUP:
        # "they" of a town is its body an answer named ("Why are they doing that?" after
        # "Port Allard city council voted to ban ...": the council, never the town)
        body = {
            r.text: u
            for r in referents
            for u in referents
            if u.text.startswith(r.text + " ") and _BODY_AFTER.fullmatch(u.text[len(r.text) :])
        }
        moved = {u.text for u in body.values()}
        referents = [body.get(r.text, r) for r in referents if r.text not in moved]
    if _ASKS_A_NAME.match(question):
        referents = _said_by_role(referents)
    if _of_an_event(question):
        referents = [r for r in referents if is_event(r.text)]
    if found and all(p in GROUP for p in found):
        # "they" is never a place ("How'd they get everyone off?" after "What happened to the
        # ferry near Port Ellister?"), nor "them" ("Who found them?" after "What happened in
        # Ashburn Ford?"), whatever name it may be besides; "at" says no place ("What
        # happened at Tesla?": "Did they apologise?")
        texts = (*conversation.articles, conversation.said())
        context = " ".join(conversation.articles)
        referents = [
            r
            for r in referents
            if r.person
            or is_group(r.text)
            or _DETERMINED.match(r.text)  # "the EU", "the Labour Party": bodies said with "the"
            or r.text.isupper()
            or (r.text[:1].isupper() and is_organisation(r.text, context))
            or not _a_place_of(r.text, texts, strict=True)
        ]
    if found == ["it"]:
        # "it" is a thing before a town the conversation was in ("Whose land was it on?"
        # after "What happened in Ashburn Ford?" is of the hoard found there), which is
        # "there" more often than "it"
        context = conversation.said()
        referents = sorted(
            referents, key=lambda r: _DETERMINED.match(r.text) is None and _was_in(r.text, context)
        )
    if _IT_STARTED.search(question):
        # what started or spread is never a place the conversation was in ("Where did it
        # start?" after "What's going on near Pinecrest Valley?" is of the wildfire)
        context = conversation.said()
        referents = [r for r in referents if is_event(r.text) or not _was_in(r.text, context)] or referents
        # what the conversation opened by asking what was going on is what started ("How'd
        # it start?" after "What's going on at that school?" answered "measles")
        # unless a later event comes first ("Was there a fire too?": "How did it start?")
        opened = _opening_event(conversation)
        if not (referents and is_event(referents[0].text)):
            referents = sorted(referents, key=lambda r: r.text.lower() != opened)
    return referents


def _was_in(place: str, said: str) -> bool:
    """Whether the conversation (what was `said`) was in or near `place`: "in Pinecrest
    Valley", "near the village"; a name typed in lower case as the answers write it."""
    flags = re.I if place.islower() else 0
    return re.search(rf"\b(?:in|near)\s+(?:the\s+)?{re.escape(place)}\b", said, flags) is not None


def _opening_event(conversation: Conversation) -> str:
    """The short answer to the conversation's first question where that asked what was
    going on ("measles" of "What's going on at that school?"), lower-cased; else ""."""
    exchanges = conversation.exchanges()
    # the first question as the pipeline read it (its standalone reading is itself)
    if not exchanges or not _WHAT_HAPPENS.match(conversation.standalone_questions()[0]):
        return ""
    short = _SHORT_ANSWER.match(exchanges[0][1])
    return _answered_thing(short.group(1)).lower() if short else ""


def _answered_thing(answer: str) -> str:
    """A short answer that names a thing, as it is named next: "measles", "the derailment"
    of "a derailment"; "" for a clause or a longer answer."""
    text = re.sub(r"^(?:an?)\s+", "the ", answer.strip().rstrip("."), flags=re.I)
    said = _noun_phrase_answer(text, identity=True)
    return second_mention(said) if said else ""


# "it" or "them" made or sold ("Is the factory still making them?", "Who sells it?")
_MADE_IT = re.compile(
    r"\b(?:make|makes|making|made|produce|produces|producing|produced|manufactur(?:e|es|ing|ed)|"
    r"sell|sells|selling|sold)\s+(?:them|it)"
    # never "make them open it" (causing, not making)
    r"(?=\s*(?:[?.!,]|$|\s(?:in|at|for|from|now|still|any|anymore|again|here|there|abroad|today|online)\b))",
    re.I,
)


# "Did he make it?", "Will they make it in time?": got there, made nothing
_MADE_IT_TO = re.compile(
    r"\b(?:did|does|do|will|would|can|could)\s+(?!(?:who|which|what)\b)[\w'’-]+(?:\s+[\w'’-]+)?\s+make\s+it\b",
    re.I,
)


# a possessive before whom it has ("their boss", "their lawyers")
_THEIR_PEOPLE = re.compile(r"\btheir\s+(?P<noun>\w+)(?:\s+(?P<next>\w+))?", re.I)


def _their_people(question: str) -> bool:
    """Whether the question's "their" has people ("their boss", "their lawyers"): of a
    body or of people ("its first director" may be a museum's)."""
    people = _THEIR_PEOPLE.search(question)
    return (
        people is not None
        and any(PERSON_NOUN.match(w or "") for w in (people["noun"], people["next"]))
        and all(p in GROUP for p in pronouns(question))
    )


# "it" as what starts, spreads or ends ("Where did it start?", "When will it end?")
_IT_STARTED = re.compile(
    r"\b(?:did|does|do|will|would|has|had|is|was)\s+it\s+(?:first\s+)?"
    r"(?:start|started|starting|begin|begun|beginning|spread|spreading|end|ended|stop|stopped)\b"
    r"(?:\s+(?:so\s+)?\w+ly)?(?:\s+(?:there|here|now|(?:in|at|near|across|through)\s+[^?,]+))?\s*(?:[?.!]|$)",
    re.I,
)


@functools.lru_cache(maxsize=8)
def _full_names(articles: tuple[str, ...]) -> tuple[str, ...]:
    """The names of two words or more the `articles` say, each once, in order: read once
    per conversation's articles, not once per referent and pronoun."""
    return tuple(dict.fromkeys(n for text in articles for n in names(text) if len(n.split()) > 1))


def _one_word_no_one(referent: Referent, articles: tuple[str, ...]) -> bool:
    """Whether `referent` is one word an answer only quoted that no name of the `articles`
    ends with: a surname is said in full somewhere ("Margaret Lowe"), a company need not be."""
    word = referent.text
    if not referent.quoted or referent.person or " " in word or not word[:1].isupper():
        return False
    return not any(n.split()[-1] == word for n in _full_names(articles))


def _names_someone(articles: tuple[str, ...], said: set[str], besides: set[str]) -> bool:
    """Whether `articles` name a person (two words or more) the pronoun `said` ("he" or
    "she") fits, by what they say of them or by the first name, other than those `besides`."""
    return any(
        name not in besides and looks_like_person(name) and (pronoun_gender(name, articles) or "") in said
        for name in _full_names(articles)
    )


def _said_by_role(referents: list[Referent]) -> list[Referent]:
    """The referents that are someone said by a role ("the fisheries minister"), where
    there are any; else all of them ("What is her full name?" after an answer "Strand")."""
    return [r for r in referents if describes_someone(r.text) and not r.text[:1].isupper()] or referents


def _of_an_event(question: str) -> bool:
    """Whether the question's one pronoun is an "it" that happened ("When did it happen?")."""
    return pronouns(question) == ["it"] and asks_of_an_event(question)


def _always_with_the(name: str, articles: Sequence[str]) -> bool:
    """Whether `articles` say capitalised `name` at least once and always after "the" ("the
    Hollisford Harvest Show", "the Brennock Ice Arena"): a thing's or a body's name, never
    a person's."""
    if not name[:1].isupper() or not articles:
        return False
    said = [m.start() for text in articles for m in re.finditer(rf"(?<![\w-]){re.escape(name)}\b", text)]
    withthe = [m.start() for text in articles for m in re.finditer(rf"\b[Tt]he\s+{re.escape(name)}\b", text)]
    return bool(said) and len(withthe) == len(said)


def _no_places(referents: Sequence[Referent], conversation: Conversation) -> list[Referent]:
    """`referents` without the places the conversation was in ("he" or "she" is never
    "Hälsingland" of "How big is the fire in Hälsingland?", nor "Warsaw" of "born in
    Warsaw": "in", "at" or "near" it, never "delivered to Støre"), unless known or looking
    to be a person's name; a description is no place ("What will happen to the captain?")."""
    context = conversation.said()
    return [
        r
        for r in referents
        if r.person
        or not r.text[:1].isupper()
        or looks_like_person(r.text)
        or not located_in(r.text, context)
    ]


_PLACE_BEFORE = r"\b(?:(?:village|town|city|hamlet|parish|county|island|suburb|port)\s+of|{inside}near|off|outside)\s+(?:the\s+)?$"
_STRICTLY_A_PLACE_OF = re.compile(_PLACE_BEFORE.format(inside=""), re.I)
_PLACE_OF = re.compile(_PLACE_BEFORE.format(inside="in|"), re.I)


def _a_place_of(name: str, articles: Sequence[str], strict: bool = False) -> bool:
    """Whether `articles` say `name` as a place ("the village of Ashburn Ford", "near Port
    Ellister": "Ford" is a surname too) and never "he" or "she" of it, nor open it with a
    first name ("in Derek Pellow's field" is no place of his); "at" may be a company's
    ("workers at Tesla"); `strict`: nor "in" ("fans in Liverpool", "What happened in
    Greece?": a club's, a country's people may still be "they")."""
    words = name.split()
    if len(words) > 1 and is_first_name(words[0]):
        return False
    # a name typed in lower case ("port ellister") is found as the articles write it
    flags = re.I if name.islower() else 0
    pattern = _STRICTLY_A_PLACE_OF if strict else _PLACE_OF
    placed = any(
        pattern.search(article[max(0, m.start() - 20) : m.start()])
        for article in articles
        for m in re.finditer(rf"\b{re.escape(name)}\b(?!['’]s)", article, flags)
    )
    return placed and pronoun_gender(name, tuple(articles), first_name=False) is None


def _reading_answered(question: str, earlier: Conversation, reply: str) -> str:
    """The standalone question an earlier follow-up was most likely answered as: the
    articles chose among its readings and a history keeps only the answer, so the first
    reading most of whose own words (those it put in: a name, "comprehensive schools") the
    answer holds; else the question as asked where the rule's reading only added words the
    answer does not say; else the rule's."""
    if not needs_context(question) and not pronouns(question):
        return question
    options = condense_alternatives(question, earlier)
    if reply:
        # the words each reading put in (a name, or a common noun: "comprehensive schools")
        said = set(content_terms(strip_markers(reply).replace("**", "")))
        asked = set(content_terms(question))
        own = [set(content_terms(o)) - asked for o in options]
        # the answer does not say most of what the rule's reading put in ("the money of
        # German club SC Freiburg" answered "The club said the money would ...")
        if not own[0] or 2 * len(own[0] & said) < len(own[0]):
            for option, put in zip(options[1:], own[1:], strict=True):
                if put and 2 * len(put & said) >= len(put):
                    return option
            if _only_added_to(question, options[0]):
                return question  # read as asked: the rule only added what was not answered
    return options[0] if needs_context(question) else question


def _only_added_to(question: str, reading: str) -> bool:
    """Whether `reading` is `question` with an "of" phrase put after a word of it and
    nothing else changed ("What will Glimt do with the money of SC Freiburg?"), never with a
    pronoun or a phrase replaced ("How does igneous rock form?" for "How does the first one
    form?") nor a bare question filled in ("How did Odda FK win the cup final?" for "How?")."""
    start = 0
    while start < min(len(question), len(reading)) and question[start] == reading[start]:
        start += 1
    end = 0
    while end < min(len(question), len(reading)) - start and question[-1 - end] == reading[-1 - end]:
        end += 1
    added = reading[start : len(reading) - end]
    return start + end == len(question) and re.match(r"\s+of\s+\S", added) is not None


# a verb a clause's "that" follows, and "so that", "now that", "such that"
_OPENS_CLAUSE = frozenset(
    [
        "say",
        "said",
        "says",
        "think",
        "thinks",
        "thought",
        "believe",
        "believes",
        "claim",
        "claims",
        "claimed",
        "know",
        "knew",
        "hope",
        "fear",
        "feared",
        "warn",
        "warned",
        "argue",
        "argued",
        "insist",
        "insisted",
        "suggest",
        "suggested",
        "admit",
        "admitted",
        "deny",
        "denied",
        "confirm",
        "confirmed",
        "expect",
        "expected",
        "feel",
        "felt",
        "show",
        "showed",
        "shown",
        "mean",
        "meant",
        "announce",
        "announced",
        "report",
        "reported",
        "realise",
        "realised",
        "realize",
        "realized",
        "tell",
        "told",
        "add",
        "added",
        "so",
        "now",
        "such",
    ]
)


def _may_be_it(found: Sequence[Referent]) -> bool:
    """Whether any of `found` (what later questions asked about) may be "it": neither a
    person nor many ("the people" of "How many people had to leave?" leaves "it" to the
    wildfire a "What's going on?" question was answered with)."""
    return any(not r.person and not is_group(r.text) for r in found)


def demonstrative_as_the(question: str) -> str:
    """A conversation's opening question with "that" or "this" before a noun read as "the":
    "What happened with that dam in western Kenya?" is about the dam, "it" next."""
    tags = word_tags(question)

    def the(match: re.Match[str]) -> str:
        noun = tags.get(match.end(), "")
        word = re.match(r"[\w’'-]+", question[match.end() :])
        if not noun.startswith("NN") or noun.startswith("NNP") or word is None:
            return match.group(0)
        if word.group(0).lower().removesuffix("'s").removesuffix("’s") in _TIME_NOUNS:
            return match.group(0)  # "this year's flood", "that night"
        before = re.search(r"([\w’'-]+)\W*$", question[max(0, match.start() - 40) : match.start()])
        # never a clause's "that": "Did he say that prices rose?", "so that", "now that"
        clause = (
            match.group(0).lower().startswith("that")
            and before is not None
            and before.group(1).lower() in _OPENS_CLAUSE
        )
        return match.group(0) if clause else "the "

    return re.sub(r"\b(?:that|this)\s+", the, question)


def _owned_phrases(question: str) -> list[tuple[int, str]]:
    """(offset, phrase) of each one thing `question` says with "his", "her", "its" or
    "their", said with "the": "Why did the journalist end his hunger strike?" → "the hunger
    strike", "it" next ("How long did it last?"); never many ("their homes" are no "they")."""
    found = []
    tags = word_tags(question)
    for match in re.finditer(r"\b(?:his|her|its|their)\s+(?=\w)", question, re.I):
        if tags.get(match.start()) != "PRP$":
            continue  # "Who spotted her first?"
        rest = f"the {question[match.end() : match.end() + 80]}"  # a phrase is a few words
        said = definite_phrases(rest)
        if not said or not said[0].startswith("the ") or is_group(said[0]):
            continue
        last = rest.find(said[0]) + len(said[0]) - len(said[0].split()[-1])
        if word_tags(rest).get(last, "").startswith("NN"):  # "the hunger strike", never "the first"
            found.append((match.start(), said[0]))
    return found


# a complement that says which one: "the fine against Nordvik Bank", "the attack on Northgate"
_NAMED_COMPLEMENT = r"\s+(?:against|on|over|into|by)\s+(?:the\s+)?[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,3}"


_A_DAY = re.compile(
    r"\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April|May|June|"
    r"July|August|September|October|November|December|Christmas|Easter)\b"
)


def _with_named_complement(phrase: str, question: str) -> str:
    """`phrase` of `question` with the complement after it that names something ("the fine
    against Nordvik Bank"); else `phrase`."""
    at = question.find(phrase)
    complement = re.match(_NAMED_COMPLEMENT, question[at + len(phrase) :]) if at >= 0 else None
    if complement is None or not names(complement.group(0)) or _A_DAY.search(complement.group(0)):
        return phrase  # "the attack on Monday" is the attack
    return phrase + complement.group(0).rstrip("?.!,")


def _before_complement(phrase: str) -> str:
    """`phrase` without a complement `_with_named_complement` gave it."""
    return re.split(_NAMED_COMPLEMENT, phrase, maxsplit=1)[0]


def _degree_alone(phrase: str) -> bool:
    """Whether `phrase` is "the" and a superlative alone ("the worst", "the biggest"): a
    description of which one, not a thing (an ordinal is one: "the second" of games); never
    a compass word the lexicon reads as a superlative ("the midwest")."""
    words = phrase.split()
    return (
        len(words) == 2
        and words[0].lower() == "the"
        and lexicon_tag(words[1].lower()) == "JJS"
        and not words[1].lower().endswith(("west", "east"))
    )


def _referents_of(
    question: str, answer: str, people: set[str], said: str
) -> tuple[list[Referent], list[Referent], list[Referent]]:
    """(what the exchange is about, most salient first; its common noun phrases; the
    other names of its answer)."""
    main = _main_clause(question)
    who = _asks_who(main)
    short = _SHORT_ANSWER.match(answer)
    plain = answer.replace("**", "")
    first_sentence = plain if short else plain.split(". ")[0]
    # a phrase with its complement that names something is whole: "the fine against Nordvik
    # Bank" ("Who handed it down?" is of that fine, which the articles say was imposed)
    # "the worst" of "How bad is the worst one?" is no thing of its own: a superlative
    # alone names nothing a pronoun could mean (`_degree_alone`)
    phrases = [
        _with_named_complement(p, question) for p in definite_phrases(question) if not _degree_alone(p)
    ]
    # in the order they come (the subject of "When did the Wagner convoy reach X?" first);
    # a name inside a definite phrase ("the Wagner convoy") is the phrase
    placed = [(question.find(p), Referent(p, False)) for p in phrases]
    placed += [(at, Referent(p, False)) for at, p in _owned_phrases(question) if p not in phrases]
    # "the population" of "What is the population of Fresno?" is asked of Fresno: after it
    of = {p for p in phrases if re.match(r"\s+of\b", question[question.find(p) + len(p) :])}
    # a name inside a definite phrase ("the Wagner convoy") is the phrase, but the owner
    # of a possessive one ("Tesla's induction motor") is something of its own
    # (a name of its complement is its own: "Nordvik Bank" of "the fine against Nordvik Bank")
    # a people's adjective before its noun names nothing: "Indonesian" of "Which Indonesian
    # volcano erupted?" (`_qualifies_a_noun`)
    own = [
        n
        for n in names(question)
        if not any(
            n in _before_complement(p) and not p.startswith(n + "'") and not p.startswith(n + "’")
            for p in phrases
        )
        and not _qualifies_a_noun(n, question)
    ]
    # "Who did Tesla work for when he emigrated?": the one name that may be a person's is
    placed += [
        (
            question.find(n),
            Referent(n, looks_like_person(n, question) or n in people or _said_he(n, own, main)),
        )
        for n in own
    ]
    # a place a phrase is in (or off) is asked after the phrase: "it" of "What happened to the library
    # in Brennby?" or "... the dam in western Kenya?" is the library, the dam
    located = {
        n
        for p in phrases
        for n in own
        if re.search(
            rf"{re.escape(p)}\s+(?:in|at|near|outside|off)\s+(?:the\s+)?(?:[a-z]+\s+){{0,2}}{re.escape(n)}\b",
            question,
        )
    }
    # what the conversation keeps coming back to first, then in the order they come
    placed.sort(
        key=lambda pair: (
            pair[1].text in of or pair[1].text in located,
            -said.count(pair[1].text.lower()),
            pair[0],
        )
    )
    asked = [referent for _, referent in placed]
    # one said with "a" or "an" is put back with "the" ("Who painted the auction record?"
    # after "Which painting set an auction record?"); a plural or a mass noun as it was
    common = [
        Referent(f"the {p}" if _said_with_a(p, question) else p, False)
        for p in noun_phrases(question)
        if not any(p.lower() in r.text.lower() or r.text.lower() in p.lower() for r in asked)
        and not _as_an_institution(p, question)
    ]
    quoted = [
        _quoted_referent(whole, first_sentence, people)
        for n in names(first_sentence)
        # the body of a place asked about ("Port Allard city council" of "... in Port Allard?")
        if (whole := _with_its_body(n, first_sentence) if n in question else n) not in question
        and (whole != n or not _attributive(n, first_sentence))
    ]
    quoted += _described_people(first_sentence, question)
    group = _subject_group(without_short_answer(answer).split(". ")[0])
    # "Seven workers at a family bakery ... have launched legal action": the workers are who
    # "they" may be next ("Who are they accusing?"), unless the question asked of them
    # or the short answer said it ("**farmers**. Farmers in Oslo protested ...": the answer is)
    if (
        group is not None
        and not re.search(rf"\b{re.escape(group.split()[-1])}\b", question, re.I)
        and not (short and group.split()[-1] in short.group(1).lower().split())
    ):
        quoted.append(Referent(group, True, quoted=True))
    counted = _counted(main) if short else None
    if counted is None and short and _BARE_HOW_MANY.match(main):
        # "How many did they find?" answered "23" from "... found 23 hairline cracks": "them"
        # next are the hairline cracks
        things = re.search(
            rf"(?<![\w.,]){re.escape(short.group(1).rstrip('.'))}\s+((?:[a-z-]+\s+){{0,2}}[a-z-]+s)\b", plain
        )
        if things is not None and is_group(things.group(1)):
            counted = f"the {things.group(1)}"
    if counted is None and short and _BARE_HOW_MANY.match(main):
        # "How many ended up in hospital?" answered "**Twenty-three people**": "they" next
        # are the people the answer counts
        counted = _people_counted(short.group(1))
    if counted is not None:  # "How many brothers did Bell have?" → "two": "they" are his brothers
        asked.insert(0, Referent(counted, False))
    if who and not short and quoted and quoted[0].person:
        # an answer to "who" without a short answer names its answer first: "Alexander
        # Lukashenko, the president of Belarus, led them" is who "he" is next
        answered = replace(quoted.pop(0), quoted=False, someone=True)
        asked.insert(len(asked) if _OBJECT_WHO.match(main) else 0, answered)
    holder = _role_holder(asked, quoted, first_sentence)
    if holder is not None:
        # "Did the mayor accept the result?" answered "The outgoing mayor, Per Holm,
        # conceded": the mayor was Per Holm, who "he" is next
        quoted.remove(holder)
        asked.insert(0, replace(holder, quoted=False, someone=True))
    defined = _defined(main)
    if defined is not None:  # "What is geology?": geology, not its definition, is meant next
        same = [r for r in asked if r.text.lower() == defined.lower()]
        asked = [r for r in asked if r not in same]
        # first; and "Who was Prigozhin?" asks about a person
        asked.insert(0, Referent(same[0].text if same else defined, who or any(r.person for r in same)))
    elif short:
        text = short.group(1).rstrip(".")
        # "Pons Aelius", the answer to "What was the first settlement?", is no person; nor
        # "the Liberal Alliance", whom a party is talking to
        the = text.lower().startswith("the ")
        bare = text[4:] if the else text  # "the Wars of Religion"
        organisation = (the and names(bare) == [bare]) or is_organisation(text, plain)
        someone = (who and not organisation) or _asks_for_someone(main)
        answer_referent = Referent(
            text,
            someone or (looks_like_person(text) and not _asks_for_a_thing(main) and not organisation),
            someone=someone,
            thing=organisation and not someone,  # an organisation is never "he" or "she"
        )
        # an answer in other words ("a town", "embargo oil shipments") is no referent; the
        # answer to "Whose son was he?" is who "he" was, said otherwise: not what is meant next
        # nor one that opens with a verb: "belonged to the whole syndicate", the answer the
        # reader gave to "Who are they accusing?", is never who "she" is next
        said_of = tagged(text)[0][1].startswith("VB") if text else False
        if (
            (who or names(bare) == [bare])
            and not main.lower().startswith("whose")
            and len(text.split()) <= 6
            and not said_of
        ):
            # "Who led the talks?": the answer is the subject, what "he" means next; "Who did
            # Tesla work for?": Tesla is, and the answer comes after the question's names (a
            # clause of an answer, "Darwin had decided to call his book ...", is no referent)
            asked.insert(len(asked) if _OBJECT_WHO.match(main) else 0, answer_referent)
        elif (introduced := _introduced_subject(main, text, plain)) is not None:
            # "What got out of Westbrook Zoo?" → "a female jaguar": the jaguar is "it" next,
            # and "she" too (an animal said female or male is "she" or "he")
            asked.insert(0, Referent(introduced, False, gender=sex_said(introduced)))
        elif (
            not _DID_WHAT.match(main)  # what one did is no thing ("created dedicated lanes")
            # nor what one did it to do ("built in 1987 to supply irrigation water"; "moved
            # to the city museum" is a place it went to)
            and not (re.search(rf"\bto\s+{re.escape(text)}", plain) and not _DETERMINER_OR_NAME.match(text))
            and (phrase := _noun_phrase_answer(text, identity := bool(_IDENTITY.match(main))))
        ):
            # "specified professional qualifications": "they"; the answer to "Which football
            # club plays there?" is what the question was about: "their stadium" next is the
            # club's; so is the answer to "What is the most common reason for X?" ("Pain"):
            # "Who classified it?" next
            subject = identity or (_asks_for_subject(main) and bool(_WH_NOUN_SUBJECT.match(main)))
            if re.search(rf"\ban?\s+{re.escape(phrase)}\b", plain, re.I):
                # "A fast-moving wildfire tore through ...": the one said, "the wildfire" next,
                # unless the question named another of its kind ("the diesel bus")
                second = second_mention(phrase)
                head = second.split()[-1].lower()
                other = any(r.text.lower().split()[-1] == head for r in asked)
                phrase = f"the {phrase if other else second}"
            asked.insert(0 if subject else len(asked), Referent(phrase, False))
        elif _asks_for_a_thing(main) and (thing := _introduced(text)):
            # "What have the scientists found?" → "they have identified a soil bacterium":
            # the soil bacterium is "it" next
            asked.insert(0, Referent(thing, False))
    group = _asked_group(main)
    if group is not None and not any(r.text.lower() == group.lower() for r in asked):
        # "Which other states joined the embargo?": "they" next are those states, never the
        # embargo ("When did they join?")
        asked.append(Referent(group, False))
    which = _asked_thing(main)
    if which is not None and not any(r.text.lower() == which[0].lower() for r in asked):
        # "Which painting set an auction record in New York?": "it" next is the painting,
        # never New York ("Who painted it?"); after an answer that names it. Of an object
        # ("Which award did the film win?"), the question's subject stays first: "Who
        # directed it?" is of the film, the award next
        named = short is not None and bool(asked) and asked[0].text == short.group(1).rstrip(".")
        at = (1 if named else 0) if which[1] else min(1, len(asked))
        asked.insert(at, Referent(which[0], False))
    return asked, common, quoted


def _asked_thing(question: str) -> tuple[str, bool] | None:
    """The one thing a "which" question asks about ("the painting" of "Which painting just
    set an auction record?", "the dam" of "Which dam burst?"), and whether it is the
    question's subject (not of "Which award did the film win?"); None for many
    (`_asked_group`), for a person, a time ("Which year ...?"), a way, or any other
    question."""
    tokens = tagged(question)
    if tokens and tokens[0][0].lower() == "and":
        tokens = tokens[1:]
    if len(tokens) < 3 or tokens[0][0].lower() != "which":
        return None
    words = []
    for word, tag, _ in tokens[1:]:
        if not tag.startswith(("JJ", "NN")) or tag.startswith("NNP"):
            break
        words.append((word, tag))
    rest = tokens[1 + len(words) :]
    said_more = any(word.isalnum() for word, _, _ in rest)  # no fragment ("Which fault system?")
    if len(words) > 1 and said_more and not any(tag.startswith(("VB", "MD")) for _, tag, _ in rest):
        words.pop()  # the question's verb read as a noun: "burst" of "Which dam burst in Kenya?"
    if not words or words[-1][1] != "NN" or len(words) > 3:
        return None
    noun = words[-1][0].lower()
    if noun in _NO_THING or noun in _TIME_NOUNS or _AGENT.search(noun) or PERSON_NOUN.match(noun):
        return None
    rest = tokens[1 + len(words) :]
    # an auxiliary and then a subject of its own: the thing is the verb's object
    of_object = (
        len(rest) > 1
        and rest[0][0].lower() in _AUXILIARY_WORDS
        and rest[1][1].startswith(("DT", "NNP", "PRP"))  # "did the film", never "is open"
    )
    return _the_phrase(words), not of_object


_NO_THING = frozenset("one other way side kind type sort part".split())  # noqa: SIM905


# how a noun phrase starts, never a verb: a determiner, a name or a figure
_DETERMINER_OR_NAME = re.compile(r"(?:(?:the|a|an|his|her|its|their|this|that|these|those)\b|[A-Z0-9])")


# someone an answer's sentence brings in by what they are: "a 71-year-old pedestrian", "a
# police officer": the words after "a" or "an" up to a verb, a preposition or a clause
_DESCRIBED = re.compile(r"\b(?:[Aa]|[Aa]n)\s+(?=((?:[\w’'-]+\s+){0,3}[\w’'-]+))")
# a word a description ends before
_DESCRIPTION_ENDS = frozenset(("IN", "TO", "CC", "DT", "WDT", "WP", "WRB", "PRP", "MD", ",", ".", ":"))
# endings of nouns of people the list does not hold ("librarian", "homeowner", "policeman")
_PERSON_ENDING = re.compile(r"(?:ist|ian|man|woman|owner|keeper|goer)$")
# words of those endings that name no one
_NO_ONE = frozenset(
    "heist wrist twist exist assist insist resist persist consist desist blacklist checklist playlist shortlist wishlist waitlist".split()  # noqa: SIM905
)
# a clause of the description's own that goes on with "she" or "he": "a pedestrian died
# when she was struck", "a keeper noticed a gap in the fence as he walked past"
_ITS_CLAUSE = re.compile(
    r"^\s+(?:[\w’'-]+\s+){1,6}?(?:when|after|as|because|before|while|until|since|and|but)\s+(she|he)\b", re.I
)


def _person_word(word: str) -> bool:
    """A noun of a person: the list's, or an ending of one ("librarian", "homeowner",
    "journalist"; never "heist", "wrist" or "blacklist")."""
    if PERSON_NOUN.match(word):
        return True
    return word not in _NO_ONE and len(word) > 4 and _PERSON_ENDING.search(word) is not None


def _described_people(sentence: str, question: str) -> list[Referent]:
    """The people an answer's sentence brings in by description and names nowhere: "the
    pedestrian" of "... after a 71-year-old pedestrian died when she was struck by a rider"
    is who "she" is next ("Who was she?"); "she" or "he" only where the description is the
    subject of its clause and the clause goes on with that pronoun and no one else, or where
    the noun says it ("a woman"); of two or more, only those of a known sex and one other. A
    description beside a name or between commas ("Margaret Lowe, a retired schoolteacher,"
    "The suspect, a 34-year-old man,") is another's, one with a complement ("a member of the
    council") or before another noun ("a sister company") names no one alone, and a noun the
    question says was asked about."""
    found: list[Referent] = []
    for match in _DESCRIBED.finditer(sentence):
        words: list[str] = []
        for word, tag, _ in tagged(match.group(1)):
            if tag in _DESCRIPTION_ENDS or (tag.startswith("VB") and words and tag != "VBN"):
                break
            words.append(word)
        people = [n for n, word in enumerate(words) if word.islower() and _person_word(word)]
        if not people or any(names(word) for word in words[: people[-1]]):
            continue  # "a Zipp rider" is the company's: what is meant is a name
        head = words[people[-1]]
        sexed = head in FEMALE_NOUNS or head in MALE_NOUNS
        if sexed and people[-1] < len(words) - 1:
            continue  # "a sister company", "a boy band": the noun after it is what is meant
        end = match.start(1) + match.group(1).find(head) + len(head)
        before, after = sentence[: match.start()], sentence[end:]
        if re.search(rf"\b{re.escape(head)}s?\b", question, re.I) or re.match(r"\s+(?:of|for)\b", after):
            continue
        if re.search(r"[A-Z][\w’'-]+,\s*$", before) or (
            re.search(r",\s*$", before) and after.startswith(",")
        ):
            continue
        if re.match(r",\s*(?:[A-Z][\w’'-]+\s*){1,3}[,.]", after):
            continue  # "a keeper, Tom Reid, ..."
        clause = _ITS_CLAUSE.match(after)
        between = after[: clause.start(1)] if clause else ""
        alone = clause is not None and not any(
            _person_word(w.lower()) or names(w) for w in re.findall(r"[\w’'-]+", between)
        )
        subject = re.match(r"\s+[\w’'-]+", after) is not None and any(
            tag.startswith("VB") or tag == "MD" for _, tag, _ in tagged(after.split(maxsplit=1)[0])
        )
        gender = clause.group(1).lower() if clause and alone and subject else None
        if sexed:  # the noun says it: "a woman", "a boy"
            gender = "she" if head in FEMALE_NOUNS else "he"
        referent = Referent(f"the {head}", True, quoted=True, someone=True, gender=gender)
        if referent.text not in [r.text for r in found]:
            found.append(referent)
    # two or more of no known sex are no one's in particular ("A spokesman said a teenager
    # had been taken to hospital, where he died": "he" next may be either)
    unknown = [r for r in found if r.gender is None]
    return found if len(unknown) <= 1 else [r for r in found if r.gender is not None]


# a count as news writes one: a figure or a number word, maybe after "about", "more than"
_COUNT_WORD = re.compile(
    r"^(?:(?:about|around|nearly|almost|roughly|some|more\s+than|over|up\s+to|at\s+least)\s+)?"
    r"(?:\d[\d,.]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|(?:thir|four|fif|six|seven|eigh|nine)teen|"
    r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:-[a-z]+)?|hundreds|dozens|thousands|"
    r"several|scores|"
    r"a\s+(?:dozen|hundred|thousand))\s",
    re.I,
)
# nouns said without an article after "in", "to", "at", "from" or "out of" as what is done
# there, not one place: "in hospital", "to court", "at school", "out of prison"
_INSTITUTIONS = frozenset(
    "hospital court school prison jail church college university work office bed home".split()  # noqa: SIM905
)


# words of a count after its number ("a hundred", "two dozen", "thousands of")
_COUNT_TAIL = re.compile(r"^(?:(?:hundred|thousand|million|dozen|score)s?\s+)*(?:of\s+)?", re.I)
# words no counted noun phrase holds: a verb, a conjunction, a preposition
_NOT_IN_A_COUNTED = frozenset(
    "and or but of in on at to from with by for were was are is had have has been who which that than".split()  # noqa: SIM905
)


def _people_counted(short: str) -> str | None:
    """What a count answer counts, made definite: "the people" of "Twenty-three people",
    "About a hundred people", "Thousands of residents"; None where it is no count of a plural
    noun phrase ("23", "Twelve were children", "23 people and two dogs")."""
    count = _COUNT_WORD.match(short)
    if count is None:
        return None
    rest = short[count.end() :].strip().rstrip(".")
    rest = rest[_COUNT_TAIL.match(rest).end() :]  # type: ignore[union-attr]
    words = rest.split()
    if not 1 <= len(words) <= 3 or any(
        not re.fullmatch(r"[a-z-]+", w) or w in _NOT_IN_A_COUNTED for w in words
    ):
        return None
    return f"the {rest}" if is_group(rest) else None


def _as_an_institution(phrase: str, question: str) -> bool:
    """Whether `phrase` is a noun of `_INSTITUTIONS` said bare after a preposition in
    `question` ("How many ended up in hospital?"): no thing "they" or "it" may be next."""
    return phrase.lower() in _INSTITUTIONS and bool(
        re.search(rf"\b(?:in|to|at|from|out\s+of|into)\s+{re.escape(phrase)}\b", question, re.I)
    )


# "How many did they find?": a count of what the answer says (never "How many of them ...?"
# nor "How many more ...?")
_BARE_HOW_MANY = re.compile(r"^\s*(?:and\s+)?how\s+many\s+(?!\w+s\b|of\b|more\b)", re.I)
# what may come before a sentence's counted subject, word by word ("About 300 households",
# "More than 40 ...", "Several hundred ...")
_BEFORE_A_COUNT = frozenset(
    "about around nearly almost roughly some more than over up to at least all many several".split()  # noqa: SIM905
)
# words of a time a sentence may open with ("Last year workers went on strike"): no one's
_OPENING_TIME = frozenset(
    "last next this yesterday today tonight tomorrow earlier later night day morning evening "  # noqa: SIM905
    "afternoon week weekend month year decade century season monday tuesday wednesday "
    "thursday friday saturday sunday".split()
)


def _subject_group(sentence: str) -> str | None:
    """The people a sentence opens with, many of them and of one kind, as "the ..." ("the
    seven workers" of "Seven workers at a family bakery ... have launched legal action",
    "the veterinary officials" of "Veterinary officials ordered ..."): a noun phrase of
    figures, adjectives and nouns whose last word is a plural noun of people (`_person_word`:
    never "computers"), then its verb, or a phrase and then its verb; None otherwise (a
    name, one person, a thing, a time: "Last year workers went on strike")."""
    first = sentence.split(maxsplit=1)
    if first and first[0][:1].isupper() and is_common_word(first[0].lower()):
        sentence = sentence[:1].lower() + sentence[1:]  # "Engineers closed ...": no name
    tokens = tagged(sentence)
    at = 0
    while at < len(tokens) and tokens[at][0].lower() in _BEFORE_A_COUNT:
        at += 1
    end = at
    while end < len(tokens) and tokens[end][1] in ("CD", "JJ", "NN", "NNS", "VBN"):
        end += 1
    # the phrase ends with its last plural noun: a verb the tagger reads as a participle
    # is the verb ("Fishermen blocked the harbour")
    while end > at and tokens[end - 1][1] != "NNS":
        end -= 1
    if end == at or end == len(tokens):
        return None
    words = [word for word, _, _ in tokens[at:end]]
    head = words[-1]
    if (
        not head.islower()
        or not _person_word(singular(head))
        or any(w.lower() in _OPENING_TIME for w in words)
    ):
        return None
    rest = [(word, tag) for word, tag, _ in tokens[end:]]
    # the verb right after it, or after a phrase of its own ("... at a family bakery in
    # Ashworth Bridge have launched"), before any comma
    verb = next(
        (n for n, (word, tag) in enumerate(rest) if tag.startswith("VB") or tag == "MD" or word in ",;:"),
        None,
    )
    if verb is None or rest[verb][0] in ",;:" or (verb and rest[0][1] != "IN"):
        return None
    return "the " + " ".join(words)


# the body of a place a sentence names by it: "Port Allard city council", "Oslo police"
_BODY_AFTER = re.compile(
    r"\s+(?:(?:city|town|county|district|regional|state|local|fire)\s+)?"
    r"(?:council|police|government|authorities|ministry|parliament|assembly|court|fire service)\b"
)


_NEXT_NOUN_AFTER = re.compile(r"\s+([a-z][a-z-]*)\b")


def _with_its_body(name: str, sentence: str) -> str:
    """`name` with the body of it the `sentence` says right after it ("Port Allard city
    council voted to ban ...": the council, which "they" are next, not the town); else
    `name`."""
    at = sentence.find(name)
    body = _BODY_AFTER.match(sentence, at + len(name)) if at >= 0 else None
    if body is None or re.search(r"\b(?:a|an)\s+$", sentence[:at], re.I):
        return name  # "A Texas state court ruled" names no court of Texas's own
    after = _NEXT_NOUN_AFTER.match(sentence, body.end())
    if after is not None and lexicon_tag(after.group(1)) in ("NN", "NNS"):
        return name  # "Port Allard police station", "Oslo police officers"
    return name + body.group(0)


def _quoted_referent(name: str, sentence: str, people: set[str]) -> Referent:
    """A name an answer's sentence says: a person's as the sentence or the conversation
    shows; a place where something is ("based in Leiden") or an organisation is never "he"
    or "she"."""
    person = looks_like_person(name, sentence) or name.split()[-1] in people
    placed = re.search(rf"\b(?:in|at|near)\s+(?:the\s+)?{re.escape(name)}\b(?!['’]s)", sentence) is not None
    return Referent(
        name, person, quoted=True, thing=not person and (placed or is_organisation(name, sentence))
    )


def _role_holder(asked: Sequence[Referent], quoted: Sequence[Referent], sentence: str) -> Referent | None:
    """The person an answer's sentence names beside the role a question asked about
    ("the mayor" of "Did the mayor accept the result?" in "The outgoing mayor, Per Holm,
    conceded": `answer_types.roles_beside`); None where the question asked about no one by
    role."""
    roles = [role_words(r.text) for r in asked if not r.person and describes_someone(r.text)]
    for person in (q for q in quoted if q.person and roles):
        at = sentence.find(person.text)
        if at < 0:
            continue
        said = roles_beside(sentence, at, at + len(person.text), 0, len(sentence), loosely=True)
        if any(same_role(one, role) for one in said for role in roles):
            return person
    return None


def _asked_group(question: str) -> str | None:
    """What a question asks "which" or "what" of, where it asks for many ("the other
    states" of "Which other states joined the embargo?", as the tagger reads the words after
    the question word); None for one, or for people ("Which players ...?" are answered by
    their names)."""
    tokens = tagged(question)
    if tokens and tokens[0][0].lower() == "and":
        tokens = tokens[1:]  # "And which states ...?"
    if len(tokens) < 3 or tokens[0][0].lower() not in ("which", "what"):
        return None
    words: list[tuple[str, str]] = []
    after = ""
    for word, tag, _ in tokens[1:]:
        if word.lower() == "and" and words:
            words.append((word, tag))  # "Which cities and towns ...?"
            continue
        if not tag.startswith(("JJ", "NN")) or tag.startswith("NNP"):
            after = word.lower()
            break
        words.append((word, tag))
    # "What kinds of rock ...?" asks of rock; "Which countries' leaders ...?" of leaders
    if (
        not words
        or words[-1][1] != "NNS"
        or sum(w.lower() != "and" for w, _ in words) > 3
        or after == "of"
        or after in ("'", "'s", "’", "’s")
    ):
        return None
    noun = words[-1][0].lower()
    if _AGENT.search(noun) or PERSON_NOUN.match(noun):
        return None
    return _the_phrase(words)


def _qualifies_a_noun(name: str, question: str) -> bool:
    """Whether a one-word name is a people's adjective the tagger puts in one phrase with the
    common noun after it ("Indonesian" of "Which Indonesian volcano erupted?", "Russian" of
    "Which Russian official met him?"): no referent of its own ("Where is it?" is never
    "Where is Indonesian?"); a name before a verb is one ("Did the Russian agree?")."""
    tokens = [*tagged(question), ("", "", "")]

    def of_the_phrase(n: int) -> bool:  # a lower-case noun of the same phrase
        word, tag, chunk = tokens[n]
        return word[:1].islower() and tag in ("NN", "NNS") and chunk == "I-NP"

    # a first name too, before two nouns: "Roman" of "How many Roman silver coins ...?"
    # (never "Did Christian coach the team?")
    return any(
        word == name
        and of_the_phrase(n + 1)
        and (tag == "JJ" or _a_peoples_word(name) or (_PEOPLE_WORD.fullmatch(name) and of_the_phrase(n + 2)))
        for n, (word, tag, _) in enumerate(tokens[:-1])
    )


def _the_phrase(words: Sequence[tuple[str, str]]) -> str:
    """The tagged words after "which" as a definite phrase, lower case but for a proper
    adjective ("the Indonesian volcano" of "Which Indonesian volcano erupted?")."""
    return "the " + " ".join(w if w[:1].isupper() and tag == "JJ" else w.lower() for w, tag in words)


# "How many brothers did Alexander Graham Bell have?": what it counts, and the rest
_COUNTED = re.compile(
    r"^\s*(?:and\s+)?how\s+many\s+(?:of\s+(?:the|these|those|its|their|his|her)\s+)?((?:[\w-]+\s+){0,3}?[\w-]+?)\s+"
    r"(?:did|do|does|were|are|was|is|have|has|had|will|would|can|could)\s+(.+?)\s*[?.!]*\s*$",
    re.I,
)
_OWNER = re.compile(r"^(.+?)\s+(?:have|has|had|own|keep)$", re.I)


def _counted(question: str) -> str | None:
    """What a "how many" question counts, as a phrase "they" may mean once it is answered:
    "Alexander Graham Bell's brothers" of "How many brothers did Alexander Graham Bell
    have?", "the people" of "How many people died in the fire?"; None for any other
    question, or a count of no plural ("How many is that?")."""
    match = _COUNTED.match(question)
    if match is None or not is_group(match.group(1)):
        return None
    owner = _OWNER.match(match.group(2))
    if owner is not None and names(owner.group(1)) == [owner.group(1)]:
        return f"{owner.group(1)}'s {match.group(1)}"
    return f"the {match.group(1)}"


_DEFINITION = re.compile(r"^\s*(?:and\s+)?(?:who|what)\s+(?:is|was|are|were)\s+(.+?)\s*[?.!]*\s*$", re.I)


def _defined(question: str) -> str | None:
    """What a question asking what or who something is asks about ("What is geology?",
    "Who was Martin Luther?", "What is the Apollo program?"): its answer says what the thing
    is, and the thing is what the conversation is about; None for any other question ("What
    is the population of Fresno?" asks a property of Fresno)."""
    match = _DEFINITION.match(question)
    if match is None:
        return None
    subject = match.group(1)
    while subject.split() and subject.split()[-1].lower() in TIME_ADVERBS:  # "What is inflation now?"
        subject = subject.rsplit(maxsplit=1)[0] if len(subject.split()) > 1 else ""
    if not subject:
        return None
    if len(subject.split()) > 5 or re.search(r"\b(?:of|in|on|at|for|from|by|with|to)\b", subject, re.I):
        return None
    # "Who was the MVP?", "What is the capital?" ask which one is: the answer names it
    described = re.match(r"the\s+(.+)$", subject, re.I)
    if described and (
        question.lstrip().lower().startswith(("who", "and who")) or not names(described.group(1))
    ):
        return None
    if re.search(r"['’]s?\s+\S", subject):  # "Who is Vestkraft's spokesman?" as much
        return None
    tags = tagged(subject)
    if any(tag.startswith(("VB", "MD", "W")) for _, tag, _ in tags) or pronouns(subject):
        return None
    if tags and tags[0][1] in ("IN", "TO", "RB") and subject[:1].islower():
        return None  # "What is behind the heat?" asks what causes it: no thing called "behind the heat"
    if (
        len(tags) > 1
        and tags[-1][0].endswith("ing")
        and tags[-1][0].islower()
        and tags[-2][1].startswith("NNP")
    ):
        return None  # "What is Okonjo promising?" asks what she promises: no "Okonjo promising"
    return re.sub(r"^(?:a|an)\s+", "", subject, flags=re.I)  # "a ctenophore": ctenophore


def _attributive(name: str, text: str) -> bool:
    """Whether `name` only qualifies a noun after it in `text` ("the Greek roots", "a series
    of New York hotels"): nothing a pronoun points to."""
    tokens = tagged(text)
    size = len(name.split())
    ends = [
        n + size
        for n in range(len(tokens) - size + 1)
        if " ".join(t[0] for t in tokens[n : n + size]) == name
    ]
    return bool(ends) and all(
        end < len(tokens) and tokens[end][1] in ("NN", "NNS") and tokens[end][0].islower() for end in ends
    )


# a question asking the name of what it describes
_NAMING = re.compile(
    r"^\s*(?:what\s+(?:is|was|are|were)\s+\S.*\s+called|what\s+(?:is|was)\s+the\s+name\s+of)\b", re.I
)
_ANSWER_TAGS = ("JJ", "JJR", "JJS", "NN", "NNS", "VBN", "VBG", "CC", "NNP", "NNPS")
# "Which football club plays ...?": a question word with a noun, then a verb
_WH_NOUN_SUBJECT = re.compile(r"^\s*(?:which|what)\s+(?:[\w-]+\s+){0,3}?[\w-]+\s+\w+", re.I)


# "What got out of ...?", "What hit the coast?": "what" and a verb (`_asks_for_subject`
# tells a main verb from an auxiliary)
_WHAT_DID = re.compile(r"^\s*(?:and\s+|so\s+)?what\s+[a-z]+\b", re.I)


# heads whose "of" phrase says what they are ("a lack of maintenance", "a series of blasts")
_PARTITIVE = frozenset(
    [
        "lack",
        "number",
        "series",
        "kind",
        "type",
        "sort",
        "pair",
        "lot",
        "couple",
        "group",
        "set",
        "range",
        "variety",
        "mix",
        "combination",
        "piece",
        "bit",
        "part",
        "amount",
        "total",
        "handful",
        "dozen",
    ]
)


def _introduced_subject(question: str, answer: str, said: str = "") -> str | None:
    """The thing an indefinite short answer brings in as the subject the question asked for,
    made definite ("What got out of Westbrook Zoo?" → "a female jaguar": "the female
    jaguar"); a bare noun answered is said so in the answer's sentence (`said`: "jaguar"
    of "A female jaguar that escaped ..."); None for any other answer or question."""
    if not re.match(r"^an?\s", answer.strip(), re.I) and re.fullmatch(r"[a-z][\w-]*", answer.strip()):
        # "jaguar": the phrase of "a" that ends with it, a few words at most
        found = re.search(rf"\b(an?\s+(?:[\w-]+\s+){{0,2}}{re.escape(answer.strip())})\b", said, re.I)
        answer = found.group(1) if found else answer
    indefinite = re.match(r"^an?\s+(.+)$", answer.strip(), re.I)
    if indefinite is None or not _WHAT_DID.match(question) or not _asks_for_subject(question):
        return None
    phrase = _noun_phrase_answer(f"the {indefinite.group(1)}", identity=True)
    if not phrase or phrase.split()[-1].lower() in _PARTITIVE:
        return None  # "a lack of maintenance" is no "the lack"
    return second_mention(phrase if phrase.lower().startswith("the ") else f"the {phrase}")


# a compound modifier said once, when something is brought in ("a fast-moving wildfire", "the
# six-year-old cat", "a 620-million-euro spacecraft"): a second mention leaves it out
_COMPOUND_MODIFIER = re.compile(r"^[a-z0-9][\w.]*(?:-[\w.]+)+$")


def second_mention(phrase: str) -> str:
    """`phrase` as a story names it again, without the compound modifiers that brought it in:
    "the wildfire" of "the fast-moving wildfire" (an article's later sentences say "the
    blaze started near ...", which the reader matches; "Where did the fast-moving wildfire
    start?" it answers from the sentence that says "fast-moving")."""
    words = phrase.split()
    kept = [w for n, w in enumerate(words) if n == len(words) - 1 or not _COMPOUND_MODIFIER.match(w)]
    return " ".join(kept) if any(w.lower() not in ("the", "a", "an") for w in kept) else phrase


def _noun_phrase_answer(text: str, identity: bool = False) -> str:
    """A short answer that is a common noun phrase, up to its first preposition ("specified
    professional qualifications or credentials" of "... from a university"), or "": an
    indefinite one ("a town") refers to nothing yet, nor does one singular noun unless it
    answered what something is (`identity`: "Pain" for "What is the most common reason for
    physician consultation?")."""
    words: list[str] = []
    for word, tag, _ in tagged(text):
        if tag in ("IN", "TO", ",", ".", ":"):
            break
        if tag not in _ANSWER_TAGS and not (tag == "DT" and not words and word.lower() == "the"):
            return ""
        words.append(word)
    if not words or not tagged(words[-1])[-1][1].startswith("NN") or len(words) > 6:
        return ""
    if words[0].islower() and lexicon_tag(words[0]) == "JJS" and len(words) < 6:
        words.insert(0, "the")  # "worst outbreak in the district": the worst outbreak, one of its kind
    return " ".join(words) if len(words) > 1 or identity or words[-1].lower().endswith("s") else ""


_COUNTED_UNITS = frozenset("cases percent people times miles metres meters kilometres pounds dollars".split())  # noqa: SIM905
_COUNT_WORDS = frozenset("more than less fewer about nearly almost around over some".split())  # noqa: SIM905


def _introduced_things(sentence: str) -> list[Referent]:
    """The things a sentence that tells what happened brings in with "a" or a count, made
    definite: its subject's, and its first object's with the many it is "of" ("A retired
    postman ... has uncovered a hoard of more than 3,400 Roman silver coins": "the hoard",
    "the Roman silver coins"); never a person ("the postman" is someone's), a time or a
    measure ("three years")."""
    tokens = tagged(sentence)
    found: list[Referent] = []
    subject = _introduced_phrase(tokens, 0)
    if subject is not None:
        found.append(subject[0])
    # the verb after the subject ("A gas explosion destroyed": read as a participle too),
    # else the first finite one ("A retired postman using a metal detector has uncovered")
    after = subject[1] if subject is not None else 0
    finite = next((n for n, (_, tag, _) in enumerate(tokens) if tag in ("VBD", "VBZ", "VBP", "MD")), None)
    at = after if after and after < len(tokens) and tokens[after][1] in ("VBD", "VBN") else finite
    while (
        at is not None
        and at < len(tokens)
        and (tokens[at][1].startswith(("VB", "RB")) or tokens[at][1] == "MD")
    ):
        at += 1
    introduced = _introduced_phrase(tokens, at) if at is not None else None
    if introduced is not None:
        found.append(introduced[0])
        at = introduced[1]
        if at < len(tokens) and tokens[at][0].lower() == "of":
            at += 1
            while at < len(tokens) and tokens[at][0].lower() in _COUNT_WORDS:
                at += 1
            many = _introduced_phrase(tokens, at)
            if many is not None and tokens[many[1] - 1][1] == "NNS":
                found.append(many[0])
    return [r for r in found if not describes_someone(r.text) and not agent_noun(head_word(r.text))]


def _introduced_phrase(tokens: Sequence[tuple[str, str, str]], at: int) -> tuple[Referent, int] | None:
    """The phrase of "a" or of a count at `at` ("a hoard", "3,400 Roman silver coins") as
    "the hoard", "the Roman silver coins", and where it ends; None for another phrase."""
    if at >= len(tokens) or not (tokens[at][0].lower() in ("a", "an") or tokens[at][1] == "CD"):
        return None
    end = at + 1
    nouns = ("NN", "NNS", "NNP")
    while end < len(tokens) and tokens[end][1] in ("JJ", *nouns, "VBN") and tokens[end][0] != "'s":
        if tokens[end][1] == "VBN" and any(tag in nouns for _, tag, _ in tokens[at + 1 : end]):
            break  # "a wildfire forced ...": a verb after the noun ends it ("a retired postman" has one before)
        end += 1
    while end > at + 1 and tokens[end - 1][1] not in ("NN", "NNS"):
        end -= 1  # "coins buried in a field": the participle after the noun is no part of it
    words = [w for w, _, _ in tokens[at + 1 : end]]
    head = words[-1].lower() if words else ""
    if not head or tokens[end - 1][1] not in ("NN", "NNS") or len(words) > 4:
        return None
    if head.removesuffix("s") in _TIME_NOUNS or head in _PARTITIVE or head in _COUNTED_UNITS:
        return None
    return Referent(second_mention("the " + " ".join(words)), False, thing=True), end


_COPULAS = frozenset(
    "is are was were be been being become becomes became remain remains remained seem seems seemed".split()  # noqa: SIM905
)
_COUNT_OF = re.compile(
    r"^(?:[\d,.]+|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several|some|most|all)"
    r"(?:\s+(?:hundred|thousand|million|billion))?\s+of\s+(?:its|their|the|his|her)\s+(.+)$",
    re.I,
)


def _introduced(answer: str) -> str:
    """What a short answer that is a clause or a count of something brings in, made
    definite: "the soil bacterium" of "they have identified a soil bacterium", "the
    SleepSafe 3 camera units" of "210,000 of its SleepSafe 3 camera units"; "" for another
    answer, or a phrase of more than five words."""
    count = _COUNT_OF.match(answer.strip())
    if count is not None:
        words = count.group(1).split()
    else:
        tokens = tagged(answer)
        verbs = [n for n, (_, tag, _) in enumerate(tokens) if tag.startswith("VB")]
        # the object of the clause's last verb, said with "a": something new; never what
        # "is" or "became" says something is ("the bridge is a safety risk")
        if not verbs or verbs[-1] + 2 >= len(tokens) or tokens[verbs[-1] + 1][0].lower() not in ("a", "an"):
            return ""
        if tokens[verbs[-1]][0].lower() in _COPULAS:
            return ""
        words = []
        for word, tag, _ in tokens[verbs[-1] + 2 :]:
            if tag in ("IN", "TO", ",", ".", ":", "WDT", "WP"):
                break
            words.append(word)
        if not words or not tagged(words[-1])[-1][1].startswith("NN"):
            return ""
    return second_mention(f"the {' '.join(words)}") if 0 < len(words) <= 5 else ""


# "What is the most common reason for ...?": the answer is the thing described
_IDENTITY = re.compile(r"^\s*(?:and\s+)?what\s+(?:is|was|are|were)\s+the\s+\w", re.I)


def _said_he(name: str, own: Sequence[str], question: str) -> bool:
    """Whether `question` says "he" or "she" of `name`: the only name in it that may be a
    person's, the pronoun coming after it; never a name said as where ("Why did the
    journalist in Marrakand end his hunger strike?": "his" is the journalist's)."""
    persons = [n for n in own if could_be_person(n)]
    said = re.search(r"\b(?:he|she|his|her|him)\b", question[question.find(name) + len(name) :], re.I)
    # someone said to be there: "the journalist in Marrakand" (not "the crowd at Smith's rally")
    there = re.search(
        rf"\bthe\s+((?:[a-z-]+\s+){{0,2}}[a-z-]+)\s+(?:in|at|near|outside|from)\s+(?:the\s+)?{re.escape(name)}\b",
        question,
    )
    where = there is not None and describes_someone(f"the {there.group(1)}")
    return persons == [name] and said is not None and not where


def _asks_for_subject(question: str) -> bool:
    """Whether the question word is the subject of `question`: its first verb is a main
    verb ("Which wars followed ...?", "Who led ...?"), not an auxiliary before another
    subject ("What is it known as?", "Who did Tesla work for?")."""
    for word, tag, _ in tagged(question):
        if tag.startswith("VB") or tag == "MD":
            return word.lower() not in _AUXILIARY_WORDS
    return False


_AUXILIARY_WORDS = frozenset(
    "is are was were be been am do does did has have had will would can could shall should may might must".split()  # noqa: SIM905
)


def _main_clause(question: str) -> str:
    """`question` without the topic `with_topic` attached."""
    return question.split(", regarding ")[0]


# "Which town was it?", "What kind of bird is it?": the one an answer said only "a" of
_WHICH_WAS_IT = re.compile(
    r"^\s*(?:(?:and|so)\s+)?(which|what)\s+((?:(?:kind|sort|type)\s+of\s+)?[a-z-]+)\s+"
    r"(?:was|is|were|are)\s+(?:it|they|that)\s*\?*\s*\Z",
    re.I,
)
# an answer that says what kind of thing, not which: "a town", "an unnamed company"
_INDEFINITE_ANSWER = re.compile(
    r"^(?:a|an|some|another)\s+(?:(?!(?:of|in|to|on|for|with|at|from|by|a|an|the)\b)[\w-]+\s+){0,3}?([a-z-]+)\Z",
    re.I,
)  # never "a stake in a rival": what was bought is a stake
# the previous question's own "what" before its auxiliary ("What did they occupy ...?")
_WHAT_AUX = re.compile(r"^\s*what\s+(?=(?:did|does|do|was|is|were|are|has|have|had|will|would)\b)", re.I)


# "Who said that?", "Who says so?", "And who told them that?"
_WHO_SAID_IT = re.compile(
    r"^\s*(?:and\s+|so\s+)?who\s+(?:said|says|told\s+(?:them|him|her|us|you|reporters)|claimed|claims)\s+"
    r"(?:that|this|so|it)\s*[?.!]*\s*$",
    re.I,
)
# who said what in a sentence: "X said (that) ...", "X told reporters that ...", "X warned
# that ..." (never "X added 300 troops", "said to be"), or a quotation and who said it
_SAID_THAT = re.compile(
    r"^(?P<who>[^\"“”]+?),?\s+(?:(?:said|says)\s+(?:that\s+)?(?!to\b)|(?:added|claimed|argued|warned)\s+that\s+|"
    r"told\s+(?:[\w'’-]+\s+){1,3}?that\s+)(?P<what>[^\"“”]+?)\.?$"
)
_QUOTED_THEN_SAID = re.compile(
    r"^[\"“](?P<what>.+?)[,.]?[\"”],?\s+(?P<who>[^,]+?)\s+(?:said|says|added|told|wrote|warned)\b.*$"
)


def who_said_it(question: str, conversation: Conversation) -> str | None:
    """ "Who said that?" asked of what the latest answer's sentence says was said: "Who
    said the government would not provide a rescue loan?" of "Portugal's infrastructure
    minister, Helena Castanheira, said the government would not provide a rescue loan."; a
    quotation's words too; None for any other question, or where the sentence says no
    words of anyone's."""
    if not _WHO_SAID_IT.match(question):
        return None
    texts = conversation.answer_texts()
    if not texts:
        return None
    reply = strip_markers(texts[0])
    sentence = without_short_answer(reply)
    sentence = re.split(r"(?<=[.!?])\s+(?=[A-Z\"“])", sentence)[0].strip()
    found = _QUOTED_THEN_SAID.match(sentence) or _SAID_THAT.match(sentence)
    if found is None or re.search(r",\s*(?:who|which)\b", found["who"]):
        return None  # "The minister, who had said that ..., resigned": no words of the sentence's
    # "Smith said he would resign, officials said": what Smith said
    what = re.sub(r",\s*[^,]+\s+(?:said|says)$", "", found["what"].strip().rstrip(".,;: "))
    if len(what.split()) < 3:
        return None
    first = what.split()[0]
    # "the government would ...", "Nordvik would ...", "I will not resign"
    lower = is_common_word(first.lower()) and first != "I" and not first.startswith(("I'", "I’"))
    return f"Who said {what[:1].lower() + what[1:] if lower else what}?"


def which_one_was_it(question: str, conversation: Conversation) -> str | None:
    """ "Which town was it?" after "What did they occupy on June 24?" answered "a town": the
    last question asked again for which one ("Which town did they occupy on June 24?"); None
    for any other question, or where the answer named it ("Moscow") or was of another kind
    ("a convoy": which town is then no question of it)."""
    asked = _WHICH_WAS_IT.match(question)
    answer = _INDEFINITE_ANSWER.match(conversation.latest_short_answer())
    if asked is None or answer is None or not conversation.standalone_questions():
        return None
    noun = asked.group(2).split()[-1].lower()
    if singular(noun) != singular(answer.group(1).lower()):
        return None
    last = conversation.standalone_questions()[-1]
    previous = _asked_itself(last)
    what = _WHAT_AUX.match(previous)
    if what is None:
        return None
    return _topic_kept(
        f"{asked.group(1).capitalize()} {asked.group(2).lower()} {previous[what.end() :]}", last
    )


def _asked_itself(question: str) -> str:
    """An earlier standalone question as a question without its attached topic: what a
    fragment is asked as ("How many?" after "Where will the doses be made, regarding Lumera
    Bio?" is "How many doses will be made?", never "How many will the doses be made, ...";
    `_topic_kept` puts the topic back)."""
    clause = _main_clause(question)
    return question if clause == question else f"{clause.rstrip()}?"


def _topic_kept(reading: str, previous: str) -> str:
    """A `reading` made from the `previous` standalone question without its topic, with
    that topic attached again: "How many doses will be made, regarding Lumera Bio?"."""
    _, attached, topic = previous.partition(", regarding ")
    if not attached or ", regarding " in reading:
        return reading
    return f"{reading.strip().rstrip('?.! ')}, regarding {topic.strip().rstrip('?.! ')}?"


def _asks_who(question: str) -> bool:
    """Whether `question` asks for a person: "Who ...?", "To whom ...?", "Which person ...?"."""
    return bool(
        re.match(r"^\s*(?:and\s+)?(?:(?:to|with|by|for|from|of)\s+)?(?:who|whom|whose)\b", question, re.I)
        or re.match(r"^\s*(?:what|which)\s+(?:person|man|woman|people)\b", question, re.I)
    )


_OBJECT_WHO = re.compile(
    r"^\s*(?:(?:to|with|for|by|from|of)\s+)?(?:who|whom)\s+"
    r"(?:did|does|do|has|have|had|will|would|can|could|should|might|may)\b",
    re.I,
)
_LOCATION = re.compile(
    r"^\s*(?:where\b|(?:in\s+|from\s+|to\s+)?(?:what|which)\s+(?:(?:is|was)\s+the\s+)?(?:[\w-]+\s+)?"
    r"(?:country|city|town|state|region|place|territory|island|village|province|county|area|capital)\b)",
    re.I,
)


_WH_NOUN = re.compile(
    r"^\s*(?:what|which)\s+(?:[\w-]+\s+){0,3}?([a-z]+)\s+(?:is|was|are|were|did|does|do|has|had)\b", re.I
)
# "Which portal reported it?": a question word, a noun and a verb in the past or present
_WH_NOUN_VERB = re.compile(r"^\s*(?:which|what)\s+(?:[\w-]+\s+){0,2}?([a-z]+)\s+[a-z]+(?:ed|es)\b", re.I)
_AGENT = re.compile(r"(?:ist|er|or|ian|ess|man|men|woman|women|person|people|king|queen|leader)$")


_SOMEONE = re.compile(
    r"^\s*(?:(?:to|for|from|with|by|of|under)\s+)?(?:which|what)\s+(?:[\w-]+\s+){0,2}?"
    rf"({PERSON_NOUNS})\b",
    re.I,
)


def _asks_for_someone(question: str) -> bool:
    """Whether `question` asks which person of a kind: "To which king did Rollo swear
    fealty?" is answered by a person, however many words the name has."""
    return _SOMEONE.match(question) is not None


def _asked_noun(question: str) -> str | None:
    """The noun a question asks "which" or "what" of ("movement" of "Which movement did he
    lead?", "portal" of "Which portal reported it?"), lower-cased; None without one."""
    match = _WH_NOUN.match(question) or _WH_NOUN_VERB.match(question)
    return match.group(1).lower() if match is not None else None


def _asks_which_thing(question: str) -> bool:
    """Whether `question` asks "which" or "what" of a noun that names no agent ("Which
    movement did he lead?", "Which portal reported it?")."""
    noun = _asked_noun(question)
    # "Which general was defeated at Waterloo?", "Which of the presidents ...?" ask for people
    return noun is not None and _AGENT.search(noun) is None and PERSON_NOUN.match(noun) is None


def _asks_for_a_thing(question: str) -> bool:
    """Whether `question` asks "what" or "which" of a noun that names no agent ("What was
    the first recorded settlement ...?", not "Which famous scientist ...?"), or asks "what",
    "where" or "when" without one."""
    if _asked_noun(question) is None:
        return bool(re.match(r"^\s*(?:what|where|when)\b", question, re.I))
    return _asks_which_thing(question)


def needs_context(question: str) -> bool:
    """True when the question leans on earlier turns: a pronoun with no name in the
    question to point to, an ellipsis ("And what about Lyon?"), a bare "Why?", or a
    reference in time ("What happened afterwards?") with nothing named."""
    if ellipsis_subject(question) is not None or not content_terms(question):
        return True
    if ordinal_reference(question) or locative_there(question):  # "the first one", "born there"
        return True
    if _ADJECTIVE_ONE.search(question) or _THAT_ONE.search(question):  # "the old one", "that one"
        return True
    if _THEN.search(question) and not names(question):  # "What happened then?"
        return True
    if asks_of_this_event(question):  # "Has this happened before?"
        return True
    if is_fragment(question) and not names(question):  # "In which case?"
        return True
    if bare_descriptions(question):  # "Where was the game played?": which game?
        return True
    if _DEPENDENT_NAMED.search(question) or (_DEPENDENT.search(question) and not names(question)):
        return True
    found = pronouns(question)
    named = names(question)
    if any(p not in POSSESSIVES for p in found) or object_her(question):
        # "When did he call Putin?", "Why did Putin not call him?": a subject or object
        # pronoun of a one-clause question never means a name in that clause
        return True
    if found:  # "his", "its": the question's own name may be meant, if it comes first
        return not named or _first_pronoun_position(question) < question.find(named[0])
    return bool(_BACK_IN_TIME.search(question)) and not named


_FRAGMENT = re.compile(
    r"^\s*(?:(?:and|but|so)\s+)?(?:[a-z]+\s+)?(?:which|what|whom|whose|how|when|where)\b", re.I
)


def is_fragment(question: str) -> bool:
    """A question word's phrase with no verb ("In which case?", "For how long?", "With
    whom?"): the previous question asked again about something else it wants to know."""
    words = question.strip().rstrip("?.! ").split()
    if not 1 <= len(words) <= 5 or _FRAGMENT.match(question) is None:
        return False
    tokens = tagged(question)
    # longer than two words only after a preposition or "and" ("In which case?"): the tagger
    # reads "causes" of "What causes tides?" as a noun, and that question stands alone
    if len(words) > 2 and tokens[0][1] not in ("IN", "TO", "CC"):
        return False
    return not any(tag.startswith("VB") or tag == "MD" for _, tag, _ in tokens)


_WH_NOUN_AUXILIARY = re.compile(
    r"^\s*(?:which|what|whose)\s+((?:[\w-]+\s+){0,3}?[\w-]+)(?=\s+(?:is|are|was|were|do|does|did|will|would|can|could|has|have|had)\b)",
    re.I,
)


def _asked_again(fragment: str, previous: str, answer: str = "") -> str | None:
    """The previous question asked with the fragment's question word ("By whom?" after "When
    was Brazelton killed?" → "By whom was Brazelton killed?"), where the previous question
    opens with its question word and an auxiliary, or with "which" and a noun its `answer`
    named (the answer then its topic); else None."""
    rest = _WH_START.sub("", previous, count=1)
    tokens = tagged(fragment)
    # "By whom?", "Where exactly?"; never "Whose son?" nor "And how old?", which ask of another thing
    opens = bool(tokens) and (tokens[0][1] in ("IN", "TO") or all(t[1] in ("WRB", "RB", ".") for t in tokens))
    if rest == previous or not opens:
        return None
    asked = fragment.strip().rstrip("?.! ")
    if _AUXILIARY.match(rest):
        return f"{asked} {rest[:1].lower()}{rest[1:]}"
    # "Which society did Bell serve as president?" answered "National Geographic": "From when
    # until when did Bell serve as president, regarding National Geographic?"
    noun = _WH_NOUN_AUXILIARY.match(previous)
    if noun is None or not answer or len(answer.split()) > 6:
        return None
    clause = previous[noun.end(1) :].strip().rstrip("?.! ")
    return f"{asked} {clause[:1].lower()}{clause[1:]}, regarding {answer}?"


def _first_pronoun_position(question: str) -> int:
    match = re.search(r"\b(" + "|".join(POSSESSIVES) + r")\b", question, re.I)
    return match.start() if match else len(question)


# a request wrapped around a question: "Can you tell me when the dam burst?", "Do you know
# who won?", "I'd like to know ...", "Please tell me ..."
_WRAPPED = re.compile(
    r"^\s*(?:please,?\s+)?(?:(?:can|could|would)\s+you\s+(?:please\s+)?(?:tell|let)\s+me\s+(?:know\s+)?|"
    r"do(?:es)?\s+(?:you|we|anyone|anybody)\s+(?:happen\s+to\s+)?know\s+|(?:do\s+)?you\s+know\s+|"
    r"tell\s+me\s+|any\s+idea\s+|is\s+it\s+known\s+|"
    r"i(?:['’]d|\s+would)\s+like\s+to\s+know\s+|i\s+(?:want\s+to\s+know|wonder|was\s+wondering)\s+)?"
    r"(?=(?:who|whom|whose|what|when|where|why|how|which|whether|if)\b)",
    re.I,
)
# words of speech that ask nothing: "What was it built for in the first place?", "When
# exactly did it burst?", "Why is ash a problem for planes anyway?" (never "again": "When can
# he race again?"), nor "at all" at a question's end ("Was she injured at all?")
_FILLERS = re.compile(
    r",?\s+(?:in the first place|by the way|anyway|actually|exactly|really|please|at all(?=\s*[?.!]|\s*$))\b,?"
)


_EMBEDDED = re.compile(
    r"^(?P<wh>what|when|where|why|who|whom|how|if|whether)\s+(?P<subject>(?:the|a|an|this|that|these|those|his|"
    r"her|its|their|he|she|it|they|we|you|anyone|anybody|someone|somebody|(?-i:[A-Z][\w'’-]*))\b"
    r"(?:\s+[\w'’-]+){0,5}?)\s+"
    r"(?P<aux>was|were|is|are|will|would|can|could|should|may|might)\b(?P<rest>.*)$",
    re.I,
)


# an embedded question already in question order: the question word its subject or with
# its noun before the verb ("who won", "how many people were hurt", "which team won")
_ASKS_DIRECTLY = re.compile(
    r"^(?:who|what|which|how\s+(?:many|much))\s+"
    r"(?:(?!(?:he|she|it|they|we|you|i|the|a|an|this|that|these|those|his|her|its|their|our|my)\b)[a-z-]+\s+){0,2}?"
    r"(?:was|were|is|are|has|have|had|will|would|can|could|did|does|do|[a-z]+ed|won|lost|said|made|took|"
    r"went|came|left|died|fell|rose|hit|ran|began|caused|happened|"
    # any irregular past ("bought", "sold", "stole"): "who bought it" asks as it is
    rf"{'|'.join(sorted(map(re.escape, IRREGULAR_PAST), key=len, reverse=True))})\b",
    re.I,
)


def _embedded_order(question: str) -> str:
    """An embedded question in a question's order: "what the dam was built for" → "what was
    the dam built for" (a verb of its own, "when the dam burst", stays as it is)."""
    match = _EMBEDDED.match(question)
    if match is None or re.search(r"\b(?:who|that|which|where)\b", match["subject"], re.I):
        return question  # "where the people who were hurt were taken": not put in order
    if match["wh"].lower() in ("if", "whether"):  # "if anyone was hurt" → "was anyone hurt"
        return f"{match['aux']} {match['subject']}{match['rest']}"
    return f"{match['wh']} {match['aux']} {match['subject']}{match['rest']}"


# "What's the story with the church in Kelbridge?": what happened with it, as a story tells
_STORY_WITH = re.compile(
    r"^(?:so\s+|and\s+)?what(?:['’]s|\s+is)\s+(?:the\s+)?story\s+(?P<at>with|at)\s+"
    r"(?=(?:the\s+|that\s+|this\s+)?[\w'’-]+(?:\s+[\w'’-]+){0,5}\s*\??\s*$)",
    re.I,
)


def plain_question(question: str) -> str:
    """`question` without the request around it or the words of speech in it: "Can you tell
    me what the dam was built for in the first place?" → "What was the dam built for?"
    ("Do you know if anyone was hurt?" → "Was anyone hurt?"), a passive with "get" said with
    "be" (`be_passive`), a question word's contracted verb in full (`_uncontracted`); every
    other word stays; a question typed without its question mark ("who are they accusing")
    has it, as every rule reads a question's end by it. The pipeline reads this and shows
    it as searched for; the answer keeps what was asked."""
    plain = _STORY_WITH.sub(r"What happened \g<at> ", _FILLERS.sub("", question).strip())
    if plain and not re.search(r"[?.!…]\W*$", plain):
        plain = f"{plain}?"
    unwrapped = _WRAPPED.sub("", plain)
    if unwrapped != plain:
        unwrapped = be_passive(unwrapped)  # "what got stolen" → "what was stolen"
        ordered = _embedded_order(unwrapped)
        if ordered == unwrapped and not _ASKS_DIRECTLY.match(unwrapped):
            # "when the dam burst", "if they won": no question order to put it back in
            # without the verb's other forms: read with the request, as it was asked
            unwrapped = plain
        else:
            unwrapped = ordered.rstrip(" .!?") + "?"
    unwrapped = _positive(_with_its_verb(unwrapped))
    plain = will_future(be_passive(_uncontracted(unwrapped[:1].upper() + unwrapped[1:])))
    return plain if len(plain.split()) >= 2 else question


# a yes/no question asked in the negative, which asks what the positive asks ("Wasn't there
# ventilation?" is answered as "Was there ventilation?": the sentence that says whether)
_NEGATIVE_ASKED = re.compile(
    r"^(?P<lead>\s*(?:(?:and|so|but)\s+)?)(?P<verb>is|are|was|were|does|do|did|has|have|had|will|wo|can|ca|"
    r"could|should|would|must)n['’]t\b"
    # with its subject after it ("Wasn't there ...?", "Won't they ...?"): "Don't know?" and
    # "Doesn't matter?" ask nothing of one
    r"(?=\s+(?:i|you|he|she|it|we|they|there|this|that|these|those|the|a|an|any|anyone|anybody|"
    r"someone|somebody|everyone|people|his|her|its|their|our|my|your|(?-i:[A-Z])[\w'’-]*)\b)",
    re.I,
)


def _positive(question: str) -> str:
    """A yes/no question asked in the negative put in the positive: "Wasn't there
    ventilation?" → "Was there ventilation?", "won't they appeal?" → "will they appeal?";
    any other question as it is."""
    asked = _NEGATIVE_ASKED.match(question)
    if asked is None:
        return question
    verb = asked["verb"]
    full = {"wo": "will", "ca": "can"}.get(verb.lower(), verb)
    if verb[:1].isupper():
        full = full[:1].upper() + full[1:]
    return asked["lead"] + full + question[asked.end() :]


# a yes/no question said without its verb, as a chat does: "anyone hurt?", "any people
# infected?", "any deaths?"
_ANY_SAID = re.compile(
    r"^(?P<lead>(?:and|so)\s+)?(?P<who>any(?:one|body)|any\s+(?:other\s+)?[a-z-]+)(?:\s+(?P<done>[a-z]+)\b(?P<rest>[^?]*))?\s*\?*\s*$",
    re.I,
)


# what may follow the participle of such a question: nothing, or where or when it was done
_AFTER_DONE = re.compile(
    r"^\s*(?:$|,|(?:in|at|on|during|after|before|by|near|when|while|since|so\s+far|yet|too|there|here)\b)",
    re.I,
)


def _with_its_verb(question: str) -> str:
    """A yes/no question said without its verb, with it: "anyone hurt?" → "Was anyone
    hurt?", "any people infected?" → "Were any people infected?", "any deaths?" → "Were
    there any deaths?"; any other question as it is."""
    match = _ANY_SAID.match(question)
    if match is None:
        return question
    who, done = match["who"], match["done"]
    noun = who.split()[-1].lower()
    many = noun not in ("anyone", "anybody") and lexicon_tag(noun) in ("NNS", "NNPS")
    if done is None:
        return f"Were there {who.lower()}?" if many else question  # "any deaths?"; never "any good?"
    if lexicon_tag(done.lower()) != "VBN" or (not many and noun not in ("anyone", "anybody")):
        return question  # "anyone else?", "any news on the bridge?"
    if done.lower() == "been" or not _AFTER_DONE.match(match["rest"]):
        return question  # "anyone been arrested?", "anyone seen the suspect?": said otherwise
    return f"{'Were' if many else 'Was'} {who.lower()} {done}{match['rest'].rstrip()}?"


# a future said with "going to": "Is the council going to pay?", "When is it going to
# reopen?", "What is going to happen to him?" ("Is he going to Paris?" goes nowhere: a
# verb must follow)
# a question word and up to three words of what it asks for before the auxiliary ("When
# is", "How many flights did"), or none: a yes/no question
_WH_LEAD = r"^(?P<wh>(?:(?:what|who|which|why|when|where|how)\b(?:\s+[\w'’-]+){0,3}?\s+)?)"
# a word of the subject of "going to": never a clause's ("Is it true that the council is
# going to ban them?" asks whether it is true)
_SUBJECT_WORD = r"(?!(?:is|are|am|was|were|that|whether|if)\b)[\w'’.,&-]+"
_GOING_TO = re.compile(
    rf"{_WH_LEAD}(?P<aux>is|are|am)"
    rf"\s+(?:(?P<subject>{_SUBJECT_WORD}(?:\s+{_SUBJECT_WORD}){{0,7}}?)\s+)?going\s+to\s+(?P<verb>[a-z]+)\b(?P<rest>.*)$",
    re.I,
)


# a yes/no question whether anyone did something ("Did anyone vote against it?", "Has
# anybody died?", "Is anyone else trying to block the bonds?")
_ANYONE = re.compile(
    r"^(?P<aux>did|has|have|had|is|are|was|were|will)\s+(?:anyone|anybody|someone|somebody)"
    r"(?P<other>\s+else)?\s+(?!(?:not|never|ever|actually|really|also|even|just|still|yet)\b)(?P<rest>[a-z].*)$",
    re.I,
)
_PLAIN_TO_PAST = (
    {plain: past for past, plain in IRREGULAR_PAST.items()}
    | {
        verb: verb
        for verb in "bid quit hurt shut let cost spread cast burst split upset bet broadcast forecast".split()  # noqa: SIM905
    }
    | {"have": "had", "do": "did"}
)


def who_reading(question: str) -> str | None:
    """A yes/no question whether anyone did something asked as who did it: "Did anyone
    vote against it?" → "Who voted against it?", "Did anyone else leave with him?" → "Who
    else left with him?", "Has anybody died?" → "Who has died?" (the reader, trained on
    questions that ask for something, answers "Who voted against the ban?" with "Aisha
    Rahman" and settles "Did anyone vote against the ban?" with "Not everyone welcomed the
    decision."); a topic attached kept; None for any other question."""
    asked, comma, topic = question.strip().partition(", regarding ")
    match = _ANYONE.match(asked.strip().rstrip("?.! "))
    if match is None:
        return None
    aux, rest = match["aux"].lower(), match["rest"]
    other = " else" if match["other"] else ""
    verb, _, after = rest.partition(" ")
    if aux == "did":
        past = _past(verb)
        if past is None:
            return None  # "Did anyone inside flag it?": no verb known to put in the past
        said = f"Who{other} {past} {after}".rstrip()
    elif (lexicon_tag(verb) or "")[:2] in ("VB", "JJ"):  # "Has anyone died?", "Is anyone interested ...?"
        said = f"Who{other} {_SINGULAR_AUX.get(aux, aux)} {rest}"
    else:
        return None
    return f"{said}, regarding {topic.strip().rstrip('?.! ')}?" if comma else f"{said}?"


_SINGULAR_AUX = {"have": "has", "are": "is", "were": "was"}


def _past(verb: str) -> str | None:
    """The past of a verb's plain form: an irregular one's ("leave" → "left"), else a
    regular form the tagger's lexicon knows as a past ("vote" → "voted", "die" → "died",
    "stop" → "stopped", "try" → "tried"); None where none is known."""
    verb = verb.lower()
    if verb in _PLAIN_TO_PAST:
        return _PLAIN_TO_PAST[verb]
    candidates = [verb + "d" if verb.endswith("e") else verb + "ed"]
    if verb.endswith("y") and len(verb) > 2 and verb[-2] not in "aeiou":
        candidates.insert(0, verb[:-1] + "ied")
    if len(verb) > 2 and verb[-1] not in "aeiouwxy" and verb[-2] in "aeiou" and verb[-3] not in "aeiou":
        # "stop" → "stopped", "plan" → "planned" (not "planed"), "occur" → "occurred" (not
        # the lexicon's misspelt "occured"); "visit" has no "visitted" to find
        candidates.insert(0, verb + verb[-1] + "ed")
    known = next((c for c in candidates if lexicon_tag(c) in ("VBD", "VBN")), None)
    if known is None and verb.endswith(("ise", "yse")) and _past(verb[:-2] + "ze") is not None:
        return verb + "d"  # British "-ise", "-yse" ("realise", "analyse"): the lexicon knows "-ized"
    return known


# where one goes, not what one does ("Is the company going to court?")
_GONE_TO = frozenset(
    "school court church hospital jail prison bed war sea trial college university town lunch dinner "  # noqa: SIM905
    "breakfast market".split()
)


def _is_plain_verb(word: str) -> bool:
    """Whether `word` after "going to" may be a verb's plain form ("appeal", "fight", "be"):
    a lower-case word the tagger's lexicon knows as a verb, a common noun or an adjective
    ("appeal", "strike" are its nouns first, "open", "fine" its adjectives), never a place
    one goes to ("court", "school"), a name ("Paris") or a word of another kind ("the
    final")."""
    if not word.islower() or word in _GONE_TO:
        return False
    tag = lexicon_tag(word) or ""
    return tag.startswith("VB") or tag in ("NN", "JJ")  # "appeal", "strike"; "open", "fine"


def will_future(question: str) -> str:
    """A future said with "going to" said with "will", as articles say it: "Is the council
    going to pay?" → "Will the council pay?", "When is the ban going to take effect?" →
    "When will the ban take effect?", "What is going to happen to him?" → "What will happen
    to him?" (the reader, trained on questions in their paragraph's words, answers "Will
    Haugland appeal?" from "considering an appeal" and "Is Haugland going to appeal?" from
    another sentence); any other question as it is."""
    match = _GOING_TO.match(question)
    if match is None or not _is_plain_verb(match["verb"]):
        return question
    wh, subject = match["wh"], match["subject"]
    if subject is None and not wh:
        return question  # "Is going to ..." asks nothing of anyone
    will = "will" if wh else "Will"
    said = f"{will} {subject} {match['verb']}" if subject else f"{will} {match['verb']}"
    return f"{wh}{said}{match['rest']}"


_WH_CONTRACTED = re.compile(
    r"^((?:(?:and|so)\s+)?(?:what|who|where|when|why|which|how(?:\s+(?:long|far|old|big|bad|soon|often))?"
    # "which country'd the kid been to?": a noun's "'d" ("'s" may be its possessive)
    r"|(?:which|what)\s+[a-z]+(?=['’]d\b)))"
    r"['’](s|d|re|ve|ll)\b",
    re.I,
)


def _uncontracted(question: str) -> str:
    """A question word's contracted verb said in full, as articles and the reader's training
    questions say it: "Where'd they take them?" → "Where did they take them?", "Who's
    behind it?" → "Who is behind it?", "What's happened?" → "What has happened?", "Where's
    she live?" → "Where does she live?"; left as
    asked where the form is not clear ("What's caused the delays?" has, "What's the plan
    called?" is: a past participle after "'s" keeps it; "Who'd benefit?")."""
    match = _WH_CONTRACTED.match(question)
    if match is None:
        return question
    rest = question[match.end() :]
    tokens = tagged(rest.strip()) if rest.strip() else ()
    tags = [tag for _, tag, _ in tokens]
    following = tags[0] if tags else ""
    first = rest.split()[0].lower().strip("?.!,") if rest.split() else ""
    verb = IN_FULL.get(match[2].lower())
    if verb is None and match[2].lower() == "s":
        if first in _HAS_DONE:
            verb = "has"  # "What's happened?", "Who's won?"
        elif any(tag in ("VBN", "VBD") for tag in tags):
            return question  # "What's caused the delays?", "What's the plan called?"
        elif first in ("he", "she", "it") and len(tokens) > 1 and _plain_after_pronoun(tokens[1:]):
            # a pronoun and its plain verb ("What's he want?", "What's it cost?"); after a
            # noun the verb may end a compound ("What's the rate cut?") and "'s" stays "is"
            verb = "does"
        else:
            verb = "is"  # "Who's behind it?", "What's the total price tag?", "Who's taking over?"
    if verb is None and re.match(r"['’]ve\b", rest):
        return question  # "What'd've happened?": would have
    if verb is None:  # "'d"
        verb_after = _verb_after_subject(tokens)
        if verb_after is not None and verb_after[0] == "have" and "VBN" in tags:
            return question  # "Who'd voters have chosen?": would
        # a past form that is no plain one says "had" ("Which country'd the kid been to?");
        # "hit", "set", "cut" may be either: "Why'd the storm hit the coast?" is "did"
        past = verb_after is not None and verb_after[1] in ("VBN", "VBD") and not _same_forms(verb_after[0])
        if first == "been" or (following in ("VBN", "VBD") and not _same_forms(first)) or past:
            # "Who'd been there?", "Who'd won before?"
            verb = "had"
        elif (
            following.startswith(("PRP", "DT", "NNP"))
            or first in _DEMONSTRATIVES
            or (following.startswith(("NN", "JJ")) and _plain_verb_after_subject(tags))
        ):
            # "Where'd they take them?", "Why'd the council agree?", "How'd investors react?",
            # "How long'd that take?"
            verb = "did"
        else:
            return question  # "Who'd benefit?": would, or did
    return f"{match[1]} {verb}{rest}"


def _plain_after_pronoun(tokens: Sequence[tuple[str, str, str]]) -> bool:
    """Whether the words after "he", "she" or "it" open with a plain verb: tagged so, or as
    a singular noun, which cannot follow a pronoun ("What's it cost?", "Who's she work
    for?"), unless it is a noun of what one is ("What's he chairman of?", "What's it home
    to?")."""
    word, tag, _ = tokens[0]
    following = tokens[1][0].lower() if len(tokens) > 1 else ""
    noun_verb = tag == "NN" and not word.lower().endswith("s") and following not in ("of", "to")
    return tag in ("VB", "VBP") or noun_verb


def _same_forms(verb: str) -> bool:
    """Whether `verb`'s past is its plain form ("hit", "set", "shut", "hurt")."""
    return IRREGULAR_PAST.get(verb.lower()) == verb.lower() or verb.lower() in (
        "shut",
        "hurt",
        "cost",
        "quit",
    )


def _verb_after_subject(tokens: Sequence[tuple[str, str, str]]) -> tuple[str, str] | None:
    """(word, tag) of the verb after the subject that opens `tokens`, passing over a
    participle before its noun ("the rescued passengers get") and a relative clause ("the
    team that won celebrate"); None where there is none."""
    clause = False
    for n, (word, tag, _) in enumerate(tokens):
        if tag in ("WDT", "WP") or (word.lower() == "that" and n):
            clause = True
            continue
        if not (tag.startswith("VB") or tag == "MD"):
            continue
        following = tokens[n + 1][1] if n + 1 < len(tokens) else ""
        if (
            tag in ("VBN", "VBG", "VBD")
            and following.startswith(("NN", "JJ", "VB"))
            and n
            and tokens[n - 1][1] == "DT"
        ):
            continue  # "the rescued passengers get", "the injured go"
        if clause:
            clause = False
            continue
        return word.lower(), tag
    return None


def _plain_verb_after_subject(tags: Sequence[str]) -> bool:
    """Whether the words after a question word's "'d" are a subject of one noun phrase and
    a plain verb ("How'd investors react?": "did"), never a noun with a clause of its own
    ("the price they pay"), nor "to" and a verb ("the best way to get")."""
    at = next((n for n, tag in enumerate(tags) if tag.startswith("VB") or tag == "MD"), None)
    if not at or tags[at] not in ("VB", "VBP"):
        return False
    subject = tags[:at]
    return re.fullmatch(
        r"(?:DT |PRP\$ )?(?:JJ |NN |NNP )*(?:NN|NNS|NNP)", " ".join(subject)
    ) is not None and ("NNS" not in subject[:-1])


# "What's happened?", "Who's won?": "has" before these
_HAS_DONE = frozenset("been got gotten happened changed gone come won lost died become".split())  # noqa: SIM905


# a passive said with "get": "What got stolen?", "How many flights got scrapped?"
_NOT_IN_SUBJECT = (
    r"(?!(?:did|does|do|will|would|can|could|should|may|might|must|is|are|was|were|has|have|had|"
    r"he|she|it|they|we|you|i)\b)"
)
_GOT_PASSIVE = re.compile(
    rf"^(?P<wh>(?:what|who|which|how\s+many|how\s+much)\b(?:\s+{_NOT_IN_SUBJECT}[\w'’-]+){{0,3}}?)"
    r"\s+(?P<get>got|gets|get)"
    r"\s+(?P<done>[a-z]+)\b(?P<rest>.*)$",
    re.I,
)
# ... asked with "did": "Did anyone get hurt?", "Why did he get sacked?"
_DID_GET_PASSIVE = re.compile(
    rf"{_WH_LEAD}(?P<aux>did|does|do)"
    r"\s+(?P<subject>[\w'’-]+(?:\s+[\w'’-]+){0,3}?)\s+get\s+(?P<done>[a-z]+)\b(?P<rest>.*)$",
    re.I,
)
_MANY = re.compile(r"^(?:they|we|you|people|many)$|^how\s+many\b", re.I)


def be_passive(question: str) -> str:
    """A passive said with "get" said with "be", as articles say it: "What got stolen from
    the museum?" → "What was stolen from the museum?", "Did anyone get hurt?" → "Was anyone
    hurt?", "How many flights got scrapped?" → "How many flights were scrapped?" (the reader,
    trained on questions in their paragraph's words, refuses the first and answers the
    second); "got" before anything but a past participle stays ("got sick", "get away")."""
    tags = word_tags(question)
    match = _GOT_PASSIVE.match(question)
    if match is not None and tags.get(match.start("done"), "") in ("VBN", "VBD"):
        last = match.end("wh") - len(match["wh"].split()[-1])  # "flights" of "How many flights"
        many = _MANY.search(match["wh"]) or tags.get(last, "") == "NNS"
        be = {"gets": "is", "get": "are"}.get(match["get"].lower(), "were" if many else "was")
        return f"{match['wh']} {be} {match['done']}{match['rest']}"
    match = _DID_GET_PASSIVE.match(question)
    if match is not None and tags.get(match.start("done"), "") in ("VBN", "VBD"):
        subject = match["subject"]
        many = bool(_MANY.search(subject.split()[-1])) or is_group(subject)
        aux = match["aux"].lower()
        be = ("were" if many else "was") if aux == "did" else ("are" if aux == "do" or many else "is")
        wh = match["wh"]
        be = be if wh else be.capitalize()
        return f"{wh}{be} {subject} {match['done']}{match['rest']}"
    return question


# nouns of a time: "That night, where was she?" says when, not whom
_TIME_NOUNS = frozenset(
    "night day morning evening afternoon week weekend month year time season moment hour minute".split()  # noqa: SIM905
)


_LEFT_TO_THEM = re.compile(r"\bhow\s+(?:many|much)\b|\b(?:them|any|one|ones|some|it)\b", re.I)
# plurals said before a comma that are words of speech, not what is asked about
_NOT_TOPICS = frozenset("thanks questions things cheers regards words terms days years times".split())  # noqa: SIM905
_BEFORE_CLAUSE = re.compile(r"\s+(?=(?:who|whom|whose|that|which|they|he|she|we|you|I)\s)")


def _said_first(topic: str, asked: str, bare: bool = False) -> bool:
    """Whether `topic`, said before the comma of "And the driver, was he ok?", is what the
    pronoun of `asked` stands for: a name or a phrase of "the" (never "Yesterday" or "That
    night"), of the pronoun's kind ("he" a person, "they" many, "it" a thing: never "Was
    the driver his fault?" of "And the driver, was it his fault?"). `bare`: a phrase of
    neither, typed after "and" ("And local businesses, how are they doing?"), that ends in
    a noun."""
    if bare:
        # many, asked of as "they" ("And parents, what do they think?"): never a phrase of
        # speech ("And worst case, when will it reopen?", "And thanks, what did they do?")
        # and "they" the only thing the question leans on: a count or an object left to
        # them is of the phrase, done by "they" ("And jobs, how many are they cutting?",
        # "And refunds, when will they pay them?")
        tags = tagged(topic)
        last = tags[-1][1] if tags else ""
        if last != "NNS" or topic.split()[-1].lower() in _NOT_TOPICS or pronouns(asked) != ["they"]:
            return False
        if _LEFT_TO_THEM.search(asked):
            return False
    elif not _DETERMINED.match(topic) and not names(topic):
        return False  # "Yesterday, what happened to him?"
    # the phrase before a clause that tells which one ("that striker they bought", "the man
    # who was arrested")
    topic = _BEFORE_CLAUSE.split(topic, maxsplit=1)[0]
    if topic.split()[-1].lower() in _TIME_NOUNS:
        return False
    pronoun = pronouns(asked)[0]
    person = (
        describes_someone(topic)
        if _DETERMINED.match(topic) or bare
        else could_be_person(topic) or looks_like_person(topic)
    )
    if pronoun in PERSON:
        return person
    if pronoun in THING:
        return not person and not is_group(topic)
    return is_group(topic) or not person


def _itself(topic: str) -> str:
    """A topic said first without its "himself" ("And the artist himself, when was he
    born?": the artist)."""
    return re.sub(r"\s+(?:him|her|it|them)sel(?:f|ves)$", "", topic.strip(), flags=re.I)


def pronoun_said_again(asked: str, standalone: str) -> tuple[str, str] | None:
    """(the person's name a rewrite put for the one person pronoun of `asked`, the rewrite
    with it said as that pronoun again): "Who is her coach?" → "Who is Mara Lindqvist's
    coach?" gives ("Mara Lindqvist", "Who is her coach?"); None where the rewrite put no
    one person's name for one "he" or "she". An article goes on with "she" after naming
    her once, and the reader, trained to refuse a question whose names its passage lacks,
    reads such a passage best as the person asked it (`ReaderAnswerer`)."""
    said = [p for p in pronouns(asked) if p in PERSON]
    if len(said) != 1 or said[0] in ("hers", "himself", "herself"):
        return None
    added = [n for n in names(standalone) if not named_in(n, asked) and looks_like_person(n)]
    if len(added) != 1:
        return None
    name, pronoun = added[0], said[0]
    # the name stands where the pronoun stood: the same word after each ("her trainer",
    # "Mara Lindqvist's trainer"); never a name put for "it" or attached as a topic
    at = re.search(rf"\b{re.escape(name)}(?:['’]s|['’])?", standalone)
    where = re.search(rf"\b{pronoun}\b", asked, re.I)
    if at is None or where is None or _next_word(standalone, at.end()) != _next_word(asked, where.end()):
        return None
    owned = re.compile(rf"\b{re.escape(name)}(?:['’]s|['’])(?=\s)")
    if pronoun in ("his", "her") and owned.search(standalone):
        back = owned.sub(pronoun, standalone, count=1)
    elif pronoun == "his" or not re.search(rf"\b{re.escape(name)}\b", standalone):
        return None
    else:
        back = re.sub(rf"\b{re.escape(name)}\b", pronoun, standalone, count=1)
    return name, back[:1].upper() + back[1:]


def _next_word(text: str, at: int) -> str:
    """The word after `at` in `text`, lower-cased ("" at the end)."""
    found = re.match(r"\W*([\w'’-]*)", text[at:])
    return found.group(1).lower() if found else ""


def about_then_asked(question: str) -> str:
    """ "What about the fishermen, would they go to court?" → "Would the fishermen go to
    court?": the topic put for the question's pronoun (or attached to it); so too "And the
    driver, was he OK?" → "Was the driver OK?"; any other question as it is."""
    spaced = " ".join(question.split())
    match = ABOUT_THEN_ASKED.match(spaced)
    # "And the driver, was he OK?" → "Was the driver OK?" (only with a pronoun to put it for)
    dislocated = match is None
    match = match or DISLOCATED.match(spaced) or DISLOCATED_BARE.match(spaced)
    if match is None:
        return question
    topic, asked = _itself(match["x"]), match["q"].strip()
    bare = match.re is DISLOCATED_BARE
    if dislocated and (not pronouns(asked) or not _said_first(topic, asked, bare)):
        return question
    asked = asked[:1].upper() + asked[1:]
    if pronouns(asked):
        # the phrase as said, never made plural ("And granmart, what did they say?")
        person = looks_like_person(topic) or (bare and describes_someone(topic))
        return substitute(asked, [], forced=Referent(topic, person, thing=bare and not person))
    return f"{asked.rstrip('?.! ')}, regarding {topic}?"


def condense_by_rule(question: str, history: Sequence[Any] | Conversation) -> str:
    """A standalone version of a follow-up, made by rule: pronouns replaced by what the
    conversation is about (the answer of a "who" question, else the names and subjects of
    the latest question), an ellipsis asked as the previous question about its new
    subject, a bare "Why?" asked of the previous question. Never a list of keywords."""
    conversation = Conversation.from_history(history)
    previous = [_asked_itself(q) for q in conversation.standalone_questions()]
    if not previous:
        return question
    question = about_then_asked(question)
    which = which_one_was_it(question, conversation)
    if which is not None:
        return which
    said = who_said_it(question, conversation)
    if said is not None:
        return said
    subject = ellipsis_subject(question)
    if subject is not None:
        return _ellipsis_readings(question, subject, conversation)[0]
    last = conversation.standalone_questions()[-1]
    if _is_bare(question):
        # "Why?" after "When did X start?"; "When?" after "Who will decide?" answered (by a
        # short answer: a sentence answer is no phrase to put in the question)
        same = _same_question_as(question, previous[-1], conversation.latest_short_answer())
        return _topic_kept(same, last) if same != question else with_topic(question, _topical(previous))
    asked = question
    question = _said_before(question, conversation)
    places = _places(question, conversation)
    if places:  # "Which other famous people were born there?"
        question = put_there(question, places[0].text)
    if asks_of_this_event(question) and not names(question):
        # "Has this happened before?": of the latest question about an event ("Why did the
        # bridge collapse?"), else of what the conversation opened with
        return with_topic(question, event_question(previous) or previous[0])
    if pronouns(question):
        answers = conversation.previous_answers()
        texts = conversation.answer_texts()
        referents = _subject_first(
            question,
            previous[-1],
            answers[0] if answers else "",
            conversation.referents(),
            strip_markers(texts[0]).replace("**", "") if texts else "",
        )
        referents = _measured_first(question, previous[-1], referents)
        referents = _fitting(question, _introduced_first(question, previous[-1], referents), conversation)
        if not referents and _of_an_event(question):
            # "When did it happen?": an event the conversation named, else what it is about
            return with_topic(question, event_question(previous) or previous[0])
        return resolve_descriptions(substitute(question, referents), referents, conversation.articles)
    answered = conversation.previous_answers()
    if is_fragment(asked) and (again := _asked_again(asked, previous[-1], answered[0] if answered else "")):
        # "By whom?" after "When was Brazelton killed?": "By whom was Brazelton killed?"
        return _topic_kept(again, last)
    resolved = resolve_descriptions(question, conversation.referents(), conversation.articles)
    if resolved == asked and (
        _DEPENDENT.search(resolved) or not content_terms(resolved) or is_fragment(asked)
    ):
        return with_topic(question, _topical(previous))  # it names nothing it leans on ("Who was there?")
    return resolved


_SUBJECT_PRONOUN = re.compile(
    r"^\s*(?:(?:and|but|so)\s+)?(?:(?:why|when|where|how|what|who|whom|which)\b[^?,]*?\s+)?"
    r"(?:do|does|did|is|are|was|were|will|would|can|could|has|have|had|should|may|might)\s+"
    r"(he|she|it|they)\b",
    re.I,
)


def _subject_first(
    question: str, previous: str, answer: str, referents: list[Referent], replied: str = ""
) -> list[Referent]:
    """`referents` with the subject of the previous question first when `question`'s
    subject is a pronoun that agrees with it: "Why did it do that?" after "What did the
    Mongol army do during the siege of Kaffa?" answered "catapulted the infected corpses"
    asks about the army, not Kaffa, however often the conversation named Kaffa (what a
    question is about stays its subject next). An answer that may be the pronoun's referent
    comes first still ("What is it known as today?" after "What product did Bank of America
    launch?" answered "BankAmericard")."""
    pronoun = _SUBJECT_PRONOUN.match(question)
    subject = question_subject(previous)
    answered = answer.strip().rstrip(".").lower()
    if pronoun is not None and subject is None and answered:
        # "Who bought YouTube?" → "Google": the answer was the subject asked for, and "it"
        # of "How much did it pay?" is the buyer (a name that answered "who" and that the
        # reply shows as no person's, "Alexei Dyumin" for "Dyumin", is a company's)
        said = pronoun.group(1).lower()
        for referent in referents[:1]:
            last = referent.text.split()[-1] if referent.text.split() else ""
            person = any(
                last in n.split() and looks_like_person(n, replied) for n in names(replied)
            ) or looks_like_person(referent.text, replied)
            fits = agrees(said, referent) or (said == "it" and referent.someone and not person)
            if referent.text.lower() == answered and fits and _asks_for_subject(_main_clause(previous)):
                return [
                    replace(referent, person=False, someone=False) if said == "it" else referent,
                    *referents[1:],
                ]
        return referents
    if pronoun is None or subject is None or pronouns(subject[0]):
        return referents
    if any(r.text.lower() == answered and agrees(pronoun.group(1).lower(), r) for r in referents):
        return referents
    text = subject[0]
    known = [r for r in referents if r.text.lower() == text.lower()]
    meant = known[0] if known else Referent(text, looks_like_person(text, previous))
    if not agrees(pronoun.group(1).lower(), meant) or dummy_it(question, pronoun.start(1)):
        return referents
    return [meant, *(r for r in referents if r is not meant)]


# "How big was the fine against Nordvik Bank?": how much of a thing, its phrase after "be"
_HOW_MUCH_OF = re.compile(
    r"^\s*(?:and\s+)?how\s+[a-z]+\s+(?:is|was|are|were|will\s+be|has\s+been)\s+(the\s+.+)$", re.I
)


# "it" doing something: its verb in the plain form after it ("Will it appeal?")
_ACTS = re.compile(
    r"\b(?:do|does|did|will|would|can|could|should|may|might|must)\s+it\s+(?!be\b|been\b|have\b)[a-z]+\b",
    re.I,
)
# a measure of another's thing: "the crowd at the rally" is the rally's
_OF_ANOTHER = frozenset({"of", "at", "from", "in", "on", "during"})


def _measured_first(question: str, previous: str, referents: list[Referent]) -> list[Referent]:
    """`referents` with the thing the previous question measured first ("the fine" of "How
    big was the fine against Nordvik Bank?") when `question`'s one pronoun is "it", not its
    subject: "Who handed it down?" is about the fine, not the bank the conversation keeps
    naming ("Will it appeal?" is the bank's). Never a person, many, or a measure of
    another's ("the population of Fresno" is Fresno's)."""
    if pronouns(question) != ["it"] or _ACTS.search(question):
        return referents  # "it" doing something is no amount ("Will it appeal?", "Did it accept?")
    measured = _HOW_MUCH_OF.match(previous.strip())
    if measured is None:
        return referents
    words: list[str] = []
    tokens = tagged(measured.group(1))
    for n, (word, tag, _) in enumerate(tokens):
        if tag in ("IN", "TO", ".", ",", ":") or tag.startswith(("VB", "W", "NNP")):
            if word.lower() in _OF_ANOTHER and n + 1 < len(tokens) and tokens[n + 1][1] != ".":
                return referents  # "the crowd at the rally", "the toll from the earthquake": the other's
            break
        words.append(word)
    phrase = " ".join(words)
    # a noun last, or what the tagger reads as an adjective right after "the" and before
    # a preposition or the end ("the fine against Nordvik Bank": no adjective ends a phrase)
    last = tagged(words[-1])[-1][1] if words else ""
    noun = len(words) > 1 and (last.startswith("NN") or (len(words) == 2 and last == "JJ"))
    if not noun:
        return referents
    if describes_someone(phrase) or is_group(phrase):
        return referents
    # said with the complement that names whose it is, where the question said one
    phrase = _with_named_complement(phrase, measured.group(1))
    known = [r for r in referents if r.text.lower() == phrase.lower()]
    meant = known[0] if known else Referent(phrase, False, thing=True)
    return [meant, *(r for r in referents if r is not meant)]


# "What was it called?", "What is it named?": the name of what "it" is
_CALLED_IT = re.compile(
    r"^\s*(?:and\s+)?what\s+(?:is|was|will)\s+it\s+(?:be\s+)?(?:called|named|known\s+as)\b", re.I
)


def _introduced_first(question: str, previous: str, referents: list[Referent]) -> list[Referent]:
    """`referents` with what the previous question introduced ("a joint venture" of "When did
    CBS and Sony form a joint venture?") first, as "the joint venture", when `question` asks
    what "it" is called: a new thing is what gets asked its name."""
    if _CALLED_IT.match(question) is None:
        return referents
    for phrase in noun_phrases(previous):
        if re.search(rf"\b(?:a|an)\s+{re.escape(phrase)}\b", previous, re.I) and not is_group(phrase):
            return [Referent(f"the {phrase}", False, thing=True), *referents]
    return referents


def _ellipsis_readings(question: str, subject: str, conversation: Conversation) -> list[str]:
    """An ellipsis ("And the Kingdom of Sicily?", "And after Crimea?", "And the last one?")
    as the previous question asked of its subject: in place of the phrase of the same shape
    (the rule's reading first), else of each of its noun phrases in turn; the previous
    question's topic, if one was attached, kept ("And the crew?" after "Who was on board,
    regarding Apollo 11?": "Who was on the crew, regarding Apollo 11?"); a name asked of is
    put in the whole question, its topic too."""
    last = conversation.standalone_questions()[-1]
    if names(subject):
        # a name asked of in place of another may be in place of the topic ("And Apollo 12?"
        # after "Who was on board, regarding Apollo 11?": "..., regarding Apollo 12?")
        readings = _ellipsis_readings_of(question, subject, conversation, last)
    else:
        readings = _ellipsis_readings_of(question, subject, conversation, _asked_itself(last))
        readings = [r if r == question else _topic_kept(r, last) for r in readings]
    # nothing of the last question to put it in place of: what the articles say of it
    return [about_reading(question) or question] if readings == [question] else readings


# words of an ellipsis that lean on the conversation: what it points back to, a time or an
# item relative to what was said ("And the next day?", "And the others?", "And the second?")
_LEANING = re.compile(
    r"\b(?:there|this|that|these|those|then|next|previous|following|same|other|others|rest|remaining|"
    r"yesterday|today|tomorrow|first|second|third|fourth|last|former|latter|before|after|earlier|later)\b",
    re.I,
)


def about_reading(question: str) -> str | None:
    """ "And the farmers?" as "What about the farmers?": what the articles say of them
    ("Farmers ... were told to close their pumps"), read where no phrase of the last
    question takes its place or every reading that puts it there is refused; None for any
    other question, or an ellipsis that leans on the conversation (a pronoun, "that", "the
    second one", "the next day", "the others", "after the impact": `_LEANING`)."""
    subject = ellipsis_subject(question)
    if (
        subject is None
        or pronouns(subject)
        or _LEANING.search(subject)
        or ordinal_reference(subject) is not None
        or is_modifier(subject)
        or _NEXT.fullmatch(subject.strip().rstrip("?.! "))
        or not content_terms(subject)
    ):
        return None
    return f"What about {subject.strip().rstrip('?.! ')}?"


def _ellipsis_readings_of(
    question: str, subject: str, conversation: Conversation, previous: str
) -> list[str]:
    """`_ellipsis_readings` of the `previous` question without its topic."""
    if _NEXT.fullmatch(subject.strip().rstrip("?.! ")):  # "And then?": what came after
        return [_next_of(_main_clause(previous))]
    listed = conversation.listed()
    ordinal = ordinal_reference(subject)
    if ordinal is None and re.search(r"^the\s+\w+.*\sone$", subject, re.I):
        # "And the old one?" after "How long is the Halden bridge?": the old bridge
        heads = [p.split()[-1] for p in definite_phrases(previous) if tagged(p.split()[-1])[-1][1] == "NN"]
        subject = subject[: -len("one")] + heads[0] if heads else subject
    if ordinal is not None and not listed:
        return [question]  # "And the second one?" with nothing listed: as it is
    if ordinal is not None:
        item = _item(listed, ordinal[1])
        # its sibling in the previous question gives way to it ("How does igneous rock form?")
        for sibling in listed:
            match = re.search(rf"\b{re.escape(sibling)}\b", previous, re.I)
            if match is not None and sibling != item:
                return [previous[: match.start()] + item + previous[match.end() :]]
        subject = item
    participle = _parallel_participle(previous, subject)
    if participle is not None:  # "And diverted?" after "How many flights were cancelled?"
        return [participle]
    if is_modifier(subject):  # "And after the impact?"
        return _relative_readings(previous, subject) or [with_modifier(previous, subject)]
    if tagged(subject)[:1] and tagged(subject)[0][1] == "VBG":  # "What about organizing as a university?"
        return [with_topic(question, previous)]  # an event: no phrase of the last question to put it in
    referents = conversation.referents()
    if pronouns(subject):  # "And his mother?": whose mother first, "he" of the articles' "he"
        put = substitute(subject, _fitting(subject, referents, conversation))
        # as the phrase began, never capitalised as a question ("the older one the satellite
        # was meant to replace", not "The older one ...")
        subject = subject[:1] + put[1:] if put[:1].lower() == subject[:1].lower() else put
    readings = [_ask_of(previous, subject, referents)]
    for phrase in [*definite_phrases(previous), *noun_phrases(previous)]:
        start = previous.find(phrase)
        before = previous[:start]
        inside_name = re.search(r"[A-Z][\w'’-]*\s+$", before) is not None  # "Nikolai | Patrushev's position"
        if (
            start > 0
            and not inside_name
            and _may_stand_for(subject, Referent(phrase, looks_like_person(phrase)), referents)
            and not re.search(r"\b(?:which|what|whose|how many)\s+$", before, re.I)
        ):
            readings.append(previous[:start] + subject + previous[start + len(phrase) :])
    # what "how many" counts takes no "the" ("And the passengers?" after "How many people
    # were killed?": "How many passengers were killed?")
    readings = [_HOW_MANY_THE.sub(r"\1 ", r) if r else r for r in readings]
    return [r for r in dict.fromkeys(readings) if r] or [question]


_HOW_MANY_THE = re.compile(r"\b(how\s+(?:many|much))\s+the\s+", re.I)


_NEXT = re.compile(r"(?:then|next|after that|afterwards?|later|what next|what then)", re.I)


def _parallel_participle(previous: str, subject: str) -> str | None:
    """ "And diverted?" after "How many flights were cancelled?": the previous question with
    the participle asked of in place of its own ("How many flights were diverted?"); None
    where the ellipsis is no one past participle or the previous question has not one."""
    said = tagged(subject.strip().rstrip("?.! "))
    # "closed", "sacked": a regular past form alone is read as a past tense, and is one too
    if len(said) != 1 or not (said[0][1] == "VBN" or (said[0][1] == "VBD" and said[0][0].endswith("ed"))):
        return None
    words = tagged(previous)
    # the participle after a form of "be", "have" or "get" ("were cancelled", "has been
    # found": "found"), never one of those itself nor one that qualifies a noun ("the report
    # published on Monday")
    own = [
        n
        for n, (word, tag, _) in enumerate(words)
        if tag in ("VBN", "VBD")
        and n
        and words[n - 1][0].lower() in _PASSIVE_AUXILIARIES
        and word.lower() not in _PASSIVE_AUXILIARIES
    ]
    if len(own) != 1:
        return None
    at = own[0]
    if at + 1 < len(words) and (words[at + 1][1] == "RP" or words[at + 1][0].lower() in _PARTICLES):
        return None  # "called off", "laid off": no one word to put in its place
    return re.sub(rf"\b{re.escape(words[at][0])}\b", said[0][0], previous, count=1)


_PASSIVE_AUXILIARIES = frozenset(
    "be is are was were been being get got gets gotten getting has have had".split()  # noqa: SIM905
)
_PARTICLES = frozenset({"off", "up", "out", "down", "in", "over", "away", "back"})


def _next_of(previous: str) -> str:
    """ "And then?" after "What did Prigozhin do on June 24?": "What did Prigozhin do after
    June 24?"; a question with no time of its own asks what came "after that"."""
    question = previous.strip().rstrip("?.! ")
    for match in re.finditer(r"\b(?:on|in|at|during|by)\s+(?=([^,;?]+)$)", question, re.I):
        if _A_TIME.search(match.group(1)):
            return f"{question[: match.start()]}after {match.group(1)}?"
    return f"{question} after that?"


def _relative_readings(previous: str, modifier: str) -> list[str]:
    """ "And after Crimea?" after "How did the Black Death reach Crimea?": the modifier's
    object is where the last question ended, so it asks what came next for the last
    question's subject ("Where did the Black Death go after Crimea?", "What happened to
    the Black Death after Crimea?"); [] when the modifier names something new."""
    words = modifier.strip().rstrip("?.! ").split()
    point = " ".join(words[1:])
    if not point or not re.search(rf"\b{re.escape(point)}\b", previous, re.I):
        return []
    subjects = [p for p in [*definite_phrases(previous), *names(previous)] if point.lower() not in p.lower()]
    if not subjects:
        return []
    subject = subjects[0]
    lead = "the " + subject[4:] if subject.lower().startswith("the ") else subject
    moved = f"Where did {lead} go {' '.join(words)}?"
    happened = f"What happened to {lead} {' '.join(words)}?"
    return [moved, happened] if point[:1].isupper() else [happened, moved]


def _item(listed: Sequence[str], index: int) -> str:
    return listed[index] if -len(listed) <= index < len(listed) else listed[-1]


def _with_ordinal(question: str, conversation: Conversation) -> str:
    """ "How does the first one form?" → "How does igneous form?": the item of the latest list
    the ordinal points to (`Conversation.listed`)."""
    ordinal = ordinal_reference(question)
    listed = conversation.listed() if ordinal is not None else []
    if ordinal is None or not listed:
        return question
    match, index = ordinal
    return question[: match.start()] + _item(listed, index) + question[match.end() :]


# "the old one", "the new one": one of a kind the last question named
# (lower-case: "the Chosen One", "Formula One" are names; "the only one", "one of" are not it)
_ADJECTIVE_ONE = re.compile(
    r"\b[Tt]he\s+(?!first\b|second\b|third\b|last\b|other\b|same\b|only\b)([a-z]+)\s+one\b(?!\s+of\b)"
)


_THAT_ONE = re.compile(r"\b(?:[Tt]hat|[Tt]his)\s+one\b(?!\s+of\b)")  # never "that one of his inventions"


def _with_one(question: str, conversation: Conversation) -> str:
    """ "What happens to the old one?" after "Will the new bridge ever need to open?" →
    "What happens to the old bridge?": "one" is the head noun of the last question's
    definite phrase; "that one" after an answer "a narrow swing bridge" is "the narrow
    swing bridge"; else unchanged."""
    that = _THAT_ONE.search(question)
    answers = conversation.previous_answers()
    if that is not None and answers:  # "How often did that one have to open?": the one just given
        given = re.sub(r"^(?:a|an)\s+", "the ", answers[0].strip().rstrip("."), flags=re.I)
        if 0 < len(given.split()) <= 6 and (given.lower().startswith("the ") or names(given) == [given]):
            return f"{question[: that.start()]}{given}{question[that.end() :]}"
    match = _ADJECTIVE_ONE.search(question)
    asked = conversation.standalone_questions()
    if match is None or not asked:
        return question
    heads = [p.split()[-1] for p in definite_phrases(asked[-1]) if tagged(p.split()[-1])[-1][1] == "NN"]
    if not heads:
        return question
    return f"{question[: match.end(1)]} {heads[0]}{question[match.end() :]}"


def _said_before(question: str, conversation: Conversation) -> str:
    """`question` with what it says of the last turns put in words: the listed item an
    ordinal means, the kind "the old one" or "that one" means, the time "then" or "after
    that" means, the name "called that" means."""
    question = _with_one(_with_ordinal(question, conversation), conversation)
    question = _with_demonstrative(question, conversation)
    return _with_name(_with_time(question, conversation), conversation)


_DEMONSTRATIVES = {"that", "this", "these", "those"}
# nouns so wide that "that part" is whatever the last answer named
_WIDE_NOUNS = frozenset({"part", "thing", "item", "product", "component", "device", "piece", "stuff"})


def _with_demonstrative(question: str, conversation: Conversation) -> str:
    """ "Who made that part?" after "What caused the fault?" answered "switch": "Who made
    the switch?"; "those boundaries" after an answer "divergent boundaries" are those.
    Unchanged otherwise: "that night", "that deal", "How much did that cost?" keep their
    "that", which the conversation's topic and articles read."""
    latest = conversation.latest_short_answer()
    if not latest[:1].islower() or len(latest.split()) > 4 or re.search(r"\d", latest):
        return question  # no short answer that names a kind of thing
    head = latest.split()[-1].lower()
    tokens = tagged(question)
    for n in range(len(tokens) - 1):
        word, (noun, tag, _) = tokens[n][0], tokens[n + 1]
        if word.lower() not in _DEMONSTRATIVES or tag not in ("NN", "NNS"):
            continue
        if noun.lower() not in _WIDE_NOUNS and head != noun.lower():
            continue  # another thing, or as many ("those switches" are not "the switch")
        if opens_clause(word, tokens, n):
            continue  # "Did the maker admit that switch was faulty?": "that" opens a clause
        found = re.search(rf"\b{re.escape(word)}\s+{re.escape(noun)}\b", question)
        if found is None:
            continue
        # the thing the answer named, made definite ("a faulty switch" → "the faulty switch")
        said = "the " + re.sub(r"^(?:the|an?)\s+", "", latest, flags=re.I)
        return question[: found.start()] + said + question[found.end() :]
    return question


def _with_time(question: str, conversation: Conversation) -> str:
    """ "What happened then?" → "What happened on the evening of June 23?", "What genre
    became prominent after that?" → "... after 1938" when the last answer was a time (a
    date, a year, a time of day); else unchanged."""
    match = _THEN.search(question)
    answers = conversation.previous_answers()
    relative = _AFTER_THAT.search(question)
    if (match is None and relative is None) or not answers:
        return question
    # "then" after "until Friday" is Friday ("What will happen then?" → "... on Friday?")
    when = re.sub(r"^(?:until|till|by|before|since)\s+", "", answers[0].strip().rstrip("."), flags=re.I)
    if len(when.split()) > 6 or not _A_TIME.search(when):
        return question
    if relative is not None:  # "What genre became prominent after that?" → "after 1938"
        point = re.sub(r"^(?:in|on|at)\s+", "", when, flags=re.I)
        return f"{question[: relative.start()]}{relative.group(1)} {point}{question[relative.end() :]}"
    if match is None:
        return question
    if re.fullmatch(r"\d{4}s", when):  # a decade: "in the 1850s"
        when = "the " + when
    if not _OPENS_WITH_PREPOSITION.match(when):
        when = ("in " if re.fullmatch(r"(?:the\s+)?\d{4}s?|[A-Z][a-z]+ \d{4}", when) else "on ") + when
    return question[: match.start()] + " " + when + question[match.end() :]


def _with_name(question: str, conversation: Conversation) -> str:
    """ "Why is it called that?" → "Why is it called The Old Pueblo?" when the last question
    asked for a name ("What is Tucson's nickname?") and was answered; else unchanged."""
    match = _CALLED_THAT.search(question)
    answers = conversation.previous_answers()
    asked = conversation.standalone_questions()
    if match is None or not answers or not asked or not _ASKS_NAME.search(asked[-1]):
        return question
    name = answers[0].strip().rstrip(".")
    if not name or len(name.split()) > 6:
        return question
    return f"{question[: match.start()]}{match.group(1)} {name}{question[match.end() :]}"


_CALLED_THAT = re.compile(
    r"\b(called|named|nicknamed|known\s+as|dubbed)\s+(?:that|this)(?=\s*[?.!]*\s*$)", re.I
)
_ASKS_NAME = re.compile(r"\b(?:name|nickname|called|known\s+as|dubbed)\b", re.I)
_THEN = re.compile(r"\s+then(?=\s*[?.!]*\s*$)", re.I)
# at the question's end: "after that war" names its own point in time, "by that" no time at all
_AFTER_THAT = re.compile(r"\b(after|before|since|until)\s+(?:that|then)(?=\s*[?.!,]|\s*$)", re.I)
_A_TIME = re.compile(
    r"\b(?:\d{4}s?|january|february|march|april|may|june|july|august|september|october|november|december|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|noon|midnight|morning|evening|night)\b",
    re.I,
)
_OPENS_WITH_PREPOSITION = re.compile(r"^(?:in|on|at|around|about|by|since|until|after|before|during)\b", re.I)


def _places(question: str, conversation: Conversation) -> list[Referent]:
    """What a locative "there" of `question` may mean, likeliest first (none without one)."""
    if locative_there(question) is None:
        return []
    context = conversation.said()
    # the answer to "Which region ...?" or "Where ...?" is a place first
    answered = {
        short.group(1).rstrip(".").lower()
        for asked, reply in conversation.exchanges()
        if _LOCATION.match(asked) and (short := _SHORT_ANSWER.match(reply))
    }
    # a surname the articles give someone in full is no place ("Natarajan" of "Dr Priya
    # Natarajan") unless the conversation put it so ("in Jackson"), it answered "Where ...?",
    # or it is on the map ("Kyiv" of "Dynamo Kyiv")
    surnames = _surnames(conversation.articles)
    candidates = [
        c
        for c in conversation.referents()
        if c.text.lower() not in question.lower()
        and not (
            " " not in c.text
            and c.text in surnames
            and not placed_in(c.text, context)
            and c.text.lower() not in answered
            and not on_the_map(c.text)
        )
    ]
    places = place_referents(candidates, context, limit=len(candidates))
    # a name that answered "Where ...?" is a place, whatever it ends with ("Kestrel Mining"),
    # never a time ("Tuesday night") nor a state one is in ("critical condition")
    places += [
        c
        for c in candidates
        if c.text.lower() in answered
        and c not in places
        and c.text[:1].isupper()
        and not _A_TIME.search(c.text)
    ]
    places = sorted(places, key=lambda c: c.text.lower() not in answered)[:3]
    return [replace(c, text=_with_its_the(c.text, conversation.articles)) for c in places]


# the last word of a place's name that English says with "the": a river, a sea, a range
_TAKES_THE = re.compile(
    r"\s(?:River|Sea|Ocean|Gulf|Bay|Channel|Strait|Canal|Islands|Isles|Mountains|Alps|Desert|Lakes|Delta|Basin|"
    r"Strip|Bank|States|Kingdom|Emirates|Republic)$|^(?:Gulf|Bay|Sea|Strait|Isle|Republic)\s+of\b"
)


def _with_its_the(name: str, articles: Sequence[str]) -> str:
    """A place's name as the articles say it inside a sentence: "the Varra River" where they
    put "the" before it more often than not ("Why can't people drink the water in the Varra
    River?"), never "the Varra" of "the Varra River"; "Pinecrest Valley" as it is. Only a
    river's, a sea's, islands', a range's or a state's of more than one word ("the Gaza
    Strip", "the United States"): the reader reads other names as asked."""
    if not name[:1].isupper() or _DETERMINED.match(name):
        return name
    if not _TAKES_THE.search(name):
        return name  # "Ravensburg City Museum", "Lahaina": the reader reads a name as asked
    said = [
        bool(match.group(1))
        for article in articles
        for match in re.finditer(rf"(\b[Tt]he\s+)?(?<![\w-]){re.escape(name)}\b(?!\s+[A-Z])", article)
        # bare only inside a sentence: "The" may have opened one
        if match.group(1) or re.search(r"[\w,]\s*$", article[max(0, match.start() - 3) : match.start()])
    ]
    return f"the {name}" if 2 * sum(said) > len(said) else name


@functools.lru_cache(maxsize=8)
def _surnames(articles: tuple[str, ...]) -> frozenset[str]:
    """The last words of the names of people the `articles` give in full ("Natarajan" of
    "Dr Priya Natarajan"), read once per conversation's articles."""
    return frozenset(n.split()[-1] for n in _full_names(articles) if looks_like_person(n))


# words of a question that name no topic of their own: "Who said that?", "What does that
# mean?", "What happened next?"
_NO_TOPIC_WORDS = frozenset(
    "say said says saying tell told mean means meant happen happens happened next then later else more".split()  # noqa: SIM905
)


def _topical(previous: Sequence[str]) -> str:
    """The latest of the `previous` questions that names what it asks about: "Will the
    government bail the employees out?", not the "Who said that?" asked after it (a topic
    attached to it would say nothing: "Are any other airlines helping, regarding who said
    that?"); the latest where none does."""
    for asked in reversed(previous):
        if set(content_terms(_main_clause(asked))) - _NO_TOPIC_WORDS:
            return asked
    return previous[-1]


def with_topic(question: str, previous: str) -> str:
    """`question` with what the previous question asked about attached, as a question is
    said inside a sentence (`embedded`): "Which other officials took part?" after "Who led
    the negotiations with Prigozhin?" becomes "Which other officials took part, regarding
    who led the negotiations with Prigozhin?"; "Who said that?" after "Will the government
    rescue the airline?" "Who said that, regarding whether the government will rescue the
    airline?"."""
    topic = _main_clause(previous).strip().rstrip("?.! ")  # one topic, never a chain of them
    topic = re.sub(r"^(?:and|but|so)\s+", "", topic, flags=re.I)  # "And will they ...?"
    if not topic:
        return question
    if not re.match(r"I\b", topic):  # "I" stays "I" ("..., regarding whether I should stop?")
        topic = topic[:1].lower() + topic[1:]
    return f"{question.strip().rstrip('?.! ')}, regarding {embedded(topic)}?"


_WH_WORDS = frozenset("what who whom whose which where when why how".split())  # noqa: SIM905
_BE_FORMS = frozenset(("is", "are", "was", "were"))
# an auxiliary as the tagger reads it: "ca" and "wo" of "can't" and "won't" too
_INVERTED = _AUXILIARY_WORDS | {"ca", "wo"}


def embedded(question: str) -> str:
    """A question as it reads inside a sentence ("regarding whether ..."): "will the
    government bail the employees out" → "whether the government will bail the employees
    out"; "what did Libya announce in response" → "what Libya announced in response"; "why
    wasn't Kassel a lot worse" → "why Kassel wasn't a lot worse". One asked of its subject
    ("who led the talks", "how many flights were scrapped") reads so already; one whose
    words the tagger does not read as a subject and its verb stays as it is, and so does a
    negative one of "anyone" ("why didn't anyone stop him": not "why anyone didn't")."""
    text = question.strip().rstrip("?.! ")
    tokens = list(tagged(text))
    spans = [span for span in word_spans(text) if span is not None]
    if not tokens or len(spans) < len(tokens) or any(word in ".;:!?" for word, _, _ in tokens):
        return question  # more than one sentence ("I'm on the drug. should I stop")
    lower = [word.lower() for word, _, _ in tokens]
    _retag_for_subject(tokens, lower)

    def said(first: int, last: int | None = None) -> str:  # the words first..last as written
        last = len(tokens) if last is None else last
        return text[spans[first][0] : spans[last - 1][1]] if first < last else ""

    # the question word and its phrase ("which wins", "how many people"), up to an
    # auxiliary; none asks whether
    at = 0
    if lower[0] in _WH_WORDS:
        at = next((n for n in range(1, min(len(lower), 5)) if lower[n] in _INVERTED), 0)
        if not at:
            return question  # its subject asked ("which volcano erupted", "what happened")
    elif lower[0] not in _INVERTED:
        return question
    negated = at + 1 < len(tokens) and lower[at + 1] == "n't"
    start = at + 2 if negated else at + 1
    end = _noun_phrase_end(tokens, start)
    # "that" alone before a phrase that runs to the end: of "is that good news", "does that
    # matter" (after "do" or a modal one word: "what did those boundaries cause" has its
    # verb read as a noun), never where "is" asks what it is ("how old is that pipe")
    being = lower[at] in _BE_FORMS
    # ("why is that bad news", "how is this news": said of "that" as in a yes/no question)
    said_of_that = being and (not at or (at == 1 and lower[0] in ("why", "how")))
    # "will that change anything": a plain verb before what it is done to
    verb_next = (
        not being
        and start + 2 < len(tokens)
        and _is_plain_verb(lower[start + 1])
        and (tokens[start + 2][1] in ("DT", "PRP", "PRP$", "NNS") or lower[start + 2] in _INDEFINITE)
    )
    if (
        lower[start] in _DEMONSTRATIVES
        and end > start + 1
        and (
            ((said_of_that or (not being and end == start + 2)) and _ends_the_question(tokens, end))
            or verb_next
        )
    ):
        # "is that good news (for him)", "does that matter": "that" alone is the subject
        tokens[start] = (tokens[start][0], "PRP", tokens[start][2])
        end = start + 1
    if end == start or (negated and lower[start].startswith("any")):
        return question  # "who was killed", "what is going on": the question word is the subject
    opening = said(0, at) if at else "whether"
    auxiliary = said(at, start)  # "wasn't", "can't" as written
    if lower[at] in _BE_FORMS:
        # "is the mayor of Oslo going to resign", "is anyone interested in ...", "what is
        # Boris Grislov's position", "was it arson"; never where the question's phrase has a
        # noun that may be the subject ("which court is the highest court ..."), unless a
        # pronoun after it is, with nothing or a preposition after ("whose son was he",
        # "whose land was it on"), nor a noun after a subject of nouns ("are most species
        # hermaphrodites": where the subject ends is not read)
        pronoun = end == start + 1 and tokens[start][1] == "PRP"
        if not at and end == len(tokens) and not pronoun:
            return question  # "were the victims of the crash children": where the subject ends is not read
        asked_of_pronoun = pronoun and (
            end == len(tokens) or (end + 1 == len(tokens) and tokens[end][1] in ("IN", "RP"))
        )
        if not asked_of_pronoun and (
            at > 2
            or (at == 2 and lower[0] != "how")
            or any(tag.startswith("NN") for _, tag, _ in tokens[1:at])
        ):
            return question  # "how many of those are trucks": the question's phrase is the subject
        if lower[start].endswith("ing") and tokens[start][1].startswith("NN"):
            return question  # "who is footing the bill": a verb the tagger read as a noun
        # after a pronoun, a clause of its own may follow ("how old was he when he chose it")
        follows = (
            "VBG", "VBN", "VBD", "JJ", "RB", "IN", "DT", *(("NN", "CD", "PRP$", "WRB") if pronoun else ())
        )  # fmt: skip
        relative = not pronoun and end < len(tokens) and lower[end] in _RELATIVES
        # a clause said without "that" ("the hotel the Panthers chose", "the company he
        # founded") opens with a noun phrase of its own
        clause_end = _noun_phrase_end(tokens, end) if end < len(tokens) else end
        contact = (
            not pronoun
            and end < len(tokens)
            and tokens[end][1] in ("DT", "NNP", "NNPS", "PRP")
            and not lower[end].endswith(("self", "selves"))
            # its own verb after its noun phrase ("the hotel the team chose"), never a
            # noun the subject is ("what is Paris the capital of")
            and clause_end < len(tokens)
            and tokens[clause_end][1].startswith(("VB", "MD"))
        )
        # the question word asks what the subject is, its clause and all: "who the skipper
        # of the boat that helped was"; "how old were the rock samples found on the moon":
        # what follows is the subject's ("found on the moon", never "expected to be")
        clause = (relative or contact) and _asks_what_it_is(lower[0]) and not _said_of_after(tokens, end)
        found_where = (
            at == 2
            and lower[1] in _PROPERTIES
            and not pronoun
            and end + 1 < len(tokens)
            and tokens[end][1] == "VBN"
            and tokens[end + 1][1] == "IN"
        )
        if clause or found_where:
            return _joined(opening, said(start), auxiliary)
        if end < len(tokens) and (not tokens[end][1].startswith(follows) or lower[end] == "of" or relative):
            # "was the man who died a farmer": where the subject's clause ends is not read
            # ("is it that hard", "who was it that called" are said of "it")
            return question
        if pronoun and end < len(tokens) and lower[end] == "about":
            return question  # "what is this about a library book": asked of what is said, as it is
        if end < len(tokens) and tokens[end][1] == "IN" and not pronoun:
            # a phrase of the subject's own before what is said of it, or at the end: "why
            # are people in Pellerby being told ...", "is the bridge over the river safe",
            # "what is the largest stadium in Australia"
            after = _noun_phrase_end(tokens, end + 1)
            said_of = after < len(tokens) and (
                tokens[after][1].startswith(("VBG", "VBN", "JJ", "RB"))
                or (bool(at) and tokens[after][1] == "IN")  # "why are teachers in Valmora on strike"
                # "was the testing of the LM during Apollo 5 a failure"
                or (not at and tokens[after][1] == "DT")
            )
            if (
                _asks_what_it_is(lower[0])
                and after < len(tokens)
                and lower[after] in _RELATIVES
                and end + 1 < after
                and not _said_of_after(tokens, after)
            ):
                # "what is the name of the area past the border that the region extends into"
                return _joined(opening, said(start), auxiliary)
            # (never "are farmers on the shops' side", "how long was he at it": what is said)
            if end + 1 < after and (said_of or (after == len(tokens) and at and not pronoun)):
                end = after
        return _joined(opening, said(start, end), auxiliary, said(end))
    # an adverb before the verb goes with it ("when did they last check": "last checked").
    # The verb: the word after the subject ("has the company paid", "will the strike last",
    # "did the blood pressure drug get"), after "has" or "had" a participle only ("which
    # farm had it first": "had" is the verb); else, after "do" or a modal (a verb must
    # follow: "who has the power plant" has none), the subject's last word read as a noun
    # after a noun ("did Nixon request", "how much did it cost to build", "can the court
    # review the case"); else the tagger's plain verb after "do" ("did new teachers in
    # Valmora earn")
    adverb = end if end + 1 < len(tokens) and lower[end] in _BEFORE_THE_VERB else None
    if (
        adverb is not None
        and tokens[end + 1][1].startswith(("JJ", "RB", "IN"))
        and not (lexicon_tag(lower[end + 1]) or "").startswith("VB")
    ):
        adverb = None  # "did the call last long": "last" is the verb
    if adverb is not None:
        end += 1
    after_have = lower[at] in ("has", "have", "had")
    verb = (
        end
        if end < len(tokens)
        and (
            tokens[end][1] in ("VBN", "VBD") or lower[end] == "been"
            if after_have
            else tokens[end][1].startswith("VB") or _is_plain_verb(lower[end])
        )
        else None
    )
    if verb is None and (lower[at] in DO_FORMS or tokens[at][1] == "MD"):
        verb = next(
            (
                n
                for n in reversed(range(start + 1, end))
                if tokens[n - 1][1].startswith(("NN", "PRP")) and _is_plain_verb(lower[n])
            ),
            None,
        )
    if verb is None and lower[at] in DO_FORMS:
        verb = next((n for n in range(start + 1, len(tokens)) if tokens[n][1] in ("VB", "VBP")), None)
    if (
        verb is None
        and tokens[at][1] == "MD"
        and end + 1 < len(tokens)
        and lower[end] not in _BEFORE_THE_VERB
        and tokens[end][1] in ("RB", "RP", "NN", "JJ")
        and tokens[end + 1][1] in ("PRP", "PRP$", "DT", "NNP")
    ):
        # after "will" and its subject a verb, whatever the tagger read: "will the council back her"
        verb = end
    if verb is None:
        return question
    later = verb + 1
    while later < len(tokens) and tokens[later][1].startswith("NN"):
        later += 1
    if later > verb + 1 and later < len(tokens) and tokens[later][1] in ("VB", "VBP"):
        verb = later  # "will the ski lift firm get": "lift" was a noun of the subject
    subject = said(start, verb)
    if lower[at] in DO_FORMS and not negated:
        if re.search(r"\bnot$", subject):  # "did the pilot not see": "the pilot did not see"
            return _joined(opening, subject[:-4].rstrip(), auxiliary, "not", said(verb))
        form = {"did": _past(lower[verb]), "does": _third_person(lower[verb]), "do": lower[verb]}[lower[at]]
        if form is None:
            return question
        return _joined(opening, subject, form, said(verb + 1))
    if adverb is not None and verb == adverb + 1:  # "whether it has ever happened"
        return _joined(opening, said(start, adverb), auxiliary, said(adverb))
    return _joined(opening, subject, auxiliary, said(verb))


# what "a" says of an amount, not of a thing ("a lot of", "a number of")
_AMOUNT_WORDS = frozenset(
    [
        "lot",
        "lots",
        "bit",
        "number",
        "couple",
        "few",
        "handful",
        "kind",
        "sort",
        "type",
        "piece",
        "lack",
        "range",
        "series",
        "total",
        "majority",
    ]
)


def _said_with_a(phrase: str, question: str) -> bool:
    """Whether `question` says `phrase` after "a" or "an" ("an auction record"), not of an
    amount ("a lot of people")."""
    return phrase.split()[0].lower() not in _AMOUNT_WORDS and bool(
        re.search(rf"\b(?:a|an)\s+{re.escape(phrase)}\b", question)
    )


def _asks_what_it_is(first: str) -> bool:
    """Whether a question opening with `first` asks what its subject is ("what", "who",
    "which"), so that all after "is" is the subject's, its clauses too."""
    return first in ("what", "who", "which", "whose")


def _said_of_after(tokens: Sequence[tuple[str, str, str]], at: int) -> bool:
    """Whether a participle follows `at`, which may be what is said of the subject after its
    clause ("what were Huguenots who stayed in France known as"): where that clause ends is
    not read."""
    return any(tag in ("VBN", "VBG") for _, tag, _ in tokens[at:])


# what a verb may be done to, said alone ("change anything")
_INDEFINITE = frozenset(
    "anything anyone anybody everything everyone everybody something someone somebody nothing nobody".split()  # noqa: SIM905
)
# words that open a clause of a noun ("the boat that helped")
_RELATIVES = frozenset(("that", "which", "who", "whom", "whose"))
# what "how ...?" asks of a thing itself ("how old", "how high")
_PROPERTIES = frozenset("old high big tall deep wide large heavy small long-lived".split())  # noqa: SIM905


def _ends_the_question(tokens: Sequence[tuple[str, str, str]], end: int) -> bool:
    """Whether nothing but a phrase of a preposition follows `end` ("is that bad news for
    him": "for him"); a noun phrase that runs so far says nothing of itself."""
    if end < len(tokens) and tokens[end][1] == "IN":
        end = _noun_phrase_end(tokens, end + 1)
    return end == len(tokens)


# words a question's subject follows: an auxiliary ("is", "ca" of "can't"), or its "n't"
_SUBJECT_FOLLOWS = _INVERTED | {"n't"}
# a share of something ("any of the parents", "some of them")
_SHARES = frozenset("any some none all each many most several both either neither one few".split())  # noqa: SIM905


def _retag_for_subject(tokens: list[tuple[str, str, str]], lower: Sequence[str]) -> None:
    """The tags of a question's words as its subject reads, put right in place where the
    tagger's are of another use: a demonstrative before its noun a determiner ("that
    package"), alone a pronoun ("was that more than expected", the tagger's "that" of "so
    that"); "there" of "is there" a pronoun; a share of something ("any of the parents") a
    noun; a verb after "the" a noun ("the call"); an "-ing" word between a noun and what it
    is done to a verb ("is anyone planning to replace it": not a noun "planning")."""
    for n, (word, tag, chunk) in enumerate(tokens):
        after = tokens[n + 1][1] if n + 1 < len(tokens) else ""
        inverted = n > 0 and lower[n - 1] in _SUBJECT_FOLLOWS  # "is that", "wasn't there"
        if lower[n] in _DEMONSTRATIVES and inverted:
            # its noun after any adjectives ("this short termed organization")
            described = next(
                (t for _, t, _ in tokens[n + 1 : n + 5] if not t.startswith(("JJ", "VBN", "RB"))), ""
            )
            # (an adjective first: "that changed things", "this affected prices" are verbs)
            second = tokens[n + 2][1] if n + 2 < len(tokens) else ""
            before_noun = after.startswith("NN") or (
                described.startswith("NN")
                and (after.startswith("JJ") or (after.startswith("RB") and second.startswith(("JJ", "VBN"))))
            )
            tokens[n] = (word, "DT" if before_noun else "PRP", chunk)
        elif tag == "EX" and inverted:
            tokens[n] = (word, "PRP", chunk)
        elif lower[n] in _SHARES and inverted and after == "IN":
            if n + 1 < len(tokens) and lower[n + 1] == "of":
                tokens[n] = (word, "NN", chunk)
        elif tag in ("VB", "VBP") and n and lower[n - 1] in ("the", "a", "an"):
            tokens[n] = (word, "NN", chunk)  # "did the call last", "has the pass been blocked"
        elif (
            lower[n].endswith("ing")
            and tag.startswith("NN")
            and n
            and tokens[n - 1][1].startswith("NN")
            and after in ("TO", "PRP", "PRP$")
        ):
            tokens[n] = (word, "VBG", chunk)


def _joined(*parts: str) -> str:
    """Words of a question put in another order, one text: "why it failed, according to
    the engineer" (no space before a comma)."""
    joined = re.sub(r"\s+([,;:])", r"\1", " ".join(part for part in parts if part))
    return re.sub(r"(?<=\w)\s+(['’](?:ve|ll|re|m|d))(?=\s|$)", r"\1", joined)  # "there would've been"


# adverbs said between a subject and its verb
_BEFORE_THE_VERB = frozenset("last first ever really actually also still just never already even".split())  # noqa: SIM905


# tags of the words a subject's noun phrase is made of: its determiner or owner first
_PHRASE_OPENS = ("DT", "PRP", "CD", "JJ", "NN")
_NOUN_TAGS = ("NN", "NNS", "NNP", "NNPS", "CD", "PRP")


def _noun_phrase_end(tokens: Sequence[tuple[str, str, str]], start: int) -> int:
    """Where the noun phrase at `start` ends, read by the tags: a determiner or an owner,
    adjectives, nouns ("the blood pressure drug"), an owner's "'s" and its noun ("Boris
    Grislov's position"), an "of" phrase ("the mayor of Oslo"); `start` where none is there
    ("who was killed"). After a noun only a noun goes on ("anyone interested": the
    adjective is said of it)."""
    at, nouned, opened = start, False, start
    while at < len(tokens):
        word, tag, _ = tokens[at]
        if tag == "POS" and nouned:
            nouned = False  # "Grislov's": its noun follows
        elif (
            word.lower() == "of"
            and nouned
            and at + 1 < len(tokens)
            and tokens[at + 1][1].startswith(_PHRASE_OPENS)
        ):
            nouned, opened = False, at + 1  # "the mayor of the city": a phrase of its own follows
        elif tag == "PRP" and at == start:
            return start + 1  # a pronoun is a phrase of its own ("was it arson")
        elif tag == "PRP" and tokens[at - 1][0].lower() == "of":
            nouned = True  # "the rest of it"
        elif word.lower() == "else" and nouned:
            pass  # "anybody else"
        elif tag == "CD" and at + 1 < len(tokens) and tokens[at + 1][1].startswith(("JJ", "NN")):
            pass  # a number before its noun: "the three major types"
        elif tag in _NOUN_TAGS and tag != "PRP":
            nouned = True
        elif (
            not nouned and tag.startswith(("DT", "PRP$", "JJ")) and (at == opened or not tag.startswith("DT"))
        ):
            pass
        else:
            break
        at += 1
    return at if nouned else start


def _third_person(verb: str) -> str | None:
    """A plain verb's third person present ("prefer" → "prefers", "try" → "tries", "go" →
    "goes", "have" → "has"), where the tagger's lexicon knows it; else None."""
    verb = verb.lower()
    if verb in ("have", "be"):
        return {"have": "has", "be": "is"}[verb]
    if verb.endswith("y") and len(verb) > 2 and verb[-2] not in "aeiou":
        form = verb[:-1] + "ies"
    elif verb.endswith(("s", "sh", "ch", "x", "z", "o")):
        form = verb + "es"
    else:
        form = verb + "s"
    return form if lexicon_tag(form) in ("VBZ", "NNS") else None  # "works", "costs": the lexicon's nouns


_DETERMINED = re.compile(r"(?:the|a|an|this|that|these|those|his|her|its|their|our|my|your)\b", re.I)


def condense_alternatives(question: str, history: Sequence[Any] | Conversation, limit: int = 3) -> list[str]:
    """The readings of a follow-up, the rule's first: a pronoun put as each of its plausible
    referents ("he" after "Who led the talks with Prigozhin?" may be the answer or
    Prigozhin), "there" as each place, an ellipsis asked in place of each phrase of the last
    question, a question that says "other" or "instead" with and without the last question's
    topic. The pipeline lets the articles choose among them; a question that stands alone
    has one reading, itself."""
    conversation = Conversation.from_history(history)
    question = about_then_asked(question)
    found = pronouns(question)
    if not conversation.standalone_questions():
        return [question]
    which = which_one_was_it(question, conversation)
    if which is not None:
        return [which]
    quoted = who_said_it(question, conversation)
    if quoted is not None:  # the articles may still say who said it of the whole exchange
        return [quoted, with_topic(question, conversation.standalone_questions()[-1])]
    if not (found or needs_context(question)):
        # a follow-up that names nothing ("Who was on board?", "Which cities were hit
        # first?") may still be about the conversation's topic. One that says "the"
        # something ("How did the crew get back?") or names no thing at all ("Which cities
        # were hit first?") most likely is, and says so in what is shown ("searched for:
        # ..., regarding Apollo 13"), as asked read where that is answered poorly; one of
        # its own ("What causes tides?") is read as asked first
        # a description said in full before ("the embargo" of "the 1973 oil embargo") is
        # put so, as the rule puts it (`condense_by_rule`)
        resolved = resolve_descriptions(question, conversation.referents(), conversation.articles)
        named = [
            reading
            for phrase, noun in bare_descriptions(resolved)
            for reading in _named_readings(resolved, phrase, noun, conversation)
        ]
        if named:  # as asked first: the conversation's article may call it so
            return [resolved, *named][:limit]
        topical = topic_reading(question, conversation)
        if topical is None:
            return [resolved]
        if resolved != question:
            return [resolved, topical]
        leans = bool(definite_phrases(question)) or not noun_phrases(question)
        return [topical, question] if leans else [question, topical]
    subject = ellipsis_subject(question)
    if subject is not None:
        return _ellipsis_readings(question, subject, conversation)[:limit]
    # a question that names someone may still point elsewhere ("What did he gain from
    # Putin's refusal?"): it comes first as it is, and the articles decide
    options = [condense_by_rule(question, conversation) if needs_context(question) else question]
    resolved = _said_before(question, conversation)
    placed = resolved
    places = _places(resolved, conversation)
    if places:
        placed = put_there(resolved, places[0].text)
        options += [put_there(resolved, p.text) for p in places[1:] if not found]
    if _DEPENDENT.search(question) and not found:
        # it says it leans on the last question; the articles may still answer it as asked,
        # which comes first when it names what it is about ("What did Nordtide say instead?")
        besides = _besides(options[0] if options[0] != question else placed, conversation)
        if options[0] == question:
            return [*options, *besides][:limit]
        # so does one that says what it is about ("Who else was in the negotiating group?")
        own = names(question) or definite_phrases(question)
        ordered = [question, options[0]] if own else [options[0], question]
        return [*besides, *ordered][:limit] if besides else ordered
    referents = conversation.referents()
    if not found:
        # "What did those boundaries cause?" when nothing earlier is called so: each thing
        # the conversation named, as the articles judge
        for phrase, noun in bare_descriptions(options[0]):
            named = _named_readings(options[0], phrase, noun, conversation)
            if named:
                options += named
                continue
            kind = "they" if noun.endswith("s") else "it"
            # "those talks" are many: never one who may be a person ("Who led Prigozhin?")
            fitting = [
                r
                for r in referents
                if not r.quoted
                and not (kind == "they" and (r.person or could_be_person(r.text)) and not is_group(r.text))
            ]
            for referent in plausible_referents(kind, fitting, limit):
                if not named_in(referent.text, options[0]):
                    # "the score of Super Bowl 50", never "Super Bowl 50" for "the score"; but
                    # "that name" is "the name oxygen" itself
                    said = noun in referent.text.lower().split()
                    if not said and not _of_in_articles(noun, referent.text, conversation.articles):
                        continue  # "the helicopter" is never "the helicopter of the cargo ship"
                    owner = referent.text
                    if owner[:1].islower() and not _DETERMINED.match(owner):
                        owner = f"the {owner}"  # "the operator of the strike", not "of strike"
                    options.append(
                        _put(options[0], phrase, referent.text if said else f"{phrase} of {owner}")
                    )
        if options == [question] and bare_descriptions(question):
            # "the crew", "the break-in", "the rocket" that nothing the conversation named
            # is called: as asked, and where that is answered poorly, asked of what the
            # conversation is about ("When did the break-in happen, regarding Ravensburg?");
            # the topic's words first pulled answers to the story's lead
            topical = _with_first_topic(question, conversation)
            if topical is not None:
                return [question, topical]
        return list(dict.fromkeys(options))[:limit]
    # a name the person never asked about is no reading
    asked = _fitting(question, [r for r in referents if not r.quoted], conversation)
    fitting = _fitting(question, referents, conversation)  # the other pronouns' too ("her")
    context = " ".join(conversation.articles)
    if _their_people(question) and not any(is_organisation(r.text, context) for r in asked):
        # "What did their boss say?" after "Who makes it?" answered "Alvera Pharmaceuticals":
        # the organisation an answer named, though never asked about
        asked = [r for r in fitting if is_organisation(r.text, context)][:1] + asked
    for referent in plausible_referents(found[0], asked, limit):
        rewritten = resolve_descriptions(
            substitute(placed, fitting, forced=referent), referents, conversation.articles
        )
        if rewritten not in options:
            options.append(rewritten)
    return options[:limit]


# what a company is called again ("the company", "the firm", "the carrier")
_COMPANY_NOUN = re.compile(
    r"company|firm|business|maker|manufacturer|producer|carrier|airline|operator|retailer|supplier|"
    r"insurer|lender|publisher",
    re.I,
)


def _named_readings(question: str, phrase: str, noun: str, conversation: Conversation) -> list[str]:
    """A description of a follow-up ("the company", "the union") as what the conversation
    or its articles name so: each company named (`_company_readings`), or the short name
    the articles define for a body of that noun ("the VTU" of "the Valmora Teachers' Union
    (VTU)"), which the articles then use ("Isabel Marchetti, president of the VTU")."""
    readings = _company_readings(question, phrase, conversation) if _COMPANY_NOUN.fullmatch(noun) else []
    if _GENERAL_PLACE.fullmatch(noun):
        readings += _place_readings(question, phrase, conversation)
    short = _defined_short_names(noun, conversation.articles)
    return (
        readings
        + [_put(question, phrase, f"the {name}") for name in short if not named_in(name, question)][:1]
    )


# a general noun that stands for a place named before: "Who owns the place?" after a
# question about an outbreak at a farm is of the farm; the articles never call it so
_GENERAL_PLACE = re.compile(r"place|spot", re.I)


def _place_readings(question: str, phrase: str, conversation: Conversation) -> list[str]:
    """ "the place" of a follow-up as each place the conversation named, at most two, the
    latest first: a name GeoNames lists, or a phrase whose last word is a place's ("the
    farm", "Hollin Farm", "the Kessler Bridge"); never a person."""
    places = [
        r.text
        for r in conversation.referents()
        if not r.person
        and not could_be_person(r.text)
        and (PLACE_NOUN.fullmatch(r.text.split()[-1].lower()) or on_the_map(r.text))
    ]
    return [_put(question, phrase, text) for text in places[:2]]


@functools.lru_cache(maxsize=64)
def _defined_short_names(noun: str, articles: tuple[str, ...]) -> tuple[str, ...]:
    """The short names `articles` define for bodies named with `noun` last: "VTU" of "the
    Valmora Teachers' Union (VTU)", "EPA" of "the Environmental Protection Authority
    (EPA)"."""
    if not noun.isalpha() or noun.endswith("s"):
        return ()
    defined = re.compile(rf"\b(?:[A-Z][\w'’&-]*\s+){{1,5}}{noun.capitalize()}\s+\(([A-Z]{{2,6}})\)")
    return tuple(dict.fromkeys(m.group(1) for text in articles for m in defined.finditer(text)))


def _company_readings(question: str, phrase: str, conversation: Conversation) -> list[str]:
    """ "the company" of a follow-up after a story of one as each company the conversation
    named (`is_company`), at most two, those asked about first, then those only an answer
    quoted (the company of the story a first answer told): "Who runs Kestrel Mining?",
    never "the company of Halden Creek"."""
    context = " ".join(conversation.articles)
    referents = sorted(conversation.referents(), key=lambda r: r.quoted)
    return [
        _put(question, phrase, r.text)
        for r in referents
        if is_company(r.text, context) and not named_in(r.text, question)
    ][:2]


def _of_in_articles(noun: str, owner: str, articles: Sequence[str]) -> bool:
    """Whether the conversation's `articles` say a `noun` of `owner`: the noun within a few
    words of the owner's last word ("the ship's captain", "the captain of the ship", "Oslo
    recorded a temperature"), never words apart in a sentence ("The helicopter winched seven
    crew members from the deck before the ship began to list": no helicopter of the ship);
    True where the articles are not known."""
    if not articles:
        return True
    last = re.escape(owner.split()[-1])
    stem = re.escape(noun[:-1] if noun.endswith("s") and len(noun) > 4 else noun)
    near = r"[\s,]+(?:[\w’'-]+[\s,]+){0,3}?"
    noun_said = rf"\b{stem}(?:s|es)?(?:['’]s)?"  # "captain", "captains", "captain's"
    together = re.compile(rf"{noun_said}{near}{last}\b|\b{last}[\w’']*{near}{noun_said}\b", re.I)
    return any(together.search(text) for text in articles)


def topic_reading(question: str, history: Sequence[Any] | Conversation) -> str | None:
    """A follow-up that names nothing (no name, no number, no pronoun, nothing it leans on)
    asked about what the conversation is about: the first name its first question asked
    about ("Who was on board, regarding Apollo 11?" after "When did Apollo 11 land on the
    Moon?"); None for any other question, or a first one."""
    conversation = Conversation.from_history(history)
    if pronouns(question) or needs_context(question):
        return None
    return _with_first_topic(question, conversation)


def _with_first_topic(question: str, conversation: Conversation) -> str | None:
    """`question` with the first name its conversation's first question asked about
    attached ("..., regarding Apollo 11?"), or where the conversation has moved to another
    story, the first question's about that story (its latest article says the name); None
    for a first question, one that names something or says a number of its own, or where
    the first question named nothing."""
    asked_before = conversation.standalone_questions()
    if not asked_before or names(question) or re.search(r"\d", question):
        return None
    first, asked = asked_before[0], _topic_names(asked_before[0], question)
    if conversation.articles and asked and not _said_in(asked[0], conversation.articles[0]):
        # the conversation has moved to another story: the first question that named
        # something its latest article says is what it is about now
        moved = [(q, _topic_names(q, question)) for q in asked_before[1:]]
        first, asked = next(
            ((q, found) for q, found in moved if found and _said_in(found[0], conversation.articles[0])),
            (first, asked),
        )
    if not asked:
        return None
    # "the Black Death", never "the Apollo 13" of "the Apollo 13 landing"
    the = re.search(rf"\bthe\s+{re.escape(asked[0])}(?!\s+[a-z])", first, re.I)
    # "southern California" as the question said it, not California
    part = re.search(rf"\b(?:(?:north|south|east|west)(?:ern)?|central)\s+{re.escape(asked[0])}\b", first)
    topic = part.group(0) if part else f"{'the ' if the else ''}{asked[0]}"
    return f"{question.strip().rstrip('?.! ')}, regarding {topic}?"


def _topic_names(asked: str, question: str) -> list[str]:
    """The names an earlier question `asked` about that `question` does not name; a
    people's adjective before its noun is no topic ("Indonesian" of "Which Indonesian
    volcano erupted?"; "Total" of "Why did Total cut jobs?" is one), nor one of its people
    ("European" of "Who was the first European to travel the Amazon?")."""
    tokens = tagged(asked)
    adjectives = {
        word
        for (word, tag, _), (_, after, _) in itertools.pairwise(tokens)
        if tag == "JJ" and after.startswith("NN")
    }
    return [
        n
        for n in names(asked)
        if not named_in(n, question) and n not in adjectives and not _a_peoples_word(n)
    ]


def _a_peoples_word(name: str) -> bool:
    """Whether `name` may be one of a people ("Indonesian", "European", "Chinese"), never a
    first name ("Christian", "Roman") nor a place ("Pakistan", "Milan")."""
    return _PEOPLE_WORD.fullmatch(name) is not None and not is_first_name(name) and not on_the_map(name)


# one of a people ("European", "Russian", "Chinese", "British"); "Christian" is a name too
_PEOPLE_WORD = re.compile(r"[A-Z][a-z]{2,}(?:ean|ian|an|ese|ish|i)")


def _said_in(name: str, article: str) -> bool:
    return re.search(rf"\b{re.escape(name)}\b", article, re.I) is not None


_OTHER = re.compile(r"\b(?:other|others|else|another)\b", re.I)


# words that lean on an attached topic ("Who else was there?", "... did the same?")
_LEANS_ON_TOPIC = re.compile(r"\b(?:there|so|same|it|that|this|then|those|these)\b", re.I)


def _countries(text: str) -> list[str]:
    """The countries `text` names, two said with "and" each ("Libya and Saudi Arabia");
    never a name that may be someone's ("Jordan")."""
    found = [part for name in names(text) for part in re.split(r"\s+and\s+", name)]
    return [n for n in found if is_country(n) and not could_be_person(n)]


def _latest_named(asked: Sequence[str], named: Callable[[str], list[str]]) -> list[str]:
    """What `named` finds in the main clause of the latest of the questions `asked` in which
    it finds any; [] where none."""
    return next((found for q in reversed(asked) if (found := named(_main_clause(q)))), [])


# "other" companies: besides the one the conversation is about
_OTHER_COMPANIES = re.compile(
    r"\b(?:other|another)\s+(?:[\w-]+\s+)?(?:airlines?|carriers?|compan(?:y|ies)|firms?|banks?|businesses|"
    r"operators?|lenders?|insurers?|manufacturers?|makers?|retailers?|suppliers?|chains?)\b",
    re.I,
)
# "other" countries: besides those named (GeoNames' countries and US states)
_OTHER_COUNTRIES = re.compile(
    r"\b(?:other|another)\s+(?:[\w-]+\s+)?(?:countries|country|states?|nations?)\b", re.I
)
# "other" bodies, places or things, never people ("other company executives" are): no
# person is put "besides" them
_OTHER_THINGS = re.compile(
    r"\b(?:other|another)\s+(?:[\w-]+\s+)?(?:airlines?|carriers?|compan(?:y|ies)|firms?|banks?|businesses|"
    r"countries|country|states?|nations?|towns?|cities|city|villages?|regions?|places?|teams?|clubs?|"
    r"operators?|products?|drugs?|things?|ways?|reasons?|options?|sites?|plants?|factories|schools?|"
    r"hospitals?|mines?|rivers?|buildings?)\b"
    # "other company executives", "other state officials" are people
    r"(?!\s+(?:officials?|executives?|members?|staff|workers?|players?|leaders?|bosses|boss|managers?|"
    r"employees?|directors?|chiefs?|people|owners?|spokes\w*|representatives?|ministers?)\b)",
    re.I,
)


def _besides(question: str, conversation: Conversation) -> list[str]:
    """ "Which other officials were among the negotiators?" asked of what the conversation
    already named: "... besides Boris Grislov and Nikolai Patrushev?" (the latest answer when
    it is a name that answered "who", else the people the latest two questions asked about);
    "Which other states joined the embargo?" besides the countries the latest question (else
    the one before) named; [] when it says no "other" or "else", of other things, or nothing
    was named. A topic attached (`with_topic`) stays where it names more: "..., regarding
    who headlined the halftime show?"."""
    question, _, topic = question.partition(", regarding ")
    if not _OTHER.search(question):
        return []
    answers = conversation.previous_answers()
    asked = conversation.standalone_questions()
    things = _OTHER_THINGS.search(question) is not None
    companies = _OTHER_COMPANIES.search(question) is not None
    if things:
        # other bodies or places are never besides a minister
        if companies:
            # "Are any other airlines helping?" besides the company the conversation is
            # about: the latest question that names one ("Why did SkyLark Air collapse?")
            context = " ".join(conversation.articles)
            named = _latest_named(asked, lambda q: [n for n in names(q) if is_company(n, context)])[:1]
        elif not _OTHER_COUNTRIES.search(question):
            return []
        else:
            # "Which other states joined the embargo?": the latest question's countries, else
            # the one before's ("Israel", the aid went to, is none); "Libya and Saudi Arabia"
            # each; "Jordan" may be someone: no country put besides
            named = _latest_named(
                asked[-2:], lambda q: [_with_its_the(n, conversation.articles) for n in _countries(q)]
            )
    else:
        latest = answers[0].strip().rstrip(".") if answers else ""
        who = bool(asked) and _asks_who(_main_clause(asked[-1]))
        named = [latest] if who and names(latest) == [latest] else []
    if not named and not things:
        named = [n for q in reversed(asked[-2:]) for n in names(_main_clause(q)) if looks_like_person(n, q)]
    named = [n for n in dict.fromkeys(named) if not named_in(n, question)][:2]
    if not named:
        return []
    # a topic that names only those put besides says nothing more ("..., regarding what
    # Libya announced in response?")
    said = names(topic)
    # nor does one beside the company other companies are besides ("Are any other airlines
    # helping, regarding whether the government will bail the employees out?")
    only_named = bool(said) and all(any(n in m or m in n for m in named) for n in said)
    if (only_named or companies) and not _LEANS_ON_TOPIC.search(question):
        topic = ""
    rest = f", regarding {topic.strip()}" if topic.strip() else "?"
    return [f"{question.strip().rstrip('?.! ')} besides {' and '.join(named)}{rest}"]


def _put(question: str, phrase: str, text: str) -> str:
    """`question` with its first `phrase` put as `text` ("the" kept lower-case inside)."""
    start = question.find(phrase)
    if start > 0 and text.lower().startswith("the "):
        text = "the " + text[4:]
    rewritten = question[:start] + text + question[start + len(phrase) :]
    return rewritten[:1].upper() + rewritten[1:]


_POSSESSED = re.compile(r"['’]s?\s|\b(?:his|her|its|their|my|our|your)\s", re.I)


def _ask_of(previous: str, subject: str, referents: Sequence[Referent]) -> str | None:
    """The previous question asked about `subject` instead of what it was about: the
    referent of the same shape ("the Kingdom of Sicily" for "the Principality of Antioch",
    a person for a person), never the phrase the question asks for ("Which Norman")."""
    own = re.match(r"^(.+)['’]s\s+(\S.*)$", subject)  # the whole owner: "Halden's new bridge"
    if own is not None:  # "Nikola Tesla's mother" after "What did Nikola Tesla's father do?"
        owner = own.group(1).split()[-1]
        parallel = re.search(rf"\b{re.escape(owner)}['’]s\s+([\w-]+)", previous)
        if parallel is not None:
            return previous[: parallel.start(1)] + own.group(2) + previous[parallel.end(1) :]
    # what a "how many" counts is put in place of by its like ("And Republicans?" after "How
    # many Democrats voted?", "And gas?" after "How much oil ..."), never a common noun by
    # one name ("How many Carolina did the Broncos score?")
    one_name = subject[:1].isupper() and not subject.endswith("s")

    def asked_for(text: str) -> bool:
        before = previous[: previous.find(text)]
        counted = one_name and text[:1].islower() and re.search(r"\bhow\s+(?:many|much)\s+$", before, re.I)
        return bool(counted or re.search(r"\b(?:which|what|whose)\s+$", before, re.I))

    present = [
        r
        for r in referents
        if r.text in previous and not asked_for(r.text) and _may_stand_for(subject, r, referents)
    ]
    if not present:
        return None

    # people asked of ("the farmers") are put in place of people ("people"), never of a
    # thing that shares their "the" ("Why can't people drink the farmers?"); a body, a country
    # or one's own ("the government", "Israel", "his wife") is put by shape alone
    of_people = describes_someone(subject) and is_group(subject)

    def shape(referent: Referent) -> int:
        text = referent.text
        return (
            (text.lower().startswith("the ") == subject.lower().startswith("the "))
            + ((" of " in text) == (" of " in subject))
            + (referent.person == looks_like_person(subject))
            + (text[:1].isupper() == subject[:1].isupper())  # "And gas?" of oil, not of Saudi Arabia
            + 2 * (of_people and (describes_someone(text) or is_group(text)))
        )

    best = max(present, key=lambda r: (shape(r), -present.index(r)))
    if (
        best.person
        and is_group(subject)
        and not looks_like_person(subject)
        and not _POSSESSED.search(subject)
    ):
        # many are not asked in one person's place ("What about the fans?" after "Did anyone
        # else leave with Tomas Lindqvist?"); someone's own are ("And his parents?")
        return None
    start = previous.find(best.text)
    end = start + len(best.text)
    if " of " in subject:  # "the Principality | of Antioch" is one place
        named = re.match(r"\s+of\s+(?:the\s+)?[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*", previous[end:])
        end += named.end() if named else 0
    return previous[:start] + subject + previous[end:]


def _may_stand_for(subject: str, referent: Referent, referents: Sequence[Referent] = ()) -> bool:
    """Whether an ellipsis's `subject` may be asked of in place of `referent`: someone
    ("the mayor", "Aisha Rahman", "Rahman" of a person the conversation named) only in
    place of one who may say or do as someone does, or of someone's body, never of a thing
    ("And the mayor?" after "Was the vote close?" is not "Was the mayor close?"; "And the
    suspect?" after "Where was the body found?" is where the suspect was found)."""
    name = subject.strip()
    someone = (
        describes_someone(name)
        or looks_like_person(name)
        or any(r.person and r.text.split()[-1] == name for r in referents)
    )
    remains = head_word(referent.text).lower() in _REMAINS
    return not someone or remains or may_hold_a_view(referent)


# a yes/no question asked in the negative ("Weren't there CO alarms?", "Didn't he know?")
_ASKED_NEGATIVELY = re.compile(
    r"^\s*(?:is|are|was|were|do|does|did|can|could|will|would|has|have|had|should)n['’]t\b|^\s*(?:can['’]t|won['’]t)\b",
    re.I,
)


# what is left of someone ("Where was the body found?")
_REMAINS = frozenset({"body", "bodies", "remains", "corpse"})


def _same_question_as(bare: str, previous: str, answer: str = "") -> str:
    """ "Why?" after "When did X start?" → "Why did X start?"; "When?" after "Who will decide?"
    answered "the mediator" → "When will the mediator decide?" (the answer is the subject the
    question word stood for; without one, `bare` as it is)."""
    match = _BARE.match(bare)
    if match is None:
        return bare
    if (
        match.group(1).lower() == "why"
        and re.search(r"\bnot\b", bare, re.I)
        and _ASKED_NEGATIVELY.match(previous)
    ):
        # "Why not?" after "Weren't there CO alarms?": why there weren't ("Why?" after
        # "Didn't he resign?" asks why he did, or why not, as the answer said)
        return f"Why {previous.strip()[:1].lower()}{previous.strip()[1:]}"
    done = _DID_WHAT.match(previous)
    if done is not None:  # "What did Norges Bank do?" answered by what it did
        if re.search(r"\bnot\b", bare, re.I):
            return bare
        action = _action(answer, done.group(1).lower())
        auxiliary, subject = done.group(1).lower(), done.group(2)
        return f"{match.group(1).capitalize()} {auxiliary} {subject} {action}?" if action else bare
    rest = previous if _AUXILIARY.match(previous) else _WH_START.sub("", previous, count=1)
    if not _AUXILIARY.match(rest):
        negated = re.search(r"\bnot\b", bare, re.I) is not None  # "Why not?": no passive drops it
        asked = match.group(1).capitalize()
        if negated:
            return bare
        return _passive_of(asked, previous, rest, answer) or _active_of(asked, previous, rest, answer) or bare
    words = rest.split(maxsplit=1)
    tokens = tagged(rest)
    if len(tokens) > 1 and tokens[1][1].startswith("VB") and not _AUXILIARY.match(previous):
        # the question word was the subject: the answer takes its place
        subject = answer.strip().rstrip(".")
        if not subject or len(subject.split()) > 6 or len(words) < 2:
            return bare
        return f"{match.group(1).capitalize()} {words[0].lower()} {_within(subject)} {words[1]}"
    counted = _count_of_subject(match.group(1), rest)
    if counted is not None and not re.search(r"\bnot\b", bare, re.I):
        return counted
    if re.search(r"\bnot\b", bare, re.I):  # "Why not?" after "Did Bell keep one?": why he did not
        rest = _negated(rest)
    rest = rest.strip().rstrip("?.! ")
    if re.match(r"^\s*(?:what|which)\b", previous, re.I) and re.match(
        r"^\s*(?:and\s+|but\s+|so\s+)?(?:when|where)\b", bare, re.I
    ):
        # "When was that?" after "What was the dam built for?": when it was built, the "for"
        # was the question word's ("Why?" after "What is the law about?" keeps it)
        rest = re.sub(r"\s+(?:for|of|about|with|to|from|on|in|at|by|after)$", "", rest, flags=re.I)
    words_of = [(w, t) for w, t, _ in tokens if t != "."]
    if (
        re.match(r"^\s*what\b", previous, re.I)
        and words_of
        and words_of[-1][1].startswith("VB")
        and words_of[-1][0].lower() not in ("do", "does", "did", "done", "happen", "happened", "mean")
    ):
        # "What does the council leader prefer?" asked for the verb's object: "Why?" asks why
        # of the answer ("Why does the council leader prefer rebuilding?"), else of nothing
        thing = answer.strip().rstrip(".")
        if not thing or len(thing.split()) > 6:
            return bare
        rest = f"{rest} {_within(thing)}"
    return f"{match.group(1).capitalize()} {rest[:1].lower()}{rest[1:]}?"


def _count_of_subject(asked: str, rest: str) -> str | None:
    """ "How many?" after "Where will the doses be made?" → "How many doses will be made?";
    "How much?" after "When will the tax be paid?" → "How much tax will be paid?": the count
    of the earlier question's subject, said with "the" and a common noun, of a passive
    (`rest`: the earlier question after its question word); None for another question,
    subject or verb."""
    asked = " ".join(asked.lower().split())
    if asked not in ("how many", "how much"):
        return None
    words = rest.strip().rstrip("?.! ").split()
    tokens = tagged(" ".join(words))
    if len(tokens) != len(words) or len(words) < 4 or words[1].lower() != "the":
        return None  # a word the tagger splits ("Norway's") is left as it was
    end = 2
    while end < len(tokens) and tokens[end][2] == "I-NP" and tokens[end][1] != "POS":
        end += 1
    head = tokens[end - 1][1]
    if (
        end == 2
        or end == len(tokens)
        or head not in ("NN", "NNS")
        or (asked == "how many") != (head == "NNS")
    ):
        return None
    # only of a passive ("will the doses be made", "were the protesters arrested"): "When did
    # the company pay the fine?" counts no companies
    auxiliary, after = words[0].lower(), tokens[end:]
    passive = (auxiliary in ("is", "are", "was", "were") and after[0][1] == "VBN") or (
        auxiliary in ("will", "would", "can", "could", "should", "must", "may", "might")
        and len(after) > 1
        and after[0][0].lower() == "be"
        and after[1][1] == "VBN"
    )
    if not passive:
        return None
    subject, verb = " ".join(words[2:end]), " ".join(words[end:])
    return f"{asked.capitalize()} {subject} {words[0].lower()} {verb}?"


# "What did Norges Bank do with the interest rate?": what someone did, and who
_DID_WHAT = re.compile(
    r"^\s*(?:and\s+)?what\s+(did|does|do|will|would|has|have|had)\s+(.+?)\s+(?:do|done)\b", re.I
)


def _action(answer: str, auxiliary: str) -> str | None:
    """What a short answer says someone did, as it reads after `auxiliary`: "lower its
    policy rate" of "lowered its policy rate" after "did", "raised rates" after "has"; None
    where the answer opens with no verb, or one whose plain form is not known."""
    tokens = tagged(answer)
    if not tokens or len(answer.split()) > 8:
        return None
    verb, tag, _ = tokens[0]
    rest = answer.strip().rstrip(".")[len(verb) :]
    if auxiliary in ("has", "have", "had"):
        return answer.strip().rstrip(".") if tag in ("VBN", "VBD") else None
    if tag == "VB" or (tag == "VBP" and auxiliary != "did"):
        return answer.strip().rstrip(".")
    plain = _plain_form(verb, tag) if tag in ("VBD", "VBZ") else None
    if plain is None and tag in ("VBD", "VBN"):
        plain = _regular_plain(verb.lower())
    return plain + rest if plain else None


def _regular_plain(past: str) -> str | None:
    """The plain form of a regular past the tagger's lexicon knows ("lowered" → "lower",
    "raised" → "raise", "stopped" → "stop", "carried" → "carry"); None where none is known."""
    if not past.endswith("ed") or len(past) < 5:
        return None
    if past.endswith("ied"):
        candidates = [past[:-3] + "y"]
    elif past[-3] == past[-4] and past[-3] not in "dlsz":
        candidates = [past[:-3]]  # "stopped", "planned"
    else:
        candidates = [past[:-1], past[:-2]]  # "raised", "lowered"; "cancelled" → "cancel"
        if past[-3] == past[-4] == "l":
            candidates.append(past[:-3])
    return next((c for c in candidates if is_common_word(c)), None)


def _within(answer: str) -> str:
    """An answer as it reads inside a question: a leading "The", "A" or "An" in lower case
    ("the Greens"), a name as it is."""
    first = answer.split()[0].lower() if answer.split() else ""
    return answer[:1].lower() + answer[1:] if first in ("the", "a", "an") else answer


def _passive_of(asked: str, previous: str, rest: str, answer: str) -> str | None:
    """ "Why?" after "Who criticized this system?" answered "Clifford J. Woolf" → "Why was this
    system criticized by Clifford J. Woolf?": the question word asked of the last question in
    the passive, its answer the agent. Only a regular verb in "-ed", whose past is its
    participle; else None."""
    verb = rest.split(maxsplit=1)[0] if rest.split() else ""
    tokens = tagged(rest)
    subject = answer.strip().rstrip(".")
    if not re.match(r"^\s*who\b", previous, re.I) or not subject or len(subject.split()) > 6:
        return None
    if not tokens or tokens[0][1] not in ("VBD", "VBN") or not verb.lower().endswith("ed"):
        return None
    done = rest[len(verb) :].strip().rstrip("?.! ")
    # an object: "this system", never "in the castle" of "Who lived in the castle?"
    if not done or tagged(done)[0][1] not in ("DT", "NN", "NNS", "NNP", "NNPS", "PRP$", "JJ", "CD"):
        return None
    return f"{asked} {'were' if is_group(done) else 'was'} {done} {verb} by {subject}?"


# the third person present and its ending: "leads", "carries"
_PRESENT_THIRD = re.compile(r"^(?P<stem>\w+?)(?P<end>ies|ches|shes|sses|xes|zes|oes|s)$", re.I)


def _plain_form(verb: str, tag: str) -> str | None:
    """The plain form of a verb in the past (irregular ones: "won" → "win") or the third
    person present ("leads" → "lead", "carries" → "carry"); None where it is not known."""
    word = verb.lower()
    if tag == "VBD":
        return IRREGULAR_PAST.get(word)
    if tag == "VBZ":
        if word in ("has", "is", "was", "does"):
            return None
        found = _PRESENT_THIRD.match(word)
        if found is None:
            return None
        stem, end = found.group("stem"), found.group("end").lower()
        if end == "ies" and len(stem) == 1:
            return stem + "ie"  # "lies", "dies", "ties"; but "flies" → "fly", "tries" → "try"
        if end == "zes" and not stem.endswith("z"):
            return None  # "buzzes" or "freezes": no rule tells
        return stem + {
            "ies": "y",
            "ches": "ch",
            "shes": "sh",
            "sses": "ss",
            "xes": "x",
            "zes": "z",
            "oes": "o",
        }.get(end, "")
    return None


def _active_of(asked: str, previous: str, rest: str, answer: str) -> str | None:
    """ "How?" after "Who won the semi-final?" answered "Odda FK" → "How did Odda FK win the
    semi-final?"; "Why?" after "Who leads the party?" answered "Sofie Lund" → "Why does
    Sofie Lund lead the party?": the answer put as the subject the question word stood for,
    with "did" or "does". None where the verb's plain form is not known."""
    subject = answer.strip().rstrip(".")
    if not re.match(r"^\s*who\b", previous, re.I) or not subject or len(subject.split()) > 6:
        return None
    tokens = tagged(rest)
    if not tokens:
        return None
    verb, tag, _ = tokens[0]
    plain = _plain_form(verb, tag)
    if plain is None:
        return None
    done = rest[len(verb) :].strip().rstrip("?.! ")
    subject = _within(subject)
    auxiliary = (
        "did" if tag == "VBD" else "do" if is_group(subject) else "does"
    )  # "Why do the Greens lead it?"
    counted = re.match(r"^the\s+(?P<things>.+\w+s)$", done, re.I)
    if asked.lower() == "how many" and counted is not None and is_group(counted["things"]):
        # "How many?" after "Who found the coins?" answered "Derek Pellow": "How many coins
        # did Derek Pellow find?", the count of what was done to
        return f"{asked} {counted['things']} {auxiliary} {subject} {plain}?"
    return f"{asked} {auxiliary} {subject} {plain}{' ' + done if done else ''}?"


def _negated(question: str) -> str:
    """ "did Bell keep one in his study?" → "did Bell not keep one in his study?": "not"
    before the first verb after the auxiliary; with none, the opening verb said with "n't"
    ("were there CO alarms in the rink?" → "weren't there ..."); else unchanged."""
    if re.search(r"\b(?:not|no|never)\b|n['’]t\b", question, re.I):
        return question  # "Was there not enough ventilation?" says so already
    for at, tag in sorted(verb_starts(question).items()):
        if at > 0 and tag in ("VB", "VBN", "VBG"):
            return f"{question[:at]}not {question[at:]}"
    opening = _OPENING_AUXILIARY.match(question)
    if opening is None:
        return question
    verb = opening.group(1)
    said = _NOT_SAID.get(verb.lower(), f"{verb.lower()}n't")
    said = said[:1].upper() + said[1:] if verb[:1].isupper() else said
    return said + question[opening.end() :]


_OPENING_AUXILIARY = re.compile(
    r"^(is|are|was|were|has|have|had|can|could|should|would|will|must|does|do|did)\b", re.I
)
_NOT_SAID = {"will": "won't", "can": "can't"}


def _is_bare(question: str) -> bool:
    """A question word alone, or with words that ask nothing more ("Why?", "And when?",
    "Why not?", "When was that?"), never one with a verb of its own ("Who was there?")."""
    match = _BARE.match(question)
    if match is None or content_terms(question):
        return False
    rest = question[match.end() :]
    if re.match(r"^\s*(?:come\b|(?:is|was|are|were)\s+(?:that|this)\s*[?.!]*\s*$)", rest, re.I):
        return True  # "How come?", "When was that?"
    return not any(tag.startswith("VB") or tag == "MD" for _, tag, _ in tagged(rest))


def condense_question(
    question: str,
    history: Sequence[Any] | Conversation | None,
    complete: Callable[[list[dict[str, str]]], str] | None = None,
) -> str:
    """A standalone version of `question` given the conversation `history`.

    Unchanged when there is no history or the question stands on its own. With `complete`
    (an LLM call) the model rewrites it; if that fails or returns nothing, the rule does.
    """
    conversation = Conversation.from_history(history)
    if not conversation.turns or not needs_context(question):
        return question
    if complete is not None:
        transcript = "\n".join(f"{t.role}: {t.text}" for t in conversation.turns[-6:])
        messages = [
            {"role": "system", "content": CONDENSE_SYSTEM},
            {"role": "user", "content": CONDENSE_USER.format(history=transcript, question=question)},
        ]
        try:
            rewritten = complete(messages).strip().strip('"').strip()
        except LLMError as error:  # the provider failed: the rule does the job
            log.info("condensing by the model failed (%s); by rule instead", error)
            rewritten = ""
        if rewritten and len(rewritten) < 4 * len(question) + 200:
            return rewritten
    return condense_by_rule(question, conversation)
