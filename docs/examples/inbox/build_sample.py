#!/usr/bin/env python3
"""Builds sample-events.jsonl, the README's sample inbox, from the real documents under tests/fixtures.

Every document is real; its source is recorded in the README of the fixture set it comes from
(tests/fixtures/{dev,dev2,field}/README.md). This script only selects and joins them:

- every policy whose full text the fixtures hold (dev, dev2 and field `doc_events.jsonl`), so that most policies
  can get a draft; where the pair sets hold the same policy (same title) under a bodiless event, the text is joined
  to that event, so its interpretations still link to it;
- every interpretation the pair sets link to one of those policies (tests/fixtures/*/truth.json), of every form
  the fixtures have (text, 图解, 问答, H5, video);
- a few bodiless policies with interpretations and a few without any, so that coverage shows
  `rich`, `text_only` and `none`, and the reason a policy has no draft (`no_text`);
- a `department` on every policy: its first issuing body, the unit responsible for its interpretation.

Run from the repository root: python3 docs/examples/inbox/build_sample.py
"""
import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
FIXTURES = ROOT / "tests" / "fixtures"
OUT = Path(__file__).with_name("sample-events.jsonl")
BODILESS_WITH_INTERPRETATION = 10
BODILESS_WITHOUT_INTERPRETATION = 5


def read_jsonl(path):
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def has_body(doc):
    return bool(doc.get("body_text") or doc.get("body_html"))


def department_of(doc):
    issuer = re.split(r"[\s、]+", re.sub(r"[（(].*?[)）]", "", doc.get("issuer") or "").strip())
    return issuer[0] or None


def clean_url(doc):
    url = doc.get("url")
    if url and " " in url:  # a note such as " (inferred)" is not part of an address
        doc["url"] = url.split()[0]


def main():
    sets = ["dev", "dev2", "field"]
    bodied = [e for s in sets for e in read_jsonl(FIXTURES / s / "doc_events.jsonl")]
    paired = [e for s in sets for e in read_jsonl(FIXTURES / s / "events.jsonl")]
    links = {}
    for s in sets:
        truth = FIXTURES / s / "truth.json"
        if truth.exists():
            for policy, interps in json.loads(truth.read_text(encoding="utf-8"))["links"].items():
                links.setdefault(policy, []).extend(interps)

    by_title = {e["document"]["title"]: e for e in bodied}
    policies, used_titles = [], set()
    for event in paired:
        doc = event["document"]
        if event["type"] != "policy.published" or doc["title"] not in by_title:
            continue
        text = by_title[doc["title"]]["document"]
        for key in ("body_text", "body_html", "url", "written_at", "doc_number", "issuer"):
            if text.get(key) and not doc.get(key):
                doc[key] = text[key]
        policies.append(event)
        used_titles.add(doc["title"])
    policies += [e for e in bodied if e["document"]["title"] not in used_titles]

    kept_ids = {e["document"]["id"] for e in policies}
    bodiless = [e for e in paired if e["type"] == "policy.published" and e["document"]["id"] not in kept_ids]
    covered = [e for e in bodiless if e["document"]["id"] in links][:BODILESS_WITH_INTERPRETATION]
    uncovered = [e for e in bodiless if e["document"]["id"] not in links][:BODILESS_WITHOUT_INTERPRETATION]
    policies += covered + uncovered

    wanted = {i for e in policies for i in links.get(e["document"]["id"], [])}
    interpretations = [e for e in paired if e["type"] == "interpretation.published" and e["document"]["id"] in wanted]

    for event in policies:
        event["document"].setdefault("department", department_of(event["document"]))
    for event in policies + interpretations:
        clean_url(event["document"])
    events = sorted(policies + interpretations, key=lambda e: (e["document"]["published_at"], e["type"] != "policy.published"))
    OUT.write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in events), encoding="utf-8")
    with_text = sum(has_body(e["document"]) for e in policies)
    print(f"{OUT.name}: {len(policies)} policies ({with_text} with text), {len(interpretations)} interpretations")


if __name__ == "__main__":
    main()
