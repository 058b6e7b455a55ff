"""The span reader's network: a BERT encoder with a start/end head over the tokens and an
answerability head on the first token. Imported only where torch is wanted (training, the
ONNX export and the torch inference path); the query path runs the exported ONNX graph."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import torch
from torch import nn
from transformers import BertConfig, BertModel

from qa.answering.windows import WEIGHTS

READER_CONFIG = "reader.json"


class ReaderNet(nn.Module):
    """(question, passage) token ids -> start logits, end logits, answerable logit."""

    def __init__(self, config: BertConfig) -> None:
        super().__init__()
        # eager attention: faster than SDPA for bf16 training on this CPU (13.8 vs 9.8
        # examples/s at 192 tokens) and traced to ONNX without mask shortcuts
        config._attn_implementation = "eager"
        self.config = config
        self.bert = BertModel(config, add_pooling_layer=False)
        self.span = nn.Linear(config.hidden_size, 2)
        self.answerable = nn.Linear(config.hidden_size, 1)

    def forward(
        self, input_ids: torch.Tensor, attention_mask: torch.Tensor, token_type_ids: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        hidden = self.bert(
            input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
        ).last_hidden_state
        start, end = self.span(hidden).unbind(-1)
        return start, end, self.answerable(hidden[:, 0]).squeeze(-1)

    @classmethod
    def from_encoder(cls, encoder_path: str | Path, attention_dropout: float | None = None) -> ReaderNet:
        """A new reader whose encoder starts from the BERT weights at `encoder_path`."""
        encoder = BertModel.from_pretrained(str(encoder_path), add_pooling_layer=False)
        config = BertConfig.from_dict(encoder.config.to_dict())
        if attention_dropout is not None:
            config.attention_probs_dropout_prob = attention_dropout
        net = cls(config)
        net.bert.load_state_dict(encoder.state_dict())
        return net


def save_reader(
    net: ReaderNet, folder: Path, meta: dict[str, Any], dtype: torch.dtype = torch.float16
) -> None:
    """Write the weights (`dtype`, safetensors), the BERT config and `reader.json`."""
    from safetensors.torch import save_file

    folder.mkdir(parents=True, exist_ok=True)
    state = {name: tensor.detach().to(dtype).contiguous() for name, tensor in net.state_dict().items()}
    save_file(state, str(folder / WEIGHTS), metadata={"format": "pt"})
    net.config.to_json_file(str(folder / "config.json"))
    (folder / READER_CONFIG).write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")


def load_reader(folder: Path) -> ReaderNet:
    """The reader saved in `folder`, in float32 and eval mode, loaded offline."""
    from safetensors.torch import load_file

    config = BertConfig.from_json_file(str(folder / "config.json"))
    net = ReaderNet(config)
    state = load_file(str(folder / WEIGHTS))
    net.load_state_dict({name: tensor.float() for name, tensor in state.items()})
    return net.eval()
