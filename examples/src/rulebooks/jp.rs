//! Japan: METI's measure announced 23 May 2023, in force 23 July 2023 (23 items of semiconductor manufacturing
//! equipment), and the proposals of the seed report (photoresist, servicing, spare parts).
//!
//! The 23 items are encoded by their Wassenaar-equivalent ECCNs (3B001, 3B002); the mapping is unconfirmed.

control_macros::rules! {
    /// JP: semiconductor manufacturing equipment.
    pub rule_set JpSemiconductor for Transaction {
        regime "JP";
        applies when exporter_country == JP;
        otherwise not_controlled;

        /// The 42 destinations with simpler licensing. Unconfirmed list: Japan's Group A (26) and 16 others.
        group friendly_42 = [AT, BE, BG, HR, CY, CZ, DK, EE, FI, FR, DE, GR, HU, IE, IT, LV, LT, LU, MT, NL, PL,
            PT, RO, SK, SI, ES, SE, US, GB, CA, AU, NZ, NO, CH, IS, KR, SG, TW, IN, IL, AR, ZA];

        /// Licence for all destinations; for the 42 friendly ones a simpler (general) licence.
        rule equipment_friendly {
            citation "METI, Export Trade Control Order amendment of 23 May 2023, in force 23 July 2023 (unconfirmed item mapping)";
            from 2023-07-23;
            when activity in [export, reexport] && (item under 3B001 || item under 3B002)
                && destination in group friendly_42;
            then licence_required(presumption_of_approval);
        }

        /// Licence for all other destinations, China included, reviewed case by case.
        rule equipment_others {
            citation "METI, Export Trade Control Order amendment of 23 May 2023, in force 23 July 2023 (unconfirmed item mapping)";
            from 2023-07-23;
            when activity in [export, reexport] && (item under 3B001 || item under 3B002)
                && destination not in group friendly_42;
            then licence_required(case_by_case);
        }

        /// Proposed (row 7): chemicals critical to chip production, photoresist included (JSR, Shin-Etsu).
        /// No photoresist control was found as of March 2024.
        rule photoresist_cn {
            citation "Report of 7 March 2024 (seed scenario, row 7): US request, not adopted";
            proposed;
            when item under 3C002 && destination == CN;
            then licence_required(case_by_case);
        }

        /// Proposed (row 10): engineers servicing equipment already sold in China.
        rule servicing_cn {
            citation "Report of 7 March 2024 (seed scenario, row 10): a loophole today, proposed control";
            proposed;
            when activity in [servicing, technical_assistance] && (item under 3B001 || item under 3B002) && destination == CN;
            then licence_required(case_by_case);
        }

        /// Proposed (row 11): components and spare parts for that equipment.
        rule spare_parts_cn {
            citation "Report of 7 March 2024 (seed scenario, row 11): a loophole today, proposed control";
            proposed;
            when activity == spare_parts && (item under 3B001 || item under 3B002) && destination == CN;
            then licence_required(case_by_case);
        }
    }
}
