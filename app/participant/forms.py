from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional

from app.forms import Form
from app.sectors import SECTORS
from app.services.participants import NAME_MAX, ORGANISATION_MAX


class JoinForm(Form):
    """Joining a workshop; its labels speak the workshop's language, the page's."""

    name = StringField(_l("Your name"), validators=[Optional(), Length(max=NAME_MAX, message=_l("At most %(max)d characters."))])
    organisation = StringField(_l("Organisation"), validators=[
        Optional(), Length(max=ORGANISATION_MAX, message=_l("At most %(max)d characters.")),
    ])
    sector = SelectField(_l("Sector"), validators=[Optional()], choices=(
        [SelectChoice("", _l("Choose a sector"))] + [SelectChoice(key, name) for key, name in SECTORS.items()]
    ))
    anonymous = BooleanField(_l("Stay anonymous"))
