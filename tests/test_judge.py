"""The sentence judge (`qa.answering.judge`, trained by `train/judge.py`): its training pairs,
its tokenisation (the same at training and query time), the shipped judge on real
sentences, its tie to the reader it was trained on, and a killed training run resuming to
the weights of an uninterrupted one (a tiny 2-layer reader, a few steps: no real training)."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import torch

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "train")]

import judge as training  # noqa: E402

from qa.answering.judge import JUDGE_FOLDER, MAX_TOKENS, Judge  # noqa: E402
from qa.answering.reader import DEFAULT_READER  # noqa: E402

PARAGRAPH = (
    "The plant opened in 2009 near Bergen. It has 22 turbines along the ridge. "
    "The turbines were built by Nordtide over four years. Local fishermen opposed the plant."
)


def test_each_question_pairs_its_answer_sentence_with_the_most_alike_sentences_that_lack_it() -> None:
    at = PARAGRAPH.index("22 turbines")
    across = PARAGRAPH.index("Bergen")
    article = {
        "paragraphs": [
            {
                "context": PARAGRAPH,
                "qas": [
                    {
                        "question": "How many turbines does the plant near Bergen have?",
                        "answers": [{"text": "22", "answer_start": at}],
                    },
                    # an answer running over a sentence boundary has no clean positive: skipped
                    {"question": "Where?", "answers": [{"text": "Bergen. It", "answer_start": across}]},
                ],
            }
        ]
    }
    pairs = training.pairs_of(article, 2, random.Random(0))
    assert pairs[0] == {
        "question": "How many turbines does the plant near Bergen have?",
        "sentence": "It has 22 turbines along the ridge.",
        "label": 1,
    }
    negatives = [p["sentence"] for p in pairs[1:]]
    # the sentence sharing most of the question's words ("plant", "Bergen") first, then one
    # of those sharing one ("turbines" or "plant")
    assert negatives[0] == "The plant opened in 2009 near Bergen."
    assert negatives[1] in (
        "The turbines were built by Nordtide over four years.",
        "Local fishermen opposed the plant.",
    )
    assert all(p["label"] == 0 for p in pairs[1:]) and len(pairs) == 3


def test_pairs_are_kept_across_reruns_only_when_made_whole_with_the_same_arguments(tmp_path: Path) -> None:
    stamp = {"questions": 10, "reader_weights": "abc"}
    assert not training.made_with(tmp_path, "mined", stamp)
    training.write_pairs(tmp_path, "mined", [{"question": "Q?", "sentence": "S.", "label": 1}], stamp)
    assert training.made_with(tmp_path, "mined", stamp)
    assert not training.made_with(tmp_path, "mined", {**stamp, "reader_weights": "def"})  # another reader
    (tmp_path / "mined.json").unlink()  # as a run killed while writing leaves it
    assert not training.made_with(tmp_path, "mined", stamp)


def test_auc_counts_pairs_ranked_right_and_ties_as_half() -> None:
    assert training.auc([0.9, 0.8, 0.1, 0.2], [1, 1, 0, 0]) == 1.0
    assert training.auc([0.1, 0.9], [1, 0]) == 0.0
    assert training.auc([0.5, 0.5], [1, 0]) == 0.5


def test_query_time_tokenises_as_training_did() -> None:
    """The judge at query time (`tokenizers`) gets the very ids, types and truncation the
    training script fed it (`transformers`), long sentences included."""
    questions = ["Who built the turbines?", "When " + "did the plant open " * 40 + "?"]
    sentences = ["The turbines were built by Nordtide.", "It opened in 2009 " * 60]
    encoded = training.encode(
        training.tokenizer(DEFAULT_READER),
        [{"question": q, "sentence": s} for q, s in zip(questions, sentences, strict=True)],
    )
    from qa.answering.windows import load_tokenizer

    tok = load_tokenizer(DEFAULT_READER / "tokenizer.json")
    tok.enable_truncation(MAX_TOKENS, strategy="longest_first")
    for k, (q, s) in enumerate(zip(questions, sentences, strict=True)):
        mine = tok.encode(q, s)
        width = len(mine.ids)
        assert encoded["input_ids"][k, :width].tolist() == mine.ids
        assert encoded["token_type_ids"][k, :width].tolist() == mine.type_ids
        assert int(encoded["attention_mask"][k].sum()) == width
    assert len(tok.encode(questions[1], sentences[1]).ids) == MAX_TOKENS


@pytest.mark.skipif(not (DEFAULT_READER / JUDGE_FOLDER).exists(), reason="no judge shipped")
def test_the_shipped_judge_tells_the_answer_sentence_from_its_neighbours(tmp_path: Path) -> None:
    judge = Judge.beside(DEFAULT_READER, tmp_path)
    assert judge is not None
    sentences = [s.strip() + "." for s in PARAGRAPH.split(".") if s.strip()]
    cases = {
        "How many turbines does the plant have?": 1,
        "When did the plant open?": 0,
        "Who built the turbines?": 2,
        "Who opposed the plant?": 3,
    }
    for question, right in cases.items():
        p = judge.probabilities(question, sentences)
        assert max(range(len(p)), key=p.__getitem__) == right, (question, p)
        assert p[right] > 0.5 > max(x for k, x in enumerate(p) if k != right), (question, p)


@pytest.mark.skipif(not (DEFAULT_READER / JUDGE_FOLDER).exists(), reason="no judge shipped")
def test_a_judge_refuses_to_run_on_another_reader(tmp_path: Path) -> None:
    from qa.answering.judge_net import load_judge

    other = tmp_path / "reader"
    shutil.copytree(DEFAULT_READER, other)
    with (other / "model.safetensors").open("ab") as handle:
        handle.write(b"\0")  # any other weights
    with pytest.raises(ValueError, match="trained on another reader"):
        load_judge(other / JUDGE_FOLDER, other)


@pytest.mark.skipif(not (DEFAULT_READER / JUDGE_FOLDER).exists(), reason="no judge shipped")
def test_a_reader_whose_judge_was_trained_on_other_weights_answers_without_it(
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A reader folder (`QA_READER`) retrained with the old judge left beside it: the judge
    is skipped with a warning at load, not an error at the first question; `qa index`
    does not export it."""
    from qa.answering.reader import Reader
    from qa.answering.reader_onnx import judge_target, prepare_query_path, reader_target
    from qa.config import ModelSettings

    shipped = Reader.load(ModelSettings(), tmp_path / "cache")
    assert shipped is not None and shipped.judge is not None
    folder = tiny_reader(tmp_path)
    shutil.copytree(DEFAULT_READER / JUDGE_FOLDER, folder / JUDGE_FOLDER)
    with caplog.at_level("WARNING", logger="qa.answering.judge"):
        reader = Reader.load(ModelSettings(reader=str(folder)), tmp_path / "cache")
    assert reader is not None and reader.judge is None
    assert "trained on other reader weights" in caplog.text and str(folder / JUDGE_FOLDER) in caplog.text
    # `qa index` exports the reader's graphs, not the judge's (the encoder's is linked in
    # from the usual cache so as not to export it again)
    from qa.cli import _prepare_query_path
    from qa.config import Settings
    from qa.ingest.embedding import resolve_model_path
    from qa.ingest.onnx_models import encoder_target

    settings = Settings.from_env()
    model = resolve_model_path(settings.embed_model)
    prepare_query_path(model, None, settings.cache_dir)
    cache = tmp_path / "index-cache"
    cache.mkdir()
    for graph in (encoder_target(model, settings.cache_dir), encoder_target(model, cache)):
        assert graph is not None
    encoder_target(model, cache).symlink_to(encoder_target(model, settings.cache_dir))  # type: ignore[union-attr]
    monkeypatch.setenv("QA_READER", str(folder))
    monkeypatch.setenv("QA_CACHE_DIR", str(cache))
    _prepare_query_path(quiet=True)
    assert "could not be prepared" not in capsys.readouterr().err  # nor tried and failed
    assert reader_target(folder, cache, True).exists()
    assert not judge_target(folder, cache, True).exists()
    reader.warm_up()


def tiny_reader(folder: Path, seed: int = 0) -> Path:
    """A random 2-layer, 32-wide reader with the shipped tokenizer."""
    from transformers import BertConfig

    from qa.answering.reader_net import ReaderNet, save_reader

    torch.manual_seed(seed)
    config = BertConfig(
        vocab_size=30522, hidden_size=32, num_hidden_layers=2, num_attention_heads=2, intermediate_size=64
    )
    reader = folder / "reader"
    save_reader(ReaderNet(config), reader, {"format": 1}, dtype=torch.float32)
    for name in ("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "vocab.txt"):
        shutil.copy(DEFAULT_READER / name, reader / name)
    return reader


def run_training(reader: Path, cache: Path, failpoint: str = "") -> subprocess.CompletedProcess[str]:
    command = [
        sys.executable,
        str(ROOT / "train" / "judge.py"),
        "--cache",
        str(cache),
        "--reader",
        str(reader),
    ]
    command += [
        "train",
        "--steps",
        "6",
        "--batch",
        "4",
        "--every",
        "1",
        "--threads",
        "1",
        "--held-out-every",
        "1",
    ]
    env = {**os.environ, "QA_FAILPOINT": failpoint}
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)


@pytest.mark.slow
def test_a_killed_training_run_resumes_to_the_weights_of_an_uninterrupted_one(tmp_path: Path) -> None:
    reader = tiny_reader(tmp_path)
    sentences = [s.strip() + "." for s in PARAGRAPH.split(".") if s.strip()]
    pairs = [
        {"question": f"Question {k} about the plant?", "sentence": sentences[k % 4], "label": k % 2}
        for k in range(40)
    ]
    caches = []
    for name in ("whole", "stopped"):
        cache = tmp_path / name
        cache.mkdir()
        for part in ("train", "heldout"):
            chosen = pairs if part == "train" else pairs[:8]
            (cache / f"{part}.jsonl").write_text("".join(json.dumps(p) + "\n" for p in chosen))
        caches.append(cache)
    whole, stopped = caches
    done = run_training(reader, whole)
    assert done.returncode == 0, done.stderr
    killed = run_training(reader, stopped, failpoint="after-checkpoint:3")
    assert killed.returncode == -signal.SIGKILL
    assert torch.load(stopped / "run1" / "last.pt", weights_only=False)["step"] == 3
    resumed = run_training(reader, stopped)
    assert resumed.returncode == 0, resumed.stderr
    assert "resumed at step 3" in resumed.stdout
    a = torch.load(whole / "run1" / "last.pt", weights_only=False)
    b = torch.load(stopped / "run1" / "last.pt", weights_only=False)
    assert a["step"] == b["step"] == 6
    for name, tensor in a["net"].items():
        assert torch.equal(tensor, b["net"][name]), name
    # a run goes on only from the reader it started from (the judge reads its embeddings)
    other = tiny_reader(tmp_path / "other", seed=1)
    refused = run_training(other, whole)
    assert refused.returncode == 1 and "made from other reader weights" in refused.stderr, refused.stderr
    assert torch.load(whole / "run1" / "last.pt", weights_only=False)["step"] == 6
    # nor from a checkpoint older than that record: it is named, never "other weights (None)"
    old = torch.load(whole / "run1" / "last.pt", weights_only=False)
    del old["reader_weights"]
    torch.save(old, whole / "run1" / "last.pt")
    unknown = run_training(reader, whole)
    assert unknown.returncode == 1 and "does not say which reader weights" in unknown.stderr, unknown.stderr


def test_quantizing_never_touches_the_files_beside_the_shared_export(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Quantization writes and deletes "<input>-inferred.onnx" beside its input: two
    processes quantizing one cached export at once (Serve replicas starting together) had
    one delete the other's and crash. It reads a private link of the export instead."""
    import onnxruntime.quantization as quantization

    from qa.answering.reader_onnx import _graph

    plain = tmp_path / "reader-x.onnx"
    plain.write_bytes(b"exported")
    theirs = tmp_path / "reader-x-inferred.onnx"  # another process's, mid-quantization
    theirs.write_bytes(b"theirs")
    read = []

    def quantize(model_input: str, model_output: str, **_: object) -> None:
        source = Path(model_input)
        read.append(source)
        inferred = source.with_name(f"{source.stem}-inferred.onnx")
        inferred.write_bytes(b"mine")
        Path(model_output).write_bytes(source.read_bytes() + b" in int8")
        inferred.unlink()

    monkeypatch.setattr(quantization, "quantize_dynamic", quantize)
    target = _graph(tmp_path / "reader-x-int8.onnx", plain, None, ("logits",), True)
    assert target.read_bytes() == b"exported in int8"
    assert read and read[0].parent != plain.parent  # a private copy was read
    assert theirs.read_bytes() == b"theirs"  # the other process's file is untouched
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "reader-x-inferred.onnx",
        "reader-x-int8.onnx",
        "reader-x.onnx",
    ]  # nothing left behind
