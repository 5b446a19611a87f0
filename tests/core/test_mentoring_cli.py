"""``memberbot mentoring``: the whole staff flow through the real command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.cli import main as cli_main

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "mentoring"
KNOWLEDGE = Path(__file__).resolve().parent / "fixtures" / "good.yaml"


@pytest.fixture(autouse=True)
def environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'memberbot.sqlite3'}")
    monkeypatch.setenv("LOG_LEVEL", "WARNING")
    knowledge = KNOWLEDGE.read_text(encoding="utf-8") + (
        "  - id: mentoring-applications-2999\n"
        "    title: Mentoring applications close\n"
        "    date: 2999-03-15\n"
    )
    (tmp_path / "knowledge.yaml").write_text(knowledge, encoding="utf-8")
    monkeypatch.setenv("KNOWLEDGE_FILE", str(tmp_path / "knowledge.yaml"))


def test_a_bad_file_names_each_line_and_imports_nothing(
    capsys: pytest.CaptureFixture[str],
) -> None:
    bad = str(FIXTURES / "bad.csv")
    assert cli_main(["mentoring", "import", bad, "--cohort", "Spring"]) == 2
    err = capsys.readouterr().err
    assert "error: nothing imported: 5 problems to fix first" in err
    assert f"{bad}:3: role 'coach' should be mentor, mentee or both" in err
    assert f"{bad}:6: ada@example.org is also on line 2" in err
    assert "Traceback" not in err
    assert cli_main(["mentoring", "cohort", "show", "Spring"]) == 1
    assert "there is no cohort called 'Spring'" in capsys.readouterr().err


def test_import_match_pin_confirm_and_report(capsys: pytest.CaptureFixture[str]) -> None:
    good = str(FIXTURES / "good.csv")
    assert cli_main(["mentoring", "import", good, "--cohort", "Spring"]) == 0
    assert "7 new, 0 updated" in capsys.readouterr().out

    assert cli_main(["mentoring", "match", "--cohort", "Spring", "--json"]) == 0
    proposal = json.loads(capsys.readouterr().out)
    assert sorted((m["mentor"], m["mentee"]) for m in proposal["matches"]) == [
        ("ada@example.org", "cal@example.org"),
        ("ada@example.org", "dee@example.org"),
        ("ben@example.org", "eve@example.org"),
    ]
    assert {u["email"]: u["reason"] for u in proposal["unmatched"]}["gus@example.org"] == (
        "not eligible as a mentor: mentors must be members of the association"
    )

    assert (
        cli_main(["mentoring", "pin", "--cohort", "Spring", "ben@example.org", "cal@example.org"])
        == 0
    )
    assert cli_main(["mentoring", "confirm", "--cohort", "Spring"]) == 1
    assert "close cohort 'Spring' before confirming" in capsys.readouterr().err
    assert cli_main(["mentoring", "cohort", "close", "Spring"]) == 0
    assert cli_main(["mentoring", "confirm", "--cohort", "Spring"]) == 1
    assert "changed since the last preview" in capsys.readouterr().err
    assert cli_main(["mentoring", "match", "--cohort", "Spring"]) == 0
    out = capsys.readouterr().out
    assert "ben@example.org -> cal@example.org  score 0  (paired by staff)" in out
    assert "ada@example.org -> eve@example.org  score 0  (no shared interests or region" in out
    assert "fay@example.org: not eligible as a mentee" in out
    assert cli_main(["mentoring", "confirm", "--cohort", "Spring"]) == 0
    assert "Confirmed 3 match(es) for 'Spring'. Nothing was sent." in capsys.readouterr().out

    assert cli_main(["mentoring", "report", "--cohort", "Spring", "--csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == (
        "name,email,role,member,adult,region,interests,capacity,eligible,match_status,matched_with"
    )
    assert (
        "Cal Both,cal@example.org,both,yes,yes,Midwest,storytime; early literacy,1,yes,"
        "confirmed,mentor ben@example.org"
    ) in lines


def test_a_cohort_closes_by_default_on_the_knowledge_files_mentoring_deadline(
    capsys: pytest.CaptureFixture[str],
) -> None:
    args = ["mentoring", "cohort", "open", "Fall", "--weight", "interests=2"]
    assert cli_main(args) == 0
    out = capsys.readouterr().out
    assert "Applications close on 2999-03-15 (from the knowledge file" in out
    assert "criteria: interests 2, region 1, preferences 1" in out
    assert cli_main(["mentoring", "cohort", "open", "Fall", "--weight", "looks=1"]) == 1
    assert "'looks' is not a matching criterion" in capsys.readouterr().err


def test_past_pairs_are_recorded_from_a_csv(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli_main(["mentoring", "past-pairs", str(FIXTURES / "past_pairs.csv")]) == 0
    assert "Recorded 2 past pair(s); 0 already known." in capsys.readouterr().out
    assert cli_main(["mentoring", "past-pairs", str(FIXTURES / "bad.csv")]) == 2
    assert "the header lacks the column(s) mentor, mentee, cohort" in capsys.readouterr().err
