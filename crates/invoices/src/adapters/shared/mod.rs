//! What every adapter shares: reading responses and converting fields.

mod decode;
mod fields;
mod paging;
mod repair;

pub(crate) use decode::{
    ItemShape, ListShape, api_error, decode_body, excerpt, invalid_id, list_of, map_item, map_items,
};
pub(crate) use fields::Fields;
pub(crate) use paging::next_token;
