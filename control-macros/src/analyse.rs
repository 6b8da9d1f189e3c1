//! The analysis phase: control-core's exact analysis of a lowered rule set, each finding an error at the rules
//! involved, with its fix in the words of `rules!`.

use control_core::RuleSet;
use control_core::analysis::analyse;

use crate::ast::RuleSetDecl;
use crate::ctxt::Errors;

/// Fixes in the words of `rules!`.
struct RustSyntax;

impl control_core::analysis::Syntax for RustSyntax {
    fn overrides(&self, rule: &str) -> String {
        format!("overrides {rule}")
    }
    fn allow_dead(&self) -> String {
        "allow_dead;".into()
    }
    fn complete(&self) -> String {
        "complete;".into()
    }
    fn otherwise(&self) -> String {
        "otherwise".into()
    }
    fn cumulative(&self) -> String {
        "cumulative;".into()
    }
}

/// Runs the analysis; `true` if the rule set is accepted.
pub fn check(decl: &RuleSetDecl, ir: &RuleSet, errors: &mut Errors) -> bool {
    let report = match analyse(ir) {
        Ok(r) => r,
        Err(e) => {
            errors.at(decl.name.span(), e.to_string());
            return false;
        }
    };
    let name = |i: usize| &decl.rules[i].name;
    for c in &report.contradictions {
        errors.at(
            name(c.second).span(),
            format!(
                "{}\n  case: {}\n  help: {}",
                c.message(),
                c.witness,
                c.fix().render(&RustSyntax)
            ),
        );
        errors.at(
            name(c.first).span(),
            format!("rule `{}` contradicts rule `{}` (decides {} where `{}` decides {}); see the error on `{}`", c.first_name, c.second_name, c.first_outcome, c.second_name, c.second_outcome, c.second_name),
        );
    }
    for d in report.dead_rules.iter().filter(|d| !d.allowed) {
        errors.at(
            name(d.rule).span(),
            format!("{}\n  help: {}", d.message(), d.fix().render(&RustSyntax)),
        );
    }
    for g in &report.gaps {
        errors.at(
            decl.complete.unwrap_or(decl.name.span()),
            format!(
                "{}\n  case: {}\n  help: {}",
                g.message(),
                g.witness,
                g.fix().render(&RustSyntax)
            ),
        );
    }
    report.is_clean()
}
