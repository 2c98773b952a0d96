"""The chosen channel's own words in the wizard: where a step is done and what its screen says."""

from __future__ import annotations

from famcov.i18n import lang, t


def say(wiz, text: str) -> None:
    """A line of channel text, escaped for rich."""
    from rich.markup import escape

    wiz.out.print(escape(text))


def channel_banner(wiz, actions: tuple[str, ...]):
    """With --channel: the channel's menus and words for `actions`, before the steps.
    The channel pack, or None when no channel was chosen."""
    channel = current(wiz)
    if channel is None:
        return None
    for action in actions:
        show_step(wiz, channel, action)
    return channel


def show_step(wiz, channel, action: str) -> None:
    """Where `action` is done in `channel`, and what its screen says (nothing if the
    channel has no such step)."""
    step = channel.step(action) if channel is not None else None
    if step is None:
        return
    from famcov.wizard import ui

    where = channel.where(action, lang())
    # `[Pay] app: menu → item`, a long path folded under its text, not at column 0
    mark = t("channel.wiz.step", action=t(f"channel.action.{action}"))
    ui.indented(wiz.out, ui.esc(mark), where)
    if step.words is not None:  # folded lines keep the indent
        ui.indented(wiz.out, "", step.words(lang()))
    if action == "pay" and channel.method is not None:  # 支付方式: on every pay screen
        from famcov.output.screen import hanging

        hanging(wiz.out, t("bureau.wiz.method", method=channel.method(lang())))


def channel_help(wiz) -> None:
    """After a refused payment: where to ask for help (the 12393 hotline), and not to pay
    the same premium again elsewhere."""
    say(wiz, t("channel.help.pay"))


def current(wiz):
    """The channel the wizard walks: --channel, else the one the state remembers (chosen on
    the first run or from the home menu); None: the province's usual steps."""
    cid = wiz.session.channel
    if cid is None:
        if not wiz.session.store.exists():
            return None
        remembered = wiz.records().state.channel
        cid = remembered if isinstance(remembered, str) else None
    return wiz.policy.channel_packs.get(cid) if cid else None


def walked(wiz):
    """The channel whose order the home menu follows: the chosen one, else the usual one
    of the province (the one the header names), so that a Hubei worker who chose
    nothing pays first and claims afterwards, as the header says."""
    channel = current(wiz)
    if channel is not None:
        return channel
    province = current_province(wiz)
    offered = wiz.policy.channels(province) if province is not None else []
    return offered[0] if offered else None


def current_province(wiz):
    """The province chosen (the state's), else the payer's own, else None."""
    if not wiz.session.store.exists():
        return None
    records = wiz.records()
    chosen = records.state.province
    if isinstance(chosen, str):
        found = next((p for p in wiz.policy.provinces if p.code == chosen), None)
        if found is not None:
            return found
    worker = records.worker(wiz.payer) if wiz.payer else None
    if worker is None and records.state.workers:
        worker = records.state.workers[0]
    return wiz.policy.province_of(worker.region) if worker is not None else None


def header(wiz) -> str:
    """`四川省 · 四川医保APP`: the province and channel the wizard walks."""
    from famcov.output.render import text

    province, channel = current_province(wiz), walked(wiz)
    return t(
        "channel.wiz.header",
        province=text(province.name) if province is not None else "—",
        channel=channel.name(lang()) if channel is not None else "—",
    )


def choose(wiz, *, first: bool = False, province: str | None = None) -> bool:
    """Ask the province, then one of its channels, and remember both in the state.
    False when the person went back without choosing. With `province` (known already:
    own-family practice asked it with the city, under its own step header) only the
    channel is asked."""
    from famcov.features import tax_return
    from famcov.output.render import text
    from famcov.wizard import ui
    from famcov.wizard.ui import BACK

    if province is None:
        ui.step_header(wiz.out, title="famcov", stage=None, total=0, name=t("channel.wiz.title"))
    wiz.explain("explain.channel.choose")
    now_province = current_province(wiz)
    provinces = list(wiz.policy.provinces)
    while True:
        picked = province or wiz.ask.select(
            t("channel.wiz.province.ask"),
            [(text(p.name), p.code) for p in provinces],
            default=now_province.code if now_province is not None else None,
            back=None if first else t("wiz.back.menu"),
        )
        if picked is BACK:
            return False
        chosen = next(p for p in provinces if p.code == picked)
        offered = wiz.policy.channels(chosen)
        now = current(wiz)
        default = now.id if now is not None and now in offered else offered[0].id
        channel = wiz.ask.select(
            t("channel.wiz.channel.ask", province=text(chosen.name)),
            [
                (c.name(lang()) + (t("channel.mark") if c.illustrative else ""), c.id)
                for c in offered
            ],
            default=default,
            back=None if province else t("wiz.back"),
        )
        if channel is not BACK:
            break
    with wiz.session.store.transaction() as records:
        tax_return.choose_channel(records, wiz.policy, province=chosen.code, channel=channel)
    from famcov import wizard as flows

    flows.saved(wiz, "saved.channel")
    wiz.session.channel = None  # the remembered one from now on
    ui.done(wiz.out, t("channel.wiz.chosen", where=header(wiz)))
    return True


def checklist(wiz) -> None:
    """窗口办理: what to bring to a counter, a self-service machine, a community or
    village collection point or a school (the counter pack's list)."""
    from famcov.wizard import ui

    pack = wiz.policy.channel_of(kind="counter")
    if pack is None:
        return
    ui.step_header(wiz.out, title="famcov", stage=None, total=0, name=t("channel.wiz.counter"))
    say(wiz, pack.name(lang()))
    for step in pack.steps:
        if step.words is not None:
            say(wiz, "  " + step.words(lang()))
    say(wiz, t("channel.wiz.bring"))
    for n, item in enumerate(pack.bring, start=1):
        say(wiz, f"  {n}. {item(lang())}")
    if pack.illustrative:
        say(wiz, t("channel.wiz.illustrative"))
    say(wiz, pack.help(lang()) if pack.help is not None else t("channel.help"))
    wiz.ask.pause()
