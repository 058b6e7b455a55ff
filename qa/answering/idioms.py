"""A question's idioms and phrasal verbs said in the plain words articles use.

People ask "When do the new prices kick in?", "Which sailings got held up?", "When's it
supposed to cool down?"; a news story writes "will take effect", "were delayed",
"expected to ease". The reader was trained on questions written in their paragraph's words
and refuses the first forms while it answers the second. `plain_words_reading` gives that
second reading, which the pipeline reads beside the question as asked
(`QA._most_answerable`): the articles choose. The list holds common English idioms and
phrasal verbs of news, each with its forms; a word none of them says is left as it is
(WordNet's synonyms were tried and bridged too widely: see `train/STAGES.md`).
"""

from __future__ import annotations

import re

# (idiom, plain words) by form: base, third person, past, participle, gerund; "~" is the
# form's own slot where one entry serves (a noun idiom)
_IDIOMS: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (
        ("kick in", "kicks in", "kicked in", "kicking in"),
        ("take effect", "takes effect", "took effect", "taking effect"),
    ),
    (("hold up", "holds up", "held up", "holding up"), ("delay", "delays", "delayed", "delaying")),
    (("cool down", "cools down", "cooled down", "cooling down"), ("ease", "eases", "eased", "easing")),
    (("cool off", "cools off", "cooled off", "cooling off"), ("ease", "eases", "eased", "easing")),
    (
        ("go bust", "goes bust", "went bust", "gone bust", "going bust"),
        ("collapse", "collapses", "collapsed", "collapsed", "collapsing"),
    ),
    (
        ("go under", "goes under", "went under", "gone under", "going under"),
        ("collapse", "collapses", "collapsed", "collapsed", "collapsing"),
    ),
    (
        ("step down", "steps down", "stepped down", "stepping down"),
        ("resign", "resigns", "resigned", "resigning"),
    ),
    (("shut down", "shuts down", "shutting down"), ("close", "closes", "closing")),
    (
        ("call off", "calls off", "called off", "calling off"),
        ("cancel", "cancels", "cancelled", "cancelling"),
    ),
    (
        ("pull out of", "pulls out of", "pulled out of", "pulling out of"),
        ("withdraw from", "withdraws from", "withdrew from", "withdrawing from"),
    ),
    (
        ("back out of", "backs out of", "backed out of", "backing out of"),
        ("withdraw from", "withdraws from", "withdrew from", "withdrawing from"),
    ),
    (("lay off", "lays off", "laid off", "laying off"), ("cut", "cuts", "cut", "cutting")),
    (
        ("come up with", "comes up with", "came up with", "coming up with"),
        ("propose", "proposes", "proposed", "proposing"),
    ),
    (
        ("find out", "finds out", "found out", "finding out"),
        ("discover", "discovers", "discovered", "discovering"),
    ),
    (
        ("look into", "looks into", "looked into", "looking into"),
        ("investigate", "investigates", "investigated", "investigating"),
    ),
    (
        ("carry out", "carries out", "carried out", "carrying out"),
        ("conduct", "conducts", "conducted", "conducting"),
    ),
    (
        ("show up", "shows up", "showed up", "shown up", "showing up"),
        ("gather", "gathers", "gathered", "gathered", "gathering"),
    ),
    (("turn up", "turns up", "turned up", "turning up"), ("gather", "gathers", "gathered", "gathering")),
    (
        ("get out of", "gets out of", "got out of", "getting out of"),
        ("escape from", "escapes from", "escaped from", "escaping from"),
    ),
    (
        ("break out of", "breaks out of", "broke out of", "breaking out of"),
        ("escape from", "escapes from", "escaped from", "escaping from"),
    ),
    (("bail out", "bails out", "bailed out", "bailing out"), ("rescue", "rescues", "rescued", "rescuing")),
    (("put up", "puts up", "putting up"), ("raise", "raises", "raising")),
    (
        ("splash out on", "splashes out on", "splashed out on", "splashing out on"),
        ("spend on", "spends on", "spent on", "spending on"),
    ),
    (
        ("splash on", "splashes on", "splashed on", "splashing on"),
        ("spend on", "spends on", "spent on", "spending on"),
    ),
    (("fork out", "forks out", "forked out", "forking out"), ("spend", "spends", "spent", "spending")),
    (("set up", "sets up", "setting up"), ("establish", "establishes", "establishing")),
    (
        ("take over", "takes over", "took over", "taken over", "taking over"),
        ("take charge", "takes charge", "took charge", "taken charge", "taking charge"),
    ),
    (("wind down", "winds down", "wound down", "winding down"), ("end", "ends", "ended", "ending")),
    (
        ("go ahead", "goes ahead", "went ahead", "gone ahead", "going ahead"),
        ("proceed", "proceeds", "proceeded", "proceeded", "proceeding"),
    ),
    (
        ("get the boot", "gets the boot", "got the boot", "getting the boot"),
        ("be sacked", "is sacked", "was sacked", "being sacked"),
    ),
    (
        ("go for", "goes for", "went for", "gone for", "going for"),
        ("sell for", "sells for", "sold for", "sold for", "selling for"),
    ),
    (("on the hook for",), ("responsible for",)),
    (("price tag",), ("cost",)),
    (("in a bad way",), ("seriously injured",)),
    (("death toll",), ("number of dead",)),
    (("the top job",), ("the post",)),
)

# "How much did it go for?" is a price; "go for" of "What did they go for?" is a choice
_PRICE_ONLY = {"go for", "goes for", "went for", "gone for", "going for"}
_PRICE_QUESTION = re.compile(r"^\s*(?:and\s+)?how\s+much\b", re.I)


def _table() -> list[tuple[re.Pattern[str], str, str]]:
    entries = []
    for idioms, plain in _IDIOMS:
        for n, idiom in enumerate(idioms):
            words = plain[min(n, len(plain) - 1)]
            spaced = r"\s+".join(re.escape(word) for word in idiom.split())
            pattern = re.compile(rf"\b{spaced}\b", re.I)
            entries.append((pattern, words, idiom))
    # the longest first: "splash out on" before "splash on"
    return sorted(entries, key=lambda entry: -len(entry[2]))


_TABLE = _table()


def plain_words_reading(question: str) -> str | None:
    """`question` with each idiom or phrasal verb it says put in the plain words articles
    use ("When do the new prices kick in?" → "When do the new prices take effect?"); None
    where it says none."""
    reading = question
    for pattern, words, idiom in _TABLE:
        if idiom in _PRICE_ONLY and not _PRICE_QUESTION.match(question):
            continue
        reading = pattern.sub(words, reading)
    return reading if reading != question else None
