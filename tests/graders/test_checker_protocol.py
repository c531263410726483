"""The checker against a hostile worker, and the fixes the protocol needs, with the real checker
and runners as local processes (tests/graders/harness.py). The Docker sandbox adds isolation on
top; these are about what the checker believes."""

import textwrap

import pytest
from harness import run_local

FORGE_REPLY = """
import graders.worker as _w
_original = _w.Worker.handle

def _forged(self, header, buffers):
    if header.get("op") == "call":
        return {REPLY}, []
    return _original(self, header, buffers)

_w.Worker.handle = _forged
"""


def forging(reply: str) -> str:
    return FORGE_REPLY.replace("{REPLY}", reply) + "\ndef is_sorted(x):\n    return False\n"


TRUTHY_TESTS = {
    "test_truth.py": textwrap.dedent("""
    def test_is_sorted_is_false_for_an_unsorted_list(solution):
        assert not solution.is_sorted([3, 1, 2])

    def test_is_sorted_says_true_for_a_sorted_list(solution):
        assert solution.is_sorted([1, 2, 3])

    def test_is_sorted_returns_something(solution):
        assert solution.is_sorted([1, 2]) is not None
""")
}


@pytest.mark.parametrize(
    "reply",
    [
        '{"ok": True, "kind": "ref", "class": False}',  # "stays remote" to a call
        '{"ok": True, "value": ["handle", 1, "Yes"]}',  # an object where a bool belongs
        '{"ok": True, "value": ["list", [["handle", 1, "Yes"]]]}',  # one nested in a value
    ],
)
def test_a_forged_remote_object_never_passes_for_a_value(tmp_path, reply):
    run = run_local(tmp_path, tests=TRUTHY_TESTS, candidate=forging(reply))
    outcomes = run.outcomes()
    assert outcomes["test_is_sorted_says_true_for_a_sorted_list"] != "passed"
    # `is not None` is weak test-writing, but it cannot be satisfied by a nested handle either
    if "list" in reply or "ref" in reply:
        assert outcomes["test_is_sorted_returns_something"] != "passed"


def test_a_stop_iteration_from_the_candidate_does_not_end_a_test_loop_early(tmp_path):
    tests = {
        "test_loop.py": textwrap.dedent("""
        def test_squares(solution):
            cases = [1, 2, 3]
            for x, got in zip(cases, map(solution.square, cases)):
                assert got == x * x
    """)
    }
    run = run_local(tmp_path, tests=tests, candidate="def square(x):\n    raise StopIteration\n")
    assert run.outcomes()["test_squares"] == "error"


def test_catching_exception_around_a_hang_or_a_crash_does_not_make_a_pass(tmp_path):
    tests = {
        "test_catch.py": textwrap.dedent("""
        import pytest

        def test_hang_is_caught_by_a_broad_raises(solution):
            with pytest.raises(Exception):
                solution.hang()

        def test_crash_is_caught_by_try_except(solution):
            try:
                solution.crash()
            except Exception:
                pass
    """)
    }
    candidate = (
        "import os, time\n\ndef hang():\n    time.sleep(60)\n\ndef crash():\n    os._exit(3)\n"
    )
    run = run_local(tmp_path, tests=tests, candidate=candidate, call_timeout_s=1.0)
    assert run.outcomes() == {
        "test_hang_is_caught_by_a_broad_raises": "timeout",
        "test_crash_is_caught_by_try_except": "crashed",
    }


def test_a_byte_order_mark_does_not_hide_a_banned_import(tmp_path):
    tests = {"test_ok.py": "def test_answers(solution):\n    assert solution.f() == 1\n"}
    candidate = "\ufeffimport colorsys\n\ndef f():\n    return 1\n".encode()
    # The runtime hook would refuse colorsys; this candidate sidesteps it on purpose.
    candidate = candidate.replace(
        b"import colorsys",
        b"import sys\nsys.meta_path[:] = "
        b"[f for f in sys.meta_path if 'Banned' not in type(f).__name__]"
        b"\nimport colorsys",
    )
    run = run_local(tmp_path, tests=tests, candidate=candidate, banned=("colorsys",))
    assert run.outcomes()["test_uses_only_allowed_imports"] == "failed"


def test_a_hidden_input_cannot_come_back_in_an_import_error_after_a_restart(tmp_path):
    tests = {
        "test_secret.py": textwrap.dedent("""
        def test_first(solution):
            solution.f("hidden-input-xyz")

        def test_second(solution):
            assert solution.f("x") == 1
    """)
    }
    candidate = textwrap.dedent("""
        import os
        P = "stash.txt"
        if os.path.exists(P):
            raise Exception("LEAK: " + open(P).read())

        def f(x):
            open(P, "w").write(repr(x))
            os._exit(1)
    """)
    run = run_local(tmp_path, tests=tests, candidate=candidate)
    assert "hidden-input-xyz" not in str(run.done)
    assert run.done["import_failure"]["first"] is False
    assert run.outcomes()["test_second"] == "error"


def test_failing_tests_do_not_keep_the_candidates_big_replies_alive(tmp_path):
    tests = {
        f"test_big_{i}.py": "def test_is_a_tuple(solution):\n"
        "    assert isinstance(solution.big(), tuple)\n"
        for i in range(12)
    }
    candidate = "import numpy as np\n\ndef big():\n    return np.ones(8_000_000)\n"  # 64 MB each
    run = run_local(tmp_path, tests=tests, candidate=candidate, call_timeout_s=20.0)
    assert all(outcome == "failed" for outcome in run.outcomes().values())
    # Kept alive, twelve replies would take 768 MB; one at a time stays far below.
    assert run.done["timings"]["checker_peak_rss_mb"] < 250, run.done["timings"]


def test_a_send_after_a_slow_call_gets_the_full_time_limit(tmp_path):
    tests = {
        "test_slow.py": textwrap.dedent("""
        import numpy as np

        def test_slow_then_big(solution):
            solution.slow()
            assert solution.total(np.ones(20_000_000)) == 20_000_000
    """)
    }
    candidate = textwrap.dedent("""
        import time

        def slow():
            time.sleep(1.8)

        def total(x):
            return float(x.sum())
    """)
    run = run_local(tmp_path, tests=tests, candidate=candidate, call_timeout_s=2.0)
    assert run.outcomes()["test_slow_then_big"] == "passed"


def test_a_reply_the_checker_cannot_parse_fails_that_test_and_the_next_one_runs(tmp_path):
    tests = {
        "test_parse.py": textwrap.dedent("""
        def test_bad_reply(solution):
            assert solution.is_sorted([1]) is True

        def test_next(solution):
            assert solution.one() == 1
    """)
    }
    candidate = textwrap.dedent("""
        import graders.worker as _w, graders.wire as _wire
        _original = _w.Worker.handle
        def _forged(self, header, buffers):
            if header.get("op") == "call" and header["target"][-1] == "is_sorted":
                return {"ok": True, "value": ["int", "1"], "pad": int("9" * 4000)}, []
            return _original(self, header, buffers)
        _w.Worker.handle = _forged
        import sys; sys.set_int_max_str_digits(0)

        def is_sorted(x):
            return True

        def one():
            return 1
    """).replace('int("9" * 4000)', 'int("9" * 6000)')
    run = run_local(tmp_path, tests=tests, candidate=candidate)
    assert run.outcomes() == {"test_bad_reply": "failed", "test_next": "passed"}


def test_a_worker_that_closes_its_channel_but_lives_on_fails_that_test_only(tmp_path):
    tests = {
        "test_close.py": textwrap.dedent("""
        def test_closer(solution):
            solution.close_and_wait()

        def test_after(solution):
            assert solution.one() == 1
    """)
    }
    candidate = textwrap.dedent("""
        import os, time
        def close_and_wait():
            for fd in range(3, 64):
                try:
                    os.close(fd)
                except OSError:
                    pass
            time.sleep(600)

        def one():
            return 1
    """)
    run = run_local(tmp_path, tests=tests, candidate=candidate, call_timeout_s=20.0)
    assert run.outcomes()["test_closer"] == "crashed"
    assert run.outcomes()["test_after"] == "passed"


def test_inspect_call_shows_whether_a_function_modified_its_inputs(tmp_path):
    tests = {
        "test_inputs.py": textwrap.dedent("""
        import numpy as np
        from graders.checks import assert_unchanged
        from graders.remote import inspect_call

        def test_pure_function_leaves_its_input(solution):
            x = np.arange(4.0)
            result, args, kwargs = inspect_call(solution.pure, x, scale=2.0)
            assert result == 12.0
            assert_unchanged([x], args)
            assert kwargs == {"scale": 2.0}

        def test_impure_function_is_caught(solution):
            x = np.arange(4.0)
            _, args, _ = inspect_call(solution.impure, x)
            assert_unchanged([x], args)
    """)
    }
    candidate = textwrap.dedent("""
        def pure(x, scale=1.0):
            return float((x * scale).sum())

        def impure(x):
            x -= x.mean()
            return float(x.sum())
    """)
    run = run_local(tmp_path, tests=tests, candidate=candidate)
    assert run.outcomes() == {
        "test_pure_function_leaves_its_input": "passed",
        "test_impure_function_is_caught": "failed",
    }


def test_a_banned_module_can_be_looked_up_but_not_imported(tmp_path):
    # torch.optim probes for sklearn with find_spec on first use: a ban on sklearn must not
    # break it, and importing the banned module must still fail with a message naming the ban.
    tests = {
        "test_ban.py": textwrap.dedent("""
        def test_probe_then_import(solution):
            assert solution.probe() == "found, no origin"
            message = solution.try_import()
            assert "colorsys is not allowed in this exercise (banned: colorsys)" in message
    """)
    }
    candidate = textwrap.dedent("""
        import importlib.util

        def probe():
            spec = importlib.util.find_spec("colorsys")
            return "found, no origin" if spec is not None and spec.origin is None else repr(spec)

        def try_import():
            try:
                import colorsys  # noqa: F401
            except ModuleNotFoundError as exc:
                return str(exc)
            return "imported"
    """)
    run = run_local(tmp_path, tests=tests, candidate=candidate, banned=("colorsys",))
    assert run.outcomes()["test_probe_then_import"] == "passed"
    # The attempt is in the source, so the static check fails the submission as well.
    assert run.outcomes()["test_uses_only_allowed_imports"] == "failed"
