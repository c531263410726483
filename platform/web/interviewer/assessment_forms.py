"""The forms of the assessment pages: an assessment's settings, its steps (chosen from the
bank, each with a position and a weight), and the invitation forms.

The steps are a plain form (a checkbox, a position and a weight per bank entry) so the page
works without JavaScript; the bundle only adds search, up/down buttons and renumbering.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.http import QueryDict

from accounts.models import Organization
from assessments import csv_invites
from assessments.overview import BankChoice, StepRow
from assessments.services import MAX_EXTRA_MINUTES
from assessments.services.building import MAX_DURATION_MINUTES, Step
from assessments.services.invitations import MAX_EXTEND_MINUTES
from bank.selectors import exercise_list, question_list

MAX_WEIGHT = 100
MAX_CSV_BYTES = 1024 * 1024


class AssessmentForm(forms.Form):
    title = forms.CharField(max_length=200)
    intro = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Markdown, shown to candidates before they start.",
    )
    duration_minutes = forms.IntegerField(
        min_value=1, max_value=MAX_DURATION_MINUTES, initial=60, label="Duration (minutes)"
    )
    show_hidden_results = forms.BooleanField(
        required=False,
        initial=True,
        label="Show candidates the outcome of their hidden-test submits",
    )
    max_submissions = forms.IntegerField(
        required=False,
        min_value=1,
        label="Submissions per exercise",
        help_text="Hidden-test submits allowed per exercise; empty: no limit.",
    )
    FIELDS = ["title", "intro", "duration_minutes", "show_hidden_results", "max_submissions"]

    def __init__(self, *args: Any, fixed: bool = False, **kwargs: Any) -> None:
        """`fixed`: candidates have started, so the duration and the submission limit are
        shown but not taken from the post (a disabled field keeps its initial value)."""
        super().__init__(*args, **kwargs)
        if fixed:
            for name in ("duration_minutes", "max_submissions"):
                self.fields[name].disabled = True
                self.fields[name].help_text = "Fixed: candidates have started."


@dataclass(frozen=True)
class StepInput:
    """One bank entry's row of the steps form, as posted (or as the assessment has it)."""

    choice: BankChoice
    checked: bool
    position: str
    weight: str


@dataclass
class StepsForm:
    """The posted steps: `rows` to render again, `steps` resolved in order when valid."""

    rows: list[StepInput]
    errors: list[str]
    steps: list[Step]

    @property
    def is_valid(self) -> bool:
        return not self.errors


def step_rows(
    choices: list[BankChoice], current: list[StepRow], search: str = ""
) -> list[StepInput]:
    """The rows of the steps form for an assessment's current steps: chosen ones first in
    their order, then the rest of the bank that matches `search`."""
    chosen = {row.key: (index, row.item.weight) for index, row in enumerate(current, start=1)}
    rows = [
        StepInput(choice, choice.key in chosen, *_initial(chosen.get(choice.key)))
        for choice in choices
        if choice.key in chosen or choice.matches(search)
    ]
    return _ordered(rows)


def _initial(chosen: tuple[int, int] | None) -> tuple[str, str]:
    return (str(chosen[0]), str(chosen[1])) if chosen else ("", "1")


def _ordered(rows: list[StepInput]) -> list[StepInput]:
    def order(row: StepInput) -> tuple[int, int]:
        position = int(row.position) if row.position.isdigit() else 10**6
        return (0, position) if row.checked else (1, 0)

    return sorted(rows, key=order)  # stable: ties keep the bank's order


def steps_from_post(
    post: QueryDict, choices: list[BankChoice], organization: Organization
) -> StepsForm:
    """Read the steps form: the checked entries ordered by position (ties and empty positions
    in the bank's order, after the numbered ones), each with its weight."""
    known = {choice.key: choice for choice in choices}
    checked = post.getlist("step")
    errors = [f"{key!r} is not in your bank." for key in checked if key not in known]
    rows = []
    for choice in choices:
        position = post.get(f"position-{choice.key}", "").strip()
        weight = post.get(f"weight-{choice.key}", "1").strip() or "1"
        row = StepInput(choice, choice.key in checked, position, weight)
        rows.append(row)
        if not row.checked:
            continue
        if position and not position.isdigit():
            errors.append(f"The position of {choice.slug} must be a whole number.")
        if not weight.isdigit() or not 1 <= int(weight) <= MAX_WEIGHT:
            errors.append(
                f"The weight of {choice.slug} must be a whole number from 1 to {MAX_WEIGHT}."
            )
    rows = _ordered(rows)
    if not any(row.checked for row in rows) and not errors:
        errors.append("Choose at least one exercise or question.")
    steps: list[Step] = []
    if not errors:
        keys = [row.choice.key for row in rows if row.checked]
        entries = _entries(keys, organization)
        # An entry closed between the page and the post is no longer in the bank.
        errors = [
            f"{key.split(':', 1)[1]} is no longer in your bank."
            for key in keys
            if key not in entries
        ]
        weights = {row.choice.key: int(row.weight) for row in rows if row.checked}
        steps = [] if errors else [(entries[key], weights[key]) for key in keys]
    return StepsForm(rows, errors, steps)


def _entries(keys: list[str], organization: Organization) -> dict[str, Any]:
    """The Exercise and Question rows behind the keys, looked up in the organization's bank."""
    slugs = {
        kind: [key.split(":", 1)[1] for key in keys if key.startswith(kind + ":")]
        for kind in ("exercise", "question")
    }
    entries: dict[str, Any] = {}
    for exercise in exercise_list(organization=organization).filter(slug__in=slugs["exercise"]):
        entries[f"exercise:{exercise.slug}"] = exercise
    for question in question_list(organization=organization).filter(slug__in=slugs["question"]):
        entries[f"question:{question.slug}"] = question
    return entries


class InviteForm(forms.Form):
    name = forms.CharField(max_length=200)
    email = forms.EmailField()
    extra_minutes = forms.IntegerField(
        min_value=0,
        max_value=MAX_EXTRA_MINUTES,
        initial=0,
        label="Extra time (minutes)",
        help_text="An accommodation, added to the duration when they start.",
    )
    expiry_days = forms.IntegerField(
        min_value=1, max_value=90, initial=14, label="Link valid for (days)"
    )


class CsvInviteForm(forms.Form):
    file = forms.FileField(required=False, label="CSV file")
    text = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 5, "placeholder": "name,email,extra_minutes"}),
        label="Or paste the lines",
    )
    expiry_days = forms.IntegerField(
        min_value=1, max_value=90, initial=14, label="Links valid for (days)"
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        upload, text = cleaned.get("file"), cleaned.get("text", "")
        if upload is not None:
            if upload.size > MAX_CSV_BYTES:
                raise forms.ValidationError(
                    f"The file is {upload.size // 1024} KB; at most {MAX_CSV_BYTES // 1024} KB."
                )
            try:
                text = upload.read().decode("utf-8")
            except UnicodeDecodeError:
                raise forms.ValidationError(
                    "The file is not UTF-8 text: save it from the spreadsheet as "
                    "\u201cCSV UTF-8\u201d."
                ) from None
        if not text.strip():
            raise forms.ValidationError("Upload a CSV file or paste its lines.")
        try:
            cleaned["candidates"] = csv_invites.parse(text)
        except csv_invites.CsvInviteError as exc:
            raise forms.ValidationError(exc.errors) from None
        return cleaned


class ExtendForm(forms.Form):
    minutes = forms.IntegerField(min_value=1, max_value=MAX_EXTEND_MINUTES)


class ExtraTimeForm(forms.Form):
    extra_minutes = forms.IntegerField(min_value=0, max_value=MAX_EXTRA_MINUTES)


def form_problem(form: forms.Form) -> str:
    """A bound form's errors in one line (for a message after a redirect)."""
    parts: list[str] = []
    for name, errors in form.errors.items():
        field = form.fields.get(name)
        label = str(field.label or name.replace("_", " ").capitalize()) if field else ""
        parts.extend(f"{label}: {error}" if label else str(error) for error in errors)
    return " ".join(parts)
