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
    Name,
    Opt,
    Payer,
    ReceiptNo,
    Region,
    Relative,
    Tier,
    Year,
    Yes,
    _asked_or_given,
    _s,
    _wizard,
    app,
)


@app.command()
def bind(
    ctx: typer.Context,
    payer: Payer = None,
    relative: Relative = None,
    name: Name = None,
    relation: Annotated[
        str | None,
        Opt(
            "--relation", autocompletion=completion.relations, help="child, 子女, parent, 父母, ..."
        ),
    ] = None,
    proof: Annotated[
        str | None,
        Opt("--proof", autocompletion=completion.proofs, help="Relation proof, e.g. 户口本."),
    ] = None,
    accept: Annotated[bool, Opt("--accept-commitment", help="Accept 《个人承诺书》.")] = False,
    confirm_gap: Annotated[
        bool, Opt("--confirm-gap", help="The unusual age gap the IDs show is right.")
    ] = False,
) -> None:
    """亲情账户 → 添加家庭成员: bind a relative to the worker's account."""
    from famcov.features import family_account

    s = _s(ctx)
    texts = dict(payer=payer, relative=relative, name=name, relation=relation, proof=proof)
    if s.can_prompt and (None in (payer, relative, name, relation) or not accept):
        return _wizard(s, "bind", **texts, accepted=accept, confirm_gap=confirm_gap)
    given = requests.BINDING.given(s, **texts)
    given.require("proof")
    with s.store.transaction() as records:
        request = given.request(
            requests.BindRequest, records, accepted=accept, confirm_gap=confirm_gap
        )
        result = family_account.bind(records, s.policy, s.today, request)
    family_account.show_bound(s, result)


@app.command()
def verify(
    ctx: typer.Context,
    payer: Payer = None,
    relative: Relative = None,
) -> None:
    """人脸认证 (simulated): a temporary member becomes a full member."""
    from famcov.features import family_account

    s = _s(ctx)
    given = requests.MEMBER.given(s, payer=payer, relative=relative)
    given.require()
    with s.store.transaction() as records:
        request = given.request(requests.MemberRequest, records)
        binding = family_account.verify(records, s.today, request)
    family_account.show_verified(s, binding)


@app.command()
def unbind(
    ctx: typer.Context,
    payer: Payer = None,
    relative: Relative = None,
    yes: Yes = False,
) -> None:
    """解除绑定: end a binding (its history is kept)."""
    from famcov.features import family_account

    s = _s(ctx)
    given = _asked_or_given(s, "unbind", requests.MEMBER, yes, dict(payer=payer, relative=relative))
    with s.store.transaction() as records:
        unbound = family_account.unbind(
            records, s.today, given.request(requests.MemberRequest, records)
        )
    family_account.show_unbound(s, unbound)


@app.command()
def family(
    ctx: typer.Context,
    payer: Payer = None,
) -> None:
    """Bound members and binding history."""
    from famcov.features import family_account

    s = _s(ctx)
    (payer,) = s.require(payer=payer)
    records = s.store.records()
    result = family_account.family(records, payer_id=people.find_payer(records, payer, s.today))
    family_account.show_family(s, records, result)


@app.command()
def check(
    ctx: typer.Context,
    payer: Payer = None,
    relative: Relative = None,
    region: Region = None,
    year: Year = None,
    tier: Tier = None,
    accept_no_cover: AcceptNoCover = False,
) -> None:
    """代缴信息校验: every rule, passed or not."""
    from famcov.features import proxy_payment

    s = _s(ctx)
    given = requests.PAYMENT.given(
        s, payer=payer, relative=relative, region=region, year=year, tier=tier
    )
    given.require("tier")
    records = s.store.records()
    request = given.request(requests.PaymentRequest, records, accept_no_cover=accept_no_cover)
    result = proxy_payment.check(records, s.policy, s.today, request)
    proxy_payment.show_checked(s, result)
    if not result.passed:
        raise typer.Exit(1)


@app.command()
def pay(
    ctx: typer.Context,
    payer: Payer = None,
    relative: Relative = None,
    region: Region = None,
    year: Year = None,
    tier: Tier = None,
    yes: Yes = False,
    accept_no_cover: AcceptNoCover = False,
) -> None:
    """个人账户代缴申请 → 提交: pay a relative's premium from the account."""
    from famcov.features import lookup, proxy_payment

    s = _s(ctx)
    texts = dict(payer=payer, relative=relative, region=region, year=year, tier=tier)
    given = _asked_or_given(s, "pay", requests.PAYMENT, yes, texts, accept_no_cover=accept_no_cover)
    with s.store.transaction() as records:
        request = given.request(
            requests.PaymentRequest, records, accept_no_cover=accept_no_cover, channel=s.channel
        )
        payment = proxy_payment.pay(records, s.policy, s.today, request)
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
def revoke(
    ctx: typer.Context,
    no: ReceiptNo = None,
    reason: Annotated[
        str | None,
        Opt("--reason", autocompletion=completion.reasons, help="duplicate, moved or other."),
    ] = None,
    yes: Yes = False,
) -> None:
    """撤销 / 退费: revoke a proxy payment; the money returns to the account."""
    from famcov.features import revocation

    s = _s(ctx)
    given = _asked_or_given(s, "revoke", requests.REVOCATION, yes, dict(no=no, reason=reason))
    with s.store.transaction() as records:
        revoked = revocation.revoke(
            records, s.policy, s.today, given.request(requests.RevokeRequest, records)
        )
    revocation.show_revoked(s, revoked)


@app.command()
def account(
    ctx: typer.Context,
    payer: Payer = None,
) -> None:
    """个人账户明细: balance and ledger."""
    from famcov.features import lookup

    s = _s(ctx)
    (payer,) = s.require(payer=payer)
    records = s.store.records()
    lookup.show_account(
        s, lookup.account(records, payer_id=people.find_payer(records, payer, s.today))
    )


@app.command("pay-tax")
def pay_tax(
    ctx: typer.Context,
    payer: Payer = None,
    relative: Relative = None,
    region: Region = None,
    year: Year = None,
    tier: Tier = None,
    yes: Yes = False,
) -> None:
    """城市服务 → 社保 → 自然人缴纳社保费 (是否代缴): pay a relative's premium with your own money."""
    from famcov.features import tax_return

    s = _s(ctx)
    texts = dict(payer=payer, relative=relative, region=region, year=year, tier=tier)
    given = _asked_or_given(s, "pay_tax", requests.TAX_PAYMENT, yes, texts)
    with s.store.transaction() as records:
        request = given.request(requests.PaymentRequest, records)
        paid = tax_return.pay_by_tax(records, s.policy, s.today, request)
    tax_return.show_paid_by_tax(s, paid)


@app.command("claim-return")
def claim_return(
    ctx: typer.Context,
    payer: Payer = None,
    relative: Relative = None,
    year: Year = None,
    yes: Yes = False,
) -> None:
    """先缴后返 → 返还申请: return a premium paid through the tax channel out of the account."""
    from famcov.features import tax_return

    s = _s(ctx)
    texts = dict(payer=payer, relative=relative, year=year)
    given = _asked_or_given(s, "claim_return", requests.RETURN, yes, texts)
    with s.store.transaction() as records:
        request = given.request(requests.ReturnRequest, records)
        result = tax_return.claim_return(records, s.policy, s.today, request)
    tax_return.show_returned(s, result)


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
