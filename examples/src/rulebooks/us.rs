//! United States, Export Administration Regulations (15 CFR parts 730–774): the semiconductor controls of
//! October 2022 and October 2023, the Entity List entries for Huawei and SMIC, §744.6 US-person restrictions,
//! License Exception NAC, and the proposal to prohibit dealings with Huawei and SMIC.
//!
//! Jurisdiction: items exported from the US, of US origin, or above the de minimis level of US content (25 %,
//! or 10 % for Country Group E:1). The foreign direct product rules (§734.9) and the 0 % de minimis rule for
//! some DUV tools are not encoded: the transaction schema has no fact for them yet.

control_macros::rules! {
    /// US EAR: advanced computing and semiconductor manufacturing items, as of the seed scenario.
    pub rule_set UsEar for Transaction {
        regime "US";
        applies when exporter_country == US
            || item_origin == US
            || us_content > 25%
            || (us_content > 10% && destination in group EAR:E:1);
        otherwise not_controlled;
        // The licence requirements of part 742 and part 744 apply in addition to each other (15 CFR 744.11(a),
        // 744.6): where several decide, the application is reviewed under the strictest policy. Exceptions
        // (License Exception NAC) are not cumulative; they override the requirement they except, and a part
        // 744 requirement bars them by overriding them.
        cumulative;
        // Hong Kong is not a separate destination under the EAR since 23 Dec 2020: every rule that names China
        // (or a group China is in) covers it from then on.
        treat HK as CN from 2020-12-23, citation "85 FR 83765 (23 Dec 2020); 15 CFR 740 Supp. No. 1";

        party huawei = "Huawei Technologies Co., Ltd." aka "Huawei", "华为", "HiSilicon";
        party smic = "Semiconductor Manufacturing International Corporation" aka "SMIC", "中芯国际";

        /// Advanced chips (3A090) and computers containing them (4A090) to China and Macau, October 2022 rule.
        rule advanced_chips_2022 {
            citation "87 FR 62186 (7 Oct 2022); 15 CFR 742.6(a)(6)";
            from 2022-10-07;
            until 2023-11-17;
            when (item under 3A090 || item under 4A090) && destination in [CN, MO];
            then licence_required(presumption_of_denial);
        }

        /// Since 17 Nov 2023: Macau and Country Group D:5. Review policy for China and Macau: presumption of
        /// denial (wording unconfirmed), applied here to all of D:5.
        rule advanced_chips_d5 {
            citation "88 FR 73458 (17 Oct 2023); 15 CFR 742.6(a)(6)(iii)";
            from 2023-11-17;
            when (item under 3A090 || item under 4A090) && (destination in group EAR:D:5 || destination == MO);
            then licence_required(presumption_of_denial);
        }

        /// Since 17 Nov 2023: destinations in D:1 or D:4 that are not also in A:5 or A:6 (nor D:5 or Macau,
        /// above). Case-by-case review is this rule book's reading; unconfirmed.
        rule advanced_chips_d1_d4 {
            citation "88 FR 73458 (17 Oct 2023); 15 CFR 742.6(a)(6)(iii)";
            from 2023-11-17;
            when (item under 3A090 || item under 4A090)
                && (destination in group EAR:D:1 || destination in group EAR:D:4)
                && destination not in group EAR:D:5 && destination != MO
                && destination not in group EAR:A:5 && destination not in group EAR:A:6;
            then licence_required(case_by_case);
        }

        /// License Exception NAC (§740.8, from 17 Nov 2023) for 3A090 and 4A090 items not meeting 3A090.a
        /// for data centres; notification required for Macau and D:5. Simplified: NAC stands for the
        /// notified shipment.
        rule nac_non_data_centre {
            not_cumulative;
            citation "15 CFR 740.8 (NAC), 88 FR 73458";
            from 2023-11-17;
            overrides advanced_chips_d5, advanced_chips_d1_d4;
            when (item under 3A090.b || item under 4A090.b) && end_use != data_centre
                && (destination in group EAR:D:5 || destination == MO
                    || destination in group EAR:D:1 || destination in group EAR:D:4);
            then licence_exception(NAC);
        }

        /// Semiconductor manufacturing equipment (3B090) to China and Macau, October 2022 rule.
        rule equipment_2022 {
            citation "87 FR 62186 (7 Oct 2022), ECCN 3B090";
            from 2022-10-07;
            until 2023-11-17;
            when item under 3B090 && destination in [CN, MO];
            then licence_required(case_by_case);
        }

        /// Since 17 Nov 2023, 3B090 folded into 3B001 and 3B002; Macau and D:5.
        rule equipment_2023 {
            citation "88 FR 73424 (17 Oct 2023), ECCNs 3B001, 3B002";
            from 2023-11-17;
            when (item under 3B001 || item under 3B002) && (destination in group EAR:D:5 || destination == MO);
            then licence_required(case_by_case);
        }

        /// US persons may not support advanced fabs in China without a licence (§744.6(c)(2)): authorising,
        /// delivering or servicing, whatever the item. The transaction says whether a US person takes part.
        rule us_persons_advanced_fabs {
            citation "15 CFR 744.6(c)(2), 87 FR 62186";
            from 2022-10-12;
            overrides nac_non_data_centre;
            when us_person && destination == CN
                && (end_use == advanced_logic_fab || end_use == advanced_memory_fab);
            then licence_required(presumption_of_denial);
        }

        /// A party to the transaction (purchaser, intermediate or ultimate consignee, end user: §744.11(a),
        /// §748.5(c)-(f)) is on the Entity List with a presumption of denial on the effective date (Huawei and
        /// YMTC in the bundled party data, with the dates of their entries). The first version of this book
        /// named Huawei as end user only.
        rule entity_list_denial {
            citation "15 CFR 744.11(a); 15 CFR part 744, Supp. No. 4 (entries and dates as in the party data)";
            overrides nac_non_data_centre;
            when any_party.entity_list == presumption_of_denial;
            then licence_required(presumption_of_denial);
        }

        /// A party listed with a policy that depends on the item (SMIC: case by case, except items uniquely
        /// required for 10 nm and below). In addition to the §742.6 requirement (cumulative): a data-centre chip to
        /// SMIC is reviewed under the stricter presumption of denial.
        rule entity_list_by_item {
            citation "15 CFR 744.11(a); 15 CFR part 744, Supp. No. 4; 85 FR 83416 (22 Dec 2020) for SMIC";
            overrides nac_non_data_centre;
            when any_party.entity_list == policy_by_item;
            then licence_required(case_by_case);
        }

        /// SMIC, items uniquely required for advanced nodes (10 nm and below): presumption of denial. The end
        /// use "advanced logic fab" stands for "uniquely required for 10 nm and below" (the item fact is not
        /// modelled).
        rule entity_list_by_item_advanced {
            citation "15 CFR part 744, Supp. No. 4; 85 FR 83416 (22 Dec 2020) for SMIC";
            when any_party.entity_list == policy_by_item && end_use == advanced_logic_fab;
            then licence_required(presumption_of_denial);
        }

        /// Members of Congress asked to prohibit all dealings with Huawei and SMIC. A prohibition leaves no
        /// room for License Exception NAC.
        rule huawei_smic_prohibition {
            citation "Report of 7 March 2024 (seed scenario, row 12): request, not adopted";
            proposed;
            overrides nac_non_data_centre;
            when end_user in [huawei, smic];
            then prohibited;
        }
    }
}
