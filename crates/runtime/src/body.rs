//! Reading a whole response body within a byte limit.

use bytes::{Bytes, BytesMut};

/// Why a body could not be read whole.
#[derive(Debug)]
pub(crate) enum BodyError {
    /// Larger than the limit: declared so by `Content-Length` (nothing was
    /// read) or grown past it (reading stopped there).
    TooLarge {
        /// The `Content-Length`, if the response had one.
        declared: Option<u64>,
    },
    /// The connection failed while the body arrived: reset, closed before
    /// the declared length, a broken chunk.
    Cut(reqwest::Error),
}

/// The whole body of `response`, or an error as soon as it is known to
/// exceed `limit` bytes: memory never holds more than the limit (plus one
/// chunk) of any body.
///
/// Hand-written rather than `http_body_util::Limited`: that one reports
/// every failure as a boxed error, and the caller tells a cut connection
/// (worth another attempt) from a body that is too large (not) by type.
pub(crate) async fn read(
    mut response: reqwest::Response,
    limit: usize,
) -> Result<Bytes, BodyError> {
    let declared = response.content_length();
    if declared.is_some_and(|length| length > limit as u64) {
        return Err(BodyError::TooLarge { declared });
    }
    // Reserve what the server declares, but at most 1 MiB up front: a
    // `Content-Length` that lies must not claim memory the body never fills.
    let reserve = declared.unwrap_or(0).min(1 << 20) as usize;
    let mut body = BytesMut::with_capacity(reserve);
    while let Some(chunk) = response.chunk().await.map_err(BodyError::Cut)? {
        if body.len() + chunk.len() > limit {
            return Err(BodyError::TooLarge { declared });
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}
