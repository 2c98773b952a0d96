"""The step engine shared by every flow: steps as data, one back stack, flags fill steps.

A flow is a list of `Step`s. Each step either takes its value from the command
line (parsed by the same validator as the flag; a bad value is shown and the
step is asked instead) or asks for it. An answer of BACK returns to the last
step that actually asked something; QUIT leaves the flow; `Goto(key)` jumps
back to an earlier step. Nothing here writes: a flow collects answers, and its
caller opens the store transaction only after the last prompt.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from famcov.errors import FamcovError
from famcov.i18n import has, t
from famcov.output.screen import LONG_LIST, payer_choices, payer_title
from famcov.wizard import ui
from famcov.wizard.ui import BACK, QUIT


@dataclass
class Wizard:
    """One interactive session: where to ask and print, and what it remembers (the payer)."""

    session: Any  # famcov.session.Session
    ask: ui.Asker
    out: Any  # rich Console
    payer: str | None = None
    home: bool = False
    shown: set[str] = field(default_factory=set)
    noted: int = 0  # the rows of the training note printed in the current step
    _read: tuple[Any, Any] | None = None  # (the file's signature, the records read from it)

    @property
    def policy(self):
        return self.session.policy

    @property
    def today(self):
        return self.session.today

    def carry_on(self, first) -> None:
        """From the first screen (famcov.front): the payer chosen there, and the
        records it read (read again if the file has changed since)."""
        self._read, self.payer = first.read, first.answer

    def records(self):
        """The records as the file holds them now. Read again only when the file changed
        (another terminal's credit shows at once): a 100,000-record state takes about
        half a second to read, once per screen made every Enter that slow."""
        store = self.session.store
        signature = store.signature()  # before reading: a change meanwhile reads again
        if signature is not None and self._read is not None and self._read[0] == signature:
            return self._read[1]
        records = store.records()
        self._read = (signature, records)
        # Hundreds of thousands of record objects stay alive for the session: leave them
        # out of the cyclic collector's full passes, which each prompt's allocations
        # would otherwise trigger (about 15 ms a screen at 100,000 records). They are
        # plain data, freed by reference counting when a newer read replaces them.
        import gc

        gc.freeze()
        return records

    def save(self, action: Callable[..., Any], request: Any) -> Any:
        """The use case `action` on `request` in one transaction, saved when it returns:
        what it returned (the caller notes it with `famcov.wizard.saved`)."""
        with self.session.store.transaction() as records:
            return action(records, self.policy, self.today, request)

    def explain(self, key: str, *, once: bool | str = False, **params: Any) -> None:
        """A training note when notes are on; `once`: only the first time this session
        (or, a tag, the first time for that tag: the home note once a channel)."""
        seen = key if once is True else once or key
        if not self.session.explain or (once and seen in self.shown):
            return
        self.shown.add(seen)
        self.noted = ui.explain(self.out, key, **params)

    def show_error(self, exc: FamcovError) -> None:
        """A refusal inside the wizard: the same sentence(s) the command would print."""
        from famcov.i18n import has
        from famcov.output import render

        if has(f"wiz.error.{exc.code}") and len(exc.details) <= 1:
            ui.problem(self.out, ui.message_of(exc))  # no command-line flag named
            return
        render.error(exc, json_mode=False)


def new(session, *, home: bool = False) -> Wizard:
    return Wizard(session=session, ask=ui.Asker(), out=ui.console(), home=home)


@dataclass(frozen=True)
class Goto:
    """Answer of a step that sends the flow back to an earlier step."""

    key: str


@dataclass
class Step:
    key: str
    stage: int | None
    ask: Callable[[Flow], Any]
    parse: Callable[[Flow, str], Any] | None = None
    explain: str | None = None
    when: Callable[[Flow], bool] | None = None  # the step applies only if this says so


@dataclass
class Flow:
    wiz: Wizard
    title: str  # catalogue key of the flow's name
    stages: dict[int, str]  # stage number -> catalogue key of its name
    given: dict[str, Any] = field(default_factory=dict)
    # the flow's training notes, each step's own: explain.<notes>.<step key> where the
    # catalogues have one and the step names no other
    notes: str | None = None
    answers: dict[str, Any] = field(default_factory=dict)
    exit_code: int = 1
    at_start: bool = True
    checked: bool = False  # a check step ran: a second run reads the records again
    refused: bool = False  # a check refused: leaving now is after a refusal (help shown)
    region_for: Any = None  # the relative the remembered region was chosen for
    _records: Any = None
    _shown_stage: Any = -1
    _explained: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.given = {k: v for k, v in self.given.items() if v is not None and v is not False}
        if self.wiz.payer is not None:
            self.given.setdefault("payer", self.wiz.payer)

    # -- what a step needs -----------------------------------------------------------

    @property
    def records(self):
        if self._records is None:
            self._records = self.wiz.records()
        return self._records

    def reload(self) -> None:
        self._records = None

    @property
    def out(self):
        return self.wiz.out

    @property
    def back(self) -> str:
        """The label of the back choice: one step back, or out of the flow at its start."""
        if not self.at_start:
            return t("wiz.back")
        return t("wiz.back.home") if self.wiz.home else t("wiz.back.cancel")

    # -- the engine ------------------------------------------------------------------

    def run(self, steps: list[Step]) -> bool:
        """True when every step has its answer; False when the person left the flow."""
        history: list[int] = []  # the steps asked, to go back through
        index, backwards = 0, False
        keys = [s.key for s in steps]
        while index < len(steps):
            step = steps[index]
            raw = self.given.get(step.key)
            if step.when is not None and not step.when(self):
                # not asked here; a value the command line gave anyway is kept as given
                if raw is not None and step.parse is not None:
                    self.answers[step.key] = step.parse(self, raw)
                else:
                    self.answers.pop(step.key, None)
                index += 1
                continue
            if raw is not None and step.parse is not None:
                try:
                    self.answers[step.key] = step.parse(self, raw)
                    index += 1
                    continue
                except FamcovError as exc:
                    ui.problem(self.out, ui.message_of(exc))
                    del self.given[step.key]
            self.at_start = not history
            self._enter(step, backwards)
            asked_before = self.wiz.ask.count
            answer = step.ask(self)
            backwards = False
            if answer is QUIT:
                return False
            if answer is BACK:
                if not history:
                    return False
                index, backwards = history.pop(), True
                continue
            if isinstance(answer, Goto):
                target = keys.index(answer.key)
                self.given.pop(answer.key, None)
                history = [i for i in history if i < target]
                index, backwards = target, True
                continue
            self.answers[step.key] = answer
            if self.wiz.ask.count != asked_before:
                history.append(index)
            index += 1
        return True

    def _enter(self, step: Step, backwards: bool) -> None:
        self.wiz.noted = 0
        if step.stage != self._shown_stage:  # going back within a stage: its header stands
            stage = self.stages.get(step.stage) if step.stage is not None else None
            name = t(stage or "wiz.stage.payer")
            ui.step_header(
                self.out, title=t(self.title), stage=step.stage, total=len(self.stages), name=name
            )
            self._shown_stage = step.stage
        note = step.explain
        if note is None and self.notes is not None and has(f"explain.{self.notes}.{step.key}"):
            note = f"explain.{self.notes}.{step.key}"
        if note and note not in self._explained:
            self._explained.add(note)
            self.wiz.explain(note)


# -- the payer: a step every flow shares --------------------------------------------


def choose_payer(wiz: Wizard, records, *, back: str | None) -> Any:
    """The worker who pays: remembered for the session once chosen."""
    workers = records.state.workers
    if wiz.payer is not None and wiz.payer in records.workers:
        return wiz.payer
    if not workers:
        ui.problem(wiz.out, t("wiz.payer.none"))
        return QUIT
    if len(workers) == 1:
        wiz.payer = workers[0].id
        ui.info(wiz.out, t("wiz.payer.only", who=payer_title(wiz.policy, workers[0])))
        return wiz.payer
    if len(workers) > LONG_LIST:  # a list taller than a terminal: type a name or ID instead
        answer = wiz.ask.text(
            t("wiz.payer.type", count=len(workers)),
            parse=lambda text: _known_worker(wiz, records, text),
            back=back is not None,
        )
    else:
        answer = wiz.ask.select(
            t("wiz.payer.ask"),
            payer_choices(wiz.policy, workers),
            default=wiz.payer,
            back=back,
        )
    if answer is not BACK:
        wiz.payer = answer
    return answer


def _known_worker(wiz: Wizard, records, text: str) -> str:
    from famcov import people
    from famcov.features import lookup

    payer = people.find_payer(records, text, wiz.today)
    if records.worker(payer) is None:
        lookup.account(records, payer_id=payer)  # raises UNKNOWN_PERSON with its hint
    return payer


def _ask_payer(flow: Flow) -> Any:
    return choose_payer(flow.wiz, flow.records, back=flow.back)


def _parse_payer(flow: Flow, raw: str) -> str:
    payer = _known_worker(flow.wiz, flow.records, raw)
    flow.wiz.payer = payer
    return payer


def payer_step(stage: int | None = None, when: Callable[[Flow], bool] | None = None) -> Step:
    return Step("payer", stage, _ask_payer, _parse_payer, explain="explain.payer", when=when)
