#!/usr/bin/env python3
"""famcov benchmarks: start-up, commands on a large state, and bulk import.

    python benchmarks/run.py            # the full run: 100,000 records, about two minutes
    python benchmarks/run.py --quick    # a smoke run in seconds (smaller sizes, fewer runs)

Every figure is the wall time of a real `python -m famcov ...` process, as a
script would call it, measured from outside (the median of several runs, the
contenders interleaved so that a busy moment hits both). Peak memory is the
child's own maximum resident set size (os.wait4). Nothing here asserts: it
prints figures, ratios and the targets of issue 5, and a table a person can
paste into docs/performance.md.

The children run without PYTHONDONTWRITEBYTECODE so that, as in an installed
copy, Python reads compiled bytecode instead of compiling famcov at every run;
one untimed warm-up run writes it.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

TODAY = "2026-11-24"
BASELINE = "import typer, rich.console"
# Never on a scripted (--json) path: the wizard and its prompt library, pydantic
# (typer's converters, bypassed by famcov.lean_options) and rich (people's output only).
NEVER_SCRIPTED = ("questionary", "prompt_toolkit", "famcov.wizard", "pydantic", "rich")
# Reads take no lock, and IDs already in the records skip stdnum.
NEVER_ON_READS = ("filelock", "stdnum")

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华建国小雨雪梅玉兵鹏辉红琴云飞海波宇浩然欣怡子涵思远嘉明晨阳"


# -- running famcov --------------------------------------------------------------------


def child_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FAMCOV_")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.update(LANG="C.UTF-8", NO_COLOR="1", TERM="dumb", COLUMNS="100")
    return env


ENV = child_env()


@dataclass
class Run:
    seconds: float
    cpu: float  # user + system seconds of the child
    max_rss_kb: int
    code: int
    stdout: bytes
    stderr: bytes


def run(argv: list[str], *, expect: int | None = 0) -> Run:
    """One child process: wall time, its own peak memory, exit code and output."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        child = subprocess.Popen(argv, env=ENV, stdin=subprocess.DEVNULL, stdout=out, stderr=err)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        cpu = usage.ru_utime + usage.ru_stime
        result = Run(seconds, cpu, usage.ru_maxrss, child.returncode, out.read(), err.read())
    if expect is not None and result.code != expect:
        shown = " ".join(argv)
        sys.exit(
            f"benchmark setup failed: `{shown}` exited {result.code}, expected {expect}\n"
            + result.stdout.decode(errors="replace")[-2000:]
            + result.stderr.decode(errors="replace")[-2000:]
        )
    return result


def famcov(state: Path | None, *args: str) -> list[str]:
    argv = [sys.executable, "-m", "famcov", "--json"]
    if state is not None:
        argv += ["--state", str(state), "--today", TODAY]
    return argv + list(args)


@dataclass
class Contender:
    label: str
    argv: list[str]
    restore: tuple[Path, Path] | None = None  # (pristine copy, state file) before each run
    expect: int = 0
    times: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    rss: list[int] = field(default_factory=list)

    def once(self) -> Run:
        if self.restore is not None:
            shutil.copyfile(*self.restore)
        return run(self.argv, expect=self.expect)

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    @property
    def cpu_median(self) -> float:
        return statistics.median(self.cpu)


def race(contenders: list[Contender], repeat: int) -> None:
    """Warm each up once, then time them round-robin `repeat` times (a single run is
    the smoke test's: it shows the tables work, not a figure, and is not warmed)."""
    for c in contenders if repeat > 1 else ():
        c.once()
    for _ in range(repeat):
        for c in contenders:
            result = c.once()
            c.times.append(result.seconds)
            c.cpu.append(result.cpu)
            c.rss.append(result.max_rss_kb)


# -- import checks ---------------------------------------------------------------------


def imported_modules(argv: list[str], runs: int = 3) -> dict[str, tuple[int, int]]:
    """module -> (self µs, cumulative µs), from `python -X importtime`: the least of a
    few runs, since one run's figures jump with anything else the machine does."""
    modules: dict[str, tuple[int, int]] = {}
    for _ in range(runs):
        result = run([argv[0], "-X", "importtime", *argv[1:]], expect=None)
        for line in result.stderr.decode(errors="replace").splitlines():
            if not line.startswith("import time:") or "self [us]" in line:
                continue
            own, cumulative, name = line[len("import time:") :].split("|")
            seen = (int(own), int(cumulative))
            modules[name.strip()] = min(modules.get(name.strip(), seen), seen)
    return modules


def forbidden(modules: dict[str, tuple[int, int]], prefixes: tuple[str, ...]) -> list[str]:
    """The forbidden packages imported, each with how many of its modules."""
    found = []
    for p in prefixes:
        count = sum(1 for m in modules if m == p or m.startswith(p + "."))
        if count:
            found.append(f"{p} ({count} modules)")
    return found


# -- generated records -----------------------------------------------------------------


@dataclass
class Roster:
    path: Path
    rows: int
    payer: str
    relative: str
    relative_name: str
    counts: dict[str, int]


def regions() -> list[str]:
    from famcov import policy

    return [r.code for p in policy.load().provinces for r in p.regions]


def make_roster(path: Path, rows: int, seed: int = 5) -> Roster:
    """A CSV for `admin import`: 10% workers, 5% employees, 15% paid elsewhere and the
    rest resident enrolments (most people enrolled for both 2026 and 2027), with valid
    18-character IDs. The two people the timed commands use come last of their kind."""
    from stdnum.cn import ric

    rng = random.Random(seed)
    codes = regions()
    sichuan = [c for c in codes if c.startswith("51")]
    seen: set[str] = set()

    def new_id(born_from: int, born_to: int, area: str) -> str:
        while True:
            born = (
                f"{rng.randint(born_from, born_to)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
            )
            body = f"{area[:4]}{rng.choice(('01', '02', '03', '04', '05', '06', '07', '11', '21'))}"
            first17 = f"{body}{born}{rng.randint(0, 999):03d}"
            number = first17 + ric.calc_check_digit(first17 + "?")  # ignores the 18th
            if number not in seen:
                seen.add(number)
                return number

    def name() -> str:
        return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2)))

    n_workers = max(2, rows // 10)
    n_employees = max(1, rows // 20)
    n_paid = max(1, rows * 15 // 100)
    n_enrolments = rows - n_workers - n_employees - n_paid
    lines = ["kind,id,name,region,year,balance,status,channel"]
    for _ in range(n_workers - 1):
        region = rng.choice(sichuan if rng.random() < 0.6 else codes)
        balance = f"{rng.randint(0, 800_000) / 100:.2f}"
        status = "suspended" if rng.random() < 0.03 else ""
        lines.append(f"worker,{new_id(1960, 2004, region)},{name()},{region},,{balance},{status},")
    payer = new_id(1980, 1990, "510100")
    lines.append(f"worker,{payer},张伟,510100,,5000.00,active,")
    residents: list[tuple[str, list[int]]] = []
    written = 0
    while written < n_enrolments - 2:
        region = rng.choice(sichuan if rng.random() < 0.6 else codes)
        person, who = new_id(1940, 2023, region), name()
        years = [2026, 2027] if rng.random() < 0.8 and written < n_enrolments - 3 else [2027]
        for year in years:
            lines.append(f"resident,{person},{who},{region},{year},,,")
        residents.append((person, years))
        written += len(years)
    relative, relative_name = new_id(2012, 2016, "510100"), "张小雨"
    for year in (2026, 2027):
        lines.append(f"resident,{relative},{relative_name},510100,{year},,,")
    for _ in range(n_employees):
        lines.append(f"employee,{new_id(1960, 2004, rng.choice(codes))},{name()},,,,,")
    channels = ("tax", "bank", "wechat", "alipay")
    paid = rng.sample(residents, min(n_paid, len(residents)))
    for person, years in paid:
        lines.append(f"paid-elsewhere,{person},,,{rng.choice(years)},,,{rng.choice(channels)}")
    from famcov.domain import ids

    assert ids.validate(payer) == payer and ids.validate(relative) == relative
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    counts = {
        "worker": n_workers,
        "resident": n_enrolments,
        "employee": n_employees,
        "paid-elsewhere": len(paid),
    }
    return Roster(path, len(lines) - 1, payer, relative, relative_name, counts)


def build_state(folder: Path, rows: int, *, imports: int = 1) -> tuple[Path, Roster, list[Run]]:
    """init + `admin import` (timed, `imports` times into a fresh state) + one binding."""
    folder.mkdir(parents=True, exist_ok=True)
    roster = make_roster(folder / "roster.csv", rows)
    state = folder / "state.json"
    timed: list[Run] = []
    for _ in range(imports):
        run(famcov(state, "init", "--force"))
        timed.append(run(famcov(state, "admin", "import", str(roster.path))))
    run(
        famcov(
            state,
            "bind",
            "--payer",
            roster.payer,
            "--relative",
            roster.relative,
            "--name",
            roster.relative_name,
            "--relation",
            "child",
            "--proof",
            "户口本",
            "--accept-commitment",
        )
    )
    shutil.copyfile(state, folder / "pristine.json")
    return state, roster, timed


# -- report ------------------------------------------------------------------------------


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = []
    for package in ("famcov", "typer", "msgspec"):
        try:
            from importlib.metadata import version

            versions.append(f"{package} {version(package)}")
        except Exception:
            pass
    return (
        f"{platform.system()} {platform.machine()}, {cpu}, {os.cpu_count()} CPUs; "
        f"Python {platform.python_version()}; " + ", ".join(versions)
    )


def ms(seconds: float) -> str:
    return f"{seconds * 1000:6.1f} ms"


def verdict(value: float, target: float) -> str:
    return "ok" if value <= target else "OVER TARGET"


def load() -> float | None:
    try:
        return os.getloadavg()[0]
    except OSError:  # pragma: no cover - not on this platform
        return None


def wizard_figures(work: Path, large: Path, roster: Roster, quick: bool, repeat: int) -> None:
    """Issue 10: the wizard's time to its first prompt against `import questionary`
    (the prompt library is the floor), and from Enter to the next step's prompt on the
    large state, in an 80x24 pseudo-terminal that answers cursor-position requests."""
    try:
        import pexpect  # noqa: F401
    except ImportError:
        print("Wizard in a pseudo-terminal: skipped (pip install pexpect)")
        print()
        return
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import wizard

    demo = work / "demo.json"
    run(famcov(demo, "init", "--demo"))
    runs = min(3, repeat) if quick else max(5, repeat // 2)
    floor, first = wizard.race_first_prompt(demo, TODAY, runs)
    floor_new, welcome = wizard.race_first_prompt(work / "no-state-yet.json", TODAY, runs)
    rounds = min(3, repeat) if quick else 15
    enter = wizard.enter_to_next_step(large, TODAY, roster.payer, rounds)
    bare = wizard.enter_floor(rounds)
    ratio = first.median / floor.median
    print(f"Wizard in a pseudo-terminal ({wizard.COLS}x{wizard.ROWS}), {runs} runs")
    print(f"  {floor.label:<44} {ms(floor.median)}")
    print(
        f"  {first.label:<44} {ms(first.median)}  {ratio:5.2f}×  target ≤ 1.20×  "
        f"{verdict(ratio, 1.2)}"
    )
    ratio_new = welcome.median / floor_new.median
    print(f"  {floor_new.label:<44} {ms(floor_new.median)}")
    print(
        f"  {'famcov, first run, to its first prompt':<44} "
        f"{ms(welcome.median)}  {ratio_new:5.2f}×  target ≤ 1.20×  {verdict(ratio_new, 1.2)}"
    )
    print(
        f"  {'Enter to the next step, ' + f'{roster.rows:,} records':<44} {ms(enter.median)}  "
        f"(median of {len(enter.times)})  target ≤ 50 ms  {verdict(enter.median, 0.05)}"
    )
    print(f"  {bare.label:<44} {ms(bare.median)}  (median of {len(bare.times)})")
    print()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, few runs: seconds")
    parser.add_argument("--rows", type=int, help="records in the large state (100000)")
    parser.add_argument("--repeat", type=int, help="timed runs per start-up figure (21)")
    parser.add_argument("--keep", metavar="DIR", help="build the states in DIR and keep them")
    options = parser.parse_args()
    rows = options.rows or (2_000 if options.quick else 100_000)
    small_rows = 100
    repeat = options.repeat or (3 if options.quick else 21)
    heavy_repeat = min(2, repeat) if options.quick else max(3, repeat // 2)
    imports = 1 if options.quick else 3

    work = Path(options.keep) if options.keep else Path(tempfile.mkdtemp(prefix="famcov-bench-"))
    started_load = load()
    print(f"famcov benchmarks{' (--quick)' if options.quick else ''}")
    print(f"machine: {machine()}")
    print(f"command: python benchmarks/run.py {' '.join(sys.argv[1:])}".rstrip())
    print("figures: wall time of a whole `python -m famcov` process, median; cpu = user + system")
    print()
    try:
        small, small_roster, _ = build_state(work / "small", small_rows)
        payment = ["--payer", small_roster.payer, "--relative", small_roster.relative]
        payment += ["--region", "510100", "--year", "2027"]

        # -- start-up ----------------------------------------------------------------
        read = famcov(small, "account", "--payer", small_roster.payer)
        contenders = [
            Contender(f'python -c "{BASELINE}"', [sys.executable, "-c", BASELINE]),
            Contender("famcov --json account --payer ID", read),
            Contender("famcov --json policy", famcov(None, "policy")),
            Contender("famcov --json check ...", famcov(small, "check", *payment)),
            Contender("famcov --version", [sys.executable, "-m", "famcov", "--version"]),
        ]
        race(contenders, repeat)
        base = contenders[0].median
        print(f"Start-up: scripted commands on a small state ({small_rows} records), {repeat} runs")
        print(f"  {'':<38} {'wall':>9}  {'ratio':>6}  {'cpu':>9}")
        for c in contenders:
            ratio = c.median / base
            target = f"target ≤ 1.30×  {verdict(ratio, 1.3)}" if c is contenders[1] else ""
            print(f"  {c.label:<38} {ms(c.median)}  {ratio:5.2f}×  {ms(c.cpu_median)}  {target}")
        print()

        modules = imported_modules(read)
        baseline_modules = imported_modules(contenders[0].argv)
        paths = {
            "read  (account --json)": (modules, NEVER_SCRIPTED + NEVER_ON_READS),
            "read  (check --json)": (
                imported_modules(contenders[3].argv, runs=1),
                NEVER_SCRIPTED + NEVER_ON_READS,
            ),
            "read  (a refusal, --json)": (
                imported_modules(famcov(small, "receipt", "DJ000"), runs=1),
                NEVER_SCRIPTED + NEVER_ON_READS,
            ),
            "write (admin credit --json)": (
                imported_modules(
                    famcov(small, "admin", "credit", "--id", small_roster.payer, "--amount", "1"),
                    runs=1,
                ),
                NEVER_SCRIPTED,
            ),
        }
        shutil.copyfile(work / "small" / "pristine.json", small)
        print("Imports on scripted paths (python -X importtime)")
        print(f"  never on a scripted path: {', '.join(NEVER_SCRIPTED)}")
        print(f"  nor on a read: {', '.join(NEVER_ON_READS)}")
        for label, (found, never) in paths.items():
            bad = forbidden(found, never)
            verdict_ = "none of them imported" if not bad else "IMPORTED " + ", ".join(bad)
            print(f"  {label:<28} {len(found)} modules, {verdict_}")
        extra = {m: v for m, v in modules.items() if m not in baseline_modules}
        print(
            f"  beyond the baseline: {len(extra)} modules, "
            f"{sum(v[0] for v in extra.values()) / 1000:.1f} ms of import time; the largest:"
        )
        for name, (own, _) in sorted(extra.items(), key=lambda kv: -kv[1][0])[:10]:
            print(f"    {own / 1000:6.2f} ms  {name}")
        print()

        # -- large state -------------------------------------------------------------
        large, roster, imported = build_state(work / "large", rows, imports=imports)
        print(
            f"Large state: {rows:,} records imported ({large.stat().st_size / 1e6:.1f} MB) "
            f"vs small: {small_rows} ({small.stat().st_size / 1e3:.0f} kB), {heavy_repeat} runs"
        )

        def commands(state: Path, who: Roster) -> dict[str, list[str]]:
            pays = ["--payer", who.payer, "--relative", who.relative, "--region", "510100"]
            return {
                "check": famcov(state, "check", *pays, "--year", "2027"),
                "pay": famcov(state, "pay", *pays, "--year", "2027", "--tier", "standard", "--yes"),
                "admin credit": famcov(
                    state, "admin", "credit", "--id", who.payer, "--amount", "200"
                ),
                "account": famcov(state, "account", "--payer", who.payer),
            }

        print(
            f"  {'command':<14} {'small':>9} {'large':>9}  {'ratio':>6}  {'cpu ratio':>9}  target"
        )
        small_cmds, large_cmds = commands(small, small_roster), commands(large, roster)
        peaks = {}
        for label in small_cmds:
            pair = [
                Contender(label, small_cmds[label], (work / "small" / "pristine.json", small)),
                Contender(label, large_cmds[label], (work / "large" / "pristine.json", large)),
            ]
            race(pair, heavy_repeat)
            ratio = pair[1].median / pair[0].median
            cpu_ratio = pair[1].cpu_median / pair[0].cpu_median
            target = f"≤ 3×  {verdict(ratio, 3)}" if label != "account" else "(a read)"
            print(
                f"  {label:<14} {ms(pair[0].median)} {ms(pair[1].median)}  {ratio:5.2f}×  "
                f"{cpu_ratio:8.2f}×  {target}"
            )
            peaks[label] = max(pair[1].rss) / 1024
        print(
            "  peak memory on the large state: "
            + ", ".join(f"{label} {mb:.0f} MB" for label, mb in peaks.items())
        )
        print()

        # -- the wizard in a pseudo-terminal ---------------------------------------------
        wizard_figures(work, large, roster, options.quick, repeat)

        # -- import ------------------------------------------------------------------
        seconds = statistics.median(r.seconds for r in imported)
        cpu = statistics.median(r.cpu for r in imported)
        peak = max(r.max_rss_kb for r in imported) / 1024
        kinds = ", ".join(f"{v:,} {k}" for k, v in roster.counts.items())
        print(f"admin import of {roster.rows:,} rows ({kinds}), {imports} runs")
        scaled = "" if rows == 100_000 else " (targets are for 100,000 rows)"
        print(
            f"  wall time  {seconds:6.2f} s  (cpu {cpu:.2f} s)  target ≤ 10 s    "
            f"{verdict(seconds, 10)}{scaled}"
        )
        print(f"  peak RSS   {peak:6.0f} MB                target ≤ 150 MB  {verdict(peak, 150)}")
    finally:
        if not options.keep:
            shutil.rmtree(work, ignore_errors=True)
    loads = [x for x in (started_load, load()) if x is not None]
    if loads:
        busy = max(loads) > 0.5
        print()
        print(
            f"load average (1 min) before/after: {' / '.join(f'{x:.2f}' for x in loads)}"
            + ("  -- the machine was busy: wall times are slower and noisier" if busy else "")
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
