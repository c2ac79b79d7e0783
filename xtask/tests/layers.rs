//! The dependency order each crate's `lib.rs` documents is the order its
//! modules keep.
//!
//! A crate that documents one lists its modules under "Modules depend one
//! way" as a numbered list of intra-doc links, earliest first. Each module
//! may name (with `use crate::...` or a `crate::`/`super::` path in code)
//! only itself and modules listed before it; a file in a listed module's
//! folder belongs to the longest listed prefix of its path. Test code
//! (`#[cfg(test)]`) is exempt: tests may drive a module through later
//! ones. Comments and doc links are not dependencies, and neither is the
//! code a `quote!` writes.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use syn::visit::Visit;

/// The crates whose `lib.rs` documents an order.
const CRATES: &[&str] = &["xtask", "crates/runtime"];

#[test]
fn every_module_imports_only_modules_documented_before_it() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut violations = Vec::new();
    for krate in CRATES {
        let src = root.join(krate).join("src");
        violations.extend(check(&src));
    }
    assert!(
        violations.is_empty(),
        "imports against the documented order:\n{}",
        violations.join("\n")
    );
}

#[test]
fn a_backward_import_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path();
    fs::write(
        src.join("lib.rs"),
        "//! Modules depend one way:\n//!\n//! 1. [`low`];\n//! 2. [`high`].\n//!\n\
         //! and nothing else.\npub mod high;\npub mod low;\npub use high::Top;\n",
    )
    .unwrap();
    fs::write(
        src.join("low.rs"),
        "use crate::{high::Top, low as me};\npub fn f() -> crate::Top { todo!() }\n\
         #[cfg(test)] mod tests { use crate::high; }\n// crate::high in a comment\n",
    )
    .unwrap();
    fs::write(src.join("high.rs"), "use crate::low::f;\npub struct Top;\n").unwrap();
    let found = check(src);
    assert_eq!(
        found,
        [
            "low.rs: `low` uses `Top` (`high` comes later in the documented order)",
            "low.rs: `low` uses `high::Top` (`high` comes later in the documented order)",
        ]
    );
}

#[test]
fn an_unlisted_module_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path();
    fs::write(
        src.join("lib.rs"),
        "//! Modules depend one way:\n//!\n//! 1. [`low`].\n//!\npub mod low;\npub mod stray;\n",
    )
    .unwrap();
    fs::write(src.join("low.rs"), "").unwrap();
    fs::write(src.join("stray.rs"), "").unwrap();
    assert_eq!(
        check(src),
        ["stray.rs: module `stray` is not in the documented order"]
    );
}

/// Every violation in the crate whose sources are in `src`.
fn check(src: &Path) -> Vec<String> {
    let lib = fs::read_to_string(src.join("lib.rs")).unwrap();
    let order = documented_order(&lib);
    assert!(
        !order.is_empty(),
        "{}: no numbered list of modules under \"Modules depend one way\"",
        src.join("lib.rs").display()
    );
    let reexports = root_reexports(&syn::parse_file(&lib).unwrap());
    let mut violations = Vec::new();
    for file in rust_files(src) {
        let relative = file.strip_prefix(src).unwrap();
        let module = module_path(relative);
        if module.is_empty() {
            continue; // lib.rs and main.rs: the crate roots.
        }
        let shown = relative.display().to_string();
        let Some(own) = owner(&order, &module) else {
            violations.push(format!(
                "{shown}: module `{}` is not in the documented order",
                module.join("::")
            ));
            continue;
        };
        let text = fs::read_to_string(&file).unwrap();
        let parsed = syn::parse_file(&text).unwrap_or_else(|e| panic!("{shown}: {e}"));
        let mut paths = CratePaths {
            module: module.clone(),
            found: Vec::new(),
        };
        paths.visit_file(&parsed);
        for used in paths.found.into_iter().filter(|p| !p.is_empty()) {
            let resolved = match reexports.get(&used[0]) {
                Some(full) => full.iter().chain(&used[1..]).cloned().collect(),
                None => used.clone(),
            };
            let Some(target) = owner(&order, &resolved) else {
                continue; // an item of the crate root itself
            };
            if target > own {
                violations.push(format!(
                    "{shown}: `{}` uses `{}` (`{}` comes later in the documented order)",
                    order[own].join("::"),
                    used.join("::"),
                    order[target].join("::")
                ));
            }
        }
    }
    violations.sort();
    violations.dedup();
    violations
}

/// The modules linked in the numbered list under "Modules depend one way",
/// in order.
fn documented_order(lib: &str) -> Vec<Vec<String>> {
    let doc: Vec<&str> = lib
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix("//!"))
        .map(str::trim)
        .collect();
    let Some(start) = doc
        .iter()
        .position(|l| l.contains("Modules depend one way"))
    else {
        return Vec::new();
    };
    let mut order = Vec::new();
    let mut in_list = false;
    for line in &doc[start + 1..] {
        let numbered = line
            .split_once(". ")
            .is_some_and(|(n, _)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
        if numbered {
            in_list = true;
        } else if in_list && line.is_empty() {
            break;
        }
        if !in_list {
            continue;
        }
        // Each code span, linked or not (a private module cannot be
        // linked from public docs), that reads as a module path.
        let mut rest = *line;
        while let Some(at) = rest.find('`') {
            rest = &rest[at + 1..];
            let Some(end) = rest.find('`') else { break };
            let link = &rest[..end];
            rest = &rest[end + 1..];
            let rest = rest.strip_prefix(']').unwrap_or(rest);
            if rest.starts_with('(')
                || !link
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b"_:0123456789".contains(&b))
            {
                continue; // a link to elsewhere, not a module of this crate
            }
            order.push(link.split("::").map(str::to_owned).collect());
        }
    }
    order
}

/// `pub use a::b::Name;` in the crate root, by the name it gives.
fn root_reexports(lib: &syn::File) -> BTreeMap<String, Vec<String>> {
    fn walk(
        tree: &syn::UseTree,
        prefix: &mut Vec<String>,
        out: &mut BTreeMap<String, Vec<String>>,
    ) {
        match tree {
            syn::UseTree::Path(p) => {
                prefix.push(p.ident.to_string());
                walk(&p.tree, prefix, out);
                prefix.pop();
            }
            syn::UseTree::Name(n) => {
                let mut full = prefix.clone();
                full.push(n.ident.to_string());
                out.insert(n.ident.to_string(), full);
            }
            syn::UseTree::Rename(r) => {
                let mut full = prefix.clone();
                full.push(r.ident.to_string());
                out.insert(r.rename.to_string(), full);
            }
            syn::UseTree::Group(g) => g.items.iter().for_each(|t| walk(t, prefix, out)),
            syn::UseTree::Glob(_) => {}
        }
    }
    let mut out = BTreeMap::new();
    for item in &lib.items {
        if let syn::Item::Use(u) = item {
            walk(&u.tree, &mut Vec::new(), &mut out);
        }
    }
    out.retain(|name, full| full.first() != Some(name));
    out
}

/// The index of the longest listed module that is a prefix of `path`.
fn owner(order: &[Vec<String>], path: &[String]) -> Option<usize> {
    order
        .iter()
        .enumerate()
        .filter(|(_, m)| path.starts_with(m))
        .max_by_key(|(_, m)| m.len())
        .map(|(i, _)| i)
}

fn module_path(relative: &Path) -> Vec<String> {
    let mut parts: Vec<String> = relative
        .with_extension("")
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if matches!(
        parts.last().map(String::as_str),
        Some("mod" | "lib" | "main")
    ) {
        parts.pop();
    }
    parts
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    files.sort();
    files
}

fn is_test_only(item: &syn::Item) -> bool {
    let attrs = match item {
        syn::Item::Mod(m) => &m.attrs,
        syn::Item::Fn(f) => &f.attrs,
        syn::Item::Use(u) => &u.attrs,
        syn::Item::Impl(i) => &i.attrs,
        _ => return false,
    };
    attrs.iter().any(|a| {
        a.path().is_ident("cfg")
            && a.parse_args::<syn::Meta>()
                .is_ok_and(|m| m.path().is_ident("test"))
    })
}

/// Every path into the crate a file's code names, made absolute.
struct CratePaths {
    module: Vec<String>,
    found: Vec<Vec<String>>,
}

impl CratePaths {
    fn absolute(&self, segments: Vec<String>) -> Option<Vec<String>> {
        let mut base = self.module.clone();
        let mut rest = segments.as_slice();
        match rest.first().map(String::as_str) {
            Some("crate") => {
                base.clear();
                rest = &rest[1..];
            }
            Some("super") => {
                while rest.first().map(String::as_str) == Some("super") {
                    base.pop();
                    rest = &rest[1..];
                }
            }
            _ => return None,
        }
        base.extend(rest.iter().cloned());
        Some(base)
    }

    fn use_tree(&mut self, tree: &syn::UseTree, prefix: &mut Vec<String>) {
        match tree {
            syn::UseTree::Path(p) => {
                prefix.push(p.ident.to_string());
                self.use_tree(&p.tree, prefix);
                prefix.pop();
            }
            syn::UseTree::Name(n) => self.record(prefix, Some(&n.ident)),
            syn::UseTree::Rename(r) => self.record(prefix, Some(&r.ident)),
            syn::UseTree::Glob(_) => self.record(prefix, None),
            syn::UseTree::Group(g) => {
                for t in &g.items {
                    self.use_tree(t, prefix);
                }
            }
        }
    }

    fn record(&mut self, prefix: &[String], last: Option<&syn::Ident>) {
        let mut segments = prefix.to_vec();
        segments.extend(last.filter(|l| *l != "self").map(ToString::to_string));
        if let Some(path) = self.absolute(segments) {
            self.found.push(path);
        }
    }
}

impl<'ast> Visit<'ast> for CratePaths {
    fn visit_item_use(&mut self, item: &'ast syn::ItemUse) {
        self.use_tree(&item.tree, &mut Vec::new());
    }

    fn visit_path(&mut self, path: &'ast syn::Path) {
        let segments = path.segments.iter().map(|s| s.ident.to_string()).collect();
        if let Some(absolute) = self.absolute(segments) {
            self.found.push(absolute);
        }
        syn::visit::visit_path(self, path);
    }

    fn visit_item(&mut self, item: &'ast syn::Item) {
        if is_test_only(item) {
            return;
        }
        let syn::Item::Mod(m) = item else {
            return syn::visit::visit_item(self, item);
        };
        self.module.push(m.ident.to_string());
        syn::visit::visit_item(self, item);
        self.module.pop();
    }
}
