//! The validator on any workspace: no panic, loop or stack overflow, and the properties of
//! `properties::check_workspace`. Input: the files' texts separated by NUL bytes.
#![no_main]

use kubefiche_core_fuzz::{mutate_input, properties, workspace};
use libfuzzer_sys::{fuzz_mutator, fuzz_target};

fuzz_target!(|data: &[u8]| {
    properties::check_workspace(&workspace(data));
});

fuzz_mutator!(|data: &mut [u8], size: usize, max_size: usize, seed: u32| {
    mutate_input(data, size, max_size, seed)
});
