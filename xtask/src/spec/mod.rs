//! Reading a vendor's document: the manifest entry that names it, the
//! document as published, its overlay, the operations selected, and the
//! normalised, validated result every later step generates from (composed
//! by [`files::prepare`]). The passes run in the order the README numbers
//! them: 1. [`load`], 2. [`overlay`], 3. [`select`], 4. [`normalise`],
//! 5. [`validate`].
//!
//! Nothing here knows what generated code looks like; the order of the
//! modules is the crate's (see the crate docs).

pub mod credentials;
pub mod document;
pub mod error;
pub mod files;
pub mod idempotency;
pub mod load;
pub mod manifest;
pub mod normalise;
pub mod overlay;
pub mod paging;
pub mod parameters;
pub mod refs;
pub mod select;
pub mod validate;
