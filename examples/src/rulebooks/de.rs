//! Germany: no adopted measure was found as of March 2024; the US asked for controls on Carl Zeiss optical
//! components for ASML lithography (seed scenario row 8).

control_macros::rules! {
    /// DE: proposals only.
    pub rule_set DeProposals for Transaction {
        regime "DE";
        applies when exporter_country == DE;
        otherwise not_controlled;

        /// Optical components for lithography (encoded under 3B001.f) shipped to China. Unconfirmed scope.
        rule zeiss_optics_cn {
            citation "Report of 7 March 2024 (seed scenario, row 8): US request, not adopted";
            proposed;
            when item under 3B001.f && activity in [export, spare_parts] && destination == CN;
            then licence_required(case_by_case);
        }
    }
}
