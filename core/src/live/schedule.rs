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
    let fields = cron::parse(schedule).ok()?;
    let cron = fields.parse::<croner::Cron>().ok()?;
    let start = chrono::DateTime::from_timestamp(now_unix, 0)?;
    cron.iter_after(start).next().map(|t| t.timestamp())
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
        assert_eq!(
            schedule_words("@hourly").fr,
            "toutes les heures, à l'heure pile"
        );
        assert_eq!(schedule_words("not a schedule").en, "not a schedule");
        // 2026-01-01T00:00:30Z: the next minute starts 30 s later.
        assert_eq!(
            next_run("*/1 * * * *", None, 1_767_225_630),
            Some(1_767_225_660)
        );
        assert_eq!(
            next_run("0 * * * *", Some("UTC"), 1_767_225_630),
            Some(1_767_225_600 + 3600)
        );
        assert_eq!(next_run("*/1 * * * *", Some("Europe/Paris"), 0), None);
        assert_eq!(next_run("bad", None, 0), None);
        assert_eq!(unix_seconds("2026-01-01T00:00:30Z"), Some(1_767_225_630));
        assert_eq!(unix_seconds("yesterday"), None);
    }
}
