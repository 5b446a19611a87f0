"""Benchmark the answer engine against a plain BM25 baseline, in one run.

Run: ``.venv/bin/python bench/qa.py`` (``--tune`` also sweeps the threshold
over tests/core/paraphrases.yaml; ``--rounds N`` repeats timing rounds).

Both systems answer the dev questions (shared/qa/dev.yaml and dev2.yaml, each
with its own ``today``) on the shipped knowledge file and on a synthetic
2,000-entry file (the real entries plus deterministic filler), and we time
every question. They also answer tests/core/heldout.yaml (written by the team
from the seed posts, never used for tuning) and tests/core/blind.yaml (written
from the seed posts only, without seeing the knowledge file), and accuracy is
reported per class of question (dev2 and blind sets are tagged by class).

Cold start: ``memberbot ask`` run as a new process, as staff run it, timed from
spawn to exit (target < 1 s), with the CPU time it used (which other work on the
machine disturbs less than wall time). An answered question, a miss (stored in a database
that exists and is migrated: the common case), and a miss on a fresh data
directory (creates and migrates the database). ``--cold-runs 0`` skips it.

Baseline: ``bm25s`` (BM25, sparse matrices) over each entry's title + questions + answer
(lower-cased word tokens), answering with the top entry's text. It abstains
below a BM25 score threshold tuned on the same paraphrase file as the engine
(never on the dev set), so the abstain column compares like with like.

Exit status is non-zero only on a correctness failure (a file that does not
load, an engine that crashes), never because of a timing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import bm25s  # noqa: E402

from bot.answers import AnswerEngine  # noqa: E402
from bot.answers.engine import DEFAULT_THRESHOLD  # noqa: E402
from bot.answers.wording import entry_text  # noqa: E402
from bot.knowledge import Entry, Knowledge, load_knowledge  # noqa: E402

KNOWLEDGE = ROOT / "data" / "knowledge.yaml"
DEV_SET = ROOT.parent / "shared" / "qa" / "dev.yaml"
DEV2_SET = ROOT.parent / "shared" / "qa" / "dev2.yaml"
BLIND = ROOT / "tests" / "core" / "blind.yaml"
BLIND2 = ROOT / "tests" / "core" / "blind2.yaml"
PARAPHRASES = ROOT / "tests" / "core" / "paraphrases.yaml"
HELDOUT = ROOT / "tests" / "core" / "heldout.yaml"
SYNTHETIC_SIZE = 2000
SEED = 20240229
COLD_START_TARGET_S = 1.0
ANSWERED_QUESTION = "when is the mentoring deadline"
MISSED_QUESTION = "what is the capital of australia"

Answerer = Callable[[str, dt.date], tuple[bool, str, str | None]]


@dataclass(frozen=True)
class Result:
    """Accuracy and timing of one system on one knowledge file."""

    system: str
    knowledge: str
    correct: int
    total: int
    abstain_correct: int
    abstain_total: int
    median_ms: float
    p99_ms: float


# ------------------------------------------------------------------ systems
def engine_answerer(knowledge: Knowledge, threshold: float | None = None) -> Answerer:
    """The real engine as (question, today) -> (answered, text, entry id)."""
    engine = AnswerEngine(knowledge=knowledge, threshold=threshold)

    def answer(question: str, today: dt.date) -> tuple[bool, str, str | None]:
        result = engine.answer(question, today=today)
        return result.answered, result.text, (result.sources[0] if result.sources else None)

    return answer


_WORD = re.compile(r"[a-z0-9#]+")


def _bm25_tokens(text: str) -> list[str]:
    return _WORD.findall(text.lower())


class Bm25Baseline:
    """Plain BM25 over title + questions + answer; abstains below a score."""

    def __init__(self, knowledge: Knowledge, threshold: float = 0.0) -> None:
        self.threshold = threshold
        self._entries = knowledge.entries
        self._texts = [entry_text(entry, knowledge) for entry in knowledge.entries]
        corpus = [
            _bm25_tokens(" ".join([entry.title, *entry.questions, entry.answer]))
            for entry in self._entries
        ]
        self._bm25 = bm25s.BM25()
        self._bm25.index(corpus, show_progress=False)
        self._contact = knowledge.default_contact()

    def best(self, question: str) -> tuple[float, int]:
        scores = self._bm25.get_scores(_bm25_tokens(question))
        index = max(range(len(scores)), key=scores.__getitem__)
        return float(scores[index]), index

    def __call__(self, question: str, today: dt.date) -> tuple[bool, str, str | None]:
        score, index = self.best(question)
        if score < self.threshold:
            return False, f"I don't know; ask {self._contact.name} ({self._contact.email}).", None
        return True, self._texts[index], self._entries[index].id


# ---------------------------------------------------------------- data sets
def load_dev(path: Path = DEV_SET) -> list[dict]:
    """Questions in the dev-set format (each with a `today`, defaulting to the real date)."""
    items = yaml.safe_load(path.read_text(encoding="utf-8"))
    for item in items:
        today = item.get("today") or dt.date.today()
        item["today"] = today if isinstance(today, dt.date) else dt.date.fromisoformat(today)
    return items


def load_paraphrases() -> dict:
    return yaml.safe_load(PARAPHRASES.read_text(encoding="utf-8"))


def synthetic_knowledge(real: Knowledge, size: int) -> Knowledge:
    """The real entries plus deterministic filler entries up to ``size``."""
    rng = random.Random(SEED)
    vocabulary = sorted(
        {word for entry in real.entries for word in _bm25_tokens(entry.answer) if len(word) > 3}
    )
    filler_words = [
        f"{a}{b}" for a in ("zor", "mel", "tap", "quin", "bra") for b in vocabulary[:80]
    ]
    pool = vocabulary + filler_words
    extra = []
    for number in range(size - len(real.entries)):
        words = rng.sample(pool, 40)
        extra.append(
            Entry(
                id=f"filler-{number}",
                title=" ".join(words[:4]).capitalize(),
                questions=[
                    f"What about {' '.join(words[4:8])}?",
                    f"How do I {' '.join(words[8:12])}?",
                ],
                keywords=words[12:15],
                answer=" ".join(words[15:]) + ".",
            )
        )
    return real.model_copy(update={"entries": [*real.entries, *extra]})


# ------------------------------------------------------------------ scoring
def dev_correct(item: dict, answered: bool, text: str, contact_email: str) -> bool:
    """The dev set's rule: every regex matches and answered, or an abstention naming a contact.

    Items marked ``answered_any`` (small talk) are judged on their regexes alone.
    """
    if item.get("expect_abstain"):
        return not answered and contact_email.lower() in text.lower()
    matches = all(re.search(pattern, text, re.I) for pattern in item["expect"])
    return matches if item.get("answered_any") else answered and matches


def evaluate(name: str, label: str, answerer: Answerer, dev: list[dict], email: str, rounds: int):
    correct = abstain_correct = 0
    abstain_total = sum(1 for item in dev if item.get("expect_abstain"))
    timings: list[float] = []
    for round_number in range(rounds):
        for item in dev:
            start = time.perf_counter()
            answered, text, _ = answerer(item["q"], item["today"])
            timings.append((time.perf_counter() - start) * 1000)
            if round_number == 0:
                good = dev_correct(item, answered, text, email)
                correct += good
                abstain_correct += good and bool(item.get("expect_abstain"))
    timings.sort()
    p99 = timings[min(len(timings) - 1, int(len(timings) * 0.99))]
    return Result(
        name,
        label,
        correct,
        len(dev),
        abstain_correct,
        abstain_total,
        statistics.median(timings),
        p99,
    )


def paraphrase_accuracy(answerer: Answerer, paraphrases: dict) -> tuple[int, int, int, int]:
    """(in-scope right, in-scope total, abstained, out-of-scope + near-miss total)."""
    right = 0
    for item in paraphrases["in_scope"]:
        today = item.get("today") or dt.date(2021, 1, 1)
        answered, _, source = answerer(item["q"], today)
        if item.get("calendar"):
            right += answered
        else:
            right += answered and source == item["entry"]
    must_abstain = [*paraphrases["out_of_scope"], *paraphrases.get("near_misses", [])]
    abstained = sum(not answerer(question, dt.date(2021, 1, 1))[0] for question in must_abstain)
    return right, len(paraphrases["in_scope"]), abstained, len(must_abstain)


def tune(knowledge: Knowledge, paraphrases: dict) -> None:
    """Print paraphrase accuracy over a sweep of thresholds (engine and baseline)."""
    print("\n### Threshold sweep on tests/core/paraphrases.yaml\n")
    print("| engine threshold | in-scope right | out-of-scope + near misses abstained | total |")
    print("|---|---|---|---|")
    for step in range(20, 66, 2):
        threshold = step / 100
        scores = paraphrase_accuracy(engine_answerer(knowledge, threshold), paraphrases)
        print(f"| {threshold:.2f} | {scores[0]}/{scores[1]} | {scores[2]}/{scores[3]} "
              f"| {scores[0] + scores[2]} |")  # fmt: skip
    print("\n| BM25 threshold | in-scope right | out-of-scope + near misses abstained | total |")
    print("|---|---|---|---|")
    for threshold in (0.0, 2.0, 4.0, 6.0, 8.0, 10.0, 12.0):
        scores = paraphrase_accuracy(Bm25Baseline(knowledge, threshold), paraphrases)
        print(f"| {threshold:.1f} | {scores[0]}/{scores[1]} | {scores[2]}/{scores[3]} "
              f"| {scores[0] + scores[2]} |")  # fmt: skip


def tuned_bm25_threshold(knowledge: Knowledge, paraphrases: dict) -> float:
    """The BM25 abstain threshold that does best on the paraphrases (not the dev set)."""
    best = (-1, 0.0)
    for tenth in range(0, 200, 5):
        threshold = tenth / 10
        right, _, abstained, _ = paraphrase_accuracy(
            Bm25Baseline(knowledge, threshold), paraphrases
        )
        best = max(best, (right + abstained, -threshold))
    return -best[1]


# -------------------------------------------------------------------- main
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tune", action="store_true", help="sweep thresholds on paraphrases")
    parser.add_argument("--rounds", type=int, default=5, help="timing rounds per question")
    parser.add_argument(
        "--cold-runs", type=int, default=5, help="`memberbot ask` processes timed per case"
    )
    args = parser.parse_args(argv)

    started = time.perf_counter()
    try:
        shipped = load_knowledge(KNOWLEDGE)
    except Exception as error:
        print(f"FAILED to load the knowledge file: {error}", file=sys.stderr)
        return 1
    load_ms = (time.perf_counter() - started) * 1000
    dev = load_dev() + load_dev(DEV2_SET)
    paraphrases = load_paraphrases()
    email = shipped.default_contact().email or ""
    synthetic = synthetic_knowledge(shipped, SYNTHETIC_SIZE)
    bm25_threshold = tuned_bm25_threshold(shipped, paraphrases)

    results: list[Result] = []
    for label, knowledge in (("shipped", shipped), (f"synthetic {SYNTHETIC_SIZE}", synthetic)):
        size = f"{label} ({len(knowledge.entries)} entries)"
        build = time.perf_counter()
        engine = engine_answerer(knowledge)
        build_ms = (time.perf_counter() - build) * 1000
        baseline = Bm25Baseline(knowledge, bm25_threshold)
        results.append(evaluate("memberbot engine", size, engine, dev, email, args.rounds))
        results.append(evaluate("BM25 baseline", size, baseline, dev, email, args.rounds))
        print(f"engine index build on {size}: {build_ms:.1f} ms")
    print(
        f"knowledge file load: {load_ms:.1f} ms; BM25 abstain threshold (tuned): {bm25_threshold}"
    )
    print_table(results)

    heldout = load_dev(HELDOUT)
    print("\n### Held-out set (tests/core/heldout.yaml; written by the team, not blind)\n")
    print("| system | accuracy | out-of-scope abstained |")
    print("|---|---|---|")
    for name, answerer in (
        ("memberbot engine", engine_answerer(shipped)),
        ("BM25 baseline", Bm25Baseline(shipped, bm25_threshold)),
    ):
        scored = evaluate(name, "shipped", answerer, heldout, email, 1)
        print(
            f"| {name} | {scored.correct}/{scored.total} "
            f"({100 * scored.correct / scored.total:.0f}%) | "
            f"{scored.abstain_correct}/{scored.abstain_total} |"
        )

    print_classes(shipped, bm25_threshold, email)
    print_blind_sets(shipped, bm25_threshold, email)
    engine_para = paraphrase_accuracy(engine_answerer(shipped), paraphrases)
    bm25_para = paraphrase_accuracy(Bm25Baseline(shipped, bm25_threshold), paraphrases)
    print(f"\nParaphrases (threshold {DEFAULT_THRESHOLD}): engine in-scope "
          f"{engine_para[0]}/{engine_para[1]}, out-of-scope + near misses abstained "
          f"{engine_para[2]}/{engine_para[3]}; BM25 in-scope {bm25_para[0]}/{bm25_para[1]}, "
          f"abstained {bm25_para[2]}/{bm25_para[3]}")  # fmt: skip
    if args.cold_runs > 0:
        try:
            print_cold_start(cold_start(args.cold_runs))
        except ColdStartError as error:
            print(f"FAILED: {error}", file=sys.stderr)
            return 1
    if args.tune:
        tune(shipped, paraphrases)
    return 0


def print_blind_sets(shipped: Knowledge, bm25_threshold: float, email: str) -> None:
    """One line per blind set (tests/core/blind*.yaml), engine and baseline side by side."""
    systems = (
        ("memberbot engine", engine_answerer(shipped)),
        ("BM25 baseline", Bm25Baseline(shipped, bm25_threshold)),
    )
    print("\n### Every blind set (first scores are in the README; these are today's)\n")
    print("| set | questions | " + " | ".join(name for name, _ in systems) + " |")
    print("|---|---:|" + "---:|" * len(systems))
    for path in sorted(BLIND.parent.glob("blind*.yaml"), key=lambda p: (len(p.name), p.name)):
        items = load_dev(path)
        cells = []
        for _, answerer in systems:
            right = sum(
                dev_correct(item, *answerer(item["q"], item["today"])[:2], email) for item in items
            )
            cells.append(f"{right}/{len(items)} ({100 * right / len(items):.0f}%)")
        print(f"| {path.name} | {len(items)} | " + " | ".join(cells) + " |")


def print_classes(shipped: Knowledge, bm25_threshold: float, email: str) -> None:
    """Accuracy per class of question on the tagged sets (dev2: tuned on; blind: not)."""
    systems = (
        ("memberbot engine", engine_answerer(shipped)),
        ("BM25 baseline", Bm25Baseline(shipped, bm25_threshold)),
    )
    for label, path in (
        ("dev2.yaml (tuned on)", DEV2_SET),
        ("blind.yaml (blind set 1)", BLIND),
        ("blind2.yaml (blind set 2)", BLIND2),
        ("blind8.yaml (blind set 8, the last written)", BLIND.parent / "blind8.yaml"),
    ):
        items = load_dev(path)
        classes = list(dict.fromkeys(item["class"] for item in items))
        print(f"\n### Accuracy per class: {label}\n")
        print("| class | questions | " + " | ".join(name for name, _ in systems) + " |")
        print("|---|---:|" + "---:|" * len(systems))
        totals = [0] * len(systems)
        for name in [*classes, "all"]:
            chosen = items if name == "all" else [i for i in items if i["class"] == name]
            cells = []
            for number, (_, answerer) in enumerate(systems):
                right = sum(
                    dev_correct(item, *answerer(item["q"], item["today"])[:2], email)
                    for item in chosen
                )
                if name != "all":
                    totals[number] += right
                cells.append(f"{right}/{len(chosen)} ({100 * right / len(chosen):.0f}%)")
            print(f"| {name} | {len(chosen)} | " + " | ".join(cells) + " |")


def print_table(results: list[Result]) -> None:
    columns = "system knowledge accuracy abstain_correct median-ms p99-ms ratio-vs-baseline"
    print(
        "\n| "
        + " | ".join(name.replace("-", " ").replace("_", "-") for name in columns.split())
        + " |"
    )
    print("|---|---|---|---|---|---|---|")
    baselines = {result.knowledge: result for result in results if result.system.startswith("BM25")}
    for result in results:
        base = baselines[result.knowledge]
        ratio = result.median_ms / base.median_ms if base.median_ms else float("nan")
        print(
            f"| {result.system} | {result.knowledge} | "
            f"{result.correct}/{result.total} ({100 * result.correct / result.total:.0f}%) | "
            f"{result.abstain_correct}/{result.abstain_total} | {result.median_ms:.3f} | "
            f"{result.p99_ms:.3f} | {ratio:.2f}x |"
        )


# --------------------------------------------------------------- cold start
class ColdStartError(Exception):
    """`memberbot ask` failed or answered other than expected (a correctness failure)."""


@dataclass(frozen=True)
class Run:
    wall_s: float
    cpu_s: float


@dataclass(frozen=True)
class ColdStart:
    case: str
    runs: list[Run]


def memberbot_command() -> list[str]:
    """The installed console script next to this interpreter, else ``python -m bot``."""
    script = Path(sys.executable).with_name("memberbot")
    return [str(script)] if script.exists() else [sys.executable, "-m", "bot"]


def timed_ask(question: str, data_dir: Path, *, expect_answered: bool) -> Run:
    """Run ``memberbot ask --json QUESTION`` in a new process; its wall and CPU time."""
    env = {
        **os.environ,
        "DATA_DIR": str(data_dir),
        "KNOWLEDGE_FILE": str(KNOWLEDGE),
    }
    env.pop("DATABASE_URL", None)  # the default SQLite file in DATA_DIR
    # Bytecode is cached as on any installed copy (the warm-up run writes it).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    cpu_before = _children_cpu_s()
    started = time.perf_counter()
    result = subprocess.run(
        [*memberbot_command(), "ask", "--json", question],
        capture_output=True,
        text=True,
        env=env,
        cwd=data_dir.parent,  # no stray .env
        timeout=120,
    )
    run = Run(time.perf_counter() - started, _children_cpu_s() - cpu_before)
    if result.returncode != 0:
        raise ColdStartError(f"memberbot ask exited {result.returncode}: {result.stderr.strip()}")
    if json.loads(result.stdout)["answered"] is not expect_answered:
        raise ColdStartError(f"{question!r}: expected answered={expect_answered}")
    return run


def _children_cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def cold_start(runs: int) -> list[ColdStart]:
    """Time ``runs`` processes per case, after one warm-up run that creates the database."""
    with tempfile.TemporaryDirectory(prefix="memberbot-cold-") as tmp:
        data_dir = Path(tmp) / "var"
        timed_ask(MISSED_QUESTION, data_dir, expect_answered=False)  # warm-up: creates the DB
        cases = [
            ColdStart(
                "answered question (database not opened)",
                [timed_ask(ANSWERED_QUESTION, data_dir, expect_answered=True) for _ in range(runs)],
            ),
            ColdStart(
                "unanswered question, stored (database already migrated)",
                [timed_ask(MISSED_QUESTION, data_dir, expect_answered=False) for _ in range(runs)],
            ),
            ColdStart(
                "unanswered question on a fresh data dir (creates + migrates the database)",
                [
                    timed_ask(MISSED_QUESTION, Path(tmp) / f"fresh-{n}", expect_answered=False)
                    for n in range(runs)
                ],
            ),
        ]
    return cases


def print_cold_start(cases: list[ColdStart]) -> None:
    runs = len(cases[0].runs)
    print(
        f"\n### `memberbot ask` cold start ({runs} processes per case, "
        f"{os.cpu_count()} cores; target < {COLD_START_TARGET_S:g} s)\n"
    )
    print("| case | median s | max s | median CPU s | median within target |")
    print("|---|---|---|---|---|")
    for case in cases:
        walls = [run.wall_s for run in case.runs]
        median = statistics.median(walls)
        cpu = statistics.median(run.cpu_s for run in case.runs)
        within = "yes" if median < COLD_START_TARGET_S else "no"
        print(f"| {case.case} | {median:.2f} | {max(walls):.2f} | {cpu:.2f} | {within} |")


if __name__ == "__main__":
    sys.exit(main())
