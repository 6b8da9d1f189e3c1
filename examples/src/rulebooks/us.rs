//! United States, Export Administration Regulations (15 CFR parts 730–774), for the items, parties and dates of
//! the seed scenario (October 2022 to March 2024), read from the eCFR text in force on each date
//! (`MichalOpoka/ecfr`; the text of 17 Nov 2023 to 3 Apr 2024 at commit `72c1e582`, §746.8 at `317c1e6e`, the
//! text of 25 Oct to 16 Nov 2023 at `d5918eaa`).
//!
//! What each rule rests on is in its citation; "unconfirmed" marks a fact this book could not read in a primary
//! text (the Supplements, the Country Chart, the CCL entries and the October 2022 wording are not in the
//! mirror). Amendments after 3 Apr 2024 (89 FR 23876 and later) are not encoded.
//!
//! Jurisdiction (§734.3, §734.4, §734.9, §744.6): an item is subject to the EAR when it is exported from the
//! US, is of US origin, exceeds the de minimis level of US content (25 %; 10 % to Country Groups E:1 and E:2,
//! §734.4(c), (d)), has no de minimis level (§734.4(a)(3)), or is a foreign direct product under a rule of
//! §734.9 (the `fdp` fact). US persons are restricted by §744.6 whatever the item: a transaction with a US
//! person and no item subject to the EAR is in jurisdiction for the §744.6 rules only (`item_not_subject`).
//!
//! Requirements of part 742, 744 and 746 apply in addition to each other (§744.11 introduction: "in addition
//! to those set forth elsewhere in the EAR"; §746.8(a)(1): "In addition to license requirements specified on
//! the Commerce Control List"): the book is cumulative, and the strictest review policy is the answer.
//! License Exception NAC overrides the §742.6(a)(6)(iii) requirements it excepts and is not available where a
//! part 744 or 746 requirement applies (§740.8(b)(1)): its condition leaves those cases out, so that the
//! §742.6 requirement stands beside the barring one (a rule overridden by an exception that applies does not
//! decide, even where the exception is itself overridden).

control_macros::rules! {
    /// US EAR: advanced computing, semiconductor manufacturing equipment, end uses, US persons, the Entity
    /// List, the embargoes of part 746 and National Security column 2 for the items of the scenario.
    pub rule_set UsEar for Transaction {
        regime "US";
        list CCL;
        applies when exporter_country == US
            || item_origin == US
            || us_content > 25%
            || (us_content > 10% && (destination in group EAR:E:1 || destination in group EAR:E:2))
            || (us_content > 0% && item under 3B001.f.1.b.2.b && end_use == advanced_logic_fab
                && !(exporter_country == NL && (item.nl != UNLISTED || item.eu != UNLISTED))
                && !(exporter_country == JP && item.jp != UNLISTED))
            || fdp != none
            || us_person;
        otherwise not_controlled;
        cumulative;
        // Hong Kong is not a separate destination under the EAR since 23 Dec 2020: every rule that names China
        // (or a group China is in) covers it from then on.
        treat HK as CN from 2020-12-23, citation "85 FR 83765 (23 Dec 2020); 15 CFR 740 Supp. No. 1";

        party huawei = "Huawei Technologies Co., Ltd." aka "Huawei", "华为", "HiSilicon";
        party smic = "Semiconductor Manufacturing International Corporation" aka "SMIC", "中芯国际";

        /// No item subject to the EAR moves (§734.3: not exported from the US, not of US origin, within de
        /// minimis, no foreign direct product rule), or the activity moves no item (servicing or technical
        /// assistance without parts): only the §744.6 restrictions on US persons can apply.
        rule item_not_subject {
            not_cumulative;
            citation "15 CFR 734.3(a), 734.4(c), (d), 734.9";
            overrides rs_china_2022, rs_sme_allied_china_2022, rs_macau_2023, rs_sme_allied_macau_2023,
                sme_d5_reviewed_as_744_23, sme_d5_allied, sme_d5_other, ac_d5, ac_d1_d4_headquartered_d5,
                ac_d1_d4, nac, ac_headquartered_d5_elsewhere, nac_headquartered_d5, advanced_node_china_2022,
                advanced_node_allied_china_2022, advanced_node_macau_2023, advanced_node_allied_macau_2023,
                advanced_node_d5, advanced_node_allied_d5, unknown_node_d5, supercomputer_china_2022,
                supercomputer_macau_2023, supercomputer_d5, entity_list_denial, entity_list_case_by_case,
                entity_list_approval, entity_list_by_item, entity_list_by_item_advanced, russia, belarus,
                north_korea, syria, cuba, iran, ns_column_2;
            when !(exporter_country == US
                    || item_origin == US
                    || us_content > 25%
                    || (us_content > 10% && (destination in group EAR:E:1 || destination in group EAR:E:2))
                    || (us_content > 0% && item under 3B001.f.1.b.2.b && end_use == advanced_logic_fab
                        && !(exporter_country == NL && (item.nl != UNLISTED || item.eu != UNLISTED))
                        && !(exporter_country == JP && item.jp != UNLISTED))
                    || fdp != none)
                || activity in [servicing, technical_assistance];
            then not_controlled;
        }

        // ---- §742.6(a)(6), October 2022 text (China), and with Macau from 17 Jan 2023 ----

        /// 3A090, 4A090 and 3B090 to China: presumption of denial (§742.6(b)(10) as in force until 16 Nov 2023).
        /// The October 2022 wording (China only) was not read; its effective date for these ECCNs, 21 Oct 2022,
        /// is unconfirmed. Semiconductor equipment for end users headquartered in the US, A:5 or A:6 is below.
        rule rs_china_2022 {
            citation "15 CFR 742.6(a)(6)(i), (b)(10) (87 FR 62186, 13 Oct 2022; effective date 21 Oct 2022 unconfirmed)";
            from 2022-10-21;
            until 2023-11-17;
            when (item under 3A090 || item under 4A090 || item under 3B090) && destination == CN
                && !(item under 3B090
                    && (end_user.headquarters == US || end_user.headquarters in group EAR:A:5
                        || end_user.headquarters in group EAR:A:6));
            then licence_required(presumption_of_denial);
        }

        /// §742.6(b)(10) until 16 Nov 2023: semiconductor equipment for end users in China headquartered in the
        /// US or in A:5 or A:6, case by case.
        rule rs_sme_allied_china_2022 {
            citation "15 CFR 742.6(b)(10) (text of 25 Oct 2023, eCFR commit d5918eaa; October 2022 wording unconfirmed)";
            from 2022-10-21;
            until 2023-11-17;
            when item under 3B090 && destination == CN
                && (end_user.headquarters == US || end_user.headquarters in group EAR:A:5
                    || end_user.headquarters in group EAR:A:6);
            then licence_required(case_by_case);
        }

        /// Macau added to §742.6(a)(6) and (b)(10) by 88 FR 2821 (effective 17 Jan 2023; date from a secondary
        /// source, the text "China or Macau" read in the eCFR of 25 Oct 2023).
        rule rs_macau_2023 {
            citation "15 CFR 742.6(a)(6)(i), (b)(10) (88 FR 2821, 18 Jan 2023; effective 17 Jan 2023 unconfirmed)";
            from 2023-01-17;
            until 2023-11-17;
            when (item under 3A090 || item under 4A090 || item under 3B090) && destination == MO
                && !(item under 3B090
                    && (end_user.headquarters == US || end_user.headquarters in group EAR:A:5
                        || end_user.headquarters in group EAR:A:6));
            then licence_required(presumption_of_denial);
        }

        /// As `rs_sme_allied_china_2022`, for Macau.
        rule rs_sme_allied_macau_2023 {
            citation "15 CFR 742.6(b)(10) (88 FR 2821; text of 25 Oct 2023, eCFR commit d5918eaa)";
            from 2023-01-17;
            until 2023-11-17;
            when item under 3B090 && destination == MO
                && (end_user.headquarters == US || end_user.headquarters in group EAR:A:5
                    || end_user.headquarters in group EAR:A:6);
            then licence_required(case_by_case);
        }

        // ---- §742.6(a)(6)(i), from 17 Nov 2023: semiconductor manufacturing equipment to Macau and D:5 ----

        /// 3B001.a.4, c, d, f.1.b, k to p, 3B002.b and c to Macau or D:5, where part 744 also requires a licence
        /// (an advanced-node fab, §744.23(a)(2)(i), or a listed party): reviewed as §744.23(d) says, presumption
        /// of denial for Macau and D:5. The software and technology "for" these items (3D001, 3D002, 3E001) are
        /// not encoded: the item fact cannot say what a 3D001 entry is for.
        rule sme_d5_reviewed_as_744_23 {
            citation "15 CFR 742.6(a)(6)(i), (b)(10)(i); 744.23(d) (88 FR 73424, 88 FR 73458)";
            from 2023-11-17;
            when (item under 3B001.a.4 || item under 3B001.c || item under 3B001.d || item under 3B001.f.1.b
                    || item under 3B001.k || item under 3B001.l || item under 3B001.m || item under 3B001.n
                    || item under 3B001.o || item under 3B001.p || item under 3B002.b || item under 3B002.c)
                && (destination in group EAR:D:5 || destination == MO)
                && (end_use in [advanced_logic_fab, advanced_memory_fab] || any_party.entity_list != not_listed)
                && !((end_user.headquarters == US || end_user.headquarters in group EAR:A:5
                        || end_user.headquarters in group EAR:A:6)
                    && end_user.parent_headquarters not in group EAR:D:5 && end_user.parent_headquarters != MO);
            then licence_required(presumption_of_denial);
        }

        /// §744.23(d): presumption of approval for end users headquartered in the US, A:5 or A:6 that are not
        /// majority-owned by an entity headquartered in Macau or D:5 (read here as the ultimate parent's
        /// headquarters).
        rule sme_d5_allied {
            citation "15 CFR 742.6(a)(6)(i), (b)(10)(i); 744.23(d)";
            from 2023-11-17;
            when (item under 3B001.a.4 || item under 3B001.c || item under 3B001.d || item under 3B001.f.1.b
                    || item under 3B001.k || item under 3B001.l || item under 3B001.m || item under 3B001.n
                    || item under 3B001.o || item under 3B001.p || item under 3B002.b || item under 3B002.c)
                && (destination in group EAR:D:5 || destination == MO)
                && (end_use in [advanced_logic_fab, advanced_memory_fab] || any_party.entity_list != not_listed)
                && (end_user.headquarters == US || end_user.headquarters in group EAR:A:5
                    || end_user.headquarters in group EAR:A:6)
                && end_user.parent_headquarters not in group EAR:D:5 && end_user.parent_headquarters != MO;
            then licence_required(presumption_of_approval);
        }

        /// §742.6(b)(10)(i): case by case where part 744 requires no licence (a fab that is not advanced-node,
        /// no listed party).
        rule sme_d5_other {
            citation "15 CFR 742.6(a)(6)(i), (b)(10)(i)";
            from 2023-11-17;
            when (item under 3B001.a.4 || item under 3B001.c || item under 3B001.d || item under 3B001.f.1.b
                    || item under 3B001.k || item under 3B001.l || item under 3B001.m || item under 3B001.n
                    || item under 3B001.o || item under 3B001.p || item under 3B002.b || item under 3B002.c)
                && (destination in group EAR:D:5 || destination == MO)
                && end_use not in [advanced_logic_fab, advanced_memory_fab]
                && !(any_party.entity_list != not_listed);
            then licence_required(case_by_case);
        }

        // ---- §742.6(a)(6)(iii), from 17 Nov 2023: advanced computing items to D:1, D:4, D:5 ----

        /// To Macau or D:5: presumption of denial (§742.6(b)(10)(ii), second sentence).
        rule ac_d5 {
            citation "15 CFR 742.6(a)(6)(iii), (b)(10)(ii) (88 FR 73458)";
            from 2023-11-17;
            when (item under 3A001.z || item under 3A090 || item under 4A003.z || item under 4A004.z
                    || item under 4A005.z || item under 4A090 || item under 5A002.z || item under 5A004.z
                    || item under 5A992.z || item under 5D002.z || item under 5D992.z)
                && (destination in group EAR:D:5 || destination == MO)
                && destination not in group EAR:A:5 && destination not in group EAR:A:6;
            then licence_required(presumption_of_denial);
        }

        /// To D:1 or D:4 (not also A:5 or A:6), for an entity headquartered, or whose ultimate parent is
        /// headquartered, in Macau or D:5: presumption of denial (§742.6(b)(10)(ii), first sentence).
        rule ac_d1_d4_headquartered_d5 {
            citation "15 CFR 742.6(a)(6)(iii), (b)(10)(ii) (88 FR 73458)";
            from 2023-11-17;
            when (item under 3A001.z || item under 3A090 || item under 4A003.z || item under 4A004.z
                    || item under 4A005.z || item under 4A090 || item under 5A002.z || item under 5A004.z
                    || item under 5A992.z || item under 5D002.z || item under 5D992.z)
                && (destination in group EAR:D:1 || destination in group EAR:D:4)
                && destination not in group EAR:D:5 && destination != MO
                && destination not in group EAR:A:5 && destination not in group EAR:A:6
                && (end_user.headquarters in group EAR:D:5 || end_user.headquarters == MO
                    || end_user.parent_headquarters in group EAR:D:5 || end_user.parent_headquarters == MO);
            then licence_required(presumption_of_denial);
        }

        /// To D:1 or D:4 (not also A:5 or A:6) otherwise: presumption of approval.
        rule ac_d1_d4 {
            citation "15 CFR 742.6(a)(6)(iii), (b)(10)(ii) (88 FR 73458)";
            from 2023-11-17;
            when (item under 3A001.z || item under 3A090 || item under 4A003.z || item under 4A004.z
                    || item under 4A005.z || item under 4A090 || item under 5A002.z || item under 5A004.z
                    || item under 5A992.z || item under 5D002.z || item under 5D992.z)
                && (destination in group EAR:D:1 || destination in group EAR:D:4)
                && destination not in group EAR:D:5 && destination != MO
                && destination not in group EAR:A:5 && destination not in group EAR:A:6
                && !(end_user.headquarters in group EAR:D:5 || end_user.headquarters == MO
                    || end_user.parent_headquarters in group EAR:D:5 || end_user.parent_headquarters == MO);
            then licence_required(presumption_of_approval);
        }

        /// License Exception NAC (§740.8(a)): the items of §742.6(a)(6)(iii) except those designed or marketed
        /// for data centres that meet 3A090.a (read as a TPP of 4800 or more, or 1600 or more with a performance
        /// density of 5.92 or more: the CCL entry is unconfirmed), to D:1 or D:4, and to Macau or D:5 after
        /// notifying BIS (§740.8(a)(2), (c)). Not where part 744 or 746 requires a licence (§740.8(b)(1)).
        rule nac {
            not_cumulative;
            citation "15 CFR 740.8(a), (b)(1) (88 FR 73491); 740.2(a)(9)(ii); 3A090.a parameters unconfirmed";
            from 2023-11-17;
            overrides ac_d5, ac_d1_d4_headquartered_d5, ac_d1_d4;
            when (item under 3A001.z || item under 3A090 || item under 4A003.z || item under 4A004.z
                    || item under 4A005.z || item under 4A090 || item under 5A002.z || item under 5A004.z
                    || item under 5A992.z || item under 5D002.z || item under 5D992.z)
                && !(data_centre && (tpp >= 4800 || (tpp >= 1600 && performance_density >= 5.92)))
                && destination not in group EAR:A:5 && destination not in group EAR:A:6
                && (((destination in group EAR:D:1 || destination in group EAR:D:4)
                        && destination not in group EAR:D:5 && destination != MO)
                    || ((destination in group EAR:D:5 || destination == MO) && notified))
                // §740.8(b)(1): not where part 744 or 746 requires a licence (the Entity List, §744.23's end
                // uses, the embargoes and §746.8). Stated here rather than by overriding NAC, so that the
                // §742.6 requirement NAC would except still decides beside the barring one; the analysis proves
                // the two never meet.
                && !(any_party.entity_list != not_listed)
                && !(end_use in [advanced_logic_fab, advanced_memory_fab]
                    && (destination in group EAR:D:5 || destination == MO))
                && !(end_use == supercomputer && (destination in group EAR:D:5 || destination == MO)
                    && (item under 3A001 || item under 4A003 || item under 4A004 || item under 5A002
                        || item under 5A004 || item under 5A992))
                && destination not in [RU, BY, KP, SY, CU, IR];
            then licence_exception(NAC);
        }

        // ---- §744.23, end uses ----

        /// §744.23(a)(3): the advanced computing items to a destination outside D:1, D:4 and D:5 (or in A:5 or
        /// A:6) for an entity headquartered, or whose ultimate parent is headquartered, in Macau or D:5. Reviewed
        /// under §744.23(d): case by case (neither Macau nor D:5 is the destination, the end user is not
        /// headquartered in an allied country; foreign availability is not a fact of the model).
        rule ac_headquartered_d5_elsewhere {
            citation "15 CFR 744.23(a)(3)(i), (d) (88 FR 73449)";
            from 2023-11-17;
            when (item under 3A001.z || item under 3A090 || item under 4A003.z || item under 4A004.z
                    || item under 4A005.z || item under 4A090 || item under 5A002.z || item under 5A004.z
                    || item under 5A992.z || item under 5D002.z || item under 5D992.z)
                && !((destination in group EAR:D:1 || destination in group EAR:D:4
                        || destination in group EAR:D:5 || destination == MO)
                    && destination not in group EAR:A:5 && destination not in group EAR:A:6)
                && (end_user.headquarters in group EAR:D:5 || end_user.headquarters == MO
                    || end_user.parent_headquarters in group EAR:D:5 || end_user.parent_headquarters == MO);
            then licence_required(case_by_case);
        }

        /// NAC is available for the §744.23(a)(3) requirement (§740.8(b)(1), its one exception), for the
        /// exports to an entity headquartered in Macau or D:5 that §740.8(a) allows after notification.
        rule nac_headquartered_d5 {
            not_cumulative;
            citation "15 CFR 740.8(a), (b)(1) (88 FR 73491); 3A090.a parameters unconfirmed";
            from 2023-11-17;
            overrides ac_headquartered_d5_elsewhere;
            when (item under 3A001.z || item under 3A090 || item under 4A003.z || item under 4A004.z
                    || item under 4A005.z || item under 4A090 || item under 5A002.z || item under 5A004.z
                    || item under 5A992.z || item under 5D002.z || item under 5D992.z)
                && !(data_centre && (tpp >= 4800 || (tpp >= 1600 && performance_density >= 5.92)))
                && !((destination in group EAR:D:1 || destination in group EAR:D:4
                        || destination in group EAR:D:5 || destination == MO)
                    && destination not in group EAR:A:5 && destination not in group EAR:A:6)
                && (end_user.headquarters in group EAR:D:5 || end_user.headquarters == MO
                    || end_user.parent_headquarters in group EAR:D:5 || end_user.parent_headquarters == MO)
                && notified
                // §740.8(b)(1): not where the Entity List requires a licence (the other part 744 and 746
                // requirements concern Macau and D:5, which this rule excludes).
                && !(any_party.entity_list != not_listed);
            then licence_exception(NAC);
        }

        /// October 2022 text, §744.23(a)(2)(iii): any item subject to the EAR for the development or
        /// production of ICs at a fab in China producing advanced-node logic (non-planar or 16/14 nm or less),
        /// NAND of 128 layers or more, or DRAM of 18 nm half-pitch or less. Presumption of denial (§744.23(d) of
        /// that text); case by case for end users headquartered in the US, A:5 or A:6 (below).
        rule advanced_node_china_2022 {
            citation "15 CFR 744.23(a)(2)(iii), (d) (87 FR 62201; text of 25 Oct 2023, eCFR commit d5918eaa; effective date 21 Oct 2022 unconfirmed)";
            from 2022-10-21;
            until 2023-11-17;
            when end_use in [advanced_logic_fab, advanced_memory_fab] && destination == CN
                && !(end_user.headquarters == US || end_user.headquarters in group EAR:A:5
                    || end_user.headquarters in group EAR:A:6);
            then licence_required(presumption_of_denial);
        }

        /// §744.23(d) until 16 Nov 2023: end users headquartered in the US, A:5 or A:6, case by case.
        rule advanced_node_allied_china_2022 {
            citation "15 CFR 744.23(a)(2)(iii), (d) (text of 25 Oct 2023, eCFR commit d5918eaa)";
            from 2022-10-21;
            until 2023-11-17;
            when end_use in [advanced_logic_fab, advanced_memory_fab] && destination == CN
                && (end_user.headquarters == US || end_user.headquarters in group EAR:A:5
                    || end_user.headquarters in group EAR:A:6);
            then licence_required(case_by_case);
        }

        /// As `advanced_node_china_2022`, for Macau from 17 Jan 2023 (88 FR 2826 amended §744.23).
        rule advanced_node_macau_2023 {
            citation "15 CFR 744.23(a)(2)(iii), (d) (88 FR 2826, 18 Jan 2023; effective 17 Jan 2023 unconfirmed)";
            from 2023-01-17;
            until 2023-11-17;
            when end_use in [advanced_logic_fab, advanced_memory_fab] && destination == MO
                && !(end_user.headquarters == US || end_user.headquarters in group EAR:A:5
                    || end_user.headquarters in group EAR:A:6);
            then licence_required(presumption_of_denial);
        }

        /// As `advanced_node_allied_china_2022`, for Macau.
        rule advanced_node_allied_macau_2023 {
            citation "15 CFR 744.23(a)(2)(iii), (d) (88 FR 2826; text of 25 Oct 2023, eCFR commit d5918eaa)";
            from 2023-01-17;
            until 2023-11-17;
            when end_use in [advanced_logic_fab, advanced_memory_fab] && destination == MO
                && (end_user.headquarters == US || end_user.headquarters in group EAR:A:5
                    || end_user.headquarters in group EAR:A:6);
            then licence_required(case_by_case);
        }

        /// From 17 Nov 2023, §744.23(a)(2)(i): any item subject to the EAR for an advanced-node fab in Macau or
        /// D:5; presumption of denial (§744.23(d)).
        rule advanced_node_d5 {
            citation "15 CFR 744.23(a)(2)(i), (d) (88 FR 73449)";
            from 2023-11-17;
            when end_use in [advanced_logic_fab, advanced_memory_fab]
                && (destination in group EAR:D:5 || destination == MO)
                && !((end_user.headquarters == US || end_user.headquarters in group EAR:A:5
                        || end_user.headquarters in group EAR:A:6)
                    && end_user.parent_headquarters not in group EAR:D:5 && end_user.parent_headquarters != MO);
            then licence_required(presumption_of_denial);
        }

        /// §744.23(d): presumption of approval for end users headquartered in the US, A:5 or A:6 and not owned
        /// from Macau or D:5.
        rule advanced_node_allied_d5 {
            citation "15 CFR 744.23(a)(2)(i), (d) (88 FR 73449)";
            from 2023-11-17;
            when end_use in [advanced_logic_fab, advanced_memory_fab]
                && (destination in group EAR:D:5 || destination == MO)
                && (end_user.headquarters == US || end_user.headquarters in group EAR:A:5
                    || end_user.headquarters in group EAR:A:6)
                && end_user.parent_headquarters not in group EAR:D:5 && end_user.parent_headquarters != MO;
            then licence_required(presumption_of_approval);
        }

        /// §744.23(a)(2)(ii): Category 3 items of product groups B to E for a fab in Macau or D:5 whose node the
        /// exporter does not know (the end use `undisclosed`); presumption of denial. Only the Category 3
        /// B–E ECCNs of the scenario are listed.
        rule unknown_node_d5 {
            citation "15 CFR 744.23(a)(2)(ii), (d) (88 FR 73449)";
            from 2023-11-17;
            when end_use == undisclosed
                && (item under 3B001 || item under 3B002 || item under 3B991 || item under 3B992
                    || item under 3C002 || item under 3C992 || item under 3D001 || item under 3D002
                    || item under 3E001)
                && (destination in group EAR:D:5 || destination == MO);
            then licence_required(presumption_of_denial);
        }

        /// October 2022 text, §744.23(a)(1)(i)–(ii) with (a)(2)(i)–(ii): ICs and computers of the listed ECCNs
        /// for a supercomputer in China; presumption of denial.
        rule supercomputer_china_2022 {
            citation "15 CFR 744.23(a)(1)(i)-(ii), (a)(2)(i)-(ii), (d) (87 FR 62201; text of 25 Oct 2023, eCFR commit d5918eaa)";
            from 2022-10-21;
            until 2023-11-17;
            when end_use == supercomputer && destination == CN
                && (item under 3A001 || item under 3A991 || item under 4A994 || item under 5A002
                    || item under 5A004 || item under 5A992 || item under 4A003 || item under 4A004);
            then licence_required(presumption_of_denial);
        }

        /// As `supercomputer_china_2022`, for Macau from 17 Jan 2023.
        rule supercomputer_macau_2023 {
            citation "15 CFR 744.23(a)(1)(i)-(ii), (a)(2)(i)-(ii), (d) (88 FR 2826; text of 25 Oct 2023, eCFR commit d5918eaa)";
            from 2023-01-17;
            until 2023-11-17;
            when end_use == supercomputer && destination == MO
                && (item under 3A001 || item under 3A991 || item under 4A994 || item under 5A002
                    || item under 5A004 || item under 5A992 || item under 4A003 || item under 4A004);
            then licence_required(presumption_of_denial);
        }

        /// From 17 Nov 2023, §744.23(a)(1): the same items for a supercomputer in Macau or D:5; presumption of
        /// denial.
        rule supercomputer_d5 {
            citation "15 CFR 744.23(a)(1)(i)-(ii), (d) (88 FR 73449)";
            from 2023-11-17;
            when end_use == supercomputer && (destination in group EAR:D:5 || destination == MO)
                && (item under 3A001 || item under 3A991 || item under 4A994 || item under 5A002
                    || item under 5A004 || item under 5A992 || item under 4A003 || item under 4A004);
            then licence_required(presumption_of_denial);
        }

        // ---- §744.6: US persons ----

        /// §744.6(c)(2): a US person may not support the development or production of ICs at an advanced-node
        /// fab in China without a licence: shipping items not subject to the EAR there, or servicing any item
        /// there (items subject to the EAR are §744.23's) (US person restrictions effective 12 Oct 2022,
        /// unconfirmed). Review policy: presumption of denial (unconfirmed: §744.6(e) not read).
        rule us_persons_china_2022 {
            citation "15 CFR 744.6(c)(2) (87 FR 62186; effective 12 Oct 2022 and review policy unconfirmed)";
            from 2022-10-12;
            until 2023-01-17;
            overrides item_not_subject;
            when us_person && destination == CN && end_use in [advanced_logic_fab, advanced_memory_fab]
                && (!(exporter_country == US
                        || item_origin == US
                        || us_content > 25%
                        || (us_content > 10% && (destination in group EAR:E:1 || destination in group EAR:E:2))
                        || (us_content > 0% && item under 3B001.f.1.b.2.b && end_use == advanced_logic_fab
                            && !(exporter_country == NL && (item.nl != UNLISTED || item.eu != UNLISTED))
                            && !(exporter_country == JP && item.jp != UNLISTED))
                        || fdp != none)
                    || activity in [servicing, technical_assistance]);
            then licence_required(presumption_of_denial);
        }

        /// §744.6(c)(2) with Macau from 17 Jan 2023 (88 FR 2821 added Macau to §744.6, secondary source). The
        /// November 2023 text of §744.6 was not read: its destinations are encoded as China and Macau.
        rule us_persons {
            citation "15 CFR 744.6(c)(2) (88 FR 2821; text after 17 Nov 2023 and review policy unconfirmed)";
            from 2023-01-17;
            overrides item_not_subject;
            when us_person && destination in [CN, MO] && end_use in [advanced_logic_fab, advanced_memory_fab]
                && (!(exporter_country == US
                        || item_origin == US
                        || us_content > 25%
                        || (us_content > 10% && (destination in group EAR:E:1 || destination in group EAR:E:2))
                        || (us_content > 0% && item under 3B001.f.1.b.2.b && end_use == advanced_logic_fab
                            && !(exporter_country == NL && (item.nl != UNLISTED || item.eu != UNLISTED))
                            && !(exporter_country == JP && item.jp != UNLISTED))
                        || fdp != none)
                    || activity in [servicing, technical_assistance]);
            then licence_required(presumption_of_denial);
        }

        // ---- §744.11: the Entity List (any party to the transaction, §748.5(c)-(f)) ----

        /// An entry with a presumption of denial (Huawei, YMTC and others in the party data, with the dates of
        /// their entries); "in addition to any other applicable review policy" (§744.11(a)).
        rule entity_list_denial {
            citation "15 CFR 744.11(a); 15 CFR part 744 Supp. No. 4 (entries and dates as in the party data)";
            when any_party.entity_list == presumption_of_denial;
            then licence_required(presumption_of_denial);
        }

        /// An entry reviewed case by case.
        rule entity_list_case_by_case {
            citation "15 CFR 744.11(a); 15 CFR part 744 Supp. No. 4 (entries and dates as in the party data)";
            when any_party.entity_list == case_by_case;
            then licence_required(case_by_case);
        }

        /// An entry with a presumption of approval.
        rule entity_list_approval {
            citation "15 CFR 744.11(a); 15 CFR part 744 Supp. No. 4 (entries and dates as in the party data)";
            when any_party.entity_list == presumption_of_approval;
            then licence_required(presumption_of_approval);
        }

        /// An entry whose policy depends on the item (SMIC and its listed affiliates: case by case, presumption
        /// of denial for items uniquely required for 10 nm and below, below).
        rule entity_list_by_item {
            citation "15 CFR 744.11(a); 15 CFR part 744 Supp. No. 4; 85 FR 83416 (22 Dec 2020) for SMIC (entry text unconfirmed)";
            when any_party.entity_list == policy_by_item;
            then licence_required(case_by_case);
        }

        /// SMIC, items uniquely required for advanced nodes (10 nm and below): presumption of denial. The end
        /// use "advanced logic fab" stands for "uniquely required for 10 nm and below" (the item fact is not
        /// modelled; unconfirmed reading).
        rule entity_list_by_item_advanced {
            citation "15 CFR part 744 Supp. No. 4; 85 FR 83416 (22 Dec 2020) for SMIC (entry text unconfirmed)";
            when any_party.entity_list == policy_by_item && end_use == advanced_logic_fab;
            then licence_required(presumption_of_denial);
        }

        // ---- Part 746: embargoes and special controls ----

        /// §746.8(a)(1): any item on the CCL (not EAR99) to Russia; policy of denial (§746.8(b)(1)). The EAR99
        /// items listed by tariff code (Supp. Nos. 4–6 to part 746) are not encoded. Effective 24 Feb 2022
        /// (87 FR 12226; date unconfirmed).
        rule russia {
            citation "15 CFR 746.8(a)(1), (b)(1) (eCFR commit 317c1e6e, text of 25 Jan 2024)";
            from 2022-02-24;
            when destination == RU && item != EAR99 && item != UNLISTED;
            then licence_required(presumption_of_denial);
        }

        /// §746.8(a)(1) for Belarus, from 2 Mar 2022 (87 FR 13048; date unconfirmed).
        rule belarus {
            citation "15 CFR 746.8(a)(1), (b)(1) (eCFR commit 317c1e6e)";
            from 2022-03-02;
            when destination == BY && item != EAR99 && item != UNLISTED;
            then licence_required(presumption_of_denial);
        }

        /// §746.4(a): any item subject to the EAR to North Korea (food and medicine aside, not modelled);
        /// case by case, with a policy of denial for NP and MT items and luxury goods (§746.4(b)), which this
        /// book does not distinguish.
        rule north_korea {
            citation "15 CFR 746.4(a), (b) (eCFR commit dbb97d7c, the only stored version)";
            when destination == KP;
            then licence_required(case_by_case);
        }

        /// §746.9(a), (c)(1): all items subject to the EAR to Syria; general policy of denial.
        rule syria {
            citation "15 CFR 746.9(a), (c)(1) (eCFR commit dbb97d7c, the only stored version)";
            when destination == SY;
            then licence_required(presumption_of_denial);
        }

        /// §746.2: items subject to the EAR to Cuba; general policy of denial (the 2024 text of §746.2 was not
        /// read: unconfirmed).
        rule cuba {
            citation "15 CFR 746.2 (text in force 2024 unconfirmed; §746.1(a)(1))";
            when destination == CU;
            then licence_required(presumption_of_denial);
        }

        /// §746.7: items on the CCL to Iran (the 2024 text of §746.7 was not read: unconfirmed; EAR99 items
        /// fall under OFAC's Iranian Transactions and Sanctions Regulations, 31 CFR part 560, not encoded).
        rule iran {
            citation "15 CFR 746.7 (text in force 2024 unconfirmed; §746.1(a)(2))";
            when destination == IR && item != EAR99 && item != UNLISTED;
            then licence_required(presumption_of_denial);
        }

        // ---- Part 738: the Commerce Country Chart ----

        /// National Security column 2 for the NS-controlled ECCNs of the scenario (3A001 except .z, 3B001, 3B002,
        /// 3C002): a licence for destinations outside Country Group A:1. Unconfirmed: the Country Chart
        /// (Supp. No. 1 to part 738) and the CCL entries were not read; this book reads NS2 as required for
        /// every destination outside A:1 (and reviewed case by case, §742.4(b), unconfirmed), erring towards a
        /// licence.
        rule ns_column_2 {
            citation "15 CFR 742.4(a), (b); 738 Supp. No. 1, NS Column 2 (Country Chart cells unconfirmed)";
            when ((item under 3A001 && !(item under 3A001.z)) || item under 3B001 || item under 3B002
                    || item under 3C002)
                && destination not in group EAR:A:1;
            then licence_required(case_by_case);
        }

        // ---- Proposals ----

        /// Members of Congress asked to prohibit all dealings with Huawei and SMIC (seed scenario row 12). A
        /// prohibition leaves no room for an exception or a lesser review.
        rule huawei_smic_prohibition {
            not_cumulative;
            citation "Report of 7 March 2024 (seed scenario, row 12): request, not adopted";
            proposed;
            overrides item_not_subject, rs_china_2022, rs_sme_allied_china_2022, rs_macau_2023,
                rs_sme_allied_macau_2023, sme_d5_reviewed_as_744_23, sme_d5_allied, sme_d5_other, ac_d5,
                ac_d1_d4_headquartered_d5, ac_d1_d4, nac, ac_headquartered_d5_elsewhere, nac_headquartered_d5,
                advanced_node_china_2022, advanced_node_allied_china_2022, advanced_node_macau_2023,
                advanced_node_allied_macau_2023, advanced_node_d5, advanced_node_allied_d5, unknown_node_d5,
                supercomputer_china_2022, supercomputer_macau_2023, supercomputer_d5, us_persons_china_2022,
                us_persons, entity_list_denial, entity_list_case_by_case, entity_list_approval,
                entity_list_by_item, entity_list_by_item_advanced, russia, belarus, north_korea, syria, cuba,
                iran, ns_column_2;
            when purchaser in [huawei, smic] || intermediate_consignee in [huawei, smic]
                || ultimate_consignee in [huawei, smic] || end_user in [huawei, smic];
            then prohibited;
        }
    }
}
