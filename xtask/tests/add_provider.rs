//! Adding a provider the way the README's "Adding a provider" says: in a
//! copy of this repository, the vendor's document and overlay, a manifest
//! entry with `facade = true`, an adapter and a mock vendor
//! (`fixtures/add-provider/`), then `cargo xtask regen`, and nothing else.
//! The offline demo of the copy then lists the new provider's invoices
//! beside the others with no error.
//!
//! Ignored by default: it builds the copy's workspace (the dependencies
//! come from this checkout's target directory, the workspace's own crates
//! are built again, a few minutes). `.ci/run` runs it after the test suite,
//! with nothing else building.

use std::path::{Path, PathBuf};
use std::process::Command;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/add-provider")
        .join(name)
}

/// Copies the files git tracks in `from` (the working tree's contents) to
/// `to`.
fn copy_tracked(from: &Path, to: &Path) {
    let listed = Command::new("git")
        .args([
            "ls-files",
            "-z",
            "--cached",
            "--others",
            "--exclude-standard",
        ])
        .current_dir(from)
        .output()
        .expect("git runs");
    assert!(listed.status.success());
    for name in listed.stdout.split(|b| *b == 0).filter(|n| !n.is_empty()) {
        let name = std::str::from_utf8(name).unwrap();
        let source = from.join(name);
        // Deleted in the working tree but still in the index.
        if !source.is_file() {
            continue;
        }
        let target = to.join(name);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::copy(&source, &target).unwrap();
    }
}

fn run(command: &mut Command) -> (bool, String, String) {
    let out = command.output().expect("the command starts");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
#[ignore = "builds a copy of the workspace; .ci/run runs it with --ignored"]
fn a_provider_is_its_manifest_entry_its_adapter_and_its_mock_vendor() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let copy = tempfile::tempdir().unwrap();
    let repo = copy.path();
    copy_tracked(root, repo);

    // The README's steps: the document and overlay, the manifest entry,
    // the adapter and the mock vendor.
    for file in ["openapi.yaml", "overlay.yaml"] {
        std::fs::create_dir_all(repo.join("specs/acme")).unwrap();
        std::fs::copy(
            fixture(&format!("specs/acme/{file}")),
            repo.join("specs/acme").join(file),
        )
        .unwrap();
    }
    let mut manifest = std::fs::read_to_string(repo.join("specs/providers.toml")).unwrap();
    manifest.push_str(&std::fs::read_to_string(fixture("manifest-entry.toml")).unwrap());
    std::fs::write(repo.join("specs/providers.toml"), manifest).unwrap();
    let xtask = env!("CARGO_BIN_EXE_xtask");
    let root_arg = repo.to_str().unwrap();

    // Without its adapter, regen names the missing file.
    let (ok, _, stderr) = run(Command::new(xtask).args(["--root", root_arg, "regen"]));
    assert!(!ok);
    assert!(
        stderr.contains("crates/invoicing/src/adapters/acme.rs does not exist"),
        "{stderr}"
    );

    std::fs::copy(
        fixture("acme_adapter.rs"),
        repo.join("crates/invoicing/src/adapters/acme.rs"),
    )
    .unwrap();
    std::fs::copy(
        fixture("acme_mock.rs"),
        repo.join("mock-vendors/src/vendors/acme.rs"),
    )
    .unwrap();
    let (ok, stdout, stderr) = run(Command::new(xtask).args(["--root", root_arg, "regen"]));
    assert!(ok, "{stdout}\n{stderr}");
    assert!(stdout.contains("acme: new crate"), "{stdout}");
    for (file, expected) in [
        (
            "crates/invoicing/Cargo.toml",
            r#"acme = ["dep:invoicing-acme"]"#,
        ),
        (
            "crates/invoicing/src/registry.rs",
            r#"("acme", Acme, acme, invoicing_acme, "Acme Billing"),"#,
        ),
        ("mock-vendors/src/vendors/mod.rs", "    &Acme,\n"),
        ("Cargo.toml", "invoicing-acme = { path = \"crates/acme\""),
    ] {
        let text = std::fs::read_to_string(repo.join(file)).unwrap();
        assert!(
            text.contains(expected),
            "{file} lacks {expected:?}:\n{text}"
        );
    }
    let (ok, _, stderr) = run(Command::new(xtask).args(["--root", root_arg, "regen", "--check"]));
    assert!(ok, "{stderr}");

    // The demo of the copy lists Acme beside the others, with no error.
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"));
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let (ok, stdout, stderr) = run(Command::new(cargo)
        .args([
            "run",
            "--quiet",
            "-p",
            "invoicing-demo",
            "--",
            "--offline",
            "--latency-ms",
            "0",
        ])
        .current_dir(repo)
        .env("CARGO_TARGET_DIR", target));
    assert!(ok, "{stderr}");
    let acme: Vec<&str> = stdout.lines().filter(|l| l.starts_with("acme ")).collect();
    assert!(acme.len() > 100, "{} Acme rows:\n{stdout}", acme.len());
    // Minor units by each currency's exponent: invoice 1 in yen, 2 in fils.
    let row = |number: &str| {
        acme.iter()
            .find(|l| l.split_whitespace().nth(1) == Some(number))
            .unwrap_or_else(|| panic!("no row {number}"))
            .split_whitespace()
            .collect::<Vec<_>>()
    };
    assert_eq!(row("A-1")[4..], ["791931", "JPY"]);
    assert_eq!(row("A-2")[4..], ["1583.862", "KWD"]);
    assert!(stderr.contains(" invoices, 0 errors"), "{stderr}");
}
