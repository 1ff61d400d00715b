"""Text mining of learning-outcome corpora, in the manner of the MARTe project's analysis of
micro-credential repositories: how many outcomes, how long, which action verbs, which Bloom
levels, how many are vague or bundle several verbs, and how complete the records are.

Corpora: JSON-lines files in the shared formats (credentials, modules, labelled outcomes), a
programme YAML (its modules), or credential YAMLs (one file or a folder of them).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from evaluation.datasets import extract_outcomes
from recognition_engine.errors import InvalidInput
from recognition_engine.ingestion.files import read_jsonl

# Verbs that name no observable performance (cf. the EU 2022 Recommendation's call for
# outcomes stating what a learner can do, and the usual outcome-writing guides).
_SUBJECT = r"(?:(?:students?|learners?|you|participants?)\s+(?:will|should|can)\s+)?"
_ABLE_TO = r"(?:be\s+able\s+to\s+)?"
_UNDERSTANDING = r"(?:gain|develop|have|acquire)\s+(?:an?\s+)?(?:\w+\s+)?understanding"
VAGUE_PATTERNS: dict[str, re.Pattern[str]] = {
    name: re.compile(rf"^\W*{_SUBJECT}{_ABLE_TO}{pattern}\b", re.I)
    for name, pattern in {
        "understand": rf"(?:understand|{_UNDERSTANDING})",
        "know": r"(?:know|knowledge\s+of|gain\s+knowledge|have\s+knowledge)",
        "be aware of": r"(?:be(?:come)?\s+aware|awareness\s+of|gain\s+awareness)",
        "appreciate": r"appreciate",
        "learn": r"(?:learn|learning)",
        "be familiar with": r"(?:be(?:come)?\s+familiar|familiari[sz]e|gain\s+familiarity)",
        "comprehend": r"(?:comprehend|grasp|realise|realize)",
    }.items()
}

# The elements the EU Council Recommendation of 16 June 2022 (Annex I) makes mandatory, and
# the field of the micro-credential format (domain.MicroCredential) that carries each.
EU_MANDATORY: dict[str, tuple[str, ...]] = {
    "title": ("title",),
    "country of the awarding body": ("country",),
    "awarding body": ("awarding_body",),
    "date of issuing": ("date_of_issue",),
    "learning outcomes": ("learning_outcomes",),
    "notional workload (ECTS)": ("workload",),
    "level (EQF/NQF), if applicable": ("eqf_level", "nqf_level"),
    "type of assessment": ("assessment",),
    "form of participation": ("participation",),
    "type of quality assurance": ("quality_assurance",),
}
# The same elements as far as the shared JSON-lines formats carry them.
JSONL_ELEMENTS: dict[str, tuple[str, ...]] = {
    "title": ("title",),
    "awarding body / institution": ("issuer", "institution"),
    "learning outcomes": ("learning_outcomes",),
    "description": ("description",),
    "notional workload (ECTS or hours)": ("ects", "workload_hours"),
    "level": ("level", "declared_level"),
    "skills": ("skills",),
}

# Optional in the shared formats: not counted when asking whether a record is complete.
OPTIONAL_ELEMENTS = frozenset({"description", "skills"})

BLOOM_ORDER = ["Remember", "Understand", "Apply", "Analyze", "Evaluate", "Create"]


@dataclass(frozen=True)
class CorpusItem:
    id: str
    title: str
    outcomes: tuple[str, ...]
    given_outcomes: bool  # False when the outcomes come from the description
    fields: dict[str, bool]  # element -> present


@dataclass(frozen=True)
class Corpus:
    name: str
    kind: str
    items: tuple[CorpusItem, ...]
    elements: tuple[str, ...]
    notes: tuple[str, ...] = ()


class CorpusAnalysis(BaseModel):
    """The figures of one corpus."""

    model_config = ConfigDict(extra="forbid")

    name: str
    kind: str
    items: int
    outcomes: int
    items_with_given_outcomes: float = Field(description="Share with outcomes, not a description.")
    outcomes_per_item: dict[str, float]
    words_per_outcome: dict[str, float]
    top_verbs: list[tuple[str, int]]
    distinct_verbs: int
    no_leading_verb: float
    bloom_distribution: dict[str, float] = Field(description="Share of outcomes at each level.")
    vague: dict[str, int]
    vague_share: float
    bundled_share: float
    completeness: dict[str, float] = Field(description="Share of items with each element.")
    complete_items: float
    examples: dict[str, list[str]]
    notes: list[str]
    outcomes_per_item_values: list[int] = Field(repr=False)
    words_per_outcome_values: list[int] = Field(repr=False)


# --- loading ------------------------------------------------------------------------------


def load_corpus(path: Path) -> Corpus:
    """Return the corpus in a jsonl file, a programme YAML, or credential YAML(s)."""
    path = Path(path)
    if path.is_dir():
        return _credential_yamls(sorted(path.glob("*.yaml")) + sorted(path.glob("*.yml")), path)
    if not path.is_file():
        raise InvalidInput(f"{path}: no such file")
    if path.suffix == ".jsonl":
        return _jsonl(path)
    if path.suffix in {".yaml", ".yml"}:
        import yaml

        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as error:
            raise InvalidInput(f"{path}: not YAML ({error})") from error
        if isinstance(data, dict) and "modules" in data:
            return _programme(path)
        return _credential_yamls([path], path)
    raise InvalidInput(f"{path}: expected .jsonl, .yaml or a folder of credential YAMLs")


def _jsonl(path: Path) -> Corpus:
    items: list[CorpusItem] = []
    kind = "items"
    for number, record in read_jsonl(path):
        if "text" in record and "learning_outcomes" not in record:
            kind = "outcomes"  # one labelled outcome a line
            text = str(record.get("text") or "")
            outcomes = tuple(o for o in [" ".join(text.split())] if o)
            given = True
        else:
            given_list = [str(o) for o in record.get("learning_outcomes") or [] if str(o).strip()]
            outcomes = tuple(
                extract_outcomes(
                    str(record.get("title") or ""), given_list, record.get("description")
                )
            )
            given = bool(given_list)
        fields = {
            element: any(_present(record.get(key)) for key in keys)
            for element, keys in JSONL_ELEMENTS.items()
        }
        items.append(
            CorpusItem(
                str(record.get("id", number)),
                str(record.get("title") or ""),
                outcomes,
                given,
                fields,
            )
        )
    if not items:
        raise InvalidInput(f"{path}: no records")
    if kind == "items":
        kind = "credentials" if "credential" in path.name else "modules"
    elements = tuple(JSONL_ELEMENTS) if kind != "outcomes" else ()
    return Corpus(_name(path), kind, tuple(items), elements)


def _programme(path: Path) -> Corpus:
    from recognition_engine.ingestion.files import load_programme

    programme = load_programme(path)
    items = tuple(
        CorpusItem(
            module.code,
            module.title,
            tuple(extract_outcomes(module.title, module.learning_outcomes, module.description)),
            bool(module.learning_outcomes),
            {},
        )
        for module in programme.modules
    )
    return Corpus(_name(path), "programme modules", items, ())


def _credential_yamls(paths: list[Path], source: Path) -> Corpus:
    from recognition_engine.ingestion.files import load_credentials

    items: list[CorpusItem] = []
    notes: list[str] = []
    for path in paths:
        try:
            credentials = load_credentials(path)
        except InvalidInput as error:  # e.g. an expectations file beside the credentials
            notes.append(f"skipped {path.name}: {str(error).splitlines()[0][:160]}")
            continue
        for credential in credentials:
            data = credential.model_dump()
            fields = {
                element: any(_present(data.get(key)) for key in keys)
                for element, keys in EU_MANDATORY.items()
            }
            outcomes = extract_outcomes(
                credential.title, credential.learning_outcomes, credential.description
            )
            items.append(
                CorpusItem(
                    credential.id or path.stem,
                    credential.title,
                    tuple(outcomes),
                    bool(credential.learning_outcomes),
                    fields,
                )
            )
    if not items:
        raise InvalidInput(f"{source}: no micro-credential could be read")
    return Corpus(
        _name(source),
        "micro-credentials (EU 2022)",
        tuple(items),
        tuple(EU_MANDATORY),
        tuple(notes),
    )


def _present(value: object) -> bool:
    if value is None:
        return False
    if isinstance(value, str | list | dict | tuple):
        return bool(value)
    return True


def _name(path: Path) -> str:
    stem = path.stem if path.is_file() else path.name
    parent = path.parent.name if path.is_file() else path.parent.name
    return f"{parent}/{stem}" if stem in {"credentials", "modules", "outcomes", "items"} else stem


# --- analysis -----------------------------------------------------------------------------

_COORDINATED = re.compile(r"(?:,|;|\band\b|\bor\b|/)\s*(?:then\s+)?([a-z]+)\b", re.I)


def vague_verb(outcome: str) -> str | None:
    """Return the vague verb an outcome opens with ("understand", "know", …), or None."""
    from recognition_engine.levels.verbs import clean_outcome

    text = clean_outcome(outcome)
    for name, pattern in VAGUE_PATTERNS.items():
        if pattern.match(text):
            return name
    return None


def bundled_verbs(outcome: str) -> list[str]:
    """Return the action verbs of an outcome when it bundles several, else a one-item list.

    Verbs coordinated with the leading one ("analyse, design and implement"), and Bloom verbs
    that open a coordinated clause later ("explain X and apply it to Y") both count.
    """
    from recognition_engine.levels import extract_verbs
    from recognition_engine.levels.verbs import lemmatise_verb, load_lexicon

    analysis = extract_verbs(outcome)
    verbs = list(analysis.verbs)
    lexicon = load_lexicon()
    for match in _COORDINATED.finditer(outcome):
        lemma = lemmatise_verb(match.group(1), lexicon)
        # only base forms: "and implementing", "or designs" are more often nouns or gerunds
        if (
            lemma
            and lemma in lexicon.level_of
            and match.group(1).lower() == lemma
            and lemma not in verbs
        ):
            verbs.append(lemma)
    return verbs


def analyze_corpus(corpus: Corpus, top: int = 25) -> CorpusAnalysis:
    """Return the text-mining figures of a corpus."""
    from recognition_engine.levels import analyse_outcome

    outcomes = [o for item in corpus.items for o in item.outcomes]
    per_item = [len(item.outcomes) for item in corpus.items]
    words = [len(o.split()) for o in outcomes]
    verbs: Counter[str] = Counter()
    bloom: Counter[str] = Counter()
    vague: Counter[str] = Counter()
    examples: dict[str, list[str]] = {"vague": [], "bundled": [], "no verb": []}
    no_verb = bundled = 0
    for outcome in outcomes:
        level = analyse_outcome(outcome)
        if level.verbs:
            verbs[level.verbs[0]] += 1
        else:
            no_verb += 1
            _example(examples, "no verb", outcome)
        for b in level.bloom:
            bloom[str(b)] += 1 / len(level.bloom)
        name = vague_verb(outcome)
        if name:
            vague[name] += 1
            _example(examples, "vague", outcome)
        if len(bundled_verbs(outcome)) > 1:
            bundled += 1
            _example(examples, "bundled", outcome)
    n = max(len(outcomes), 1)
    completeness = {
        element: float(np.mean([item.fields.get(element, False) for item in corpus.items]))
        for element in corpus.elements
    }
    required = [e for e in corpus.elements if e not in OPTIONAL_ELEMENTS]
    complete = (
        float(np.mean([all(item.fields.get(e, False) for e in required) for item in corpus.items]))
        if corpus.elements
        else 1.0
    )
    return CorpusAnalysis(
        name=corpus.name,
        kind=corpus.kind,
        items=len(corpus.items),
        outcomes=len(outcomes),
        items_with_given_outcomes=float(np.mean([i.given_outcomes for i in corpus.items])),
        outcomes_per_item=_summary(per_item),
        words_per_outcome=_summary(words),
        top_verbs=verbs.most_common(top),
        distinct_verbs=len(verbs),
        no_leading_verb=no_verb / n,
        bloom_distribution={level: bloom[level] / n for level in BLOOM_ORDER},
        vague=dict(vague.most_common()),
        vague_share=sum(vague.values()) / n,
        bundled_share=bundled / n,
        completeness=completeness,
        complete_items=complete,
        examples=examples,
        notes=list(corpus.notes),
        outcomes_per_item_values=per_item,
        words_per_outcome_values=words,
    )


def _example(examples: dict[str, list[str]], key: str, text: str, limit: int = 5) -> None:
    if len(examples[key]) < limit:
        examples[key].append(text[:200])


def _summary(values: list[int]) -> dict[str, float]:
    if not values:
        return {"mean": 0.0, "median": 0.0, "p10": 0.0, "p90": 0.0, "max": 0.0}
    array = np.asarray(values, dtype=float)
    return {
        "mean": round(float(array.mean()), 2),
        "median": float(np.median(array)),
        "p10": float(np.percentile(array, 10)),
        "p90": float(np.percentile(array, 90)),
        "max": float(array.max()),
    }
