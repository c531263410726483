"""graders.package: a package loads, or every problem is named with its file and field."""

import shutil
from pathlib import Path

import pytest

from graders.package import ExerciseError, find_exercise, load_exercise

BANK = Path(__file__).resolve().parents[2] / "exercises"

VALID_TOML = """
slug = "demo"
title = "Demo"
difficulty = "easy"
tags = ["x"]

[limits]
memory_mb = 512
gpu = "none"

[runtime]
preload = ["numpy"]

[scoring]
correctness = 70

[scoring.speed]
share = 30
full_at = 1.0
zero_at = 0.2
"""


PRELOAD = 'preload = ["numpy"]'


def make_package(root: Path, toml: str = VALID_TOML, slug: str = "demo") -> Path:
    package = root / slug
    for folder in ("tests/public", "tests/hidden", "mutants"):
        (package / folder).mkdir(parents=True)
    (package / "exercise.toml").write_text(toml)
    for name in ("statement.md", "starter.py", "solution.py"):
        (package / name).write_text("")
    (package / "tests/public/test_a.py").write_text("def test_a(solution): pass\n")
    (package / "tests/hidden/test_b.py").write_text("def test_b(solution): pass\n")
    return package


def problems_of(path: Path) -> str:
    with pytest.raises(ExerciseError) as caught:
        load_exercise(path)
    return str(caught.value)


def test_a_valid_package_loads_with_its_settings(tmp_path):
    exercise = load_exercise(make_package(tmp_path))
    assert exercise.slug == "demo" and exercise.limits.memory_mb == 512
    assert exercise.scoring.correctness == 70 and exercise.scoring.speed == 30
    assert exercise.speed.zero_at == 0.2 and exercise.preload == ("numpy",)
    assert exercise.path.is_absolute()
    assert exercise.threads == 1  # single-threaded BLAS unless the exercise says otherwise


def test_every_speed_policy_field_is_read(tmp_path):
    toml = VALID_TOML.replace("zero_at = 0.2", "zero_at = 0.2\nconfidence = 0.9\ntarget_rse = 0.05")
    speed = load_exercise(make_package(tmp_path, toml)).speed
    assert speed.confidence == 0.9 and speed.target_rse == 0.05


def test_an_exercise_may_ask_for_more_blas_threads(tmp_path):
    toml = VALID_TOML.replace('preload = ["numpy"]', 'preload = ["numpy"]\nthreads = 4')
    assert load_exercise(make_package(tmp_path, toml)).threads == 4


def test_the_bank_exercises_load():
    for slug in ("kmeans",):
        assert load_exercise(BANK / slug).slug == slug


def test_missing_files_and_empty_suites_are_named(tmp_path):
    package = make_package(tmp_path)
    (package / "solution.py").unlink()
    shutil.rmtree(package / "tests/hidden")
    text = problems_of(package)
    assert "demo/solution.py: missing" in text
    assert "demo/tests/hidden: no test_*.py files" in text


@pytest.mark.parametrize(
    ("replace", "by", "expected"),
    [
        ("memory_mb = 512", 'memory_mb = "lots"', "exercise.toml: limits.memory_mb: must be int"),
        ("memory_mb = 512", "memory_mb = 5", "limits.memory_mb: must be between 64 and 65536"),
        ('gpu = "none"', 'gpu = "maybe"', "limits.gpu: must be one of none, optional, required"),
        ('difficulty = "easy"', 'difficulty = "trivial"', "difficulty: must be one of"),
        ('slug = "demo"', 'slug = "other"', "slug: must match the directory name"),
        ('slug = "demo"', 'slug = "Bad Slug"', "slug: must be lowercase"),
        ('title = "Demo"', "", "title: is required"),
        ('preload = ["numpy"]', 'preload = ["pandas"]', "runtime.preload: 'pandas' is not one of"),
        (
            PRELOAD,
            f"{PRELOAD}\nthreads = 0",
            "exercise.toml: runtime.threads: must be between 1 and 64",
        ),
        (PRELOAD, f"{PRELOAD}\nthreads = 65", "runtime.threads: must be between 1 and 64, got 65"),
        (PRELOAD, f'{PRELOAD}\nthreads = "2"', "exercise.toml: runtime.threads: must be int"),
        (PRELOAD, f"{PRELOAD}\nthreads = 2.0", "runtime.threads: must be int, got 2.0"),
        (PRELOAD, f"{PRELOAD}\nthreads = true", "runtime.threads: must be int, got True"),
        (PRELOAD, f"{PRELOAD}\nthreads = 64", "runtime.threads: must be below limits.pids (64)"),
        ("correctness = 70", "correctness = 80", "correctness + speed.share must be 100"),
        ("zero_at = 0.2", "zero_at = 2.0", "zero_at (2.0) must be below full_at (1.0)"),
        ("zero_at = 0.2", "zero_at = 0.2\ntie_margin = 0.9", "tie_margin: must be between"),
        ("zero_at = 0.2", "zero_at = 0.2\nconfidence = 1.5", "speed.confidence: must be between"),
        ("[limits]", "[limits]\nwalltime = 3", "limits.walltime: unknown field"),
        ('tags = ["x"]', 'tags = "x"', "tags: must be list"),
    ],
)
def test_bad_fields_are_named_with_file_and_field(tmp_path, replace, by, expected):
    package = make_package(tmp_path, VALID_TOML.replace(replace, by))
    assert expected in problems_of(package)


def test_blas_threads_must_fit_under_the_pids_limit(tmp_path):
    toml = VALID_TOML.replace("memory_mb = 512", "memory_mb = 512\npids = 8")
    many = make_package(tmp_path / "a", toml.replace(PRELOAD, f"{PRELOAD}\nthreads = 8"))
    assert "exercise.toml: runtime.threads: must be below limits.pids (8), got 8" in problems_of(
        many
    )
    fits = make_package(tmp_path / "b", toml.replace(PRELOAD, f"{PRELOAD}\nthreads = 7"))
    assert load_exercise(fits).threads == 7


def test_every_problem_is_reported_at_once(tmp_path):
    toml = VALID_TOML.replace("memory_mb = 512", "memory_mb = -1").replace(
        'gpu = "none"', "gpu = 3"
    )
    text = problems_of(make_package(tmp_path, toml))
    assert "limits.memory_mb" in text and "limits.gpu" in text


def test_invalid_toml_is_reported_with_the_file(tmp_path):
    assert "exercise.toml: not valid TOML" in problems_of(make_package(tmp_path, "slug = ["))


def test_find_exercise_resolves_slugs_and_paths_and_names_unknown_ones(tmp_path):
    assert find_exercise("kmeans", BANK).slug == "kmeans"
    assert find_exercise(str(make_package(tmp_path)), BANK).slug == "demo"
    with pytest.raises(ExerciseError, match=r"unknown exercise 'nope' \(known: .*kmeans"):
        find_exercise("nope", BANK)


def test_content_hash_changes_with_any_file(tmp_path):
    package = make_package(tmp_path)
    before = load_exercise(package).content_hash()
    (package / "tests/hidden/test_b.py").write_text("def test_b(solution): assert 0\n")
    assert load_exercise(package).content_hash() != before


def test_symbolic_links_in_a_package_are_refused(tmp_path):
    package = make_package(tmp_path)
    (package / "support").mkdir()
    (package / "support" / "data.npy").symlink_to("/etc/passwd")
    assert "support/data.npy: symbolic links are not allowed" in problems_of(package)
