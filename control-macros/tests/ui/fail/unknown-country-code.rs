// `UK` is not an ISO 3166-1 code; the United Kingdom is `GB`.
control_macros::rules! {
    pub rule_set Us for Transaction {
        regime "US";
        otherwise not_controlled;
        rule allies {
            when destination in [JP, UK, DE];
            then licence_exception(STA);
        }
    }
}

fn main() {}
