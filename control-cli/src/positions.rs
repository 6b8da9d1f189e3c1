//! Where each JSON path of a document is: line and column of the key (for an object member) or of the
//! element (for an array element), so that findings at `rules[2].when.all[0].eq` land on a line of the file.

use std::collections::HashMap;

use jsonc_parser::ast::{ObjectPropName, Value};
use jsonc_parser::common::Ranged;
use jsonc_parser::{CollectOptions, ParseOptions};

/// A 1-based line and column (the column counts Unicode code points).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Position {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in code points.
    pub column: usize,
}

impl Position {
    /// The start of the file.
    pub const START: Position = Position { line: 1, column: 1 };
}

/// The JSON paths of a document (`$` for the root, `rules[2].when`, `groups.EU27[0]`) and their positions.
#[derive(Clone, Debug, Default)]
pub struct Positions {
    at: HashMap<String, Position>,
}

impl Positions {
    /// The positions of every value of `text`, which must be strict JSON (no comments, no trailing commas);
    /// text that is not gives an empty map, so every lookup falls back to the start of the file.
    ///
    /// ```
    /// let p = control_cli::positions::Positions::of("{\n  \"rules\": [\n    {\"name\": \"a\"}\n  ]\n}");
    /// assert_eq!(p.find("rules[0].name").line, 3);
    /// assert_eq!(p.find("rules[0].when.all[3]").line, 3); // not there: the nearest enclosing value
    /// ```
    pub fn of(text: &str) -> Positions {
        let strict = ParseOptions {
            allow_comments: false,
            allow_loose_object_property_names: false,
            allow_trailing_commas: false,
            allow_missing_commas: false,
            allow_single_quoted_strings: false,
            allow_hexadecimal_numbers: false,
            allow_unary_plus_numbers: false,
            allow_bare_decimal_point_numbers: false,
            allow_non_finite_numbers: false,
            allow_extended_string_escapes: false,
        };
        let mut positions = Positions::default();
        let Ok(parsed) = jsonc_parser::parse_to_ast(text, &CollectOptions::default(), &strict)
        else {
            return positions;
        };
        let lines = LineStarts::new(text);
        if let Some(root) = parsed.value {
            positions
                .at
                .insert("$".into(), lines.position(text, root.start()));
            positions.walk(&root, "", text, &lines);
        }
        positions
    }

    fn walk(&mut self, value: &Value<'_>, path: &str, text: &str, lines: &LineStarts) {
        match value {
            Value::Object(o) => {
                for prop in &o.properties {
                    let key = match &prop.name {
                        ObjectPropName::String(s) => s.value.as_ref(),
                        ObjectPropName::Word(w) => w.value,
                    };
                    let child = if path.is_empty() {
                        key.to_owned()
                    } else {
                        format!("{path}.{key}")
                    };
                    self.at
                        .insert(child.clone(), lines.position(text, prop.range.start));
                    self.walk(&prop.value, &child, text, lines);
                }
            }
            Value::Array(a) => {
                for (i, element) in a.elements.iter().enumerate() {
                    let child = format!("{path}[{i}]");
                    self.at
                        .insert(child.clone(), lines.position(text, element.start()));
                    self.walk(element, &child, text, lines);
                }
            }
            _ => {}
        }
    }

    /// The position of `path`, or of the nearest enclosing value that exists (a finding about a missing key
    /// lands on the object that lacks it), or the start of the file.
    pub fn find(&self, path: &str) -> Position {
        let mut path = path;
        loop {
            if let Some(p) = self.at.get(path) {
                return *p;
            }
            match path.rfind(['.', '[']) {
                Some(i) => path = &path[..i],
                None => return self.at.get("$").copied().unwrap_or(Position::START),
            }
        }
    }
}

/// The byte offset of each line's start.
struct LineStarts(Vec<usize>);

impl LineStarts {
    fn new(text: &str) -> LineStarts {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineStarts(starts)
    }

    fn position(&self, text: &str, offset: usize) -> Position {
        let line = self.0.partition_point(|&s| s <= offset);
        let start = self.0[line - 1];
        let column = text.get(start..offset).map_or(1, |s| s.chars().count() + 1);
        Position { line, column }
    }
}
