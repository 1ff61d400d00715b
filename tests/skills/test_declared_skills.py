"""Declared skills: kept as declared, resolved to ESCO where ESCO has the label, flagged where
not; the real EDC and Open Badges 3.0 credentials of ../shared/data/credential-formats."""

from __future__ import annotations

import pytest

from recognition_engine.domain import Skill
from recognition_engine.ingestion.files import load_credentials
from recognition_engine.skills.credentials import SkillFlag, declared_skills
from recognition_engine.skills.taxonomy import bundled_taxonomy
from tests.ingestion.digital.conftest import EDC_EXAMPLE, OB3_EXAMPLE

ESCO = "http://data.europa.eu/esco/skill/"


def real(path):  # noqa: ANN001, ANN201
    if not path.is_file():
        pytest.skip(f"{path.name} is not in ../shared/data/credential-formats")
    return load_credentials(path)[0]


def test_edc_labels_are_resolved_where_esco_has_them() -> None:
    found = declared_skills(real(EDC_EXAMPLE).skills, bundled_taxonomy())
    by_label = {s.label: s for s in found}
    assert all(s.source == "declared" and s.score is None for s in found)
    assert by_label["Manage frustration"].uri.startswith(ESCO)
    assert by_label["Blow moulding machine parts"].uri.startswith(ESCO)
    # a label ESCO does not have is kept, without a URI, and says so
    assert by_label["Game theory"].uri is None
    assert by_label["Game theory"].flags == [SkillFlag.LABEL_NOT_ESCO]


def test_ob3_esco_alignments_keep_their_declared_uris() -> None:
    credential = real(OB3_EXAMPLE)
    declared = {s.label: s.uri for s in credential.skills if s.uri}
    found = {s.label: s for s in declared_skills(credential.skills, bundled_taxonomy())}
    assert declared
    for label, uri in declared.items():
        assert found[label].uri == uri
        assert found[label].flags == []


def test_a_declared_uri_is_never_replaced_and_one_esco_lacks_is_kept_and_flagged() -> None:
    taxonomy = bundled_taxonomy()
    sql = taxonomy.by_label("SQL")
    skills = [
        # a URI wins over a label that resolves elsewhere
        Skill(label="SQL", uri=f"{ESCO}00000000-0000-0000-0000-000000000000"),
        Skill(label="Our in-house skill", uri="https://example.org/skills/42"),
        Skill(label="sql"),
    ]
    found = declared_skills(skills, taxonomy)
    assert [s.uri for s in found] == [skills[0].uri, skills[1].uri, sql.uri]
    assert [s.flags for s in found] == [[SkillFlag.URI_NOT_ESCO], [SkillFlag.URI_NOT_ESCO], []]
