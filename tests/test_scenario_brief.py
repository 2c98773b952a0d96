"""`famcov scenario show NAME` and `famcov scenario handout NAME`: a scenario's brief
for the room, again and on paper. Neither touches the state file; neither shows an ID."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest
from conftest import DATA, assert_message, invoke, snapshot

SCENARIOS = sorted(p.stem for p in (DATA / "scenarios").glob("*.json"))
FULL_ID = re.compile(r"[0-9]{17}[0-9X]")


def scenario_ids(name: str) -> set[str]:
    text = (DATA / "scenarios" / f"{name}.json").read_text(encoding="utf-8")
    return set(FULL_ID.findall(text))


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("name", SCENARIOS)
def test_show_gives_the_brief_without_ids_or_touching_the_state(run, demo, name, lang) -> None:
    before = snapshot(demo)
    data = run("scenario", "show", name, lang=lang).data["scenario"]
    assert snapshot(demo) == before
    assert set(data) >= {"name", "title", "today", "story", "people", "steps", "goals"}
    assert data["people"] and data["steps"] and data["goals"]
    assert all(set(step) == {"try", "expect"} for step in data["steps"])
    text = json.dumps(data, ensure_ascii=False)
    assert not FULL_ID.search(text) and "********" not in text  # by name, not even masked
    allow = tuple(p["name"] for p in data["people"])
    for person in data["people"]:
        for fact in person["facts"]:
            assert_message(fact, lang, allow=allow)
    for goal in data["goals"]:
        assert_message(goal["text"], lang, allow=allow)


def test_show_for_people_and_with_no_state_at_all(run, state) -> None:
    out = run("scenario", "show", "two-parents", json_out=False, lang="en", env={"COLUMNS": "80"})
    assert out.code == 0
    for needle in ("People:", "王小明", "Steps", "→", "Goals", "famcov scenario check"):
        assert needle in out.data, needle
    assert not state.exists()


def test_show_refuses_an_unknown_name_or_none(refused) -> None:
    for name in ("nope", "demo", "../x"):
        refused("scenario", "show", name, code="UNKNOWN_SCENARIO", exit=2)
    refused("scenario", "show", code="MISSING_OPTION", exit=2)


# -- the handout ------------------------------------------------------------------------


@pytest.mark.parametrize("name", SCENARIOS)
def test_the_handout_commands_do_the_exercise(run, tmp_path: Path, name: str) -> None:
    """Pasted in order, the handout's commands start the scenario, do what it asks
    (a line marked refused is refused) and leave a state whose goals all pass."""
    text = run("scenario", "handout", name, json_out=False).data
    block = text.split("```sh\n", 1)[1].split("```", 1)[0]
    state = tmp_path / "state.json"
    for line in block.strip().splitlines():
        command, _, comment = line.partition("   # ")
        argv = shlex.split(command)
        assert argv[0] == "famcov"
        result = invoke(["--json", "--state", str(state), *argv[1:]])
        assert result.exit_code == (1 if comment else 0), (line, result.stdout)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_handout_markdown_has_every_part_and_no_id(run, lang) -> None:
    name = "revoke-repay"
    text = run("scenario", "handout", name, json_out=False, lang=lang).data
    assert text.startswith("# ")
    assert text.count("\n## ") == 5  # story, people, steps, commands, goals
    assert "famcov scenario start revoke-repay" in text and "- [ ] " in text
    for person_id in scenario_ids(name):
        assert person_id not in text
    if lang == "en":
        assert "What should happen:" in text and "应当看到" not in text
    else:
        assert "应当看到：" in text


def test_handout_html_escapes_everything(run, tmp_path: Path) -> None:
    out = tmp_path / "handout.html"
    data = run("scenario", "handout", "revoke-repay", "--format", "html", "--output", str(out))
    assert data.code == 0 and data.data["handout"]["format"] == "html"
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert "<h2>" in page
    # the step text's quotes and arrows arrive escaped, never as markup
    assert "“重复代缴”" in page and "<script" not in page
    for person_id in scenario_ids("revoke-repay"):
        assert person_id not in page


def test_hostile_text_in_a_scenario_is_escaped(run, tmp_path: Path, monkeypatch) -> None:
    """A scenario from a what-if folder or an edited copy: its text is data, not markup."""
    source = json.loads((DATA / "scenarios" / "revoke-repay.json").read_text(encoding="utf-8"))
    source["story"]["zh"] = "<script>alert(1)</script> 身份证 510104198509300282 \x1b[2J"
    folder = tmp_path / "data"
    import shutil

    shutil.copytree(DATA, folder)
    (folder / "scenarios" / "hostile.json").write_text(
        json.dumps(source, ensure_ascii=False), encoding="utf-8"
    )
    env = {"FAMCOV_DATA_DIR": str(folder)}
    page = run("scenario", "handout", "hostile", "--format", "html", json_out=False, env=env).data
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "510104198509300282" not in page and "510104********0282" in page
    assert "\x1b" not in page
    md = run("scenario", "handout", "hostile", json_out=False, env=env).data
    assert "510104198509300282" not in md and "\x1b" not in md


def test_handout_refuses_bad_input_with_one_sentence(run, refused, tmp_path: Path) -> None:
    refused("scenario", "handout", "revoke-repay", "--format", "pdf", code="INVALID_VALUE", exit=2)
    refused("scenario", "handout", "nope", code="UNKNOWN_SCENARIO", exit=2)
    refused("scenario", "handout", code="MISSING_OPTION", exit=2)
    refused(
        "scenario",
        "handout",
        "revoke-repay",
        "--output",
        str(tmp_path),
        code="EXPORT_IS_FOLDER",
        exit=2,
    )
    missing = tmp_path / "no" / "such" / "handout.md"
    data = refused(
        "scenario",
        "handout",
        "revoke-repay",
        "--output",
        str(missing),
        code="EXPORT_FAILED",
        exit=1,
        lang="en",
    )
    assert "handout" in data["error"]["message"]
    assert not missing.exists()
