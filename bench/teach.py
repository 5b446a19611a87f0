"""Stress: teaching the bot from several processes while staff edit the file by hand.

Worker processes (two threads each) teach at once: mostly a member's wording
added to an entry, sometimes a whole new entry. Meanwhile, in this process, a
simulated staff member edits the file by hand (opens it, types a comment line
somewhere, saves), a running bot's :class:`~bot.knowledge_store.KnowledgeStore`
reloads the file over and over, and a reader runs ``memberbot check``'s checks on
whatever is on disk.

The editor saves the way a careful editor does: only over the version it opened
("the file changed on disk" otherwise), and it takes memberbot's writer lock for
that one check-and-rename. Without the lock its own check-then-rename has a gap
in which it could save over a teach (any editor that does not re-read can); with
it, every overlap left is one memberbot must handle: a hand save landing between
a teach's read and its save, which must refuse the teach and keep the edit.

Correctness, checked at the end (exit 1 when any fails):

* every teach reported saved is in the file, exactly once, where it was put;
* every refused teach was refused because the file changed on disk (a hand edit),
  and said so;
* every hand edit reported saved is in the file; every line of the original is too;
* every read of the file, by the reloading bot and by the checker, passed the
  checks: no torn or corrupt version was ever on disk.

The baseline is the naive way (read, change, write the file in place, no lock,
no check), run on the same kind of load: it loses teaches and hand edits and
leaves torn files for readers to find.

Usage: ``python -m bench.teach [--teaches 1000] [--processes 4]``
"""

from __future__ import annotations

import argparse
import asyncio
import concurrent.futures
import multiprocessing
import random
import re
import shutil
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from bot.errors import KnowledgeFileError
from bot.knowledge.loader import check_knowledge_text, read_knowledge_text
from bot.knowledge.saving import ChangedOnDisk, save_if_unchanged, writer_lock
from bot.knowledge.teach import TeachRefused, draft_entry, draft_question, teach
from bot.knowledge.yaml_edit import only_added
from bot.knowledge_hold import digest_of
from bot.knowledge_store import KnowledgeStore

KNOWLEDGE_FILE = Path(__file__).resolve().parent.parent / "data" / "knowledge.yaml"
THREADS_PER_PROCESS = 2
NEW_ENTRY_SHARE = 0.2
#: Each teaching thread waits up to this long between teaches, so the file is sometimes
#: idle and the simulated staff editor gets its saves in (far more often than real use).
PAUSE_BETWEEN_TEACHES_S = 0.06
SEED = 20261206


@dataclass
class Outcome:
    """What one teach did: saved (with what) or refused (with the reason)."""

    kind: str  # "question" or "entry"
    saved: bool
    entry_id: str
    question: str
    reason: str = ""
    seconds: float = 0.0


@dataclass
class Report:
    teaches: list[Outcome] = field(default_factory=list)
    hand_edits_saved: list[str] = field(default_factory=list)
    hand_edit_conflicts: int = 0
    reloads: int = 0
    reload_errors: list[str] = field(default_factory=list)
    checks: int = 0
    check_errors: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0


def _teach_many(path: str, worker: int, count: int, seed: int) -> list[Outcome]:
    """One worker thread's teaches (runs in a worker process)."""
    file = Path(path)
    randomness = random.Random(seed)
    report = check_knowledge_text(read_knowledge_text(file))
    assert report.knowledge is not None
    entry_ids = [entry.id for entry in report.knowledge.entries]
    outcomes = []
    for number in range(count):
        tag = f"w{worker} n{number}"
        if randomness.random() < NEW_ENTRY_SHARE:
            question = f"What about stress topic {tag}?"
            make = partial(
                draft_entry,
                title=f"Stress topic {tag}",
                questions=[question],
                answer=f"The answer for **{tag}**.",
                path=path,
            )
            kind, entry_id = "entry", f"stress-topic-{tag.replace(' ', '-')}"
        else:
            entry_id = randomness.choice(entry_ids)
            question = f"Stress question {tag} about {entry_id}?"
            make = partial(draft_question, entry_id=entry_id, question=question, path=path)
            kind = "question"
        started = time.perf_counter()
        try:
            result = teach(file, make, history_dir=file.parent / "history")
            outcomes.append(Outcome(kind, True, result.entry_id, question))
        except TeachRefused as refused:
            outcomes.append(Outcome(kind, False, entry_id, question, refused.message))
        outcomes[-1].seconds = time.perf_counter() - started
        time.sleep(randomness.uniform(0, PAUSE_BETWEEN_TEACHES_S))  # not back to back
    return outcomes


def _worker_process(path: str, process: int, count: int, seed: int) -> list[Outcome]:
    """A worker process: :data:`THREADS_PER_PROCESS` threads teaching at once."""
    shares = [
        count // THREADS_PER_PROCESS + (i < count % THREADS_PER_PROCESS)
        for i in range(THREADS_PER_PROCESS)
    ]
    with concurrent.futures.ThreadPoolExecutor(THREADS_PER_PROCESS) as pool:
        futures = [
            pool.submit(_teach_many, path, process * 10 + thread, share, seed + thread)
            for thread, share in enumerate(shares)
        ]
        return [outcome for future in futures for outcome in future.result()]


def _hand_editor(path: Path, stop: threading.Event, report: Report, seed: int) -> None:
    """Staff editing by hand: add a comment line, save only over the version opened."""
    randomness = random.Random(seed)
    number = 0
    while not stop.is_set():
        text = path.read_text(encoding="utf-8")
        lines = text.splitlines()
        places = [i for i, line in enumerate(lines) if line.startswith("  - id: ")]
        at = randomness.choice(places)
        marker = f"  # hand edit {number}: checked with the committee"
        edited = "\n".join([*lines[:at], marker, *lines[at:]]) + "\n"
        time.sleep(randomness.uniform(0, 0.004))  # typing
        try:
            with writer_lock(path):  # see the module docstring: a careful editor's save
                save_if_unchanged(
                    path,
                    edited,
                    expected_digest=digest_of(text),
                    history_dir=None,
                    note_as_memberbot=False,  # a hand edit
                )
            report.hand_edits_saved.append(marker.strip())
            number += 1
        except ChangedOnDisk:
            report.hand_edit_conflicts += 1  # the editor says "changed on disk": reopen
            continue  # and make the edit again at once
        time.sleep(randomness.uniform(0.02, 0.08))  # a save every 50 ms or so: far more than staff


def _checker(path: Path, stop: threading.Event, report: Report) -> None:
    """``memberbot check`` on whatever is on disk, over and over."""
    while not stop.is_set():
        try:
            result = check_knowledge_text(read_knowledge_text(path))
        except KnowledgeFileError as error:
            report.check_errors.append(str(error))
            continue
        report.checks += 1
        if result.errors:
            report.check_errors.append(str(result.errors[0]))
        time.sleep(0.002)  # leave the interpreter to the other helpers now and then


def _reloader(path: Path, stop: threading.Event, report: Report) -> None:
    """A running bot reloading the file as fast as it can."""

    async def run() -> None:
        store = KnowledgeStore(path=path, retire_after_seconds=0)
        while not stop.is_set():
            error = await store.reload_now()
            report.reloads += 1
            if error is not None:
                report.reload_errors.append(str(error))
            await asyncio.sleep(0.02)  # a real bot looks every few seconds

    asyncio.run(run())


def run_stress(
    workdir: Path,
    *,
    teaches: int,
    processes: int,
    seed: int = SEED,
    source: Path = KNOWLEDGE_FILE,
) -> Report:
    """Run the stress on a copy of ``source`` (the sample knowledge file) in ``workdir``."""
    path = workdir / "knowledge.yaml"
    shutil.copyfile(source, path)
    original = path.read_text(encoding="utf-8")
    report = Report()
    stop = threading.Event()
    counts = [teaches // processes + (i < teaches % processes) for i in range(processes)]
    context = multiprocessing.get_context("spawn")
    started = time.perf_counter()
    with concurrent.futures.ProcessPoolExecutor(processes, mp_context=context) as pool:
        futures = [
            pool.submit(_worker_process, str(path), process, count, seed + 100 * process)
            for process, count in enumerate(counts)
        ]
        helpers = [
            threading.Thread(target=_hand_editor, args=(path, stop, report, seed)),
            threading.Thread(target=_checker, args=(path, stop, report)),
            threading.Thread(target=_reloader, args=(path, stop, report)),
        ]
        for helper in helpers:
            helper.start()
        try:
            for future in futures:
                report.teaches.extend(future.result())
        finally:
            stop.set()
            for helper in helpers:
                helper.join()
    report.seconds = time.perf_counter() - started
    report.problems = verify(path, original, report)
    return report


def verify(path: Path, original: str, report: Report) -> list[str]:
    """Every way the final file disagrees with what was reported."""
    problems = []
    final = path.read_text(encoding="utf-8")
    checked = check_knowledge_text(final)
    if checked.errors or checked.knowledge is None:
        return [f"the final file fails memberbot check: {checked.errors[:1]}"]
    if len(checked.warnings) != len(check_knowledge_text(original).warnings):
        problems.append("the final file has new formatting warnings")
    if not only_added(original, final):
        problems.append("a line of the original file was changed or lost")
    lines = final.splitlines()
    for marker in report.hand_edits_saved:
        if sum(line.strip() == marker for line in lines) != 1:
            problems.append(f"hand edit lost or doubled: {marker}")
    knowledge = checked.knowledge
    for outcome in report.teaches:
        count = len(re.findall(re.escape(outcome.question), final))
        if not outcome.saved:
            if "changed by someone else" not in outcome.reason:
                problems.append(f"refused for another reason: {outcome.reason}")
            if count:
                problems.append(f"refused but in the file: {outcome.question}")
            continue
        entry = knowledge.entry(outcome.entry_id)
        if entry is None or outcome.question not in entry.questions or count != 1:
            problems.append(f"saved teach missing, misplaced or doubled: {outcome.question}")
    problems += [f"reload failed: {error}" for error in report.reload_errors[:5]]
    problems += [f"check failed: {error}" for error in report.check_errors[:5]]
    return problems


def run_naive_baseline(workdir: Path, *, teaches: int, seed: int = SEED) -> tuple[int, int, int]:
    """The naive way under the same kind of load: (teaches lost, hand edits lost, torn reads).

    Two teaching threads and the hand editor read the file, change it and write it
    back in place, with no lock and no check, while a reader checks it.
    """
    path = workdir / "naive.yaml"
    shutil.copyfile(KNOWLEDGE_FILE, path)
    stop = threading.Event()
    torn = [0]
    questions: list[str] = []
    edits: list[str] = []

    def write(text: str) -> None:
        with path.open("w", encoding="utf-8") as file:
            half = len(text) // 2
            file.write(text[:half])
            file.flush()
            file.write(text[half:])

    def teacher(worker: int) -> None:
        for number in range(teaches // 2):
            question = f"Naive question w{worker} n{number}?"
            try:
                draft = draft_question(
                    path.read_text(encoding="utf-8"), "social-media", question, path="naive"
                )
            except TeachRefused:
                continue  # read a torn file
            write(draft.new_text)
            questions.append(question)

    def editor() -> None:
        number = 0
        while not stop.is_set():
            text = path.read_text(encoding="utf-8")
            marker = f"# naive hand edit {number}"
            write(text + marker + "\n")
            edits.append(marker)
            number += 1
            time.sleep(0.01)

    def reader() -> None:
        while not stop.is_set():
            if check_knowledge_text(path.read_text(encoding="utf-8")).errors:
                torn[0] += 1

    helpers = [threading.Thread(target=editor), threading.Thread(target=reader)]
    teachers = [threading.Thread(target=teacher, args=(worker,)) for worker in range(2)]
    for thread in helpers + teachers:
        thread.start()
    for thread in teachers:
        thread.join()
    stop.set()
    for thread in helpers:
        thread.join()
    final = path.read_text(encoding="utf-8")
    lost_teaches = sum(question not in final for question in questions)
    lost_edits = sum(marker not in final for marker in edits)
    return lost_teaches, lost_edits, torn[0]


def _print_table(report: Report, naive: tuple[int, int, int] | None) -> None:
    saved = [outcome for outcome in report.teaches if outcome.saved]
    refused = [outcome for outcome in report.teaches if not outcome.saved]
    seconds = sorted(outcome.seconds for outcome in report.teaches)
    p99 = seconds[min(len(seconds) - 1, int(len(seconds) * 0.99))]
    rows = [
        ("teaches attempted", len(report.teaches)),
        ("  saved", len(saved)),
        ("  refused: file changed by hand meanwhile", len(refused)),
        ("hand edits saved", len(report.hand_edits_saved)),
        ("hand edits told 'changed on disk'", report.hand_edit_conflicts),
        ("reloads by the running bot", report.reloads),
        ("memberbot check runs on disk", report.checks),
        ("corrupt reads (reload or check failed)", len(report.reload_errors + report.check_errors)),
        ("lost or doubled teaches / hand edits", len(report.problems)),
        ("teach latency median (ms, incl. lock wait)", f"{statistics.median(seconds) * 1000:.1f}"),
        ("teach latency p99 (ms)", f"{p99 * 1000:.1f}"),
        ("teaches per second", f"{len(report.teaches) / report.seconds:.1f}"),
    ]
    width = max(len(name) for name, _ in rows)
    print(f"{'':<{width}}  memberbot teach")
    for name, value in rows:
        print(f"{name:<{width}}  {value}")
    if naive is not None:
        lost_teaches, lost_edits, torn = naive
        print(
            f"\nbaseline (read, change, write in place; no lock, no check): "
            f"{lost_teaches} teaches lost, {lost_edits} hand edits lost, {torn} torn reads"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--teaches", type=int, default=1000)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--baseline-teaches", type=int, default=200)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as directory:
        report = run_stress(Path(directory), teaches=args.teaches, processes=args.processes)
        naive = run_naive_baseline(Path(directory), teaches=args.baseline_teaches)
    _print_table(report, naive)
    for problem in report.problems[:20]:
        print(f"PROBLEM: {problem}", file=sys.stderr)
    return 1 if report.problems else 0


if __name__ == "__main__":
    sys.exit(main())
