from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from app.forms import Form


class CodeForm(Form):
    """The join code a participant types."""

    code = StringField(_l("Workshop code"), validators=[
        DataRequired(message=_l("Type the code shown on the screen.")),
        Length(max=20, message=_l("At most %(max)d characters.")),
    ])
