//! The CSV importer on arbitrary bytes.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    tillit_fuzz::check(tillit_fuzz::Importer::Csv, data);
});
