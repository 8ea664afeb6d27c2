#!/usr/bin/env bash
# `make test`: the whole suite on SQLite, then the database-backed tests on PostgreSQL.
#
# PostgreSQL: DATABASE_URL when set; otherwise a throwaway cluster from Debian's binaries
# (initdb and pg_ctl refuse root, so they run as `postgres`), on a free port, stopped after.
set -uo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
PG_TESTS=(tests/web tests/browser)
status=0

data_dir="$(mktemp -d -t nofault-test-data-XXXXXX)"
cleanup() { rm -rf "$data_dir"; stop_brokers; }
trap cleanup EXIT

# The Celery worker's tests need Redis on 127.0.0.1:6379 and RabbitMQ on 127.0.0.1:5672:
# started here (and stopped after) when nothing answers there.
answers() { "$BIN/python" -c "import socket,sys; socket.create_connection(('127.0.0.1', $1), 2)" 2>/dev/null; }
started_brokers=()
if ! answers 6379 && command -v redis-server >/dev/null; then
  redis-server --bind 127.0.0.1 --port 6379 --save "" --appendonly no --daemonize yes >/dev/null
  started_brokers+=(redis)
fi
if ! answers 5672 && command -v rabbitmq-server >/dev/null; then
  RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 rabbitmq-server -detached >/dev/null 2>&1
  for _ in $(seq 60); do answers 5672 && break; sleep 1; done
  started_brokers+=(rabbitmq)
fi
stop_brokers() {
  for broker in "${started_brokers[@]}"; do
    case "$broker" in
      redis) "$BIN/python" -c "import redis; redis.Redis(port=6379).shutdown(nosave=True)" 2>/dev/null || true ;;
      rabbitmq) rabbitmqctl stop >/dev/null 2>&1 || true ;;
    esac
  done
}

echo "== pytest on SQLite"
env -u DATABASE_URL NOFAULT_DATA_DIR="$data_dir/sqlite" "$BIN/python" -m pytest -q "$@" || status=$?

pg_url="${DATABASE_URL:-}"
if [ -z "$pg_url" ]; then
  pg_bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)"
  if [ -z "$pg_bin" ]; then
    bash scripts/system-packages.sh postgresql
    pg_bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)"
  fi
  if [ -z "$pg_bin" ]; then
    echo "error: no PostgreSQL binaries and none could be installed" >&2
    exit 1
  fi
  cluster="$(mktemp -d -t nofault-pg-XXXXXX)"
  port="$("$BIN/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  as_pg=()
  if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
    chown postgres "$cluster"
    as_pg=(runuser -u postgres --)
  fi
  stop_cluster() {
    "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$cluster/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$cluster" "$data_dir"
    stop_brokers
  }
  trap stop_cluster EXIT
  "${as_pg[@]}" "$pg_bin/initdb" -D "$cluster/data" -U postgres -A trust >/dev/null
  # Durability off: a throwaway cluster for tests only.
  "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$cluster/data" -l "$cluster/log" -w start \
    -o "-p $port -k $cluster -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" >/dev/null
  pg_url="postgres://postgres@127.0.0.1:$port/postgres"
  echo "== throwaway PostgreSQL cluster on 127.0.0.1:$port"
fi

echo "== pytest on PostgreSQL (${PG_TESTS[*]})"
# Run once, on the SQLite pass: the Celery worker's tests (their worker reads a SQLite file of
# its own whatever the suite's database) and the role walk (axe and layout at two widths: what
# it checks is the pages' markup; the same pages on PostgreSQL are walked by the route walk).
DATABASE_URL="$pg_url" NOFAULT_DATA_DIR="$data_dir/pg" "$BIN/python" -m pytest -q "${PG_TESTS[@]}" \
  --ignore=tests/web/worker/test_celery.py --ignore=tests/browser/test_roles.py "$@" || status=$?
exit "$status"
