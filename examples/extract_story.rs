//! Prints a story file's canonical text and metadata as factmark reads it (HTML pages and
//! Word documents are extracted), and how long loading took: the timing behind the
//! "open a 2 MB HTML page" figure in docs/PERFORMANCE.md.
//!
//! `cargo run --release --no-default-features --example extract_story -- PAGE.html [--quiet]`

use std::time::Instant;

fn main() -> std::process::ExitCode {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: extract_story FILE [--quiet]");
        return std::process::ExitCode::from(2);
    };
    let quiet = args.next().as_deref() == Some("--quiet");
    let t = Instant::now();
    match factmark::text::load_story(std::path::Path::new(&path)) {
        Ok(story) => {
            let took = t.elapsed();
            if !quiet {
                println!("{:#?}", story.meta);
                println!("---\n{}", story.text.as_str());
            }
            eprintln!(
                "loaded {} chars ({:?}) in {:.1} ms",
                story.text.len_chars(),
                story.format,
                took.as_secs_f64() * 1000.0
            );
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("factmark: {e}");
            std::process::ExitCode::from(1)
        }
    }
}
