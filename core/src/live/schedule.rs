//! A CronJob's schedule for people: in words, and when it fires next.

use crate::Text;
use crate::validate::cron;

/// The schedule in plain words (`every minute`, `tous les jours à 02h30`); the schedule itself
/// when it is not one the API server accepts.
pub fn schedule_words(schedule: &str) -> Text {
    match cron::parse(schedule) {
        Ok(fields) if !fields.starts_with('@') => cron::describe(&fields),
        _ => Text::new(schedule, schedule),
    }
}

/// When the schedule fires next after `now_unix` (Unix seconds), read in UTC — the controller's
/// time zone unless `time_zone` names another, in which case there is no answer.
pub fn next_run(schedule: &str, time_zone: Option<&str>, now_unix: i64) -> Option<i64> {
    if time_zone.is_some_and(|z| !matches!(z, "UTC" | "Etc/UTC")) {
        return None;
    }
    next_run_of(&cron::parse(schedule).ok()?, now_unix)
}

/// [`next_run`] of a parsed schedule (five fields, or `@every …`), in UTC.
pub(crate) fn next_run_of(fields: &str, after_unix: i64) -> Option<i64> {
    if let Some(every) = fields.strip_prefix("@every ") {
        return every_seconds(every).map(|s| after_unix + s);
    }
    let cron = fields.parse::<croner::Cron>().ok()?;
    let start = chrono::DateTime::from_timestamp(after_unix, 0)?;
    cron.iter_after(start).next().map(|t| t.timestamp())
}

/// `1h30m`, `90s`, `5m` as seconds.
fn every_seconds(text: &str) -> Option<i64> {
    let mut total = 0;
    let mut number = String::new();
    for c in text.chars() {
        if c.is_ascii_digit() {
            number.push(c);
            continue;
        }
        let n: i64 = number.parse().ok()?;
        number.clear();
        total += n * match c {
            'h' => 3600,
            'm' => 60,
            's' => 1,
            _ => return None,
        };
    }
    (number.is_empty() && total > 0).then_some(total)
}

/// Unix seconds of an RFC 3339 time such as the API server writes (`2026-01-01T00:00:30Z`).
pub fn unix_seconds(time: &str) -> Option<i64> {
    chrono::DateTime::parse_from_rfc3339(time)
        .ok()
        .map(|t| t.timestamp())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_and_the_next_run() {
        assert_eq!(schedule_words("*/1 * * * *").en, "every minute");
        assert_eq!(schedule_words("*/5 * * * *").fr, "toutes les 5 minutes");
        assert_eq!(
            schedule_words("@hourly").fr,
            "toutes les heures, à l'heure pile"
        );
        assert_eq!(schedule_words("not a schedule").en, "not a schedule");
        // 2026-01-01T00:00:30Z: the next minute starts 30 s later.
        let now = 1_767_225_630;
        assert_eq!(next_run("*/1 * * * *", None, now), Some(now + 30));
        assert_eq!(
            next_run("0 * * * *", Some("UTC"), now),
            Some(now - 30 + 3600)
        );
        assert_eq!(next_run("@every 1h30m", None, now), Some(now + 5400));
        assert_eq!(next_run("0 0 30 2 *", None, now), None, "never happens");
        assert_eq!(next_run("*/1 * * * *", Some("Europe/Paris"), 0), None);
        assert_eq!(next_run("bad", None, 0), None);
        assert_eq!(unix_seconds("2026-01-01T00:00:30Z"), Some(now));
        assert_eq!(unix_seconds("yesterday"), None);
    }
}
