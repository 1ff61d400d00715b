"""Reading programmes and credentials from files: every kind of bad file gets a clear error."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from recognition_engine.errors import InvalidInput
from recognition_engine.ingestion.files import load_credentials, load_programme
from tests.conftest import make_credential, make_programme


def write(path: Path, data: object) -> Path:
    if path.suffix == ".json":
        path.write_text(json.dumps(data, default=str))
    else:
        path.write_text(yaml.safe_dump(data, allow_unicode=True))
    return path


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_round_trip(tmp_path: Path, suffix: str) -> None:
    programme = make_programme()
    loaded = load_programme(write(tmp_path / f"p{suffix}", programme.model_dump(mode="json")))
    assert loaded == programme
    credential = make_credential()
    [read] = load_credentials(write(tmp_path / f"c{suffix}", credential.model_dump(mode="json")))
    assert read.model_copy(update={"provenance": None, "eu_elements": None}) == credential
    assert read.provenance is not None and read.provenance.format == suffix.lstrip(".")
    assert read.provenance.signature == "unsigned"


def test_a_list_of_credentials(tmp_path: Path) -> None:
    records = [make_credential(id=str(i)).model_dump(mode="json") for i in range(3)]
    assert len(load_credentials(write(tmp_path / "many.yaml", records))) == 3


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="no such file"):
        load_programme(tmp_path / "nowhere.yaml")


@pytest.mark.parametrize(
    ("name", "text", "load", "says"),
    [
        ("empty.yaml", "", load_credentials, "empty"),
        ("bad.yaml", "title: x\n  - : [unclosed\n", load_credentials, "malformed YAML at line"),
        ("bad.json", '{"title": ', load_programme, "malformed JSON at line 1"),
    ],
    ids=["empty", "malformed-yaml-names-the-line", "malformed-json-names-the-line"],
)
def test_a_file_that_cannot_be_read_says_why(
    tmp_path: Path, name: str, text: str, load: Callable[[Path], object], says: str
) -> None:
    (tmp_path / name).write_text(text)
    with pytest.raises(InvalidInput, match=says):
        load(tmp_path / name)


def test_huge_file_is_refused_before_reading(tmp_path: Path) -> None:
    (tmp_path / "huge.yaml").write_text("x" * 2_000)
    with pytest.raises(InvalidInput, match="over the limit"):
        load_credentials(tmp_path / "huge.yaml", max_bytes=1_000)


def test_binary_file(tmp_path: Path) -> None:
    (tmp_path / "bin.yaml").write_bytes(b"\xff\xfe\x00\x81")
    with pytest.raises(InvalidInput, match="UTF-8"):
        load_credentials(tmp_path / "bin.yaml")


def test_not_a_mapping(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="expected a mapping"):
        load_programme(write(tmp_path / "list.yaml", "just a string"))


def test_missing_ects_names_the_field(tmp_path: Path) -> None:
    data = make_programme().model_dump(mode="json")
    del data["modules"][0]["ects"]
    with pytest.raises(InvalidInput, match=r"modules\.0\.ects: Field required"):
        load_programme(write(tmp_path / "p.yaml", data))


def test_credential_without_workload(tmp_path: Path) -> None:
    data = make_credential().model_dump(mode="json")
    data["workload"] = {}
    with pytest.raises(InvalidInput, match="workload needs ECTS credits or notional hours"):
        load_credentials(write(tmp_path / "c.yaml", data))


def test_empty_outcomes_and_no_description(tmp_path: Path) -> None:
    data = make_credential().model_dump(mode="json")
    data["learning_outcomes"] = ["  "]
    with pytest.raises(InvalidInput, match="no learning outcomes and no description"):
        load_credentials(write(tmp_path / "c.yaml", data))


def test_unknown_field_is_refused(tmp_path: Path) -> None:
    data = make_credential().model_dump(mode="json")
    data["colour"] = "blue"
    with pytest.raises(InvalidInput, match="colour: Extra inputs are not permitted"):
        load_credentials(write(tmp_path / "c.yaml", data))


def test_duplicate_module_codes(tmp_path: Path) -> None:
    data = make_programme().model_dump(mode="json")
    data["modules"][1]["code"] = data["modules"][0]["code"]
    with pytest.raises(InvalidInput, match="appears twice"):
        load_programme(write(tmp_path / "p.yaml", data))


def test_learner_identity_is_read_but_never_serialised(tmp_path: Path) -> None:
    data = make_credential().model_dump(mode="json")
    data["learner"] = {"name": "Nino Beridze", "identifier": "01001012345"}
    [credential] = load_credentials(write(tmp_path / "c.yaml", data))
    assert credential.learner is not None
    assert "Beridze" not in credential.model_dump_json()
    assert "Beridze" not in repr(credential)


# --- digital credentials: the format is told from the content, not the file name -----------

FORMATS = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "credential-formats"


@pytest.mark.parametrize(
    ("name", "form"),
    [
        ("edc-microcredential-example.json", "edc"),
        ("edc-microcredential-signed.jsonld", "edc"),
        ("ob3-microcredential-example.json", "ob3-json"),
    ],
)
def test_digital_credentials_are_detected_whatever_the_suffix(
    tmp_path: Path, name: str, form: str
) -> None:
    if not (FORMATS / name).is_file():
        pytest.skip(f"{name} is not in ../shared/data/credential-formats")
    for copy in (tmp_path / "credential.json", tmp_path / "credential.txt"):
        copy.write_bytes((FORMATS / name).read_bytes())
        [credential] = load_credentials(copy)
        assert credential.provenance is not None
        assert credential.provenance.format == form


def test_a_compact_jwt_file_is_read(tmp_path: Path) -> None:
    from joserfc import jws
    from joserfc.jwk import ECKey

    if not (FORMATS / "ob3-microcredential-example.json").is_file():
        pytest.skip("the OB3 example is not in ../shared/data/credential-formats")
    key = ECKey.generate_key("P-256")
    vc = json.loads((FORMATS / "ob3-microcredential-example.json").read_text())
    header = {"alg": "ES256", "jwk": key.as_dict(private=False)}
    (tmp_path / "badge.jwt").write_text(jws.serialize_compact(header, json.dumps({"vc": vc}), key))
    [credential] = load_credentials(tmp_path / "badge.jwt")
    provenance = credential.provenance
    assert provenance is not None
    assert (provenance.format, provenance.signature) == ("ob3-jwt", "verified")


def test_a_stated_provenance_is_replaced_by_what_the_engine_checked(tmp_path: Path) -> None:
    forged = make_credential().model_dump(mode="json") | {
        "provenance": {"format": "edc", "signature": "verified", "signature_detail": "trust me"}
    }
    [credential] = load_credentials(write(tmp_path / "c.yaml", forged))
    assert credential.provenance is not None
    assert (credential.provenance.format, credential.provenance.signature) == ("yaml", "unsigned")
