"""`manage.py check_exercise <slug-or-path>... | --all [--jobs N]`: the authoring gate.

Grades each exercise's reference (three times), public suite, starter and mutants in the real
sandbox and refuses the exercise unless the hidden suite is proven sound (sandbox.gate). Prints
one row per exercise, then every problem; exit status 1 if any exercise is refused.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from graders.package import ExerciseError, bank_packages, find_exercise, load_exercise
from sandbox.gate import GateResult, check_exercises


class Command(BaseCommand):
    help = "Run exercises through the authoring gate in the real sandbox."
    requires_system_checks = ()  # needs Docker, not the database

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("exercises", nargs="*", help="slugs or package folders")
        parser.add_argument("--all", action="store_true", help="every exercise in the bank")
        parser.add_argument("--jobs", type=int, default=1, help="gradings at once")

    def handle(self, *args: Any, **options: Any) -> None:
        bank = Path(settings.EXERCISES_DIR)
        try:
            if options["all"]:
                exercises = [load_exercise(p) for p in bank_packages(bank)]
            else:
                exercises = [find_exercise(name, bank) for name in options["exercises"]]
        except ExerciseError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        if not exercises:
            raise CommandError("name exercises or pass --all", returncode=2)
        results = check_exercises(
            exercises, jobs=options["jobs"], progress=lambda line: print(line, file=sys.stderr)
        )
        self.stdout.write(format_results(results))
        if not all(r.passed for r in results):
            raise CommandError(
                "refused: " + ", ".join(r.exercise.slug for r in results if not r.passed),
                returncode=1,
            )


def format_results(results: list[GateResult]) -> str:
    head = (
        f"{'EXERCISE':<24} {'TESTS':>5} {'MUTANTS':>8} {'REF TIME':>9} {'PEAK MB':>8} "
        f"{'LIMITS (wall s / call s / MB)':>30}  RESULT"
    )
    lines = [head]
    for r in results:
        ex = r.exercise
        tests = len(r.reference[0].tests) if r.reference else 0
        peak = (
            max(((rep.resources.get("peak_memory_bytes") or 0) for rep in r.reference), default=0)
            / 2**20
        )
        limits = f"{ex.limits.wall_time_s:g} / {ex.limits.call_timeout_s:g} / {ex.limits.memory_mb}"
        lines.append(
            f"{ex.slug:<24} {tests:>5} {r.mutants_caught:>3}/{len(r.mutants):<4} "
            f"{r.reference_time_s:>8.1f}s {peak:>8.0f} {limits:>30}  "
            f"{'ok' if r.passed else 'REFUSED'}"
        )
    for r in results:
        lines += [f"  {r.exercise.slug}: {problem}" for problem in r.problems]
    return "\n".join(lines)
