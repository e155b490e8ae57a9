"""The check-your-answers page's form: the one-time submission id and a honeypot.

The honeypot is hidden from everyone by CSS (so screen readers skip it too);
only a bot fills it. We use no CAPTCHA: it would exclude the people this serves.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField
from wtforms.validators import InputRequired, Length, ValidationError


class SubmitForm(FlaskForm):
    submission_id = HiddenField(validators=[InputRequired(), Length(max=64)])
    website = StringField(_l("Leave this empty"))

    def validate_website(self, field: StringField) -> None:
        if field.data:
            raise ValidationError(_l("We could not send this. Please call the DSR team."))

    def error_items(self) -> list[dict[str, str]]:
        return [{"text": str(errors[0]), "href": "#submit"} for errors in self.errors.values() if errors]
