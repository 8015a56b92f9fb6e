#!/usr/bin/env bash
# Make sure Redis (always) and PostgreSQL (for the PostgreSQL half of `make test`) answer.
set -uo pipefail
REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379/0}
redis_ok() { .venv/bin/python - "$REDIS_URL" <<'PY' 2>/dev/null
import sys, redis; redis.Redis.from_url(sys.argv[1], socket_connect_timeout=2).ping()
PY
}
if ! redis_ok; then
  if command -v redis-server >/dev/null; then
    echo "Redis is not answering at $REDIS_URL; starting a local redis-server on 127.0.0.1:6379…"
    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
      --dir /tmp --logfile /tmp/portal-redis.log
    for _ in $(seq 20); do redis_ok && break; sleep 0.25; done
  fi
  redis_ok || { echo "Redis is needed at $REDIS_URL. Install it (Debian: apt-get install redis-server) or set REDIS_URL." >&2; exit 1; }
fi
if command -v pg_isready >/dev/null && ! pg_isready -q -h 127.0.0.1 -p 5432; then
  if command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
    echo "PostgreSQL is not answering on 127.0.0.1:5432; starting the local cluster…"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
  fi
fi
exit 0
