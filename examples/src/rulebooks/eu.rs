//! The European Union: Regulation (EU) 2021/821 (the dual-use regulation), which every member state applies
//! beside its national measures (the Netherlands' national annex, Germany's Ausfuhrliste). Exports from the
//! Union of items on its Annex I need an authorisation (art. 3(1)); the Union General Export Authorisation
//! EU001 (art. 12(1)(a), Annex II Section A) covers exports to ten close partners. The sanctions on Russia
//! (Regulation (EU) No 833/2014) and Belarus (Regulation (EC) No 765/2006) prohibit the export of dual-use
//! items to them.
//!
//! Annex I is read through the item's classification on the EU list (`item.eu`): the Annex I text (as amended
//! by the Commission's delegated regulation of September 2023) was not available to this book, so which
//! items it lists is the classification's claim, not this book's. Annex IIg (items EU001 excludes) was not read
//! either: EU001 is encoded for every Annex I item of the scenario (unconfirmed). Technical assistance is
//! controlled only for WMD and military end uses (art. 8), which the scenario's items are not: servicing and
//! technical assistance are not exports here.

control_macros::rules! {
    /// EU: Annex I of the dual-use regulation, for exports from any member state.
    pub rule_set EuDualUse for Transaction {
        regime "EU";
        list EU;
        applies when exporter_country in group EU27;
        otherwise not_controlled;

        /// Art. 3(1): "An authorisation shall be required for the export of the dual-use items listed in Annex
        /// I." Export (art. 2(2)) is leaving the customs territory of the Union: shipments, re-exports,
        /// components and spare parts (Annex I entries such as 3B001 cover their "specially designed components
        /// and accessories"), and transmission of software or technology. Member states decide each application
        /// (art. 12(1)(a), 15): case by case.
        rule annex_i_export {
            citation "Regulation (EU) 2021/821, art. 2(2), 3(1), 15 (Annex I entries per the item's EU classification)";
            when activity in [export, reexport, spare_parts, technology_release]
                && item != UNLISTED
                && destination not in group EU27;
            then licence_required(case_by_case);
        }

        /// The EU's sanctions on Russia: selling, supplying, transferring or exporting dual-use goods and
        /// technology (Annex I items) to Russia or for use there is prohibited, and so is technical assistance
        /// for them (art. 2(1), (2)). In force from 25 Feb 2022 (date unconfirmed).
        rule russia_dual_use {
            citation "Council Regulation (EU) No 833/2014, art. 2(1)-(2), as amended by Regulation (EU) 2022/328 (date of effect unconfirmed)";
            from 2022-02-25;
            overrides annex_i_export;
            when item != UNLISTED && destination == RU;
            then prohibited;
        }

        /// The same prohibition for Belarus, from 3 Mar 2022 (date unconfirmed).
        rule belarus_dual_use {
            citation "Council Regulation (EC) No 765/2006, art. 1e, as amended by Regulation (EU) 2022/355 (date of effect unconfirmed)";
            from 2022-03-03;
            overrides annex_i_export;
            when item != UNLISTED && destination == BY;
            then prohibited;
        }

        /// Union General Export Authorisation EU001: Australia, Canada, Iceland, Japan, New Zealand, Norway,
        /// Switzerland with Liechtenstein, the United Kingdom and the United States. Annex IIg exclusions
        /// unconfirmed.
        rule eu001 {
            citation "Regulation (EU) 2021/821, art. 12(1)(a), Annex II Section A (EU001); Annex IIg not read";
            overrides annex_i_export;
            when activity in [export, reexport, spare_parts, technology_release]
                && item != UNLISTED
                && destination in [AU, CA, IS, JP, NZ, NO, CH, LI, GB, US];
            then licence_exception(EU001);
        }
    }
}
