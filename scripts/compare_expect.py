"""Compares a summary (stdin) with an NN-name.expect.json file (argv[1]), as tests/cases/README.md
describes; exits 1 naming every difference."""
import json
import sys

RANK = {"info": 0, "monitor": 1, "caution": 2, "contraindicated": 3}

expect_path = sys.argv[1]
with open(expect_path, encoding="utf-8") as f:
    expect = json.load(f)
summary = json.load(sys.stdin)
wrong = []
for key in ("verdict", "urgent", "earliest_start"):
    if key in expect and summary[key] != expect[key]:
        wrong.append(f"{key}: {summary[key]!r}, expected {expect[key]!r}")
for category, least in expect.get("categories", {}).items():
    if not any(f["category"] == category and RANK[f["severity"]] >= RANK[least] for f in summary["findings"]):
        wrong.append(f"no {category} finding of at least {least}")
for line in expect.get("opioid", []):
    if not any(m["input"] == line and m["opioid"] for m in summary["medications"]):
        wrong.append(f"{line!r} not reported as an opioid")
for key in ("phq9", "audit_c"):
    if key in expect and summary["scores"][key] != expect[key]:
        wrong.append(f"scores.{key}: {summary['scores'][key]!r}, expected {expect[key]!r}")
if wrong:
    print(f"{expect_path}:", *wrong, sep="\n  ", file=sys.stderr)
    sys.exit(1)
print(f"ok  {expect_path}")
