"""Canonical JSON as the log writes it: parsed, re-encoded and compared byte for byte."""

from __future__ import annotations

import json
import json.encoder
import json.scanner
import re
from collections.abc import Callable
from typing import Any

from .report import VerifyError

HEX_DIGEST = re.compile(r"[0-9a-f]{64}")
MAX_SAFE_INTEGER = 2**53 - 1


def _integer(text: str) -> int:
    value = int(text)
    if abs(value) > MAX_SAFE_INTEGER:
        raise VerifyError(f"integer {text} is outside I-JSON's exact range")
    return value


def _constant(name: str) -> Any:
    raise VerifyError(f"{name} is not JSON")


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        raise VerifyError("a key occurs twice in one object")
    return result


# Built once and called directly: json.loads/json.dumps set up a decoder and an encoder for every
# call, which at a million entries costs more than the parsing itself. The C scanner and encoder
# the json module itself uses are taken when present (CPython), the public API otherwise.
_DECODER = json.JSONDecoder(parse_constant=_constant, parse_int=_integer)
_ENCODER = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def _fast_decoder(decoder: json.JSONDecoder) -> Callable[[str], Any]:
    """The json module's own C scanner, called directly; the public decoder where unavailable."""
    scan = getattr(json.scanner, "c_make_scanner", None)
    if scan is None:
        return decoder.decode
    scan_once = scan(decoder)

    def decode(text: str) -> Any:
        try:
            value, end = scan_once(text, 0)
        except StopIteration as error:
            raise ValueError(f"no JSON value at position {error.value}") from None
        if end != len(text):
            raise ValueError(f"extra data at position {end}")
        return value

    return decode


def _fast_encoder(encoder: json.JSONEncoder) -> Callable[[Any], str]:
    """The json module's own C encoder, called directly; the public encoder where unavailable."""
    try:
        make = json.encoder.c_make_encoder  # type: ignore[attr-defined]
        # (markers, default, encoder, indent, key_separator, item_separator, sort_keys, skipkeys, allow_nan)
        encode = make(
            None, encoder.default, json.encoder.encode_basestring, None, ":", ",", True, False, False
        )
        sample = {"b": [1, -2.5, None, True], "a": "\u00e9\u0001\u2028"}
        if "".join(encode(sample, 0)) != encoder.encode(sample):
            return encoder.encode
    except (AttributeError, TypeError, ValueError):
        return encoder.encode
    return lambda value: "".join(encode(value, 0))


decode_text = _fast_decoder(_DECODER)
_PLAIN_DECODE = _fast_decoder(json.JSONDecoder(parse_constant=_constant))
encode_text = _fast_encoder(_ENCODER)


def canonical_json(value: Any) -> bytes:
    return encode_text(value).encode()


def parse_json(data: bytes) -> Any:
    """Parse JSON that need not be canonical (payload lines: only the payload is hashed)."""
    try:
        return _PLAIN_DECODE(data.decode("utf-8"))
    except (ValueError, UnicodeError, RecursionError) as error:
        raise VerifyError(f"not valid JSON ({error})") from error


def parse_canonical(data: bytes) -> Any:
    """Parse bytes that must be the canonical JSON of their value; VerifyError otherwise."""
    try:
        text = data.decode("utf-8")
        value = decode_text(text)
        canonical = encode_text(value) == text  # UTF-8 is one-to-one: comparing the text suffices
    except (ValueError, UnicodeError, RecursionError) as error:
        raise VerifyError(f"not valid JSON ({error})") from error
    if not canonical:
        # A repeated key collapses in the dict and so also fails the comparison; name it if so.
        json.loads(text, object_pairs_hook=_pairs)
        raise VerifyError("valid JSON but not its canonical form (key order, whitespace or escapes)")
    return value
