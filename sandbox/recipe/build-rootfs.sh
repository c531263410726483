#!/usr/bin/env bash
# Build the sandbox's root filesystem from Debian packages and PyPI wheels: no container registry.
#   build-rootfs.sh ROOTFS_DIR WHEELS_DIR REQUIREMENTS_TXT
# Needs root (debootstrap, chroot). sandbox/image.py runs it and imports the result with
# `docker import`; the image tag is a hash of this file and requirements.txt.
set -euo pipefail
rootfs=$1
wheels=$2
requirements=$3
mirror=${TJ_DEBIAN_MIRROR:-http://deb.debian.org/debian}

debootstrap --variant=minbase --include=python3,python3-venv,ca-certificates \
    bookworm "$rootfs" "$mirror"

# A clean environment inside the chroot: the host's PIP_* settings point at host paths.
in_root() { env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 chroot "$rootfs" "$@"; }

in_root /usr/bin/python3 -m venv /opt/venv
mkdir -p "$rootfs/tmp/wheels"
cp "$wheels"/*.whl "$rootfs/tmp/wheels/"
cp "$requirements" "$rootfs/tmp/requirements.txt"
in_root /opt/venv/bin/pip install --quiet --no-index --no-cache-dir \
    --disable-pip-version-check --find-links /tmp/wheels -r /tmp/requirements.txt
# Nothing installs or compiles at run time: the root filesystem is mounted read-only.
in_root /opt/venv/bin/python -m compileall -q /opt/venv/lib/python3.11/site-packages \
    >/dev/null || true

rm -rf "$rootfs/tmp/wheels" "$rootfs/tmp/requirements.txt" \
    "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* \
    "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/* "$rootfs"/usr/share/locale/*
