//! Throughput over the real-world corpus, printed as MB/s (figures, not tests): parsing,
//! parsing plus the stage graph, and the whole lint (shell layer and every default rule).
//!
//! Run with `cargo bench --bench parse`. Needs `../shared/corpus/real`.

mod common;

use std::time::{Duration, Instant};

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
    let sources = common::corpus_sources();
    if sources.is_empty() {
        println!("skipping: ../shared/corpus/real is not present");
        return;
    }
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
