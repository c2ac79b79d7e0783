//! A repository laid out in a temporary directory, and the real `xtask`
//! binary run against it, for the command-line tests.

use std::path::Path;
use std::process::{Command, Output};

/// A valid OpenAPI 3.1 document with one operation.
pub(crate) const GOOD_SPEC: &str = r#"openapi: 3.1.0
info:
  title: Acme
  version: 1.0.0
servers:
  - url: https://api.acme.test
paths:
  /invoices:
    get:
      operationId: listInvoices
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  total:
                    type: [number, 'null']
"#;

/// A repository in a temporary directory.
pub(crate) struct Repo(tempfile::TempDir);

impl Repo {
    /// An empty directory.
    pub(crate) fn empty() -> Self {
        Self(tempfile::tempdir().unwrap())
    }

    /// A repository with providers `a` and `b`, both valid.
    #[allow(dead_code)] // the review tests lay out their own
    pub(crate) fn new() -> Self {
        let repo = Self::empty();
        repo.write(
            "specs/providers.toml",
            "[[provider]]\nname = \"a\"\nspec = \"a/openapi.yaml\"\noverlay = \"a/overlay.yaml\"\n\n\
             [[provider]]\nname = \"b\"\nspec = \"b/openapi.json\"\n",
        );
        repo.write("specs/a/openapi.yaml", GOOD_SPEC);
        repo.write(
            "specs/a/overlay.yaml",
            "overlay: 1.0.0\ninfo: {title: fixes, version: 1.0.0}\nactions:\n  - target: $.info\n    description: why\n    update: {description: Fixed.}\n",
        );
        let json = serde_json::to_string_pretty(
            &serde_norway::from_str::<serde_json::Value>(GOOD_SPEC).unwrap(),
        )
        .unwrap();
        repo.write("specs/b/openapi.json", &json);
        repo
    }

    /// The repository's root.
    pub(crate) fn path(&self) -> &Path {
        self.0.path()
    }

    /// Writes `text` to `relative`, creating directories.
    pub(crate) fn write(&self, relative: &str, text: &str) {
        let path = self.path().join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    /// The text of `relative`.
    #[allow(dead_code)] // not every test binary reads files back
    pub(crate) fn read(&self, relative: &str) -> String {
        std::fs::read_to_string(self.path().join(relative)).unwrap()
    }

    /// Runs `xtask --root <repo> args`.
    #[allow(dead_code)] // not every test binary runs xtask
    pub(crate) fn xtask(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_xtask"))
            .arg("--root")
            .arg(self.path())
            .args(args)
            .output()
            .unwrap()
    }
}

impl Repo {
    /// Runs `git args` in the repository; see [`git`].
    #[allow(dead_code)] // only the review tests commit
    pub(crate) fn git(&self, args: &[&str]) -> String {
        git(self.path(), args)
    }
}

/// Runs `git args` in `root` (a fixed author, no signing, no hooks,
/// whatever the user's configuration) and returns its stdout.
#[allow(dead_code)] // not every test binary runs git
pub(crate) fn git(root: &Path, args: &[&str]) -> String {
    let output = Command::new("git")
        .arg("-C")
        .arg(root)
        .args([
            "-c",
            "init.defaultBranch=main",
            "-c",
            "commit.gpgsign=false",
            "-c",
            "core.hooksPath=/dev/null",
        ])
        .args(args)
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE")
        .env("GIT_AUTHOR_NAME", "xtask test")
        .env("GIT_AUTHOR_EMAIL", "xtask@example.invalid")
        .env("GIT_COMMITTER_NAME", "xtask test")
        .env("GIT_COMMITTER_EMAIL", "xtask@example.invalid")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// What a run printed to stdout.
#[allow(dead_code)] // not every test binary reads stdout
pub(crate) fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// What a run printed to stderr.
#[allow(dead_code)] // not every test binary reads stderr
pub(crate) fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}
