//! Following pages without a facade: `Link` headers, cursors, lazy streams.
//!
//! Each vendor pages differently (Sendcloud v3 by a `Link` header with a
//! cursor, Kitchen by page number, Coinbase by `nextPageToken`), so
//! [`pages`] takes a closure that fetches one page from a state and says
//! which state comes next. Pages are fetched only as the stream is polled.

mod link;

use std::future::Future;

use futures::stream::{self, Stream, TryStreamExt};

pub use link::{cursor_from_link, next_link};

/// A lazy stream of pages.
///
/// `fetch(state)` fetches one page and returns it with the state of the next
/// page, or `None` after the last page. Starting from `first`, the stream
/// yields each page, ends after the last one, and ends after yielding the
/// first error.
///
/// ```
/// # async fn demo() {
/// use futures::TryStreamExt;
/// // A source with 3 pages of 2 numbers; the state is the page number.
/// let pages = invoicing_runtime::paging::pages(1u32, |page| async move {
///     let items = vec![page * 10, page * 10 + 1];
///     let next = (page < 3).then_some(page + 1);
///     Ok::<_, std::io::Error>((items, next))
/// });
/// let all: Vec<Vec<u32>> = pages.try_collect().await.unwrap();
/// assert_eq!(all, [[10, 11], [20, 21], [30, 31]]);
/// # }
/// ```
pub fn pages<S, P, F, Fut, E>(first: S, mut fetch: F) -> impl Stream<Item = Result<P, E>>
where
    F: FnMut(S) -> Fut,
    Fut: Future<Output = Result<(P, Option<S>), E>>,
{
    stream::unfold(Some(first), move |state| {
        // `None` is the state after the last page or an error.
        let page = state.map(&mut fetch);
        async move {
            match page?.await {
                Ok((page, next)) => Some((Ok(page), next)),
                Err(err) => Some((Err(err), None)),
            }
        }
    })
}

/// The items of every page of [`pages`] in order, fetching a page only when
/// the previous one is used up, so memory holds at most one page.
pub fn items<S, T, F, Fut, E>(first: S, fetch: F) -> impl Stream<Item = Result<T, E>>
where
    F: FnMut(S) -> Fut,
    Fut: Future<Output = Result<(Vec<T>, Option<S>), E>>,
{
    pages(first, fetch)
        .map_ok(|page| stream::iter(page.into_iter().map(Ok)))
        .try_flatten()
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures::StreamExt;
    use std::sync::atomic::{AtomicU32, Ordering};

    #[derive(Debug, PartialEq)]
    struct Boom(u32);

    type Fetched = std::future::Ready<Result<(Vec<u32>, Option<u32>), Boom>>;

    /// Pages 1..=`last`, failing at page `fail_at`, counting fetches.
    fn source(
        last: u32,
        fail_at: Option<u32>,
        fetches: &AtomicU32,
    ) -> impl FnMut(u32) -> Fetched + '_ {
        move |page| {
            fetches.fetch_add(1, Ordering::SeqCst);
            std::future::ready(if Some(page) == fail_at {
                Err(Boom(page))
            } else {
                Ok((
                    vec![page * 10, page * 10 + 1],
                    (page < last).then_some(page + 1),
                ))
            })
        }
    }

    #[tokio::test]
    async fn yields_every_page_then_ends() {
        let fetches = AtomicU32::new(0);
        let all: Vec<_> = pages(1, source(3, None, &fetches)).collect().await;
        assert_eq!(all, [Ok(vec![10, 11]), Ok(vec![20, 21]), Ok(vec![30, 31])]);
        assert_eq!(fetches.load(Ordering::SeqCst), 3);
    }

    #[tokio::test]
    async fn a_single_last_page_is_one_fetch() {
        let fetches = AtomicU32::new(0);
        let all: Vec<_> = pages(7, source(1, None, &fetches)).collect().await;
        assert_eq!(all, [Ok(vec![70, 71])]);
        assert_eq!(fetches.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn an_error_is_yielded_once_and_ends_the_stream() {
        let fetches = AtomicU32::new(0);
        let all: Vec<_> = pages(1, source(5, Some(2), &fetches)).collect().await;
        assert_eq!(all, [Ok(vec![10, 11]), Err(Boom(2))]);
        assert_eq!(fetches.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn items_flatten_lazily() {
        let fetches = AtomicU32::new(0);
        let mut stream = std::pin::pin!(items(1, source(3, Some(3), &fetches)));
        assert_eq!(stream.next().await, Some(Ok(10)));
        assert_eq!(
            fetches.load(Ordering::SeqCst),
            1,
            "page 2 is not fetched early"
        );
        let rest: Vec<_> = stream.collect().await;
        assert_eq!(rest, [Ok(11), Ok(20), Ok(21), Err(Boom(3))]);
    }
}
