"""End to end, with real processes: gunicorn serves the API, a Celery worker takes the job from
a real Redis and grades it in the real Docker sandbox, the result lands in the test database."""

import pytest

from e2e import detail, events, source, submit
from submissions.models import Submission, SubmissionTest

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_reference_kmeans_is_graded_accepted(platform, bank, user_token):
    _, token = user_token
    created = submit(platform.base_url, token, "kmeans", source("exercises/kmeans/solution.py"))
    assert created["status"] == "QUEUED"
    graded = platform.wait_for(token, created["id"])
    assert graded["status"] == "GRADED", graded
    assert graded["verdict"] == "ACCEPTED" and graded["score"] == 100
    assert graded["attempts"] == 1 and graded["speed"]["ratio"] > 0
    assert len(graded["tests"]) >= 15 and all(t["message"] is None for t in graded["tests"])
    assert SubmissionTest.objects.filter(submission_id=created["id"]).count() == len(
        graded["tests"]
    )


def test_a_wrong_kmeans_is_graded_wrong_answer(platform, bank, user_token):
    _, token = user_token
    created = submit(
        platform.base_url, token, "kmeans", source("exercises/kmeans/mutants/stale_labels.py")
    )
    graded = platform.wait_for(token, created["id"])
    assert graded["status"] == "GRADED" and graded["verdict"] == "WRONG_ANSWER"
    assert graded["score"] < 100


def test_progress_streams_test_by_test_then_done(platform, bank, user_token):
    _, token = user_token
    code = "def add(a, b):\n    return a + b\n\ndef mul(a, b):\n    return a * b\n"
    created = submit(platform.base_url, token, "arith", code, suite="public")
    received = events(platform.base_url, token, created["id"])
    names = [name for name, _ in received]
    assert names.count("test_finished") == 3, names
    assert names.index("collected") < names.index("test_finished")
    assert names[-1] == "done" and received[-1][1]["verdict"] == "ACCEPTED"
    assert detail(platform.base_url, token, created["id"])["status"] == "GRADED"


def test_a_graded_hidden_suite_shows_no_hidden_material(platform, bank, user_token):
    _, token = user_token
    created = submit(platform.base_url, token, "canary", "def double(x):\n    return 3 * x\n")
    graded = platform.wait_for(token, created["id"])
    assert graded["verdict"] == "WRONG_ANSWER"
    text = str(graded)
    for canary in ("HIDDEN-CANARY-3f7a", "REFERENCE-CANARY-5b1e", "MUTANT-CANARY-9c2d"):
        assert canary not in text
    assert Submission.objects.get(id=created["id"]).report["tests"][0]["message"] is None
