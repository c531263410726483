"""API keys: shown once, stored hashed, scoped, revocable, last use recorded."""

from __future__ import annotations

import hashlib

import pytest
from rest_framework.test import APIClient

from accounts.api_keys import api_key_revoke
from accounts.models import ApiKey

pytestmark = pytest.mark.django_db


def test_a_key_is_stored_only_as_its_hash_and_authenticates_as_bearer(make_api_key, bank):
    key, raw, client = make_api_key("acme", ("read",))
    assert raw.startswith(f"tj_{key.prefix}_")
    assert key.key_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in str(ApiKey.objects.values_list().get(pk=key.pk))
    assert client.get("/api/v1/exercises").status_code == 200
    key.refresh_from_db()
    assert key.last_used_at is not None


def test_a_wrong_or_revoked_key_is_refused_with_a_json_error(make_api_key, bank):
    key, _, client = make_api_key("acme", ("read",))
    stranger = APIClient()
    stranger.credentials(HTTP_AUTHORIZATION="Bearer tj_00000000_nope")
    refused = stranger.get("/api/v1/exercises")
    assert refused.status_code == 401
    assert refused.json()["error"]["message"] == "invalid or revoked API key"
    api_key_revoke(key=key, actor=None)
    assert client.get("/api/v1/exercises").status_code == 401


def test_scopes_are_ordered_read_invite_admin():
    key = ApiKey(scopes=["invite"])
    assert key.allows("read") and key.allows("invite") and not key.allows("admin")
    assert not ApiKey(scopes=[]).allows("read")
