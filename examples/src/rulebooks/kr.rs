//! South Korea: no adopted measure was found as of March 2024; a structured dialogue with the US since
//! February 2024 covers chips and parts for chip-making equipment (seed scenario row 9).

control_macros::rules! {
    /// KR: proposals only.
    pub rule_set KrProposals for Transaction {
        regime "KR";
        applies when exporter_country == KR;
        otherwise not_controlled;

        /// Parts and equipment for chip making (3B001, 3B002) shipped to China. Unconfirmed scope.
        rule equipment_parts_cn {
            citation "Report of 7 March 2024 (seed scenario, row 9): structured dialogue since February 2024";
            proposed;
            when (item under 3B001 || item under 3B002) && activity in [export, spare_parts] && destination == CN;
            then licence_required(case_by_case);
        }
    }
}
