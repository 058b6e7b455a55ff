"""The reader's training stage 2 (train/sharednorm.py) on tiny data: the shared-normalisation
loss spreads over every passage of a question, and a killed run resumes to the very weights
an uninterrupted run reaches. No real training here: a 2-layer, 32-wide BERT, six steps."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
import torch

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "train")]

import groups  # noqa: E402
import sharednorm  # noqa: E402


def test_the_shared_loss_reaches_every_passage_of_the_question() -> None:
    width = 6
    start = torch.zeros(2, width, requires_grad=True)
    end = torch.zeros(2, width, requires_grad=True)
    allowed = torch.tensor([[True, False, True, True, True, False]] * 2)
    target = 1 * width + 3  # the answer is in the second passage, token 3
    loss = sharednorm.shared_loss(start, end, allowed, [(0, 2, [target], [target])])
    loss.backward()
    grad = start.grad
    assert grad is not None
    assert grad[1, 3] < 0  # the answer is pushed up
    assert (grad[0, [0, 2, 3, 4]] > 0).all()  # and every token of the other passage down
    assert grad[0, 1] == 0 and grad[0, 5] == 0  # question tokens and padding are not candidates
    # one softmax over both passages: the loss is log(8 candidates) at uniform logits
    assert float(loss.detach()) == pytest.approx(np.log(8), abs=1e-5)


def test_an_unanswerable_group_wants_no_answer_from_every_passage() -> None:
    width = 4
    allowed = torch.tensor([[True, False, True, True]] * 3)
    groups = [(0, 3, [0, width, 2 * width], [0, width, 2 * width])]
    confident = torch.full((3, width), -5.0)
    confident[:, 0] = 5.0
    unsure = torch.zeros(3, width)
    assert sharednorm.shared_loss(confident, confident, allowed, groups) < 0.01
    assert sharednorm.shared_loss(unsure, unsure, allowed, groups) > 1.0


def tiny_setup(folder: Path) -> tuple[Path, Path]:
    """A tiny random reader and 16 groups of two or three windows in `folder`."""
    from transformers import BertConfig

    from qa.answering.reader_net import ReaderNet, save_reader

    torch.manual_seed(0)
    config = BertConfig(
        vocab_size=64, hidden_size=32, num_hidden_layers=2, num_attention_heads=2, intermediate_size=64
    )
    init = folder / "init"
    save_reader(ReaderNet(config), init, {"format": 1}, dtype=torch.float32)
    cache = folder / "cache"
    cache.mkdir()
    rng = np.random.default_rng(0)
    out = groups.GroupWriter()
    for g in range(16):
        windows = []
        for _ in range(2 + g % 2):
            n = int(rng.integers(10, 20))
            ids = rng.integers(5, 64, n)
            ids[0], ids[4], ids[-1] = 2, 3, 3
            types = np.r_[np.zeros(5), np.ones(n - 5)]
            allowed = np.r_[np.zeros(5), np.ones(n - 6), [0]].astype(bool)
            windows.append(SimpleNamespace(ids=ids, types=types, allowed=allowed))
        targets = [(0, 6, 8)] if g % 3 else []
        out.add(windows, targets, 0 if targets else 1, {"q": f"question {g}", "answers": ["x"]})
    out.save(cache / "train.npz")
    return init, cache


def run_stage(init: Path, cache: Path, *extra: str, failpoint: str = "") -> subprocess.CompletedProcess[str]:
    command = [
        sys.executable,
        str(ROOT / "train" / "sharednorm.py"),
        "--cache",
        str(cache),
        "--init",
        str(init),
    ]
    command += ["train", "--steps", "6", "--save-every", "1", "--threads", "1", "--quiet", *extra]
    env = {**os.environ, "QA_FAILPOINT": failpoint}
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)


@pytest.mark.slow
def test_a_killed_stage_resumes_to_the_weights_of_an_uninterrupted_one(tmp_path: Path) -> None:
    init, whole = tiny_setup(tmp_path)
    done = run_stage(init, whole)
    assert done.returncode == 0, done.stderr
    stopped = tmp_path / "stopped"
    stopped.mkdir()
    for name in ("train.npz", "train.json"):
        (stopped / name).write_bytes((whole / name).read_bytes())
    killed = run_stage(init, stopped, failpoint="after-checkpoint:3")
    assert killed.returncode == -signal.SIGKILL
    assert torch.load(stopped / "checkpoint.pt", weights_only=False)["step"] == 3
    resumed = run_stage(init, stopped, "--resume")
    assert resumed.returncode == 0, resumed.stderr
    assert "resumed at step 3/6" in resumed.stdout
    a = torch.load(whole / "checkpoint.pt", weights_only=False)
    b = torch.load(stopped / "checkpoint.pt", weights_only=False)
    assert a["step"] == b["step"] == 6
    for name, tensor in a["net"].items():
        assert torch.equal(tensor, b["net"][name]), name


@pytest.mark.parametrize("script", ["reader.py", "sharednorm.py", "calibrate.py", "judge.py"])
def test_the_training_scripts_start_as_documented(script: str) -> None:
    """Each script, run by its path, finds its sibling modules in train/ and the qa package."""
    done = subprocess.run(
        [sys.executable, str(ROOT / "train" / script), "--help"], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert "usage:" in done.stdout


def test_a_run_with_a_time_budget_ends_within_it() -> None:
    """`--seconds`: the last step is where the time left runs out, never past the planned
    total and never before the next step."""
    assert sharednorm.fitted_total(total=10_000, step=40, seconds_per_step=0.5, seconds_left=100) == 240
    assert sharednorm.fitted_total(total=100, step=40, seconds_per_step=0.5, seconds_left=100) == 100
    assert sharednorm.fitted_total(total=100, step=40, seconds_per_step=5.0, seconds_left=1) == 41


def test_batches_of_any_size_take_every_group_once_per_epoch(tmp_path: Path) -> None:
    _, cache = tiny_setup(tmp_path)
    stored = groups.Groups(cache / "train.npz")
    for per_batch in (1, 3, 8):
        batches = sharednorm.batches_for_epoch(stored, epoch=0, per_batch=per_batch)
        assert sorted(g for b in batches for g in b) == list(range(len(stored)))
        assert max(len(b) for b in batches) == per_batch
    # the windows keep their token ids when stored as 16-bit numbers
    assert stored.ids[0].dtype == np.uint16 and stored.batch([0])["input_ids"].max() < 64


def test_a_fitted_run_has_warmed_up_by_the_time_it_is_fitted() -> None:
    """With --seconds the total is fitted after TIMED_STEPS steps: the warm-up must be over by
    then (it once stayed at 5% of the unfitted total, so the learning rate never decayed)."""
    assert sharednorm.warmup_steps(15_342, fitted=True) == sharednorm.TIMED_STEPS
    assert sharednorm.warmup_steps(15_342, fitted=False) == 767
    assert sharednorm.warmup_steps(6, fitted=True) == 1


@pytest.mark.slow
def test_frozen_embeddings_stay_as_they_were_and_the_layers_learn(tmp_path: Path) -> None:
    """`--freeze-embeddings`: the embeddings the sentence judge reads are bit for bit the
    starting model's after training; the layers above them moved."""
    from safetensors.torch import load_file

    init, cache = tiny_setup(tmp_path)
    done = run_stage(init, cache, "--freeze-embeddings", "--lr", "1e-3")
    assert done.returncode == 0, done.stderr
    start = load_file(str(init / "model.safetensors"))
    trained = torch.load(cache / "checkpoint.pt", weights_only=False)["net"]
    embeddings = [n for n in start if ".embeddings." in n]
    assert embeddings
    for name in embeddings:
        assert torch.equal(trained[name].to(start[name].dtype), start[name]), name
    layer = "bert.encoder.layer.0.attention.self.query.weight"
    assert not torch.equal(trained[layer].to(start[layer].dtype), start[layer])
