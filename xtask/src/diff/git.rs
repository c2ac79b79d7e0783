//! Reading files as they were at a git revision.

use std::path::Path;
use std::process::{Command, Output};

use anyhow::{Context, Result, bail};

/// A git command run in `repo_root`.
///
/// `GIT_DIR` and friends are cleared so that the repository is the one at
/// `repo_root`, as the caller said, even when xtask runs from a git hook
/// (hooks export them for the repository being committed to).
fn git(repo_root: &Path) -> Command {
    let mut command = Command::new("git");
    command
        .arg("-C")
        .arg(repo_root)
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE");
    command
}

fn run(mut command: Command) -> Result<Output> {
    command
        .output()
        .context("cannot run `git` (is it installed and on PATH?)")
}

/// The commit `rev` names in the repository at `repo_root`, as a full hash.
///
/// An unknown revision, or one that is not a commit, is an error naming it.
pub fn verify_revision(repo_root: &Path, rev: &str) -> Result<String> {
    let mut command = git(repo_root);
    command.args([
        "rev-parse",
        "--verify",
        "--quiet",
        "--end-of-options",
        &format!("{rev}^{{commit}}"),
    ]);
    let output = run(command)?;
    if !output.status.success() {
        bail!(
            "unknown revision `{rev}`: it does not name a commit in {}",
            repo_root.display()
        );
    }
    Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

/// The contents of `path` (relative to `repo_root`) at revision `rev`, or
/// `None` when the file did not exist there.
pub fn read_at_revision(repo_root: &Path, rev: &str, path: &Path) -> Result<Option<Vec<u8>>> {
    let commit = verify_revision(repo_root, rev)?;
    // `./` makes the path relative to `repo_root` rather than to the top of
    // the work tree, and git wants `/` whatever the platform.
    let relative = path
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/");
    let object = format!("{commit}:./{relative}");

    let mut kind = git(repo_root);
    kind.args(["cat-file", "-t", &object]);
    let kind = run(kind)?;
    if !kind.status.success() {
        return Ok(None);
    }
    let kind = String::from_utf8_lossy(&kind.stdout);
    if kind.trim() != "blob" {
        bail!("`{relative}` at `{rev}` is a {}, not a file", kind.trim());
    }

    let mut show = git(repo_root);
    // Content as committed: no textconv filters from the local config.
    show.args(["show", "--no-textconv", &object]);
    let output = run(show)?;
    if !output.status.success() {
        bail!(
            "`git show {rev}:{relative}` failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    Ok(Some(output.stdout))
}
