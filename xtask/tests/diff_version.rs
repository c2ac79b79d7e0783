//! Version bumps for API changes, and rewriting a Cargo.toml's version.

use xtask::diff;

use diff::api::Impact;
use diff::bump::Bump;
use semver::Version;
use xtask::generate::cargo_toml::{package_version, release_version, set_package_version};

fn v(s: &str) -> Version {
    release_version(s).unwrap()
}

#[test]
fn before_one_breaking_is_minor_and_additive_is_patch() {
    assert_eq!(
        Bump::for_change(&v("0.3.2"), Some(Impact::Breaking)),
        Bump::Minor
    );
    assert_eq!(
        Bump::for_change(&v("0.3.2"), Some(Impact::Additive)),
        Bump::Patch
    );
    assert_eq!(Bump::for_change(&v("0.3.2"), None), Bump::None);
    assert_eq!(Bump::Minor.apply(&v("0.3.2")), v("0.4.0"));
    assert_eq!(Bump::Patch.apply(&v("0.3.2")), v("0.3.3"));
    assert_eq!(
        Bump::for_change(&v("0.0.7"), Some(Impact::Breaking)).apply(&v("0.0.7")),
        v("0.1.0")
    );
}

#[test]
fn from_one_breaking_is_major_and_additive_is_minor() {
    assert_eq!(
        Bump::for_change(&v("1.0.0"), Some(Impact::Breaking)),
        Bump::Major
    );
    assert_eq!(
        Bump::for_change(&v("2.4.1"), Some(Impact::Additive)),
        Bump::Minor
    );
    assert_eq!(Bump::for_change(&v("2.4.1"), None), Bump::None);
    assert_eq!(Bump::Major.apply(&v("2.4.1")), v("3.0.0"));
    assert_eq!(Bump::Minor.apply(&v("2.4.1")), v("2.5.0"));
    assert_eq!(Bump::None.apply(&v("2.4.1")), v("2.4.1"));
}

#[test]
fn versions_parse_strictly() {
    assert_eq!(v("10.20.30").to_string(), "10.20.30");
    for bad in [
        "1.2",
        "1.2.3.4",
        "1.2.x",
        "01.2.3",
        "1.2.3-beta.1",
        "1.2.3+build",
        "",
        "+1.2.3",
    ] {
        let err = release_version(bad).unwrap_err();
        assert!(err.contains("major.minor.patch"), "{bad}: {err}");
    }
    assert!(v("0.9.0") < v("0.10.0"));
}

const CARGO_TOML: &str = r#"# The generated client for Sendcloud API v3.
[package]
name = "sendcloud-v3"
version = "0.1.0"   # bumped by `cargo xtask diff --apply-bump`
edition.workspace = true

[dependencies]
serde = { version = "1", features = ["derive"] }
version-check = { version = "0.1.0" }

[package.metadata.docs]
version = "0.1.0"
"#;

#[test]
fn rewrites_only_the_package_version_line() {
    assert_eq!(package_version(CARGO_TOML).unwrap(), v("0.1.0"));
    let rewritten = set_package_version(CARGO_TOML, &v("0.2.0")).unwrap();
    assert_eq!(
        rewritten,
        CARGO_TOML.replacen(
            "version = \"0.1.0\"   # bumped",
            "version = \"0.2.0\"   # bumped",
            1
        )
    );
    assert_eq!(package_version(&rewritten).unwrap(), v("0.2.0"));
}

#[test]
fn keeps_crlf_and_literal_strings() {
    let text = "[package]\r\nname = 'x'\r\nversion='1.4.2'\r\n";
    assert_eq!(
        set_package_version(text, &v("2.0.0")).unwrap(),
        "[package]\r\nname = 'x'\r\nversion='2.0.0'\r\n"
    );
}

#[test]
fn refuses_versions_it_cannot_bump() {
    let inherited = "[package]\nname = \"x\"\nversion.workspace = true\n";
    let err = set_package_version(inherited, &v("0.2.0")).unwrap_err();
    assert!(
        err.to_string().contains("inherited from the workspace"),
        "{err}"
    );

    let missing = "[package]\nname = \"x\"\n";
    let err = package_version(missing).unwrap_err();
    assert_eq!(err.to_string(), "Cargo.toml has no `[package]` version");

    let prerelease = "[package]\nname = \"x\"\nversion = \"0.1.0-beta.1\"\n";
    let err = set_package_version(prerelease, &v("0.2.0")).unwrap_err();
    assert!(err.to_string().contains("major.minor.patch"), "{err}");
}

#[test]
fn rewrites_a_package_written_as_an_inline_table() {
    let inline = "package = { name = \"x\", version = \"0.1.0\" } # one line\n";
    assert_eq!(
        set_package_version(inline, &v("0.2.0")).unwrap(),
        inline.replace("0.1.0", "0.2.0")
    );
}

mod workspace_requirement {
    use super::v;
    use xtask::generate::cargo_toml::set_workspace_dependency;

    const WORKSPACE: &str = "[workspace]\nmembers = [\"crates/*\"]\n\n\
        [workspace.dependencies]\n\
        serde = \"1\" # kept\n\
        acme = { path = \"crates/acme\" }\n\
        zeta = { path = \"crates/zeta/\", version = \"0.1.0\", features = [\"x\"] } # kept too\n";

    #[test]
    fn the_requirement_follows_the_version_and_nothing_else_moves() {
        let text = set_workspace_dependency(WORKSPACE, "zeta", "crates/zeta", &v("0.2.0")).unwrap();
        assert_eq!(
            text,
            WORKSPACE.replace("version = \"0.1.0\"", "version = \"0.2.0\"")
        );
        let text = set_workspace_dependency(&text, "acme", "crates/acme", &v("1.4.2")).unwrap();
        assert!(
            text.contains("acme = { path = \"crates/acme\", version = \"1.4.2\" }\n"),
            "{text}"
        );
        // Applying the same version again changes nothing.
        assert_eq!(
            set_workspace_dependency(&text, "acme", "crates/acme", &v("1.4.2")).unwrap(),
            text
        );
    }

    #[test]
    fn a_new_crate_is_added_and_crlf_is_kept() {
        let crlf = WORKSPACE.replace('\n', "\r\n");
        let text =
            set_workspace_dependency(&crlf, "invoicing-new", "crates/new", &v("0.1.0")).unwrap();
        assert!(
            text.ends_with("invoicing-new = { path = \"crates/new\", version = \"0.1.0\" }\r\n"),
            "{text:?}"
        );
        assert!(!text.replace("\r\n", "").contains('\n'), "{text:?}");
    }

    #[test]
    fn a_renamed_package_or_a_moved_path_is_an_error_naming_both() {
        let e = set_workspace_dependency(WORKSPACE, "invoicing-acme", "crates/acme", &v("0.1.0"))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("`acme`") && e.contains("`invoicing-acme`"),
            "{e}"
        );
        let e = set_workspace_dependency(WORKSPACE, "acme", "crates/elsewhere", &v("0.1.0"))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("crates/acme") && e.contains("crates/elsewhere"),
            "{e}"
        );
        let e = set_workspace_dependency("[workspace]\n", "acme", "crates/acme", &v("0.1.0"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("[workspace.dependencies]"), "{e}");
    }
}
