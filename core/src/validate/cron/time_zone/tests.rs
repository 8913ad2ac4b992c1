//! Time zone names, and the generated list kept equal to the one the Go toolchain ships.

use super::{Verdict, verdict};
use crate::validate::cron::zones::ZONES;
use std::path::PathBuf;
use std::process::Command;

#[test]
fn what_the_api_server_accepts() {
    for ok in [
        "Europe/Paris",
        "UTC",
        "Etc/GMT+5",
        "US/Pacific",
        "America/Argentina/Buenos_Aires",
        "EST",
    ] {
        assert_eq!(verdict(ok), Verdict::Known, "{ok}");
    }
    assert_eq!(
        verdict("europe/paris"),
        Verdict::Unknown(Some("Europe/Paris"))
    );
    assert_eq!(
        verdict("Europe/Pariss"),
        Verdict::Unknown(Some("Europe/Paris"))
    );
    assert_eq!(verdict("Paris"), Verdict::Unknown(Some("Europe/Paris")));
    assert_eq!(verdict("Mars/Olympus_Mons"), Verdict::Unknown(None));
    assert_eq!(verdict("Local"), Verdict::Local);
    assert_eq!(verdict("local"), Verdict::Local);
    for bad in [
        "",
        "Europe/../UTC",
        "-UTC",
        "Europe/Paris ",
        "Europe//Paris",
        "A/Abcdefghijklmno",
    ] {
        assert_eq!(verdict(bad), Verdict::Malformed, "{bad:?}");
    }
    assert_eq!(
        verdict("posix/Europe/Paris"),
        Verdict::HostOnly(Some("Europe/Paris"))
    );
}

#[test]
fn zones_are_sorted_for_the_binary_search() {
    assert!(ZONES.windows(2).all(|w| w[0] < w[1]));
    assert!(ZONES.len() > 500);
}

/// The Go toolchain, if this machine has one.
fn go() -> Option<PathBuf> {
    ["go", "/usr/local/go/bin/go"].iter().find_map(|g| {
        let out = Command::new(g).args(["env", "GOROOT"]).output().ok()?;
        let root = String::from_utf8(out.stdout).ok()?;
        out.status
            .success()
            .then(|| PathBuf::from(root.trim()).join("lib/time/zoneinfo.zip"))
    })
}

fn u16_at(b: &[u8], i: usize) -> usize {
    usize::from(u16::from_le_bytes([b[i], b[i + 1]]))
}

fn u32_at(b: &[u8], i: usize) -> usize {
    u32::from_le_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]) as usize
}

/// The file names of a zip archive, from its central directory.
fn zip_names(zip: &[u8]) -> Vec<String> {
    let end = (0..=zip.len() - 22)
        .rev()
        .find(|&i| zip[i..i + 4] == [0x50, 0x4b, 0x05, 0x06])
        .expect("end of central directory");
    let (count, mut at) = (u16_at(zip, end + 10), u32_at(zip, end + 16));
    let mut names = Vec::with_capacity(count);
    for _ in 0..count {
        assert_eq!(
            zip[at..at + 4],
            [0x50, 0x4b, 0x01, 0x02],
            "central directory entry"
        );
        let (name_len, extra, comment) = (
            u16_at(zip, at + 28),
            u16_at(zip, at + 30),
            u16_at(zip, at + 32),
        );
        let name = String::from_utf8(zip[at + 46..at + 46 + name_len].to_vec()).expect("UTF-8");
        if !name.ends_with('/') {
            names.push(name);
        }
        at += 46 + name_len + extra + comment;
    }
    names.sort();
    names
}

fn render(names: &[String]) -> String {
    let mut out = String::from(
        "//! GENERATED — do not edit. The IANA time zone names kube-apiserver accepts: the files of\n\
         //! Go's `$(go env GOROOT)/lib/time/zoneinfo.zip`, which the API server embeds, sorted for a\n\
         //! binary search. Regenerate with\n\
         //! `KUBEFICHE_WRITE_ZONES=1 cargo test -p kubefiche-core zones_are_current`; the same test\n\
         //! checks that this file is current wherever the Go toolchain is present.\n\n\
         #[rustfmt::skip]\n\
         pub(crate) const ZONES: &[&str] = &[\n",
    );
    let mut line = String::new();
    for name in names {
        let item = format!("\"{name}\",");
        if !line.is_empty() && line.len() + 1 + item.len() > 96 {
            out.push_str(&format!("    {line}\n"));
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(&item);
    }
    if !line.is_empty() {
        out.push_str(&format!("    {line}\n"));
    }
    out.push_str("];\n");
    out
}

#[test]
fn zones_are_current() {
    let Some(zip) = go().and_then(|p| std::fs::read(p).ok()) else {
        eprintln!("no Go toolchain here: the zone list is not compared with Go's");
        return;
    };
    let text = render(&zip_names(&zip));
    let file = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src/validate/cron/zones.rs");
    if std::env::var_os("KUBEFICHE_WRITE_ZONES").is_some() {
        std::fs::write(&file, &text).expect("write zones.rs");
    }
    assert!(
        std::fs::read_to_string(&file).is_ok_and(|t| t == text),
        "src/validate/cron/zones.rs differs from Go's zoneinfo.zip: run \
         `KUBEFICHE_WRITE_ZONES=1 cargo test -p kubefiche-core zones_are_current`"
    );
}
