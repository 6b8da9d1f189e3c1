//! Compiled and interpreted evaluation agree with each other and with the definition (`RuleSet::decide`,
//! `RuleSet::in_jurisdiction`; the explanation, which both take from the definition, agrees with the
//! specialised decision) on random cases and scenarios, for five rule sets: the seed scenario's Dutch servicing
//! rules, a 60-rule generated US-style book, a rule set over a schema declared in the block, one that uses every
//! kind of test the expansion specialises (code `==` and `in`, `JP:` codes, user groups and `not in group`,
//! `!=`, ranges of decimals and dates, parties with aliases), and one at the ends of each ordered domain (the
//! largest decimal and integer, the first and last day, a code with 25 children). Each rule set is compiled
//! twice, with one predicate per rule and as constant tables (`evaluator table;`, the default for large rule
//! sets), and both are checked. Also: compiled `decide` allocates nothing.

use control_core::jiff::civil::{Date, date};
use control_core::{
    Activity, ControlCode, Country, Decimal, DirectProduct, EndUse, EntityListing, Evaluator,
    Interpreter, ListFootnote, PartyId, Scenario, Transaction,
};
use proptest::prelude::*;

/// A `rules!` block whose rule set is declared twice from the same clauses: as written, and with
/// `evaluator table;` under the second name. Small rule sets get one predicate per rule unless they ask for
/// tables, so the differential tests below hold both expansions to the definition.
macro_rules! with_table_twin {
    ([$($before:tt)*] $vis:vis rule_set $name:ident / $table:ident for $case:ident { $($body:tt)* }) => {
        control_macros::rules! {
            $($before)*
            $vis rule_set $name for $case { $($body)* }
            /// The rule set above, expanded as constant tables.
            $vis rule_set $table for $case { evaluator table; $($body)* }
        }
    };
}

with_table_twin! {
    [
    /// Seed scenario rows 5 and 6, as in the crate docs.
    ]
    pub rule_set NlServicing / NlServicingTable for Transaction {
        regime "NL";
        applies when exporter_country == NL;
        otherwise not_controlled;
        rule export_lithography {
            citation "Stcrt. 2023, 18212, art. 2";
            from 2023-09-01;
            when activity in [export, reexport] && item under 3B001.f.4 && destination not in group EU27;
            then licence_required(case_by_case);
        }
        rule servicing_lithography_cn {
            from 2023-09-01;
            when activity == servicing && item under 3B001.f.4 && destination == CN;
            then licence_required(presumption_of_approval);
        }
        rule servicing_pre_control_tools_cn {
            proposed;
            overrides servicing_lithography_cn;
            when activity == servicing && item under 3B001.f.4 && destination == CN && contract_date < 2024-01-01;
            then licence_required(presumption_of_denial);
        }
    }
}

with_table_twin! {
    [
    /// A generated 60-rule book: code families with exceptions for military end uses.
    ]
    pub rule_set Generated60 / Generated60Table for Transaction {
        regime "US";
        applies when exporter_country == US || item_origin == US || us_content > 25;
        otherwise not_controlled;
        rule r0_1a101 {
            citation "Generated family 1";
            from 2023-11-20;
            proposed;
            when item under 1A101 && destination in group EAR:E:1;
            then licence_required(presumption_of_denial);
        }
        rule r1_1a101_a_military {
            citation "Generated exception 1";
            overrides r0_1a101;
            proposed;
            from 2023-11-20;
            when item under 1A101.a && destination in group EAR:E:1 && end_use in [military, wmd];
            then prohibited;
        }
        rule r2_2a102 {
            citation "Generated family 2";
            until 2025-01-01;
            when item under 2A102 && destination in [MO, IN, BY];
            then licence_required(presumption_of_approval);
        }
        rule r3_2a102_a_military {
            citation "Generated exception 2";
            overrides r2_2a102;
            until 2025-01-01;
            when item under 2A102.a && destination in [MO, IN, BY] && end_use in [military, wmd];
            then prohibited;
        }
        rule r4_3a103 {
            citation "Generated family 3";
            from 2020-09-08;
            when item under 3A103 && destination in group EAR:D:5;
            then prohibited;
        }
        rule r5_4a104 {
            citation "Generated family 4";
            until 2025-05-01;
            when item under 4A104 && destination in group EAR:D:4;
            then licence_exception(NAC);
        }
        rule r6_4a104_c_military {
            citation "Generated exception 4";
            overrides r5_4a104;
            until 2025-05-01;
            when item under 4A104.c && destination in group EAR:D:4 && end_use in [military, wmd];
            then prohibited;
        }
        rule r7_5a105 {
            citation "Generated family 5";
            from 2019-11-01;
            when item under 5A105 && destination in group EAR:D:1;
            then licence_required(case_by_case);
        }
        rule r8_5a105_d_military {
            citation "Generated exception 5";
            overrides r7_5a105;
            from 2019-11-01;
            when item under 5A105.d && destination in group EAR:D:1 && end_use in [military, wmd];
            then prohibited;
        }
        rule r9_6a106 {
            citation "Generated family 6";
            from 2022-06-01;
            when item under 6A106 && destination in [MY, BY, MO] && us_content > 25;
            then licence_required(presumption_of_denial);
        }
        rule r10_6a106_b_military {
            citation "Generated exception 6";
            overrides r9_6a106;
            from 2022-06-01;
            when item under 6A106.b && destination in [MY, BY, MO] && end_use in [military, wmd] && us_content > 25;
            then prohibited;
        }
        rule r11_7a107 {
            citation "Generated family 7";
            from 2020-12-25;
            until 2025-11-01;
            when item under 7A107 && destination in [CN, JP, MM] && us_content > 10;
            then licence_required(presumption_of_approval);
        }
        rule r12_7a107_b_military {
            citation "Generated exception 7";
            overrides r11_7a107;
            from 2020-12-25;
            until 2025-11-01;
            when item under 7A107.b && destination in [CN, JP, MM] && end_use in [military, wmd] && us_content > 10;
            then prohibited;
        }
        rule r13_8a108 {
            citation "Generated family 8";
            from 2019-01-05;
            when item under 8A108 && destination in group EAR:D:4 && us_content > 10;
            then prohibited;
        }
        rule r14_9a109 {
            citation "Generated family 9";
            from 2022-06-20;
            when item under 9A109 && destination in group EAR:D:4 && activity in [export, technology_release] && us_content > 10;
            then licence_exception(NAC);
        }
        rule r15_9a109_f_military {
            citation "Generated exception 9";
            overrides r14_9a109;
            from 2022-06-20;
            when item under 9A109.f && destination in group EAR:D:4 && end_use in [military, wmd] && activity in [export, technology_release] && us_content > 10;
            then prohibited;
        }
        rule r16_0b110 {
            citation "Generated family 10";
            when item under 0B110 && destination in group EAR:E:1 && activity in [reexport, in_country_transfer];
            then licence_required(case_by_case);
        }
        rule r17_1b111 {
            citation "Generated family 11";
            from 2019-02-02;
            when item under 1B111 && destination in [BY, AE, JP];
            then licence_required(presumption_of_denial);
        }
        rule r18_2b112 {
            citation "Generated family 12";
            from 2020-12-03;
            until 2025-08-01;
            when item under 2B112 && destination in group EAR:E:1;
            then licence_required(presumption_of_approval);
        }
        rule r19_3b113 {
            citation "Generated family 13";
            from 2019-01-06;
            when item under 3B113 && destination in [VN, IR, KR] && us_content > 25;
            then prohibited;
        }
        rule r20_4b114 {
            citation "Generated family 14";
            when item under 4B114 && destination in group EAR:D:5;
            then licence_exception(NAC);
        }
        rule r21_4b114_a_military {
            citation "Generated exception 14";
            overrides r20_4b114;
            when item under 4B114.a && destination in group EAR:D:5 && end_use in [military, wmd];
            then prohibited;
        }
        rule r22_5b115 {
            citation "Generated family 15";
            from 2019-08-03;
            when item under 5B115 && destination in [JP, KR, VE];
            then licence_required(case_by_case);
        }
        rule r23_6b116 {
            citation "Generated family 16";
            when item under 6B116 && destination in group EAR:D:4;
            then licence_required(presumption_of_denial);
        }
        rule r24_7b117 {
            citation "Generated family 17";
            from 2019-08-19;
            until 2025-11-01;
            when item under 7B117 && destination in group EAR:E:1;
            then licence_required(presumption_of_approval);
        }
        rule r25_8b118 {
            citation "Generated family 18";
            from 2023-08-15;
            proposed;
            when item under 8B118 && destination in [RU, MO, AE] && activity in [in_country_transfer, servicing];
            then prohibited;
        }
        rule r26_9b119 {
            citation "Generated family 19";
            from 2023-05-01;
            proposed;
            when item under 9B119 && destination in group EAR:D:1 && us_content > 10;
            then licence_exception(NAC);
        }
        rule r27_0c120 {
            citation "Generated family 20";
            until 2025-07-01;
            when item under 0C120 && destination in [AE, JP, MM] && us_content > 25;
            then licence_required(case_by_case);
        }
        rule r28_1c121 {
            citation "Generated family 21";
            from 2019-12-03;
            when item under 1C121 && destination in group EAR:D:5 && activity in [spare_parts, in_country_transfer] && us_content > 10;
            then licence_required(presumption_of_denial);
        }
        rule r29_1c121_d_military {
            citation "Generated exception 21";
            overrides r28_1c121;
            from 2019-12-03;
            when item under 1C121.d && destination in group EAR:D:5 && end_use in [military, wmd] && activity in [spare_parts, in_country_transfer] && us_content > 10;
            then prohibited;
        }
        rule r30_2c122 {
            citation "Generated family 22";
            from 2022-12-27;
            when item under 2C122 && destination in group EAR:D:5;
            then licence_required(presumption_of_approval);
        }
        rule r31_2c122_a_military {
            citation "Generated exception 22";
            overrides r30_2c122;
            from 2022-12-27;
            when item under 2C122.a && destination in group EAR:D:5 && end_use in [military, wmd];
            then prohibited;
        }
        rule r32_3c123 {
            citation "Generated family 23";
            from 2019-11-05;
            when item under 3C123 && destination in group EAR:D:1 && us_content > 25;
            then prohibited;
        }
        rule r33_4c124 {
            citation "Generated family 24";
            from 2019-11-18;
            when item under 4C124 && destination in group EAR:D:5;
            then licence_exception(NAC);
        }
        rule r34_5c125 {
            citation "Generated family 25";
            from 2019-03-08;
            when item under 5C125 && destination in [BY, TW, MM] && activity in [technical_assistance, export];
            then licence_required(case_by_case);
        }
        rule r35_6c126 {
            citation "Generated family 26";
            from 2023-03-15;
            when item under 6C126 && destination in [VE, BY, TW];
            then licence_required(presumption_of_denial);
        }
        rule r36_7c127 {
            citation "Generated family 27";
            from 2019-04-08;
            when item under 7C127 && destination in group EAR:D:4;
            then licence_required(presumption_of_approval);
        }
        rule r37_8c128 {
            citation "Generated family 28";
            from 2023-06-18;
            when item under 8C128 && destination in [AE, KP, SG];
            then prohibited;
        }
        rule r38_9c129 {
            citation "Generated family 29";
            when item under 9C129 && destination in group EAR:D:1 && us_content > 25;
            then licence_exception(NAC);
        }
        rule r39_0d130 {
            citation "Generated family 30";
            when item under 0D130 && destination in [KR, JP, MM];
            then licence_required(case_by_case);
        }
        rule r40_1d131 {
            citation "Generated family 31";
            from 2023-10-07;
            proposed;
            when item under 1D131 && destination in [VE, VN, KR];
            then licence_required(presumption_of_denial);
        }
        rule r41_2d132 {
            citation "Generated family 32";
            until 2025-01-01;
            when item under 2D132 && destination in group EAR:E:1 && activity in [spare_parts, export];
            then licence_required(presumption_of_approval);
        }
        rule r42_2d132_f_military {
            citation "Generated exception 32";
            overrides r41_2d132;
            until 2025-01-01;
            when item under 2D132.f && destination in group EAR:E:1 && end_use in [military, wmd] && activity in [spare_parts, export];
            then prohibited;
        }
        rule r43_3d133 {
            citation "Generated family 33";
            from 2023-05-08;
            proposed;
            when item under 3D133 && destination in group EAR:D:1 && us_content > 25;
            then prohibited;
        }
        rule r44_3d133_d_military {
            citation "Generated exception 33";
            overrides r43_3d133;
            proposed;
            from 2023-05-08;
            when item under 3D133.d && destination in group EAR:D:1 && end_use in [military, wmd] && us_content > 25;
            then licence_required(presumption_of_denial);
        }
        rule r45_4d134 {
            citation "Generated family 34";
            from 2019-01-07;
            until 2025-01-01;
            when item under 4D134 && destination in [IR, JP, BY];
            then licence_exception(NAC);
        }
        rule r46_4d134_c_military {
            citation "Generated exception 34";
            overrides r45_4d134;
            from 2019-01-07;
            until 2025-01-01;
            when item under 4D134.c && destination in [IR, JP, BY] && end_use in [military, wmd];
            then prohibited;
        }
        rule r47_5d135 {
            citation "Generated family 35";
            when item under 5D135 && destination in group EAR:E:1 && activity in [technical_assistance, spare_parts] && us_content > 25;
            then licence_required(case_by_case);
        }
        rule r48_5d135_z_military {
            citation "Generated exception 35";
            overrides r47_5d135;
            when item under 5D135.z && destination in group EAR:E:1 && end_use in [military, wmd] && activity in [technical_assistance, spare_parts] && us_content > 25;
            then prohibited;
        }
        rule r49_6d136 {
            citation "Generated family 36";
            from 2020-09-07;
            when item under 6D136 && destination in group EAR:D:5;
            then licence_required(presumption_of_denial);
        }
        rule r50_7d137 {
            citation "Generated family 37";
            from 2020-04-25;
            when item under 7D137 && destination in group EAR:D:4;
            then licence_required(presumption_of_approval);
        }
        rule r51_7d137_b_military {
            citation "Generated exception 37";
            overrides r50_7d137;
            from 2020-04-25;
            when item under 7D137.b && destination in group EAR:D:4 && end_use in [military, wmd];
            then prohibited;
        }
        rule r52_8d138 {
            citation "Generated family 38";
            from 2020-04-13;
            when item under 8D138 && destination in group EAR:D:1 && activity in [export, servicing];
            then prohibited;
        }
        rule r53_8d138_f_military {
            citation "Generated exception 38";
            overrides r52_8d138;
            from 2020-04-13;
            when item under 8D138.f && destination in group EAR:D:1 && end_use in [military, wmd] && activity in [export, servicing];
            then licence_required(presumption_of_denial);
        }
        rule r54_9d139 {
            citation "Generated family 39";
            from 2020-02-16;
            until 2025-01-01;
            when item under 9D139 && destination in [SG, MO, JP];
            then licence_exception(NAC);
        }
        rule r55_0e140 {
            citation "Generated family 40";
            proposed;
            when item under 0E140 && destination in [JP, RU, IR] && activity in [reexport, technology_release];
            then licence_required(case_by_case);
        }
        rule r56_0e140_z_military {
            citation "Generated exception 40";
            overrides r55_0e140;
            proposed;
            when item under 0E140.z && destination in [JP, RU, IR] && end_use in [military, wmd] && activity in [reexport, technology_release];
            then prohibited;
        }
        rule r57_1e141 {
            citation "Generated family 41";
            from 2022-01-21;
            when item under 1E141 && destination in group EAR:D:1 && activity in [servicing, technology_release];
            then licence_required(presumption_of_denial);
        }
        rule r58_1e141_d_military {
            citation "Generated exception 41";
            overrides r57_1e141;
            from 2022-01-21;
            when item under 1E141.d && destination in group EAR:D:1 && end_use in [military, wmd] && activity in [servicing, technology_release];
            then prohibited;
        }
        rule r59_2e142 {
            citation "Generated family 42";
            from 2019-06-03;
            when item under 2E142 && destination in group EAR:D:4 && us_content > 10;
            then licence_required(presumption_of_approval);
        }
    }
}

with_table_twin! {
    [
    /// A schema of the block's own.
    pub schema Shipment {
        to: Country,
        chemical: enum Chemical { photoresist, wet_etchant, other },
        purity: Decimal,
        batches: Int,
        listed: bool,
        buyer: Party,
        code: Code,
        #[case_date] shipped: Date,
    }
    ]

    pub rule_set Chemicals / ChemicalsTable for Shipment {
        regime "JP";
        complete;
        party jsr = "JSR Corporation" aka "JSR";
        rule listed_buyer { when listed; then prohibited; }
        rule resist_today { overrides listed_buyer; when chemical == photoresist && to in [CN, MO] && purity > 99.9; then not_controlled; }
        rule resist_proposal { proposed; overrides resist_today; when chemical == photoresist && to in [CN, MO] && purity > 99.9; then licence_required(case_by_case); }
        rule big_batches {
            from 2024-01-01;
            when batches >= 10 && code under 1C999 && !listed && !(chemical == photoresist && to in [CN, MO] && purity > 99.9);
            then licence_required(presumption_of_approval);
        }
        rule jsr_exports {
            overrides big_batches;
            when buyer == jsr && batches >= 10 && code under 1C999 && !listed && !(chemical == photoresist && to in [CN, MO] && purity > 99.9);
            then not_controlled;
        }
        rule big_batches_before {
            until 2024-01-01;
            when batches >= 10 && code under 1C999 && !listed && !(chemical == photoresist && to in [CN, MO] && purity > 99.9);
            then not_controlled;
        }
        rule rest {
            when !listed && !(chemical == photoresist && to in [CN, MO] && purity > 99.9) && !(batches >= 10 && code under 1C999);
            then not_controlled;
        }
    }
}

with_table_twin! {
    [
    /// Every kind of test the expansion compiles differently.
    ]
    pub rule_set Coverage / CoverageTable for Transaction {
        regime "XX";
        list CCL;
        applies when exporter_country != US;
        otherwise not_controlled;
        treat HK as CN from 2020-12-23, citation "85 FR 83765";
        group friends = [JP, KR, TW];
        party huawei = "Huawei Technologies Co., Ltd." aka "华为";
        rule exact_code { when item == 3B001.f.4 && destination != NL; then licence_required(case_by_case); }
        rule code_list { when item in [3A090.a, 3A090.b, 1C999] && destination in group friends; then licence_exception(NAC); }
        rule jp_list { when item.jp under "JP:7" && item == EAR99 && destination not in group friends; then licence_required(presumption_of_approval); }
        rule jp_exact { overrides jp_list; when item.jp == "JP:7.18" && item == EAR99 && destination not in group friends; then prohibited; }
        rule content_range { when us_content in 10..25 && item under 5A105; then licence_required(presumption_of_denial); }
        rule content_closed { overrides content_range; when us_content in 20..=25 && item under 5A105 && end_use != civil; then prohibited; }
        rule contract_window { when contract_date in 2022-10-07..2023-11-17 && item under 3A103; then licence_required(case_by_case); }
        rule listed_party { when end_user == huawei && item under 4A104; then prohibited; }
        rule stack_party { cumulative; when end_user == huawei && item under 3A090 && destination not in group friends; then licence_required(case_by_case); }
        rule stack_item { cumulative; when item under 3A090 && destination in [CN, MO]; then licence_required(presumption_of_denial); }
        // The second round's model: parties in roles with facts, dated groups, a treated territory (HK reads as
        // CN above), other lists, item and transaction facts.
        rule any_listed { when any_party.entity_list == presumption_of_denial && item under 0B110; then prohibited; }
        rule hq_d5 { when end_user.headquarters in group EAR:D:5 && end_user.location != CN && item under 0C120; then licence_required(presumption_of_denial); }
        rule parent_hq { when end_user.parent_headquarters in group EAR:D:1 && item under 0D130; then licence_required(case_by_case); }
        rule footnoted { when ultimate_consignee.entity_list_footnote == footnote_4 && fdp == entity_list && item under 1B111; then licence_required(presumption_of_denial); }
        rule dated_group { when destination in group EAR:D:5 && item under 1C121; then licence_required(case_by_case); }
        rule nl_annex { when item.nl under "NL:3B001.f" && item under 1D131; then licence_required(case_by_case); }
        rule chips_a { when data_centre && tpp >= 4800 && item under 2B112; then licence_required(presumption_of_denial); }
        rule chips_b { when !data_centre && performance_density >= 5.92 && tpp < 4800 && item under 2B112; then licence_exception(NAC); }
        rule us_persons { when us_person && !notified && item under 2C122; then licence_required(presumption_of_denial); }
    }
}

with_table_twin! {
    [
    /// Every ordered domain at its ends, and a code with many children.
    pub schema Edges {
        amount: Decimal,
        count: Int,
        code: Code,
        #[case_date] on: Date,
    }
    ]

    pub rule_set Extremes / ExtremesTable for Edges {
        regime "XX";
        otherwise not_controlled;
        rule largest_amount { when amount >= 922337203685477.5807 && !(code under 3B001); then prohibited; }
        rule smallest_amount { when amount <= -922337203685477.5807 && !(code under 3B001); then prohibited; }
        rule below_largest { when amount > 922337203685477.5805 && amount < 922337203685477.5807 && !(code under 3B001); then prohibited; }
        rule largest_count { when count >= 9223372036854775807 && !(code under 3B001); then prohibited; }
        rule smallest_count { when count <= -9223372036854775808 && !(code under 3B001); then prohibited; }
        rule first_day { until 0000-01-02; when !(code under 3B001); then prohibited; }
        rule last_day { from 9999-12-31; when !(code under 3B001); then prohibited; }
        rule earliest_case { when on <= 0000-01-01 && !(code under 3B001); then prohibited; }
        rule children { when code in [3B001.a, 3B001.b, 3B001.c, 3B001.d, 3B001.e, 3B001.f, 3B001.g, 3B001.h, 3B001.i, 3B001.j, 3B001.k, 3B001.l, 3B001.m, 3B001.n, 3B001.o, 3B001.p, 3B001.q, 3B001.r, 3B001.s, 3B001.t, 3B001.u, 3B001.v, 3B001.w, 3B001.x, 3B001.y]; then licence_required(case_by_case); }
        rule deep { overrides children; when code under 3B001.y && count in -1..=1; then licence_required(presumption_of_denial); }
    }
}

/// A day: often one on which some rule, group membership or treatment of the books here begins or ends (or the
/// day before), where `<` and `<=` differ; otherwise any day of 2018–2026.
fn day() -> impl Strategy<Value = Date> {
    prop_oneof![
        3 => (2018i16..2027, 1i8..=12, 1i8..=28).prop_map(|(y, m, d)| date(y, m, d)),
        1 => prop::sample::select(boundary_days()),
    ]
}

/// Every date the books of this file name (rule periods, treatments, dated group members, date tests), and the
/// day before each.
fn boundary_days() -> Vec<Date> {
    use control_core::{Test, Value};
    let mut days = Vec::new();
    for rs in [
        NlServicing::ir(),
        Generated60::ir(),
        Chemicals::ir(),
        Coverage::ir(),
    ] {
        for t in rs.treatments() {
            days.push(t.from);
        }
        let conditions = rs
            .rules()
            .iter()
            .map(|r| &r.when)
            .chain([rs.applies_when()]);
        for r in rs.rules() {
            days.extend(r.period.from.into_iter().chain(r.period.until));
        }
        for c in conditions {
            for (_, test) in c.tests() {
                match test {
                    Test::Eq(Value::Date(d)) | Test::Cmp(_, Value::Date(d)) => days.push(*d),
                    Test::InGroup { members, .. } => {
                        for (_, p) in &members.dated {
                            days.extend(p.from.into_iter().chain(p.until));
                        }
                    }
                    _ => {}
                }
            }
        }
    }
    let before: Vec<Date> = days.iter().filter_map(|d| d.yesterday().ok()).collect();
    days.extend(before);
    days.sort();
    days.dedup();
    assert!(days.len() > 10, "the books name only {} dates", days.len());
    days
}

fn country() -> impl Strategy<Value = Country> {
    prop::sample::select(vec![
        Country::CN,
        Country::MO,
        Country::RU,
        Country::IR,
        Country::KP,
        Country::VE,
        Country::BY,
        Country::MM,
        Country::VN,
        Country::IN,
        Country::AE,
        Country::SG,
        Country::MY,
        Country::TW,
        Country::KR,
        Country::JP,
        Country::NL,
        Country::DE,
        Country::FR,
        Country::US,
        Country::GB,
        Country::SY,
        Country::CU,
        Country::HK,
        Country::NI,
    ])
}

fn code() -> impl Strategy<Value = ControlCode> {
    let roots: Vec<String> = (1..40)
        .map(|fam| {
            format!(
                "{}{}{:03}",
                fam % 10,
                ["A", "B", "C", "D", "E"][(fam / 10) % 5],
                100 + fam
            )
        })
        .collect();
    let sub = prop::sample::select(vec![
        "", ".a", ".b", ".c", ".d", ".f", ".z", ".a.1", ".f.4", ".y", ".18", ".18.a",
    ]);
    prop_oneof![
        (prop::sample::select(roots), sub.clone()).prop_map(|(r, s)| format!("{r}{s}")),
        (
            prop::sample::select(vec!["3B001", "3B001.f", "1C999", "EAR99", "3A090", "JP:7"]),
            sub
        )
            .prop_map(|(r, s)| if r == "EAR99" {
                r.to_owned()
            } else {
                format!("{r}{s}")
            }),
    ]
    // Digits follow letters in ECCN paragraphs and the other way round in list items: keep what parses.
    .prop_filter_map("not a code", |s| ControlCode::parse(&s).ok())
}

/// A code of the Japanese or Dutch list: their own prefixed entries, ECCN-style numbers, or unlisted.
fn list_code(prefix: &'static str) -> impl Strategy<Value = ControlCode> {
    prop_oneof![
        prop::sample::select(vec!["7", "7.18", "7.18.a", "3B001.f", "3B001.f.4"])
            .prop_map(move |s| format!("{prefix}:{s}")),
        Just("UNLISTED".to_owned()),
        Just("3B001.f.4".to_owned()),
    ]
    .prop_filter_map("not a code", |s| ControlCode::parse(&s).ok())
}

/// One party's facts: an Entity List entry (policy and footnote) and, for the end user, where it is and is
/// headquartered.
fn listing() -> impl Strategy<Value = (EntityListing, ListFootnote)> {
    (
        prop::sample::select(EntityListing::ALL.to_vec()),
        prop::sample::select(ListFootnote::ALL.to_vec()),
    )
}

fn transaction() -> impl Strategy<Value = Transaction> {
    let decimal =
        |v: Vec<&'static str>| prop::sample::select(v).prop_map(|s| s.parse::<Decimal>().unwrap());
    (
        (
            (
                country(),
                // The CCL field holds CCL codes: a `JP:` code there is another list's (unfit).
                code().prop_filter("a CCL code", |c| c.list_prefix().is_none()),
                country(),
                // Often a bound of the books' content tests, where `<` and `<=` differ.
                prop_oneof![3 => 0i64..100, 1 => prop::sample::select(vec![9i64, 10, 19, 20, 24, 25, 26])],
            ),
            (
                prop::sample::select(Activity::ALL.to_vec()),
                country(),
                prop::sample::select(EndUse::ALL.to_vec()),
            ),
            (
                day(),
                day(),
                prop::sample::select(vec!["customer", "huawei"]),
            ),
        ),
        (
            (list_code("JP"), list_code("NL"), code()),
            (
                any::<bool>(),
                decimal(vec!["0", "2400", "4799.9999", "4800", "9000"]),
                decimal(vec!["0", "1.6", "5.9199", "5.92", "12"]),
            ),
            (
                any::<bool>(),
                any::<bool>(),
                prop::sample::select(DirectProduct::ALL.to_vec()),
            ),
            (listing(), listing(), listing(), listing()),
            (country(), country(), country()),
        ),
    )
        .prop_map(
            |(
                (
                    (exporter_country, item, item_origin, us),
                    (activity, destination, end_use),
                    (d, contract_date, end_user),
                ),
                (
                    (item_jp, item_nl, item_eu),
                    (data_centre, tpp, performance_density),
                    (us_person, notified, fdp),
                    (purchaser, intermediate, ultimate, user),
                    (location, headquarters, parent),
                ),
            )| Transaction {
                exporter: PartyId::new("exporter"),
                exporter_country,
                item_ccl: item,
                item_eu,
                item_wa: item_eu,
                item_nl,
                item_jp,
                item_kr: ControlCode::unlisted(),
                item_origin,
                us_content: Decimal::from_int(us),
                data_centre,
                tpp,
                performance_density,
                activity,
                destination,
                purchaser: PartyId::new("none"),
                intermediate_consignee: PartyId::new("broker"),
                ultimate_consignee: PartyId::new("none"),
                end_user: PartyId::new(end_user),
                end_use,
                us_person,
                fdp,
                notified,
                date: d,
                contract_date,
                purchaser_entity_list: purchaser.0,
                purchaser_entity_list_footnote: purchaser.1,
                intermediate_consignee_entity_list: intermediate.0,
                intermediate_consignee_entity_list_footnote: intermediate.1,
                ultimate_consignee_entity_list: ultimate.0,
                ultimate_consignee_entity_list_footnote: ultimate.1,
                end_user_entity_list: user.0,
                end_user_entity_list_footnote: user.1,
                end_user_location: location,
                end_user_headquarters: headquarters,
                end_user_parent_headquarters: parent,
            },
        )
}

fn shipment() -> impl Strategy<Value = Shipment> {
    (
        (
            country(),
            prop::sample::select(Chemical::ALL.to_vec()),
            prop::sample::select(vec!["99.8", "99.9", "99.91", "100"]),
        ),
        (
            0i64..20,
            any::<bool>(),
            prop::sample::select(vec!["jsr", "JSR", "tok"]),
            code(),
            day(),
        ),
    )
        .prop_map(
            |((to, chemical, purity), (batches, listed, buyer, code, shipped))| Shipment {
                to,
                chemical,
                purity: purity.parse().unwrap(),
                batches,
                listed,
                // Loaders resolve aliases to party ids before evaluation; `JSR` is an alias of `jsr`.
                buyer: PartyId::new(if buyer == "JSR" { "jsr" } else { buyer }),
                code,
                shipped,
            },
        )
}

fn scenario() -> impl Strategy<Value = Scenario> {
    (prop::option::of(day()), any::<bool>())
        .prop_map(|(as_of, proposals)| Scenario { as_of, proposals })
}

fn agree<E: Evaluator>(compiled: &E, case: &E::Case, s: &Scenario) -> Result<(), TestCaseError>
where
    E::Case: control_core::CaseType,
{
    let accepted = control_core::analysis::accept(compiled.rule_set().clone()).unwrap();
    let interpreted = Interpreter::<E::Case>::new(accepted).unwrap();
    let (c, i) = (compiled.decide(case, s), interpreted.decide(case, s));
    prop_assert_eq!(c.to_record(), i.to_record());
    // The interpreter's index skips rules; the definition looks at every one.
    prop_assert_eq!(
        i.to_record(),
        compiled.rule_set().decide(case, s).to_record()
    );
    // Neither evaluator specialises `explain`: both give the definition's explanation. What can differ is
    // whether that explanation agrees with the specialised decision, so compare the two.
    let explanation = compiled.explain(case, s);
    prop_assert_eq!(&explanation, &interpreted.explain(case, s));
    prop_assert_eq!(&explanation.decision, &c.to_record());
    // The compiled jurisdiction test is generated code too.
    let inside = compiled.rule_set().in_jurisdiction(case, s);
    prop_assert_eq!(compiled.in_jurisdiction(case, s), inside);
    prop_assert_eq!(interpreted.in_jurisdiction(case, s), inside);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn nl_servicing_compiled_equals_interpreted(t in transaction(), s in scenario()) {
        agree(&NlServicing, &t, &s)?;
        agree(&NlServicingTable, &t, &s)?;
    }

    #[test]
    fn generated_60_compiled_equals_interpreted(t in transaction(), s in scenario()) {
        agree(&Generated60, &t, &s)?;
        agree(&Generated60Table, &t, &s)?;
    }

    #[test]
    fn custom_schema_compiled_equals_interpreted(c in shipment(), s in scenario()) {
        agree(&Chemicals, &c, &s)?;
        agree(&ChemicalsTable, &c, &s)?;
    }

    #[test]
    fn every_kind_of_test_compiled_equals_interpreted(t in transaction(), s in scenario()) {
        agree(&Coverage, &t, &s)?;
        agree(&CoverageTable, &t, &s)?;
    }
}

/// `n` cases drawn from the same strategy the property tests use, deterministically.
fn sample<T: std::fmt::Debug>(strategy: impl Strategy<Value = T>, n: usize) -> Vec<T> {
    use proptest::strategy::ValueTree;
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    (0..n)
        .map(|_| strategy.new_tree(&mut runner).unwrap().current())
        .collect()
}

#[test]
fn the_generated_book_has_sixty_rules_and_the_random_cases_exercise_it() {
    assert!(Generated60::ir().rules().len() >= 60);
    let cases = sample(transaction(), 2000);
    let decided = cases
        .iter()
        .filter(|t| Generated60.decide(t, &Scenario::CURRENT).deciding().total() > 0)
        .count();
    // The property tests' cases reach the rules, not just the default.
    assert!(
        decided > 100,
        "only {decided} of 2000 cases decided by a rule"
    );
    // Every rule of the coverage book decides some of the random cases.
    let coverage = Coverage::ir();
    for (id, rule) in coverage.rules().iter().enumerate() {
        let hits = cases
            .iter()
            .filter(|t| {
                let d = Coverage.decide(t, &Scenario::CURRENT);
                d.deciding().iter().any(|r| r == id)
            })
            .count();
        assert!(hits > 0, "no random case is decided by `{}`", rule.name);
    }
    // Some random cases are decided by both cumulative rules, stacked.
    let stacked = cases
        .iter()
        .filter(|t| {
            Coverage
                .decide(t, &Scenario::CURRENT)
                .set_by()
                .is_some_and(|by| by == "stack_item")
        })
        .count();
    assert!(stacked > 0, "no random case stacks the cumulative rules");
    let both = sample(shipment(), 500);
    assert!(
        both.iter()
            .filter(|c| Chemicals.decide(c, &Scenario::CURRENT).deciding().total() > 0)
            .count()
            == 500
    );
}

/// At the edges, where `<` and `<=` differ and random cases rarely land: for every code the Transaction books
/// test, every boundary day (as the scenario's date) and several destinations, both expansions decide as the
/// definition does.
#[test]
fn both_expansions_agree_with_the_definition_at_the_edges() {
    use control_core::transaction::fields::ITEM_CCL;
    use control_core::{Test, Value};
    fn check<E: Evaluator<Case = Transaction>>(
        e: &E,
        base: &[Transaction],
        days: &[Date],
    ) -> usize {
        let rs = e.rule_set();
        let mut codes: Vec<ControlCode> = rs
            .rules()
            .iter()
            .flat_map(|r| r.when.tests())
            .filter(|(f, _)| *f == ITEM_CCL)
            .filter_map(|(_, t)| match t {
                Test::Under(c) | Test::Eq(Value::Code(c)) => Some(*c),
                _ => None,
            })
            .collect();
        codes.sort();
        codes.dedup();
        let destinations = [
            Country::CN,
            Country::MO,
            Country::BY,
            Country::IN,
            Country::NL,
            Country::HK,
            Country::JP,
        ];
        let contents = [9, 10, 20, 24, 25, 26];
        let mut checked = 0;
        for (i, code) in codes.iter().enumerate() {
            for (j, day) in days.iter().enumerate() {
                for (k, destination) in destinations.iter().enumerate() {
                    let mut t = base[(i + j + k) % base.len()].clone();
                    t.item_ccl = *code;
                    t.destination = *destination;
                    t.us_content = Decimal::from_int(contents[(i + j + k) % contents.len()]);
                    let s = Scenario {
                        as_of: Some(*day),
                        proposals: (j + k) % 2 == 0,
                    };
                    assert_eq!(
                        e.decide(&t, &s).to_record(),
                        rs.decide(&t, &s).to_record(),
                        "{} on {day}: {t:?}",
                        rs.name()
                    );
                    checked += 1;
                }
            }
        }
        checked
    }
    let base = sample(transaction(), 16);
    let days = boundary_days();
    let mut checked = 0;
    checked += check(&NlServicing, &base, &days) + check(&NlServicingTable, &base, &days);
    checked += check(&Generated60, &base, &days) + check(&Generated60Table, &base, &days);
    checked += check(&Coverage, &base, &days) + check(&CoverageTable, &base, &days);
    assert!(checked > 10_000, "only {checked} cases");
}

/// Each ordered domain at its ends (the largest and smallest decimal and integer, the first and last day) and a
/// code with 25 named children, their own children and a sibling: both expansions decide as the definition.
#[test]
fn both_expansions_agree_with_the_definition_at_the_ends_of_each_domain() {
    let amounts = [
        Decimal::MIN,
        Decimal::from_units(-i64::MAX + 1).unwrap(),
        Decimal::from_int(-1),
        Decimal::from_int(0),
        Decimal::from_units(i64::MAX - 2).unwrap(),
        Decimal::from_units(i64::MAX - 1).unwrap(),
        Decimal::MAX,
    ];
    let counts = [i64::MIN, i64::MIN + 1, -1, 0, 1, 2, i64::MAX - 1, i64::MAX];
    let codes: Vec<ControlCode> = [
        "3B001",
        "3B001.a",
        "3B001.m",
        "3B001.y",
        "3B001.y.1",
        "3B001.z",
        "3B002",
        "EAR99",
    ]
    .iter()
    .map(|c| c.parse().unwrap())
    .collect();
    let days = [
        date(0, 1, 1),
        date(0, 1, 2),
        date(2024, 1, 1),
        date(9999, 12, 30),
        date(9999, 12, 31),
    ];
    let mut scenarios = vec![Scenario::CURRENT, Scenario::CURRENT.with_proposals()];
    scenarios.extend(days.iter().map(|d| Scenario {
        as_of: Some(*d),
        proposals: false,
    }));
    let rs = Extremes::ir();
    let mut checked = 0;
    let mut decided = std::collections::BTreeSet::new();
    for (i, amount) in amounts.iter().enumerate() {
        for (j, count) in counts.iter().enumerate() {
            for (k, code) in codes.iter().enumerate() {
                let case = Edges {
                    amount: *amount,
                    count: *count,
                    code: *code,
                    on: days[(i + j + k) % days.len()],
                };
                for s in &scenarios {
                    let expected = rs.decide(&case, s).to_record();
                    assert_eq!(
                        Extremes.decide(&case, s).to_record(),
                        expected,
                        "{case:?} {s:?}"
                    );
                    assert_eq!(
                        ExtremesTable.decide(&case, s).to_record(),
                        ExtremesTable::ir().decide(&case, s).to_record(),
                        "{case:?} {s:?}"
                    );
                    decided.extend(rs.decide(&case, s).deciding().iter());
                    checked += 1;
                }
            }
        }
    }
    // Every rule decided some case here: the ends were reached, not just walked past.
    assert_eq!(decided.len(), rs.rules().len(), "{decided:?}");
    assert!(checked > 3_000, "only {checked} cases");
}

#[test]
fn compiled_decide_allocates_nothing() {
    let cases = sample(transaction(), 500);
    let s = [Scenario::CURRENT, Scenario::CURRENT.with_proposals()];
    // The IR is built on first use; build it before counting.
    let _ = (
        NlServicing::ir(),
        Generated60::ir(),
        NlServicingTable::ir(),
        Generated60Table::ir(),
        CoverageTable::ir(),
    );
    let mut levels = 0u64;
    let info = allocation_counter::measure(|| {
        for t in &cases {
            for s in &s {
                levels += u64::from(NlServicing.decide(t, s).outcome().map_or(9, |o| o.level()));
                levels += u64::from(Generated60.decide(t, s).outcome().map_or(9, |o| o.level()));
                // The table expansion, with a treated territory (its `Env`) and dated groups.
                levels += u64::from(
                    Generated60Table
                        .decide(t, s)
                        .outcome()
                        .map_or(9, |o| o.level()),
                );
                levels += u64::from(
                    CoverageTable
                        .decide(t, s)
                        .outcome()
                        .map_or(9, |o| o.level()),
                );
            }
        }
    });
    assert_eq!(info.count_total, 0);
    assert!(levels > 0);
}
