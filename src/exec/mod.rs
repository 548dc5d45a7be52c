//! Execution tiers. `interp` is tier 0: a pre-decoding interpreter that runs
//! the generic semantics on concrete values.

pub mod interp;
