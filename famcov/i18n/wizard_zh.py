"""Wizard, scenario and training-note messages (zh)."""

MESSAGES: dict[str, str] = {}
