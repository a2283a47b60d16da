from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, DateField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app.rounds import KINDS, RANK_METHODS


class WorkshopForm(FlaskForm):
    title = StringField("Title", validators=[DataRequired(message="Give the workshop a title."), Length(max=200)])
    date = DateField("Date", validators=[Optional()])
    language = SelectField("Language", choices=[SelectChoice("nb", "Norsk bokmål"), SelectChoice("en", "English")], default="nb")
    description = TextAreaField("Description", validators=[Optional(), Length(max=5000)])
    show_names = BooleanField("Show participants' names with their ideas", default=True)
    allow_anonymous = BooleanField("Participants may join without a name")
    join_open = BooleanField("Open for joining", default=True)


class RoundForm(FlaskForm):
    kind = SelectField("Kind", choices=[SelectChoice(k, v.label) for k, v in KINDS.items()])
    title = StringField("Title", validators=[DataRequired(message="Give the round a title."), Length(max=200)])
    source_round_id = SelectField("Works over", coerce=int, validate_choice=False, default=0)
    top_k = IntegerField("Carry over the top K ideas", validators=[Optional(), NumberRange(1, 200)])
    method = SelectField("Counting method", choices=[SelectChoice(k, v) for k, v in RANK_METHODS.items()], default="borda")
    budget = IntegerField("Dots or points per participant", validators=[Optional(), NumberRange(1, 10_000)])
    cap = IntegerField("Most dots on one idea", validators=[Optional(), NumberRange(1, 100)])
    scale_min = IntegerField("Lowest rating", validators=[Optional(), NumberRange(0, 10)])
    scale_max = IntegerField("Highest rating", validators=[Optional(), NumberRange(1, 10)])
    anonymous = BooleanField("Anonymous: ballots are stored without names and cannot be changed once sent")
    hide_results = BooleanField("Keep results hidden until I reveal them")
    tie_break = SelectField("Ties", choices=[
        SelectChoice("none", "Leave tied (shown as 2=)"),
        SelectChoice("prior_round", "Break by the earlier round's result"),
        SelectChoice("facilitator", "I decide after closing"),
    ], default="none")
    min_cell = IntegerField("Smallest sector shown in breakdowns", default=3, validators=[Optional(), NumberRange(1, 50)])
    per_group = BooleanField("Held in groups: each group works on its own ideas")
    group_top_n = IntegerField("Ideas each group sends on to the plenary", validators=[Optional(), NumberRange(1, 50)])
    items = TextAreaField("Items to comment on, one per line", validators=[Optional(), Length(max=20_000)])
    fields = TextAreaField("Worksheet headings, one per line (blank: challenge / idea / first steps)", validators=[Optional(), Length(max=2_000)])

    SETTINGS = (
        "top_k", "method", "budget", "cap", "scale_min", "scale_max", "anonymous", "hide_results", "tie_break",
        "min_cell", "per_group", "group_top_n", "items", "fields",
    )

    def settings(self) -> dict:
        """The round settings the form holds; blank fields fall back to the kind's defaults."""
        values = {"source_round_id": self.source_round_id.data or None}
        for name in self.SETTINGS:
            value = getattr(self, name).data
            if value is not None and value != "":
                values[name] = value
        return values


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
