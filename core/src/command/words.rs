//! Splitting a line into words as a POSIX shell would, without ever being one: quotes and
//! backslashes are read, and anything a shell would act on (pipes, lists, redirections,
//! expansions, globs) stops the split with what it was.

use crate::Text;

/// One word of a line, quotes and escapes removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    pub text: String,
    /// Byte range of the word in the line, quotes included.
    pub start: usize,
    pub end: usize,
    /// Some part of it was quoted or escaped (so `#`, `=`, `<…>` in it mean nothing special).
    pub quoted: bool,
}

/// Shell syntax found where a word was expected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    /// `|`
    Pipe,
    /// `;`, `&`, `&&`, `||`, or a line break: more than one command.
    List,
    /// `>`, `>>`, `<`, `<<`…
    Redirect,
    /// `$…` or a backquote: a variable or a command substitution.
    Expansion,
    /// `(` or `)`.
    Subshell,
    /// `*`, `?` outside quotes.
    Glob,
    /// `{a,b}` or `{1..3}` outside quotes.
    Brace,
    /// `~` at the start of a word (or after `=`).
    Tilde,
    /// `NAME=value` before the program.
    Assignment,
    /// A `\` at the end of the line.
    Continuation,
    /// A quote that is never closed.
    Unclosed,
}

impl Syntax {
    /// What this syntax is, for a learner.
    pub fn what(self) -> Text {
        let (en, fr) = match self {
            Self::Pipe => ("a pipe (`|`)", "un tube (`|`)"),
            Self::List => (
                "a command separator (`;`, `&`, `&&`, `||`)",
                "un enchaînement de commandes (`;`, `&`, `&&`, `||`)",
            ),
            Self::Redirect => ("a redirection (`>`, `<`)", "une redirection (`>`, `<`)"),
            Self::Expansion => (
                "a variable or command substitution (`$`, backquotes)",
                "une variable ou une substitution de commande (`$`, accents graves)",
            ),
            Self::Subshell => ("parentheses (`(`, `)`)", "des parenthèses (`(`, `)`)"),
            Self::Glob => ("a wildcard (`*`, `?`)", "un joker (`*`, `?`)"),
            Self::Brace => (
                "a brace expansion (`{a,b}`)",
                "une expansion d’accolades (`{a,b}`)",
            ),
            Self::Tilde => (
                "a home-directory shortcut (`~`)",
                "un raccourci de dossier personnel (`~`)",
            ),
            Self::Assignment => (
                "a variable assignment before the command (`NAME=value`)",
                "une affectation de variable avant la commande (`NOM=valeur`)",
            ),
            Self::Continuation => (
                "a line continuation (`\\` at the end)",
                "une continuation de ligne (`\\` à la fin)",
            ),
            Self::Unclosed => ("an unclosed quote", "un guillemet non refermé"),
        };
        Text::new(en, fr)
    }
}

/// The words of a line up to the end, a comment, or the first shell syntax.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Split {
    pub words: Vec<Word>,
    /// The shell syntax that stopped the split, and its byte offset in the line.
    pub stop: Option<(Syntax, usize)>,
}

/// Splits `line` into words. `<name>` tokens (placeholders such as `<nom-du-pod>`) are kept as
/// text inside words; every other unquoted `<` is a redirection.
pub fn split(line: &str) -> Split {
    let mut out = Split::default();
    let mut chars = line.char_indices().peekable();
    let mut current: Option<Word> = None;
    while let Some(&(at, c)) = chars.peek() {
        if matches!(c, ' ' | '\t' | '\r') {
            chars.next();
            out.words.extend(current.take());
            continue;
        }
        if c == '#' && current.is_none() {
            return out;
        }
        let in_word = current.is_some();
        let word = current.get_or_insert_with(|| Word {
            text: String::new(),
            start: at,
            end: at,
            quoted: false,
        });
        let syntax = match c {
            '\'' => {
                chars.next();
                word.quoted = true;
                let mut closed = false;
                for (_, q) in chars.by_ref() {
                    if q == '\'' {
                        closed = true;
                        break;
                    }
                    word.text.push(q);
                }
                (!closed).then_some(Syntax::Unclosed)
            }
            '"' => {
                chars.next();
                word.quoted = true;
                double_quoted(&mut chars, &mut word.text).err()
            }
            '\\' => {
                chars.next();
                word.quoted = true;
                match chars.next() {
                    Some((_, '\n')) | None => Some(Syntax::Continuation),
                    Some((_, e)) => {
                        word.text.push(e);
                        None
                    }
                }
            }
            '|' if line[at + 1..].starts_with('|') => Some(Syntax::List),
            '|' => Some(Syntax::Pipe),
            ';' | '&' | '\n' => Some(Syntax::List),
            '>' => Some(Syntax::Redirect),
            '<' => match placeholder_len(&line[at..]) {
                Some(len) => {
                    word.text.push_str(&line[at..at + len]);
                    while chars.peek().is_some_and(|&(i, _)| i < at + len) {
                        chars.next();
                    }
                    None
                }
                None => Some(Syntax::Redirect),
            },
            '$' | '`' => Some(Syntax::Expansion),
            '(' | ')' => Some(Syntax::Subshell),
            '*' | '?' => Some(Syntax::Glob),
            '{' if brace_expansion(&line[at..]) => Some(Syntax::Brace),
            '~' if !in_word || (word.text.ends_with('=') && !word.quoted) => Some(Syntax::Tilde),
            '=' if out.words.is_empty() && !word.quoted && is_name(&word.text) => {
                Some(Syntax::Assignment)
            }
            _ => {
                chars.next();
                word.text.push(c);
                None
            }
        };
        if let Some(syntax) = syntax {
            out.stop = Some((syntax, at));
            return out;
        }
        word.end = chars.peek().map_or(line.len(), |&(i, _)| i);
    }
    out.words.extend(current);
    out
}

/// Reads a double-quoted part after its opening quote, up to and including the closing one.
fn double_quoted(
    chars: &mut std::iter::Peekable<std::str::CharIndices<'_>>,
    text: &mut String,
) -> Result<(), Syntax> {
    while let Some((_, q)) = chars.next() {
        match q {
            '"' => return Ok(()),
            '$' | '`' => return Err(Syntax::Expansion),
            '\\' => match chars.next() {
                Some((_, e @ ('$' | '`' | '"' | '\\'))) => text.push(e),
                Some((_, '\n')) => {}
                Some((_, e)) => {
                    text.push('\\');
                    text.push(e);
                }
                None => return Err(Syntax::Unclosed),
            },
            _ => text.push(q),
        }
    }
    Err(Syntax::Unclosed)
}

/// The length of a `<name>` placeholder at the start of `s`: letters, digits, `-`, `_`, `.`,
/// at least one letter.
pub fn placeholder_len(s: &str) -> Option<usize> {
    let inner = s.strip_prefix('<')?;
    let close = inner.find('>')?;
    let name = &inner[..close];
    let fits = name.chars().any(char::is_alphabetic)
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'));
    fits.then_some(close + 2)
}

/// `{…}` at the start of `s` is a brace expansion to a shell: a comma inside, or a sequence
/// such as `{1..3}` or `{a..e}`. (`{.items[0].metadata.name}` is not.)
fn brace_expansion(s: &str) -> bool {
    let Some(close) = s.find('}') else {
        return false;
    };
    let inner = &s[1..close];
    if inner.contains(',') {
        return true;
    }
    let parts: Vec<&str> = inner.split("..").collect();
    let end = |p: &str| {
        let digits = p.strip_prefix('-').unwrap_or(p);
        (!digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()))
            || (p.chars().count() == 1 && p.chars().all(|c| c.is_ascii_alphabetic()))
    };
    matches!(parts.len(), 2 | 3) && parts.iter().all(|p| end(p))
}

/// A shell variable name.
fn is_name(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// A word as a shell would need it typed: bare when it is plain (placeholders included), else
/// single-quoted.
pub fn quote(word: &str) -> String {
    let mut plain = !word.is_empty();
    let mut rest = word;
    while let Some(c) = rest.chars().next() {
        let len = match placeholder_len(rest) {
            Some(len) => len,
            None if c.is_alphanumeric() || "-_./:=,@+%".contains(c) => c.len_utf8(),
            None => {
                plain = false;
                break;
            }
        };
        rest = &rest[len..];
    }
    if plain {
        word.to_owned()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

/// Words joined back into a line a shell would read the same way.
pub fn join(words: &[String]) -> String {
    words.iter().map(|w| quote(w)).collect::<Vec<_>>().join(" ")
}
