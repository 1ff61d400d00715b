"""The engine as its users call it: index a programme, recognise credentials against it.

A thin facade over the rooms of ``recognition_engine.recognition``: builds the embedder once,
keeps its catalogues (``Catalogue``), and wires reading → matching → learned reranking →
judgement → level estimation → decision. Thread-safe: the HTTP service calls it from its
request and screening threads.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from recognition_engine.config import Settings
from recognition_engine.decision import DecisionParams, propose_recognition
from recognition_engine.decision.stacking import check_stacking
from recognition_engine.domain import MicroCredential, Programme, RecognitionProposal
from recognition_engine.index import CatalogueEntry, CatalogueIndex
from recognition_engine.ingestion.language import programme_language
from recognition_engine.learning.recorded import RecordedDecision
from recognition_engine.learning.reranking import (
    has_model,
    model_folder,
    read_card,
)
from recognition_engine.levels import LevelEstimator
from recognition_engine.levels.frameworks import check_programme_levels
from recognition_engine.matching import MatchParams, match_credential
from recognition_engine.models import Embedder, create_embedder
from recognition_engine.multilingual import (
    catalogue_embedder,
    is_multilingual,
    language_pairs,
    matching_thresholds,
    multilingual_embedder,
    reading_profile,
    recognition_languages,
    uses_multilingual,
)
from recognition_engine.policy import load_policy
from recognition_engine.recognition.catalogue import (
    Catalogue,
    IndexReport,
    catalogue_entries,
    catalogue_entry,
)
from recognition_engine.recognition.checks import assess_checks
from recognition_engine.recognition.evidence import (
    add_model_evidence,
    engine_block,
    language_report,
)
from recognition_engine.recognition.judgement import judge
from recognition_engine.recognition.learned import LearnReport, learn, learned_or_cold, rerank
from recognition_engine.recognition.level_signal import catalogue_signal, estimate_level
from recognition_engine.recognition.reading import read_outcomes, texts_to_embed
from recognition_engine.registry import ProviderRegistry
from recognition_engine.skills.engine import EngineSkills

__all__ = [
    "IndexReport",
    "LearnReport",
    "RecognitionEngine",
    "catalogue_entries",
    "catalogue_entry",
]

logger = logging.getLogger(__name__)


class RecognitionEngine:
    def __init__(
        self,
        settings: Settings,
        *,
        embedder: Embedder | None = None,
        index_namespace: str | None = None,
    ) -> None:
        self.settings = settings
        # --- languages (multilingual.py): the model this engine reads with, its own indexes
        namespace = index_namespace
        self._multilingual_engine: RecognitionEngine | None = None
        if embedder is None and settings.multilingual == "all":
            embedder = multilingual_embedder(settings)
            namespace = "multilingual"
        # ---
        self.embedder = embedder if embedder is not None else create_embedder(settings)
        # the catalogue's side: the same model, read as e5's passages on the multilingual one
        self.catalogue_embedder = catalogue_embedder(self.embedder, settings)
        self.skills = EngineSkills(
            settings, self.embedder, multilingual=is_multilingual(self.embedder)
        )
        self.catalogue = Catalogue(
            settings, self.catalogue_embedder, self.skills, namespace=namespace
        )
        self._lock = threading.RLock()
        # refused here, at start-up, when its file is wrong: not at the first recognition
        self.national_policy = load_policy(settings.national_policy_file)
        self.registry = ProviderRegistry(settings.data_dir)
        self.level_estimator = (
            LevelEstimator(self.embedder, None)  # a trained classifier is the English model's
            if is_multilingual(self.embedder)
            else LevelEstimator.from_settings(settings, self.embedder)
        )

    @property
    def match_params(self) -> MatchParams:
        """Matching's knobs, the outcome threshold on this engine's model's scale."""
        return self._match_params(matching_thresholds(self.embedder, self.settings))

    def _match_params(self, thresholds: dict[str, float]) -> MatchParams:
        return replace(
            MatchParams.from_settings(self.settings),
            outcome_match_threshold=thresholds["outcome_match_threshold"],
        )

    def _decision_params(self, thresholds: dict[str, float]) -> DecisionParams:
        return replace(
            DecisionParams.from_settings(self.settings),
            outcome_match_threshold=thresholds["outcome_match_threshold"],
            min_proposal_score=thresholds["min_proposal_score"],
        )

    def index_folder(self, programme_id: str) -> Path:
        return self.catalogue.folder(programme_id)

    # --- indexing (recognition/catalogue.py) --------------------------------------------------

    def index_programme(self, programme: Programme, *, progress: bool = False) -> IndexReport:
        """Build the programme's index, or load it when the saved one is up to date.

        A programme whose levels cannot be read in EQF is refused here, before anything is
        indexed or stored.
        """
        return self.catalogue.index_programme(programme, progress=progress)

    def index_entries(
        self, catalogue_id: str, entries: Sequence[CatalogueEntry], *, progress: bool = False
    ) -> IndexReport:
        """Index any catalogue (a programme's modules, or a course catalogue) under an id."""
        return self.catalogue.index_entries(catalogue_id, entries, progress=progress)

    def has_index(self, programme: Programme) -> bool:
        return self.catalogue.has_index(programme)

    def _index_for(self, programme: Programme) -> CatalogueIndex:
        return self.catalogue.index_for(programme)

    # --- recognition -------------------------------------------------------------------------

    def recognise(
        self,
        credentials: Sequence[MicroCredential],
        programme: Programme,
        *,
        awarded_ects: float = 0.0,
    ) -> RecognitionProposal:
        """Return the recognition proposal for one credential, or several stacked ones.

        ``awarded_ects``: what earlier recognitions of the same application already hold of
        the programme's cap; the proposal stays within what is left of it.
        """
        check_stacking(credentials)
        # --- languages: a pair the deployment gives the multilingual model goes to its engine
        routed = self._engine_for(credentials, programme)
        if routed is not self:
            return routed.recognise(credentials, programme, awarded_ects=awarded_ects)
        # ---
        check_programme_levels(programme)
        checks = assess_checks(
            self.registry,
            self.national_policy,
            credentials,
            programme,
            self.settings.hours_per_ects,
        )
        # the multilingual model's thresholds are the language pair's (multilingual.py)
        pairs = language_pairs(credentials, programme) if is_multilingual(self.embedder) else []
        thresholds = matching_thresholds(self.embedder, self.settings, pairs)
        match_params = self._match_params(thresholds)
        reading = read_outcomes(credentials, reading_profile(self.embedder, self.settings))
        pooled, whole_text = reading.pooled, reading.whole_text
        index = self.catalogue.index_for(programme)
        title = " + ".join(c.title for c in credentials)
        matches = match_credential(
            pooled, index, self.embedder, match_params, whole_text=whole_text, title=title
        )
        learned, unreadable = learned_or_cold(
            self.catalogue, programme, index, self.embedder.model_id
        )
        ranked = None
        if learned is not None:
            ranked = rerank(
                learned,
                credentials,
                reading,
                matches,
                self.embedder,
                match_params,
                self.settings.hours_per_ects,
            )
            matches = ranked.matches
        judgement = judge(
            ranked,
            learned,
            matches,
            whole_text,
            model_id=self.embedder.model_id,
            lexical=lambda: self.catalogue.lexical_for(index),
        )
        estimate = estimate_level(
            self.level_estimator,
            credentials,
            pooled,
            hours_per_ects=self.settings.hours_per_ects,
            catalogue=catalogue_signal(self.level_estimator, programme, index, matches, whole_text),
        )
        proposal = propose_recognition(
            reading.extracted,
            programme,
            matches,
            self._decision_params(thresholds),
            level_estimate=estimate,
            outcome_owner=reading.owners,
            awarded_ects=awarded_ects,
            review=judgement.review_line() if judgement is not None else None,
            checks=checks.other,
            quality_checks=checks.quality,
            national_cap_ects=checks.national_cap_ects,
        )
        proposal.engine = engine_block(self.settings, self.embedder.model_id, thresholds, pairs)
        proposal.engine.update(language_report(self.settings, credentials, programme))
        self.skills.attach(proposal, credentials, pooled, index)
        not_read = reading.not_read()
        if not_read is not None:
            proposal.findings.append(not_read)
        add_model_evidence(
            proposal,
            judgement=judgement,
            ranked=ranked,
            learned=learned,
            unreadable=unreadable,
            min_proposal_confidence=self.settings.min_proposal_confidence,
        )
        # Counts only: a credential's id is the sender's text, and may name the learner.
        logger.info(
            "proposal for %d credential(s) against %s: %s, %s ECTS",
            len(credentials),
            programme.id,
            proposal.status.value,
            proposal.total_proposed_ects,
        )
        return proposal

    def prepare(self, credentials: Sequence[MicroCredential]) -> None:
        """Embed in one model call every text that recognising these credentials will need.

        For bulk screening: one batch through the model instead of one small call per
        credential; the recognitions that follow read the vectors from the cache.
        """
        texts = texts_to_embed(credentials)
        if texts:
            self.embedder.embed(texts)

    # --- learning from decisions ---------------------------------------------------------------

    def learn(self, programme: Programme, decisions: Sequence[RecordedDecision]) -> LearnReport:
        """Learn the programme's ranker, precedents and confidence from recorded decisions.

        Saved beside the index; every later recognition against the programme uses it.
        """
        return learn(self.catalogue, programme, decisions, self.embedder, self.match_params)

    def model_card(self, programme_id: str) -> dict[str, object] | None:
        """Return the card of the model learned for the programme, None if there is none."""
        folder = model_folder(self.settings.data_dir, programme_id)
        return read_card(folder) if has_model(folder) else None

    # --- languages (multilingual.py) ----------------------------------------------------------

    def _engine_for(
        self, credentials: Sequence[MicroCredential], programme: Programme
    ) -> RecognitionEngine:
        """Return the engine whose model reads this recognition under the deployment."""
        if self.settings.multilingual != "non-english" or self.catalogue.namespace is not None:
            return self
        languages = recognition_languages(credentials)
        if not uses_multilingual("non-english", [*languages, programme_language(programme)]):
            return self
        return self.multilingual_engine()

    def multilingual_engine(self) -> RecognitionEngine:
        """Return the engine that reads, under ``non-english``, what is not in English: its
        model (converted and exported at its first use in a data folder) loaded once."""
        with self._lock:
            if self._multilingual_engine is None:
                self._multilingual_engine = RecognitionEngine(
                    self.settings,
                    embedder=multilingual_embedder(self.settings),
                    index_namespace="multilingual",
                )
            return self._multilingual_engine
