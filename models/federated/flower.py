"""The Flower side: a real Flower server (gRPC on a local or LAN address) running FedAvg over
the adapter's arrays, and clients that train on their own feedback with DP-SGD.

flwr 1.x's long-standing ``grpc-bidi`` transport is used (``start_grpc_server`` + ``run_fl``,
the parts ``flwr.server.start_server`` is made of, without its process-wide signal handlers,
so the server can run in a thread of the CLI or a test). Flower's telemetry is switched off
before flwr is imported: Warden sends nothing anywhere the user did not ask for.
"""

from __future__ import annotations

import logging
import math
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from models.federated.params import get_weights, set_weights

# What a client may report besides its arrays and example count: numbers only.
METRIC_KEYS = frozenset({"loss", "steps", "epsilon", "delta"})


def quiet_flwr() -> None:
    """No telemetry, and Flower's chatter off the console (call before importing flwr): its
    INFO lines, and the notice that ``start_client`` / the grpc-bidi server are deprecated in
    favour of the SuperLink / SuperNode processes (the run needs neither)."""
    os.environ["FLWR_TELEMETRY_ENABLED"] = "0"
    logging.getLogger("flwr").setLevel(logging.ERROR)


@dataclass
class RoundReport:
    round: int
    clients: int
    examples: int
    epsilon: float  # the largest epsilon any client reports (the worst-off user), cumulative
    delta: float
    loss: float
    seconds: float  # from sending the adapter out to the aggregate


@dataclass
class Received:
    """What the server got from one client in one round: nothing but these."""

    shapes: list[tuple[int, ...]]
    dtypes: list[str]
    num_examples: int
    metrics: dict[str, Any]
    arrays: list[np.ndarray] = field(repr=False)


def make_strategy(initial: list[np.ndarray], clients: int) -> Any:
    """FedAvg over the adapter, waiting for ``clients`` clients each round; it keeps a record
    of what it received (``received``), the aggregates (``aggregates``) and ``reports``."""
    quiet_flwr()
    from flwr.common import ndarrays_to_parameters, parameters_to_ndarrays
    from flwr.server.strategy import FedAvg

    shapes = [a.shape for a in initial]

    class AdapterFedAvg(FedAvg):  # type: ignore[misc]
        def __init__(self) -> None:
            super().__init__(
                fraction_fit=1.0,
                fraction_evaluate=0.0,
                min_fit_clients=clients,
                min_evaluate_clients=0,
                min_available_clients=clients,
                accept_failures=False,
                initial_parameters=ndarrays_to_parameters(initial),
                # the round's figures are computed below; this only keeps FedAvg from warning
                fit_metrics_aggregation_fn=lambda _m: {},
            )
            self.received: list[list[Received]] = []
            self.aggregates: list[list[np.ndarray]] = []
            self.reports: list[RoundReport] = []
            self._started = 0.0

        def configure_fit(self, server_round: int, parameters: Any, client_manager: Any) -> Any:
            self._started = time.monotonic()
            return super().configure_fit(server_round, parameters, client_manager)

        def aggregate_fit(self, server_round: int, results: Any, failures: Any) -> Any:
            got, good = [], []
            for proxy, res in results:
                arrays = parameters_to_ndarrays(res.parameters)
                if [a.shape for a in arrays] != shapes or set(res.metrics) - METRIC_KEYS:
                    failures = [*failures, res]  # not an update of this adapter: refused
                    continue
                good.append((proxy, res))
                got.append(
                    Received(
                        [a.shape for a in arrays],
                        [str(a.dtype) for a in arrays],
                        res.num_examples,
                        dict(res.metrics),
                        arrays,
                    )
                )
            self.received.append(got)
            params, metrics = super().aggregate_fit(server_round, good, failures)
            if params is None:
                return params, metrics
            self.aggregates.append(parameters_to_ndarrays(params))
            eps = [float(r.metrics.get("epsilon", math.inf)) for r in got]
            losses = [float(r.metrics.get("loss", math.nan)) for r in got]
            self.reports.append(
                RoundReport(
                    round=server_round,
                    clients=len(got),
                    examples=sum(r.num_examples for r in got),
                    epsilon=max(eps) if eps else math.inf,
                    delta=max(float(r.metrics.get("delta", 0.0)) for r in got),
                    loss=float(np.nanmean(losses)) if got else math.nan,
                    seconds=time.monotonic() - self._started,
                )
            )
            return params, {"epsilon": self.reports[-1].epsilon}

    return AdapterFedAvg()


def serve(
    strategy: Any,
    rounds: int,
    address: str,
    *,
    round_timeout: float | None = None,
    certificates: tuple[bytes, bytes, bytes] | None = None,
    on_listening: Callable[[str], None] | None = None,
) -> Any:
    """Run a Flower server on ``address`` for ``rounds`` rounds; Flower's ``History``.
    ``certificates`` (CA, server certificate, server key; PEM): TLS, for anything beyond
    the loopback interface. Port 0 lets the OS pick a free port as it binds (nothing else
    can take it in between); ``on_listening`` gets the address actually bound, once the
    gRPC server is started and accepting connections, before the first round waits for
    its clients."""
    quiet_flwr()
    from flwr.server import Server, ServerConfig, SimpleClientManager
    from flwr.server.server import run_fl
    from flwr.server.superlink.fleet.grpc_bidi.grpc_server import start_grpc_server

    manager = SimpleClientManager()
    grpc_server = start_grpc_server(
        client_manager=manager, server_address=address, certificates=certificates
    )
    try:
        if on_listening is not None:
            # flwr records the port it bound (the OS's pick for port 0) as ``bound_address``
            on_listening(getattr(grpc_server, "bound_address", address))
        server = Server(client_manager=manager, strategy=strategy)
        return run_fl(server, ServerConfig(num_rounds=rounds, round_timeout=round_timeout))
    finally:
        grpc_server.stop(grace=1)


def make_client(model: Any, trainer: Any, local: Any, num_examples: int) -> Any:
    """A Flower client around one user's LoRA model and its ``privacy.DPTrainer``.

    What it returns to the server is the adapter's arrays, the example count and the numbers
    in ``METRIC_KEYS``; the examples themselves stay in this process."""
    quiet_flwr()
    from flwr.client import NumPyClient

    class AdapterClient(NumPyClient):
        def __init__(self) -> None:
            self.sent: list[list[np.ndarray]] = []

        def get_parameters(self, config: dict[str, Any]) -> list[np.ndarray]:
            return get_weights(model)

        def fit(
            self, parameters: list[np.ndarray], config: dict[str, Any]
        ) -> tuple[list[np.ndarray], int, dict[str, Any]]:
            set_weights(model, parameters)
            metrics = trainer.train_round(local)
            out = get_weights(model)
            self.sent.append(out)
            return out, num_examples, {k: float(v) for k, v in metrics.items()}

    return AdapterClient()


def join(
    client: Any, address: str, *, max_wait: float = 60.0, root_certificates: bytes | None = None
) -> None:
    """Connect ``client`` to the server at ``address`` and serve its rounds until it ends.
    ``root_certificates`` (PEM): the CA to verify a TLS server with; without it the
    connection is plain gRPC, for the loopback interface only. ``max_wait``: how long to
    wait for the server to answer (gRPC reconnects with backoff meanwhile); then
    ``ModelError``."""
    quiet_flwr()
    from flwr.compat.client.app import start_client

    _wait_for_server(address, max_wait, root_certificates)
    start_client(
        server_address=address,
        client=client.to_client(),
        insecure=root_certificates is None,
        root_certificates=root_certificates,
        max_wait_time=max_wait,  # grpc-bidi ignores it: the wait above is what retries
    )


def _wait_for_server(address: str, max_wait: float, root_certificates: bytes | None) -> None:
    """Block until a gRPC connection to ``address`` is ready, at most ``max_wait`` seconds.
    Flower's grpc-bidi client does not retry: a first dial that finds nothing listening
    ends it with "connection refused"."""
    import grpc

    from app.errors import ModelError

    channel = (
        grpc.insecure_channel(address)
        if root_certificates is None
        else grpc.secure_channel(address, grpc.ssl_channel_credentials(root_certificates))
    )
    try:
        grpc.channel_ready_future(channel).result(timeout=max_wait)
    except grpc.FutureTimeoutError:
        raise ModelError(
            f"No federated server answered at {address} within {max_wait:g} s."
        ) from None
    finally:
        channel.close()


__all__ = [
    "METRIC_KEYS",
    "Received",
    "RoundReport",
    "join",
    "make_client",
    "make_strategy",
    "serve",
    "set_weights",
]
