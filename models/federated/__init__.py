"""Federated fine-tuning of the LoRA adapter with differential privacy.

Many users improve the shared adapter without sharing their data: each device fine-tunes the
adapter on its own feedback (from the encrypted store, anonymized first) with DP-SGD, and only
the adapter's weights travel, summed under SecAgg+ so the server sees only the aggregate. The
base model is shared and frozen; it never travels.

Two ways to run it:

- ``warden federate serve|join|status|leave`` (``warden/commands/federate.py``): Flower's
  deployment engine between machines. ``serve`` runs ``flower-superlink`` (TLS, SuperNode
  authentication) and starts the Flower App (``server_app`` + ``client_app``, written out by
  ``fab``) with ``flwr run``; ``join`` runs ``flower-supernode`` for this wallet. The real
  model (3 SuperNodes, 3 rounds)::

      warden federate join --node n1 --make-key          # on each wallet; send n1/node.pub
      warden federate serve --make-certs --host HOST --admit n1.pub --admit n2.pub \\
          --admit n3.pub --clients 3 --rounds 3          # --model bundled is the default
      warden federate join HOST:9092 --node n1 --ca ca.crt   # on each wallet
      warden federate status --node n1                   # epsilon, scores, adopted or not

- ``warden train federated`` (``simulate``): the older in-process simulation on 127.0.0.1.

Taking part is opt-in (Settings -> "Help improve the model", kept by ``optin``; ``warden
federate join`` without an address reads it). Every example passes the anonymization layer
with the wallet's names before it is written for the node and again in the ClientApp
(``examples``); an example holding a phrase or a key is dropped whole.

Never imported at app start-up. torch, opacus and flwr are imported inside functions only (they
are the optional ``train`` extra); ``params``, ``privacy`` and ``ledger`` hold the light parts.
"""
