"""`manage.py grade <slug-or-path> <file.py> [--suite hidden|public] [--json]`

Grades one file in the sandbox and prints the verdict: a table by default, the report as one
JSON object with --json. Exit status 0 whenever a verdict was produced (whatever it is); 2 with a
one-line error when the exercise or the file cannot be used. Needs Docker, not the database.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

import sandbox
from graders.package import ExerciseError, find_exercise
from graders.report import Report


class Command(BaseCommand):
    help = "Grade a solution file against an exercise in the sandbox."
    requires_system_checks = ()  # needs no database, no app checks
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("exercise", help="exercise slug (in exercises/) or package directory")
        parser.add_argument("file", help="the candidate's solution.py")
        parser.add_argument("--suite", choices=["hidden", "public"], default="hidden")
        parser.add_argument("--json", action="store_true", help="print the report as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            exercise = find_exercise(options["exercise"], Path(settings.EXERCISES_DIR))
        except ExerciseError as exc:
            raise CommandError(str(exc).replace("\n", "; "), returncode=2) from exc
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"no such file: {path}", returncode=2)
        size = path.stat().st_size
        if size > sandbox.MAX_SOURCE_BYTES:
            raise CommandError(
                f"{path} is {size} bytes; the limit is {sandbox.MAX_SOURCE_BYTES} bytes (256 KB)",
                returncode=2,
            )
        progress = None if options["json"] or not sys.stderr.isatty() else _progress
        try:
            report = sandbox.grade(
                exercise, path.read_bytes(), suite=options["suite"], on_event=progress
            )
        except sandbox.SubmissionRejected as exc:  # the file grew since the size check
            raise CommandError(str(exc), returncode=2) from exc
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict()))
        else:
            self.stdout.write(format_table(report))


def _progress(event: dict[str, Any]) -> None:
    if event.get("event") == "test_finished":
        result = event.get("result", {})
        sys.stderr.write(f"  {result.get('outcome', '?'):8} {result.get('name', '')}\n")


def format_table(report: Report) -> str:
    """The human-readable report: one row per test, the speed line, the verdict."""
    lines = [f"{report.exercise} · {report.suite} suite", ""]
    if report.tests:
        width = max(len(t.name) for t in report.tests)
        lines.append(f"{'TEST':<{width}}  {'OUTCOME':<8}  {'POINTS':>13}  {'TIME':>8}")
        for t in report.tests:
            points = f"{t.points:.2f}/{t.max_points:.2f}"
            lines.append(
                f"{t.name:<{width}}  {t.outcome.value:<8}  {points:>13}  {t.duration_s:>7.2f}s"
            )
            if t.message:
                lines.extend("    " + line for line in t.message.splitlines()[:20])
        lines.append("")
    if report.speed:
        s = report.speed
        lines.append(
            f"Speed: {s['ratio']:.2f}x the reference's speed (95% CI {s['ci_low']:.2f}"
            f"-{s['ci_high']:.2f}){' [suspiciously fast]' if s['suspicious'] else ''}"
        )
    if report.message:
        lines.append(f"Message: {report.message}")
    lines.append(f"Verdict: {report.verdict.value}   Score: {report.score:.1f}/100")
    return "\n".join(lines)
