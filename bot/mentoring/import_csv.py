"""Applications from a CSV file (associations collect them in web forms today).

Columns (header names are case-blind; spaces count as underscores; other columns
are ignored): ``name,email,role,member,adult,region,interests,capacity`` are
required; ``goals`` and the private ones (``gender``, ``race_ethnicity``,
``prefer_same_region``, ``prefer_same_gender``, ``prefer_same_race_ethnicity``,
``bipoc_funding``) are optional.

Every row is checked before anything is stored: one bad row rejects the file,
and every bad row is reported with its line number. Messages never repeat a
private answer.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from bot.errors import UserError
from bot.mentoring.models import (
    MAX_CAPACITY,
    MIN_CAPACITY,
    Adult,
    PrivateAnswers,
    Role,
    normalise_email,
    normalise_interests,
)

REQUIRED_COLUMNS = ("name", "email", "role", "member", "adult", "region", "interests", "capacity")
PRIVATE_TEXT_COLUMNS = {"gender": 100, "race_ethnicity": 200}
PRIVATE_FLAG_COLUMNS = {
    "prefer_same_region": "prefer_same_region",
    "prefer_same_gender": "prefer_same_gender",
    "prefer_same_race_ethnicity": "prefer_same_race_ethnicity",
    "bipoc_funding": "bipoc_funding_interest",
}
MAX_FILE_BYTES = 5_000_000
_LIMITS = {"name": 200, "email": 254, "region": 100, "goals": 4000}
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_YES = {"yes", "y", "true", "1"}
_NO = {"no", "n", "false", "0", ""}
_MAX_SHOWN = 40  # characters of a bad (non-private) value repeated in a message


@dataclass(frozen=True)
class ApplicationInput:
    """One application as typed in a form or a CSV row (validated, normalised)."""

    email: str
    name: str
    role: Role
    is_member: bool
    adult: Adult
    region: str = ""
    interests: tuple[str, ...] = ()
    goals: str = ""
    capacity: int | None = None
    #: None: the applicant gave no private answer at all (no row is stored)
    private: PrivateAnswers | None = None

    def __repr__(self) -> str:
        return f"ApplicationInput(email={self.email!r}, role={self.role.value!r})"


@dataclass(frozen=True)
class RowError:
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


class CsvImportError(UserError):
    """The file was not imported; ``errors`` lists every problem with its line."""

    def __init__(self, errors: list[RowError]) -> None:
        count = len(errors)
        super().__init__(
            f"nothing imported: {count} problem{'s' if count != 1 else ''} to fix first"
        )
        self.errors = errors


def _shown(value: str) -> str:
    return value if len(value) <= _MAX_SHOWN else value[: _MAX_SHOWN - 1] + "…"


def _flag(value: str) -> bool | None:
    key = value.strip().lower()
    return True if key in _YES else False if key in _NO else None


#: Other spellings web forms use for a column.
_HEADER_ALIASES = {
    "e_mail": "email",
    "email_address": "email",
    "e_mail_address": "email",
    "race/ethnicity": "race_ethnicity",
    "race_or_ethnicity": "race_ethnicity",
}


def _header_key(name: str) -> str:
    key = "_".join(name.strip().lower().replace("-", " ").split())
    return _HEADER_ALIASES.get(key, key)


def _parse_row(row: dict[str, str]) -> tuple[ApplicationInput | None, list[str]]:
    problems: list[str] = []
    value = {key: (row.get(key) or "").strip() for key in row}
    for key, limit in _LIMITS.items():
        if len(value.get(key, "")) > limit:
            problems.append(f"{key} is longer than {limit} characters")
    email = normalise_email(value["email"])
    if not email:
        problems.append("email is empty")
    elif not _EMAIL.match(email):
        problems.append(f"email '{_shown(value['email'])}' is not an e-mail address")
    if not value["name"]:
        problems.append("name is empty")
    role = value["role"].lower()
    if role not in {r.value for r in Role}:
        problems.append(f"role '{_shown(value['role'])}' should be mentor, mentee or both")
    # Forms ask mentors about membership and mentees about age: the other may be blank.
    blank_member = False if role == Role.MENTEE else None
    member = _flag(value["member"]) if value["member"] else blank_member
    if member is None:
        problems.append(f"member '{_shown(value['member'])}' should be yes or no")
    adult = value["adult"].lower() or (Adult.YES.value if role == Role.MENTOR else "")
    if adult not in {a.value for a in Adult}:
        problems.append(f"adult '{_shown(value['adult'])}' should be yes, no or guardian")
    capacity: int | None = None
    if role in (Role.MENTOR, Role.BOTH):
        try:
            capacity = int(value["capacity"])
        except ValueError:
            capacity = None
        if capacity is None or not MIN_CAPACITY <= capacity <= MAX_CAPACITY:
            problems.append(
                f"capacity '{_shown(value['capacity'])}' should be how many mentees this "
                f"mentor takes: {MIN_CAPACITY} to {MAX_CAPACITY}"
            )
    interests = normalise_interests(value["interests"].split(";"))
    if any(len(interest) > 100 for interest in interests):
        problems.append("an interest is longer than 100 characters")
    private, private_problems = _private_answers(value)
    problems.extend(private_problems)
    if problems:
        return None, problems
    return (
        ApplicationInput(
            email=email,
            name=value["name"],
            role=Role(role),
            is_member=bool(member),
            adult=Adult(adult),
            region=" ".join(value["region"].split()),
            interests=interests,
            goals=value.get("goals", ""),
            capacity=capacity,
            private=private,
        ),
        [],
    )


def _private_answers(value: dict[str, str]) -> tuple[PrivateAnswers | None, list[str]]:
    """The private answers of a row; problems name the column, never the answer."""
    problems: list[str] = []
    texts: dict[str, str | None] = {}
    for column, limit in PRIVATE_TEXT_COLUMNS.items():
        text = value.get(column, "")
        if len(text) > limit:
            problems.append(f"{column} is longer than {limit} characters")
        texts[column] = text or None
    flags: dict[str, bool] = {}
    for column, field_name in PRIVATE_FLAG_COLUMNS.items():
        flag = _flag(value.get(column, ""))
        if flag is None:
            problems.append(f"{column} should be yes or no")
        flags[field_name] = bool(flag)
    if problems:
        return None, problems
    answers = PrivateAnswers(**texts, **flags)  # type: ignore[arg-type]
    return (None if answers.is_empty() else answers), []


def read_csv_file(path: Path) -> str:
    """The file's text (UTF-8, with or without a byte-order mark).

    Raises:
        UserError: missing, unreadable, too large or not UTF-8.
    """
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise UserError(f"{path} is larger than {MAX_FILE_BYTES // 1_000_000} MB")
        return path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise UserError(f"there is no file {path}") from None
    except IsADirectoryError:
        raise UserError(f"{path} is a folder, not a CSV file") from None
    except PermissionError:
        raise UserError(f"{path} cannot be read (permission denied)") from None
    except UnicodeDecodeError as error:
        raise UserError(
            f"{path} is not UTF-8 text (byte {error.start}); save it as CSV UTF-8"
        ) from None


def _read_rows(
    text: str, required: tuple[str, ...]
) -> tuple[list[tuple[int, dict[str, str]]], list[RowError]]:
    """The non-blank rows of a CSV text as (first line, {column: cell}), and the rows
    that could not be read.

    Raises:
        CsvImportError: an empty file, or a header without a required column.
    """
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise CsvImportError([RowError(1, "the file is empty")]) from None
    except csv.Error as error:
        raise CsvImportError([RowError(1, f"not a CSV header ({error})")]) from None
    columns = [_header_key(name) for name in header]
    missing = [name for name in required if name not in columns]
    if missing:
        raise CsvImportError([RowError(1, f"the header lacks the column(s) {', '.join(missing)}")])
    rows: list[tuple[int, dict[str, str]]] = []
    errors: list[RowError] = []
    line = reader.line_num
    while True:
        start = line + 1  # a quoted cell may span lines: a row starts after the last one
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            errors.append(RowError(start, f"cannot be read as CSV ({error})"))
            break
        line = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue  # blank line
        if len(cells) > len(columns):
            errors.append(RowError(start, f"{len(cells)} cells but the header has {len(columns)}"))
            continue
        padded = cells + [""] * (len(columns) - len(cells))
        rows.append((start, dict(zip(columns, padded, strict=True))))
    if not rows and not errors:
        errors.append(RowError(line, "no rows below the header"))
    return rows, errors


def parse_applications(text: str) -> list[tuple[int, ApplicationInput]]:
    """Every row of a CSV text as (line, application), or every problem at once.

    Raises:
        CsvImportError: any problem; nothing is returned then.
    """
    rows, errors = _read_rows(text, REQUIRED_COLUMNS)
    parsed: list[tuple[int, ApplicationInput]] = []
    first_line: dict[str, int] = {}
    for start, row in rows:
        application, problems = _parse_row(row)
        if application is not None and application.email in first_line:
            problems = [f"{application.email} is also on line {first_line[application.email]}"]
        if problems:
            errors.append(RowError(start, "; ".join(problems)))
            continue
        assert application is not None
        first_line[application.email] = start
        parsed.append((start, application))
    if errors:
        raise CsvImportError(sorted(errors, key=lambda error: error.line))
    return parsed


@dataclass(frozen=True)
class PastPair:
    """A mentor and mentee matched before the bot ran the program (or elsewhere)."""

    mentor: str
    mentee: str
    cohort: str


PAST_PAIR_COLUMNS = ("mentor", "mentee", "cohort")


def parse_past_pairs(text: str) -> list[tuple[int, PastPair]]:
    """Every row (``mentor,mentee,cohort``: two e-mails and the round they met in).

    Raises:
        CsvImportError: any problem; nothing is returned then.
    """
    rows, errors = _read_rows(text, PAST_PAIR_COLUMNS)
    parsed: list[tuple[int, PastPair]] = []
    for start, row in rows:
        problems = []
        emails = {}
        for role in ("mentor", "mentee"):
            email = normalise_email(row[role])
            if not _EMAIL.match(email):
                problems.append(f"{role} '{_shown(row[role].strip())}' is not an e-mail address")
            emails[role] = email
        cohort = " ".join(row["cohort"].split())
        if not cohort or len(cohort) > 120:
            problems.append("cohort should name the round they met in (at most 120 characters)")
        if not problems and emails["mentor"] == emails["mentee"]:
            problems.append("mentor and mentee are the same person")
        if problems:
            errors.append(RowError(start, "; ".join(problems)))
            continue
        parsed.append((start, PastPair(emails["mentor"], emails["mentee"], cohort)))
    if errors:
        raise CsvImportError(sorted(errors, key=lambda error: error.line))
    return parsed
