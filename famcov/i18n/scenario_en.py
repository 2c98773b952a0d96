"""Training-scenario messages (en): steps, goals, show, check, handout, the scenario date."""

MESSAGES: dict[str, str] = {
    "scenario.steps": "Steps (what to try → what should happen):",
}
