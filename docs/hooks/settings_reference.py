"""MkDocs hook: the settings page's table is built from ``Settings`` at every build.

The page holds a marker; this hook replaces it with one row per setting (its environment
variable, type, default and description), so the reference cannot drift from the code.
"""

from __future__ import annotations

import types
import typing
from typing import Any

from pydantic_core import PydanticUndefined

from recognition_engine.config import Settings

MARKER = "<!-- settings-reference -->"


def type_name(annotation: Any) -> str:
    """A reader's name for a setting's type: ``'a' | 'b'`` for a choice, ``int | None`` …"""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:  # its bounds are in the description
        return type_name(typing.get_args(annotation)[0])
    if origin is typing.Literal:
        return " | ".join(repr(choice) for choice in typing.get_args(annotation))
    if origin in (typing.Union, types.UnionType):
        return " | ".join(type_name(part) for part in typing.get_args(annotation))
    if annotation is type(None):
        return "None"
    if origin is not None:
        arguments = ", ".join(type_name(part) for part in typing.get_args(annotation))
        return f"{origin.__name__}[{arguments}]"
    return getattr(annotation, "__name__", str(annotation))


def default_text(name: str) -> str:
    field = Settings.model_fields[name]
    if field.default_factory is not None:
        return f"`{field.default_factory()!r}`"  # type: ignore[call-arg]
    if field.default is PydanticUndefined:
        return "required"
    if field.default is None:
        return "unset"
    return f"`{field.default}`"


def cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def settings_table() -> str:
    prefix = Settings.model_config.get("env_prefix", "")
    rows = [
        "| environment variable | type | default | what it sets |",
        "|---|---|---|---|",
    ]
    for name, field in Settings.model_fields.items():
        rows.append(
            f"| `{prefix}{name.upper()}` | `{cell(type_name(field.annotation))}` "
            f"| {cell(default_text(name))} | {cell(field.description or '')} |"
        )
    return "\n".join(rows) + "\n"


def on_page_markdown(markdown: str, page: Any, **_: Any) -> str:
    if MARKER not in markdown:
        return markdown
    return markdown.replace(MARKER, settings_table())
