"""One line of what is wrong with a record, from msgspec's refusal: the field's
path and the problem in words, never the value itself."""

import re

import msgspec

from .record_types import ID_PATTERN

_AT = re.compile(r" - at `(?:key` in `)?\$(?P<path>[^`]*)`$")
_FIELD_LINE = re.compile(r"([A-Za-z_][\w\[\]'.-]*(?: key \d+)?): (.*)$", re.DOTALL)
_TYPE_WORDS = {
    "str": "text",
    "int": "a whole number",
    "float": "a number",
    "bool": "true or false",
    "array": "a list",
    "object": "an object",
    "null": "null",
    "date": "a date (YYYY-MM-DD)",
}


def _words(kinds: str) -> str:
    return " or ".join(_TYPE_WORDS.get(k.strip(" `"), "another value") for k in kinds.split("|"))


def describe_error(error: msgspec.ValidationError, top: str = "") -> str:
    """``sessions[2].asks[0].text: what is wrong``, never the value itself
    (``top``: the name of the whole, put before the path)."""
    text = str(error)
    match = _AT.search(text)
    path = match.group("path").lstrip(".") if match else ""
    key_path = match is not None and "`key` in" in text
    message = text[: match.start()] if match else text
    if message.startswith("Object missing required field "):
        problem = f"missing {message.rsplit(' ', 1)[1].strip('`')!r}"
    elif message.startswith("Invalid RFC3339 encoded date"):
        problem = "expected a date (YYYY-MM-DD)"
    elif message.startswith("Invalid enum value"):
        problem = "not one of the values peersession knows"
    elif (kinds := re.match(r"Expected (.+), got `(\w+)`$", message)) is not None:
        problem = f"expected {_words(kinds.group(1))}"
    elif "matching regex" in message:
        problem = (
            "expected an id (1 to 64 letters, digits, '-' or '_')"
            if ID_PATTERN in message
            else "one line of text, without line breaks"
        )
    elif (length := re.match(r"Expected `(\w+)` of length (<=|>=) (\d+)$", message)) is not None:
        limit = int(length.group(3))
        problem = f"text longer than {limit} characters" if length.group(2) == "<=" else "empty"
        if length.group(1) == "array":
            problem = "a list of the wrong length"
    elif (bound := re.match(r"Expected `(\w+)` (<=|>=|<|>) (\S+)$", message)) is not None:
        kind = "whole number" if bound.group(1) == "int" else "number"
        side = "at most" if bound.group(2).startswith("<") else "at least"
        problem = f"expected a {kind} {side} {float(bound.group(3)):g}"
    elif (field := _FIELD_LINE.match(message)) is not None and not key_path:
        # A value check's own line: "field[2]: what is wrong".
        inner, problem = field.group(1), field.group(2)
        path = f"{path}.{inner}" if path else inner
    else:
        problem = message[:1].lower() + message[1:]
    if key_path:
        problem = f"a key: {problem}"
    if top:
        path = f"{top}.{path}" if path else top
    return f"{path or 'the document'}: {problem}"
