"""Each way a submission can fail gets its own verdict, fails only the tests it touched, and
leaves nothing behind (real Docker sandbox, `arith` fixture: add and mul, 3 s per call)."""

import textwrap
from pathlib import Path

import pytest

import sandbox
from graders.package import load_exercise
from graders.report import Verdict
from sandbox.config import SandboxConfig

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "exercises"


def outcomes(report):
    return {t.name: t.outcome.value for t in report.tests}


GOOD_MUL = "\ndef mul(a, b):\n    return a * b\n"


def with_add(body, header=""):
    return (
        textwrap.dedent(header)
        + "def add(a, b):\n"
        + textwrap.indent(textwrap.dedent(body), "    ")
        + GOOD_MUL
    )


CASES = {
    "correct": (with_add("return a + b"), Verdict.ACCEPTED, "passed"),
    "wrong value": (with_add("return a - b"), Verdict.WRONG_ANSWER, "failed"),
    "raises": (with_add("raise KeyError('oops')"), Verdict.RUNTIME_ERROR, "error"),
    "sys.exit in a call": (with_add("import sys\nsys.exit(0)"), Verdict.RUNTIME_ERROR, "error"),
    "os._exit in a call": (with_add("import os\nos._exit(0)"), Verdict.RUNTIME_ERROR, "crashed"),
    "segfault": (with_add("import ctypes\nctypes.string_at(0)"), Verdict.RUNTIME_ERROR, "crashed"),
    "sleeps": (with_add("import time\ntime.sleep(600)"), Verdict.TIME_LIMIT_EXCEEDED, "timeout"),
    "busy loop": (with_add("while True:\n    pass"), Verdict.TIME_LIMIT_EXCEEDED, "timeout"),
    "stops itself": (
        with_add("import os, signal\nos.kill(os.getpid(), signal.SIGSTOP)"),
        Verdict.TIME_LIMIT_EXCEEDED,
        "timeout",
    ),
    "memory bomb": (
        with_add("x = bytearray(1024 ** 3)\nreturn len(x)"),
        Verdict.MEMORY_LIMIT_EXCEEDED,
        "crashed",
    ),
    "output flood": (
        with_add("while True:\n    print('x' * 1000)"),
        Verdict.OUTPUT_LIMIT_EXCEEDED,
        "crashed",
    ),
    "lying value": (
        with_add("class Liar:\n    def __eq__(self, other):\n        return True\nreturn Liar()"),
        Verdict.WRONG_ANSWER,
        "failed",
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_each_failure_gets_its_verdict_and_spares_the_other_tests(grade, name):
    source, verdict, add_outcome = CASES[name]
    report = grade("arith", source)
    assert report.gradable
    assert report.verdict is verdict, report.as_dict()
    got = outcomes(report)
    assert got["test_add"] == add_outcome, got
    # The worker is restarted after a crash or a hang: the next test still counts.
    assert got["test_mul"] == "passed", got
    expected_score = 100.0 if verdict is Verdict.ACCEPTED else 100.0 / 3
    assert report.score == pytest.approx(expected_score)


@pytest.mark.parametrize(
    ("source", "verdict", "words"),
    [
        ("def add(a, b) return a\n", Verdict.COMPILE_ERROR, "SyntaxError"),
        ("raise ImportError('no such thing')\n", Verdict.COMPILE_ERROR, "no such thing"),
        ("import sys\nsys.exit(0)\n", Verdict.COMPILE_ERROR, "exit(0)"),
        ("import os\nos._exit(0)\n", Verdict.COMPILE_ERROR, "did not finish importing"),
        ("import time\ntime.sleep(600)\n", Verdict.TIME_LIMIT_EXCEEDED, "to import"),
        (b"x = '\xff'\n", Verdict.COMPILE_ERROR, "not valid UTF-8"),
    ],
)
def test_a_module_that_does_not_import_scores_nothing(grade, source, verdict, words):
    report = grade("arith", source)
    assert report.verdict is verdict and report.score == 0
    assert words in (report.message or ""), report.message


def test_a_utf8_byte_order_mark_is_not_a_compile_error(grade):
    report = grade("arith", "\ufeff" + with_add("return a + b"))
    assert report.verdict is Verdict.ACCEPTED


def test_killing_its_own_supervisor_fails_the_rest_without_passing_anything(grade):
    source = with_add("import os, signal\nos.kill(os.getppid(), signal.SIGKILL)")
    report = grade("arith", source)
    assert report.verdict is not Verdict.ACCEPTED and report.gradable
    assert outcomes(report)["test_add"] != "passed"


def test_public_results_carry_messages_and_hidden_results_do_not(grade):
    source = with_add("return a - b")
    public = grade("arith", source, suite="public")
    failed = next(t for t in public.tests if t.name == "test_add")
    assert failed.visible and "add(2, 3) should be 5" in failed.message
    hidden = grade("arith", source, suite="hidden")
    assert all(t.message is None and not t.visible for t in hidden.tests)
    assert "should be 5" not in str(hidden.as_dict())


def test_a_broken_reference_is_a_sandbox_error_not_the_candidates_fault(grade):
    report = grade("broken-reference", "def add(a, b):\n    return a + b\n")
    assert report.verdict is Verdict.SANDBOX_ERROR
    assert not report.gradable and report.score == 0
    assert "reference" in report.message
    assert "the reference is broken" in report.diagnostics  # for operators, not candidates
    assert "the reference is broken" not in report.message


def test_progress_events_arrive_test_by_test(grade):
    events = []
    grade("arith", with_add("return a + b"), on_event=events.append)
    kinds = [e["event"] for e in events]
    assert kinds[0] == "listening" and kinds[-1] == "done"
    assert kinds.count("test_finished") == 3 and "collected" in kinds


def test_the_report_records_peak_memory_and_where_the_time_went(grade):
    report = grade("arith", with_add("x = bytearray(64 * 1024 ** 2)\nreturn a + b"))
    assert report.verdict is Verdict.ACCEPTED
    assert report.resources["peak_memory_bytes"] >= 64 * 1024**2
    for key in ("started_s", "collected_s", "tests_done_s", "total_s"):
        assert report.timings[key] > 0


def test_an_infrastructure_failure_is_a_gradable_false_sandbox_error(docker_client, tmp_path):
    not_a_directory = tmp_path / "jobs"
    not_a_directory.write_text("a file where the jobs folder should be")
    config = SandboxConfig(jobs_dir=not_a_directory)
    report = sandbox.grade(
        load_exercise(FIXTURES / "arith"),
        b"def add(a, b):\n    return a + b\n",
        config=config,
        client=docker_client,
    )
    assert report.verdict is Verdict.SANDBOX_ERROR and not report.gradable
    assert report.diagnostics and "jobs" in report.diagnostics


def test_code_that_hangs_everywhere_stops_being_called_after_a_streak_of_timeouts(grade):
    hangs = "import time\n\nadd = mul = lambda a, b: time.sleep(600)\n"
    report = grade("arith", hangs, suite="public")  # arith: 3 s per call, a streak of 2
    assert report.verdict is Verdict.TIME_LIMIT_EXCEEDED
    assert [t.outcome.value for t in report.tests] == ["timeout"] * 3
    assert "not run: the code's last 2 calls all timed out" in report.tests[2].message
    # Two real time limits, not three: the bound on a hang-everywhere submission.
    assert report.timings["tests_done_s"] - report.timings["collected_s"] < 3 * 3
