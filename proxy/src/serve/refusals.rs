//! hyper answers a request it cannot read (malformed request line or header: 400; address too
//! long: 414; headers too large: 431) by itself, before the router sees anything, with an empty
//! body, and offers no way to change that answer. So the connection's writes are watched: a
//! write that is exactly such an answer (an error status line, `content-length: 0`, nothing
//! after the headers) is replaced by the same status with the JSON error body every other
//! refusal has. The router never answers an error with an empty body, so nothing else matches.
//! After a `101 Switching Protocols` (a WebSocket), the bytes are no longer HTTP: they pass as
//! they are.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use axum::http::StatusCode;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

use crate::error::ApiError;

/// A connection whose automatic error answers are given their JSON body.
pub(super) struct Shaped<IO> {
    io: IO,
    /// The replacement being written, and how much of it is written.
    pending: Option<(Vec<u8>, usize)>,
    /// Upgraded: the bytes are another protocol's.
    upgraded: bool,
}

impl<IO> Shaped<IO> {
    pub(super) fn new(io: IO) -> Self {
        Self {
            io,
            pending: None,
            upgraded: false,
        }
    }
}

/// The status of a write that is an empty-bodied 400, 414 or 431 answer and nothing else.
fn automatic_error(write: &[u8]) -> Option<StatusCode> {
    let text = std::str::from_utf8(write).ok()?;
    let head = text.strip_suffix("\r\n\r\n")?;
    let status = match head.get(..13)? {
        "HTTP/1.1 400 " => StatusCode::BAD_REQUEST,
        "HTTP/1.1 414 " => StatusCode::URI_TOO_LONG,
        "HTTP/1.1 431 " => StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
        _ => return None,
    };
    let empty = head
        .split("\r\n")
        .any(|line| line.eq_ignore_ascii_case("content-length: 0"));
    (empty && !head.contains("\r\n\r\n")).then_some(status)
}

/// The same answer with its reason in JSON; the connection closes after it.
fn replacement(status: StatusCode) -> Vec<u8> {
    let body = ApiError::Unreadable(status).body();
    format!(
        "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\ncache-control: no-store\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

impl<IO: AsyncWrite + Unpin> Shaped<IO> {
    /// Writes what remains of the replacement.
    fn poll_pending(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        while let Some((bytes, written)) = &mut self.pending {
            if *written == bytes.len() {
                self.pending = None;
                break;
            }
            let n = ready!(Pin::new(&mut self.io).poll_write(cx, &bytes[*written..]))?;
            if n == 0 {
                return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
            }
            *written += n;
        }
        Poll::Ready(Ok(()))
    }
}

impl<IO: AsyncRead + Unpin> AsyncRead for Shaped<IO> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_read(cx, buf)
    }
}

impl<IO: AsyncWrite + Unpin> AsyncWrite for Shaped<IO> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = &mut *self;
        ready!(this.poll_pending(cx))?;
        if !this.upgraded {
            if buf.starts_with(b"HTTP/1.1 101 ") {
                this.upgraded = true;
            } else if let Some(status) = automatic_error(buf) {
                this.pending = Some((replacement(status), 0));
                // The answer is taken whole; it is written by this call and the next ones.
                let _ = this.poll_pending(cx)?;
                return Poll::Ready(Ok(buf.len()));
            }
        }
        Pin::new(&mut this.io).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        ready!(self.poll_pending(cx))?;
        Pin::new(&mut self.io).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        ready!(self.poll_pending(cx))?;
        Pin::new(&mut self.io).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_an_empty_error_answer_is_replaced() {
        let automatic = b"HTTP/1.1 431 Request Header Fields Too Large\r\ncontent-length: 0\r\ndate: Sat, 28 Nov 2026 23:00:00 GMT\r\n\r\n";
        assert_eq!(
            automatic_error(automatic),
            Some(StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE)
        );
        let ours = b"HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\ncontent-length: 120\r\n\r\n";
        assert_eq!(automatic_error(ours), None);
        let with_body = b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\nHTTP/1.1 400 Bad Request\r\n\r\n";
        assert_eq!(automatic_error(with_body), None);
        assert_eq!(
            automatic_error(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n"),
            None
        );
        let json = replacement(StatusCode::BAD_REQUEST);
        let text = String::from_utf8(json).expect("text");
        assert!(text.starts_with("HTTP/1.1 400 Bad Request\r\n"), "{text}");
        assert!(text.ends_with("}"), "{text}");
        assert!(text.contains("\"unreadable-request\""), "{text}");
    }
}
