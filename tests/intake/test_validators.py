"""Resident ID numbers and phone numbers, as every door checks them."""
import datetime
import re
from pathlib import Path

import pytest
import stdnum
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn import ric

from intake.validators import clean_phone, clean_resident_id, place_code_ever_existed, resident_id_warning


def _national_list():
    """stdnum's list of county-level codes: {code: entry}, entry like "[-2010]崇文区"."""
    codes, province = {}, None
    for line in (Path(stdnum.__file__).parent / "cn" / "loc.dat").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if not line.startswith(" "):
            province = line.split()[0]
        elif 'county="' in line:
            codes[province + line.split()[0]] = line
    return codes


NATIONAL = _national_list()
# Retired codes ("[-2010]崇文区"), and codes the list dates from after 1980 ("[1983-]上城区"),
# which stdnum itself refuses for anyone born before those years.
RETIRED = sorted(code for code, entry in NATIONAL.items() if re.search(r"\[\d*-\d+\]", entry))
DATED = sorted(code for code, entry in NATIONAL.items() if re.search(r"\[\d+-\]", entry))
CURRENT = sorted(code for code, entry in NATIONAL.items() if "[" not in entry)


def _number(place, birth, sequence):
    body = f"{place}{birth:%Y%m%d}{sequence:03d}"
    return body + ric.calc_check_digit(body + "0")


@pytest.mark.parametrize("number", ["11010519491231002X", "11010519491231002x", "440524195001010013"[:17] + ric.calc_check_digit("440524195001010013"),
                                    "420303198001011234"[:17] + ric.calc_check_digit("420303198001011234")])
def test_valid_numbers_including_check_digit_x(number):
    assert clean_resident_id(number) == number.upper()


@pytest.mark.parametrize("number, code", [
    ("110105194912310021", "checksum"),  # the right one ends in X
    ("110105194902300021", "birth_date"),  # 30 February
    ("11010519491331002X", "birth_date"),  # month 13
    ("110105299901010000", "birth_date"),  # born in the future
    ("1101051949123", "length"),
    ("11010519491231002Y", "format"),
    ("", "length"),
])
def test_bad_numbers_say_why(number, code):
    with pytest.raises(ValidationError) as raised:
        clean_resident_id(number)
    assert raised.value.code == code


def test_the_error_is_in_chinese_by_default():
    from django.utils import translation

    with translation.override("zh-hans"), pytest.raises(ValidationError) as raised:
        clean_resident_id("110105194912310021")
    assert "身份证" in raised.value.messages[0]


def test_place_codes_stdnum_cannot_place_are_warnings_that_never_fail():
    # 339901 (the demo county): stdnum knows the province, not the code, and raised
    # KeyError, which answered 500 after the matter was saved.
    number = _number("339901", datetime.date(1980, 3, 7), 123)
    assert clean_resident_id(number) == number
    assert "339901" in resident_id_warning(number)
    # A 1956 Hangzhou number: 330102 is real, stdnum dates its list from 1983.
    hangzhou = _number("330102", datetime.date(1956, 5, 1), 11)
    assert clean_resident_id(hangzhou) == hangzhou and resident_id_warning(hangzhou) == ""
    # Retired in 2010 (崇文区), still on the cards of people registered there before.
    assert resident_id_warning(_number("110103", datetime.date(1990, 1, 1), 5)) == ""


@given(st.sampled_from(CURRENT + RETIRED + DATED), st.dates(min_value=datetime.date(1900, 1, 1),
                                                            max_value=datetime.date(2020, 12, 31)),
       st.integers(min_value=0, max_value=999))
def test_every_code_that_ever_existed_is_accepted_without_a_warning(place, birth, sequence):
    number = _number(place, birth, sequence)
    assert clean_resident_id(number) == number
    assert resident_id_warning(number) == ""


@given(st.from_regex(r"[0-9]{6}", fullmatch=True).filter(lambda code: code not in NATIONAL),
       st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2020, 12, 31)),
       st.integers(min_value=0, max_value=999))
def test_codes_that_never_existed_warn_and_never_fail(place, birth, sequence):
    number = _number(place, birth, sequence)
    assert clean_resident_id(number) == number
    assert place_code_ever_existed(place) is False
    assert place in resident_id_warning(number)


def test_the_warning_never_fails_whatever_it_is_given():
    for value in ["", "33", "٣٣٩٩٠١19800307123X", "339901", None]:
        assert isinstance(resident_id_warning(value), str)


@pytest.mark.parametrize("typed", [
    "42030319²003071230",  # a superscript two: str.isdigit() says yes, int() says no (a 500 before)
    "٤٢٠٣٠٣١٩٨٠٠٣٠٧١٢٣٠",  # Arabic-Indic digits: accepted and stored as typed before
    "420303198003071２3\u0663",
])
def test_only_ascii_digits_after_normalising(typed):
    with pytest.raises(ValidationError) as raised:
        clean_resident_id(typed)
    assert raised.value.code == "format"


def test_full_width_digits_are_normalised_by_stdnum_and_accepted():
    number = _number("420303", datetime.date(1980, 3, 7), 123)
    full_width = "".join(chr(ord(ch) + 0xFEE0) if ch.isdigit() else ch for ch in number)
    assert clean_resident_id(full_width) == number


def test_the_digit_error_is_chinese():
    from django.utils import translation

    with translation.override("zh-hans"), pytest.raises(ValidationError) as raised:
        clean_resident_id("42030319²003071230")
    assert "²" in raised.value.messages[0] and "身份证号码" in raised.value.messages[0]


def test_unknown_place_code_is_a_warning_not_an_error():
    number = "990105194912310000"[:17]
    number += ric.calc_check_digit(number + "0")
    assert clean_resident_id(number) == number
    assert "990105" in resident_id_warning(number)
    assert resident_id_warning("11010519491231002X") == ""


@given(st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2020, 12, 31)),
       st.integers(min_value=0, max_value=999))
def test_any_real_birth_date_with_its_check_digit_is_accepted_and_one_wrong_digit_is_not(birth, sequence):
    body = f"330102{birth:%Y%m%d}{sequence:03d}"
    check = ric.calc_check_digit(body + "0")
    assert clean_resident_id(body + check) == body + check
    wrong = "0" if check != "0" else "1"
    with pytest.raises(ValidationError):
        clean_resident_id(body + wrong)


@pytest.mark.parametrize("raw, national", [("13812345678", "13812345678"), ("+86 138-1234-5678", "13812345678"),
                                           ("0571-87654321", "057187654321")])
def test_phone_numbers_are_normalised(raw, national):
    assert clean_phone(raw) == national


@pytest.mark.parametrize("raw", ["12345", "1381234567", "abc", "+1 212 555 0100"])
def test_bad_phone_numbers(raw):
    with pytest.raises(ValidationError):
        clean_phone(raw)


def test_mobile_only_refuses_a_landline():
    with pytest.raises(ValidationError):
        clean_phone("0571-87654321", mobile_only=True)
