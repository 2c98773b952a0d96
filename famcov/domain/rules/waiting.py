"""The waiting period (待遇等待期, 国办发〔2024〕38号): when a payment's benefits start,
after a lapse (断保) and its repair (补缴), or for a newborn; and the payment rule that
refuses a wait past the year's end."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from famcov.domain.policy import Province
from famcov.domain.records import Records
from famcov.domain.rules.core import PaymentCase, RuleResult, skipped
from famcov.domain.rules.person import birth_date
from famcov.i18n import Msg


@dataclass(frozen=True)
class Terms:
    """When a payment's benefits start (国办发〔2024〕38号): paid inside the window by
    someone continuously insured, on 1 January of the year; otherwise after the fixed
    months plus a month per year of lapse (less a month per missed year paid back, with
    a floor after long lapses); a newborn paid for within the pack's days from birth."""

    in_window: bool
    benefits_from: dt.date
    months: int = 0
    gap_years: int = 0
    newborn: bool = False
    repaired: int = 0

    def past_year_end(self, year: int) -> bool:
        return self.benefits_from > dt.date(year, 12, 31)


def covered(records: Records, relative: str, year: int) -> bool:
    """The records show cover for that year: a proxy payment, another channel's, or
    employee insurance."""
    return (
        (relative, year) in records.paid_by_relative_year
        or (relative, year) in records.paid_elsewhere
        or records.holds_employee_insurance(relative)
    )


def paid_back(records: Records, relative: str, year: int) -> bool:
    """The year was paid only after it had ended (补缴): a lapse, repaired afterwards."""
    proxy = records.paid_by_relative_year.get((relative, year))
    if proxy is not None:
        return proxy.paid_on > dt.date(year, 12, 31)
    other = records.paid_elsewhere.get((relative, year))
    return other is not None and other.recorded_on > dt.date(year, 12, 31)


def lapse(
    records: Records, relative: str, year: int, today: dt.date | None = None
) -> tuple[int, int]:
    """Years without cover in time (断保) right before `year`, and how many of them were
    paid back afterwards, counted back to the first year the records know the relative
    in (an enrolment, a payment): famcov cannot know earlier. A year not yet over on
    `today` can still be paid: it is no lapse (yet), and the count goes on before it."""
    known = [e.year for e in records.enrolments.get(relative, ())]
    known += [y for (r, y) in records.paid_elsewhere if r == relative]
    first = min(known, default=year)
    gaps = repaired = 0
    y = year - 1
    while y >= first:
        if today is not None and y >= today.year and not covered(records, relative, y):
            y -= 1  # still payable this year
            continue
        if not covered(records, relative, y):
            gaps += 1
        elif paid_back(records, relative, y):
            gaps, repaired = gaps + 1, repaired + 1
        else:
            break
        y -= 1
    return gaps, repaired


def gap_years(records: Records, relative: str, year: int) -> int:
    return lapse(records, relative, year)[0]


def add_months(day: dt.date, months: int) -> dt.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def newborn_within(province: Province | None, relative: str, day: dt.date) -> bool:
    """The relative was born no more than the pack's `newborn_days` before `day`."""
    born = birth_date(relative)
    days = province.waiting.newborn_days.value if province is not None else 0
    return born is not None and days > 0 and born <= day <= born + dt.timedelta(days=days)


def terms(
    province, year_policy, records: Records, relative: str, region: str, year: int, today: dt.date
) -> Terms:
    born = birth_date(relative)
    start = dt.date(year, 1, 1)
    in_window = today in year_policy.window_for(region)
    waiting = province.waiting if province is not None else None
    days = waiting.newborn_days.value if waiting is not None else 0
    if days and born is not None and born.year >= year - 1:
        # a baby's first year: from birth within the days, else from the payment date
        if newborn_within(province, relative, today):
            return Terms(in_window, max(start, born), newborn=True)
        if born.year == year or not in_window:
            return Terms(in_window, max(start, born, today), newborn=True)
    gaps, repaired = lapse(records, relative, year, today) if waiting is not None else (0, 0)
    if in_window and not gaps:
        return Terms(True, max(start, born or start))
    per_gap = waiting.per_gap_year_months.value if waiting is not None else 0
    per_repair = waiting.repair_months_per_year.value if waiting is not None else 0
    extra = max(gaps * per_gap - repaired * per_repair, 0)
    months = year_policy.waiting_months.value + extra
    if waiting is not None and repaired and gaps >= waiting.repair_floor_after_years.value:
        months = max(months, waiting.repair_floor_months.value)
    # inside the window a lapse waits from 1 January; outside it from the payment date
    return Terms(in_window, add_months(max(today, start), months), months, gaps, False, repaired)


def case_terms(case: PaymentCase) -> Terms | None:
    if case.year_policy is None:
        return None
    return terms(
        case.province,
        case.year_policy,
        case.records,
        case.relative,
        case.region.code,
        case.year,
        case.today,
    )


def waiting_within_year(case: PaymentCase) -> RuleResult:
    """A payment whose waiting period runs past 31 December buys no cover that year:
    refused, or (as the pack says) allowed only once the trainee confirms it."""
    found = case_terms(case)
    if found is None or case.province is None:
        return skipped("WAITING_PAST_YEAR")
    if case.today not in case.year_policy.open_for(case.region.code):
        return skipped("WAITING_PAST_YEAR")  # the year is not open: nothing to wait for
    params = {
        "year": case.year,
        "date": found.benefits_from.isoformat(),
        "months": found.months,
        "gaps": found.gap_years,
    }
    if not found.past_year_end(case.year):
        return RuleResult("WAITING_PAST_YEAR", "passed", params)
    if case.province.waiting.past_year_end.value == "refuse":
        return RuleResult("WAITING_PAST_YEAR", "failed", {**params, "todo": Msg("hint.no_cover")})
    if case.accept_no_cover:
        return RuleResult("WAITING_PAST_YEAR", "passed", {**params}, message_variant="confirmed")
    return RuleResult(
        "WAITING_PAST_YEAR", "failed", {**params, "todo": Msg("hint.confirm_no_cover")}
    )
