"""Channel packs: what a worker uses to pay (an app, a mini program, the tax channel, a
counter), loaded from data/channels/ like the policy packs (see data/channels/FORMAT.md).

A channel gives its name, its steps in order with the words on its screens, what it
asks for, where the money comes from and what it offers afterwards. Rules, records and
the state file are shared by every channel; a channel only changes the words and the
order a worker meets them in.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Literal

import msgspec

from famcov.domain.policy import Pack, Text
from famcov.errors import FamcovError

Action = Literal["bind", "check", "pay", "query", "revoke", "unbind", "return", "bring"]
Kind = Literal["proxy-app", "tax", "two-app", "return", "counter"]
# where the money comes from: the personal account, the payer's own money (the tax
# channel's 是否代缴), or own money first and the account afterwards (Hubei)
Funds = Literal["personal-account", "pay-then-return", "own-money"]
Offer = Literal["query", "revoke", "unbind", "return"]
# A channel's id: lower-case words joined by hyphens (sichuan-app, tax-city-service).
ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"


class Asks(Pack):
    commitment: bool = False
    relation_proof: bool = False
    face: bool = False


class Step(Pack):
    action: Action
    path: list[Text]
    words: Text | None = None
    app: Text | None = None

    def menu(self, lang: str) -> str:
        """The menus in order, as a worker taps them: 服务 → 个人账户代缴申请."""
        return " → ".join(p(lang) for p in self.path)

    def located(self, lang: str) -> str:
        """Where the step is done: its app then its menus (云南税务APP：社保缴费 → …), or
        the menus alone where the app is the channel's own."""
        return _at(self.app(lang), self.menu(lang), lang) if self.app else self.menu(lang)


def _at(app: str, menu: str, lang: str) -> str:
    return f"{app}：{menu}" if lang == "zh" else f"{app}: {menu}"


class Channel(Pack):
    format: Literal[1]
    id: Annotated[str, msgspec.Meta(pattern=ID_PATTERN, max_length=40)]
    name: Text
    kind: Kind
    funds: Funds
    asks: Asks
    offers: list[Offer]
    steps: list[Step]
    bring: list[Text] = msgspec.field(default_factory=list)
    # the payment method as the screen says it (支付方式): said on every screen and receipt
    method: Text | None = None
    help: Text | None = None
    # famcov's own screens follow this channel's order and words (the Sichuan app): its
    # menus are not said again beside each step
    modelled: bool = False
    source: str | None = None
    illustrative: bool = False

    def step(self, action: str) -> Step | None:
        return next((s for s in self.steps if s.action == action), None)

    def where(self, action: str, lang: str) -> str:
        """Where a worker does `action` in this channel: the app, then the menus."""
        step = self.step(action)
        if step is None:
            return self.name(lang)
        return _at(
            step.app(lang) if step.app is not None else self.name(lang), step.menu(lang), lang
        )


_decoder = msgspec.json.Decoder(Channel)
_INTERNAL = re.compile(r"\bseed\b|\.md\b|\.txt\b|DOMAIN|brief", re.IGNORECASE)


def load(directory: Path) -> dict[str, Channel]:
    """Every channel pack in `directory`/channels by id; none is not an error (old data)."""
    folder = directory / "channels"
    found: dict[str, Channel] = {}
    for path in sorted(folder.glob("*.json")):
        from famcov import datafiles

        # read as any data file is, its text's control characters written out
        raw = datafiles.encoded(datafiles.load_object(path, code="BAD_POLICY")[1])
        try:
            channel = _decoder.decode(raw)
        except (OSError, ValueError, msgspec.DecodeError) as exc:
            raise FamcovError("BAD_POLICY", {"file": path.name, "problem": str(exc)}) from None
        for problem in _problems(channel, path):
            raise FamcovError("BAD_POLICY", {"file": path.name, "problem": problem})
        found[channel.id] = channel
    return found


def _problems(c: Channel, path: Path):
    if path.stem != c.id:
        yield f"id {c.id!r} is not the file's name"
    if not c.illustrative and not c.source:
        yield "no source and not marked illustrative"
    if c.source and _INTERNAL.search(c.source):
        yield "cites an internal file, not a public source"
    if not c.steps:
        yield "no steps"
    if c.method is None:
        yield "no payment method (method)"
    if c.kind == "tax" and c.funds == "personal-account":
        yield "a tax channel that debits the account is its province's own channel (two-app)"
    actions = [s.action for s in c.steps]
    for offer in c.offers:
        if offer not in actions:
            yield f"offers {offer!r} but has no step for it"
    if c.kind == "counter":
        if not c.bring:
            yield "a counter channel needs a bring list"
    elif "pay" not in actions:
        yield "no pay step"
    if c.funds == "pay-then-return" and "return" not in actions:
        yield "pay-then-return needs a return step"
    for i, s in enumerate(c.steps):
        if not s.path:
            yield f"steps[{i}]: empty path"
