from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional

from app.sectors import SECTORS
from app.services.participants import NAME_MAX, ORGANISATION_MAX


class JoinForm(FlaskForm):
    name = StringField("Your name", validators=[Optional(), Length(max=NAME_MAX)])
    organisation = StringField("Organisation", validators=[Optional(), Length(max=ORGANISATION_MAX)])
    sector = SelectField("Sector", validators=[Optional()], choices=[])
    anonymous = BooleanField("Stay anonymous")

    def set_language(self, lang: str) -> None:
        nb = lang == "nb"
        placeholder = "Velg sektor" if nb else "Choose a sector"
        self.name.label.text = "Navnet ditt" if nb else "Your name"
        self.organisation.label.text = "Organisasjon" if nb else "Organisation"
        self.sector.label.text = "Sektor" if nb else "Sector"
        self.anonymous.label.text = "Vær anonym" if nb else "Stay anonymous"
        self.sector.choices = [SelectChoice("", placeholder)] + [SelectChoice(k, v[lang]) for k, v in SECTORS.items()]
