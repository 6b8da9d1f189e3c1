#!/usr/bin/env python3
"""Writes examples/data/transactions.csv (stdout): realistic transactions built from the seed scenario, and
examples/data/transactions_malformed.csv: a few of them with one deliberate mistake each, among good rows, for
the tests and the README's fail-closed example. Deterministic (fixed seed); rerun after changing it and commit
the output: python3 generate_transactions.py > transactions.csv

Columns (all required; `id` is optional and passed through):
  id, exporter, exporter_country, item.ccl, item.eu, item.wa, item.nl, item.jp, item.kr, item_origin, us_content,
  data_centre, tpp, performance_density, activity, destination, purchaser, intermediate_consignee,
  ultimate_consignee, end_user, end_use, us_person, fdp, notified, date, contract_date

The classifications under lists other than the CCL, the item facts (data centre, TPP, performance density)
and the US-person flag are derived from the CCL code, the end use and the exporter by `extend` below, without
drawing random numbers, so the transactions are the same as before those columns existed. The derivations are
illustrative, not legal classifications: an item of a Wassenaar-numbered family is given the same number in
the EU and Wassenaar lists, the Dutch annex and Japan's and Korea's lists where the bundled rule books read it.
"""
import csv, json, random, sys

random.seed(20240307)
DATES = ["2022-06-15", "2022-11-02", "2023-03-20", "2023-08-10", "2023-10-05", "2023-12-01", "2024-01-15",
         "2024-03-07", "2024-05-20"]
CONTRACTS = ["2021-05-01", "2022-09-12", "2023-05-01", "2023-10-30", "2024-02-01"]

def pick(xs):
    return random.choice(xs)

# (exporter, country, [(item, origin, us_content)], [activities], [(destination, end_user, end_use)])
PROFILES = [
    ("ASML", "NL", [("3B001.f.4", "NL", 8), ("3B001.f.4.a", "NL", 12), ("3B001.f.1", "NL", 5), ("3D007", "NL", 0)],
     ["export", "servicing", "spare_parts", "technical_assistance"],
     [("CN", "SMIC", "advanced_logic_fab"), ("CN", "Hua Hong Semiconductor", "legacy_fab"), ("CN", "YMTC", "advanced_memory_fab"),
      ("KR", "Samsung Electronics", "advanced_memory_fab"), ("TW", "TSMC", "advanced_logic_fab"), ("DE", "Infineon", "legacy_fab"),
      ("US", "Intel", "advanced_logic_fab"), ("CN", "CXMT", "advanced_memory_fab")]),
    ("Carl Zeiss SMT", "DE", [("3B001.f.4", "DE", 3), ("3B001.f.2", "DE", 0)],
     ["export", "spare_parts"],
     [("NL", "ASML", "civil"), ("CN", "SMIC", "advanced_logic_fab"), ("CN", "Hua Hong Semiconductor", "legacy_fab"), ("US", "Intel", "civil")]),
    ("JSR", "JP", [("3C002.a", "JP", 0), ("3C002", "JP", 0)],
     ["export"],
     [("CN", "SMIC", "advanced_logic_fab"), ("KR", "SK hynix", "advanced_memory_fab"), ("TW", "TSMC", "advanced_logic_fab"), ("US", "Micron", "advanced_memory_fab")]),
    ("Shin-Etsu Chemical", "JP", [("3C002.a", "JP", 0), ("1C999", "JP", 0)],
     ["export"],
     [("CN", "YMTC", "advanced_memory_fab"), ("CN", "Hua Hong Semiconductor", "legacy_fab"), ("TW", "TSMC", "advanced_logic_fab"), ("SG", "GlobalFoundries", "legacy_fab")]),
    ("Tokyo Electron", "JP", [("3B001.c", "JP", 4), ("3B001.d.12", "JP", 6), ("3B002", "JP", 2)],
     ["export", "servicing", "spare_parts"],
     [("CN", "SMIC", "advanced_logic_fab"), ("CN", "YMTC", "advanced_memory_fab"), ("KR", "Samsung Electronics", "advanced_memory_fab"),
      ("TW", "TSMC", "advanced_logic_fab"), ("US", "Intel", "advanced_logic_fab"), ("RU", "Mikron", "legacy_fab")]),
    ("Wonik IPS", "KR", [("3B001.d", "KR", 15), ("3B002", "KR", 5)],
     ["export", "spare_parts"],
     [("CN", "SK hynix Wuxi", "advanced_memory_fab"), ("CN", "Samsung Xi'an", "advanced_memory_fab"), ("US", "Micron", "advanced_memory_fab")]),
    ("SEMES", "KR", [("3B001.c", "KR", 30), ("3B001.e", "KR", 9)],
     ["export", "spare_parts"],
     [("CN", "SMIC", "advanced_logic_fab"), ("CN", "CXMT", "advanced_memory_fab"), ("VN", "Samsung Vietnam", "civil")]),
    ("Nvidia", "US", [("3A090.a", "TW", 100), ("4A090.a", "US", 100), ("3A090.b", "TW", 100), ("5A992.z", "TW", 100)],
     ["export", "reexport"],
     [("CN", "Alibaba Cloud", "data_centre"), ("CN", "Huawei", "data_centre"), ("MO", "Macau Data Co.", "data_centre"),
      ("SG", "Singtel", "data_centre"), ("IN", "Reliance Jio", "data_centre"), ("AE", "G42", "data_centre"),
      ("VN", "FPT", "civil"), ("GB", "DeepMind", "data_centre"), ("RU", "Yandex", "data_centre"), ("CN", "Tencent", "civil")]),
    ("AMD", "US", [("3A090.b", "TW", 100), ("3A090.a", "TW", 100), ("4A090.b", "US", 100)],
     ["export"],
     [("CN", "Lenovo", "civil"), ("CN", "Inspur", "data_centre"), ("KZ", "Kaspi", "civil"), ("JP", "Fujitsu", "civil")]),
    ("Applied Materials", "US", [("3B001.d.19", "US", 100), ("3B001.a.4", "US", 100), ("3B090", "US", 100), ("EAR99", "US", 100)],
     ["export", "servicing", "technical_assistance"],
     [("CN", "SMIC", "advanced_logic_fab"), ("CN", "YMTC", "advanced_memory_fab"), ("CN", "Hua Hong Semiconductor", "legacy_fab"),
      ("KR", "Samsung Electronics", "advanced_memory_fab"), ("TW", "TSMC", "advanced_logic_fab"), ("MO", "Macau Fab", "legacy_fab")]),
    ("Lam Research", "US", [("3B001.c", "US", 100), ("3B090", "US", 100)],
     ["export", "servicing"],
     [("CN", "YMTC", "advanced_memory_fab"), ("CN", "CXMT", "advanced_memory_fab"), ("TW", "TSMC", "advanced_logic_fab"), ("CN", "Huawei", "advanced_logic_fab")]),
    ("Qualcomm", "US", [("5A992.z", "US", 100), ("EAR99", "US", 100)],
     ["export"],
     [("CN", "Huawei", "civil"), ("CN", "Xiaomi", "civil"), ("IN", "Samsung India", "civil")]),
    ("Infineon", "DE", [("EAR99", "DE", 30), ("3A001.a", "DE", 5)],
     ["export"],
     [("CN", "BYD", "civil"), ("CN", "Huawei", "civil"), ("US", "Tesla", "civil")]),
]

ACS = "2023-11-17"   # the October 2023 rules (88 FR 73424, 73458) take effect
OCT22 = "2022-10-21"  # 3A090, 4A090 and 3B090 in force (effective date unconfirmed)
NL_ANNEX = "2023-09-01"
JP_23 = "2023-07-23"
WA = ("item.eu", "item.wa", "item.jp", "item.kr")


def by_date(date, acs, oct22, before):
    """The CCL number of an item in force on `date`: the October 2023 number, the 3B090/3A090 number of the
    October 2022 rules, or the number before them (illustrative)."""
    return acs if date >= ACS else oct22 if date >= OCT22 else before


def classify(exporter, label, date):
    """An item's classification under each list on `date`, from the profile's product label. Illustrative,
    not legal classifications, but consistent: a code names the same item in every list that uses it, a list
    only has the entries it had on the date (3B090 from 21 Oct 2022 to 16 Nov 2023, the Dutch annex from
    1 Sep 2023, Japan's 23 items from 23 Jul 2023), and the same string never names different items in two
    lists (the Dutch annex's 3B001.f.4, an immersion scanner, is 3B001.f.1.b.2.a in the CCL)."""
    c = {k: "UNLISTED" for k in ("item.ccl", "item.eu", "item.wa", "item.nl", "item.jp", "item.kr")}
    jp23 = "JP:6.17" if date >= JP_23 else "UNLISTED"
    nl = lambda code: code if date >= NL_ANNEX else "UNLISTED"
    wassenaar = lambda code: c.update({k: code for k in WA})
    if label in ("3B001.f.4",):  # NXT:2000i scanners (ASML) and their optics (Zeiss)
        c.update({"item.ccl": by_date(date, "3B001.f.1.b.2.a", "3B991", "3B991"), "item.nl": nl("3B001.f.4"), "item.jp": jp23})
    elif label == "3B001.f.4.a":  # NXT:1980i: on no European list before 7 Mar 2024
        c.update({"item.ccl": by_date(date, "3B001.f.1.b.2.b", "3B991", "3B991"), "item.jp": jp23})
    elif label in ("3B001.f.1", "3B001.f.2"):  # EUV scanners (ASML) and EUV optics (Zeiss): Wassenaar 3B001.f.1
        wassenaar("3B001.f.1")
        c["item.ccl"] = by_date(date, "3B001.f.1.a", "3B001.f.1", "3B001.f.1")
    elif label == "3D007":  # software for the immersion scanners
        c.update({"item.ccl": "3D001", "item.nl": nl("3D007")})
    elif label == "3C002.a":  # ArF and EUV resists: Wassenaar 3C002.a
        wassenaar("3C002.a")
        c["item.ccl"] = "3C002.a"
    elif label in ("3C002", "1C999"):  # KrF resists: on no list, CCL 3C992
        c["item.ccl"] = "3C992"
    elif label in ("3B001.c", "3B090") and exporter != "SEMES":  # etchers newly controlled in 2022-23
        c.update({"item.ccl": by_date(date, "3B001.c", "3B090", "3B991"), "item.jp": jp23})
    elif label in ("3B001.d.12", "3B001.d.19", "3B001.a.4"):  # deposition and epitaxy newly controlled
        c.update({"item.ccl": by_date(date, label if label != "3B001.d.12" else "3B001.d", "3B090", "3B991"),
                  "item.nl": nl(label), "item.jp": jp23})
    elif label in ("3B001.c", "3B001.d", "3B001.e", "3B002", "3A001.a"):  # Wassenaar-listed all along
        wassenaar(label)
        c["item.ccl"] = label
    elif label in ("3A090.a", "3A090.b"):
        c["item.ccl"] = by_date(date, label, label, "3A991")
    elif label in ("4A090.a", "4A090.b"):
        c["item.ccl"] = by_date(date, label, label, "4A994")
    elif label == "5A992.z" and exporter == "Nvidia":  # gaming GPUs meeting 3A090: .z only from 17 Nov 2023
        c["item.ccl"] = by_date(date, "5A992.z", "5A992.c", "5A992.c")
    elif label == "5A992.z":  # phone SoCs: mass-market, below 3A090 (not .z)
        c["item.ccl"] = "5A992.c"
    elif label == "EAR99":
        c["item.ccl"] = "EAR99"
    else:
        raise ValueError(f"no classification for {exporter} {label}")
    return c


# (TPP, performance density) of the chips and computers in the data: illustrative values on the right side of
# the 3A090 thresholds (4800 TPP for .a; 2400 TPP and 1.6 density for .b).
PERFORMANCE = {"3A090.a": (4900, 7.5), "4A090.a": (4900, 7.5), "3A090.b": (2600, 3.0), "4A090.b": (2600, 3.0),
               ("Nvidia", "5A992.z"): (5000, 2.0)}


def extend(row):
    """The columns beyond the first round's, derived from the others (see the module's documentation)."""
    row = dict(row)
    item = row.pop("item")
    tpp, density = PERFORMANCE.get(item, PERFORMANCE.get((row["exporter"], item), (0, 0)))
    out = {}
    for k, v in row.items():
        if k == "exporter_country":
            out[k] = v
            if row["id"] == "BAD4":  # the malformed code stays as written, in the CCL column
                out.update(classify(row["exporter"], "EAR99", row["date"]), **{"item.ccl": item})
            else:
                out.update(classify(row["exporter"], item, row["date"]))
        elif k == "us_content":
            out[k] = v
            out.update({"data_centre": str(row["end_use"] == "data_centre").lower(), "tpp": tpp,
                        "performance_density": density})
        elif k == "destination":
            out[k] = v
            out.update({"purchaser": "none", "intermediate_consignee": "none", "ultimate_consignee": "none"})
        elif k == "end_use":
            out[k] = v
            out.update({"us_person": str(row["exporter_country"] == "US").lower(), "fdp": "none",
                        "notified": "false"})
        else:
            out[k] = v
    return out


rows = []
n = 0
while len(rows) < 320:
    exporter, country, items, acts, customers = PROFILES[n % len(PROFILES)]
    n += 1
    item, origin, us = pick(items)
    dest, user, use = pick(customers)
    act = pick(acts)
    if act == "export" and dest == country:
        continue
    rows.append({
        "id": f"T{len(rows) + 1:04d}", "exporter": exporter, "exporter_country": country, "item": item,
        "item_origin": origin, "us_content": us, "activity": act, "destination": dest, "end_user": user,
        "end_use": use, "date": pick(DATES), "contract_date": pick(CONTRACTS),
    })

# Deliberately malformed rows, in a file of their own between good rows: each is an error row with its line
# number, and screening goes on.
bad = [
    dict(rows[3], id="BAD1", destination="XX"),
    dict(rows[10], id="BAD2", date="2024-02-30"),
    dict(rows[20], id="BAD3", activity="servicng"),
    dict(rows[30], id="BAD4", item="3B0O1.f.4"),
    dict(rows[40], id="BAD5", us_content="ten percent"),
    dict(rows[50], id="BAD6", end_use=""),
    dict(rows[60], id="BAD7", us_content="150"),
]
malformed = []
for i, b in enumerate(bad):
    malformed.extend([rows[i], b])
malformed.append(rows[len(bad)])
# A name close to a listed party but not one of its names: screened as written, flagged for review.
malformed.append(dict(rows[len(bad) + 1], id="NEAR1", end_user="Huawey"))

rows = [extend(r) for r in rows]
malformed = [extend(r) for r in malformed]
fields = list(rows[0].keys())

# The answer key's transactions (answer_key.json), so that the bundled data exercises every rule of every book.
here = __file__.rsplit("/", 1)[0] if "/" in __file__ else "."
with open(here + "/answer_key.json") as f:
    key = json.load(f)
for case in key["cases"]:
    row = dict(key["defaults"], **case["set"], id=case["id"])
    rows.append({k: (str(row[k]).lower() if isinstance(row[k], bool) else row[k]) for k in fields})
w = csv.DictWriter(sys.stdout, fieldnames=fields, lineterminator="\n")
w.writeheader()
w.writerows(rows)
with open(__file__.rsplit("/", 1)[0] + "/transactions_malformed.csv" if "/" in __file__ else "transactions_malformed.csv", "w", newline="") as f:
    m = csv.DictWriter(f, fieldnames=fields, lineterminator="\n")
    m.writeheader()
    m.writerows(malformed)
