"""The real example credentials, read where the project keeps shared data (never copied here),
and helpers that derive fixtures from them or make JWTs with keys generated at test time.

The examples come from an open repository under the MIT licence (Copyright (c) 2026 MyNextID,
``LICENSE-MyNextID-credentials`` beside them); the fixtures derived below keep that notice.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from joserfc import jws
from joserfc.jwk import ECKey

FORMATS = Path(__file__).resolve().parents[3] / ".." / "shared" / "data" / "credential-formats"
EDC_EXAMPLE = FORMATS / "edc-microcredential-example.json"
EDC_SIGNED = FORMATS / "edc-microcredential-signed.jsonld"
OB3_EXAMPLE = FORMATS / "ob3-microcredential-example.json"

# What the examples say about their learner: none of it may come out of the engine.
LEARNER_DATA = (
    "Joe Doe",
    "Joe Done",
    "recipient@example.com",
    "peter.paravinja@netis.si",
    "urn:epass:person:1",
    "urn:epass:nationalID:cRfzeKjS",
    "754208fc-d60e-4977-897f-54f58ed54707",
    "ba91252f3fdc7162f4b7389bc63b828c7e1f9eff8a9fd43d290551bee49b56ae",
    "zzdBcX5l9qLri3V3oXt",  # the holder's key (cnf)
    "1987-03-14",  # a birth date the tests add
)


def _load(path: Path) -> dict[str, Any]:
    if not path.is_file():
        pytest.skip(f"{path.name} is not in ../shared/data/credential-formats")
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="session")
def _edc() -> dict[str, Any]:
    return _load(EDC_EXAMPLE)


@pytest.fixture(scope="session")
def _signed() -> dict[str, Any]:
    return _load(EDC_SIGNED)


@pytest.fixture(scope="session")
def _ob3() -> dict[str, Any]:
    return _load(OB3_EXAMPLE)


@pytest.fixture
def edc(_edc: dict[str, Any]) -> dict[str, Any]:
    """The EDC example, with a birth date added to its learner (a copy each test may change)."""
    document = copy.deepcopy(_edc)
    document["credentialSubject"]["dateOfBirth"] = "1987-03-14"
    return document


@pytest.fixture
def signed_edc(_signed: dict[str, Any]) -> dict[str, Any]:
    return copy.deepcopy(_signed)


@pytest.fixture
def ob3(_ob3: dict[str, Any]) -> dict[str, Any]:
    return copy.deepcopy(_ob3)


@pytest.fixture(scope="session")
def signing_key() -> ECKey:
    return ECKey.generate_key("P-256")


def make_jwt(claims: dict[str, Any], key: ECKey, **header: Any) -> str:
    """Return a compact JWS of the claims, ES256-signed; by default it carries its public key."""
    protected = {"alg": "ES256", "typ": "vc+jwt", "jwk": key.as_dict(private=False)} | header
    protected = {k: v for k, v in protected.items() if v is not None}
    return jws.serialize_compact(protected, json.dumps(claims), key)


def tamper_jwt(token: str, change: dict[str, Any]) -> str:
    """Return the token with its payload changed and its header and signature kept."""
    import base64

    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims.update(change)
    encoded = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    return f"{header}.{encoded}.{signature}"
