#!/usr/bin/env bash
# Compares tujie-render's SVG→PNG path with rsvg-convert and headless Chromium on the same SVGs.
#
# Usage: bench/render_compare.sh [RUNS]   (needs: apt-get install librsvg2-bin chromium)
#
# The SVGs are the render fixtures drawn in Approved mode. All three renderers get the same fonts (the
# subset Noto Sans SC shipped in crates/render/assets/fonts): ours embeds them, rsvg-convert sees them through a
# private fontconfig file, Chromium through @font-face in an HTML page that inlines the SVG.
# ours_ms is in-process time (one renderer, fonts loaded once, as the pipeline runs it); ours_proc is a whole
# process per image, for an apples-to-apples view. Ours runs in one process with fonts loaded once (as the pipeline does) and reports per-image time including
# parse, render and PNG encoding; rsvg-convert and Chromium are timed per image as one process each, the way a
# pipeline would have to call them. Prints per-image milliseconds (median of RUNS) and ratios.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-3}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$PWD/target-render}
for tool in rsvg-convert chromium; do
  command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install librsvg2-bin chromium)" >&2; exit 1; }
done
cargo build -q --release -p tujie-render --example render_files
BIN="$CARGO_TARGET_DIR/release/examples/render_files"
FONTS="$PWD/crates/render/assets/fonts"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/svg" "$WORK/ours" "$WORK/rsvg" "$WORK/chrome" "$WORK/profile"
"$BIN" approved "$WORK/svg" crates/render/tests/fixtures/*.json >/dev/null 2>&1
rm -f "$WORK"/svg/*.png

cat >"$WORK/fonts.conf" <<XML
<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig><dir>$FONTS</dir><cachedir>$WORK/fccache</cachedir></fontconfig>
XML
export FONTCONFIG_FILE="$WORK/fonts.conf"
fc-cache -f >/dev/null 2>&1 || true

now_ms() { date +%s%N | awk '{printf "%.1f", $1/1e6}'; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

printf '%-28s %8s %9s %10s %10s %9s %11s\n' image ours_ms ours_proc rsvg_ms chrome_ms rsvg/ours chrome/ours
tot_o=0; tot_r=0; tot_c=0
for svg in "$WORK"/svg/*.svg; do
  name=$(basename "$svg" .svg)
  height=$(grep -o 'height="[0-9]*"' "$svg" | head -1 | tr -dc 0-9)
  ours=$(for _ in $(seq "$RUNS"); do "$BIN" svg2png "$WORK/ours" 1080 "$svg" 2>/dev/null | cut -f2; done | median)
  proc=$(for _ in $(seq "$RUNS"); do
    t0=$(now_ms); "$BIN" svg2png "$WORK/ours" 1080 "$svg" >/dev/null 2>&1; t1=$(now_ms)
    awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.1f\n", b-a}'
  done | median)
  rsvg=$(for _ in $(seq "$RUNS"); do
    t0=$(now_ms); rsvg-convert -w 1080 -o "$WORK/rsvg/$name.png" "$svg"; t1=$(now_ms)
    awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.1f\n", b-a}'
  done | median)
  {
    echo "<!doctype html><html><head><meta charset=utf-8><style>"
    echo "@font-face{font-family:'Noto Sans SC';font-weight:400;src:url('file://$FONTS/NotoSansSC-Regular-subset.ttf')}"
    echo "@font-face{font-family:'Noto Sans SC';font-weight:700;src:url('file://$FONTS/NotoSansSC-Bold-subset.ttf')}"
    echo "html,body{margin:0;padding:0}svg{display:block}</style></head><body>"
    cat "$svg"
    echo "</body></html>"
  } >"$WORK/$name.html"
  chrome=$(for _ in $(seq "$RUNS"); do
    t0=$(now_ms)
    chromium --headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update \
      --no-first-run --hide-scrollbars --user-data-dir="$(mktemp -d -p "$WORK/profile")" \
      --window-size="1080,$height" --screenshot="$WORK/chrome/$name.png" "file://$WORK/$name.html" >/dev/null 2>&1
    t1=$(now_ms)
    awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.1f\n", b-a}'
  done | median)
  awk -v n="$name" -v o="$ours" -v p="$proc" -v r="$rsvg" -v c="$chrome" \
    'BEGIN{printf "%-28s %8.1f %9.1f %10.1f %10.1f %8.1fx %10.1fx\n", n, o, p, r, c, r/o, c/o}'
  tot_o=$(awk -v a="$tot_o" -v b="$ours" 'BEGIN{print a+b}')
  tot_r=$(awk -v a="$tot_r" -v b="$rsvg" 'BEGIN{print a+b}')
  tot_c=$(awk -v a="$tot_c" -v b="$chrome" 'BEGIN{print a+b}')
done
awk -v o="$tot_o" -v r="$tot_r" -v c="$tot_c" \
  'BEGIN{printf "%-28s %8.1f %9s %10.1f %10.1f %8.1fx %10.1fx\n", "TOTAL", o, "", r, c, r/o, c/o}'
if [[ -n "${KEEP:-}" ]]; then mkdir -p "$KEEP"; cp -r "$WORK"/ours "$WORK"/rsvg "$WORK"/chrome "$KEEP"/; fi
