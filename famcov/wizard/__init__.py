"""The interactive flows: the only place that imports questionary."""
