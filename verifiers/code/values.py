"""Tagged JSON values (what travels to and from the sandbox) and their type-strict comparison.

A tagged value is ``[tag, payload]``: none, bool, int (decimal text), float (repr text), str,
bytes (hex), complex, list, tuple, set, frozenset, dict (pairs), seq (a JSON array from data
that cannot say list or tuple: matches either) and opaque (anything else the candidate returned:
never equal to anything). Comparison happens only here, in the trusted process, on these trees.
"""

from __future__ import annotations

import json
import math
from typing import Any

from assay.errors import DatasetError

TAGS = ("none", "bool", "int", "float", "str", "bytes", "complex", "list", "tuple", "set", "frozenset", "dict", "seq", "opaque")
CONTAINERS = ("list", "tuple", "set", "frozenset", "seq")
MAX_DEPTH = 200
MAX_INT_DIGITS = 100_000


class ValueFormatError(ValueError):
    """A tagged value that is not well formed."""


def from_json(value: Any, depth: int = 0) -> list:
    """The tagged form of a plain JSON value (arrays become "seq": list or tuple both match).

    >>> from_json([1, "a", None])
    ['seq', [['int', '1'], ['str', 'a'], ['none']]]
    """
    if depth > MAX_DEPTH:
        raise DatasetError("a test value is nested too deeply")
    if value is None:
        return ["none"]
    if isinstance(value, bool):
        return ["bool", value]
    if isinstance(value, int):
        return ["int", int_text(int(value))]
    if isinstance(value, float):
        return ["float", repr(float(value))]
    if isinstance(value, str):
        return ["str", value]
    if isinstance(value, (list, tuple)):
        return ["seq", [from_json(item, depth + 1) for item in value]]
    if isinstance(value, dict):
        return ["dict", [[["str", str(key)], from_json(item, depth + 1)] for key, item in value.items()]]
    raise DatasetError(f"a test value of type {type(value).__name__} is not JSON")


def int_text(value: int) -> str:
    """Decimal text of an int of any size (repr alone stops at Python's 4300-digit limit).

    >>> len(int_text(10 ** 5000))
    5001
    """
    try:
        return int.__repr__(value)
    except ValueError:
        pass
    sign, value = ("-", -value) if value < 0 else ("", value)
    parts = []
    while value:
        value, rest = divmod(value, _CHUNK)
        parts.append(f"{rest:0{_CHUNK_DIGITS}d}")
    return sign + ("".join(reversed(parts)).lstrip("0") or "0")


_CHUNK_DIGITS = 1000
_CHUNK = 10**_CHUNK_DIGITS


def from_python(value: Any, depth: int = 0) -> list:
    """The tagged form of a trusted Python value of built-in types (literal_eval results, references).

    >>> from_python((1, 2.5))
    ['tuple', [['int', '1'], ['float', '2.5']]]
    """
    if depth > MAX_DEPTH:
        raise ValueFormatError("value nested too deeply")
    kind = type(value)
    if value is None:
        return ["none"]
    if kind is bool:
        return ["bool", value]
    if kind is int:
        return ["int", int_text(value)]
    if kind is float:
        return ["float", float.__repr__(value)]
    if kind is str:
        return ["str", value]
    if kind is bytes:
        return ["bytes", value.hex()]
    if kind is complex:
        return ["complex", [repr(value.real), repr(value.imag)]]
    if kind in (list, tuple, set, frozenset):
        items = [from_python(item, depth + 1) for item in value]
        return [kind.__name__, items]
    if kind is dict:
        return ["dict", [[from_python(k, depth + 1), from_python(v, depth + 1)] for k, v in value.items()]]
    raise ValueFormatError(f"{kind.__name__} is not a built-in value type")


def to_python(tagged: list) -> Any:
    """The Python value of a checked tagged value (opaque and seq become a marker and a list).

    >>> to_python(['tuple', [['int', '1'], ['str', 'x']]])
    (1, 'x')
    """
    tag = tagged[0]
    payload: Any = tagged[1] if len(tagged) > 1 else None
    if tag == "none":
        return None
    if tag in ("bool", "str"):
        return payload
    if tag == "int":
        return int(payload)
    if tag == "float":
        return float(payload)
    if tag == "bytes":
        return bytes.fromhex(payload)
    if tag == "complex":
        return complex(float(payload[0]), float(payload[1]))
    if tag in ("list", "seq"):
        return [to_python(x) for x in payload]
    if tag == "tuple":
        return tuple(to_python(x) for x in payload)
    if tag == "set":
        return {to_python(x) for x in payload}
    if tag == "frozenset":
        return frozenset(to_python(x) for x in payload)
    if tag == "dict":
        return {to_python(k): to_python(v) for k, v in payload}
    raise ValueFormatError(f"{tag} has no Python value")


def check(tagged: Any, depth: int = 0) -> list:
    """``tagged`` itself when it is a well-formed tagged value, else ValueFormatError.

    >>> check(["int", "12"])
    ['int', '12']
    >>> check(["int", "1e3"])
    Traceback (most recent call last):
    ...
    assay.verifiers.code.values.ValueFormatError: bad int '1e3'
    """
    if depth > MAX_DEPTH:
        raise ValueFormatError("value nested too deeply")
    if type(tagged) is not list or not tagged or tagged[0] not in TAGS:
        raise ValueFormatError(f"not a tagged value: {str(tagged)[:80]}")
    tag = tagged[0]
    if tag == "none":
        if len(tagged) != 1:
            raise ValueFormatError("none takes no payload")
        return tagged
    if len(tagged) != 2:
        raise ValueFormatError(f"{tag} takes one payload")
    payload = tagged[1]
    if tag == "bool" and type(payload) is not bool:
        raise ValueFormatError("bad bool")
    if tag in ("str", "opaque") and type(payload) is not str:
        raise ValueFormatError(f"bad {tag}")
    if tag == "int" and not _is_int_text(payload):
        raise ValueFormatError(f"bad int {str(payload)[:40]!r}")
    if tag == "float":
        _float(payload)
    if tag == "bytes":
        if type(payload) is not str:
            raise ValueFormatError("bad bytes")
        try:
            bytes.fromhex(payload)
        except ValueError:
            raise ValueFormatError("bad bytes") from None
    if tag == "complex":
        if type(payload) is not list or len(payload) != 2:
            raise ValueFormatError("bad complex")
        _float(payload[0]), _float(payload[1])
    if tag in CONTAINERS:
        if type(payload) is not list:
            raise ValueFormatError(f"bad {tag}")
        for item in payload:
            check(item, depth + 1)
    if tag == "dict":
        if type(payload) is not list:
            raise ValueFormatError("bad dict")
        for pair in payload:
            if type(pair) is not list or len(pair) != 2:
                raise ValueFormatError("bad dict pair")
            check(pair[0], depth + 1), check(pair[1], depth + 1)
    return tagged


def _is_int_text(text: Any) -> bool:
    if type(text) is not str:
        return False
    digits = text.removeprefix("-")
    return (
        0 < len(digits) <= MAX_INT_DIGITS and digits.isascii() and digits.isdigit()
        and (digits == "0" or not digits.startswith("0")) and text != "-0"
    )


def _float(text: Any) -> float:
    if type(text) is not str or len(text) > 40:
        raise ValueFormatError("bad float")
    try:
        return float(text)
    except ValueError:
        raise ValueFormatError(f"bad float {text!r}") from None


def key(tagged: list) -> str:
    """A canonical text of a value: equal exact values, equal keys (sets and dicts sorted)."""
    return json.dumps(_canonical(tagged), separators=(",", ":"))


def _canonical(tagged: list) -> Any:
    tag = tagged[0]
    if tag == "float":
        value = float(tagged[1])
        return ["float", "nan" if math.isnan(value) else repr(value + 0.0)]
    if tag in ("list", "tuple", "seq"):
        return [tag, [_canonical(x) for x in tagged[1]]]
    if tag in ("set", "frozenset"):
        return [tag, sorted(key(x) for x in tagged[1])]
    if tag == "dict":
        return ["dict", sorted([key(k), key(v)] for k, v in tagged[1])]
    return tagged


def equal(expected: list, actual: list, *, approx: bool = False, rel_tol: float = 1e-6, abs_tol: float = 1e-9) -> bool:
    """Type-strict equality of two tagged values (``expected`` from trusted data).

    bool is not int, int is not float (unless ``approx``), list is not tuple ("seq" matches
    either), an opaque value equals nothing. Floats: equal values or both NaN; ``approx`` uses
    math.isclose on every number.

    >>> equal(["int", "1"], ["bool", True])
    False
    >>> equal(["float", "0.1"], ["float", "0.10000000001"], approx=True)
    True
    """
    etag, atag = expected[0], actual[0]
    if atag == "opaque" or etag == "opaque":
        return False
    if approx and etag in ("int", "float") and atag in ("int", "float"):
        return _close(expected[1], etag, actual[1], atag, rel_tol, abs_tol)
    if etag == "seq":
        if atag not in ("list", "tuple", "seq"):
            return False
    elif etag != atag:
        return False
    if etag == "none":
        return True
    if etag in ("bool", "str", "int", "bytes"):
        return bool(expected[1] == actual[1])
    if etag == "float":
        return _same_float(float(expected[1]), float(actual[1]), approx, rel_tol, abs_tol)
    if etag == "complex":
        return all(_same_float(float(e), float(a), approx, rel_tol, abs_tol) for e, a in zip(expected[1], actual[1], strict=True))
    if etag in ("list", "tuple", "seq"):
        return len(expected[1]) == len(actual[1]) and all(
            equal(e, a, approx=approx, rel_tol=rel_tol, abs_tol=abs_tol) for e, a in zip(expected[1], actual[1], strict=True)
        )
    if etag in ("set", "frozenset"):
        return sorted(key(x) for x in expected[1]) == sorted(key(x) for x in actual[1])
    if etag == "dict":
        if len(expected[1]) != len(actual[1]):
            return False
        found = {key(k): v for k, v in actual[1]}
        if len(found) != len(actual[1]):
            return False
        for k, v in expected[1]:
            other = found.get(key(k))
            if other is None or not equal(v, other, approx=approx, rel_tol=rel_tol, abs_tol=abs_tol):
                return False
        return True
    return False


def equal_unordered(expected: list, actual: list) -> bool:
    """Equal as multisets of exact items: a sequence in any order (the same items, the same counts).

    >>> equal_unordered(["seq", [["int", "1"], ["int", "2"]]], ["list", [["int", "2"], ["int", "1"]]])
    True
    """
    if expected[0] not in ("list", "tuple", "seq") or actual[0] not in ("list", "tuple", "seq"):
        return equal(expected, actual)
    if expected[0] != "seq" and expected[0] != actual[0]:
        return False
    if any(item[0] == "opaque" for item in actual[1]):
        return False
    return sorted(key(x) for x in expected[1]) == sorted(key(x) for x in actual[1])


def truthy(tagged: list) -> bool | None:
    """Python truthiness of a value (None for opaque: it has no trusted truth value).

    >>> truthy(["list", []]), truthy(["int", "3"]), truthy(["opaque", "Weird"])
    (False, True, None)
    """
    tag = tagged[0]
    if tag == "opaque":
        return None
    if tag == "none":
        return False
    if tag in ("bool", "str"):
        return bool(tagged[1])
    if tag == "int":
        return tagged[1] != "0"
    if tag == "float":
        return float(tagged[1]) != 0.0
    if tag == "complex":
        return float(tagged[1][0]) != 0.0 or float(tagged[1][1]) != 0.0
    if tag == "bytes":
        return bool(tagged[1])
    return bool(tagged[1])


def _same_float(e: float, a: float, approx: bool, rel_tol: float, abs_tol: float) -> bool:
    if math.isnan(e) or math.isnan(a):
        return math.isnan(e) and math.isnan(a)
    if approx:
        return math.isclose(e, a, rel_tol=rel_tol, abs_tol=abs_tol)
    return e == a


def _close(e: str, etag: str, a: str, atag: str, rel_tol: float, abs_tol: float) -> bool:
    if etag == atag == "int":
        return e == a
    try:
        ev = float(e) if etag == "float" or len(e) < 300 else float("inf")
        av = float(a) if atag == "float" or len(a) < 300 else float("inf")
    except (ValueError, OverflowError):
        return False
    return _same_float(ev, av, True, rel_tol, abs_tol)


def render(tagged: list, limit: int = 120) -> str:
    """A short readable text of a value for messages.

    >>> render(["tuple", [["int", "1"]]])
    '(1,)'
    """
    try:
        text = "<opaque>" if tagged[0] == "opaque" else repr(to_python(tagged))
    except (ValueError, TypeError, OverflowError, RecursionError):
        text = f"<{tagged[0]}>"
    return text if len(text) <= limit else text[: limit - 3] + "..."
