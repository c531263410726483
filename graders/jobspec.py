"""What the host tells the checker about one grading job (passed as JSON on its command line).

The checker sees the exercise's tests and support files but not `exercise.toml` itself, so the
settings it needs travel here, already validated by `graders.package` on the host.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

from graders.package import Exercise
from graders.speed import SpeedPolicy

# Where things are inside the checker container (the host mounts them there).
CHECKER_TESTS_DIR = "/exercise/tests"
CHECKER_SUPPORT_DIR = "/exercise/support"
CANDIDATE_SOURCE = "/candidate/solution.py"
CANDIDATE_SOCKET = "/run/tj/candidate/rpc.sock"
REFERENCE_SOCKET = "/run/tj/reference/rpc.sock"
# Where the worker sees its own socket (its side's directory, mounted read-only).
WORKER_SOCKET = "/run/tj/rpc.sock"


@dataclass(frozen=True)
class JobSpec:
    exercise: str
    suite: str
    call_timeout_s: float
    import_timeout_s: float
    start_timeout_s: float
    max_consecutive_timeouts: int
    total_call_time_s: float
    correctness_share: float
    speed_share: float
    speed: SpeedPolicy
    banned_imports: tuple[str, ...] = ()
    tolerances: dict[str, float] = field(default_factory=dict)
    seed: int = 0

    @property
    def visible(self) -> bool:
        """Public-suite results carry full messages; hidden ones only names and descriptions."""
        return self.suite == "public"

    @classmethod
    def for_exercise(cls, exercise: Exercise, suite: str, *, seed: int = 0) -> JobSpec:
        return cls(
            exercise=exercise.slug,
            suite=suite,
            call_timeout_s=exercise.limits.call_timeout_s,
            import_timeout_s=min(30.0, exercise.limits.call_timeout_s * 2 + 5.0),
            start_timeout_s=120.0,
            max_consecutive_timeouts=exercise.limits.max_consecutive_timeouts,
            total_call_time_s=exercise.limits.total_call_time_s,
            correctness_share=exercise.scoring.correctness,
            speed_share=exercise.scoring.speed,
            speed=exercise.speed,
            banned_imports=exercise.banned_imports,
            tolerances=dict(exercise.tolerances),
            seed=seed,
        )

    def to_json(self) -> str:
        return json.dumps(asdict(self), separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> JobSpec:
        data: dict[str, Any] = json.loads(text)
        data["speed"] = SpeedPolicy(**data["speed"])
        data["banned_imports"] = tuple(data.get("banned_imports", ()))
        return cls(**data)
