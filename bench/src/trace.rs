//! A `tracing` subscriber for the end-to-end runs with tracing on: it takes
//! every span and event of every level and formats each event's fields (as
//! a logging subscriber would), so the runtime's instrumentation is paid in
//! full.

use std::fmt::{self, Write as _};
use std::sync::atomic::{AtomicU64, Ordering};

use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

/// Counts spans and events, formatting the fields of each.
#[derive(Debug, Default)]
pub struct Counting {
    spans: AtomicU64,
    events: AtomicU64,
    bytes: AtomicU64,
}

/// Formats fields into a reused line.
struct Line(String);

impl Visit for Line {
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        let _ = write!(self.0, " {}={:?}", field.name(), value);
    }
}

impl Subscriber for Counting {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, span: &Attributes<'_>) -> Id {
        let mut line = Line(String::new());
        span.record(&mut line);
        self.bytes.fetch_add(line.0.len() as u64, Ordering::Relaxed);
        Id::from_u64(self.spans.fetch_add(1, Ordering::Relaxed) + 1)
    }

    fn record(&self, _: &Id, values: &Record<'_>) {
        let mut line = Line(String::new());
        values.record(&mut line);
        self.bytes.fetch_add(line.0.len() as u64, Ordering::Relaxed);
    }

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        let mut line = Line(String::new());
        event.record(&mut line);
        self.bytes.fetch_add(line.0.len() as u64, Ordering::Relaxed);
        self.events.fetch_add(1, Ordering::Relaxed);
    }

    fn enter(&self, _: &Id) {}

    fn exit(&self, _: &Id) {}
}
