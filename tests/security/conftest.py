"""Fixtures for the security tests (defined in `support.py`, with the helpers they share)."""

from tests.security.support import canaries, carer_at_check

__all__ = ["canaries", "carer_at_check"]
