"""Operator commands for the sandbox.

python -m sandbox image-build   build the sandbox image if missing (the base needs root)
python -m sandbox image-tag     print the image tag this tree expects
"""

from __future__ import annotations

import subprocess
import sys

import docker
import docker.errors

from sandbox.config import SandboxConfig
from sandbox.image import ImageError, ensure_image, image_tag
from sandbox.reaper import reap

USAGE = "usage: python -m sandbox image-build | image-tag | reap [SECONDS]"


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
        jobs = reap(
            docker.from_env(), jobs_dir=SandboxConfig.from_env().jobs_dir, older_than_s=older_than_s
        )
        print(f"reaped {len(jobs)} job(s)" + (f": {', '.join(jobs)}" if jobs else ""))
        return 0
    print(USAGE, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
