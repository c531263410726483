"""What an API request may reach: the organization of its key, within the key's scopes."""

from __future__ import annotations

from typing import Any

from rest_framework import exceptions, permissions
from rest_framework.request import Request

from accounts.models import ApiKey, Organization


def organization_of(request: Request) -> Organization:
    """The organization of the request's API key (a NotAuthenticated error without one)."""
    key = request.auth
    if not isinstance(key, ApiKey):
        raise exceptions.NotAuthenticated("this endpoint needs an API key: Bearer <key>")
    return key.organization


class HasScope(permissions.BasePermission):
    """Allows requests whose API key has `scope` (admin > invite > read). Use as
    `permission_classes = [HasScope.of("invite")]`."""

    scope = ApiKey.Scope.READ

    @classmethod
    def of(cls, scope: str) -> type[HasScope]:
        return type(f"HasScope_{scope}", (cls,), {"scope": ApiKey.Scope(scope)})

    def has_permission(self, request: Request, view: Any) -> bool:
        key = request.auth
        if not isinstance(key, ApiKey):
            return False
        if not key.allows(self.scope):
            raise exceptions.PermissionDenied(f"this API key lacks the {self.scope.value!r} scope")
        return True
