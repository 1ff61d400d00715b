"""An Open Badges 3.0 credential (JSON or the ``vc`` of a JWT) → a micro-credential's fields.

Read: the achievement's name, description, criteria and type, its alignments (ESCO skills, an
EQF level), the issuer profile, ``awardedDate``/``validFrom``, ``inLanguage`` and
``creditsAvailable``. OB3 gives credits no unit: they count as ECTS only where the credential
itself says ECTS; otherwise the workload is left unknown, with a note. OB3 has no fields for the
type of assessment, the form of participation or quality assurance: those stay unstated.
"""

from __future__ import annotations

import re
from typing import Any

from recognition_engine.errors import InvalidInput
from recognition_engine.ingestion.digital.detect import OB3_TYPES
from recognition_engine.ingestion.digital.edc import EQF_URI, ESCO
from recognition_engine.ingestion.digital.jsonld import (
    PLAIN,
    as_list,
    first_object,
    language_map,
    objects,
    pick,
    strings,
    tagged,
    types_of,
)
from recognition_engine.ingestion.digital.reading import (
    Reading,
    instant,
    language_order,
    not_an_achievement,
    number,
)

# achievementType values (OB3 §B.1.3) that are micro-credentials or other short learning
# achievements; degrees, diplomas, licences, memberships and the like are refused.
SUPPORTED_ACHIEVEMENTS = {
    "Achievement",
    "Badge",
    "Certificate",
    "CertificateOfCompletion",
    "Competency",
    "Course",
    "LearningProgram",
    "MicroCredential",
}
SUBJECT_IDENTITY = ("id", "identifier", "name", "email", "birthDate", "dateOfBirth", "source")
_ECTS = re.compile(r"\bECTS\b", re.IGNORECASE)
_ECTS_NUMBER = re.compile(
    r"(\d+(?:[.,]\d+)?)\s*(?:ECTS)\b|\bECTS(?:\s+credits?)?\s*[:=]?\s*(\d+(?:[.,]\d+)?)",
    re.IGNORECASE,
)


def check_supported(document: dict[str, Any], source: str) -> None:
    """Refuse an OB3 credential that is not a micro-credential or a learning achievement."""
    if not types_of(document) & OB3_TYPES:
        named = ", ".join(sorted(types_of(document))) or "none"
        raise InvalidInput(
            f"{source}: unsupported credential type ({named}): an Open Badges 3.0 credential "
            "must be an OpenBadgeCredential or AchievementCredential"
        )
    achievement = first_object(first_object(document.get("credentialSubject")).get("achievement"))
    kind = achievement.get("achievementType")
    if kind is not None and kind not in SUPPORTED_ACHIEVEMENTS:
        raise not_an_achievement(
            source,
            f"an Open Badges achievement of type {str(kind)[:100]!r}",
            " (MicroCredential, Course, Certificate, Badge, …)",
        )


def read_ob3(document: dict[str, Any], preferred_language: str | None) -> Reading:
    """Return the micro-credential fields of a (schema-valid, supported) OB3 credential."""
    reading = Reading()
    subject = first_object(document.get("credentialSubject"))
    reading.learner_identified = any(subject.get(name) for name in SUBJECT_IDENTITY)
    achievement = first_object(subject.get("achievement"))
    stated_language = _language(achievement.get("inLanguage") or document.get("inLanguage"))
    languages = language_order(preferred_language, stated_language)
    if stated_language:
        reading.fields["language"] = stated_language

    _texts(reading, document, achievement, languages, stated_language)
    _issuer(reading, document, achievement, languages)
    _workload(reading, subject, achievement, languages)
    _alignments(reading, achievement)
    for name in ("assessment", "participation", "quality_assurance"):
        reading.fields[name] = None

    moment, label = next(
        (
            (instant(document.get(key)), key)
            for key in ("awardedDate", "validFrom", "issuanceDate")
            if instant(document.get(key)) is not None
        ),
        (None, None),
    )
    if moment is not None:
        reading.fields["date_of_issue"] = moment.date()
        if label != "awardedDate":
            reading.notes.append(f"Date of issue: the credential's {label} (no awardedDate).")
    reading.valid_from = instant(document.get("validFrom") or document.get("issuanceDate"))
    reading.valid_until = instant(document.get("validUntil") or document.get("expirationDate"))
    reading.status_listed = bool(document.get("credentialStatus"))
    if document.get("proof"):
        proofs = objects(document["proof"])
        kinds = {p.get("cryptosuite") or next(iter(types_of(p)), "") for p in proofs}
        reading.proof = ", ".join(sorted(k for k in kinds if isinstance(k, str) and k)) or "a proof"
    return reading


def _texts(
    reading: Reading,
    document: dict[str, Any],
    achievement: dict[str, Any],
    languages: list[str],
    stated_language: str | None,
) -> None:
    def texts(value: Any) -> dict[str, str]:
        found = language_map(value)
        if stated_language and PLAIN in found:  # a plain string is in the stated language
            found.setdefault(stated_language, found.pop(PLAIN))
        return found

    title = texts(achievement.get("name")) or texts(document.get("name"))
    description = texts(achievement.get("description")) or texts(document.get("description"))
    criteria = pick(texts(first_object(achievement.get("criteria")).get("narrative")), languages)
    skills = [
        ": ".join(strings([a.get("targetName"), a.get("targetDescription")]))
        for a in objects(achievement.get("alignment"))
    ]
    parts = [pick(description, languages)]
    if criteria:
        parts.append(f"Criteria: {criteria}")
    if any(skills):
        parts.append("Aligned skills: " + "; ".join(s for s in skills if s) + ".")
    reading.fields["title"] = pick(title, languages)
    reading.fields["description"] = "\n".join(p for p in parts if p) or None
    reading.fields["learning_outcomes"] = []
    reading.fields["translations"] = {"title": tagged(title), "description": tagged(description)}
    reading.notes.append(
        "Open Badges 3.0 states no learning outcomes: the description, criteria and aligned "
        "skills are what is matched."
    )


def _issuer(
    reading: Reading, document: dict[str, Any], achievement: dict[str, Any], languages: list[str]
) -> None:
    issuer = first_object(document.get("issuer"))
    creator = first_object(achievement.get("creator"))
    name = pick(language_map(issuer.get("name")), languages)
    creator_name = pick(language_map(creator.get("name")), languages)
    reading.issuer = name
    reading.fields["awarding_body"] = name or creator_name
    if name and creator_name and creator_name != name:
        reading.notes.append(f"The achievement was created by {creator_name}, issued by {name}.")
    country = None
    for profile in (issuer, creator):
        for address in objects(profile.get("address")):
            for key in ("addressCountryCode", "addressCountry"):
                value = address.get(key)
                if isinstance(value, str) and re.fullmatch(r"[A-Za-z]{2}", value.strip()):
                    country = value.strip().upper()
                    break
            if country:
                break
        if country:
            break
    reading.fields["country"] = country


def _workload(
    reading: Reading, subject: dict[str, Any], achievement: dict[str, Any], languages: list[str]
) -> None:
    credits = number(achievement.get("creditsAvailable"))
    reading.fields["workload"] = None
    if credits is None:
        return
    if _says_ects(achievement, credits, languages):
        reading.fields["workload"] = {"ects": credits}
        reading.notes.append(f"creditsAvailable {credits:g}: the credential says they are ECTS.")
    else:
        reading.notes.append(
            f"creditsAvailable is {credits:g}, but Open Badges gives credits no unit and the "
            "credential does not say they are ECTS: the workload is unknown."
        )


def _says_ects(achievement: dict[str, Any], credits: float, languages: list[str]) -> bool:
    """Return whether the achievement itself calls its credits ECTS (and no other number)."""
    for key, value in achievement.items():  # an extension such as "creditUnit": "ECTS"
        unit = isinstance(value, str) and "credit" in key.lower() and key != "creditsAvailable"
        if unit and _ECTS.search(value):
            return True
    texts = strings(
        [pick(language_map(achievement.get(k)), languages) for k in ("name", "description")]
        + [
            pick(
                language_map(first_object(achievement.get("criteria")).get("narrative")), languages
            )
        ]
        + [a.get("targetName") for a in objects(achievement.get("alignment"))]
        + [a.get("targetFramework") for a in objects(achievement.get("alignment"))]
        + as_list(achievement.get("tag"))
    )
    stated = [number(a or b) for text in texts for a, b in _ECTS_NUMBER.findall(text)]
    return bool(stated) and all(value == credits for value in stated)


def _alignments(reading: Reading, achievement: dict[str, Any]) -> None:
    skills: dict[str, dict[str, Any]] = {}
    for alignment in objects(achievement.get("alignment")):
        url = alignment.get("targetUrl") if isinstance(alignment.get("targetUrl"), str) else None
        framework = alignment.get("targetFramework")
        level = EQF_URI.fullmatch(url or "")
        if level:
            reading.fields["eqf_level"] = int(level.group(1))
            continue
        name = alignment.get("targetName")
        if not isinstance(name, str) or not name.strip():
            continue
        is_esco = bool(url and url.startswith(ESCO)) or (
            isinstance(framework, str) and "esco" in framework.lower()
        )
        skills.setdefault(
            name.strip(),
            {
                "label": name.strip()[:500],
                "uri": url[:500] if url else None,
                "framework": "ESCO"
                if is_esco
                else (framework[:100] if isinstance(framework, str) else None),
            },
        )
    reading.fields["skills"] = list(skills.values())


def _language(value: Any) -> str | None:
    code = next(iter(strings(as_list(value))), None)
    return code.split("-")[0].lower() if code else None
