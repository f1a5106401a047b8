//! Throughput over the real-world corpus, printed as MB/s (figures, not tests): parsing,
//! parsing plus the stage graph, and the whole lint (shell layer and every default rule).
//!
//! Run with `cargo bench --bench parse`. Needs `../shared/corpus/real`.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else {
            out.push(path);
        }
    }
}

/// Runs `work` over all sources repeatedly for at least `budget`, returning the best MB/s of
/// several rounds (the least disturbed by other processes).
fn measure(sources: &[String], budget: Duration, mut work: impl FnMut(&str)) -> (f64, f64) {
    let bytes: usize = sources.iter().map(String::len).sum();
    let mut rounds = Vec::new();
    let started = Instant::now();
    while started.elapsed() < budget || rounds.len() < 5 {
        let t = Instant::now();
        for source in sources {
            work(source);
        }
        rounds.push(t.elapsed().as_secs_f64());
    }
    rounds.sort_by(f64::total_cmp);
    let best = rounds[0];
    let median = rounds[rounds.len() / 2];
    (bytes as f64 / best / 1e6, bytes as f64 / median / 1e6)
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/real");
    let mut files = Vec::new();
    collect(&root, &mut files);
    if files.is_empty() {
        println!("skipping: ../shared/corpus/real is not present");
        return;
    }
    files.sort();
    let sources: Vec<String> = files
        .iter()
        .map(|f| String::from_utf8_lossy(&std::fs::read(f).unwrap()).into_owned())
        .collect();
    let bytes: usize = sources.iter().map(String::len).sum();
    println!(
        "corpus: {} files, {:.2} MB (one core)",
        sources.len(),
        bytes as f64 / 1e6
    );
    let budget = Duration::from_secs(3);
    let (best, median) = measure(&sources, budget, |s| {
        std::hint::black_box(dlint::syntax::parse(s));
    });
    println!("parse:          best {best:8.1} MB/s   median {median:8.1} MB/s");
    let (best, median) = measure(&sources, budget, |s| {
        let parsed = dlint::syntax::parse(s);
        std::hint::black_box(dlint::semantic::Model::build(&parsed, None));
    });
    println!("parse + graph:  best {best:8.1} MB/s   median {median:8.1} MB/s");
    let options = dlint::linter::LintOptions::default();
    let (best, median) = measure(&sources, budget, |s| {
        std::hint::black_box(dlint::linter::lint_source(None, s, &options));
    });
    let files_per_s = |mbps: f64| mbps * 1e6 / bytes as f64 * sources.len() as f64;
    println!(
        "full lint:      best {best:8.1} MB/s   median {median:8.1} MB/s   ({:.0} files/s median)",
        files_per_s(median)
    );
}
