#!/usr/bin/env python3
"""Rebuild the subset Noto Sans SC fonts shipped with tujie-render.

Why a subset: the full Noto Sans SC TTFs are ~10.5 MB per weight; the subset keeps GB 2312 (6763 hanzi, the set
every county website's text already lives in), ASCII/Latin-1, CJK and full-width punctuation, common symbols and
every character of the dev fixture documents, at about 2-3 MB per weight. Characters outside it are reported by
the renderer as missing glyphs, never drawn as boxes.

Source: npm package @expo-google-fonts/noto-sans-sc@0.4.3 (Google Fonts' static Noto Sans SC, SIL OFL 1.1):
    npm pack @expo-google-fonts/noto-sans-sc@0.4.3 && tar xzf expo-google-fonts-noto-sans-sc-0.4.3.tgz
    pip install fonttools
    python3 crates/render/assets/fonts/subset.py package/ tests/fixtures/dev/docs crates/render/tests/fixtures
"""
import glob
import os
import subprocess
import sys

src_dir = sys.argv[1]
text_dirs = sys.argv[2:]
out_dir = os.path.dirname(os.path.abspath(__file__))

chars = set()
# GB 2312: rows 0xA1-0xF7, cells 0xA1-0xFE.
for hi in range(0xA1, 0xF8):
    for lo in range(0xA1, 0xFF):
        try:
            chars.add(bytes([hi, lo]).decode("gb2312"))
        except UnicodeDecodeError:
            pass
ranges = [
    (0x20, 0x7E), (0xA0, 0xFF),  # ASCII, Latin-1
    (0x2010, 0x2027), (0x2030, 0x203B),  # dashes, quotes, ellipsis, per mille
    (0x2100, 0x2122), (0x2150, 0x218F),  # letterlike (℃ №), number forms (Ⅰ Ⅱ)
    (0x2190, 0x2199), (0x2212, 0x2212), (0x2460, 0x24FF),  # arrows, minus, ① ⑴ ⒈
    (0x25A0, 0x25CF), (0x2605, 0x2606), (0x2713, 0x2714),  # ■ □ ▲ ● ○ ★ ✓
    (0x3000, 0x303F), (0x3220, 0x3243), (0x3380, 0x33DF),  # CJK punctuation, ㈠, ㎡ ㎏
    (0xFE30, 0xFE4F), (0xFF01, 0xFF65), (0xFFE0, 0xFFE6),  # full-width forms, ￥
]
for a, b in ranges:
    chars.update(chr(c) for c in range(a, b + 1))
for d in text_dirs:
    for path in glob.glob(os.path.join(d, "**", "*.*"), recursive=True):
        if path.endswith((".txt", ".json", ".jsonl", ".md")):
            with open(path, encoding="utf-8", errors="ignore") as f:
                chars.update(f.read())
chars = {c for c in chars if c.isprintable() or c == "\u3000"}
with open(os.path.join(out_dir, "subset-chars.txt"), "w", encoding="utf-8") as f:
    f.write("".join(sorted(chars)))

for weight in ["400Regular", "700Bold"]:
    src = os.path.join(src_dir, weight, f"NotoSansSC_{weight}.ttf")
    out = os.path.join(out_dir, f"NotoSansSC-{weight[3:]}-subset.ttf")
    subprocess.run(
        ["pyftsubset", src, f"--text-file={os.path.join(out_dir, 'subset-chars.txt')}", f"--output-file={out}",
         "--no-hinting", "--desubroutinize", "--layout-features=*", "--name-IDs=*", "--name-languages=*",
         "--notdef-outline", "--drop-tables+=DSIG"],
        check=True,
    )
    print(out, os.path.getsize(out))
