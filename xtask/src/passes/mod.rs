//! The generator pipeline, one pass per module, in the order they run:
//! load -> overlay -> normalise -> validate -> constant_headers ->
//! generate -> postprocess -> crate_files (format) -> write.

pub mod constant_headers;
pub mod crate_files;
pub mod generate;
pub mod load;
pub mod normalise;
pub mod overlay;
pub mod postprocess;
pub mod validate;
pub mod write;
