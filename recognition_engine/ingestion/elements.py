"""Which mandatory elements of the EU 2022 Recommendation (Annex I) a micro-credential carries."""

from __future__ import annotations

from collections.abc import Callable

from recognition_engine.domain import ElementReport, EUElement, MicroCredential

_PRESENT: dict[EUElement, Callable[[MicroCredential], bool]] = {
    EUElement.TITLE: lambda c: bool(c.title),
    EUElement.COUNTRY: lambda c: c.country is not None,
    EUElement.AWARDING_BODY: lambda c: bool(c.awarding_body),
    EUElement.DATE_OF_ISSUE: lambda c: c.date_of_issue is not None,
    EUElement.LEARNING_OUTCOMES: lambda c: any(text.strip() for text in c.learning_outcomes),
    EUElement.WORKLOAD: lambda c: c.workload is not None,
    EUElement.LEVEL: lambda c: c.eqf_level is not None or c.nqf_level is not None,
    EUElement.ASSESSMENT: lambda c: c.assessment is not None,
    EUElement.PARTICIPATION: lambda c: c.participation is not None,
    EUElement.QUALITY_ASSURANCE: lambda c: c.quality_assurance is not None,
}

LABELS: dict[EUElement, str] = {
    EUElement.LEARNER: "identification of the learner",
    EUElement.TITLE: "title",
    EUElement.COUNTRY: "country of the awarding body",
    EUElement.AWARDING_BODY: "awarding body",
    EUElement.DATE_OF_ISSUE: "date of issuing",
    EUElement.LEARNING_OUTCOMES: "learning outcomes",
    EUElement.WORKLOAD: "notional workload",
    EUElement.LEVEL: "level (EQF/NQF)",
    EUElement.ASSESSMENT: "type of assessment",
    EUElement.PARTICIPATION: "form of participation",
    EUElement.QUALITY_ASSURANCE: "type of quality assurance",
}


def eu_element_report(
    credential: MicroCredential, *, learner_identified: bool | None = None
) -> ElementReport:
    """Return the mandatory elements found in and missing from the credential.

    ``learner_identified`` says whether the original credential named its learner (the name
    itself is never kept); None leaves the element out, as for the engine's own format, which
    deliberately carries no learner.
    """
    found: list[EUElement] = []
    missing: list[EUElement] = []
    if learner_identified is not None:
        (found if learner_identified else missing).append(EUElement.LEARNER)
    for element, present in _PRESENT.items():
        (found if present(credential) else missing).append(element)
    return ElementReport(found=found, missing=missing)


def describe_missing(missing: list[EUElement]) -> str:
    """Return the missing elements as a sentence for a warning."""
    names = ", ".join(LABELS[element] for element in missing)
    return f"The credential does not state these EU 2022 mandatory elements: {names}."
