"""Constructing a ``llama_cpp.Llama`` the way every Warden load does (the runtime, the load
probe's child process, the benchmark, evaluation): without llama.cpp's extra (repack) buffer
types where the CPU makes them unsafe."""

from __future__ import annotations

import logging
import threading
from typing import Any

from models.cpu import CpuFlags, read_cpu_flags, use_extra_buffer_types

log = logging.getLogger(__name__)

_construct_lock = threading.Lock()


def construct_llama(kwargs: dict[str, Any], cpu: CpuFlags | None = None) -> Any:
    """``Llama(**kwargs)``, without llama.cpp's extra (repack) buffer types where the CPU makes
    them unsafe (``models.cpu.use_extra_buffer_types``).

    ``Llama`` has no argument for it, so the model parameters it starts from are wrapped for the
    time of this construction (under a lock: every Warden load goes through here).
    """
    from llama_cpp import Llama
    from llama_cpp import llama_cpp as lib

    if use_extra_buffer_types(cpu or read_cpu_flags()):
        return Llama(**kwargs)
    if "use_extra_bufts" not in {name for name, *_ in lib.llama_model_params._fields_}:
        log.warning("this llama.cpp build cannot turn off extra buffer types; loading as is")
        return Llama(**kwargs)
    with _construct_lock:
        default_params = lib.llama_model_default_params

        def params_without_extra_bufts() -> Any:
            params = default_params()
            params.use_extra_bufts = False
            return params

        lib.llama_model_default_params = params_without_extra_bufts
        try:
            return Llama(**kwargs)
        finally:
            lib.llama_model_default_params = default_params
