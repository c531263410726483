"""Exercise packages (`exercises/<slug>/`): load one, validate it, and say exactly what is wrong.

A package is data: `exercise.toml` (metadata, limits, scoring), `statement.md`, `starter.py`,
`solution.py` (the reference), `support/` (importable by both sides), `tests/public/`,
`tests/hidden/` and `mutants/` (known-wrong solutions). `load_exercise` returns an `Exercise` or
raises `ExerciseError` listing every problem as `<file>: <field>: <what is wrong>`.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graders.speed import SpeedPolicy

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
DIFFICULTIES = ("easy", "medium", "hard")
GPU_MODES = ("none", "optional", "required")
# What a worker may import before the candidate's module (shared by fork, so imported once).
PRELOADABLE = ("numpy", "scipy", "sklearn", "torch")
SUITES = ("public", "hidden")
REQUIRED_FILES = ("exercise.toml", "statement.md", "starter.py", "solution.py")


class ExerciseError(ValueError):
    """A package is invalid; `problems` holds one `<file>: <field>: <message>` line each."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Limits:
    """Per-job limits. Memory, CPU and pids apply to the candidate and reference workers alike."""

    wall_time_s: float = 300.0
    call_timeout_s: float = 10.0
    memory_mb: int = 1024
    cpus: float = 1.0
    pids: int = 64
    output_kb: int = 1024
    tmpfs_mb: int = 64
    gpu: str = "none"
    max_consecutive_timeouts: int = 3  # then the remaining calls fail at once
    total_call_time_s: float = 120.0  # all calls into the candidate's code in one job


@dataclass(frozen=True)
class Scoring:
    """Shares of the 0-100 score; when a suite has no speed test, correctness takes it all."""

    correctness: float = 100.0
    speed: float = 0.0


@dataclass(frozen=True)
class Exercise:
    slug: str
    title: str
    difficulty: str
    tags: tuple[str, ...]
    path: Path
    limits: Limits
    scoring: Scoring
    speed: SpeedPolicy
    preload: tuple[str, ...]
    banned_imports: tuple[str, ...]
    tolerances: dict[str, float] = field(default_factory=dict)
    # BLAS/OpenMP threads of the candidate's and the reference's workers: 1 unless the exercise
    # is about parallel code, so a speed ratio compares algorithms, not thread pools.
    threads: int = 1

    @property
    def statement_path(self) -> Path:
        return self.path / "statement.md"

    @property
    def solution_path(self) -> Path:
        return self.path / "solution.py"

    @property
    def starter_path(self) -> Path:
        return self.path / "starter.py"

    @property
    def support_path(self) -> Path:
        return self.path / "support"

    def suite_path(self, suite: str) -> Path:
        if suite not in SUITES:
            raise ValueError(f"unknown suite {suite!r}; expected one of {', '.join(SUITES)}")
        return self.path / "tests" / suite

    def mutant_paths(self) -> list[Path]:
        return sorted((self.path / "mutants").glob("*.py"))

    def content_hash(self) -> str:
        """sha256 over every file of the package (path and bytes), ignoring caches."""
        digest = hashlib.sha256()
        for file in sorted(p for p in self.path.rglob("*") if p.is_file()):
            relative = file.relative_to(self.path)
            if "__pycache__" in relative.parts or file.suffix == ".pyc":
                continue
            digest.update(str(relative).encode() + b"\0")
            digest.update(file.read_bytes() + b"\0")
        return digest.hexdigest()


_MISSING = object()


class FieldReader:
    """Reads typed fields from a parsed TOML document, collecting problems instead of raising.

    Every problem names the file and the field: "exercise.toml: limits.cpus: must be float, ...".
    Used for exercise.toml here and for the bank's question files.
    """

    def __init__(self, document: dict[str, Any], file: str) -> None:
        self.document = document
        self.file = file
        self.problems: list[str] = []

    def problem(self, name: str, message: str) -> None:
        self.problems.append(f"{self.file}: {name}: {message}")

    def table(self, name: str) -> dict[str, Any]:
        value = self.document.get(name, {})
        if not isinstance(value, dict):
            self.problem(name, f"must be a table ([{name}]), got {type(value).__name__}")
            return {}
        return value

    def value(
        self, table: dict[str, Any], prefix: str, key: str, kind: type, default: Any = _MISSING
    ) -> Any:
        name = f"{prefix}.{key}" if prefix else key
        if key not in table:
            if default is _MISSING:
                self.problem(name, "is required")
            return None if default is _MISSING else default
        value = table[key]
        if kind is float and type(value) is int:
            value = float(value)
        if type(value) is not kind:
            self.problem(name, f"must be {kind.__name__}, got {value!r}")
            return None if default is _MISSING else default
        return value

    def number(
        self, table: dict[str, Any], prefix: str, key: str, default: float, low: float, high: float
    ) -> float:
        kind = int if isinstance(default, int) and not isinstance(default, bool) else float
        value = self.value(table, prefix, key, kind, default)
        if value is not None and not low <= value <= high:
            self.problem(f"{prefix}.{key}", f"must be between {low} and {high}, got {value!r}")
            return default
        return value if value is not None else default

    def choice(
        self,
        table: dict[str, Any],
        prefix: str,
        key: str,
        options: tuple[str, ...],
        default: Any = _MISSING,
    ) -> str:
        value = self.value(table, prefix, key, str, default)
        if value is not None and value not in options:
            name = f"{prefix}.{key}" if prefix else key
            self.problem(name, f"must be one of {', '.join(options)}, got {value!r}")
        return str(value)

    def unknown(self, table: dict[str, Any], prefix: str, known: set[str]) -> None:
        """A problem for each key of `table` that is not in `known`."""
        for key in sorted(set(table) - known):
            self.problem(
                f"{prefix}.{key}" if prefix else key,
                f"unknown field (known: {', '.join(sorted(known))})",
            )

    def strings(self, table: dict[str, Any], prefix: str, key: str) -> tuple[str, ...]:
        value = self.value(table, prefix, key, list, [])
        if value is None or not all(isinstance(item, str) and item for item in value):
            self.problem(f"{prefix}.{key}" if prefix else key, "must be a list of strings")
            return ()
        return tuple(value)


def load_exercise(path: Path | str) -> Exercise:
    """Load and validate the package at `path`; raise ExerciseError naming every problem."""
    label = str(path)
    root = Path(path).resolve()  # absolute: the sandbox bind-mounts from here
    if not root.is_dir():
        raise ExerciseError([f"{label}: not a directory"])
    problems = [
        f"{label}/{name}: missing" for name in REQUIRED_FILES if not (root / name).is_file()
    ]
    for suite in SUITES:
        suite_dir = root / "tests" / suite
        if not sorted(suite_dir.glob("test_*.py")):
            problems.append(f"{label}/tests/{suite}: no test_*.py files")
    # The sandbox bind-mounts parts of the package and the host hashes every file: a link could
    # point either at anything on the host (or at /dev/zero).
    problems += [
        f"{label}/{link.relative_to(root)}: symbolic links are not allowed in a package"
        for link in sorted(root.rglob("*"))
        if link.is_symlink()
    ]
    if not (root / "exercise.toml").is_file():
        raise ExerciseError(problems)
    toml_label = f"{label}/exercise.toml"
    try:
        document = tomllib.loads((root / "exercise.toml").read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ExerciseError([*problems, f"{toml_label}: not valid TOML: {exc}"]) from exc
    exercise, field_problems = _parse(document, root, toml_label)
    problems += field_problems
    if problems:
        raise ExerciseError(problems)
    assert exercise is not None
    return exercise


def _parse(document: dict[str, Any], root: Path, label: str) -> tuple[Exercise | None, list[str]]:
    f = FieldReader(document, label)
    known = {
        "slug",
        "title",
        "difficulty",
        "tags",
        "limits",
        "runtime",
        "imports",
        "scoring",
        "tolerances",
    }
    f.unknown(document, "", known)
    slug = f.value(document, "", "slug", str)
    if slug is not None and not SLUG_PATTERN.match(slug):
        f.problem("slug", f"must be lowercase letters, digits and dashes, got {slug!r}")
    elif slug is not None and slug != root.name:
        f.problem("slug", f"must match the directory name {root.name!r}, got {slug!r}")
    title = f.value(document, "", "title", str)
    difficulty = f.choice(document, "", "difficulty", DIFFICULTIES)
    tags = f.strings(document, "", "tags")

    t = f.table("limits")
    f.unknown(t, "limits", set(Limits.__dataclass_fields__))
    d = Limits()
    limits = Limits(
        wall_time_s=f.number(t, "limits", "wall_time_s", d.wall_time_s, 1.0, 3600.0),
        call_timeout_s=f.number(t, "limits", "call_timeout_s", d.call_timeout_s, 0.1, 600.0),
        memory_mb=int(f.number(t, "limits", "memory_mb", d.memory_mb, 64, 65536)),
        cpus=f.number(t, "limits", "cpus", d.cpus, 0.1, 64.0),
        pids=int(f.number(t, "limits", "pids", d.pids, 8, 4096)),
        output_kb=int(f.number(t, "limits", "output_kb", d.output_kb, 1, 1024 * 1024)),
        tmpfs_mb=int(f.number(t, "limits", "tmpfs_mb", d.tmpfs_mb, 1, 4096)),
        gpu=f.choice(t, "limits", "gpu", GPU_MODES, d.gpu),
        max_consecutive_timeouts=int(
            f.number(t, "limits", "max_consecutive_timeouts", d.max_consecutive_timeouts, 1, 1000)
        ),
        total_call_time_s=f.number(
            t, "limits", "total_call_time_s", d.total_call_time_s, 1.0, 36000.0
        ),
    )

    runtime = f.table("runtime")
    f.unknown(runtime, "runtime", {"preload", "threads"})
    preload = f.strings(runtime, "runtime", "preload")
    for module in preload:
        if module not in PRELOADABLE:
            f.problem("runtime.preload", f"{module!r} is not one of {', '.join(PRELOADABLE)}")
    threads = int(f.number(runtime, "runtime", "threads", 1, 1, 64))
    if threads >= limits.pids:
        # Every thread counts against the pids limit: a pool that size breaks the first import.
        f.problem("runtime.threads", f"must be below limits.pids ({limits.pids}), got {threads}")

    imports = f.table("imports")
    f.unknown(imports, "imports", {"banned"})
    banned = f.strings(imports, "imports", "banned")

    s = f.table("scoring")
    f.unknown(s, "scoring", {"correctness", "speed"})
    correctness = f.number(s, "scoring", "correctness", 100.0, 0.0, 100.0)
    speed_share = 0.0
    policy = SpeedPolicy()
    speed_table = s.get("speed", 0.0)
    if isinstance(speed_table, dict):
        speed_share = f.number(speed_table, "scoring.speed", "share", 0.0, 0.0, 100.0)
        policy = _speed_policy(f, speed_table)
    elif speed_table:
        f.problem("scoring.speed", "must be a table ([scoring.speed] with share = ...)")
    if abs(correctness + speed_share - 100.0) > 1e-9:
        f.problem(
            "scoring", f"correctness + speed.share must be 100, got {correctness + speed_share:g}"
        )

    tolerances: dict[str, float] = {}
    for key, value in f.table("tolerances").items():
        if type(value) not in (int, float) or value < 0:
            f.problem(f"tolerances.{key}", f"must be a non-negative number, got {value!r}")
        else:
            tolerances[key] = float(value)

    if f.problems:
        return None, f.problems
    return Exercise(
        slug=slug,
        title=title,
        difficulty=difficulty,
        tags=tags,
        path=root,
        limits=limits,
        scoring=Scoring(correctness=correctness, speed=speed_share),
        speed=policy,
        preload=preload,
        banned_imports=banned,
        tolerances=tolerances,
        threads=threads,
    ), []


def _speed_policy(f: FieldReader, t: dict[str, Any]) -> SpeedPolicy:
    f.unknown(t, "scoring.speed", {"share", *SpeedPolicy.__dataclass_fields__})
    d = SpeedPolicy()
    p = "scoring.speed"
    policy = SpeedPolicy(
        full_at=f.number(t, p, "full_at", d.full_at, 0.001, 1000.0),
        zero_at=f.number(t, p, "zero_at", d.zero_at, 0.0001, 1000.0),
        min_rounds=int(f.number(t, p, "min_rounds", d.min_rounds, 3, 1000)),
        max_rounds=int(f.number(t, p, "max_rounds", d.max_rounds, 3, 10000)),
        budget_s=f.number(t, p, "budget_s", d.budget_s, 0.1, 600.0),
        target_rse=f.number(t, p, "target_rse", d.target_rse, 0.0001, 1.0),
        suspicious_above=f.number(t, p, "suspicious_above", d.suspicious_above, 1.0, 1e6),
        confidence=f.number(t, p, "confidence", d.confidence, 0.5, 0.999),
        tie_margin=f.number(t, p, "tie_margin", d.tie_margin, 0.0, 0.5),
    )
    if policy.zero_at >= policy.full_at * (1.0 - policy.tie_margin):
        f.problem(
            p,
            f"zero_at ({policy.zero_at}) must be below full_at ({policy.full_at}) "
            "less the tie margin",
        )
    if policy.min_rounds > policy.max_rounds:
        f.problem(p, "min_rounds must not exceed max_rounds")
    return policy


def bank_packages(bank: Path) -> list[Path]:
    """The package folders of a bank (those with an exercise.toml), by name; none if no bank."""
    if not bank.is_dir():
        return []
    return sorted(p for p in bank.iterdir() if (p / "exercise.toml").is_file())


def find_exercise(slug_or_path: str, bank: Path) -> Exercise:
    """Resolve a slug in `bank` (the exercises/ folder) or a path to a package, and load it."""
    candidate = Path(slug_or_path)
    if SLUG_PATTERN.match(slug_or_path) and (bank / slug_or_path).is_dir():
        return load_exercise(bank / slug_or_path)
    if candidate.is_dir():
        return load_exercise(candidate)
    known = [p.name for p in bank_packages(bank)]
    raise ExerciseError(
        [f"unknown exercise {slug_or_path!r} (known: {', '.join(known) or 'none'})"]
    )
