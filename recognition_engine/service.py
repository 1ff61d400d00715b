"""The engine as its users call it: index a programme, recognise credentials against it.

Builds the embedder once, keeps one index per programme on disk and in memory, and wires
extraction → matching → level estimation → decision. Thread-safe: the HTTP service calls it
from its request and screening threads.
"""

from __future__ import annotations

import functools
import logging
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from pydantic import BaseModel

from recognition_engine.config import Settings
from recognition_engine.decision import (
    CredentialOutcomes,
    DecisionParams,
    credential_ects,
    propose_recognition,
)
from recognition_engine.decision.findings import unreadable_model_finding
from recognition_engine.decision.policy_findings import assess_national_policy
from recognition_engine.decision.registry_findings import assess_registry
from recognition_engine.decision.review import ReviewLine
from recognition_engine.domain import (
    DescribedItem,
    Finding,
    LevelEstimate,
    Message,
    MicroCredential,
    Programme,
    RecognitionProposal,
    TierRecord,
)
from recognition_engine.errors import IndexUnavailable, InvalidInput, StackingRefused
from recognition_engine.index import (
    CatalogueEntry,
    CatalogueIndex,
    catalogue_fingerprint,
    entry_text,
)
from recognition_engine.ingestion.language import credential_language, programme_language
from recognition_engine.ingestion.outcomes import outcomes_of
from recognition_engine.learning.cold_start import load_cold_start, weights_fingerprint
from recognition_engine.learning.features import Course
from recognition_engine.learning.lexical import LexicalIndex
from recognition_engine.learning.model import LearnedModel, Ranked
from recognition_engine.learning.recorded import RecordedDecision, learn_from_decisions
from recognition_engine.learning.reranking import (
    LearnedCatalogue,
    has_model,
    model_folder,
    negative_precedents_reason,
    precedent_evidence,
    read_card,
)
from recognition_engine.levels import LevelEstimator
from recognition_engine.levels.catalogue import CatalogueSignal, catalogue_places
from recognition_engine.levels.frameworks import check_programme_levels, credential_eqf_level
from recognition_engine.matching import (
    MatchParams,
    ModuleMatch,
    credential_text,
    match_credential,
    module_score,
)
from recognition_engine.models import CachedEmbedder, Embedder, create_embedder
from recognition_engine.multilingual import (
    catalogue_embedder,
    is_multilingual,
    matching_thresholds,
    multilingual_embedder,
    not_read_finding,
    profile_of,
    recognition_languages,
    split_by_reading,
    uses_multilingual,
)
from recognition_engine.policy import load_policy
from recognition_engine.registry import ProviderRegistry, RegistryMatch
from recognition_engine.skills.engine import EngineSkills

logger = logging.getLogger(__name__)

MAX_STACKED_CREDENTIALS = 10


class LearnReport(BaseModel):
    """What learning from a programme's recorded decisions did."""

    programme_id: str
    decisions: int  # module decisions in the precedent memory
    credentials: int  # decided credentials learned from
    with_equivalent: int
    without_equivalent: int
    unknown_modules: dict[str, int]  # decisions on modules no longer in the catalogue: skipped
    model_id: str
    seconds: float
    card: dict[str, object]


@dataclass(frozen=True)
class Judgement:
    """The confidence in the best-ranked module, and its tier with the tier's record."""

    module_code: str
    confidence: float
    has_equivalent: float | None
    tier: TierRecord | None

    def review_line(self) -> ReviewLine | None:
        if self.tier is None:
            return None
        return ReviewLine(self.module_code, self.confidence, self.tier.tier, self.tier.basis)


class IndexReport(BaseModel):
    """What indexing a catalogue did."""

    programme_id: str
    model_id: str
    modules: int
    outcomes: int
    embedded: int  # texts sent to the model; the rest came from the cache
    reused: int
    rebuilt: bool  # False when the saved index was already up to date
    seconds: float


def catalogue_entries(programme: Programme) -> list[CatalogueEntry]:
    """Return the programme's modules as index entries, with their outcomes extracted."""
    return list(_entries_of(programme.model_dump_json(exclude={"recognition_policy"})))


@functools.lru_cache(maxsize=64)
def _entries_of(programme_json: str) -> tuple[CatalogueEntry, ...]:
    # Keyed by the programme's content, so that recognising against an unchanged programme
    # does not split its outcomes again.
    programme = Programme.model_validate_json(programme_json)
    return tuple(catalogue_entry(module.code, module) for module in programme.modules)


def catalogue_entry(key: str, item: DescribedItem) -> CatalogueEntry:
    """Return one module or catalogue course as the index sees it."""
    outcomes = tuple(outcomes_of(item))
    return CatalogueEntry(
        key, item.title, outcomes, entry_text(item.title, item.description, outcomes)
    )


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
        self._namespace = index_namespace
        self._multilingual_engine: RecognitionEngine | None = None
        if embedder is None and settings.multilingual == "all":
            embedder = multilingual_embedder(settings)
            self._namespace = "multilingual"
        # ---
        self.embedder = embedder if embedder is not None else create_embedder(settings)
        # the catalogue's side: the same model, read as e5's passages on the multilingual one
        self.catalogue_embedder = catalogue_embedder(self.embedder, settings)
        self.skills = EngineSkills(
            settings, self.embedder, multilingual=is_multilingual(self.embedder)
        )
        self._indexes: dict[str, CatalogueIndex] = {}
        self._learned: dict[str, tuple[tuple[int, str], LearnedCatalogue]] = {}
        self._lexical: dict[str, LexicalIndex] = {}  # by catalogue fingerprint
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
    def _thresholds(self) -> dict[str, float]:
        return matching_thresholds(self.embedder, self.settings)

    @property
    def match_params(self) -> MatchParams:
        """Matching's knobs, the outcome threshold on this engine's model's scale."""
        return replace(
            MatchParams.from_settings(self.settings),
            outcome_match_threshold=self._thresholds["outcome_match_threshold"],
        )

    @property
    def decision_params(self) -> DecisionParams:
        """The decision's knobs, its cosine thresholds on this engine's model's scale."""
        return replace(DecisionParams.from_settings(self.settings), **self._thresholds)

    def index_folder(self, programme_id: str) -> Path:
        if self._namespace:
            return self.settings.index_dir / self._namespace / programme_id
        return self.settings.index_dir / programme_id

    # --- indexing ----------------------------------------------------------------------------

    def index_programme(self, programme: Programme, *, progress: bool = False) -> IndexReport:
        """Build the programme's index, or load it when the saved one is up to date.

        A programme whose levels cannot be read in EQF is refused here, before anything is
        indexed or stored.
        """
        check_programme_levels(programme)
        entries = catalogue_entries(programme)
        return self.index_entries(programme.id, entries, progress=progress)

    def index_entries(
        self, catalogue_id: str, entries: Sequence[CatalogueEntry], *, progress: bool = False
    ) -> IndexReport:
        """Index any catalogue (a programme's modules, or a course catalogue) under an id."""
        started = time.perf_counter()
        fingerprint = catalogue_fingerprint(self.catalogue_embedder.model_id, entries)
        with self._lock:
            current = self._current_index(catalogue_id, fingerprint)
            misses_before = self._misses()
            rebuilt, embedded = current is None, 0
            if current is None:
                current = CatalogueIndex.build(
                    entries,
                    self.catalogue_embedder,
                    self.settings.index_backend,
                    progress=progress,
                    exact_max_rows=self.settings.index_exact_max_rows,
                    nprobe=self.settings.index_nprobe,
                )
                embedded = self._misses() - misses_before
                self.skills.tag_modules(current)  # ESCO's labels: not the catalogue's texts
                current.save(self.index_folder(catalogue_id))
            self._indexes[catalogue_id] = current
        outcomes = sum(len(entry.outcomes) for entry in entries)
        texts = outcomes + len(entries)
        report = IndexReport(
            programme_id=catalogue_id,
            model_id=self.catalogue_embedder.model_id,
            modules=len(entries),
            outcomes=outcomes,
            embedded=embedded if rebuilt else 0,
            reused=texts - embedded if rebuilt else texts,
            rebuilt=rebuilt,
            seconds=round(time.perf_counter() - started, 3),
        )
        logger.info("indexed %s: %s", catalogue_id, report.model_dump())
        return report

    def _current_index(self, catalogue_id: str, fingerprint: str) -> CatalogueIndex | None:
        """Return the index in memory or on disk if it matches ``fingerprint``."""
        loaded = self._indexes.get(catalogue_id)
        if loaded is not None and loaded.fingerprint == fingerprint:
            return loaded  # as it was indexed, module skills and all
        folder = self.index_folder(catalogue_id)
        try:
            saved = CatalogueIndex.load(folder, model_id=self.catalogue_embedder.model_id)
        except IndexUnavailable:
            return None
        # an index saved without the module skills this engine tags is rebuilt (from the cache)
        current = saved.fingerprint == fingerprint and not self.skills.wanted(saved)
        return saved if current else None

    def has_index(self, programme: Programme) -> bool:
        fingerprint = catalogue_fingerprint(
            self.catalogue_embedder.model_id, catalogue_entries(programme)
        )
        with self._lock:
            return self._current_index(programme.id, fingerprint) is not None

    def _misses(self) -> int:
        """Texts the catalogue's embedder has sent to its model so far."""
        embedder = self.catalogue_embedder
        return embedder.misses if isinstance(embedder, CachedEmbedder) else 0

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
        registered, checks, national_cap = self._register_and_policy(credentials, programme)
        # outcomes in a language this engine's model does not read are not matched as if they
        # were English: they are left out, and a finding says so
        profile = profile_of(self.embedder, self.settings)
        extracted, unread_languages, unread_count = [], [], 0
        for credential in credentials:
            outcomes = outcomes_of(credential)
            read, languages = split_by_reading(outcomes, credential, profile)
            extracted.append(CredentialOutcomes(credential, read))
            unread_count += len(outcomes) - len(read)
            unread_languages += [code for code in languages if code not in unread_languages]
        pooled = [text for item in extracted for text in item.outcomes]
        owners = [item.credential.id for item in extracted for _ in item.outcomes]
        if not pooled and unread_languages:
            raise InvalidInput(
                f"the learning outcomes are in {', '.join(unread_languages)}, which the model of "
                "this deployment does not read: set multilingual to non-english or all"
            )
        if not pooled:
            raise InvalidInput("the credential has no learning outcomes to match")
        index = self._index_for(programme)
        whole_text = _whole_text(extracted)
        title = " + ".join(c.title for c in credentials)
        matches = match_credential(
            pooled, index, self.embedder, self.match_params, whole_text=whole_text, title=title
        )
        # --- learned from decisions: rerank and calibrate when a model is trained (learn)
        ranked = None
        try:
            learned = self._learned_for(programme, index)
            unreadable = None
        except ValueError as error:
            # a damaged model never fails a proposal: it is made cold, and says so
            logger.warning("learned model of %s unreadable: %s", programme.id, error)
            learned, unreadable = None, error
        if learned is not None:
            workloads = [credential_ects(c, self.settings.hours_per_ects) for c in credentials]
            ects = sum(w for w in workloads if w)
            key = credentials[0].id or title if len(credentials) == 1 else title
            ranked = learned.rerank(
                Course(key, title, ects or None), pooled, whole_text, matches, self.embedder,
                self.match_params,
            )
            matches = ranked.matches
        judgement = self._judge(ranked, learned, matches, index, whole_text)
        # ---
        estimate = self._estimate_level(
            credentials, pooled, self._catalogue_signal(programme, index, matches, whole_text)
        )
        proposal = propose_recognition(
            extracted,
            programme,
            matches,
            self.decision_params,
            level_estimate=estimate,
            outcome_owner=owners,
            awarded_ects=awarded_ects,
            review=judgement.review_line() if judgement is not None else None,
            checks=checks,
            quality_checks=registered,
            national_cap_ects=national_cap,
        )
        proposal.engine = {
            "model": self.embedder.model_id,
            "outcome_match_threshold": self._thresholds["outcome_match_threshold"],
            "partial_coverage": self.settings.partial_coverage,
            "full_coverage": self.settings.full_coverage,
            "min_proposal_score": self._thresholds["min_proposal_score"],
            "hours_per_ects": self.settings.hours_per_ects,
        }
        proposal.engine.update(self._language_report(credentials, programme))
        self.skills.attach(proposal, credentials, pooled, index)
        if unread_languages:
            proposal.findings.append(not_read_finding(unread_count, unread_languages))
        if unreadable is not None:
            note = unreadable_model_finding(unreadable)
            proposal.findings.append(note)
            proposal.add_reason(Message(code=note.code, params=note.params, message=note.message))
        if judgement is not None:
            proposal.confidence = round(judgement.confidence, 3)
            proposal.has_equivalent = judgement.has_equivalent
            proposal.tier = judgement.tier
            proposal.confidence_tier = judgement.tier.tier if judgement.tier else None
        if ranked is not None and ranked.confidence is not None:
            if learned is not None and learned.model.tiers is None:
                proposal.engine["learned_model_note"] = "learned before tiers: run learn again"
            proposal.precedents = precedent_evidence(ranked)
            negative = negative_precedents_reason(proposal.precedents)
            if negative:
                proposal.add_reason(negative)
            proposal.engine["min_proposal_confidence"] = self.settings.min_proposal_confidence
            proposal.engine["learned_model"] = "lambdarank"
        # Counts only: a credential's id is the sender's text, and may name the learner.
        logger.info(
            "proposal for %d credential(s) against %s: %s, %s ECTS",
            len(credentials),
            programme.id,
            proposal.status.value,
            proposal.total_proposed_ects,
        )
        return proposal

    def _register_and_policy(
        self, credentials: Sequence[MicroCredential], programme: Programme
    ) -> tuple[list[Finding], list[Finding], float | None]:
        """Return the provider registers' findings that weigh in quality assurance, the other
        findings of the registers and the national policy, and the national cap on
        micro-credential ECTS if the policy sets one for this programme.

        Before any import, the registers' finding says so, and leaves the quality-assurance
        element to what the credentials declare.
        """
        configured = self.registry.configured
        registered: list[list[RegistryMatch] | None] = [
            self.registry.lookup(c.awarding_body, c.country) if configured else None
            for c in credentials
        ]
        profile = (self.national_policy.for_country(programme.country)
                   if self.national_policy is not None else None)
        policy = assess_national_policy(
            profile, credentials, programme, registered, self.settings.hours_per_ects
        )
        found = [assess_registry(c, m) for c, m in zip(credentials, registered, strict=True)]
        if not configured:
            return [], [*found, *policy.findings], policy.cap_ects
        return found, policy.findings, policy.cap_ects

    def prepare(self, credentials: Sequence[MicroCredential]) -> None:
        """Embed in one model call every text that recognising these credentials will need.

        For bulk screening: one batch through the model instead of one small call per
        credential; the recognitions that follow read the vectors from the cache.
        """
        texts: list[str] = []
        for credential in credentials:
            extracted = CredentialOutcomes(credential, outcomes_of(credential))
            texts.extend(extracted.outcomes)
            texts.extend([_whole_text([extracted]), credential.title])
        if texts:
            self.embedder.embed(texts)

    def learn(self, programme: Programme, decisions: Sequence[RecordedDecision]) -> LearnReport:
        """Learn the programme's ranker, precedents and confidence from recorded decisions.

        Saved beside the index; every later recognition against the programme uses it.
        """
        started = time.perf_counter()
        index = self._index_for(programme)
        model, read = learn_from_decisions(
            decisions, programme, index, self.embedder, self.match_params
        )
        folder = model_folder(self.settings.data_dir, programme.id)
        with self._lock:
            model.save(folder)
            self._learned.pop(programme.id, None)
        return LearnReport(
            programme_id=programme.id,
            decisions=len(model.memory),
            credentials=read.decided,
            with_equivalent=read.with_equivalent,
            without_equivalent=read.without_equivalent,
            unknown_modules=read.unknown_modules,
            model_id=self.embedder.model_id,
            seconds=round(time.perf_counter() - started, 3),
            card=model.card,
        )

    def model_card(self, programme_id: str) -> dict[str, object] | None:
        """Return the card of the model learned for the programme, None if there is none."""
        folder = model_folder(self.settings.data_dir, programme_id)
        return read_card(folder) if has_model(folder) else None

    def _judge(
        self,
        ranked: Ranked | None,
        learned: LearnedCatalogue | None,
        matches: Sequence[ModuleMatch],
        index: CatalogueIndex,
        whole_text: str,
    ) -> Judgement | None:
        """Return the confidence in the best-ranked module and its tier: from the model learned
        on the institution's decisions, else from the cold-start model (None: neither)."""
        if not matches:
            return None
        if ranked is not None and learned is not None:
            if ranked.confidence is None:
                return None
            tiers = learned.model.tiers
            return Judgement(
                matches[0].key, ranked.confidence,
                None if ranked.has_equivalent is None else round(ranked.has_equivalent, 3),
                None if tiers is None else tiers.record(ranked.confidence, basis="institution"),
            )
        cold = load_cold_start(self.embedder.model_id)
        if cold is None:
            return None
        with self._lock:
            lexical = self._lexical.get(index.fingerprint)
            if lexical is None:
                lexical = LexicalIndex([e.key for e in index.entries],
                                       [e.text for e in index.entries])
                self._lexical = {index.fingerprint: lexical}  # the latest catalogue only
        best = max(matches, key=lambda m: m.score)
        assessment = cold.assess(matches, lexical.similarity(whole_text, [m.key for m in matches]))
        return Judgement(best.key, assessment.confidence, round(assessment.has_equivalent, 3),
                         cold.tiers.record(assessment.confidence, basis="shared"))

    def _learned_for(self, programme: Programme, index: CatalogueIndex) -> LearnedCatalogue | None:
        """Return the model learned for this catalogue bound to its index, None if untrained;
        ValueError if it cannot be read or was learned with another embedding model."""
        folder = model_folder(self.settings.data_dir, programme.id)
        if not has_model(folder):
            return None
        stamp = (folder / "model.json").stat().st_mtime_ns, index.fingerprint
        with self._lock:
            cached = self._learned.get(programme.id)
            if cached is None or cached[0] != stamp:
                ects = {m.code: m.ects for m in programme.modules}
                cached = (stamp, LearnedCatalogue(LearnedModel.load(folder), index, ects))
                self._learned[programme.id] = cached
        learned_with = cached[1].model.model_id
        if learned_with and weights_fingerprint(learned_with) != weights_fingerprint(
            self.embedder.model_id
        ):
            # Its precedents are vectors of another model: compared with this model's vectors
            # they mean nothing (the two may even have the same dimension).
            raise ValueError(
                f"it was learned with the embedding model {learned_with}, and this recognition "
                f"is read with {self.embedder.model_id}"
            )
        return cached[1]

    def _index_for(self, programme: Programme) -> CatalogueIndex:
        fingerprint = catalogue_fingerprint(
            self.catalogue_embedder.model_id, catalogue_entries(programme)
        )
        with self._lock:
            current = self._indexes.get(programme.id)
            if current is not None and current.fingerprint == fingerprint:
                return current
        self.index_programme(programme)
        return self._indexes[programme.id]

    # --- languages (multilingual.py) ----------------------------------------------------------

    def _engine_for(
        self, credentials: Sequence[MicroCredential], programme: Programme
    ) -> RecognitionEngine:
        """Return the engine whose model reads this recognition under the deployment."""
        if self.settings.multilingual != "non-english" or self._namespace is not None:
            return self
        languages = recognition_languages(credentials)
        if not uses_multilingual("non-english", [*languages, programme_language(programme)]):
            return self
        with self._lock:
            if self._multilingual_engine is None:
                self._multilingual_engine = RecognitionEngine(
                    self.settings,
                    embedder=multilingual_embedder(self.settings),
                    index_namespace="multilingual",
                )
            return self._multilingual_engine

    def _language_report(
        self, credentials: Sequence[MicroCredential], programme: Programme
    ) -> dict[str, str | float | int]:
        """Return what the engine block says about languages: the deployment and what it read."""
        report: dict[str, str | float | int] = {"multilingual": self.settings.multilingual}
        if self.settings.multilingual == "off":
            return report
        credential_languages = sorted({credential_language(c) or "?" for c in credentials})
        catalogue_language = programme_language(programme) or "?"
        # one comma-separated string: the engine block holds scalars only
        report["credential_languages"] = ",".join(credential_languages)
        report["programme_language"] = catalogue_language
        if any(code not in ("en", "?") for code in [*credential_languages, catalogue_language]):
            report["level_estimate_note"] = (
                "Bloom and EQF level estimation reads English outcomes; it does not carry over "
                "to Georgian and Armenian ones (on translated outcomes the levels matched the "
                "English reading about one time in three), so its estimate here is not evidence."
            )
        return report

    # --- levels ------------------------------------------------------------------------------

    def _catalogue_signal(
        self, programme: Programme, index: CatalogueIndex, matches: Sequence[ModuleMatch], text: str
    ) -> CatalogueSignal:
        """The programme's level scale (fitted once per catalogue content) and the best matches."""
        outcomes = {entry.key: entry.outcomes for entry in index.entries}
        places = catalogue_places(programme, outcomes)
        rows = [index.position[place.code] for place in places]
        scale = self.level_estimator.catalogue_levels(
            index.fingerprint, places, index.text_vectors[rows], index.title_vectors[rows]
        )
        neighbours = [(m.key, module_score(m.text_similarity, m.title_similarity)) for m in matches]
        return CatalogueSignal(scale, text, neighbours)

    def _estimate_level(
        self,
        credentials: Sequence[MicroCredential],
        outcomes: list[str],
        catalogue: CatalogueSignal | None = None,
    ) -> LevelEstimate:
        levels = [credential_eqf_level(c) for c in credentials]
        declared = [level for level in levels if level is not None]
        workloads = [credential_ects(c, self.settings.hours_per_ects) for c in credentials]
        known = [ects for ects in workloads if ects is not None]
        ects = sum(known) if known else None
        # The raw text too: depth-of-study cues and prerequisites that outcome splitting drops.
        context = "\n".join(
            part for c in credentials for part in (c.title, c.description, c.prerequisites) if part
        )
        return self.level_estimator.estimate(
            outcomes,
            declared_eqf_level=min(declared) if declared else None,
            ects=ects,
            context=context,
            catalogue=catalogue,
        )


def _whole_text(extracted: Sequence[CredentialOutcomes]) -> str:
    return " ".join(credential_text(item.credential.title, item.outcomes) for item in extracted)


def check_stacking(credentials: Sequence[MicroCredential]) -> None:
    """Refuse a set of credentials that cannot be combined toward one decision."""
    if not credentials:
        raise InvalidInput("no credential given")
    if len(credentials) == 1:
        return
    if len(credentials) > MAX_STACKED_CREDENTIALS:
        raise StackingRefused(
            f"{len(credentials)} credentials: at most {MAX_STACKED_CREDENTIALS} can be stacked"
        )
    refused = [c.title for c in credentials if c.stackable is False]
    if refused:
        raise StackingRefused(
            "declared not stackable by the awarding body: " + ", ".join(repr(t) for t in refused)
        )
    ids = [c.id for c in credentials if c.id]
    if len(set(ids)) != len(ids):
        raise StackingRefused("the same credential is given twice")
    # Two copies without ids, or under two ids, certify the same learning once.
    fingerprints = [c.content_fingerprint() for c in credentials]
    if len(set(fingerprints)) != len(fingerprints):
        raise StackingRefused(
            "the same credential is given twice (same content under another id, or no id)"
        )
