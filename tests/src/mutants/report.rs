//! The differential run's report: a table by family, then every disagreement in full
//! (`report.md`), and one JSON record per mutant (`report.jsonl`).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde_json::json;

use super::compare::{Agreement, Comparison};
use super::server::ServerVerdict;
use super::{Family, Mutant};

/// The counts of one row of the table.
#[derive(Debug, Default, Clone, Copy)]
pub struct Counts {
    pub mutants: usize,
    pub server_refuses: usize,
    pub we_refuse: usize,
    pub misses: usize,
    pub false_errors: usize,
    pub line_checked: usize,
    pub wrong_line: usize,
}

impl Counts {
    fn add(&mut self, s: &ServerVerdict, c: &Comparison) {
        self.mutants += 1;
        self.server_refuses += usize::from(s.refused);
        self.we_refuse += usize::from(!c.ours.is_empty());
        self.misses += usize::from(c.agreement == Agreement::Miss);
        self.false_errors += usize::from(c.agreement == Agreement::FalseError);
        self.line_checked += usize::from(c.line_right.is_some());
        self.wrong_line += usize::from(c.line_right == Some(false));
    }

    fn row(&self, name: &str) -> String {
        format!(
            "| {name} | {} | {} | {} | {} | {} | {} | {} |\n",
            self.mutants,
            self.server_refuses,
            self.we_refuse,
            self.misses,
            self.false_errors,
            self.line_checked,
            self.wrong_line
        )
    }
}

/// The table by family, with the totals last.
pub fn table(results: &[(&Mutant, &ServerVerdict, &Comparison)]) -> String {
    let mut by_family: BTreeMap<Family, Counts> = BTreeMap::new();
    let mut total = Counts::default();
    for (m, s, c) in results {
        by_family.entry(m.family).or_default().add(s, c);
        total.add(s, c);
    }
    let mut out = String::from(
        "| family | mutants | server refuses | we refuse | misses | false errors | line checked | wrong line |\n\
         |---|---:|---:|---:|---:|---:|---:|---:|\n",
    );
    for (family, counts) in &by_family {
        out.push_str(&counts.row(family.name()));
    }
    out.push_str(&total.row("**all**"));
    out
}

fn fenced(m: &Mutant) -> String {
    let mut out = String::new();
    for f in &m.files {
        let _ = write!(out, "`{}`:\n\n```yaml\n{}```\n\n", f.path, f.text);
    }
    out
}

fn ours(c: &Comparison) -> String {
    if c.ours.is_empty() {
        return "no error\n".to_owned();
    }
    c.ours
        .iter()
        .map(|e| format!("- {}:{} `{}` {}\n", e.file, e.line, e.code, e.message))
        .collect()
}

/// The whole report in Markdown.
pub fn markdown(title: &str, results: &[(&Mutant, &ServerVerdict, &Comparison)]) -> String {
    let mut out = format!("# {title}\n\n");
    out.push_str(
        "Misses: the API server refuses, we find no error. False errors: the API server accepts, \
         we report an error. Line checked: both refuse and the API server names a field found in \
         the mutant; wrong line: our first error is not on that field's line.\n\n",
    );
    out.push_str(&table(results));
    for (heading, wanted) in [
        ("False errors", Agreement::FalseError),
        ("Misses", Agreement::Miss),
    ] {
        let list: Vec<_> = results
            .iter()
            .filter(|(_, _, c)| c.agreement == wanted)
            .collect();
        let _ = write!(out, "\n## {heading} ({})\n", list.len());
        for (m, s, c) in list {
            let _ = write!(
                out,
                "\n### {} — {} — {}\n\n{} (seed `{}`, {})\n\nAPI server: {}\n\nOurs: {}\n{}",
                m.id,
                m.family.name(),
                c.agreement.name(),
                m.description,
                m.seed,
                m.kind,
                if s.refused {
                    s.message.as_str()
                } else {
                    "accepted"
                },
                ours(c),
                fenced(m)
            );
        }
    }
    let wrong: Vec<_> = results
        .iter()
        .filter(|(_, _, c)| c.line_right == Some(false))
        .collect();
    let _ = write!(out, "\n## Right verdict, wrong line ({})\n\n", wrong.len());
    for (m, s, c) in wrong {
        let (file, line) = c.server_line.clone().unwrap_or_default();
        let first = c.ours.first();
        let _ = writeln!(
            out,
            "- {} ({}): {} — the API server names `{}` ({file}:{line}); our first error is at {}:{} `{}`",
            m.id,
            m.family.name(),
            m.description,
            s.field.as_deref().unwrap_or(""),
            first.map_or("", |e| e.file.as_str()),
            first.map_or(0, |e| e.line),
            first.map_or("", |e| e.code.as_str()),
        );
    }
    out
}

/// One JSON line per mutant.
pub fn jsonl(results: &[(&Mutant, &ServerVerdict, &Comparison)]) -> String {
    let mut out = String::new();
    for (m, s, c) in results {
        let record = json!({
            "id": m.id,
            "family": m.family.name(),
            "kind": m.kind,
            "seed": m.seed,
            "description": m.description,
            "files": m.files.iter().map(|f| json!({"path": f.path, "text": f.text})).collect::<Vec<_>>(),
            "server": {
                "refused": s.refused,
                "message": s.message,
                "field": s.field,
                "line": c.server_line.as_ref().map(|(f, l)| json!({"file": f, "line": l})),
            },
            "ours": c.ours.iter().map(|e| json!({"file": e.file, "line": e.line, "code": e.code, "message": e.message})).collect::<Vec<_>>(),
            "agreement": c.agreement.name(),
            "line_right": c.line_right,
        });
        out.push_str(&record.to_string());
        out.push('\n');
    }
    out
}
