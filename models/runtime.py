"""The local runtime: one owner thread per loaded model, fed through a queue.

A ``llama_cpp.Llama`` is not thread-safe, so only the owner thread ever touches it. Callers
``submit`` and get a ``Reply`` at once; the model loads lazily on the first request and unloads
after ``idle_unload_s`` without requests. Cancel and timeouts are checked between tokens.
"""

from __future__ import annotations

import gc
import logging
import queue
import threading
import time
from collections.abc import Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any

from app.errors import ModelError, WardenError
from models.catalog import ModelEntry
from models.gguf_info import check_fits
from models.llama_construct import construct_llama
from models.probe import probe
from models.reply import Cancelled, ChatResult, Message, Reply, TokenCallback
from models.settings import GenerationOptions
from models.structured import grammar_for, parse_and_validate, schema_instruction

log = logging.getLogger(__name__)


@dataclass
class _Job:
    messages: list[Message]
    options: GenerationOptions
    reply: Reply
    deadline: float


_STOP = object()
_UNLOAD = object()


@dataclass
class _Preload:
    future: Future[float]


def llama_kwargs(entry: ModelEntry) -> dict[str, Any]:
    """The ``llama_cpp.Llama`` arguments for an entry (the benchmark's raw side uses them too)."""
    s = entry.settings
    kwargs: dict[str, Any] = {
        "model_path": str(entry.path),
        "n_ctx": s.n_ctx,
        "n_threads": s.n_threads,
        "n_threads_batch": s.n_threads,
        "verbose": False,
    }
    if entry.info.chat_template is None:
        kwargs["chat_format"] = "chatml"  # without a template of its own, the common one
    if entry.adapter is not None:
        kwargs["lora_path"] = entry.adapter.path
        kwargs["lora_scale"] = entry.adapter_scale
    return kwargs


def open_llama(entry: ModelEntry) -> Any:
    """Load the model after checking that it fits in memory and that loading it does not crash
    (``models.probe``: a child process tries it first)."""
    check_fits(entry.info, entry.settings.n_ctx)
    kwargs = llama_kwargs(entry)
    probe(str(entry.path), adapter_path=kwargs.get("lora_path"), llama_args=kwargs)
    try:
        return construct_llama(kwargs)
    except (ValueError, RuntimeError, OSError) as exc:
        raise ModelError(
            f"Model {entry.name!r} could not be loaded: {exc}",
            hint="Check the file with 'warden model list', or import it again.",
        ) from None


class LocalModel:
    """A catalog entry run on this machine. Safe to call from any thread."""

    def __init__(self, entry: ModelEntry) -> None:
        self.name = entry.name
        self.entry = entry
        self._jobs: queue.Queue[Any] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._start_lock = threading.Lock()
        self._llama: Any = None  # owned by the worker thread alone
        self._loaded = threading.Event()
        self._unloaded = threading.Event()
        self._unloaded.set()
        self.load_seconds: float | None = None

    # -- callers -----------------------------------------------------------------------------
    @property
    def is_loaded(self) -> bool:
        return self._loaded.is_set()

    def wait_unloaded(self, timeout: float | None = None) -> bool:
        """Block until the model is not loaded (e.g. freed after ``idle_unload_s``)."""
        return self._unloaded.wait(timeout)

    def submit(
        self,
        messages: Sequence[Message],
        options: GenerationOptions | None = None,
        *,
        on_token: TokenCallback | None = None,
    ) -> Reply:
        opts = options or GenerationOptions()
        reply = Reply(on_token)
        msgs = [dict(m) for m in messages]
        if opts.schema is not None and opts.schema_hint:
            msgs = [{"role": "system", "content": schema_instruction(opts.schema)}, *msgs]
        self._ensure_thread()
        self._jobs.put(_Job(msgs, opts, reply, time.monotonic() + opts.timeout_s))
        return reply

    def preload(self) -> Future[float]:
        """Load now, off the caller's thread (e.g. at start-up); the result is the load time."""
        job = _Preload(Future())
        self._ensure_thread()
        self._jobs.put(job)
        return job.future

    def unload(self) -> None:
        """Ask the worker to free the model after the requests already queued."""
        if self._thread is not None:
            self._jobs.put(_UNLOAD)

    def close(self, timeout: float | None = 10.0) -> None:
        thread = self._thread
        if thread is not None:
            self._jobs.put(_STOP)
            thread.join(timeout)

    def __enter__(self) -> LocalModel:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the owner thread --------------------------------------------------------------------
    def _ensure_thread(self) -> None:
        with self._start_lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._run, name=f"model-{self.name}", daemon=True
                )
                self._thread.start()

    def _run(self) -> None:
        idle = self.entry.settings.idle_unload_s
        while True:
            try:
                job = self._jobs.get(timeout=idle if self._llama is not None else None)
            except queue.Empty:
                log.info("unloading %s after %.0f s idle", self.name, idle)
                self._free()
                continue
            if job is _STOP:
                self._free()
                return
            if job is _UNLOAD:
                self._free()
                continue
            if isinstance(job, _Preload):
                try:
                    self._load()
                    job.future.set_result(self.load_seconds or 0.0)
                except Exception as exc:
                    job.future.set_exception(exc)
                continue
            try:
                self._serve(job)
            except WardenError as exc:
                job.reply.fail(exc)
            except Exception as exc:  # a bug: the caller gets an error, the thread lives on
                log.exception("model %s failed", self.name)
                job.reply.fail(ModelError(f"The model failed: {exc}"))

    def _free(self) -> None:
        if self._llama is not None:
            self._llama.close()
            self._llama = None
            self._loaded.clear()
            gc.collect()
            self._unloaded.set()

    def _load(self) -> Any:
        if self._llama is None:
            started = time.perf_counter()
            self._unloaded.clear()
            try:
                self._llama = open_llama(self.entry)
            except BaseException:
                self._unloaded.set()
                raise
            self.load_seconds = time.perf_counter() - started
            self._loaded.set()
        return self._llama

    def _serve(self, job: _Job) -> None:
        reply, opts = job.reply, job.options
        if reply.cancelled:
            raise Cancelled("The request was cancelled.")
        llama = self._load()
        self._check_time(job)
        kwargs: dict[str, Any] = {
            "messages": job.messages,
            "max_tokens": opts.max_tokens,
            "temperature": self.entry.settings.temperature
            if opts.temperature is None
            else opts.temperature,
            "stop": list(opts.stop) or None,
            "stream": True,
        }
        if opts.seed is not None:
            kwargs["seed"] = opts.seed
        if opts.schema is not None:
            kwargs["grammar"] = grammar_for(opts.schema)
        if opts.ignore_eos:
            kwargs["logit_bias"] = {llama.token_eos(): float("-inf")}
        pieces: list[str] = []
        finish = "stop"
        chunks = llama.create_chat_completion(**kwargs)
        try:
            for chunk in chunks:
                choice = chunk["choices"][0]
                text = choice["delta"].get("content")
                if text:
                    pieces.append(text)
                    reply.emit(text)
                finish = choice.get("finish_reason") or finish
                if reply.cancelled:
                    raise Cancelled("The request was cancelled.")
                self._check_time(job)
        finally:
            chunks.close()  # stops llama.cpp at once on cancel or timeout
        text = "".join(pieces)
        completion = reply.token_count
        result = ChatResult(
            text=text,
            finish_reason=finish,
            prompt_tokens=max(int(llama.n_tokens) - completion, 0),
            completion_tokens=completion,
            model=self.name,
        )
        if opts.schema is not None:
            if finish == "length":
                raise ModelError(
                    f"The answer was cut off at the {opts.max_tokens}-token limit.",
                    hint="Raise max_tokens for this request.",
                )
            result = ChatResult(
                **{**result.__dict__, "data": parse_and_validate(text, opts.schema)}
            )
        reply.finish(result)

    def _check_time(self, job: _Job) -> None:
        if time.monotonic() > job.deadline:
            raise ModelError(
                f"The model did not finish within {job.options.timeout_s:g} s.",
                hint="Ask for a shorter answer, raise the time limit, or use a smaller model.",
            )
