"""The audit trail: one call per thing worth knowing later (who changed or viewed what)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import models

from accounts.models import AuditEvent, Organization


def audit_record(
    *,
    organization: Organization,
    actor: AbstractBaseUser | None,
    action: str,
    target: models.Model,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Record that `actor` did `action` ("exercise.publish", "report.view", ...) to `target`.

    Written in the caller's transaction, so a change that rolls back leaves no event."""
    return AuditEvent.objects.create(
        organization=organization,
        actor=actor,
        action=action,
        target_type=target._meta.model_name or type(target).__name__.lower(),
        target_id=str(target.pk),
        target_label=str(target)[:300],
        detail=detail or {},
    )
