"""Real services for the platform tests: a Redis server, a Celery worker, beat and gunicorn, each
a subprocess on this machine, sharing the test database (SQLite file or PostgreSQL)."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def manage_without_database(command: str, *args: object) -> subprocess.CompletedProcess[str]:
    """Run `manage.py <command> <args>` as a real subprocess with a database URL that cannot
    work: for the commands that must not need one (grade, check_exercise)."""
    env = {**os.environ, "DATABASE_URL": "sqlite:////nonexistent/dir/db.sqlite3"}
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), command, *map(str, args)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=600,
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until(
    predicate: Callable[[], Any], *, timeout_s: float, what: str, interval_s: float = 0.2
) -> Any:
    deadline = time.monotonic() + timeout_s
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout_s:g} s waiting for {what}")
        time.sleep(interval_s)


def answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


class Service:
    """One subprocess in its own session (so a kill reaches its children), logging to a file."""

    def __init__(self, name: str, command: list[str], env: dict[str, str], logs: Path) -> None:
        self.name, self.command, self.env = name, command, env
        self.log_path = logs / f"{name}.log"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> Service:
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            self.command,
            env=self.env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        return self

    def signal_group(self, sig: int) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, sig)

    def kill(self) -> None:
        """SIGKILL the whole process group: a crash, not a shutdown."""
        self.signal_group(signal.SIGKILL)
        if self.process is not None:
            self.process.wait(timeout=10)

    def stop(self) -> None:
        self.signal_group(signal.SIGTERM)
        if self.process is not None:
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()

    def log_tail(self, lines: int = 40) -> str:
        if not self.log_path.exists():
            return ""
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])


class RedisServer(Service):
    def __init__(self, port: int, workdir: Path) -> None:
        workdir.mkdir(parents=True, exist_ok=True)
        command = [
            shutil.which("redis-server") or "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--dir",
            str(workdir),
            "--save",
            "",
            "--appendonly",
            "no",
        ]
        super().__init__(f"redis-{port}", command, dict(os.environ), workdir)
        self.port = port
        self.url = f"redis://127.0.0.1:{port}"

    def start(self) -> RedisServer:
        super().start()
        wait_until(lambda: answers(self.port), timeout_s=10, what="redis")
        return self

    def stop(self) -> None:
        super().stop()
        wait_until(lambda: not answers(self.port), timeout_s=10, what="redis to stop")


def platform_env(*, database_url: str, redis_url: str, var: Path, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "PYTHONPATH": os.pathsep.join([str(ROOT / "platform"), str(ROOT)]),
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "CELERY_BROKER_URL": f"{redis_url}/0",
            "TJ_PROGRESS_REDIS_URL": f"{redis_url}/1",
            "TJ_VAR_DIR": str(var),
            "DJANGO_SECRET_KEY": "test-secret-key-for-the-platform-tests",
            "TJ_GRADING_RETRY_BACKOFF_S": "3",  # retries at 3, 6, 12 s: past an engine restart
            "TJ_SWEEP_INTERVAL_S": "1",
            "TJ_SWEEP_QUEUED_AFTER_S": "600",
        }
    )
    env.update(extra)
    return env


def worker(env: dict[str, str], logs: Path, name: str = "cpu@tests") -> Service:
    return Service(
        "worker",
        [
            str(BIN / "celery"),
            "-A",
            "config",
            "worker",
            "-Q",
            "cpu",
            "-n",
            name,
            "--concurrency",
            "1",
            "-l",
            "info",
        ],
        env,
        logs,
    )


def beat(env: dict[str, str], logs: Path) -> Service:
    return Service(
        "beat",
        [
            str(BIN / "celery"),
            "-A",
            "config",
            "beat",
            "-l",
            "info",
            "-s",
            str(logs / "celerybeat-schedule"),
        ],
        env,
        logs,
    )


def web(env: dict[str, str], logs: Path, port: int) -> Service:
    return Service(
        "web",
        [
            str(BIN / "gunicorn"),
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--worker-class",
            "gthread",
            "--workers",
            "1",
            "--threads",
            "8",
            "--access-logfile",
            "-",
            "--logger-class",
            "config.gunicorn_logging.RedactingLogger",
        ],
        env,
        logs,
    )


def restart_docker_engine(logs: Path) -> None:
    """Stop the Docker engine (its containers die with it) and start it again, as it was."""
    pid = int(subprocess.check_output(["pgrep", "-xo", "dockerd"], text=True).strip())
    command = Path(f"/proc/{pid}/cmdline").read_bytes().rstrip(b"\0").split(b"\0")
    os.kill(pid, signal.SIGTERM)
    wait_until(lambda: not Path(f"/proc/{pid}").exists(), timeout_s=60, what="dockerd to stop")
    log = (logs / "dockerd.log").open("ab")
    subprocess.Popen(
        [part.decode() for part in command],
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    wait_until(
        lambda: subprocess.run(["docker", "info"], capture_output=True).returncode == 0,
        timeout_s=60,
        what="dockerd to start",
    )
