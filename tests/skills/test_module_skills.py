"""Module skills: tagged once when a catalogue is indexed, stored with the index, and each
proposed module's shared and missing skills."""

from __future__ import annotations

from recognition_engine.config import Settings
from recognition_engine.domain import RecognitionProposal
from recognition_engine.index import CatalogueIndex
from recognition_engine.models import HashingEmbedder
from recognition_engine.service import RecognitionEngine
from recognition_engine.skills.engine import NOT_TAGGED_LANGUAGE, EngineSkills, bundled_lexicon
from recognition_engine.skills.modules import module_skill_uris, shared_and_missing
from recognition_engine.skills.tagger import SkillTagger, TaggingParams
from recognition_engine.skills.taxonomy import bundled_taxonomy
from tests.conftest import make_credential, make_programme


def low_threshold_tagger() -> SkillTagger:
    # hashing vectors are less alike than a model's: a lower threshold on the fake embedder
    return SkillTagger(
        bundled_taxonomy(), bundled_lexicon(), HashingEmbedder(), TaggingParams(threshold=0.4)
    )


def test_a_module_keeps_the_skills_its_outcomes_reach_best_first() -> None:
    tagger = low_threshold_tagger()
    found = module_skill_uris(
        tagger, [["Write SQL queries with joins"], ["zzzq xxqv"]], per_module=3
    )
    assert len(found) == 2 and len(found[0]) <= 3
    assert tagger.taxonomy.by_label("SQL").uri in found[0]
    assert found[1] == []


def test_shared_are_the_evidenced_module_skills_missing_the_rest_in_module_order() -> None:
    taxonomy = bundled_taxonomy()
    sql, css, js = (taxonomy.by_label(x).uri for x in ("SQL", "CSS", "JavaScript"))
    found = shared_and_missing([sql, css, js, "http://example.org/gone"], {css}, taxonomy)
    assert [s.uri for s in found.shared] == [css]
    assert [s.uri for s in found.missing] == [sql, js]  # an unknown URI is not shown
    assert found.missing[0].label == "SQL"


def test_indexing_stores_module_skills_and_a_new_engine_reads_them(settings: Settings) -> None:
    programme = make_programme()
    engine = RecognitionEngine(settings)
    engine.index_programme(programme)
    index = engine._index_for(programme)
    assert index.module_skills is not None and len(index.module_skills) == 3
    saved = CatalogueIndex.load(
        engine.index_folder(programme.id), model_id=engine.catalogue_embedder.model_id
    )
    assert saved.module_skills == index.module_skills
    assert RecognitionEngine(settings).index_programme(programme).rebuilt is False


def test_an_index_saved_without_skills_is_rebuilt_when_skills_are_on(settings: Settings) -> None:
    programme = make_programme()
    off = settings.model_copy(update={"skills": False})
    RecognitionEngine(off).index_programme(programme)
    saved = CatalogueIndex.load(
        RecognitionEngine(off).index_folder(programme.id), model_id=HashingEmbedder().model_id
    )
    assert saved.module_skills is None
    report = RecognitionEngine(settings).index_programme(programme)
    assert report.rebuilt is True and report.embedded == 0  # the vectors came from the cache


def test_each_proposed_module_gets_its_shared_and_missing_skills(settings: Settings) -> None:
    proposal = RecognitionEngine(settings).recognise([make_credential()], make_programme())
    assert proposal.modules
    assert all(module.skills is not None for module in proposal.modules)
    assert proposal.engine["skills"] == "ESCO 1.1.1"


def test_skills_off_leaves_the_proposal_without_them(settings: Settings) -> None:
    off = settings.model_copy(update={"skills": False})
    proposal = RecognitionEngine(off).recognise([make_credential()], make_programme())
    assert all(module.skills is None for module in proposal.modules)
    assert "skills" not in proposal.engine


def test_a_multilingual_engine_says_it_did_not_tag(settings: Settings) -> None:
    skills = EngineSkills(settings, HashingEmbedder(), multilingual=True)
    proposal = RecognitionProposal.model_construct(modules=[], engine={})
    skills.attach(proposal, [make_credential()], ["ნებისმიერი შედეგი"], None)  # type: ignore[arg-type]
    assert proposal.engine["skills"] == NOT_TAGGED_LANGUAGE


def test_module_skills_made_with_other_knobs_are_made_again(settings: Settings) -> None:
    programme = make_programme()
    RecognitionEngine(settings).index_programme(programme)
    engine = RecognitionEngine(settings)
    engine.skills.params = TaggingParams(threshold=0.4)
    assert engine.index_programme(programme).rebuilt is True
    assert engine._index_for(programme).module_skills_version == engine.skills.version
    assert RecognitionEngine(settings).index_programme(programme).rebuilt is True
