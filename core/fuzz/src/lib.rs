//! Fuzzing of the validator: how libFuzzer's bytes become a workspace, and a YAML-aware mutator
//! beside libFuzzer's own.

pub mod mutate;
pub mod properties;

use kubefiche_core::manifest::SourceFile;

/// Files in one input are separated by a NUL byte (which no manifest contains).
pub const FILE_SEPARATOR: u8 = 0;

/// Most files taken from one input (the rest of the input is left in the last one).
const MAX_FILES: usize = 8;

/// The workspace an input stands for: `k8s/f0.yaml`, `k8s/f1.yaml`… (invalid UTF-8 replaced, as
/// the editor never holds it).
pub fn workspace(data: &[u8]) -> Vec<SourceFile> {
    data.splitn(MAX_FILES, |b| *b == FILE_SEPARATOR)
        .enumerate()
        .map(|(i, bytes)| SourceFile {
            path: format!("k8s/f{i}.yaml"),
            text: String::from_utf8_lossy(bytes).into_owned(),
        })
        .collect()
}

/// The mutator of the `workspace` target: half of the time libFuzzer's own (bytes, the YAML
/// dictionary, cross-over), otherwise [`mutate::mutate`] on one file of the input.
pub fn mutate_input(data: &mut [u8], size: usize, max_size: usize, seed: u32) -> usize {
    let mut rng = mutate::Rng::new(u64::from(seed));
    if rng.below(2) == 0 {
        return libfuzzer_sys::fuzzer_mutate(data, size, max_size);
    }
    let mut files: Vec<Vec<u8>> = data[..size]
        .split(|b| *b == FILE_SEPARATOR)
        .map(<[u8]>::to_vec)
        .collect();
    let i = rng.below(files.len());
    let text = String::from_utf8_lossy(&files[i]).into_owned();
    files[i] = mutate::mutate(&mut rng, &text).into_bytes();
    let out = files.join(&FILE_SEPARATOR);
    let n = out.len().min(max_size);
    data[..n].copy_from_slice(&out[..n]);
    n
}
