"""The embedding model fine-tuned to read Bloom levels: a six-way head on its mean-pooled tokens.

The linear classifier (``bloom.py``) sees the sentence vector, the verbs and the words; a sentence
vector made for similarity loses much of what tells "describe" from "explain" in context. Fine-
tuning the whole encoder on labelled outcomes learns that, and averaging its probabilities with
the linear classifier's gains over either alone (docs/evaluation.md, figures: levels).

Training uses torch directly (a plain loop: AdamW, linear warm-up and decay, binary cross-entropy
per level), with batches of outcomes of similar length so little time goes to padding. The
weights travel inside the saved classifier as a half-precision state dict over the base model's
own configuration, so a saved classifier is one file.
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

LEARNING_RATE = 5e-5  # the encoder's; the new head learns at HEAD_LEARNING_RATE
HEAD_LEARNING_RATE = 1e-3
WEIGHT_DECAY = 0.01
WARMUP_SHARE = 0.06
BATCH_SIZE = 32
MAX_TOKENS = 96  # outcomes are one sentence; 96 word pieces keep all but run-on ones whole
_PREDICT_BATCH = 64


class BloomEncoder:
    """A fine-tuned encoder and head giving the probability of each Bloom level of an outcome."""

    def __init__(self, base_path: Path, *, state: dict | None = None) -> None:
        """Load the base model in ``base_path``; with ``state``, the fine-tuned weights."""
        import torch
        from transformers import AutoModel, AutoTokenizer

        self.base_path = Path(base_path)
        self.tokenizer = AutoTokenizer.from_pretrained(str(self.base_path))
        self.encoder = AutoModel.from_pretrained(str(self.base_path))
        self.head = torch.nn.Linear(self.encoder.config.hidden_size, 6)
        if state is not None:
            self.encoder.load_state_dict(_full(state["encoder"]))
            self.head.load_state_dict(_full(state["head"]))
        self.encoder.eval()

    def _logits(self, texts: Sequence[str]):  # noqa: ANN202 - a torch tensor
        batch = self.tokenizer(
            list(texts), padding=True, truncation=True, max_length=MAX_TOKENS, return_tensors="pt"
        )
        hidden = self.encoder(**batch).last_hidden_state
        mask = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)
        return self.head((hidden * mask).sum(1) / mask.sum(1))

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Return shape (len(texts), 6): each level's probability, in Bloom order."""
        import torch

        if not texts:
            return np.zeros((0, 6))
        order = np.argsort([len(text) for text in texts])
        probabilities = np.zeros((len(texts), 6))
        self.encoder.eval()
        with torch.no_grad():
            for start in range(0, len(order), _PREDICT_BATCH):
                rows = order[start : start + _PREDICT_BATCH]
                logits = self._logits([texts[i] for i in rows])
                probabilities[rows] = torch.sigmoid(logits).numpy()
        return probabilities

    def __getstate__(self) -> dict:
        import torch

        buffer = io.BytesIO()
        torch.save(
            {"encoder": _half(self.encoder.state_dict()), "head": _half(self.head.state_dict())},
            buffer,
        )
        return {"base_path": str(self.base_path), "weights": buffer.getvalue()}

    def __setstate__(self, saved: dict) -> None:
        import torch

        state = torch.load(io.BytesIO(saved["weights"]), weights_only=True)
        self.__init__(Path(saved["base_path"]), state=state)


def _half(state: dict) -> dict:
    """The state dict with its floating-point tensors in half precision, the rest as they are."""
    return {k: v.half() if v.is_floating_point() else v for k, v in state.items()}


def _full(state: dict) -> dict:
    return {k: v.float() if v.is_floating_point() else v for k, v in state.items()}


def fine_tune(
    texts: Sequence[str],
    labels: np.ndarray,
    base_path: Path,
    *,
    epochs: float,
    seed: int = 0,
    report: Callable[[str], None] | None = None,
) -> BloomEncoder:
    """Fine-tune the model in ``base_path`` on outcomes and their (n, 6) labels.

    Batches group outcomes of similar length (sorted by length with some noise each epoch,
    then shuffled as batches), which halves the padding of random batches.
    """
    import torch

    torch.manual_seed(seed)
    model = BloomEncoder(base_path)
    targets = torch.from_numpy(np.asarray(labels, dtype=np.float32))
    lengths = np.array([len(text) for text in texts], dtype=float)
    batches_per_epoch = int(np.ceil(len(texts) / BATCH_SIZE))
    steps = max(1, int(round(batches_per_epoch * epochs)))
    optimiser = torch.optim.AdamW(
        [
            {"params": model.encoder.parameters(), "lr": LEARNING_RATE},
            {"params": model.head.parameters(), "lr": HEAD_LEARNING_RATE},
        ],
        weight_decay=WEIGHT_DECAY,
    )
    warmup = max(1.0, WARMUP_SHARE * steps)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda step: min(1.0, (step + 1) / warmup) * max(0.0, (steps - step) / steps)
    )
    rng = np.random.default_rng(seed)
    model.encoder.train()
    step, started = 0, time.monotonic()
    while step < steps:
        for rows in _length_batches(lengths, rng):
            if step >= steps:
                break
            loss = torch.nn.functional.binary_cross_entropy_with_logits(
                model._logits([texts[i] for i in rows]), targets[rows]
            )
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            schedule.step()
            step += 1
            if report is not None and (step % 100 == 0 or step == steps):
                rate = step * BATCH_SIZE / max(time.monotonic() - started, 1e-9)
                report(
                    f"fine-tuning: step {step}/{steps}, loss {loss.item():.3f}, "
                    f"{rate:.0f} outcomes/s"
                )
    model.encoder.eval()
    return model


def _length_batches(lengths: np.ndarray, rng: np.random.Generator) -> list[np.ndarray]:
    """Return one epoch's batches: rows of similar length together, the batches shuffled."""
    noisy = lengths * rng.uniform(0.9, 1.1, size=len(lengths))
    order = np.argsort(noisy, kind="stable")
    batches = [order[i : i + BATCH_SIZE] for i in range(0, len(order), BATCH_SIZE)]
    return [batches[i] for i in rng.permutation(len(batches))]
