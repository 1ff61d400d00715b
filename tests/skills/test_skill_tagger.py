"""Tagging outcomes with ESCO skills: candidates, scores, ranking, whole catalogues in chunks."""

from __future__ import annotations

import numpy as np
import pytest

from recognition_engine.models import HashingEmbedder
from recognition_engine.skills import tagger as tagger_module
from recognition_engine.skills.engine import bundled_lexicon
from recognition_engine.skills.tagger import SkillTagger, TaggingParams, rank_skills
from recognition_engine.skills.taxonomy import bundled_taxonomy
from tests.conftest import CountingEmbedder


@pytest.fixture(scope="module")
def tagger() -> SkillTagger:
    return SkillTagger(bundled_taxonomy(), bundled_lexicon(), HashingEmbedder())


def labels(tagger: SkillTagger, positions) -> list[str]:  # noqa: ANN001
    return [tagger.taxonomy.skills[p].label for p in positions]


def test_a_skill_the_outcome_names_ranks_first(tagger: SkillTagger) -> None:
    # hashing vectors are less alike than a model's: a lower threshold on the fake embedder
    tagger = SkillTagger(
        tagger.taxonomy, tagger.lexicon, tagger.embedder, TaggingParams(threshold=0.4)
    )
    ranked = tagger.tag(["Write SQL queries to report on sales data", "Plan a project budget"])
    top = labels(tagger, [s.position for s in ranked[:5]])
    assert "SQL" in top
    sql = next(s for s in ranked if tagger.taxonomy.skills[s.position].label == "SQL")
    assert sql.outcomes == [0]  # reached the threshold in the first outcome only


def test_the_blend_weighs_model_and_tfidf_and_the_bonus_is_added(tagger: SkillTagger) -> None:
    found = tagger.candidates(["Write SQL queries"])
    model_only = found.blend(TaggingParams(dense_weight=1.0, mention_bonus=0.0))
    tfidf_only = found.blend(TaggingParams(dense_weight=0.0, mention_bonus=0.0))
    np.testing.assert_allclose(model_only, found.dense)
    np.testing.assert_allclose(tfidf_only, found.lexical)
    with_bonus = found.blend(TaggingParams(dense_weight=0.0, mention_bonus=0.5))
    np.testing.assert_allclose(with_bonus - tfidf_only, 0.5 * found.mentioned)
    assert found.mentioned.sum() >= 1


def test_an_outcome_sharing_no_word_with_esco_gets_no_skill(tagger: SkillTagger) -> None:
    assert tagger.tag(["zzzq xxqv"]) == []
    assert tagger.tag([]) == []


def test_a_whole_catalogue_is_tagged_in_chunks_as_one_call_would(
    tagger: SkillTagger, monkeypatch: pytest.MonkeyPatch
) -> None:
    outcomes = [
        "Write SQL queries",
        "Configure routers in a network",
        "Analyse statistics of a survey",
        "Design web pages with HTML and CSS",
        "Lead a team",
    ]
    whole = tagger.outcome_scores(outcomes)
    monkeypatch.setattr(tagger_module, "_CHUNK", 2)
    chunked = tagger.outcome_scores(outcomes)
    assert len(chunked) == len(whole)
    for a, b in zip(whole, chunked, strict=True):
        assert a.keys() == b.keys()
        np.testing.assert_allclose([a[k] for k in a], [b[k] for k in a], rtol=1e-5)


def test_skills_rank_by_best_score_and_name_the_outcomes_at_the_threshold() -> None:
    ranked = rank_skills([{1: 0.4, 2: 0.9}, {1: 0.7}], threshold=0.6)
    assert [(s.position, s.score, s.outcomes) for s in ranked] == [(2, 0.9, [0]), (1, 0.7, [1])]


def test_after_every_label_is_embedded_tagging_embeds_only_the_outcomes(
    tagger: SkillTagger,
) -> None:
    counting = CountingEmbedder()
    prepared = SkillTagger(tagger.taxonomy, tagger.lexicon, counting)
    assert prepared.embed_all_labels() == len(tagger.taxonomy.skills)
    assert len(counting.texts) == len(tagger.taxonomy.skills)
    counting.texts.clear()
    outcomes = ["Write SQL queries", "Configure routers in a network"]
    assert prepared.tag(outcomes) == SkillTagger(
        tagger.taxonomy, tagger.lexicon, HashingEmbedder()
    ).tag(outcomes)
    assert counting.texts == outcomes
