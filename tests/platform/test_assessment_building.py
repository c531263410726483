"""Building assessments in the interviewer's pages: the form with steps from the bank, weights
and order, pinning to the current versions, editing until a candidate starts, who may do what.
Real database, Django's test client."""

from __future__ import annotations

import pytest

from accounts.models import AuditEvent
from assessments.models import Assessment, AssessmentItem
from assessments.services import (
    AssessmentError,
    assessment_create,
    assessment_set_steps,
    assessment_update,
    attempt_start,
    invitation_create,
)
from bank.models import Exercise, Question

pytestmark = pytest.mark.django_db

NEW = "/app/assessments/new"


def form_data(**overrides: object) -> dict[str, object]:
    """A valid post of the new-assessment form: kmeans (weight 3), the single-choice question
    (weight 1), arith (weight 2), in that order."""
    data: dict[str, object] = {
        "title": "ML screen",
        "intro": "Two exercises and a **question**.",
        "duration_minutes": "75",
        "show_hidden_results": "on",
        "max_submissions": "5",
        "step": ["exercise:kmeans", "question:early-stopping-signal", "exercise:arith"],
        "position-exercise:kmeans": "1",
        "weight-exercise:kmeans": "3",
        "position-question:early-stopping-signal": "2",
        "weight-question:early-stopping-signal": "1",
        "position-exercise:arith": "3",
        "weight-exercise:arith": "2",
        # A row left unticked: its position and weight are ignored.
        "position-exercise:canary": "1",
        "weight-exercise:canary": "9",
    }
    data.update(overrides)
    return data


def steps_of(assessment: Assessment) -> list[tuple[str, int, int]]:
    return [
        (
            (item.exercise or item.question).slug,
            item.weight,
            (item.exercise_version or item.question_version).number,
        )
        for item in assessment.items.order_by("position")
    ]


def test_the_new_page_lists_the_bank_with_versions(bank, make_member):
    author = make_member("acme", "author")
    response = author.client.get(NEW)
    assert response.status_code == 200
    body = response.content.decode()
    for key in ["exercise:kmeans", "exercise:arith", "question:loss-scaling-why"]:
        assert f'value="{key}"' in body
    assert "K-Means with k-means++ seeding" in body


def test_the_search_filter_keeps_only_matching_bank_entries(bank, make_member):
    author = make_member("acme", "author")
    body = author.client.get(NEW + "?q=clustering").content.decode()
    assert 'value="exercise:kmeans"' in body
    assert 'value="exercise:arith"' not in body
    assert 'value="question:loss-scaling-why"' not in body


def test_posting_the_form_builds_the_assessment_pinned_to_current_versions(bank, make_member):
    author = make_member("acme", "author")
    response = author.client.post(NEW, form_data())
    assessment = Assessment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/app/assessments/{assessment.pk}"
    assert assessment.organization == author.organization
    assert assessment.created_by == author.membership.user
    assert (assessment.duration_minutes, assessment.max_submissions) == (75, 5)
    assert assessment.show_hidden_results is True
    kmeans = Exercise.objects.get(slug="kmeans")
    question = Question.objects.get(slug="early-stopping-signal")
    assert steps_of(assessment) == [
        ("kmeans", 3, kmeans.current_version.number),
        ("early-stopping-signal", 1, question.current_version.number),
        ("arith", 2, Exercise.objects.get(slug="arith").current_version.number),
    ]
    items = list(assessment.items.order_by("position"))
    assert items[0].exercise_version_id == kmeans.current_version_id
    assert items[1].question_version_id == question.current_version_id
    event = AuditEvent.objects.get(action="assessment.create")
    assert event.actor == author.membership.user
    assert [step["slug"] for step in event.detail["steps"]] == [
        "kmeans",
        "early-stopping-signal",
        "arith",
    ]


def test_the_assessment_page_shows_steps_with_pinned_version_and_weight(bank, make_member):
    author = make_member("acme", "author")
    author.client.post(NEW, form_data())
    assessment = Assessment.objects.get()
    body = author.client.get(f"/app/assessments/{assessment.pk}").content.decode()
    assert "K-Means with k-means++ seeding" in body
    assert "Which curve should early stopping watch?" in body
    assert "50.0%" in body  # kmeans: weight 3 of 6
    assert "<strong>question</strong>" in body  # the intro, rendered from Markdown


def test_steps_without_positions_keep_the_bank_order_after_numbered_ones(bank, make_member):
    author = make_member("acme", "author")
    data = form_data(**{"position-exercise:kmeans": "", "position-exercise:arith": "1"})
    author.client.post(NEW, data)
    slugs = [slug for slug, _, _ in steps_of(Assessment.objects.get())]
    assert slugs == ["arith", "early-stopping-signal", "kmeans"]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"title": ""}, "This field is required"),
        ({"duration_minutes": "0"}, "greater than or equal to 1"),
        ({"step": []}, "Choose at least one exercise or question."),
        ({"weight-exercise:kmeans": "0"}, "The weight of kmeans must be a whole number"),
        ({"weight-exercise:kmeans": "heavy"}, "The weight of kmeans must be a whole number"),
        ({"position-exercise:arith": "last"}, "The position of arith must be a whole number"),
        ({"step": ["exercise:no-such-thing"]}, "is not in your bank"),
    ],
)
def test_a_bad_form_says_what_is_wrong_and_creates_nothing(bank, make_member, overrides, message):
    author = make_member("acme", "author")
    response = author.client.post(NEW, form_data(**overrides))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Assessment.objects.exists()


def test_the_form_keeps_what_was_posted_when_it_is_refused(bank, make_member):
    author = make_member("acme", "author")
    body = author.client.post(NEW, form_data(title="")).content.decode()
    assert 'name="weight-exercise:kmeans" value="3"' in body
    assert 'value="exercise:arith" id="step-exercise:arith" aria-label="Use arith" checked' in body


def test_another_organizations_exercise_cannot_be_a_step(bank, make_member):
    author = make_member("acme", "author")
    other = make_member("bravo", "owner")
    Exercise.objects.filter(slug="arith").update(organization=other.organization)
    response = author.client.post(NEW, form_data())
    assert response.status_code == 400
    assert not Assessment.objects.exists()
    assert 'value="exercise:arith"' not in author.client.get(NEW).content.decode()
    with pytest.raises(AssessmentError, match="not in your bank"):
        assessment_create(
            organization=author.organization,
            title="T",
            duration_minutes=10,
            steps=[Exercise.objects.get(slug="arith")],
        )


def test_the_same_exercise_twice_is_refused(bank, make_member):
    kmeans = Exercise.objects.get(slug="kmeans")
    with pytest.raises(AssessmentError, match="chosen twice"):
        assessment_create(title="T", duration_minutes=10, steps=[kmeans, (kmeans, 2)])


def _built(author) -> Assessment:
    author.client.post(NEW, form_data())
    return Assessment.objects.get()


def test_editing_before_any_start_replaces_the_steps(bank, make_member):
    author = make_member("acme", "author")
    assessment = _built(author)
    data = form_data(
        title="ML screen v2",
        duration_minutes="60",
        max_submissions="",
        show_hidden_results="",
        step=["exercise:canary", "exercise:kmeans"],
        **{
            "position-exercise:canary": "1",
            "weight-exercise:canary": "4",
            "position-exercise:kmeans": "2",
        },
    )
    del data["show_hidden_results"]  # an unticked checkbox is not posted
    response = author.client.post(f"/app/assessments/{assessment.pk}/edit", data)
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert (assessment.title, assessment.duration_minutes) == ("ML screen v2", 60)
    assert assessment.max_submissions is None and assessment.show_hidden_results is False
    assert [(slug, weight) for slug, weight, _ in steps_of(assessment)] == [
        ("canary", 4),
        ("kmeans", 3),
    ]
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"assessment.update", "assessment.steps"} <= actions


def test_the_edit_page_shows_the_current_steps_ticked_in_order(bank, make_member):
    author = make_member("acme", "author")
    assessment = _built(author)
    body = author.client.get(f"/app/assessments/{assessment.pk}/edit").content.decode()
    kmeans = body.index('value="exercise:kmeans"')
    question = body.index('value="question:early-stopping-signal"')
    arith = body.index('value="exercise:arith"')
    assert kmeans < question < arith
    assert 'name="weight-exercise:kmeans" value="3"' in body
    assert 'value="ML screen"' in body


def test_steps_are_locked_once_a_candidate_has_started(bank, make_member):
    author = make_member("acme", "author")
    assessment = _built(author)
    invitation, _ = invitation_create(
        assessment=assessment, candidate_name="Ada", candidate_email="ada@example.com"
    )
    attempt_start(invitation=invitation)
    before = steps_of(assessment)

    with pytest.raises(AssessmentError, match="steps are fixed"):
        assessment_set_steps(
            assessment=assessment,
            actor=author.membership.user,
            steps=[Exercise.objects.get(slug="canary")],
        )
    page = author.client.get(f"/app/assessments/{assessment.pk}/edit").content.decode()
    assert "its steps are fixed" in page
    assert 'name="step"' not in page  # shown read-only

    # The settings that do not change the assessment itself can still be edited; posted
    # steps are ignored.
    data = form_data(title="Renamed", step=["exercise:canary"])
    response = author.client.post(f"/app/assessments/{assessment.pk}/edit", data)
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.title == "Renamed"
    assert steps_of(assessment) == before


def test_the_duration_is_fixed_once_a_candidate_has_started(bank, make_member):
    author = make_member("acme", "author")
    assessment = _built(author)
    invitation, _ = invitation_create(
        assessment=assessment, candidate_name="Ada", candidate_email="ada@example.com"
    )
    attempt_start(invitation=invitation)
    edit = f"/app/assessments/{assessment.pk}/edit"
    page = author.client.get(edit).content.decode()
    assert 'name="duration_minutes" value="75" min="1" max="1440" required disabled' in page
    # A disabled field is not taken from the post, whatever a crafted post says.
    response = author.client.post(edit, form_data(duration_minutes="200", title="Renamed"))
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert (assessment.title, assessment.duration_minutes) == ("Renamed", 75)
    with pytest.raises(AssessmentError, match="duration and submission limit are fixed"):
        assessment_update(
            assessment=assessment,
            actor=None,
            title="x",
            intro="",
            duration_minutes=75,
            show_hidden_results=True,
            max_submissions=1,
        )


def test_the_list_shows_the_organizations_assessments_with_counts(bank, make_member):
    author = make_member("acme", "author")
    other = make_member("bravo", "owner")
    assessment = _built(author)
    for n in range(3):
        invitation_create(
            assessment=assessment, candidate_name=f"C{n}", candidate_email=f"c{n}@example.com"
        )
    assessment_create(
        organization=other.organization,
        title="Bravo only",
        duration_minutes=10,
        steps=[Exercise.objects.get(slug="arith")],
    )
    response = author.client.get("/app/assessments/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "ML screen" in body and "Bravo only" not in body
    listed = response.context["assessments"].get()
    assert (listed.steps_count, listed.invited_count, listed.started_count) == (3, 3, 0)


def test_a_reviewer_reads_but_cannot_build_or_edit(bank, make_member):
    author = make_member("acme", "author")
    reviewer = make_member("acme", "reviewer")
    assessment = _built(author)
    assert reviewer.client.get("/app/assessments/").status_code == 200
    page = reviewer.client.get(f"/app/assessments/{assessment.pk}")
    assert page.status_code == 200
    assert "Invite a candidate" not in page.content.decode()
    assert reviewer.client.get(NEW).status_code == 403
    assert reviewer.client.post(NEW, form_data(title="Nope")).status_code == 403
    edit = f"/app/assessments/{assessment.pk}/edit"
    assert reviewer.client.post(edit, form_data(title="Nope")).status_code == 403
    assert Assessment.objects.get().title == "ML screen"


def test_another_organizations_assessment_is_not_found(bank, make_member):
    author = make_member("acme", "author")
    outsider = make_member("bravo", "owner")
    assessment = _built(author)
    for url in [f"/app/assessments/{assessment.pk}", f"/app/assessments/{assessment.pk}/edit"]:
        assert outsider.client.get(url).status_code == 404
    edit = f"/app/assessments/{assessment.pk}/edit"
    assert outsider.client.post(edit, form_data(title="Taken")).status_code == 404
    assert Assessment.objects.get().title == "ML screen"


def test_the_pages_need_a_signed_in_member(bank, make_member):
    from django.test import Client

    response = Client().get("/app/assessments/")
    assert response.status_code == 302
    assert "/accounts/" in response["Location"]
    assert AssessmentItem.objects.count() == 0
