"""The OpenAPI document is usable as it is: a Python client generated from it with
openapi-python-client (into tmp_path, never committed) submits a credential to a real server and
reads the proposal made from it. Skipped only if the generator cannot be installed."""

from __future__ import annotations

import importlib
import shutil
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
from test_server import create_key, server

PACKAGE = "recognition_client"


def generator(folder: Path) -> str:
    """The openapi-python-client command: on the PATH, or installed into a venv of its own."""
    found = shutil.which("openapi-python-client")
    if found:
        return found
    venv = folder / "generator-venv"
    try:
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
        subprocess.run(
            [str(venv / "bin" / "pip"), "install", "-q", "openapi-python-client"],
            check=True, timeout=300, capture_output=True,
        )
    except (subprocess.SubprocessError, OSError) as error:
        pytest.skip(f"openapi-python-client cannot be installed here: {error}")
    return str(venv / "bin" / "openapi-python-client")


def generate(document: Path, folder: Path) -> Any:
    command = [generator(folder), "generate", "--path", str(document), "--meta", "none",
               "--output-path", str(folder / PACKAGE)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300, cwd=folder)
    assert (folder / PACKAGE / "client.py").exists(), result.stdout + result.stderr
    sys.path.insert(0, str(folder))
    try:
        return importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(folder))


def test_a_generated_client_submits_a_credential_and_reads_its_proposal(
    tmp_path: Path, programme: dict[str, Any], credentials: list[dict[str, Any]]
) -> None:
    data_dir = tmp_path / "var"
    key, _ = create_key(data_dir, "admin")
    with server(data_dir) as (url, _):
        document = tmp_path / "openapi.json"
        document.write_text(httpx.get(f"{url}/openapi.json").text)
        client_package = generate(document, tmp_path)
        submit = importlib.import_module(f"{PACKAGE}.api.credentials.submit_credential")
        propose = importlib.import_module(f"{PACKAGE}.api.recognitions.create_recognition")
        read = importlib.import_module(f"{PACKAGE}.api.recognitions.get_recognition")
        create_programme = importlib.import_module(f"{PACKAGE}.api.programmes.create_programme")
        models = importlib.import_module(f"{PACKAGE}.models")

        # The header is format uuid; the generated client types it UUID but puts the value in
        # the headers as it is, so it is given as a string (its own limitation, not the API's).
        client = client_package.AuthenticatedClient(
            base_url=url, token=key, prefix="", auth_header_name="X-API-Key"
        )
        made = create_programme.sync_detailed(
            client=client, body=models.ProgrammeRequest.from_dict(programme),
            idempotency_key=str(uuid.uuid4()),
        )
        assert made.status_code == 201, made.content
        credential_type = next(
            getattr(models, name) for name in dir(models) if name.startswith("MicroCredentialInput")
        )
        stored = submit.sync(
            client=client, body=credential_type.from_dict(credentials[0]),
            idempotency_key=str(uuid.uuid4()),
        )
        assert isinstance(stored, models.CredentialPublic), stored
        recognition = propose.sync(
            client=client,
            body=models.RecognitionRequest(
                programme_id=programme["id"], credential_ids=[stored.id]
            ),
            idempotency_key=str(uuid.uuid4()),
        )
        assert isinstance(recognition, models.RecognitionPublic), recognition
        again = read.sync(client=client, recognition_id=recognition.id)
        assert again.proposal.programme_id == programme["id"]
        assert again.credential_ids == [stored.id]
        assert str(again.proposal.status) in {
            "recognition_proposed", "review_required", "no_recognition_proposed"
        }
