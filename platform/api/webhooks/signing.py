"""How a delivery is signed: `TensorJudge-Signature: v1=<hex HMAC-SHA256(secret,
f"{timestamp}.{raw body}")>` with the unix `TensorJudge-Timestamp` it was signed at. The
timestamp is inside the signature, so a receiver that rejects old timestamps rejects replays."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time

SCHEME = "v1"
SECRET_PREFIX = "whsec_"
DEFAULT_TOLERANCE_S = 300


def secret_new() -> str:
    """A fresh signing secret (256 random bits)."""
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """The header value that signs `body` sent at `timestamp`: "v1=<hex>"."""
    message = f"{timestamp}.".encode() + body
    digest = hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()
    return f"{SCHEME}={digest}"


def signature_valid(
    secret: str,
    timestamp: str,
    body: bytes,
    header: str,
    *,
    tolerance_s: int = DEFAULT_TOLERANCE_S,
    now: float | None = None,
) -> bool:
    """Whether `header` signs `body` at `timestamp` with `secret`, and the timestamp is within
    `tolerance_s` of now (compared in constant time; several "v1=" values may be listed,
    comma-separated, while a secret is rotated)."""
    try:
        sent_at = int(timestamp)
    except ValueError:
        return False
    if abs((time.time() if now is None else now) - sent_at) > tolerance_s:
        return False
    expected = signature(secret, sent_at, body)
    return any(hmac.compare_digest(expected, part.strip()) for part in header.split(","))


def callback_secret(organization_id: int) -> str:
    """The secret that signs deliveries to invitations' callback URLs of an organization:
    derived from the site's SECRET_KEY (rotating that key rotates it), shown to its admins."""
    from django.conf import settings

    key = f"tensorjudge.webhooks.callback:{organization_id}".encode()
    digest = hmac.new(settings.SECRET_KEY.encode("utf-8"), key, hashlib.sha256).digest()
    return SECRET_PREFIX + base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")
