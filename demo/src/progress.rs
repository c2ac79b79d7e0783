//! The progress line: invoices listed per provider, errors, time taken.
//!
//! On a terminal it is cleared before each table row and drawn again after
//! it, so rows scroll above it and it stays on the last line. Anywhere else
//! (a pipe, a log, CI) only the final line is written: in-place redraws
//! would be noise there.

use std::fmt::Display;
use std::io::{self, IsTerminal, Stderr, Write};
use std::time::Instant;

use invoicing::Provider;

use crate::table::Summary;

/// Counts of one listing, written to `out` (stderr in the demo).
#[derive(Debug)]
pub struct Progress<W: Write> {
    out: W,
    redraw: bool,
    summary: Summary,
    started: Instant,
    /// Whether the line is on the screen now (and must be cleared before
    /// anything else is written).
    shown: bool,
}

impl Progress<Stderr> {
    /// Progress on stderr, redrawn in place only when stderr is a terminal.
    pub fn stderr() -> Self {
        let redraw = io::stderr().is_terminal();
        Self::new(io::stderr(), redraw)
    }
}

impl<W: Write> Progress<W> {
    /// Progress on `out`; `redraw` draws the line in place as it changes.
    pub fn new(out: W, redraw: bool) -> Self {
        Self {
            out,
            redraw,
            summary: Summary {
                rows: Provider::ALL.iter().map(|p| (*p, 0)).collect(),
                errors: 0,
            },
            started: Instant::now(),
            shown: false,
        }
    }

    /// The line as it stands: `sendcloud-v2 40 · kitchen 75 | 115 invoices,
    /// 0 errors, 0.4 s`.
    pub fn line(&self) -> String {
        let counts: Vec<String> = self
            .summary
            .rows
            .iter()
            .map(|(provider, n)| format!("{provider} {n}"))
            .collect();
        let total: usize = self.summary.rows.values().sum();
        format!(
            "{} | {total} invoices, {} errors, {:.1} s",
            counts.join(" · "),
            self.summary.errors,
            self.started.elapsed().as_secs_f64()
        )
    }

    /// Clears the line before other output takes its place.
    ///
    /// # Errors
    /// When writing to `out` fails.
    pub fn before_output(&mut self) -> io::Result<()> {
        if self.shown {
            // Carriage return, then erase the line (ANSI EL2).
            write!(self.out, "\r\x1b[2K")?;
            self.out.flush()?;
            self.shown = false;
        }
        Ok(())
    }

    /// Counts a row of `provider` (written just now).
    ///
    /// # Errors
    /// When writing to `out` fails.
    pub fn row(&mut self, provider: Provider) -> io::Result<()> {
        *self.summary.rows.entry(provider).or_default() += 1;
        self.draw()
    }

    /// Writes and counts an error item.
    ///
    /// # Errors
    /// When writing to `out` fails.
    pub fn error(&mut self, error: &dyn Display) -> io::Result<()> {
        self.before_output()?;
        writeln!(self.out, "error: {error}")?;
        self.summary.errors += 1;
        self.draw()
    }

    /// Writes the final line, on a line of its own.
    ///
    /// # Errors
    /// When writing to `out` fails.
    pub fn finish(&mut self) -> io::Result<()> {
        self.before_output()?;
        writeln!(self.out, "listed {}", self.line())?;
        self.out.flush()
    }

    /// The counts so far.
    pub fn summary(&self) -> Summary {
        self.summary.clone()
    }

    fn draw(&mut self) -> io::Result<()> {
        if !self.redraw {
            return Ok(());
        }
        self.before_output()?;
        write!(self.out, "listing {}", self.line())?;
        self.out.flush()?;
        self.shown = true;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn off_a_terminal_only_errors_and_the_final_line_are_written() {
        let mut out = Vec::new();
        let mut progress = Progress::new(&mut out, false);
        progress.row(Provider::Kitchen).unwrap();
        progress.row(Provider::Kitchen).unwrap();
        progress.error(&"page 3 failed").unwrap();
        progress.finish().unwrap();
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 2, "{text}");
        assert_eq!(lines[0], "error: page 3 failed");
        assert!(lines[1].starts_with("listed "), "{text}");
        assert!(lines[1].contains("kitchen 2"), "{text}");
        assert!(lines[1].contains("| 2 invoices, 1 errors"), "{text}");
        assert!(
            !text.contains('\x1b'),
            "no terminal codes off a terminal: {text:?}"
        );
    }

    #[test]
    fn on_a_terminal_the_line_is_drawn_in_place_and_cleared_before_output() {
        let mut out = Vec::new();
        let mut progress = Progress::new(&mut out, true);
        progress.row(Provider::Kitchen).unwrap();
        progress.before_output().unwrap();
        progress.finish().unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.starts_with("listing "), "{text:?}");
        // Drawn without a newline, then erased before the next output.
        let drawn = text.find("listing ").unwrap();
        let cleared = text.find("\r\x1b[2K").unwrap();
        assert!(
            drawn < cleared && !text[drawn..cleared].contains('\n'),
            "{text:?}"
        );
        let last = text.rsplit("\r\x1b[2K").next().unwrap();
        assert!(
            last.starts_with("listed ") && last.ends_with(" s\n"),
            "{text:?}"
        );
    }
}
