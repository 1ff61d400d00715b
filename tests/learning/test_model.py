"""Precedents, the calibrated confidence, and the engine with and without a learned model."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from evaluation.protocols import CandidatePool
from evaluation.selective import as_credential
from recognition_engine.config import Settings
from recognition_engine.domain import Programme, RecognitionProposal
from recognition_engine.learning.calibration import Calibrator
from recognition_engine.learning.features import stage_of, subject_of
from recognition_engine.learning.model import LearnedModel, train_model
from recognition_engine.learning.precedents import Precedent, PrecedentMemory
from recognition_engine.learning.reranking import model_folder
from recognition_engine.service import RecognitionEngine
from tests.conftest import make_programme


def trained(pool: CandidatePool, leave_out: str | None = None) -> LearnedModel:
    """Learned from every decision of the set (no equivalent included) but ``leave_out``'s."""
    decided = [pool.gold_decided(c.id) for c in pool.task.credentials if c.id != leave_out]
    return train_model(decided, pool.courses, pool.lexical)


def test_course_codes() -> None:
    assert subject_of("ACIS 2115") == "ACIS" and stage_of("ACIS 2115") == 2
    assert subject_of("Databases") is None and stage_of("Databases") is None


def test_calibrated_confidence_is_monotone() -> None:
    rng = np.random.default_rng(0)
    raw = rng.random(300)
    correct = rng.random(300) < raw  # right more often when the raw confidence is higher
    calibrator = Calibrator.fit(raw, correct)
    grid = np.linspace(-0.5, 1.5, 401)
    mapped = calibrator(grid)
    assert np.all(np.diff(mapped) >= 0)
    assert mapped.min() >= 0 and mapped.max() <= 1


def test_calibrated_confidence_follows_the_observed_rate() -> None:
    rng = np.random.default_rng(1)
    raw = rng.random(2000)
    correct = rng.random(2000) < raw
    calibrator = Calibrator.fit(raw, correct)
    assert np.allclose(calibrator(np.array([0.2, 0.5, 0.8])), [0.2, 0.5, 0.8], atol=0.06)


def test_calibration_without_both_outcomes_is_the_smoothed_rate() -> None:
    assert np.allclose(Calibrator.fit([0.3, 0.9, 0.6], [True, True, True])([0.0, 1.0]), 0.8)
    noise = Calibrator.fit([0.9, 0.8, 0.2, 0.1], [False, False, True, True])
    assert np.allclose(noise([0.0, 1.0]), 0.5)  # a falling rate is no signal to follow


def test_a_rejected_decision_votes_against_its_module() -> None:
    vector = np.ones(4, dtype=np.float32) / 2
    memory = PrecedentMemory(
        [
            Precedent("A 1", "a", "M 1", accepted=True),
            Precedent("B 1", "b", "M 1", accepted=False),
            Precedent("B 1", "b", "M 2", accepted=True),
        ],
        np.array([vector] * 3),
        np.array([vector] * 3),
    )
    votes = memory.signals("Q 1", memory.nearest(vector, vector)).votes
    assert votes["M 1"] == pytest.approx(0.0)
    assert votes["M 2"] == pytest.approx(1.0)


def test_a_precedent_changes_the_next_proposal(pool: CandidatePool) -> None:
    """Record that a credential went to a module it does not rank first: that module rises."""
    query_id = pool.task.credentials_with_match[0]
    model = trained(pool, leave_out=query_id)
    query = pool.decided(query_id, {})
    before = model.rank(query, pool.courses, pool.lexical)
    target = before.matches[3].key
    rank_before = [m.key for m in before.matches].index(target)
    memory = model.memory
    decision = Precedent("NEW 101", "a new decision", target, True, "2025-05-01", "rec-7")
    grown = PrecedentMemory(
        [*memory.precedents, decision],
        np.vstack([memory.text_vectors, query.text_vector]),
        np.vstack([memory.title_vectors, query.title_vector]),
    )
    grown_model = LearnedModel(model.ranker, model.calibrator, grown)
    after = grown_model.rank(query, pool.courses, pool.lexical)
    assert [m.key for m in after.matches].index(target) < rank_before
    nearest = after.neighbours[0].precedent
    assert (nearest.module_key, nearest.record_id, nearest.decided_on) == (
        target,
        "rec-7",
        "2025-05-01",
    )


@dataclass(frozen=True)
class Office:
    """The engine with the synthetic set's catalogue as a programme, and where the programme's
    learned model is kept."""

    engine: RecognitionEngine
    programme: Programme
    pool: CandidatePool
    model_folder: Path

    def recognise(self, credential_id: str) -> RecognitionProposal:
        """Return the proposal for one of the set's credentials."""
        item = next(c for c in self.pool.task.credentials if c.id == credential_id)
        return self.engine.recognise([as_credential(item)], self.programme)


@pytest.fixture
def office(pool: CandidatePool, settings: Settings) -> Office:
    modules = [
        {"code": m.id, "title": m.title, "description": m.description, "ects": 5}
        for m in pool.task.modules
    ]
    programme = make_programme(id="synthetic", title="Catalogue", modules=modules)
    folder = model_folder(settings.data_dir, programme.id)
    return Office(RecognitionEngine(settings), programme, pool, folder)


def test_the_engine_uses_a_saved_model_and_falls_back_without(
    office: Office, pool: CandidatePool, settings: Settings
) -> None:
    cid = pool.task.credentials_with_match[1]
    cold = office.recognise(cid)
    assert cold.confidence is None and cold.confidence_tier is None and not cold.precedents
    assert all(m.confidence is None for m in cold.modules)

    trained(pool, leave_out=cid).save(office.model_folder)
    warm = office.recognise(cid)
    assert warm.confidence is not None and 0 <= warm.confidence <= 1
    assert warm.confidence_tier in {"confirmed", "possible", "review", "no_equivalent"}
    assert warm.tier is not None and warm.tier.basis == "institution"
    assert warm.tier.decisions == len(pool.task.credentials) - 1
    assert warm.has_equivalent is not None and warm.confidence <= warm.has_equivalent
    assert warm.precedents and warm.precedents[0].credential_id != cid
    assert all(
        m.confidence is not None and m.confidence >= settings.min_proposal_confidence
        for m in warm.modules
    )


def test_no_credential_is_featurised_against_its_own_decisions(
    pool: CandidatePool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Training and the inner calibration folds: a credential whose decisions are in the
    precedent memory is always read with them left out (else precedents leak its label)."""
    import recognition_engine.learning.model as learning_model

    leaks: list[str] = []
    real = learning_model.candidates

    def watched(credential, memory, modules, lexical, *, exclude_own=False):  # noqa: ANN001, ANN202
        own = {p.credential_key for p in memory.precedents}
        if credential.course.key in own and not exclude_own:
            leaks.append(credential.course.key)
        return real(credential, memory, modules, lexical, exclude_own=exclude_own)

    monkeypatch.setattr(learning_model, "candidates", watched)
    trained(pool)
    assert leaks == []


def test_a_damaged_model_falls_back_to_cold_with_a_finding(
    office: Office, pool: CandidatePool
) -> None:
    trained(pool).save(office.model_folder)
    (office.model_folder / "ranker.txt").write_text("not a LightGBM model")
    proposal = office.recognise(pool.task.credentials_with_match[2])
    assert proposal.confidence is None and proposal.tier is None
    damaged = [f for f in proposal.findings if "could not be read" in f.reason]
    assert damaged and damaged[0].verdict == "warning"
    assert any("could not be read" in reason for reason in proposal.reasons)


def test_a_model_learned_with_another_embedding_model_is_set_aside(
    office: Office, pool: CandidatePool
) -> None:
    """Its precedent vectors are another model's: the proposal is made cold, and says why."""
    cid = pool.task.credentials_with_match[2]
    model = trained(pool)
    model.model_id = office.engine.embedder.model_id
    model.save(office.model_folder)
    assert office.recognise(cid).tier is not None

    model.model_id = "st:another-model:0123456789abcdef"
    model.save(office.model_folder)
    proposal = office.recognise(cid)
    assert proposal.confidence is None and proposal.tier is None
    set_aside = [f for f in proposal.findings if any("another-model" in e for e in f.evidence)]
    assert set_aside and set_aside[0].verdict == "warning"


def test_a_proposal_cites_the_similar_credentials_judged_to_have_no_equivalent(
    office: Office, pool: CandidatePool
) -> None:
    without = pool.task.credentials_without_match
    trained(pool, leave_out=without[0]).save(office.model_folder)
    proposal = office.recognise(without[0])
    assert any(p.module_code is None for p in proposal.precedents)
    cited = [r for r in proposal.reasons if "judged to have no equivalent" in r]
    assert cited and "Painting Studio" in cited[0]
