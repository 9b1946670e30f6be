"""Checks for what a visitor gives at the window, shared by the form, the API,
the public form and Open311, so every door says the same thing in Chinese."""
import datetime

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum.cn import ric
from stdnum.exceptions import InvalidComponent


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
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
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


def resident_id_warning(number: str) -> str:
    """A note for the clerk when the place code is unknown (the number is still accepted)."""
    try:
        ric.get_birth_place(number)
    except InvalidComponent:
        return _("The place code %(code)s of this ID number is not in the national list; "
                 "please check it with the visitor.") % {"code": number[:6]}
    return ""


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
