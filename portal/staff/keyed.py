"""The team keys in a referral received by phone or on paper, through the public journey's own pages."""

from __future__ import annotations

from flask import redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response

from forms.staff import KeyedReferralForm
from portal import db
from portal.public.referral import DRAFT_KEY, JOURNEY
from portal.services import audit, drafts
from portal.staff import bp
from portal.staff.auth import current_staff, staff_required


@bp.route("/referrals/new", methods=["GET", "POST"])
@staff_required("triage")
def keyed_referral() -> Response | str:
    form = KeyedReferralForm()
    if request.method == "POST" and form.validate():
        with db.unit_of_work():
            draft = drafts.start_draft(
                JOURNEY, channel=form.channel.data, entered_by=current_staff().email, language=form.language.data
            )
            audit.record("start_keyed_referral", detail=f"channel={form.channel.data} language={form.language.data}")
        session[DRAFT_KEY] = draft.id
        session.permanent = True
        return redirect(url_for("public.question", slug="who"))
    return render_template("staff/keyed/new.html", form=form)
