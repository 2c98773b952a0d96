"""Policy packs: everything that varies by province or year, loaded from data/ and checked.

One JSON file per province (see data/policies/FORMAT.md). Loading decodes each
file into typed structs, then checks what types cannot: codes belong to their
province, windows lie inside the open period, every value has a source or is
marked illustrative.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import msgspec

from famcov.domain.model import PROOFS, RELATIONS
from famcov.domain.policy import (  # noqa: F401 - the types, re-exported for the loaders' callers
    Members,
    Pack,
    Period,
    Policy,
    Province,
    Region,
    RegionWindow,
    Revocation,
    Scope,
    Sourced,
    Text,
    Tier,
    Waiting,
    YearPolicy,
    _illustrative,
)
from famcov.domain.text import clipped
from famcov.errors import FamcovError


def default_dir() -> Path:
    """data/policies inside the installed package, or beside it in a source checkout."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "data", here.parent / "data"):
        if (candidate / "policies").is_dir():
            return candidate
    return here / "data"


def data_dir() -> Path:
    override = os.environ.get("FAMCOV_DATA_DIR")
    return Path(override) if override else default_dir()


_decoder = msgspec.json.Decoder(Province)
# A source names a public notice; a brief, a seed copy or another internal file is no source.
_INTERNAL = re.compile(r"\bseed\b|\.md\b|\.txt\b|DOMAIN|brief", re.IGNORECASE)


def what_if() -> str | None:
    """The what-if packs in use (FAMCOV_WHAT_IF), e.g. `cross-province-2026`."""
    return os.environ.get("FAMCOV_WHAT_IF") or None


def what_if_dir(name: str, directory: Path | None = None) -> Path:
    return (directory or data_dir()) / "what-if" / name


def _overlays(name: str, directory: Path | None) -> dict[str, dict]:
    """A what-if's packs by province code: each replaces top-level keys of that
    province's pack and must say, in `what_if`, that it is one."""
    from famcov import datafiles

    folder = what_if_dir(name, directory)
    if not re.fullmatch(r"[a-z0-9-]{1,40}", name) or not folder.is_dir():
        raise FamcovError(
            "BAD_POLICY", {"file": f"what-if/{clipped(name, 40)}", "problem": "no such what-if"}
        )
    found = {}
    for path in sorted(folder.glob("*.json")):
        overlay = datafiles.load_object(path, code="BAD_POLICY")[1]
        if not isinstance(overlay, dict) or not overlay.get("what_if") or "code" not in overlay:
            raise FamcovError(
                "BAD_POLICY",
                {"file": path.name, "problem": "a what-if pack needs code and what_if"},
            )
        found[str(overlay["code"])] = overlay
    return found


def _decode(path: Path, overlays: dict[str, dict]) -> Province:
    """A pack read as any data file is (famcov.datafiles: a regular file, UTF-8, bounded,
    no control character), then decoded into its types."""
    from famcov import datafiles

    pack = datafiles.load_object(path, code="BAD_POLICY")[1]
    raw = datafiles.encoded(pack)
    if overlays:
        import json

        if str(pack.get("code")) in overlays:
            raw = json.dumps({**pack, **overlays[str(pack["code"])]}).encode()
    return _decoder.decode(raw)


def load(directory: Path | None = None) -> Policy:
    folder = (directory or data_dir()) / "policies"
    files = sorted(folder.glob("*.json"))
    if not files:
        raise FamcovError("BAD_POLICY", {"file": str(folder), "problem": "no policy files"})
    name = what_if()
    overlays = _overlays(name, directory) if name else {}
    provinces = []
    for path in files:
        try:
            province = _decode(path, overlays)
        except (OSError, ValueError, msgspec.DecodeError) as exc:
            raise FamcovError("BAD_POLICY", {"file": path.name, "problem": str(exc)}) from None
        for problem in _problems(province):
            raise FamcovError("BAD_POLICY", {"file": path.name, "problem": problem})
        provinces.append(province)
    codes = [p.code for p in provinces]
    if len(set(codes)) != len(codes):
        raise FamcovError("BAD_POLICY", {"file": str(folder), "problem": "duplicate province"})
    from famcov import channel

    packs = channel.load(directory or data_dir())
    for p in provinces:
        for cid in p.channels:
            if cid not in packs:
                raise FamcovError(
                    "BAD_POLICY", {"file": f"{p.code}", "problem": f"unknown channel {cid!r}"}
                )
    return Policy(tuple(provinces), packs)


def _problems(p: Province):
    """Yield what is wrong with a decoded pack, beyond its types."""

    def unsourced(where: str, value: Sourced[Any] | Period | Tier) -> str | None:
        if getattr(value, "says", None) and not value.illustrative:
            return f"{where}: sources disagree (says), so the value must be illustrative"
        if not value.illustrative and not value.source:
            return f"{where}: no source and not marked illustrative"
        if value.source and _INTERNAL.search(value.source):
            return f"{where}: cites an internal file, not a public source"
        return None

    value: Sourced[Any]  # of whichever type: each field checked alike
    for where, value in (
        ("scope", p.scope),
        ("relations", p.relations),
        ("proof_required", p.proof_required),
        ("revoke_in_window_only", p.revoke_in_window_only),
    ):
        if (problem := unsourced(where, value)) is not None:
            yield problem
    for where, value in (
        ("revocation.payer_active", p.revocation.payer_active),
        ("revocation.reconciled_after_open", p.revocation.reconciled_after_open),
        ("revocation.min_hours", p.revocation.min_hours),
        ("revocation.refund_days", p.revocation.refund_days),
        ("revocation.benefits_unused", p.revocation.benefits_unused),
        ("waiting.per_gap_year_months", p.waiting.per_gap_year_months),
        ("waiting.repair_months_per_year", p.waiting.repair_months_per_year),
        ("waiting.repair_floor_after_years", p.waiting.repair_floor_after_years),
        ("waiting.repair_floor_months", p.waiting.repair_floor_months),
        ("waiting.newborn_days", p.waiting.newborn_days),
        ("waiting.past_year_end", p.waiting.past_year_end),
        ("members.face_age", p.members.face_age),
        ("members.minor_proofs", p.members.minor_proofs),
        ("members.warn_generation_gap", p.members.warn_generation_gap),
        ("returns.wait_days", p.returns.wait_days),
        ("returns.years_ahead", p.returns.years_ahead),
        ("returns.to_bank", p.returns.to_bank),
        ("returns.reapply", p.returns.reapply),
        ("balance_above_premium", p.balance_above_premium),
        ("worker_binds_only", p.worker_binds_only),
    ):
        if (problem := unsourced(where, value)) is not None:
            yield problem
    for proof in p.members.minor_proofs.value:
        if proof not in PROOFS:
            yield f"members.minor_proofs: unknown proof {proof!r}"
    for relation in p.relations.value:
        if relation not in RELATIONS:
            yield f"relations: unknown relation {relation!r}"
    codes = {r.code for r in p.regions}
    if len(codes) != len(p.regions):
        yield "regions: duplicate code"
    for r in p.regions:
        if not r.code.startswith(p.code):
            yield f"regions: {r.code} is not in province {p.code}"
    seen_years = set()
    for y in p.years:
        at = f"years[{y.year}]"
        if y.year in seen_years:
            yield f"{at}: duplicate year"
        seen_years.add(y.year)
        for where, period in (
            ("window", y.window),
            ("open", y.open),
            *((f"region_windows[{i}]", rw) for i, rw in enumerate(y.region_windows)),
        ):
            if period.start > period.end:
                yield f"{at}.{where}: starts after it ends"
            if (problem := unsourced(f"{at}.{where}", period)) is not None:
                yield problem
        if not (y.open.start <= y.window.start and y.window.end <= y.open.end):
            yield f"{at}: the window is not inside the open period"
        for rw in y.region_windows:
            for code in rw.regions:
                if code not in codes:
                    yield f"{at}.region_windows: unknown region {code}"
        if (problem := unsourced(f"{at}.waiting_months", y.waiting_months)) is not None:
            yield problem
        if not 0 <= y.waiting_months.value <= 24:
            yield f"{at}.waiting_months: out of range"
        if not y.tiers:
            yield f"{at}: no tiers"
        if len({t.id for t in y.tiers}) != len(y.tiers):
            yield f"{at}: duplicate tier id"
        for t in y.tiers:
            try:
                t.fen  # noqa: B018 - parsing is the check
            except FamcovError:
                yield f"{at}.tiers[{t.id}]: bad amount {t.amount!r}"
            if (problem := unsourced(f"{at}.tiers[{t.id}]", t)) is not None:
                yield problem
            for code in t.regions or ():
                if code not in codes:
                    yield f"{at}.tiers[{t.id}]: unknown region {code}"
