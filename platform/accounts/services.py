"""Accounts: API tokens, organizations and their members (invited by email, roles changed,
removed: each recorded in the audit trail), and the demo organization of `make run`."""

from __future__ import annotations

import smtplib
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from rest_framework.authtoken.models import Token

from accounts.audit import audit_record
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


def _owners_locked(organization: Organization) -> list[int]:
    """The ids of `organization`'s owners, their rows locked until the transaction ends, so
    that two owners demoting each other at once cannot leave the organization with none."""
    owners = Membership.objects.select_for_update().filter(
        organization=organization, role=Membership.Role.OWNER
    )
    return list(owners.values_list("pk", flat=True))


def member_set_password_link(*, user: AbstractBaseUser, base_url: str) -> str:
    """An absolute link that lets `user` choose a password (the password-reset confirmation
    page): valid until they use it, sign in, or PASSWORD_RESET_TIMEOUT passes."""
    path = reverse(
        "interviewer:password-reset-confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return f"{base_url.rstrip('/')}{path}"


def _send_invitation_email(*, membership: Membership, invited_by: Any, base_url: str) -> None:
    context = {
        "organization": membership.organization,
        "role": membership.get_role_display(),
        "email": membership.user.email,
        "invited_by": getattr(invited_by, "email", "") or str(invited_by),
        "link": member_set_password_link(user=membership.user, base_url=base_url),
        "sign_in": f"{base_url.rstrip('/')}{reverse('interviewer:login')}",
        "valid_days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
    }
    subject = render_to_string("interviewer/email/member_invite_subject.txt", context)
    body = render_to_string("interviewer/email/member_invite_email.txt", context)
    try:
        send_mail(" ".join(subject.split()), body, None, [membership.user.email])
    except (OSError, smtplib.SMTPException) as error:
        # Raised inside the caller's transaction: no member is left without their email.
        raise MemberError(
            f"the invitation email to {membership.user.email} failed: {error}"
        ) from error


@transaction.atomic
def member_invite(
    *,
    organization: Organization,
    email: str,
    role: str,
    invited_by: AbstractBaseUser,
    base_url: str,
) -> Membership:
    """Add a colleague to `organization` with `role` and email them a link to set their
    password (the account has none until then); record "member.invite".

    `base_url` ("https://judge.example.com") starts the link. MemberError (nothing added) if
    the email is not valid, they already belong to an organization, or the email fails."""
    email = email.strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise MemberError(f"{email!r} is not an email address") from None
    membership = member_add(organization=organization, email=email, role=role)
    _send_invitation_email(membership=membership, invited_by=invited_by, base_url=base_url)
    audit_record(
        organization=organization,
        actor=invited_by,
        action="member.invite",
        target=membership.user,
        detail={"email": email, "role": role},
    )
    return membership


@transaction.atomic
def member_invite_resend(
    *, membership: Membership, invited_by: AbstractBaseUser, base_url: str
) -> None:
    """Email `membership`'s person a fresh set-password link (they lost the first one, or it
    expired); record "member.invite.resend". MemberError if they already chose a password
    (they can reset it themselves from the sign-in page)."""
    if membership.user.has_usable_password():
        raise MemberError(
            f"{membership.user.email} has already set a password; "
            "they can use “Forgot your password?” on the sign-in page"
        )
    _send_invitation_email(membership=membership, invited_by=invited_by, base_url=base_url)
    audit_record(
        organization=membership.organization,
        actor=invited_by,
        action="member.invite.resend",
        target=membership.user,
        detail={"email": membership.user.email},
    )


@transaction.atomic
def member_role_change(
    *, membership: Membership, role: str, changed_by: AbstractBaseUser
) -> Membership:
    """Give `membership` another role; record "member.role". MemberError if `role` is not a
    role, or if it would demote the organization's last owner."""
    if role not in Membership.Role.values:
        raise MemberError(f"{role!r} is not a role ({', '.join(Membership.Role.values)})")
    owners = _owners_locked(membership.organization)
    if role == membership.role:
        return membership
    if owners == [membership.pk]:
        raise MemberError(
            f"{membership.user.email} is the only owner: make someone else an owner first"
        )
    previous, membership.role = membership.role, role
    membership.save(update_fields=["role"])
    audit_record(
        organization=membership.organization,
        actor=changed_by,
        action="member.role",
        target=membership.user,
        detail={"email": membership.user.email, "from": previous, "to": role},
    )
    return membership


@transaction.atomic
def member_remove(*, membership: Membership, removed_by: AbstractBaseUser) -> None:
    """Take `membership`'s person out of the organization; record "member.remove".

    Their account stays (the audit trail names them) but loses its password, which also
    ends their open sessions; inviting them again works. MemberError for the last owner."""
    owners = _owners_locked(membership.organization)
    if owners == [membership.pk]:
        raise MemberError(f"{membership.user.email} is the only owner: an organization needs one")
    user = membership.user
    audit_record(
        organization=membership.organization,
        actor=removed_by,
        action="member.remove",
        target=user,
        detail={"email": user.email, "role": membership.role},
    )
    membership.delete()
    user.set_unusable_password()
    user.save(update_fields=["password"])


DEMO_ORGANIZATION = ("Demo Company", "demo")
DEMO_OWNER_EMAIL = "owner@demo.test"


@transaction.atomic
def demo_organization_ensure(*, owner_password: str) -> Organization:
    """Make sure the demo organization exists with its owner, whose password becomes
    `owner_password` (created on the first call; later calls only reset the password and give
    the owner back their role if it was taken away)."""
    name, slug = DEMO_ORGANIZATION
    organization, _ = Organization.objects.get_or_create(slug=slug, defaults={"name": name})
    membership = Membership.objects.filter(user__username=DEMO_OWNER_EMAIL).first()
    if membership is None:
        membership = member_add(
            organization=organization, email=DEMO_OWNER_EMAIL, role=Membership.Role.OWNER
        )
    elif membership.organization_id != organization.pk:
        raise MemberError(f"{DEMO_OWNER_EMAIL} belongs to another organization")
    if membership.role != Membership.Role.OWNER:
        membership.role = Membership.Role.OWNER
        membership.save(update_fields=["role"])
    user = membership.user
    user.set_password(owner_password)
    user.save(update_fields=["password"])
    return organization
