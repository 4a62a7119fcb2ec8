#!/usr/bin/env bash
# Makes sure PostgreSQL and Redis answer on 127.0.0.1 (5432, 6379) before `npm run dev` / `npm test`:
# - running already: nothing to do (a running service is never stopped or restarted);
# - installed but stopped: starts it (the commands of the node-svc machine, docs/runbook.md
#   "Local services");
# - not installed, on Debian/Ubuntu as root: `apt-get update` once, installs postgresql and
#   redis-server, sets trust authentication for local connections (127.0.0.1, ::1, the socket),
#   starts both and creates the `test` database (`postgres` exists already);
# - anywhere else: says exactly what to run (or `docker compose up`) and exits 1.
# Skipped for a service whose URL (DATABASE_URL / REDIS_URL) points at another host.
# DRY_RUN=1 prints the commands it would run (prefixed "+ ") and runs none of them.
# ENSURE_OS_RELEASE (default /etc/os-release) is the file read to recognise Debian/Ubuntu.
set -euo pipefail

dry() { [[ "${DRY_RUN:-}" == "1" ]]; }
run() { # the command as one string: printed in a dry run, run otherwise
  if dry; then
    echo "+ $*"
  else
    eval "$@"
  fi
}
have() { command -v "$1" >/dev/null 2>&1; }
say() { echo "ensure-services: $*"; }

pg_host() { [[ -z "${DATABASE_URL:-}" || "${DATABASE_URL}" == *"127.0.0.1"* || "${DATABASE_URL}" == *"localhost"* ]]; }
redis_host() { [[ -z "${REDIS_URL:-}" || "${REDIS_URL}" == *"127.0.0.1"* || "${REDIS_URL}" == *"localhost"* ]]; }
pg_up() { have pg_isready && pg_isready -h 127.0.0.1 -p 5432 -q >/dev/null 2>&1; }
redis_up() { have redis-cli && redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null | grep -q PONG; }

wait_for() { # name, check command
  dry && return 0
  for _ in $(seq 1 30); do
    if eval "$2" >/dev/null 2>&1; then return 0; fi
    sleep 1
  done
  say "$1 did not come up" >&2
  return 1
}

debian_like() {
  local release=${ENSURE_OS_RELEASE:-/etc/os-release}
  [[ -r "$release" ]] && grep -Eqi '^(ID|ID_LIKE)=.*(debian|ubuntu)' "$release"
}
is_root() { [[ "$(id -u)" == "0" ]]; }

need_pg=false
need_redis=false
if pg_host && ! pg_up; then need_pg=true; fi
if redis_host && ! redis_up; then need_redis=true; fi
if ! $need_pg && ! $need_redis; then exit 0; fi

packages=()
if $need_pg && ! have pg_ctlcluster; then packages+=(postgresql); fi
if $need_redis && ! have redis-server; then packages+=(redis-server); fi

if ((${#packages[@]})); then
  if debian_like && is_root && have apt-get; then
    say "installing ${packages[*]} (apt-get)"
    run "apt-get update"
    run "DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${packages[*]}"
    fresh_pg=$([[ " ${packages[*]} " == *" postgresql "* ]] && echo true || echo false)
  else
    say "PostgreSQL and Redis must answer on 127.0.0.1:5432 and 127.0.0.1:6379; missing: ${packages[*]}" >&2
    if debian_like; then
      echo "  run:  sudo apt-get update && sudo apt-get install -y ${packages[*]}" >&2
      echo "        then this script again as root (sudo bash scripts/ensure-services.sh) to set trust auth and start them" >&2
    elif [[ "$(uname -s)" == "Darwin" ]]; then
      echo "  run:  brew install postgresql@17 redis && brew services start postgresql@17 && brew services start redis" >&2
      echo "        createdb test   (the current user is the superuser; set DATABASE_URL=postgres://$USER@127.0.0.1:5432/myna_dev)" >&2
    else
      echo "  install PostgreSQL ≥ 15 and Redis ≥ 7 with your package manager, trust auth for 127.0.0.1, database 'test'" >&2
    fi
    echo "  or:   docker compose up --build   (the whole stack in containers, see README)" >&2
    exit 1
  fi
else
  fresh_pg=false
fi

if $need_pg; then
  # the cluster apt-get created (or the one already there); in a dry run after a planned install, a placeholder
  version=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -1 || true)
  [[ -z "$version" ]] && version='$(ls /etc/postgresql | sort -V | tail -1)'
  if $fresh_pg; then
    say "trust authentication for local connections (development machine only)"
    hba="/etc/postgresql/$version/main/pg_hba.conf"
    run "sed -i -E '/^(local|host)[[:space:]]/ s/(peer|scram-sha-256|md5)[[:space:]]*\$/trust/' \"$hba\""
  fi
  # a fresh cluster may have been started by the package already: restart it for the new pg_hba.conf
  if $fresh_pg; then action=restart; else action=start; fi
  say "starting PostgreSQL"
  run "pg_ctlcluster --skip-systemctl-redirect $version main $action"
  wait_for PostgreSQL "pg_isready -h 127.0.0.1 -p 5432 -q"
  if $fresh_pg; then
    run "psql -h 127.0.0.1 -U postgres -d postgres -qtc \"SELECT 1 FROM pg_database WHERE datname = 'test'\" | grep -q 1 || psql -h 127.0.0.1 -U postgres -d postgres -qc 'CREATE DATABASE test'"
  fi
fi

if $need_redis && ! (! dry && redis_up); then # the package may have started it
  say "starting Redis"
  run "mkdir -p /var/lib/redis /var/log/redis"
  run "redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save '' --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log"
  wait_for Redis "redis-cli -h 127.0.0.1 -p 6379 ping | grep -q PONG"
fi
