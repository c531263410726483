"""The authoring pages and the editor's endpoints (web.interviewer.authoring): who may do what,
tenancy (another organization's exercise or validation is a 404), bad input answered with a
clear message, and one validation through the real Celery worker and sandbox."""

from __future__ import annotations

import io
import json
import time
import zipfile

import pytest
from django.urls import reverse

from bank.authoring import exercise_draft_create
from bank.models import Exercise, ExerciseDraft, Validation
from bank.package_zip import export_zip
from bank.validation import validation_request
from submissions.models import Submission

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(make_member):
    return make_member("acme", "owner")


@pytest.fixture
def exercise(owner):
    return exercise_draft_create(
        organization=owner.organization,
        actor=owner.membership.user,
        slug="doubling",
        title="Double",
    )


def url(name, **kwargs):
    return reverse(f"interviewer:{name}", kwargs=kwargs)


def post_json(client, path, body):
    return client.post(
        path, data=json.dumps(body), content_type="application/json", HTTP_ACCEPT="application/json"
    )


def files_of(exercise):
    return dict(ExerciseDraft.objects.get(exercise=exercise).files)


def pass_current_content(exercise):
    draft = ExerciseDraft.objects.get(exercise=exercise)
    return Validation.objects.create(
        exercise=exercise,
        content_hash=draft.content_hash,
        files=draft.files,
        status=Validation.Status.PASSED,
    )


def upload(name, data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="application/zip")


def test_the_list_shows_the_organizations_own_exercises_only(owner, exercise, make_member):
    other = make_member("globex", "owner")
    exercise_draft_create(
        organization=other.organization, actor=other.membership.user, slug="theirs", title="T"
    )
    page = owner.client.get(url("exercises"))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-slug="doubling"' in html and "theirs" not in html
    assert "unpublished changes" in html and "never validated" in html


def test_an_author_creates_an_exercise_and_lands_in_its_editor(make_member):
    author = make_member("acme", "author")
    response = author.client.post(url("exercise-new"), {"slug": "scaling", "title": "Scale it"})
    assert response.status_code == 302
    assert response["Location"] == url("exercise-edit", exercise_slug="scaling")
    editor = author.client.get(response["Location"])
    assert editor.status_code == 200
    html = editor.content.decode()
    assert 'id="authoring-data"' in html and "au-file-list" in html
    data = json.loads(
        html.split('id="authoring-data" type="application/json">')[1].split("</script>")[0]
    )
    assert data["files"]["exercise.toml"].startswith('slug = "scaling"')
    assert data["urls"]["draft"] == url("exercise-draft", exercise_slug="scaling")
    assert data["validation"] is None and data["publish_refusal"].startswith("Validate")


def test_a_bad_slug_is_answered_on_the_form_not_with_an_error_page(owner, exercise):
    taken = owner.client.post(url("exercise-new"), {"slug": "doubling", "title": "Again"})
    assert taken.status_code == 200
    assert "The slug &#x27;doubling&#x27; is taken: choose another." in taken.content.decode()
    bad = owner.client.post(url("exercise-new"), {"slug": "No Way", "title": "x"})
    assert bad.status_code == 200 and "is not valid" in bad.content.decode()


def test_a_reviewer_reads_but_cannot_edit(owner, exercise, make_member):
    reviewer = make_member("acme", "reviewer")
    assert reviewer.client.get(url("exercises")).status_code == 200
    assert reviewer.client.get(url("exercise-export", exercise_slug="doubling")).status_code == 200
    assert reviewer.client.get(url("exercise-edit", exercise_slug="doubling")).status_code == 403
    saved = post_json(reviewer.client, url("exercise-draft", exercise_slug="doubling"), {})
    assert saved.status_code == 403
    assert reviewer.client.post(url("exercise-new"), {"slug": "x", "title": "x"}).status_code == 403
    assert (
        reviewer.client.post(url("exercise-publish", exercise_slug="doubling")).status_code == 403
    )


def test_saving_the_draft_returns_its_hash_or_the_errors_file_by_file(owner, exercise):
    endpoint = url("exercise-draft", exercise_slug="doubling")
    files = files_of(exercise)
    files["statement.md"] = "# Double\n\nNew text.\n"
    saved = post_json(owner.client, endpoint, {"files": files})
    assert saved.status_code == 200
    body = saved.json()
    assert body["content_hash"] == ExerciseDraft.objects.get(exercise=exercise).content_hash
    assert body["warnings"] == {} and body["publish_refusal"].startswith("Validate")

    bad = post_json(owner.client, endpoint, {"files": {**files, "../escape.py": "x"}})
    assert bad.status_code == 400
    assert bad.json()["errors"] == {"../escape.py": "must not contain empty parts, '.' or '..'"}
    assert bad.json()["error"].startswith("Some files cannot be saved: ../escape.py:")

    broken_toml = post_json(
        owner.client, endpoint, {"files": {**files, "exercise.toml": "slug = ["}}
    )
    assert broken_toml.status_code == 200
    assert "not valid TOML" in broken_toml.json()["warnings"]["exercise.toml"]

    too_big = post_json(owner.client, endpoint, {"files": {"support/a.txt": "x" * 3 * 2**20}})
    assert too_big.status_code == 400 and "a package has at most 2 MB" in too_big.json()["error"]

    for body in ("not json", json.dumps([1]), json.dumps({"files": {"a": 1}})):
        response = owner.client.post(endpoint, data=body, content_type="application/json")
        assert response.status_code == 400 and response.json()["error"]


def test_the_preview_is_sanitized_html_with_math_left_for_katex(owner, exercise):
    response = post_json(
        owner.client,
        url("exercise-preview", exercise_slug="doubling"),
        {"markdown": "# T\n\n$x^2$ <script>alert(1)</script>"},
    )
    assert response.status_code == 200
    html = response.json()["html"]
    assert "<h1>T</h1>" in html and '<span class="math inline">x^2</span>' in html
    assert "<script>" not in html and "&lt;script&gt;" in html
    too_big = post_json(
        owner.client,
        url("exercise-preview", exercise_slug="doubling"),
        {"markdown": "x" * (513 * 1024)},
    )
    assert too_big.status_code == 413


def test_validate_answers_the_queued_validation_and_polling_shows_it(owner, exercise):
    started = post_json(owner.client, url("exercise-validate", exercise_slug="doubling"), {})
    assert started.status_code == 202
    validation = started.json()["validation"]
    assert validation["status"] == "queued" and validation["finished"] is False
    again = post_json(owner.client, url("exercise-validate", exercise_slug="doubling"), {})
    assert again.json()["validation"]["id"] == validation["id"]  # the same content: not re-run
    polled = owner.client.get(validation["url"], HTTP_ACCEPT="application/json")
    assert polled.json()["validation"]["id"] == validation["id"]
    page = owner.client.get(validation["url"])
    assert page.status_code == 200 and 'data-finished="false"' in page.content.decode()
    plain = owner.client.post(url("exercise-validate", exercise_slug="doubling"))
    assert plain.status_code == 302 and plain["Location"] == validation["url"]


def test_the_validation_page_shows_every_mutant_and_a_missed_one_as_a_failure(owner, exercise):
    validation = validation_request(exercise=exercise, actor=owner.membership.user)
    caught = {"verdict": "WRONG_ANSWER", "score": 33.3, "expected": "rejected", "ok": True}
    Validation.objects.filter(pk=validation.pk).update(
        status=Validation.Status.FAILED,
        problems=["mutant squares is ACCEPTED: the hidden suite misses it"],
        table=[
            {
                "label": "reference #1",
                "verdict": "ACCEPTED",
                "score": 100.0,
                "expected": "ACCEPTED",
                "ok": True,
                "failing": [],
            },
            {"label": "mutant adds_two", **caught, "failing": ["test_doubles_a_number"]},
            {
                "label": "mutant squares",
                "verdict": "ACCEPTED",
                "score": 100.0,
                "expected": "rejected",
                "ok": False,
                "failing": [],
            },
        ],
    )
    page = owner.client.get(
        url("exercise-validation", exercise_slug="doubling", validation_id=validation.pk)
    )
    html = page.content.decode()
    assert "mutant squares is ACCEPTED: the hidden suite misses it" in html
    assert 'data-label="mutant squares" data-ok="false"' in html
    assert "the hidden suite misses it</td>" in html
    assert 'data-label="mutant adds_two" data-ok="true"' in html
    assert "caught by test_doubles_a_number" in html
    rows = owner.client.get(page.wsgi_request.path + "?format=json").json()["validation"]["table"]
    assert [row["outcome"] for row in rows] == [
        "accepted",
        "caught by test_doubles_a_number",
        "the hidden suite misses it",
    ]


def test_publish_is_refused_with_the_reason_then_publishes_a_passed_content(owner, exercise):
    refused = owner.client.post(url("exercise-publish", exercise_slug="doubling"), follow=True)
    assert "Validate the exercise first" in refused.content.decode()
    assert not Exercise.objects.get(slug="doubling").versions.exists()
    pass_current_content(exercise)
    published = owner.client.post(url("exercise-publish", exercise_slug="doubling"))
    assert published["Location"] == url(
        "exercise-version", exercise_slug="doubling", version_number=1
    )
    page = owner.client.get(published["Location"])
    assert (
        "Published version 1." in page.content.decode()
        and "current version" in page.content.decode()
    )


def test_the_version_page_offers_to_regrade_older_submissions_and_does_it(
    owner, exercise, make_member, django_capture_on_commit_callbacks
):
    pass_current_content(exercise)
    owner.client.post(url("exercise-publish", exercise_slug="doubling"))
    v1 = Exercise.objects.get(slug="doubling").current_version
    candidate = make_member("people", "reviewer").membership.user
    original = Submission.objects.create(
        owner=candidate,
        exercise_version=v1,
        code="def double(x):\n    return x\n",
        status=Submission.Status.GRADED,
        verdict="WRONG_ANSWER",
        score=0.0,
    )
    files = files_of(exercise)
    files["tests/hidden/test_extra.py"] = "def test_extra(solution):\n    pass\n"
    post_json(owner.client, url("exercise-draft", exercise_slug="doubling"), {"files": files})
    pass_current_content(exercise)
    owner.client.post(url("exercise-publish", exercise_slug="doubling"))
    page = owner.client.get(url("exercise-version", exercise_slug="doubling", version_number=2))
    assert "Re-grade 1 submission</button>" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=False):
        done = owner.client.post(
            url("exercise-regrade", exercise_slug="doubling", version_number=2), follow=True
        )
    assert "1 submissions queued for re-grading against version 2" in done.content.decode()
    assert Submission.objects.get(regrade_of=original).exercise_version.number == 2


def test_export_gives_the_draft_or_a_version_as_a_zip_in_the_bank_format(owner, exercise):
    response = owner.client.get(url("exercise-export", exercise_slug="doubling"))
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == 'attachment; filename="doubling.zip"'
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert "doubling/exercise.toml" in names and "doubling/mutants/squares.py" in names
    assert (
        owner.client.get(
            url("exercise-export", exercise_slug="doubling") + "?version=1"
        ).status_code
        == 404
    )
    pass_current_content(exercise)
    owner.client.post(url("exercise-publish", exercise_slug="doubling"))
    version = owner.client.get(url("exercise-export", exercise_slug="doubling") + "?version=1")
    assert sorted(zipfile.ZipFile(io.BytesIO(version.content)).namelist()) == sorted(names)


def test_a_zip_is_imported_as_a_new_exercise_or_into_the_draft(owner, exercise):
    files = files_of(exercise)
    files["exercise.toml"] = files["exercise.toml"].replace('"doubling"', '"imported"')
    response = owner.client.post(
        url("exercise-import"),
        {"package": upload("imported.zip", export_zip(files, folder="imported"))},
    )
    assert response["Location"] == url("exercise-edit", exercise_slug="imported")
    assert files_of(Exercise.objects.get(slug="imported")) == files

    bad = owner.client.post(url("exercise-import"), {"package": upload("x.zip", b"not a zip")})
    assert (
        bad.status_code == 200
        and "This zip cannot be imported: not a zip file" in bad.content.decode()
    )

    # Into an existing draft: its exercise.toml must name that exercise.
    wrong = owner.client.post(
        url("exercise-reimport", exercise_slug="doubling"),
        {"package": upload("imported.zip", export_zip(files, folder="imported"))},
        follow=True,
    )
    assert "slug must stay &#x27;doubling&#x27;" in wrong.content.decode()
    mine = files_of(exercise) | {"support/notes.md": "notes\n"}
    owner.client.post(
        url("exercise-reimport", exercise_slug="doubling"),
        {"package": upload("doubling.zip", export_zip(mine, folder="doubling"))},
    )
    assert files_of(exercise) == mine


def test_a_shared_bank_exercise_is_read_only_here_but_can_be_copied(owner, bank):
    assert owner.client.get(url("exercise-edit", exercise_slug="kmeans")).status_code == 404
    form = owner.client.get(url("exercise-copy", exercise_slug="kmeans"))
    assert form.status_code == 200 and 'value="kmeans-copy"' in form.content.decode()
    copied = owner.client.post(url("exercise-copy", exercise_slug="kmeans"), {"slug": "my-kmeans"})
    assert copied["Location"] == url("exercise-edit", exercise_slug="my-kmeans")
    assert Exercise.objects.get(slug="my-kmeans").organization == owner.organization


def test_another_organizations_exercise_and_validation_are_not_found(owner, exercise, make_member):
    theirs = make_member("globex", "owner")
    foreign = exercise_draft_create(
        organization=theirs.organization, actor=theirs.membership.user, slug="foreign", title="F"
    )
    foreign_validation = validation_request(exercise=foreign, actor=theirs.membership.user)
    pass_current_content(foreign)
    theirs.client.post(url("exercise-publish", exercise_slug="foreign"))
    mine = validation_request(exercise=exercise, actor=owner.membership.user)
    slug = {"exercise_slug": "foreign"}
    gets = [
        url("exercise-edit", **slug),
        url("exercise-export", **slug),
        url("exercise-copy", **slug),
        url("exercise-validation", **slug, validation_id=foreign_validation.pk),
        url("exercise-version", **slug, version_number=1),
        # Their validation under my exercise's slug, and mine under theirs.
        url("exercise-validation", exercise_slug="doubling", validation_id=foreign_validation.pk),
        url("exercise-validation", **slug, validation_id=mine.pk),
    ]
    for path in gets:
        assert owner.client.get(path).status_code == 404, path
    posts = [
        url("exercise-draft", **slug),
        url("exercise-preview", **slug),
        url("exercise-validate", **slug),
        url("exercise-publish", **slug),
        url("exercise-reimport", **slug),
        url("exercise-reset", **slug),
        url("exercise-copy", **slug),
        url("exercise-regrade", **slug, version_number=1),
    ]
    for path in posts:
        assert post_json(owner.client, path, {"files": {}}).status_code == 404, path
    assert Exercise.objects.get(slug="foreign").versions.count() == 1


@pytest.mark.django_db(transaction=True)
def test_validate_runs_the_gate_through_the_real_worker_and_the_page_polls_to_the_end(
    platform, make_member
):
    owner = make_member("acme", "owner")
    owner.client.post(url("exercise-new"), {"slug": "worked", "title": "Through the worker"})
    started = post_json(owner.client, url("exercise-validate", exercise_slug="worked"), {})
    assert started.status_code == 202
    poll = started.json()["validation"]["url"]
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        validation = owner.client.get(poll, HTTP_ACCEPT="application/json").json()["validation"]
        if validation["finished"]:
            break
        time.sleep(1)
    else:
        pytest.fail(f"the validation did not finish:\n{platform.logs_tail()}")
    # The template a new exercise starts from is sound as it is.
    assert validation["status"] == "passed", (validation["problems"], platform.logs_tail())
    labels = [row["label"] for row in validation["table"]]
    assert labels[:5] == [
        "reference #1",
        "reference #2",
        "reference #3",
        "reference, public suite",
        "starter",
    ]
    assert sorted(labels[5:]) == [
        "mutant adds_two",
        "mutant doubles_in_place",
        "mutant returns_its_input",
        "mutant squares",
    ]
    editor = owner.client.get(url("exercise-edit", exercise_slug="worked")).content.decode()
    assert 'id="au-publish" title=' in editor  # enabled: no "disabled" before its title
