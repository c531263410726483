"""The bank in the interviewer's browser (web/interviewer/bank.py): the shared bank and the
organization's own entries, never another organization's; search and filters; an exercise with
its reference, hidden tests and mutants; a question with its answer key and rubric."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction

ROOT = Path(__file__).resolve().parents[2]
ARITH = ROOT / "tests" / "fixtures" / "exercises" / "arith"


def own_exercise(
    organization: Any,
    tmp_path: Path,
    slug: str,
    *,
    title: str,
    tags: list[str],
    difficulty: str = "hard",
    gpu: str = "none",
    extra_files: dict[str, bytes] | None = None,
) -> Any:
    """An exercise of `organization` (a copy of the arith fixture under another slug), with
    its version published as the current one."""
    from bank.models import Exercise
    from bank.services import exercise_version_from_package
    from graders.package import load_exercise

    folder = tmp_path / slug
    shutil.copytree(ARITH, folder)
    manifest = (folder / "exercise.toml").read_text()
    manifest = re.sub(r"(?m)^slug = .*$", f'slug = "{slug}"', manifest)
    manifest = re.sub(r"(?m)^title = .*$", f'title = "{title}"', manifest)
    manifest = re.sub(r"(?m)^tags = .*$", f"tags = {tags!r}".replace("'", '"'), manifest)
    manifest = re.sub(r"(?m)^difficulty = .*$", f'difficulty = "{difficulty}"', manifest)
    manifest = manifest.replace("[limits]\n", f'[limits]\ngpu = "{gpu}"\n')
    (folder / "exercise.toml").write_text(manifest)
    for name, data in (extra_files or {}).items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    with transaction.atomic():
        exercise = Exercise.objects.create(slug=slug, organization=organization)
        version, _ = exercise_version_from_package(exercise=exercise, package=load_exercise(folder))
        exercise.current_version = version
        exercise.save(update_fields=["current_version"])
    return exercise


def slugs(response: Any) -> list[str]:
    assert response.status_code == 200
    return re.findall(r'<tr data-slug="([^"]+)"', response.content.decode())


@pytest.fixture
def two_companies(bank: Path, make_member: Any, tmp_path: Path) -> tuple[Any, Any]:
    """A reviewer of acme (whose own exercise is "acme-matmul") and the owner of globex (whose
    own exercise is "globex-secret")."""
    reviewer = make_member("acme", "reviewer")
    other = make_member("globex", "owner")
    own_exercise(
        reviewer.organization,
        tmp_path,
        "acme-matmul",
        title="Acme matrix product",
        tags=["linear-algebra", "acme"],
        gpu="optional",
    )
    own_exercise(other.organization, tmp_path, "globex-secret", title="Globex secret", tags=["x"])
    return reviewer, other


def test_the_bank_lists_the_shared_bank_and_the_organizations_own_but_not_anothers(
    two_companies: tuple[Any, Any],
) -> None:
    reviewer, other = two_companies
    listed = slugs(reviewer.client.get("/app/bank/"))
    assert {"kmeans", "arith", "acme-matmul", "early-stopping-signal"} <= set(listed)
    assert "globex-secret" not in listed
    page = reviewer.client.get("/app/bank/").content.decode()
    row = page[page.index('data-slug="acme-matmul"') :].split("</tr>")[0]
    assert "own" in row and "GPU optional" in row and "v1" in row
    assert "globex-secret" in slugs(other.client.get("/app/bank/"))
    assert "acme-matmul" not in slugs(other.client.get("/app/bank/"))


def test_search_and_filters_narrow_the_list(two_companies: tuple[Any, Any]) -> None:
    client = two_companies[0].client
    assert slugs(client.get("/app/bank/", {"q": "matrix"})) == ["acme-matmul"]
    assert slugs(client.get("/app/bank/", {"q": "K-MEANS++"})) == ["kmeans"]  # a tag
    assert slugs(client.get("/app/bank/", {"tag": "linear-algebra"})) == ["acme-matmul"]
    assert slugs(client.get("/app/bank/", {"gpu": "optional"})) == ["acme-matmul"]
    assert "kmeans" in slugs(client.get("/app/bank/", {"gpu": "none"}))
    assert slugs(client.get("/app/bank/", {"difficulty": "hard"})) == ["acme-matmul"]
    questions = slugs(client.get("/app/bank/", {"kind": "question"}))
    assert "early-stopping-signal" in questions and "kmeans" not in questions
    assert "early-stopping-signal" not in slugs(client.get("/app/bank/", {"kind": "exercise"}))
    assert slugs(client.get("/app/bank/", {"topic": "imbalance"})) == ["imbalance-remedies"]
    assert slugs(client.get("/app/bank/", {"kind": "question", "q": "FP16"})) == [
        "loss-scaling-why"
    ]
    nothing = client.get("/app/bank/", {"q": "no-such-thing-anywhere"})
    assert slugs(nothing) == [] and "Nothing matches" in nothing.content.decode()


def test_the_exercise_page_shows_a_reviewer_the_reference_hidden_tests_and_mutants(
    two_companies: tuple[Any, Any],
) -> None:
    response = two_companies[0].client.get("/app/bank/exercises/kmeans")
    assert response.status_code == 200
    page = response.content.decode()
    assert "K-Means with k-means++ seeding" in page
    assert 'id="statement"' in page and "<h1>" in page.split('id="statement"')[1]
    assert "memory_mb" in page and "1024" in page  # limits
    assert "tests/hidden/kmeans_checks.py" in page
    assert "mutants/uniform_seeding.py" in page
    reference = (ROOT / "exercises" / "kmeans" / "solution.py").read_text()
    first_def = next(line for line in reference.splitlines() if line.startswith("def "))
    name = first_def.split("(")[0].removeprefix("def ")
    assert "Reference solution" in page and name in page
    assert "Starter" in page and "Public tests" in page


def test_an_exercise_page_shows_an_older_version_on_request_and_404s_for_a_missing_one(
    two_companies: tuple[Any, Any],
) -> None:
    client = two_companies[0].client
    assert client.get("/app/bank/exercises/kmeans", {"version": "1"}).status_code == 200
    assert client.get("/app/bank/exercises/kmeans", {"version": "99"}).status_code == 404
    assert client.get("/app/bank/exercises/kmeans", {"version": "one"}).status_code == 404


def test_another_organizations_exercise_is_a_404_and_ones_own_is_shown(
    two_companies: tuple[Any, Any],
) -> None:
    reviewer, other = two_companies
    assert reviewer.client.get("/app/bank/exercises/globex-secret").status_code == 404
    assert other.client.get("/app/bank/exercises/acme-matmul").status_code == 404
    own = reviewer.client.get("/app/bank/exercises/acme-matmul")
    assert own.status_code == 200 and "Acme matrix product" in own.content.decode()
    assert reviewer.client.get("/app/bank/exercises/no-such-slug").status_code == 404
    assert reviewer.client.post("/app/bank/exercises/acme-matmul").status_code == 405


def test_the_package_reader_keeps_text_files_and_leaves_binaries_out(
    bank: Path, make_member: Any, tmp_path: Path
) -> None:
    from bank.package_files import MAX_FILE_BYTES, package_files

    member = make_member("acme", "author")
    exercise = own_exercise(
        member.organization,
        tmp_path,
        "acme-weights",
        title="With weights",
        tags=["w"],
        extra_files={
            "support/weights.bin": b"\x00\x01\x02" * 100,
            "support/latin1.txt": "caf\xe9".encode("latin-1"),
            "support/huge.txt": b"x" * (MAX_FILE_BYTES + 1),
            "support/notes.txt": "ünïcode notes\n".encode(),
        },
    )
    files = package_files(exercise.current_version)
    assert files["support/notes.txt"] == "ünïcode notes\n"
    assert "solution.py" in files and "tests/hidden/test_arith.py" in files
    assert not {"support/weights.bin", "support/latin1.txt", "support/huge.txt"} & set(files)
    page = member.client.get("/app/bank/exercises/acme-weights").content.decode()
    assert "support/notes.txt" in page and "weights.bin" not in page


def test_the_question_page_shows_the_answer_key_and_the_explanation(
    two_companies: tuple[Any, Any],
) -> None:
    client = two_companies[0].client
    page = client.get("/app/bank/questions/early-stopping-signal").content.decode()
    keyed = re.findall(r'<li class="iv-keyed" data-keyed="true">(.*?)</li>', page, re.S)
    assert len(keyed) == 1 and "The validation loss" in keyed[0]
    assert "EXPLANATION-EN-SECRET" in page
    chinese = client.get("/app/bank/questions/early-stopping-signal", {"lang": "zh-CN"})
    assert "验证损失" in chinese.content.decode() and "EXPLANATION-ZH-SECRET" in (
        chinese.content.decode()
    )
    unknown = client.get("/app/bank/questions/early-stopping-signal", {"lang": "xx"})
    assert unknown.status_code == 200 and "EXPLANATION-EN-SECRET" in unknown.content.decode()


def test_a_short_answer_questions_page_shows_the_model_answer_and_the_rubric(
    two_companies: tuple[Any, Any],
) -> None:
    client = two_companies[0].client
    page = client.get("/app/bank/questions/loss-scaling-why").content.decode()
    assert "MODEL-ANSWER-EN-SECRET" in page and "RUBRIC-EN-SECRET" in page
    chinese = client.get("/app/bank/questions/loss-scaling-why", {"lang": "zh-CN"})
    assert "RUBRIC-ZH-SECRET" in chinese.content.decode()
    assert client.get("/app/bank/questions/loss-scaling-why", {"version": "7"}).status_code == 404


def test_another_organizations_question_is_a_404(
    two_companies: tuple[Any, Any],
) -> None:
    from bank.models import Question

    reviewer, other = two_companies
    question = Question.objects.get(slug="imbalance-remedies")
    question.organization = other.organization
    question.save(update_fields=["organization"])
    assert reviewer.client.get("/app/bank/questions/imbalance-remedies").status_code == 404
    assert "imbalance-remedies" not in slugs(reviewer.client.get("/app/bank/"))
    assert other.client.get("/app/bank/questions/imbalance-remedies").status_code == 200


def test_the_bank_asks_anonymous_visitors_to_sign_in(db: None) -> None:
    from django.test import Client

    response = Client().get("/app/bank/exercises/kmeans")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
