#!/usr/bin/env bash
# The cargo-fuzz targets of fuzz/ (issue 14), each run for a bounded time, with a table of the figures.
#
#   scripts/fuzz.sh            # every target, 60 s each
#   scripts/fuzz.sh 600        # every target, 10 min each
#   scripts/fuzz.sh 120 event_parse line_layout
#
# Targets: event_parse (InboundEvent::from_slice), html_main_content (the text crate's HTML → source text),
# fact_extraction (the full extraction, with the faithfulness check on what the draft shows) and line_layout
# (the renderer's typesetting of arbitrary strings, and rasterizing the SVG it makes).
#
# Corpus: fuzz/corpus/<target>/ is committed (2,296 files, 4.5 MiB, from a 120 s run of each target on 2026-12-01,
# see README). Each run starts from it plus the seed_* files fuzz/seed.sh copies from tests/fixtures (ignored by
# fuzz/.gitignore, recreated every run); what the fuzzer adds stays there for the next run, untracked. To refresh
# the committed corpus: run this script, then for each target
#   (cd fuzz && cargo +nightly fuzz cmin --sanitizer none <target> -- -max_len=<its max_len below>)
# which keeps the smallest inputs that still reach every feature (renamed to their SHA-1); then delete the files
# identical to a seed and those over the size cap (event_parse and html_main_content 16 KiB, fact_extraction
# 8 KiB, line_layout none: its max_len is 4 KiB), so that the corpus stays under about 5 MB, and commit it.
# A crash leaves its input under fuzz/artifacts/<target>/; the table names it and the script exits 1.
# Reproduce one with: cargo +nightly fuzz run <target> <file>.
#
# Needs the nightly toolchain (rustup toolchain install nightly) and cargo-fuzz (cargo install cargo-fuzz).
# CARGO_TARGET_DIR is honoured; FUZZ_SANITIZER (default none: the workspace forbids unsafe code, so a sanitizer
# would only watch the dependencies, at a cost in speed) takes address, leak, memory or thread; FUZZ_TIMEOUT
# (default 60) is the seconds one input may take before it counts as a crash (a hang). Builds are release with
# debug assertions and overflow checks (cargo-fuzz's default).
set -euo pipefail
cd "$(dirname "$0")/.."
fail() { printf 'ERROR: %s\n' "$*" >&2; exit 2; }
say() { printf '== %s\n' "$*" >&2; }

secs=${1:-60}
[[ "$secs" =~ ^[1-9][0-9]*$ ]] || fail "SECONDS_PER_TARGET must be a positive whole number, not '$secs'"
shift || true
all=(event_parse html_main_content fact_extraction line_layout)
if [ $# -gt 0 ]; then targets=("$@"); else targets=("${all[@]}"); fi
for t in "${targets[@]}"; do
    [[ " ${all[*]} " == *" $t "* ]] || fail "unknown target '$t' (targets: ${all[*]})"
done
# Longest input per target: whole events and pages for the parsers, a screenful of text for layout.
declare -A max_len=([event_parse]=65536 [html_main_content]=65536 [fact_extraction]=32768 [line_layout]=4096)

command -v cargo >/dev/null || fail "cargo not found; install Rust from https://rustup.rs"
rustup toolchain list 2>/dev/null | grep -q '^nightly' \
    || fail "no nightly toolchain (libFuzzer needs it): rustup toolchain install nightly"
cargo +nightly fuzz --version >/dev/null 2>&1 || fail "cargo-fuzz is not installed: cargo install cargo-fuzz"

flags=(--sanitizer "${FUZZ_SANITIZER:-none}")
[ -n "${CARGO_TARGET_DIR:-}" ] && flags+=(--target-dir "$CARGO_TARGET_DIR")
say "seeds from tests/fixtures"
fuzz/seed.sh fuzz/corpus >&2
say "building the fuzz targets (release, debug assertions, sanitizer ${FUZZ_SANITIZER:-none})"
if [ ${#targets[@]} = ${#all[@]} ]; then
    cargo +nightly fuzz build "${flags[@]}" >&2 2>&1 || fail "the fuzz targets did not build"
else
    for t in "${targets[@]}"; do
        cargo +nightly fuzz build "${flags[@]}" "$t" >&2 2>&1 || fail "the fuzz target $t did not build"
    done
fi

logs=$(mktemp -d /tmp/tujie-fuzz.XXXXXX)
rows=()
crashed=0
for t in "${targets[@]}"; do
    say "$t for ${secs}s"
    log="$logs/$t.log"
    start=$(date +%s)
    status=0
    cargo +nightly fuzz run "${flags[@]}" "$t" "fuzz/corpus/$t" -- \
        -max_total_time="$secs" -max_len="${max_len[$t]}" -timeout="${FUZZ_TIMEOUT:-60}" \
        -print_final_stats=1 >"$log" 2>&1 || status=$?
    took=$(( $(date +%s) - start ))
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1 || true)
    [ -n "$runs" ] || runs=$(grep -oE '^#[0-9]+' "$log" | tail -n 1 | tr -d '#' || true)
    cov=$(grep -oE 'cov: [0-9]+ ft: [0-9]+' "$log" | tail -n 1 | sed 's/cov: //; s/ ft: /\//' || true)
    corp=$(grep -oE 'corp: [0-9]+' "$log" | tail -n 1 | sed 's/corp: //' || true)
    artifact=$(grep -oE 'Test unit written to [^ ]+' "$log" | tail -n 1 | sed 's/Test unit written to //' || true)
    crashes=0
    if [ "$status" != 0 ] || [ -n "$artifact" ]; then
        crashes=1
        crashed=1
        tail -n 40 "$log" >&2
        [ -n "$artifact" ] || artifact="(no input saved; see $log)"
    fi
    rows+=("$(printf '%-18s %12s %8s %12s %8s %8s  %s' "$t" "${runs:-?}" "$took" "${cov:-?}" "${corp:-?}" "$crashes" "$artifact")")
done

printf '\n%-18s %12s %8s %12s %8s %8s  %s\n' target runs seconds "cov/features" corpus crashes "crash input"
printf '%s\n' "${rows[@]}"
printf 'logs: %s\n' "$logs"
if [ "$crashed" != 0 ]; then
    printf 'CRASH: reproduce with cargo +nightly fuzz run <target> <crash input> (add %s)\n' "${flags[*]}" >&2
    exit 1
fi
