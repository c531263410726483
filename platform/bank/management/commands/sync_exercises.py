"""`manage.py sync_exercises [FOLDER]`: load the exercise bank (default: settings.EXERCISES_DIR)
into the database; a new immutable version only where a package's content changed."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from bank.services import exercise_sync_directory


class Command(BaseCommand):
    help = "Sync the exercise packages on disk into the database."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", nargs="?", default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        bank = Path(options["folder"] or settings.EXERCISES_DIR)
        if not bank.is_dir():
            raise CommandError(f"no such folder: {bank}", returncode=2)
        result = exercise_sync_directory(bank=bank)
        for label in result.created:
            self.stdout.write(f"new version   {label}")
        for label in result.unchanged:
            self.stdout.write(f"unchanged     {label}")
        for slug in result.deactivated:
            self.stdout.write(f"deactivated   {slug} (its folder is gone)")
        for error in result.errors:
            self.stderr.write(f"skipped (invalid): {error}")
        if result.errors:
            raise CommandError(f"{len(result.errors)} invalid package(s), see above", returncode=1)
