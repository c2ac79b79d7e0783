//! `cargo xtask diff` output: plain text for a terminal, Markdown to paste
//! into a pull request. Both list, per crate, the classified API changes,
//! the vendor document changes behind them, and the suggested version.
//!
//! [`render`] walks the reports once; a `Writer` lays each part out in the
//! chosen format, and every name goes through [`Format::code`].

use super::bump::Bump;
use super::format::Format;
use super::report::{ApiState, CrateReport, SpecState, VersionPlan};

/// Renders the reports of a comparison against revision `base`.
pub fn render(reports: &[CrateReport], base: &str, format: Format) -> String {
    let mut w = Writer::new(format, base);
    for report in reports {
        w.crate_heading(&report.provider, &report.status());
        let diff = match &report.api {
            ApiState::Compared(diff) => diff,
            ApiState::New => {
                w.note(&format!("not present at {}", format.code(base)));
                continue;
            }
            ApiState::Removed => {
                w.note(&format!(
                    "in {} at {}, not in the working tree: the crate is no longer generated",
                    format.code(crate::spec::manifest::PATH),
                    format.code(base)
                ));
                continue;
            }
        };
        w.list(
            "API",
            diff.changes
                .iter()
                .map(|c| (Some(c.impact().label()), c.describe(format))),
        );
        match &report.spec {
            SpecState::New => w.summary("Spec", &format!("no spec at {}", format.code(base))),
            SpecState::Removed => w.summary("Spec", "provider removed"),
            SpecState::Compared(changes) => w.list(
                "Spec",
                changes
                    .iter()
                    .map(|c| (c.impact().map(|i| i.label()), c.describe(format))),
            ),
        }
        if let Some(plan) = &report.version {
            w.version(&version_line(plan, format));
        }
    }
    w.out
}

/// The version advice, e.g. `0.1.0 -> 0.2.0 (minor bump suggested)`.
fn version_line(plan: &VersionPlan, format: Format) -> String {
    let code = |v: &dyn ToString| format.code(&v.to_string());
    if plan.bump == Bump::None {
        return format!("{}, no bump needed", code(&plan.current));
    }
    let (base, target, bump) = (code(&plan.base), code(&plan.target), plan.bump.label());
    if plan.applied {
        let path = code(&plan.cargo_toml.display());
        format!("{base} -> {target} ({bump} bump), written to {path}")
    } else if plan.needs_rewrite() {
        format!("{base} -> {target} ({bump} bump suggested)")
    } else {
        format!(
            "{} already includes the {bump} bump from {base}",
            code(&plan.current)
        )
    }
}

/// Lays out the parts of a report: an indented block per crate in text, a
/// section per crate in Markdown.
struct Writer<'b> {
    format: Format,
    base: &'b str,
    out: String,
    crates: usize,
}

impl<'b> Writer<'b> {
    fn new(format: Format, base: &'b str) -> Self {
        let out = match format {
            Format::Text => String::new(),
            Format::Markdown => format!("## API changes since {}\n", format.code(base)),
        };
        Writer {
            format,
            base,
            out,
            crates: 0,
        }
    }

    /// `sendcloud-v3: 2 additive`.
    fn crate_heading(&mut self, provider: &str, status: &str) {
        let provider = self.format.code(provider);
        match self.format {
            Format::Text if self.crates > 0 => self.out.push('\n'),
            Format::Text => {}
            Format::Markdown => self.out.push_str("\n### "),
        }
        self.out.push_str(&format!("{provider}: {status}\n"));
        self.crates += 1;
    }

    /// A sentence about the crate as a whole.
    fn note(&mut self, sentence: &str) {
        match self.format {
            Format::Text => self.out.push_str(&format!("  {sentence}\n")),
            Format::Markdown => self
                .out
                .push_str(&format!("\n{}.\n", capitalised(sentence))),
        }
    }

    /// The changes of one kind (`API`, `Spec`), each with its impact label
    /// if it has one.
    fn list(&mut self, kind: &str, items: impl Iterator<Item = (Option<&'static str>, String)>) {
        let items: Vec<_> = items.collect();
        if items.is_empty() {
            let none = match self.format {
                Format::Text => "none",
                Format::Markdown => "no change",
            };
            return self.summary(kind, none);
        }
        match self.format {
            Format::Text => self
                .out
                .push_str(&format!("  {kind} changes since {}:\n", self.base)),
            Format::Markdown => self.out.push_str(&format!("\n{kind}:\n\n")),
        }
        for (label, item) in items {
            let line = match (self.format, label) {
                (Format::Text, Some(label)) => format!("    {label}  {item}\n"),
                (Format::Text, None) => format!("    {item}\n"),
                (Format::Markdown, Some(label)) => format!("- **{label}** {item}\n"),
                (Format::Markdown, None) => format!("- {item}\n"),
            };
            self.out.push_str(&line);
        }
    }

    /// The changes of one kind said in a few words instead of listed.
    fn summary(&mut self, kind: &str, words: &str) {
        match self.format {
            Format::Text => self
                .out
                .push_str(&format!("  {kind} changes since {}: {words}\n", self.base)),
            Format::Markdown => self.out.push_str(&format!("\n{kind}: {words}.\n")),
        }
    }

    fn version(&mut self, line: &str) {
        match self.format {
            Format::Text => self.out.push_str(&format!("  Version: {line}\n")),
            Format::Markdown => self.out.push_str(&format!("\nVersion: {line}.\n")),
        }
    }
}

fn capitalised(sentence: &str) -> String {
    let mut chars = sentence.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}
