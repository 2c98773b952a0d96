"""`famcov policy`: regions, relations, windows, tiers, channels and sources,
as JSON and as a view.
"""

from __future__ import annotations

from typing import Any

from famcov.contract import text
from famcov.domain.money import yuan
from famcov.features import proxy_payment
from famcov.i18n import lang, t
from famcov.output.render import console, esc, json_view, region_name, relation_name


def sourced_json(value) -> dict[str, Any]:
    shown = {"source": value.source, "illustrative": value.illustrative}
    if getattr(value, "says", None):  # the sources disagree: what each says
        shown["says"] = [text(said) for said in value.says]
    return shown


def rules_json(p) -> dict[str, Any]:
    def one(value) -> dict[str, Any]:
        return {"value": value.value, **sourced_json(value)}

    return {
        "revoke_in_window_only": one(p.revoke_in_window_only),
        "revocation": {k: one(getattr(p.revocation, k)) for k in p.revocation.__struct_fields__},
        "waiting": {k: one(getattr(p.waiting, k)) for k in p.waiting.__struct_fields__},
        "members": {k: one(getattr(p.members, k)) for k in p.members.__struct_fields__},
    }


def offers_returns(p, policy) -> bool:
    """The province pays first and returns afterwards (先缴后返), as the return rules
    decide (Policy.return_channel)."""
    return policy is not None and policy.return_channel(p) is not None


def returns_json(p, policy) -> dict[str, Any] | None:
    """先缴后返's values, each with its source, for a province that offers returns
    (None otherwise): `balance_above_premium` is the province's, which the return's
    balance check reads too."""
    if not offers_returns(p, policy):
        return None
    r = p.returns
    shown = {
        k: {"value": getattr(r, k).value, **sourced_json(getattr(r, k))}
        for k in r.__struct_fields__
    }
    above = p.balance_above_premium
    return {**shown, "balance_above_premium": {"value": above.value, **sourced_json(above)}}


def channel_json(c) -> dict[str, Any]:
    return {
        "id": c.id,
        "name": text(c.name),
        "kind": c.kind,
        "funds": c.funds,
        "method": text(c.method) if c.method is not None else None,
        "asks": {
            "commitment": c.asks.commitment,
            "relation_proof": c.asks.relation_proof,
            "face": c.asks.face,
        },
        "offers": list(c.offers),
        "steps": [
            {
                "action": step.action,
                "app": text(step.app) if step.app else None,
                "path": [text(x) for x in step.path],
                "words": text(step.words) if step.words else None,
            }
            for step in c.steps
        ],
        "bring": [text(b) for b in c.bring],
        "help": text(c.help) if c.help else None,
        "source": c.source,
        "illustrative": c.illustrative,
    }


def province_json(p, year: int | None, policy=None) -> dict[str, Any]:
    return {
        "channels": [channel_json(c) for c in policy.channels(p)] if policy else [],
        "code": p.code,
        "name": text(p.name),
        "scope": p.scope.value,
        "relations": list(p.relations.value),
        "proof_required": p.proof_required.value,
        "revoke_in_window_only": p.revoke_in_window_only.value,
        "sources": {
            "scope": sourced_json(p.scope),
            "relations": sourced_json(p.relations),
            "proof_required": sourced_json(p.proof_required),
            "regions": {"source": p.regions_source, "illustrative": False},
        },
        "rules": rules_json(p),
        "returns": returns_json(p, policy),
        "what_if": text(p.what_if) if p.what_if else None,
        "regions": [{"code": r.code, "name": text(r.name)} for r in p.regions],
        "years": [
            {
                "year": y.year,
                "window": {
                    "start": y.window.start.isoformat(),
                    "end": y.window.end.isoformat(),
                    **sourced_json(y.window),
                },
                "region_windows": [
                    {
                        "regions": rw.regions,
                        "start": rw.start.isoformat(),
                        "end": rw.end.isoformat(),
                        **sourced_json(rw),
                    }
                    for rw in y.region_windows
                ],
                "open": {
                    "start": y.open.start.isoformat(),
                    "end": y.open.end.isoformat(),
                    **sourced_json(y.open),
                },
                "waiting_months": y.waiting_months.value,
                "waiting_source": sourced_json(y.waiting_months),
                "tiers": [
                    {
                        **proxy_payment.tier_json(tier),
                        "regions": tier.regions,
                        "source": tier.source,
                    }
                    for tier in y.tiers
                ],
            }
            for y in p.years
            if year is None or y.year == year
        ],
    }


def policy_payload(s, provinces, year: int | None, out=None) -> dict[str, Any]:
    return {"provinces": [province_json(p, year, s.policy) for p in provinces]}


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


@json_view(policy_payload)
def show_policy(s, provinces, year: int | None, out=None) -> None:
    """`out`: the console to draw on (the wizard's, to page it); this run's otherwise."""
    from rich import box
    from rich.table import Table

    out = out or console()
    for p in provinces:
        sources = _Sources()
        out.rule(f"[bold]{esc(p.name)}[/] ({p.code})")
        if p.what_if is not None:
            out.print(f"[bold yellow]{esc(text(p.what_if))}[/]")
        from famcov.output.screen import hanging, indented

        # plain lines, their folded lines indented under the text (not at column 0)
        hanging(
            out, t("policy.scope", scope=t(f"scope.{p.scope.value}"), source=sources.of(p.scope))
        )
        hanging(
            out,
            t(
                "policy.relations",
                relations="、".join(relation_name(r) for r in p.relations.value)
                if lang() == "zh"
                else ", ".join(relation_name(r) for r in p.relations.value),
                source=sources.of(p.relations),
            ),
        )
        hanging(
            out,
            t(
                "policy.proof",
                proof=t("word.yes" if p.proof_required.value else "word.no"),
                source=sources.of(p.proof_required),
            ),
        )
        if p.proof_required.says:  # the sources disagree: what each says
            from famcov.domain.rules import sources_say

            indented(out, " ", str(sources_say(p.proof_required)))
        hanging(
            out,
            t("policy.regions", regions=" · ".join(f"{r.code} {text(r.name)}" for r in p.regions)),
        )
        for line in [
            *rule_lines(p, sources),
            *return_lines(p, s.policy, s.today, sources),
            *channel_lines(s.policy.channels(p)),
        ]:
            body = line.lstrip(" ")
            lead = len(line) - len(body)
            if lead:  # a channel's step: its folded lines stay under its text, not at column 0
                indented(out, " " * (lead - 1), body)
            else:
                hanging(out, line)
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
                    esc("\n".join(windows)) if first else "",
                    esc("\n".join(opens)) if first else "",
                    esc(
                        t("policy.months", n=y.waiting_months.value)
                        + sources.mark(y.waiting_months)
                    )
                    if first
                    else "",
                    esc(text(tier.name) + where),
                    esc(yuan(tier.fen) + sources.mark(tier)),
                )
        out.print(table)
        if sources.cited:
            from famcov.output.screen import indented

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


def return_lines(p, policy, today, sources: _Sources | None = None) -> list[str]:
    """先缴后返, for a province that offers it: the days to wait after paying, the years
    that can be applied for (as of today) and whether the balance must be greater than
    the amount — the values the return rules read, each marked sourced or 示意. One
    value a line, indented under the heading (whose own folded lines hang at 2): each
    fits 80 columns whole, its mark included."""
    if not offers_returns(p, policy):
        return []
    r, above = p.returns, p.balance_above_premium
    days, ahead = r.wait_days.value, r.years_ahead.value
    first, last = today.year, today.year + ahead
    wait_mark, years_mark = _mark(r.wait_days, sources), _mark(r.years_ahead, sources)
    years = (
        t("policy.returns.this_year", first=first, mark=years_mark)
        if ahead <= 0
        else t("policy.returns.next_year", first=first, last=last, mark=years_mark)
        if ahead == 1
        else t("policy.returns.years", ahead=ahead, first=first, last=last, mark=years_mark)
    )
    return [
        t("policy.returns"),
        "    "
        + (
            t("policy.returns.wait", days=days, mark=wait_mark)
            if days > 0
            else t("policy.returns.no_wait", mark=wait_mark)
        ),
        "    " + years,
        "    "
        + t(
            "policy.returns.above" if above.value else "policy.returns.not_above",
            mark=_mark(above, sources),
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
                    where=step.located(lang()),
                )
            )
        if c.bring:
            lines.append(
                t("channel.bring", items=t("word.list_sep").join(text(b) for b in c.bring))
            )
    return lines
