//! Pass 11, write: put generated files on disk, or report which are stale.
//!
//! Everything is generated in memory first, so an error in any provider
//! leaves `crates/` untouched. Files are then staged beside their targets and
//! renamed into place, so a reader never sees half a file.

use std::io;
use std::path::{Path, PathBuf};

/// One generated file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    /// Path relative to the repository root.
    pub path: PathBuf,
    /// The full contents.
    pub contents: String,
}

/// The outputs whose file under `root` is missing or differs.
pub fn stale<'a>(root: &Path, outputs: &'a [Output]) -> Vec<&'a Output> {
    outputs
        .iter()
        .filter(|o| {
            std::fs::read(root.join(&o.path))
                .map_or(true, |on_disk| on_disk != o.contents.as_bytes())
        })
        .collect()
}

/// Lines of one file's diff that [`diff_from_disk`] shows: a diff of a
/// regenerated crate can run to thousands of lines, and the first hunks
/// say what went stale.
pub const MAX_DIFF_LINES: usize = 200;

/// How long computing one diff may take before `similar` settles for a
/// coarser (still correct) one.
const DIFF_TIMEOUT: std::time::Duration = std::time::Duration::from_millis(500);

/// A unified diff from the file on disk (empty if missing) to what `output`
/// would write, at most [`MAX_DIFF_LINES`] lines.
pub fn diff_from_disk(root: &Path, output: &Output) -> String {
    let on_disk = std::fs::read(root.join(&output.path))
        .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
        .unwrap_or_default();
    let path = output.path.display().to_string();
    let diff = similar::TextDiff::configure()
        .timeout(DIFF_TIMEOUT)
        .diff_lines(on_disk.as_str(), output.contents.as_str());
    let text = diff
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string();
    let total = text.lines().count();
    let mut shown: String = text.split_inclusive('\n').take(MAX_DIFF_LINES).collect();
    if total > MAX_DIFF_LINES {
        shown.push_str(&format!(
            "... {} more diff lines for {path}\n",
            total - MAX_DIFF_LINES
        ));
    }
    shown
}

/// Writes every stale output; returns the paths written.
pub fn write_all(root: &Path, outputs: &[Output]) -> io::Result<Vec<PathBuf>> {
    let changed = stale(root, outputs);
    let mut staged = Vec::with_capacity(changed.len());
    for output in &changed {
        let target = root.join(&output.path);
        let dir = target.parent().expect("outputs live in a directory");
        std::fs::create_dir_all(dir)?;
        let mut temp = target.clone().into_os_string();
        temp.push(".regen-tmp");
        let temp = PathBuf::from(temp);
        if let Err(e) = std::fs::write(&temp, &output.contents) {
            discard(&staged);
            let _ = std::fs::remove_file(&temp);
            return Err(io::Error::new(
                e.kind(),
                format!("writing {}: {e}", temp.display()),
            ));
        }
        staged.push((temp, target));
    }
    for (temp, target) in &staged {
        std::fs::rename(temp, target).map_err(|e| {
            io::Error::new(e.kind(), format!("renaming into {}: {e}", target.display()))
        })?;
    }
    Ok(changed.into_iter().map(|o| o.path.clone()).collect())
}

fn discard(staged: &[(PathBuf, PathBuf)]) {
    for (temp, _) in staged {
        let _ = std::fs::remove_file(temp);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn output(path: &str, contents: &str) -> Output {
        Output {
            path: path.into(),
            contents: contents.into(),
        }
    }

    #[test]
    fn writes_only_what_changed_and_reports_staleness() {
        let dir = tempfile::tempdir().unwrap();
        let outputs = [
            output("crates/a/src/lib.rs", "fn a() {}\n"),
            output("crates/a/Cargo.toml", "[package]\n"),
        ];
        let stale_paths: Vec<_> = stale(dir.path(), &outputs)
            .iter()
            .map(|o| o.path.clone())
            .collect();
        assert_eq!(stale_paths.len(), 2);
        assert_eq!(write_all(dir.path(), &outputs).unwrap().len(), 2);
        assert!(stale(dir.path(), &outputs).is_empty());
        assert!(write_all(dir.path(), &outputs).unwrap().is_empty());
        std::fs::write(dir.path().join("crates/a/Cargo.toml"), "edited").unwrap();
        let again = stale(dir.path(), &outputs);
        assert_eq!(again.len(), 1);
        assert_eq!(again[0].path, PathBuf::from("crates/a/Cargo.toml"));
        assert_eq!(
            diff_from_disk(dir.path(), again[0]),
            "--- a/crates/a/Cargo.toml\n+++ b/crates/a/Cargo.toml\n@@ -1 +1 @@\n\
             -edited\n\\ No newline at end of file\n+[package]\n"
        );
        // No staging files are left behind.
        let names: Vec<_> = std::fs::read_dir(dir.path().join("crates/a"))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert!(
            names
                .iter()
                .all(|n| !n.to_string_lossy().ends_with(".regen-tmp")),
            "{names:?}"
        );
    }
}
