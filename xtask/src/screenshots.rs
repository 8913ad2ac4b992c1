//! `cargo xtask screenshots`: the page at every window size the layout is tested at (a phone,
//! a tablet, a laptop, the projector, wide screens, 200 % zoom), with a pane enlarged and each
//! pane the switch offers, as PNG files in `target/screenshots/` for a reviewer to look at.
//!
//! The layout browser test takes them as it checks each size, against the local cluster, with
//! pods of long names in the cluster view.

use std::fs;
use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result};

use crate::{cluster, run_checked, say};

/// The test that walks through the sizes, and its file.
const TEST: &str = "every_window_size_keeps_the_panes_apart";
const TEST_FILE: &str = "layout";

pub fn main(root: &Path) -> Result<()> {
    let proxy = crate::test::build_everything(root)?;
    let out = crate::target_dir(root).join("screenshots");
    fs::create_dir_all(&out).with_context(|| format!("creating {}", out.display()))?;
    // Only this run's pictures in the folder.
    for entry in fs::read_dir(&out)? {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "png") {
            fs::remove_file(&path).with_context(|| format!("removing {}", path.display()))?;
        }
    }
    cluster::with_local(|kubeconfig| {
        say("taking the screenshots (the layout test, at every size)…");
        run_checked(
            Command::new("cargo")
                // `--workspace` as in the build above: the same features, nothing rebuilt.
                .args(["test", "--workspace", "--test", TEST_FILE])
                .args(["--", "--include-ignored", "--exact", TEST])
                .env("KUBEFICHE_TEST_KUBECONFIG", kubeconfig)
                .env("KUBEFICHE_BIN", &proxy)
                .env("KUBEFICHE_SCREENSHOTS", &out)
                .current_dir(root),
        )
    })?;
    let taken = fs::read_dir(&out)?
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "png"))
        .count();
    say(&format!("{taken} screenshots in {}", out.display()));
    Ok(())
}
