"""Shared test support: databases, clocks and a recording outbound sender."""
