//! The paging loop's decisions, without I/O: which page to read next,
//! which items of a fetched page are new, and when the vendor's paging
//! cannot be trusted. [`Listing`](super::Listing) drives it with fetches.
//! The invariant it keeps is stated once, in the [module docs](super); this
//! is how.
//!
//! Exactly once. Items are recognised by their ids (when the operation
//! declares one). Two memories serve it:
//!
//! - the *window*: the ids of the last complete page and of the items
//!   taken since (the checkpoint's `recent`), which locates the anchor
//!   (the item taken last) on a page that shifted;
//! - the *delivered set*: an 8-byte hash (SipHash, keys random per
//!   listing) of every id delivered in this listing, which proves
//!   "delivered earlier" however far back; bounded by
//!   [`DEFAULT_MAX_IDS`](super::DEFAULT_MAX_IDS) ids
//!   ([`Problem::IdBudget`] past it).
//!
//! The decisions:
//!
//! - under page numbers or offsets, a page that starts with items already
//!   delivered (the list grew at its head), and a page read again to resume
//!   a checkpoint in the middle of it, are read from after the anchor; on a
//!   page read forward or to relocate, every item left out before the
//!   anchor must be in the delivered set, otherwise an item never delivered
//!   sits ahead of one delivered (the list was reordered) and
//!   [`Problem::ItemsOutOfPlace`] says so rather than skip it;
//! - with page numbers or offsets, a page without the anchor while the
//!   vendor's item count changed means items shifted the other way
//!   (deleted before the anchor): the page where the anchor should now be
//!   is read once (once per anchor, so relocation cannot loop), and listing
//!   goes on after the anchor. A relocation page without the anchor is
//!   [`Problem::AnchorLost`], never the end. The ids of the page that sent
//!   the listing there are owed: a listing that ends before delivering them
//!   ends with [`Problem::ItemsVanished`];
//! - ids in the delivered set are never delivered again (skipped and
//!   counted, [`Listing::duplicates`](super::Listing::duplicates));
//! - with page numbers or offsets and no vendor count, the page read
//!   forward before the current one is read again once the current one is
//!   taken ([`Read::Verify`]): items shifted onto it are delivered then;
//! - a vendor's last page or count that contradicts the page's own items
//!   (a last page before a page with items, a count smaller than the items
//!   up to this page) is ignored as unknown: it never ends the listing.
//!
//! Memory: the window (two pages of ids at most), the ids of the page to
//! verify, the delivered set, the owed ids (at most one page per
//! relocation) and one 8-byte hash per cursor followed.

use std::collections::{HashSet, VecDeque};
use std::hash::{BuildHasher, DefaultHasher, Hash, Hasher, RandomState};

use super::fetched::Fetched;
use super::position::{ListingCheckpoint, Position};
use super::problem::Problem;
use super::rules::{DEFAULT_MAX_IDS, PagingStyle, Rules};
use crate::error::Error;

/// Pages read forward in a row that may bring nothing new before the
/// listing calls it a repeat.
const IDLE_PAGES: u32 = 3;

/// How an item's id is read, for the exactly-once checks ([`Listing::with_ids`](super::Listing::with_ids)).
pub type IdOf<T> = fn(&T) -> Option<String>;

/// Why a page is read.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Read {
    /// The next page.
    Forward(Position),
    /// The page a checkpoint had partly taken, read again on resume.
    Again(Position),
    /// The page where the anchor should be after the list changed.
    Relocate(Position),
    /// The page before the one just read forward, read again because the
    /// vendor sends no count: items deleted before it shift items of the
    /// next page onto it, which only reading it again shows.
    Verify(Position),
}

impl Read {
    fn position(&self) -> &Position {
        match self {
            Read::Forward(at) | Read::Again(at) | Read::Relocate(at) | Read::Verify(at) => at,
        }
    }
}

/// What follows the page being delivered.
#[derive(Debug)]
enum After {
    Next(Position),
    End,
    /// The page is delivered, then the listing stops with this problem.
    Fail(Problem),
}

pub(crate) struct Core<T> {
    rules: Rules,
    id_of: Option<IdOf<T>>,
    /// What the consumer has taken.
    checkpoint: ListingCheckpoint,
    /// Items of the current page still to hand out, with their index on
    /// the page and their id.
    page: VecDeque<(u64, T, Option<String>)>,
    /// Ids of every item of the current page, for the window once it is
    /// complete; its length and the vendor's count.
    page_ids: Vec<String>,
    page_len: u64,
    page_total: Option<u64>,
    /// Whether the current page goes past the anchor; a page that lies
    /// wholly before it (the list grew by more than a page) leaves the
    /// window as it was.
    page_passes_anchor: bool,
    after: After,
    /// The read asked for and not yet accepted, or to ask for next.
    reading: Option<Read>,
    cursors: HashSet<u64>,
    fetched: u64,
    /// Pages read forward in a row that brought nothing new.
    idle: u32,
    last_fingerprint: Option<u64>,
    /// The position of a page accepted and not yet handed out whole (for
    /// [`Core::take_page`]).
    accepted: Option<Position>,
    stopped: bool,
    /// Hashes of every id delivered in this listing (or queued on the
    /// current page, all of which is delivered before the next page is
    /// taken in), with the keys of `id_hasher`.
    delivered: HashSet<u64>,
    id_hasher: RandomState,
    /// The most ids `delivered` may hold.
    max_ids: u64,
    /// Hashes of ids a page read forward served that were left for a
    /// relocation and not delivered since.
    owed: HashSet<u64>,
    /// The anchor a relocation was last read for: a second one for the
    /// same anchor is a loop.
    relocated_for: Option<String>,
    /// Items skipped because their id was delivered before.
    duplicates: u64,
    /// The position and ids of the page read forward last (numbered
    /// paging without a vendor count), for its verification.
    last_forward: Option<(Position, Vec<String>)>,
    /// A verification to read once the current page is taken: the page
    /// before it and the ids it had.
    verify: Option<(Position, Vec<String>)>,
    /// The current page's items come from a verification.
    verifying: bool,
}

impl<T> Core<T> {
    pub(crate) fn new(rules: Rules, from: ListingCheckpoint) -> Self {
        let mut cursors = HashSet::new();
        let reading = match &from.at {
            _ if from.done => None,
            None => Some(Read::Forward(rules.style.first())),
            Some(at) => {
                if matches!(at, Position::Cursor(_) | Position::Url(_)) {
                    cursors.insert(hash(at));
                }
                Some(if from.taken > 0 {
                    Read::Again(at.clone())
                } else {
                    Read::Forward(at.clone())
                })
            }
        };
        Self {
            rules,
            id_of: None,
            stopped: from.done,
            checkpoint: from,
            page: VecDeque::new(),
            page_ids: Vec::new(),
            page_len: 0,
            page_total: None,
            page_passes_anchor: false,
            after: After::End,
            reading,
            cursors,
            fetched: 0,
            idle: 0,
            last_fingerprint: None,
            accepted: None,
            delivered: HashSet::new(),
            id_hasher: RandomState::new(),
            max_ids: DEFAULT_MAX_IDS,
            owed: HashSet::new(),
            relocated_for: None,
            duplicates: 0,
            last_forward: None,
            verify: None,
            verifying: false,
        }
    }

    /// The hash an id is remembered by.
    fn id_hash(&self, id: &str) -> u64 {
        self.id_hasher.hash_one(id)
    }

    /// Items skipped so far because their id was delivered before in this
    /// listing.
    pub(crate) fn duplicates(&self) -> u64 {
        self.duplicates
    }

    pub(crate) fn set_max_ids(&mut self, ids: u64) {
        self.max_ids = ids;
    }

    pub(crate) fn set_id_of(&mut self, id_of: IdOf<T>) {
        self.id_of = Some(id_of);
        // A resumed listing starts knowing what the checkpoint took last.
        let recent: Vec<u64> = self
            .checkpoint
            .recent
            .iter()
            .map(|id| self.id_hash(id))
            .collect();
        self.delivered.extend(recent);
    }

    pub(crate) fn set_max_pages(&mut self, pages: u64) {
        self.rules.max_pages = pages;
    }

    pub(crate) fn rules(&self) -> &Rules {
        &self.rules
    }

    pub(crate) fn checkpoint(&self) -> &ListingCheckpoint {
        &self.checkpoint
    }

    /// The next item of the current page, counted as taken.
    pub(crate) fn pop(&mut self) -> Option<T> {
        let (index, item, id) = self.page.pop_front()?;
        // Items of a verification are not the checkpoint's page's.
        if !self.verifying {
            self.checkpoint.taken = index + 1;
            self.checkpoint.recent.extend(id);
        }
        if self.page.is_empty() {
            self.complete_page();
        }
        Some(item)
    }

    /// Every remaining item of the page accepted last, counted as taken,
    /// with its position; `None` when no page was accepted since.
    pub(crate) fn take_page(&mut self) -> Option<(Position, Vec<T>)> {
        let at = self.accepted.take()?;
        let mut items = Vec::with_capacity(self.page.len());
        while let Some(item) = self.pop() {
            items.push(item);
        }
        Some((at, items))
    }

    /// The page to fetch next, `Ok(None)` when the listing is over.
    ///
    /// # Errors
    /// The problem the page just delivered ended with, a checkpoint of
    /// another style, or the page budget.
    pub(crate) fn next_fetch(&mut self) -> Result<Option<Position>, Error> {
        if self.stopped || !self.page.is_empty() {
            return Ok(None);
        }
        // `after` is still read after a verification; only a failure is
        // taken out of it.
        if matches!(self.after, After::Fail(_))
            && let After::Fail(problem) = std::mem::replace(&mut self.after, After::End)
        {
            let at = self
                .checkpoint
                .at
                .clone()
                .unwrap_or(self.rules.style.first());
            return Err(self.stop(&at, problem));
        }
        let Some(read) = self.reading.clone() else {
            return Ok(None);
        };
        let at = read.position().clone();
        if !fits(self.rules.style, &at) {
            return Err(self.stop(&at, Problem::WrongCheckpoint));
        }
        if self.fetched >= self.rules.max_pages {
            let pages = self.rules.max_pages;
            return Err(self.stop(&at, Problem::PageBudget { pages }));
        }
        Ok(Some(at))
    }

    /// The page to read once the current one is used up, when it can be
    /// fetched already (read ahead): the next page by the vendor's paging,
    /// within the page budget. Nothing when the listing ends or stops
    /// after this page, or when the current page is used up (then
    /// [`Core::next_fetch`] names what to read).
    pub(crate) fn ahead(&self) -> Option<Position> {
        if self.stopped || self.page.is_empty() || self.fetched >= self.rules.max_pages {
            return None;
        }
        match (&self.verify, &self.after) {
            (_, After::Fail(_)) => None,
            (Some((at, _)), _) => Some(at.clone()),
            (None, After::Next(next)) => Some(next.clone()),
            (None, After::End) => None,
        }
    }

    /// The fetch of the page [`Core::next_fetch`] named failed: the
    /// listing stops, and the error names that page.
    pub(crate) fn fetch_failed(&mut self, err: Error) -> Error {
        self.stopped = true;
        match self.reading.take() {
            Some(read) => err.on_page(&read.position().to_string()),
            None => err,
        }
    }

    /// Takes in the page [`Core::next_fetch`] named.
    ///
    /// # Errors
    /// A vendor fault that stops the listing now (see [`Problem`]).
    pub(crate) fn accept(&mut self, fetched: Fetched<T>) -> Result<(), Error> {
        let read = self
            .reading
            .take()
            .expect("a page is accepted only after next_fetch named it");
        let at = read.position().clone();
        self.fetched += 1;
        if let (Position::Page(asked), Some(sent)) = (&at, fetched.current_page)
            && sent != *asked
        {
            let asked = *asked;
            return Err(self.stop(&at, Problem::IgnoresPage { asked, sent }));
        }
        let ids: Vec<Option<String>> = match self.id_of {
            Some(id_of) => fetched.items.iter().map(id_of).collect(),
            None => vec![None; fetched.items.len()],
        };
        if let Read::Verify(_) = read {
            return self.accept_verification(at, fetched.items, &ids);
        }
        // Items shift only under numbered paging (the list grows or shrinks
        // at its head between reads), and a page read again on resume holds
        // what was taken; a cursor's next page never starts with what came
        // before, so there only ids delivered before are left out.
        let anchored = self.rules.style.is_numbered() || !matches!(read, Read::Forward(_));
        let start = match anchored.then(|| self.anchor(&ids)).flatten() {
            Some(after_anchor) => after_anchor,
            None if self.id_of.is_none() && matches!(read, Read::Again(_)) => {
                usize::try_from(self.checkpoint.taken).unwrap_or(usize::MAX)
            }
            // Read to find the anchor, and it is not there: the listing can
            // no longer tell what it would skip. Named by the page the
            // listing was going to, not the one read to look for it.
            None if matches!(read, Read::Relocate(_)) => {
                let going_to = self.checkpoint.at.clone().unwrap_or(at.clone());
                let problem =
                    self.list_changed(fetched.total)
                        .unwrap_or_else(|| Problem::AnchorLost {
                            looked_at: at.to_string(),
                        });
                return Err(self.stop(&going_to, problem));
            }
            None => {
                if let Some(problem) = self.list_changed(fetched.total) {
                    let target = self.relocation(&at, fetched.items.len(), fetched.total);
                    let anchor = self.checkpoint.recent.last().cloned();
                    return match target {
                        Some(target) if target != at && self.relocated_for != anchor => {
                            self.relocated_for = anchor;
                            let owed: Vec<u64> = ids
                                .iter()
                                .flatten()
                                .map(|id| self.id_hash(id))
                                .filter(|hash| !self.delivered.contains(hash))
                                .collect();
                            self.owed.extend(owed);
                            tracing::info!(
                                page = %at,
                                relocate_to = %target,
                                change = %problem,
                                "the list changed: reading where the last item taken now is"
                            );
                            self.reading = Some(Read::Relocate(target));
                            Ok(())
                        }
                        _ => {
                            let going_to = self.checkpoint.at.clone().unwrap_or(at);
                            Err(self.stop(&going_to, problem))
                        }
                    };
                }
                0
            }
        };

        // Items before the anchor on a page read forward were delivered
        // (the list grew at its head by less than a page), or are new items
        // the vendor's count grew by (the list grew by more): those are
        // delivered too, in the page's order. Anything else is an item
        // never delivered ahead of one delivered: the list was reordered,
        // and an item may have moved back onto a page already read.
        let unproven = self.unproven(&ids[..start.min(ids.len())]);
        let grew_by = match (self.checkpoint.total, fetched.total) {
            (Some(before), Some(now)) => now.saturating_sub(before),
            _ => 0,
        };
        if matches!(read, Read::Forward(_)) && unproven > grew_by {
            return Err(self.stop(&at, Problem::ItemsOutOfPlace));
        }
        let len = fetched.items.len();
        // A page read to relocate the anchor may hold, before it, items never
        // delivered (new at the head of the list, when it is the first
        // page): they are delivered too, in the page's order, rather than
        // left out on a guess. So are the new items of a list that grew by
        // more than a page (above). A page read again on resume has the
        // items taken before it.
        let deliver_from = match read {
            Read::Relocate(_) => 0,
            Read::Forward(_) if unproven > 0 => 0,
            _ => start,
        };
        // Ids delivered before, and those met on this page: an id the page
        // repeats is delivered once too.
        let mut on_page: HashSet<u64> = HashSet::new();
        let mut page = VecDeque::with_capacity(len.saturating_sub(deliver_from));
        let mut queued = Vec::new();
        let duplicates_before = self.duplicates;
        for (index, (item, id)) in fetched.items.into_iter().zip(&ids).enumerate() {
            let hash = id.as_deref().map(|id| self.id_hash(id));
            let repeated =
                hash.is_some_and(|hash| self.delivered.contains(&hash) || !on_page.insert(hash));
            if index < deliver_from {
                continue;
            }
            if !repeated {
                queued.extend(hash);
                page.push_back((index as u64, item, id.clone()));
            } else if index >= start {
                self.duplicates += 1;
            }
        }
        let skipped = self.duplicates - duplicates_before;
        tracing::debug!(
            page = %at,
            items = len,
            delivered_from = deliver_from,
            skipped_as_delivered = skipped,
            "page taken in"
        );
        if self.delivered.len() as u64 + queued.len() as u64 > self.max_ids {
            let ids = self.max_ids;
            return Err(self.stop(&at, Problem::IdBudget { ids }));
        }

        if matches!(read, Read::Forward(_)) {
            self.check_progress(&at, &ids, page.len(), fetched.total)?;
            if let Some(fingerprint) = fetched.fingerprint {
                if self.last_fingerprint == Some(fingerprint) {
                    return Err(self.stop(&at, Problem::PagesRepeat));
                }
                self.last_fingerprint = Some(fingerprint);
            }
        }
        let mut after = self.after(&at, len, fetched.next, fetched.last_page, fetched.total)?;
        for hash in &queued {
            self.owed.remove(hash);
        }
        if matches!(after, After::End) && !self.owed.is_empty() {
            let count = self.owed.len() as u64;
            after = After::Fail(Problem::ItemsVanished { count });
        }
        self.delivered.extend(queued);
        if matches!(read, Read::Forward(_)) && self.id_of.is_some() {
            self.schedule_verification(&at, &ids, fetched.total);
        }

        self.checkpoint.at = Some(at.clone());
        self.checkpoint.taken = deliver_from.min(len) as u64;
        self.page = page;
        self.page_ids = ids.into_iter().flatten().collect();
        self.page_len = len as u64;
        self.page_total = fetched.total.or(self.checkpoint.total);
        self.page_passes_anchor = start < len || self.checkpoint.recent.is_empty();
        self.after = after;
        self.accepted = Some(at);
        if self.page.is_empty() {
            self.complete_page();
        }
        Ok(())
    }

    /// After a page read forward under numbered paging whose vendor sends
    /// no count (so a shift at the head cannot be seen in it): the page
    /// read forward before this one is read again once this one is taken.
    fn schedule_verification(&mut self, at: &Position, ids: &[Option<String>], total: Option<u64>) {
        let page_ids: Vec<String> = ids.iter().flatten().cloned().collect();
        let previous = self.last_forward.take();
        if !self.rules.style.is_numbered() || total.is_some() {
            return;
        }
        if let Some((before, before_ids)) = previous
            && before != *at
            && !before_ids.is_empty()
        {
            self.verify = Some((before, before_ids));
        }
        if !page_ids.is_empty() {
            self.last_forward = Some((at.clone(), page_ids));
        }
    }

    /// Takes in a page read again to verify it ([`Read::Verify`]): the
    /// last of the ids it had must still be on it, and every item on it
    /// not delivered (shifted onto it from the page read after it, or new)
    /// is delivered now. Without any of its ids, what shifted cannot be
    /// told: [`Problem::AnchorLost`].
    fn accept_verification(
        &mut self,
        at: Position,
        items: Vec<T>,
        ids: &[Option<String>],
    ) -> Result<(), Error> {
        let (_, had) = self
            .verify
            .take()
            .expect("a verification is read only when scheduled");
        let had: HashSet<&str> = had.iter().map(String::as_str).collect();
        let found = ids
            .iter()
            .any(|id| id.as_deref().is_some_and(|id| had.contains(id)));
        if !found {
            let going_to = self.checkpoint.at.clone().unwrap_or(at.clone());
            let looked_at = at.to_string();
            return Err(self.stop(&going_to, Problem::AnchorLost { looked_at }));
        }
        let mut page = VecDeque::new();
        let mut queued = Vec::new();
        for (index, (item, id)) in items.into_iter().zip(ids).enumerate() {
            let Some(hash) = id.as_deref().map(|id| self.id_hash(id)) else {
                continue;
            };
            if !self.delivered.contains(&hash) && !queued.contains(&hash) {
                queued.push(hash);
                page.push_back((index as u64, item, id.clone()));
            }
        }
        if self.delivered.len() as u64 + queued.len() as u64 > self.max_ids {
            let ids = self.max_ids;
            return Err(self.stop(&at, Problem::IdBudget { ids }));
        }
        for hash in &queued {
            self.owed.remove(hash);
        }
        self.delivered.extend(queued);
        self.page = page;
        self.verifying = true;
        self.accepted = Some(at);
        if self.page.is_empty() {
            self.complete_page();
        }
        Ok(())
    }

    /// The index after the anchor on a page with ids `ids`: after the item
    /// taken last, or (when it is gone) after the last item of the window.
    fn anchor(&self, ids: &[Option<String>]) -> Option<usize> {
        let recent = &self.checkpoint.recent;
        let last = recent.last()?;
        let position_of = |wanted: &dyn Fn(&str) -> bool| {
            ids.iter()
                .rposition(|id| id.as_deref().is_some_and(wanted))
                .map(|index| index + 1)
        };
        position_of(&|id| id == last).or_else(|| {
            let window: HashSet<&str> = recent.iter().map(String::as_str).collect();
            position_of(&|id| window.contains(id))
        })
    }

    /// How many items of `before` (the items a page has before its
    /// anchor) were not delivered in this listing, or have no id.
    fn unproven(&self, before: &[Option<String>]) -> u64 {
        before
            .iter()
            .filter(|id| {
                !id.as_deref()
                    .is_some_and(|id| self.delivered.contains(&self.id_hash(id)))
            })
            .count() as u64
    }

    /// Whether a page without any anchor means the list shifted under a
    /// numbered listing: its item count changed since the window was read.
    fn list_changed(&self, total: Option<u64>) -> Option<Problem> {
        if !self.rules.style.is_numbered()
            || self.id_of.is_none()
            || self.checkpoint.recent.is_empty()
        {
            return None;
        }
        match (self.checkpoint.total, total) {
            (Some(before), Some(now)) if before != now => {
                Some(Problem::ListChanged { before, now })
            }
            _ => None,
        }
    }

    /// Where the anchor should be now, if the whole change in the vendor's
    /// count happened before it: the page holding that index (page
    /// numbers), or a page with it in the middle (offsets).
    fn relocation(&self, at: &Position, len: usize, total: Option<u64>) -> Option<Position> {
        let (before, now) = (self.checkpoint.total?, total?);
        let size = i128::from(self.checkpoint.page_len.max(len as u64).max(1));
        let taken = i128::from(self.checkpoint.taken);
        let anchor_was = match (self.rules.style, at) {
            (PagingStyle::Page { first }, Position::Page(page)) => {
                (i128::from(*page) - i128::from(first)) * size + taken - 1
            }
            (PagingStyle::Offset, Position::Offset(offset)) => i128::from(*offset) + taken - 1,
            _ => return None,
        };
        let anchor_now = (anchor_was + i128::from(now) - i128::from(before)).max(0);
        let to_u64 = |n: i128| u64::try_from(n.max(0)).ok();
        match self.rules.style {
            PagingStyle::Page { first } => Some(Position::Page(first + to_u64(anchor_now / size)?)),
            PagingStyle::Offset => Some(Position::Offset(to_u64(anchor_now - size / 2)?)),
            _ => None,
        }
    }

    /// A page read forward that repeats the previous page (the same ids in
    /// the same order, while the vendor's count holds still) is a repeat;
    /// so are more than [`IDLE_PAGES`] pages in a row that bring nothing
    /// new (the list can grow at its head by a page or more between reads,
    /// but not forever).
    fn check_progress(
        &mut self,
        at: &Position,
        ids: &[Option<String>],
        fresh: usize,
        total: Option<u64>,
    ) -> Result<(), Error> {
        if ids.is_empty() || fresh > 0 {
            self.idle = 0;
            return Ok(());
        }
        let recent = &self.checkpoint.recent;
        let same_ids = self.checkpoint.taken == 0
            && ids.len() == recent.len()
            && ids
                .iter()
                .zip(recent)
                .all(|(id, seen)| id.as_ref() == Some(seen));
        let same_count = total.is_none() || total == self.checkpoint.total;
        self.idle += 1;
        if (same_ids && same_count) || self.idle > IDLE_PAGES {
            return Err(self.stop(at, Problem::PagesRepeat));
        }
        Ok(())
    }

    /// What follows the page at `at` with `len` items, by the style's rule.
    fn after(
        &mut self,
        at: &Position,
        len: usize,
        next: Result<Option<String>, Problem>,
        last_page: Option<u64>,
        total: Option<u64>,
    ) -> Result<After, Error> {
        let empty_but_not_last = |this: &mut Self| Err(this.stop(at, Problem::EmptyPage));
        let len = len as u64;
        Ok(match (self.rules.style, at) {
            (PagingStyle::Cursor | PagingStyle::Url, _) => match next {
                Err(problem) => After::Fail(problem),
                Ok(None) => After::End,
                Ok(Some(_)) if len == 0 => return empty_but_not_last(self),
                Ok(Some(next)) => {
                    let next = match self.rules.style {
                        PagingStyle::Url => Position::Url(next),
                        _ => Position::Cursor(next),
                    };
                    if self.cursors.insert(hash(&next)) {
                        After::Next(next)
                    } else {
                        After::Fail(Problem::CursorRepeated)
                    }
                }
            },
            // A last page before this page, while it has items, is a
            // contradiction: unknown, not the end.
            (PagingStyle::Page { .. }, Position::Page(page)) => match last_page {
                Some(last) if len == 0 && *page < last => return empty_but_not_last(self),
                Some(last) if *page == last || (*page > last && len == 0) => After::End,
                _ if len == 0 => After::End,
                _ => After::Next(Position::Page(page + 1)),
            },
            // A count smaller than the items up to this page's end is a
            // contradiction: unknown, not the end.
            (PagingStyle::Offset, Position::Offset(offset)) => match total {
                Some(total) if len == 0 && *offset < total => return empty_but_not_last(self),
                Some(total) if offset.saturating_add(len) == total => After::End,
                _ if len == 0 => After::End,
                _ => After::Next(Position::Offset(offset + len)),
            },
            _ => return Err(self.stop(at, Problem::WrongCheckpoint)),
        })
    }

    /// The current page is all taken: the checkpoint moves past it.
    ///
    /// A page read to verify the one before leaves the checkpoint as the
    /// page after it left it; a verification pending is read before what
    /// follows (the next page, or the end).
    fn complete_page(&mut self) {
        let verified = std::mem::take(&mut self.verifying);
        let checkpoint = &mut self.checkpoint;
        if !verified && let After::Next(next) = &self.after {
            checkpoint.at = Some(next.clone());
            checkpoint.taken = 0;
            if self.page_passes_anchor {
                checkpoint.recent = std::mem::take(&mut self.page_ids);
                checkpoint.page_len = self.page_len;
            }
            checkpoint.total = self.page_total;
        }
        if let Some((at, _)) = &self.verify
            && !matches!(self.after, After::Fail(_))
        {
            self.reading = Some(Read::Verify(at.clone()));
            return;
        }
        match &self.after {
            After::Next(next) => {
                self.reading = Some(Read::Forward(next.clone()));
            }
            After::End => {
                *checkpoint = ListingCheckpoint {
                    done: true,
                    ..ListingCheckpoint::default()
                };
                self.reading = None;
            }
            // The page stays the checkpoint's, all of it taken: resuming
            // reads it again, skips it, and meets the same problem.
            After::Fail(_) => {
                if !verified {
                    checkpoint.taken = self.page_len;
                }
                self.reading = None;
            }
        }
    }

    fn stop(&mut self, at: &Position, problem: Problem) -> Error {
        tracing::warn!(page = %at, problem = %problem, "the listing cannot go on");
        self.stopped = true;
        self.reading = None;
        self.rules.error(at, problem)
    }
}

/// Whether `at` is a position of `style` (a checkpoint may come from
/// elsewhere).
fn fits(style: PagingStyle, at: &Position) -> bool {
    matches!(
        (style, at),
        (PagingStyle::Cursor, Position::Start | Position::Cursor(_))
            | (PagingStyle::Url, Position::Start | Position::Url(_))
            | (PagingStyle::Page { .. }, Position::Page(_))
            | (PagingStyle::Offset, Position::Offset(_))
    )
}

fn hash(position: &Position) -> u64 {
    let mut hasher = DefaultHasher::new();
    position.hash(&mut hasher);
    hasher.finish()
}
