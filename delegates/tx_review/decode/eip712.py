"""EIP-712 structure checks: is the ``types`` graph well formed, does the message fit it?

A wallet signs the hash of the message as encoded by ``types``. When the graph is broken
(a field of an undefined type, a type that contains itself, an atomic type that does not
exist) or the message does not fit it (a missing field, a number that is not a number),
nobody can say what the signature commits to, so the review must not call it safe.

Every check is bounded: at most ``MAX_TYPES`` types, ``MAX_FIELDS`` fields per type and
``MAX_VALUES`` values visited in the message.
"""

from __future__ import annotations

import re
from typing import Any

MAX_TYPES = 64
MAX_FIELDS = 128
MAX_VALUES = 20_000
MAX_NAME = 128

_ATOMIC = re.compile(r"^(?:address|bool|string|bytes(?:[1-9]|[12]\d|3[0-2])?|u?int(?:\d{1,3})?)$")
_ARRAY = re.compile(r"\[(\d*)\]$")
_IDENT = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$]*$")


class TypedDataError(ValueError):
    """The typed data does not follow EIP-712; the message says what is wrong."""


def _int_bits(atomic: str) -> tuple[bool, int] | None:
    if atomic.startswith(("uint", "int")):
        signed = atomic.startswith("int")
        digits = atomic[3 if signed else 4 :]
        bits = int(digits) if digits else 256
        if bits % 8 or not 8 <= bits <= 256:
            raise TypedDataError(f"{atomic!r} is not an EIP-712 integer type")
        return signed, bits
    return None


def _base(type_name: str) -> tuple[str, list[str]]:
    """('Person', ['', '3']) for 'Person[][3]': the element type and the array suffixes."""
    dims: list[str] = []
    text = type_name
    while True:
        m = _ARRAY.search(text)
        if not m:
            break
        dims.append(m.group(1))
        text = text[: m.start()]
        if len(dims) > 8:
            raise TypedDataError("an array type is nested too deeply")
    return text, dims


def check_types(types: Any, primary: str) -> dict[str, list[tuple[str, str]]]:
    """The struct types as {name: [(field, type)]}; raises ``TypedDataError`` if malformed."""
    if not isinstance(types, dict):
        raise TypedDataError("'types' is not an object")
    if len(types) > MAX_TYPES:
        raise TypedDataError(f"'types' defines more than {MAX_TYPES} types")
    structs: dict[str, list[tuple[str, str]]] = {}
    for name, fields in types.items():
        if not isinstance(name, str) or not _IDENT.match(name) or len(name) > MAX_NAME:
            raise TypedDataError("a type name is not an identifier")
        if not isinstance(fields, list) or len(fields) > MAX_FIELDS:
            raise TypedDataError(f"the fields of {name!r} are not a list")
        seen: set[str] = set()
        parsed: list[tuple[str, str]] = []
        for f in fields:
            if not isinstance(f, dict):
                raise TypedDataError(f"a field of {name!r} is not an object")
            fname, ftype = f.get("name"), f.get("type")
            if not isinstance(fname, str) or not isinstance(ftype, str) or not fname:
                raise TypedDataError(f"a field of {name!r} has no name or type")
            if len(fname) > MAX_NAME or len(ftype) > MAX_NAME:
                raise TypedDataError(f"a field of {name!r} has an overlong name or type")
            if fname in seen:
                raise TypedDataError(f"{name!r} names the field {fname!r} twice")
            seen.add(fname)
            parsed.append((fname, ftype))
        structs[name] = parsed
    for name, fields in structs.items():
        for fname, ftype in fields:
            base, _dims = _base(ftype)
            if base in structs:
                continue
            if not _ATOMIC.match(base):
                raise TypedDataError(f"the field {fname!r} of {name!r} has an undefined type")
            _int_bits(base)
    if primary not in structs:
        raise TypedDataError("the primaryType is not defined in 'types'")
    _no_cycles(structs)
    return structs


def _no_cycles(structs: dict[str, list[tuple[str, str]]]) -> None:
    """A type that contains itself (directly or through others) has no finite encoding."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    for root in structs:
        if state.get(root) == 2:
            continue
        stack: list[tuple[str, int]] = [(root, 0)]
        state[root] = 1
        while stack:
            name, i = stack.pop()
            fields = structs[name]
            if i >= len(fields):
                state[name] = 2
                continue
            stack.append((name, i + 1))
            child = _base(fields[i][1])[0]
            if child not in structs:
                continue
            if state.get(child) == 1:
                raise TypedDataError(f"the type {child!r} contains itself")
            if state.get(child) is None:
                state[child] = 1
                stack.append((child, 0))


def _hex_len(value: Any) -> int | None:
    if not isinstance(value, str) or not value.lower().startswith("0x"):
        return None
    body = value[2:]
    if len(body) % 2 or any(c not in "0123456789abcdefABCDEF" for c in body):
        return None
    return len(body) // 2


def _check_atomic(path: str, atomic: str, value: Any) -> None:
    if atomic == "address":
        if _hex_len(value) != 20:
            raise TypedDataError(f"{path} is not an address")
    elif atomic == "bool":
        if not isinstance(value, bool) and value not in ("true", "false", 0, 1):
            raise TypedDataError(f"{path} is not a boolean")
    elif atomic == "string":
        if not isinstance(value, str):
            raise TypedDataError(f"{path} is not a string")
    elif atomic == "bytes":
        if _hex_len(value) is None:
            raise TypedDataError(f"{path} is not hex bytes")
    elif atomic.startswith("bytes"):
        size = _hex_len(value)
        if size is None or size > int(atomic[5:]):
            raise TypedDataError(f"{path} is not {atomic}")
    else:
        signed, bits = _int_bits(atomic) or (False, 256)
        n = _number(value)
        if n is None:
            raise TypedDataError(f"{path} is not a number")
        lo, hi = (-(2 ** (bits - 1)), 2 ** (bits - 1) - 1) if signed else (0, 2**bits - 1)
        if not lo <= n <= hi:
            raise TypedDataError(f"{path} is out of range for {atomic}")


def _number(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and 0 < len(value) <= 80:
        text = value.strip()
        try:
            if text.lower().startswith(("0x", "-0x")):
                return int(text, 16)
            return int(text, 10)
        except ValueError:
            return None
    return None


def check_message(structs: dict[str, list[tuple[str, str]]], primary: str, message: Any) -> None:
    """Raise ``TypedDataError`` when ``message`` does not fit ``primary`` (bounded work)."""
    stack: list[tuple[str, str, Any]] = [(primary, primary, message)]
    visited = 0
    while stack:
        path, type_name, value = stack.pop()
        visited += 1
        if visited > MAX_VALUES:
            raise TypedDataError("the message has too many values to check")
        base, dims = _base(type_name)
        if dims:
            if not isinstance(value, list):
                raise TypedDataError(f"{path[:80]} is not a list")
            if dims[0] and len(value) != int(dims[0]):
                raise TypedDataError(f"{path[:80]} has the wrong length")
            inner = type_name[: type_name.rfind("[")]
            stack.extend((f"{path}[{i}]", inner, v) for i, v in enumerate(value))
        elif base in structs:
            if not isinstance(value, dict):
                raise TypedDataError(f"{path[:80]} is not an object")
            for fname, ftype in structs[base]:
                if fname not in value:
                    raise TypedDataError(f"{path[:80]}.{fname} is missing")
                stack.append((f"{path}.{fname}", ftype, value[fname]))
        else:
            _check_atomic(path[:80], base, value)


def check_domain(structs: dict[str, list[tuple[str, str]]], domain: Any) -> None:
    if "EIP712Domain" in structs:
        check_message(structs, "EIP712Domain", domain)
