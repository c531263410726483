"""Accounts: for now a user and its API token (organizations and roles come later)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from rest_framework.authtoken.models import Token


@transaction.atomic
def account_ensure_with_token(*, username: str) -> tuple[AbstractBaseUser, str]:
    """Get or create `username` (no password: API use only) and its token; return both."""
    user, created = get_user_model().objects.get_or_create(username=username)
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    token, _ = Token.objects.get_or_create(user=user)
    return user, token.key
