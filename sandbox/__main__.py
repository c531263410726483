"""Operator commands for the sandbox.

python -m sandbox image-build   build the sandbox image if missing (the base needs root)
python -m sandbox image-tag     print the image tag this tree expects
python -m sandbox reap [SECONDS] remove leftovers older than SECONDS (default 3600)
python -m sandbox pool [--warm SLUG[:SUITE],...] [--redis-url URL --queue NAME]
                                keep warm sandbox sets for this host until SIGINT/SIGTERM
"""

from __future__ import annotations

import argparse
import logging
import signal
import subprocess
import sys
import threading
from pathlib import Path

import docker
import docker.errors

from graders.package import find_exercise
from sandbox.config import REPO_ROOT, SandboxConfig
from sandbox.image import ImageError, ensure_image, image_tag
from sandbox.pool import Keeper, KeeperBusy
from sandbox.reaper import reap

USAGE = (
    "usage: python -m sandbox image-build | image-tag | reap [SECONDS]"
    " | pool [--warm SLUG[:SUITE],...] [--redis-url URL --queue NAME]"
)


def main(argv: list[str]) -> int:
    if argv == ["image-tag"]:
        print(image_tag())
        return 0
    if argv == ["image-build"]:
        try:
            print(ensure_image(docker.from_env(), build_base_if_missing=True))
        except (ImageError, docker.errors.DockerException, subprocess.CalledProcessError) as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
        return 0
    if argv[:1] == ["reap"] and len(argv) <= 2:
        older_than_s = float(argv[1]) if len(argv) == 2 else 3600.0
        config = SandboxConfig.from_env()
        jobs = reap(
            docker.from_env(),
            jobs_dir=config.jobs_dir,
            pool_dir=config.pool_dir,
            older_than_s=older_than_s,
        )
        print(f"reaped {len(jobs)} job(s)" + (f": {', '.join(jobs)}" if jobs else ""))
        return 0
    if argv[:1] == ["pool"]:
        return run_pool(argv[1:])
    print(USAGE, file=sys.stderr)
    return 2


def run_pool(argv: list[str]) -> int:
    """The warm pool's keeper in the foreground (deploy/local/run.py starts one per host)."""
    parser = argparse.ArgumentParser(prog="python -m sandbox pool")
    parser.add_argument(
        "--warm", default="", help="SLUG[:SUITE],... to warm before any job (suite: hidden)"
    )
    parser.add_argument("--exercises", default=str(REPO_ROOT / "exercises"))
    parser.add_argument("--redis-url", default="", help="Celery's broker, to size by the queue")
    parser.add_argument("--queue", default="cpu")
    options = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s pool %(levelname)s %(message)s")
    config = SandboxConfig.from_env()
    if config.pool_size <= 0:
        print("TJ_POOL_SIZE is 0: no warm pool", file=sys.stderr)
        return 0
    queue_length = None
    if options.redis_url:
        import redis

        broker = redis.Redis.from_url(options.redis_url, socket_timeout=1.0)

        def queue_length() -> int:
            return int(broker.llen(options.queue))

    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    try:
        keeper = Keeper(docker.from_env(), config, queue_length=queue_length).start()
    except (KeeperBusy, docker.errors.DockerException) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    try:
        for item in filter(None, options.warm.split(",")):
            slug, _, suite = item.partition(":")
            keeper.prewarm(find_exercise(slug, Path(options.exercises)), suite or "hidden")
        print(
            f"warm pool: up to {config.pool_size} sets within {config.pool_memory_mb} MB",
            flush=True,
        )
        stop.wait()
    finally:
        keeper.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
