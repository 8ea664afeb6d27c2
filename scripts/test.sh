#!/usr/bin/env bash
# `make test`: the whole suite on SQLite, and the database-backed tests on PostgreSQL.
#
# The passes run at the same time (many tests wait on a browser, a server or a subprocess, so
# two cores overlap them well); their outputs are printed one after another, and the last
# lines say which pass failed.
#
# PostgreSQL: DATABASE_URL when set; otherwise a throwaway cluster from Debian's binaries
# (initdb and pg_ctl refuse root, so they run as `postgres`), on a free port, stopped after.
set -uo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
PG_TESTS=(tests/web tests/browser)
# Bytecode and pytest's rewritten test modules are cached in __pycache__ (ignored by git): an
# environment that sets PYTHONDONTWRITEBYTECODE otherwise compiles them again in each process
# (collecting the suite: 21 -> 13 s of CPU).
unset PYTHONDONTWRITEBYTECODE

data_dir="$(mktemp -d -t nofault-test-data-XXXXXX)"
cluster=""
passes=()
stop_passes() {
  for pid in "${passes[@]}"; do kill -- "-$pid" 2>/dev/null || true; done
}
cleanup() {
  stop_passes
  if [ -n "$cluster" ]; then
    "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$cluster/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$cluster"
  fi
  rm -rf "$data_dir"
  stop_brokers
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The Celery worker's tests need Redis on 127.0.0.1:6379 and RabbitMQ on 127.0.0.1:5672:
# started here (and stopped after) when nothing answers there.
answers() { "$BIN/python" -c "import socket,sys; socket.create_connection(('127.0.0.1', $1), 2)" 2>/dev/null; }
started_brokers=()
stop_brokers() {
  for broker in "${started_brokers[@]}"; do
    case "$broker" in
      redis) "$BIN/python" -c "import redis; redis.Redis(port=6379).shutdown(nosave=True)" 2>/dev/null || true ;;
      rabbitmq) rabbitmqctl stop >/dev/null 2>&1 || true ;;
    esac
  done
}
if ! answers 6379 && command -v redis-server >/dev/null; then
  redis-server --bind 127.0.0.1 --port 6379 --save "" --appendonly no --daemonize yes >/dev/null
  started_brokers+=(redis)
fi
if ! answers 5672 && command -v rabbitmq-server >/dev/null; then
  RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 rabbitmq-server -detached >/dev/null 2>&1
  for _ in $(seq 60); do answers 5672 && break; sleep 1; done
  started_brokers+=(rabbitmq)
fi

pg_url="${DATABASE_URL:-}"
as_pg=()
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
  if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
    chown postgres "$cluster"
    as_pg=(runuser -u postgres --)
  fi
  "${as_pg[@]}" "$pg_bin/initdb" -D "$cluster/data" -U postgres -A trust >/dev/null
  # Durability off: a throwaway cluster for tests only.
  "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$cluster/data" -l "$cluster/log" -w start \
    -o "-p $port -k $cluster -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" >/dev/null
  pg_url="postgres://postgres@127.0.0.1:$port/postgres"
  echo "== throwaway PostgreSQL cluster on 127.0.0.1:$port"
fi

# Three passes at the same time, each with its own NOFAULT_DATA_DIR and database: the web and
# browser tests on SQLite, the rest of the suite on SQLite, the web and browser tests on
# PostgreSQL. Each in its own process group (set -m), so an interrupted run stops all of it.
names=()
logs=()
start_pass() { # start_pass NAME COMMAND...: COMMAND in the background, its output in a log
  local log="$data_dir/pass-${#passes[@]}.log"
  set -m
  "${@:2}" >"$log" 2>&1 &
  passes+=("$!")
  set +m
  names+=("$1")
  logs+=("$log")
}
start_pass "SQLite (${PG_TESTS[*]})" env -u DATABASE_URL NOFAULT_DATA_DIR="$data_dir/sqlite-web" \
  "$BIN/python" -m pytest -q "${PG_TESTS[@]}" "$@"
start_pass "SQLite (the rest of tests/)" env -u DATABASE_URL NOFAULT_DATA_DIR="$data_dir/sqlite" \
  "$BIN/python" -m pytest -q --ignore=tests/web --ignore=tests/browser "$@"
# Run once, on SQLite: the Celery worker's tests (their worker reads a SQLite file of its own
# whatever the suite's database) and the role walk (axe and layout at two widths: what it
# checks is the pages' markup; the same pages on PostgreSQL are walked by the route walk).
start_pass "PostgreSQL (${PG_TESTS[*]})" env DATABASE_URL="$pg_url" NOFAULT_DATA_DIR="$data_dir/pg" \
  "$BIN/python" -m pytest -q "${PG_TESTS[@]}" \
  --ignore=tests/web/worker/test_celery.py --ignore=tests/browser/test_roles.py "$@"

# The first pass's output streams as it runs; each other pass's is printed whole once it ends.
failed=()
for i in "${!passes[@]}"; do
  echo "== pytest on ${names[$i]}"
  if [ "$i" -eq 0 ]; then
    tail -n +1 -f --pid="${passes[$i]}" "${logs[$i]}" 2>/dev/null
  fi
  wait "${passes[$i]}"
  status=$?
  if [ "$i" -ne 0 ]; then
    cat "${logs[$i]}"
  fi
  # 5: pytest found no test to run (arguments such as -k that select none of this pass's).
  if [ "$status" -ne 0 ] && [ "$status" -ne 5 ]; then
    failed+=("${names[$i]}: exit $status")
  fi
done
passes=()

if [ "${#failed[@]}" -eq 0 ]; then
  echo "== make test: every pass passed"
  exit 0
fi
printf '== make test FAILED in %s\n' "${failed[@]}"
exit 1
