"""GET /api/v1/assessments(/{id}) with an API key, and the cursor pagination every list of the
hiring-system API uses (api.cursor)."""

from __future__ import annotations

from datetime import datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from api_world import build
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from api.cursor import Position
from assessments.models import Assessment

pytestmark = pytest.mark.django_db


def test_the_list_shows_the_keys_organization_assessments_with_their_steps(make_api_key, bank):
    _, _, client = make_api_key("acme", ("read",))
    screen = build("acme", "ML screen", max_submissions=5)
    build("bravo", "Bravo's secret screen")
    response = client.get("/api/v1/assessments")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["next"] is None and body["previous"] is None
    assert [a["title"] for a in body["results"]] == ["ML screen"]
    listed = body["results"][0]
    assert listed == {
        "id": screen.id,
        "title": "ML screen",
        "duration_minutes": 60,
        "show_hidden_results": True,
        "max_submissions": 5,
        "steps": [
            {
                "position": 1,
                "kind": "exercise",
                "slug": "arith",
                "title": "Add and multiply",
                "version": 1,
                "weight": 2,
            },
            {
                "position": 2,
                "kind": "exercise",
                "slug": "kmeans",
                "title": "K-Means with k-means++ seeding",
                "version": 1,
                "weight": 1,
            },
            {
                "position": 3,
                "kind": "question",
                "slug": "early-stopping-signal",
                "title": "Which curve should early stopping watch?",
                "version": 1,
                "weight": 1,
            },
            {
                "position": 4,
                "kind": "question",
                "slug": "loss-scaling-why",
                "title": "Why does FP16 training need loss scaling?",
                "version": 1,
                "weight": 1,
            },
        ],
        "created_at": screen.created_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
    }


def test_the_detail_is_the_same_object_and_another_organizations_is_a_404(make_api_key, bank):
    _, _, client = make_api_key("acme", ("read",))
    screen = build("acme")
    theirs = build("bravo")
    detail = client.get(f"/api/v1/assessments/{screen.id}")
    assert detail.status_code == 200
    assert detail.json() == client.get("/api/v1/assessments").json()["results"][0]
    for missing in (theirs.id, 999_999):
        refused = client.get(f"/api/v1/assessments/{missing}")
        assert refused.status_code == 404
        assert refused.json()["error"]["code"] == "not_found"


def test_a_page_of_many_assessments_costs_a_fixed_number_of_queries(
    make_api_key, bank, django_assert_max_num_queries
):
    _, _, client = make_api_key("acme", ("read",))
    for number in range(6):
        build("acme", f"Screen {number}")
    with django_assert_max_num_queries(4):  # the key, its last use, the rows, their steps
        assert len(client.get("/api/v1/assessments").json()["results"]) == 6


def test_the_api_needs_a_key_a_token_is_not_enough(make_api_key, make_member, bank):
    build("acme")
    anonymous = APIClient().get("/api/v1/assessments")
    assert anonymous.status_code == 401
    member = make_member("acme", "owner")
    token, _ = Token.objects.get_or_create(user=member.membership.user)
    with_token = APIClient()
    with_token.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert with_token.get("/api/v1/assessments").status_code == 403


# --- cursor pagination -----------------------------------------------------------------------


def _cursor_of(link: str) -> str:
    return parse_qs(urlsplit(link).query)["cursor"][0]


def _titles(body: dict) -> list[str]:
    return [row["title"] for row in body["results"]]


@pytest.fixture
def seven(bank) -> list[Assessment]:
    """Seven assessments, three of them created at the very same instant (ties on created_at
    are ordered by id)."""
    assessments = [build("acme", f"Screen {number}") for number in range(7)]
    base = timezone.now() - timedelta(days=1)
    for number, assessment in enumerate(assessments):
        moment = base + timedelta(minutes=min(number, 4))  # 4, 5 and 6 share one instant
        Assessment.objects.filter(id=assessment.id).update(created_at=moment)
    return assessments


def test_next_links_walk_every_row_once_newest_first_and_previous_links_walk_back(
    make_api_key, seven
):
    _, _, client = make_api_key("acme", ("read",))
    expected = ["Screen 6", "Screen 5", "Screen 4", "Screen 3", "Screen 2", "Screen 1", "Screen 0"]
    pages = [client.get("/api/v1/assessments?limit=3").json()]
    while pages[-1]["next"]:
        assert "limit=3" in pages[-1]["next"]  # the query is kept
        pages.append(client.get(pages[-1]["next"]).json())
    assert [_titles(page) for page in pages] == [expected[0:3], expected[3:6], expected[6:]]
    assert pages[0]["previous"] is None
    back = client.get(pages[-1]["previous"]).json()
    assert _titles(back) == expected[3:6]
    back = client.get(back["previous"]).json()
    assert _titles(back) == expected[0:3] and back["previous"] is None
    assert _titles(client.get(back["next"]).json()) == expected[3:6]


def test_a_row_created_between_two_pages_neither_shifts_nor_repeats_rows(make_api_key, seven):
    _, _, client = make_api_key("acme", ("read",))
    first = client.get("/api/v1/assessments?limit=3").json()
    build("acme", "Screen new")  # the newest: it belongs before the first page
    second = client.get(first["next"]).json()
    assert _titles(second) == ["Screen 3", "Screen 2", "Screen 1"]
    assert _titles(client.get(second["previous"]).json()) == ["Screen 6", "Screen 5", "Screen 4"]
    assert _titles(client.get("/api/v1/assessments?limit=1").json()) == ["Screen new"]


@pytest.mark.parametrize("limit", ["0", "201", "-1", "ten", "2.5", "²", "", "1e2"])
def test_a_limit_outside_1_to_200_is_a_400(make_api_key, bank, limit):
    _, _, client = make_api_key("acme", ("read",))
    response = client.get(f"/api/v1/assessments?limit={limit}")
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"limit": ["a whole number from 1 to 200"]}


def test_200_rows_fit_one_page(make_api_key, bank):
    _, _, client = make_api_key("acme", ("read",))
    assert client.get("/api/v1/assessments?limit=200").status_code == 200


@pytest.mark.parametrize(
    "cursor",
    [
        "not-base64!",
        "eyJ0IjoxfQ",  # {"t":1}
        Position(timezone.now(), "not-an-id", backwards=False).encode(),
        Position(timezone.now(), "12", backwards="yes").encode(),  # type: ignore[arg-type]
        Position(timezone.now(), str(2**64), backwards=False).encode(),  # past 64-bit ids
        Position(datetime(2026, 1, 1), "12", backwards=False).encode(),  # a naive time
    ],
)
def test_a_forged_or_foreign_cursor_is_a_400_not_a_500(make_api_key, bank, cursor):
    _, _, client = make_api_key("acme", ("read",))
    build("acme")
    response = client.get(f"/api/v1/assessments?cursor={cursor}")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "validation_error"
    assert "cursor" in response.json()["error"]["fields"]


def test_a_cursor_past_the_last_row_gives_an_empty_page_with_the_way_back(make_api_key, seven):
    _, _, client = make_api_key("acme", ("read",))
    last = client.get("/api/v1/assessments?limit=7").json()
    oldest = Assessment.objects.get(title="Screen 0")
    cursor = Position.of(oldest, backwards=False).encode()
    empty = client.get(f"/api/v1/assessments?limit=7&cursor={cursor}").json()
    assert empty["results"] == [] and empty["next"] is None
    assert _titles(client.get(empty["previous"]).json()) == _titles(last)
