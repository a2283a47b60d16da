"""The base of every form: WTForms' own messages through Tavle's catalogs.

WTForms ships translations of its messages ("Not a valid integer value.") but none in
nynorsk, so a form asks Tavle's ``messages`` catalog instead, in the language of the page.
Validators are given messages of their own where they are declared; the messages below are
the ones a field raises by itself while reading what was typed.
"""
from __future__ import annotations

from flask_babel import get_translations
from flask_wtf import FlaskForm


def N_(message: str) -> str:
    """Mark ``message`` for the catalog; it is translated where WTForms shows it."""
    return message


WTFORMS_MESSAGES = (
    N_("This field is required."),
    N_("Not a valid choice."),
    N_("Invalid Choice: could not coerce."),
    N_("Not a valid integer value."),
    N_("Not a valid date value."),
)


class _Translations:
    """What WTForms asks of a translations object, answered from the page's catalog."""

    def gettext(self, string: str) -> str:
        return get_translations().ugettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return get_translations().ungettext(singular, plural, n)


_TRANSLATIONS = _Translations()


class Form(FlaskForm):
    """A Flask-WTF form (CSRF included) whose built-in messages speak the page's language."""

    class Meta:
        def get_translations(self, form):
            return _TRANSLATIONS

    def validate(self, extra_validators=None) -> bool:
        """Validate, then turn the (lazy) messages into text of the page's language: they are
        joined, flashed into the session and appended to like any string."""
        valid = super().validate(extra_validators=extra_validators)
        for field in self:
            field.errors = [str(error) for error in field.errors]
        return valid
