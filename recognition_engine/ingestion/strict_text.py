"""JSON and YAML read strictly: UTF-8 only, no lone UTF-16 surrogate, nesting bounded.

Python's ``json`` takes ``"\\ud800"`` as a string that no UTF-8 text, database or spreadsheet
can hold, and it recurses once per level, as PyYAML's composer does: a document nested ten
thousand deep is a ``RecursionError`` deep inside whatever reads it. Here the depth is measured
before anything recurses (a linear scan that skips the strings), and YAML is composed by a loader
that counts its own levels, so a hostile document is an ``InvalidInput`` naming the file, never
a crash. No message quotes the document: it may carry a learner's identity.
"""

from __future__ import annotations

import json
import re
from typing import Any

import yaml

from recognition_engine.errors import MalformedDocument, NestedTooDeep

DEFAULT_MAX_DEPTH = 64

# A JSON string, escapes and all; an unterminated one runs to the end of the text, so that no
# quote is tried twice (the scan stays linear on any input).
_STRING = re.compile(r'"[^"\\]*(?:\\.?[^"\\]*)*"?', re.DOTALL)
_BRACKET = re.compile(r"[\[\]{}]")
# Only a text with a surrogate escape can decode to a lone surrogate: the rest is not walked.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def decode_text(raw: bytes, source: str) -> str:
    """Return the UTF-8 text of ``raw`` (a byte order mark allowed); refuse anything else."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise MalformedDocument(
            f"{source}: not UTF-8 text ({error.reason} at byte {error.start})"
        ) from error


def json_depth(text: str, limit: int | None = None) -> int:
    """Return how deep the arrays and objects of a JSON text nest (stopping past ``limit``).

    Brackets inside strings do not count. Malformed text is measured as it stands: the
    parser that reads it next says what is wrong with it.
    """
    depth = deepest = 0
    for bracket in _BRACKET.findall(_STRING.sub("", text)):
        if bracket in "[{":
            depth += 1
            deepest = max(deepest, depth)
            if limit is not None and deepest > limit:
                break
        else:
            depth -= 1
    return deepest


def check_json_text(text: str, source: str, *, max_depth: int = DEFAULT_MAX_DEPTH) -> None:
    """Refuse a JSON text nested past ``max_depth`` or holding a lone surrogate escape.

    Text that is not JSON at all is left to the parser of whoever reads it next.
    """
    _check_depth(text, source, max_depth)
    if _SURROGATE_ESCAPE.search(text) is None:
        return
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        return
    _check_surrogates(value, source)


def load_json(raw: bytes | str, source: str, *, max_depth: int = DEFAULT_MAX_DEPTH) -> Any:
    """Return the parsed JSON of ``raw``, read strictly (see the module's docstring)."""
    text = decode_text(raw, source) if isinstance(raw, bytes) else raw
    _check_depth(text, source, max_depth)
    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        raise MalformedDocument(
            f"{source}: malformed JSON at line {error.lineno}: {error.msg}"
        ) from error
    if _SURROGATE_ESCAPE.search(text) is not None:
        _check_surrogates(value, source)
    return value


def load_yaml(text: str, source: str, *, max_depth: int = DEFAULT_MAX_DEPTH) -> Any:
    """Return the parsed YAML of ``text`` (safe types only), nested at most ``max_depth``."""
    loader = _DepthLimitedLoader(text, max_depth)
    try:
        value = loader.get_single_data()
    except _TooDeep as error:
        raise NestedTooDeep(f"{source}: nested deeper than {max_depth} levels") from error
    except yaml.YAMLError as error:
        # the problem and the line, never the snippet of the document PyYAML would quote
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        problem = getattr(error, "problem", None) or type(error).__name__
        raise MalformedDocument(f"{source}: malformed YAML{where}: {problem}") from error
    finally:
        loader.dispose()
    _check_surrogates(value, source)  # YAML's "\ud800" escape makes one as JSON's does
    return value


def _check_depth(text: str, source: str, max_depth: int) -> None:
    if json_depth(text, max_depth) > max_depth:
        raise NestedTooDeep(f"{source}: nested deeper than {max_depth} levels")


def _check_surrogates(value: Any, source: str) -> None:
    """Refuse a parsed document with a string (or key) that is not valid Unicode text."""
    stack = [value]
    while stack:  # iterative: the document may be as deep as the limit allows
        item = stack.pop()
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError as error:
                raise MalformedDocument(
                    f"{source}: a string holds a lone UTF-16 surrogate (a \\u escape "
                    "between d800 and dfff without its pair)"
                ) from error
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


class _TooDeep(Exception):
    pass


class _DepthLimitedLoader(yaml.SafeLoader):
    """PyYAML's safe loader, whose composer (the part that recurses) counts its levels."""

    def __init__(self, stream: str, max_depth: int) -> None:
        super().__init__(stream)
        self._max_depth = max_depth
        self._depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        # a scalar or an alias is a leaf; a collection opens a level
        opens = self.check_event(yaml.SequenceStartEvent, yaml.MappingStartEvent)
        if opens:
            self._depth += 1
            if self._depth > self._max_depth:
                raise _TooDeep()
        try:
            return super().compose_node(parent, index)
        finally:
            if opens:
                self._depth -= 1
