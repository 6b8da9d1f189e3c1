//! The engine comparison's workload, expressed once as plain data (std only, so that `build.rs` can generate
//! the compiled and hand-written evaluators from the very same rules): each rule forbids shipping an item
//! equal to or under a code prefix, to one of three countries, for one activity. Decisions are "prohibited" when
//! any rule matches, "not controlled" otherwise, so forbid/permit (Cedar), first-hit (ZEN) and our semantics
//! agree by construction.

/// A deterministic generator (splitmix64).
#[derive(Debug, Clone)]
pub struct Rng(pub u64);

impl Rng {
    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n`.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }
}

/// Destinations rules name.
pub const COUNTRIES: &[&str] = &[
    "CN", "MO", "RU", "IR", "KP", "SY", "CU", "VE", "BY", "MM", "VN", "IN", "PK", "AE", "SA", "TR",
    "IL", "SG", "MY", "TH", "ID", "BR", "MX", "ZA", "EG", "KZ", "UZ", "GE", "AM", "TW",
];
/// Activities, by their rule-language names.
pub const ACTIVITIES: &[&str] = &[
    "export",
    "reexport",
    "in_country_transfer",
    "servicing",
    "spare_parts",
    "technical_assistance",
    "technology_release",
];
const SUBS: &[&str] = &["a", "b", "c", "d", "f", "z"];

/// One rule of the comparison workload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimpleRule {
    /// Three distinct destinations.
    pub countries: [&'static str; 3],
    /// The code prefix (`3B001` or `3B001.f`).
    pub prefix: String,
    /// The activity.
    pub activity: &'static str,
}

/// The ECCN root of family `k`.
pub fn root(k: usize) -> String {
    format!(
        "{}{}{:03}",
        k % 10,
        ["A", "B", "C", "D", "E"][(k / 10) % 5],
        k / 50 + 1
    )
}

/// `n` rules; prefixes come from about `n` families, so few rules share one.
pub fn simple_rules(n: usize, seed: u64) -> Vec<SimpleRule> {
    let mut rng = Rng(seed);
    (0..n)
        .map(|_| {
            let mut countries = [""; 3];
            let mut i = 0;
            while i < 3 {
                let c = COUNTRIES[rng.below(COUNTRIES.len())];
                if !countries[..i].contains(&c) {
                    countries[i] = c;
                    i += 1;
                }
            }
            let r = root(rng.below(n.max(10)));
            let prefix = if rng.below(2) == 0 {
                r
            } else {
                format!("{r}.{}", SUBS[rng.below(SUBS.len())])
            };
            SimpleRule {
                countries,
                prefix,
                activity: ACTIVITIES[rng.below(ACTIVITIES.len())],
            }
        })
        .collect()
}

/// The rules as a `rules!` block; `evaluator` (`inline` or `table`) chooses the expansion, else the macro does
/// by the number of rules.
pub fn rules_source(name: &str, rules: &[SimpleRule], evaluator: Option<&str>) -> String {
    let mut s = format!(
        "control_macros::rules! {{\n    pub rule_set {name} for Transaction {{\n        regime \"BENCH\";\n        list CCL;\n        otherwise not_controlled;\n"
    );
    if let Some(how) = evaluator {
        s += &format!("        evaluator {how};\n");
    }
    for (i, r) in rules.iter().enumerate() {
        s += &format!(
            "        rule r{i} {{ when destination in [{}] && item under {} && activity == {}; then prohibited; }}\n",
            r.countries.join(", "),
            r.prefix,
            r.activity
        );
    }
    s + "    }\n}\n"
}

/// The rules as a hand-written if-chain, as a developer without a rules engine would write them.
pub fn if_chain_source(name: &str, rules: &[SimpleRule]) -> String {
    let camel = |a: &str| {
        a.split('_')
            .map(|p| p[..1].to_uppercase() + &p[1..])
            .collect::<String>()
    };
    let mut s = format!(
        "/// {} rules as a hand-written if-chain.\npub fn {name}(t: &control_core::Transaction) -> bool {{\n    use control_core::{{Activity, Country::*}};\n    let item = t.item_ccl.as_str();\n    let under = |p: &str| item.len() >= p.len() && item.starts_with(p) && (item.len() == p.len() || item.as_bytes()[p.len()] == b'.');\n",
        rules.len()
    );
    for r in rules {
        s += &format!(
            "    if matches!(t.destination, {}) && t.activity == Activity::{} && under(\"{}\") {{\n        return true;\n    }}\n",
            r.countries.join(" | "),
            camel(r.activity),
            r.prefix
        );
    }
    s + "    false\n}\n"
}
