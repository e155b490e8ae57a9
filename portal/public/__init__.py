"""The public front door: the referral journey and the information pages around it."""

from flask import Blueprint

from portal.services import reading_mode

bp = Blueprint("public", __name__)
bp.before_request(reading_mode.remember_choice)
bp.app_context_processor(reading_mode.template_values)

from portal.public import consent, pages, professionals, referral  # noqa: E402, F401  (routes register on import)
