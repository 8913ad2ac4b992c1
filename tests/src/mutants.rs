//! A differential mutant generator: valid manifests (the seeds) broken in the ways learners
//! break them, one mutation each, seeded and reproducible. `cargo xtask differential` sends every
//! mutant to the real API server and compares its verdict with the validator's.

pub mod ask;
pub mod compare;
mod edit;
pub mod families;
pub mod main;
pub mod outline;
pub mod report;
pub mod rng;
pub mod sample;
pub mod seeds;
pub mod server;

use std::collections::HashSet;

pub use families::Family;
use rng::Rng;

/// One file of a mutant's workspace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct File {
    pub path: String,
    pub text: String,
}

/// A broken workspace of one or more files, and how it was broken.
#[derive(Debug, Clone)]
pub struct Mutant {
    /// `<seed>-<index>`: the same run seed gives the same mutant under the same id.
    pub id: String,
    pub family: Family,
    /// The kind of the seed's (first) object.
    pub kind: String,
    /// The seed it comes from.
    pub seed: String,
    pub description: String,
    pub files: Vec<File>,
}

impl Mutant {
    pub fn lines(&self) -> usize {
        self.files.iter().map(|f| f.text.lines().count()).sum()
    }
}

/// What to generate.
#[derive(Debug, Clone, Copy)]
pub struct Plan {
    pub seed: u64,
    pub count: usize,
    /// Mutants of one file longer than this are drawn again (`None`: any length).
    pub max_lines: Option<usize>,
}

/// `plan.count` distinct mutants (fewer if the seeds run out of them), the families taken in
/// turn, the seed drawn at random. A family that finds nothing new in 256 draws is done.
pub fn generate(plan: &Plan) -> Vec<Mutant> {
    let singles = seeds::single();
    let workspaces = seeds::workspaces();
    let mut seen = HashSet::new();
    let mut out = Vec::with_capacity(plan.count);
    let mut done = [false; Family::ALL.len()];
    let mut index = 0u64;
    let mut round = 0usize;
    while out.len() < plan.count && !done.iter().all(|d| *d) {
        let turn = round % Family::ALL.len();
        round += 1;
        if done[turn] {
            continue;
        }
        let family = Family::ALL[turn];
        done[turn] = true;
        // A family that finds nothing in a seed, or a mutant already made, draws again.
        for _ in 0..256 {
            let mut rng = Rng::for_mutant(plan.seed, index);
            index += 1;
            let pool = if family.crosses_files() {
                &workspaces
            } else {
                &singles
            };
            let Some(seed) = rng.pick(pool) else { break };
            let Some(mutant) = mutate(&mut rng, family, seed) else {
                continue;
            };
            let too_long = plan
                .max_lines
                .is_some_and(|max| !family.crosses_files() && mutant.lines() > max);
            let key: Vec<&str> = mutant.files.iter().map(|f| f.text.as_str()).collect();
            if too_long || !seen.insert(key.concat()) {
                continue;
            }
            out.push(Mutant {
                id: format!("{}-{}", plan.seed, out.len()),
                ..mutant
            });
            done[turn] = false;
            break;
        }
    }
    out
}

fn mutate(rng: &mut Rng, family: Family, seed: &seeds::Seed) -> Option<Mutant> {
    let mut files = seed.files.clone();
    let description = if family.crosses_files() {
        families::cross_file(rng, &mut files)?
    } else {
        let (_, text) = files.first_mut()?;
        let entries = outline::entries(text);
        let mut lines = edit::Lines::new(text);
        let description = families::mutate_file(family, rng, &mut lines, &entries)?;
        let new = lines.text();
        if new == *text {
            return None;
        }
        *text = new;
        description
    };
    if files == seed.files {
        return None;
    }
    Some(Mutant {
        id: String::new(),
        family,
        kind: seed.kind.clone(),
        seed: seed.name.clone(),
        description,
        files: files
            .into_iter()
            .map(|(path, text)| File { path, text })
            .collect(),
    })
}

#[cfg(test)]
mod tests_generate;
