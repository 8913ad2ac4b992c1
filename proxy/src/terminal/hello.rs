//! The first message of a terminal socket: it must come in time, carry the launch token and an
//! `exec -it` line the command parser allows. Nothing runs before it checks out.

use std::net::IpAddr;
use std::time::Duration;

use axum::extract::ws::{Message, WebSocket};
use kubefiche_core::Text;
use kubefiche_core::command::{self, Parsed};
use kubefiche_core::wire::TerminalHello;

use super::refusal::Refusal;
use crate::error::ApiError;
use crate::guard::Guard;
use crate::scope::Caller;

/// An admitted hello: the parsed command and the terminal's first size.
#[derive(Debug)]
pub struct Admitted {
    pub command: command::Kubectl,
    pub size: Size,
    /// Whom the token speaks for (in a class: the learner's seat).
    pub caller: Caller,
}

/// A terminal size, in character cells, kept within what a pty and a screen make sense of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Size {
    pub cols: u16,
    pub rows: u16,
}

impl Size {
    /// Out-of-range sizes are clamped; a zero (a page that could not measure) means 80×24.
    pub fn new(cols: u16, rows: u16) -> Self {
        let cols = if cols == 0 { 80 } else { cols.clamp(2, 1000) };
        let rows = if rows == 0 { 24 } else { rows.clamp(1, 500) };
        Self { cols, rows }
    }
}

/// Waits for the hello (at most `wait`) and checks it. `Ok(None)`: the page left or said
/// nothing in time; there is nobody to tell.
pub async fn receive(
    socket: &mut WebSocket,
    guard: &Guard,
    address: Option<IpAddr>,
    wait: Duration,
) -> Result<Option<Admitted>, Refusal> {
    let first = match tokio::time::timeout(wait, socket.recv()).await {
        Err(_) | Ok(None) | Ok(Some(Err(_))) => return Ok(None),
        Ok(Some(Ok(message))) => message,
    };
    let text = match first {
        Message::Text(text) => text,
        Message::Close(_) => return Ok(None),
        _ => return Err(Refusal::BadHello("a text message was expected".into())),
    };
    let hello: TerminalHello =
        serde_json::from_str(text.as_str()).map_err(|e| Refusal::BadHello(e.to_string()))?;
    let caller = match guard.caller(hello.token.as_bytes(), address) {
        Ok(caller) => caller,
        Err(ApiError::BadToken) => return Err(Refusal::BadToken),
        Err(other) => return Err(Refusal::Command(other.parts().2)),
    };
    let command = admit_line(&hello.line)?;
    Ok(Some(Admitted {
        command,
        size: Size::new(hello.cols, hello.rows),
        caller,
    }))
}

/// The line must be a kubectl command the parser allows and that needs a terminal.
pub fn admit_line(line: &str) -> Result<command::Kubectl, Refusal> {
    match command::parse(line) {
        // The proxy's own second look at what reaches kubectl, as for `/api/command`.
        Parsed::Kubectl(k) if k.terminal => match crate::command::policy::check(&k) {
            Ok(_) => Ok(k),
            Err(why) => Err(Refusal::Command(why)),
        },
        Parsed::Kubectl(k) => Err(Refusal::NotATerminal(k.verb)),
        Parsed::Refused(why) => Err(Refusal::Command(why)),
        Parsed::Elsewhere { why, .. } => Err(Refusal::Command(why)),
        Parsed::Nothing => Err(Refusal::Command(Text::new(
            "The terminal was given no command: a `kubectl exec -it POD -- COMMAND` line is needed.",
            "Le terminal n'a reçu aucune commande : il faut une ligne `kubectl exec -it POD -- COMMANDE`.",
        ))),
    }
}

/// The pod an `exec` line names (for the note on simulated nodes), when it is plain to see.
pub fn pod_name(args: &[String]) -> Option<String> {
    let mut words = args.iter().skip(1);
    while let Some(word) = words.next() {
        match word.as_str() {
            "--" => return None,
            "-c" | "--container" => {
                words.next();
            }
            w if w.starts_with('-') => {}
            w => return Some(w.strip_prefix("pod/").unwrap_or(w).to_owned()),
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(line: &str) -> Vec<String> {
        line.split_whitespace().map(str::to_owned).collect()
    }

    #[test]
    fn sizes_are_clamped_and_zero_means_the_classic_default() {
        assert_eq!(Size::new(0, 0), Size { cols: 80, rows: 24 });
        assert_eq!(
            Size::new(120, 40),
            Size {
                cols: 120,
                rows: 40
            }
        );
        assert_eq!(
            Size::new(u16::MAX, u16::MAX),
            Size {
                cols: 1000,
                rows: 500
            }
        );
    }

    #[test]
    fn the_pod_is_found_past_the_flags() {
        let args = words("exec -it -c db pod/postgres-0 -- psql");
        assert_eq!(pod_name(&args).as_deref(), Some("postgres-0"));
        let args = words("exec -it web -- sh");
        assert_eq!(pod_name(&args).as_deref(), Some("web"));
        assert_eq!(pod_name(&words("exec -it -- sh")), None);
    }

    #[test]
    fn only_interactive_exec_lines_get_a_terminal() {
        assert!(admit_line("kubectl exec -it web -- sh").is_ok());
        assert!(matches!(
            admit_line("kubectl get pods"),
            Err(Refusal::NotATerminal(_))
        ));
        assert!(matches!(
            admit_line("docker build ."),
            Err(Refusal::Command(_))
        ));
        assert!(matches!(admit_line("  "), Err(Refusal::Command(_))));
    }
}
