"""Reports (assessments.reports, the grading of short answers, the report pages and the CSV):
the scoring rules, what the pages show and to whom."""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import AuditEvent
from assessments.candidate_report import candidate_report, code_diff
from assessments.models import Answer, Invitation
from assessments.reports import StepState, assessment_report, pass_rates
from assessments.services import assessment_create, invitation_create
from assessments.services.grading import GradingError, answer_grade
from bank.models import Exercise, Question
from submissions.models import Submission, SubmissionTest

pytestmark = pytest.mark.django_db
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def reviewer(make_member: Any) -> Any:
    return make_member("acme", "reviewer")


@pytest.fixture
def steps(bank: Any) -> dict[str, Any]:
    return {
        "kmeans": Exercise.objects.get(slug="kmeans"),
        "arith": Exercise.objects.get(slug="arith"),
        "single": Question.objects.get(slug="early-stopping-signal"),  # 2 points, key [1]
        "multiple": Question.objects.get(slug="imbalance-remedies"),  # 3 points, key [0, 2]
        "short": Question.objects.get(slug="loss-scaling-why"),  # 3 points
    }


def build(member: Any, steps: list[Any], title: str = "ML screen") -> Any:
    return assessment_create(
        organization=member.organization,
        created_by=member.membership.user,
        title=title,
        duration_minutes=60,
        steps=steps,
    )


def invite(
    assessment: Any,
    name: str = "Ada Lovelace",
    *,
    status: str = Invitation.Status.SUBMITTED,
    minutes: int = 42,
) -> Invitation:
    invitation, _ = invitation_create(
        assessment=assessment, candidate_name=name, candidate_email=f"{name.split()[0]}@x.test"
    )
    if status != Invitation.Status.INVITED:
        start = timezone.now() - timedelta(hours=2)
        Invitation.objects.filter(id=invitation.id).update(
            status=status,
            started_at=start,
            deadline=start + timedelta(minutes=60),
            finished_at=start + timedelta(minutes=minutes)
            if status == Invitation.Status.SUBMITTED
            else None,
        )
    invitation.refresh_from_db()
    return invitation


def submit(
    invitation: Invitation,
    exercise: Exercise,
    score: float,
    *,
    verdict: str | None = None,
    status: str = Submission.Status.GRADED,
    suite: str = Submission.Suite.HIDDEN,
    code: str = "def f():\n    return 1\n",
    speed: float | None = None,
    minutes_ago: float = 30,
    regrade_of: Submission | None = None,
) -> Submission:
    """A submission as grading leaves it (the grading itself is tested elsewhere)."""
    graded = status == Submission.Status.GRADED
    verdict = verdict or ("ACCEPTED" if score >= 100 else "WRONG_ANSWER")
    report: dict[str, Any] = {"verdict": verdict, "score": score, "tests": [], "speed": None}
    if speed is not None:
        report["speed"] = {"ratio": speed, "ci_low": speed * 0.9, "ci_high": speed * 1.1}
    submission = Submission.objects.create(
        owner=invitation.candidate,
        exercise_version=exercise.current_version,
        code=code,
        suite=suite,
        status=status,
        verdict=verdict if graded else None,
        score=score if graded else None,
        report=report if graded else None,
        regrade_of=regrade_of,
    )
    Submission.objects.filter(id=submission.id).update(
        created_at=timezone.now() - timedelta(minutes=minutes_ago)
    )
    if graded:
        for position, outcome in enumerate(["passed", "passed" if score >= 100 else "failed"]):
            SubmissionTest.objects.create(
                submission=submission,
                position=position,
                nodeid=f"tests/hidden/test_it.py::test_{position}",
                name=f"test_{position}",
                description=f"checks part {position}",
                outcome=outcome,
                weight=1,
                points=50 if outcome == "passed" else 0,
                max_points=50,
                duration_s=0.25,
                visible=False,
            )
    submission.refresh_from_db()
    return submission


def answer(invitation: Invitation, question: Question, *, choices=(), text: str = "") -> Answer:
    item = invitation.assessment.items.get(question=question)
    return Answer.objects.create(
        invitation=invitation,
        item=item,
        question_version=question.current_version,
        choices=list(choices),
        text=text,
        saved_at=timezone.now(),
    )


def svgs(html: str) -> list[ET.Element]:
    return [ET.fromstring(svg) for svg in re.findall(r"<svg\b.*?</svg>", html, flags=re.S)]


# --- the scoring rules -----------------------------------------------------------------------


def test_the_total_weighs_each_step_score_by_its_weight(reviewer, steps):
    assessment = build(reviewer, [(steps["kmeans"], 3), steps["arith"], steps["single"]])
    ada = invite(assessment)
    submit(ada, steps["kmeans"], 80)
    submit(ada, steps["arith"], 40)
    answer(ada, steps["single"], choices=[1])
    row = assessment_report(assessment).rows[0]
    assert [s.score for s in row.steps] == [80, 40, 100]
    assert row.total == round((3 * 80 + 40 + 100) / 5, 1) == 76.0
    assert not row.provisional


def test_the_best_graded_hidden_submission_counts_the_latest_of_equal_scores(reviewer, steps):
    assessment = build(reviewer, [steps["kmeans"]])
    ada = invite(assessment)
    submit(ada, steps["kmeans"], 50, minutes_ago=50)
    submit(ada, steps["kmeans"], 90, minutes_ago=40)
    latest_best = submit(ada, steps["kmeans"], 90, minutes_ago=30)
    submit(ada, steps["kmeans"], 100, suite=Submission.Suite.PUBLIC, minutes_ago=20)
    submit(ada, steps["kmeans"], 0, status=Submission.Status.QUEUED, minutes_ago=10)
    submit(ada, steps["kmeans"], 60, minutes_ago=5)
    step = assessment_report(assessment).rows[0].steps[0]
    assert step.submission == latest_best and step.score == 90
    assert step.state is StepState.SCORED


def test_a_step_without_a_graded_submission_scores_zero_and_says_not_submitted(reviewer, steps):
    assessment = build(reviewer, [steps["kmeans"], steps["arith"]])
    ada = invite(assessment)
    submit(ada, steps["kmeans"], 100)
    submit(ada, steps["arith"], 0, status=Submission.Status.FAILED)
    row = assessment_report(assessment).rows[0]
    assert row.steps[1].state is StepState.NOT_SUBMITTED and row.steps[1].score == 0
    assert row.total == 50.0


def test_a_graded_regrade_stands_in_for_its_original_and_a_pending_one_does_not(reviewer, steps):
    assessment = build(reviewer, [steps["kmeans"], steps["arith"]])
    ada = invite(assessment)
    original = submit(ada, steps["kmeans"], 100, minutes_ago=50)
    regrade = submit(ada, steps["kmeans"], 60, regrade_of=original, minutes_ago=1)
    kept = submit(ada, steps["arith"], 100, minutes_ago=50)
    submit(ada, steps["arith"], 0, status=Submission.Status.QUEUED, regrade_of=kept)
    row = assessment_report(assessment).rows[0]
    assert row.steps[0].submission == regrade and row.steps[0].score == 60
    assert row.steps[1].submission == kept and row.steps[1].score == 100
    entries = candidate_report(ada).steps[0].submissions
    assert entries[1].regrade_of == 1 and entries[1].counted and entries[1].diff == []


def test_choice_questions_score_themselves_by_the_version_rule(reviewer, steps):
    assessment = build(reviewer, [steps["single"], steps["multiple"]])
    right, half, wrong = (
        invite(assessment, "Ada A"),
        invite(assessment, "Bob B"),
        invite(assessment, "Cy C"),
    )
    answer(right, steps["single"], choices=[1])
    answer(right, steps["multiple"], choices=[0, 2])
    answer(half, steps["multiple"], choices=[0])
    answer(wrong, steps["single"], choices=[0])
    answer(wrong, steps["multiple"], choices=[0, 1])  # a wrong pick cancels a right one
    rows = {row.invitation.candidate_name: row for row in assessment_report(assessment).rows}
    assert [s.score for s in rows["Ada A"].steps] == [100, 100]
    assert rows["Bob B"].steps[0].state is StepState.NOT_ANSWERED
    assert rows["Bob B"].steps[1].score == pytest.approx(50)
    assert [s.score for s in rows["Cy C"].steps] == [0, 0]


def test_a_short_answer_makes_the_total_provisional_until_it_is_graded(reviewer, steps):
    assessment = build(reviewer, [steps["arith"], steps["short"]])
    ada = invite(assessment)
    submit(ada, steps["arith"], 100)
    given = answer(ada, steps["short"], text="Small gradients underflow in FP16.")
    row = assessment_report(assessment).rows[0]
    assert row.provisional and row.steps[1].state is StepState.TO_GRADE and row.total == 50.0
    answer_grade(answer=given, actor=reviewer.membership.user, points=1.5, comment="half")
    row = assessment_report(assessment).rows[0]
    assert not row.provisional and row.steps[1].score == 50 and row.total == 75.0
    event = AuditEvent.objects.get(action="answer.grade")
    assert event.actor == reviewer.membership.user and event.detail["points"] == 1.5


def test_speed_ratios_come_from_the_report_and_time_spent_from_start_to_finish(reviewer, steps):
    assessment = build(reviewer, [steps["kmeans"]])
    ada = invite(assessment, minutes=42)
    submit(ada, steps["kmeans"], 100, speed=1.25)
    bob = invite(assessment, "Bob B", status=Invitation.Status.STARTED)  # the clock still runs
    never = invite(assessment, "Nia N", status=Invitation.Status.INVITED)
    rows = {row.invitation.id: row for row in assessment_report(assessment).rows}
    speed = rows[ada.id].steps[0].speed
    assert speed is not None and (speed.ratio, speed.ci_low) == (1.25, pytest.approx(1.125))
    assert rows[ada.id].time_spent_minutes == 42
    assert rows[bob.id].time_spent_minutes == 60  # capped at the deadline
    assert rows[never.id].time_spent is None and rows[never.id].steps[0].speed is None


def test_the_pass_rate_counts_accepted_counted_submissions_of_candidates_who_started(
    reviewer, steps
):
    assessment = build(reviewer, [steps["kmeans"], steps["single"], steps["arith"]])
    for name, score in [("Ada A", 100), ("Bob B", 70), ("Cy C", None)]:
        someone = invite(assessment, name)
        if score is not None:
            submit(someone, steps["kmeans"], score)
    invite(assessment, "Nia N", status=Invitation.Status.INVITED)
    rates = pass_rates(assessment_report(assessment))
    assert [(item.exercise.slug, round(rate, 1), n) for item, rate, n in rates] == [
        ("kmeans", 33.3, 3),
        ("arith", 0.0, 3),
    ]


# --- grading short answers ---------------------------------------------------------------


@pytest.fixture
def short_answer(reviewer, steps) -> Answer:
    assessment = build(reviewer, [steps["short"], steps["single"]])
    ada = invite(assessment)
    answer(ada, steps["single"], choices=[1])
    return answer(ada, steps["short"], text="Underflow.")


@pytest.mark.parametrize(
    ("points", "message"),
    [(-1, "between 0 and 3"), (3.5, "between 0 and 3"), (float("nan"), "between 0 and 3")],
)
def test_grading_refuses_points_outside_the_question_range(short_answer, reviewer, points, message):
    with pytest.raises(GradingError, match=message):
        answer_grade(answer=short_answer, actor=reviewer.membership.user, points=points)
    short_answer.refresh_from_db()
    assert short_answer.awarded_points is None
    assert not AuditEvent.objects.filter(action="answer.grade").exists()


def test_grading_accepts_both_ends_of_the_range(short_answer, reviewer):
    for points in (0, 3):
        answer_grade(answer=short_answer, actor=reviewer.membership.user, points=points)
        short_answer.refresh_from_db()
        assert short_answer.awarded_points == points


def test_choice_answers_and_unfinished_attempts_cannot_be_graded(short_answer, reviewer):
    choice = Answer.objects.get(invitation=short_answer.invitation, text="")
    with pytest.raises(GradingError, match="score themselves"):
        answer_grade(answer=choice, actor=reviewer.membership.user, points=1)
    Invitation.objects.filter(id=short_answer.invitation_id).update(
        status=Invitation.Status.STARTED,
        finished_at=None,
        deadline=timezone.now() + timedelta(minutes=5),
    )
    with pytest.raises(GradingError, match="not finished"):
        answer_grade(answer=short_answer, actor=reviewer.membership.user, points=1)


def test_a_member_of_another_organization_cannot_grade(short_answer, make_member):
    outsider = make_member("bravo", "owner")
    with pytest.raises(GradingError, match="Only members"):
        answer_grade(answer=short_answer, actor=outsider.membership.user, points=1)


# --- the pages -----------------------------------------------------------------------------


@pytest.fixture
def screen(reviewer, steps) -> dict[str, Any]:
    """An assessment with two exercises (one timed for speed) and a short answer; three
    candidates, two of whom submitted."""
    assessment = build(reviewer, [(steps["kmeans"], 2), steps["arith"], steps["short"]])
    ada, bob = invite(assessment, "Ada Lovelace"), invite(assessment, "Bob Builder")
    eve = invite(assessment, '=HYPERLINK("http://evil")', status=Invitation.Status.STARTED)
    submit(
        ada, steps["kmeans"], 60, code="def kmeans():\n    return 0\n", speed=0.5, minutes_ago=40
    )
    submit(ada, steps["kmeans"], 100, code="def kmeans():\n    return 1\n", speed=1.4)
    submit(ada, steps["arith"], 100)
    submit(bob, steps["kmeans"], 80, speed=0.05)  # far below the plot's range: drawn clipped
    submit(eve, steps["arith"], 100)
    short = answer(ada, steps["short"], text="Gradients underflow <b>in FP16</b>.")
    return {"assessment": assessment, "ada": ada, "bob": bob, "eve": eve, "short": short}


def test_the_assessment_report_shows_a_sortable_table_and_three_plots(reviewer, screen):
    url = f"/app/assessments/{screen['assessment'].id}/report"
    response = reviewer.client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "data-sortable" in html and 'data-sort="number"' in html
    assert "Ada Lovelace" in html and "provisional" in html
    histogram, rates, scatter = svgs(html)
    assert len(histogram.findall(f".//{SVG}rect[@class='iv-plot-bar']")) == 10
    titles = [t.text for t in histogram.iter(f"{SVG}title")]
    # ada: (2 x 100 + 100 + 0) / 4 = 75; bob: 2 x 80 / 4 = 40; eve has not submitted
    assert "70–80: 1 candidate" in titles and "40–50: 1 candidate" in titles
    assert "90–100: 0 candidates" in titles
    assert len(rates.findall(f".//{SVG}rect[@class='iv-plot-bar']")) == 2  # kmeans, arith
    points = scatter.findall(f".//{SVG}circle[@class='iv-plot-point']")
    assert len(points) == 2  # one per candidate x exercise with a speed ratio: ada and bob
    assert [p.get("fill") for p in points].count("none") == 1  # bob's, off the scale
    event = AuditEvent.objects.get(action="report.view")
    assert event.target_type == "assessment" and event.actor == reviewer.membership.user


def test_the_csv_has_one_row_per_invitation_and_defuses_formulas(reviewer, screen):
    response = reviewer.client.get(f"/app/assessments/{screen['assessment'].id}/report.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith('attachment; filename="ml-screen-')
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == [
        "name",
        "email",
        "status",
        "started",
        "finished",
        "time spent (minutes)",
        "total",
        "provisional",
        "1. kmeans",
        "2. arith",
        "3. loss-scaling-why",
    ]
    by_name = {row[0]: row for row in rows[1:]}
    assert len(by_name) == 3
    ada = by_name["Ada Lovelace"]
    assert ada[2] == "submitted" and ada[5] == "42.0" and ada[6] == "75.0" and ada[7] == "yes"
    assert ada[8:] == ["100.0", "100.0", "0.0"]
    assert '\'=HYPERLINK("http://evil")' in by_name
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_the_candidate_report_shows_every_submission_with_its_diff_and_the_key(reviewer, screen):
    url = f"/app/candidates/{screen['ada'].id}"
    response = reviewer.client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('<details class="iv-submission') == 3  # two kmeans submissions, one arith
    assert '<span class="iv-diff-del">-    return 0</span>' in html
    assert '<span class="iv-diff-add">+    return 1</span>' in html
    assert "speed ratio <strong>1.40</strong> [1.26, 1.54]" in html
    assert "RUBRIC-EN-SECRET" in html and "MODEL-ANSWER-EN-SECRET" in html
    assert "Gradients underflow &lt;b&gt;in FP16&lt;/b&gt;." in html  # the answer is escaped
    assert f"/app/candidates/{screen['ada'].id}/{screen['short'].item_id}/grade" in html
    event = AuditEvent.objects.get(action="report.view")
    assert event.target_id == str(screen["ada"].id)


def test_the_candidate_report_costs_the_same_queries_for_more_submissions(reviewer, steps):
    assessment = build(reviewer, [steps["kmeans"], steps["arith"], steps["short"]])
    few, many = invite(assessment, "Few F"), invite(assessment, "Many M")
    submit(few, steps["kmeans"], 50)
    for n in range(8):
        submit(many, steps["kmeans"], 10 * n, code=f"x = {n}\n", minutes_ago=50 - n)
        submit(many, steps["arith"], 100, suite=Submission.Suite.PUBLIC, minutes_ago=50 - n)
    counts = []
    for invitation in (few, many):
        with CaptureQueriesContext(connection) as queries:
            report = candidate_report(invitation)
            for step in report.steps:
                for entry in getattr(step, "submissions", []):
                    assert entry.tests is not None
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_a_reviewer_grades_a_short_answer_in_the_page(reviewer, screen):
    item = screen["short"].item
    url = f"/app/candidates/{screen['ada'].id}/{item.id}/grade"
    response = reviewer.client.post(url, {"points": "2.5", "comment": "names underflow"})
    assert response.status_code == 302 and response["Location"].endswith(f"#item-{item.id}")
    screen["short"].refresh_from_db()
    assert screen["short"].awarded_points == 2.5
    assert screen["short"].graded_by == reviewer.membership.user
    page = reviewer.client.get(response["Location"]).content.decode()
    assert "Graded: 2.5 points." in page and "names underflow" in page


@pytest.mark.parametrize(
    ("posted", "message"),
    [
        ({"points": "9"}, "Points must be between 0 and 3, got 9."),
        ({"points": "lots"}, "points: Enter a number."),
        ({}, "points: This field is required."),
    ],
)
def test_a_bad_grade_is_refused_with_a_message(reviewer, screen, posted, message):
    item = screen["short"].item
    response = reviewer.client.post(
        f"/app/candidates/{screen['ada'].id}/{item.id}/grade", posted, follow=True
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    screen["short"].refresh_from_db()
    assert screen["short"].awarded_points is None


def test_another_organizations_member_gets_404_on_every_report_page(screen, make_member):
    outsider = make_member("bravo", "owner")
    assessment, ada, item = screen["assessment"], screen["ada"], screen["short"].item
    for url in [
        f"/app/assessments/{assessment.id}/report",
        f"/app/assessments/{assessment.id}/report.csv",
        f"/app/candidates/{ada.id}",
        f"/app/candidates/{ada.id}/{item.id}/grade",
    ]:
        assert outsider.client.get(url).status_code == 404, url
        assert outsider.client.post(url, {"points": "1"}).status_code in (404, 405), url
    screen["short"].refresh_from_db()
    assert screen["short"].awarded_points is None
    assert not AuditEvent.objects.filter(action="report.view").exists()


def test_the_diff_of_two_versions_marks_added_and_removed_lines():
    lines = code_diff("a = 1\nb = 2\n", "a = 1\nb = 3\n")
    assert [(line.kind, line.text) for line in lines] == [
        ("hunk", "@@ -1,2 +1,2 @@"),
        ("ctx", " a = 1"),
        ("del", "-b = 2"),
        ("add", "+b = 3"),
    ]


def test_an_attempt_past_its_deadline_is_settled_on_the_report_and_can_be_graded(reviewer, steps):
    assessment = build(reviewer, [steps["short"]])
    late = invite(assessment, status=Invitation.Status.STARTED)  # its deadline passed an hour ago
    given = answer(late, steps["short"], text="Underflow.")
    html = reviewer.client.get(f"/app/candidates/{late.id}").content.decode()
    late.refresh_from_db()
    assert late.status == Invitation.Status.SUBMITTED and late.finish_reason == "the time ran out"
    assert f"/app/candidates/{late.id}/{given.item_id}/grade" in html
    running = invite(
        build(reviewer, [steps["short"]], title="Later"), "Bo B", status=Invitation.Status.INVITED
    )
    Invitation.objects.filter(id=running.id).update(
        status=Invitation.Status.STARTED,
        started_at=timezone.now(),
        deadline=timezone.now() + timedelta(hours=1),
    )
    answer(running, steps["short"], text="Still writing")
    html = reviewer.client.get(f"/app/candidates/{running.id}").content.decode()
    assert "Grading opens when the candidate has finished." in html and "/grade" not in html
