//! Control lists: a control code belongs to a list, and the same text can name different items in different
//! lists (`3B001.f.4` of the Dutch national annex is an immersion DUV scanner; of the CCL, direct-write
//! lithography). An item carries its classification under each list ([`crate::Transaction`]'s `item.ccl`,
//! `item.nl`, …); a rule set reads the list of its regime, and `item` in its rules means that list's field.

/// A control list: the prefix codes of it may carry, the suffix of its field in the built-in schema, and what
/// it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ControlList {
    /// The prefix (`NL` in `NL:3B001.f.4`) and the name rule sets use in `list NL;`.
    pub name: &'static str,
    /// The field of the built-in schema holding an item's classification under it (`item.nl`).
    pub field: &'static str,
    /// What the list is, with its legal source.
    pub description: &'static str,
}

/// Every list the built-in schema knows.
pub const LISTS: &[ControlList] = &[
    ControlList {
        name: "CCL",
        field: "item.ccl",
        description: "US Commerce Control List, 15 CFR part 774, Supplement No. 1",
    },
    ControlList {
        name: "EU",
        field: "item.eu",
        description: "EU dual-use list, Annex I to Regulation (EU) 2021/821",
    },
    ControlList {
        name: "WA",
        field: "item.wa",
        description: "Wassenaar Arrangement List of Dual-Use Goods and Technologies",
    },
    ControlList {
        name: "NL",
        field: "item.nl",
        description: "Dutch national annex, Regeling geavanceerde productieapparatuur voor halfgeleiders (Stcrt. 2023, 18212)",
    },
    ControlList {
        name: "JP",
        field: "item.jp",
        description: "Japan, Export Trade Control Order, Appended Table 1 (METI ministerial order)",
    },
    ControlList {
        name: "KR",
        field: "item.kr",
        description: "Korea, strategic items (Foreign Trade Act, Public Notice on Trade of Strategic Items)",
    },
];

/// Whether `name` is a known list (`CCL`, `EU`, `WA`, `NL`, `JP`, `KR`).
pub fn is_known(name: &str) -> bool {
    LISTS.iter().any(|l| l.name == name)
}

/// The list called `name`, ignoring case.
pub fn list(name: &str) -> Option<&'static ControlList> {
    LISTS.iter().find(|l| l.name.eq_ignore_ascii_case(name))
}

/// The list a regime's rule books read unless they say otherwise: `US` the CCL, `NL` the Dutch annex, `JP`
/// and `KR` their own, `EU` and member states other than the Netherlands the EU list.
pub fn default_for_regime(regime: &str) -> Option<&'static ControlList> {
    let name = match regime {
        "US" => "CCL",
        "NL" => "NL",
        "JP" => "JP",
        "KR" => "KR",
        "EU" | "DE" | "FR" | "IT" | "BE" => "EU",
        _ => return None,
    };
    list(name)
}
