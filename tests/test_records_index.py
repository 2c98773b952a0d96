"""Records' per-person look-ups answer the same whether they scan or index, and a
change is seen once, whichever of the two came first."""

from __future__ import annotations

import datetime as dt

from famcov.domain.model import Enrolment, Worker, new_state
from famcov.domain.records import Grouped, Records

DAY = dt.date(2026, 11, 24)


def ident(n: int) -> str:
    return f"51010420100101{n:04d}"  # the format is not what is tested here


def records_with(people: int) -> Records:
    state = new_state()
    for n in range(people):
        for year in (2026, 2027) if n % 3 else (2027,):
            state.enrolments.append(
                Enrolment(id=ident(n), name=f"名{n}", region="510100", year=year)
            )
    return Records(state)


def naive(records: Records, person_id: str) -> list[Enrolment]:
    return [e for e in records.state.enrolments if e.id == person_id]


def test_scans_then_index_give_what_a_dict_of_lists_gives() -> None:
    records = records_with(40)
    for n in [*range(Grouped.SCANS + 5), 999]:
        assert records.enrolments.get(ident(n), []) == naive(records, ident(n))
        assert (ident(n) in records.enrolments) == bool(naive(records, ident(n)))
    assert records.enrolments.get("nobody", ()) == ()


def test_an_added_enrolment_is_listed_once_before_and_after_indexing() -> None:
    for looked_up in (0, 1, Grouped.SCANS + 2):
        records = records_with(20)
        for n in range(looked_up):
            records.enrolments.get(ident(n))
        for n in (0, 7, 500):
            records.add_enrolment(Enrolment(id=ident(n), name=f"名{n}", region="510100", year=2028))
        for n in range(25):
            records.enrolments.get(ident(n))
        for n in (0, 7, 500):
            assert records.enrolments[ident(n)] == naive(records, ident(n))


def test_a_posting_is_in_the_account_ledger_once() -> None:
    records = Records(new_state())
    worker = Worker(id=ident(1), name="张伟", region="510100", balance=0)
    records.add_worker(worker)
    records.post(worker, "opening", 100, DAY)
    records.post(worker, "credit", 50, DAY)
    assert [e.amount for e in records.ledger_by_account.get(worker.id)] == [100, 50]
    assert records.ledger_sum(worker.id) == worker.balance == 150


def test_known_names_prefer_a_worker_then_the_latest_enrolment() -> None:
    records = records_with(3)
    assert records.known_name(ident(1)) == "名1" and ident(1) in records.names
    assert records.known_name("nobody") is None and "nobody" not in records.names
    records.add_worker(Worker(id=ident(2), name="名2", region="510100", balance=0))
    assert records.names[ident(2)] == "名2"
