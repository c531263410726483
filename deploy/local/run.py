"""`make run`: the whole platform on one machine, in the foreground; Ctrl-C stops all of it.

Starts Redis (unless one already answers at REDIS_URL), migrates the database, collects static
files, syncs the exercise bank, makes sure the demo account and the demo organization exist,
prints the API token, a fresh demo invitation link and the demo organization owner's
credentials, then runs a Celery worker (queue cpu), the sandbox's warm pool (TJ_POOL_SIZE sets,
0 for none), Celery beat (sweeper, reaper) and gunicorn.
Every process it started is stopped on Ctrl-C (or SIGTERM), or when any of them dies.

    python deploy/local/run.py [--port 8000] [--host 127.0.0.1] [--concurrency 2]
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
STOP_GRACE_S = 10.0


def _environment(var: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "platform"), str(ROOT)])
    env.setdefault("TJ_VAR_DIR", str(var))
    # The sandbox's job folders and warm pool live with the rest of this platform's state.
    env.setdefault("TJ_SANDBOX_JOBS_DIR", str(var / "jobs"))
    # One machine: the hiring system trying the API here listens on this machine too, so its
    # webhook URLs are private addresses (refused by default: see api.webhooks.sender).
    env.setdefault("TJ_WEBHOOK_ALLOW_PRIVATE_URLS", "true")
    key_file = var / "secret_key"
    if not env.get("DJANGO_SECRET_KEY"):
        if not key_file.exists():
            key_file.write_text(secrets.token_urlsafe(50))
            key_file.chmod(0o600)
        env["DJANGO_SECRET_KEY"] = key_file.read_text().strip()
    return env


def _answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def _wait_for(host: str, port: int, what: str, timeout_s: float = 30.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not _answers(host, port):
        if time.monotonic() > deadline:
            raise SystemExit(f"{what} did not start on {host}:{port}")
        time.sleep(0.2)


class Processes:
    """Children started in their own sessions, stopped in reverse order."""

    def __init__(self) -> None:
        self.children: list[tuple[str, subprocess.Popen[bytes]]] = []

    def start(self, name: str, command: list[str], env: dict[str, str]) -> None:
        print(f"starting {name}: {' '.join(command)}", flush=True)
        child = subprocess.Popen(command, env=env, cwd=ROOT, start_new_session=True)
        self.children.append((name, child))

    def first_dead(self) -> str | None:
        return next((name for name, child in self.children if child.poll() is not None), None)

    def stop(self) -> None:
        for name, child in reversed(self.children):
            if child.poll() is None:
                print(f"stopping {name}", flush=True)
                os.killpg(child.pid, signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE_S
        for _, child in reversed(self.children):
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(child.pid, signal.SIGKILL)  # a worker mid-job: its job is re-queued
                child.wait()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default=os.environ.get("TJ_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("TJ_PORT", "8000")))
    parser.add_argument(
        "--concurrency", type=int, default=int(os.environ.get("TJ_WORKER_CONCURRENCY", "1"))
    )
    options = parser.parse_args()
    var = Path(os.environ.get("TJ_VAR_DIR", ROOT / "var"))
    var.mkdir(parents=True, exist_ok=True)
    env = _environment(var)
    manage = [str(BIN / "python"), str(ROOT / "manage.py")]
    processes = Processes()
    stopping = False

    def on_signal(signum: int, frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    try:
        redis = urlsplit(env.get("REDIS_URL", "redis://127.0.0.1:6379"))
        redis_host, redis_port = redis.hostname or "127.0.0.1", redis.port or 6379
        if not _answers(redis_host, redis_port):
            (var / "redis").mkdir(exist_ok=True)
            processes.start(
                "redis",
                [
                    shutil.which("redis-server") or "redis-server",
                    "--bind",
                    redis_host,
                    "--port",
                    str(redis_port),
                    "--dir",
                    str(var / "redis"),
                    "--appendonly",
                    "yes",
                    "--save",
                    "",
                    "--maxmemory-policy",
                    "noeviction",
                ],
                env,
            )
            _wait_for(redis_host, redis_port, "redis")
        for step in (
            ["migrate", "--noinput"],
            ["collectstatic", "--noinput", "-v", "0"],
            ["sync_exercises"],
        ):
            subprocess.run([*manage, *step], env=env, cwd=ROOT, check=True)
        base = f"http://{options.host}:{options.port}"
        # The organization first: the demo assessment belongs to it.
        demo_organization, token, invitation_token = (
            subprocess.run(
                [*manage, *command], env=env, cwd=ROOT, check=True, capture_output=True, text=True
            ).stdout.strip()
            for command in (
                ["ensure_demo_organization", "--base-url", base],
                ["create_demo_account"],
                ["create_demo_invitation"],
            )
        )
        celery = [str(BIN / "celery"), "-A", "config"]
        processes.start(
            "worker",
            [
                *celery,
                "worker",
                "-Q",
                "cpu",
                "-n",
                "cpu@%h",
                "--concurrency",
                str(options.concurrency),
                "-l",
                "info",
            ],
            env,
        )
        if int(env.get("TJ_POOL_SIZE", "2") or 0) > 0:
            # The warm pool: sets of sandbox containers with their imports done, ahead of need.
            processes.start(
                "pool",
                [
                    str(BIN / "python"),
                    "-m",
                    "sandbox",
                    "pool",
                    "--warm",
                    env.get("TJ_POOL_WARM", "kmeans"),
                    "--redis-url",
                    env.get("REDIS_URL", "redis://127.0.0.1:6379"),
                    "--queue",
                    "cpu",
                ],
                env,
            )
        processes.start(
            "beat", [*celery, "beat", "-l", "info", "-s", str(var / "celerybeat-schedule")], env
        )
        processes.start(
            "web",
            [
                str(BIN / "gunicorn"),
                "config.wsgi",
                "--bind",
                f"{options.host}:{options.port}",
                "--worker-class",
                "gthread",
                "--workers",
                "2",
                "--threads",
                "8",
                "--access-logfile",
                "-",
                "--logger-class",
                "config.gunicorn_logging.RedactingLogger",  # no invitation token in the log
            ],
            env,
        )
        _wait_for(options.host, options.port, "the web server")
        print(
            f"""
TensorJudge is running.
  API            {base}/api/v1/
  API docs       {base}/api/docs/
  candidate      {base}/a/{invitation_token}
                 (a demo invitation: open it in a browser; a new one at every start)
  interviewer    {base}/app/
                 {demo_organization}
  admin          {base}/admin/ (manage.py createsuperuser first)
  demo token     {token}
  try            curl -H "Authorization: Token {token}" {base}/api/v1/exercises
Ctrl-C stops everything.
READY""",
            flush=True,
        )
        while not stopping:
            dead = processes.first_dead()
            if dead is not None:
                print(f"{dead} exited; stopping everything", file=sys.stderr, flush=True)
                return 1
            time.sleep(0.5)
        return 0
    finally:
        processes.stop()


if __name__ == "__main__":
    sys.exit(main())
