"""Every start-up problem is one line on stderr and a documented exit code:
2 for a setting to fix, 3 for a database that is unavailable (try again later)."""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.test_cli import memberbot
from tests.fakes.fake_postgres import fake_postgres_in_thread


def one_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    return lines[0]


def test_a_bad_broadcast_setting_stops_any_command_before_it_starts(tmp_path: Path) -> None:
    # Broadcast settings are read with every other setting, not later inside the
    # background service (where the console used to print a traceback and go on).
    for command in (("console",), ("unanswered",)):
        result = memberbot(*command, tmp_path=tmp_path, stdin="", BROADCAST_CONCURRENCY="abc")
        assert result.returncode == 2, command
        assert one_line(result.stderr) == (
            "configuration error: BROADCAST_CONCURRENCY: 'abc' is not 'auto' or a whole number "
            "from 1 to 64"
        )
        assert result.stdout == ""  # the chat never started


def test_a_data_dir_that_is_a_file(tmp_path: Path) -> None:
    (tmp_path / "var").write_text("oops")
    result = memberbot("db", "upgrade", tmp_path=tmp_path)
    assert result.returncode == 2
    assert one_line(result.stderr).startswith("configuration error: DATA_DIR: ")
    assert result.stderr.strip().endswith("var is a file, not a directory")


def test_a_sqlite_url_in_a_missing_directory_is_refused_not_created(tmp_path: Path) -> None:
    target = tmp_path / "nonexistent" / "dir" / "x.db"
    result = memberbot("db", "upgrade", tmp_path=tmp_path, DATABASE_URL=f"sqlite:///{target}")
    assert result.returncode == 2
    assert f"the directory {target.parent} does not exist" in one_line(result.stderr)
    assert not (tmp_path / "nonexistent").exists()


def _refuses_writes(directory: Path) -> bool:
    try:
        with tempfile.TemporaryFile(dir=directory):
            return False
    except OSError:
        return True


@pytest.fixture
def read_only_dir(tmp_path: Path) -> Iterator[Path]:
    """A directory this process cannot create files in.

    Permission bits do not stop root, so as root the test uses sysfs, where not
    even root may create a file (the same refusal a read-only mount gives).
    """
    if os.geteuid() == 0:
        if not _refuses_writes(Path("/sys")):
            pytest.skip("no directory here refuses writes to root")
        yield Path("/sys")
        return
    data_dir = tmp_path / "var"
    data_dir.mkdir()
    data_dir.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        yield data_dir
    finally:
        data_dir.chmod(stat.S_IRWXU)


def test_a_read_only_data_dir_names_the_path_and_is_a_setting_error(
    tmp_path: Path, read_only_dir: Path
) -> None:
    result = memberbot("db", "upgrade", tmp_path=tmp_path, DATA_DIR=str(read_only_dir))
    assert result.returncode == 2, result.stderr
    line = one_line(result.stderr)
    assert line.startswith(f"configuration error: DATA_DIR: cannot write in {read_only_dir}")
    assert "Permission denied" in line


def test_a_postgres_still_starting_is_waited_for_then_exit_3(tmp_path: Path) -> None:
    with fake_postgres_in_thread() as fake:
        result = memberbot(
            "db",
            "upgrade",
            tmp_path=tmp_path,
            DATABASE_URL=fake.url,
            DATABASE_START_TIMEOUT_SECONDS="1",
            LOG_LEVEL="ERROR",
        )
    assert result.returncode == 3
    assert one_line(result.stderr) == (
        f"database unavailable: PostgreSQL at 127.0.0.1:{fake.port} is starting up "
        "(SQLSTATE 57P03); gave up after 1 s"
    )
    assert fake.connections >= 2


def test_a_postgres_database_that_does_not_exist_is_exit_2(tmp_path: Path) -> None:
    with fake_postgres_in_thread(("3D000", 'database "test" does not exist')) as fake:
        result = memberbot("db", "upgrade", tmp_path=tmp_path, DATABASE_URL=fake.url)
    assert result.returncode == 2
    assert one_line(result.stderr).startswith(
        "configuration error: DATABASE_URL: the database 'test' does not exist on PostgreSQL at"
    )
