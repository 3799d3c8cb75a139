//! The `rapport` command.
fn main() {}
