"""The one credential reader: what a file claims about itself is never believed, the engine's
format is validated as its schema types it, and every way in (bytes, text, a parsed document,
a file) gives the same credential."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from recognition_engine.domain import CredentialFormat, EUElement, SignatureStatus
from recognition_engine.errors import InvalidFields, InvalidInput, NestedTooDeep
from recognition_engine.ingestion import Syntax, parse_credentials, read_credentials
from recognition_engine.ingestion.files import load_credentials
from tests.conftest import make_credential

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
HAND_EDITED = {
    "yaml": FIXTURES / "hand-edited-credential.yaml",
    "json": FIXTURES / "hand-edited-credential.json",
}
FORMATS = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "credential-formats"
UNSTATED = [
    EUElement.WORKLOAD,
    EUElement.LEVEL,
    EUElement.ASSESSMENT,
    EUElement.PARTICIPATION,
    EUElement.QUALITY_ASSURANCE,
]


@pytest.mark.parametrize("form", ["yaml", "json"])
def test_a_hand_edited_file_is_read_as_the_engine_reads_it(form: str) -> None:
    [credential] = load_credentials(HAND_EDITED[form])
    provenance = credential.provenance
    assert provenance is not None
    assert provenance.format == CredentialFormat(form)
    assert provenance.signature is SignatureStatus.UNSIGNED
    assert provenance.signer is None and "Checked by" not in provenance.signature_detail
    assert "not believed" in provenance.notes[0]
    assert credential.eu_elements is not None
    assert credential.eu_elements.missing == UNSTATED
    assert not set(UNSTATED) & set(credential.eu_elements.found)


@pytest.mark.parametrize("form", ["yaml", "json"])
def test_bytes_text_parsed_and_file_give_one_credential(form: str) -> None:
    path = HAND_EDITED[form]
    from_file = load_credentials(path)
    assert read_credentials(path.read_bytes(), path.name) == from_file
    assert read_credentials(path.read_text(), path.name) == from_file
    assert read_credentials(parse_credentials(path.read_bytes(), path.name), "x") == from_file


def test_the_yaml_and_the_json_differ_only_in_their_format() -> None:
    [from_yaml] = load_credentials(HAND_EDITED["yaml"])
    [from_json] = load_credentials(HAND_EDITED["json"])
    assert from_yaml.provenance is not None and from_json.provenance is not None
    assert from_yaml.provenance.model_copy(update={"format": "json"}) == from_json.provenance
    assert from_yaml.model_copy(update={"provenance": None}) == from_json.model_copy(
        update={"provenance": None}
    )


def test_a_parsed_mapping_is_json_unless_said_otherwise() -> None:
    record = make_credential().model_dump(mode="json")
    [sent] = read_credentials(record, "request body")
    [typed] = read_credentials(record, "the form", written_as=CredentialFormat.FORM)
    assert sent.provenance is not None and sent.provenance.format is CredentialFormat.JSON
    assert typed.provenance is not None and typed.provenance.format is CredentialFormat.FORM
    assert sent.provenance.notes == []  # nothing claimed, nothing to say


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"eqf_level": "6"}, "eqf_level"),  # lax validation would read 6
        ({"stackable": 0}, "stackable"),  # and false
        ({"workload": {"ects": "5"}}, "workload.ects"),
    ],
)
@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_the_engines_format_is_read_as_its_schema_types_it(
    tmp_path: Path, change: dict, field: str, suffix: str
) -> None:
    record = make_credential().model_dump(mode="json") | change
    path = tmp_path / f"c{suffix}"
    path.write_text(json.dumps(record) if suffix == ".json" else yaml.safe_dump(record))
    with pytest.raises(InvalidFields) as raised:
        load_credentials(path)
    assert [".".join(map(str, e["loc"])) for e in raised.value.errors] == [field]
    assert str(path) in str(raised.value)
    assert "input" not in raised.value.errors[0]  # never the value: it may be personal


def test_a_whole_number_written_as_a_float_is_that_number() -> None:
    record = make_credential().model_dump(mode="json") | {"eqf_level": 6.0}
    [credential] = read_credentials(json.dumps(record), "c.json")
    assert credential.eqf_level == 6


def test_a_yaml_date_is_a_date(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(yaml.safe_dump(make_credential().model_dump(mode="json")).replace("'", ""))
    [credential] = load_credentials(path)
    assert credential.date_of_issue == make_credential().date_of_issue


def test_a_list_names_the_credential_at_fault() -> None:
    good = make_credential().model_dump(mode="json")
    with pytest.raises(InvalidFields, match=r"in\.json \(credential 2\): title"):
        read_credentials(json.dumps([good, good | {"title": 7}]), "in.json")


@pytest.mark.parametrize(
    ("content", "syntax", "error", "says"),
    [
        (b" \n", Syntax.ANY, InvalidInput, "nothing to read"),
        (b"[]", Syntax.ANY, InvalidInput, "holds no credential"),
        (b"title: x", Syntax.JSON, InvalidInput, "malformed JSON"),
        (b"[" * 100, Syntax.JSON, NestedTooDeep, "nested deeper than 64"),
        (b'{"title": "x"}', Syntax.JWT, InvalidInput, "not a compact JWT"),
        (b'{"title": "x"}', Syntax.JSON_LD, InvalidInput, "neither a Europass EDC"),
        (b"\xff\xfe", Syntax.ANY, InvalidInput, "not UTF-8"),
    ],
)
def test_bad_content_is_refused_naming_its_source(
    content: bytes, syntax: Syntax, error: type[Exception], says: str
) -> None:
    with pytest.raises(error, match=says) as raised:
        read_credentials(content, "upload.json", syntax=syntax)
    assert "upload.json" in str(raised.value)


def test_content_over_the_limit_is_refused() -> None:
    record = json.dumps(make_credential().model_dump(mode="json")).encode()
    with pytest.raises(InvalidInput, match="over the limit"):
        read_credentials(record, "big.json", max_bytes=len(record) - 1)


@pytest.mark.parametrize(
    "name",
    [
        "edc-microcredential-example.json",
        "edc-microcredential-signed.jsonld",
        "ob3-microcredential-example.json",
    ],
)
def test_digital_credentials_go_through_the_same_reader(name: str) -> None:
    path = FORMATS / name
    if not path.is_file():
        pytest.skip(f"{name} is not in ../shared/data/credential-formats")
    [from_file] = load_credentials(path)
    assert read_credentials(path.read_bytes(), "upload") == [from_file]
    assert read_credentials(json.loads(path.read_bytes()), "body") == [from_file]
    assert read_credentials(path.read_bytes(), "body", syntax=Syntax.JSON_LD) == [from_file]
    assert from_file.provenance is not None
    assert from_file.provenance.format in {CredentialFormat.EDC, CredentialFormat.OB3_JSON}
    assert from_file.eu_elements is not None and from_file.eu_elements.found
