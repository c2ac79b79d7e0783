//! What every adapter shares: reading invoices and converting fields.

mod decode;
mod fields;
mod repair;
mod settings;

pub(crate) use decode::{
    ItemShape, api_error, decode_body, excerpt, invalid_id, lenient_id, map_item,
};
pub(crate) use fields::Fields;
pub(crate) use settings::{required_setting, setting, unusable_setting};
