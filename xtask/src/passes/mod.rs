//! The generator's passes, one per module, in the order they run (the
//! README numbers them the same way):
//!
//! 1. `load`, 2. `overlay`, 3. `select`, 4. `normalise`, 5. `validate`
//!    read the spec (composed by [`crate::spec_files::prepare`]);
//! 6. `constant_headers`, 7. `shape`, 8. `generate`, 9. `postprocess`,
//!    10. `crate_files`, 11. `write` make the crate (composed by
//!    [`crate::pipeline`]).

pub mod constant_headers;
pub mod crate_files;
pub mod generate;
pub mod load;
pub mod normalise;
pub mod overlay;
pub mod postprocess;
pub mod select;
pub mod shape;
pub mod validate;
pub mod write;
