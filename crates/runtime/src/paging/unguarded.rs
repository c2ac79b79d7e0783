//! The unguarded closure loop the facade adapters still use until they move
//! to [`Listing`](super::Listing) (issue 12); it has none of its guards.

use std::future::Future;

use futures::stream::{self, Stream, TryStreamExt};

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
