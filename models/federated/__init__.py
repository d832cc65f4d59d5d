"""Federated fine-tuning of the LoRA adapter with differential privacy (``warden train federated``).

Many users improve the shared adapter without sharing their data: each device fine-tunes the
adapter on its own feedback (from the encrypted store, anonymized first) with DP-SGD, and only
the adapter's weights travel to a Flower server, which averages them (FedAvg). The base model
is shared and frozen; it never travels.

Never imported at app start-up. torch, opacus and flwr are imported inside functions only (they
are the optional ``train`` extra); ``params`` and ``privacy`` hold the pure-Python parts.
"""
