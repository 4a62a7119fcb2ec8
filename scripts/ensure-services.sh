#!/usr/bin/env bash
# Checks that PostgreSQL and Redis answer on this machine and starts whichever has stopped
# (the commands of the node-svc machine: see docs/runbook.md "Local services").
# Skipped when DATABASE_URL / REDIS_URL point somewhere else.
set -euo pipefail

pg_host() { [[ -z "${DATABASE_URL:-}" || "${DATABASE_URL}" == *"127.0.0.1"* || "${DATABASE_URL}" == *"localhost"* ]]; }
redis_host() { [[ -z "${REDIS_URL:-}" || "${REDIS_URL}" == *"127.0.0.1"* || "${REDIS_URL}" == *"localhost"* ]]; }

wait_for() { # name, check command
  for _ in $(seq 1 30); do
    if eval "$2" >/dev/null 2>&1; then return 0; fi
    sleep 1
  done
  echo "ensure-services: $1 did not come up" >&2
  return 1
}

if pg_host; then
  if ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
    echo "ensure-services: starting PostgreSQL"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start
    wait_for PostgreSQL "pg_isready -h 127.0.0.1 -p 5432 -q"
  fi
fi

if redis_host; then
  if ! redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null | grep -q PONG; then
    echo "ensure-services: starting Redis"
    mkdir -p /var/lib/redis /var/log/redis
    redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
      --dir /var/lib/redis --logfile /var/log/redis/ci.log
    wait_for Redis "redis-cli -h 127.0.0.1 -p 6379 ping | grep -q PONG"
  fi
fi
