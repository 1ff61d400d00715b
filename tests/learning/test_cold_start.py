"""The shipped cold-start model: found for the bundled model's weights only, and monotone in
what the matching says."""

from __future__ import annotations

from recognition_engine.learning.cold_start import (
    COLD_START_FILE,
    load_cold_start,
    weights_fingerprint,
)
from recognition_engine.matching import ModuleMatch

SHIPPED = "st:model:c4a57a7f2011f256:openvino"


def candidate(key: str, score: float) -> ModuleMatch:
    return ModuleMatch(key=key, title=key, coverage=0.0, strength=score, credential_coverage=0.0,
                       text_similarity=score, title_similarity=score, score=score)


def test_it_is_found_by_the_weights_whatever_the_backend() -> None:
    assert COLD_START_FILE.is_file()
    assert weights_fingerprint(SHIPPED) == "c4a57a7f2011f256"
    assert load_cold_start(SHIPPED) == load_cold_start("st:model:c4a57a7f2011f256:torch")
    assert load_cold_start(SHIPPED) is not None
    assert load_cold_start("fake:hashing") is None  # no numbers for another model's scale


def test_a_multilingual_model_is_known_by_its_weights_whatever_its_prompt() -> None:
    query = "e5:st:multilingual-e5-small:70cf679eb9d67fab:openvino:query"
    assert weights_fingerprint(query) == "70cf679eb9d67fab"
    assert weights_fingerprint(query.replace(":openvino:query", ":torch:passage")) == (
        "70cf679eb9d67fab"
    )


def test_a_closer_best_candidate_gets_a_higher_confidence() -> None:
    cold = load_cold_start(SHIPPED)
    assert cold is not None
    far = cold.assess([candidate("A", 0.2), candidate("B", 0.18)], [0.05, 0.04])
    near = cold.assess([candidate("A", 0.8), candidate("B", 0.5)], [0.5, 0.2])
    assert 0 <= far.confidence < near.confidence <= near.has_equivalent <= 1
    assert cold.tiers.of(far.confidence).tier.value == "no_equivalent"
    assert cold.tiers.of(near.confidence).tier.value != "no_equivalent"
