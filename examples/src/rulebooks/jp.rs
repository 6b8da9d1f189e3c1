//! Japan: the Foreign Exchange and Foreign Trade Act (art. 48(1)) and the Export Trade Control Order,
//! Appended Table 1, with the Ministerial Order specifying goods (貨物等省令). Two layers:
//!
//! - the Wassenaar-listed items Japan controlled before 2023 (including 3C002 resists and the EUV tools of
//!   3B001.f.1): a licence for every destination, a general bulk licence for Appended Table 3 countries ("Group
//!   A"). Japan numbers them in its own order; the item's `item.jp` gives them in the Wassenaar numbering as a
//!   stand-in (mapping unconfirmed);
//! - the 23 items of semiconductor manufacturing equipment added by the amendment promulgated 23 May 2023, in
//!   force 23 July 2023 (Ministerial Order item 17 sub-items and item 17-2, per secondary sources; the article
//!   is unconfirmed), written `JP:6.17`: a licence for every destination, a general bulk licence for 42
//!   countries and regions (the list is unconfirmed: only the US, Korea, Taiwan, Singapore, the Netherlands,
//!   India and Lithuania are named by the sources found).
//!
//! Review policies are not stated in the law: a general bulk licence is encoded as a presumption of approval,
//! an individual licence as case by case. The proposals of the seed report (photoresist, servicing, spare
//! parts) are encoded as not adopted.

control_macros::rules! {
    /// JP: list-controlled items and semiconductor manufacturing equipment.
    pub rule_set JpSemiconductor for Transaction {
        regime "JP";
        list JP;
        applies when exporter_country == JP;
        otherwise not_controlled;

        /// Appended Table 3 of the Export Trade Control Order ("Group A"), without Korea (removed 28 Aug 2019,
        /// restored 21 Jul 2023: below). Unconfirmed (the Order's table was not read).
        group group_a = [AR, AU, AT, BE, BG, CA, CZ, DK, FI, FR, DE, GR, HU, IE, IT, LU, NL, NZ, NO, PL, PT,
            ES, SE, CH, GB, US];

        /// The 42 destinations with a general bulk licence for the 23 items. Unconfirmed list: Group A, the
        /// other EU member states and others named by secondary sources.
        group friendly_42 = [AT, BE, BG, HR, CY, CZ, DK, EE, FI, FR, DE, GR, HU, IE, IT, LV, LT, LU, MT, NL, PL,
            PT, RO, SK, SI, ES, SE, US, GB, CA, AU, NZ, NO, CH, IS, KR, SG, TW, IN, IL, AR, ZA];

        /// Wassenaar-listed items to Group A: a general bulk licence.
        rule list_items_group_a {
            citation "Foreign Exchange and Foreign Trade Act art. 48(1); Export Trade Control Order Appended Table 1 item 7 and Appended Table 3 (paragraphs unconfirmed)";
            when activity in [export, reexport, spare_parts, technology_release]
                && (item under 3A001 || item under 3B001 || item under 3B002 || item under 3C002)
                && destination in group group_a;
            then licence_required(presumption_of_approval);
        }

        /// Korea back in Group A from 21 Jul 2023 (METI; date unconfirmed).
        rule list_items_korea {
            citation "Export Trade Control Order Appended Table 3, amendment in force 21 Jul 2023 (date unconfirmed)";
            from 2023-07-21;
            when activity in [export, reexport, spare_parts, technology_release]
                && (item under 3A001 || item under 3B001 || item under 3B002 || item under 3C002)
                && destination == KR;
            then licence_required(presumption_of_approval);
        }

        /// Wassenaar-listed items to Korea while it was outside Group A (28 Aug 2019 to 20 Jul 2023).
        rule list_items_korea_2019 {
            citation "Export Trade Control Order Appended Table 3, amendment in force 28 Aug 2019 (date unconfirmed)";
            from 2019-08-28;
            until 2023-07-21;
            when activity in [export, reexport, spare_parts, technology_release]
                && (item under 3A001 || item under 3B001 || item under 3B002 || item under 3C002)
                && destination == KR;
            then licence_required(case_by_case);
        }

        /// Wassenaar-listed items to other destinations (China included): an individual licence.
        rule list_items_others {
            citation "Foreign Exchange and Foreign Trade Act art. 48(1); Export Trade Control Order Appended Table 1 item 7 (paragraphs unconfirmed)";
            when activity in [export, reexport, spare_parts, technology_release]
                && (item under 3A001 || item under 3B001 || item under 3B002 || item under 3C002)
                && destination not in group group_a && destination != KR;
            then licence_required(case_by_case);
        }

        /// The 23 items of 2023 to the 42 destinations: a general bulk licence.
        rule equipment_friendly {
            citation "Ministerial Order specifying goods, item 17 sub-items and 17-2 as amended 23 May 2023, in force 23 Jul 2023 (secondary sources; article unconfirmed)";
            from 2023-07-23;
            when activity in [export, reexport, technology_release] && item under JP:6.17
                && destination in group friendly_42;
            then licence_required(presumption_of_approval);
        }

        /// The 23 items to every other destination, China included: an individual licence.
        rule equipment_others {
            citation "Ministerial Order specifying goods, item 17 sub-items and 17-2 as amended 23 May 2023, in force 23 Jul 2023 (secondary sources; article unconfirmed)";
            from 2023-07-23;
            when activity in [export, reexport, technology_release] && item under JP:6.17
                && destination not in group friendly_42;
            then licence_required(case_by_case);
        }

        /// Proposed (row 7): chemicals critical to chip production, photoresist included (JSR, Shin-Etsu), beyond
        /// the resists Japan lists already (3C002). The report names no list entry: this book finds the resists
        /// by their CCL classification (3C992, positive resists).
        rule photoresist_cn {
            citation "Report of 7 March 2024 (seed scenario, row 7): US request, not adopted";
            proposed;
            when activity == export && item == UNLISTED && item.ccl under 3C992 && destination == CN;
            then licence_required(case_by_case);
        }

        /// Proposed (row 10): engineers servicing equipment already sold in China.
        rule servicing_cn {
            citation "Report of 7 March 2024 (seed scenario, row 10): a loophole today, proposed control";
            proposed;
            when activity in [servicing, technical_assistance]
                && (item under JP:6.17 || item under 3B001 || item under 3B002) && destination == CN;
            then licence_required(case_by_case);
        }

        /// Proposed (row 11): components and spare parts for the 23 items (for Wassenaar-listed items they need
        /// a licence already).
        rule spare_parts_cn {
            citation "Report of 7 March 2024 (seed scenario, row 11): a loophole today, proposed control";
            proposed;
            when activity == spare_parts && item under JP:6.17 && destination == CN;
            then licence_required(case_by_case);
        }
    }
}
