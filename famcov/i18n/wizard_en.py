"""Wizard, scenario and training-note messages (en)."""

MESSAGES: dict[str, str] = {}
