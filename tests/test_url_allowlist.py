"""URL allowlists are parsed and matched on scheme, host, port and path segments, never as string
prefixes; an entry that does not parse stops the settings from loading, naming the entry."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from recognition_engine.config import Settings
from recognition_engine.url_allowlist import parse_location


def admitted(entry: str, url: str) -> bool:
    try:
        location = parse_location(url)
    except ValueError:
        return False
    return parse_location(entry, entry=True).admits(location)


@pytest.mark.parametrize(
    "url",
    [
        "https://intake.example/",
        "https://intake.example",
        "https://INTAKE.example:443/hooks/screening",
        "https://intake.example./hooks",
        "https://intake.example/hooks?token=1",
    ],
)
def test_an_origin_entry_admits_its_origin(url: str) -> None:
    assert admitted("https://intake.example", url)


@pytest.mark.parametrize(
    "url",
    [
        "https://intake.example:8443/",
        "https://intake.example.evil/",
        "https://intake.example@evil/",
        "https://user:pw@intake.example/",
        "http://intake.example/",
        "https://intake.examplex/",
        "https://evil/intake.example/",
        "ftp://intake.example/",
        "https://intake.example:99999/",
        "https://intake.example/hooks/../admin",
        "https://intake.example/hooks/%2e%2e/admin",
        "https://intake.example/hooks%2f..%2fadmin",
        "https://intake.example/hooks\\..\\admin",
    ],
)
def test_prefix_tricks_are_refused(url: str) -> None:
    assert not admitted("https://intake.example", url)


def test_a_path_entry_matches_whole_segments() -> None:
    entry = "https://intake.example/hooks/"
    assert admitted(entry, "https://intake.example/hooks")
    assert admitted(entry, "https://intake.example/hooks/screening")
    assert not admitted(entry, "https://intake.example/hooksmith")
    assert not admitted(entry, "https://intake.example/")
    assert not admitted("https://intake.example/hooks", "https://intake.example/hooks.evil")


def test_ports_default_by_scheme_and_addresses_are_normalised() -> None:
    assert admitted("http://intake.example:80/", "http://intake.example/x")
    assert not admitted("http://intake.example/", "http://intake.example:443/x")
    assert admitted("http://[0:0::1]:8080/", "http://[::1]:8080/x")
    assert parse_location("http://[::1]:8080/").address is not None
    assert parse_location("http://intake.example/").address is None


@pytest.mark.parametrize(
    ("entry", "reason"),
    [
        ("intake.example/hooks", "scheme"),
        ("ftp://intake.example/", "scheme"),
        ("https://intake.example@evil/", "credentials"),
        ("https:///hooks", "no host"),
        ("https://intake.example/?q=1", "query"),
        ("https://intake.example:0x50/", "not a URL"),
        ("https://intake example/", "host"),
    ],
)
def test_an_invalid_entry_stops_the_settings_naming_it(entry: str, reason: str) -> None:
    with pytest.raises(ValidationError, match=reason) as raised:
        Settings(screening_callback_allowlist=[entry], _env_file=None)
    assert "screening_callback_allowlist" in str(raised.value) and entry in str(raised.value)
