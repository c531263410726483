#!/usr/bin/env bash
# Start Debian's PostgreSQL cluster if it is down, and make sure the `tensorjudge` role (which may
# create databases: the test runs make their own) and database exist. Prints the DATABASE_URL.
# Used by `make test` to run the platform tests on PostgreSQL as well as SQLite.
set -euo pipefail
version=$(pg_lsclusters --no-header | awk 'NR==1 {print $1}')
cluster=$(pg_lsclusters --no-header | awk 'NR==1 {print $2}')
port=$(pg_lsclusters --no-header | awk 'NR==1 {print $3}')
if [ -z "$version" ]; then
    echo "no PostgreSQL cluster (pg_createcluster 15 main)" >&2
    exit 1
fi
if ! pg_lsclusters --no-header | awk 'NR==1 {print $4}' | grep -q online; then
    pg_ctlcluster "$version" "$cluster" start >&2
fi
as_postgres() { if [ "$(id -u)" -eq 0 ]; then su postgres -c "$1"; else sh -c "$1"; fi; }
as_postgres "psql -p $port -tAc \"SELECT 1 FROM pg_roles WHERE rolname='tensorjudge'\"" | grep -q 1 \
    || as_postgres "psql -p $port -qc \"CREATE ROLE tensorjudge LOGIN CREATEDB PASSWORD 'tensorjudge'\"" >&2
as_postgres "psql -p $port -tAc \"SELECT 1 FROM pg_database WHERE datname='tensorjudge'\"" | grep -q 1 \
    || as_postgres "createdb -p $port -O tensorjudge tensorjudge" >&2
echo "postgres://tensorjudge:tensorjudge@127.0.0.1:$port/tensorjudge"
