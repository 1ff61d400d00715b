"""A Europass digital credential (European Learning Model, JSON-LD) → a micro-credential's fields.

Read from ``credentialSubject.hasClaim`` (a LearningAchievement): its title and description,
the learning outcomes, credit points and volume of learning, EQF level, mode, language and
accreditation of its ``specifiedBy`` specification, the assessment of ``provenBy``, and the
awarding body of ``awardedBy``. Nothing about the learner is read beyond whether they are named.
Embedded images (logos, display pages) are skipped, never decoded.
"""

from __future__ import annotations

import re
from typing import Any

from recognition_engine.domain import (
    IdentityVerification,
    ParticipationForm,
    QualityAssuranceType,
)
from recognition_engine.ingestion.digital.jsonld import (
    as_list,
    concept_id,
    concept_label,
    concept_labels,
    first_object,
    language_map,
    objects,
    pick,
    strings,
    tagged,
    types_of,
    uri_tail,
)
from recognition_engine.ingestion.digital.reading import (
    Reading,
    duration_hours,
    first_match,
    instant,
    language_order,
    not_an_achievement,
    number,
)
from recognition_engine.ingestion.digital.vocabularies import (
    ASSESSMENT_WORDS,
    COUNTRY_ALPHA3_TO_ALPHA2,
    IDENTITY_WORDS,
    LANGUAGE_ALPHA3_TO_ALPHA2,
    PARTICIPATION_LABELS,
)

ECTS_FRAMEWORK = "http://data.europa.eu/snb/education-credit/6fcec5c5af"
EQF_URI = re.compile(r"https?://data\.europa\.eu/snb/eqf/([1-8])")
ESCO = "http://data.europa.eu/esco/"
SUPPORTED_CLAIM = "LearningAchievement"
OTHER_CLAIMS = {
    "LearningEntitlement": "a learning entitlement (an enrolment or admission)",
    "LearningActivity": "a record of participation in a learning activity",
    "Qualification": "a qualification specification, not an achievement",
}
# Credential profiles of the European Learning Model that are not micro-credentials.
OTHER_PROFILES = ("diploma", "degree", "accreditation", "mandate", "entitlement", "enrol")
# fmt: off
LEARNER_FIELDS = (
    "fullName", "givenName", "givenNames", "familyName", "birthName", "patronymicName",
    "dateOfBirth", "nationalID", "nationalId", "identifier", "contactPoint",
)
# fmt: on


def check_supported(document: dict[str, Any], source: str) -> None:
    """Refuse an EDC that is not a learning achievement (a diploma, an enrolment …)."""
    profiles = [
        label.lower()
        for p in as_list(document.get("credentialProfiles"))
        for label in concept_labels(p)
    ]
    for label in profiles:
        if any(word in label for word in OTHER_PROFILES):
            raise not_an_achievement(source, f"an EDC with the profile {label!r}")
    claims = [
        c for s in objects(document.get("credentialSubject")) for c in as_list(s.get("hasClaim"))
    ]
    kinds = set().union(*(types_of(claim) for claim in claims)) if claims else set()
    if SUPPORTED_CLAIM not in kinds:
        what = next((OTHER_CLAIMS[k] for k in sorted(kinds) if k in OTHER_CLAIMS), None)
        found = what or (f"a claim of type {', '.join(sorted(kinds))}" if kinds else "no claim")
        raise not_an_achievement(source, f"the EDC holds {found}")


def read_edc(document: dict[str, Any], preferred_language: str | None) -> Reading:
    """Return the micro-credential fields of a (schema-valid, supported) EDC."""
    reading = Reading()
    subject = first_object(document.get("credentialSubject"))
    reading.learner_identified = any(subject.get(name) for name in LEARNER_FIELDS)
    claims = [c for c in objects(subject.get("hasClaim")) if SUPPORTED_CLAIM in types_of(c)]
    if len(claims) > 1:
        reading.notes.append(f"The credential holds {len(claims)} achievements: the first is read.")
    claim = claims[0]
    spec = first_object(claim.get("specifiedBy"))
    languages = language_order(preferred_language, _primary_language(document, spec))

    _texts(reading, claim, spec, languages)
    _awarding_body(reading, claim, document, languages)
    _workload(reading, claim, spec)
    _level(reading, spec, languages)
    _participation(reading, spec, languages)
    _assessment(reading, claim, languages)
    _quality_assurance(reading, claim, spec, languages)
    _skills(reading, spec, languages)
    codes = [_language_code(c) for c in as_list(spec.get("language"))]
    if codes and codes[0]:
        reading.fields["language"] = codes[0]
    entry = pick(
        language_map(first_object(spec.get("entryRequirement")).get("noteLiteral")), languages
    )
    if entry:
        reading.fields["prerequisites"] = entry

    issuer = first_object(document.get("issuer"))
    reading.issuer = pick(language_map(issuer.get("legalName")), languages)
    reading.valid_from = instant(document.get("validFrom"))
    reading.valid_until = instant(document.get("validUntil") or document.get("expirationDate"))
    reading.status_listed = bool(document.get("credentialStatus") or document.get("status"))
    if document.get("proof"):
        kinds = ", ".join(sorted(set().union(*(types_of(p) for p in objects(document["proof"])))))
        reading.proof = kinds or "an embedded proof"
    return reading


def _texts(
    reading: Reading, claim: dict[str, Any], spec: dict[str, Any], languages: list[str]
) -> None:
    title = language_map(claim.get("title")) or language_map(spec.get("title"))
    description = language_map(claim.get("description")) or language_map(spec.get("description"))
    outcomes = [language_map(o.get("title")) for o in objects(spec.get("learningOutcome"))]
    outcomes = [o for o in outcomes if o]
    reading.fields["title"] = pick(title, languages)
    reading.fields["description"] = pick(description, languages)
    reading.fields["learning_outcomes"] = [pick(o, languages) for o in outcomes]
    reading.fields["translations"] = {
        "title": tagged(title),
        "description": tagged(description),
        "learning_outcomes": [tagged(o) for o in outcomes],
    }


def _awarding_body(
    reading: Reading, claim: dict[str, Any], document: dict[str, Any], languages: list[str]
) -> None:
    process = first_object(claim.get("awardedBy"))
    bodies = objects(process.get("awardingBody"))
    names = [pick(language_map(body.get("legalName")), languages) for body in bodies]
    reading.fields["awarding_body"] = "; ".join(name for name in names if name) or None
    codes = [
        uri_tail(code).upper()
        for body in bodies
        for location in objects(body.get("location"))
        for address in objects(location.get("address"))
        if (code := concept_id(address.get("countryCode")))
    ]
    reading.fields["country"] = COUNTRY_ALPHA3_TO_ALPHA2.get(codes[0]) if codes else None
    if codes and reading.fields["country"] is None:
        reading.notes.append(
            f"Country code {codes[0]!r} is not one the engine knows: the country is left unstated."
        )
    for key, label in (
        (process.get("awardingDate"), "awarding date"),
        (document.get("issuanceDate"), "issuance date"),
        (document.get("issued"), "issue date"),
        (document.get("validFrom"), "validFrom date"),
    ):
        moment = instant(key)
        if moment is not None:
            reading.fields["date_of_issue"] = moment.date()
            if label != "awarding date":
                reading.notes.append(f"Date of issue: the credential's {label} (no awarding date).")
            return


def _workload(reading: Reading, claim: dict[str, Any], spec: dict[str, Any]) -> None:
    workload: dict[str, float] = {}
    credits = objects(spec.get("creditPoint")) or objects(claim.get("creditReceived"))
    for credit in credits:
        framework = credit.get("framework")
        points = number(credit.get("point"))
        is_ects = concept_id(framework) == ECTS_FRAMEWORK or any(
            label.strip().upper() == "ECTS" for label in concept_labels(framework)
        )
        if points is None:
            reading.notes.append("A credit point without a number was not used.")
        elif is_ects:
            workload.setdefault("ects", points)
        else:
            name = next(iter(concept_labels(framework)), "an unnamed framework")
            reading.notes.append(f"{points:g} credit points in {name} (not ECTS) were not used.")
    volume = spec.get("volumeOfLearning")
    if isinstance(volume, str):
        hours = duration_hours(volume)
        if hours is None:
            reading.notes.append(
                f"Volume of learning {volume!r} is not a number of hours: not used."
            )
        else:
            workload["hours"] = hours
    reading.fields["workload"] = workload or None


def _level(reading: Reading, spec: dict[str, Any], languages: list[str]) -> None:
    for concept in as_list(spec.get("eqfLevel")):
        match = EQF_URI.fullmatch(concept_id(concept) or "")
        if match:
            reading.fields["eqf_level"] = int(match.group(1))
            break
    else:
        if spec.get("eqfLevel"):
            reading.notes.append("The EQF level is not an EQF URI of the EU vocabulary: not used.")
    for concept in as_list(spec.get("nqfLevel")):
        label = concept_label(concept, languages) or "no label"
        reading.notes.append(
            f"NQF level {label!r} ({concept_id(concept) or 'no URI'}) names no framework the "
            "engine has a correspondence table for: not used."
        )


def _participation(reading: Reading, spec: dict[str, Any], languages: list[str]) -> None:
    forms: set[ParticipationForm] = set()
    for concept in as_list(spec.get("mode")):
        labels = [label.strip().lower() for label in concept_labels(concept)]
        form = next((PARTICIPATION_LABELS[x] for x in labels if x in PARTICIPATION_LABELS), None)
        if form is None:
            reading.notes.append(
                f"Mode {concept_label(concept, languages)!r} is not online, on site or blended: "
                "not used as the form of participation."
            )
        else:
            forms.add(form)
    if len(forms) > 1:
        forms = {ParticipationForm.BLENDED}
    reading.fields["participation"] = next(iter(forms), None)


def _assessment(reading: Reading, claim: dict[str, Any], languages: list[str]) -> None:
    reading.fields["assessment"] = None
    assessments = objects(claim.get("provenBy"))
    if not assessments:
        return
    assessment = assessments[0]
    spec = first_object(assessment.get("specifiedBy"))
    labels = strings(
        [pick(language_map(assessment.get("title")), languages)]
        + [concept_label(c, languages) for c in as_list(spec.get("dcType"))]
        + [pick(language_map(spec.get("title")), languages)]
    )
    kind = first_match(labels, ASSESSMENT_WORDS)
    reading.fields["assessment"] = kind
    stated = " / ".join(dict.fromkeys(labels)) or "an untitled assessment"
    reading.notes.append(
        f"Assessment {stated!r} read as {kind.value.replace('_', ' ')}."
        if kind
        else f"Assessment {stated!r} is of no type the engine knows: left unstated."
    )
    grade = pick(language_map(first_object(assessment.get("grade")).get("noteLiteral")), languages)
    if grade:
        reading.fields["grade"] = grade
    supervision = concept_labels(assessment.get("idVerification"))
    identity = first_match(supervision, IDENTITY_WORDS)
    if identity is None and any("supervised" in label.lower() for label in supervision):
        online = reading.fields.get("participation") is ParticipationForm.ONLINE
        identity = IdentityVerification.ONLINE_PROCTORED if online else IdentityVerification.ON_SITE
    if identity is not None:
        reading.fields["identity_verification"] = identity
        reading.notes.append(
            f"Identity verification {concept_label(assessment.get('idVerification'), languages)!r}"
            f" read as {identity.value.replace('_', ' ')}."
        )


def _quality_assurance(
    reading: Reading, claim: dict[str, Any], spec: dict[str, Any], languages: list[str]
) -> None:
    reading.fields["quality_assurance"] = None
    accreditations = objects(spec.get("accreditation")) or objects(claim.get("accreditation"))
    if not accreditations:
        return
    accreditation = accreditations[0]
    agent = first_object(accreditation.get("accreditingAgent"))
    body = pick(language_map(agent.get("legalName")), languages)
    reading.fields["quality_assurance"] = {
        "type": QualityAssuranceType.EXTERNAL_ACCREDITED,
        "body": body,
    }
    kind = concept_label(accreditation.get("dcType"), languages)
    reading.notes.append(
        f"Quality assurance: accreditation{f' ({kind})' if kind else ''}"
        f"{f' by {body}' if body else ''}."
    )


def _skills(reading: Reading, spec: dict[str, Any], languages: list[str]) -> None:
    skills: dict[str, dict[str, Any]] = {}
    for outcome in objects(spec.get("learningOutcome")):
        for concept in objects(outcome.get("relatedESCOSkill")):
            label = concept_label(concept, languages)
            if not label:
                continue
            uri = concept_id(concept)
            skills.setdefault(
                label,
                {
                    "label": label,
                    "uri": uri if uri and uri.startswith(ESCO) else None,
                    "framework": "ESCO",
                },
            )
    reading.fields["skills"] = list(skills.values())


def _primary_language(document: dict[str, Any], spec: dict[str, Any]) -> str | None:
    display = first_object(document.get("displayParameter"))
    for concept in as_list(display.get("primaryLanguage")) + as_list(spec.get("language")):
        code = _language_code(concept)
        if code:
            return code
    return None


def _language_code(concept: Any) -> str | None:
    uri = concept_id(concept)
    return LANGUAGE_ALPHA3_TO_ALPHA2.get(uri_tail(uri).upper()) if uri else None
