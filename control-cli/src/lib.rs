//! The `control` command-line tool for rule books kept as JSON files: `check` (load, lower, analyse; text,
//! JSON or SARIF), `diff` (the semantic diff of two books or two scenarios; text, JSON or Markdown),
//! `explain` (one case, every regime, in full), `screen` (the screening program over JSON books), `schema`
//! (the JSON Schema of the format) and `report` (a book as a compliance officer reads it, HTML or Markdown).
//!
//! The library holds what the subcommands print, so that it can be tested without a process.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod book;
pub mod check;
pub mod diffing;
pub mod explain;
pub mod positions;
pub mod report;
