"""The sandbox image: built with no container registry, tagged by the hash of what went into it.

Two layers, so editing `graders/` costs seconds, not minutes:
    tensorjudge-sandbox-base:<hash of sandbox/recipe/*>   Debian bookworm (debootstrap) + Python
                                                          3.11 venv + the pinned wheels
    tensorjudge-sandbox:<hash of base tag + graders/>     + the graders package

    python -m sandbox image-build   # build what is missing (the base needs root), print the tag
    python -m sandbox image-tag     # print the tag this tree expects

Operators with a registry can build `sandbox/Dockerfile` instead and set TJ_SANDBOX_IMAGE.
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

import docker
import docker.errors

from sandbox.config import REPO_ROOT

RECIPE_DIR = REPO_ROOT / "sandbox" / "recipe"
GRADERS_DIR = REPO_ROOT / "graders"
BASE_REPOSITORY = "tensorjudge-sandbox-base"
REPOSITORY = "tensorjudge-sandbox"
SITE_PACKAGES = "/opt/venv/lib/python3.11/site-packages"
LAYER_DOCKERFILE = f"""\
FROM {{base}}
COPY graders {SITE_PACKAGES}/graders
RUN ["/opt/venv/bin/python", "-m", "compileall", "-q", "{SITE_PACKAGES}/graders"]
LABEL org.tensorjudge.role=sandbox
"""
IMPORT_CHANGES = [
    "ENV PATH=/opt/venv/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
    "ENV LANG=C.UTF-8",
    "WORKDIR /tmp",
]


class ImageError(RuntimeError):
    """The sandbox image is missing and cannot be built here; the message says what to do."""


def _hash_files(paths: list[Path], root: Path, extra: str = "") -> str:
    digest = hashlib.sha256(extra.encode())
    for path in sorted(paths):
        digest.update(str(path.relative_to(root)).encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def _graders_files() -> list[Path]:
    return [
        p
        for p in GRADERS_DIR.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"
    ]


def base_tag() -> str:
    recipe = [p for p in RECIPE_DIR.iterdir() if p.is_file()]
    changes = "\n".join(IMPORT_CHANGES)
    return f"{BASE_REPOSITORY}:{_hash_files(recipe, REPO_ROOT, changes)}"


def image_tag() -> str:
    """The tag the current tree's sandbox image has (whether or not it is built yet)."""
    return f"{REPOSITORY}:{_hash_files(_graders_files(), REPO_ROOT, base_tag() + LAYER_DOCKERFILE)}"


def _exists(client: docker.DockerClient, tag: str) -> bool:
    try:
        client.images.get(tag)
        return True
    except docker.errors.ImageNotFound:
        return False


def build_base(tag: str) -> None:
    """debootstrap + venv + wheels, then `docker import`. Needs root and the Debian mirror."""
    if os.geteuid() != 0:
        raise ImageError(
            f"the sandbox base image {tag} is not built and building it needs root "
            "(debootstrap, chroot): run `make sandbox-image` as root, or build sandbox/Dockerfile "
            "where a registry is reachable and set TJ_SANDBOX_IMAGE"
        )
    cache = REPO_ROOT / "var" / "cache"
    wheels = cache / "wheels"
    wheels.mkdir(parents=True, exist_ok=True)
    requirements = RECIPE_DIR / "requirements.txt"
    _run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--quiet",
            "--only-binary=:all:",
            "--dest",
            str(wheels),
            "-r",
            str(requirements),
        ]
    )
    work = Path(tempfile.mkdtemp(prefix="tj-rootfs-", dir=cache))
    rootfs = work / "rootfs"
    try:
        _run(
            [
                "bash",
                str(RECIPE_DIR / "build-rootfs.sh"),
                str(rootfs),
                str(wheels),
                str(requirements),
            ]
        )
        changes = [arg for change in IMPORT_CHANGES for arg in ("--change", change)]
        tar = subprocess.Popen(["tar", "-C", str(rootfs), "-c", "."], stdout=subprocess.PIPE)
        subprocess.run(
            ["docker", "import", *changes, "-", tag],
            stdin=tar.stdout,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        if tar.wait() != 0:
            raise ImageError("tar of the root filesystem failed")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def build_layer(client: docker.DockerClient, base: str, tag: str) -> None:
    """Add the graders package on top of the base (a few seconds; no network needed)."""
    context = io.BytesIO()
    with tarfile.open(fileobj=context, mode="w") as tar:
        dockerfile = LAYER_DOCKERFILE.format(base=base).encode()
        info = tarfile.TarInfo("Dockerfile")
        info.size = len(dockerfile)
        tar.addfile(info, io.BytesIO(dockerfile))
        for path in _graders_files():
            tar.add(path, arcname=str(path.relative_to(REPO_ROOT)))
    context.seek(0)
    client.images.build(
        fileobj=context,
        custom_context=True,
        tag=tag,
        rm=True,
        forcerm=True,
        network_mode="none",
        pull=False,
    )


def ensure_image(client: docker.DockerClient, *, build_base_if_missing: bool) -> str:
    """Return the sandbox image tag, building the graders layer (and the base, if allowed)."""
    override = os.environ.get("TJ_SANDBOX_IMAGE")
    if override:
        if not _exists(client, override):
            raise ImageError(f"TJ_SANDBOX_IMAGE={override} is not present in the Docker engine")
        return override
    tag = image_tag()
    if _exists(client, tag):
        return tag
    base = base_tag()
    if not _exists(client, base):
        if not build_base_if_missing:
            raise ImageError(f"the sandbox image {base} is not built: run `make sandbox-image`")
        build_base(base)
    build_layer(client, base, tag)
    return tag


def _run(command: list[str]) -> None:
    subprocess.run(command, check=True)
