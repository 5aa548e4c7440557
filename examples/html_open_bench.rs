//! Timing of "open a 2 MB HTML page" (issue 15): from process start to the loaded story
//! (canonical text extracted, metadata read, text indexed), measured as the wall time of a
//! child process that does exactly that and exits. The window adds its first frame on top;
//! see docs/PERFORMANCE.md for the figure.
//!
//! `cargo build --release --no-default-features --bin factmark &&
//!  cargo run --no-default-features --example html_open_bench -- target/release/factmark`
//!
//! With a factmark binary given, each run is `factmark check PAGE` (process start, page read
//! and extracted, sidecar looked up, exit): the figure a user sees. Without one, this
//! program's own child mode (`--load`) is timed, in whatever profile it was built.
//!
//! The page is generated here: navigation, ads, a footer, inline scripts, a canonical link
//! and an article of ~2 MB of paragraphs.

use std::process::Command;
use std::time::Instant;

const TARGET_BYTES: usize = 2 << 20;

fn page() -> String {
    let mut html = String::with_capacity(TARGET_BYTES + 4096);
    html.push_str(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Council budget, \
         line by line | The Ledger</title><link rel=\"canonical\" href=\"https://ledger.example/budget\">\
         <meta property=\"og:site_name\" content=\"The Ledger\"><meta name=\"author\" content=\"A. Reporter\">\
         <script>var tracking = {page: 'budget'};</script></head><body><nav><a href=/>Home</a> \
         <a href=/news>News</a></nav><div class=\"ad\">Advertisement</div><main><article><h1>Council \
         budget, line by line</h1>",
    );
    let mut n = 0;
    while html.len() < TARGET_BYTES {
        n += 1;
        html.push_str(&format!(
            "<p>Item {n}: the council said spending on roads rose by {}% to {} million euros, \
             while the audit office found that <em>{} contracts</em> were signed without a \
             tender, according to documents seen by The Ledger.</p>\n",
            n % 17,
            n * 3 % 997,
            n % 41
        ));
    }
    html.push_str(
        "</article></main><footer>© The Ledger</footer><script>done()</script></body></html>",
    );
    html
}

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().collect();
    // Child mode: load the story and exit; the parent times the whole process.
    if let [_, flag, path] = args.as_slice()
        && flag == "--load"
    {
        return match factmark::text::load_story(std::path::Path::new(path)) {
            Ok(story) => {
                println!("{}", story.text.len_chars());
                std::process::ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("factmark: {e}");
                std::process::ExitCode::from(1)
            }
        };
    }
    let dir = std::env::temp_dir().join(format!("factmark-html-bench-{}", std::process::id()));
    if let Err(e) = std::fs::create_dir_all(&dir) {
        eprintln!("cannot create {}: {e}", dir.display());
        return std::process::ExitCode::from(1);
    }
    let path = dir.join("budget.html");
    let html = page();
    if let Err(e) = std::fs::write(&path, &html) {
        eprintln!("cannot write {}: {e}", path.display());
        return std::process::ExitCode::from(1);
    }
    let (exe, mode) = match args.get(1) {
        Some(binary) => (std::path::PathBuf::from(binary), "check"),
        None => match std::env::current_exe() {
            Ok(exe) => (exe, "--load"),
            Err(e) => {
                eprintln!("cannot find this program's path: {e}");
                return std::process::ExitCode::from(1);
            }
        },
    };
    let mut times = Vec::new();
    let mut chars = String::new();
    for _ in 0..7 {
        let t = Instant::now();
        let out = Command::new(&exe).arg(mode).arg(&path).output();
        let took = t.elapsed().as_secs_f64();
        match out {
            Ok(o) if o.status.success() => {
                // `--load` prints the char count; `check` prints its one-line report.
                chars = String::from_utf8_lossy(&o.stdout).trim().to_owned();
                times.push(took);
            }
            Ok(o) => {
                eprintln!("{}", String::from_utf8_lossy(&o.stderr));
                return std::process::ExitCode::from(1);
            }
            Err(e) => {
                eprintln!("cannot run the child: {e}");
                return std::process::ExitCode::from(1);
            }
        }
    }
    times.sort_by(f64::total_cmp);
    println!(
        "{:.2} MB page ({}): {chars}\nprocess start to loaded story: median {:.0} ms, worst {:.0} ms (7 runs)",
        html.len() as f64 / (1 << 20) as f64,
        exe.display(),
        times[times.len() / 2] * 1000.0,
        times[times.len() - 1] * 1000.0
    );
    let _ = std::fs::remove_dir_all(&dir);
    std::process::ExitCode::SUCCESS
}
