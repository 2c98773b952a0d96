"""用自己的家庭练习: on first run, a worker sets up practice records of their own family.

Their name, resident ID, city and balance, then relatives with their enrolment (name,
ID, city, year), each value checked by the same parser as its flag; then everything is
written at once, through the same actions as `admin add-worker` and `admin enrol`, in
one new state file. Nothing is written before the last step: going back or Ctrl-C
anywhere leaves no file. The records stay in that local file; nothing is sent anywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from famcov import requests, values, wizard
from famcov.domain.ids import mask
from famcov.domain.money import yuan
from famcov.errors import FamcovError
from famcov.features import bureau
from famcov.i18n import t
from famcov.wizard import ui
from famcov.wizard.flow import Flow, Step, Wizard
from famcov.wizard.ui import BACK

STAGES = {1: "wiz.own.stage.you", 2: "wiz.own.stage.family", 3: "wiz.own.stage.save"}
ADD, SAVE = "add", "save"


@dataclass
class Person:
    name: str
    id: str
    region: Any  # famcov.policy.Region
    balance: int | None = None  # the worker's
    year: int | None = None  # a relative's enrolment


def setup(wiz: Wizard) -> bool:
    """True once the practice family is saved; False to go back to the first-run menu."""
    ui.info(wiz.out, t("wiz.own.local", path=str(wiz.session.state_path)))
    you: Person | None = None
    relatives: list[Person] = []
    while True:
        you = ask_you(wiz, you)
        if you is None:
            return False
        while True:
            choice = family_menu(wiz, you, relatives)
            if choice is BACK:
                break  # back to the worker's own steps, answers kept
            if choice == ADD:
                relative = ask_relative(wiz, you, relatives)
                if relative is not None:
                    relatives.append(relative)
                continue
            try:
                save(wiz, you, relatives)
            except FamcovError as exc:  # nothing was written; say why and stay here
                wiz.show_error(exc)
                continue
            return True


# -- the worker ----------------------------------------------------------------------


def ask_you(wiz: Wizard, before: Person | None) -> Person | None:
    flow = Flow(wiz, "wiz.own.title", STAGES)
    steps = [
        Step("name", 1, lambda f: ask_name(f, "wiz.own.name.ask", before)),
        Step("id", 1, lambda f: ask_id(f, "wiz.own.id.ask", before, exclude=())),
        Step("province", 1, lambda f: ask_province(f, "wiz.own.province.ask", before)),
        Step("region", 1, lambda f: ask_city(f, "wiz.own.city.ask", before)),
        Step("balance", 1, lambda f: ask_balance(f, before)),
    ]
    if not flow.run(steps):
        return None
    a = flow.answers
    return Person(name=a["name"], id=a["id"], region=a["region"], balance=a["balance"])


def ask_name(flow: Flow, key: str, before: Person | None) -> Any:
    return flow.wiz.ask.text(
        t(key),
        parse=lambda text: requests.NAME.parse_text(flow.wiz.session, text),
        default=before.name if before else "",
    )


def ask_id(flow: Flow, key: str, before: Person | None, *, exclude) -> Any:
    wiz = flow.wiz

    def parse(text: str) -> str:
        number = values.person_id(text, flag="--id", today=wiz.today)
        if number in exclude:
            raise FamcovError("INVALID_VALUE", message_key="wiz.own.same_id")
        return number

    # the ID is asked afresh when going back: it is never shown again, not even as a default
    del before
    # a real ID, perhaps on a projector: hidden as typed, Ctrl-R shows it
    return wiz.ask.text(
        t(key, name=flow.answers.get("name", "")), parse=parse, echo=mask, hidden=True
    )


def ask_province(flow: Flow, key: str, before: Person | None) -> Any:
    policy = flow.wiz.policy
    # the province the ID was issued in, as a first guess (its first two digits)
    previous = (
        flow.answers.get("province")
        or (policy.province_of(before.region.code).code if before else None)
        or flow.answers.get("id", "")[:2]
    )
    choices = [(p.name.en if _en() else p.name.zh, p.code) for p in policy.provinces]
    return flow.wiz.ask.select(
        t(key, name=flow.answers.get("name", "")), choices, default=previous, back=t("wiz.back")
    )


def ask_city(flow: Flow, key: str, before: Person | None) -> Any:
    """The city from the chosen province's pack: its cities listed, one typed by name."""
    wiz = flow.wiz
    province = next(p for p in wiz.policy.provinces if p.code == flow.answers["province"])
    names = [r.name.en if _en() else r.short for r in province.regions]
    ui.info(wiz.out, t("wiz.own.cities", province=province.name, cities=names))

    def parse(text: str):
        try:
            region = requests.REGION.parse_text(wiz.session, text)
        except FamcovError as exc:
            if exc.code != "UNKNOWN_REGION" or not province.regions:
                raise
            # the example is a city of this province (a Yunnan trainee is not told 成都)
            first = province.regions[0]
            example = first.name.en if _en() else first.short
            params = {"value": text.strip(), "province": province.name, "example": example}
            raise FamcovError(
                "UNKNOWN_REGION", {**params, "code": first.code}, message_key="wiz.own.city_unknown"
            ) from None
        if not region.code.startswith(province.code):
            raise FamcovError(
                "UNKNOWN_REGION",
                {"value": text.strip(), "province": province.name},
                message_key="wiz.own.city_elsewhere",
            )
        return region

    default = ""
    if before is not None and before.region.code.startswith(province.code):
        default = before.region.name.en if _en() else before.region.short
    return wiz.ask.text(t(key, name=flow.answers.get("name", "")), parse=parse, default=default)


def ask_balance(flow: Flow, before: Person | None) -> Any:
    default = yuan(before.balance) if before and before.balance is not None else ""
    return flow.wiz.ask.text(
        t("wiz.own.balance.ask"),
        parse=lambda text: values.amount(text, flag="--balance", allow_zero=True),
        default=default,
    )


# -- relatives -----------------------------------------------------------------------


def family_menu(wiz: Wizard, you: Person, relatives: list[Person]) -> Any:
    ui.step_header(
        wiz.out,
        title=t("wiz.own.title"),
        stage=2,
        total=len(STAGES),
        name=t(STAGES[2]),
    )
    ui.info(wiz.out, t("wiz.own.you", who=_line(wiz, you)))
    if relatives:
        for r in relatives:
            ui.indented(wiz.out, "  •", _line(wiz, r))
    else:
        ui.info(wiz.out, t("wiz.own.none_yet"))
    choices = [(t("wiz.own.add"), ADD), (t("wiz.own.save", count=len(relatives)), SAVE)]
    return wiz.ask.select(t("wiz.own.family.ask"), choices, back=t("wiz.back"))


def ask_relative(wiz: Wizard, you: Person, relatives: list[Person]) -> Person | None:
    flow = Flow(wiz, "wiz.own.title", STAGES)
    flow._shown_stage = 2  # the family screen's header is on screen already
    steps = [
        Step("name", 2, lambda f: ask_name(f, "wiz.own.relative.name.ask", None)),
        Step("id", 2, lambda f: ask_id(f, "wiz.own.relative.id.ask", None, exclude={you.id})),
        Step("province", 2, lambda f: ask_province(f, "wiz.own.relative.province.ask", None)),
        Step("region", 2, lambda f: ask_city(f, "wiz.own.relative.city.ask", None)),
        Step("year", 2, ask_year),
    ]
    while True:
        if not flow.run(steps):
            return None
        a = flow.answers
        clash = next((r for r in relatives if r.id == a["id"] and r.year == a["year"]), None)
        if clash is None:
            return Person(name=a["name"], id=a["id"], region=a["region"], year=a["year"])
        ui.problem(wiz.out, t("wiz.own.twice", name=clash.name, year=clash.year))
        flow.answers.pop("year", None)
        steps = steps[-1:]  # ask the year again


def ask_year(flow: Flow) -> Any:
    province = flow.wiz.policy.province_of(flow.answers["region"].code)
    years = [y.year for y in province.years]
    default = next((y for y in years if y > flow.wiz.today.year), years[-1])
    return flow.wiz.ask.select(
        t("wiz.own.year.ask", name=flow.answers["name"]),
        [(t("wiz.own.year", year=y), y) for y in years],
        default=default,
        back=t("wiz.back"),
    )


# -- saving --------------------------------------------------------------------------


def save(wiz: Wizard, you: Person, relatives: list[Person]) -> None:
    """Everything at once, through the actions `admin add-worker` and `admin enrol` use;
    the channel is asked next in the same step (3/3), in the worker's province."""
    session = wiz.session
    ui.step_header(wiz.out, title=t("wiz.own.title"), stage=3, total=3, name=t(STAGES[3]))
    with session.store.creating(force=False) as records:
        worker = requests.WorkerRequest(you.id, you.name, you.region, you.balance or 0)
        bureau.add_worker(records, session.policy, session.today, worker)
        for r in relatives:
            enrolment = requests.EnrolRequest(r.id, r.name, r.region, r.year)
            bureau.enrol(records, session.policy, session.today, enrolment)
    wizard.saved(wiz, "saved.own", name=you.name)
    ui.done(wiz.out, t("wiz.own.saved", path=str(session.state_path), count=len(relatives)))
    ui.info(wiz.out, t("wiz.own.next"))
    wiz.ask.pause()


# -- helpers -------------------------------------------------------------------------


def _en() -> bool:
    from famcov.i18n import lang

    return lang() == "en"


def _line(wiz: Wizard, p: Person) -> str:
    from famcov.output.render import region_name

    if p.year is None:
        return t(
            "wiz.own.worker_line",
            name=p.name,
            id=mask(p.id),
            region=region_name(wiz.policy, p.region.code),
            balance=yuan(p.balance or 0),
        )
    return t(
        "wiz.own.relative_line",
        name=p.name,
        id=mask(p.id),
        region=region_name(wiz.policy, p.region.code),
        year=p.year,
    )
