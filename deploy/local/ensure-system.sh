#!/usr/bin/env bash
# Make sure this machine has what the platform needs, from Debian's packages: the Docker engine
# (running), debootstrap (for the sandbox image), Redis, PostgreSQL, Node.js and npm (the
# candidate IDE's bundle); with --browser also Chromium (the browser tests drive it). Installs
# what is missing and starts dockerd when run as root; otherwise says what to do. Used by `make`.
set -euo pipefail
cd "$(dirname "$0")/../.."

missing=()
command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
command -v debootstrap >/dev/null 2>&1 || missing+=(debootstrap)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v pg_ctlcluster >/dev/null 2>&1 || missing+=(postgresql)
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
if [ "${1:-}" = "--browser" ]; then
    command -v chromium >/dev/null 2>&1 || missing+=(chromium)
fi
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
