//! Generating the real specs twice gives identical bytes, and matches what
//! is committed (the same check `cargo xtask regen --check` makes in CI).

use xtask::pipeline;

#[test]
fn the_real_specs_generate_identically_twice_and_match_the_committed_crates() {
    let root = pipeline::repo_root();
    let first = pipeline::generate_all(&root, &[]).unwrap();
    let second = pipeline::generate_all(&root, &[]).unwrap();
    let files = |generated: &[pipeline::Generated]| -> Vec<_> {
        generated.iter().flat_map(|g| g.outputs.clone()).collect()
    };
    assert_eq!(files(&first), files(&second));
    let stale: Vec<_> = xtask::generate::write::stale(&root, &files(&first))
        .iter()
        .map(|o| o.path.display().to_string())
        .collect();
    assert!(
        stale.is_empty(),
        "stale generated files, run `cargo xtask regen`: {stale:?}"
    );
}
