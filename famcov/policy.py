"""Policy packs: everything that varies by province or year, loaded from data/ and checked.

One JSON file per province (see data/policies/FORMAT.md). Loading decodes each
file into typed structs, then checks what types cannot: codes belong to their
province, windows lie inside the open period, every value has a source or is
marked illustrative.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Annotated, Generic, Literal, TypeVar

import msgspec

from famcov.domain.model import PROOFS, RELATIONS, Year
from famcov.domain.money import parse_yuan
from famcov.errors import FamcovError

T = TypeVar("T")

Scope = Literal["province", "cross-province-quota"]


class Pack(msgspec.Struct, forbid_unknown_fields=True):
    pass


class Text(Pack):
    zh: str
    en: str

    def __call__(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh


class Sourced(Pack, Generic[T]):
    value: T
    source: str | None = None
    illustrative: bool = False


class Period(Pack):
    start: dt.date
    end: dt.date
    source: str | None = None
    illustrative: bool = False

    def __contains__(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


class RegionWindow(Period):
    regions: list[str] = []


class Tier(Pack):
    id: Annotated[str, msgspec.Meta(pattern=r"^[a-z0-9-]+$")]
    name: Text
    amount: str
    regions: list[str] | None = None
    source: str | None = None
    illustrative: bool = False

    @property
    def fen(self) -> int:
        return parse_yuan(self.amount)


class YearPolicy(Pack):
    year: Year
    window: Period
    open: Period
    waiting_months: Sourced[int]
    tiers: list[Tier]
    region_windows: list[RegionWindow] = []

    def window_for(self, region: str) -> Period:
        for rw in self.region_windows:
            if region in rw.regions:
                return rw
        return self.window

    def open_for(self, region: str) -> Period:
        """Payments are accepted from the region's window start to the end of the open period."""
        window = self.window_for(region)
        return Period(
            start=max(self.open.start, window.start),
            end=self.open.end,
            source=self.open.source,
            illustrative=self.open.illustrative,
        )

    def tiers_for(self, region: str) -> list[Tier]:
        return [t for t in self.tiers if t.regions is None or region in t.regions]


def _illustrative(value):
    return lambda: Sourced(value=value, source=None, illustrative=True)


class Revocation(Pack):
    """When a proxy payment may be revoked (撤销), beyond `revoke_in_window_only`.

    `reconciled_after_open`: refused once the payment is reconciled (对账/清算); famcov
    has no reconciliation records and takes a year's payments as reconciled when its
    open period has ended. `payer_active`: refused once the payer's employee-insurance benefits have ended
    (famcov: the worker's status is not active). `min_hours`: refused within this many
    hours of paying; famcov keeps dates, not times, so any value above 0 refuses a
    revocation on the day of payment. `refund_days`: how many days a failed payment's
    money takes to come back (no action needed).
    """

    payer_active: Sourced[bool] = msgspec.field(default_factory=_illustrative(True))
    reconciled_after_open: Sourced[bool] = msgspec.field(default_factory=_illustrative(True))
    min_hours: Sourced[int] = msgspec.field(default_factory=_illustrative(0))
    refund_days: Sourced[int] = msgspec.field(default_factory=_illustrative(2))


class Waiting(Pack):
    """The waiting period rule (待遇等待期) beyond each year's fixed `waiting_months`.

    `per_gap_year_months`: months added for each year without cover (断保) before the
    paid year. `newborn_exempt`: a relative born in the paid year or the year before
    has no waiting period. `past_year_end`: what happens to a payment whose waiting
    period runs past 31 December of its year: `refuse` it, or make the trainee
    `confirm` that it buys no cover that year.
    """

    per_gap_year_months: Sourced[int] = msgspec.field(default_factory=_illustrative(0))
    newborn_exempt: Sourced[bool] = msgspec.field(default_factory=_illustrative(False))
    past_year_end: Sourced[Literal["refuse", "confirm"]] = msgspec.field(
        default_factory=_illustrative("confirm")
    )


class Members(Pack):
    """Who is a full member of the 亲情账户 and what binding asks by age.

    `face_age`: relatives this old or older stay temporary members until face
    verification; younger ones need a relation proof from `minor_proofs` instead.
    `warn_generation_gap`: years between a parent and a child (twice that for
    grandparents) below which the relation must be confirmed; one born on the wrong
    side of the worker is refused outright.
    """

    face_age: Sourced[int] = msgspec.field(default_factory=_illustrative(16))
    minor_proofs: Sourced[list[str]] = msgspec.field(
        default_factory=_illustrative(["hukou", "birth"])
    )
    warn_generation_gap: Sourced[int] = msgspec.field(default_factory=_illustrative(14))


class Region(Pack):
    code: Annotated[str, msgspec.Meta(pattern=r"^[0-9]{6}$")]
    name: Text
    short: str


class Province(Pack):
    format: Literal[1]
    code: Annotated[str, msgspec.Meta(pattern=r"^[0-9]{2}$")]
    name: Text
    app: Text
    scope: Sourced[Scope]
    relations: Sourced[list[str]]
    proof_required: Sourced[bool]
    revoke_in_window_only: Sourced[bool]
    regions_source: str
    regions: list[Region]
    years: list[YearPolicy]
    revocation: Revocation = msgspec.field(default_factory=Revocation)
    waiting: Waiting = msgspec.field(default_factory=Waiting)
    members: Members = msgspec.field(default_factory=Members)
    what_if: Text | None = None
    # Channel ids (data/channels) this province offers, the usual one first.
    channels: list[str] = []

    def year(self, year: int) -> YearPolicy | None:
        for y in self.years:
            if y.year == year:
                return y
        return None

    def region(self, code: str) -> Region | None:
        for r in self.regions:
            if r.code == code:
                return r
        return None

    def allows(self, relation: str) -> bool:
        return relation in self.relations.value


@dataclass(frozen=True)
class Policy:
    provinces: tuple[Province, ...]
    # Every channel pack by id (famcov.channel.Channel); a province names the ones it offers.
    channel_packs: dict = field(default_factory=dict)

    def channels(self, province: Province) -> list:
        """The channels a province offers, the usual one first."""
        return [self.channel_packs[c] for c in province.channels if c in self.channel_packs]

    def channel_for(self, region_code: str, wanted: str | None = None):
        """The channel a worker in this region uses: `wanted` (an id) if the province
        offers it, else the province's first; None if it names none."""
        province = self.province_of(region_code)
        offered = self.channels(province) if province else []
        if wanted is not None:
            for c in offered:
                if c.id == wanted:
                    return c
        return offered[0] if offered else None

    def find_channel(self, text: str, province: Province | None = None):
        """A channel by id or name, among the province's if one is given."""
        wanted = str(text).strip()
        folded = wanted.casefold()
        pool = self.channels(province) if province else list(self.channel_packs.values())
        for c in pool:
            if folded in (c.id, c.name.zh.casefold(), c.name.en.casefold()):
                return c
        raise FamcovError(
            "UNKNOWN_CHANNEL",
            {
                "value": wanted,
                "choices": ", ".join(c.id for c in pool) or "-",
            },
        )

    def province_of(self, region_code: str) -> Province | None:
        for p in self.provinces:
            if region_code.startswith(p.code):
                return p
        return None

    def region(self, code: str) -> Region | None:
        province = self.province_of(code)
        return province.region(code) if province else None

    def find_region(self, text: str, *, flag: str = "--region") -> Region:
        """A region by code, Chinese name (成都市), short name (成都) or English name."""
        wanted = str(text).strip()
        found = self._region_names.get(wanted) or self._region_names.get(wanted.casefold())
        if found is None:
            raise FamcovError("UNKNOWN_REGION", {"flag": flag, "value": wanted})
        return found

    @cached_property
    def _region_names(self) -> dict[str, Region]:
        """Every way a region may be named, to the region (the first province's wins, as
        a scan in pack order would): one look-up per row of a 100,000-row import."""
        names: dict[str, Region] = {}
        for p in self.provinces:
            for r in p.regions:
                for name in (r.code, r.name.zh, r.short, r.name.en.casefold()):
                    names.setdefault(name, r)
        return names

    def find_province(self, text: str) -> Province:
        wanted = str(text).strip()
        folded = wanted.casefold()
        for p in self.provinces:
            names = (p.code, p.name.zh, p.name.zh.removesuffix("省"), p.name.en.casefold())
            if wanted in names or folded in names:
                return p
        raise FamcovError("UNKNOWN_PROVINCE", {"value": wanted})

    def open_years(self, region_code: str, today: dt.date) -> list[int]:
        province = self.province_of(region_code)
        if province is None:
            return []
        return [y.year for y in province.years if today in y.open_for(region_code)]

    def default_year(self, region_code: str, today: dt.date) -> int | None:
        """The year a payment for this region most likely means on `today` (the wizard's
        default): an open year whose concentrated window holds today, else the latest
        open year, else the year on file nearest to today's."""
        province = self.province_of(region_code)
        if province is None or not province.years:
            return None
        open_years = sorted(self.open_years(region_code, today), reverse=True)
        for year in open_years:
            year_policy = province.year(year)
            if year_policy is not None and today in year_policy.window_for(region_code):
                return year
        if open_years:
            return open_years[0]
        return min((y.year for y in province.years), key=lambda y: (abs(y - today.year), -y))


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
    import json

    folder = what_if_dir(name, directory)
    if not re.fullmatch(r"[a-z0-9-]{1,40}", name) or not folder.is_dir():
        raise FamcovError(
            "BAD_POLICY", {"file": f"what-if/{name[:40]}", "problem": "no such what-if"}
        )
    found = {}
    for path in sorted(folder.glob("*.json")):
        try:
            overlay = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise FamcovError("BAD_POLICY", {"file": path.name, "problem": str(exc)}) from None
        if not isinstance(overlay, dict) or not overlay.get("what_if") or "code" not in overlay:
            raise FamcovError(
                "BAD_POLICY",
                {"file": path.name, "problem": "a what-if pack needs code and what_if"},
            )
        found[str(overlay["code"])] = overlay
    return found


def _decode(path: Path, overlays: dict[str, dict]) -> Province:
    raw = path.read_bytes()
    if overlays:
        import json

        pack = json.loads(raw)
        if isinstance(pack, dict) and str(pack.get("code")) in overlays:
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

    def unsourced(where: str, value) -> str | None:
        if not value.illustrative and not value.source:
            return f"{where}: no source and not marked illustrative"
        if value.source and _INTERNAL.search(value.source):
            return f"{where}: cites an internal file, not a public source"
        return None

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
        ("waiting.per_gap_year_months", p.waiting.per_gap_year_months),
        ("waiting.newborn_exempt", p.waiting.newborn_exempt),
        ("waiting.past_year_end", p.waiting.past_year_end),
        ("members.face_age", p.members.face_age),
        ("members.minor_proofs", p.members.minor_proofs),
        ("members.warn_generation_gap", p.members.warn_generation_gap),
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
