//! Germany: Regulation (EU) 2021/821 applies (the `EU` book); no national control of semiconductor
//! manufacturing items was found before 7 March 2024 (the first entries of the Ausfuhrliste came with the
//! 21st amendment of the Außenwirtschaftsverordnung, 17 July 2024, per secondary sources). The US asked for
//! controls on Carl Zeiss optical components for ASML's lithography (seed scenario row 8): the optics of EUV
//! tools are specially designed components of an Annex I entry (3B001.f.1) already; the request matters for
//! the optics of the immersion DUV scanners that only the Dutch annex lists.

control_macros::rules! {
    /// DE: national measures (none in force) and the US request.
    pub rule_set DeProposals for Transaction {
        regime "DE";
        list EU;
        applies when exporter_country == DE;
        otherwise not_controlled;

        /// Optical components for lithography tools that are not on Annex I (the Dutch annex's 3B001.f.4
        /// scanners) shipped to China. Scope as this book reads the request.
        rule zeiss_optics_cn {
            citation "Report of 7 March 2024 (seed scenario, row 8): US request, not adopted";
            proposed;
            when activity in [export, spare_parts] && item == UNLISTED && item.nl under 3B001.f.4
                && destination == CN;
            then licence_required(case_by_case);
        }
    }
}
