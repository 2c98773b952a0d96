"""`famcov scenario handout NAME [--format md|html] [--output FILE] [--trainee]` (issue 19):
the format follows FILE's ending unless --format says otherwise, a contradiction is
EXPORT_FORMAT (exit 2, nothing written), and the trainee's copy holds no expected
result, command or answer."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import DATA, assert_message

SCENARIOS = sorted(p.stem for p in (DATA / "scenarios").glob("*.json"))


@pytest.mark.parametrize(
    ("file", "fmt", "expected"),
    [
        ("page.html", None, "html"),
        ("PAGE.HTM", None, "html"),
        ("notes.md", None, "md"),
        ("handout", None, "md"),
        ("notes.txt", None, "md"),
        ("page.html", "html", "html"),
        ("handout", "html", "html"),
    ],
)
def test_the_format_follows_the_file_name(run, tmp_path: Path, file, fmt, expected) -> None:
    out = tmp_path / file
    args = ["scenario", "handout", "revoke-repay", "--output", str(out)]
    args += ["--format", fmt] if fmt else []
    outcome = run(*args)
    assert outcome.code == 0, outcome
    assert outcome.data["handout"]["format"] == expected
    text = out.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>" if expected == "html" else "# ")


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize(
    ("file", "fmt"), [("page.html", "md"), ("notes.md", "html"), ("page.HTML", "md")]
)
def test_a_contradiction_is_export_format(refused, tmp_path: Path, lang, file, fmt) -> None:
    out = tmp_path / file
    args = ["scenario", "handout", "revoke-repay", "--output", str(out)]
    args += ["--format", fmt] if fmt else []
    data = refused(*args, code="EXPORT_FORMAT", exit=2, lang=lang)
    assert_message(data["error"]["message"], lang)
    assert file in data["error"]["message"]
    assert not out.exists()


def _expects(name: str, lang: str) -> list[str]:
    """The scenario's expected results, in `lang`."""
    source = json.loads((DATA / "scenarios" / f"{name}.json").read_text(encoding="utf-8"))
    return [step["expect"][lang] for step in source.get("steps", [])]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("name", SCENARIOS)
def test_the_trainees_copy_has_no_answers(run, name: str, lang: str) -> None:
    full = run("scenario", "handout", name, json_out=False, lang=lang).data
    copy = run("scenario", "handout", name, "--trainee", json_out=False, lang=lang).data
    expects = _expects(name, lang)
    goals = run("scenario", "show", name, lang=lang).data["scenario"]["goals"]
    for text in expects + [g["text"] for g in goals]:
        assert text in full or text.replace("\n", " ") in full
        assert text not in copy, text
    block = full.split("```sh\n", 1)[1].split("```", 1)[0]
    tasks = " ".join(
        step["try"] for step in run("scenario", "show", name, lang=lang).data["scenario"]["steps"]
    )
    for line in block.strip().splitlines():  # the commands that do the exercise
        command = line.partition("   # ")[0]
        if command not in tasks:  # (a task may name what the trainer types, as low-balance)
            assert command not in copy, line
    assert "```" not in copy and "- [ ]" not in copy
    source = json.loads((DATA / "scenarios" / f"{name}.json").read_text(encoding="utf-8"))
    for step in source.get("steps", []):  # the tasks are all there
        assert step["try"][lang] in copy
    assert copy.count("\n## ") == 3  # story, people, tasks


def test_the_trainees_copy_as_a_page(run, tmp_path: Path) -> None:
    out = tmp_path / "trainee.html"
    assert run("scenario", "handout", "revoke-repay", "--trainee", "--output", str(out)).code == 0
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert "<pre>" not in page and "famcov scenario" not in page and 'class="expect"' not in page
