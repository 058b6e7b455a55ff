"""Paraphrased training questions (train/paraphrase.py): a question's words that its answer
sentence also says are put as synonyms the passage does not say, inflected as asked, in
place; names, light words and terms stay. A hand-made WordNet of a few synsets stands in for
the 31 MB one (the same data structure `WordNet.load` fills); the tagger and the embedding
model are the project's own."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "train")]

from paraphrase import Paraphraser, WordNet, answer_sentence, candidates, inflect  # noqa: E402


def small_wordnet() -> WordNet:
    # offsets are made up; each synset lists only the words used in that sense
    return WordNet(
        senses={
            ("manufacture", "v"): [1],
            ("build", "v"): [2, 3],
            ("rocket", "n"): [4],
            ("director", "n"): [5],
            ("hard", "a"): [6],
            ("appoint", "v"): [7],
            ("be", "v"): [8],
            ("produce", "v"): [1],
            ("projectile", "n"): [4],
            ("manager", "n"): [5],
        },
        synsets={
            ("v", 1): ["manufacture", "make", "produce"],
            ("v", 2): ["build", "construct"],
            ("v", 3): ["build", "establish"],
            ("n", 4): ["rocket", "projectile"],
            ("n", 5): ["director", "manager"],
            ("a", 6): ["hard", "difficult"],
            ("v", 7): ["appoint", "name", "nominate"],
            ("v", 8): ["be", "exist"],
        },
        exceptions={("built", "v"): ["build"], ("is", "v"): ["be"]},
        irregular={("build", "v"), ("make", "v"), ("be", "v")},
    )


def test_a_synonym_takes_the_form_of_the_word_it_replaces() -> None:
    assert inflect("produce", "VBD") == "produced"
    assert inflect("stop", "VBD") == "stopped"
    assert inflect("carry", "VBZ") == "carries"
    assert inflect("establish", "VBZ") == "establishes"
    assert inflect("make", "VBG") == "making"
    assert inflect("hand over", "VBD") == "handed over"
    assert inflect("take over", "VBG") == "taking over"
    assert inflect("projectile", "NNS") == "projectiles"
    assert inflect("city", "NNS") == "cities"
    assert inflect("open", "VBD") == "opened"
    assert inflect("veto", "VBZ") == "vetoes"
    assert inflect("reduce", "VB") == "reduce"


def test_a_synonym_is_put_in_the_form_the_tagger_reads() -> None:
    """A plain verb after "did" stays plain; the same word read as a past would be put in the
    synonym's past (`inflect` is always applied: "cut" is its own past)."""
    wordnet = WordNet(
        senses={("cut", "v"): [1], ("reduce", "v"): [1]},
        synsets={("v", 1): ["cut", "reduce"]},
        exceptions={},
        irregular={("cut", "v")},
    )
    sentence = "The council cut the funding in 2010."
    plan = dict(candidates(wordnet, "When did the council cut the funding?", sentence, sentence))
    assert plan == {4: ["reduce"]}
    assert inflect("reduce", "VBD") == "reduced"


def test_an_irregular_form_is_read_back_to_its_lemma() -> None:
    wordnet = small_wordnet()
    assert wordnet.lemmas("built", "v") == ["build"]
    assert wordnet.lemmas("manufactured", "v") == ["manufacture"]
    assert wordnet.lemmas("rockets", "n") == ["rocket"]
    assert wordnet.synonyms("build", "v") == ["construct", "establish"]
    assert wordnet.synonyms("build", "v", senses=1) == ["construct"]


def test_only_words_the_answer_sentence_says_are_put_otherwise() -> None:
    wordnet = small_wordnet()
    sentence = "The rocket was manufactured by Orbex in Forres."
    plan = dict(candidates(wordnet, "Who manufactured the rocket?", sentence, sentence))
    # "manufactured" (VBD) as each synonym in its past; "make" is irregular and light: never
    assert plan[1] == ["produced"]
    assert plan[3] == ["projectile"]
    # a word the sentence does not say is already asked otherwise: left as it is
    assert candidates(wordnet, "Who built the rocket?", sentence, sentence) == [(3, ["projectile"])]


def test_names_light_words_terms_and_synonyms_the_passage_says_stay() -> None:
    wordnet = small_wordnet()
    sentence = "The director of the museum said the hard drive was lost."
    # "hard drive" is a term of the sentence: its adjective is not put otherwise
    assert candidates(wordnet, "Where was the hard drive?", sentence, sentence) == []
    question = "Who is the director of the museum?"
    plan = dict(candidates(wordnet, question, sentence, sentence))
    # "director" (token 3) as "manager"; "is" (1) a light word, though WordNet has "exist"
    assert plan == {3: ["manager"]}
    # the synonym "manager" is said in the passage: asking with it is no paraphrase
    assert candidates(wordnet, question, sentence, sentence + " The manager agreed.") == []


def test_the_embedding_model_chooses_the_sense_and_the_question_keeps_its_characters() -> None:
    wordnet = small_wordnet()
    sentence = "The rocket was manufactured by Orbex in Forres."
    made = Paraphraser(wordnet).paraphrase(
        [
            ("Who manufactured the “Prime” rocket?", sentence, sentence),
            ("Where is Forres?", sentence, sentence),
        ]
    )
    assert made[0] is not None
    assert made[0].startswith("Who produced the “Prime” ")  # quote marks and spacing as written
    assert made[0].endswith("?")
    assert made[1] is None  # nothing of the sentence's words but a name: no paraphrase


def test_the_answer_sentence_is_the_one_holding_the_answer() -> None:
    context = "Orbex builds rockets. Its first launch was in 2024. It failed."
    assert answer_sentence(context, context.index("2024")) == "Its first launch was in 2024."


def test_the_judge_moves_only_to_a_reader_with_the_same_embeddings(tmp_path: Path) -> None:
    """`judge.py restamp`: a reader retrained with frozen embeddings keeps the judge (stamped
    with the new reader's weights); one whose embeddings moved is refused, the tensor named."""
    import json
    import subprocess

    import torch
    from safetensors.torch import save_file

    from qa.answering.judge import fits, weights_digest

    def reader(folder: Path, embeddings: torch.Tensor, layer: torch.Tensor) -> Path:
        folder.mkdir()
        save_file(
            {"bert.embeddings.word_embeddings.weight": embeddings, "bert.encoder.layer.0.w": layer},
            str(folder / "model.safetensors"),
        )
        return folder

    words = torch.randn(8, 4).half()
    shipped = reader(tmp_path / "shipped", words, torch.randn(4, 4).half())
    (shipped / "judge").mkdir()
    (shipped / "judge" / "model.safetensors").write_bytes(b"judge weights")
    stamp = {"refuse_below": -3.7, "reader_weights": weights_digest(shipped / "model.safetensors")}
    (shipped / "judge" / "judge.json").write_text(json.dumps(stamp), encoding="utf-8")
    frozen = reader(tmp_path / "frozen", words.clone(), torch.randn(4, 4).half())
    moved = reader(tmp_path / "moved", words + 1, torch.randn(4, 4).half())

    def restamp(to: Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, str(ROOT / "train" / "judge.py"), "--reader", str(shipped), "restamp", str(to)],
            capture_output=True,
            text=True,
            timeout=120,
        )

    done = restamp(frozen)
    assert done.returncode == 0, done.stderr
    assert fits(frozen) and fits(shipped)
    assert (frozen / "judge" / "model.safetensors").read_bytes() == b"judge weights"
    assert json.loads((frozen / "judge" / "judge.json").read_text())["refuse_below"] == -3.7
    refused = restamp(moved)
    assert refused.returncode == 3
    assert "bert.embeddings.word_embeddings.weight differs" in refused.stderr
    assert not (moved / "judge").exists()
    # onto the judge's own reader: refused, the judge left where it is
    assert restamp(shipped).returncode != 0
    assert (shipped / "judge" / "model.safetensors").read_bytes() == b"judge weights"


def test_a_paraphrased_question_is_asked_retrieved_and_cut_out_in_its_own_words(tmp_path: Path) -> None:
    """`make_groups` with a question's "asked" words: its answerable group and its
    answer-removed negative read the words asked (the original kept beside them); the
    swapped negative is made from the original. A real index of two small articles, the
    shipped reader's windows."""
    import random

    import groups
    from squad import build_retrieval_index

    from qa.answering.reader import DEFAULT_READER, Reader

    rocket = (
        "The Orbex Prime rocket was manufactured in Forres by a team of 150 engineers. "
        "Its first launch took place in 2024 from Sutherland. The launch failed after 40 seconds."
    )
    bridge = "The Tay bridge was opened in 1887. It carries the railway between Dundee and Wormit."
    records = [
        {"id": "a1", "title": "Orbex", "text": rocket, "url": "https://example.org/a1"},
        {"id": "a2", "title": "Tay", "text": bridge, "url": "https://example.org/a2"},
    ]
    index = build_retrieval_index(records, tmp_path / "index")
    try:
        item = {
            "question": "Where was the Orbex Prime rocket manufactured?",
            "asked": "Where was the Orbex Prime rocket produced?",
            "answers": ["Forres"],
            "article": "a1",
        }
        out = groups.GroupWriter()
        counts = groups.make_groups(
            index,
            Reader(DEFAULT_READER).windows,
            [item],
            # the whole article names a rival the indexed passages do not: a name to swap in
            {
                "a1": rocket + " The rival Skyrora Vega is built in Glasgow; the Skyrora Vega flies next.",
                "a2": bridge,
            },
            random.Random(0),
            out,
            passages_per_question=2,
            removed_share=1.0,
            swapped_share=1.0,
        )
    finally:
        index.close()
    assert counts["answerable"] == 1 and counts["paraphrased"] == 1
    assert counts["removed"] == 1 and counts["swapped"] == 1
    kinds = dict(zip(out.group_kind, out.meta, strict=True))
    assert kinds[0] == {"q": item["asked"], "answers": ["Forres"], "original": item["question"]}
    assert kinds[1]["q"] == item["asked"]
    assert kinds[2]["original"] == item["question"]  # a swap of the question as written
    assert "manufactured" in kinds[2]["q"] and kinds[2]["q"] != item["question"]
