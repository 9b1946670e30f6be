from django.contrib.auth.password_validation import MinimumLengthValidator
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class LengthValidator(MinimumLengthValidator):
    """Django's, with its message in our catalogue (Django's Chinese lags its English)."""

    def get_error_message(self):
        return _("This password is too short: use at least %(min_length)d characters.") % {
            "min_length": self.min_length}

    def get_help_text(self):
        return _("Your password must contain at least %(min_length)d characters.") % {"min_length": self.min_length}


class CharacterClassesValidator:
    """At least three kinds of characters among lower-case letters, upper-case
    letters, digits and others (punctuation, Chinese characters...)."""

    def __init__(self, min_classes=3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        classes = sum([
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() or not c.isascii() for c in password),
        ])
        if classes < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self):
        return _("Your password must mix at least %(count)s of: lower-case letters, upper-case letters, digits, "
                 "other characters.") % {"count": self.min_classes}
