"""The pure core: money, resident IDs, masking and names, with property tests."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from conftest import make_id
from hypothesis import example, given, settings
from hypothesis import strategies as st

from famcov.domain import ids, money
from famcov.domain.rules import name_checked
from famcov.errors import FamcovError

TODAY = dt.date(2026, 11, 24)


def refused_code(call, *args, **kwargs) -> str:
    with pytest.raises(FamcovError) as caught:
        call(*args, **kwargs)
    return caught.value.code


# -- money ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "fen"),
    [
        ("400", 40000),
        ("400.5", 40050),
        ("400.50", 40050),
        ("¥400.00", 40000),
        ("￥400", 40000),
        ("400元", 40000),
        ("RMB 400", 40000),
        (" 400 ", 40000),
        ("1,200.00", 120000),
        ("0.01", 1),
        ("1668.50", 166850),
    ],
)
def test_parse_yuan(text: str, fen: int):
    assert money.parse_yuan(text) == fen


@pytest.mark.parametrize(
    "text",
    [
        "400.001",  # three decimals
        "0.005",
        "0",  # zero
        "0.00",
        "-400",  # negative
        "-0.01",
        "",
        "abc",
        "4e2",
        "400.",
        ".5",
        "1,20",
        "nan",
        "inf",
        "100000001",  # above any account
    ],
)
def test_parse_yuan_refuses(text: str):
    assert refused_code(money.parse_yuan, text) == "INVALID_AMOUNT"


def test_zero_only_where_allowed():
    assert money.parse_yuan("0", allow_zero=True) == 0
    assert money.parse_yuan("0.00", allow_zero=True) == 0
    assert refused_code(money.parse_yuan, "-1", allow_zero=True) == "INVALID_AMOUNT"


@pytest.mark.parametrize(
    ("fen", "text"),
    [(40000, "400.00"), (40050, "400.50"), (5, "0.05"), (0, "0.00"), (-40000, "-400.00")],
)
def test_yuan(fen: int, text: str):
    assert money.yuan(fen) == text


@given(st.integers(min_value=1, max_value=money.MAX_FEN))
@example(1)
@example(money.MAX_FEN)
def test_fen_to_yuan_to_fen_round_trips(fen: int):
    shown = money.yuan(fen)
    assert re.fullmatch(r"[0-9]+\.[0-9]{2}", shown)
    assert money.parse_yuan(shown) == fen
    assert money.parse_yuan(f"¥{shown}") == fen
    assert money.parse_yuan(f"{shown}元") == fen


@given(st.integers(min_value=-money.MAX_FEN, max_value=money.MAX_FEN))
def test_yuan_is_exact(fen: int):
    whole, _, part = money.yuan(fen).lstrip("-").partition(".")
    assert (int(whole) * 100 + int(part)) * (-1 if fen < 0 else 1) == fen


@given(st.integers(min_value=0, max_value=10**8), st.integers(min_value=1, max_value=999))
def test_more_than_two_decimals_is_refused(whole: int, thousandths: int):
    text = f"{whole}.{thousandths:03d}"
    assert refused_code(money.parse_yuan, text, allow_zero=True) == "INVALID_AMOUNT"


@given(st.integers(min_value=1, max_value=money.MAX_FEN))
def test_negative_amounts_are_refused(fen: int):
    assert refused_code(money.parse_yuan, "-" + money.yuan(fen)) == "INVALID_AMOUNT"


# -- resident IDs ---------------------------------------------------------------------------------


def test_known_valid_ids():
    assert ids.validate("11010519491231002X") == "11010519491231002X"
    assert ids.validate("11010519491231002x") == "11010519491231002X"
    assert ids.validate("110105 19491231 002X") == "11010519491231002X"
    assert (
        ids.validate("１１０１０５１９４９１２３１００２ｘ") == "11010519491231002X"
    )  # full width
    assert ids.validate("510104198503150017") == "510104198503150017"


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "11010519491231002",  # 17
        "11010519491231002X1",  # 19
        "1101051949123100XX",  # X before the end
        "110105194912310021",  # wrong check digit
        make_id("110105", "19491331", "002"),  # month 13, right check digit
        make_id("110105", "19490230", "002"),  # 30 February
        make_id("110105", "18991231", "002"),  # born before 1900
        "11010519491231002٣",  # a digit, but not an ASCII one
        "11010519491231002²",  # a superscript two is not a check digit
    ],
)
def test_invalid_ids(bad: str):
    assert refused_code(ids.validate, bad) == "INVALID_ID"


def test_birth_date_after_today_is_invalid():
    unborn = make_id("510104", "20261125", "001")
    assert ids.validate(unborn) == unborn  # without a day, only the calendar is checked
    assert refused_code(ids.validate, unborn, today=TODAY) == "INVALID_ID"
    assert ids.validate(make_id("510104", "20261124", "001"), today=TODAY)


def test_the_flag_is_named_and_the_number_is_masked():
    bad = "510104198503150018"
    with pytest.raises(FamcovError) as caught:
        ids.validate(bad, flag="--relative")
    assert caught.value.params["flag"] == "--relative"
    assert bad not in repr(caught.value.params)


areas = st.from_regex(r"\A[1-9][0-9]{5}\Z")
births = st.dates(min_value=dt.date(1900, 1, 1), max_value=TODAY)
serials = st.integers(min_value=0, max_value=999)


@st.composite
def resident_ids(draw) -> str:
    return make_id(draw(areas), f"{draw(births):%Y%m%d}", f"{draw(serials):03d}")


@given(resident_ids())
def test_generated_ids_are_accepted(number: str):
    assert ids.validate(number, today=TODAY) == number


@given(resident_ids(), st.integers(min_value=0, max_value=17), st.sampled_from("0123456789X"))
def test_any_single_character_change_is_refused(number: str, position: int, replacement: str):
    if number[position] == replacement:
        replacement = "0" if replacement != "0" else "1"
    changed = number[:position] + replacement + number[position + 1 :]
    assert refused_code(ids.validate, changed, today=TODAY) == "INVALID_ID"


@given(resident_ids(), st.integers(min_value=0, max_value=16))
def test_swapping_neighbouring_digits_is_refused_unless_they_are_equal(number: str, i: int):
    swapped = number[:i] + number[i + 1] + number[i] + number[i + 2 :]
    if swapped != number:
        assert refused_code(ids.validate, swapped, today=TODAY) == "INVALID_ID"


# -- masking ---------------------------------------------------------------------------------------


def test_mask():
    assert ids.mask("510104198503150017") == "510104********0017"
    assert ids.mask("11010519491231002X") == "110105********002X"


@given(resident_ids())
def test_mask_hides_the_birth_date_and_keeps_the_rest(number: str):
    shown = ids.mask(number)
    assert len(shown) == 18
    assert shown[:6] == number[:6] and shown[-4:] == number[-4:]
    assert shown[6:14] == "*" * 8


@given(st.text(alphabet="0123456789X", max_size=30))
def test_mask_of_anything_shows_at_most_five_characters(text: str):
    shown = ids.mask(text)
    assert len(shown) == len(text)
    if len(text) != 18:
        assert sum(ch != "*" for ch in shown) <= 5


# -- names -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("张伟", "张伟"),
        ("  张  伟 ", "张 伟"),
        ("阿卜杜拉·买买提", "阿卜杜拉·买买提"),
        ("Mary-Jane O'Neil", "Mary-Jane O'Neil"),
    ],
)
def test_names(text: str, name: str):
    assert name_checked(text) == name


@pytest.mark.parametrize("bad", ["", "   ", "张3", "<script>", "·-", "a" * 41, "王五5", "王_五"])
def test_bad_names(bad: str):
    assert refused_code(name_checked, bad) == "INVALID_NAME"


letters = st.characters(categories=["Lu", "Ll", "Lo"])
names = st.lists(st.text(letters, min_size=1, max_size=8), min_size=1, max_size=4).map(" ".join)


@given(names)
def test_names_of_letters_are_accepted_as_given(name: str):
    if len(name) <= 40:
        assert name_checked(name) == name
        assert name_checked(f"  {name}  ") == name


@given(names, st.integers(min_value=0), st.sampled_from("0123456789<>{}/\\;@#$%_"))
def test_names_with_a_digit_or_symbol_are_refused(name: str, where: int, bad: str):
    where %= len(name) + 1
    spoiled = name[:where] + bad + name[where:]
    assert refused_code(name_checked, spoiled) == "INVALID_NAME"


@settings(max_examples=50)
@given(st.text(max_size=60))
def test_name_check_never_crashes_and_is_idempotent(text: str):
    try:
        name = name_checked(text)
    except FamcovError as exc:
        assert exc.code == "INVALID_NAME"
        return
    assert name == name_checked(name)
    assert 1 <= len(name) <= 40
