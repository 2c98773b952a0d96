"""The binding rules (亲情账户) that `bind` and the bind wizard call: the app's own
checks, then those the bureaus add, which read the province's `members` parameters
(sourced in the pack, or marked illustrative); and the status a new member starts with."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from famcov.domain.ids import mask
from famcov.domain.model import MemberStatus, Worker
from famcov.domain.policy import Province
from famcov.domain.records import Records
from famcov.domain.rules.core import RuleResult, Rules, judged, relation_name, skipped, sources_say
from famcov.domain.rules.person import age_on, birth_date, years_between
from famcov.i18n import Msg


@dataclass
class BindingCase:
    records: Records
    province: Province | None  # the payer's
    payer: Worker
    relative: str
    name: str
    relation: str
    proof: str | None
    accepted: bool
    today: dt.date | None = None
    confirm_gap: bool = False  # the trainee confirmed an unusual age gap


def commitment_accepted(case: BindingCase) -> RuleResult:
    return judged("COMMITMENT_REQUIRED", case.accepted)


def not_self(case: BindingCase) -> RuleResult:
    return judged("CANNOT_BIND_SELF", case.payer.id != case.relative)


def not_already_bound(case: BindingCase) -> RuleResult:
    bound = case.records.active_binding(case.payer.id, case.relative)
    return judged("ALREADY_BOUND", bound is None, relative=mask(case.relative), name=case.name)


def name_matches(case: BindingCase) -> RuleResult:
    """The name given is the one the records hold for the ID: an enrolment's, a worker's,
    an employee's, or the name any binding of that ID was made under, ended or not."""
    known = case.records.known_name(case.relative)
    if known is None:
        known = next(
            (b.name for b in case.records.state.bindings if b.relative == case.relative), None
        )
    return judged(
        "NAME_MISMATCH",
        known is None or known == case.name,
        relative=mask(case.relative),
        name=case.name,
    )


def relation_allowed_to_bind(case: BindingCase) -> RuleResult:
    if case.province is None:
        return skipped("RELATION_NOT_ALLOWED")
    return judged(
        "RELATION_NOT_ALLOWED",
        case.province.allows(case.relation),
        relation=relation_name(case.relation),
        province=case.province.name,
    )


def proof_given(case: BindingCase) -> RuleResult:
    needed = case.province is not None and case.province.proof_required.value
    ok = not needed or bool(case.proof)
    if ok or case.province is None or not case.province.proof_required.says:
        return judged("PROOF_REQUIRED", ok, province=case.province.name if case.province else "")
    # the sources disagree: famcov asks for it as an illustrative value and says why
    value = case.province.proof_required
    return RuleResult(
        "PROOF_REQUIRED",
        "failed",
        {"province": case.province.name, "says": sources_say(value)},
        message_variant="disputed",
    )


# Relations whose relative is older than the worker (+) or younger (-), and by how many
# generations.
GENERATIONS = {
    "parent": 1,
    "grandparent": 2,
    "maternal-grandparent": 2,
    "child": -1,
    "grandchild": -2,
    "maternal-grandchild": -2,
}


def _elder_and_younger(case: BindingCase) -> tuple[int, dt.date, dt.date] | None:
    """The relation's generations apart and the birth dates of whom it says is the elder
    and the younger (from the two ID numbers); None for a relation in the worker's own
    generation (a spouse) or an ID that names no date."""
    generations = GENERATIONS.get(case.relation)
    worker_born, relative_born = birth_date(case.payer.id), birth_date(case.relative)
    if generations is None or worker_born is None or relative_born is None:
        return None
    if generations > 0:
        return generations, relative_born, worker_born
    return generations, worker_born, relative_born


def relation_matches_ids(case: BindingCase) -> RuleResult:
    """A parent is born before the worker, a child after: the ID numbers say when. The
    message names no birth date: it is the part of the ID a masked ID hides."""
    born = _elder_and_younger(case)
    if born is None:
        return skipped("RELATION_BIRTH_ORDER")
    generations, older, younger = born
    return judged(
        "RELATION_BIRTH_ORDER",
        older < younger,
        relation=relation_name(case.relation),
        order=Msg("word.born_after" if generations > 0 else "word.born_before"),
        # an elder who is younger is perhaps a child or grandchild, and the other way round
        hint=Msg("hint.relation_younger" if generations > 0 else "hint.relation_older"),
    )


def generation_gap_plausible(case: BindingCase) -> RuleResult:
    """A parent 10 years older is possible on paper but worth a second look: the trainee
    must confirm it (--confirm-gap). The threshold is the pack's `members.warn_generation_gap`."""
    born = _elder_and_younger(case)
    if born is None:
        return skipped("RELATION_GAP")
    generations, older, younger = born
    gap = years_between(older, younger)
    if older >= younger:
        return skipped("RELATION_GAP")
    members = case.province.members if case.province is not None else None
    per_generation = members.warn_generation_gap.value if members else 14
    least = per_generation * abs(generations)
    plausible = gap >= least
    return judged(
        "RELATION_GAP",
        plausible or case.confirm_gap,
        relation=relation_name(case.relation),
        gap=gap,
        least=least,
        confirmed=Msg("word.gap_confirmed") if case.confirm_gap and not plausible else "",
    )


def face_or_proof(case: BindingCase) -> RuleResult:
    """Under the face age (16) a binding needs a relation proof (户口本 or 出生医学证明)
    instead of face verification; at that age or over, face verification comes later and
    the relative is a temporary member until then."""
    age = age_on(case.relative, case.today) if case.today else None
    members = case.province.members if case.province is not None else None
    if age is None or members is None:
        return skipped("MINOR_PROOF_REQUIRED")
    if age >= members.face_age.value:
        return RuleResult(
            "MINOR_PROOF_REQUIRED", "skipped", {"age": age, "face_age": members.face_age.value}
        )
    allowed = members.minor_proofs.value
    return judged(
        "MINOR_PROOF_REQUIRED",
        case.proof in allowed,
        age=age,
        face_age=members.face_age.value,
        proofs=[Msg(f"proof.{p}") for p in allowed],
    )


BINDING_RULES = Rules[BindingCase](
    commitment_accepted,
    not_self,
    not_already_bound,
    name_matches,
    relation_allowed_to_bind,
    proof_given,
    relation_matches_ids,
    generation_gap_plausible,
    face_or_proof,
)


def member_status(province, relative: str, today: dt.date) -> MemberStatus:
    """The status a new binding starts with: temporary until face verification at the
    face age or over, full below it (the relation proof stands in)."""
    age = age_on(relative, today)
    face_age = province.members.face_age.value if province is not None else 16
    return "temporary" if age is None or age >= face_age else "full"
