"""Accounts: API tokens, organizations and their members."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from rest_framework.authtoken.models import Token

from accounts.models import Membership, Organization


@transaction.atomic
def account_ensure_with_token(*, username: str) -> tuple[AbstractBaseUser, str]:
    """Get or create `username` (no password: API use only) and its token; return both."""
    user, created = get_user_model().objects.get_or_create(username=username)
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    token, _ = Token.objects.get_or_create(user=user)
    return user, token.key


@transaction.atomic
def organization_create(
    *, name: str, slug: str, owner_email: str, owner_password: str | None = None
) -> tuple[Organization, Membership]:
    """Create an organization and its owner's account (a usable password if given, else the
    owner sets one through the password-reset link)."""
    organization = Organization.objects.create(name=name, slug=slug)
    membership = member_add(
        organization=organization,
        email=owner_email,
        role=Membership.Role.OWNER,
        password=owner_password,
    )
    return organization, membership


class MemberError(ValueError):
    """A member cannot be added or changed; the message says why, for the interviewer."""


@transaction.atomic
def member_add(
    *,
    organization: Organization,
    email: str,
    role: str,
    password: str | None = None,
) -> Membership:
    """Add the person with `email` to `organization` with `role`, creating their account (the
    email is the username; no usable password unless given). A person belongs to one
    organization: MemberError if they already belong to one."""
    email = email.strip().lower()
    if role not in Membership.Role.values:
        raise MemberError(f"{role!r} is not a role ({', '.join(Membership.Role.values)})")
    user, created = get_user_model().objects.get_or_create(
        username=email, defaults={"email": email}
    )
    if not created and Membership.objects.filter(user=user).exists():
        raise MemberError(f"{email} already belongs to an organization")
    if password:
        user.set_password(password)
    elif created:
        user.set_unusable_password()
    user.save(update_fields=["password"])
    return Membership.objects.create(user=user, organization=organization, role=role)
