//! A CronJob's `timeZone`: the API server's checks (each part of the name made of at most 14
//! letters, digits, `.`, `-`, `_` or `+`; not `Local`) and then the name must be a zone of the
//! IANA database the API server loads, in its exact case ([`super::zones::ZONES`]).

use super::zones::ZONES;
use crate::path::FieldPath;
use crate::rule::Rule;
use crate::validate::context::Ctx;
use crate::validate::syntax;

/// What the API server makes of a `timeZone` value.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Verdict {
    Known,
    /// A file some hosts' zone folders have (`posix/…`, `right/…`): accepted only where the API
    /// server's machine has it.
    HostOnly(Option<&'static str>),
    /// Refused; the known zone the learner probably meant, if any.
    Unknown(Option<&'static str>),
    /// Refused before any lookup: empty, `Local`, or characters no zone name has.
    Malformed,
    Local,
}

/// Each `/`-separated part: 1 to 14 of `A-Za-z0-9.-_+`, neither `.` nor `..`, not starting with `-`.
fn well_formed(tz: &str) -> bool {
    !tz.is_empty()
        && tz.split('/').all(|p| {
            (1..=14).contains(&p.len())
                && p != "."
                && p != ".."
                && !p.starts_with('-')
                && p.bytes()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'-' | b'_' | b'+'))
        })
}

pub(crate) fn is_known(tz: &str) -> bool {
    ZONES.binary_search(&tz).is_ok()
}

/// The known zone nearest to `tz`: the same name in another case, a small typo, or a city
/// written without its region (`Paris` for `Europe/Paris`).
fn nearest(tz: &str) -> Option<&'static str> {
    syntax::closest(tz, ZONES.iter().copied()).or_else(|| {
        let city = tz.rsplit('/').next().unwrap_or(tz);
        ZONES.iter().copied().find(|z| {
            z.rsplit_once('/')
                .is_some_and(|(_, c)| c.eq_ignore_ascii_case(city))
        })
    })
}

pub(crate) fn verdict(tz: &str) -> Verdict {
    if !well_formed(tz) {
        return Verdict::Malformed;
    }
    if tz.eq_ignore_ascii_case("local") {
        return Verdict::Local;
    }
    if is_known(tz) {
        return Verdict::Known;
    }
    let host_only = ["posix/", "right/"]
        .iter()
        .find_map(|prefix| tz.strip_prefix(prefix))
        .filter(|rest| is_known(rest))
        .or(["posixrules", "localtime"].contains(&tz).then_some(""));
    match host_only {
        Some(rest) => Verdict::HostOnly(ZONES.iter().copied().find(|z| *z == rest)),
        None => Verdict::Unknown(nearest(tz)),
    }
}

pub(crate) fn check_time_zone(ctx: &mut Ctx<'_>, tz: &str, path: &FieldPath) {
    let example = |near: Option<&str>| near.unwrap_or("Europe/Paris").to_owned();
    match verdict(tz) {
        Verdict::Known => {}
        Verdict::Local => ctx.error(
            Rule::InvalidTimeZone,
            path,
            "`Local` is not allowed: name the time zone explicitly, e.g. `Europe/Paris` or `UTC`.",
            "`Local` n'est pas permis : nommez explicitement le fuseau horaire, par exemple `Europe/Paris` ou `UTC`.",
        ),
        Verdict::Malformed => ctx.error(
            Rule::InvalidTimeZone,
            path,
            format!("`{tz}` is not a time zone name. Use an IANA name such as `Europe/Paris` or `UTC`, or remove `timeZone`."),
            format!("`{tz}` n'est pas un nom de fuseau horaire. Utilisez un nom IANA comme `Europe/Paris` ou `UTC`, ou retirez `timeZone`."),
        ),
        Verdict::HostOnly(near) => {
            let z = example(near);
            ctx.warning(
                Rule::InvalidTimeZone,
                path,
                format!("`{tz}` is not in the IANA time zone database the API server ships; only a server whose machine has this file accepts it. Write `{z}`."),
                format!("`{tz}` n'est pas dans la base IANA des fuseaux horaires livrée avec le serveur d'API ; seul un serveur dont la machine a ce fichier l'accepte. Écrivez `{z}`."),
            );
        }
        Verdict::Unknown(Some(near)) => {
            let case = near.eq_ignore_ascii_case(tz);
            let (why_en, why_fr) = if case {
                (" (case matters)", " (la casse compte)")
            } else {
                ("", "")
            };
            ctx.error(
                Rule::InvalidTimeZone,
                path,
                format!("Unknown time zone `{tz}`. Did you mean `{near}`?{why_en}"),
                format!("Fuseau horaire inconnu : `{tz}`. Vouliez-vous dire `{near}` ?{why_fr}"),
            );
        }
        Verdict::Unknown(None) => ctx.error(
            Rule::InvalidTimeZone,
            path,
            format!("Unknown time zone `{tz}`: use a name of the IANA database such as `Europe/Paris`, `America/New_York` or `UTC`."),
            format!("Fuseau horaire inconnu : `{tz}`. Utilisez un nom de la base IANA comme `Europe/Paris`, `America/New_York` ou `UTC`."),
        ),
    }
}

#[cfg(test)]
#[path = "time_zone/tests.rs"]
mod tests;
