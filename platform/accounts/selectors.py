"""Reads about organizations and their members."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet

from accounts.models import AuditEvent, Membership, Organization


def membership_of(user: AbstractBaseUser | AnonymousUser) -> Membership | None:
    """The signed-in user's membership (with its organization), or None for anyone else."""
    if not user.is_authenticated:
        return None
    return Membership.objects.select_related("organization").filter(user_id=user.pk).first()


def member_list(*, organization: Organization) -> QuerySet[Membership]:
    return Membership.objects.filter(organization=organization).select_related("user")


def audit_list(*, organization: Organization) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(organization=organization).select_related("actor")
