"""The warm pool: sandbox sets started ahead of need, so a job starts with its imports done.

    keeper = Keeper(client, config)          # one per host (a lock file says so)
    keeper.start(); keeper.prewarm(exercise)  # a thread keeps ready sets for wanted profiles
    ...                                       # sandbox.grade() takes them, in any process
    keeper.stop()                             # removes the sets nobody took

A set serves exactly one job and is destroyed after it: the pool trades memory, not isolation,
for speed. The pool lives in a folder (config.pool_dir) shared by every grading process of the
host, so taking a set needs no server:

    ready/<profile key>.<set id>    a set waiting for a job; taking it = renaming it to
    claimed/<set id>                ...here, atomically (one taker wins); the taker writes the
                                    job id it was asked to use into it (the reaper reads it)
    wanted/<profile key>.json       the profile, touched at every take (hit or miss): what to warm
    misses/<profile key>            one byte per job that found no ready set
    keeper.json                     the keeper's heartbeat (the reaper spares a live keeper's sets)

Sizing: every profile wanted in the last `idle_ttl_s` keeps one ready set; more when sets were
taken or missed recently (rate x time to warm up) or when the grading queue is long; never more
than `size` sets in all, and never more than `memory_budget_mb` (measured per profile once a set
of it is ready). Warming up runs on the checker's cores (see `sandbox.sets`).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import math
import os
import shutil
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import docker
import docker.errors

from graders.package import Exercise
from sandbox.config import SandboxConfig
from sandbox.containers import LABEL_JOB
from sandbox.image import ensure_image
from sandbox.sets import Profile, SandboxSet, SetFailed, new_set_id

log = logging.getLogger(__name__)
HEARTBEAT_S = 1.0
HEARTBEAT_STALE_S = 30.0  # a keeper silent this long is dead: its sets are leftovers
RATE_WINDOW_S = 60.0
DEFAULT_SET_MEMORY_MB = 1024  # until a set of the profile has been measured


def _dirs(pool_dir: Path) -> tuple[Path, Path, Path, Path]:
    ready, claimed, wanted, misses = (
        pool_dir / n for n in ("ready", "claimed", "wanted", "misses")
    )
    for folder in (ready, claimed, wanted, misses):
        folder.mkdir(parents=True, exist_ok=True)
    return ready, claimed, wanted, misses


# -- what a grading process does --------------------------------------------------------------


def take(config: SandboxConfig, profile: Profile, job_id: str | None = None) -> str | None:
    """Take a ready set of `profile` for the job `job_id` (default: the set's own id); return
    its set id, or None (a miss).

    Either way the profile is marked wanted, so the keeper warms sets for the next job.
    """
    if config.pool_size <= 0:
        return None
    ready, claimed, wanted, misses = _dirs(config.pool_dir)
    want = wanted / f"{profile.key}.json"
    with contextlib.suppress(OSError):
        if not want.exists():
            want.write_text(profile.to_json())
        os.utime(want)
    prefix = f"{profile.key}."
    for name in sorted(os.listdir(ready)):
        if not name.startswith(prefix):
            continue
        set_id = name[len(prefix) :]
        try:
            os.rename(ready / name, claimed / set_id)  # atomic: one taker wins
        except FileNotFoundError:
            continue
        (claimed / set_id).write_text(job_id or set_id)
        return set_id
    with contextlib.suppress(OSError), open(misses / profile.key, "ab") as counter:
        counter.write(b".")
    return None


def release_claim(config: SandboxConfig, set_id: str) -> None:
    """Forget a taken set once its job removed it."""
    release_claim_in(config.pool_dir, set_id)


def release_claim_in(pool_dir: Path, set_id: str) -> None:
    with contextlib.suppress(OSError):
        (pool_dir / "claimed" / set_id).unlink()


def claimed_jobs(pool_dir: Path) -> dict[str, tuple[str, float]]:
    """set id -> (the job id it serves, when it was taken): for the reaper."""
    found = {}
    folder = pool_dir / "claimed"
    if folder.is_dir():
        for path in folder.iterdir():
            with contextlib.suppress(OSError):
                found[path.name] = (path.read_text().strip() or path.name, path.stat().st_mtime)
    return found


def spared_sets(pool_dir: Path) -> set[str]:
    """Ready sets of a live keeper: not leftovers, whatever their age."""
    with contextlib.suppress(OSError):
        if time.time() - (pool_dir / "keeper.json").stat().st_mtime < HEARTBEAT_STALE_S:
            return {name.split(".", 1)[1] for name in os.listdir(pool_dir / "ready") if "." in name}
    return set()


# -- the keeper -------------------------------------------------------------------------------


@dataclass
class _ProfileState:
    profile: Profile
    wanted_at: float = 0.0  # wall clock of the last take
    takes: deque[float] = field(default_factory=deque)  # monotonic times of takes and misses
    warmup_s: float = 5.0  # how long a set of it takes to become ready (measured)
    memory_mb: float = DEFAULT_SET_MEMORY_MB
    misses_seen: int = 0


class KeeperBusy(RuntimeError):
    """Another keeper holds this pool folder."""


class Keeper:
    """Keeps ready sets for the profiles in demand; see the module docstring."""

    def __init__(
        self,
        client: docker.DockerClient,
        config: SandboxConfig,
        *,
        size: int | None = None,
        memory_budget_mb: int | None = None,
        queue_length: Callable[[], int] | None = None,
        idle_ttl_s: float = 1800.0,
        max_starting: int = 2,
    ) -> None:
        self.client = client
        self.config = config
        self.size = config.pool_size if size is None else size
        self.memory_budget_mb = (
            config.pool_memory_mb if memory_budget_mb is None else memory_budget_mb
        )
        self.queue_length = queue_length
        self.idle_ttl_s = idle_ttl_s
        self.max_starting = max_starting
        self.ready_dir, self.claimed_dir, self.wanted_dir, self.misses_dir = _dirs(config.pool_dir)
        self.profiles: dict[str, _ProfileState] = {}
        self.starting: dict[str, tuple[SandboxSet, float]] = {}  # set id -> (set, started at)
        self.ready: dict[str, SandboxSet] = {}
        self.stopping = threading.Event()
        self.thread: threading.Thread | None = None
        self.lock_file: IO[str] | None = None
        self.changed = threading.Condition()
        self.image: str | None = config.image

    # -- life cycle ----------------------------------------------------------------------------

    def start(self) -> Keeper:
        self.lock_file = open(self.config.pool_dir / "keeper.lock", "w")  # noqa: SIM115
        try:
            fcntl.flock(self.lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self.lock_file.close()
            raise KeeperBusy(f"another keeper runs on {self.config.pool_dir}") from None
        self._discard_leftovers()
        self.thread = threading.Thread(target=self._loop, name="sandbox-pool", daemon=True)
        self.thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        if self.thread is not None:
            self.thread.join(timeout=30)
        for set_id in list(self.ready):
            self._withdraw(set_id)
        for box, _ in list(self.starting.values()):
            box.destroy()
        self.starting.clear()
        with contextlib.suppress(OSError):
            (self.config.pool_dir / "keeper.json").unlink()
        if self.lock_file is not None:
            self.lock_file.close()

    def prewarm(self, exercise: Exercise, suite: str = "hidden") -> Profile:
        """Ask for ready sets of `exercise`'s profile before any job of it comes."""
        profile = self.profile_for(exercise, suite)
        want = self.wanted_dir / f"{profile.key}.json"
        want.write_text(profile.to_json())
        return profile

    def profile_for(self, exercise: Exercise, suite: str = "hidden") -> Profile:
        if self.image is None:
            self.image = ensure_image(self.client, build_base_if_missing=False)
        return Profile.for_exercise(exercise, self.config, self.image, suite)

    def ready_count(self, profile: Profile) -> int:
        return sum(1 for name in os.listdir(self.ready_dir) if name.startswith(profile.key + "."))

    def wait_ready(
        self, exercise: Exercise, count: int = 1, timeout_s: float = 180.0, suite: str = "hidden"
    ) -> bool:
        """Block until `count` sets of the exercise's profile are ready; False at the timeout."""
        profile = self.profile_for(exercise, suite)
        deadline = time.monotonic() + timeout_s
        with self.changed:
            while self.ready_count(profile) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self.changed.wait(timeout=min(left, 0.5))
        return True

    # -- the loop ------------------------------------------------------------------------------

    def _loop(self) -> None:
        last_beat = 0.0
        while not self.stopping.is_set():
            try:
                if time.monotonic() - last_beat > HEARTBEAT_S:
                    self._heartbeat()
                    last_beat = time.monotonic()
                self._read_demand()
                self._notice_taken()
                self._promote_started()
                wanted = self.targets()
                self._retire_unwanted(wanted)
                self._start_more(wanted)
            except Exception:  # the pool is an optimisation: log, wait, go on
                log.exception("sandbox pool: round failed")
                self.stopping.wait(2.0)
            self.stopping.wait(0.05)

    def _heartbeat(self) -> None:
        (self.config.pool_dir / "keeper.json").write_text(
            json.dumps(
                {"pid": os.getpid(), "ready": len(self.ready), "starting": len(self.starting)}
            )
        )

    def _read_demand(self) -> None:
        now = time.monotonic()
        for path in self.wanted_dir.glob("*.json"):
            key = path.stem
            state = self.profiles.get(key)
            if state is None:
                with contextlib.suppress(OSError, ValueError, TypeError):
                    state = self.profiles[key] = _ProfileState(Profile.from_json(path.read_text()))
                if state is None:
                    continue
            with contextlib.suppress(OSError):
                state.wanted_at = path.stat().st_mtime
            with contextlib.suppress(OSError):
                misses = (self.misses_dir / key).stat().st_size
                state.takes.extend([now] * max(0, misses - state.misses_seen))
                state.misses_seen = misses
            while state.takes and now - state.takes[0] > RATE_WINDOW_S:
                state.takes.popleft()

    def _notice_taken(self) -> None:
        now = time.monotonic()
        for set_id, box in list(self.ready.items()):
            if not (self.ready_dir / f"{box.profile.key}.{set_id}").exists():
                del self.ready[set_id]  # taken: its job owns it now
                state = self.profiles.get(box.profile.key)
                if state is not None:
                    state.takes.append(now)

    def _promote_started(self) -> None:
        for set_id, (box, started) in list(self.starting.items()):
            try:
                if box.probe_ready():
                    del self.starting[set_id]
                    state = self.profiles.get(box.profile.key)
                    if state is not None:
                        state.warmup_s = time.monotonic() - started
                        state.memory_mb = max(box.memory_bytes() / 2**20, 64.0)
                    self.ready[set_id] = box
                    (self.ready_dir / f"{box.profile.key}.{set_id}").write_text("")
                    with self.changed:
                        self.changed.notify_all()
                elif time.monotonic() - started > self.config.startup_slack_s:
                    raise SetFailed("not ready in time")
            except (SetFailed, OSError, docker.errors.DockerException) as exc:
                log.warning("sandbox pool: set %s failed to warm up: %s", set_id, exc)
                del self.starting[set_id]
                box.destroy()

    def targets(self) -> dict[str, int]:
        """Ready sets wanted per profile key, before the size and memory limits."""
        wall = time.time()
        queued = 0
        if self.queue_length is not None:
            with contextlib.suppress(Exception):
                queued = max(0, int(self.queue_length()))
        wanted = {}
        for key, state in self.profiles.items():
            if wall - state.wanted_at > self.idle_ttl_s:
                continue
            rate = len(state.takes) / RATE_WINDOW_S
            # Enough to cover the jobs that come while one set warms up, at least one.
            wanted[key] = max(1, math.ceil(rate * state.warmup_s), min(queued, self.size))
        return wanted

    def _retire_unwanted(self, wanted: dict[str, int]) -> None:
        for set_id, box in list(self.ready.items()):
            if box.profile.key not in wanted:
                self._withdraw(set_id)

    def _start_more(self, wanted: dict[str, int]) -> None:
        if len(self.starting) >= self.max_starting:
            return
        have: dict[str, int] = {}
        for box in [*self.ready.values(), *(b for b, _ in self.starting.values())]:
            have[box.profile.key] = have.get(box.profile.key, 0) + 1
        total = sum(have.values())
        # Profiles with no set first, then the furthest below target, the latest wanted first.
        short = sorted(
            (min(have.get(k, 0), 1), have.get(k, 0) - n, -self.profiles[k].wanted_at, k)
            for k, n in wanted.items()
            if have.get(k, 0) < n
        )
        if not short:
            return
        if total >= self.size:
            if short[0][0] == 0:
                self._make_room(short[0][3])
            return
        used_mb = sum(self.profiles[k].memory_mb * n for k, n in have.items() if k in self.profiles)
        for *_, key in short:
            state = self.profiles[key]
            if used_mb + state.memory_mb > self.memory_budget_mb:
                continue
            self._start_set(state.profile)
            return

    def _make_room(self, needy: str) -> None:
        """The pool is full and `needy` has no set: withdraw a ready set of a profile wanted
        less recently, so that old demand never starves new demand."""
        if any(box.profile.key == needy for box in self.ready.values()):
            return
        needy_at = self.profiles[needy].wanted_at
        older = sorted(
            (self.profiles[box.profile.key].wanted_at, set_id)
            for set_id, box in self.ready.items()
            if box.profile.key in self.profiles
            and self.profiles[box.profile.key].wanted_at < needy_at
        )
        if older:
            self._withdraw(older[0][1])

    def _start_set(self, profile: Profile) -> None:
        box = SandboxSet(self.client, self.config, profile, new_set_id())
        try:
            box.create(ahead=True)
            box.start()
        except (docker.errors.DockerException, OSError) as exc:
            log.warning("sandbox pool: could not start a set: %s", exc)
            box.destroy()
            self.stopping.wait(5.0)  # the engine is unwell: do not spin
            return
        self.starting[box.id] = (box, time.monotonic())

    def _withdraw(self, set_id: str) -> None:
        """Remove a ready set unless a job took it in the meantime."""
        box = self.ready.pop(set_id)
        try:
            os.unlink(self.ready_dir / f"{box.profile.key}.{set_id}")
        except FileNotFoundError:
            return  # taken: not ours to remove
        box.destroy()

    def _discard_leftovers(self) -> None:
        """Ready sets of a keeper that died: their containers are removed by id."""
        for name in os.listdir(self.ready_dir):
            with contextlib.suppress(OSError):
                os.unlink(self.ready_dir / name)
            set_id = name.split(".", 1)[-1]
            with contextlib.suppress(docker.errors.DockerException):
                for container in self.client.containers.list(
                    all=True, filters={"label": f"{LABEL_JOB}={set_id}"}
                ):
                    container.remove(force=True)
            shutil.rmtree(self.config.jobs_dir / set_id, ignore_errors=True)
