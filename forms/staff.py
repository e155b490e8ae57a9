"""The DSR team's forms: queue filters, a note, a status, the outcome, how it was told, and consent.

The words for every status, kind, rating and outcome live here once, so the
queue, the record page, the dashboard and the digest say the same thing.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from markupsafe import Markup
from wtforms import Field

from forms import validators as v
from forms import widgets
from forms.questions import ChoiceField, DateInputField, MultiChoiceField, TextField
from portal import i18n
from portal.services.references import normalise_reference

KINDS = {
    "referral": _l("Referral"),
    "removal": _l("Removal request"),
    "callback": _l("Call-back request"),
    "lapsed": _l("Lapsed consent"),
    "link_locked": _l("Link locked"),
    "turned_16": _l("Turned 16"),
}
STATUSES = {
    "new": _l("New"),
    "in_review": _l("In review"),
    "waiting_for_information": _l("Waiting for information"),
    "accepted": _l("Accepted"),
    "not_eligible": _l("Not eligible"),
    "closed": _l("Closed"),
}
# A status set by hand; accepted and not eligible come only with an outcome (rating or reason).
STATUSES_BY_HAND = ("new", "in_review", "waiting_for_information", "closed")
OUTCOMES = {
    "accepted": _l("Accepted onto the register"),
    "not_eligible": _l("Not eligible"),
    "more_information": _l("Needs more information"),
}
RATINGS = {
    "red": (_l("Red"), _l("Immediate risk of admission; the risk cannot be managed in the community")),
    "amber": (_l("Amber"), _l("Immediate risk of admission without urgent intervention")),
    "green": (_l("Green"), _l("Some risks that could lead to admission, currently managed well")),
    "blue": (_l("Blue"), _l("Currently an inpatient")),
}
TOLD_BY = {
    "letter": _l("Letter"),
    "phone": _l("Phone"),
    "email": _l("Email"),
    "in_person": _l("In person"),
}
GIVEN_BY = {
    "person": _l("The person"),
    "parental_responsibility": _l("A person with parental responsibility"),
    "person_via_referrer": _l("The person, through the person filling in the form"),
    "best_interest_needed": _l("Nobody yet: a best-interest decision may be needed"),
    "parental_responsibility_via_referrer": _l("A person with parental responsibility, through the referrer"),
    "person_under_16": _l("The person, who is under 16"),
    "best_interest_decision": _l("A best-interest decision (Mental Capacity Act 2005)"),
    "team": _l("The DSR team, on the person's behalf"),
    "system": _l("Nobody: the reconfirmation date passed"),
}
# Who can give consent to the team by phone or on paper, or the best-interest decision the professionals made.
TEAM_GIVEN_BY = {
    "person": _l("The person"),
    "parental_responsibility": _l("A person with parental responsibility"),
    "best_interest_decision": (
        _l("A best-interest decision"),
        _l("Made and recorded by the professionals involved, under the Mental Capacity Act 2005"),
    ),
}
TEAM_CHANNELS = {"phone": _l("By phone"), "paper": _l("On paper (a signed form or letter)")}
# How a removal, call-back or lapsed-consent item ended.
ITEM_OUTCOMES = {
    "removed": _l("Removed from the register"),
    "called": _l("Called back"),
    "reconfirmed": _l("Consent reconfirmed"),
}
# What a consent item's sealed details are called on the page, in this order.
DETAIL_LABELS = {
    "full_name": _l("Name they gave"),
    "date_of_birth": _l("Date of birth they gave"),
    "postcode": _l("Postcode they gave"),
    "reference": _l("Reference they gave"),
    "how_to_reach": _l("How to reach them"),
    "asked_by": _l("Who asked"),
    "via": _l("How they asked"),
    "callback_times": _l("When to call"),
    "contact_times": _l("Safe times to contact"),
    "safe_contact": _l("Safe ways to contact"),
    "due_on": _l("Reconfirmation was due"),
    "purpose": _l("Which link"),
    "why": _l("Why this is in the queue"),
    "what": _l("What happened"),
}
CONSENT_KINDS = {
    "given": _l("Given"),
    "reconfirmed": _l("Reconfirmed"),
    "withdrawn": _l("Withdrawn"),
    "lapsed": _l("Lapsed"),
}
NO_SUCH_REFERENCE = _l("No referral has this reference: check it against the letter or email")
NOTE_LENGTH = 2000
REASON_LENGTH = 1000


def _choices(field: Field, thing: Any, options: dict[str, Any]) -> None:
    """Give a choice field its words: the widget reads `choice_hints` and `thing`."""
    field.thing = thing
    field.exclusive = None
    field.choice_hints = [
        (value, str(text[0]), str(text[1])) if isinstance(text, tuple) else (value, _words(text), None)
        for value, text in options.items()
    ]


def _words(text: Any) -> str:
    """A choice's words as text, or as markup when it marks part of itself (a language's own name)."""
    return text if isinstance(text, Markup) else str(text)


class ReferenceLike:
    """Accept a reference as a person types it (lower case, spaces, no dashes); store it canonical."""

    def __call__(self, form: Any, field: Field) -> None:
        canonical = normalise_reference(field.data)
        if not canonical:
            raise v.StopValidation(_l("Enter a reference like DSR-7KQM-4TXH"))
        field.data = canonical


class StaffForm(FlaskForm):
    """The error summary contract of the staff layout: each message linked to its box."""

    def error_items(self) -> list[dict[str, str]]:
        return [
            {"text": str(field.errors[0]), "href": f"#{getattr(field, 'error_target', field.id)}"}
            for field in self
            if field.errors and field.name != "csrf_token"
        ]


class QueueFilterForm(StaffForm):
    """The queue's filters, sent by GET so a filtered list is a link that works without JavaScript."""

    class Meta:
        csrf = False

    kind = MultiChoiceField(
        _l("Kind"), validators=[v.Optional()], widget=widgets.Checkboxes(classes="nhsuk-checkboxes--small")
    )
    status = MultiChoiceField(
        _l("Status"), validators=[v.Optional()], widget=widgets.Checkboxes(classes="nhsuk-checkboxes--small")
    )
    overdue = MultiChoiceField(
        _l("Due date"), validators=[v.Optional()], widget=widgets.Checkboxes(classes="nhsuk-checkboxes--small")
    )
    reference = TextField(
        _l("Find a reference"),
        validators=[v.Optional(), ReferenceLike()],
        widget=widgets.Input(classes="nhsuk-input--width-10", spellcheck=False, autocomplete="off"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self.kind, _l("kind"), KINDS)
        _choices(self.status, _l("status"), STATUSES)
        _choices(self.overdue, _l("due date"), {"yes": _l("Only overdue")})
        self.status.hint = _l("With none ticked, everything but closed items is shown.")
        self.reference.hint = _l("For example, DSR-7KQM-4TXH")


class NoteForm(StaffForm):
    note = TextField(
        _l("Add a note"),
        validators=[v.Required(_l("a note")), v.MaxLength(NOTE_LENGTH, _l("a note"))],
        widget=widgets.CharacterCount(),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.note.max_length = NOTE_LENGTH
        self.note.hint = _l("Notes are kept with the record and shown to the team. Do not copy the whole referral.")


class StatusForm(StaffForm):
    status = ChoiceField(
        _l("Change the status"), validators=[v.Required(_l("a status"), "choose")], widget=widgets.Radios()
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self.status, _l("a status"), {value: STATUSES[value] for value in STATUSES_BY_HAND})
        self.status.hint = _l("To accept someone or say they are not eligible, record the outcome instead.")


class OutcomeForm(StaffForm):
    """Accepted with a rating, not eligible with a reason, or more information needed.

    The rating and the reason are separate questions, not conditional reveals:
    NHS.UK's script puts `aria-expanded` on radio inputs, which axe rejects.
    """

    outcome = ChoiceField(
        _l("What is the outcome?"), validators=[v.Required(_l("an outcome"), "choose")], widget=widgets.Radios()
    )
    rating = ChoiceField(
        _l("Rating"),
        validators=[v.RequiredIf("outcome", "accepted", _l("a rating"), "choose")],
        widget=widgets.Radios(),
    )
    reason = TextField(
        _l("If not eligible, why not?"),
        validators=[
            v.RequiredIf("outcome", "not_eligible", _l("why they are not eligible")),
            v.MaxLength(REASON_LENGTH, _l("the reason")),
        ],
        widget=widgets.CharacterCount(rows=3),
    )

    def __init__(self, *args: Any, no_consent: str = "", **kwargs: Any) -> None:
        """`no_consent`: why this person cannot be accepted yet (their consent has ended), or ""."""
        super().__init__(*args, **kwargs)
        self.no_consent = no_consent
        _choices(self.outcome, _l("an outcome"), OUTCOMES)
        _choices(self.rating, _l("a rating"), RATINGS)
        self.reason.max_length = REASON_LENGTH
        self.rating.hint = _l("Only if accepted.")
        self.reason.hint = _l("Only if not eligible. The person will be told this, with what they can do instead.")

    def validate_outcome(self, field: Field) -> None:
        """Nobody goes on the register without consent: not after it was withdrawn or lapsed."""
        if field.data == "accepted" and self.no_consent:
            raise v.StopValidation(self.no_consent)


class ToldForm(StaffForm):
    """The date and the way the person was told: the four-week promise includes telling them."""

    told_on = DateInputField(
        _l("When were they told?"),
        validators=[v.Required(_l("the date they were told"), "date_required")],
        widget=widgets.DateInput(),
    )
    told_by = ChoiceField(
        _l("How were they told?"), validators=[v.Required(_l("how they were told"), "choose")], widget=widgets.Radios()
    )

    def __init__(self, *args: Any, nothing_to_tell: bool = False, **kwargs: Any) -> None:
        """`nothing_to_tell`: no outcome is recorded yet, so there is nothing the person could have been told."""
        super().__init__(*args, **kwargs)
        self.nothing_to_tell = nothing_to_tell
        self.told_on.thing = _l("the date they were told")
        self.told_on.hint = _l("For example, 27 3 2026")
        _choices(self.told_by, _l("how they were told"), TOLD_BY)

    def validate_told_on(self, field: Field) -> None:
        if self.nothing_to_tell:
            raise v.StopValidation(_l("Record the outcome first: the person is told the outcome"))


class CallForm(StaffForm):
    """The call-back happened: when, and anything agreed (kept as a sealed note)."""

    called_on = DateInputField(
        _l("When did you call?"),
        validators=[v.Required(_l("the date you called"), "date_required")],
        widget=widgets.DateInput(),
    )
    note = TextField(
        _l("What was agreed (optional)"),
        validators=[v.Optional(), v.MaxLength(NOTE_LENGTH, _l("what was agreed"))],
        widget=widgets.CharacterCount(rows=3),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.called_on.thing = _l("the date you called")
        self.called_on.hint = _l("For example, 27 3 2026")
        self.note.max_length = NOTE_LENGTH


class TeamConsentForm(StaffForm):
    """Consent given or reconfirmed to the team by phone or on paper."""

    given_by = ChoiceField(
        _l("Who gave consent?"), validators=[v.Required(_l("who gave consent"), "choose")], widget=widgets.Radios()
    )
    channel = ChoiceField(
        _l("How was it given?"), validators=[v.Required(_l("how it was given"), "choose")], widget=widgets.Radios()
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self.given_by, _l("who gave consent"), TEAM_GIVEN_BY)
        _choices(self.channel, _l("how it was given"), TEAM_CHANNELS)
        self.given_by.hint = _l(
            "If an adult lacks capacity for this decision, the professionals involved make a best-interest decision"
            " outside the portal. Record it here once it is made."
        )


class MatchForm(StaffForm):
    """The referral a request belongs to, found by the team (the person may not have known it)."""

    reference = TextField(
        _l("Which referral is this about?"),
        validators=[v.Required(_l("a reference")), ReferenceLike()],
        widget=widgets.Input(classes="nhsuk-input--width-10", spellcheck=False, autocomplete="off"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.reference.hint = _l(
            "Check the name and date of birth against the referral first. For example, DSR-7KQM-4TXH"
        )


KEYED_CHANNELS = {
    "phone": _l("By phone"),
    "paper": _l("On paper, by post or by hand"),
}


class KeyedReferralForm(StaffForm):
    """Start a referral the team keys in for someone, through the same pages the public use."""

    channel = ChoiceField(
        _l("How did this referral reach the team?"),
        validators=[v.Required(_l("how the referral reached the team"), "choose")],
        widget=widgets.Radios(),
        validate_choice=False,
    )
    # The person's language, not the team member's: their letters, emails and links are written in it.
    language = ChoiceField(
        _l("Which language should letters and emails to this person be in?"),
        validators=[v.Required(_l("the language of their letters and emails"), "choose")],
        widget=widgets.Radios(),
        validate_choice=False,
        default=i18n.ENGLISH,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self.channel, _l("how the referral reached the team"), KEYED_CHANNELS)
        _choices(
            self.language,
            _l("the language of their letters and emails"),
            {code: i18n.label_html(code) for code in i18n.shipped()},
        )
