//! A stand-in for kubectl: a shell script written by a test, run as `/bin/sh SCRIPT ARGS…`
//! (the script is the program's fixed first argument, so it is read, never executed as a file
//! that may still be open for writing). It records that it ran.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};

use kubefiche::kubectl::{Kubectl, Limits};

/// A fake kubectl: a folder with the script, and a file the script touches whenever it runs.
pub struct Fake {
    dir: PathBuf,
}

impl Fake {
    pub fn new(body: &str) -> Self {
        static COUNTER: AtomicU32 = AtomicU32::new(0);
        let dir = std::env::temp_dir().join(format!(
            "kubefiche-command-test-{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let script = format!("#!/bin/sh\ntouch '{}/ran'\n{body}\n", dir.display());
        let path = dir.join("kubectl.sh");
        std::fs::write(&path, script).expect("script");
        std::fs::set_permissions(&path, std::os::unix::fs::PermissionsExt::from_mode(0o755))
            .expect("chmod");
        Self { dir }
    }

    pub fn kubectl(&self, limits: Limits) -> Kubectl {
        Kubectl {
            program: self.dir.join("kubectl.sh"),
            limits,
            ..Kubectl::default()
        }
    }

    pub fn ran(&self) -> bool {
        self.dir.join("ran").exists()
    }

    pub fn read(&self, name: &str) -> String {
        std::fs::read_to_string(self.dir.join(name)).unwrap_or_default()
    }
}

impl Drop for Fake {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
