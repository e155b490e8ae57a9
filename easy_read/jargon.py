"""Hard words: each may appear in easy read only in a block that also explains it.

The explanation is a phrase that must be in the same block as the word's first
use on a page ("consent means saying yes"). Register terms the public never
needs (stratification, C(E)TR) have explanations too, so a writer who needs one
knows how to say it.
"""

from __future__ import annotations

JARGON: dict[str, str] = {
    "consent": "consent means saying yes",
    "Dynamic Support Register": "list",
    "DSR": "Dynamic Support Register",
    "register": "list",
    "referral": "a referral means asking",
    "GP": "family doctor",
    "professional": "whose job is to help",
    "interpreter": "helps people who speak another language",
    "stratification": "sorting people by how much help they need",
    "multi-agency": "people from different services",
    "multi-disciplinary": "people with different jobs",
    "C(E)TR": "a meeting to check the care is right",
    "CETR": "a meeting to check the care is right",
    "CTR": "a meeting to check the care is right",
    "LAEP": "a plan for when things go wrong",
    "commissioning": "deciding what services to pay for",
    "commissioner": "decides what services to pay for",
    "keyworker": "one person who helps you find your way",
    "capacity": "able to choose for yourself",
    "best interest": "what is best for the person",
    "parental responsibility": "a parent or someone who acts as a parent",
    "diagnosis": "what a doctor says you have",
    "assessment": "a check",
    "screen reader": "reads the words out loud",
    "encrypted": "lock them with a secret code",
}
