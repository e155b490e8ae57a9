"""The self-referral journey: its questions, defined once, and its pages in order."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from forms import consent, professionals, referrer
from forms.journey import Step
from forms.questions import Choice, Question, words

WHO_CHOICES = (
    Choice("self", words(_l("I am filling this in for myself"))),
    Choice("parent", words(_l("A parent, or someone with parental responsibility"))),
    Choice("family_carer", words(_l("A family member or carer"))),
    Choice("professional", words(_l("A professional, like a social worker, teacher or nurse"))),
    Choice("someone_else", words(_l("Someone else, like a friend or advocate"))),
)

WHO = Question(
    "who",
    "radios",
    words(_l("Who is filling in this form?")),
    words(_l("who is filling in this form")),
    choices=WHO_CHOICES,
    picture="who",
)
FULL_NAME = Question(
    "full_name",
    "name",
    words(_l("Full name"), _l("Their full name")),
    words(_l("your full name"), _l("their full name")),
    autocomplete="name",
    picture="name",
)
PREFERRED_NAME = Question(
    "preferred_name",
    "name",
    words(_l("What would you like us to call you? (optional)"), _l("What do they like to be called? (optional)")),
    words(_l("the name you like to be called"), _l("the name they like to be called")),
    required=False,
    autocomplete="nickname",
)
DATE_OF_BIRTH = Question(
    "date_of_birth",
    "date",
    words(_l("What is your date of birth?"), _l("What is their date of birth?")),
    words(_l("your date of birth"), _l("their date of birth")),
    hint=words(_l("For example, 27 3 2007")),
    autocomplete="bday",
    picture="birthday",
)
NHS_NUMBER = Question(
    "nhs_number",
    "nhs_number",
    words(_l("What is your NHS number? (optional)"), _l("What is their NHS number? (optional)")),
    words(_l("your NHS number"), _l("their NHS number")),
    hint=words(
        _l(
            "It is 10 digits long, like 943 476 5919. You can find it on a letter from your GP or in the NHS App. Leave it blank if you do not know it."
        )
    ),
    required=False,
    max_length=20,
    picture="nhs_number",
)
ADDRESS_LINE_1 = Question(
    "address_line_1",
    "text",
    words(_l("Address line 1")),
    words(_l("the first line of the address")),
    autocomplete="address-line1",
)
ADDRESS_LINE_2 = Question(
    "address_line_2",
    "text",
    words(_l("Address line 2 (optional)")),
    words(_l("the second line of the address")),
    required=False,
    autocomplete="address-line2",
)
TOWN = Question("town", "text", words(_l("Town or city")), words(_l("the town or city")), autocomplete="address-level2")
POSTCODE = Question(
    "postcode", "postcode", words(_l("Postcode")), words(_l("the postcode")), max_length=12, autocomplete="postal-code"
)
GP_PRACTICE = Question(
    "gp_practice",
    "text",
    words(
        _l("Which GP surgery are you registered with? (optional)"),
        _l("Which GP surgery are they registered with? (optional)"),
    ),
    words(_l("the GP surgery")),
    hint=words(_l("For example, Riverside Medical Centre, Norwich. Leave it blank if you do not know.")),
    required=False,
    max_length=200,
    picture="doctor",
)
PHONE = Question(
    "phone",
    "phone",
    words(_l("Phone number (optional)")),
    words(_l("the phone number")),
    required=False,
    max_length=40,
    autocomplete="tel",
)
EMAIL = Question(
    "email",
    "email",
    words(_l("Email address (optional)")),
    words(_l("the email address")),
    required=False,
    max_length=254,
    autocomplete="email",
)

SAFE_CONTACT_CHOICES = (
    Choice("phone_call", words(_l("Phone calls"))),
    Choice("text_message", words(_l("Text messages"))),
    Choice("voicemail", words(_l("Leaving a voicemail message"))),
    Choice("email", words(_l("Emails"))),
    Choice("letter", words(_l("Letters"))),
)
SAFE_CONTACT = Question(
    "safe_contact",
    "checkboxes",
    words(_l("How is it safe for us to contact you?"), _l("How is it safe for us to contact them?")),
    words(_l("how we can safely contact you"), _l("how we can safely contact them")),
    hint=words(_l("Select all that are safe.")),
    choices=SAFE_CONTACT_CHOICES,
    picture="phone",
)
CONTACT_TIMES = Question(
    "contact_times",
    "text",
    words(_l("When is a good time to contact you? (optional)"), _l("When is a good time to contact them? (optional)")),
    words(_l("a good time to contact")),
    hint=words(_l("For example, weekday mornings")),
    required=False,
    max_length=200,
)
CONTACT_NOTES = Question(
    "contact_notes",
    "textarea",
    words(
        _l("Is there anything else we should know about contacting you? (optional)"),
        _l("Is there anything else we should know about contacting them? (optional)"),
    ),
    words(_l("anything else about contacting")),
    hint=words(_l("For example, please speak to my mum first, or do not call during school hours.")),
    required=False,
    max_length=1000,
)

DIAGNOSIS = Question(
    "diagnosis",
    "radios",
    words(
        _l("Do you have a learning disability or are you autistic?"),
        _l("Do they have a learning disability or are they autistic?"),
    ),
    words(_l("an answer about learning disability or autism")),
    choices=(
        Choice("learning_disability", words(_l("A learning disability"))),
        Choice("autism", words(_l("Autistic"))),
        Choice("both", words(_l("Both a learning disability and autistic"))),
        Choice("awaiting_assessment", words(_l("Waiting for an assessment"))),
        Choice("not_sure", words(_l("Not sure"))),
    ),
    picture="diagnosis",
)

FORMAT_CHOICES = (
    Choice("easy_read", words(_l("Easy read"))),
    Choice("large_print", words(_l("Large print"))),
    Choice("audio", words(_l("Audio"))),
    Choice("bsl", words(_l("British Sign Language (BSL)"))),
    Choice("braille", words(_l("Braille"))),
    Choice("email", words(_l("Email"))),
    Choice("letter", words(_l("Standard letter"))),
    Choice("none", words(_l("No, I do not need a different format"), _l("No, they do not need a different format"))),
)
FORMATS = Question(
    "formats",
    "checkboxes",
    words(_l("How would you like us to give you information?"), _l("How would they like us to give them information?")),
    words(_l("how you would like information"), _l("how they would like information")),
    hint=words(_l("Select all that apply.")),
    choices=FORMAT_CHOICES,
    exclusive="none",
    picture="formats",
)
INTERPRETER = Question(
    "interpreter",
    "radios",
    words(_l("Do you need an interpreter?"), _l("Do they need an interpreter?")),
    words(_l("if an interpreter is needed")),
    choices=(Choice("yes", words(_l("Yes"))), Choice("no", words(_l("No")))),
    reveals={"yes": "interpreter_language"},
    picture="interpreter",
)
INTERPRETER_LANGUAGE = Question(
    "interpreter_language",
    "text",
    words(_l("Which language?")),
    words(_l("the language")),
    required=False,
    max_length=100,
    revealed_by=("interpreter", "yes"),
)
ADJUSTMENTS = Question(
    "adjustments",
    "textarea",
    words(
        _l("Is there anything else that would help you talk with us? (optional)"),
        _l("Is there anything else that would help them talk with us? (optional)"),
    ),
    words(_l("anything else that would help")),
    hint=words(_l("For example, a quiet room, more time, or someone to support you.")),
    required=False,
    max_length=1000,
)

RISK_CHOICES = (
    Choice(
        "hospital_risk",
        words(
            _l("I might have to go into a mental health hospital"),
            _l("They might have to go into a mental health hospital"),
        ),
    ),
    Choice(
        "harm",
        words(
            _l("There is a risk of serious harm to me or to other people"),
            _l("There is a risk of serious harm to them or to other people"),
        ),
    ),
    Choice(
        "home_breakdown",
        words(
            _l("My home, school, care or family arrangement might break down"),
            _l("Their home, school, care or family arrangement might break down"),
        ),
    ),
    Choice("police_or_urgent_care", words(_l("Police or urgent care have been involved because of mental health"))),
    Choice(
        "recent_discharge",
        words(_l("I left a mental health hospital recently"), _l("They left a mental health hospital recently")),
    ),
    Choice(
        "crisis_team",
        words(
            _l("A crisis team has supported me in the last year"),
            _l("A crisis team has supported them in the last year"),
        ),
    ),
)
RISKS = Question(
    "risks",
    "checkboxes",
    words(_l("Are any of these happening now?")),
    words(_l("what is happening now")),
    hint=words(_l("Select all that apply. Leave them all unticked if none of these are happening.")),
    choices=RISK_CHOICES,
    required=False,
    picture="worried",
)
SITUATION = Question(
    "situation",
    "textarea",
    words(_l("Tell us what is happening and why you are worried")),
    words(_l("what is happening")),
    hint=words(_l("Write as much or as little as you like.")),
    max_length=5000,
    picture="talk",
)
IN_HOSPITAL = Question(
    "in_hospital",
    "radios",
    words(_l("Are you in hospital now?"), _l("Are they in hospital now?")),
    words(_l("if you are in hospital now"), _l("if they are in hospital now")),
    choices=(Choice("yes", words(_l("Yes"))), Choice("no", words(_l("No")))),
    reveals={"yes": "hospital_name"},
    picture="hospital",
)
HOSPITAL_NAME = Question(
    "hospital_name",
    "text",
    words(_l("Which hospital?")),
    words(_l("the name of the hospital")),
    required=False,
    max_length=200,
    revealed_by=("in_hospital", "yes"),
)
SUPPORT = Question(
    "support",
    "textarea",
    words(_l("What support do you have now? (optional)"), _l("What support do they have now? (optional)")),
    words(_l("the support in place")),
    hint=words(_l("For example, family, carers, a social worker, school or college, or a support worker.")),
    required=False,
    max_length=5000,
    picture="support",
)

STEPS: tuple[Step, ...] = (
    Step("who", WHO.label, (WHO,)),
    Step(
        "name",
        words(_l("What is your name?"), _l("What is the name of the person you are referring?")),
        (FULL_NAME, PREFERRED_NAME),
    ),
    Step("date-of-birth", DATE_OF_BIRTH.label, (DATE_OF_BIRTH,)),
    Step("nhs-number", NHS_NUMBER.label, (NHS_NUMBER,)),
    Step(
        "address",
        words(_l("What is your address?"), _l("What is their address?")),
        (ADDRESS_LINE_1, ADDRESS_LINE_2, TOWN, POSTCODE),
    ),
    Step("gp", GP_PRACTICE.label, (GP_PRACTICE,)),
    Step(
        "contact-details",
        words(_l("How can we contact you?"), _l("How can we contact them?")),
        (PHONE, EMAIL),
        lead=words(
            _l("Give a phone number, an email address, or both. If you give neither, we will write to you by post."),
            _l(
                "Give their phone number, email address, or both, if they have them. If you give neither, we will contact you or write to them."
            ),
        ),
    ),
    Step(
        "safe-contact",
        words(_l("Contacting you safely"), _l("Contacting them safely")),
        (SAFE_CONTACT, CONTACT_TIMES, CONTACT_NOTES),
    ),
    Step("diagnosis", DIAGNOSIS.label, (DIAGNOSIS,)),
    Step("communication", words(_l("Communication needs")), (FORMATS, INTERPRETER, INTERPRETER_LANGUAGE, ADJUSTMENTS)),
    Step("whats-happening", words(_l("What is happening now")), (RISKS, SITUATION)),
    Step("hospital", IN_HOSPITAL.label, (IN_HOSPITAL, HOSPITAL_NAME)),
    Step("support", SUPPORT.label, (SUPPORT,)),
    professionals.STEP,
    referrer.STEP,
    *consent.STEPS,
)
