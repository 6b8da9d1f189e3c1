//! Every diagnostic of the `rules!` macro, one mistake per file (`ui/fail`), and every feature compiling
//! (`ui/pass`). Each `.stderr` is the exact compiler output a rule author gets.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/fail/*.rs");
    t.pass("tests/ui/pass/*.rs");
}
