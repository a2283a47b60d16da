from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, DateField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional, StopValidation

from app import i18n
from app.forms import Form
from app.rounds import KINDS, SETTINGS_LAYOUT, round_settings
from app.services.attribution import DEFAULT_MIN, MAX_MIN, MIN_MIN

# Length and NumberRange fill in %(min)d / %(max)d themselves.
_REQUIRED = _l("This field is required.")
_TOO_LONG = _l("At most %(max)d characters.")
_RANGE = _l("A number from %(min)s to %(max)s.")


def _not_blank(form, field) -> None:
    """A number field sent empty is refused; one not sent at all keeps its value (a form from before it existed)."""
    if field.raw_data and not str(field.raw_data[0]).strip():
        raise StopValidation(_l("Give a number from 1 to 50."))


class WorkshopForm(Form):
    title = StringField(_l("Title"), validators=[DataRequired(message=_l("Give the workshop a title.")),
                                                 Length(max=200, message=_TOO_LONG)])
    date = DateField(_l("Date"), validators=[Optional()])
    # Each language named in itself, as the language switch names them.
    language = SelectField(_l("Language"), choices=[SelectChoice(code, name) for code, name in i18n.LANGUAGES.items()],
                           default="nb")
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000, message=_TOO_LONG)])
    show_names = BooleanField(_l("Show participants' names with their ideas"), default=True)
    attribution_min = IntegerField(
        _l("Show an organisation only where it had at least this many participants"), default=DEFAULT_MIN,
        validators=[_not_blank, NumberRange(MIN_MIN, MAX_MIN, message=_RANGE)])
    allow_anonymous = BooleanField(_l("Participants may join without a name"))
    join_open = BooleanField(_l("Open for joining"), default=True)


class RoundForm(Form):
    """A new round: its kind and title, then the settings fields every kind declares
    (``RoundKind.settings_form``), added to this class below from the registry."""

    kind = SelectField(_l("Kind"), choices=[SelectChoice(k, v.label) for k, v in KINDS.items()])
    title = StringField(_l("Title"), validators=[DataRequired(message=_l("Give the round a title.")),
                                                 Length(max=200, message=_TOO_LONG)])

    #: ``(block, kind names)`` in the order the console shows them (see ``app.rounds.form``).
    LAYOUT = SETTINGS_LAYOUT

    def for_workshop(self, workshop) -> RoundForm:
        """Fill in the choices that depend on the workshop (such as the rounds to work over)."""
        for setting in round_settings():
            if setting.choices is not None:
                self[setting.name].choices = setting.choices(workshop)
        return self

    def settings(self) -> dict:
        """The round settings the form holds; blank fields fall back to the kind's defaults."""
        values = {}
        for setting in round_settings():
            send, value = setting.value(self[setting.name].data)
            if send:
                values[setting.name] = value
        return values


for _setting in round_settings():
    setattr(RoundForm, _setting.name, _setting.field)


class ActionForm(Form):
    """A button: only the CSRF token."""


class AgendaItemForm(Form):
    start = StringField(_l("Start (HH:MM)"), validators=[Optional(), Length(max=5, message=_TOO_LONG)])
    duration = IntegerField(_l("Minutes"), validators=[Optional(), NumberRange(0, 1440, message=_RANGE)])
    title = StringField(_l("Title"), validators=[DataRequired(message=_l("Give the agenda item a title.")),
                                                 Length(max=300, message=_TOO_LONG)])
    who = StringField(_l("Who"), validators=[Optional(), Length(max=200, message=_TOO_LONG)])
    round_id = SelectField(_l("Runs round"), coerce=int, validate_choice=False, default=0)


class RosterForm(Form):
    file = FileField(_l("CSV file (name, organisation, sector, email)"),
                     validators=[FileRequired(message=_l("Choose a CSV file."))])


class GroupsForm(Form):
    count = IntegerField(_l("Number of groups"), default=6,
                         validators=[DataRequired(message=_REQUIRED), NumberRange(1, 100, message=_RANGE)])


class SurveyForm(Form):
    title = StringField(_l("Title"), validators=[DataRequired(message=_REQUIRED), Length(max=200, message=_TOO_LONG)])
    intro = TextAreaField(_l("Introduction"), validators=[Optional(), Length(max=5000, message=_TOO_LONG)])
    anonymous = BooleanField(_l("Anonymous (answers are stored without names)"), default=True)


#: The kinds of survey question, by the name stored with a question.
QUESTION_KINDS = {"scale": _l("Scale"), "single": _l("Single choice"), "multi": _l("Multiple choice"),
                  "text": _l("Free text")}


class QuestionForm(Form):
    kind = SelectField(_l("Kind"), choices=[SelectChoice(key, label) for key, label in QUESTION_KINDS.items()])
    text = StringField(_l("Question"), validators=[DataRequired(message=_REQUIRED), Length(max=500, message=_TOO_LONG)])
    choices = TextAreaField(_l("Choices, one per line"), validators=[Optional(), Length(max=5000, message=_TOO_LONG)])
    scale_min = IntegerField(_l("Scale from"), default=1, validators=[Optional(), NumberRange(0, 10, message=_RANGE)])
    scale_max = IntegerField(_l("Scale to"), default=5, validators=[Optional(), NumberRange(1, 10, message=_RANGE)])
    required = BooleanField(_l("Required"))
