//! The generator's passes, one per module, in the order they run (the
//! README numbers them the same way):
//!
//! 1. `load`, 2. `overlay`, 3. `normalise`, 4. `validate` read the spec
//!    (composed by [`crate::spec_files::prepare`]);
//! 5. `constant_headers`, 6. `generate`, 7. `postprocess`, 8. `crate_files`,
//!    9. `write` make the crate (composed by [`crate::pipeline`]).

pub mod constant_headers;
pub mod crate_files;
pub mod generate;
pub mod load;
pub mod normalise;
pub mod overlay;
pub mod postprocess;
pub mod validate;
pub mod write;
