//! Every list of the facade's providers, written from the manifest: a
//! provider is its `specs/providers.toml` entry (with `facade = true`), its
//! adapter and its mock vendor, and `cargo xtask regen` writes the rest:
//!
//! - `crates/invoicing/Cargo.toml`: one feature per provider (turning on its
//!   generated crate, an optional dependency), all of them by default;
//! - `crates/invoicing/src/registry.rs`: the table of providers, a
//!   `macro_rules!` the facade expands into its `Provider` variants, adapter
//!   modules and re-exports, builder methods and lookups;
//! - `mock-vendors/src/vendors/mod.rs`: every provider's mock vendor.
//!
//! `regen --check` finds any of them stale, so they cannot drift from the
//! manifest. A repository without the facade (a bare checkout of specs, as
//! in tests) gets none of them.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use toml_edit::{Array, DocumentMut, InlineTable, Item, Table, Value};

use crate::generate::write::Output;
use crate::spec::manifest::{self, Manifest, Provider};

/// The facade's directory, relative to the repository root.
pub const FACADE_DIR: &str = "crates/invoicing";
/// The mock vendors' directory, relative to the repository root.
pub const MOCKS_DIR: &str = "mock-vendors";

/// The files listing the facade's providers; none when the repository has
/// no facade.
///
/// # Errors
/// When a `facade = true` provider has no adapter or mock vendor file
/// (named, with the manifest entry), or the facade's `Cargo.toml` cannot be
/// read or edited.
pub fn outputs(root: &Path, manifest: &Manifest) -> anyhow::Result<Vec<Output>> {
    let cargo_path = Path::new(FACADE_DIR).join("Cargo.toml");
    let cargo = match std::fs::read_to_string(root.join(&cargo_path)) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e).with_context(|| format!("reading {}", cargo_path.display())),
    };
    let providers: Vec<&Provider> = manifest.providers.iter().filter(|p| p.facade).collect();
    for provider in &providers {
        for file in [adapter_file(provider), mock_file(provider)] {
            if !root.join(&file).is_file() {
                bail!(
                    "{} {}: `facade = true`, but {} does not exist: a provider of the facade \
                     has an adapter and a mock vendor (README, \"Adding a provider\")",
                    manifest::PATH,
                    provider.pointer,
                    file.display()
                );
            }
        }
    }
    Ok(vec![
        Output {
            contents: facade_cargo_toml(&cargo, &providers)
                .with_context(|| format!("editing {}", cargo_path.display()))?,
            path: cargo_path,
        },
        Output {
            path: Path::new(FACADE_DIR).join("src/registry.rs"),
            contents: facade_table(&providers),
        },
        Output {
            path: Path::new(MOCKS_DIR).join("src/vendors/mod.rs"),
            contents: mock_list(&providers),
        },
    ])
}

/// The provider's adapter, relative to the repository root.
pub fn adapter_file(provider: &Provider) -> PathBuf {
    Path::new(FACADE_DIR)
        .join("src/adapters")
        .join(format!("{}.rs", provider.module_name()))
}

/// The provider's mock vendor, relative to the repository root.
pub fn mock_file(provider: &Provider) -> PathBuf {
    Path::new(MOCKS_DIR)
        .join("src/vendors")
        .join(format!("{}.rs", provider.module_name()))
}

/// The facade's `Cargo.toml` with `[features]` and the generated crates'
/// optional dependencies those of `providers`; everything else as it was.
fn facade_cargo_toml(text: &str, providers: &[&Provider]) -> anyhow::Result<String> {
    let mut doc: DocumentMut = text.parse()?;
    let dependencies = doc
        .get_mut("dependencies")
        .and_then(Item::as_table_mut)
        .context("no [dependencies]")?;
    // Generated crates no longer in the facade leave; optional dependencies
    // are only ever generated crates.
    let stale: Vec<String> = dependencies
        .iter()
        .filter(|(_, item)| {
            item.as_table_like()
                .and_then(|entry| entry.get("optional"))
                .and_then(Item::as_bool)
                == Some(true)
        })
        .map(|(key, _)| key.to_owned())
        .collect();
    for key in stale {
        dependencies.remove(&key);
    }
    for provider in providers {
        let mut entry = InlineTable::new();
        entry.insert("workspace", true.into());
        entry.insert("optional", true.into());
        dependencies.insert(provider.package(), Item::Value(Value::InlineTable(entry)));
    }
    dependencies.sort_values();

    let mut features = Table::new();
    features.decor_mut().set_prefix(
        "\n# One feature per provider, named as in specs/providers.toml: each brings its\n\
         # adapter and generated crate (and that crate's auth), nothing else. Written\n\
         # by `cargo xtask regen` from the manifest's `facade = true` entries.\n",
    );
    let mut default = Array::new();
    for provider in providers {
        default.push(provider.name.as_str());
    }
    features.insert("default", Item::Value(Value::Array(default)));
    for provider in providers {
        let mut deps = Array::new();
        deps.push(format!("dep:{}", provider.package()));
        features.insert(&provider.name, Item::Value(Value::Array(deps)));
    }
    doc.insert("features", Item::Table(features));
    Ok(doc.to_string())
}

/// `crates/invoicing/src/registry.rs`: the table of providers.
fn facade_table(providers: &[&Provider]) -> String {
    let mut rows = String::new();
    for p in providers {
        rows.push_str(&format!(
            "            ({:?}, {}, {}, {}, {:?}),\n",
            p.name,
            p.type_name(),
            p.module_name(),
            p.lib_name(),
            p.title()
        ));
    }
    format!(
        "//! Every provider the facade reads, once. Written by `cargo xtask regen`\n\
         //! from `specs/providers.toml` (its `facade = true` entries): do not edit.\n\
         \n\
         /// Calls macro `$then` with one row per provider, in the manifest's\n\
         /// order: `(feature, Type, module, generated_crate, \"title\")`. `Type` is\n\
         /// the `Provider` variant and the adapter (`adapters::<Type>`, its vendor\n\
         /// `<Type>Api`); `module` is the adapter's file and builder method.\n\
         macro_rules! with_providers {{\n\
         \x20   ($then:ident) => {{\n\
         \x20       $then! {{\n\
         {rows}\
         \x20       }}\n\
         \x20   }};\n\
         }}\n\
         \n\
         pub(crate) use with_providers;\n"
    )
}

/// `mock-vendors/src/vendors/mod.rs`: every provider's mock vendor.
fn mock_list(providers: &[&Provider]) -> String {
    let mut text = String::from(
        "//! Every provider's mock vendor, one module each. Written by `cargo xtask\n\
         //! regen` from `specs/providers.toml` (its `facade = true` entries): do\n\
         //! not edit.\n\n",
    );
    let mut modules: Vec<&&Provider> = providers.iter().collect();
    modules.sort_by_key(|p| p.module_name());
    for p in &modules {
        text.push_str(&format!("mod {};\n", p.module_name()));
    }
    text.push('\n');
    for p in &modules {
        text.push_str(&format!(
            "pub use {}::{};\n",
            p.module_name(),
            p.type_name()
        ));
    }
    let all: Vec<String> = providers
        .iter()
        .map(|p| format!("    &{},\n", p.type_name()))
        .collect();
    text.push_str(&format!(
        "\nuse crate::shape::Shape;\n\n\
         /// Every provider's mock vendor, in the manifest's order.\n\
         pub const ALL: &[&dyn Shape] = &[\n{}];\n\n\
         /// The mock vendor of the provider named `name` (as in\n\
         /// `specs/providers.toml`).\n\
         pub fn by_name(name: &str) -> Option<&'static dyn Shape> {{\n\
         \x20   ALL.iter().copied().find(|shape| shape.name() == name)\n\
         }}\n",
        all.concat()
    ));
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn provider(name: &str, package: &str) -> Provider {
        Provider {
            name: name.to_owned(),
            package: Some(package.to_owned()),
            facade: true,
            ..Provider::default()
        }
    }

    #[test]
    fn the_facade_manifest_gets_one_feature_and_optional_dependency_per_provider() {
        let before = "[package]\nname = \"invoicing\"\n\n[features]\ndefault = [\"old\"]\nold = [\"dep:invoicing-old\"]\n\n[dependencies]\nchrono.workspace = true\ninvoicing-old = { workspace = true, optional = true }\nserde.workspace = true\n";
        let kitchen = provider("kitchen", "invoicing-kitchen");
        let stripe = provider("stripe", "invoicing-stripe");
        let after = facade_cargo_toml(before, &[&stripe, &kitchen]).unwrap();
        let doc: DocumentMut = after.parse().unwrap();
        assert_eq!(
            doc["features"]["default"]
                .as_array()
                .unwrap()
                .to_string()
                .trim(),
            r#"["stripe", "kitchen"]"#
        );
        assert_eq!(
            doc["features"]["kitchen"]
                .as_array()
                .unwrap()
                .to_string()
                .trim(),
            r#"["dep:invoicing-kitchen"]"#
        );
        assert!(doc["features"].get("old").is_none(), "{after}");
        let deps: Vec<&str> = doc["dependencies"]
            .as_table()
            .unwrap()
            .iter()
            .map(|(key, _)| key)
            .collect();
        assert_eq!(
            deps,
            ["chrono", "invoicing-kitchen", "invoicing-stripe", "serde"]
        );
        // Written twice, the same bytes.
        assert_eq!(
            facade_cargo_toml(&after, &[&stripe, &kitchen]).unwrap(),
            after
        );
    }

    #[test]
    fn the_table_names_each_provider_as_the_facade_does() {
        let mut xero = provider("xero-accounting", "invoicing-xero-accounting");
        xero.title = Some("Xero Accounting".to_owned());
        let table = facade_table(&[&xero]);
        assert!(
            table.contains(
                r#"("xero-accounting", XeroAccounting, xero_accounting, invoicing_xero_accounting, "Xero Accounting"),"#
            ),
            "{table}"
        );
        let mocks = mock_list(&[&xero]);
        assert!(mocks.contains("mod xero_accounting;\n"), "{mocks}");
        assert!(mocks.contains("pub use xero_accounting::XeroAccounting;\n"));
        assert!(mocks.contains("    &XeroAccounting,\n"));
    }
}
