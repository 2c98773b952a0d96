"""Training-scenario messages (zh): steps, goals, show, check, handout, the scenario date."""

MESSAGES: dict[str, str] = {
    "scenario.steps": "练习步骤（做什么 → 应当看到）：",
}
