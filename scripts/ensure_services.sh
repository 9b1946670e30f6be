#!/usr/bin/env bash
# make test: the machine's PostgreSQL (127.0.0.1:5432) and Redis (127.0.0.1:6379) must answer.
# Start them when they are installed here but stopped; otherwise fail with one clear line.
set -u
if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  if command -v pg_ctlcluster >/dev/null && ls /etc/postgresql >/dev/null 2>&1; then
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start
    for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 0.5; done
  fi
fi
pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null || {
  echo "error: PostgreSQL is not running on 127.0.0.1:5432 (install it: apt-get install postgresql, trust auth for 127.0.0.1)" >&2; exit 1; }
if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  if command -v redis-server >/dev/null; then
    redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no >/dev/null
    for _ in $(seq 1 30); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 0.2; done
  fi
fi
redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 || {
  echo "error: Redis is not running on 127.0.0.1:6379 (install it: apt-get install redis-server)" >&2; exit 1; }
