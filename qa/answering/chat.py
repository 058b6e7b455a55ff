"""Follow-up questions: turn "when did he leave?" into a standalone question before retrieval,
by an LLM when one is configured, else by rule: the pronoun or ellipsis resolved to what the
conversation is about (`qa.answering.references`), never by appending keywords."""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from qa.answering.answer_types import AnswerType, classify_question
from qa.answering.citations import strip_markers
from qa.answering.prompts import CONDENSE_SYSTEM, CONDENSE_USER
from qa.answering.references import (
    POSSESSIVES,
    Referent,
    bare_descriptions,
    definite_phrases,
    ellipsis_subject,
    is_modifier,
    looks_like_person,
    names,
    object_her,
    plausible_referents,
    pronouns,
    resolve_descriptions,
    substitute,
    with_modifier,
)
from qa.errors import LLMError
from qa.store.keyword import content_terms

log = logging.getLogger(__name__)
_SHORT_ANSWER = re.compile(r"^\s*\*\*(.+?)\*\*")  # the reader's answers lead with the short answer
MAX_TURNS = 12  # of history a follow-up is resolved against
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


@dataclass(frozen=True)
class Turn:
    """One message of a conversation."""

    role: str  # "user" or "assistant"
    text: str


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

    def with_articles(self, texts: Sequence[str]) -> Conversation:
        """This conversation, knowing the texts of the articles it was answered from."""
        return Conversation(self.turns, tuple(texts))

    @classmethod
    def from_history(cls, history: Sequence[Any] | Conversation | None) -> Conversation:
        """The latest `MAX_TURNS` turns of `history`, each cut to `MAX_TURN_CHARS`: a
        follow-up leans on the last few turns, and history is user input like any other."""
        if isinstance(history, Conversation):
            return history
        turns = normalise_history(history)[-MAX_TURNS:]
        return cls(tuple(Turn(t.role, t.text[:MAX_TURN_CHARS]) for t in turns))

    def previous_answers(self) -> tuple[str, ...]:
        """What the assistant already answered, latest first: the short answer where there
        was one, else the answer's text (markers stripped)."""
        answers = []
        for turn in reversed(self.turns):
            if turn.role == "assistant":
                short = _SHORT_ANSWER.match(turn.text)
                answers.append(short.group(1) if short else strip_markers(turn.text))
        return tuple(answers)

    def answer_texts(self) -> tuple[str, ...]:
        """The assistant's answers as they were given, latest first."""
        return tuple(turn.text for turn in reversed(self.turns) if turn.role == "assistant")

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
        for turn in self.turns:
            if turn.role == "user":
                text = turn.text.strip()
                earlier = Conversation(tuple(turns), self.articles)
                earlier.__dict__["_standalone"] = tuple(done)  # already known: never recomputed
                done.append(condense_by_rule(text, earlier) if turns and needs_context(text) else text)
                turns.append(Turn("user", done[-1]))
            else:
                turns.append(turn)
        return tuple(done)

    def referents(self) -> list[Referent]:
        """What pronouns may point to, most salient first: per exchange, latest first, the
        short answer when it names something (a name, or any answer to "who"), then the
        names and definite phrases of the question (what the conversation keeps coming
        back to first), then a short answer in other words; last, the other names of the
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
        found: list[Referent] = []
        quoted: list[Referent] = []
        said = " ".join([*questions, *(t.text for t in self.turns if t.role == "assistant")]).lower()
        for (_, reply), question in zip(reversed(exchanges), reversed(questions), strict=False):
            asked, other = _referents_of(question, strip_markers(reply), people, said)
            found += asked
            quoted += other
        unique: dict[str, Referent] = {}
        for referent in found + quoted:  # a name any turn shows to be a person's is a person's
            known = unique.setdefault(referent.text.lower(), referent)
            if referent.person and not known.person:
                unique[referent.text.lower()] = Referent(known.text, True)
        return list(unique.values())


def _referents_of(
    question: str, answer: str, people: set[str], said: str
) -> tuple[list[Referent], list[Referent]]:
    """(what the exchange is about, most salient first; the other names of its answer)."""
    who = classify_question(question) is AnswerType.PERSON
    short = _SHORT_ANSWER.match(answer)
    plain = answer.replace("**", "")
    first_sentence = plain if short else plain.split(". ")[0]
    phrases = definite_phrases(question)
    # in the order they come (the subject of "When did the Wagner convoy reach X?" first);
    # a name inside a definite phrase ("the Wagner convoy") is the phrase
    placed = [(question.find(p), Referent(p, False)) for p in phrases]
    # a name inside a definite phrase ("the Wagner convoy") is the phrase, but the owner
    # of a possessive one ("Tesla's induction motor") is something of its own
    placed += [
        (question.find(n), Referent(n, looks_like_person(n, question) or n in people))
        for n in names(question)
        if not any(n in p and not p.startswith(n + "'") and not p.startswith(n + "’") for p in phrases)
    ]
    # what the conversation keeps coming back to first, then in the order they come
    placed.sort(key=lambda pair: (-said.count(pair[1].text.lower()), pair[0]))
    asked = [referent for _, referent in placed]
    quoted = [
        Referent(n, looks_like_person(n, first_sentence) or n.split()[-1] in people)
        for n in names(first_sentence)
        if n not in question
    ]
    if short:
        text = short.group(1).rstrip(".")
        answer_referent = Referent(text, who or looks_like_person(text))
        # an answer in other words ("a town", "embargo oil shipments") is no referent
        if who or names(text) == [text]:
            asked.insert(0, answer_referent)
    return asked, quoted


def needs_context(question: str) -> bool:
    """True when the question leans on earlier turns: a pronoun with no name in the
    question to point to, an ellipsis ("And what about Lyon?"), a bare "Why?", or a
    reference in time ("What happened afterwards?") with nothing named."""
    if ellipsis_subject(question) is not None or not content_terms(question):
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


def _first_pronoun_position(question: str) -> int:
    match = re.search(r"\b(" + "|".join(POSSESSIVES) + r")\b", question, re.I)
    return match.start() if match else len(question)


def condense_by_rule(question: str, history: Sequence[Any] | Conversation) -> str:
    """A standalone version of a follow-up, made by rule: pronouns replaced by what the
    conversation is about (the answer of a "who" question, else the names and subjects of
    the latest question), an ellipsis asked as the previous question about its new
    subject, a bare "Why?" asked of the previous question. Never a list of keywords."""
    conversation = Conversation.from_history(history)
    previous = conversation.standalone_questions()
    if not previous:
        return question
    subject = ellipsis_subject(question)
    if subject is not None:
        if is_modifier(subject):  # "And after the impact?"
            return with_modifier(previous[-1], subject)
        if pronouns(subject):  # "And his mother?": whose mother first
            subject = substitute(subject, conversation.referents())
        return _ask_of(previous[-1], subject, conversation.referents()) or question
    if _BARE.match(question) and len(content_terms(question)) == 0:
        same = _same_question_as(question, previous[-1])  # "Why?" after "When did X start?"
        return same if same != question else with_topic(question, previous[-1])
    if pronouns(question):
        referents = conversation.referents()
        return resolve_descriptions(substitute(question, referents), referents, conversation.articles)
    if _DEPENDENT.search(question):
        return with_topic(question, previous[-1])
    return resolve_descriptions(question, conversation.referents(), conversation.articles)


def with_topic(question: str, previous: str) -> str:
    """`question` with what the previous question asked about attached: "Which other
    officials took part?" after "Who led the negotiations with Prigozhin?" becomes "Which
    other officials took part, regarding who led the negotiations with Prigozhin?"."""
    topic = previous.strip().rstrip("?.! ")
    if not topic:
        return question
    return f"{question.strip().rstrip('?.! ')}, regarding {topic[:1].lower()}{topic[1:]}?"


def condense_alternatives(question: str, history: Sequence[Any] | Conversation, limit: int = 3) -> list[str]:
    """The rule's standalone question, then rewrites with the pronoun's other plausible
    referents ("he" after "Who led the talks with Prigozhin?" may be the answer or
    Prigozhin): the pipeline lets the articles choose among them."""
    conversation = Conversation.from_history(history)
    found = pronouns(question)
    if not conversation.turns or not (found or needs_context(question)):
        return [question]
    # a question that names someone may still point elsewhere ("What did he gain from
    # Putin's refusal?"): it comes first as it is, and the articles decide
    options = [condense_by_rule(question, conversation) if needs_context(question) else question]
    if _DEPENDENT.search(question) and not found:
        # it says it leans on the last question; the articles may still answer it as asked,
        # which comes first when it names what it is about ("What did Nordtide say instead?")
        if options[0] == question:
            return options
        return [question, options[0]] if names(question) else [options[0], question]
    if not found or ellipsis_subject(question) is not None:
        return options
    referents = conversation.referents()
    for referent in plausible_referents(found[0], referents, limit):
        rewritten = resolve_descriptions(
            substitute(question, referents, forced=referent), referents, conversation.articles
        )
        if rewritten not in options:
            options.append(rewritten)
    return options[:limit]


def _ask_of(previous: str, subject: str, referents: Sequence[Referent]) -> str | None:
    """The previous question asked about `subject` instead of what it was about: the
    referent of the same shape ("the Kingdom of Sicily" for "the Principality of Antioch",
    a person for a person), never the phrase the question asks for ("Which Norman")."""
    own = re.match(r"^(.+?)['’]s\s+(\S.*)$", subject)
    if own is not None:  # "Nikola Tesla's mother" after "What did Nikola Tesla's father do?"
        owner = own.group(1).split()[-1]
        parallel = re.search(rf"\b{re.escape(owner)}['’]s\s+([\w-]+)", previous)
        if parallel is not None:
            return previous[: parallel.start(1)] + own.group(2) + previous[parallel.end(1) :]
    present = [
        r
        for r in referents
        if r.text in previous
        and not re.search(r"\b(?:which|what|whose)\s+$", previous[: previous.find(r.text)], re.I)
    ]
    if not present:
        return None

    def shape(referent: Referent) -> int:
        text = referent.text
        return (
            (text.lower().startswith("the ") == subject.lower().startswith("the "))
            + ((" of " in text) == (" of " in subject))
            + (referent.person == looks_like_person(subject))
        )

    best = max(present, key=lambda r: (shape(r), -present.index(r)))
    start = previous.find(best.text)
    end = start + len(best.text)
    if " of " in subject:  # "the Principality | of Antioch" is one place
        named = re.match(r"\s+of\s+(?:the\s+)?[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*", previous[end:])
        end += named.end() if named else 0
    return previous[:start] + subject + previous[end:]


def _same_question_as(bare: str, previous: str) -> str:
    """ "Why?" after "When did X start?" → "Why did X start?" """
    match = _BARE.match(bare)
    if match is None:
        return bare
    rest = previous if _AUXILIARY.match(previous) else _WH_START.sub("", previous, count=1)
    if not _AUXILIARY.match(rest):
        return bare
    return f"{match.group(1).capitalize()} {rest[:1].lower()}{rest[1:]}"


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
