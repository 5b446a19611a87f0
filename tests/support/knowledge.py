"""Which knowledge file a test reads.

Unit tests read a frozen copy (:data:`FROZEN_KNOWLEDGE_FILE`), so staff editing the
sample ``data/knowledge.yaml`` never breaks them; change the copy when a test needs
different facts. Tests about the shipped file itself (answer accuracy on the question
sets, the demo, ``memberbot check`` of the sample) read :data:`SHIPPED_KNOWLEDGE_FILE`:
mark them ``@pytest.mark.shipped_knowledge`` to give the ``core`` fixture that file.
"""

from __future__ import annotations

from pathlib import Path

from bot.config import DEFAULT_KNOWLEDGE_FILE

#: A copy of data/knowledge.yaml as the unit tests were written against.
FROZEN_KNOWLEDGE_FILE = Path(__file__).resolve().parents[1] / "core" / "fixtures" / "knowledge.yaml"
#: The staff-editable sample the bot ships with.
SHIPPED_KNOWLEDGE_FILE = DEFAULT_KNOWLEDGE_FILE
