//! What one request may cost: how many objects it holds, how long its body may take to arrive,
//! and where its validation runs (the blocking pool, a few at a time), so that a large apply
//! never holds up the small requests of other tabs.

use std::sync::Arc;
use std::time::Duration;

use kubefiche_core::manifest::{SourceFile, count_objects};
use tokio::sync::Semaphore;

use crate::config::{DEFAULT_BODY_SECONDS, DEFAULT_MAX_OBJECTS};
use crate::error::ApiError;

/// The bounds on one request's cost, shared by every request.
#[derive(Clone, Debug)]
pub struct Bounds {
    /// Most objects (YAML documents holding something) in one request's files together.
    pub max_objects: usize,
    /// Time for a whole request body to arrive.
    pub body_time: Duration,
    /// One permit per validation running at once.
    validations: Arc<Semaphore>,
}

impl Bounds {
    /// `validations` at once (0: one per core).
    pub fn new(max_objects: usize, body_time: Duration, validations: usize) -> Self {
        let validations = match validations {
            0 => cores(),
            n => n,
        };
        Self {
            max_objects,
            body_time,
            validations: Arc::new(Semaphore::new(validations)),
        }
    }

    /// Refuses files that hold more objects than allowed, before anything reads their YAML.
    pub fn check_objects(&self, files: &[SourceFile]) -> Result<(), ApiError> {
        let count: usize = files.iter().map(|f| count_objects(&f.text)).sum();
        if count > self.max_objects {
            return Err(ApiError::TooManyObjects {
                count,
                limit: self.max_objects,
            });
        }
        Ok(())
    }

    /// Runs `work` (parsing, validation: plain CPU work) on the blocking pool, once a permit is
    /// free: the executor's threads stay free for the other requests meanwhile.
    pub async fn off_executor<T, F>(&self, work: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce() -> T + Send + 'static,
    {
        let permit = self
            .validations
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| ApiError::ValidationFailed("no validation slot".into()))?;
        let answer = tokio::task::spawn_blocking(move || {
            let _permit = permit;
            work()
        })
        .await;
        answer.map_err(|error| ApiError::ValidationFailed(error.to_string()))
    }
}

impl Default for Bounds {
    fn default() -> Self {
        Self::new(
            DEFAULT_MAX_OBJECTS,
            Duration::from_secs(DEFAULT_BODY_SECONDS),
            0,
        )
    }
}

fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, std::num::NonZero::get)
}
