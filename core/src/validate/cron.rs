//! CronJob schedules: the syntax the API server accepts (5 fields, ranges, steps, names,
//! `@hourly`-style macros; no `TZ=`), a plain-words explanation and the next runs.

use super::context::Ctx;
use crate::Severity;
use crate::diagnostic::Text;
use crate::path::FieldPath;
use crate::rule::Rule;

mod duration;
mod time_zone;
mod zones;

pub(crate) use time_zone::check_time_zone;

const MACROS: &[(&str, &str, &str, &str)] = &[
    (
        "@yearly",
        "0 0 1 1 *",
        "once a year, at midnight on January 1st",
        "une fois par an, à minuit le 1er janvier",
    ),
    (
        "@annually",
        "0 0 1 1 *",
        "once a year, at midnight on January 1st",
        "une fois par an, à minuit le 1er janvier",
    ),
    (
        "@monthly",
        "0 0 1 * *",
        "once a month, at midnight on the 1st",
        "une fois par mois, à minuit le 1er",
    ),
    (
        "@weekly",
        "0 0 * * 0",
        "once a week, at midnight on Sunday",
        "une fois par semaine, le dimanche à minuit",
    ),
    (
        "@daily",
        "0 0 * * *",
        "once a day, at midnight",
        "une fois par jour, à minuit",
    ),
    (
        "@midnight",
        "0 0 * * *",
        "once a day, at midnight",
        "une fois par jour, à minuit",
    ),
    (
        "@hourly",
        "0 * * * *",
        "every hour, on the hour",
        "toutes les heures, à l'heure pile",
    ),
];

/// (name, min, max, names) of the five fields.
const FIELDS: [(&str, &str, u32, u32); 5] = [
    ("minute", "minute", 0, 59),
    ("hour", "heure", 0, 23),
    ("day of month", "jour du mois", 1, 31),
    ("month", "mois", 1, 12),
    ("day of week", "jour de la semaine", 0, 6),
];
const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];
const DAYS: [&str; 7] = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

/// A number or (months, days of the week) a name, as the API server's cron parser reads it:
/// Go's `strconv.Atoi` (a `+` sign is fine), never negative.
fn value(s: &str, field: usize) -> Option<u64> {
    let lower = s.to_ascii_lowercase();
    let named = match field {
        3 => MONTHS.iter().position(|m| *m == lower).map(|i| i + 1),
        4 => DAYS.iter().position(|d| *d == lower),
        _ => None,
    };
    named
        .and_then(|v| u64::try_from(v).ok())
        .or_else(|| number(s))
}

fn number(s: &str) -> Option<u64> {
    s.parse::<i64>().ok().and_then(|v| u64::try_from(v).ok())
}

/// Checks one field as the API server does: comma-separated parts (empty ones are skipped),
/// each `*` or `?`, `N` or `N-M`, optionally followed by `/STEP` (`N/STEP` runs to the maximum).
fn field(text: &str, i: usize) -> Result<(), (String, String)> {
    let (en, fr, min, max) = FIELDS[i];
    let (min, max) = (u64::from(min), u64::from(max));
    let invalid = |part: &str| {
        (
            format!("`{part}` is not valid in the {en} field ({min}–{max})"),
            format!("`{part}` n'est pas valide dans le champ {fr} ({min}–{max})"),
        )
    };
    for part in text.split(',').filter(|p| !p.is_empty()) {
        let mut slashes = part.split('/');
        let range = slashes.next().unwrap_or_default();
        let step = slashes.next();
        if slashes.next().is_some() {
            return Err(invalid(part));
        }
        let bounds: Vec<&str> = range.split('-').collect();
        let (start, mut end) = if bounds[0] == "*" || bounds[0] == "?" {
            (min, max)
        } else {
            let start = value(bounds[0], i).ok_or_else(|| invalid(part))?;
            match bounds[1..] {
                [] => (start, start),
                [end] => (start, value(end, i).ok_or_else(|| invalid(part))?),
                _ => return Err(invalid(part)),
            }
        };
        if let Some(step) = step {
            match number(step) {
                Some(0) | None => {
                    return Err((
                        format!("the step `/{step}` of the {en} field must be a positive number"),
                        format!("le pas `/{step}` du champ {fr} doit être un nombre positif"),
                    ));
                }
                Some(_) if bounds.len() == 1 => end = max,
                Some(_) => {}
            }
        }
        if start < min || end > max || start > end {
            return Err((
                format!("`{part}` is out of range for the {en} field ({min}–{max})"),
                format!("`{part}` est hors limites pour le champ {fr} ({min}–{max})"),
            ));
        }
    }
    Ok(())
}

/// The five fields of a valid schedule (macros expanded; `@every` kept as written), or an error
/// text. The API server reads the schedule as written: no trimming.
pub(crate) fn parse(schedule: &str) -> Result<String, (String, String)> {
    let s = schedule;
    if s.contains("TZ") {
        return Err((
            "`TZ=` or `CRON_TZ=` is not allowed in the schedule: use the `timeZone` field instead (e.g. `timeZone: Europe/Paris`)".into(),
            "`TZ=` ou `CRON_TZ=` n'est pas permis dans le planning : utilisez plutôt le champ `timeZone` (par exemple `timeZone: Europe/Paris`)".into(),
        ));
    }
    if s.starts_with('@') {
        if let Some(every) = s.strip_prefix("@every ") {
            if duration::is_go_duration(every) {
                return Ok(s.to_owned());
            }
            return Err((
                format!("`{every}` is not a duration: write e.g. `@every 1h30m` or `@every 90s`"),
                format!(
                    "`{every}` n'est pas une durée : écrivez par exemple `@every 1h30m` ou `@every 90s`"
                ),
            ));
        }
        return MACROS.iter().find(|(m, ..)| *m == s).map(|(_, f, ..)| (*f).to_owned()).ok_or_else(|| {
            (
                format!("`{s}` is not a known shortcut: use @yearly, @monthly, @weekly, @daily or @hourly"),
                format!("`{s}` n'est pas un raccourci connu : utilisez @yearly, @monthly, @weekly, @daily ou @hourly"),
            )
        });
    }
    let parts: Vec<&str> = s.split_whitespace().collect();
    if parts.len() != 5 {
        return Err((
            format!(
                "a schedule has 5 fields (minute hour day-of-month month day-of-week), this one has {}",
                parts.len()
            ),
            format!(
                "un planning a 5 champs (minute heure jour-du-mois mois jour-de-la-semaine), celui-ci en a {}",
                parts.len()
            ),
        ));
    }
    for (i, p) in parts.iter().enumerate() {
        field(p, i)?;
    }
    Ok(parts.join(" "))
}

pub(crate) fn check_schedule(ctx: &mut Ctx<'_>, schedule: &str, path: &FieldPath) {
    match parse(schedule) {
        Err((en, fr)) => ctx.error(
            Rule::InvalidSchedule,
            path,
            format!("Invalid schedule `{schedule}`: {en}. Example: `*/5 * * * *` (every 5 minutes)."),
            format!("Planning `{schedule}` invalide : {fr}. Exemple : `*/5 * * * *` (toutes les 5 minutes)."),
        ),
        Ok(fields) => explain(ctx, schedule, &fields, path),
    }
}

/// Words for a 5-field schedule, in English and French.
pub(crate) fn describe(fields: &str) -> Text {
    if let Some((_, _, en, fr)) = MACROS.iter().find(|(_, f, ..)| *f == fields) {
        return Text::new(*en, *fr);
    }
    if let Some(every) = fields.strip_prefix("@every ") {
        return Text::new(format!("every {every}"), format!("toutes les {every}"));
    }
    let f: Vec<&str> = fields.split(' ').collect();
    if f.len() != 5 {
        return Text::new(
            format!("on schedule `{fields}`"),
            format!("selon le planning `{fields}`"),
        );
    }
    let rest_any = f[2] == "*" && f[3] == "*" && f[4] == "*";
    let num = |s: &str| s.parse::<u32>().ok();
    match (f[0], f[1]) {
        ("*", "*") | ("*/1", "*") if rest_any => Text::new("every minute", "toutes les minutes"),
        (m, "*") if rest_any && m.starts_with("*/") => {
            let n = &m[2..];
            Text::new(
                format!("every {n} minutes"),
                format!("toutes les {n} minutes"),
            )
        }
        (m, "*") if rest_any && num(m).is_some() => Text::new(
            format!("every hour at minute {m}"),
            format!("toutes les heures à la minute {m}"),
        ),
        (m, h) if rest_any && num(m).is_some() && num(h).is_some() => Text::new(
            format!("every day at {h:0>2}:{m:0>2}"),
            format!("tous les jours à {h:0>2}h{m:0>2}"),
        ),
        _ => Text::new(
            format!(
                "at minute `{}`, hour `{}`, day of month `{}`, month `{}`, day of week `{}`",
                f[0], f[1], f[2], f[3], f[4]
            ),
            format!(
                "à la minute `{}`, heure `{}`, jour du mois `{}`, mois `{}`, jour de la semaine `{}`",
                f[0], f[1], f[2], f[3], f[4]
            ),
        ),
    }
}

/// The next `n` run times (UTC, `YYYY-MM-DD HH:MM`) after `now_unix`.
pub(crate) fn next_runs(fields: &str, now_unix: i64, n: usize) -> Vec<String> {
    let Ok(cron) = fields.parse::<croner::Cron>() else {
        return Vec::new();
    };
    let Some(start) = chrono::DateTime::from_timestamp(now_unix, 0) else {
        return Vec::new();
    };
    cron.iter_after(start)
        .take(n)
        .map(|t| t.format("%Y-%m-%d %H:%M").to_string())
        .collect()
}

fn explain(ctx: &mut Ctx<'_>, schedule: &str, fields: &str, path: &FieldPath) {
    let words = describe(fields);
    let tz = ctx
        .m
        .node("spec.timeZone")
        .and_then(crate::yaml::Node::as_str)
        .map(str::to_owned);
    let runs = match (ctx.now_unix, &tz) {
        (Some(now), None) => next_runs(fields, now, 3),
        _ => Vec::new(),
    };
    let (runs_en, runs_fr) = if runs.is_empty() {
        (String::new(), String::new())
    } else {
        (
            format!(" Next runs (UTC): {}.", runs.join(", ")),
            format!(" Prochaines exécutions (UTC) : {}.", runs.join(", ")),
        )
    };
    let (tz_en, tz_fr) = match &tz {
        Some(z) => (format!(" (time zone {z})"), format!(" (fuseau {z})")),
        None => (
            " (the controller's time zone, usually UTC)".to_owned(),
            " (fuseau du contrôleur, en général UTC)".to_owned(),
        ),
    };
    ctx.report(
        Severity::Info,
        Rule::Schedule,
        path,
        Text::new(
            format!("`{schedule}` runs {}{tz_en}.{runs_en}", words.en),
            format!("`{schedule}` s'exécute {}{tz_fr}.{runs_fr}", words.fr),
        ),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_what_kubernetes_accepts() {
        for ok in [
            "*/1 * * * *",
            "0 3 * * 1-5",
            "15,45 */2 1 jan-jun MON",
            "@hourly",
            "@daily",
            "0 0 ? * *",
            "5/10 * * * *",
            // As the API server's parser reads them (each checked on kube-apiserver 1.36.1):
            // empty parts skipped, `*-N` read as `*`, a `+` sign, a step beyond 32 bits, names
            // in any case, `@every` with a Go duration.
            "*-5 * * * *",
            ", * * * *",
            "1,,2 * * * *",
            "+5 * * * *",
            "*/4294967296 * * * *",
            "?-3 * * * *",
            "0 * * * SUN-sat",
            "@every 1h30m",
            "@every -5m",
        ] {
            assert!(parse(ok).is_ok(), "{ok}");
        }
        for bad in [
            "* * * *",
            "60 * * * *",
            "* 24 * * *",
            "*/0 * * * *",
            "TZ=UTC 0 * * * *",
            "@often",
            "* * * * 7",
            "* * 0 * *",
            "a * * * *",
            "@every 1d",
            " @hourly",
            "@hourly ",
            "*/-1 * * * *",
            "1-2-3 * * * *",
            "1/2/3 * * * *",
            "",
            "0 0 1 * * *",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn words_and_next_runs() {
        assert_eq!(describe("*/1 * * * *").en, "every minute");
        assert_eq!(describe("*/5 * * * *").fr, "toutes les 5 minutes");
        assert_eq!(describe("30 2 * * *").en, "every day at 02:30");
        // 2026-01-01T00:00:30Z
        assert_eq!(
            next_runs("*/1 * * * *", 1_767_225_630, 3),
            vec!["2026-01-01 00:01", "2026-01-01 00:02", "2026-01-01 00:03"]
        );
    }
}
