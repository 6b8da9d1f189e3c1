// Country Group A:5 was created with License Exception STA in June 2011; a rule in effect only before then
// tests a group that has no members on any day it applies.
control_macros::rules! {
    pub rule_set Us for Transaction {
        regime "US";
        otherwise not_controlled;
        rule allies_before_sta {
            until 2010-01-01;
            when item under 3A090 && destination in group EAR:A:5;
            then licence_required(presumption_of_approval);
        }
    }
}

fn main() {}
