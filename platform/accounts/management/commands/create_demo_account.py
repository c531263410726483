"""`manage.py create_demo_account [--username demo]`: the account `make run` prints a token for."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from accounts.services import account_ensure_with_token


class Command(BaseCommand):
    help = "Create (or reuse) a demo account and print its API token."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", default="demo")

    def handle(self, *args: Any, **options: Any) -> None:
        _, token = account_ensure_with_token(username=options["username"])
        self.stdout.write(token)
