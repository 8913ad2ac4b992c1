//! Finds the worksheets of `public/fiches/`: each `<id>.md`, its checks `<id>.checks.yaml` and
//! its starter files `<id>/<name>.starter.yaml` (the workspace file `k8s/<name>.yaml`), and
//! embeds them, so that adding a worksheet is adding files.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::{env, fs};

fn main() {
    let root = PathBuf::from(env::var("CARGO_MANIFEST_DIR").unwrap_or_default());
    let fiches = root.join("public").join("fiches");
    println!("cargo:rerun-if-changed={}", fiches.display());
    let mut ids: Vec<String> = entries(&fiches)
        .into_iter()
        .filter_map(|p| {
            let name = p.file_name()?.to_str()?;
            name.strip_suffix(".md").map(str::to_owned)
        })
        .collect();
    ids.sort_by_key(|id| (number(id), id.clone()));
    let mut out =
        String::from("/// Every worksheet shipped in `public/fiches/`, in course order.\n");
    out.push_str("pub static SHIPPED: &[Shipped] = &[\n");
    for id in &ids {
        let markdown = fiches.join(format!("{id}.md"));
        let checks = fiches.join(format!("{id}.checks.yaml"));
        println!("cargo:rerun-if-changed={}", checks.display());
        let folder = fiches.join(id);
        println!("cargo:rerun-if-changed={}", folder.display());
        let mut starters: Vec<(String, PathBuf)> = entries(&folder)
            .into_iter()
            .filter_map(|p| {
                let name = p
                    .file_name()?
                    .to_str()?
                    .strip_suffix(".starter.yaml")?
                    .to_owned();
                Some((format!("k8s/{name}.yaml"), p))
            })
            .collect();
        starters.sort();
        let _ = write!(
            out,
            "    Shipped {{ id: {id:?}, markdown: include_str!({:?}), checks: {}, starters: &[",
            markdown.display().to_string(),
            if checks.is_file() {
                format!("Some(include_str!({:?}))", checks.display().to_string())
            } else {
                "None".to_owned()
            }
        );
        for (path, file) in starters {
            let _ = write!(
                out,
                "({path:?}, include_str!({:?})), ",
                file.display().to_string()
            );
        }
        out.push_str("] },\n");
    }
    out.push_str("];\n");
    let target = PathBuf::from(env::var("OUT_DIR").unwrap_or_default()).join("shipped.rs");
    if let Err(error) = fs::write(&target, out) {
        panic!("cannot write {}: {error}", target.display());
    }
}

fn entries(folder: &Path) -> Vec<PathBuf> {
    fs::read_dir(folder)
        .map(|dir| dir.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default()
}

/// The number in a worksheet's id (`fiche-3` → 3), for the course order.
fn number(id: &str) -> u32 {
    let digits: String = id.chars().filter(char::is_ascii_digit).collect();
    digits.parse().unwrap_or(u32::MAX)
}
