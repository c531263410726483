"""`manage.py create_api_key --organization demo --scopes admin [--name NAME]`: a new API key of
an organization; prints the raw key (alone on stdout, so `KEY=$(... create_api_key ...)`
works). It is shown this once: only its hash is stored. Owners can also make keys on the
interviewer's API keys page."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.api_keys import ApiKeyError, api_key_create
from accounts.models import ApiKey, Organization


class Command(BaseCommand):
    help = "Create an API key for an organization and print it (shown this once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--organization", required=True, help="the organization's slug")
        parser.add_argument(
            "--scopes",
            nargs="+",
            default=["read"],
            help=f"some of {', '.join(ApiKey.Scope.values)} (space or comma separated); "
            "each includes the ones before it",
        )
        parser.add_argument("--name", default="Created with manage.py", help="what uses the key")

    def handle(self, *args: Any, **options: Any) -> None:
        slug = options["organization"]
        organization = Organization.objects.filter(slug=slug).first()
        if organization is None:
            known = ", ".join(Organization.objects.values_list("slug", flat=True)) or "none yet"
            raise CommandError(f"no organization {slug!r} (organizations: {known})")
        scopes = [scope for value in options["scopes"] for scope in value.split(",") if scope]
        try:
            key, raw = api_key_create(
                organization=organization, name=options["name"], scopes=scopes, actor=None
            )
        except ApiKeyError as error:
            raise CommandError(str(error)) from error
        self.stderr.write(
            f"API key {key.name!r} of {organization.name} with scopes {', '.join(key.scopes)} "
            "(shown this once: keep it now):"
        )
        self.stdout.write(raw)
