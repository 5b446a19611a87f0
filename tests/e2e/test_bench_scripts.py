"""Every benchmark script still imports: they are not run by the suite, so a renamed
function in the code they drive would otherwise only show when someone runs them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench"
SCRIPTS = sorted(str(path) for path in BENCH.glob("*.py"))

# Runs each script's module level (not its main) in one fresh interpreter, as
# `python bench/NAME.py` would start: the scripts put the project and bench/ on
# sys.path themselves, which must not leak into the test process.
IMPORT_EACH = """
import json, runpy, sys, traceback
sys.path[:0] = [{root!r}, {bench!r}]
failed = {{}}
for script in {scripts!r}:
    try:
        runpy.run_path(script, run_name="bench_import_check")
    except BaseException:
        failed[script] = traceback.format_exc(limit=3)
print(json.dumps(failed))
"""


def test_every_benchmark_script_imports() -> None:
    assert len(SCRIPTS) >= 5
    code = IMPORT_EACH.format(root=str(BENCH.parent), bench=str(BENCH), scripts=SCRIPTS)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr[-2000:]
    failed = json.loads(done.stdout.strip().splitlines()[-1])
    assert failed == {}, "\n".join(failed.values())
