#!/usr/bin/env bash
# Pipeline throughput and latency through the real broker and PostgreSQL, compared with rendering alone.
#
#   bench/pipeline_throughput.sh            # from the repository root; N=2000 events by default
#   N=500 WORKERS="1 2" bench/pipeline_throughput.sh
#   ASSETS=database WORKERS=1 bench/pipeline_throughput.sh   # PNGs inline in PostgreSQL rows instead of files
#
# What it does (release build, `cargo build --release`; honours CARGO_TARGET_DIR):
#  1. Generates N policy events with body text from the 7 lines of tests/fixtures/dev/doc_events.jsonl, each with
#     a new event_id and document.id, so every event yields its own draft.
#  2. For each worker count in WORKERS (default "1 2"): a fresh PostgreSQL database and a fresh queue prefix;
#     starts that many `tujie worker --until-idle 5` processes (default settings: prefetch 50, concurrency 4),
#     with draft PNGs in a fresh shared folder (ASSETS=directory, the default; the production setting with
#     PostgreSQL) or inline in the rows (ASSETS=database), waits until each is consuming,
#     then runs `tujie publish` of the N events and polls
#     `SELECT COUNT(*) FROM drafts` every POLL_MS (default 250) ms until all N drafts are stored.
#  3. Drafts alone: `draft_many` (crates/pipeline/examples) does what `tujie draft` does per policy (extract the
#     text, render SVG, PNG and preview) N times over the same documents, on as many threads as the machine has
#     cores, with one shared renderer: no broker, no database, no matching. This is the issue's baseline. It also
#     reports rendering alone (content extracted once up front), the stricter comparison.
#  4. Pipeline without a broker: `tujie ingest` of the same N events into SQLite (one event at a time).
#
# How the figures are measured, and their resolution:
#  - Throughput = N / (time the N-th draft was seen stored - time `tujie publish` started). Worker start-up
#    (font loading, migrations) is outside the window; publishing is inside it (it overlaps processing).
#  - Latency of event k = time the stored-draft count first reached k - publish time of event k. Publish times
#    are interpolated linearly over the `tujie publish` run (one pipelined publish of all N lines), and drafts
#    are assumed to complete in publish order (one FIFO queue; a few overtake each other with concurrency 4, which
#    the count cannot see). The count is sampled every POLL_MS, so each latency is late by at most POLL_MS plus
#    one `psql` round trip. drafts.created_at and processed_events.processed_at are not used: they have 1 s
#    resolution. Because all N events are published at once, this is backlog latency: p50 is about half the
#    drain time. It says how long an editor waits behind a burst, not how long one event takes on an idle system.
#  - Ratio = broker pipeline throughput / drafts-alone throughput, on the same cores (and, second, / render only).
#  - The poller starts one `psql` per sample; at the default 250 ms that costs about 1% of the machine, which
#    the pipeline's figure carries and the baselines do not.
#
# Needs: PostgreSQL (TUJIE_TEST_POSTGRES_URL, default postgres://postgres@127.0.0.1:5432/postgres, a user that may
# CREATE DATABASE), RabbitMQ (TUJIE_AMQP_URL, default guest/guest on 127.0.0.1:5672), psql, python3, rabbitmqctl
# (cleanup). Everything it creates (databases, queues, exchanges, a temporary folder) is removed at exit.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
N=${N:-2000}
WORKERS=${WORKERS:-"1 2"}
POLL_MS=${POLL_MS:-250}
POLL_S=$(python3 -c "print($POLL_MS / 1000)")
ASSETS=${ASSETS:-directory}
CORES=$(nproc)
PG_ADMIN=${TUJIE_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}
AMQP_URL=${TUJIE_AMQP_URL:-amqp://guest:guest@127.0.0.1:5672/%2f}
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
BIN=$TARGET/release/tujie
DRAFT_MANY=$TARGET/release/examples/draft_many
WORK=$(mktemp -d -t tujie-bench.XXXXXX)
RUN_ID="$$"

psql_admin() { psql "$PG_ADMIN" -v ON_ERROR_STOP=1 -qAtc "$1"; }

CREATED_DBS=()
CREATED_PREFIXES=()
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    for db in "${CREATED_DBS[@]}"; do psql_admin "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true; done
    for prefix in "${CREATED_PREFIXES[@]}"; do
        for q in input dead retry.1 retry.2 retry.3; do
            rabbitmqctl -q delete_queue "$prefix.$q" >/dev/null 2>&1 || true
        done
        for x in events dlx; do
            rabbitmqctl -q eval "rabbit_exchange:delete(rabbit_misc:r(<<\"/\">>, exchange, <<\"$prefix.$x\">>), false, <<\"bench\">>)." \
                >/dev/null 2>&1 || true
        done
    done
    rm -rf "$WORK"
}
trap cleanup EXIT

psql_admin "SELECT 1" >/dev/null || {
    echo "PostgreSQL unreachable at $PG_ADMIN; start it: pg_ctlcluster --skip-systemctl-redirect \$(ls /etc/postgresql) main start" >&2
    exit 1
}
rabbitmqctl -q status >/dev/null 2>&1 || { echo "RabbitMQ is not running; start it: rabbitmq-server -detached" >&2; exit 1; }

echo "== building (release)" >&2
cargo build --release -q -p tujie
cargo build --release -q -p tujie-pipeline --example draft_many

echo "== generating $N policy events" >&2
python3 - "$ROOT/tests/fixtures/dev/doc_events.jsonl" "$N" "$WORK/events.jsonl" <<'PY'
import json, sys
base = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8") if l.strip()]
n = int(sys.argv[2])
with open(sys.argv[3], "w", encoding="utf-8") as out:
    for i in range(n):
        e = json.loads(json.dumps(base[i % len(base)]))
        e["event_id"] = f"e-bench-{i}"
        e["document"]["id"] = f"d-bench-{i}"
        out.write(json.dumps(e, ensure_ascii=False) + "\n")
PY

now() { date +%s.%N; }

# The environment of one broker run: own database, own prefix, defaults otherwise (run from $WORK, so no
# pipeline.toml is read), metrics server off.
run_env() {
    env -u TUJIE_CONFIG TUJIE_DATABASE_URL="$1" TUJIE_AMQP_URL="$AMQP_URL" TUJIE__AMQP__PREFIX="$2" \
        TUJIE__AMQP__METRICS_ADDR="" "${@:3}"
}

# broker_run WORKERS -> prints "throughput p50 p99 drain_secs publish_secs"
broker_run() {
    local workers=$1
    local db="tujie_bench_${RUN_ID}_${workers}w"
    local prefix="tujie-bench-${RUN_ID}-${workers}w"
    local url="${PG_ADMIN%/*}/$db"
    local dir="$WORK/run-$workers"
    mkdir -p "$dir"
    psql_admin "CREATE DATABASE $db" >/dev/null
    CREATED_DBS+=("$db")
    CREATED_PREFIXES+=("$prefix")
    (cd "$dir" && run_env "$url" "$prefix" "$BIN" migrate 2>/dev/null)
    # Declares the topology, so the input queue exists before anything is published.
    : >"$dir/empty.jsonl"
    (cd "$dir" && run_env "$url" "$prefix" "$BIN" publish "$dir/empty.jsonl" 2>/dev/null)

    local pids=()
    for w in $(seq 1 "$workers"); do
        (cd "$dir" && exec env -u TUJIE_CONFIG TUJIE_DATABASE_URL="$url" TUJIE_AMQP_URL="$AMQP_URL" \
            TUJIE__AMQP__PREFIX="$prefix" TUJIE__AMQP__METRICS_ADDR="" TUJIE__DATABASE__ASSET_STORE="$ASSETS" \
            TUJIE__DATABASE__ASSET_DIR="$dir/assets" "$BIN" worker --until-idle 5) \
            2>"$dir/worker-$w.log" &
        pids+=("$!")
        PIDS+=("$!")
    done
    for w in $(seq 1 "$workers"); do
        for _ in $(seq 1 300); do
            grep -q "consuming" "$dir/worker-$w.log" 2>/dev/null && break
            sleep 0.1
        done
        grep -q "consuming" "$dir/worker-$w.log" || { echo "worker $w never started:" >&2; cat "$dir/worker-$w.log" >&2; exit 1; }
    done

    local t_pub_start t_pub_end
    t_pub_start=$(now)
    (cd "$dir" && run_env "$url" "$prefix" "$BIN" publish "$WORK/events.jsonl" 2>"$dir/publish.log")
    t_pub_end=$(now)

    : >"$dir/samples"
    local count=0 deadline
    deadline=$(( $(date +%s) + 3600 ))
    while :; do
        count=$(psql "$url" -qAtc "SELECT COUNT(*) FROM drafts")
        echo "$(now) $count" >>"$dir/samples"
        [ "$count" -ge "$N" ] && break
        if [ "$(date +%s)" -gt "$deadline" ]; then echo "timed out with $count of $N drafts" >&2; exit 1; fi
        local alive=0
        for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
        if [ "$alive" = 0 ]; then
            count=$(psql "$url" -qAtc "SELECT COUNT(*) FROM drafts")
            echo "$(now) $count" >>"$dir/samples"
            [ "$count" -ge "$N" ] && break
            echo "workers exited with $count of $N drafts stored:" >&2; tail -n 5 "$dir"/worker-*.log >&2; exit 1
        fi
        sleep "$POLL_S"
    done
    for pid in "${pids[@]}"; do
        wait "$pid" || { echo "a worker failed:" >&2; tail -n 20 "$dir"/worker-*.log >&2; exit 1; }
    done
    local distinct processed
    distinct=$(psql "$url" -qAtc "SELECT COUNT(DISTINCT policy_id) FROM drafts")
    processed=$(psql "$url" -qAtc "SELECT COUNT(*) FROM processed_events")
    if [ "$distinct" != "$N" ] || [ "$processed" != "$N" ]; then
        echo "expected $N drafts and events, got $distinct distinct drafts and $processed processed events" >&2
        exit 1
    fi
    python3 - "$dir/samples" "$N" "$t_pub_start" "$t_pub_end" <<'PY'
import sys
samples = [tuple(map(float, l.split())) for l in open(sys.argv[1]) if l.strip()]
n, t0, t1 = int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
seen = []  # seen[k-1] = first sample time at which at least k drafts were stored
for t, c in samples:
    while len(seen) < min(int(c), n):
        seen.append(t)
lat = sorted(seen[k] - (t0 + (t1 - t0) * k / max(n - 1, 1)) for k in range(n))
pct = lambda p: lat[min(n - 1, int(round(p / 100 * (n - 1))))]
done = seen[-1]
print(f"{n / (done - t0):.2f} {pct(50):.2f} {pct(99):.2f} {done - t0:.1f} {t1 - t0:.2f}")
PY
}

declare -A TPUT P50 P99 DRAIN PUB
for w in $WORKERS; do
    echo "== broker pipeline, $w worker process(es)" >&2
    broker_run "$w" >"$WORK/result-$w" # not in a subshell: cleanup must learn what it created
    read -r TPUT[$w] P50[$w] P99[$w] DRAIN[$w] PUB[$w] <"$WORK/result-$w"
done

echo "== drafts alone ($CORES threads): extract + render, as tujie draft; and render only" >&2
mkdir -p "$WORK/content"
python3 - "$ROOT/tests/fixtures/dev/doc_events.jsonl" "$WORK/content" <<'PY'
import json, sys
for i, line in enumerate(l for l in open(sys.argv[1], encoding="utf-8") if l.strip()):
    open(f"{sys.argv[2]}/event-{i}.json", "w", encoding="utf-8").write(line)
PY
EVENT_FILES=$(find "$WORK/content" -name 'event-*.json' | sort)
DRAFT_LINE=$("$DRAFT_MANY" "$N" "$CORES" $EVENT_FILES)
RENDER=$(sed -E 's/.*per_sec=([0-9.]+).*/\1/' <<<"$DRAFT_LINE")
RENDER_ONLY_LINE=$("$DRAFT_MANY" "$N" "$CORES" --render-only $EVENT_FILES)
RENDER_ONLY=$(sed -E 's/.*per_sec=([0-9.]+).*/\1/' <<<"$RENDER_ONLY_LINE")

echo "== pipeline without broker: tujie ingest into SQLite" >&2
t=$(now)
(cd "$WORK" && env -u TUJIE_CONFIG TUJIE_DATABASE_URL="sqlite://$WORK/ingest.db" "$BIN" ingest "$WORK/events.jsonl" 2>"$WORK/ingest.log")
INGEST=$(python3 -c "print(f'{$N / ($(now) - $t):.2f}')")

echo
echo "tujie pipeline throughput: N=$N policy events with body text, $CORES cores, $(git rev-parse --short HEAD)"
printf '%-52s %10s %9s %9s %9s\n' "run" "events/s" "p50 s" "p99 s" "total s"
for w in $WORKERS; do
    printf '%-52s %10s %9s %9s %9s\n' "broker + PostgreSQL ($ASSETS PNGs), $w worker(s)" "${TPUT[$w]}" "${P50[$w]}" "${P99[$w]}" "${DRAIN[$w]}"
done
printf '%-52s %10s %9s %9s %9s\n' "tujie ingest, SQLite, no broker (sequential)" "$INGEST" "-" "-" "-"
printf '%-52s %10s %9s %9s %9s\n' "tujie draft's work alone, $CORES threads" "$RENDER" "-" "-" "-"
printf '%-52s %10s %9s %9s %9s\n' "render only, $CORES threads (pre-extracted)" "$RENDER_ONLY" "-" "-" "-"
echo
for w in $WORKERS; do
    python3 -c "print(f'ratio pipeline / tujie draft alone, $w worker(s): {100 * ${TPUT[$w]} / $RENDER:.0f}% (target >= 80%); pipeline / render only: {100 * ${TPUT[$w]} / $RENDER_ONLY:.0f}%; publish of $N took ${PUB[$w]} s')"
done
echo "latency = publish (interpolated) -> draft row visible, sampled every ${POLL_MS} ms; backlog of $N published at once"
