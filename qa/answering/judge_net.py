"""The sentence judge's network: does this sentence answer this question? A BERT encoder
over (question, sentence) with one logit on the first token. It starts from the reader's
encoder and shares the reader's embeddings, which stay frozen and are not saved again:
the judge's folder holds its transformer layers and head, and the reader's fingerprint.
Imported only where torch is wanted (training, the ONNX export)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import torch
from torch import nn
from transformers import BertConfig, BertModel

from qa.answering.judge import weights_digest
from qa.answering.windows import WEIGHTS

JUDGE_CONFIG = "judge.json"
MAX_TOKENS = 128  # question and sentence; longer sentences lose their ends
EMBEDDINGS = "embeddings."


class JudgeNet(nn.Module):
    """(question, sentence) token ids -> the logit that the sentence answers the question."""

    def __init__(self, config: BertConfig) -> None:
        super().__init__()
        config._attn_implementation = "eager"  # as the reader: faster bf16 training, plain ONNX
        self.config = config
        self.bert = BertModel(config, add_pooling_layer=False)
        self.head = nn.Linear(config.hidden_size, 1)
        self.bert.embeddings.requires_grad_(False)

    def forward(
        self, input_ids: torch.Tensor, attention_mask: torch.Tensor, token_type_ids: torch.Tensor
    ) -> torch.Tensor:
        hidden = self.bert(
            input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
        ).last_hidden_state
        return self.head(hidden[:, 0]).squeeze(-1)

    @classmethod
    def from_reader(cls, reader_folder: Path) -> JudgeNet:
        """A new judge whose encoder (embeddings and layers) is the reader's."""
        from safetensors.torch import load_file

        config = BertConfig.from_json_file(str(reader_folder / "config.json"))
        net = cls(config)
        state = load_file(str(reader_folder / WEIGHTS))
        net.bert.load_state_dict(
            {n[len("bert.") :]: t.float() for n, t in state.items() if n.startswith("bert.")}
        )
        return net


def save_judge(net: JudgeNet, folder: Path, reader_folder: Path, meta: dict[str, Any]) -> None:
    """Write the judge's own weights (fp16: all but the reader's embeddings) and `judge.json`."""
    from safetensors.torch import save_file

    folder.mkdir(parents=True, exist_ok=True)
    state = {
        name: tensor.detach().to(torch.float16).contiguous()
        for name, tensor in net.state_dict().items()
        if not name.startswith("bert." + EMBEDDINGS)
    }
    save_file(state, str(folder / WEIGHTS), metadata={"format": "pt"})
    meta = {**meta, "reader_weights": weights_digest(reader_folder / WEIGHTS)}
    (folder / JUDGE_CONFIG).write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")


def load_judge(folder: Path, reader_folder: Path) -> JudgeNet:
    """The judge in `folder` on the embeddings of the reader in `reader_folder`, in float32
    and eval mode; a clear error when that reader is not the one it was trained on."""
    from safetensors.torch import load_file

    meta = json.loads((folder / JUDGE_CONFIG).read_text(encoding="utf-8"))
    if meta.get("reader_weights") != weights_digest(reader_folder / WEIGHTS):
        raise ValueError(
            f"the judge in {folder} was trained on another reader than {reader_folder}: retrain it"
        )
    net = JudgeNet.from_reader(reader_folder)
    own = load_file(str(folder / WEIGHTS))
    missing, unexpected = net.load_state_dict({n: t.float() for n, t in own.items()}, strict=False)
    if unexpected or any(not n.startswith("bert." + EMBEDDINGS) for n in missing):
        raise ValueError(f"{folder / WEIGHTS} does not hold a judge: {unexpected or missing}")
    return net.eval()
