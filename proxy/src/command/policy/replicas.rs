//! The number of pods a command asks for, held to the cap of applied workloads.

use kubefiche_core::Text;

use super::refused;

/// `--replicas N` (`kubectl scale`, `kubectl create deployment`, where `-r N` says the same)
/// stays within the most pods one workload may ask for, as the Apply button's objects do.
/// `args` are the plan's; the number must be plain decimal digits, as kubectl would otherwise
/// read `0x…` or `1_000` too.
pub fn replicas_within(args: &[String], max: u32) -> Result<(), Text> {
    let create = args.first().is_some_and(|verb| verb == "create");
    let end = args.iter().position(|a| a == "--").unwrap_or(args.len());
    let args = &args[..end];
    for (i, word) in args.iter().enumerate() {
        let next = args.get(i + 1).map(String::as_str);
        let value = if let Some(rest) = word.strip_prefix("--replicas") {
            match rest.strip_prefix('=') {
                Some(value) => Some(value),
                None if rest.is_empty() => next,
                None => continue,
            }
        } else if let Some(rest) = word.strip_prefix("-r").filter(|_| create) {
            if rest.is_empty() {
                next
            } else {
                Some(rest.trim_start_matches('='))
            }
        } else {
            continue;
        };
        let number = value
            .filter(|v| !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()))
            .ok_or_else(|| {
                refused(
                    "--replicas takes a number of pods written in digits (--replicas=3)",
                    "--replicas prend un nombre de pods écrit en chiffres (--replicas=3)",
                )
            })?;
        if !number.parse::<u64>().is_ok_and(|n| n <= u64::from(max)) {
            return Err(refused(
                &format!(
                    "--replicas={number} asks for more pods than this playground runs for one workload (at most {max}): choose {max} or less"
                ),
                &format!(
                    "--replicas={number} demande plus de pods que ce bac à sable n'en fait tourner pour une charge de travail (au plus {max}) : choisissez {max} ou moins"
                ),
            ));
        }
    }
    Ok(())
}
