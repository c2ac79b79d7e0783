//! `cargo xtask diff` output: plain text for a terminal, Markdown to paste
//! into a pull request. Both list, per crate, the classified API changes,
//! the vendor document changes behind them, and the suggested version.

use super::bump::Bump;
use super::report::{ApiState, CrateReport, SpecState, VersionPlan, summary_line};
use crate::surface::code_span as code;

/// Output format of `cargo xtask diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Format {
    /// Indented plain text.
    #[default]
    Text,
    /// A Markdown block for a pull request description.
    Markdown,
}

/// Renders the reports of a comparison against revision `base`.
pub fn render(reports: &[CrateReport], base: &str, format: Format) -> String {
    match format {
        Format::Text => text(reports, base),
        Format::Markdown => markdown(reports, base),
    }
}

fn text(reports: &[CrateReport], base: &str) -> String {
    let mut out = String::new();
    for (i, report) in reports.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&summary_line(&report.provider, &report.api));
        out.push('\n');
        let ApiState::Compared(diff) = &report.api else {
            out.push_str(&format!("  not present at {base}\n"));
            continue;
        };
        if diff.changes.is_empty() {
            out.push_str(&format!("  API changes since {base}: none\n"));
        } else {
            out.push_str(&format!("  API changes since {base}:\n"));
            for change in &diff.changes {
                out.push_str(&format!(
                    "    {}  {}\n",
                    change.impact.label(),
                    change.description
                ));
            }
        }
        match &report.spec {
            SpecState::New => {
                out.push_str(&format!("  Spec changes since {base}: no spec at {base}\n"))
            }
            SpecState::Compared(changes) if changes.is_empty() => {
                out.push_str(&format!("  Spec changes since {base}: none\n"))
            }
            SpecState::Compared(changes) => {
                out.push_str(&format!("  Spec changes since {base}:\n"));
                for change in changes {
                    out.push_str(&format!("    {change}\n"));
                }
            }
        }
        if let Some(plan) = &report.version {
            out.push_str(&format!(
                "  Version: {}\n",
                version_line(plan, &|s| s.to_owned())
            ));
        }
    }
    out
}

fn markdown(reports: &[CrateReport], base: &str) -> String {
    let mut out = format!("## API changes since {}\n", code(base));
    for report in reports {
        out.push_str(&format!(
            "\n### {}: {}\n",
            code(&report.provider),
            report.api.status()
        ));
        let ApiState::Compared(diff) = &report.api else {
            out.push_str(&format!("\nNot present at {}.\n", code(base)));
            continue;
        };
        if !diff.changes.is_empty() {
            out.push_str("\nAPI:\n\n");
            for change in &diff.changes {
                out.push_str(&format!(
                    "- **{}** {}\n",
                    change.impact.label(),
                    change.description
                ));
            }
        }
        match &report.spec {
            SpecState::New => out.push_str(&format!("\nSpec: no spec at {}.\n", code(base))),
            SpecState::Compared(changes) if changes.is_empty() => {
                out.push_str("\nSpec: no change.\n")
            }
            SpecState::Compared(changes) => {
                out.push_str("\nSpec:\n\n");
                for change in changes {
                    out.push_str(&format!("- {change}\n"));
                }
            }
        }
        if let Some(plan) = &report.version {
            out.push_str(&format!(
                "\nVersion: {}.\n",
                version_line(plan, &|s| code(s))
            ));
        }
    }
    out
}

/// The version advice, with versions and paths passed through `code`.
fn version_line(plan: &VersionPlan, code: &dyn Fn(&str) -> String) -> String {
    let base = code(&plan.base.to_string());
    let target = code(&plan.target.to_string());
    if plan.bump == Bump::None {
        return format!("{}, no bump needed", code(&plan.current.to_string()));
    }
    let bump = plan.bump.label();
    if plan.applied {
        let path = code(&plan.cargo_toml.display().to_string());
        format!("{base} -> {target} ({bump} bump), written to {path}")
    } else if plan.needs_rewrite() {
        format!("{base} -> {target} ({bump} bump suggested)")
    } else {
        let current = code(&plan.current.to_string());
        format!("{current} already includes the {bump} bump from {base}")
    }
}
