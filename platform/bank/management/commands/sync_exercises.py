"""`manage.py sync_exercises [FOLDER]`: load the exercise bank (default: settings.EXERCISES_DIR)
into the database, with the interview questions of FOLDER/questions/; a new immutable version
only where a package's or a question file's content changed."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from bank.services import (
    QUESTIONS_FOLDER,
    SyncResult,
    exercise_sync_directory,
    question_sync_directory,
)


class Command(BaseCommand):
    help = "Sync the exercise packages and question files on disk into the database."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", nargs="?", default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        bank = Path(options["folder"] or settings.EXERCISES_DIR)
        if not bank.is_dir():
            raise CommandError(f"no such folder: {bank}", returncode=2)
        exercises = exercise_sync_directory(bank=bank)
        questions = question_sync_directory(folder=bank / QUESTIONS_FOLDER)
        self.report(exercises)
        self.report(questions)
        errors = len(exercises.errors) + len(questions.errors)
        if errors:
            raise CommandError(f"{errors} invalid file(s), see above", returncode=1)

    def report(self, result: SyncResult) -> None:
        for label in result.created:
            self.stdout.write(f"new version   {label}")
        for label in result.unchanged:
            self.stdout.write(f"unchanged     {label}")
        for slug in result.deactivated:
            self.stdout.write(f"deactivated   {slug} (no longer on disk)")
        for error in result.errors:
            self.stderr.write(f"skipped (invalid): {error}")
