"""State-file guarantees and doctor messages (en)."""

MESSAGES: dict[str, str] = {}
