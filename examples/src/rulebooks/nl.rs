//! The Netherlands: Regeling geavanceerde productieapparatuur voor halfgeleiders (Stcrt. 2023, 18212), in force
//! 1 September 2023, and the servicing and spare-parts measures the seed report describes and proposes.
//!
//! Only exports from the Netherlands are covered; the EU dual-use regulation that applies beside it is not
//! encoded here.

control_macros::rules! {
    /// NL: advanced semiconductor manufacturing equipment (ASML).
    pub rule_set NlSemiconductor for Transaction {
        regime "NL";
        applies when exporter_country == NL;
        otherwise not_controlled;

        /// Art. 2: exporting the annex's equipment outside the EU needs a licence of the Minister. Annex items
        /// include 3B001.l, 3B001.m, 3B001.f.4 (immersion lithography: TWINSCAN NXT:2000i and later),
        /// 3B001.d.12, 3B001.a.4, 3B001.d.19 and 3D007.
        rule annex_export {
            citation "Regeling geavanceerde productieapparatuur voor halfgeleiders (Stcrt. 2023, 18212), art. 2 and annex";
            from 2023-09-01;
            when activity in [export, reexport]
                && (item under 3B001.f.4 || item under 3B001.l || item under 3B001.m || item under 3B001.d.12
                    || item under 3B001.a.4 || item under 3B001.d.19 || item under 3D007)
                && destination not in group EU27;
            then licence_required(case_by_case);
        }

        /// Servicing restricted lithography tools already sold to Chinese customers needs a licence, granted
        /// leniently (seed scenario row 5). Unconfirmed: no rule text found before September 2024.
        rule servicing_lithography_cn {
            citation "Report of 7 March 2024 (seed scenario, row 5); no legal text confirmed";
            from 2023-09-01;
            when activity == servicing && item under 3B001.f.4 && destination == CN;
            then licence_required(presumption_of_approval);
        }

        /// Proposed at the US's request (row 6): servicing of tools bought before this year's controls took
        /// effect (contracts before 1 January 2024) is reviewed with a presumption of denial.
        rule servicing_pre_control_tools_cn {
            citation "Report of 7 March 2024 (seed scenario, row 6): US request, not adopted";
            proposed;
            overrides servicing_lithography_cn;
            when activity == servicing && item under 3B001.f.4 && destination == CN && contract_date < 2024-01-01;
            then licence_required(presumption_of_denial);
        }

        /// The loophole of row 10: engineers travelling to China to assist with equipment already sold.
        rule engineers_cn {
            citation "Report of 7 March 2024 (seed scenario, row 10): a loophole today, proposed control";
            proposed;
            when activity == technical_assistance && item under 3B001 && destination == CN;
            then licence_required(case_by_case);
        }

        /// The loophole of row 11: components and spare parts for semiconductor production equipment.
        rule spare_parts_cn {
            citation "Report of 7 March 2024 (seed scenario, row 11): a loophole today, proposed control";
            proposed;
            when activity == spare_parts && item under 3B001 && destination == CN;
            then licence_required(case_by_case);
        }
    }
}
