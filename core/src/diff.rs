//! A line diff of two texts, and its grouping into hunks with context, like a unified diff.
//!
//! Lines are compared with their line break, so a missing final newline or a CRLF line is a
//! change. The comparison is Myers' O((N+M)·D) algorithm in its linear-space form (the "middle
//! snake" splits the problem in two), after the common head and tail are set aside: small edits
//! of long files cost little, and two unrelated 5,000-line files need memory in proportion to
//! their length, not its square.

use std::collections::HashMap;

/// What happened to a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// In both texts.
    Same,
    /// Only in the new text.
    Added,
    /// Only in the old text.
    Removed,
}

/// One line of the diff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub op: Op,
    /// The line without its line break (`\n` or `\r\n`).
    pub text: String,
    /// The line ends with a line break (false only for a last line without one).
    pub newline: bool,
    /// Its 1-based line number in the old text (`None` for an added line).
    pub old: Option<usize>,
    /// Its 1-based line number in the new text (`None` for a removed line).
    pub new: Option<usize>,
}

/// A group of changes with up to `context` unchanged lines around them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hunk {
    /// First old line of the hunk, 1-based (the line before it when the hunk has no old line).
    pub old_start: usize,
    /// Number of old lines (same and removed).
    pub old_len: usize,
    /// First new line of the hunk, 1-based (the line before it when the hunk has no new line).
    pub new_start: usize,
    /// Number of new lines (same and added).
    pub new_len: usize,
    pub lines: Vec<Line>,
}

/// The lines of `old` and `new`, each marked same, removed or added, in reading order (within a
/// change, removed lines come before added ones).
pub fn lines(old: &str, new: &str) -> Vec<Line> {
    let a: Vec<&str> = split(old);
    let b: Vec<&str> = split(new);
    let (ia, ib) = intern(&a, &b);
    let mut edits = Vec::with_capacity(a.len().max(b.len()));
    compare(&ia, &ib, 0, 0, &mut edits);
    edits
        .into_iter()
        .map(|e| match e {
            Edit::Same(i, j) => line(Op::Same, a[i], Some(i + 1), Some(j + 1)),
            Edit::Removed(i) => line(Op::Removed, a[i], Some(i + 1), None),
            Edit::Added(j) => line(Op::Added, b[j], None, Some(j + 1)),
        })
        .collect()
}

/// Groups the changed lines of `lines` into hunks, each with up to `context` unchanged lines
/// before and after; changes closer than `2 × context` lines share a hunk. No change, no hunk.
pub fn hunks(lines: &[Line], context: usize) -> Vec<Hunk> {
    let changed: Vec<usize> = (0..lines.len())
        .filter(|&i| lines[i].op != Op::Same)
        .collect();
    let mut ranges: Vec<(usize, usize)> = Vec::new();
    for &i in &changed {
        let start = i.saturating_sub(context);
        let end = (i + context + 1).min(lines.len());
        match ranges.last_mut() {
            Some(last) if start <= last.1 => last.1 = end,
            _ => ranges.push((start, end)),
        }
    }
    ranges
        .into_iter()
        .map(|(start, end)| hunk(lines, start, end))
        .collect()
}

fn hunk(all: &[Line], start: usize, end: usize) -> Hunk {
    let lines = all[start..end].to_vec();
    // Line numbers before the hunk: the last numbered line before `start`, on each side.
    let before =
        |pick: fn(&Line) -> Option<usize>| all[..start].iter().rev().find_map(pick).unwrap_or(0);
    let old_len = lines.iter().filter(|l| l.old.is_some()).count();
    let new_len = lines.iter().filter(|l| l.new.is_some()).count();
    let old_before = before(|l| l.old);
    let new_before = before(|l| l.new);
    Hunk {
        old_start: if old_len == 0 {
            old_before
        } else {
            old_before + 1
        },
        old_len,
        new_start: if new_len == 0 {
            new_before
        } else {
            new_before + 1
        },
        new_len,
        lines,
    }
}

fn line(op: Op, raw: &str, old: Option<usize>, new: Option<usize>) -> Line {
    let newline = raw.ends_with('\n');
    let text = raw.strip_suffix('\n').unwrap_or(raw);
    let text = if newline {
        text.strip_suffix('\r').unwrap_or(text)
    } else {
        text
    };
    Line {
        op,
        text: text.to_string(),
        newline,
        old,
        new,
    }
}

/// The lines of `text`, each with its line break.
fn split(text: &str) -> Vec<&str> {
    text.split_inclusive('\n').collect()
}

/// Each distinct line becomes a small number, so comparing lines is comparing numbers.
fn intern<'t>(a: &[&'t str], b: &[&'t str]) -> (Vec<u32>, Vec<u32>) {
    let mut ids: HashMap<&'t str, u32> = HashMap::new();
    let mut number = |lines: &[&'t str]| -> Vec<u32> {
        lines
            .iter()
            .map(|s| {
                let next = u32::try_from(ids.len()).unwrap_or(u32::MAX);
                *ids.entry(s).or_insert(next)
            })
            .collect()
    };
    let ia = number(a);
    let ib = number(b);
    (ia, ib)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Edit {
    Same(usize, usize),
    Removed(usize),
    Added(usize),
}

/// Appends to `out` the edits turning `a` into `b`; `ao` and `bo` are their offsets in the
/// whole texts.
fn compare(a: &[u32], b: &[u32], ao: usize, bo: usize, out: &mut Vec<Edit>) {
    let head = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    out.extend((0..head).map(|i| Edit::Same(ao + i, bo + i)));
    let (a, b) = (&a[head..], &b[head..]);
    let (ao, bo) = (ao + head, bo + head);
    let tail = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (a, b) = (&a[..a.len() - tail], &b[..b.len() - tail]);
    if a.is_empty() {
        out.extend((0..b.len()).map(|j| Edit::Added(bo + j)));
    } else if b.is_empty() {
        out.extend((0..a.len()).map(|i| Edit::Removed(ao + i)));
    } else {
        // Both sides differ and are not empty, so at least two edits are needed and the split
        // point leaves two strictly smaller problems.
        match middle(a, b) {
            (x, y) if (x, y) != (0, 0) && (x, y) != (a.len(), b.len()) => {
                compare(&a[..x], &b[..y], ao, bo, out);
                compare(&a[x..], &b[y..], ao + x, bo + y, out);
            }
            // Never expected; a correct (if not minimal) answer rather than a loop.
            _ => {
                out.extend((0..a.len()).map(|i| Edit::Removed(ao + i)));
                out.extend((0..b.len()).map(|j| Edit::Added(bo + j)));
            }
        }
    }
    let (at, bt) = (ao + a.len(), bo + b.len());
    out.extend((0..tail).map(|i| Edit::Same(at + i, bt + i)));
}

/// A point `(x, y)` on a shortest edit path from `a` to `b`, about halfway along it: paths are
/// grown from both ends at once until they meet.
fn middle(a: &[u32], b: &[u32]) -> (usize, usize) {
    let (n, m) = (a.len() as isize, b.len() as isize);
    let delta = n - m;
    let max = (n + m + 1) / 2 + 1;
    let width = (2 * max + 1) as usize;
    let at = |k: isize| (k + max) as usize;
    // Furthest x reached on each diagonal k = x - y, from the start (fwd) and from the end
    // (bwd, counting x and y from the ends of the texts).
    let mut fwd = vec![0isize; width];
    let mut bwd = vec![0isize; width];
    for d in 0..max {
        for k in (-d..=d).step_by(2) {
            let mut x = if k == -d || (k != d && fwd[at(k - 1)] < fwd[at(k + 1)]) {
                fwd[at(k + 1)]
            } else {
                fwd[at(k - 1)] + 1
            };
            let mut y = x - k;
            while x < n && y < m && a[x as usize] == b[y as usize] {
                x += 1;
                y += 1;
            }
            fwd[at(k)] = x;
            let back = delta - k;
            if delta % 2 != 0 && back > -d && back < d && x + bwd[at(back)] >= n {
                return (x as usize, y as usize);
            }
        }
        for k in (-d..=d).step_by(2) {
            let mut x = if k == -d || (k != d && bwd[at(k - 1)] < bwd[at(k + 1)]) {
                bwd[at(k + 1)]
            } else {
                bwd[at(k - 1)] + 1
            };
            let mut y = x - k;
            while x < n && y < m && a[(n - x - 1) as usize] == b[(m - y - 1) as usize] {
                x += 1;
                y += 1;
            }
            bwd[at(k)] = x;
            let ahead = delta - k;
            if delta % 2 == 0 && ahead >= -d && ahead <= d && fwd[at(ahead)] + x >= n {
                let fx = fwd[at(ahead)];
                return (fx as usize, (fx - ahead) as usize);
            }
        }
    }
    // Unreachable: the two paths meet by d = (n + m + 1) / 2.
    (0, 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Both texts, rebuilt from the diff.
    fn sides(lines: &[Line]) -> (String, String) {
        let mut old = String::new();
        let mut new = String::new();
        for l in lines {
            let text = format!("{}{}", l.text, if l.newline { "\n" } else { "" });
            if l.op != Op::Added {
                old.push_str(&text);
            }
            if l.op != Op::Removed {
                new.push_str(&text);
            }
        }
        (old, new)
    }

    fn changes(lines: &[Line]) -> usize {
        lines.iter().filter(|l| l.op != Op::Same).count()
    }

    /// The length of a longest common subsequence of lines, the slow way.
    fn lcs(old: &str, new: &str) -> usize {
        let (a, b) = (split(old), split(new));
        let mut row = vec![0usize; b.len() + 1];
        for x in &a {
            let mut diag = 0;
            for (j, y) in b.iter().enumerate() {
                let up = row[j + 1];
                row[j + 1] = if x == y { diag + 1 } else { up.max(row[j]) };
                diag = up;
            }
        }
        row[b.len()]
    }

    fn check(old: &str, new: &str) -> Vec<Line> {
        let d = lines(old, new);
        assert_eq!(sides(&d), (old.to_string(), new.to_string()));
        let (a, b) = (split(old).len(), split(new).len());
        assert_eq!(changes(&d), a + b - 2 * lcs(old, new), "{old:?} → {new:?}");
        d
    }

    #[test]
    fn empty_sides() {
        assert!(lines("", "").is_empty());
        let d = check("", "a\nb\n");
        assert!(d.iter().all(|l| l.op == Op::Added));
        assert_eq!(d[1].new, Some(2));
        let d = check("a\nb\n", "");
        assert!(d.iter().all(|l| l.op == Op::Removed && l.new.is_none()));
    }

    #[test]
    fn identical_texts_have_no_hunk() {
        let d = check("a\nb\nc\n", "a\nb\nc\n");
        assert!(d.iter().all(|l| l.op == Op::Same));
        assert_eq!(d[2].old, Some(3));
        assert_eq!(d[2].new, Some(3));
        assert!(hunks(&d, 3).is_empty());
    }

    #[test]
    fn a_missing_final_newline_is_a_change() {
        let d = check("a\nb", "a\nb\n");
        assert_eq!(changes(&d), 2);
        assert_eq!(d[1].text, "b");
        assert!(!d[1].newline && d[1].op == Op::Removed);
        assert!(d[2].newline && d[2].op == Op::Added);
    }

    #[test]
    fn crlf_lines_lose_their_line_break_in_the_text() {
        let d = lines("a\r\nb\r\n", "a\r\nc\r\n");
        assert_eq!(d.len(), 3);
        assert_eq!(d[0].text, "a");
        assert_eq!((d[1].op, d[1].text.as_str()), (Op::Removed, "b"));
        assert_eq!((d[2].op, d[2].text.as_str()), (Op::Added, "c"));
    }

    #[test]
    fn an_inserted_block_in_the_middle() {
        let d = check("a\nb\nc\nd\n", "a\nb\nx\ny\nc\nd\n");
        let added: Vec<_> = d.iter().filter(|l| l.op == Op::Added).collect();
        assert_eq!(added.len(), 2);
        assert_eq!(added[0].new, Some(3));
        assert_eq!(added[1].new, Some(4));
    }

    #[test]
    fn shortest_on_many_small_cases() {
        // Every pair of texts over a small alphabet, so ties and repeats are all met.
        let texts: Vec<String> = (0..3u32.pow(5))
            .map(|mut n| {
                let len = (n % 6) as usize;
                n /= 2;
                (0..len)
                    .map(|_| {
                        let c = ["a\n", "b\n", "c\n"][(n % 3) as usize];
                        n /= 3;
                        c
                    })
                    .collect()
            })
            .collect();
        for old in texts.iter().step_by(3) {
            for new in texts.iter().step_by(2) {
                check(old, new);
            }
        }
    }

    #[test]
    fn hunks_keep_context_and_merge_close_changes() {
        let old: String = (1..=30).map(|i| format!("{i}\n")).collect();
        let new: String = (1..=30)
            .filter(|&i| i != 25)
            .map(|i| match i {
                5 => "five\n".to_string(),
                8 => "eight\n".to_string(),
                _ => format!("{i}\n"),
            })
            .collect();
        let d = check(&old, &new);
        let h = hunks(&d, 2);
        assert_eq!(h.len(), 2);
        // Lines 3 to 10 of the old text: 5 and 8 changed, two lines of context around.
        assert_eq!((h[0].old_start, h[0].old_len), (3, 8));
        assert_eq!((h[0].new_start, h[0].new_len), (3, 8));
        assert_eq!(h[0].lines.first().map(|l| l.text.as_str()), Some("3"));
        assert_eq!(h[0].lines.last().map(|l| l.text.as_str()), Some("10"));
        assert_eq!((h[1].old_start, h[1].old_len), (23, 5));
        assert_eq!((h[1].new_start, h[1].new_len), (23, 4));
        let h = hunks(&d, 0);
        assert_eq!(h.len(), 3);
        assert_eq!(
            (h[2].old_start, h[2].old_len, h[2].new_start, h[2].new_len),
            (25, 1, 24, 0)
        );
    }

    #[test]
    fn a_hunk_at_the_start_of_an_empty_file() {
        let d = check("", "a\n");
        let h = hunks(&d, 3);
        assert_eq!(
            (h[0].old_start, h[0].old_len, h[0].new_start, h[0].new_len),
            (0, 0, 1, 1)
        );
    }

    #[test]
    fn large_inputs_stay_fast() {
        let old: String = (0..5000).map(|i| format!("line {i}\n")).collect();
        let mut new = old.replace("line 2500\n", "changed\n");
        new.push_str("end\n");
        let d = lines(&old, &new);
        assert_eq!(d.len(), 5002);
        assert_eq!(changes(&d), 3);
        assert_eq!(sides(&d), (old.clone(), new));
        // Two unrelated texts: every line changes, in memory linear in their length.
        let other: String = (0..5000).map(|i| format!("other {i}\n")).collect();
        let d = lines(&old, &other);
        assert_eq!(changes(&d), 10_000);
        assert_eq!(sides(&d), (old, other));
    }
}
