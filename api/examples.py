"""Request examples for the OpenAPI document, in the shapes of the shipped corpus.

Trimmed from ``corpora/programmes/ge-computer-engineering-bsc.yaml`` and
``corpora/credentials/network-security-essentials-*.yaml`` (literals, so nothing is read at
import time).
"""

from __future__ import annotations

from typing import Any

PROGRAMME: dict[str, Any] = {
    "id": "ge-computer-engineering-bsc",
    "institution": "Tbilisi Institute of Technology (illustrative catalogue)",
    "country": "GE",
    "title": "Computer Engineering (BSc)",
    "cycle": "first",
    "nqf_level": 6,
    "eqf_level": 6,
    "total_ects": 240,
    "recognition_policy": {"max_microcredential_ects": 30, "max_microcredential_share": 0.25},
    "modules": [
        {
            "code": "CE1103",
            "title": "Programming in C",
            "ects": 6,
            "nqf_level": 6,
            "semester": 1,
            "compulsory": True,
            "description": "Imperative programming in C, from variables and control flow to "
            "pointers, dynamic memory and multi-file programs.",
            "learning_outcomes": [
                "Write, compile and debug C programs using variables, operators, conditionals "
                "and loops.",
                "Manipulate arrays, strings and structures through pointers and pointer "
                "arithmetic.",
                "Allocate and free dynamic memory and detect memory leaks with a debugging tool.",
            ],
        },
        {
            "code": "CE3201",
            "title": "Network Security",
            "ects": 6,
            "nqf_level": 6,
            "semester": 6,
            "compulsory": True,
            "description": "Threats to networked systems and the cryptographic and operational "
            "controls that counter them.",
            "learning_outcomes": [
                "Identify common network attacks such as spoofing, man-in-the-middle and denial "
                "of service.",
                "Explain symmetric and public-key cryptography, hash functions and digital "
                "certificates.",
                "Configure stateful firewalls and network segmentation to enforce a security "
                "policy.",
                "Secure remote connections with IPsec and TLS virtual private networks.",
                "Deploy intrusion detection systems and analyse their alerts.",
            ],
        },
    ],
}

CREDENTIAL: dict[str, Any] = {
    "id": "am-network-security-essentials-1",
    "title": "Network Security Essentials I",
    "awarding_body": "Yerevan Institute of Cybersecurity (illustrative)",
    "country": "AM",
    "date_of_issue": "2024-11-15",
    "description": "Threats to networks and the basic controls against them.",
    "learning_outcomes": [
        "Recognise spoofing, interception and denial-of-service attacks against a network from "
        "traffic evidence.",
        "Describe how symmetric encryption, public-key encryption, hashing and certificates "
        "protect data in transit.",
        "Enforce a security policy with stateful firewall rules and separate network zones.",
    ],
    "workload": {"ects": 3, "hours": 75},
    "eqf_level": 6,
    "nqf_level": {"framework": "AM", "level": 6},
    "assessment": "supervised_exam",
    "participation": "blended",
    "quality_assurance": {
        "type": "external_accredited",
        "body": "National Center for Professional Education Quality Assurance (ANQA)",
    },
    "identity_verification": "on_site",
    "stackable": True,
    "language": "English",
}

CREDENTIAL_2: dict[str, Any] = {
    **CREDENTIAL,
    "id": "am-network-security-essentials-2",
    "title": "Network Security Essentials II",
    "date_of_issue": "2025-03-21",
    "description": "Secure remote access, detection and response.",
    "learning_outcomes": [
        "Build IPsec and TLS-based VPN tunnels that protect remote connections.",
        "Install an intrusion detection system such as Suricata and investigate the alerts it "
        "raises.",
    ],
    "assessment": "practical",
}


def example(summary: str, value: Any) -> dict[str, Any]:
    return {"summary": summary, "value": value}


PROGRAMME_EXAMPLES = {"programme": example("A first-cycle programme (trimmed)", PROGRAMME)}
CREDENTIAL_EXAMPLES = {
    "credential": example("A micro-credential (EU 2022 elements)", CREDENTIAL),
    "with-learner": example(
        "With a learner identity (dropped before storage)",
        {**CREDENTIAL, "learner": {"name": "Ani Petrosyan", "identifier": "AM-123456"}},
    ),
}
RECOGNITION_EXAMPLES = {
    "single": example(
        "One credential",
        {"programme_id": "ge-computer-engineering-bsc", "credential_ids": ["<credential id>"]},
    ),
    "stacked": example(
        "Two stacked credentials",
        {
            "programme_id": "ge-computer-engineering-bsc",
            "credential_ids": ["<credential id 1>", "<credential id 2>"],
        },
    ),
    "in-application": example(
        "One credential within a learner's application (the cap holds across it)",
        {
            "programme_id": "ge-computer-engineering-bsc",
            "credential_ids": ["<credential id>"],
            "application_id": "<application id>",
        },
    ),
}
APPLICATION_EXAMPLES = {
    "with-reference": example(
        "With your own pseudonymous reference",
        {"programme_id": "ge-computer-engineering-bsc", "reference": "intake-2025-0042"},
    ),
    "without-reference": example(
        "The service's id only", {"programme_id": "ge-computer-engineering-bsc"}
    ),
}
DECISION_EXAMPLES = {
    "accept": example(
        "Accept the proposal",
        {"action": "accept", "reason": "Outcomes and level match; QA by ANQA is recognised."},
    ),
    "modify": example(
        "Award other modules or ECTS",
        {
            "action": "modify",
            "reason": "Incident response is not covered: partial credit only.",
            "modules": [{"module_code": "CE3201", "ects": 3}],
        },
    ),
    "reject": example(
        "Reject",
        {"action": "reject", "reason": "The assessment was not supervised."},
    ),
}
SCREENING_EXAMPLES = {
    "batch": example(
        "Two credentials against one programme",
        {
            "programme_ids": ["ge-computer-engineering-bsc"],
            "credentials": [CREDENTIAL, CREDENTIAL_2],
        },
    )
}
LEVEL_EXAMPLES = {
    "outcomes": example(
        "Learning outcomes with a declared level",
        {
            "learning_outcomes": CREDENTIAL["learning_outcomes"],
            "declared_eqf_level": 6,
            "ects": 3,
        },
    )
}
