#!/usr/bin/env bash
# The fault suite of issue 14, apart from scripts/test.sh because it takes a long while (about 30–50 min on
# 2 cores) and stops the broker and the database mid-run.
#
# It never touches the machine's shared services: it starts a private RabbitMQ node and a private PostgreSQL
# cluster on loopback ports, runs tests/faults.rs against them (1,000 events per case; TUJIE_FAULTS_EVENTS and
# TUJIE_FAULTS_BODY_EVERY change that), prints a table of the figures, and removes both instances. The cases:
# a worker SIGKILLed, every event published again, RabbitMQ stopped, PostgreSQL stopped, the asset folder full
# (a small tmpfs it mounts and unmounts), a processing longer than the broker's consumer timeout (set low on the
# private node for that case only), the workspace killed while a draft is edited, and the bad-input case
# (tests/faults/bad_input.rs: bad messages among good ones, a PDF bomb and a zip-bomb DOCX from a loopback server,
# with a line per input and the worker's peak memory).
#
#   scripts/faults.sh                 # every case
#   scripts/faults.sh sigkill         # cases whose name contains "sigkill"
#   scripts/faults.sh bad_input       # the bad-input case only
#
# Needs rabbitmq-server and PostgreSQL's server binaries (Debian: apt-get install rabbitmq-server postgresql),
# and root or the rabbitmq and postgres users' rights (the instances run as those users).
set -euo pipefail
cd "$(dirname "$0")/.."
say() { printf '== %s\n' "$*" >&2; }
fail() { printf 'ERROR: %s\n' "$*" >&2; exit 1; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() { local p=$1; while port_open "$p"; do p=$((p + 1)); done; echo "$p"; }

command -v rabbitmq-server >/dev/null || fail "rabbitmq-server is not installed (Debian: apt-get install rabbitmq-server)"
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$pgbin/initdb" ] || fail "PostgreSQL server binaries not found under /usr/lib/postgresql (apt-get install postgresql)"
[ "$(id -u)" = 0 ] || fail "run as root: the private instances run as the rabbitmq and postgres users"

work=$(mktemp -d /tmp/tujie-faults.XXXXXX)
chmod 755 "$work"
amqp_port=$(free_port 5690)
dist_port=$(free_port $((amqp_port + 20000)))
pg_port=$(free_port 5450)
node="tujie-faults-$$@localhost"
as_pg() { su postgres -s /bin/sh -c "$*"; }
pg_ctl="$pgbin/pg_ctl -D $work/pg/data -l $work/pg/log -w"

cleanup() {
    say "removing the private instances"
    rabbitmqctl -n "$node" stop >/dev/null 2>&1 || true
    as_pg "$pg_ctl -m immediate stop" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

say "private RabbitMQ node $node on 127.0.0.1:$amqp_port"
mkdir -p "$work/rmq"
echo '[].' >"$work/rmq/enabled_plugins"
printf 'listeners.tcp.1 = 127.0.0.1:%s\nloopback_users = none\n' "$amqp_port" >"$work/rmq/rabbitmq.conf"
chown -R rabbitmq:rabbitmq "$work/rmq"
RABBITMQ_NODENAME="$node" RABBITMQ_NODE_PORT="$amqp_port" RABBITMQ_DIST_PORT="$dist_port" \
RABBITMQ_MNESIA_BASE="$work/rmq/mnesia" RABBITMQ_LOG_BASE="$work/rmq/log" \
RABBITMQ_ENABLED_PLUGINS_FILE="$work/rmq/enabled_plugins" RABBITMQ_CONFIG_FILE="$work/rmq/rabbitmq" \
RABBITMQ_PID_FILE="$work/rmq/pid" rabbitmq-server -detached
# The node registers with epmd a moment after -detached returns; until then await_startup fails at once.
for _ in $(seq 1 60); do rabbitmqctl -n "$node" await_startup --timeout 10 >/dev/null 2>&1 && break; sleep 2; done
rabbitmqctl -n "$node" await_startup --timeout 10 >/dev/null || fail "the private RabbitMQ node did not start (see $work/rmq/log)"

say "private PostgreSQL cluster on 127.0.0.1:$pg_port"
mkdir -p "$work/pg" && chown postgres "$work/pg"
as_pg "$pgbin/initdb -D $work/pg/data -A trust -U postgres" >/dev/null
pg_opts="-o '-p $pg_port -k $work/pg -c listen_addresses=127.0.0.1 -c max_connections=200'"
as_pg "$pg_ctl $pg_opts start" >/dev/null || fail "the private PostgreSQL did not start (see $work/pg/log)"

export TUJIE_AMQP_URL="amqp://guest:guest@127.0.0.1:$amqp_port/%2f"
export RABBITMQ_NODENAME="$node"
export TUJIE_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$pg_port/postgres"
export TUJIE_FAULTS_PG_STOP="su postgres -s /bin/sh -c \"$pg_ctl -m fast stop\""
export TUJIE_FAULTS_PG_START="su postgres -s /bin/sh -c \"$pg_ctl $pg_opts start\""

say "building"
cargo test --workspace --test faults --no-run
say "running the fault suite"
started=$(date +%s)
set +e
cargo test --workspace --test faults -- --test-threads=1 --nocapture "$@" 2>&1 | tee "$work/out.log" >&2
status=${PIPESTATUS[0]}
set -e
elapsed=$(( $(date +%s) - started ))

echo
echo "Fault suite at $(git rev-parse --short HEAD) ($(date -u +%FT%TZ)), ${TUJIE_FAULTS_EVENTS:-1000} events per case, ${elapsed} s in all:"
echo
echo "| case | published | documents | links | drafts | duplicates | lost | dead letters | drain | note |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
grep -o 'FAULTS-ROW|.*' "$work/out.log" | awk -F'|' '{ printf "|"; for (i = 2; i <= NF; i++) printf " %s |", $i; print "" }'
if grep -q 'BAD-INPUT|' "$work/out.log"; then
    echo
    echo "What became of each bad input:"
    echo
    echo "| input | outcome | reason or error |"
    echo "| --- | --- | --- |"
    grep -o 'BAD-INPUT|.*' "$work/out.log" | awk -F'|' '{ printf "|"; for (i = 2; i <= NF; i++) printf " %s |", $i; print "" }'
fi
exit "$status"
