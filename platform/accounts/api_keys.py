"""API keys: create (the key is returned once), revoke, authenticate."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Sequence
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from accounts.audit import audit_record
from accounts.models import ApiKey, Organization

KEY_PREFIX = "tj_"
# last_used_at is written at most this often per key: a busy integration must not turn every
# read into a write.
LAST_USED_RESOLUTION = timedelta(minutes=1)


class ApiKeyError(ValueError):
    """The key cannot be made or changed; the message says why."""


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


@transaction.atomic
def api_key_create(
    *,
    organization: Organization,
    name: str,
    scopes: Sequence[str],
    actor: AbstractBaseUser | None,
) -> tuple[ApiKey, str]:
    """Create a key for `organization` with `scopes`; return it and the raw key, which is
    shown this once (only its SHA-256 is stored). Audited as "api_key.create"."""
    name = name.strip()
    if not name:
        raise ApiKeyError("Give the key a name (what uses it).")
    unknown = sorted(set(scopes) - set(ApiKey.Scope.values))
    if unknown or not scopes:
        raise ApiKeyError(f"Scopes must be some of {', '.join(ApiKey.Scope.values)}.")
    prefix = secrets.token_hex(4)
    raw = f"{KEY_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    user = get_user_model().objects.create(username=f"apikey-{prefix}")
    user.set_unusable_password()
    user.save(update_fields=["password"])
    key = ApiKey.objects.create(
        organization=organization,
        user=user,
        name=name,
        prefix=prefix,
        key_hash=_hash(raw),
        scopes=sorted(set(scopes)),
        created_by=actor,
    )
    audit_record(
        organization=organization,
        actor=actor,
        action="api_key.create",
        target=key,
        detail={"scopes": key.scopes},
    )
    return key, raw


@transaction.atomic
def api_key_revoke(*, key: ApiKey, actor: AbstractBaseUser | None) -> ApiKey:
    """Revoke `key` now (requests with it fail from the next one on). Idempotent."""
    if ApiKey.objects.filter(pk=key.pk, revoked_at=None).update(revoked_at=timezone.now()):
        audit_record(
            organization=key.organization, actor=actor, action="api_key.revoke", target=key
        )
    key.refresh_from_db()
    return key


def api_key_authenticate(raw: str) -> ApiKey | None:
    """The active key whose raw value is `raw`, or None. Records when it was last used."""
    if not raw.startswith(KEY_PREFIX) or len(raw) > 200:
        return None
    digest = _hash(raw)
    key = (
        ApiKey.objects.select_related("organization", "user")
        .filter(key_hash=digest, revoked_at=None)
        .first()
    )
    if key is None or not hmac.compare_digest(key.key_hash, digest):
        return None
    now = timezone.now()
    if key.last_used_at is None or now - key.last_used_at > LAST_USED_RESOLUTION:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
        key.last_used_at = now
    return key
