"""The report: per-test outcomes, points, the verdict. The only thing the platform stores and shows.

`TestResult`s come from the checker; `sandbox.outcome` adds the facts only the host knows (did
the job finish, how much memory the candidate used) and derives the verdict and score with
`decide_verdict` and `assign_points`, pure functions of the outcomes.
"""

from __future__ import annotations

import enum
from dataclasses import asdict, dataclass, field
from typing import Any

from graders.text import clean_text


class Outcome(enum.StrEnum):
    PASSED = "passed"
    FAILED = "failed"  # wrong answer: an assertion failed, or the value was refused by the codec
    ERROR = "error"  # the candidate's code raised where the test did not expect it
    TIMEOUT = "timeout"  # a call ran past its limit
    CRASHED = "crashed"  # the worker died: exit, signal, out of memory, output flood


class Verdict(enum.StrEnum):
    ACCEPTED = "ACCEPTED"
    WRONG_ANSWER = "WRONG_ANSWER"
    COMPILE_ERROR = "COMPILE_ERROR"
    RUNTIME_ERROR = "RUNTIME_ERROR"
    TIME_LIMIT_EXCEEDED = "TIME_LIMIT_EXCEEDED"
    MEMORY_LIMIT_EXCEEDED = "MEMORY_LIMIT_EXCEEDED"
    OUTPUT_LIMIT_EXCEEDED = "OUTPUT_LIMIT_EXCEEDED"
    SANDBOX_ERROR = "SANDBOX_ERROR"


@dataclass
class TestResult:
    """One test's outcome. `message` is kept only for visible (public) tests.

    `cause` refines a crash ("memory", "output", "signal", "exit", "container") so the verdict can
    say MEMORY_LIMIT_EXCEEDED rather than RUNTIME_ERROR, or marks a platform fault ("sandbox").
    `fraction` is the share of the test's weight earned (1 or 0, or the speed curve's value).
    """

    nodeid: str
    name: str
    description: str
    outcome: Outcome
    weight: float = 1.0
    visible: bool = False
    message: str | None = None
    duration_s: float = 0.0
    is_speed: bool = False
    fraction: float = 0.0
    cause: str | None = None
    points: float = 0.0
    max_points: float = 0.0
    speed: dict[str, Any] | None = None
    __test__ = False  # not a pytest test class, whatever its name

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["outcome"] = self.outcome.value
        data["points"] = round(self.points, 3)
        data["max_points"] = round(self.max_points, 3)
        data["duration_s"] = round(self.duration_s, 4)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TestResult:
        fields = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        fields["outcome"] = Outcome(fields["outcome"])
        if fields.get("message") is not None:  # may quote what the candidate's code returned
            fields["message"] = clean_text(fields["message"])
        return cls(**fields)


@dataclass
class Report:
    verdict: Verdict
    score: float
    gradable: bool
    suite: str
    exercise: str
    tests: list[TestResult] = field(default_factory=list)
    speed: dict[str, Any] | None = None
    message: str | None = None
    resources: dict[str, Any] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    job_id: str | None = None  # the sandbox job's id: its containers' label, in the logs
    seed: int | None = None  # of the inputs the tests generated (speed rounds), for reruns
    # For operators only, never shown to candidates: why a SANDBOX_ERROR happened (it may quote
    # hidden tests or the reference).
    diagnostics: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "job_id": self.job_id,
            "seed": self.seed,
            "verdict": self.verdict.value,
            "score": round(self.score, 2),
            "gradable": self.gradable,
            "exercise": self.exercise,
            "suite": self.suite,
            "message": self.message,
            "tests": [t.as_dict() for t in self.tests],
            "speed": self.speed,
            "resources": self.resources,
            "timings": {k: round(v, 3) for k, v in self.timings.items()},
            "diagnostics": self.diagnostics,
        }


def assign_points(
    tests: list[TestResult], *, correctness_share: float, speed_share: float
) -> float:
    """Set each test's `points` (in score units, summing to the score) and return the score.

    Correctness tests split `correctness_share` by weight; speed tests split `speed_share`. A suite
    with no speed test (the public one, say) gives the whole 100 to correctness.
    """
    correctness = [t for t in tests if not t.is_speed]
    speed = [t for t in tests if t.is_speed]
    if not speed:
        correctness_share, speed_share = 100.0, 0.0
    elif not correctness:
        correctness_share, speed_share = 0.0, 100.0
    for group, share in ((correctness, correctness_share), (speed, speed_share)):
        total = sum(t.weight for t in group)
        for t in group:
            earned = t.fraction if t.outcome is Outcome.PASSED else 0.0
            t.max_points = share * t.weight / total if total else 0.0
            t.points = t.max_points * earned
    return sum(t.points for t in tests)


def decide_verdict(tests: list[TestResult], *, import_failed: bool) -> Verdict:
    """The verdict for a finished, gradable run: the most specific reason it was not accepted."""
    if import_failed and not any(t.outcome is Outcome.TIMEOUT for t in tests):
        memory = any(t.cause == "memory" for t in tests)
        return Verdict.MEMORY_LIMIT_EXCEEDED if memory else Verdict.COMPILE_ERROR
    if tests and all(t.outcome is Outcome.PASSED for t in tests):
        return Verdict.ACCEPTED
    failing = [t for t in tests if t.outcome is not Outcome.PASSED]
    if any(t.cause == "output" for t in failing):
        return Verdict.OUTPUT_LIMIT_EXCEEDED
    if any(t.cause == "memory" for t in failing):
        return Verdict.MEMORY_LIMIT_EXCEEDED
    if any(t.outcome is Outcome.TIMEOUT for t in failing):
        return Verdict.TIME_LIMIT_EXCEEDED
    if any(t.outcome in (Outcome.ERROR, Outcome.CRASHED) for t in failing):
        return Verdict.RUNTIME_ERROR
    return Verdict.WRONG_ANSWER


def speed_summary(tests: list[TestResult]) -> dict[str, Any] | None:
    """The report's top-level `speed`: the geometric mean of the speed tests' ratios."""
    measured = [t.speed for t in tests if t.is_speed and t.speed is not None]
    if not measured:
        return None
    n = len(measured)

    def geomean(key: str) -> float:
        product = 1.0
        for m in measured:
            product *= float(m[key])
        return float(round(product ** (1.0 / n), 4))

    return {
        "ratio": geomean("ratio"),
        "ci_low": geomean("ci_low"),
        "ci_high": geomean("ci_high"),
        "tests": n,
        "suspicious": any(bool(m.get("suspicious")) for m in measured),
    }
