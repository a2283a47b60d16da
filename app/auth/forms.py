from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from app.forms import Form
from app.services.accounts import PASSWORD_MIN

# Length fills in %(min)d / %(max)d itself.
_REQUIRED = _l("This field is required.")
_TOO_LONG = _l("At most %(max)d characters.")
_TOO_SHORT = _l("At least %(min)d characters.")
_DIFFERENT = _l("The passwords differ.")


class LoginForm(Form):
    email = EmailField(_l("E-mail"), validators=[DataRequired(message=_REQUIRED), Length(max=254, message=_TOO_LONG)])
    password = PasswordField(_l("Password"), validators=[DataRequired(message=_REQUIRED)])
    remember = BooleanField(_l("Keep me logged in on this computer"))


class AccountForm(Form):
    name = StringField(_l("Your name"), validators=[DataRequired(message=_REQUIRED), Length(max=120, message=_TOO_LONG)])
    email = EmailField(_l("E-mail"), validators=[DataRequired(message=_REQUIRED), Length(max=254, message=_TOO_LONG)])
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(message=_REQUIRED), Length(min=PASSWORD_MIN, message=_TOO_SHORT)],
    )
    confirm = PasswordField(_l("Password again"), validators=[EqualTo("password", message=_DIFFERENT)])


class PasswordForm(Form):
    current = PasswordField(_l("Current password"), validators=[DataRequired(message=_REQUIRED)])
    password = PasswordField(
        _l("New password"),
        validators=[DataRequired(message=_REQUIRED), Length(min=PASSWORD_MIN, message=_TOO_SHORT)],
    )
    confirm = PasswordField(_l("New password again"), validators=[EqualTo("password", message=_DIFFERENT)])
