"""An installed (non-editable) wheel works outside the checkout, with its sample knowledge.

The wheel is built from a copy of the project's files (so the checkout gets no build
directories), installed without dependencies into a fresh virtual environment that
borrows this environment's installed libraries, and run from an empty directory.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
#: What a build reads: the packages, the sample data and the project metadata.
SOURCES = ("bot", "adapters", "data", "pyproject.toml", "README.md")
BUILD_TIMEOUT_SECONDS = 180


def _copy_sources(target: Path) -> None:
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=ignore)
        else:
            shutil.copy2(source, target / name)


def _run(*args: str | Path, cwd: Path, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(
        [str(arg) for arg in args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT_SECONDS,
        check=False,
    )
    assert result.returncode == 0, f"{args[:4]} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bin directory of a new virtual environment with the built wheel installed."""
    work = tmp_path_factory.mktemp("wheel")
    source, wheels, venv = work / "source", work / "dist", work / "venv"
    source.mkdir()
    _copy_sources(source)
    pip = (sys.executable, "-m", "pip")
    _run(*pip, "wheel", "--no-deps", "--quiet", "--wheel-dir", wheels, source, cwd=work)
    [wheel] = wheels.glob("memberbot-*.whl")
    _run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=work)
    bin_dir = venv / "bin"
    _run(*pip, "--python", bin_dir / "python", "install", "--no-deps", "--quiet", wheel, cwd=work)
    # The dependencies come from this environment's site-packages (a plain path: its
    # editable-install hook for the checkout is not run, so `bot` is the wheel's).
    site_packages = Path(
        _run(
            bin_dir / "python",
            "-c",
            "import sysconfig; print(sysconfig.get_path('purelib'))",
            cwd=work,
        ).strip()
    )
    (site_packages / "borrowed-libraries.pth").write_text(
        sysconfig.get_path("purelib") + "\n", encoding="utf-8"
    )
    return bin_dir


def test_the_installed_wheel_checks_its_own_sample_knowledge(
    installed: Path, tmp_path: Path
) -> None:
    env = {"PATH": f"{installed}:{os.environ.get('PATH', '')}", "HOME": str(tmp_path)}
    env["DATA_DIR"] = str(tmp_path / "var")
    where = _run(
        installed / "python",
        "-c",
        "import bot.config as c; print(c.__file__); print(c.DEFAULT_KNOWLEDGE_FILE)",
        cwd=tmp_path,
        env=env,
    ).split()
    module, knowledge = Path(where[0]), Path(where[1])
    assert not module.is_relative_to(ROOT), "the checkout was imported, not the wheel"
    assert knowledge.is_file() and knowledge.is_relative_to(installed.parent)

    result = subprocess.run(
        [str(installed / "memberbot"), "check"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith(f"{knowledge}: OK (")
