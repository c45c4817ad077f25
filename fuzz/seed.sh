#!/usr/bin/env bash
# Copies seed inputs from tests/fixtures into fuzz/corpus/<target>/ as seed_* files, at run time (fuzz/.gitignore
# keeps them out of git; the minimized corpus committed beside them holds what earlier runs found, see
# scripts/fuzz.sh):
# - event_parse: every line of every JSON Lines fixture (events, and other JSON records as near misses);
# - html_main_content: the fixture HTML pages;
# - fact_extraction: the fixture documents, plain text and HTML;
# - line_layout: the first 4 KiB of each plain-text document (its lines become title, bullets, figures, ...).
# Existing corpus files are kept, so the committed corpus and what the fuzzer found earlier are reused.
# Usage: fuzz/seed.sh [CORPUS_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${1:-fuzz/corpus}
mkdir -p "$corpus"/{event_parse,html_main_content,fact_extraction,line_layout}

n=0
while IFS= read -r f; do
    stem=$(echo "${f#tests/fixtures/}" | tr '/' '_')
    awk -v out="$corpus/event_parse/seed_${stem%.jsonl}_" '{ f = out NR; if ((getline _ < f) < 0) { printf "%s", $0 > f; close(f) } }' "$f"
    n=$((n + 1))
done < <(find tests/fixtures -name '*.jsonl' | sort)

seed() { # seed TARGET FILE [BYTES]
    local dest="$corpus/$1/seed_$(echo "${2#tests/fixtures/}" | tr '/' '_')"
    [ -e "$dest" ] && return 0
    if [ -n "${3:-}" ]; then head -c "$3" "$2" >"$dest"; else cp "$2" "$dest"; fi
}
while IFS= read -r f; do
    seed html_main_content "$f"
    seed fact_extraction "$f"
done < <(find tests/fixtures -name '*.html' | sort)
while IFS= read -r f; do
    seed fact_extraction "$f"
    seed line_layout "$f" 4096
done < <(find tests/fixtures -path '*/docs/*.txt' | sort)

for t in event_parse html_main_content fact_extraction line_layout; do
    printf '%s: %s seed files\n' "$t" "$(find "$corpus/$t" -type f | wc -l)"
done
