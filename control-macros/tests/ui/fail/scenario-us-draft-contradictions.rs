// An early draft of the US rule book (examples/src/rulebooks/us.rs): the SMIC advanced-node rule and the
// Huawei/SMIC prohibition were written without saying which equipment and US-person rules they are exceptions to.
use control_core as _;
control_macros::rules! {
    /// US EAR: advanced computing and semiconductor manufacturing items, as of the seed scenario.
    pub rule_set UsEar for Transaction {
        regime "US";
        applies when exporter_country == US
            || item_origin == US
            || us_content > 25%
            || (us_content > 10% && destination in group EAR:E:1);
        otherwise not_controlled;

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
        /// delivering or servicing, whatever the item. "US person" is approximated by an exporter established in
        /// the US: the transaction schema has no nationality fact yet.
        rule us_persons_advanced_fabs {
            citation "15 CFR 744.6(c)(2), 87 FR 62186";
            from 2022-10-12;
            overrides equipment_2022, equipment_2023, advanced_chips_2022, nac_non_data_centre, entity_list_smic;
            when exporter_country == US && destination == CN
                && (end_use == advanced_logic_fab || end_use == advanced_memory_fab);
            then licence_required(presumption_of_denial);
        }

        /// Huawei and 68 affiliates: all items subject to the EAR, presumption of denial.
        rule entity_list_huawei {
            citation "15 CFR part 744, Supp. No. 4 (Entity List); 84 FR 22961 (16 May 2019)";
            from 2019-05-16;
            overrides nac_non_data_centre, equipment_2022, equipment_2023, advanced_chips_d1_d4;
            when end_user == huawei;
            then licence_required(presumption_of_denial);
        }

        /// SMIC and 10 affiliates: case by case, except items uniquely required for 10 nm and below.
        rule entity_list_smic {
            citation "15 CFR part 744, Supp. No. 4 (Entity List); 85 FR 83416 (18 Dec 2020)";
            from 2020-12-18;
            overrides nac_non_data_centre, advanced_chips_2022, advanced_chips_d5, advanced_chips_d1_d4;
            when end_user == smic;
            then licence_required(case_by_case);
        }

        /// SMIC, items uniquely required for advanced nodes (10 nm and below): presumption of denial. The end
        /// use "advanced logic fab" stands for "uniquely required for 10 nm and below".
        rule entity_list_smic_advanced {
            citation "15 CFR part 744, Supp. No. 4 (Entity List); 85 FR 83416 (18 Dec 2020)";
            from 2020-12-18;
            overrides entity_list_smic;
            when end_user == smic && end_use == advanced_logic_fab;
            then licence_required(presumption_of_denial);
        }

        /// Members of Congress asked to prohibit all dealings with Huawei and SMIC.
        rule huawei_smic_prohibition {
            citation "Report of 7 March 2024 (seed scenario, row 12): request, not adopted";
            proposed;
            overrides entity_list_huawei, entity_list_smic, entity_list_smic_advanced;
            when end_user in [huawei, smic];
            then prohibited;
        }
    }
}

fn main() {}
