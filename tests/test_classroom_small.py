"""Small things a class notices (issue 19): the completion install message in the run's
language."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_completion_install_message_is_in_the_runs_language(tmp_path: Path, lang) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FAMCOV_")}
    env.update(HOME=str(tmp_path), SHELL="/bin/bash", COLUMNS="80", NO_COLOR="1", TERM="dumb")
    env["PYTHONIOENCODING"] = "utf-8"
    done = subprocess.run(
        [sys.executable, "-m", "famcov", "--lang", lang, "--install-completion", "bash"],
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    script = tmp_path / ".bash_completions" / "famcov.sh"
    assert script.is_file()
    if lang == "zh":
        assert "已为 bash 安装命令行补全" in done.stdout and "重新打开终端" in done.stdout
        assert "installed" not in done.stdout and "restart" not in done.stdout
    else:
        assert "bash completion installed in" in done.stdout
    assert "Traceback" not in done.stdout + done.stderr


def test_happy_path_step_two_says_what_the_id_field_takes(run, state: Path) -> None:
    """Step 2 asks to clear the ID field and type 刘秀兰 (the field takes a name the
    records know), not to 'go back to the name alone' as if a name field were there."""
    for lang in ("zh", "en"):
        steps = run("scenario", "show", "happy-path", lang=lang).data["scenario"]["steps"]
        second = steps[1]["try"]
        assert "刘秀兰" in second
        assert "改回只填姓名" not in second and "just the name again" not in second
    assert run("scenario", "start", "happy-path", today=None).code == 0
    bound = run(
        "bind",
        "--payer",
        "陈静",
        "--relative",
        "刘秀兰",  # what the step says to type in the ID field
        "--name",
        "刘秀兰",
        "--relation",
        "父母",
        "--accept-commitment",
        today=None,
    )
    assert bound.code == 0, bound


def _scenario_files() -> list[Path]:
    from conftest import DATA

    return sorted((DATA / "scenarios").glob("*.json")) + sorted(
        (DATA / "what-if").glob("*/scenarios/*.json")
    )


@pytest.mark.parametrize("file", _scenario_files(), ids=lambda p: p.stem)
def test_a_person_has_one_name_in_english(file: Path) -> None:
    """吴芳 (Wu Fang) once, then 吴芳: the story, the steps, the people table and the
    wizard name a person the same way (not Wu Fang in the story and 吴芳 elsewhere)."""
    import json
    import re

    source = json.loads(file.read_text(encoding="utf-8"))
    names = {step["name"] for step in source["setup"] if "name" in step}
    english = json.dumps(
        [source["title"]["en"], source["story"]["en"], source.get("steps", [])],
        ensure_ascii=False,
    )
    glossed = re.findall(r"([\u4e00-\u9fff]{2,4}) \(([A-Z][a-z]+ [A-Z][a-z]+)\)", english)
    assert glossed, "the English story names its people in Chinese, with the pinyin once"
    for chinese, pinyin in glossed:
        assert chinese in names, chinese
        assert english.count(pinyin) == 1, pinyin  # the pinyin once, beside the name
        given = pinyin.split()[1]
        assert not re.search(rf"\b{given}\b(?! *\))", english.replace(pinyin, "")), given


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_policy_names_each_source_once_and_labels_the_citys_window(run, lang) -> None:
    shown = run(
        "policy",
        "--province",
        "四川",
        "--year",
        "2027",
        lang=lang,
        json_out=False,
        env={"COLUMNS": "80"},
    )
    assert shown.code == 0
    text = shown.data
    assert text.count("国办发〔2024〕38") == 1  # one document, its four passages under it
    passages = [line for line in text.splitlines() if line.lstrip().startswith("— ")]
    assert len(passages) >= 2  # the passages cited from it, each under the document
    city = "成都市自定：" if lang == "zh" else "Chengdu's own:"
    assert city in text
    assert ("限成都市" if lang == "zh" else "Chengdu only") in text
    from rich.cells import cell_len

    for line in text.splitlines():
        assert cell_len(line) <= 80, line
        if line and not line.startswith(" "):  # folded lines of a channel's step are indented
            assert not line.startswith(("明（", "缴费 ")), line


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_bullets_folded_lines_are_indented(run, ok, lang) -> None:
    """A note's second line starts under its text, not at column 0 (zh and en)."""
    from conftest import new_id
    from test_returns import _family, _pay_tax

    payer, brother = new_id(area="420102", born="19870312"), new_id(area="420102", born="19960101")
    _family(ok, payer, brother, ("周强", "周亮"))
    paid = run(*_pay_tax(payer, "周亮"), lang=lang, json_out=False, env={"COLUMNS": "80"})
    assert paid.code == 0
    lines = paid.data.splitlines()
    bullets = [i for i, line in enumerate(lines) if line.startswith("  • ")]
    assert len(bullets) >= 3
    folded = [lines[i + 1] for i in bullets if i + 1 < len(lines) and i + 1 not in bullets]
    assert folded, "no note folded at 80 columns"
    for line in folded:
        assert line.startswith("    ") and line.strip(), line
