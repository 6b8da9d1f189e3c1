// A schema field of a type rules cannot analyse.
control_macros::rules! {
    pub schema Shipment {
        to: Country,
        price: f64,
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
