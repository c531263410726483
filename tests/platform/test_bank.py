"""bank: syncing packages into immutable versions, and unpacking a version for grading."""

import shutil

import pytest

from bank.models import Exercise, ExerciseVersion, ImmutableVersionError
from bank.services import exercise_sync_directory, exercise_version_unpack
from graders.package import load_exercise

pytestmark = pytest.mark.django_db


def test_syncing_a_bank_creates_one_version_per_exercise(bank_dir):
    result = exercise_sync_directory(bank=bank_dir)
    assert sorted(result.created) == ["arith@1", "canary@1", "kmeans@1"]
    kmeans = Exercise.objects.get(slug="kmeans")
    version = kmeans.current_version
    assert version.title.startswith("K-Means") and version.gpu == "none"
    assert "test_kmeans_public.py" in version.public_tests
    assert version.limits["call_timeout_s"] == 5


def test_syncing_again_without_changes_creates_nothing(bank_dir):
    exercise_sync_directory(bank=bank_dir)
    result = exercise_sync_directory(bank=bank_dir)
    assert result.created == [] and len(result.unchanged) == 3
    assert ExerciseVersion.objects.count() == 3


def test_a_changed_package_gets_a_new_version_and_the_old_one_stays(bank_dir, tmp_path):
    bank = tmp_path / "bank"
    shutil.copytree(bank_dir, bank)
    exercise_sync_directory(bank=bank)
    first = Exercise.objects.get(slug="arith").current_version
    test_file = bank / "arith" / "tests" / "hidden" / "test_arith.py"
    test_file.write_text(test_file.read_text() + "\n# a fixed hidden test\n")
    result = exercise_sync_directory(bank=bank)
    assert result.created == ["arith@2"]
    exercise = Exercise.objects.get(slug="arith")
    assert exercise.current_version.number == 2
    assert exercise.current_version.content_hash != first.content_hash
    assert ExerciseVersion.objects.filter(pk=first.pk).exists()


def test_an_exercise_whose_folder_is_gone_is_closed(bank_dir, tmp_path):
    bank = tmp_path / "bank"
    shutil.copytree(bank_dir, bank)
    exercise_sync_directory(bank=bank)
    shutil.rmtree(bank / "canary")
    result = exercise_sync_directory(bank=bank)
    assert result.deactivated == ["canary"]
    assert not Exercise.objects.get(slug="canary").accepts_submissions


def test_an_invalid_package_is_reported_and_the_others_still_sync(bank_dir, tmp_path):
    bank = tmp_path / "bank"
    shutil.copytree(bank_dir, bank)
    (bank / "arith" / "statement.md").unlink()
    result = exercise_sync_directory(bank=bank)
    assert any("statement.md: missing" in error for error in result.errors)
    assert sorted(result.created) == ["canary@1", "kmeans@1"]


def test_versions_are_immutable(bank_dir):
    exercise_sync_directory(bank=bank_dir)
    version = Exercise.objects.get(slug="kmeans").current_version
    version.title = "changed"
    with pytest.raises(ImmutableVersionError):
        version.save()


def test_an_unpacked_version_is_the_same_package(bank_dir, settings, tmp_path):
    settings.PACKAGES_DIR = tmp_path / "packages"
    exercise_sync_directory(bank=bank_dir)
    version = Exercise.objects.get(slug="kmeans").current_version
    folder = exercise_version_unpack(version)
    package = load_exercise(folder)
    assert package.slug == "kmeans" and package.content_hash() == version.content_hash
    assert (folder / "tests" / "hidden" / "test_kmeans.py").is_file()
    assert exercise_version_unpack(version) == folder  # unpacked once, then reused
