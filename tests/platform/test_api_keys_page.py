"""The owner's API keys page: list, a new key shown once (and working), revoking."""

from __future__ import annotations

import hashlib
import re
from typing import Any

import pytest
from rest_framework.test import APIClient

from accounts.api_keys import api_key_create
from accounts.models import ApiKey, AuditEvent

pytestmark = pytest.mark.django_db
RAW_KEY = re.compile(r"tj_[0-9a-f]{8}_[A-Za-z0-9_-]{20,}")


def bearer(raw: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


def test_the_owner_creates_a_key_that_is_shown_once_and_works(make_member: Any, bank) -> None:
    owner = make_member("acme", "owner")
    response = owner.client.post("/app/api-keys/", {"name": "Greenhouse", "scope": "invite"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Shown only this once" in body
    (raw,) = set(RAW_KEY.findall(body))
    key = ApiKey.objects.get(organization=owner.organization)
    assert (key.name, key.scopes) == ("Greenhouse", ["invite"])
    assert key.key_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert response["Cache-Control"] == "no-store"  # no cache keeps the page with the key
    assert AuditEvent.objects.filter(action="api_key.create").count() == 1
    # The key works, and the list shows its prefix, never the key again.
    assert bearer(raw).get("/api/v1/exercises").status_code == 200
    listing = owner.client.get("/app/api-keys/").content.decode()
    assert f"tj_{key.prefix}_" in listing and "Greenhouse" in listing
    assert raw not in listing and not RAW_KEY.search(listing)
    key.refresh_from_db()
    assert key.last_used_at is not None


def test_a_key_needs_a_name_and_a_known_scope(make_member: Any) -> None:
    owner = make_member("acme", "owner")
    for data in ({"name": "  ", "scope": "read"}, {"name": "ATS", "scope": "root"}):
        response = owner.client.post("/app/api-keys/", data)
        assert response.status_code == 200
        assert "Shown only this once" not in response.content.decode()
        assert 'class="errorlist' in response.content.decode()
    assert not ApiKey.objects.exists()


def test_revoking_a_key_stops_it_at_once(make_member: Any, bank) -> None:
    owner = make_member("acme", "owner")
    key, raw = api_key_create(
        organization=owner.organization, name="Old ATS", scopes=["read"], actor=None
    )
    assert bearer(raw).get("/api/v1/exercises").status_code == 200
    assert owner.client.get(f"/app/api-keys/{key.pk}/revoke").status_code == 405
    response = owner.client.post(f"/app/api-keys/{key.pk}/revoke")
    assert response.status_code == 302 and response["Location"] == "/app/api-keys/"
    key.refresh_from_db()
    assert key.revoked_at is not None
    assert bearer(raw).get("/api/v1/exercises").status_code == 401
    listing = owner.client.get("/app/api-keys/").content.decode()
    assert "revoked" in listing
    assert f'action="/app/api-keys/{key.pk}/revoke"' not in listing  # nothing left to revoke


@pytest.mark.parametrize("role", ["author", "reviewer"])
def test_only_the_owner_reaches_the_api_keys_page(make_member: Any, role: str) -> None:
    owner = make_member("acme", "owner")
    key, _ = api_key_create(
        organization=owner.organization, name="ATS", scopes=["admin"], actor=None
    )
    member = make_member("acme", role)
    assert member.client.get("/app/api-keys/").status_code == 403
    assert member.client.post("/app/api-keys/", {"name": "x", "scope": "admin"}).status_code == 403
    assert member.client.post(f"/app/api-keys/{key.pk}/revoke").status_code == 403
    assert ApiKey.objects.get().revoked_at is None
    assert "/app/api-keys/" not in member.client.get("/app/").content.decode()
    assert "/app/api-keys/" in owner.client.get("/app/").content.decode()  # the owner's nav


def test_another_organizations_key_is_neither_listed_nor_revocable(make_member: Any) -> None:
    acme = make_member("acme", "owner")
    bravo = make_member("bravo", "owner")
    key, _ = api_key_create(
        organization=acme.organization, name="Acme's ATS", scopes=["admin"], actor=None
    )
    assert f"tj_{key.prefix}_" in acme.client.get("/app/api-keys/").content.decode()
    assert f"tj_{key.prefix}_" not in bravo.client.get("/app/api-keys/").content.decode()
    assert bravo.client.post(f"/app/api-keys/{key.pk}/revoke").status_code == 404
    key.refresh_from_db()
    assert key.revoked_at is None
