from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, DateField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app.rounds import KINDS, SETTINGS_LAYOUT, round_settings


class WorkshopForm(FlaskForm):
    title = StringField("Title", validators=[DataRequired(message="Give the workshop a title."), Length(max=200)])
    date = DateField("Date", validators=[Optional()])
    language = SelectField("Language", choices=[SelectChoice("nb", "Norsk bokmål"), SelectChoice("en", "English")], default="nb")
    description = TextAreaField("Description", validators=[Optional(), Length(max=5000)])
    show_names = BooleanField("Show participants' names with their ideas", default=True)
    allow_anonymous = BooleanField("Participants may join without a name")
    join_open = BooleanField("Open for joining", default=True)


class RoundForm(FlaskForm):
    """A new round: its kind and title, then the settings fields every kind declares
    (``RoundKind.settings_form``), added to this class below from the registry."""

    kind = SelectField("Kind", choices=[SelectChoice(k, v.label) for k, v in KINDS.items()])
    title = StringField("Title", validators=[DataRequired(message="Give the round a title."), Length(max=200)])

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


class ActionForm(FlaskForm):
    """A button: only the CSRF token."""


class AgendaItemForm(FlaskForm):
    start = StringField("Start (HH:MM)", validators=[Optional(), Length(max=5)])
    duration = IntegerField("Minutes", validators=[Optional(), NumberRange(0, 1440)])
    title = StringField("Title", validators=[DataRequired(message="Give the agenda item a title."), Length(max=300)])
    who = StringField("Who", validators=[Optional(), Length(max=200)])
    round_id = SelectField("Runs round", coerce=int, validate_choice=False, default=0)


class RosterForm(FlaskForm):
    file = FileField("CSV file (name, organisation, sector, email)", validators=[FileRequired(message="Choose a CSV file.")])


class GroupsForm(FlaskForm):
    count = IntegerField("Number of groups", default=6, validators=[DataRequired(), NumberRange(1, 100)])


class SurveyForm(FlaskForm):
    title = StringField("Title", validators=[DataRequired(), Length(max=200)])
    intro = TextAreaField("Introduction", validators=[Optional(), Length(max=5000)])
    anonymous = BooleanField("Anonymous (answers are stored without names)", default=True)


class QuestionForm(FlaskForm):
    kind = SelectField("Kind", choices=[
        SelectChoice("scale", "Scale"), SelectChoice("single", "Single choice"),
        SelectChoice("multi", "Multiple choice"), SelectChoice("text", "Free text"),
    ])
    text = StringField("Question", validators=[DataRequired(), Length(max=500)])
    choices = TextAreaField("Choices, one per line", validators=[Optional(), Length(max=5000)])
    scale_min = IntegerField("Scale from", default=1, validators=[Optional(), NumberRange(0, 10)])
    scale_max = IntegerField("Scale to", default=5, validators=[Optional(), NumberRange(1, 10)])
    required = BooleanField("Required")
