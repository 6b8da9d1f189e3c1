//! The `rules!` procedural macro (work in progress: see the control-macros issue).
//!
//! This crate will parse rule blocks into `control_core` IR, check them with `control_core`'s analysis at
//! expansion time, and expand them into specialised evaluators. For now it exposes nothing; rule sets are
//! written as JSON and run by `control_core::Interpreter`.
#![forbid(unsafe_code)]
