#!/usr/bin/env python3
"""Writes a rules! block of N rules (code families with military-end-use exceptions) to stdout, for measuring
what the macro adds to `cargo check`. Usage: gen.py N"""
import random, sys

n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
random.seed(5)
groups = ["EAR:D:1", "EAR:D:5", "EAR:D:4", "EAR:E:1"]
countries = ["CN", "MO", "RU", "IR", "KP", "VE", "BY", "MM", "VN", "IN", "AE", "SG", "MY", "TW", "KR", "JP"]
outs = ["licence_required(case_by_case)", "licence_required(presumption_of_denial)",
        "licence_required(presumption_of_approval)", "prohibited", "licence_exception(NAC)"]
print("control_macros::rules! {\n    pub rule_set Big for Transaction {\n        regime \"US\";\n        otherwise not_controlled;")
i, fam = 0, 0
while i < n:
    fam += 1
    root = f"{fam % 10}{'ABCDE'[(fam // 10) % 5]}{fam // 50 + 1:03d}"
    dest = (f"destination in group {random.choice(groups)}" if random.random() < 0.5
            else "destination in [" + ", ".join(random.sample(countries, 3)) + "]")
    period = f"from {random.choice([2019, 2021, 2023])}-0{random.randint(1, 9)}-1{random.randint(0, 9)}; " if random.random() < 0.6 else ""
    print(f"        rule r{i} {{ citation \"family {fam}\"; {period}when item under {root} && {dest}; then {outs[fam % 5]}; }}")
    i += 1
    if i < n and random.random() < 0.5:
        ex = "prohibited" if outs[fam % 5] != "prohibited" else "licence_required(presumption_of_denial)"
        print(f"        rule r{i} {{ overrides r{i-1}; {period}when item under {root}.a && {dest} && end_use in [military, wmd]; then {ex}; }}")
        i += 1
print("    }\n}")
