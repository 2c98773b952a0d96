"""The worker's side, as the app's flow: 亲情账户 (bind, verify, unbind, family),
代缴 (check, pay), 查询/退费 (payments, receipt, revoke, account), the other channels
(pay-tax, claim-return) and the policy — one thin function a command: flags →
request → the feature's use case in one transaction → its view or JSON.
"""

# No `from __future__ import annotations` here: typer reads the annotations of
# every command at every start, and as strings each one costs a compile (~5 ms).

from typing import Annotated

import typer

from famcov import completion, people, requests, values
from famcov.cli.app import (
    AcceptNoCover,
    Opt,
    Payer,
    ReceiptNo,
    Relative,
    Texts,
    Year,
    Yes,
    _asked_or_given,
    _s,
    _wizard,
    app,
    takes,
)
from famcov.domain.records import Records
from famcov.session import Session


@app.command()
@takes(requests.BINDING)
def bind(
    s: Session,
    texts: Texts,
    accept: Annotated[bool, Opt("--accept-commitment", help="Accept 《个人承诺书》.")] = False,
    confirm_gap: Annotated[
        bool, Opt("--confirm-gap", help="The unusual age gap the IDs show is right.")
    ] = False,
) -> None:
    """亲情账户 → 添加家庭成员: bind a relative to the worker's account."""
    from famcov.features import family_account

    asked = ("payer", "relative", "name", "relation")
    if s.can_prompt and (any(texts[key] is None for key in asked) or not accept):
        return _wizard(s, "bind", **texts, accepted=accept, confirm_gap=confirm_gap)
    given = texts.required(s, "proof")
    result = given.commit(family_account.bind, accepted=accept, confirm_gap=confirm_gap)
    family_account.show_bound(s, result)


@app.command()
@takes(requests.MEMBER)
def verify(s: Session, texts: Texts) -> None:
    """人脸认证 (simulated): a temporary member becomes a full member."""
    from famcov.features import family_account

    family_account.show_verified(s, texts.required(s).commit(family_account.verify))


@app.command()
@takes(requests.MEMBER)
def unbind(s: Session, texts: Texts, yes: Yes = False) -> None:
    """解除绑定: end a binding (its history is kept)."""
    from famcov.features import family_account

    given = _asked_or_given(s, "unbind", texts, yes)
    family_account.show_unbound(s, given.commit(family_account.unbind))


@app.command()
def family(ctx: typer.Context, payer: Payer = None) -> None:
    """Bound members and binding history."""
    from famcov.features import family_account

    s = _s(ctx)
    records, payer_id = _worker(s, payer)
    family_account.show_family(s, records, family_account.family(records, payer_id=payer_id))


@app.command()
@takes(requests.PAYMENT)
def check(s: Session, texts: Texts, accept_no_cover: AcceptNoCover = False) -> None:
    """代缴信息校验: every rule, passed or not."""
    from famcov.features import proxy_payment

    given = texts.required(s, "tier")
    records = s.store.records()
    result = proxy_payment.check(
        records, s.policy, s.today, given.request(records, accept_no_cover=accept_no_cover)
    )
    proxy_payment.show_checked(s, result)
    if not result.passed:
        raise typer.Exit(1)


@app.command()
@takes(requests.PAYMENT)
def pay(s: Session, texts: Texts, yes: Yes = False, accept_no_cover: AcceptNoCover = False) -> None:
    """个人账户代缴申请 → 提交: pay a relative's premium from the account."""
    from famcov.features import lookup, proxy_payment

    given = _asked_or_given(s, "pay", texts, yes, accept_no_cover=accept_no_cover)
    payment = given.commit(proxy_payment.pay, accept_no_cover=accept_no_cover, channel=s.channel)
    lookup.show_receipt(s, payment, fresh=True)


@app.command()
def payments(
    ctx: typer.Context,
    payer: Payer = None,
    relative: Relative = None,
    year: Year = None,
) -> None:
    """代缴信息查询: proxy payments, tax-channel payments and returns, newest last."""
    from famcov.features import lookup

    s = _s(ctx)
    year_ = values.year(year) if year is not None else None
    records = s.store.records()
    payer_id = people.find_payer(records, payer, s.today) if payer is not None else None
    relative_id = (
        people.find_relative(records, payer_id, relative, s.today) if relative is not None else None
    )

    found = lookup.entries(records, payer=payer_id, relative=relative_id, year=year_)
    lookup.show_payments(s, found)


@app.command("receipt")
def receipt_(
    ctx: typer.Context,
    no: ReceiptNo = None,
    export: Annotated[
        str | None, Opt("--export", help="Save the receipt as FILE.svg or FILE.html.")
    ] = None,
) -> None:
    """Show a receipt again."""
    from famcov.features import lookup

    s = _s(ctx)
    (no,) = s.require(NO=no)
    if export is not None:
        from famcov import export as exporting

        file = exporting.target(export)  # a bad name is refused before the state is read
        records = s.store.records()
        data = lookup.any_receipt_json(s, lookup.receipt(records, no))
        exporting.write(file, exporting.document(data, file.suffix.lower()), session=s)
        lookup.show_receipt_exported(s, data, file)
        return
    records = s.store.records()
    lookup.show_receipt(s, lookup.receipt(records, no), fresh=False)


@app.command()
@takes(requests.REVOCATION)
def revoke(s: Session, texts: Texts, yes: Yes = False) -> None:
    """撤销 / 退费: revoke a proxy payment; the money returns to the account."""
    from famcov.features import revocation

    given = _asked_or_given(s, "revoke", texts, yes)
    revocation.show_revoked(s, given.commit(revocation.revoke))


@app.command()
def account(ctx: typer.Context, payer: Payer = None) -> None:
    """个人账户明细: balance and ledger."""
    from famcov.features import lookup

    s = _s(ctx)
    records, payer_id = _worker(s, payer)
    lookup.show_account(s, lookup.account(records, payer_id=payer_id))


def _worker(s: Session, payer: str | None) -> tuple[Records, str]:
    """The records, read, and the worker that --payer (required) names in them."""
    (payer,) = s.require(payer=payer)
    records = s.store.records()
    return records, people.find_payer(records, payer, s.today)


@app.command("pay-tax")
@takes(requests.TAX_PAYMENT)
def pay_tax(
    s: Session, texts: Texts, yes: Yes = False, accept_no_cover: AcceptNoCover = False
) -> None:
    """城市服务 → 社保 → 自然人缴纳社保费 (是否代缴): pay a relative's premium with your own money."""
    from famcov.features import tax_return

    given = _asked_or_given(s, "pay_tax", texts, yes, accept_no_cover=accept_no_cover)
    paid = given.commit(tax_return.pay_by_tax, accept_no_cover=accept_no_cover)
    tax_return.show_paid_by_tax(s, paid)


@app.command("claim-return")
@takes(requests.RETURN)
def claim_return(s: Session, texts: Texts, yes: Yes = False) -> None:
    """先缴后返 → 返还申请: return a premium paid through the tax channel out of the account."""
    from famcov.features import tax_return

    given = _asked_or_given(s, "claim_return", texts, yes)
    tax_return.show_returned(s, given.commit(tax_return.claim_return))


@app.command()
def policy(
    ctx: typer.Context,
    province: Annotated[
        str | None,
        Opt(
            "--province",
            autocompletion=completion.provinces,
            help="Code or name: 51, 四川, Sichuan.",
        ),
    ] = None,
    year: Year = None,
) -> None:
    """Regions, relations, windows, tiers and amounts, each with its source."""
    from famcov.features import policy_info

    s = _s(ctx)
    year_ = values.year(year) if year is not None else None
    chosen = (
        [s.policy.find_province(province)] if province is not None else list(s.policy.provinces)
    )
    if s.json:
        policy_info.show_policy(s, chosen, year_)
        return
    from famcov.output import render, screen

    def draw(out) -> None:
        policy_info.show_policy(s, chosen, year_, out=out)

    screen.on_terminal_pages(s, render.console(), draw)
