"""The Flower ServerApp that ``warden federate serve`` starts with ``flwr run``.

FedAvg over the LoRA adapter, each round's updates summed under SecAgg+ (Flower's
``SecAggPlusWorkflow``; the clients run ``secaggplus_mod``), so the server learns only the
weighted sum. A round goes on with the clients that answer, as long as ``min-clients`` do
(SecAgg+ recovers the masks of a client that dropped out). After the last round every client
receives the aggregate and decides, on its own held-out examples, whether to keep it.

The round figures (clients, each client's reported epsilon, seconds) are written to the
``report`` file the run config names: numbers only, nothing about any client's data.
"""

from __future__ import annotations

import math
import time
from pathlib import Path
from typing import Any

# What a client may report besides its arrays and example count: numbers only.
FIT_METRICS = frozenset({"epsilon", "delta"})


def make_strategy(*, initial: Any, rounds: int, min_clients: int, report: Path | None) -> Any:
    """FedAvg over the adapter that writes the round figures to ``report``."""
    from flwr.common import ndarrays_to_parameters
    from flwr.server.strategy import FedAvg

    class AdapterFedAvg(FedAvg):  # type: ignore[misc]
        def __init__(self) -> None:
            super().__init__(
                fraction_fit=1.0,
                fraction_evaluate=1.0,
                min_fit_clients=min_clients,
                min_evaluate_clients=min_clients,
                min_available_clients=min_clients,
                accept_failures=True,
                initial_parameters=ndarrays_to_parameters(initial),
                on_fit_config_fn=lambda r: {"round": r},
                fit_metrics_aggregation_fn=lambda _m: {},
                evaluate_metrics_aggregation_fn=lambda _m: {},
            )
            self.rounds = rounds
            self.report_path = report
            self.report: dict[str, Any] = {"rounds": [], "finished": False}
            self._started = 0.0

        def configure_fit(self, server_round: int, parameters: Any, client_manager: Any) -> Any:
            self._started = time.monotonic()
            return super().configure_fit(server_round, parameters, client_manager)

        def aggregate_fit(self, server_round: int, results: Any, failures: Any) -> Any:
            good = [(p, r) for p, r in results if not set(r.metrics) - FIT_METRICS]
            params, metrics = super().aggregate_fit(server_round, good, failures)
            eps = sorted(float(r.metrics.get("epsilon", math.inf)) for _, r in good)
            self.report["rounds"].append(
                {
                    "round": server_round,
                    "clients": len(good),
                    "failures": len(failures) + len(results) - len(good),
                    "epsilon": eps,
                    "aggregated": params is not None,
                    "seconds": time.monotonic() - self._started,
                }
            )
            self._write()
            return params, metrics

        def configure_evaluate(
            self, server_round: int, parameters: Any, client_manager: Any
        ) -> Any:
            # only the final aggregate is offered back to the clients
            if server_round != self.rounds:
                return []
            return super().configure_evaluate(server_round, parameters, client_manager)

        def aggregate_evaluate(self, server_round: int, results: Any, failures: Any) -> Any:
            adopted = sum(1 for _, r in results if r.metrics.get("adopted") == 1.0)
            self.report["evaluation"] = {"clients": len(results), "adopted": adopted}
            self._write()
            return None, {}

        def finish(self) -> None:
            self.report["finished"] = True
            self._write()

        def _write(self) -> None:
            if self.report_path is not None:
                from models.federated.ledger import write_json

                write_json(self.report_path, self.report)

    return AdapterFedAvg()


def make_app() -> Any:
    """The ServerApp; the generated app module calls this (no flwr import at the top here)."""
    from flwr.server import ServerApp

    app = ServerApp()
    app.main()(run)
    return app


def run(grid: Any, context: Any) -> None:
    from flwr.server import LegacyContext, ServerConfig
    from flwr.server.workflow import DefaultWorkflow, SecAggPlusWorkflow

    from models.federated.task import RunSettings, initial_adapter

    cfg = context.run_config
    settings = RunSettings.from_config(cfg)
    rounds = int(cfg.get("rounds", 2))
    min_clients = int(cfg.get("min-clients", 2))
    report = str(cfg.get("report", ""))
    strategy = make_strategy(
        initial=initial_adapter(settings),
        rounds=rounds,
        min_clients=min_clients,
        report=Path(report) if report else None,
    )
    timeout = float(cfg.get("stage-timeout", 600.0))
    legacy = LegacyContext(
        context=context,
        config=ServerConfig(num_rounds=rounds, round_timeout=timeout),
        strategy=strategy,
    )
    secagg = SecAggPlusWorkflow(
        num_shares=1.0,  # every sampled client holds a share of every other's secret
        reconstruction_threshold=min_clients,
        timeout=timeout,  # a client that does not answer a stage in time is dropped
    )
    DefaultWorkflow(fit_workflow=secagg)(grid, legacy)
    strategy.finish()
