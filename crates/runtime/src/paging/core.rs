//! The paging loop's decisions, without I/O: which page to read next,
//! which items of a fetched page are new, and when the vendor's paging
//! cannot be trusted. [`Listing`](super::Listing) drives it with fetches.
//!
//! Exactly once. Items are recognised by their ids (when the operation
//! declares one). The ids of the last complete page and of the items taken
//! since are the window every new page is read against:
//!
//! - under page numbers or offsets, a page that starts with items of the
//!   window (the list grew at its head), and a page read again to resume a
//!   checkpoint in the middle of it, are read from after the last of them:
//!   the item taken last is the anchor;
//! - with page numbers or offsets, a page with none of them while the
//!   vendor's item count changed means items shifted the other way
//!   (deleted before the anchor): the page where the anchor should now be
//!   is read again (once) and listing goes on after the anchor; when it is
//!   not there either, [`Problem::ListChanged`] says so;
//! - an item never listed ahead of the anchor, unless the list grew by more
//!   than a page (earlier pages' items first, then the first items of the
//!   previous page in order to the page's end, and the vendor's count
//!   grown), means the list was reordered: leaving it out could lose it,
//!   so [`Problem::ItemsOutOfPlace`] says so;
//! - ids of the window are never delivered again.
//!
//! Memory: the window (two pages of ids at most) and one 8-byte hash per
//! cursor followed, never every id of the listing.

use std::collections::{HashSet, VecDeque};
use std::hash::{DefaultHasher, Hash, Hasher};

use super::fetched::Fetched;
use super::position::{Checkpoint, Position};
use super::problem::Problem;
use super::rules::{Rules, Style};
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
}

impl Read {
    fn position(&self) -> &Position {
        match self {
            Read::Forward(at) | Read::Again(at) | Read::Relocate(at) => at,
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
    checkpoint: Checkpoint,
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
}

impl<T> Core<T> {
    pub(crate) fn new(rules: Rules, from: Checkpoint) -> Self {
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
        }
    }

    pub(crate) fn set_id_of(&mut self, id_of: IdOf<T>) {
        self.id_of = Some(id_of);
    }

    pub(crate) fn set_max_pages(&mut self, pages: u64) {
        self.rules.max_pages = pages;
    }

    pub(crate) fn rules(&self) -> &Rules {
        &self.rules
    }

    pub(crate) fn checkpoint(&self) -> &Checkpoint {
        &self.checkpoint
    }

    /// The next item of the current page, counted as taken.
    pub(crate) fn pop(&mut self) -> Option<T> {
        let (index, item, id) = self.page.pop_front()?;
        self.checkpoint.taken = index + 1;
        self.checkpoint.recent.extend(id);
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
        if let After::Fail(problem) = std::mem::replace(&mut self.after, After::End) {
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
        match &self.after {
            After::Next(next) => Some(next.clone()),
            After::End | After::Fail(_) => None,
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
        // Items shift only under numbered paging (the list grows or shrinks
        // at its head between reads), and a page read again on resume holds
        // what was taken; a cursor's next page never starts with what came
        // before, so there only the window's own ids are left out.
        let anchored = self.rules.style.is_numbered() || !matches!(read, Read::Forward(_));
        let start = match anchored.then(|| self.anchor(&ids)).flatten() {
            Some(after_anchor) => after_anchor,
            None if self.id_of.is_none() && matches!(read, Read::Again(_)) => {
                usize::try_from(self.checkpoint.taken).unwrap_or(usize::MAX)
            }
            None => {
                if let Some(problem) = self.list_changed(fetched.total) {
                    let target = self.relocation(&at, fetched.items.len(), fetched.total);
                    return match target {
                        Some(target) if !matches!(read, Read::Relocate(_)) && target != at => {
                            self.reading = Some(Read::Relocate(target));
                            Ok(())
                        }
                        // Named by the page the listing was going to,
                        // not the one read again to look for the anchor.
                        _ => {
                            let going_to = self.checkpoint.at.clone().unwrap_or(at);
                            Err(self.stop(&going_to, problem))
                        }
                    };
                }
                0
            }
        };

        if matches!(read, Read::Forward(_)) && !self.shift_explains(&ids, start, fetched.total) {
            return Err(self.stop(&at, Problem::ItemsOutOfPlace));
        }

        let len = fetched.items.len();
        // Ids already taken, and those met on this page: an id the page
        // repeats is delivered once too.
        let mut seen: HashSet<&str> = self.checkpoint.recent.iter().map(String::as_str).collect();
        let mut page = VecDeque::with_capacity(len.saturating_sub(start));
        for (index, (item, id)) in fetched.items.into_iter().zip(&ids).enumerate() {
            let repeated = id.as_deref().is_some_and(|id| !seen.insert(id));
            if index >= start && !repeated {
                page.push_back((index as u64, item, id.clone()));
            }
        }
        drop(seen);

        if matches!(read, Read::Forward(_)) {
            self.check_progress(&at, &ids, page.len(), fetched.total)?;
            if let Some(fingerprint) = fetched.fingerprint {
                if self.last_fingerprint == Some(fingerprint) {
                    return Err(self.stop(&at, Problem::PagesRepeat));
                }
                self.last_fingerprint = Some(fingerprint);
            }
        }
        let after = self.after(&at, len, fetched.next, fetched.last_page, fetched.total)?;

        self.checkpoint.at = Some(at.clone());
        self.checkpoint.taken = start.min(len) as u64;
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

    /// Whether the items a page read forward has before its anchor may be
    /// left out as items listed before. Either they are all ids of the
    /// window (the list grew at its head by at most a page), or the list
    /// grew by more than a page: then the page is items of earlier pages
    /// (listed before, no longer remembered) followed by the first items of
    /// the previous page in their order up to the page's end, and the
    /// vendor's count grew. Anything else (an item never listed ahead of
    /// one listed: the list was reordered, or changed beyond what its count
    /// shows) could lose that item.
    fn shift_explains(&self, ids: &[Option<String>], start: usize, total: Option<u64>) -> bool {
        let recent = &self.checkpoint.recent;
        let before = &ids[..start.min(ids.len())];
        let window: HashSet<&str> = recent.iter().map(String::as_str).collect();
        let in_window = |id: &Option<String>| id.as_deref().is_some_and(|id| window.contains(id));
        if before.iter().all(in_window) {
            return true;
        }
        let earlier = before.iter().take_while(|id| !in_window(id)).count();
        // The listed items, in the previous page's order (some may have
        // been deleted since), up to the end of this page.
        let mut previous = recent.iter();
        let in_order = before[earlier..]
            .iter()
            .all(|id| previous.any(|seen| id.as_ref() == Some(seen)));
        let grew =
            matches!((self.checkpoint.total, total), (Some(before), Some(now)) if now > before);
        in_order && start == ids.len() && grew
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
            (Style::Page { first }, Position::Page(page)) => {
                (i128::from(*page) - i128::from(first)) * size + taken - 1
            }
            (Style::Offset, Position::Offset(offset)) => i128::from(*offset) + taken - 1,
            _ => return None,
        };
        let anchor_now = (anchor_was + i128::from(now) - i128::from(before)).max(0);
        let to_u64 = |n: i128| u64::try_from(n.max(0)).ok();
        match self.rules.style {
            Style::Page { first } => Some(Position::Page(first + to_u64(anchor_now / size)?)),
            Style::Offset => Some(Position::Offset(to_u64(anchor_now - size / 2)?)),
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
            (Style::Cursor | Style::Url, _) => match next {
                Err(problem) => After::Fail(problem),
                Ok(None) => After::End,
                Ok(Some(_)) if len == 0 => return empty_but_not_last(self),
                Ok(Some(next)) => {
                    let next = match self.rules.style {
                        Style::Url => Position::Url(next),
                        _ => Position::Cursor(next),
                    };
                    if self.cursors.insert(hash(&next)) {
                        After::Next(next)
                    } else {
                        After::Fail(Problem::CursorRepeated)
                    }
                }
            },
            (Style::Page { .. }, Position::Page(page)) => match last_page {
                Some(last) if len == 0 && *page < last => return empty_but_not_last(self),
                Some(last) if *page >= last => After::End,
                _ if len == 0 => After::End,
                _ => After::Next(Position::Page(page + 1)),
            },
            (Style::Offset, Position::Offset(offset)) => match total {
                Some(total) if len == 0 && *offset < total => return empty_but_not_last(self),
                Some(total) if offset + len >= total => After::End,
                _ if len == 0 => After::End,
                _ => After::Next(Position::Offset(offset + len)),
            },
            _ => return Err(self.stop(at, Problem::WrongCheckpoint)),
        })
    }

    /// The current page is all taken: the checkpoint moves past it.
    fn complete_page(&mut self) {
        let checkpoint = &mut self.checkpoint;
        match &self.after {
            After::Next(next) => {
                checkpoint.at = Some(next.clone());
                checkpoint.taken = 0;
                if self.page_passes_anchor {
                    checkpoint.recent = std::mem::take(&mut self.page_ids);
                    checkpoint.page_len = self.page_len;
                }
                checkpoint.total = self.page_total;
                self.reading = Some(Read::Forward(next.clone()));
            }
            After::End => {
                *checkpoint = Checkpoint {
                    done: true,
                    ..Checkpoint::default()
                };
                self.reading = None;
            }
            // The page stays the checkpoint's, all of it taken: resuming
            // reads it again, skips it, and meets the same problem.
            After::Fail(_) => {
                checkpoint.taken = self.page_len;
                self.reading = None;
            }
        }
    }

    fn stop(&mut self, at: &Position, problem: Problem) -> Error {
        self.stopped = true;
        self.reading = None;
        self.rules.error(at, problem)
    }
}

/// Whether `at` is a position of `style` (a checkpoint may come from
/// elsewhere).
fn fits(style: Style, at: &Position) -> bool {
    matches!(
        (style, at),
        (Style::Cursor, Position::Start | Position::Cursor(_))
            | (Style::Url, Position::Start | Position::Url(_))
            | (Style::Page { .. }, Position::Page(_))
            | (Style::Offset, Position::Offset(_))
    )
}

fn hash(position: &Position) -> u64 {
    let mut hasher = DefaultHasher::new();
    position.hash(&mut hasher);
    hasher.finish()
}
