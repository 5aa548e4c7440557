//! Writes an import fixture for timing `factmark import` as a whole process:
//! `cargo run --release --example import_fixture -- DIR [MB] [COUNT]` writes `DIR/story.txt`
//! (edited after annotating) and `DIR/annotations.jsonld`; then
//! `hyperfine --prepare 'rm -f DIR/story.txt.annotations.ron*' \
//!   'factmark import --format w3c DIR/annotations.jsonld --story DIR/story.txt'`.

#[path = "../benches/support/import_gen.rs"]
mod import_gen;

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let dir = std::path::PathBuf::from(args.next().unwrap_or_else(|| "import-fixture".into()));
    let mb: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(10);
    let count: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(10_000);
    std::fs::create_dir_all(&dir)?;
    let fx = import_gen::generate(7, mb * 1_000_000, count);
    std::fs::write(dir.join("story.txt"), fx.story)?;
    std::fs::write(dir.join("annotations.jsonld"), fx.w3c)?;
    println!("wrote {} ({mb} MB, {count} annotations)", dir.display());
    Ok(())
}
