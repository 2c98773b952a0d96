"""One module per feature: its use case, notes, JSON shape and view (STYLE.md)."""
