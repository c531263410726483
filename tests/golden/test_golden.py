"""Golden submissions, through the real sandbox: each file under tests/golden/submissions/<slug>/
(correct alternatives to the reference, e.g. loop-based or torch-based, and instructive wrong
answers) gets the verdict its `# expect:` line names (`# expect: not ACCEPTED` accepts any other
verdict). References, starters and mutants are the authoring gate's job (`make gate`)."""

import re
from pathlib import Path

import pytest

import sandbox
from graders.package import load_exercise
from graders.report import Verdict

ROOT = Path(__file__).resolve().parents[2]
BANK = ROOT / "exercises"
SUBMISSIONS = Path(__file__).resolve().parent / "submissions"
EXPECT = re.compile(r"^# expect: (not )?([A-Z_]+)\s*$", re.MULTILINE)


def expectation(path: Path) -> tuple[bool, Verdict]:
    match = EXPECT.search(path.read_text())
    assert match, f"{path} has no '# expect: VERDICT' line"
    return match.group(1) is None, Verdict(match.group(2))


def cases():
    for folder in sorted(p for p in SUBMISSIONS.iterdir() if p.is_dir()):
        for golden in sorted(folder.glob("*.py")):
            yield pytest.param(
                folder.name, golden, expectation(golden), id=f"{folder.name}/{golden.stem}"
            )


@pytest.fixture(scope="session")
def graded(docker_client, sandbox_config):
    """Grade each (exercise, file) once per session; later tests reuse the report."""
    reports = {}

    def get(slug, path):
        key = (slug, str(path))
        if key not in reports:
            reports[key] = sandbox.grade(
                load_exercise(BANK / slug),
                path.read_bytes(),
                config=sandbox_config,
                client=docker_client,
            )
        return reports[key]

    return get


@pytest.mark.parametrize(("slug", "path", "expected"), list(cases()))
def test_golden_submission_gets_its_verdict(graded, slug, path, expected):
    equal, verdict = expected
    report = graded(slug, path)
    summary = {t.name: t.outcome.value for t in report.tests if t.outcome.value != "passed"}
    assert report.gradable, report.message
    if equal:
        assert report.verdict is verdict, (report.verdict, report.message, summary)
    else:
        assert report.verdict is not verdict, (report.verdict, summary)
    if report.verdict is Verdict.ACCEPTED:
        correctness = [t for t in report.tests if not t.is_speed]
        assert sum(t.points for t in correctness) == pytest.approx(
            sum(t.max_points for t in correctness)
        )
    else:
        assert report.score < 100


def test_the_reference_kmeans_gets_full_points(graded):
    report = graded("kmeans", BANK / "kmeans" / "solution.py")
    assert report.verdict is Verdict.ACCEPTED and report.score == pytest.approx(100)


def test_a_loop_based_kmeans_is_accepted_with_a_visibly_lower_speed_ratio(graded):
    reference = graded("kmeans", BANK / "kmeans" / "solution.py")
    loops = graded("kmeans", SUBMISSIONS / "kmeans" / "loop_based.py")
    assert loops.verdict is Verdict.ACCEPTED
    assert loops.speed["ratio"] < 0.7 * reference.speed["ratio"], (loops.speed, reference.speed)
    assert loops.score < reference.score
