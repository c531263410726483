"""`manage.py create_demo_invitation`: a fresh invitation to the demo assessment (created on
first use from the synced bank, in the demo organization when it exists, so that its owner sees
it); prints its token, which `make run` turns into a link."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.models import Organization
from accounts.services import DEMO_ORGANIZATION
from assessments.models import Assessment
from assessments.services import assessment_create, invitation_create
from bank.models import Exercise, Question

DEMO_TITLE = "TensorJudge demo: ML engineer screen"
DEMO_STEPS = [
    ("exercise", "kmeans"),
    ("question", "robustness-fgsm"),
    ("exercise", "fgsm"),
    ("question", "compression-distillation"),
    ("question", "compression-gptq-vs-awq"),
]
DEMO_INTRO = """\
This is the **demo assessment** of a local TensorJudge. Two coding exercises and three
questions; your code is graded in a sandbox against hidden tests.
"""


class Command(BaseCommand):
    help = "Create an invitation to the demo assessment and print its token."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--name", default="Demo Candidate")
        parser.add_argument("--email", default="candidate@example.com")
        parser.add_argument("--minutes", type=int, default=90)

    def handle(self, *args: Any, **options: Any) -> None:
        organization = Organization.objects.filter(slug=DEMO_ORGANIZATION[1]).first()
        assessment = Assessment.objects.filter(title=DEMO_TITLE).first()
        if assessment is not None and assessment.organization is None and organization:
            # Made before organizations existed: the demo organization adopts it.
            assessment.organization = organization
            assessment.save(update_fields=["organization", "updated_at"])
        if assessment is None:
            steps: list[Exercise | Question] = []
            for kind, slug in DEMO_STEPS:
                model = Exercise if kind == "exercise" else Question
                found = model.objects.filter(slug=slug).first()
                if found is None:
                    raise CommandError(f"the bank has no {kind} {slug!r}: run sync_exercises")
                steps.append(found)
            assessment = assessment_create(
                title=DEMO_TITLE,
                duration_minutes=options["minutes"],
                steps=steps,
                intro=DEMO_INTRO,
                organization=organization,
            )
        _, token = invitation_create(
            assessment=assessment,
            candidate_name=options["name"],
            candidate_email=options["email"],
        )
        self.stdout.write(token)
