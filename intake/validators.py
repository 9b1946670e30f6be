"""Checks for what a visitor gives at the window, shared by the form, the API,
the public form and Open311, so every door says the same thing in Chinese."""
import datetime
import re

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum import numdb
from stdnum.cn import ric
from stdnum.exceptions import InvalidComponent

# After stdnum's normalising (full-width digits become ASCII): 17 ASCII digits and a
# digit or X. Not str.isdigit(), which also takes "²" and "٣" (int() refuses the first,
# and the second would be stored as typed).
RESIDENT_ID = re.compile(r"[0-9]{17}[0-9X]")


def clean_resident_id(value: str) -> str:
    """A mainland resident ID number: 18 characters, a real birth date, the ISO 7064
    MOD 11-2 check digit. Returns it upper-cased (a final x becomes X).

    The place code is not checked: people keep the code of the place that issued
    the number, which can be newer than their birth year (see LIBRARIES.md);
    ``resident_id_warning`` reports an unknown place instead.
    """
    number = ric.compact(value or "")
    if len(number) != 18:
        raise ValidationError(_("An ID number has 18 characters; this one has %(count)s.")
                              % {"count": len(number)}, code="length")
    if not RESIDENT_ID.fullmatch(number):
        strange = next((ch for ch in number if not ch.isascii() and ch.isdigit()), None)
        if strange is not None:
            raise ValidationError(_("An ID number is written with the digits 0–9 only; “%(char)s” is not one of "
                                    "them.") % {"char": strange}, code="format")
        raise ValidationError(_("An ID number is 17 digits followed by a digit or X."), code="format")
    try:
        birth = ric.get_birth_date(number)
    except InvalidComponent:
        raise ValidationError(_("The birth date in this ID number (%(date)s) does not exist.")
                              % {"date": number[6:14]}, code="birth_date") from None
    if birth > timezone.localdate() or birth < datetime.date(1890, 1, 1):
        raise ValidationError(_("The birth date in this ID number (%(date)s) is not possible.")
                              % {"date": number[6:14]}, code="birth_date")
    if number[17] != ric.calc_check_digit(number):
        raise ValidationError(_("The last character of this ID number does not match the others; "
                                "please check it was copied correctly."), code="checksum")
    return number


def place_code_ever_existed(code: str) -> bool:
    """Whether ``code`` was ever a county-level code of the national list (GB/T 2260),
    in use today or retired (330102 as in 1956 Hangzhou numbers, 110103 崇文区 until 2010).

    python-stdnum ships that list with each code's years, but ``ric.get_birth_place``
    checks the years against the birth date, and a number carries the code of the
    place of registration, which can be younger than its holder; it also raises
    KeyError for a code whose province is known but not the code (339901...). So
    only the list is used here: a code counts if any of its entries names a county.
    """
    return any("county" in props for _part, props in numdb.get("cn/loc").info(code))


def resident_id_warning(number: str) -> str:
    """A note for the clerk when the place code of a checked ID number never existed
    (the number is still accepted). Never raises: it runs after the checks passed."""
    code = (number or "")[:6]
    if len(code) == 6 and code.isascii() and code.isdigit() and place_code_ever_existed(code):
        return ""
    return _("The place code %(code)s of this ID number is not in the national list; "
             "please check it with the visitor.") % {"code": code}


def clean_phone(value: str, *, mobile_only=False) -> str:
    """A mainland phone number (mobile, or fixed line with area code); returns the
    national digits, e.g. 13812345678 or 057112345678."""
    raw = (value or "").strip()
    try:
        parsed = phonenumbers.parse(raw, "CN")
    except phonenumbers.NumberParseException:
        parsed = None
    if parsed is None or not phonenumbers.is_valid_number(parsed) or parsed.country_code != 86:
        raise ValidationError(
            _("“%(value)s” is not a valid mobile number.") % {"value": raw} if mobile_only
            else _("“%(value)s” is not a valid phone number (a mobile, or a landline with its area code).")
            % {"value": raw},
            code="phone",
        )
    kind = phonenumbers.number_type(parsed)
    if mobile_only and kind not in (phonenumbers.PhoneNumberType.MOBILE,
                                    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE):
        raise ValidationError(_("Please give a mobile number, so we can send you updates."), code="mobile")
    national = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)
    return "".join(ch for ch in national if ch.isdigit())
