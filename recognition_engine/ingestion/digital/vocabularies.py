"""Controlled vocabularies the European Learning Model points to, as far as the engine reads them.

The EU Publications Office authority tables name countries and languages by three-letter codes
(``…/authority/country/SVN``, ``…/authority/language/ENG``); the engine's model uses ISO 3166-1
alpha-2 countries and ISO 639-1 languages. The tables below cover the countries of the European
Higher Education Area and the languages of the EU and its neighbours; a code outside them is
reported, never guessed.
"""

from __future__ import annotations

from recognition_engine.domain import AssessmentType, IdentityVerification, ParticipationForm

# fmt: off
COUNTRY_ALPHA3_TO_ALPHA2: dict[str, str] = {
    "ALB": "AL", "AND": "AD", "ARM": "AM", "AUT": "AT", "AZE": "AZ", "BEL": "BE", "BIH": "BA",
    "BGR": "BG", "BLR": "BY", "CHE": "CH", "CYP": "CY", "CZE": "CZ", "DEU": "DE", "DNK": "DK",
    "ESP": "ES", "EST": "EE", "FIN": "FI", "FRA": "FR", "FRO": "FO", "GBR": "GB", "GEO": "GE",
    "GRC": "GR", "HRV": "HR", "HUN": "HU", "IRL": "IE", "ISL": "IS", "ITA": "IT", "KAZ": "KZ",
    "LIE": "LI", "LTU": "LT", "LUX": "LU", "LVA": "LV", "MCO": "MC", "MDA": "MD", "MKD": "MK",
    "MLT": "MT", "MNE": "ME", "NLD": "NL", "NOR": "NO", "POL": "PL", "PRT": "PT", "ROU": "RO",
    "RUS": "RU", "SMR": "SM", "SRB": "RS", "SVK": "SK", "SVN": "SI", "SWE": "SE", "TUR": "TR",
    "UKR": "UA", "VAT": "VA",
    # frequent partners outside the EHEA
    "ARG": "AR", "AUS": "AU", "BRA": "BR", "CAN": "CA", "CHN": "CN", "EGY": "EG", "IND": "IN",
    "ISR": "IL", "JPN": "JP", "KOR": "KR", "MAR": "MA", "MEX": "MX", "NZL": "NZ", "SGP": "SG",
    "TUN": "TN", "USA": "US", "ZAF": "ZA",
}

LANGUAGE_ALPHA3_TO_ALPHA2: dict[str, str] = {
    "BUL": "bg", "CES": "cs", "DAN": "da", "DEU": "de", "ELL": "el", "ENG": "en", "SPA": "es",
    "EST": "et", "FIN": "fi", "FRA": "fr", "GLE": "ga", "HRV": "hr", "HUN": "hu", "ITA": "it",
    "LIT": "lt", "LAV": "lv", "MLT": "mt", "NLD": "nl", "POL": "pl", "POR": "pt", "RON": "ro",
    "SLK": "sk", "SLV": "sl", "SWE": "sv",
    # regional and neighbouring languages
    "CAT": "ca", "EUS": "eu", "GLG": "gl", "ISL": "is", "NOR": "no", "NOB": "nb", "NNO": "nn",
    "SRP": "sr", "MKD": "mk", "SQI": "sq", "BOS": "bs", "CNR": "cnr", "TUR": "tr", "UKR": "uk",
    "RUS": "ru", "KAT": "ka", "HYE": "hy", "AZE": "az", "LTZ": "lb", "GSW": "gsw",
}

# Form of participation, from the English label of an ELM "mode" concept.
PARTICIPATION_LABELS: dict[str, ParticipationForm] = {
    "online": ParticipationForm.ONLINE,
    "distance": ParticipationForm.ONLINE,
    "blended": ParticipationForm.BLENDED,
    "hybrid": ParticipationForm.BLENDED,
    "presential": ParticipationForm.ON_SITE,
    "on site": ParticipationForm.ON_SITE,
    "on-site": ParticipationForm.ON_SITE,
    "onsite": ParticipationForm.ON_SITE,
    "face-to-face": ParticipationForm.ON_SITE,
    "face to face": ParticipationForm.ON_SITE,
    "in person": ParticipationForm.ON_SITE,
}

# Type of assessment, from words in the assessment's title or type label; the first rule that
# matches wins, so the more specific words come first.
ASSESSMENT_WORDS: list[tuple[tuple[str, ...], AssessmentType]] = [
    (("self-assess", "self assess"), AssessmentType.SELF_ASSESSMENT),
    (("automated", "auto-graded", "quiz", "multiple choice", "online test"),
     AssessmentType.AUTOMATED_TEST),
    (("exam", "examination", "written test", "proctored", "invigilated"),
     AssessmentType.SUPERVISED_EXAM),
    (("portfolio",), AssessmentType.PORTFOLIO),
    (("project", "capstone", "thesis"), AssessmentType.PROJECT),
    (("oral", "viva", "interview", "presentation"), AssessmentType.ORAL),
    (("practical", "laboratory", "lab work", "exercise", "simulation"), AssessmentType.PRACTICAL),
    (("attendance", "participation only"), AssessmentType.ATTENDANCE),
    (("no assessment", "not assessed"), AssessmentType.NONE),
]

# Identity verification at the assessment, from the label of ELM's "supervision and
# verification" concept. "Supervised" alone is read with the form of participation.
IDENTITY_WORDS: list[tuple[tuple[str, ...], IdentityVerification]] = [
    (("online", "remote", "proctor"), IdentityVerification.ONLINE_PROCTORED),
    (("onsite", "on-site", "on site", "in person", "presential"), IdentityVerification.ON_SITE),
    (("unsupervised", "none", "no verification"), IdentityVerification.NONE),
]
