"""Output: JSON for scripts (exactly one object on stdout) and rich for people.

Every string a person reads comes from the catalogues. Resident IDs are masked
in both. rich's heavier modules are imported inside the functions that draw.
"""

from __future__ import annotations

import sys
from functools import wraps
from typing import Any

from famcov import contract
from famcov.contract import (  # noqa: F401 - the shapes, also used by the views
    binding_json,
    channel_json,
    ledger_json,
    paid_by_tax_json,
    person,
    province_json,
    receipt_json,
    region_json,
    return_json,
    rule_json,
    rules_json,
    sourced_json,
    text,
    tier_json,
    worker_json,
)
from famcov.domain.ids import mask, scrub
from famcov.domain.money import yuan
from famcov.errors import FamcovError
from famcov.i18n import lang, t
from famcov.output import Writer, lost, written  # the run's, cleared by famcov.cli

# -- plumbing ----------------------------------------------------------------------


def _json(payload: dict[str, Any]) -> None:
    out = Writer(stderr=False, json=True)  # escaped where the stream cannot take a character
    out.write(json_text(payload) + "\n")
    out.flush()


# Output that cannot be written (a closed pipe, a full disk) or not in every glyph (a GBK
# pipe, a legacy console): famcov.output, the one writer.


def finish() -> None:
    """After a command's result (or error): push it out, and if stdout could not take
    it, say so on stderr, with whether the change was saved."""
    Writer(stderr=False).flush()
    if not lost:
        return
    store = sys.modules.get("famcov.store")
    saved = bool(store is not None and getattr(store, "saved", False))
    problem = lost[0].problem
    if lost[0].closed and not saved and not written:
        return  # the reader had read enough (`| head`): nothing to tell, nothing changed
    key = "output.lost_saved" if saved else "output.lost"
    err = Writer(stderr=True)
    if written and not saved:  # an export or a handout: the file is there all the same
        err.write(t("output.lost_file", problem=problem, path=written[-1]) + "\n")
    else:
        err.write(t(key, problem=problem) + "\n")
    err.flush()


# JSON leaves C0 controls escaped; these it would write raw, and a terminal that
# shows the output may act on them (C1's CSI) or turn text around (bidi marks,
# embeddings, overrides and isolates, the Arabic letter mark included).
_JSON_RAW_UNSAFE = None


def json_text(payload: dict[str, Any]) -> str:
    """The one JSON object of a run, as text: every string safe to show (controls
    escaped, resident IDs masked in any form: famcov.domain.text). Numbers stay
    numbers: they are famcov's own counts and counters, never masked (a masked
    number would not be JSON)."""
    import re

    import msgspec

    global _JSON_RAW_UNSAFE
    payload = _ids_masked(payload)  # before JSON writes a tab or an invisible one as \t, \u200b
    try:
        data = msgspec.json.encode(payload)
    except UnicodeEncodeError:  # a lone surrogate: argv bytes that were not UTF-8
        data = msgspec.json.encode(_printable(payload))
    if _JSON_RAW_UNSAFE is None:
        _JSON_RAW_UNSAFE = re.compile(
            "[\x7f-\x9f\u061c\u2028\u2029\u202a-\u202e\u2066-\u2069\u200e\u200f]"
        )
    return _JSON_RAW_UNSAFE.sub(lambda m: f"\\u{ord(m[0]):04x}", data.decode())


def _ids_masked(value: Any) -> Any:
    """`value` with every string's resident IDs masked, in any form (domain.text),
    keys included."""
    from famcov.domain.text import mask_ids

    if isinstance(value, str):
        return mask_ids(value) if len(value) >= 15 else value
    if isinstance(value, dict):
        return {_ids_masked(k): _ids_masked(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_ids_masked(v) for v in value]
    return value


def _printable(value: Any) -> Any:
    """`value` with every string made encodable: undecodable bytes become U+FFFD."""
    if isinstance(value, str):
        try:
            return value.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
        except UnicodeEncodeError:
            return value.encode("utf-8", "replace").decode("utf-8")
    if isinstance(value, dict):
        return {_printable(k): _printable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_printable(v) for v in value]
    return value


def console(stderr: bool = False):
    from famcov import output

    # stderr read later (a log, a pipe) keeps each message on one line: the reader's
    # window wraps it, rather than famcov breaking it at a guessed 80 columns
    soft = stderr and not sys.stderr.isatty()
    return output.console(stderr=stderr, soft_wrap=soft)


def _bullet(out, note: Any) -> None:
    """`  • note`, its folded lines under its text (not back at column 0)."""
    from famcov.wizard.screen import indented

    indented(out, "  [dim]•[/]", note)


def _esc(value: Any) -> str:
    from rich.markup import escape

    return escape(text(value))


def error(exc: FamcovError, *, json_mode: bool) -> None:
    # scrub: a message may echo a value typed to the wrong flag, which may be an ID
    message = scrub(t(exc.message_key, **exc.params))
    details = [d for d in exc.details if d is not exc]
    help_key = contract.help_key(exc)
    if json_mode:
        _json({"ok": False, "error": contract.error(exc)})
        return
    err = console(stderr=True)
    if exc.code == "INTERRUPTED":  # the person chose to stop: said plainly, not as an error
        err.print(f"[bold yellow]{_esc(message)}[/]")
    else:
        err.print(f"[bold red]{t('label.error')}[/]{_esc(message)}")
    if len(details) > 1 or (details and details[0].message_key != exc.message_key):
        for d in details:
            err.print(f"  • {_esc(scrub(t(d.message_key, **d.params)))}")
    if help_key is not None:  # a failed operation: where to ask for help (12393)
        err.print(f"[dim]{_esc(t(help_key))}[/]")


def region_name(policy, code: str) -> str:
    region = policy.region(code)
    return text(region.name) if region else code


def relation_name(relation: str) -> str:
    return t(f"relation.{relation}")


def plain(text: str) -> None:
    """Text as it is (a handout) on stdout, through the stream that survives a closed
    pipe or a full disk."""
    out = Writer(stderr=False)
    out.write(text)
    out.flush()


def ok(payload: dict[str, Any]) -> None:
    _json({"ok": True, **payload})


def json_view(payload):
    """A view that, with --json, prints instead the object `payload` (famcov.contract)
    builds from the same arguments."""

    def decorate(view):
        @wraps(view)
        def show(s, *args, **kwargs):
            if s.json:
                ok(payload(s, *args, **kwargs))
                return None
            return view(s, *args, **kwargs)

        return show

    return decorate


def _done(message: str) -> None:
    console().print(f"[green]✓[/] {message}")


# -- data files ----------------------------------------------------------------------


# -- setup side ------------------------------------------------------------------------


@json_view(contract.initialised)
def initialised(s, records, *, demo: dict[str, Any] | None) -> None:
    """A new state file; with the demo family (`demo`, data/demo.json), its story."""
    _done(t("init.done", path=str(s.state_path)))
    if demo is not None:
        story = demo
        out = console()
        out.print(_esc(text_from(story["title"])), style="bold")
        out.print(_esc(text_from(story["story"])))
        out.print(t("init.demo_next"))


text_from = contract.text_from  # a scenario's bilingual text, for the views too


@json_view(contract.worker_added)
def worker_added(s, worker) -> None:
    _done(
        t(
            "admin.worker_added",
            name=worker.name,
            id=mask(worker.id),
            region=region_name(s.policy, worker.region),
            balance=yuan(worker.balance),
        )
    )


@json_view(contract.enrolled)
def enrolled(s, result) -> None:
    if not hasattr(result, "year"):
        _done(t("admin.employee", name=result.name, id=mask(result.id)))
        return
    _done(
        t(
            "admin.enrolled",
            name=result.name,
            id=mask(result.id),
            region=region_name(s.policy, result.region),
            year=result.year,
        )
    )


@json_view(contract.paid_elsewhere)
def paid_elsewhere(s, record) -> None:
    _done(
        t(
            "admin.paid_elsewhere",
            id=mask(record.id),
            year=record.year,
            channel=t(f"channel.{record.channel}"),
        )
    )


@json_view(contract.claimed)
def claimed(s, claim) -> None:
    _done(t("bureau.admin.claimed", id=mask(claim.id), year=claim.year, date=claim.on.isoformat()))


@json_view(contract.credited)
def credited(s, worker, entry) -> None:
    _done(
        t(
            "admin.credited",
            name=worker.name,
            amount=yuan(entry.amount),
            balance=yuan(worker.balance),
        )
    )


@json_view(contract.imported)
def imported(s, added: dict[str, int]) -> None:
    _done(
        t(
            "admin.imported",
            total=sum(added.values()),
            worker=added["worker"],
            resident=added["resident"],
            employee=added["employee"],
            paid=added["paid-elsewhere"],
        )
    )


# -- 亲情账户 ---------------------------------------------------------------------------------


@json_view(contract.bound)
def bound(s, result) -> None:
    b = result.binding
    notes = [str(n) for n in result.notes]
    _done(t("bind.done", name=b.name, id=mask(b.relative), relation=relation_name(b.relation)))
    out = console()
    for note in notes:
        _bullet(out, note)


@json_view(contract.unbound)
def unbound(s, b, *, released: int = 0) -> None:
    _done(t("unbind.done", name=b.name, id=mask(b.relative), date=b.unbound_on.isoformat()))
    if released:
        _bullet(console(), t("unbind.released", amount=yuan(released)))


@json_view(contract.family)
def family(s, records, result) -> None:
    from rich.table import Table

    out = console()
    from rich import box

    table = Table(
        title=t("family.title", name=result.payer.name),
        title_justify="left",
        box=box.SIMPLE_HEAD,
        padding=(0, 1, 0, 0),
        pad_edge=False,
    )
    for column in (
        "col.name",
        "col.id",
        "col.relation",
        "col.enrolment",
        "col.bound_on",
        "col.state",
    ):
        # an ID or a date broken across lines is misread; the words around them wrap
        table.add_column(t(column), no_wrap=column in ("col.id", "col.bound_on"))
    for b in result.history:
        enrolments = records.enrolments.get(b.relative, [])
        where = "\n".join(f"{e.year} {region_name(s.policy, e.region)}" for e in enrolments[-2:])
        if records.holds_employee_insurance(b.relative):
            where = t("family.employee")
        state = (
            t("family.active") + "\n" + t(f"member.short.{b.member}")
            if b.active
            else t("family.ended", date=b.unbound_on.isoformat())
        )
        table.add_row(
            _esc(b.name),
            mask(b.relative),
            relation_name(b.relation),
            _esc(where or t("family.none")),
            b.bound_on.isoformat(),
            state,
            style=None if b.active else "dim",
        )
    if not result.history:
        out.print(t("family.empty"))
        return
    out.print(table)
    if any(b.active and b.temporary for b in result.history):
        out.print(f"[dim]{t('family.temporary_note')}[/]")


@json_view(contract.verified)
def verified(s, b) -> None:
    _done(t("verify.done", name=b.name, id=mask(b.relative)))


# -- 信息校验 -----------------------------------------------------------------------------


@json_view(contract.checked)
def checked(s, result) -> None:
    print_checklist(console(), result.rules)
    console().print(_esc(verdict(result)), style="bold green" if result.passed else "bold red")
    from famcov.domain.rules import illustrative_read

    for note in illustrative_read(result.case):  # 示意 where it is read, not only in policy
        console().print(_esc(str(note)), style="dim")


def verdict(result) -> str:
    """The check's summary: passed, or the failed rules by name (not only a count)."""
    if result.passed:
        return t("check.passed")
    names = [t("rulename." + r.code) for r in result.failures]
    key = "check.failed_rule" if len(names) == 1 else "check.failed_rules"
    return t(key, names=names, count=len(names))


MARKS = {"passed": "[green]✓[/]", "failed": "[bold red]✗[/]", "skipped": "[dim]–[/]"}


def checklist(rules, *, only_failed: bool = False, cell=None, below=None):
    """The one checklist, for `check` and the wizard: every rule as a row (mark, rule
    name, what it found). `cell(text, style)` renders a message (the wizard's keeps
    quoted terms whole); `below(rule)` gives (text, style) lines under a rule, such as
    what to do in the wizard or a training note."""
    from rich.table import Table

    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(no_wrap=True, style="bold")
    grid.add_column()
    for r in rules:
        if only_failed and not r.failed:
            continue
        style = "dim" if r.status == "skipped" else ("red" if r.failed else "")
        message = cell(r.message, style) if cell else _esc(r.message)
        grid.add_row(MARKS[r.status], t("rulename." + r.code), message, style=style or None)
        for line, line_style in below(r) if below else ():
            grid.add_row("", "", cell(line, line_style) if cell else _esc(line), style=line_style)
    return grid


def print_checklist(out, rules) -> None:
    out.print(checklist(rules))


# -- receipts -------------------------------------------------------------------------------


@json_view(contract.receipt)
def receipt(s, p, *, fresh: bool) -> None:
    """A proxy payment's receipt, or a return's (famcov.lookup.Return)."""
    data = contract.any_receipt_json(s, p)
    console().print(receipt_panel(data, fresh=fresh))


@json_view(contract.receipt_exported)
def receipt_exported(s, data: dict[str, Any], file) -> None:
    out = console()
    out.print(receipt_panel(data, fresh=False))
    _done(_esc(t("receipt.exported", path=str(file))))


def receipt_title(data: dict[str, Any], *, fresh: bool = False) -> str:
    if data.get("kind") == "return":
        return t("receipt.title_return")
    return t("receipt.title_fresh" if fresh else "receipt.title")


def receipt_rows(data: dict[str, Any]) -> list[tuple[str, str]]:
    """A receipt's lines as (label, value), in the run's language: the panel on screen,
    and the table of an exported page, draw the same lines."""
    status = t(f"status.{data['status']}")
    if data.get("revoked_at"):
        reason = t("reason." + (data.get("revoke_reason") or "other"))
        status = t("receipt.status_revoked", status=status, date=data["revoked_at"], reason=reason)
    region = data.get("region")
    where = f"{region['name']} {region['code']}" if region else "—"
    if data.get("kind") == "return":
        return [
            (t("receipt.no"), data["no"]),
            (t("receipt.status"), status),
            (t("receipt.payer"), f"{data['payer']['name']}  {data['payer']['id']}"),
            (t("receipt.relative"), f"{data['relative']['name']}  {data['relative']['id']}"),
            (t("receipt.region"), where),
            (t("receipt.year"), str(data["year"])),
            (t("receipt.return_amount"), f"¥{data['amount']}"),
            (t("receipt.balance"), f"¥{data['balance_before']} → ¥{data['balance_after']}"),
            (t("receipt.returned_at"), data["returned_at"]),
            (
                t("receipt.paid_by_tax"),
                t("receipt.paid_by_tax.value", date=data["paid"]["recorded_on"]),
            ),
        ]
    return [
        (t("receipt.no"), data["no"]),
        (t("receipt.status"), status),
        (t("receipt.payer"), f"{data['payer']['name']}  {data['payer']['id']}"),
        (
            t("receipt.relative"),
            f"{data['relative']['name']}  {data['relative']['id']}  "
            f"({relation_name(data['relation'])})",
        ),
        (t("receipt.region"), where),
        (t("receipt.year"), str(data["year"])),
        (t("receipt.insurance"), data["insurance"]),
        (t("receipt.tier"), data["tier_name"]),
        (t("receipt.amount"), f"¥{data['amount']}"),
        (t("receipt.balance"), f"¥{data['balance_before']} → ¥{data['balance_after']}"),
        (t("receipt.paid_at"), data["paid_at"]),
        (
            t("receipt.benefits_from"),
            (
                data["benefits_from"]
                + "  "
                + t("receipt.in_window" if data["in_window"] else "receipt.out_window")
            )
            if data["status"] == "paid"
            else t("receipt.no_benefits"),
        ),
    ]


def receipt_panel(data: dict[str, Any], *, fresh: bool, with_notes: bool = True):
    from rich.console import Group
    from rich.panel import Panel
    from rich.table import Table

    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column()
    rows = receipt_rows(data)
    from rich.markup import escape

    for label, value in rows:
        grid.add_row(escape(label), escape(value))
    notes = Table.grid(padding=(0, 1))
    notes.add_column(no_wrap=True)
    notes.add_column()
    for note in data["notes"]:
        notes.add_row("•", escape(note))

    title = receipt_title(data, fresh=fresh)
    style = "yellow" if data["status"] == "revoked" else "green"
    if not notes.row_count or not with_notes:
        return Panel(grid, title=f"[bold]{title}[/]", border_style=style, expand=False)
    return Panel(
        Group(grid, "", notes), title=f"[bold]{title}[/]", border_style=style, expand=False
    )


@json_view(contract.payments)
def payments(s, found, *, hint: bool = True) -> None:
    """代缴信息查询: proxy payments, tax-channel payments and returns (famcov.lookup.Entry),
    oldest first, each with its kind. `hint`: the commands that show or revoke one (the
    wizard has its own menu instead)."""
    out = console()
    if not found:
        out.print(t("payments.none_any"))
        return
    from rich import box
    from rich.table import Table

    table = Table(
        title=t("payments.title"),
        title_justify="left",
        box=box.SIMPLE_HEAD,
        padding=(0, 1, 0, 0),
        pad_edge=False,
    )
    for column in (
        "col.no",
        "col.date",
        "col.what",
        "col.payer",
        "col.relative",
        "col.region",
        "col.year",
        "col.amount",
        "col.state",
    ):
        table.add_column(
            t(column),
            justify="right" if column == "col.amount" else "left",
            # numbers, dates, places and kinds stay whole; names wrap
            no_wrap=column not in ("col.payer", "col.relative"),
        )
    for e in found:
        data = contract.record_json(s, e)
        region = data.get("region")
        table.add_row(
            data["no"] or t("lookup.no_number"),
            e.on.isoformat(),
            t(f"kind.{e.kind}"),
            _esc(e.payer_name),
            _esc(e.relative_name),
            region["name"] if region else "—",
            str(data["year"]),
            data["amount"] or "—",
            t(f"status.{data['status']}"),
            style="dim" if data["status"] == "revoked" else None,
        )
    out.print(table)
    if hint:
        out.print(f"[dim]{t('payments.hint')}[/]")


@json_view(contract.revoked)
def revoked(s, p, worker) -> None:
    notes = [
        t("revoke.no_repay", year=p.year),
        t("note.revoke_refund"),
        t("note.revoke_unseen"),
    ]
    _done(t("revoke.done", no=p.no, amount=yuan(p.amount), balance=yuan(worker.balance)))
    out = console()
    for note in notes:
        _bullet(out, note)


# -- 税务渠道 and 先缴后返 ----------------------------------------------------------------


@json_view(contract.paid_by_tax)
def paid_by_tax(s, record, name: str, notes) -> None:
    """A premium paid through the tax channel (是否代缴), with its notes."""
    lines = [str(n) for n in notes]
    _done(
        t(
            "tax.done",
            name=_esc(name),
            id=mask(record.id),
            year=record.year,
            amount=yuan(record.amount or 0),
        )
    )
    out = console()
    for note in lines:
        _bullet(out, note)


@json_view(contract.returned)
def returned(s, r) -> None:
    """先缴后返: a return applied for."""
    data = return_json(s, r)
    _done(
        t(
            "return.done",
            amount=yuan(r.amount),
            no=r.no,
            before=yuan(r.balance_before),
            after=yuan(r.balance_after),
        )
    )
    out = console()
    for note in data["notes"]:
        _bullet(out, note)


# -- 个人账户 -------------------------------------------------------------------------------


@json_view(contract.quota)
def quota(s, result) -> None:
    """跨省共济额度: a quota reserved or released."""
    b, e = result.binding, result.entry
    key = "quota.reserved" if e.kind == "reserve" else "quota.released"
    _done(
        t(
            key,
            name=b.name,
            id=mask(b.relative),
            amount=yuan(abs(e.quota)),
            quota=yuan(result.quota),
            spendable=yuan(result.spendable),
        )
    )


@json_view(contract.moved)
def moved(s, worker) -> None:
    _done(t("admin.moved", name=worker.name, region=region_name(s.policy, worker.region)))


@json_view(contract.account)
def account(s, result) -> None:
    w = result.worker
    from rich.table import Table

    out = console()
    table = Table(title=t("account.title", name=w.name, id=mask(w.id)), title_justify="left")
    for column in ("col.date", "col.kind", "col.amount", "col.balance", "col.ref"):
        table.add_column(
            t(column), justify="right" if column in ("col.amount", "col.balance") else "left"
        )
    running = 0
    for e in result.entries:
        running += e.amount
        colour = "red" if e.amount < 0 else "green"
        table.add_row(
            e.on.isoformat(),
            t(f"ledger.{e.kind}"),
            f"[{colour}]{yuan(e.amount)}[/]",
            yuan(running),
            e.ref or (t("ledger.quota", quota=yuan(e.quota)) if e.quota else ""),
        )
    out.print(table)
    out.print(
        t("account.balance", balance=yuan(w.balance), status=t(f"status.{w.status}")), style="bold"
    )
    reserved = sum(e.quota for e in result.entries)
    if reserved:
        out.print(
            t("account.reserved", reserved=yuan(reserved), spendable=yuan(w.balance - reserved))
        )


# -- policy --------------------------------------------------------------------------------


class _Sources:
    """The public sources a province's screen cites, numbered in the order shown:
    a value points at its document as [n]; the list under the table names each
    document once (issuer, title, date, link) with the passages cited from it. An
    illustrative value says so instead."""

    def __init__(self) -> None:
        self.cited: list[str] = []  # the documents, in the order first cited
        self.passages: dict[str, list[str]] = {}

    @staticmethod
    def split(source: str) -> tuple[str, str]:
        """A source as (document, passage): `…《title》…, link：what it says`."""
        document, sep, passage = source.partition("：")
        return (document, passage) if sep and passage else (source, "")

    def ref(self, value) -> str:
        if value.illustrative or not value.source:
            return ""
        document, passage = self.split(value.source)
        if document not in self.cited:
            self.cited.append(document)
        quoted = self.passages.setdefault(document, [])
        if passage and passage not in quoted:
            quoted.append(passage)
        return f"[{self.cited.index(document) + 1}]"

    def of(self, value) -> str:
        return self.ref(value) or t("policy.illustrative")

    def mark(self, value) -> str:
        """A table value's mark: * illustrative, [n] its source."""
        return "*" if value.illustrative else self.ref(value)


def _period(period, sources: _Sources) -> str:
    return f"{period.start} ~ {period.end}{sources.mark(period)}"


@json_view(contract.policy)
def policy(s, provinces, year: int | None, out=None) -> None:
    """`out`: the console to draw on (the wizard's, to page it); this run's otherwise."""
    from rich import box
    from rich.table import Table

    out = out or console()
    for p in provinces:
        sources = _Sources()
        out.rule(f"[bold]{_esc(p.name)}[/] ({p.code})")
        if p.what_if is not None:
            out.print(f"[bold yellow]{_esc(text(p.what_if))}[/]")
        out.print(
            t("policy.scope", scope=t(f"scope.{p.scope.value}"), source=_esc(sources.of(p.scope)))
        )
        out.print(
            t(
                "policy.relations",
                relations="、".join(relation_name(r) for r in p.relations.value)
                if lang() == "zh"
                else ", ".join(relation_name(r) for r in p.relations.value),
                source=_esc(sources.of(p.relations)),
            )
        )
        out.print(
            t(
                "policy.proof",
                proof=t("word.yes" if p.proof_required.value else "word.no"),
                source=_esc(sources.of(p.proof_required)),
            )
        )
        if p.proof_required.says:  # the sources disagree: what each says
            from famcov.domain.rules import sources_say

            out.print(_esc("  " + str(sources_say(p.proof_required))))
        out.print(
            _esc(
                t(
                    "policy.regions",
                    regions=" · ".join(f"{r.code} {text(r.name)}" for r in p.regions),
                )
            )
        )
        from famcov.wizard.screen import indented

        for line in [*rule_lines(p, sources), *channel_lines(s.policy.channels(p))]:
            body = line.lstrip(" ")
            lead = len(line) - len(body)
            if lead:  # a channel's step: its folded lines stay under its text, not at column 0
                indented(out, " " * (lead - 1), body)
            else:
                out.print(_esc(line))
        table = Table(title_justify="left", box=box.SIMPLE_HEAD, padding=(0, 1, 0, 0))
        for column in ("col.year", "col.window", "col.open", "col.waiting", "col.tier"):
            table.add_column(t(column), no_wrap=column == "col.year")
        table.add_column(t("col.amount"), justify="right", no_wrap=True)
        for y in p.years:
            if year is not None and y.year != year:
                continue
            # a region with its own window (成都 from 09-18) is shown under the province's
            windows, opens = [_period(y.window, sources)], [_period(y.open, sources)]
            for rw in y.region_windows:
                names = "、".join(region_name(s.policy, c) for c in rw.regions)
                label = t("policy.region_own", names=names)  # 成都市自定：, not a bare name
                windows.append(f"{label} {_period(rw, sources)}")
                open_for = y.open_for(rw.regions[0]) if rw.regions else y.open
                if open_for.start != y.open.start:
                    opens.append(f"{label} {_period(open_for, sources)}")
            for i, tier in enumerate(y.tiers):
                # the regions a tier is for, on a line of its own: 较高档次 / 限成都市
                where = (
                    ""
                    if tier.regions is None
                    else "\n"
                    + t(
                        "policy.tier_only",
                        regions="、".join(
                            text(p.region(c).name) for c in tier.regions if p.region(c)
                        ),
                    )
                )
                first = i == 0
                table.add_row(
                    str(y.year) if first else "",
                    _esc("\n".join(windows)) if first else "",
                    _esc("\n".join(opens)) if first else "",
                    _esc(
                        t("policy.months", n=y.waiting_months.value)
                        + sources.mark(y.waiting_months)
                    )
                    if first
                    else "",
                    _esc(text(tier.name) + where),
                    _esc(yuan(tier.fen) + sources.mark(tier)),
                )
        out.print(table)
        if sources.cited:
            from famcov.wizard.screen import indented

            out.print(t("policy.sources"), style="bold")
            for n, document in enumerate(sources.cited, start=1):
                indented(out, f"[{n}]", document)  # each document once, its passages under it
                for passage in sources.passages.get(document, []):
                    indented(out, "     —", passage)
    out.print(f"[dim]{t('policy.star')}[/]")


def _mark(value, sources: _Sources | None = None) -> str:
    if value.illustrative:
        return t("policy.mark")
    return t("policy.sourced") + (sources.ref(value) if sources else "")


def rule_lines(p, sources: _Sources | None = None) -> list[str]:
    """The rules the bureaus add, each value marked sourced or illustrative (示意)."""
    r, w, m = p.revocation, p.waiting, p.members
    yes_no = {True: t("word.yes"), False: t("word.no")}
    return [
        t(
            "policy.revocation",
            window=yes_no[p.revoke_in_window_only.value]
            + " "
            + _mark(p.revoke_in_window_only, sources),
            reconciled=yes_no[r.reconciled_after_open.value]
            + " "
            + _mark(r.reconciled_after_open, sources),
            payer=_mark(r.payer_active, sources) if r.payer_active.value else yes_no[False],
            hours=t("policy.hours", n=r.min_hours.value)
            if r.min_hours.value
            else t("policy.hours_none"),
            hours_mark=_mark(r.min_hours, sources),
            days=r.refund_days.value,
            days_mark=_mark(r.refund_days, sources),
        ),
        t(
            "policy.waiting",
            per_gap=w.per_gap_year_months.value,
            per_gap_mark=_mark(w.per_gap_year_months, sources),
            newborn=w.newborn_days.value,
            newborn_mark=_mark(w.newborn_days, sources),
            past=t(f"policy.past.{w.past_year_end.value}"),
            past_mark=_mark(w.past_year_end, sources),
        ),
        t(
            "policy.members",
            age=m.face_age.value,
            age_mark=_mark(m.face_age, sources),
            proofs="/".join(t(f"proof.{x}") for x in m.minor_proofs.value),
            proofs_mark=_mark(m.minor_proofs, sources),
            gap=m.warn_generation_gap.value,
            gap_mark=_mark(m.warn_generation_gap, sources),
        ),
    ]


def channel_lines(channels) -> list[str]:
    """Each channel a province offers, its steps in order with the app's own menus."""
    if not channels:
        return []
    lines = [t("channel.heading")]
    for c in channels:
        lines.append(
            t(
                "channel.line",
                id=c.id,
                name=text(c.name),
                mark=t("channel.mark") if c.illustrative else "",
            )
        )
        for n, step in enumerate(c.steps, 1):
            lines.append(
                t(
                    "channel.step",
                    n=n,
                    action=t(f"channel.action.{step.action}"),
                    where=(text(step.app) + ("：" if lang() == "zh" else ": ") if step.app else "")
                    + step.menu(lang()),
                )
            )
        if c.bring:
            lines.append(t("channel.bring", items="；".join(text(b) for b in c.bring)))
    return lines
