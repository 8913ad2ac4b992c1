//! The app is built by `cargo xtask` into `target/site` and embedded from there; make sure the
//! folder exists so the proxy builds (and serves a "not built" page) without it.

fn main() {
    let site = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/site");
    if let Err(error) = std::fs::create_dir_all(&site) {
        println!("cargo::warning=cannot create {}: {error}", site.display());
    }
    println!("cargo::rerun-if-changed=../target/site");
}
