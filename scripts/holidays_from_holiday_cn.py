#!/usr/bin/env python3
"""Regenerates crates/report/data/cn-calendar.txt from a checkout of NateScarlet/holiday-cn (MIT), whose per-year
JSON files are generated from the State Council's 节假日安排 notices on gov.cn. Usage:

    scripts/holidays_from_holiday_cn.py PATH/TO/holiday-cn > crates/report/data/cn-calendar.txt

Review the diff against the notices before committing: crates/report/src/calendar.rs tests check several years."""
import datetime, json, pathlib, sys

FIRST, LAST = 2010, 2026
HEADER = """# China's official working-day calendar: public holidays (off) and 调休 make-up working days (work) from the
# State Council General Office's annual 节假日安排 notices (国务院办公厅关于XXXX年部分节假日安排的通知), 2010 through 2026.
# Every other Saturday and Sunday is a rest day and every other weekday a working day.
#
# Format: `[YEAR] notice URL…` opens a year (the notices, including later amendments, that year's lines come from);
# then `NAME off|work FIRST[..LAST]`. A line may name a date of the previous year (2012's notice moved
# 2011-12-31 to a working day). Transcribed from NateScarlet/holiday-cn (MIT, commit d4e53bf, itself generated from
# the gov.cn notices) by scripts/holidays_from_holiday_cn.py and checked against the notices' text in
# crates/report/src/calendar.rs tests (2012, 2015, 2018, 2020, 2026). Cross-checked against a second, independent
# transcription, LKI/chinese-calendar (MIT, commit e678429, constants.py): the same weekday holidays and the same
# weekend working days in every year 2010–2026."""


def main(root):
    out = [HEADER]
    for year in range(FIRST, LAST + 1):
        data = json.loads((pathlib.Path(root) / f"{year}.json").read_text(encoding="utf-8"))
        out += ["", f"[{year}] " + " ".join(data["papers"])]
        runs = []
        for day in sorted(data["days"], key=lambda d: d["date"]):
            date = datetime.date.fromisoformat(day["date"])
            kind = "off" if day["isOffDay"] else "work"
            last = runs[-1] if runs else None
            if last and last[0] == day["name"] and last[1] == kind and last[3] + datetime.timedelta(days=1) == date:
                last[3] = date
            else:
                runs.append([day["name"], kind, date, date])
        for name, kind, first, end in runs:
            out.append(f"{name} {kind} {first}" + (f"..{end}" if end != first else ""))
    print("\n".join(out))


if __name__ == "__main__":
    main(sys.argv[1])
