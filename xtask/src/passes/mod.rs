//! The generator's passes, one per module, in the order they run (the
//! README numbers them the same way):
//!
//! 1. `load`, 2. `overlay`, 3. `select`, 4. `normalise`, 5. `validate`
//!    read the spec (composed by [`crate::spec_files::prepare`]);
//! 6. `shape`, 7. `generate`, 8. `postprocess`, 9. `crate_files`,
//!    10. `write` make the crate (composed by [`crate::pipeline`]).

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
