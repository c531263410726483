"""Authoring services (bank.authoring): drafts, their checks, validation requests and runs,
publishing, copies, re-grading. The last tests run the real gate in the Docker sandbox."""

from __future__ import annotations

import base64
import json
import shutil
from pathlib import Path

import pytest
import redis
from django.conf import settings

from accounts.models import AuditEvent
from assessments.services import assessment_create
from bank.authoring import (
    AuthoringError,
    DraftInvalid,
    exercise_copy,
    exercise_draft_create,
    exercise_draft_from_version,
    exercise_draft_save,
    exercise_import,
    exercise_publish,
)
from bank.draft_files import content_hash, write_package
from bank.models import Exercise, ExerciseDraft, Validation
from bank.validation import STALE_AFTER, validation_request, validation_run
from graders.package import load_exercise
from submissions.models import Submission
from submissions.services.regrade import RegradeError, exercise_regrade, regrade_candidates

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
ARITH = ROOT / "tests" / "fixtures" / "exercises" / "arith"


@pytest.fixture
def author(make_member):
    return make_member("acme", "author")


@pytest.fixture
def exercise(author):
    return exercise_draft_create(
        organization=author.organization,
        actor=author.membership.user,
        slug="doubling",
        title="Double it",
    )


def save(exercise, author, **changes):
    files = {**ExerciseDraft.objects.get(exercise=exercise).files, **changes}
    files = {path: text for path, text in files.items() if text is not None}
    return exercise_draft_save(exercise=exercise, actor=author.membership.user, files=files)


def passed(exercise):
    """Record that the draft's current content passed the gate (no Docker in these tests)."""
    exercise.draft.refresh_from_db()
    return Validation.objects.create(
        exercise=exercise,
        content_hash=exercise.draft.content_hash,
        files=exercise.draft.files,
        status=Validation.Status.PASSED,
    )


# Drafts


def test_a_new_exercise_has_no_version_and_a_complete_draft_whose_hash_is_the_packages(
    author, exercise, tmp_path
):
    assert exercise.organization == author.organization and exercise.current_version is None
    assert not exercise.accepts_submissions
    files = exercise.draft.files
    assert {"exercise.toml", "statement.md", "starter.py", "solution.py"} <= set(files)
    assert "tests/public/test_public.py" in files and "tests/hidden/test_hidden.py" in files
    assert len([p for p in files if p.startswith("mutants/")]) == 4
    assert 'slug = "doubling"' in files["exercise.toml"] and files["statement.md"].startswith(
        "# Double it"
    )
    write_package(files, tmp_path / "doubling")
    package = load_exercise(tmp_path / "doubling")  # a valid package as it is
    assert package.title == "Double it"
    assert exercise.draft.content_hash == package.content_hash() == content_hash(files)
    assert AuditEvent.objects.filter(action="exercise.create", target_id=str(exercise.pk)).exists()


@pytest.mark.parametrize(
    ("slug", "title", "message"),
    [
        ("Bad Slug", "T", "the slug 'Bad Slug' is not valid"),
        ("kmeans", "T", "the slug 'kmeans' is taken"),  # a folder of the shared bank
        ("doubling", "T", "the slug 'doubling' is taken"),
        ("fine", "two\nlines", "the title has 1 to 200 characters, on one line"),
        ("fine", "   ", "the title has 1 to 200 characters"),
    ],
)
def test_a_bad_or_taken_slug_or_title_is_refused_with_the_reason(
    make_member, exercise, slug, title, message
):
    other = make_member("globex", "owner")  # slugs are unique across organizations
    with pytest.raises(AuthoringError, match=message):
        exercise_draft_create(
            organization=other.organization, actor=other.membership.user, slug=slug, title=title
        )


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("../evil.py", "must not contain empty parts, '.' or '..'"),
        ("tests/hidden/../../evil.py", "must not contain empty parts, '.' or '..'"),
        ("/etc/passwd", "must be a relative path"),
        ("tests\\hidden\\x.py", "must be a relative path"),
        ("notes.txt", "top-level files are exercise.toml, statement.md"),
        ("mutants/deep/x.py", "mutants/ has no subfolders"),
        ("mutants/x.txt", "files in mutants/ end in .py"),
        ("tests/hidden/.hidden.py", "names are letters, digits"),
        ("elsewhere/x.py", "files go at the top level or in support/"),
    ],
)
def test_a_path_outside_the_package_format_is_refused_naming_the_path(
    author, exercise, path, reason
):
    with pytest.raises(DraftInvalid) as caught:
        save(exercise, author, **{path: "x = 1\n"})
    assert reason in caught.value.problems[path]


def test_sizes_text_and_the_slug_of_exercise_toml_are_checked_file_by_file(author, exercise):
    big = "#" * (512 * 1024 + 1)
    with pytest.raises(DraftInvalid) as caught:
        save(
            exercise,
            author,
            **{
                "support/big.txt": big,
                "support/nul.txt": "a\0b",
                "support/surrogate.txt": "\ud800",
                "solution.py": "#" * (settings.MAX_SOURCE_BYTES + 1),
                "exercise.toml": exercise.draft.files["exercise.toml"].replace(
                    'slug = "doubling"', 'slug = "renamed"'
                ),
            },
        )
    problems = caught.value.problems
    assert problems["support/big.txt"] == "is 524289 bytes; a file has at most 512 KB"
    assert "NUL" in problems["support/nul.txt"]
    assert "not valid Unicode" in problems["support/surrogate.txt"]
    assert "code the sandbox grades has at most 256 KB" in problems["solution.py"]
    assert problems["exercise.toml"] == "slug must stay 'doubling' (got 'renamed')"
    exercise.draft.refresh_from_db()
    assert "support/big.txt" not in exercise.draft.files  # nothing of it was stored


def test_the_whole_package_is_capped_at_2_mb(author, exercise):
    chunks = {f"support/part{i}.txt": "x" * (500 * 1024) for i in range(5)}
    with pytest.raises(DraftInvalid) as caught:
        save(exercise, author, **chunks)
    assert caught.value.problems[""].endswith("at most 2 MB")


def test_an_exercise_toml_that_does_not_parse_yet_is_saved_but_one_is_required(author, exercise):
    draft = save(exercise, author, **{"exercise.toml": "slug = [unclosed"})
    assert draft.files["exercise.toml"] == "slug = [unclosed"
    with pytest.raises(DraftInvalid) as caught:
        save(exercise, author, **{"exercise.toml": None})
    assert caught.value.problems["exercise.toml"] == "missing: it names the exercise"


def test_saving_changes_the_hash_and_is_audited_and_saving_the_same_is_not(author, exercise):
    before = exercise.draft.content_hash
    draft = save(exercise, author, **{"statement.md": "# Double it\n\nNew words.\n"})
    assert draft.content_hash != before and draft.updated_by == author.membership.user
    save(exercise, author)
    assert AuditEvent.objects.filter(action="exercise.draft_save").count() == 1


# Import and copy


def test_an_import_creates_an_exercise_named_by_its_exercise_toml(author, exercise):
    files = {**exercise.draft.files}
    files["exercise.toml"] = files["exercise.toml"].replace('"doubling"', '"tripling"')
    imported = exercise_import(
        organization=author.organization, actor=author.membership.user, files=files
    )
    assert imported.slug == "tripling" and imported.draft.files == files
    with pytest.raises(AuthoringError, match="the slug 'tripling' is taken"):
        exercise_import(organization=author.organization, actor=author.membership.user, files=files)
    files["exercise.toml"] = "title = 'no slug'"
    with pytest.raises(AuthoringError, match=r"no usable slug \(exercise.toml: slug: is required"):
        exercise_import(organization=author.organization, actor=author.membership.user, files=files)


def test_a_shared_bank_exercise_is_copied_under_a_new_slug(author, bank):
    kmeans = Exercise.objects.get(slug="kmeans")
    copy = exercise_copy(
        source=kmeans, organization=author.organization, actor=author.membership.user, slug="km"
    )
    assert copy.organization == author.organization and copy.current_version is None
    assert 'slug = "km"' in copy.draft.files["exercise.toml"]
    assert copy.draft.files["solution.py"] == (ROOT / "exercises/kmeans/solution.py").read_text()
    assert len([p for p in copy.draft.files if p.startswith("mutants/")]) == 14
    kmeans.refresh_from_db()
    assert kmeans.organization is None  # the original stays the shared bank's


# Validation requests


def test_a_validation_freezes_the_draft_and_an_identical_content_is_not_run_twice(
    author, exercise, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        first = validation_request(exercise=exercise, actor=author.membership.user)
    assert len(callbacks) == 1  # the task is enqueued once the row is committed
    assert first.status == Validation.Status.QUEUED and first.files == exercise.draft.files
    assert first.content_hash == exercise.draft.content_hash
    with django_capture_on_commit_callbacks() as callbacks:
        assert validation_request(exercise=exercise, actor=author.membership.user) == first
    assert callbacks == []
    Validation.objects.filter(pk=first.pk).update(status=Validation.Status.PASSED)
    assert validation_request(exercise=exercise, actor=author.membership.user) == first
    Validation.objects.filter(pk=first.pk).update(status=Validation.Status.FAILED)
    again = validation_request(exercise=exercise, actor=author.membership.user)
    assert again != first and again.status == Validation.Status.QUEUED  # a failure is re-run
    save(exercise, author, **{"statement.md": "# Double it\n\nChanged.\n"})
    changed = validation_request(exercise=exercise, actor=author.membership.user)
    assert changed not in (first, again) and changed.content_hash != first.content_hash


def test_a_validation_stuck_for_hours_is_given_up_and_run_again(author, exercise):
    stuck = validation_request(exercise=exercise, actor=author.membership.user)
    Validation.objects.filter(pk=stuck.pk).update(
        status=Validation.Status.RUNNING, created_at=stuck.created_at - STALE_AFTER
    )
    fresh = validation_request(exercise=exercise, actor=author.membership.user)
    stuck.refresh_from_db()
    assert fresh != stuck and stuck.status == Validation.Status.ERROR
    assert "did not finish in time" in stuck.problems[0]


def test_the_validation_task_is_handed_to_the_cpu_queue_of_the_broker(
    author, exercise, redis_server, django_capture_on_commit_callbacks
):
    client = redis.Redis.from_url(f"{redis_server.url}/0")
    client.delete("cpu")
    with django_capture_on_commit_callbacks(execute=True):
        validation = validation_request(exercise=exercise, actor=author.membership.user)
    validation.refresh_from_db()
    assert validation.status == Validation.Status.QUEUED
    assert client.llen("cpu") == 1
    message = json.loads(client.lindex("cpu", 0))
    assert message["headers"]["task"] == "bank.validate_exercise"
    assert json.loads(base64.b64decode(message["body"]))[0] == [validation.pk]
    client.delete("cpu")


def test_a_package_that_does_not_load_ends_in_error_naming_files_relatively(author, exercise):
    save(exercise, author, **{"solution.py": None, "tests/public/test_public.py": None})
    validation = validation_request(exercise=exercise, actor=author.membership.user)
    assert validation_run(validation_id=validation.pk) == Validation.Status.ERROR
    assert validation_run(validation_id=validation.pk) is None  # not QUEUED any more: not run
    validation.refresh_from_db()
    assert validation.status == Validation.Status.ERROR and validation.finished_at is not None
    assert validation.problems == ["solution.py: missing", "tests/public: no test_*.py files"]


# Publishing


def test_publishing_is_refused_until_the_current_content_passed(author, exercise):
    actor = author.membership.user
    with pytest.raises(AuthoringError, match="Validate the exercise first"):
        exercise_publish(exercise=exercise, actor=actor)
    validation = validation_request(exercise=exercise, actor=actor)
    with pytest.raises(AuthoringError, match="still running"):
        exercise_publish(exercise=exercise, actor=actor)
    Validation.objects.filter(pk=validation.pk).update(status=Validation.Status.FAILED)
    with pytest.raises(AuthoringError, match="The last validation failed"):
        exercise_publish(exercise=exercise, actor=actor)
    Validation.objects.filter(pk=validation.pk).update(status=Validation.Status.PASSED)
    save(exercise, author, **{"statement.md": "# Double it\n\nEdited after validation.\n"})
    with pytest.raises(AuthoringError, match="The draft changed since its last validation"):
        exercise_publish(exercise=exercise, actor=actor)
    exercise.refresh_from_db()
    assert exercise.current_version is None and not exercise.versions.exists()


def test_publishing_a_passed_content_makes_an_immutable_current_version(author, exercise):
    passed(exercise)
    version = exercise_publish(exercise=exercise, actor=author.membership.user)
    exercise.refresh_from_db()
    assert version.number == 1 and exercise.current_version == version
    assert exercise.accepts_submissions
    assert version.content_hash == exercise.draft.content_hash
    assert version.title == "Double it" and set(version.public_tests) == {"test_public.py"}
    assert exercise_publish(exercise=exercise, actor=author.membership.user) == version
    event = AuditEvent.objects.filter(action="exercise.publish").first()
    assert event.detail["version"] == 1 and event.actor == author.membership.user


def test_the_draft_can_start_again_from_a_published_version(author, exercise):
    passed(exercise)
    version = exercise_publish(exercise=exercise, actor=author.membership.user)
    save(exercise, author, **{"support/notes.md": "scratch\n"})
    draft = exercise_draft_from_version(
        exercise=exercise, actor=author.membership.user, version=version
    )
    assert "support/notes.md" not in draft.files and draft.content_hash == version.content_hash


# Re-grading


def graded_submission(version, owner, *, suite="hidden", status=Submission.Status.GRADED):
    return Submission.objects.create(
        owner=owner,
        exercise_version=version,
        code="def double(x):\n    return x + x\n",
        suite=suite,
        status=status,
        verdict="WRONG_ANSWER" if status == Submission.Status.GRADED else None,
        score=40.0 if status == Submission.Status.GRADED else None,
    )


def test_a_regrade_queues_new_submissions_against_the_new_version_and_keeps_the_originals(
    author, exercise, make_member, redis_server, django_capture_on_commit_callbacks
):
    actor = author.membership.user
    passed(exercise)
    v1 = exercise_publish(exercise=exercise, actor=actor)
    candidate = make_member("candidates", "reviewer").membership.user
    original = graded_submission(v1, candidate)
    graded_submission(v1, candidate, suite="public")  # runs are not re-graded
    graded_submission(v1, candidate, status=Submission.Status.QUEUED)  # nor unfinished ones
    save(exercise, author, **{"tests/hidden/test_more.py": "def test_more(solution):\n    pass\n"})
    passed(exercise)
    v2 = exercise_publish(exercise=exercise, actor=actor)
    assert list(regrade_candidates(exercise=exercise, version=v2)) == [original]

    with django_capture_on_commit_callbacks(execute=True):
        regrades = exercise_regrade(exercise=exercise, version=v2, actor=actor)
    assert len(regrades) == 1
    regrade = Submission.objects.get(pk=regrades[0].pk)
    assert regrade.regrade_of == original and regrade.exercise_version == v2
    assert regrade.owner == candidate and regrade.code == original.code
    assert regrade.status == Submission.Status.QUEUED and regrade.enqueued_at is not None
    original.refresh_from_db()
    assert original.status == Submission.Status.GRADED and original.score == 40.0
    assert original.exercise_version == v1
    assert exercise_regrade(exercise=exercise, version=v2, actor=actor) == []  # done once
    (event,) = AuditEvent.objects.filter(action="exercise.regrade")
    assert event.detail == {"version": 2, "submissions": 1}


def test_the_shared_bank_is_not_regraded(author, bank):
    kmeans = Exercise.objects.get(slug="kmeans")
    with pytest.raises(RegradeError, match="only an organization's own exercises"):
        exercise_regrade(
            exercise=kmeans, version=kmeans.current_version, actor=author.membership.user
        )


# The real gate (Docker sandbox)

MUTANTS = {
    "subtracts": "def add(a, b):\n    return a - b\n\ndef mul(a, b):\n    return a * b\n",
    "adds_in_mul": "def add(a, b):\n    return a + b\n\ndef mul(a, b):\n    return a + b\n",
    "off_by_one": "def add(a, b):\n    return a + b + 1\n\ndef mul(a, b):\n    return a * b\n",
    "crashes": "def add(a, b):\n    raise ValueError('no')\n\ndef mul(a, b):\n    return a * b\n",
}


def arith_files(slug: str) -> dict[str, str]:
    files = {
        str(path.relative_to(ARITH)): path.read_text()
        for path in sorted(ARITH.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
    }
    files["exercise.toml"] = files["exercise.toml"].replace('slug = "arith"', f'slug = "{slug}"')
    files["statement.md"] = "# Add and multiply\n\nImplement `add` and `mul`.\n"
    files.update({f"mutants/{name}.py": code for name, code in MUTANTS.items()})
    return files


def validate_now(exercise, actor) -> Validation:
    validation = validation_request(exercise=exercise, actor=actor)
    validation_run(validation_id=validation.pk)
    validation.refresh_from_db()
    return validation


def test_the_gate_passes_refuses_a_missed_mutant_and_versions_stay_pinned(author, tmp_path):
    actor = author.membership.user
    shutil.rmtree(Path(settings.VAR_DIR) / "validations", ignore_errors=True)
    files = arith_files("sums")
    exercise = exercise_import(organization=author.organization, actor=actor, files=files)

    first = validate_now(exercise, actor)
    assert first.status == Validation.Status.PASSED, first.problems
    rows = {row["label"]: row for row in first.table}
    assert list(rows)[:5] == [
        "reference #1",
        "reference #2",
        "reference #3",
        "reference, public suite",
        "starter",
    ]
    assert all(rows[f"reference #{i}"]["verdict"] == "ACCEPTED" for i in (1, 2, 3))
    assert rows["starter"]["expected"] == "rejected" and rows["starter"]["ok"]
    assert rows["mutant adds_in_mul"]["ok"] and "test_mul" in rows["mutant adds_in_mul"]["failing"]
    assert len([label for label in rows if label.startswith("mutant ")]) == 4
    v1 = exercise_publish(exercise=exercise, actor=actor)
    exercise.refresh_from_db()
    assessment = assessment_create(
        title="Pinned",
        duration_minutes=30,
        steps=[exercise],
        organization=author.organization,
        created_by=actor,
    )

    # The hidden suite loses its test of mul: the mutant that breaks only mul survives.
    hidden = files["tests/hidden/test_arith.py"]
    without_mul = hidden.replace("    assert solution.mul(4, 5) == 20\n", "    pass\n")
    exercise_draft_save(
        exercise=exercise, actor=actor, files={**files, "tests/hidden/test_arith.py": without_mul}
    )
    broken = validate_now(exercise, actor)
    assert broken.status == Validation.Status.FAILED
    missed = next(row for row in broken.table if row["label"] == "mutant adds_in_mul")
    assert missed["verdict"] == "ACCEPTED" and missed["ok"] is False
    assert "mutant adds_in_mul is ACCEPTED: the hidden suite misses it" in broken.problems
    with pytest.raises(AuthoringError, match="The last validation failed"):
        exercise_publish(exercise=exercise, actor=actor)

    # Fixed with a different test of mul: a new content, validated, published as version 2.
    fixed = (
        hidden
        + "\n\ndef test_mul_of_two_and_three(solution):\n    assert solution.mul(2, 3) == 6\n"
    )
    exercise_draft_save(
        exercise=exercise, actor=actor, files={**files, "tests/hidden/test_arith.py": fixed}
    )
    assert validate_now(exercise, actor).status == Validation.Status.PASSED
    v2 = exercise_publish(exercise=exercise, actor=actor)
    exercise.refresh_from_db()
    assert (v1.number, v2.number) == (1, 2) and exercise.current_version == v2
    item = assessment.items.get()
    assert item.exercise_version == v1  # the assessment keeps the version it pinned
    assert list((Path(settings.VAR_DIR) / "validations").iterdir()) == []  # nothing left behind
