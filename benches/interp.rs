//! Placeholder replaced by the side-by-side benchmark scripts.
fn main() {}
