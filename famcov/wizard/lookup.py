"""查询/退费 and 个人账户: payments, receipts, revocation, the account ledger, the policy.

The tables are the features' views, the same a script gets from `famcov payments`,
`famcov account` and `famcov policy`; the revoke flow ends in `revocation.revoke`.
"""

from __future__ import annotations

from typing import Any

from famcov import requests, wizard
from famcov.domain.ids import mask
from famcov.domain.money import yuan
from famcov.features import family_account, lookup, policy_info, revocation
from famcov.i18n import t
from famcov.output import render
from famcov.wizard import ui
from famcov.wizard.flow import Flow, Step, Wizard, new, payer_step
from famcov.wizard.ui import BACK, QUIT

REVOKE_STAGES = {
    1: "wiz.revoke.stage.payment",
    2: "wiz.revoke.stage.reason",
    3: "wiz.revoke.stage.confirm",
}


def payment_title(policy, p) -> str:
    return _choice(policy, p, p.paid_on, p.year, p.region, t(f"status.{p.status}"))


def _choice(policy, record, on, year: int, region: str | None, status: str) -> str:
    """A numbered record as one line of a choice (a proxy payment, a return)."""
    return t(
        "wiz.payment.choice",
        no=record.no,
        date=on.isoformat(),
        name=record.relative_name,
        id=mask(record.relative),
        year=year,
        region=render.region_name(policy, region) if region else "",
        amount=yuan(record.amount),
        status=status,
    )


# -- revoke ------------------------------------------------------------------------


def run_revoke(session, **given: Any) -> int:
    return 0 if revoke(new(session), **given) is not None else 1


def revoke(wiz: Wizard, **given: Any):
    """The revoke flow; the revoked Payment, or None when the person left it."""
    flow = Flow(wiz, "wiz.revoke.title", REVOKE_STAGES, given=given)
    if "no" in flow.given:
        flow.given.pop("payer", None)
    steps = [
        payer_step(None, when=lambda f: "no" not in f.given),
        Step("no", 1, ask_payment, parse_no, "explain.revoke.payment"),
        Step("reason", 2, ask_reason, parse_reason, "explain.revoke.reason"),
        Step("confirm", 3, confirm_revoke, None, "explain.revoke.confirm"),
    ]
    if not flow.run(steps):
        ui.warn(wiz.out, t("wiz.revoke.cancelled"))
        return None
    revoked = wiz.save(revocation.revoke, requests.build(requests.RevokeRequest, flow.answers))
    wizard.saved(wiz, "saved.revoke", no=revoked.payment.no)
    revocation.show_revoked(wiz.session, revoked)
    return revoked.payment


def ask_payment(flow: Flow) -> Any:
    paid = [
        p
        for p in lookup.find_payments(flow.records, payer=flow.answers.get("payer"))
        if p.status == "paid"
    ]
    if not paid:
        ui.warn(flow.out, t("wiz.revoke.none"))
        return QUIT
    default = flow.answers.get("no")
    while True:
        answer = flow.wiz.ask.select(
            t("wiz.revoke.ask"),
            [(payment_title(flow.wiz.policy, p), p.no) for p in reversed(paid)],
            default=default,
            back=flow.back,
        )
        if answer is BACK or answer is QUIT:
            return answer
        failures = revocation_failures(flow, flow.records.payments_by_no[answer])
        if not failures:
            return answer
        # the bureau's conditions (window, reconciliation, payer's benefits, hours): shown, not paid back
        from famcov.wizard.steps import print_checklist

        print_checklist(flow.wiz, failures)
        default = answer


def revocation_failures(flow: Flow, payment) -> list:
    return revocation.revocation_failures(flow.records, flow.wiz.policy, flow.wiz.today, payment)


def parse_no(flow: Flow, raw: str) -> str:
    payment = lookup.proxy_receipt(flow.records, requests.RECEIPT.parse_text(flow.wiz.session, raw))
    refused = revocation.revocation_refusal(flow.records, flow.wiz.policy, flow.wiz.today, payment)
    if refused is not None:
        raise refused
    return payment.no


def ask_reason(flow: Flow) -> Any:
    from famcov.domain.model import REVOKE_REASONS

    return flow.wiz.ask.select(
        t("wiz.revoke.reason.ask"),
        [(t(f"reason.{r}"), r) for r in REVOKE_REASONS],
        default=flow.answers.get("reason"),
        back=flow.back,
    )


def parse_reason(flow: Flow, raw: str) -> str:
    return requests.REASON.parse_text(flow.wiz.session, raw)


def confirm_revoke(flow: Flow) -> Any:
    from rich.panel import Panel
    from rich.table import Table

    wiz = flow.wiz
    p = flow.records.payments_by_no[flow.answers["no"]]
    worker = flow.records.worker(p.payer)
    balance = worker.balance if worker else 0
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column()
    for key, value in (
        ("receipt.no", p.no),
        ("receipt.payer", f"{p.payer_name}  {mask(p.payer)}"),
        ("receipt.relative", f"{p.relative_name}  {mask(p.relative)}"),
        ("receipt.year", str(p.year)),
        ("receipt.amount", f"¥{yuan(p.amount)}"),
        ("receipt.balance", f"¥{yuan(balance)} → ¥{yuan(balance + p.amount)}"),
        ("wiz.revoke.field.reason", t(f"reason.{flow.answers['reason']}")),
    ):
        grid.add_row(ui.esc(t(key)), ui.esc(value))
    wiz.out.print(
        Panel(grid, title=f"[bold]{ui.esc(t('wiz.revoke.review.title'))}[/]", expand=False)
    )
    ui.warn(wiz.out, t("wiz.revoke.warning", year=p.year, name=p.relative_name))
    ui.info(wiz.out, t("note.revoke_unseen"))
    choices: list[tuple[str, Any]] = [(t("wiz.revoke.submit"), True)]
    if not flow.at_start:
        choices.append((t("wiz.back"), BACK))
    choices.append((t("wiz.revoke.keep"), QUIT))
    return wiz.ask.select(t("wiz.revoke.confirm"), choices)


# -- views (home menu) ---------------------------------------------------------------


def show_payments(wiz: Wizard) -> None:
    """代缴信息查询: proxy payments, tax-channel payments and returns, then their receipts
    to open from the list; the trainee stays in the wizard (no command to type)."""
    from famcov.features import lookup

    found = lookup.entries(wiz.records(), payer=wiz.payer)
    lookup.show_payments(wiz.session, found, hint=False)
    if not any(e.no for e in found):
        wiz.ask.pause()  # read before the menu comes back
        return
    browse_receipts(wiz, found)


def show_receipt(wiz: Wizard) -> None:
    from famcov.features import lookup

    found = lookup.entries(wiz.records(), payer=wiz.payer)
    if not any(e.no for e in found):
        ui.info(wiz.out, t("payments.none_any"))
        return
    browse_receipts(wiz, found)


def entry_title(policy, entry) -> str:
    """A numbered record as a choice: a proxy payment as before, a return by its kind."""
    if entry.kind == "proxy":
        return payment_title(policy, entry.record)
    r = entry.record
    return _choice(policy, r, r.returned_on, r.paid.year, r.region, t("kind.return"))


def browse_receipts(wiz: Wizard, found: list) -> None:
    """The numbered records, newest first; each opens its receipt and comes back here,
    until 返回 takes the trainee back to the menu."""
    from famcov.features import lookup

    numbered = [e for e in found if e.no]
    default = None
    while True:
        no = wiz.ask.select(
            t("wiz.receipt.ask"),
            [(entry_title(wiz.policy, e), e.no) for e in reversed(numbered)],
            default=default,
            back=t("wiz.back"),
        )
        if no is BACK or no is QUIT:
            return
        receipt_screen(wiz, lookup.receipt(wiz.records(), no), fresh=False)
        default = no


def receipt_screen(wiz: Wizard, payment, *, fresh: bool) -> None:
    """A receipt in the wizard, laid out for a 24-line screen: the notes first, then the
    panel with its number, amount and balance last, where the eye is when the wizard
    waits for Enter before the next screen. `payment`: a proxy payment, or a return."""
    from famcov.features import lookup

    data = lookup.any_receipt_json(wiz.session, payment)
    if fresh:
        wiz.explain("explain.pay.receipt")
    notes = list(data["notes"])
    # a fresh receipt's first note (do not pay again elsewhere) goes under the panel,
    # by the Enter prompt: above it, the panel would push it off a 24-line screen
    warning = notes.pop(0) if fresh and notes and data["status"] == "paid" else None
    blocks = [ui.indented_grid("[dim]•[/]", note, "dim") for note in notes]
    if warning is not None:  # paid just now: said first, the notes after it
        said = t("wiz.pay.submitted", no=data["no"], amount=data["amount"])
        blocks.insert(0, ui.indented_grid("[green]✓[/]", said))
    panel = lookup.receipt_panel(data, fresh=fresh, with_notes=False)
    if warning is not None:  # on the panel's page, by the Enter prompt
        from rich.console import Group

        panel = Group(panel, ui.indented_grid("[yellow]![/]", warning))
    blocks.append(panel)
    # taller than the screen (English at 80x24): a page at a time, each read before
    # the next, so no note scrolls away above the panel unread
    ui.paged(wiz.out, blocks, wiz.ask.pause, last=wiz.home)


def show_account(wiz: Wizard) -> None:
    assert wiz.payer is not None  # the home screen has made sure of one
    wiz.explain("explain.account")
    lookup.show_account(wiz.session, lookup.account(wiz.records(), payer_id=wiz.payer))
    wiz.ask.pause()


def show_family(wiz: Wizard) -> None:
    assert wiz.payer is not None  # the family menu has made sure of one
    records = wiz.records()
    family_account.show_family(
        wiz.session, records, family_account.family(records, payer_id=wiz.payer)
    )
    wiz.ask.pause()


def browse_policy(wiz: Wizard) -> None:
    """政策: a province, then one year or all; the same tables as `famcov policy`."""
    wiz.explain("explain.policy")
    policy = wiz.policy
    records = wiz.records()
    payer = records.worker(wiz.payer) if wiz.payer else None
    home = policy.province_of(payer.region) if payer else None
    province_code = home.code if home else None
    while True:
        province_code = wiz.ask.select(
            t("wiz.policy.province"),
            [(f"{render.text(p.name)} ({p.code})", p.code) for p in policy.provinces],
            default=province_code,
            back=t("wiz.back.menu"),
        )
        if province_code is BACK:
            return
        province = policy.find_province(province_code)
        year = wiz.ask.select(
            t("wiz.policy.year"),
            [(t("wiz.policy.all_years"), 0)] + [(str(y.year), y.year) for y in province.years],
            default=policy.default_year(province.regions[0].code, wiz.today)
            if province.regions
            else 0,
            back=t("wiz.back"),
        )
        if year is BACK:
            continue
        shown, chosen = [province], year or None
        page(
            wiz, lambda out, p=shown, y=chosen: policy_info.show_policy(wiz.session, p, y, out=out)
        )


def page(wiz: Wizard, draw) -> None:
    """A long view a screenful at a time (按回车继续 between): on a 24-line projector the
    top of 政策 → 四川 → 2027 would scroll away before it is read. `draw(out)` prints
    the view on the console it is given."""
    out = wiz.out
    with out.capture() as captured:
        draw(out)
    lines = captured.get().splitlines()
    size = max((out.size.height or 24) - 3, 5)  # room for the Enter prompt
    for start in range(0, len(lines), size):
        out.file.write("\n".join(lines[start : start + size]) + "\n")
        out.file.flush()
        wiz.ask.pause()
