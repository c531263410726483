#!/usr/bin/env bash
# Make sure a Docker engine answers here, and that debootstrap (for the sandbox image) exists.
# Installs Debian's docker.io/debootstrap and starts dockerd when run as root; otherwise says
# what is missing. Used by `make` (run, test, sandbox-image) and .ci/run.
set -euo pipefail
cd "$(dirname "$0")/../.."

missing=()
command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
command -v debootstrap >/dev/null 2>&1 || missing+=(debootstrap)
if ((${#missing[@]})); then
    if [ "$(id -u)" -ne 0 ]; then
        echo "missing: ${missing[*]} (install them: sudo apt-get install ${missing[*]})" >&2
        exit 1
    fi
    echo "installing ${missing[*]} ..."
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if docker info >/dev/null 2>&1; then
    exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "the Docker engine is not running: start it (sudo systemctl start docker)" >&2
    exit 1
fi
mkdir -p var/log
echo "starting dockerd (log: var/log/dockerd.log) ..."
nohup dockerd >var/log/dockerd.log 2>&1 &
for _ in $(seq 1 60); do
    if docker info >/dev/null 2>&1; then
        exit 0
    fi
    sleep 1
done
echo "dockerd did not start; see var/log/dockerd.log" >&2
exit 1
