"""The knowledge file: its schema and its loader."""

from __future__ import annotations

from bot.knowledge.loader import load_knowledge, parse_knowledge
from bot.knowledge.schema import Contact, Deadline, Entry, Knowledge, Link, Organisation

__all__ = [
    "Contact",
    "Deadline",
    "Entry",
    "Knowledge",
    "Link",
    "Organisation",
    "load_knowledge",
    "parse_knowledge",
]
