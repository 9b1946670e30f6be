"""Resident ID numbers and phone numbers, as every door checks them."""
import datetime

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn import ric

from intake.validators import clean_phone, clean_resident_id, resident_id_warning


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
