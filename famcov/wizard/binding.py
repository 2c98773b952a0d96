"""亲情账户: bind a family member (添加家庭成员) and end a binding (解除绑定).

Bind: 步骤 1 《个人承诺书》 → 2 家庭成员身份信息（姓名、身份证号、关系、关系证明）
→ 3 核对并添加账户. Each typed value is checked as it is typed by the validator
of its flag, and the binding rules that can be judged from the ID alone (self,
already bound, name on record) are shown inline too. `family_account.bind` decides.
"""

from __future__ import annotations

from typing import Any

from famcov import people, requests, wizard
from famcov.domain import rules
from famcov.domain.ids import mask
from famcov.features import family_account
from famcov.i18n import t
from famcov.output import render
from famcov.wizard import ui
from famcov.wizard.flow import Flow, Step, Wizard, new, payer_step
from famcov.wizard.ui import BACK, QUIT

BIND_STAGES = {
    1: "wiz.bind.stage.commitment",
    2: "wiz.bind.stage.identity",
    3: "wiz.bind.stage.add",
}
UNBIND_STAGES = {1: "wiz.unbind.stage.member", 2: "wiz.unbind.stage.confirm"}

# Which documents prove which relation: 户口本, 结婚证, 出生医学证明 (no free text).
PROOFS = {
    "spouse": ("marriage", "hukou"),
    "child": ("birth", "hukou"),
    "grandchild": ("hukou", "birth"),
    "maternal-grandchild": ("hukou", "birth"),
}


# -- entry points ------------------------------------------------------------------


def run_bind(session, **given: Any) -> int:
    """`famcov bind` on a terminal: ask only for what the flags did not give."""
    wiz = new(session)
    result = bind(wiz, **given)
    if result is None:
        return 1
    ui.info(
        wiz.out,
        t(
            "wiz.bind.next",
            payer=result.payer.name,
            relative=result.binding.name,
        ),
    )
    return 0


def run_unbind(session, **given: Any) -> int:
    return 0 if unbind(new(session), **given) is not None else 1


# -- bind --------------------------------------------------------------------------


def bind(wiz: Wizard, **given: Any):
    """The bind flow; the BindResult, or None when the person left it."""
    flow = Flow(wiz, "wiz.bind.title", BIND_STAGES, given=given)
    from famcov.wizard.channel import channel_banner

    channel_banner(wiz, ("bind",))
    steps = [
        payer_step(None),
        Step("accepted", 1, ask_commitment, lambda f, raw: True, "explain.bind.commitment"),
        Step("name", 2, ask_name, parse_name, "explain.bind.identity"),
        Step("relative", 2, ask_id, parse_id),
        Step("relation", 2, ask_relation, parse_relation, "explain.bind.relation"),
        Step("confirm_gap", 2, ask_gap, lambda f, raw: True, when=gap_unusual),
        Step("proof", 2, ask_proof, parse_proof, "explain.bind.proof", when=proof_needed),
        Step("review", 3, review_binding, None, "explain.bind.review"),
    ]
    if not flow.run(steps):
        if flow.answers.get("accepted") is not False:
            ui.warn(wiz.out, t("wiz.bind.cancelled"))
        return None
    a = flow.answers
    result = wiz.save(family_account.bind, requests.build(requests.BindRequest, a, accepted=True))
    wizard.saved(wiz, "saved.bind", name=result.binding.name)
    family_account.show_bound(wiz.session, result)
    if result.binding.temporary:
        face_verification(wiz, result)
    return result


def face_verification(wiz: Wizard, result) -> None:
    """人脸认证, simulated: the relative (16 or over) verifies now or stays temporary."""
    answer = wiz.ask.select(
        t("wiz.bind.face.ask", name=result.binding.name),
        [(t("wiz.bind.face.yes"), True), (t("wiz.bind.face.later"), False)],
    )
    if answer is not True:
        return
    member = requests.MemberRequest(result.payer.id, result.binding.relative)
    binding = wiz.save(family_account.verify, member)
    result.binding = binding
    wizard.saved(wiz, "saved.verify", name=binding.name)
    family_account.show_verified(wiz.session, binding)


def _payer(flow: Flow):
    return flow.records.worker(flow.answers["payer"])


def _province(flow: Flow):
    return flow.wiz.policy.province_of(_payer(flow).region)


def _case(flow: Flow, **override: Any) -> rules.BindingCase:
    """The binding so far, for the rules a step can already judge."""
    so_far = {"relative": "", "name": "", "relation": "child", **flow.answers, **override}
    request = requests.build(requests.BindRequest, so_far, accepted=True)
    return family_account.binding_case(
        flow.records, flow.wiz.policy, payer=_payer(flow), request=request, today=flow.wiz.today
    )


def commitment_pages(flow: Flow, *, short: bool = False):
    """The letter as blocks (its title, then each paragraph) and the box that frames a
    page of them, so that a page ends between paragraphs, never inside one; `short` (a
    24-line screen): no blank lines."""
    from rich.console import Group
    from rich.panel import Panel

    province = _province(flow)
    body = t(
        "wiz.commitment.body",
        payer=_payer(flow).name,
        app=province.app if province else t("wiz.commitment.app"),
    )
    paragraphs = [line for line in body.split("\n") if line.strip()]
    # the title inside, where it wraps rather than being cut with "…"
    blocks: list[Any] = [ui.para(t("wiz.commitment.title"), "bold")]
    blocks += [ui.para(p) for p in paragraphs]
    if not short:
        from rich.text import Text

        blocks = [b for block in blocks for b in (block, Text(""))][:-1]

    def frame(chosen):
        return Panel(Group(*chosen), border_style="blue", padding=(0, 1) if short else (1, 2))

    return blocks, frame


def ask_commitment(flow: Flow) -> Any:
    wiz = flow.wiz
    # read a screenful at a time, before the question pushes it up the screen
    blocks, frame = commitment_pages(flow, short=wiz.out.height < 32)
    ui.paged(wiz.out, blocks, wiz.ask.pause, frame=frame)
    answer = wiz.ask.select(
        t("wiz.commitment.ask"),
        [(t("wiz.commitment.accept"), True), (t("wiz.commitment.decline"), False)],
        back=flow.back,
    )
    if answer is False:
        ui.problem(wiz.out, t("wiz.commitment.declined"))
        flow.answers["accepted"] = False
        return QUIT
    return answer


def parse_name(flow: Flow, raw: str) -> str:
    return requests.NAME.parse_text(flow.wiz.session, raw)


def ask_name(flow: Flow) -> Any:
    return flow.wiz.ask.text(
        t("wiz.bind.name.ask"),
        parse=lambda text: parse_name(flow, text),
        default=flow.answers.get("name", ""),
    )


def parse_id(flow: Flow, raw: str) -> str:
    """The relative's ID: its format (stdnum), then the binding rules the ID decides."""
    relative = people.new_relative_id(flow.records, raw, flow.wiz.today)
    case = _case(flow, relative=relative)
    for rule in (rules.not_self, rules.not_already_bound, rules.name_matches):
        result = rule(case)
        if result.failed:
            raise result.as_error()
    return relative


def ask_id(flow: Flow) -> Any:
    """Typed, never shown again in full: the answer line shows it masked, and going back
    here starts from an empty field rather than the whole ID. A relative's real ID may
    be typed here on a projector: its birth date is hidden as typed (as in own-family
    practice), Ctrl-R shows it to check each digit."""
    return flow.wiz.ask.text(
        t("wiz.bind.id.ask"), parse=lambda text: parse_id(flow, text), echo=mask, hidden=True
    )


def parse_relation(flow: Flow, raw: str) -> str:
    relation = requests.RELATION.parse_text(flow.wiz.session, raw)
    case = _case(flow, relation=relation)
    for rule in (rules.relation_allowed_to_bind, rules.relation_matches_ids):
        result = rule(case)
        if result.failed:
            raise result.as_error()
    return relation


def gap_unusual(flow: Flow) -> bool:
    """The IDs put the relative unusually close in age for the relation chosen."""
    if "relation" not in flow.answers:
        return False
    return rules.generation_gap_plausible(_case(flow, confirm_gap=False)).failed


def ask_gap(flow: Flow) -> Any:
    wiz = flow.wiz
    result = rules.generation_gap_plausible(_case(flow, confirm_gap=False))
    ui.warn(wiz.out, str(result.message))
    return wiz.ask.select(
        t("wiz.bind.gap.ask"),
        [(t("wiz.bind.gap.yes"), True), (t("wiz.bind.gap.no"), BACK)],
    )


def ask_relation(flow: Flow) -> Any:
    from famcov.domain.model import RELATIONS

    province = _province(flow)
    allowed = province.relations.value if province else RELATIONS
    if province is not None:
        ui.info(
            flow.out,
            t("wiz.bind.relation.policy", province=province.name, count=len(allowed)),
        )
    default = flow.answers.get("relation")
    while True:
        answer = flow.wiz.ask.select(
            t("wiz.bind.relation.ask", name=flow.answers["name"]),
            [(render.relation_name(r), r) for r in allowed],
            default=default,
            back=flow.back,
        )
        if answer is BACK:
            return answer
        # the ID's birth date must fit: a "parent" born after the worker is refused here
        result = rules.relation_matches_ids(_case(flow, relation=answer))
        if not result.failed:
            return answer
        ui.problem(flow.out, str(result.message))
        default = answer


def _minor(flow: Flow) -> bool:
    relative = flow.answers.get("relative")
    if not relative:
        return False
    return rules.member_status(_province(flow), relative, flow.wiz.today) == "full"


def proof_needed(flow: Flow) -> bool:
    """The province asks a proof of everyone, or the relative is under the face age."""
    province = _province(flow)
    return bool(province and province.proof_required.value) or _minor(flow)


def parse_proof(flow: Flow, raw: str) -> str:
    return requests.PROOF.parse_text(flow.wiz.session, raw)


def ask_proof(flow: Flow) -> Any:
    wiz = flow.wiz
    province = _province(flow)
    if _minor(flow) and province is not None:
        kinds = tuple(province.members.minor_proofs.value)
        ui.info(wiz.out, t("wiz.bind.proof.minor", age=province.members.face_age.value))
    else:
        kinds = PROOFS.get(flow.answers["relation"], ("hukou",))
        ui.info(wiz.out, t("wiz.bind.proof.why", province=province.name))
        if province is not None and province.proof_required.says:  # 示意: sources disagree
            ui.info(wiz.out, t("bureau.wiz.proof_illustrative"))
            ui.info(wiz.out, str(rules.sources_say(province.proof_required)))
    choices = [(t(f"wiz.proof.{k}"), k) for k in kinds]
    return wiz.ask.select(
        t("wiz.bind.proof.ask"), choices, default=flow.answers.get("proof"), back=flow.back
    )


def born_line(relative: str, today) -> str:
    """What the ID itself says (sex, age), to hold against the relation. Never the birth
    date: it is the eight digits the masked ID hides, shown right above this line."""
    born, sex = rules.birth_date(relative), rules.sex_of(relative)
    if born is None or sex is None:
        return "—"
    return t("wiz.bind.born", sex=t(f"sex.{sex}"), age=rules.age_on(relative, today))


def review_binding(flow: Flow) -> Any:
    from rich.panel import Panel
    from rich.table import Table

    wiz, a = flow.wiz, flow.answers
    payer = _payer(flow)
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column()
    rows = [
        (t("receipt.payer"), f"{payer.name}  {mask(payer.id)}"),
        (t("wiz.bind.field.name"), a["name"]),
        (t("wiz.bind.field.id"), mask(a["relative"])),
        (t("wiz.bind.field.born"), born_line(a["relative"], wiz.today)),
        (t("wiz.bind.field.relation"), render.relation_name(a["relation"])),
    ]
    if a.get("proof"):
        rows.append((t("wiz.bind.field.proof"), t(f"proof.{a['proof']}")))
    rows.append((t("rulename.COMMITMENT_REQUIRED"), t("wiz.bind.field.accepted")))
    for label, value in rows:
        grid.add_row(ui.esc(label), ui.esc(value))
    wiz.out.print(Panel(grid, title=f"[bold]{ui.esc(t('wiz.bind.review.title'))}[/]", expand=False))
    failures = [r for r in rules.BINDING_RULES(_case(flow)) if r.failed]
    if failures:
        from famcov.wizard.steps import print_checklist

        print_checklist(wiz, failures)
    choices: list[tuple[str, Any]] = []
    if not failures:
        choices.append((t("wiz.bind.review.submit"), True))
    if not flow.at_start:
        choices.append((t("wiz.back"), BACK))
    choices.append((t("wiz.bind.review.cancel"), QUIT))
    return wiz.ask.select(t("wiz.bind.review.ask"), choices)


def verify_member(wiz: Wizard):
    """人脸认证 (simulated) for a temporary member chosen from the payer's family."""
    from famcov.wizard.steps import member_title

    records = wiz.records()
    assert wiz.payer is not None  # the family menu has made sure of one
    temporary = [
        b for b in records.bindings_by_payer.get(wiz.payer, ()) if b.active and b.temporary
    ]
    if not temporary:
        ui.info(wiz.out, t("wiz.verify.none"))
        return None
    answer = wiz.ask.select(
        t("wiz.verify.ask"),
        [(member_title(records, wiz.policy, b), b.relative) for b in temporary],
        back=t("wiz.back.menu"),
    )
    if answer is BACK or answer is QUIT:
        return None
    binding = wiz.save(family_account.verify, requests.MemberRequest(wiz.payer, answer))
    wizard.saved(wiz, "saved.verify", name=binding.name)
    family_account.show_verified(wiz.session, binding)
    return binding


# -- unbind ------------------------------------------------------------------------


def unbind(wiz: Wizard, **given: Any):
    """The unbind flow; the ended Binding, or None when the person left it."""
    flow = Flow(wiz, "wiz.unbind.title", UNBIND_STAGES, given=given)
    steps = [
        payer_step(None),
        Step("relative", 1, ask_member, parse_member, "explain.unbind.member"),
        Step("confirm", 2, confirm_unbind, None, "explain.unbind.confirm"),
    ]
    if not flow.run(steps):
        ui.warn(wiz.out, t("wiz.unbind.cancelled"))
        return None
    unbound = wiz.save(family_account.unbind, requests.build(requests.MemberRequest, flow.answers))
    wizard.saved(wiz, "saved.unbind", name=unbound.binding.name)
    family_account.show_unbound(wiz.session, unbound)
    return unbound.binding


def _members(flow: Flow):
    payer = flow.answers["payer"]
    return [b for b in flow.records.bindings_by_payer.get(payer, ()) if b.active]


def ask_member(flow: Flow) -> Any:
    from famcov.wizard.steps import member_title

    members = _members(flow)
    if not members:
        ui.warn(flow.out, t("family.empty"))
        return QUIT
    return flow.wiz.ask.select(
        t("wiz.unbind.ask"),
        [(member_title(flow.records, flow.wiz.policy, b), b.relative) for b in members],
        back=flow.back,
    )


def parse_member(flow: Flow, raw: str) -> str:
    relative = people.find_relative(flow.records, flow.answers["payer"], raw, flow.wiz.today)
    ruling = rules.member_bound(flow.records, flow.answers["payer"], relative)
    if ruling.failed:
        raise ruling.as_error()
    return relative


def confirm_unbind(flow: Flow) -> Any:
    binding = flow.records.active_binding(flow.answers["payer"], flow.answers["relative"])
    ui.warn(
        flow.out,
        t(
            "wiz.unbind.warning",
            name=binding.name,
            id=mask(binding.relative),
            relation=render.relation_name(binding.relation),
        ),
    )
    choices: list[tuple[str, Any]] = [(t("wiz.unbind.submit"), True)]
    if not flow.at_start:
        choices.append((t("wiz.back"), BACK))
    choices.append((t("wiz.unbind.keep"), QUIT))
    return flow.wiz.ask.select(t("wiz.unbind.confirm"), choices)
