"""The similarity pages: the final submissions of an organization's candidates compared per
exercise; a disguised copy of the kmeans reference is flagged, an independent solution is not,
and the pair page highlights the lines the two share."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from assessments.models import Invitation
from assessments.services import assessment_create, invitation_create
from assessments.similarity_flags import similarity_flags, similarity_pair
from bank.models import Exercise
from submissions.models import Submission

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = (ROOT / "exercises" / "kmeans" / "solution.py").read_text()
STARTER = (ROOT / "exercises" / "kmeans" / "starter.py").read_text()
LOOP_BASED = (ROOT / "tests" / "golden" / "submissions" / "kmeans" / "loop_based.py").read_text()
RENAMES = {"centroids": "mu", "labels": "assign", "X": "data", "rng": "gen", "nearest": "best"}


def disguised(source: str) -> str:
    """Renamed variables, 2-space indentation, comments and blank lines, other quotes."""
    for old, new in RENAMES.items():
        source = re.sub(rf"\b{old}\b", new, source)
    lines = []
    for line in source.splitlines():
        indent = len(line) - len(line.lstrip(" "))
        lines.append(" " * (indent // 2) + line.lstrip(" ").replace('"', "'"))
        if line.strip().startswith("def "):
            lines += [" " * (indent // 2 + 2) + "# written from scratch, honestly", ""]
    return "\n".join(lines) + "\n"


def candidate(assessment: Any, name: str, code: str | None, exercise: Exercise) -> Invitation:
    invitation, _ = invitation_create(
        assessment=assessment, candidate_name=name, candidate_email=f"{name.lower()}@x.test"
    )
    now = timezone.now()
    Invitation.objects.filter(id=invitation.id).update(
        status=Invitation.Status.SUBMITTED, started_at=now - timedelta(hours=1), finished_at=now
    )
    if code is not None:
        # An earlier, weaker submission that is not the final one: only the counted one is compared.
        for score, text in ((10.0, STARTER), (100.0, code)):
            Submission.objects.create(
                owner=invitation.candidate,
                exercise_version=exercise.current_version,
                code=text,
                status=Submission.Status.GRADED,
                verdict="ACCEPTED" if score == 100 else "WRONG_ANSWER",
                score=score,
                report={"tests": []},
            )
    return invitation


@pytest.fixture
def cohort(bank: Any, make_member: Any) -> dict[str, Any]:
    reviewer = make_member("acme", "reviewer")
    kmeans = Exercise.objects.get(slug="kmeans")
    assessment = assessment_create(
        organization=reviewer.organization, title="Clustering", duration_minutes=60, steps=[kmeans]
    )
    return {
        "reviewer": reviewer,
        "kmeans": kmeans,
        "ada": candidate(assessment, "Ada", REFERENCE, kmeans),
        "eve": candidate(assessment, "Eve", disguised(REFERENCE), kmeans),
        "bob": candidate(assessment, "Bob", LOOP_BASED, kmeans),
        "sam": candidate(assessment, "Sam", STARTER, kmeans),
        "nia": candidate(assessment, "Nia", None, kmeans),
    }


def pair_names(flags: Any) -> list[set[str]]:
    return [{p.first.candidate_name, p.second.candidate_name} for p in flags.pairs]


def test_a_renamed_and_reformatted_copy_is_flagged_and_an_independent_solution_is_not(cohort):
    (kmeans,) = similarity_flags(organization=cohort["reviewer"].organization)
    assert kmeans.exercise == cohort["kmeans"] and kmeans.compared == 4  # Nia never submitted
    assert pair_names(kmeans) == [{"Ada", "Eve"}]
    assert kmeans.pairs[0].similarity >= 0.95
    # Even at a low threshold the starter alone (Sam) matches nobody: it is excluded.
    (low,) = similarity_flags(organization=cohort["reviewer"].organization, threshold=0.05)
    assert not any("Sam" in names for names in pair_names(low))


def test_identical_one_line_solutions_are_too_short_to_be_evidence(cohort):
    arith = Exercise.objects.get(slug="arith")
    assessment = assessment_create(
        organization=cohort["reviewer"].organization,
        title="Warm-up",
        duration_minutes=10,
        steps=[arith],
    )
    for name in ("Kim", "Lee"):
        candidate(assessment, name, "def add(a, b):\n    return a + b\n", arith)
    flags = {
        f.exercise.slug: f for f in similarity_flags(organization=cohort["reviewer"].organization)
    }
    assert flags["arith"].pairs == [] and flags["arith"].too_short == 2
    assert flags["kmeans"].too_short == 1 and len(flags["kmeans"].pairs) == 1  # Sam: the starter
    html = cohort["reviewer"].client.get("/app/similarity/").content.decode()
    assert "2 final submissions are too short to compare" in html


def test_the_similarity_page_lists_the_flagged_pair_with_a_link_side_by_side(cohort):
    response = cohort["reviewer"].client.get("/app/similarity/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "never a verdict" in html and "4 candidates compared" in html
    rows = re.findall(r"<tr>.*?</tr>", html, flags=re.S)[1:]
    assert len(rows) == 1 and "Ada" in rows[0] and "Eve" in rows[0] and "Bob" not in html
    first, second = sorted([cohort["ada"], cohort["eve"]], key=lambda i: str(i.id))
    assert f"/app/similarity/kmeans/{first.id}/{second.id}" in rows[0]


def test_a_bad_threshold_is_named_and_the_default_used(cohort):
    response = cohort["reviewer"].client.get("/app/similarity/?threshold=lots")
    assert response.status_code == 200
    html = response.content.decode()
    assert "The threshold must be a number from 0.05 to 1" in html and "Eve" in html


def test_the_pair_page_highlights_the_lines_the_two_share(cohort):
    url = f"/app/similarity/kmeans/{cohort['ada'].id}/{cohort['eve'].id}"
    response = cohort["reviewer"].client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "never a verdict" in html
    sides = html.split('class="iv-compare-side"')[1:]
    assert len(sides) == 2
    for side in sides:
        lines = re.findall(r"<tr( class=\"iv-match\")?><td class=\"iv-line-number\">", side)
        matched = sum(1 for m in lines if m)
        assert matched >= 0.6 * len(lines) > 0  # most of a copy is copied code


def test_the_pair_page_of_independent_solutions_highlights_little(cohort):
    comparison = similarity_pair(
        organization=cohort["reviewer"].organization,
        exercise=cohort["kmeans"],
        first=cohort["ada"],
        second=cohort["bob"],
    )
    copy = similarity_pair(
        organization=cohort["reviewer"].organization,
        exercise=cohort["kmeans"],
        first=cohort["ada"],
        second=cohort["eve"],
    )
    assert comparison.similarity is not None and comparison.similarity < 0.25
    assert copy.similarity is not None and copy.similarity >= 0.95

    def share(side: Any) -> float:
        return sum(line.matched for line in side.lines) / len(side.lines)

    # Short shared idioms (numpy calls, a loop header) light a few lines, a copy most of them.
    assert max(share(side) for side in comparison.sides) < 0.5
    assert min(share(side) for side in copy.sides) > 2 * max(
        share(side) for side in comparison.sides
    )


def test_a_candidate_without_a_final_submission_is_shown_as_such(cohort):
    url = f"/app/similarity/kmeans/{cohort['ada'].id}/{cohort['nia'].id}"
    response = cohort["reviewer"].client.get(url)
    assert response.status_code == 200
    assert "No graded final submission" in response.content.decode()


def test_another_organization_sees_no_pair_and_gets_404_on_the_pair_page(cohort, make_member):
    outsider = make_member("bravo", "owner")
    html = outsider.client.get("/app/similarity/").content.decode()
    assert "Ada" not in html and "Eve" not in html
    url = f"/app/similarity/kmeans/{cohort['ada'].id}/{cohort['eve'].id}"
    assert outsider.client.get(url).status_code == 404
