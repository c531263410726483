"""`manage.py ensure_demo_organization [--base-url URL]`: the demo organization `make run`
prints the owner's credentials of (the password is generated once and kept in
VAR_DIR/demo-owner-password, so every run prints the same one)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.urls import reverse

from accounts.services import DEMO_OWNER_EMAIL, MemberError, demo_organization_ensure

PASSWORD_FILE = "demo-owner-password"


def _stored_password(path: Path) -> str:
    """The password kept at `path`, made (readable by this user alone) on first use."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        # Created 0600 from the start: the password is never readable by others, even briefly.
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as f:
            f.write(secrets.token_urlsafe(12))
    password = path.read_text().strip()
    if not password:
        raise CommandError(f"{path} is empty: delete it and run this again")
    return password


class Command(BaseCommand):
    help = "Create (or reset) the demo organization and its owner; print how to sign in."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--base-url", default="http://127.0.0.1:8000")

    def handle(self, *args: Any, **options: Any) -> None:
        password = _stored_password(Path(settings.VAR_DIR) / PASSWORD_FILE)
        try:
            organization = demo_organization_ensure(owner_password=password)
        except MemberError as error:
            raise CommandError(str(error)) from error
        base_url = options["base_url"].rstrip("/")
        self.stdout.write(
            f"Demo organization: {organization.name}. "
            f"Sign in at {base_url}{reverse('interviewer:login')} "
            f"as {DEMO_OWNER_EMAIL} with password {password}"
        )
