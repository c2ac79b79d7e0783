//! What every adapter shares: reading responses and converting fields.

mod decode;
mod fields;
mod paging;

pub(crate) use decode::{api_error, decode_body, excerpt, invalid_id, map_item, map_items};
pub(crate) use fields::Fields;
pub(crate) use paging::next_token;
