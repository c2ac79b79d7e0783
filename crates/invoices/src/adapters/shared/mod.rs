//! What every adapter shares: reading invoices and converting fields.

mod decode;
mod fields;
mod repair;

pub(crate) use decode::{
    ItemShape, api_error, decode_body, excerpt, invalid_id, lenient_id, map_item,
};
pub(crate) use fields::Fields;
