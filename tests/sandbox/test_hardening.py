"""The container a candidate's code runs in: what it can see and do.

The `sandbox-probe` fixture's "solution" reports facts from inside the candidate container; its
public tests (run by the real checker) assert the hardening; here every one must pass.
"""

from pathlib import Path

from graders.report import Verdict

PROBE = Path(__file__).resolve().parents[1] / "fixtures" / "exercises" / "sandbox-probe"


def test_every_hardening_check_passes_inside_the_candidate_container(grade):
    report = grade("sandbox-probe", (PROBE / "solution.py").read_bytes(), suite="public")
    failures = {t.name: t.message for t in report.tests if t.outcome.value != "passed"}
    assert failures == {}
    assert report.verdict is Verdict.ACCEPTED
    assert len(report.tests) >= 15
