#!/usr/bin/env bash
# The whole test suite: formatting, lints and every test, against the real PostgreSQL and RabbitMQ.
#
# Starts PostgreSQL and RabbitMQ when they are installed but stopped; says exactly what is missing otherwise.
# Point tests elsewhere with TUJIE_TEST_POSTGRES_URL (a server where the user may CREATE DATABASE) and
# TUJIE_AMQP_URL. The S3 asset-store tests get a moto S3-API server started here on a free loopback port (its URL
# in TUJIE_TEST_S3_URL, stopped on exit); set TUJIE_TEST_S3_URL to use another S3-API server instead.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '== %s\n' "$*" >&2; }
fail() { printf 'ERROR: %s\n' "$*" >&2; exit 1; }

port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

wait_port() { # host port seconds
    for _ in $(seq 1 "$3"); do port_open "$1" "$2" && return 0; sleep 1; done
    return 1
}

ensure_postgres() {
    if [ -n "${TUJIE_TEST_POSTGRES_URL:-}" ]; then say "PostgreSQL: using TUJIE_TEST_POSTGRES_URL"; return; fi
    if port_open 127.0.0.1 5432; then say "PostgreSQL is up on 127.0.0.1:5432"; return; fi
    if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
        local version
        version=$(ls /etc/postgresql | head -n 1)
        say "starting PostgreSQL $version"
        pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
        wait_port 127.0.0.1 5432 30 || fail "PostgreSQL did not come up on 127.0.0.1:5432 (see /var/log/postgresql)"
    else
        fail "PostgreSQL is not running on 127.0.0.1:5432 and is not installed here.
Install it (Debian: apt-get install postgresql) and start it with:
  pg_ctlcluster --skip-systemctl-redirect \$(ls /etc/postgresql) main start
or set TUJIE_TEST_POSTGRES_URL=postgres://user@host:port/postgres (a user allowed to CREATE DATABASE)."
    fi
}

ensure_rabbitmq() {
    if [ -n "${TUJIE_AMQP_URL:-}" ]; then say "RabbitMQ: using TUJIE_AMQP_URL"; return; fi
    if port_open 127.0.0.1 5672; then say "RabbitMQ is up on 127.0.0.1:5672"; return; fi
    if command -v rabbitmq-server >/dev/null 2>&1; then
        say "starting RabbitMQ"
        rabbitmq-server -detached || true
        wait_port 127.0.0.1 5672 90 || fail "RabbitMQ did not come up on 127.0.0.1:5672 (see /var/log/rabbitmq)"
        if command -v rabbitmqctl >/dev/null 2>&1; then rabbitmqctl -q await_startup >/dev/null 2>&1 || true; fi
    else
        fail "RabbitMQ is not running on 127.0.0.1:5672 and is not installed here.
Install it (Debian: apt-get install rabbitmq-server) and start it with:
  rabbitmq-server -detached
or set TUJIE_AMQP_URL=amqp://user:pass@host:5672/%2f"
    fi
}

ensure_chromium() {
    # The browser test (crates/review/tests/browser.rs) drives headless Chromium through chromedriver.
    if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; then
        say "Chromium and chromedriver are installed"; return
    fi
    if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
        say "installing chromium and chromium-driver for the browser test"
        if ! apt-get install -y chromium chromium-driver >&2; then
            { apt-get update >&2 && apt-get install -y chromium chromium-driver >&2; } \
                || fail "could not install chromium and chromium-driver"
        fi
    else
        fail "the browser test needs Chromium and its WebDriver, which are not installed.
Install them (Debian: apt-get install -y chromium chromium-driver) and run this script again."
    fi
}

ensure_media_tools() {
    # The 音视频解读 tests run the real speech engine and encoder (tests/video.rs, crates/media/tests).
    local missing=()
    command -v espeak-ng >/dev/null 2>&1 || missing+=(espeak-ng)
    command -v ffmpeg >/dev/null 2>&1 && command -v ffprobe >/dev/null 2>&1 || missing+=(ffmpeg)
    [ ${#missing[@]} -eq 0 ] && { say "espeak-ng and ffmpeg are installed"; return; }
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        say "installing ${missing[*]} (apt-get)"
        DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}" >/dev/null \
            || fail "could not install ${missing[*]}; run: apt-get update && apt-get install -y ${missing[*]}"
    else
        fail "${missing[*]} not installed; the video tests need them. Install (Debian): sudo apt-get install -y ${missing[*]}"
    fi
}

ensure_s3() {
    if [ -n "${TUJIE_TEST_S3_URL:-}" ]; then say "S3: using TUJIE_TEST_S3_URL"; return; fi
    if ! python3 -c 'import moto.server' >/dev/null 2>&1; then
        say "installing moto's S3 server (pip install 'moto[server]')"
        python3 -m pip install --quiet 'moto[server]' >&2 \
            || fail "the S3 asset-store tests need moto's server; install it with: python3 -m pip install 'moto[server]'"
    fi
    local log
    log=$(mktemp)
    python3 -m moto.server -H 127.0.0.1 -p 0 >"$log" 2>&1 &
    MOTO_PID=$!
    # shellcheck disable=SC2064 # reason: expand now; both are gone by the time the shell exits
    trap "kill $MOTO_PID 2>/dev/null || true; rm -f '$log'" EXIT
    for _ in $(seq 1 30); do
        TUJIE_TEST_S3_URL=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$log" | head -n 1 || true)
        [ -n "$TUJIE_TEST_S3_URL" ] && break
        sleep 1
    done
    [ -n "$TUJIE_TEST_S3_URL" ] || fail "moto's S3 server did not start: $(cat "$log")"
    export TUJIE_TEST_S3_URL
    say "moto S3 server on $TUJIE_TEST_S3_URL"
}

command -v cargo >/dev/null 2>&1 || fail "cargo is not installed; install the Rust toolchain from https://rustup.rs"
ensure_media_tools
ensure_postgres
ensure_rabbitmq
ensure_chromium
ensure_s3

ensure_cargo_deny() {
    if command -v cargo-deny >/dev/null 2>&1; then say "cargo-deny is installed"; return; fi
    say "installing cargo-deny (cargo install --locked cargo-deny; a few minutes, once)"
    cargo install --locked cargo-deny || fail "cannot install cargo-deny; install it with: cargo install --locked cargo-deny"
}
ensure_cargo_deny

say "cargo fmt --check"
cargo fmt --all -- --check
# Licences, banned and duplicate crates, sources (deny.toml says why each exception is there).
say "cargo deny check licenses bans sources"
deny_log=$(mktemp)
if ! cargo deny --locked check licenses bans sources >"$deny_log" 2>&1; then
    cat "$deny_log"
    fail "cargo deny found a problem (above)"
fi
say "cargo deny: $(tail -n 1 "$deny_log") ($(grep -c '^warning\[duplicate\]' "$deny_log") crates in two versions, warned)"
rm -f "$deny_log"

# Security advisories, against a local copy of RustSec's advisory database; never fetched here (cargo deny --offline;
# the crates themselves were fetched by the check above). The copy is TUJIE_ADVISORY_DB (a git clone of
# https://github.com/RustSec/advisory-db), else the one cargo-deny keeps in $CARGO_HOME/advisory-dbs (what
# `cargo deny fetch db` leaves behind). Without one, or when cargo-deny cannot open it (it calls a copy stale 90 days
# after it was last fetched or cloned), one line says so and the suite goes on; an advisory not ignored in deny.toml
# fails it.
check_advisories() {
    local get="git clone https://github.com/RustSec/advisory-db <dir> and set TUJIE_ADVISORY_DB=<dir>, or run \
\`cargo deny fetch db\` where GitHub is reachable"
    local db root log snapshot age
    if [ -n "${TUJIE_ADVISORY_DB:-}" ]; then
        db=$TUJIE_ADVISORY_DB
        if [ ! -d "$db/crates" ]; then
            say "advisories not checked: TUJIE_ADVISORY_DB=$db is no RustSec database (no crates/ in it; $get)"
            return 0
        fi
    else
        db=$(find "${CARGO_HOME:-$HOME/.cargo}/advisory-dbs" -mindepth 2 -maxdepth 2 -path '*/advisory-db-*/crates' \
            -type d 2>/dev/null | sort | head -n 1 || true)
        if [ -z "$db" ]; then
            say "advisories not checked: no local RustSec database ($get)"
            return 0
        fi
        db=${db%/crates}
    fi
    db=$(cd "$db" && pwd)
    snapshot=$(git -C "$db" log -1 --format='%h of %cs' 2>/dev/null || echo "of unknown date, not a git clone")
    age=$(git -C "$db" log -1 --format=%ct 2>/dev/null || true)
    [ -z "$age" ] || age=$(( ($(date +%s) - age) / 86400 ))
    # cargo-deny opens <db-path>/advisory-db-<hash of the URL>; 3157b0e258782691 is the hash of its default URL
    # (`cargo deny -L debug --offline check advisories` prints the path it opens). A temporary db-path holding a
    # link under that name, and a copy of deny.toml naming it, leave $CARGO_HOME alone.
    root=$(mktemp -d)
    ln -s "$db" "$root/advisory-db-3157b0e258782691"
    sed "/^\[advisories\]/a db-path = \"$root\"" deny.toml >"$root/deny.toml"
    log="$root/advisories.log"
    say "cargo deny --offline check advisories (RustSec database $snapshot, $db)"
    if cargo deny --offline --locked --config "$root/deny.toml" check advisories >"$log" 2>&1; then
        ! grep -q '^warning\[' "$log" || cat "$log"
        say "cargo deny: $(tail -n 1 "$log") (RustSec database $snapshot${age:+, $age days old})"
        [ "${age:-0}" -le 90 ] || say "the RustSec database is $age days old; update it: git -C $db pull"
    elif ! grep -q '^[a-z]*\[' "$log" && grep -qiE 'advisory database|FETCH_HEAD|HEAD timestamp|stale' "$log"; then
        say "advisories not checked: cargo-deny could not use the RustSec database in $db: \
$(grep -m 1 -E '\[ERROR\]' "$log" | sed 's/^.*\[ERROR\] //') ($get)"
    else
        cat "$log"
        rm -rf "$root"
        fail "cargo deny check advisories failed (above): upgrade the crate, or ignore it in deny.toml with a reason"
    fi
    rm -rf "$root"
}
check_advisories
say "cargo clippy -D warnings"
cargo clippy --workspace --all-targets -- -D warnings
say "cargo test"
# Test binaries run one after another (tests inside a binary run in parallel); the broker-restart tests rely on
# that, each living in a binary of its own.
cargo test --workspace
say "all checks passed"
