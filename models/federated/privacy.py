"""DP-SGD on the device: the adapter update that leaves a client is already private.

Why client-side DP-SGD (opacus) rather than Flower's DP strategy wrappers: Flower's
``DifferentialPrivacy*FixedClipping`` add the noise to the *aggregate*, so the server (or
anyone on the path to it) still sees each user's clipped but un-noised update, and they do
no accounting. Here each client clips every example's gradient to ``max_grad_norm`` and adds
Gaussian noise of ``noise_multiplier * max_grad_norm`` to each step before the weights leave
the device, with Poisson sampling of its examples; an RDP accountant kept on the client for
all rounds turns (noise, sample rate, steps) into an (epsilon, delta) guarantee per example
of that user's feedback, which the client reports with its update. The server is not trusted.

It fits LoRA on a CPU: only the ``lora_A`` / ``lora_B`` linear layers are trainable, so
opacus's per-sample-gradient hooks (``nn.Linear``, sequence inputs) hold a batch-sized copy of
the 2.4 M adapter weights, not of the 135 M base. The loss is the mean over each example's
answer tokens, then over the batch, so one example's gradient never depends on another's length.
"""

from __future__ import annotations

import math
import random
import warnings
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class PrivacyConfig:
    """DP-SGD settings. ``noise_multiplier`` 0 switches the noise off (epsilon is infinite)."""

    noise_multiplier: float = 1.0
    max_grad_norm: float = 1.0
    delta: float = 1e-5
    sample_rate: float = 0.5  # chance that each example joins a step (Poisson sampling)

    def __post_init__(self) -> None:
        if self.noise_multiplier < 0:
            raise ValueError("noise_multiplier must be 0 (no noise) or more")
        if self.max_grad_norm <= 0:
            raise ValueError("max_grad_norm must be positive")
        if not 0 < self.delta < 1:
            raise ValueError("delta must be between 0 and 1")
        if not 0 < self.sample_rate <= 1:
            raise ValueError("sample_rate must be in (0, 1]")

    @property
    def private(self) -> bool:
        return self.noise_multiplier > 0


@dataclass(frozen=True)
class LocalConfig:
    """One client's local training per round."""

    steps: int = 4
    lr: float = 0.05  # plain SGD, as in DP-SGD (Abadi et al.)
    max_len: int = 320


class Accountant:
    """The privacy spent by one client over all rounds (opacus's RDP accountant)."""

    def __init__(self, cfg: PrivacyConfig) -> None:
        from opacus.accountants import RDPAccountant

        self.cfg = cfg
        self._rdp = RDPAccountant()
        self.steps = 0

    def step(self) -> None:
        self.steps += 1
        if self.cfg.private:
            self._rdp.step(
                noise_multiplier=self.cfg.noise_multiplier, sample_rate=self.cfg.sample_rate
            )

    def epsilon(self) -> float:
        if not self.cfg.private:
            return math.inf
        if self.steps == 0:
            return 0.0
        return float(self._rdp.get_epsilon(delta=self.cfg.delta))


def encode_records(tok: Any, records: list[dict[str, Any]], max_len: int) -> list[Any]:
    """Token ids and answer-only labels (``models.training.loop.encode``); unusable ones left."""
    from models.training.loop import IGNORE, encode

    encoded = [encode(tok, r, max_len) for r in records]
    return [e for e in encoded if any(y != IGNORE for y in e[1][1:])]


def per_example_loss(model: Any, ids: Any, labels: Any, mask: Any) -> Any:
    """Mean cross-entropy over each example's answer tokens, then over the batch."""
    import torch
    import torch.nn.functional as F

    from models.training.loop import IGNORE, answer_logits

    target = labels[:, 1:]
    pos = (target != IGNORE).nonzero()
    gold = target[pos[:, 0], pos[:, 1]]
    tok_loss = F.cross_entropy(answer_logits(model, ids, mask, pos), gold, reduction="none")
    rows = ids.shape[0]
    sums = torch.zeros(rows).index_add(0, pos[:, 0], tok_loss)
    counts = torch.zeros(rows).index_add(0, pos[:, 0], torch.ones_like(tok_loss))
    return (sums / counts.clamp(min=1)).mean()


def quiet_warnings() -> None:
    """Silence two harmless warnings of this combination, process-wide (clients are threads
    and ``warnings.catch_warnings`` is not thread-safe): opacus's hooks on ``lora_A`` see a
    frozen input, and peft asks transformers a question under a name it has deprecated."""
    warnings.filterwarnings("ignore", message="Full backward hook is firing", category=UserWarning)
    warnings.filterwarnings("ignore", message="`is_gradient_checkpointing` is deprecated")


class DPTrainer:
    """Local DP-SGD for one client's LoRA model; keeps its accountant across rounds."""

    def __init__(
        self, model: Any, encoded: list[Any], pad: int, cfg: PrivacyConfig, *, seed: int | None
    ) -> None:
        import torch
        from opacus import GradSampleModule

        if not encoded:
            raise ValueError("no training examples")
        quiet_warnings()
        self.model = model
        self.encoded = encoded
        self.pad = pad
        self.cfg = cfg
        self.accountant = Accountant(cfg)
        # Hooks on the trainable (LoRA) linear layers record per-example gradients.
        self._gsm = GradSampleModule(model, batch_first=True, loss_reduction="mean")
        # Noise and sampling must be unpredictable to the server: OS entropy unless a test
        # asks for a fixed seed.
        seed = seed if seed is not None else random.SystemRandom().getrandbits(63)
        self._rng = random.Random(seed)
        self._gen = torch.Generator().manual_seed(seed)

    def train_round(self, local: LocalConfig) -> dict[str, float]:
        """``local.steps`` DP-SGD steps; returns loss, steps and the privacy spent so far."""
        import torch
        from opacus.optimizers import DPOptimizer

        params = [p for p in self.model.parameters() if p.requires_grad]
        expected = max(1, round(self.cfg.sample_rate * len(self.encoded)))
        opt = DPOptimizer(
            torch.optim.SGD(params, lr=local.lr),
            noise_multiplier=self.cfg.noise_multiplier,
            max_grad_norm=self.cfg.max_grad_norm,
            expected_batch_size=expected,
            generator=self._gen,
        )
        self.model.train()
        losses: list[float] = []
        for _ in range(local.steps):
            self._step(opt, params, losses)
            self.accountant.step()
        self.model.eval()
        return {
            "loss": sum(losses) / len(losses) if losses else math.nan,
            "steps": float(local.steps),
            "epsilon": self.accountant.epsilon(),
            "delta": self.cfg.delta,
        }

    def _step(self, opt: Any, params: list[Any], losses: list[float]) -> None:
        import torch

        from models.training.loop import collate

        idx = [i for i in range(len(self.encoded)) if self._rng.random() < self.cfg.sample_rate]
        if idx:
            ids, labels, mask = collate(self.encoded, idx, self.pad)
            loss = per_example_loss(self.model, ids, labels, mask)
            loss.backward()
            losses.append(loss.item())
        else:
            # An empty Poisson batch still takes a noise-only step: skipping it would reveal
            # that nothing was sampled, which the accounting does not allow for.
            for p in params:
                p.grad_sample = torch.zeros((0, *p.shape))
        opt.step()
        opt.zero_grad(set_to_none=True)
