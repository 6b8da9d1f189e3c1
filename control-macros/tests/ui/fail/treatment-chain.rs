// Territories treated as other countries: one treated as itself, one twice, and a chain (Macau as Hong Kong,
// which is itself read as China). Each would make a country test mean something other than what it says.
control_macros::rules! {
    pub rule_set Us for Transaction {
        regime "US";
        otherwise not_controlled;
        treat HK as CN from 2020-12-23, citation "85 FR 83765";
        treat CN as CN from 2020-12-23;
        treat HK as CN from 2021-01-01;
        treat MO as HK from 2023-01-17;
        rule chips_cn {
            when item under 3A090 && destination == CN;
            then licence_required(presumption_of_denial);
        }
    }
}

fn main() {}
