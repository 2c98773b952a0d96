"""The chosen channel's own words in the wizard: where a step is done and what its screen says."""

from __future__ import annotations

from famcov.i18n import lang, t


def _print(wiz, text: str) -> None:
    from rich.markup import escape

    wiz.out.print(escape(text))


def channel_banner(wiz, actions: tuple[str, ...]):
    """With --channel: the channel's menus and words for `actions`, before the steps.
    The channel pack, or None when no channel was chosen."""
    if wiz.session.channel is None:
        return None
    channel = wiz.policy.channel_packs[wiz.session.channel]
    for action in actions:
        step = channel.step(action)
        if step is None:
            continue
        where = channel.where(action, lang())
        _print(wiz, t("channel.wiz.step", action=t(f"channel.action.{action}"), where=where))
        if step.words is not None:
            _print(wiz, "  " + step.words(lang()))
    return channel


def channel_help(wiz) -> None:
    """After a refusal: where to ask for help (the 12393 hotline)."""
    _print(wiz, t("channel.help"))
