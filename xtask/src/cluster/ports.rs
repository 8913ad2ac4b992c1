//! Loopback ports, chosen free at first start and kept in `ports.txt` so URLs stay stable.

use std::fs;
use std::net::TcpListener;
use std::path::Path;

use anyhow::{Context, Result};

/// Every port the control plane listens on (all on 127.0.0.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ports {
    pub etcd: u16,
    pub etcd_peer: u16,
    pub apiserver: u16,
    pub controller_manager: u16,
    pub scheduler: u16,
    pub kwok: u16,
    /// The simulated nodes' kubelet API (`kubelet-api`); 0 when read from an older `ports.txt`.
    pub kubelet: u16,
}

impl Ports {
    fn to_text(self) -> String {
        format!(
            "etcd={}\netcd-peer={}\napiserver={}\ncontroller-manager={}\nscheduler={}\nkwok={}\nkubelet={}\n",
            self.etcd,
            self.etcd_peer,
            self.apiserver,
            self.controller_manager,
            self.scheduler,
            self.kwok,
            self.kubelet
        )
    }

    fn parse(text: &str) -> Option<Self> {
        let get = |key: &str| -> Option<u16> {
            text.lines()
                .find_map(|l| l.strip_prefix(key)?.strip_prefix('='))
                .and_then(|v| v.trim().parse().ok())
        };
        Some(Self {
            etcd: get("etcd")?,
            etcd_peer: get("etcd-peer")?,
            apiserver: get("apiserver")?,
            controller_manager: get("controller-manager")?,
            scheduler: get("scheduler")?,
            kwok: get("kwok")?,
            // Added later: an older file lacks it, and a port is chosen for it alone.
            kubelet: get("kubelet").unwrap_or(0),
        })
    }

    fn all(self) -> [u16; 7] {
        [
            self.etcd,
            self.etcd_peer,
            self.apiserver,
            self.controller_manager,
            self.scheduler,
            self.kwok,
            self.kubelet,
        ]
    }
}

/// The persisted ports, if the file exists and parses.
pub fn load(file: &Path) -> Option<Ports> {
    Ports::parse(&fs::read_to_string(file).ok()?)
}

/// The persisted ports when they are all still free, otherwise a fresh set (persisted).
pub fn load_or_choose(file: &Path) -> Result<Ports> {
    if let Some(mut ports) = load(file) {
        if ports.kubelet == 0 {
            let listener =
                TcpListener::bind(("127.0.0.1", 0)).context("finding a free loopback port")?;
            let taken = ports.all();
            ports.kubelet = listener.local_addr()?.port();
            if taken.contains(&ports.kubelet) {
                // Another of ours is merely stopped: choose them all afresh below.
                return choose(file);
            }
            drop(listener);
            fs::write(file, ports.to_text())
                .with_context(|| format!("writing {}", file.display()))?;
        }
        // Processes stopped a moment ago may still hold their sockets briefly.
        for _ in 0..20 {
            if ports
                .all()
                .iter()
                .all(|p| TcpListener::bind(("127.0.0.1", *p)).is_ok())
            {
                return Ok(ports);
            }
            std::thread::sleep(std::time::Duration::from_millis(250));
        }
    }
    choose(file)
}

/// A fresh set of free ports, persisted.
fn choose(file: &Path) -> Result<Ports> {
    // Hold every listener until all are chosen so the ports differ.
    let listeners: Vec<TcpListener> = (0..7)
        .map(|_| TcpListener::bind(("127.0.0.1", 0)))
        .collect::<std::io::Result<_>>()
        .context("finding free loopback ports")?;
    let p: Vec<u16> = listeners
        .iter()
        .map(|l| l.local_addr().map(|a| a.port()))
        .collect::<std::io::Result<_>>()?;
    let ports = Ports {
        etcd: p[0],
        etcd_peer: p[1],
        apiserver: p[2],
        controller_manager: p[3],
        scheduler: p[4],
        kwok: p[5],
        kubelet: p[6],
    };
    fs::write(file, ports.to_text()).with_context(|| format!("writing {}", file.display()))?;
    Ok(ports)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_text_round_trips() {
        let ports = Ports {
            etcd: 1,
            etcd_peer: 2,
            apiserver: 3,
            controller_manager: 4,
            scheduler: 5,
            kwok: 6,
            kubelet: 7,
        };
        assert_eq!(Ports::parse(&ports.to_text()), Some(ports));
    }

    #[test]
    fn a_file_from_before_the_kubelet_api_still_parses() {
        let old = "etcd=1\netcd-peer=2\napiserver=3\ncontroller-manager=4\nscheduler=5\nkwok=6\n";
        let ports = Ports::parse(old).map(|p| (p.apiserver, p.kubelet));
        assert_eq!(ports, Some((3, 0)));
    }

    #[test]
    fn a_missing_kubelet_port_is_chosen_and_the_others_kept() -> Result<()> {
        let dir = std::env::temp_dir().join(format!("kubefiche-ports-{}", std::process::id()));
        fs::create_dir_all(&dir)?;
        let file = dir.join("ports.txt");
        // Ports that are free now: bound and released at once.
        let free: Vec<u16> = (0..6)
            .map(|_| TcpListener::bind(("127.0.0.1", 0)).and_then(|l| l.local_addr()))
            .map(|a| a.map(|a| a.port()))
            .collect::<std::io::Result<_>>()?;
        let old = format!(
            "etcd={}\netcd-peer={}\napiserver={}\ncontroller-manager={}\nscheduler={}\nkwok={}\n",
            free[0], free[1], free[2], free[3], free[4], free[5]
        );
        fs::write(&file, old)?;
        let ports = load_or_choose(&file)?;
        let persisted = load(&file);
        let _ = fs::remove_dir_all(&dir);
        assert_ne!(ports.kubelet, 0);
        assert!(!ports.all()[..6].contains(&ports.kubelet));
        assert_eq!(persisted, Some(ports));
        // The others are kept (the API server's URL is in every kubeconfig) while they are
        // free; were one taken meanwhile, all would be chosen afresh.
        let kept = ports.all()[..6] == free[..];
        let fresh = ports.all()[..6].iter().all(|p| !free.contains(p));
        assert!(kept || fresh, "{ports:?} from {free:?}");
        Ok(())
    }
}
