"""State-file guarantees and doctor messages (zh)."""

MESSAGES: dict[str, str] = {}
