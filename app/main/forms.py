from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length


class CodeForm(FlaskForm):
    """The join code a participant types."""

    code = StringField("Workshop code", validators=[DataRequired(message="Type the code shown on the screen."), Length(max=20)])
