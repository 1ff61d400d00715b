"""JSON and YAML read strictly: UTF-8 only, no lone surrogate, nesting bounded, no recursion
past the bound, and no message that quotes the document."""

from __future__ import annotations

from pathlib import Path

import pytest

from recognition_engine.errors import MalformedDocument, NestedTooDeep
from recognition_engine.ingestion.files import parse_document
from recognition_engine.ingestion.strict_text import (
    check_json_text,
    decode_text,
    json_depth,
    load_json,
    load_yaml,
)

NAME = "Nino Beridze"


@pytest.mark.parametrize("escape", ["\\ud800", "\\uDBFF", "\\udc00", "\\ud800\\u0041"])
def test_a_lone_surrogate_escape_is_malformed(escape: str) -> None:
    text = f'{{"title": "{escape}", "learner": {{"name": "{NAME}"}}}}'
    with pytest.raises(MalformedDocument, match="lone UTF-16 surrogate") as raised:
        load_json(text, "body")
    assert NAME not in str(raised.value)
    with pytest.raises(MalformedDocument):
        check_json_text(text, "body")


def test_a_lone_surrogate_in_a_key_is_malformed() -> None:
    with pytest.raises(MalformedDocument):
        load_json('{"a": [{"\\ud800": 1}]}', "body")


def test_a_surrogate_pair_and_an_escaped_backslash_are_text() -> None:
    assert load_json('{"a": "\\ud83d\\ude00"}', "body") == {"a": "\N{GRINNING FACE}"}
    assert load_json('{"a": "\\\\ud800"}', "body") == {"a": "\\ud800"}
    check_json_text('{"a": "\\\\ud800", "b": "\\ud83d\\ude00"}', "body")


@pytest.mark.parametrize(
    "raw", [b'{"a": "\xff"}', b'{"a": "\xed\xa0\x80"}', '{"a": 1}'.encode("utf-16")]
)
def test_bytes_that_are_not_utf8_are_malformed(raw: bytes) -> None:
    with pytest.raises(MalformedDocument, match="not UTF-8 text"):
        load_json(raw, "body")
    with pytest.raises(MalformedDocument):
        decode_text(raw, "body")


def test_a_byte_order_mark_is_allowed() -> None:
    assert load_json(b'\xef\xbb\xbf{"a": 1}', "body") == {"a": 1}


def test_depth_counts_brackets_outside_strings_only() -> None:
    assert json_depth('{"a": [1, {"b": "[[[{{{"}], "c": "\\"[["}') == 3
    assert json_depth("[]") == 1 and json_depth('"x"') == 0
    assert json_depth("[" * 10_000, limit=5) == 6  # stops past the limit


def test_a_document_at_the_limit_is_read_and_past_it_refused() -> None:
    assert load_json("[" * 8 + "]" * 8, "body", max_depth=8) == [[[[[[[[]]]]]]]]
    with pytest.raises(NestedTooDeep, match="nested deeper than 8 levels"):
        load_json("[" * 9 + "]" * 9, "body", max_depth=8)


@pytest.mark.parametrize("opening", ["[", '{"a":'])
def test_ten_thousand_levels_are_refused_not_a_recursion_error(opening: str) -> None:
    closing = "]" if opening == "[" else "}"
    text = opening * 10_000 + "1" + closing * 10_000
    with pytest.raises(NestedTooDeep):
        load_json(text, "body")
    with pytest.raises(NestedTooDeep):
        check_json_text(text, "body")


def test_text_that_is_not_json_is_left_to_the_parser() -> None:
    check_json_text('{"a": "unterminated', "body")  # whoever parses it says what is wrong
    check_json_text('"\\"\\"' * 1000, "body")
    with pytest.raises(MalformedDocument, match="malformed JSON at line 1"):
        load_json('{"a": ', "body")


@pytest.mark.parametrize(
    "text",
    [
        "[" * 10_000 + "]" * 10_000,
        "a:\n" + "".join("  " * level + "- \n" for level in range(1, 5_000)),
        "{a: " * 10_000 + "1" + "}" * 10_000,
    ],
)
def test_yaml_nested_ten_thousand_deep_is_refused(text: str) -> None:
    with pytest.raises(NestedTooDeep):
        load_yaml(text, "upload.yaml")


def test_yaml_at_the_limit_is_read() -> None:
    assert load_yaml("a: [[[1]]]", "x", max_depth=4) == {"a": [[[1]]]}
    with pytest.raises(NestedTooDeep):
        load_yaml("a: [[[[1]]]]", "x", max_depth=4)


def test_a_yaml_surrogate_escape_is_malformed() -> None:
    with pytest.raises(MalformedDocument, match="lone UTF-16 surrogate"):
        load_yaml('title: "\\ud800"', "x")


def test_a_yaml_error_names_the_line_not_the_text() -> None:
    with pytest.raises(MalformedDocument, match="malformed YAML at line 2") as raised:
        load_yaml(f"title: x\nlearner: [{NAME}", "x")
    assert NAME not in str(raised.value)


def test_files_are_read_by_the_same_rules(tmp_path: Path) -> None:
    with pytest.raises(NestedTooDeep):
        parse_document("[" * 10_000 + "]" * 10_000, tmp_path / "deep.json")
    with pytest.raises(NestedTooDeep):
        parse_document("- " * 200 + "x", tmp_path / "deep.yaml")
    with pytest.raises(MalformedDocument):
        parse_document('{"a": "\\udfff"}', tmp_path / "lone.json")
