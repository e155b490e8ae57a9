"""The public front door: the referral journey and the information pages around it."""

from flask import Blueprint

bp = Blueprint("public", __name__)

from portal.public import consent, pages, professionals, referral  # noqa: E402, F401  (routes register on import)
