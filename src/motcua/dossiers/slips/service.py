"""``slip_pdf``: the PDF of one slip of a dossier, for the API and the back office."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone

from motcua.dossiers.models import Dossier

from .builders import SlipUnavailable, slip_data_for, submission_confirmation_data
from .render import SLIP_KINDS, render_slip, render_submission_confirmation


def slip_pdf(*, dossier: Dossier, kind: str) -> bytes | None:
    """The PDF of slip ``kind`` (one of ``SLIP_KINDS``) of ``dossier``, or ``None`` when there is
    no such kind or the dossier has no such slip (a refusal for a dossier that was received).

    The caller has already checked that the viewer may see the dossier and records the read.
    """
    if kind not in SLIP_KINDS:
        return None
    try:
        data = slip_data_for(
            dossier, kind, public_url=settings.MOTCUA_PUBLIC_URL, now=timezone.now()
        )
    except SlipUnavailable:
        return None
    return render_slip(kind, data)


def submission_confirmation_pdf(*, dossier: Dossier) -> bytes | None:
    """The confirmation of an online submission of ``dossier`` as PDF, or ``None`` when it was
    never submitted online (a walk-in dossier, a draft).

    The caller has already checked that the viewer is the dossier's applicant.
    """
    if dossier.submitted_at is None:
        return None
    data = submission_confirmation_data(dossier, public_url=settings.MOTCUA_PUBLIC_URL)
    return render_submission_confirmation(data)
