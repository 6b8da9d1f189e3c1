// `#[case_date]` marks a field that is not a date.
control_macros::rules! {
    pub schema Shipment {
        #[case_date]
        to: Country,
    }

    pub rule_set Jp for Shipment {
        regime "JP";
        otherwise not_controlled;
        rule china {
            when to == CN;
            then licence_required(case_by_case);
        }
    }
}

fn main() {}
