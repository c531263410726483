"""Interview questions: the file format, the partial-credit rule, sync into immutable versions,
and the API that serves them without their answer keys."""

import shutil
import tomllib
from pathlib import Path

import pytest

from bank.models import ImmutableVersionError, Question, QuestionVersion
from bank.question_files import (
    LANGUAGES,
    TOPICS,
    QuestionError,
    load_question,
    load_question_folder,
    score_choices,
)
from bank.services import question_sync_directory

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "questions"
SECRETS = ("SECRET", "answer", "explanation", "model_answer", "rubric")


def write(folder: Path, slug: str, text: str) -> Path:
    path = folder / f"{slug}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_fixture_questions_load_with_both_languages():
    single = load_question(FIXTURES / "early-stopping-signal.toml")
    assert single.kind == "single" and single.answer == (1,) and single.points == 2
    assert single.choices["zh-CN"][1] == "验证损失"
    short = load_question(FIXTURES / "loss-scaling-why.toml")
    assert [item.points for item in short.rubric] == [2, 1]
    assert short.texts["en"]["model_answer"].startswith("MODEL-ANSWER-EN")


@pytest.mark.parametrize(
    ("old", "new", "words"),
    [
        ('kind = "single"', 'kind = "essay"', "kind: must be one of single, multiple, short"),
        ('topic = "overfitting"', 'topic = "astrology"', "topic: must be one of"),
        ('slug = "early-stopping-signal"', 'slug = "other"', "must equal the file name"),
        ("answer = [1]", "answer = [7]", "answer: indices must be between 0 and 3"),
        ("answer = [1]", "answer = [0, 1]", "keys exactly one choice"),
        ("answer = [1]", 'answer = ["b"]', "answer: must be a non-empty list"),
        ("points = 2", 'points = "2"', "points: must be int"),
        ("points = 2", "points = 0", "points: must be between 1 and 20"),
        ('[zh-CN]\nprompt = "早停应当监控哪条曲线？"', "[zh-CN]", "zh-CN.prompt: is required"),
        (
            'choices = ["训练损失", "验证损失", "学习率", "梯度范数"]',
            'choices = ["训练损失", "验证损失", "学习率"]',
            "every language must list the same number of choices",
        ),
        ("tags = [", "colour = 1\ntags = [", "colour: unknown field"),
        (
            "answer = [1]",
            "answer = [1]\n[[rubric]]\npoints = 1",
            "only short answers have a rubric",
        ),
        ("[zh-CN]", "[zh-CN]\nmodel_answer = 'x'", "zh-CN.model_answer: not a field of a single"),
        ("[en]", "[en]\n[en", "cannot be read as TOML"),
    ],
)
def test_a_bad_question_file_is_refused_naming_the_field(tmp_path, old, new, words):
    text = (FIXTURES / "early-stopping-signal.toml").read_text(encoding="utf-8")
    assert old in text
    path = write(tmp_path, "early-stopping-signal", text.replace(old, new, 1))
    with pytest.raises(QuestionError) as caught:
        load_question(path)
    assert words in str(caught.value)
    assert str(caught.value).startswith("early-stopping-signal.toml: ")


def test_a_short_answer_rubric_must_add_up_to_its_points(tmp_path):
    text = (FIXTURES / "loss-scaling-why.toml").read_text(encoding="utf-8")
    path = write(tmp_path, "loss-scaling-why", text.replace("points = 3", "points = 5"))
    with pytest.raises(QuestionError, match="its points add up to 3, but points = 5"):
        load_question(path)


def test_a_multiple_choice_question_may_not_key_every_choice(tmp_path):
    text = (FIXTURES / "imbalance-remedies.toml").read_text(encoding="utf-8")
    path = write(tmp_path, "imbalance-remedies", text.replace("[0, 2]", "[0, 1, 2, 3]"))
    with pytest.raises(QuestionError, match="keys every choice"):
        load_question(path)


@pytest.mark.parametrize(
    ("selected", "expected"),
    [
        ([0, 2], 3.0),  # exactly the key
        ([2, 0], 3.0),  # order does not matter
        ([0], 1.5),  # half the key
        ([0, 1], 0.0),  # one right, one wrong: they cancel
        ([0, 2, 1], 1.5),  # the key and one wrong choice
        ([0, 1, 2, 3], 0.0),  # ticking every box earns nothing
        ([], 0.0),
        ([1, 3], 0.0),  # never negative
    ],
)
def test_multiple_choice_partial_credit(selected, expected):
    assert score_choices("multiple", (0, 2), 3, selected) == pytest.approx(expected)


def test_single_choice_is_all_or_nothing_and_short_answers_are_not_auto_graded():
    assert score_choices("single", (1,), 2, [1]) == 2.0
    assert score_choices("single", (1,), 2, [0]) == 0.0
    assert score_choices("single", (1,), 2, [0, 1]) == 0.0
    with pytest.raises(ValueError, match="graded by a reviewer"):
        score_choices("short", (), 3, [0])


def test_the_bank_has_at_least_60_valid_bilingual_questions_over_every_topic():
    questions, problems = load_question_folder(ROOT / "exercises" / "questions")
    assert problems == []
    assert len(questions) >= 60
    for topic in TOPICS:
        assert sum(q.topic == topic for q in questions) >= 5, topic
    kinds = {
        kind: sum(q.kind == kind for q in questions) for kind in ("single", "multiple", "short")
    }
    assert min(kinds.values()) >= 15, kinds
    for question in questions:
        assert sorted(question.texts) == sorted(LANGUAGES), question.slug
        assert question.texts["en"]["prompt"] != question.texts["zh-CN"]["prompt"], question.slug


@pytest.mark.django_db
def test_sync_creates_versions_once_and_a_changed_file_gets_a_new_one(tmp_path):
    folder = tmp_path / "questions"
    shutil.copytree(FIXTURES, folder)
    result = question_sync_directory(folder=folder)
    assert len(result.created) == 3 and not result.errors
    assert question_sync_directory(folder=folder).created == []
    first = Question.objects.get(slug="early-stopping-signal").current_version
    path = folder / "early-stopping-signal.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("points = 2", "points = 3"))
    result = question_sync_directory(folder=folder)
    assert result.created == ["question early-stopping-signal@2"]
    current = Question.objects.get(slug="early-stopping-signal").current_version
    assert current.points == 3 and QuestionVersion.objects.filter(pk=first.pk).exists()
    assert current.score([1]) == 3.0


@pytest.mark.django_db
def test_a_question_version_cannot_change_once_created():
    question_sync_directory(folder=FIXTURES)
    version = Question.objects.get(slug="early-stopping-signal").current_version
    version.points = 9
    with pytest.raises(ImmutableVersionError, match=r"question version .* cannot change"):
        version.save()
    assert QuestionVersion.objects.get(pk=version.pk).points == 2


@pytest.mark.django_db
def test_a_removed_file_closes_its_question_and_an_invalid_one_is_skipped(tmp_path):
    folder = tmp_path / "questions"
    shutil.copytree(FIXTURES, folder)
    question_sync_directory(folder=folder)
    (folder / "imbalance-remedies.toml").unlink()
    write(folder, "broken", 'slug = "broken"\nkind = "single"\n')
    result = question_sync_directory(folder=folder)
    assert result.deactivated == ["question imbalance-remedies"]
    assert any(line.startswith("broken.toml: topic: is required") for line in result.errors)
    assert not Question.objects.get(slug="imbalance-remedies").is_active
    assert not Question.objects.filter(slug="broken").exists()


@pytest.mark.django_db
def test_the_real_bank_syncs_every_question():
    result = question_sync_directory(folder=ROOT / "exercises" / "questions")
    assert result.errors == [] and len(result.created) >= 60


def _no_key_in(body: dict) -> None:
    text = str(body)
    for word in SECRETS:
        assert word not in text, f"{word!r} leaked: {text}"


@pytest.mark.django_db
def test_the_api_lists_questions_without_answer_keys(api, bank):
    response = api.get("/api/v1/questions")
    assert response.status_code == 200
    body = response.json()
    assert [q["slug"] for q in body["results"]] == [
        "early-stopping-signal",
        "imbalance-remedies",
        "loss-scaling-why",
    ]
    assert body["results"][0]["languages"] == ["en", "zh-CN"]
    _no_key_in(body)
    short = api.get("/api/v1/questions?kind=short").json()["results"]
    assert [q["slug"] for q in short] == ["loss-scaling-why"]
    topic = api.get("/api/v1/questions?topic=imbalance").json()["results"]
    assert [q["slug"] for q in topic] == ["imbalance-remedies"]


@pytest.mark.django_db
def test_a_question_is_served_in_the_asked_language_without_its_key(api, bank):
    english = api.get("/api/v1/questions/early-stopping-signal").json()
    assert english["language"] == "en" and english["choices"][1] == "The validation loss"
    chinese = api.get("/api/v1/questions/early-stopping-signal?lang=zh-CN").json()
    assert chinese["prompt"] == "早停应当监控哪条曲线？" and chinese["choices"][1] == "验证损失"
    negotiated = api.get(
        "/api/v1/questions/imbalance-remedies", HTTP_ACCEPT_LANGUAGE="zh;q=0.9, en;q=0.8"
    ).json()
    assert negotiated["language"] == "zh-CN"
    short = api.get("/api/v1/questions/loss-scaling-why").json()
    assert short["choices"] is None and short["points"] == 3
    for body in (english, chinese, negotiated, short):
        _no_key_in(body)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "status", "words"),
    [
        ("/api/v1/questions/early-stopping-signal?lang=fr", 400, "'fr' is not one of en, zh-CN"),
        ("/api/v1/questions?kind=essay", 400, "'essay' is not one of single, multiple, short"),
        ("/api/v1/questions?topic=astrology", 400, "'astrology' is not one of"),
        ("/api/v1/questions/nope", 404, "no question 'nope'"),
    ],
)
def test_bad_question_requests_get_clear_json_errors(api, bank, path, status, words):
    response = api.get(path)
    assert response.status_code == status
    assert words in response.json()["error"]["message"]


@pytest.mark.django_db
def test_questions_need_a_token(bank):
    from rest_framework.test import APIClient

    assert APIClient().get("/api/v1/questions").status_code == 401


def test_question_fixtures_are_valid_toml():
    # The fixtures are the format's examples in exercises/README.md: keep them parseable.
    for path in FIXTURES.glob("*.toml"):
        assert tomllib.loads(path.read_text(encoding="utf-8"))["slug"] == path.stem
