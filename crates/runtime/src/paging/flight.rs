//! A page fetch in flight: the page the consumer waits for, or the one
//! read ahead while the consumer takes the page before it.

use std::pin::Pin;
use std::task::{Context, Poll, ready};

use futures::FutureExt;
use futures::future::{BoxFuture, MaybeDone};

use super::fetched::Fetched;
use super::position::Position;
use crate::error::Error;

/// The result of one page fetch.
pub(super) type Fetching<'a, T> = BoxFuture<'a, Result<Fetched<T>, Error>>;

/// One page being fetched, and its result once it has arrived (held, not
/// yet taken in: the consumer is still on the page before).
pub(super) struct Flight<'a, T> {
    /// The page being fetched.
    pub(super) at: Position,
    /// Started before the consumer needed the page (read ahead).
    pub(super) ahead: bool,
    fetch: MaybeDone<Fetching<'a, T>>,
}

impl<'a, T> Flight<'a, T> {
    pub(super) fn new(at: Position, fetch: Fetching<'a, T>, ahead: bool) -> Self {
        Self {
            at,
            ahead,
            fetch: MaybeDone::Future(fetch),
        }
    }

    /// Drives the fetch as far as it goes without waiting, keeping its
    /// result once it arrives.
    pub(super) fn advance(&mut self, cx: &mut Context<'_>) {
        // Ready only once the result is kept, which `result` takes later.
        let _ = self.fetch.poll_unpin(cx);
    }

    /// Waits for the page.
    pub(super) fn poll_result(&mut self, cx: &mut Context<'_>) -> Poll<Result<Fetched<T>, Error>> {
        ready!(self.fetch.poll_unpin(cx));
        let result = Pin::new(&mut self.fetch).take_output();
        // The listing drops a flight once it has its result.
        Poll::Ready(result.expect("a flight's result is taken once"))
    }
}
