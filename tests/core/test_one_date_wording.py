"""Dates are written in one module: no other code spells month or day names itself."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
#: strftime directives for names, 12-hour clocks and zone names, and the stdlib's
#: (locale-dependent) name tables: what :mod:`bot.date_wording` is for.
NAME_FORMATTING = re.compile(r"%[AaBbpIZ]|calendar\.(month_name|month_abbr|day_name|day_abbr)\b")
ALLOWED = {ROOT / "bot" / "date_wording.py"}


def test_only_date_wording_writes_month_and_day_names() -> None:
    offenders = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for folder in ("bot", "adapters")
        for path in sorted((ROOT / folder).rglob("*.py"))
        if path not in ALLOWED
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if NAME_FORMATTING.search(line)
    ]

    assert offenders == [], "write dates with bot.date_wording:\n" + "\n".join(offenders)
