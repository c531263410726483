"""Signed links to a candidate's human report page, for people in a hiring system who have no
TensorJudge account: `/r/<invitation id>?t=<token>`.

The token is made with django.core.signing (salt "report", the invitation id as payload,
timestamped): it opens that one invitation's report, read-only, for REPORT_LINK_MAX_AGE, and
nothing else. Anyone holding the link can read the report until then, so it is handed only to
API keys of the invitation's organization (and their webhooks)."""

from __future__ import annotations

from datetime import datetime, timedelta
from urllib.parse import urlencode
from uuid import UUID

from django.core import signing
from django.urls import reverse

SALT = "report"
REPORT_LINK_MAX_AGE = timedelta(days=7)


class _Signer(signing.TimestampSigner):
    """A TimestampSigner that can sign as of a given moment (links made earlier, in tests)."""

    def __init__(self, issued_at: datetime | None = None) -> None:
        super().__init__(salt=SALT)
        self._issued_at = issued_at

    def timestamp(self) -> str:
        if self._issued_at is None:
            return str(super().timestamp())
        return signing.b62_encode(int(self._issued_at.timestamp()))


def report_token(invitation_id: UUID, *, issued_at: datetime | None = None) -> str:
    """A token opening the report of `invitation_id` (issued now unless `issued_at`)."""
    return _Signer(issued_at).sign_object(str(invitation_id))


def report_token_opens(token: str, invitation_id: UUID) -> bool:
    """Whether `token` is intact, younger than REPORT_LINK_MAX_AGE and for `invitation_id`."""
    try:
        payload = signing.loads(token, salt=SALT, max_age=REPORT_LINK_MAX_AGE)
    except signing.BadSignature:  # tampered, or SignatureExpired (a subclass)
        return False
    return payload == str(invitation_id)


def report_url(invitation_id: UUID, *, base_url: str) -> str:
    """The signed link: `base_url` (this site's address; may be empty for a path) + the page."""
    path = reverse("interviewer:signed-report", args=[invitation_id])
    query = urlencode({"t": report_token(invitation_id)})
    return f"{base_url.rstrip('/')}{path}?{query}"
