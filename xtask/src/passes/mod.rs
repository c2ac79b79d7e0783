//! The generator pipeline, one pass per module, in the order they run:
//! load -> overlay -> select -> normalise -> validate -> shape -> generate ->
//! postprocess -> crate_files (format) -> write.

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
