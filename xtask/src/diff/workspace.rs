//! [`DiffInputs`] over a real repository: the current side generated in
//! memory from the working tree, the base side read from git.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow};

use super::DiffInputs;
use super::git::read_at_revision;
use crate::pipeline::{self, Generated};
use crate::spec::files;
use crate::spec::manifest::{self, Manifest, Provider};
use crate::surface;

/// The repository at `root`, with each provider generated at most once.
pub struct Workspace {
    root: PathBuf,
    providers: Vec<Provider>,
    generated: RefCell<BTreeMap<String, Generated>>,
}

impl Workspace {
    /// Reads the working-tree manifest under `root`.
    pub fn open(root: &Path) -> Result<Self> {
        Ok(Self {
            root: root.to_owned(),
            providers: manifest::read(root)?.providers,
            generated: RefCell::default(),
        })
    }

    fn with_generated<T>(&self, name: &str, f: impl FnOnce(&Generated) -> Result<T>) -> Result<T> {
        if !self.generated.borrow().contains_key(name) {
            let provider = self.provider(name)?;
            let generated = pipeline::generate_crate(&self.root, provider)?;
            self.generated
                .borrow_mut()
                .insert(name.to_owned(), generated);
        }
        f(&self.generated.borrow()[name])
    }

    fn provider(&self, name: &str) -> Result<&Provider> {
        self.providers
            .iter()
            .find(|p| p.name == name)
            .ok_or_else(|| anyhow!("unknown provider `{name}`"))
    }

    /// `specs/providers.toml` at `rev`, its specs found under `specs` as in
    /// the working tree; `None` if it did not exist.
    fn base_manifest(&self, rev: &str) -> Result<Option<Manifest>> {
        let Some(text) = self.text_at(rev, manifest::PATH)? else {
            return Ok(None);
        };
        let manifest =
            manifest::parse_in(Path::new(manifest::PATH), Path::new(manifest::DIR), &text)
                .with_context(|| format!("{} at `{rev}`", manifest::PATH))?;
        Ok(Some(manifest))
    }

    fn text_at(&self, rev: &str, path: &str) -> Result<Option<String>> {
        read_at_revision(&self.root, rev, Path::new(path))?
            .map(|bytes| {
                String::from_utf8(bytes).with_context(|| format!("{path} at `{rev}` is not UTF-8"))
            })
            .transpose()
    }
}

impl DiffInputs for Workspace {
    fn providers(&self) -> Vec<String> {
        self.providers.iter().map(|p| p.name.clone()).collect()
    }

    fn base_providers(&self, rev: &str) -> Result<Vec<String>> {
        Ok(self
            .base_manifest(rev)?
            .map(|m| m.providers.into_iter().map(|p| p.name).collect())
            .unwrap_or_default())
    }

    fn current_surface(&self, provider: &str) -> Result<String> {
        self.with_generated(provider, |g| {
            Ok(surface::render(g.provider.package(), &g.code)?)
        })
    }

    fn base_surface(&self, provider: &str, rev: &str) -> Result<Option<String>> {
        self.text_at(rev, &format!("crates/{provider}/API.md"))
    }

    fn current_spec(&self, provider: &str) -> Result<openapiv3::OpenAPI> {
        let entry = self.provider(provider)?;
        prepared(entry, |path| Ok(files::read_file(&self.root, path)?))
    }

    fn base_spec(&self, provider: &str, rev: &str) -> Result<Option<openapiv3::OpenAPI>> {
        let Some(manifest) = self.base_manifest(rev)? else {
            return Ok(None);
        };
        let Some(entry) = manifest.providers.iter().find(|p| p.name == provider) else {
            return Ok(None);
        };
        let api = prepared(entry, |path| {
            read_at_revision(&self.root, rev, path)?.ok_or_else(|| {
                anyhow!(
                    "{} is listed in {} at `{rev}` but missing there",
                    path.display(),
                    manifest::PATH
                )
            })
        })
        .with_context(|| format!("the spec at `{rev}`"))?;
        Ok(Some(api))
    }

    fn cargo_toml_path(&self, provider: &str) -> PathBuf {
        self.root.join("crates").join(provider).join("Cargo.toml")
    }

    fn workspace_manifest_path(&self) -> PathBuf {
        self.root.join("Cargo.toml")
    }

    fn base_cargo_toml(&self, provider: &str, rev: &str) -> Result<Option<String>> {
        self.text_at(rev, &format!("crates/{provider}/Cargo.toml"))
    }
}

/// `provider`'s document, its files read by `read`, prepared as the
/// generator reads it: the same preparation for both sides of a
/// comparison, so only what changed in the files differs.
fn prepared(
    provider: &Provider,
    read: impl FnMut(&Path) -> Result<Vec<u8>>,
) -> Result<openapiv3::OpenAPI> {
    let (spec, overlay) = files::read(provider, read)?;
    Ok(files::prepare_provider(provider, &spec, overlay.as_ref())?.api)
}
