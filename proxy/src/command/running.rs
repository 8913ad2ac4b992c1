//! A running kubectl as a sequence of [`CommandEvent`]s: its output as it comes, then how it
//! ended. The sequence owns the process: dropping it (the page aborted the request, or went
//! away) kills kubectl.

use std::pin::Pin;
use std::time::{Duration, Instant};

use kubefiche_core::wire::CommandEvent;
use tokio::io::{AsyncRead, AsyncReadExt};
use tokio::process::{Child, ChildStderr, ChildStdout};
use tokio::time::Sleep;
use tokio_util::sync::CancellationToken;

use crate::kubectl::Slot;

const READ_CHUNK: usize = 8 * 1024;

/// How a command ended, for its `Exit` event and the audit line.
#[derive(Debug, Clone, Copy, Default)]
struct Ended {
    code: Option<i32>,
    truncated: bool,
    timed_out: bool,
}

/// One kubectl process and what is known of it so far.
pub struct Running {
    child: Child,
    stdout: Option<ChildStdout>,
    stderr: Option<ChildStderr>,
    out_text: Utf8Chunks,
    err_text: Utf8Chunks,
    out_buf: Vec<u8>,
    err_buf: Vec<u8>,
    /// Output bytes left before the limit.
    budget: usize,
    deadline: Pin<Box<Sleep>>,
    shutdown: CancellationToken,
    ended: Option<Ended>,
    started: Instant,
    /// The command as the audit line shows it (secret values masked by the parser).
    audit: String,
    _slot: Slot,
}

impl Running {
    /// Takes over `child`, whose stdout and stderr are piped.
    pub fn new(
        mut child: Child,
        audit: String,
        output_bytes: usize,
        time: Duration,
        shutdown: CancellationToken,
        slot: Slot,
    ) -> Self {
        Self {
            stdout: child.stdout.take(),
            stderr: child.stderr.take(),
            child,
            out_text: Utf8Chunks::default(),
            err_text: Utf8Chunks::default(),
            out_buf: vec![0; READ_CHUNK],
            err_buf: vec![0; READ_CHUNK],
            budget: output_bytes,
            deadline: Box::pin(tokio::time::sleep(time)),
            shutdown,
            ended: None,
            started: Instant::now(),
            audit,
            _slot: slot,
        }
    }

    /// The next events (possibly none), or `None` once `Exit` was given.
    pub async fn next_events(&mut self) -> Option<Vec<CommandEvent>> {
        if self.ended.is_some() {
            return None;
        }
        let events = tokio::select! {
            biased;
            () = self.shutdown.cancelled() => self.stop(Ended::default()).await,
            () = &mut self.deadline => self.stop(Ended { timed_out: true, ..Ended::default() }).await,
            read = read_from(&mut self.stdout, &mut self.out_buf) => self.took(read, false).await,
            read = read_from(&mut self.stderr, &mut self.err_buf) => self.took(read, true).await,
            status = self.child.wait(), if self.stdout.is_none() && self.stderr.is_none() => {
                let code = status.ok().and_then(|s| s.code());
                self.finish(Ended { code, ..Ended::default() })
            }
        };
        Some(events)
    }

    /// `n` bytes read from one pipe (0 or an error: it closed).
    async fn took(&mut self, read: std::io::Result<usize>, stderr: bool) -> Vec<CommandEvent> {
        let (pipe_open, text, buf) = if stderr {
            (self.stderr.is_some(), &mut self.err_text, &self.err_buf)
        } else {
            (self.stdout.is_some(), &mut self.out_text, &self.out_buf)
        };
        debug_assert!(pipe_open);
        let n = read.unwrap_or(0);
        if n == 0 {
            let tail = text.finish();
            if stderr {
                self.stderr = None;
            } else {
                self.stdout = None;
            }
            return output(tail, stderr).into_iter().collect();
        }
        let kept = n.min(self.budget);
        self.budget -= kept;
        let mut chunk = text.push(&buf[..kept]);
        if kept == n {
            return output(chunk, stderr).into_iter().collect();
        }
        chunk.push_str(&text.finish());
        let mut events: Vec<_> = output(chunk, stderr).into_iter().collect();
        events.extend(
            self.stop(Ended {
                truncated: true,
                ..Ended::default()
            })
            .await,
        );
        events
    }

    /// Kills kubectl (it ran too long, said too much, or the proxy stops).
    async fn stop(&mut self, how: Ended) -> Vec<CommandEvent> {
        let _ = self.child.start_kill();
        let _ = self.child.wait().await;
        self.finish(how)
    }

    fn finish(&mut self, how: Ended) -> Vec<CommandEvent> {
        self.ended = Some(how);
        vec![CommandEvent::Exit {
            code: how.code,
            truncated: how.truncated,
            timed_out: how.timed_out,
        }]
    }
}

impl Drop for Running {
    /// The audit line, whatever the end: exited, stopped by a limit, or by the page.
    fn drop(&mut self) {
        let ms = u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX);
        match self.ended {
            Some(ended) => tracing::info!(
                command = %self.audit,
                code = ?ended.code,
                truncated = ended.truncated,
                timed_out = ended.timed_out,
                ms,
                "command ended"
            ),
            None => tracing::info!(command = %self.audit, ms, "command stopped by the page"),
        }
    }
}

fn output(text: String, stderr: bool) -> Option<CommandEvent> {
    (!text.is_empty()).then_some(CommandEvent::Output { text, stderr })
}

/// Reads from an open pipe; never ready for a closed one.
async fn read_from<R: AsyncRead + Unpin>(
    pipe: &mut Option<R>,
    buf: &mut [u8],
) -> std::io::Result<usize> {
    match pipe {
        Some(pipe) => pipe.read(buf).await,
        None => std::future::pending().await,
    }
}

/// Text from a byte stream cut anywhere: a character split across two reads waits for its
/// end; bytes that are not UTF-8 become U+FFFD.
#[derive(Debug, Default)]
pub struct Utf8Chunks {
    carry: Vec<u8>,
}

impl Utf8Chunks {
    pub fn push(&mut self, bytes: &[u8]) -> String {
        self.carry.extend_from_slice(bytes);
        let mut text = String::new();
        let mut rest: &[u8] = &self.carry;
        loop {
            match std::str::from_utf8(rest) {
                Ok(valid) => {
                    text.push_str(valid);
                    rest = &[];
                    break;
                }
                Err(error) => {
                    let (valid, after) = rest.split_at(error.valid_up_to());
                    text.push_str(&String::from_utf8_lossy(valid));
                    match error.error_len() {
                        // An incomplete character at the end: keep it for the next read.
                        None => {
                            rest = after;
                            break;
                        }
                        Some(bad) => {
                            text.push(char::REPLACEMENT_CHARACTER);
                            rest = &after[bad..];
                        }
                    }
                }
            }
        }
        self.carry = rest.to_vec();
        text
    }

    /// What is left when the stream ends (an incomplete character becomes U+FFFD).
    pub fn finish(&mut self) -> String {
        let text = String::from_utf8_lossy(&self.carry).into_owned();
        self.carry.clear();
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn characters_split_across_reads_stay_whole() {
        let text = "né — 🚀 ok";
        let bytes = text.as_bytes();
        for cut in 0..=bytes.len() {
            let mut chunks = Utf8Chunks::default();
            let mut got = chunks.push(&bytes[..cut]);
            got.push_str(&chunks.push(&bytes[cut..]));
            got.push_str(&chunks.finish());
            assert_eq!(got, text, "cut at {cut}");
        }
        let mut one_by_one = Utf8Chunks::default();
        let got: String = bytes.iter().map(|b| one_by_one.push(&[*b])).collect();
        assert_eq!(got, text);
    }

    #[test]
    fn invalid_bytes_become_replacement_characters() {
        let mut chunks = Utf8Chunks::default();
        assert_eq!(chunks.push(b"a\xffb\xe2\x82"), "a\u{fffd}b");
        assert_eq!(chunks.finish(), "\u{fffd}");
    }
}
