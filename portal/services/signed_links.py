"""Signed links: a token that names a server-side record, and nothing else.

itsdangerous signs but does not encrypt, so the token's payload is only a
random `link_id`; one salt per purpose means a save-and-return token can never
be replayed as a reconfirmation. Whether a link still works is decided by its
row: used, superseded, locked, expired or the consent changed since it was
issued. Every dead link looks the same to the visitor. A GET never uses a link
up (mail scanners fetch links); `use()` does, with one conditional UPDATE in
the caller's transaction. Tokens are never logged: only a short hash.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections.abc import Callable
from datetime import date, datetime, timedelta

from flask import current_app, render_template
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import select, update

from easy_read import letters as easy_read_letters
from portal import db
from portal.models import Draft, Referral, SignedLink, utcnow
from portal.services import consent, mail, reading_mode
from portal.services.due_dates import draft_expiry, has_lapsed, last_day_it_works, link_expiry, removal_due

log = logging.getLogger(__name__)

SALTS = {
    "reconfirm": "dsr-consent-reconfirm",
    "withdraw": "dsr-consent-withdraw",
    "save_return": "dsr-referral-save-and-return",
}
SHORT_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: easy to read off paper
SHORT_CODE_LENGTH = 8
DATE_OF_BIRTH_ATTEMPTS = 5
TOKEN_MAX_LENGTH = 200


def token_hash(token: str) -> str:
    """What the logs say instead of a token."""
    return hashlib.sha256(token.encode()).hexdigest()[:12]


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALTS[purpose])


def token_for(link: SignedLink) -> str:
    return _serializer(link.purpose).dumps(link.link_id)


def new_short_code() -> str:
    return "".join(secrets.choice(SHORT_CODE_ALPHABET) for _ in range(SHORT_CODE_LENGTH))


def normalise_short_code(typed: str) -> str:
    """What a person types off a letter: spaces, dashes and lower case forgiven."""
    return "".join(ch for ch in typed[:64].upper() if ch.isascii() and ch.isalnum())


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=utcnow().tzinfo)


def issue(
    purpose: str,
    *,
    referral: Referral | None = None,
    draft_id: str | None = None,
    days: int | None = None,
    with_short_code: bool = False,
    addressed_to: str = "person",
) -> SignedLink:
    """A new link for this purpose; any older live link for the same purpose and record dies now."""
    now = utcnow()
    session = db.session()
    owner = SignedLink.referral_id == referral.id if referral is not None else SignedLink.draft_id == draft_id
    session.execute(
        update(SignedLink)
        .where(SignedLink.purpose == purpose, owner, SignedLink.used_at.is_(None), SignedLink.superseded_at.is_(None))
        .values(superseded_at=now)
    )
    link = SignedLink(
        link_id=secrets.token_urlsafe(32),
        short_code=new_short_code() if with_short_code else None,
        purpose=purpose,
        referral_id=referral.id if referral is not None else None,
        draft_id=draft_id,
        consent_version=referral.consent_version if referral is not None else 0,
        addressed_to=addressed_to,
        issued_at=now,
        expires_at=link_expiry(now, days if days is not None else consent.setting("CONSENT_LINK_DAYS")),
    )
    session.add(link)
    session.flush()
    return link


def link_id_of(purpose: str, token: str) -> str | None:
    """The link id a correctly signed token for this purpose names, or None (nothing says why)."""
    if not token or len(token) > TOKEN_MAX_LENGTH:
        return None
    # A signature older than the longest a link may live is dead whatever its row says.
    max_age = timedelta(days=max(consent.setting("CONSENT_LINK_DAYS"), 400)).total_seconds()
    try:
        link_id = _serializer(purpose).loads(token, max_age=max_age)
    except BadSignature:
        log.info("signed link refused: bad signature (token %s)", token_hash(token))
        return None
    return link_id if isinstance(link_id, str) else None


def is_live(link: SignedLink) -> bool:
    """Not used, superseded, locked or expired; and, for consent, issued since the last change to consent."""
    if link.used_at or link.superseded_at or link.locked_at or _aware(link.expires_at) <= utcnow():
        return False
    if link.referral_id is None:
        return True
    referral = db.session().get(Referral, link.referral_id)
    if referral is None or referral.erased_at is not None or referral.consent_version != link.consent_version:
        return False
    state = consent.state_of(referral)
    # Past its date, consent has lapsed whether or not today's run has recorded it yet: a late "keep"
    # would otherwise depend on when the run happened to start.
    lapsed = link.purpose == "reconfirm" and state.next_due is not None and has_lapsed(state.next_due, utcnow())
    return state.active and not lapsed


def find_live(purpose: str, token: str) -> SignedLink | None:
    """The live link this token names, or None for every kind of dead link alike."""
    link_id = link_id_of(purpose, token)
    if link_id is None:
        return None
    link = db.session().scalar(select(SignedLink).where(SignedLink.link_id == link_id, SignedLink.purpose == purpose))
    if link is None or not is_live(link):
        log.info("signed link refused: not live (token %s)", token_hash(token))
        return None
    return link


def find_by_short_code(typed: str) -> SignedLink | None:
    code = normalise_short_code(typed)
    if len(code) != SHORT_CODE_LENGTH:
        return None
    link = db.session().scalar(select(SignedLink).where(SignedLink.short_code == code))
    return link if link is not None and is_live(link) else None


def use(link: SignedLink) -> bool:
    """Use the link up: one conditional UPDATE, true only for the one request that changed the row.

    Run inside the unit of work that records the decision, so the decision
    and the link's use commit together or not at all.
    """
    now = utcnow()
    result = db.session().execute(
        update(SignedLink)
        .where(
            SignedLink.id == link.id,
            SignedLink.used_at.is_(None),
            SignedLink.superseded_at.is_(None),
            SignedLink.locked_at.is_(None),
            SignedLink.expires_at > now,
            SignedLink.consent_version == link.consent_version,
        )
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def bump_consent_version(link: SignedLink) -> bool:
    """The referral moves on from the version this link was issued for; false if another change got there first."""
    result = db.session().execute(
        update(Referral)
        .where(Referral.id == link.referral_id, Referral.consent_version == link.consent_version)
        .values(consent_version=Referral.consent_version + 1)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def marker(link: SignedLink) -> str:
    """What the session keeps to show this link's date of birth was confirmed (never the link id itself)."""
    return hashlib.sha256(f"confirmed:{link.link_id}".encode()).hexdigest()[:32]


def check_date_of_birth(link: SignedLink, typed: date) -> str:
    """'ok', 'wrong' or 'locked': the fifth wrong answer locks the link and tells the team."""
    session = db.session()
    referral = session.get(Referral, link.referral_id) if link.referral_id else None
    expected = consent.date_of_birth(referral) if referral is not None else None
    if expected is not None and typed == expected:
        return "ok"
    session.execute(
        update(SignedLink)
        .where(SignedLink.id == link.id)
        .values(date_of_birth_failures=SignedLink.date_of_birth_failures + 1)
        .execution_options(synchronize_session=False)
    )
    failures = session.scalar(select(SignedLink.date_of_birth_failures).where(SignedLink.id == link.id)) or 0
    link.date_of_birth_failures = failures
    if failures < DATE_OF_BIRTH_ATTEMPTS:
        return "wrong"
    locked = session.execute(
        update(SignedLink)
        .where(SignedLink.id == link.id, SignedLink.locked_at.is_(None))
        .values(locked_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if locked.rowcount == 1:
        log.warning("signed link locked after %s wrong dates of birth (link %s)", failures, link.id)
        consent.add_intake_item(
            "link_locked",
            {
                "reference": referral.reference if referral else "",
                "purpose": link.purpose,
                "what": "Five wrong dates of birth were typed on this person's link. It no longer works.",
            },
            removal_due(utcnow()),
            referral=referral,
        )
    return "locked"


# -- save and come back later ------------------------------------------------


def save_for_later(draft: Draft, email: str, link_url: Callable[[SignedLink], str]) -> SignedLink:
    """Email a link back to these answers, and keep the answers alive until the link expires."""
    link = issue("save_return", draft_id=draft.id, days=consent.setting("SAVE_RETURN_LINK_DAYS"))
    draft.expires_at = max(_aware(draft.expires_at), _aware(link.expires_at))
    expires = last_day_it_works(link.expires_at)
    body = render_template("email/consent_save_return.txt", link=link_url(link), expires=expires)
    easy = reading_mode.current() == reading_mode.EASY
    subject = easy_read_letters.SAVE_RETURN_TITLE if easy else _("Your saved answers: Dynamic Support Register")
    mail.queue_message("save_return", email, str(subject), body)
    return link


def restore_draft(link: SignedLink) -> str | None:
    """Use a save-and-return link up; the draft's id to put back in the session, or None if it is dead."""
    with db.unit_of_work() as session:
        draft = session.get(Draft, link.draft_id) if link.draft_id else None
        if draft is None or _aware(draft.expires_at) <= utcnow() or not use(link):
            return None
        # Someone back late on the last day still gets the usual time to finish.
        draft.expires_at = max(_aware(draft.expires_at), draft_expiry(utcnow()))
    return draft.id
