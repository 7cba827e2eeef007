//! The JSON register importer on arbitrary text.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    tillit_fuzz::check(tillit_fuzz::Importer::Json, data);
});
