from flask_wtf import FlaskForm
from wtforms.fields.choices import SelectChoice
from wtforms import BooleanField, DateField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app.rounds import KINDS


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
    budget = IntegerField("Dots per participant", default=5, validators=[Optional(), NumberRange(1, 100)])
    cap = IntegerField("Most dots on one idea", default=3, validators=[Optional(), NumberRange(1, 100)])
    top_k = IntegerField("Ideas to rank (top K)", default=8, validators=[Optional(), NumberRange(2, 50)])


class ActionForm(FlaskForm):
    """A button: only the CSRF token."""
