"""``make demo`` shows upcoming deadlines from the sample data (which is from 2020-2022)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def demo_arguments() -> list[str]:
    """The arguments the Makefile's demo target gives ``memberbot``."""
    makefile = (ROOT / "Makefile").read_text()
    recipe = re.search(r"^demo:.*\n\t(?P<line>.+)$", makefile, re.MULTILINE)
    assert recipe is not None, "no demo target"
    command = recipe.group("line").split("#", 1)[0].split()
    return command[command.index("console") :]


def test_the_demo_shows_upcoming_deadlines_without_the_member_knowing_about_today(
    tmp_path: Path,
) -> None:
    arguments = demo_arguments()
    assert "--today" in arguments  # the sample's deadlines are all in the past by now
    shown = subprocess.run(
        [sys.executable, "-m", "bot", *arguments],
        input="/deadlines\n",
        capture_output=True,
        text=True,
        env={
            "PATH": os.environ.get("PATH", ""),
            "DATA_DIR": str(tmp_path / "var"),
            "KNOWLEDGE_FILE": str(ROOT / "data" / "knowledge.yaml"),
        },
        cwd=ROOT,
        timeout=60,
    )
    assert shown.returncode == 0, shown.stderr
    upcoming = re.findall(r"\(in \d+ days?\)", shown.stdout)
    assert len(upcoming) >= 3, shown.stdout
    assert "Pretending today is" in shown.stdout  # the member is told why the dates are old
