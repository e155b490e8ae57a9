"""One intake item's record page: every answer, consent history, notes, and the outcome."""

from portal.staff import bp  # noqa: F401
