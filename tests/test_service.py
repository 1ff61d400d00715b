"""The engine end to end on the fake embedder: indexing, updates, recognition, stacking."""

from __future__ import annotations

import json

import pytest

from recognition_engine.config import Settings
from recognition_engine.domain import ProposalStatus
from recognition_engine.errors import InvalidInput, StackingRefused, UnknownFramework
from recognition_engine.service import RecognitionEngine
from tests.conftest import make_credential, make_programme


def test_index_is_saved_and_reused(settings: Settings) -> None:
    programme = make_programme()
    first = RecognitionEngine(settings).index_programme(programme)
    assert first.rebuilt and first.modules == 3 and first.outcomes == 9
    assert first.embedded == first.outcomes + 2 * first.modules  # outcomes, whole texts, titles
    assert (settings.index_dir / programme.id / "catalogue.json").exists()
    again = RecognitionEngine(settings).index_programme(programme)  # a new process, same disk
    assert not again.rebuilt and again.embedded == 0


def test_changed_catalogue_embeds_only_new_text(settings: Settings) -> None:
    engine = RecognitionEngine(settings)
    programme = make_programme()
    engine.index_programme(programme)
    modules = [m.model_dump() for m in programme.modules]
    modules[2]["learning_outcomes"] = ["Compare the constitutions of Georgia since 1921"]
    changed = make_programme(modules=modules)
    report = engine.index_programme(changed)
    assert report.rebuilt
    assert report.embedded == 2  # the new outcome and the module's new whole text


def test_recognise_proposes_the_matching_module(settings: Settings) -> None:
    proposal = RecognitionEngine(settings).recognise([make_credential()], make_programme())
    assert proposal.status is ProposalStatus.PROPOSED
    assert proposal.modules[0].module_code == "NET101"
    assert proposal.modules[0].evidence
    assert proposal.engine["model"] == "hashing-256"


def test_unrelated_credential_gets_no_proposal(settings: Settings) -> None:
    cooking = make_credential(
        title="Georgian Cuisine",
        learning_outcomes=["Bake khachapuri with sulguni cheese", "Season kharcho with spices"],
    )
    proposal = RecognitionEngine(settings).recognise([cooking], make_programme())
    assert proposal.status is ProposalStatus.NONE
    assert proposal.reasons[0].startswith("No recognition proposed")


def test_stacking_pools_two_credentials(settings: Settings) -> None:
    first = make_credential(id="a", workload={"ects": 3})
    second = make_credential(
        id="b",
        workload={"ects": 3},
        learning_outcomes=["Explain the layers of the TCP/IP protocol stack"],
    )
    proposal = RecognitionEngine(settings).recognise([first, second], make_programme())
    assert proposal.credential_ects == 6
    owners = {pair.credential_id for pair in proposal.modules[0].evidence}
    assert owners <= {"a", "b"} and owners


def test_stacking_refused_when_not_stackable(settings: Settings) -> None:
    closed = make_credential(id="a", stackable=False)
    with pytest.raises(StackingRefused, match="not stackable"):
        RecognitionEngine(settings).recognise([closed, make_credential(id="b")], make_programme())


def test_stacking_refuses_the_same_credential_twice(settings: Settings) -> None:
    with pytest.raises(StackingRefused, match="twice"):
        RecognitionEngine(settings).recognise(
            [make_credential(), make_credential()], make_programme()
        )


@pytest.mark.parametrize("ids", [(None, None), ("posted-once", "posted-twice")])
def test_stacking_refuses_the_same_credential_by_content(
    settings: Settings, ids: tuple[str | None, str | None]
) -> None:
    """Two id-less copies, or one credential posted twice under two ids, doubled the workload."""
    copies = [make_credential(id=credential_id) for credential_id in ids]
    with pytest.raises(StackingRefused, match="same content"):
        RecognitionEngine(settings).recognise(copies, make_programme())


def test_recognise_keeps_within_what_the_application_left_of_the_cap(settings: Settings) -> None:
    programme = make_programme(recognition_policy={"max_microcredential_ects": 10})
    proposal = RecognitionEngine(settings).recognise(
        [make_credential()], programme, awarded_ects=7
    )
    assert proposal.ects_cap_remaining == 3
    assert 0 < proposal.total_proposed_ects <= 3


def test_a_programme_in_an_unknown_framework_is_refused_before_indexing(
    settings: Settings,
) -> None:
    with pytest.raises(UnknownFramework):
        RecognitionEngine(settings).index_programme(make_programme(framework="XX-QF"))
    assert not (settings.index_dir / "test-cs").exists()


def test_no_credential_is_invalid(settings: Settings) -> None:
    with pytest.raises(InvalidInput):
        RecognitionEngine(settings).recognise([], make_programme())


def test_prepare_embeds_a_batch_once(settings: Settings) -> None:
    engine = RecognitionEngine(settings)
    programme = make_programme()
    engine.recognise([make_credential()], programme)  # loads what is embedded once per engine
    credentials = [make_credential(id=str(i), title=f"Networks {i}") for i in range(3)]
    engine.prepare(credentials)
    misses = engine.embedder.misses  # type: ignore[attr-defined]
    for credential in credentials:
        engine.recognise([credential], programme)
    assert engine.embedder.misses == misses  # type: ignore[attr-defined]


def test_damaged_saved_index_is_rebuilt(settings: Settings) -> None:
    programme = make_programme()
    RecognitionEngine(settings).index_programme(programme)
    folder = settings.index_dir / programme.id
    manifest = json.loads((folder / "catalogue.json").read_text())
    vectors = folder / manifest["generation"] / "outcome_vectors.npy"
    vectors.write_bytes(vectors.read_bytes()[:-8])  # a torn write
    again = RecognitionEngine(settings).index_programme(programme)  # a new process, same disk
    assert again.rebuilt and again.embedded == 0  # rebuilt from the embedding cache


def test_changing_one_programme_rebuilds_only_its_own_index(settings: Settings) -> None:
    engine = RecognitionEngine(settings)
    first, second = make_programme(id="prog-a"), make_programme(id="prog-b")
    engine.index_programme(first)
    engine.index_programme(second)
    manifest = engine.index_folder("prog-b") / "catalogue.json"
    untouched = manifest.read_bytes()
    changed = make_programme(id="prog-a", title="Computer Science (revised)")
    modules = [m.model_copy(update={"title": f"{m.title} II"}) for m in changed.modules]
    report = engine.index_programme(changed.model_copy(update={"modules": modules}))
    assert report.rebuilt
    assert manifest.read_bytes() == untouched  # the other programme's files were not rewritten
    assert not RecognitionEngine(settings).index_programme(second).rebuilt
