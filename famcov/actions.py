"""The use cases. Each takes the records, the policy, the day and parsed inputs,
changes the records or reads them, and returns a result or raises FamcovError.

No printing, no prompting, no files: the caller opens the transaction and
renders the result.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from typing import Any

from famcov import values
from famcov.domain.ids import mask
from famcov.domain.model import (
    Binding,
    Channel,
    Claim,
    EmployeeInsured,
    Enrolment,
    LedgerEntry,
    PaidElsewhere,
    Payment,
    Worker,
    WorkerStatus,
)
from famcov.domain.money import yuan
from famcov.domain.policy import Policy, Region
from famcov.domain.records import Records
from famcov.domain.rules import (
    BindingCase,
    PaymentCase,
    ReturnCase,
    RevocationCase,
    RuleResult,
    Terms,
    binding_rules,
    birth_date,
    case_terms,
    from_quota,
    member_bound,
    member_status,
    not_revoked,
    payment_rules,
    return_rules,
    revocation_rules,
    tax_payment_rules,
    terms,
)
from famcov.errors import FamcovError, refusal
from famcov.i18n import Msg
from famcov.requests import (
    BindRequest,
    MemberRequest,
    PaymentRequest,
    ReturnRequest,
    RevokeRequest,
    build,
)


def _worker(records: Records, person_id: str) -> Worker:
    worker = records.worker(person_id)
    if worker is None:
        raise FamcovError("UNKNOWN_PERSON", {"id": mask(person_id), "hint": Msg("hint.add_worker")})
    return worker


def _same_name(records: Records, person_id: str, name: str) -> None:
    known = records.known_name(person_id)
    if known is not None and known != name:
        raise FamcovError("NAME_MISMATCH", {"relative": mask(person_id), "name": name})


def _region_known(policy: Policy, code: str) -> Region:
    region = policy.region(code)
    if region is None:
        raise FamcovError("UNKNOWN_REGION", {"flag": "--region", "value": code})
    return region


# -- setup side (the bureau's records) -------------------------------------------


def add_worker(
    records: Records,
    today: dt.date,
    *,
    person_id: str,
    name: str,
    region: Region,
    balance: int,
    status: WorkerStatus = "active",
) -> Worker:
    if records.worker(person_id) is not None:
        raise FamcovError("ALREADY_EXISTS", {"what": Msg("word.worker"), "id": mask(person_id)})
    _same_name(records, person_id, name)
    worker = Worker(id=person_id, name=name, region=region.code, balance=0, status=status)
    records.add_worker(worker)
    records.post(worker, "opening", balance, today)
    return worker


def enrol(
    records: Records,
    *,
    person_id: str,
    name: str,
    region: Region,
    year: int,
    today: dt.date | None = None,
) -> Enrolment:
    _same_name(records, person_id, name)
    for e in records.enrolments.get(person_id, ()):
        if e.year == year:
            raise FamcovError(
                "ALREADY_EXISTS",
                {"what": Msg("word.enrolment", {"year": year}), "id": mask(person_id)},
            )
    moved_from = latest_region(records, person_id) if today is not None else None
    enrolment = Enrolment(id=person_id, name=name, region=region.code, year=year)
    records.add_enrolment(enrolment)
    if today is not None and moved_from not in (None, region.code):
        # insured in another 统筹地区 now: every quota reserved for them ends (2026 notice)
        for payer in {b.payer for b in records.state.bindings if b.relative == person_id}:
            release_quota(records, payer, person_id, today)
    return enrolment


def latest_region(records: Records, person_id: str) -> str | None:
    enrolments = records.enrolments.get(person_id, ())
    return max(enrolments, key=lambda e: e.year).region if enrolments else None


def mark_employee(records: Records, *, person_id: str, name: str) -> EmployeeInsured:
    _same_name(records, person_id, name)
    if records.holds_employee_insurance(person_id):
        raise FamcovError("ALREADY_EXISTS", {"what": Msg("word.employee"), "id": mask(person_id)})
    employee = EmployeeInsured(id=person_id, name=name)
    records.add_employee(employee)
    return employee


def record_payment(
    records: Records, today: dt.date, *, person_id: str, year: int, channel: Channel
) -> PaidElsewhere:
    if not records.is_known(person_id):
        raise FamcovError(
            "UNKNOWN_PERSON", {"id": mask(person_id), "hint": Msg("hint.enrol_person")}
        )
    if (person_id, year) in records.paid_elsewhere:
        raise FamcovError(
            "ALREADY_EXISTS",
            {"what": Msg("word.paid_elsewhere", {"year": year}), "id": mask(person_id)},
        )
    record = PaidElsewhere(id=person_id, year=year, channel=channel, recorded_on=today)
    records.add_paid_elsewhere(record)
    return record


def record_claim(records: Records, today: dt.date, *, person_id: str, year: int) -> Claim:
    """已享受待遇: the relative used benefits of `year` today (a claim settled)."""
    if not records.is_known(person_id):
        raise FamcovError(
            "UNKNOWN_PERSON", {"id": mask(person_id), "hint": Msg("hint.enrol_person")}
        )
    claims = records.state.claims
    if any(c.id == person_id and c.year == year for c in claims):
        raise FamcovError(
            "ALREADY_EXISTS",
            {"what": Msg("bureau.word.claim", {"year": year}), "id": mask(person_id)},
        )
    claim = Claim(id=person_id, year=year, on=today)
    claims.append(claim)
    return claim


def credit(records: Records, today: dt.date, *, person_id: str, amount: int) -> LedgerEntry:
    worker = _worker(records, person_id)
    return records.post(worker, "credit", amount, today)


IMPORT_HEADER = ["kind", "id", "name", "region", "year", "balance", "status", "channel"]
IMPORT_KINDS = ("worker", "resident", "employee", "paid-elsewhere")
_USED = {
    "worker": {"id", "name", "region", "balance", "status"},
    "resident": {"id", "name", "region", "year"},
    "employee": {"id", "name"},
    "paid-elsewhere": {"id", "year", "channel"},
}
_REQUIRED = {
    "worker": {"id", "name", "region", "balance"},
    "resident": {"id", "name", "region", "year"},
    "employee": {"id", "name"},
    "paid-elsewhere": {"id", "year", "channel"},
}
MAX_IMPORT_ERRORS = 50


def import_csv(records: Records, policy: Policy, today: dt.date, text: str) -> dict[str, int]:
    """Many records from CSV, all or nothing: every bad line is named, and one bad
    line refuses the whole file (the caller's transaction is then not saved)."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    header = next(reader, None)
    if header is None or [h.strip().lower() for h in header] != IMPORT_HEADER:
        raise FamcovError(
            "BAD_IMPORT",
            {"count": 1},
            [FamcovError("BAD_IMPORT", {"line": 1}, message_key="import.bad_header")],
        )
    added = dict.fromkeys(IMPORT_KINDS, 0)
    problems: list[FamcovError] = []
    for line, row in enumerate(reader, start=2):
        if not row or all(not cell.strip() for cell in row):
            continue
        try:
            kind = _import_row(records, policy, today, row)
        except FamcovError as exc:
            problems.append(
                FamcovError(
                    exc.code,
                    {**exc.params, "line": line, "reason": Msg(exc.message_key, exc.params)},
                    message_key="import.bad_line",
                )
            )
            if len(problems) >= MAX_IMPORT_ERRORS:
                break
            continue
        added[kind] += 1
    if problems:
        raise FamcovError("BAD_IMPORT", {"count": len(problems)}, problems)
    return added


def _import_row(records: Records, policy: Policy, today: dt.date, row: list[str]) -> str:
    if len(row) != len(IMPORT_HEADER):
        raise FamcovError(
            "INVALID_VALUE",
            {"flag": "columns", "value": str(len(row))},
            message_key="import.columns",
        )
    cells = {k: v.strip() for k, v in zip(IMPORT_HEADER, row, strict=True)}
    kind = cells["kind"]
    if kind not in IMPORT_KINDS:
        raise FamcovError(
            "INVALID_VALUE", {"flag": "kind", "value": kind[:20], "choices": list(IMPORT_KINDS)}
        )
    for column in IMPORT_HEADER[1:]:
        if cells[column] and column not in _USED[kind]:
            raise FamcovError(
                "INVALID_VALUE", {"flag": column, "value": kind}, message_key="import.unused"
            )
        if not cells[column] and column in _REQUIRED[kind]:
            raise FamcovError("MISSING_OPTION", {"flag": column})
    person_id = values.person_id(cells["id"], flag="id", today=today, known=records.names)
    if kind == "worker":
        add_worker(
            records,
            today,
            person_id=person_id,
            name=values.name(cells["name"], flag="name"),
            region=policy.find_region(cells["region"], flag="region"),
            balance=values.amount(cells["balance"], flag="balance", allow_zero=True),
            status=values.status(cells["status"], flag="status") if cells["status"] else "active",
        )
    elif kind == "resident":
        enrol(
            records,
            person_id=person_id,
            name=values.name(cells["name"], flag="name"),
            region=policy.find_region(cells["region"], flag="region"),
            year=values.year(cells["year"], flag="year"),
        )
    elif kind == "employee":
        mark_employee(records, person_id=person_id, name=values.name(cells["name"], flag="name"))
    else:
        record_payment(
            records,
            today,
            person_id=person_id,
            year=values.year(cells["year"], flag="year"),
            channel=values.channel(cells["channel"], flag="channel"),
        )
    return kind


# -- 亲情账户: binding -------------------------------------------------------------


@dataclass
class BindResult:
    binding: Binding
    payer: Worker
    notes: list[Msg] = field(default_factory=list)


def binding_case(
    records: Records,
    policy: Policy,
    *,
    payer: Worker,
    request: BindRequest,
    today: dt.date | None = None,
) -> BindingCase:
    return BindingCase(
        records=records,
        province=policy.province_of(payer.region),
        payer=payer,
        relative=request.relative,
        name=request.name,
        relation=request.relation,
        proof=values.proof_slug(request.proof) if request.proof else None,
        accepted=request.accepted,
        today=today,
        confirm_gap=request.confirm_gap,
    )


def bind(records: Records, policy: Policy, today: dt.date, request: BindRequest) -> BindResult:
    payer = _worker(records, request.payer)
    case = binding_case(records, policy, payer=payer, request=request, today=today)
    failures = [r.as_error() for r in binding_rules(case) if r.failed]
    if failures:
        raise refusal(failures, "error.BIND_REFUSED")
    binding = Binding(
        payer=payer.id,
        relative=request.relative,
        name=request.name,
        relation=request.relation,
        bound_on=today,
        proof=values.proof_name(case.proof) if case.proof else None,
        member=member_status(case.province, request.relative, today),
    )
    records.add_binding(binding)
    notes = binding_notes(records, policy, payer, request.relative, binding)
    return BindResult(binding, payer, notes)


def binding_notes(
    records: Records, policy: Policy, payer: Worker, relative: str, binding: Binding | None = None
) -> list[Msg]:
    home = policy.province_of(payer.region)
    notes = []
    if binding is not None and binding.temporary:
        face_age = home.members.face_age.value if home is not None else 16
        notes.append(Msg("note.temporary_member", {"age": face_age}))
    elif binding is not None:
        notes.append(Msg("note.full_member_minor"))
    if records.holds_employee_insurance(relative):
        notes.append(Msg("note.relative_employee"))
    enrolled = records.enrolments.get(relative, [])
    if not enrolled:
        notes.append(Msg("note.not_enrolled_yet"))
    elif home is not None and home.scope.value == "province":
        outside = [e for e in enrolled if policy.province_of(e.region) is not home]
        if outside and len(outside) == len(enrolled):
            region = policy.region(outside[-1].region)
            notes.append(
                Msg(
                    "note.enrolled_other_province",
                    {"region": region.name if region else outside[-1].region},
                )
            )
    if home is not None and home.worker_binds_only.value:
        from famcov.domain.rules import illustrative_mark

        mark = illustrative_mark(home.worker_binds_only)
        notes.append(Msg("bureau.note.worker_binds", {"province": home.name, "mark": mark}))
    return notes


def _bound(records: Records, request: MemberRequest) -> Binding:
    payer = _worker(records, request.payer)
    ruling = member_bound(records, payer.id, request.relative)
    if ruling.failed:
        raise ruling.as_error()
    binding = records.active_binding(payer.id, request.relative)
    assert binding is not None
    return binding


def verify(records: Records, today: dt.date, request: MemberRequest) -> Binding:
    """人脸认证 (simulated): a temporary member becomes a full member."""
    binding = _bound(records, request)
    if not binding.temporary:
        raise FamcovError(
            "VERIFY_NOT_NEEDED",
            {
                "name": binding.name,
                "date": str(binding.verified_on or binding.bound_on),
                "hint": Msg("hint.verified" if binding.verified_on else "hint.minor_member"),
            },
        )
    binding.member = "full"
    binding.verified_on = today
    return binding


def unbind(records: Records, today: dt.date, request: MemberRequest) -> Binding:
    binding = _bound(records, request)
    binding.unbound_on = today
    release_quota(records, binding.payer, binding.relative, today)
    return binding


# -- 跨省共济额度: the cross-province quota (2026 notice, a what-if) -------------------


def quota_open(records: Records, payer: str, relative: str) -> bool:
    """A quota relationship stands: the last reserve/release for the pair is a reserve."""
    last = None
    for e in records.ledger_by_account.get(payer, ()):
        if e.relative == relative and e.kind in ("reserve", "release"):
            last = e.kind
    return last == "reserve"


def release_quota(
    records: Records, payer_id: str, relative: str, today: dt.date
) -> LedgerEntry | None:
    """Give back what is left of a relative's quota: on request, on unbinding, or when
    either side's insurance moves to another 统筹地区 (nothing to do if none stands)."""
    worker = records.worker(payer_id)
    remaining = records.quota(payer_id, relative)
    if worker is None or not quota_open(records, payer_id, relative):
        return None
    return records.post(worker, "release", 0, today, quota=-remaining, relative=relative)


def released_quota(records: Records, binding: Binding, today: dt.date) -> int:
    """What ending this binding gave back of a cross-province quota today (0 if none)."""
    return sum(
        -e.quota
        for e in records.ledger_by_account.get(binding.payer, ())
        if e.kind == "release" and e.relative == binding.relative and e.on == today
    )


@dataclass
class QuotaResult:
    payer: Worker
    binding: Binding
    entry: LedgerEntry
    quota: int  # the relative's quota after the change
    spendable: int


def reserve(
    records: Records, policy: Policy, today: dt.date, request: MemberRequest, amount: int
) -> QuotaResult:
    """Set a quota aside for a relative insured in another province (共济额度)."""
    payer, relative = _worker(records, request.payer), request.relative
    province = policy.province_of(payer.region)
    if province is None or province.scope.value != "cross-province-quota":
        raise FamcovError(
            "QUOTA_NOT_AVAILABLE", {"province": province.name if province else payer.region}
        )
    binding = _bound(records, request)
    if binding.temporary:
        raise FamcovError("MEMBER_TEMPORARY", {"name": binding.name})
    spendable = records.spendable(payer)
    if amount > spendable:
        raise FamcovError(
            "INSUFFICIENT_BALANCE",
            {"balance": yuan(spendable), "amount": yuan(amount)},
            message_key="quota.too_much",
        )
    entry = records.post(payer, "reserve", 0, today, quota=amount, relative=relative)
    quota = records.quota(payer.id, relative)
    return QuotaResult(payer, binding, entry, quota, records.spendable(payer))


def release(records: Records, today: dt.date, request: MemberRequest) -> QuotaResult:
    payer, relative = _worker(records, request.payer), request.relative
    binding = next(
        (
            b
            for b in reversed(records.bindings_by_payer.get(payer.id, ()))
            if b.relative == relative
        ),
        None,
    )
    entry = release_quota(records, payer.id, relative, today)
    if binding is None or entry is None:
        raise FamcovError("QUOTA_NONE", {"relative": mask(relative)})
    return QuotaResult(payer, binding, entry, 0, records.spendable(payer))


def move(
    records: Records, policy: Policy, today: dt.date, *, person_id: str, region: Region
) -> Worker:
    """The worker's insurance moves to another 统筹地区: their quotas end (2026 notice)."""
    worker = _worker(records, person_id)
    if worker.region != region.code:
        worker.region = region.code
        related = {e.relative for e in records.ledger_by_account.get(worker.id, ()) if e.relative}
        for relative in sorted(related):
            release_quota(records, worker.id, relative, today)
    return worker


@dataclass
class Family:
    payer: Worker
    members: list[Binding]
    history: list[Binding]


def family(records: Records, *, payer_id: str) -> Family:
    payer = _worker(records, payer_id)
    history = list(records.bindings_by_payer.get(payer.id, ()))
    return Family(payer, [b for b in history if b.active], history)


# -- 个人账户代缴申请: check and pay ------------------------------------------------


class Verdict:
    """Every rule of a check, passed, failed or skipped; passed when none failed."""

    rules: list[RuleResult]

    @property
    def passed(self) -> bool:
        return not any(r.failed for r in self.rules)

    @property
    def failures(self) -> list[RuleResult]:
        return [r for r in self.rules if r.failed]


@dataclass
class CheckResult(Verdict):
    case: PaymentCase
    rules: list[RuleResult]


def payment_case(
    records: Records, policy: Policy, today: dt.date, request: PaymentRequest
) -> PaymentCase:
    """What the payment rules (and the tax channel's) look at, for one request."""
    return PaymentCase(
        records=records,
        policy=policy,
        today=today,
        payer=_worker(records, request.payer),
        relative=request.relative,
        region=request.region,
        year=request.year,
        tier_text=request.tier,
        accept_no_cover=request.accept_no_cover,
    )


def check(records: Records, policy: Policy, today: dt.date, request: PaymentRequest) -> CheckResult:
    case = payment_case(records, policy, today, request)
    return CheckResult(case, payment_rules(case))


def pay(records: Records, policy: Policy, today: dt.date, request: PaymentRequest) -> Payment:
    region, relative, channel = request.region, request.relative, request.channel
    province = policy.province_of(region.code)
    if channel is not None:  # a channel the region's province does not offer is refused first
        pack = policy.find_channel(channel, province) if province else None
        if pack is not None and province is not None and pack.funds != "personal-account":
            # a channel that does not debit the account (Hubei's pay-first, the tax channel's
            # own money) takes no proxy payment: `famcov pay-tax` pays through it
            offered = [c.id for c in policy.channels(province) if c.funds == "personal-account"]
            raise FamcovError(
                "CHANNEL_NOT_ACCOUNT",
                {"channel": pack.id, "method": pack.method or pack.name, "choices": offered},
            )
        channel = pack.id if pack is not None else None
    else:  # the one chosen last, if this province offers it
        remembered = records.state.channel
        if province is not None and isinstance(remembered, str):
            # not a pay-first channel: a proxy payment is not Hubei's tax-then-return
            kept = {c.id for c in policy.channels(province) if c.funds == "personal-account"}
            channel = remembered if remembered in kept else None
    result = check(records, policy, today, request)
    if not result.passed:
        raise refusal([r.as_error() for r in result.failures])
    case = result.case
    chosen, year_policy, binding, payer = case.tier, case.year_policy, case.binding, case.payer
    assert chosen is not None and year_policy is not None and binding is not None
    window = year_policy.window_for(region.code)
    found = case_terms(case)
    assert found is not None
    in_window, benefits_from = found.in_window, found.benefits_from
    amount = chosen.fen
    no = records.next_receipt_no(today)
    before = payer.balance
    if from_quota(case):  # 跨省共济: out of the quota reserved for this relative
        records.post(payer, "payment", -amount, today, ref=no, quota=-amount, relative=relative)
    else:
        records.post(payer, "payment", -amount, today, ref=no)
    payment = Payment(
        no=no,
        payer=payer.id,
        payer_name=payer.name,
        relative=relative,
        relative_name=binding.name,
        relation=binding.relation,
        region=region.code,
        year=request.year,
        tier=chosen.id,
        amount=amount,
        balance_before=before,
        balance_after=payer.balance,
        paid_on=today,
        in_window=in_window,
        benefits_from=benefits_from,
        illustrative=bool(
            chosen.illustrative or year_policy.waiting_months.illustrative or window.illustrative
        ),
        waiting_months=found.months,
        gap_years=found.gap_years,
        channel=channel,
    )
    records.add_payment(payment)
    if channel is not None:
        records.state.channel = channel  # remembered for the next payment
    return payment


def paid_through(payment: Payment, policy: Policy):
    """The channel pack a payment went through: its own, else its province's usual one."""
    return policy.channel_for(payment.region, payment.channel)


def _look_up(payment: Payment, policy: Policy, province) -> Msg:
    """Where to look the payment up: the menus of the channel it was paid through."""
    from famcov.policy import Text

    channel = paid_through(payment, policy)
    if channel is None or channel.id == "sichuan-app":
        return Msg("note.look_up", {"no": payment.no, "app": province.app if province else ""})
    where = Text(zh=channel.where("query", "zh"), en=channel.where("query", "en"))
    return Msg("channel.note.look_up", {"no": payment.no, "where": where})


def channel_notes(payment: Payment, policy: Policy) -> list[Msg]:
    """What the channel a payment went through adds: the tax channel's 是否代缴, the two
    apps of a bind-here-pay-there channel, the return of a pay-first channel."""
    from famcov.policy import Text

    channel = paid_through(payment, policy)
    if channel is None or payment.channel is None:
        return []

    def where(action: str) -> Text:
        return Text(zh=channel.where(action, "zh"), en=channel.where(action, "en"))

    if channel.funds == "pay-then-return":
        return [Msg("channel.note.return", {"pay": where("pay"), "claim": where("return")})]
    if channel.kind == "two-app":
        return [Msg("channel.note.two_app", {"bind": where("bind"), "pay": where("pay")})]
    if channel.kind == "tax":
        return [Msg("channel.note.tax", {"pay": where("pay")})]
    if channel.kind == "counter":
        return [
            Msg(
                "channel.note.counter",
                {
                    "items": Text(
                        zh="；".join(b.zh for b in channel.bring),
                        en="; ".join(b.en for b in channel.bring),
                    )
                },
            )
        ]
    return [Msg("channel.note.paid_in", {"pay": where("pay")})]


def method_note(channel: Any) -> list[Msg]:
    """The payment method of the channel, as its screen says it (支付方式)."""
    if channel is None or channel.method is None:
        return []
    return [Msg("bureau.note.method", {"channel": channel.name, "method": channel.method})]


def tax_channel(policy: Policy, province: Any) -> Any:
    """The province's tax channel paid with one's own money (是否代缴), else the shared one."""
    offered = policy.channels(province) if province is not None else []
    own = next((c for c in offered if c.kind == "tax" and c.funds == "own-money"), None)
    return own or policy.channel_packs.get("tax-city-service")


def benefit_notes(
    year: int, found: Terms, born: dt.date | None = None, province: Any = None
) -> list[Msg]:
    """When cover starts (国办发〔2024〕38号): inside the window, for someone continuously
    insured, 1 January; a lapse waits even inside the window; outside it after the
    waiting period; a newborn from birth within the pack's days, else from the payment
    date; and whether cover starts past the year's end."""
    date = found.benefits_from.isoformat()
    if found.newborn or (found.months == 0 and not found.in_window):
        from famcov.domain.rules import illustrative_mark

        days = province.waiting.newborn_days if province is not None else None
        mark = illustrative_mark(days)  # 示意 where the pack's 90 days are unsourced
        if born is not None and found.benefits_from == born:
            notes = [Msg("bureau.note.newborn_birth", {"date": date, "mark": mark})]
        elif found.benefits_from == dt.date(year, 1, 1):
            notes = [Msg("note.in_window", {"year": year, "date": date})]
        else:
            notes = [Msg("bureau.note.newborn_late", {"date": date, "mark": mark})]
    elif found.in_window and found.months == 0:
        return [Msg("note.in_window", {"year": year, "date": date})]
    elif found.in_window:
        notes = [Msg("bureau.note.lapse_in_window", {"months": found.months, "date": date})]
    else:
        notes = [Msg("note.waiting", {"months": found.months, "date": date})]
    if found.gap_years:
        notes.append(Msg("note.gap_years", {"gaps": found.gap_years}))
        notes.append(Msg("bureau.note.critical_reset"))
    if found.repaired:
        notes.append(Msg("bureau.note.repaired", {"repaired": found.repaired}))
    if found.past_year_end(year):
        notes.append(Msg("note.waiting_past_year", {"year": year}))
    return notes


def receipt_notes(payment: Payment, policy: Policy) -> list[Msg]:
    """The notes DOMAIN.md requires on every receipt, in the order a person needs them."""
    province = policy.province_of(payment.region)
    year_policy = policy.year_policy(payment.region, payment.year)
    look_up = _look_up(payment, policy, province)
    if payment.status == "revoked":
        # A revoked payment buys nothing: no benefits, and the year may be paid again.
        return [
            Msg(
                "note.revoked",
                {
                    "date": str(payment.revoked_on),
                    "reason": Msg(f"reason.{payment.revoke_reason or 'other'}"),
                    "year": payment.year,
                },
            ),
            look_up,
        ]
    months = payment.waiting_months
    if months is None:  # paid before famcov kept the months on the payment
        months = year_policy.waiting_months.value if year_policy else 0
    notes = [Msg("note.no_second_payment")]
    repaired = 0
    if payment.gap_years and province is not None and year_policy is not None:
        # the months a lapse adds, less those the receipt shows: missed years paid back
        waiting = province.waiting
        added = (
            year_policy.waiting_months.value + payment.gap_years * waiting.per_gap_year_months.value
        )
        per_repair = waiting.repair_months_per_year.value
        if payment.gap_years >= waiting.repair_floor_after_years.value:
            per_repair = 0  # the floor may hide how many were paid back: say nothing
        repaired = min(max(added - months, 0) // per_repair, payment.gap_years) if per_repair else 0
    notes += benefit_notes(
        payment.year,
        Terms(
            payment.in_window, payment.benefits_from, months, payment.gap_years, repaired=repaired
        ),
        birth_date(payment.relative),
        province,
    )
    notes.append(Msg("note.per_person_year"))
    through = paid_through(payment, policy)
    if through is not None and through.funds != "personal-account" and province is not None:
        # a proxy payment came out of the account: the method of a channel that does so
        offered = policy.channels(province)
        through = next((c for c in offered if c.funds == "personal-account"), None)
    notes.extend(method_note(through))
    notes.extend(channel_notes(payment, policy))
    notes.append(look_up)
    notes.append(Msg("note.receipt_no"))
    if payment.illustrative:
        notes.append(Msg("note.illustrative"))
    return notes


# -- 税务渠道: paying through the tax channel (自然人缴纳社保费, 是否代缴) ----------------------


def tax_check(
    records: Records, policy: Policy, today: dt.date, request: PaymentRequest
) -> CheckResult:
    """The tax channel's own checks: whom it is for, the year, the tier, paid already."""
    case = payment_case(records, policy, today, request)
    return CheckResult(case, tax_payment_rules(case))


def pay_by_tax(
    records: Records, policy: Policy, today: dt.date, request: PaymentRequest
) -> PaidElsewhere:
    """支付宝/微信 城市服务 → 社保 → 自然人缴纳社保费, 是否代缴 ticked: the worker pays a
    relative's premium with their own money (not the personal account). Recorded as paid
    through the tax channel, with who paid and how much, so Hubei can return it."""
    result = tax_check(records, policy, today, request)
    if not result.passed:
        raise refusal([r.as_error() for r in result.failures])
    chosen = result.case.tier
    assert chosen is not None
    record = PaidElsewhere(
        id=request.relative,
        year=request.year,
        channel="tax",
        recorded_on=today,
        payer=request.payer,
        region=request.region.code,
        tier=chosen.id,
        amount=chosen.fen,
    )
    records.add_paid_elsewhere(record)
    return record


def tax_notes(record: PaidElsewhere, policy: Policy, records: Records) -> list[Msg]:
    """What a tax-channel payment's confirmation says: no second payment, when cover
    starts, where to look it up, and in a province that returns it, where to apply."""
    from famcov.policy import Text

    notes = [
        Msg("tax.note.paid", {"year": record.year}),
        Msg("tax.note.once", {"year": record.year}),
    ]
    province = policy.province_of(record.region) if record.region else None
    year_policy = policy.year_policy(record.region, record.year) if record.region else None
    if year_policy is not None and record.region:
        found = terms(
            province,
            year_policy,
            records,
            record.id,
            record.region,
            record.year,
            record.recorded_on,
        )
        notes += benefit_notes(record.year, found, birth_date(record.id), province)
    tax = tax_channel(policy, province)
    notes.extend(method_note(tax))
    if tax is not None:
        where = Text(zh=tax.where("query", "zh"), en=tax.where("query", "en"))
        notes.append(Msg("tax.note.look_up", {"where": where}))
    back = (
        next((c for c in policy.channels(province) if c.funds == "pay-then-return"), None)
        if province is not None
        else None
    )
    if back is not None:
        claim = Text(zh=back.where("return", "zh"), en=back.where("return", "en"))
        notes.append(Msg("tax.note.return", {"claim": claim, "year": record.year}))
    return notes


# -- 先缴后返: the return application (湖北医疗保障 → 返还申请) -----------------------------


@dataclass
class ReturnCheck(Verdict):
    case: ReturnCase
    rules: list[RuleResult]


@dataclass
class ReturnResult:
    no: str
    payer: Worker
    relative: str
    relative_name: str
    year: int
    amount: int
    balance_before: int
    balance_after: int
    returned_on: dt.date
    paid: PaidElsewhere
    channel: Any = None  # the channel pack that returns it
    notes: list[Msg] = field(default_factory=list)


def return_check(
    records: Records, policy: Policy, today: dt.date, request: ReturnRequest
) -> ReturnCheck:
    payer = _worker(records, request.payer)
    case = ReturnCase(
        records=records,
        policy=policy,
        today=today,
        payer=payer,
        relative=request.relative,
        year=request.year,
    )
    return ReturnCheck(case, return_rules(case))


def claim_return(
    records: Records, policy: Policy, today: dt.date, request: ReturnRequest
) -> ReturnResult:
    """Return a premium the worker paid through the tax channel out of their personal
    account: one `return` ledger entry, and the payment marked returned (once)."""
    result = return_check(records, policy, today, request)
    if not result.passed:
        raise refusal([r.as_error() for r in result.failures], "error.RETURN_REFUSED")
    case = result.case
    paid, payer, binding, amount = case.paid, case.payer, case.binding, case.amount
    assert paid is not None and amount is not None and binding is not None
    number = records.state.next_receipt
    records.state.next_receipt = number + 1
    no = f"FH{today:%Y%m%d}{number:04d}"
    before = payer.balance
    records.post(payer, "return", -amount, today, ref=no, relative=request.relative)
    paid.amount = amount  # a payment recorded without one: the amount returned
    paid.return_no = no
    paid.returned_on = today
    paid.returned_to = payer.id
    channel = case.return_channel
    claimed = ReturnResult(
        no=no,
        payer=payer,
        relative=request.relative,
        relative_name=binding.name,
        year=request.year,
        amount=amount,
        balance_before=before,
        balance_after=payer.balance,
        returned_on=today,
        paid=paid,
        channel=channel,
    )
    claimed.notes = return_notes(claimed, case.province)
    return claimed


def return_notes(claimed: ReturnResult, province: Any = None) -> list[Msg]:
    from famcov.domain.rules import illustrative_mark
    from famcov.policy import Text

    notes = [Msg("return.note.once", {"year": claimed.year})]
    if province is not None and province.returns.to_bank.value:
        mark = illustrative_mark(province.returns.to_bank)
        notes.append(Msg("bureau.return.to_bank", {"amount": yuan(claimed.amount), "mark": mark}))
    if province is not None and province.returns.reapply.value:
        notes.append(
            Msg("bureau.return.reapply", {"mark": illustrative_mark(province.returns.reapply)})
        )
    channel = claimed.channel
    if channel is not None:
        where = Text(zh=channel.where("query", "zh"), en=channel.where("query", "en"))
        notes.append(Msg("return.note.look_up", {"where": where}))
    notes.append(Msg("return.note.no_second_payment", {"year": claimed.year}))
    return notes


def choose_channel(records: Records, policy: Policy, *, province: str, channel: str) -> None:
    """Remember the province and the channel the wizard walks (first run, home menu)."""
    found = policy.find_province(province)
    records.state.province = found.code
    records.state.channel = policy.find_channel(channel, found).id


# -- 查询/退费: look up and revoke -------------------------------------------------


def find_payments(
    records: Records,
    *,
    payer: str | None = None,
    relative: str | None = None,
    year: int | None = None,
) -> list[Payment]:
    return [
        p
        for p in records.state.payments
        if (payer is None or p.payer == payer)
        and (relative is None or p.relative == relative)
        and (year is None or p.year == year)
    ]


def receipt(records: Records, no: str) -> Payment:
    payment = records.payments_by_no.get(values.receipt_no(no))
    if payment is None:
        raise FamcovError("UNKNOWN_RECEIPT", {"no": str(no).strip()[:30]})
    return payment


def revocation_failures(
    records: Records, policy: Policy, today: dt.date, payment: Payment
) -> list[RuleResult]:
    """Why this payment may not be revoked today (empty: it may): already revoked, or
    the province's conditions (window, reconciliation, the payer's benefits, hours)."""
    ruling = not_revoked(payment)
    if ruling.failed:
        return [ruling]
    claims = records.state.claims
    used = [c.on for c in claims if c.id == payment.relative and c.year == payment.year]
    case = RevocationCase(
        payment, policy, today, records.worker(payment.payer), min(used, default=None)
    )
    return [r for r in revocation_rules(case) if r.failed]


def revocation_refusal(
    records: Records, policy: Policy, today: dt.date, payment: Payment
) -> FamcovError | None:
    failures = revocation_failures(records, policy, today, payment)
    if not failures:
        return None
    if len(failures) == 1 and failures[0].code == "ALREADY_REVOKED":
        return failures[0].as_error()
    return refusal([r.as_error() for r in failures], "error.REVOKE_REFUSED")


def revoke(records: Records, policy: Policy, today: dt.date, request: RevokeRequest) -> Payment:
    payment = receipt(records, request.no)
    refused = revocation_refusal(records, policy, today, payment)
    if refused is not None:
        raise refused
    reason = request.reason
    worker = _worker(records, payment.payer)
    spent = next(
        (
            e
            for e in records.ledger_by_account.get(worker.id, ())
            if e.kind == "payment" and e.ref == payment.no and e.quota
        ),
        None,
    )
    if spent is not None and quota_open(records, worker.id, payment.relative):
        # back into the relative's quota, which still stands
        records.post(
            worker,
            "refund",
            payment.amount,
            today,
            ref=payment.no,
            quota=-spent.quota,
            relative=payment.relative,
        )
    else:
        records.post(worker, "refund", payment.amount, today, ref=payment.no)
    payment.status = "revoked"
    payment.revoked_on = today
    payment.revoke_reason = reason
    records.mark_revoked(payment)
    return payment


@dataclass
class Account:
    worker: Worker
    entries: list[LedgerEntry]


def account(records: Records, *, payer_id: str) -> Account:
    worker = _worker(records, payer_id)
    return Account(worker, list(records.ledger_by_account.get(worker.id, ())))


# -- setups: the demo family and training scenarios ----------------------------------


def run_setup(
    records: Records, policy: Policy, today: dt.date, steps: list[dict[str, Any]]
) -> None:
    """Build records from a list of steps (data/demo.json, data/scenarios/*.json),
    through the same actions a person or a script would use."""
    for step in steps:
        on = values.date(step["on"], flag="on") if "on" in step else today
        op = step["op"]
        if op == "worker":
            add_worker(
                records,
                on,
                person_id=step["id"],
                name=step["name"],
                region=_region_known(policy, step["region"]),
                balance=values.amount(step["balance"], allow_zero=True),
                status=step.get("status", "active"),
            )
        elif op == "enrol":
            enrol(
                records,
                person_id=step["id"],
                name=step["name"],
                region=_region_known(policy, step["region"]),
                year=values.year(step["year"], flag="year"),
                today=on,
            )
        elif op == "employee":
            mark_employee(records, person_id=step["id"], name=step["name"])
        elif op == "paid-elsewhere":
            record_payment(
                records,
                on,
                person_id=step["id"],
                year=values.year(step["year"], flag="year"),
                channel=step["channel"],
            )
        elif op == "credit":
            credit(records, on, person_id=step["id"], amount=values.amount(step["amount"]))
        elif op == "claim":
            record_claim(
                records, on, person_id=step["id"], year=values.year(step["year"], flag="year")
            )
        elif op == "bind":
            bind(records, policy, on, build(BindRequest, step, accepted=True))
        elif op == "verify":
            verify(records, on, build(MemberRequest, step))
        elif op == "reserve":
            reserve(records, policy, on, build(MemberRequest, step), values.amount(step["amount"]))
        elif op == "release":
            release(records, on, build(MemberRequest, step))
        elif op == "move":
            region = _region_known(policy, step["region"])
            move(records, policy, on, person_id=step["id"], region=region)
        elif op == "pay":
            region, year = (
                _region_known(policy, step["region"]),
                values.year(step["year"], flag="year"),
            )
            pay(records, policy, on, build(PaymentRequest, step, region=region, year=year))
        elif op == "revoke":
            revoke(records, policy, on, build(RevokeRequest, step))
        elif op == "pay-tax":
            region = _region_known(policy, step["region"])
            year = values.year(step["year"], flag="year")
            pay_by_tax(records, policy, on, build(PaymentRequest, step, region=region, year=year))
        elif op == "claim-return":
            year = values.year(step["year"], flag="year")
            claim_return(records, policy, on, build(ReturnRequest, step, year=year))
        else:
            raise FamcovError("BAD_POLICY", {"file": "setup", "problem": f"unknown step {op!r}"})


# -- who a command means ----------------------------------------------------------


def new_relative_id(
    records: Records, text: str, today: dt.date, *, flag: str = "--relative"
) -> str:
    """The ID of a relative to bind. A name (no digit in it) is taken for the one person
    the bureau's records know by that name (an enrolment, an employee, a worker), so
    that a practice can name people without printing their IDs; a name nobody or
    several people have is named as such, not as a bad ID."""
    if not any(ch.isdigit() for ch in str(text)):
        wanted = " ".join(str(text).split())
        state = records.state
        holders = {
            r.id
            for group in (state.enrolments, state.employees, state.workers)
            for r in group
            if r.name == wanted
        }
        if len(holders) == 1:
            return holders.pop()
        raise FamcovError(
            "INVALID_ID", {"flag": flag, "value": wanted[:40]}, message_key="error.ID_NOT_NAME"
        )
    return values.person_id(text, flag=flag, today=today, known=records.names)


def _looks_like_id(text: str) -> bool:
    compact = "".join(str(text).split())
    return len(compact) >= 15 and compact[:15].isdigit()


def _id_or_unknown(text: str, flag: str, today: dt.date) -> str:
    """Text with no digit at all was meant as a name that nobody in the records has."""
    if not any(ch.isdigit() for ch in str(text)):
        wanted = " ".join(str(text).split())[:40]
        raise FamcovError(
            "UNKNOWN_PERSON", {"id": wanted, "hint": Msg("hint.unknown_name", {"flag": flag})}
        )
    return values.person_id(text, flag=flag, today=today)


def find_payer(records: Records, text: str, today: dt.date, *, flag: str = "--payer") -> str:
    """A worker by resident ID or, for convenience at a counter, by a unique name."""
    if _looks_like_id(text):
        return values.person_id(text, flag=flag, today=today, known=records.workers)
    wanted = " ".join(str(text).split())
    matches = [w.id for w in records.state.workers if w.name == wanted]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        return _id_or_unknown(text, flag, today)
    raise FamcovError(
        "UNKNOWN_PERSON", {"id": wanted[:40], "hint": Msg("hint.ambiguous_name", {"flag": flag})}
    )


def tax_relative(records: Records, payer: str, text: str, today: dt.date) -> str:
    """Whom a tax-channel payment is for: a bound member by name, else anyone the records
    know by name or ID (the tax channel needs no binding)."""
    try:
        return find_relative(records, payer, text, today)
    except FamcovError as exc:
        if exc.code != "UNKNOWN_PERSON":
            raise
    return new_relative_id(records, text, today)


def find_relative(
    records: Records, payer: str | None, text: str, today: dt.date, *, flag: str = "--relative"
) -> str:
    """A relative by resident ID or by the name of one of the payer's bound members
    (of anyone's, when no payer is given, as `payments --relative NAME`)."""
    if _looks_like_id(text):
        return values.person_id(text, flag=flag, today=today, known=records.names)
    wanted = " ".join(str(text).split())
    bindings = records.bindings_by_payer.get(payer, ()) if payer else records.state.bindings
    matches = {b.relative for b in bindings if b.name == wanted}
    if len(matches) == 1:
        return matches.pop()
    if not matches:
        return _id_or_unknown(text, flag, today)
    raise FamcovError(
        "UNKNOWN_PERSON", {"id": wanted[:40], "hint": Msg("hint.ambiguous_name", {"flag": flag})}
    )
