#![no_main]

#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Err(failure) = checks::check_parse(data) {
        panic!("{failure}");
    }
});
