//! The screening of the bundled transactions against the seed scenario's rule books: golden output, ten named
//! transactions a compliance reader would agree with, and no row lost to malformed input.
//!
//! Regenerate the golden files after an intended change with `UPDATE_GOLDEN=1 cargo test -p tests --test screening`
//! and read the diff before committing it.

use control_core::jiff::civil::date;
use control_core::{Outcome, ReviewPolicy, Scenario, Transaction};
use control_screen::input::{self, COLUMNS, Format, InputError, read_all};
use control_screen::parties::PartyMatcher;
use control_screen::screen::{Screener, Tally};
use examples::rulebooks;
use serde_json::json;

fn parties() -> PartyMatcher {
    PartyMatcher::with_data(examples::party_data(), rulebooks::parties())
}

/// The input values of a transaction given by the first round's columns (exporter, exporter_country, item,
/// item_origin, us_content, activity, destination, end_user, end_use, date, contract_date), in [`COLUMNS`]
/// order: as the bundled data's generator derives them, the item's code on each list its family is on, the
/// chip facts of its code, no other party, a US person when the exporter is American.
fn columns(old: [&str; 11]) -> Vec<String> {
    let [
        exporter,
        country,
        item,
        origin,
        us,
        activity,
        destination,
        end_user,
        end_use,
        d,
        contract,
    ] = old;
    let family = item.split('.').next().unwrap_or_default();
    let on = |families: &[&str]| {
        if families.contains(&family) {
            item
        } else {
            "UNLISTED"
        }
    };
    let wassenaar = ["3B001", "3B002", "3C002", "3A001", "3D007"];
    let (tpp, density) = match item {
        "3A090.a" | "4A090.a" => ("4900", "7.5"),
        "3A090.b" | "4A090.b" => ("2600", "3.0"),
        "5A992.z" => ("900", "1.1"),
        _ => ("0", "0"),
    };
    let values = [
        exporter,
        country,
        item,
        on(&wassenaar),
        on(&wassenaar),
        on(&["3B001", "3D007"]),
        on(&["3B001", "3B002", "3C002"]),
        on(&["3B001", "3B002"]),
        origin,
        us,
        if end_use == "data_centre" {
            "true"
        } else {
            "false"
        },
        tpp,
        density,
        activity,
        destination,
        "none",
        "none",
        "none",
        end_user,
        end_use,
        if country == "US" { "true" } else { "false" },
        "none",
        "false",
        d,
        contract,
    ];
    assert_eq!(values.len(), COLUMNS.len());
    values.map(str::to_owned).to_vec()
}

/// [`columns`] as a CSV line.
fn csv_line(old: [&str; 11]) -> String {
    columns(old).join(",")
}

/// [`columns`] as a JSON object.
fn json_row(old: [&str; 11]) -> serde_json::Value {
    let values = columns(old);
    serde_json::Value::Object(
        COLUMNS
            .iter()
            .zip(values)
            .map(|(c, v)| (c.to_string(), serde_json::Value::String(v)))
            .collect(),
    )
}

/// Screens a file as the `screen` program does: the JSON lines it writes, and the tally.
fn screen_file(path: &std::path::Path, scenario: Scenario) -> (Vec<String>, Tally) {
    let screener = Screener::new(rulebooks::all(), scenario).unwrap();
    let (mut rows, mut tally) = (Vec::new(), Tally::new(&screener.regimes()));
    // And as its workers do, with the rendering of decisions met before remembered.
    let (mut memo, mut remembered_tally) = (screener.memo(), Tally::new(&screener.regimes()));
    let file = std::io::BufReader::new(std::fs::File::open(path).unwrap());
    input::read(
        file,
        Format::from_path(path).unwrap(),
        &parties(),
        |row, _| {
            let out = screener.screen(&row);
            tally.add(&out);
            let json = serde_json::to_string(&out).unwrap();
            // The screen program's writer copies the books' parts from JSON written once: the same bytes.
            let mut fast = Vec::new();
            screener.write_json_line(&out, &mut fast);
            assert_eq!(String::from_utf8(fast).unwrap(), format!("{json}\n"));
            let mut remembered = Vec::new();
            screener.screen_json_line(&row, &mut memo, &mut remembered, &mut remembered_tally);
            assert_eq!(String::from_utf8(remembered).unwrap(), format!("{json}\n"));
            rows.push(json);
        },
    )
    .unwrap();
    assert_eq!(remembered_tally, tally);
    // And as the `screen` program reads and writes them: lines in blocks, those whose values were met before
    // written from the memo without being read into a transaction or decided. Twice over with one memo: the
    // second time, every line is met before.
    let mut memo = screener.memo();
    let parties = parties();
    let mut parser = None;
    for pass in 0..2 {
        let file = std::fs::File::open(path).unwrap();
        // Small blocks: a line's values are remembered across blocks.
        let mut blocks = input::Blocks::new(file, 4096);
        let layout = input::Layout::read(&mut blocks, Format::from_path(path).unwrap()).unwrap();
        let parser = parser.get_or_insert_with(|| input::Parser::new(layout, &parties));
        let (mut written, mut lines_tally) = (Vec::new(), Tally::new(&screener.regimes()));
        while let Some(block) = blocks.next_block().unwrap() {
            parser.rows(&block, |row| {
                screener.screen_json_row(row, &mut memo, &mut written, &mut lines_tally)
            });
        }
        let written = String::from_utf8(written).unwrap();
        assert_eq!(written.lines().count(), rows.len(), "pass {pass}");
        for (w, r) in written.lines().zip(&rows) {
            assert_eq!(w, r, "pass {pass}");
        }
        assert_eq!(lines_tally, tally, "pass {pass}");
    }
    (rows, tally)
}

fn golden(name: &str, actual: &str) {
    let path = examples::data_dir().join("golden").join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, actual).unwrap();
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}; run with UPDATE_GOLDEN=1", path.display()));
    assert!(
        expected == actual,
        "{} differs from the screening output; if the change is intended, run with UPDATE_GOLDEN=1 and review the diff",
        path.display()
    );
}

#[test]
fn bundled_transactions_match_the_golden_output() {
    let csv = examples::data_dir().join("transactions.csv");
    for (scenario, name) in [
        (Scenario::CURRENT, "today"),
        (Scenario::CURRENT.with_proposals(), "with_proposals"),
    ] {
        let (rows, tally) = screen_file(&csv, scenario);
        let lines: String = rows.iter().map(|r| format!("{r}\n")).collect();
        golden(&format!("screen_{name}.jsonl"), &lines);
        golden(&format!("summary_{name}.txt"), &format!("{tally}\n"));
    }
}

#[test]
fn every_input_row_gets_a_decision_or_an_error_row() {
    let csv = examples::data_dir().join("transactions_malformed.csv");
    let text = std::fs::read_to_string(&csv).unwrap();
    let input_rows = text.lines().skip(1).count();
    let (rows, tally) = screen_file(&csv, Scenario::CURRENT);
    let rows: Vec<serde_json::Value> = rows
        .iter()
        .map(|r| serde_json::from_str(r).unwrap())
        .collect();
    assert_eq!(rows.len(), input_rows);
    assert_eq!(tally.rows, input_rows);
    // Every row is decided (with an outcome), or an error, or outside every regime (with neither).
    for r in &rows {
        match r["status"].as_str().unwrap() {
            "decided" | "needs_review" => {
                assert!(r.get("outcome").is_some() && r.get("error").is_none())
            }
            "unreadable" => assert!(r.get("outcome").is_none() && r.get("error").is_some()),
            "outside_jurisdiction" => {
                assert!(r.get("outcome").is_none() && r.get("error").is_none())
            }
            other => panic!("status {other} in {r}"),
        }
    }
    let errors: Vec<(usize, &str)> = rows
        .iter()
        .filter_map(|r| Some((r["line"].as_u64()? as usize, r.get("error")?.as_str()?)))
        .collect();
    assert_eq!(errors.len(), 8);
    // Line numbers are the file's, header included.
    let bad1 = 1 + text.lines().position(|l| l.starts_with("BAD1")).unwrap();
    assert_eq!(errors[0].0, bad1);
    assert!(
        errors
            .iter()
            .any(|(_, e)| e.starts_with("column `date`: `2024-02-30` is not a date"))
    );
    assert!(
        errors
            .iter()
            .any(|(_, e)| e.contains("`150` is not a percentage from 0 to 100"))
    );
    // The near-miss party name is in no party data: its facts cannot be known, so the row is an error that
    // names the candidate, never passed silently.
    let near = rows.iter().find(|r| r["id"] == "NEAR1").unwrap();
    assert_eq!(near["status"], "unreadable", "{near}");
    let e = near["error"].as_str().unwrap();
    assert!(
        e.contains("end_user `huawey` is not in the party data") && e.contains("close to `huawei`"),
        "{e}"
    );
    // And the bundled clean file has no error row at all.
    let (_, clean) = screen_file(
        &examples::data_dir().join("transactions.csv"),
        Scenario::CURRENT,
    );
    assert_eq!(clean.errors, 0);
}

#[test]
fn malformed_rows_in_any_shape_lose_nothing() {
    let p = parties();
    let good = csv_line([
        "asml",
        "NL",
        "3B001.f.4",
        "NL",
        "8",
        "servicing",
        "CN",
        "SMIC",
        "advanced_logic_fab",
        "2024-03-07",
        "2023-05-01",
    ]);
    let csv = format!(
        "{}\n{good}\n{}\nonly,three,values\n\n{good}\n",
        COLUMNS.join(","),
        good.replace(",CN,", ",CHN,")
    );
    let rows = read_all(csv.as_bytes(), Format::Csv, &p).unwrap();
    assert_eq!(
        rows.iter().map(|r| r.line).collect::<Vec<_>>(),
        [2, 3, 4, 5, 6]
    );
    assert!(rows[0].transaction.is_ok());
    assert_eq!(
        rows[1].transaction.as_ref().unwrap_err(),
        "column `destination`: `CHN` is not an ISO 3166-1 alpha-2 code; did you mean `CN` (China)?"
    );
    assert_eq!(
        rows[2].transaction.as_ref().unwrap_err(),
        "3 values for 25 columns"
    );
    assert!(
        rows[3]
            .transaction
            .as_ref()
            .unwrap_err()
            .starts_with("a blank line")
    );
    assert!(rows[4].transaction.is_ok());

    // An unknown column is a header error: nothing is screened, and the error says which column.
    let extra = csv
        .replacen("contract_date\n", "contract_date,licence_no\n", 1)
        .replace("2023-05-01\n", "2023-05-01,L-1\n");
    match read_all(extra.as_bytes(), Format::Csv, &p) {
        Err(InputError::Header(problems)) => {
            assert_eq!(problems, ["unknown column `licence_no` (column 26)"])
        }
        other => panic!("{other:?}"),
    }

    let jsonl = format!(
        "{}\n{{\"broken\n{}\n[1,2]\n",
        json_row([
            "Huawei",
            "CN",
            "EAR99",
            "CN",
            "0",
            "export",
            "US",
            "acme",
            "civil",
            "2024-03-07",
            "2024-01-01"
        ]),
        json!({"exporter": "x", "exporter_country": "NL", "destinaton": "CN"})
    );
    let rows = read_all(jsonl.as_bytes(), Format::Jsonl, &p).unwrap();
    assert_eq!(rows.len(), 4);
    assert_eq!(
        rows[0].transaction.as_ref().unwrap().exporter.as_str(),
        "huawei",
        "aliases resolve to the party id"
    );
    assert!(
        rows[1]
            .transaction
            .as_ref()
            .unwrap_err()
            .starts_with("not a JSON object")
    );
    let e = rows[2].transaction.as_ref().unwrap_err();
    assert!(
        e.contains("unknown key `destinaton`; did you mean `destination`?")
            && e.contains("key `item.ccl` is missing"),
        "{e}"
    );
    assert!(rows[3].transaction.is_err());
}

/// One transaction: exporter, its country, item, origin, US content, activity, destination, end user, end use,
/// date, contract date.
fn t(f: [&str; 11]) -> Transaction {
    // As the screening loader does, names and aliases resolve to the rule books' party ids.
    let values = columns(f);
    let cells: [Option<&str>; input::N] = std::array::from_fn(|i| Some(values[i].as_str()));
    let (tx, review) = input::transaction(&cells, &parties());
    assert!(review.is_empty(), "{review:?}");
    tx.unwrap()
}

/// The outcome of `regime` for `tx` (`None` when the regime has no jurisdiction).
fn outcome(tx: &Transaction, regime: &str, s: Scenario) -> Option<Outcome> {
    let m = rulebooks::regimes().evaluate(tx, &s);
    m.regimes
        .into_iter()
        .find(|r| r.regime == regime)
        .and_then(|r| r.decision)
        .and_then(|d| d.outcome)
}

const TODAY: Scenario = Scenario {
    as_of: Some(date(2024, 3, 7)),
    proposals: false,
};
const APPROVAL: Outcome = Outcome::LicenceRequired(ReviewPolicy::PresumptionOfApproval);
const CASE_BY_CASE: Outcome = Outcome::LicenceRequired(ReviewPolicy::CaseByCase);
const DENIAL: Outcome = Outcome::LicenceRequired(ReviewPolicy::PresumptionOfDenial);

#[test]
fn ten_named_transactions() {
    // 1. ASML services an NXT:2000i (3B001.f.4) at SMIC in Shanghai, bought in 2023: servicing is not an
    //    export under the Dutch regulation on 7 Mar 2024; with the proposed Dutch rule for tools bought before
    //    this year's controls, presumption of denial.
    let asml_servicing = t([
        "asml",
        "NL",
        "3B001.f.4",
        "NL",
        "8",
        "servicing",
        "CN",
        "smic",
        "advanced_logic_fab",
        "2024-03-07",
        "2023-05-01",
    ]);
    assert_eq!(
        outcome(&asml_servicing, "NL", TODAY),
        Some(Outcome::NotControlled)
    );
    assert_eq!(
        outcome(&asml_servicing, "NL", TODAY.with_proposals()),
        Some(DENIAL)
    );
    // 8 % US content, made in the Netherlands, shipped from there: outside the EAR's reach.
    assert_eq!(outcome(&asml_servicing, "US", TODAY), None);

    // 2. The same tool exported to China in August 2023, before the Dutch regulation took effect (1 Sep 2023).
    let before = t([
        "asml",
        "NL",
        "3B001.f.4",
        "NL",
        "8",
        "export",
        "CN",
        "smic",
        "advanced_logic_fab",
        "2023-08-15",
        "2023-02-01",
    ]);
    assert_eq!(
        outcome(&before, "NL", Scenario::CURRENT),
        Some(Outcome::NotControlled)
    );
    // 3. ... and on the report's date: an annex item leaving the EU needs a licence (art. 2).
    assert_eq!(outcome(&before, "NL", TODAY), Some(CASE_BY_CASE));

    // 4. Exported to Germany: inside the EU, the Dutch regulation does not apply.
    let to_germany = t([
        "asml",
        "NL",
        "3B001.f.4",
        "NL",
        "8",
        "export",
        "DE",
        "infineon",
        "legacy_fab",
        "2024-03-07",
        "2023-11-01",
    ]);
    assert_eq!(
        outcome(&to_germany, "NL", TODAY),
        Some(Outcome::NotControlled)
    );

    // 5. Nvidia data-centre chips (3A090.a) to a Chinese cloud: licence, presumption of denial (Oct 2023 rule).
    let h100 = t([
        "nvidia",
        "US",
        "3A090.a",
        "TW",
        "100",
        "export",
        "CN",
        "alibaba cloud",
        "data_centre",
        "2024-03-07",
        "2024-01-10",
    ]);
    assert_eq!(outcome(&h100, "US", TODAY), Some(DENIAL));
    // 6. ... before the October 2022 rule there was no such licence requirement in this rule book.
    assert_eq!(
        outcome(
            &h100,
            "US",
            Scenario {
                as_of: Some(date(2022, 6, 15)),
                proposals: false
            }
        ),
        Some(Outcome::NotControlled)
    );

    // 7. The same chips for Huawei: the Entity List decides today; the proposed prohibition would prohibit.
    let huawei = t([
        "nvidia",
        "US",
        "3A090.a",
        "TW",
        "100",
        "export",
        "CN",
        "华为",
        "data_centre",
        "2024-03-07",
        "2024-01-10",
    ]);
    assert_eq!(outcome(&huawei, "US", TODAY), Some(DENIAL));
    assert_eq!(
        outcome(&huawei, "US", TODAY.with_proposals()),
        Some(Outcome::Prohibited)
    );

    // 8. AMD consumer-grade 3A090.b chips to a Chinese PC maker, not for a data centre: License Exception NAC
    //    needs BIS notified first for China (15 CFR 740.8(a)(2)); without it, the 742.6 presumption of denial.
    let nac = t([
        "amd",
        "US",
        "3A090.b",
        "TW",
        "100",
        "export",
        "CN",
        "lenovo",
        "civil",
        "2024-03-07",
        "2024-01-10",
    ]);
    assert_eq!(outcome(&nac, "US", TODAY), Some(DENIAL));
    let mut notified = nac.clone();
    notified.notified = true;
    assert_eq!(
        outcome(&notified, "US", TODAY),
        Some(Outcome::LicenceException("NAC".into()))
    );

    // 9. A US company's engineers service a Chinese advanced memory fab (YMTC), even with an EAR99 part:
    //    §744.6(c)(2) US-person restriction, presumption of denial.
    let us_person = t([
        "applied materials",
        "US",
        "EAR99",
        "US",
        "100",
        "servicing",
        "CN",
        "ymtc",
        "advanced_memory_fab",
        "2023-03-20",
        "2022-09-12",
    ]);
    assert_eq!(outcome(&us_person, "US", Scenario::CURRENT), Some(DENIAL));

    // 10. JSR ArF photoresist (3C002.a) to SMIC: on the Wassenaar list, so Japan controls it already (the
    //     proposal adds resists Japan does not list, answer key AK084).
    let resist = t([
        "jsr",
        "JP",
        "3C002.a",
        "JP",
        "0",
        "export",
        "CN",
        "smic",
        "advanced_logic_fab",
        "2024-03-07",
        "2024-02-01",
    ]);
    assert_eq!(outcome(&resist, "JP", TODAY), Some(CASE_BY_CASE));
    assert_eq!(
        outcome(&resist, "JP", TODAY.with_proposals()),
        Some(CASE_BY_CASE)
    );

    // 11. Tokyo Electron etching equipment (3B001.c): to China case by case, to Korea the simpler licence.
    let tel_cn = t([
        "tokyo electron",
        "JP",
        "3B001.c",
        "JP",
        "4",
        "export",
        "CN",
        "smic",
        "advanced_logic_fab",
        "2023-08-10",
        "2023-05-01",
    ]);
    assert_eq!(
        outcome(&tel_cn, "JP", Scenario::CURRENT),
        Some(CASE_BY_CASE)
    );
    let tel_kr = t([
        "tokyo electron",
        "JP",
        "3B001.c",
        "JP",
        "4",
        "export",
        "KR",
        "samsung",
        "advanced_memory_fab",
        "2023-08-10",
        "2023-05-01",
    ]);
    assert_eq!(outcome(&tel_kr, "JP", Scenario::CURRENT), Some(APPROVAL));

    // 12. Zeiss optics for immersion scanners: the data's classification decides which list holds them; see
    //     the answer key (AK073 to AK076), whose items carry their own classification under each list.

    // Across regimes the summary is the most restrictive: Huawei with proposals, prohibited by the US.
    let m = rulebooks::regimes().evaluate(&huawei, &TODAY.with_proposals());
    assert_eq!(
        (m.summary.outcome, m.summary.decided_by),
        (Some(Outcome::Prohibited), vec!["US".to_owned()])
    );
}

/// 15 CFR 744.11(a): an Entity List licence requirement applies in addition to the §742.6 one, and the
/// application is reviewed under the stricter policy. A data-centre chip to SMIC: presumption of denial (the
/// 742.6 policy), not the Entity List entry's case by case, with both requirements reported.
#[test]
fn an_entity_list_requirement_stacks_with_742_6_and_the_stricter_policy_applies() {
    use control_core::Evaluator;
    let t = Transaction::from_core_fields(json!({
        "exporter": "nvidia", "exporter_country": "US", "item": "3A090.a", "item_origin": "US",
        "us_content": 100, "activity": "export", "destination": "CN", "end_user": "smic",
        "end_user.entity_list": "policy_by_item",
        "end_use": "data_centre", "date": "2024-03-07", "contract_date": "2024-01-10"}))
    .unwrap();
    let d = rulebooks::UsEar.decide(&t, &Scenario::CURRENT);
    assert_eq!(
        d.outcome(),
        Some(&Outcome::LicenceRequired(ReviewPolicy::PresumptionOfDenial))
    );
    let deciding: Vec<&str> = d.deciding_names().collect();
    assert_eq!(deciding, ["ac_d5", "entity_list_by_item"]);
    assert_eq!(d.set_by(), Some("ac_d5"));
    let text = rulebooks::UsEar.explain(&t, &Scenario::CURRENT).to_string();
    assert!(
        text.contains("(the strictest of cumulative requirements, set by `ac_d5`)"),
        "{text}"
    );
    // A 3A090.b chip not for data centres to a customer that is not listed, BIS notified (15 CFR
    // 740.8(a)(2)): License Exception NAC excepts from 742.6; to SMIC the Entity List requirement bars NAC
    // (740.8(b)(1)), so the 742.6 requirement stands beside it and its presumption of denial is the stricter.
    let mut b = t.clone();
    b.item_ccl = control_core::ControlCode::parse("3A090.b").unwrap();
    b.end_use = control_core::EndUse::Civil;
    b.notified = true;
    b.end_user = control_core::PartyId::new("acme");
    b.end_user_entity_list = control_core::EntityListing::NotListed;
    assert_eq!(
        rulebooks::UsEar.decide(&b, &Scenario::CURRENT).outcome(),
        Some(&Outcome::LicenceException("NAC".into()))
    );
    b.end_user = control_core::PartyId::new("smic");
    b.end_user_entity_list = control_core::EntityListing::PolicyByItem;
    let d = rulebooks::UsEar.decide(&b, &Scenario::CURRENT);
    assert_eq!(
        d.outcome(),
        Some(&Outcome::LicenceRequired(ReviewPolicy::PresumptionOfDenial))
    );
    assert_eq!(
        d.deciding_names().collect::<Vec<_>>(),
        ["ac_d5", "entity_list_by_item"]
    );
}
