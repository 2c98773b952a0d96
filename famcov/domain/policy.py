"""The policy packs' types: what varies by province and year, as the domain reads it.

Decoded from data/policies/*.json by `famcov.policy.load` (file reading stays
there); the rules, actions and views work with these types only. One look-up,
`Policy.year_policy(region, year)`, finds a year's amounts, windows and tiers.
"""

# No `from __future__ import annotations`: msgspec would evaluate every annotation
# string on the first decode of a run (some 5 ms of each start).

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from typing import Annotated, Generic, Literal, TypeVar

import msgspec

from famcov.domain.model import Year
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
    # where sources disagree: what each says (the value is then illustrative, 示意)
    says: list[Text] = []


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
    # refused once the relative has used benefits of the year (已享受待遇: a claim on record)
    benefits_unused: Sourced[bool] = msgspec.field(default_factory=_illustrative(True))


class Waiting(Pack):
    """The waiting period rule (待遇等待期) beyond each year's fixed `waiting_months`.

    The fixed months apply to anyone who did not pay inside the concentrated window *or*
    was not continuously insured (a lapse waits inside the window too).
    `per_gap_year_months`: months added for each year without cover (断保) before the
    paid year. `repair_months_per_year`: months taken off those for each missed year
    paid back afterwards (补缴修复); `repair_floor_after_years` years or more of lapse
    keep at least `repair_floor_months` in all after repair. `newborn_days`: a baby
    paid for within this many days of birth is covered from birth (0: no such rule);
    paid later, from the payment date; where the days cross a year end both years can
    be paid. `past_year_end`: what happens to a payment whose waiting period runs past
    31 December of its year: `refuse` it, or make the trainee `confirm` that it buys no
    cover that year.
    """

    per_gap_year_months: Sourced[int] = msgspec.field(default_factory=_illustrative(0))
    repair_months_per_year: Sourced[int] = msgspec.field(default_factory=_illustrative(0))
    repair_floor_after_years: Sourced[int] = msgspec.field(default_factory=_illustrative(4))
    repair_floor_months: Sourced[int] = msgspec.field(default_factory=_illustrative(6))
    newborn_days: Sourced[int] = msgspec.field(default_factory=_illustrative(0))
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


class Returns(Pack):
    """先缴后返 (Hubei): the premium is paid first through the tax channel in the
    relative's name, whoever paid it; then the worker applies for it to be paid out of
    the personal account.

    `wait_days`: days after the payment before the application is accepted.
    `years_ahead`: the current year and this many after can be applied for.
    `to_bank`: the amount goes to the worker's own bank account. `reapply`: a failed
    transfer (a wrong or expired bank account) returns the money to the personal
    account and the worker applies again.
    """

    wait_days: Sourced[int] = msgspec.field(default_factory=_illustrative(0))
    years_ahead: Sourced[int] = msgspec.field(default_factory=_illustrative(1))
    to_bank: Sourced[bool] = msgspec.field(default_factory=_illustrative(True))
    reapply: Sourced[bool] = msgspec.field(default_factory=_illustrative(True))


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
    returns: Returns = msgspec.field(default_factory=Returns)
    # The balance must be greater than the premium, not merely equal (余额应大于…).
    balance_above_premium: Sourced[bool] = msgspec.field(default_factory=_illustrative(False))
    # Only the worker can bind; the family member cannot apply (家庭成员无法自行申请).
    worker_binds_only: Sourced[bool] = msgspec.field(default_factory=_illustrative(False))
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

    def channel_of(self, *, kind: str | None = None, funds: str | None = None, province=None):
        """The first channel of this kind and funding (the province's, if given, else any
        pack's): which pack plays a part is the packs' own attributes, not an id."""
        pool = self.channels(province) if province else []
        pool += list(self.channel_packs.values())
        for c in pool:
            if (kind is None or c.kind == kind) and (funds is None or c.funds == funds):
                return c
        return None

    def return_channel(self, province: Province | None):
        """The province's channel that pays first and returns afterwards (先缴后返), if it
        offers one: the return rules and the policy view read it from here."""
        offered = self.channels(province) if province is not None else []
        return next((c for c in offered if c.funds == "pay-then-return"), None)

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

    def year_policy(self, region_code: str, year: int) -> YearPolicy | None:
        """The amounts, windows and tiers of `year` where `region_code` lies; None when
        no province covers the region or its pack has no such year."""
        province = self.province_of(region_code)
        return province.year(year) if province is not None else None

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
