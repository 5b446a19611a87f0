"""The knowledge file loader: valid files load, broken ones name the line."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.errors import KnowledgeFileError
from bot.knowledge import Knowledge, load_knowledge, parse_knowledge
from bot.knowledge.loader import check_knowledge_text

FIXTURES = Path(__file__).parent / "fixtures"
SHIPPED = Path(__file__).resolve().parents[2] / "data" / "knowledge.yaml"


def line_containing(name: str, text: str) -> int:
    """1-based line of the first line of a fixture that contains ``text``."""
    lines = (FIXTURES / name).read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if text in line)


def load_error(name: str) -> KnowledgeFileError:
    with pytest.raises(KnowledgeFileError) as caught:
        load_knowledge(FIXTURES / name)
    return caught.value


def test_good_fixture_loads_with_typed_values() -> None:
    knowledge = load_knowledge(FIXTURES / "good.yaml")

    picnic = knowledge.deadline("picnic-2024")
    assert picnic is not None
    assert picnic.time == dt.time(17, 30)  # "17:30" stays a time, not YAML's 1050
    assert picnic.kind == "event"
    assert knowledge.deadline("award-2024").date == dt.date(2024, 2, 29)
    assert knowledge.entry("picnic").links[0].url == "https://example.org/park"
    assert knowledge.contact("pat").email == "pat@example.org"
    assert knowledge.default_contact().name == "Pat Example"
    assert knowledge.entry("missing") is None


def test_shipped_knowledge_file_loads() -> None:
    knowledge = load_knowledge(SHIPPED)

    assert knowledge.organisation.timezone == "America/Chicago"
    assert knowledge.default_contact().email == "eserrano@ala.org"
    assert len(knowledge.entries) >= 30
    ids = [item.id for item in knowledge.deadlines]
    assert len(ids) == len(set(ids))
    mixer = knowledge.deadline("membership-mixer-2022")
    assert mixer is not None and mixer.time == dt.time(17, 0)
    assert knowledge.deadline("mentoring-applications-2021").date == dt.date(2021, 10, 11)


def test_missing_answer_names_entry_field_and_line() -> None:
    error = load_error("bad_missing_answer.yaml")

    assert error.line == line_containing("bad_missing_answer.yaml", "id: award-deadline")
    assert str(error).endswith(f"{error.line}: entry 'award-deadline': field 'answer' is required")


def test_impossible_date_is_reported_on_its_line() -> None:
    error = load_error("bad_date.yaml")

    assert error.line == line_containing("bad_date.yaml", "2021-13-40")
    assert "deadline 'award-2024'" in error.problem
    assert "'2021-13-40' is not a valid date" in error.problem


def test_duplicate_entry_id_points_at_second_use() -> None:
    error = load_error("bad_duplicate_id.yaml")

    lines = (FIXTURES / "bad_duplicate_id.yaml").read_text().splitlines()
    uses = [n for n, line in enumerate(lines, 1) if line.strip() == "- id: award-deadline"]
    assert error.line == uses[1]
    assert error.problem == "entry id 'award-deadline' is used twice"


def test_deadline_pointing_to_unknown_entry() -> None:
    error = load_error("bad_unknown_entry.yaml")

    assert error.line == line_containing("bad_unknown_entry.yaml", "entry: picnik")
    assert error.problem == (
        "deadline 'picnic-2024': entry 'picnik' is not an entry id (did you mean 'picnic'?)"
    )


def test_unknown_contact_id() -> None:
    error = load_error("bad_unknown_contact.yaml")

    assert error.line == line_containing("bad_unknown_contact.yaml", "contact: sam")
    assert "contact 'sam' is not a contact id" in error.problem


def test_unknown_top_level_key_suggests_the_right_one() -> None:
    error = load_error("bad_top_level.yaml")

    assert error.line == line_containing("bad_top_level.yaml", "entires:")
    assert "unknown key 'entires'" in error.problem
    assert "did you mean 'entries'?" in error.problem


def test_misspelt_entry_field_is_reported_before_the_missing_one() -> None:
    error = load_error("bad_field_typo.yaml")

    assert error.line == line_containing("bad_field_typo.yaml", "anwser:")
    assert error.problem.startswith(
        "entry 'picnic': unknown field 'anwser' (did you mean 'answer'?)"
    )


def test_yaml_syntax_error_gives_line() -> None:
    error = load_error("bad_syntax.yaml")

    started = line_containing("bad_syntax.yaml", "keywords: [picnic, party")
    assert error.line in (started, started + 1)
    assert error.problem.startswith("not valid YAML")
    assert "Traceback" not in str(error)


def test_empty_file() -> None:
    error = load_error("empty.yaml")

    assert error.line == 1
    assert "empty" in error.problem


def test_file_not_found() -> None:
    error = load_error("does-not-exist.yaml")

    assert error.line is None
    assert str(error).endswith("does-not-exist.yaml: file not found")


def test_error_message_format_uses_the_path_given() -> None:
    text = (FIXTURES / "bad_missing_answer.yaml").read_text()

    with pytest.raises(KnowledgeFileError) as caught:
        parse_knowledge(text)

    assert str(caught.value).startswith("knowledge.yaml:16: entry 'award-deadline'")


@pytest.mark.parametrize(
    ("replace", "by", "expected"),
    [
        ("timezone: America/Chicago", "timezone: Mars/Olympus", "unknown time zone 'Mars/Olympus'"),
        ("default_contact: pat", "default_contact: nobody", "default_contact 'nobody'"),
        ('time: "17:30"', 'time: "25:99"', "is not a valid time"),
        (
            "kind: event",
            "kind: party",
            "field 'kind': 'party' is not allowed; use deadline or event",
        ),
        ("kind: event", "kind: evnt", "use deadline or event (did you mean 'event'?)"),
        (
            'url: "https://example.org/park"',
            'url: "example.org"',
            "field 'links.url': 'example.org' is not a web address (start it with https://)",
        ),
        ("    title: Summer picnic\n", "    title: ''\n", "field 'title' is empty"),
        ("    keywords: [picnic, party]\n", "    keywords: picnic\n", "should be a list"),
        ("  - id: picnic\n", "  - id: Picnic Day\n", "lower-case letters, digits and dashes"),
    ],
)
def test_other_invalid_values_name_the_field(replace: str, by: str, expected: str) -> None:
    text = (FIXTURES / "good.yaml").read_text()
    assert replace in text

    with pytest.raises(KnowledgeFileError) as caught:
        parse_knowledge(text.replace(replace, by))

    assert expected in caught.value.problem
    assert caught.value.line is not None


def test_duplicate_yaml_key_is_an_error_not_silently_overwritten() -> None:
    text = (FIXTURES / "good.yaml").read_text()
    text = text.replace(
        "    title: Summer picnic\n", "    title: Summer picnic\n    title: Again\n"
    )

    with pytest.raises(KnowledgeFileError) as caught:
        parse_knowledge(text)

    assert "'title' appears twice" in caught.value.problem


def test_yaml_words_like_no_stay_text() -> None:
    text = (
        (FIXTURES / "good.yaml")
        .read_text()
        .replace("answer: The picnic is in the park.", "answer: no")
    )

    knowledge = parse_knowledge(text)

    assert knowledge.entry("picnic").answer == "no"


def test_starts_at_rule_untimed_is_nine_local_timed_uses_zone() -> None:
    knowledge: Knowledge = load_knowledge(FIXTURES / "good.yaml")
    chicago = ZoneInfo("America/Chicago")

    untimed = knowledge.deadline("award-2024").starts_at(chicago)
    timed = knowledge.deadline("picnic-2024").starts_at(chicago)

    assert untimed == dt.datetime(2024, 2, 29, 9, 0, tzinfo=chicago)
    assert timed.utcoffset() == dt.timedelta(hours=-6)  # CST in March before DST
    assert timed.astimezone(dt.UTC) == dt.datetime(2024, 3, 1, 23, 30, tzinfo=dt.UTC)


def test_deadline_own_timezone_overrides_the_organisation() -> None:
    text = (
        (FIXTURES / "good.yaml")
        .read_text()
        .replace('    time: "17:30"\n', '    time: "17:30"\n    timezone: Europe/London\n')
    )
    knowledge = parse_knowledge(text)

    moment = knowledge.deadline("picnic-2024").starts_at(ZoneInfo("America/Chicago"))

    assert moment.astimezone(dt.UTC) == dt.datetime(2024, 3, 1, 17, 30, tzinfo=dt.UTC)


def test_pydantic_wording_never_reaches_staff() -> None:
    text = (FIXTURES / "good.yaml").read_text()
    broken = text.replace("kind: event", "kind: party").replace(
        "    title: Summer picnic\n    questions:", "    title: [Summer, picnic]\n    questions:"
    )
    report = check_knowledge_text(broken)
    problems = [error.problem for error in report.errors]
    assert len(problems) == 2
    assert not any("Input should" in problem or "String should" in problem for problem in problems)
    assert "field 'title' should be text, not a list" in problems[0]


def test_every_problem_is_listed_in_file_order() -> None:
    text = (FIXTURES / "good.yaml").read_text()
    broken = text.replace("entry: picnic\n", "entry: picnik\n").replace(
        "    contact: pat\n", "    contact: pta\n"
    )
    report = check_knowledge_text(broken)
    assert [str(error) for error in report.errors] == [
        f"knowledge.yaml:{line_of(broken, 'contact: pta')}: entry 'award-deadline': "
        "contact 'pta' is not a contact id (did you mean 'pat'?)",
        f"knowledge.yaml:{line_of(broken, 'entry: picnik')}: deadline 'picnic-2024': "
        "entry 'picnik' is not an entry id (did you mean 'picnic'?)",
    ]
    with pytest.raises(KnowledgeFileError, match=r"\(and 1 more problem; memberbot check --all"):
        parse_knowledge(broken)


def line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


MARKUP_ANSWER = """    answer: |
      Read the *ALSC Matters!* column.
      **Deadline: soon.
      <b>Bold</b> &amp; more, see [the form](notaurl) or [the site](https://example.org).
      - a **fine** bullet
      * another fine bullet
"""


def test_formatting_members_would_see_verbatim_is_reported_by_entry_field_and_line() -> None:
    text = (FIXTURES / "good.yaml").read_text()
    text = text.replace(
        "    answer: |\n      Nominate a colleague by the deadline.\n", MARKUP_ANSWER
    )
    report = check_knowledge_text(text)
    assert report.errors == [] and report.knowledge is not None  # it still loads
    found = [(error.line, error.problem) for error in report.warnings]
    prefix = "entry 'award-deadline': field 'answer': "
    italic = line_of(text, "*ALSC Matters!*")
    assert found == [
        (
            italic,
            prefix + "*ALSC Matters!* is not supported (single * for italics); members "
            "see the asterisks: use **bold** or plain text",
        ),
        (italic + 1, prefix + "unclosed ** (bold needs ** on both sides)"),
        (
            italic + 2,
            prefix + "raw HTML <b> is shown as typed: use **bold**, "
            "[label](https://...) or a blank line",
        ),
        (
            italic + 2,
            prefix + "raw HTML </b> is shown as typed: use **bold**, "
            "[label](https://...) or a blank line",
        ),
        (italic + 2, prefix + "HTML entity &amp; is shown as typed: type the character"),
        (
            italic + 2,
            prefix + "link [the form](notaurl) does not point to a web address "
            "(start it with https://)",
        ),
    ]


def test_the_shipped_file_has_no_formatting_members_would_see_verbatim() -> None:
    report = check_knowledge_text(SHIPPED.read_text(encoding="utf-8"), path=str(SHIPPED))
    assert report.errors == []
    assert [str(warning) for warning in report.warnings] == []


ALIAS_BOMB = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{name}: &{name} [{', '.join([f'*{previous}'] * 9)}]\n"
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True)
)


def test_a_yaml_alias_bomb_is_refused_at_once_with_a_clear_message() -> None:
    assert len(ALIAS_BOMB) < 400  # expands to 9**9 (387 million) strings
    started = time.perf_counter()
    with pytest.raises(KnowledgeFileError) as caught:
        parse_knowledge(ALIAS_BOMB)
    assert time.perf_counter() - started < 1.0
    assert "YAML alias" in caught.value.problem
    assert "not allowed in the knowledge file" in caught.value.problem


def test_a_plain_alias_is_refused_too() -> None:
    text = (FIXTURES / "good.yaml").read_text()
    text = text.replace("    name: Pat Example\n", "    name: &who Pat Example\n    role: *who\n")
    text = text.replace("    role: Member Services\n", "")
    with pytest.raises(KnowledgeFileError, match="YAML alias"):
        parse_knowledge(text)


def test_a_file_past_the_size_limit_is_refused_unread(tmp_path: Path) -> None:
    big = tmp_path / "knowledge.yaml"
    big.write_text((FIXTURES / "good.yaml").read_text() + "# padding\n" * 300)
    with pytest.raises(KnowledgeFileError) as caught:
        load_knowledge(big, max_bytes=2_000)
    assert "larger than 2,000 bytes (KNOWLEDGE_MAX_BYTES)" in caught.value.problem
    assert load_knowledge(big, max_bytes=10_000).entries


def test_all_lists_reference_problems_alongside_field_errors() -> None:
    text = (FIXTURES / "good.yaml").read_text()
    broken = text.replace("kind: event", "kind: party").replace(
        "    contact: pat\n", "    contact: pta\n"
    )
    problems = [error.problem for error in check_knowledge_text(broken).errors]
    assert problems == [
        "deadline 'picnic-2024': field 'kind': 'party' is not allowed; use deadline or event",
        "entry 'award-deadline': contact 'pta' is not a contact id (did you mean 'pat'?)",
    ]


def test_a_hashtag_read_as_a_comment_is_reported_with_the_value_it_cut() -> None:
    text = (FIXTURES / "good.yaml").read_text()
    text = text.replace("    title: Award nominations\n", "    title: The #mentorALSC awards\n")
    question = "      - When is the summer picnic?\n"
    text = text.replace(question, "      - picnic #summer? # a comment\n")
    report = check_knowledge_text(text)
    assert report.errors == [] and report.knowledge is not None  # it still loads
    assert report.knowledge.entries[0].title == "The"  # what YAML made of it
    assert [(error.line, error.problem) for error in report.warnings] == [
        (
            line_of(text, "The #mentorALSC"),
            "'The #mentorALSC awards' is read as 'The': YAML takes '#mentorALSC awards' as a "
            "comment; put the whole value in quotes",
        ),
        (
            line_of(text, "picnic #summer"),
            "'picnic #summer? # a comment' is read as 'picnic': YAML takes '#summer? # a "
            "comment' as a comment; put the whole value in quotes",
        ),
    ]


def test_a_quoted_hashtag_and_an_ordinary_comment_are_fine() -> None:
    text = (FIXTURES / "good.yaml").read_text()
    text = text.replace("    title: Award nominations\n", '    title: "The #mentorALSC awards"\n')
    text = text.replace("  - id: picnic\n", "  - id: picnic  # a comment after a space\n")
    report = check_knowledge_text(text)
    assert report.knowledge is not None
    assert report.knowledge.entries[0].title == "The #mentorALSC awards"
    assert report.warnings == []
