//! The pipeline stage by stage, with divan: parse, stage graph (semantic model), lint (every
//! default rule) and fix (`fix_source` with unsafe fixes), on the smallest, median and largest
//! file of the corpus and over the whole corpus.
//!
//! Run with `cargo bench --bench pipeline` (filter: `cargo bench --bench pipeline -- lint`).
//! Needs `../shared/corpus/real`; without it every benchmark is skipped. `cargo test --benches`
//! runs each benchmark once, as a smoke test.

mod common;

use std::sync::LazyLock;

use divan::counter::{BytesCount, ItemsCount};
use divan::{black_box, Bencher};
use dlint::linter::{fix_source, lint_source, LintOptions};
use dlint::semantic::Model;
use dlint::syntax::parse;

fn main() {
    divan::main();
}

/// Every corpus file's text, sorted by path.
static CORPUS: LazyLock<Vec<String>> = LazyLock::new(common::corpus_sources);

/// One corpus file picked by size; also "corpus", every file.
const INPUTS: &[&str] = &["small", "median", "large", "corpus"];

/// The texts one benchmark input stands for.
fn input(name: &str) -> Vec<&'static str> {
    let corpus = &*CORPUS;
    if corpus.is_empty() {
        return Vec::new();
    }
    if name == "corpus" {
        return corpus.iter().map(String::as_str).collect();
    }
    let mut by_size: Vec<&str> = corpus.iter().map(String::as_str).collect();
    by_size.sort_by_key(|s| s.len());
    let at = match name {
        // The 5th percentile: the very smallest files are one-line stubs.
        "small" => by_size.len() / 20,
        "median" => by_size.len() / 2,
        _ => by_size.len() - 1,
    };
    vec![by_size[at]]
}

/// Runs `work` over the texts of `name`, counting bytes and files.
fn bench_over(bencher: Bencher, name: &str, work: impl Fn(&str) + Sync) {
    let texts = input(name);
    let bytes: usize = texts.iter().map(|t| t.len()).sum();
    bencher
        .counter(BytesCount::new(bytes))
        .counter(ItemsCount::new(texts.len()))
        .bench(|| {
            for text in &texts {
                work(black_box(text));
            }
        });
}

#[divan::bench(args = INPUTS)]
fn parse_only(bencher: Bencher, name: &str) {
    bench_over(bencher, name, |text| {
        black_box(parse(text));
    });
}

#[divan::bench(args = INPUTS)]
fn stage_graph(bencher: Bencher, name: &str) {
    bench_over(bencher, name, |text| {
        black_box(Model::build(&parse(text), None));
    });
}

#[divan::bench(args = INPUTS)]
fn lint(bencher: Bencher, name: &str) {
    let options = LintOptions::default();
    bench_over(bencher, name, |text| {
        black_box(lint_source(None, text, &options));
    });
}

#[divan::bench(args = INPUTS, sample_count = 20)]
fn fix_unsafe(bencher: Bencher, name: &str) {
    let options = LintOptions::default();
    bench_over(bencher, name, |text| {
        black_box(fix_source(None, text, &options, true));
    });
}
