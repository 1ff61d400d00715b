"""JSON-LD values as the European Learning Model and Open Badges 3.0 write them.

A property may hold one value or a list; a text may be a language map (``{"en": …, "de": …}``)
or a plain string; a concept has an ``id`` URI and a ``prefLabel`` map. These helpers read
them without failing on shapes the schemas allow, and never touch embedded images.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

PLAIN = ""  # key of a text that carries no language tag


def as_list(value: Any) -> list[Any]:
    """Return a JSON-LD value as a list: [] for None, [value] for a single value."""
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def first_object(value: Any) -> dict[str, Any]:
    """Return the first object of a JSON-LD value, or {} when it holds none."""
    return next((item for item in as_list(value) if isinstance(item, dict)), {})


def objects(value: Any) -> list[dict[str, Any]]:
    """Return the objects of a JSON-LD value, skipping anything that is not an object."""
    return [item for item in as_list(value) if isinstance(item, dict)]


def types_of(node: Any) -> set[str]:
    """Return the ``type`` (or ``@type``) values of a node as a set of strings."""
    if not isinstance(node, dict):
        return set()
    found = as_list(node.get("type")) + as_list(node.get("@type"))
    return {item for item in found if isinstance(item, str)}


def language_map(value: Any) -> dict[str, str]:
    """Return a text as {language: text}, dropping empty texts and non-text values.

    A plain string becomes ``{"": text}``; a list of texts for one language is joined.
    """
    if isinstance(value, str):
        return {PLAIN: value.strip()} if value.strip() else {}
    if isinstance(value, list):  # several values: the first text of each language wins
        merged: dict[str, str] = {}
        for item in value:
            for language, text in language_map(item).items():
                merged.setdefault(language, text)
        return merged
    if not isinstance(value, dict):
        return {}
    if "@value" in value:  # an expanded JSON-LD value object
        language = value.get("@language")
        texts = language_map(value["@value"])
        return {language if isinstance(language, str) else PLAIN: t for t in texts.values()}
    found: dict[str, str] = {}
    for language, text in value.items():
        if not isinstance(language, str):
            continue
        texts = [t for t in as_list(text) if isinstance(t, str) and t.strip()]
        if texts:
            found[language.lower()] = "; ".join(t.strip() for t in texts)
    return found


def pick(texts: dict[str, str], languages: Sequence[str]) -> str | None:
    """Return the text in the first of ``languages`` the map has, else any text, else None."""
    for language in languages:
        if language in texts:
            return texts[language]
    return next(iter(texts.values()), None)


def tagged(texts: dict[str, str]) -> dict[str, str]:
    """Return only the texts that carry a language tag (for the translations record)."""
    return {language: text for language, text in texts.items() if language != PLAIN}


def concept_id(concept: Any) -> str | None:
    """Return the ``id`` URI of a concept node, if it has one."""
    if isinstance(concept, dict) and isinstance(concept.get("id"), str):
        return concept["id"]
    return concept if isinstance(concept, str) else None


def concept_label(concept: Any, languages: Sequence[str]) -> str | None:
    """Return the preferred label of a concept in the first language available."""
    if not isinstance(concept, dict):
        return None
    return pick(language_map(concept.get("prefLabel")), languages)


def concept_labels(concept: Any) -> list[str]:
    """Return every label of a concept (every language), for matching against vocabularies."""
    if not isinstance(concept, dict):
        return []
    return list(language_map(concept.get("prefLabel")).values())


def uri_tail(uri: str) -> str:
    """Return the last path segment of a URI: ``…/country/SVN`` → ``SVN``."""
    return uri.rstrip("/").rsplit("/", 1)[-1].rsplit(":", 1)[-1]


def strings(values: Iterable[Any]) -> list[str]:
    """Return the non-empty strings among ``values``, stripped."""
    return [value.strip() for value in values if isinstance(value, str) and value.strip()]
