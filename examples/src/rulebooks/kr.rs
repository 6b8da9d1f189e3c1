//! South Korea: the Foreign Trade Act (art. 19(2)) requires export permission for strategic items, listed in
//! the Public Notice on Trade of Strategic Items (Annex 2, in the Wassenaar numbering: unconfirmed, from an
//! indirect source). No control beyond the Wassenaar list was found before 7 March 2024 (the first national
//! semiconductor items came with the 36th amendment, in force 28 February 2025). The seed report's request
//! (row 9, chips and parts for chip-making equipment to China) is encoded as not adopted.

control_macros::rules! {
    /// KR: strategic items, and the US request.
    pub rule_set KrProposals for Transaction {
        regime "KR";
        list KR;
        applies when exporter_country == KR;
        otherwise not_controlled;

        /// Exporting a strategic item needs permission, whatever the destination; the review policy is not
        /// stated in the Act (encoded case by case).
        rule strategic_items {
            citation "Foreign Trade Act art. 19(2); Public Notice on Trade of Strategic Items, Annex 2 (numbering and review policy unconfirmed)";
            when activity in [export, reexport, spare_parts, technology_release] && item != UNLISTED;
            then licence_required(case_by_case);
        }

        /// Chips and parts for chip-making equipment that are not strategic items, to China (structured dialogue
        /// since February 2024). Scope as this book reads the request: the item's CCL classification tells
        /// equipment (3B) and chips (3A) apart.
        rule equipment_parts_cn {
            citation "Report of 7 March 2024 (seed scenario, row 9): structured dialogue since February 2024";
            proposed;
            when activity in [export, spare_parts] && item == UNLISTED && destination == CN
                && (item.ccl under 3B001 || item.ccl under 3B002 || item.ccl under 3B090 || item.ccl under 3B991
                    || item.ccl under 3A001 || item.ccl under 3A090);
            then licence_required(case_by_case);
        }
    }
}
