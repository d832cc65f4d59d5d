"""A larger host: any OpenAI-compatible endpoint (llama.cpp server, Ollama, vLLM, a service).

Same interface as the local runtime. Every message passes the anonymizer before it leaves, and
the answer (streamed pieces, final text, parsed object) comes back with the real values.
``preview`` returns exactly the body that ``submit`` sends.
"""

from __future__ import annotations

import json
import logging
import time
import urllib.error
import urllib.request
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from app.errors import ModelError, NetworkError, WardenError
from models.anonymize import Anonymizer
from models.reply import Cancelled, ChatResult, Message, Reply, TokenCallback
from models.settings import GenerationOptions
from models.structured import parse_and_validate, schema_instruction

log = logging.getLogger(__name__)


def check_url(url: str) -> str:
    url = url.strip().rstrip("/")
    if not url.startswith(("http://", "https://")):
        raise ModelError(
            f"{url!r} is not an http(s) URL.",
            hint="Use the host's base URL, e.g. http://127.0.0.1:8080/v1",
        )
    return url


class RemoteModel:
    """An OpenAI-compatible chat endpoint behind the anonymization layer."""

    def __init__(
        self,
        base_url: str,
        *,
        model: str = "default",
        api_key: str | None = None,
        names: Iterable[str] = (),
        json_schema: bool = True,
        max_parallel: int = 2,
    ) -> None:
        self.base_url = check_url(base_url)
        self.name = f"remote:{model}"
        self.model = model
        self._api_key = api_key
        self._names = tuple(names)  # account labels and address-book names to hide
        self._json_schema = json_schema
        self._pool = ThreadPoolExecutor(max_parallel, thread_name_prefix="remote-model")

    # -- what is sent ------------------------------------------------------------------------
    def _build(
        self, messages: Sequence[Message], options: GenerationOptions
    ) -> tuple[dict[str, Any], Anonymizer]:
        anonymizer = Anonymizer(self._names)
        msgs = anonymizer.anonymize_messages(messages)
        body: dict[str, Any] = {
            "model": self.model,
            "messages": msgs,
            "max_tokens": options.max_tokens,
            "stream": True,
        }
        if options.temperature is not None:
            body["temperature"] = options.temperature
        if options.stop:
            body["stop"] = list(options.stop)
        if options.seed is not None:
            body["seed"] = options.seed
        if options.schema is not None:
            if options.schema_hint:
                body["messages"] = [
                    {"role": "system", "content": schema_instruction(options.schema)},
                    *msgs,
                ]
            if self._json_schema:
                body["response_format"] = {
                    "type": "json_schema",
                    "json_schema": {"name": "answer", "schema": options.schema, "strict": True},
                }
            else:
                body["response_format"] = {"type": "json_object"}
        return body, anonymizer

    def preview(
        self, messages: Sequence[Message], options: GenerationOptions | None = None
    ) -> dict[str, Any]:
        """Exactly the JSON body a request would send (raises on a private key or phrase)."""
        return self._build(messages, options or GenerationOptions())[0]

    # -- sending -----------------------------------------------------------------------------
    def submit(
        self,
        messages: Sequence[Message],
        options: GenerationOptions | None = None,
        *,
        on_token: TokenCallback | None = None,
    ) -> Reply:
        opts = options or GenerationOptions()
        reply = Reply(on_token)
        try:
            body, anonymizer = self._build(messages, opts)
        except WardenError as exc:  # a secret in the text: refused before anything is sent
            reply.fail(exc)
            return reply
        self._pool.submit(self._run, body, anonymizer, opts, reply)
        return reply

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)

    def _run(
        self, body: dict[str, Any], anonymizer: Anonymizer, opts: GenerationOptions, reply: Reply
    ) -> None:
        try:
            reply.finish(self._exchange(body, anonymizer, opts, reply))
        except WardenError as exc:
            reply.fail(exc)
        except Exception as exc:  # a bug: fail the request, keep the pool alive
            log.exception("remote request failed")
            reply.fail(ModelError(f"The remote request failed: {exc}"))

    def _exchange(
        self, body: dict[str, Any], anonymizer: Anonymizer, opts: GenerationOptions, reply: Reply
    ) -> ChatResult:
        deadline = time.monotonic() + opts.timeout_s
        headers = {"Content-Type": "application/json", "Accept": "text/event-stream"}
        if self._api_key:
            headers["Authorization"] = f"Bearer {self._api_key}"
        request = urllib.request.Request(  # noqa: S310 - the scheme is checked in check_url
            f"{self.base_url}/chat/completions",
            data=json.dumps(body).encode(),
            headers=headers,
            method="POST",
        )
        restorer = anonymizer.stream_restorer()
        raw: list[str] = []
        finish = "stop"
        usage: dict[str, Any] = {}
        try:
            with urllib.request.urlopen(request, timeout=opts.timeout_s) as resp:  # noqa: S310
                for event in _sse_events(resp):
                    usage = event.get("usage") or usage
                    for choice in event.get("choices", [])[:1]:
                        piece = (choice.get("delta") or choice.get("message") or {}).get("content")
                        if piece:
                            raw.append(piece)
                            shown = restorer.feed(piece)
                            if shown:
                                reply.emit(shown)
                        finish = choice.get("finish_reason") or finish
                    if reply.cancelled:
                        raise Cancelled("The request was cancelled.")
                    if time.monotonic() > deadline:
                        raise ModelError(f"The host did not finish within {opts.timeout_s:g} s.")
        except urllib.error.HTTPError as exc:
            if exc.code in (401, 403):
                raise ModelError(
                    f"The host refused the request ({exc.code}).",
                    hint="Check the API key in the larger-host settings.",
                ) from None
            raise NetworkError(f"The host answered HTTP {exc.code}: {exc.reason}") from None
        except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
            reason = getattr(exc, "reason", exc)
            raise NetworkError(
                f"The host at {self.base_url} could not be reached: {reason}",
                hint="Check the URL in the larger-host settings, or turn remote use off.",
            ) from None
        tail = restorer.flush()
        if tail:
            reply.emit(tail)
        text = anonymizer.restore("".join(raw))
        data = None
        if opts.schema is not None:
            if finish == "length":
                raise ModelError(
                    f"The answer was cut off at the {opts.max_tokens}-token limit.",
                    hint="Raise max_tokens for this request.",
                )
            # Restore inside the parsed object (placeholders may sit in any string), then check.
            parsed = anonymizer.restore_obj(json.loads(_json_or_raise("".join(raw))))
            data = parse_and_validate(json.dumps(parsed), opts.schema)
        return ChatResult(
            text=text,
            data=data,
            finish_reason=finish,
            prompt_tokens=int(usage.get("prompt_tokens", 0)),
            completion_tokens=int(usage.get("completion_tokens", reply.token_count)),
            model=self.name,
        )


def _json_or_raise(text: str) -> str:
    try:
        json.loads(text)
    except ValueError:
        raise ModelError("The host's answer was not valid JSON.", hint="Try again.") from None
    return text


def _sse_events(resp: Any) -> Iterator[dict[str, Any]]:
    """Server-sent events of a streamed answer; a host that ignores ``stream`` sends one JSON."""
    content_type = resp.headers.get("Content-Type", "")
    if "text/event-stream" not in content_type:
        yield json.loads(resp.read().decode())
        return
    for line in resp:
        line = line.decode("utf-8").strip()
        if not line.startswith("data:"):
            continue
        data = line[5:].strip()
        if data == "[DONE]":
            return
        try:
            yield json.loads(data)
        except ValueError:
            raise ModelError("The host sent a malformed stream event.") from None
