//! A CronJob's schedule for the view: in words, and its next run.

use crate::Text;
use crate::validate::cron;

/// The schedule in words (`every minute`, `tous les jours à 02h00`), or `None` when invalid.
pub fn words(schedule: &str) -> Option<Text> {
    cron::parse(schedule)
        .ok()
        .map(|fields| cron::describe(&fields))
}

/// The first run strictly after `after_unix` (UTC), in Unix seconds.
pub fn next_run(schedule: &str, after_unix: i64) -> Option<i64> {
    next_run_of(&cron::parse(schedule).ok()?, after_unix)
}

/// [`next_run`] of a parsed schedule (five fields, or `@every …`).
pub(crate) fn next_run_of(fields: &str, after_unix: i64) -> Option<i64> {
    if let Some(every) = fields.strip_prefix("@every ") {
        return every_seconds(every).map(|s| after_unix + s);
    }
    let cron: croner::Cron = fields.parse().ok()?;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_runs_and_words() {
        // 2026-01-01T00:00:30Z
        let now = 1_767_225_630;
        assert_eq!(next_run("* * * * *", now), Some(now + 30));
        assert_eq!(next_run("@hourly", now), Some(now - 30 + 3600));
        assert_eq!(next_run("@every 1h30m", now), Some(now + 5400));
        assert_eq!(next_run("0 0 30 2 *", now), None);
        assert_eq!(next_run("nonsense", now), None);
        assert_eq!(
            words("*/5 * * * *").map(|t| t.fr),
            Some("toutes les 5 minutes".into())
        );
    }
}
