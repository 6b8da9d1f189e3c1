// The Dutch annex numbers its items itself: its `3B001.f.4` is an immersion DUV scanner, the CCL's is
// direct-write lithography. A US rule book (which reads the CCL) cannot compare the item with a Dutch code.
control_macros::rules! {
    pub rule_set Us for Transaction {
        regime "US";
        otherwise not_controlled;
        rule duv_scanners {
            when item under "NL:3B001.f.4" && destination == CN;
            then licence_required(case_by_case);
        }
    }
}

fn main() {}
