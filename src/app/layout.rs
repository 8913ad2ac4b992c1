//! Where the three panes go: how many fit side by side at this width, which one the learner
//! chose to see, which one is enlarged, and how wide each is. Pure rules here (tested natively);
//! the reactive state and the components that follow them are in `layout/`.

mod divider;
mod state;
mod view;

pub use divider::Divider;
pub use state::Layout;
pub use view::{Pane, PaneSwitch, PointerHalo};

/// The font scale of projector mode (`--scale` in the style sheet).
pub const PROJECTOR_SCALE: f64 = 1.45;
/// The narrowest a pane may be beside another, in CSS pixels at the normal type scale.
pub const MIN_PANE: f64 = 300.0;
/// The width a pane should keep for the layout to put it beside others.
pub const COMFORTABLE_PANE: f64 = 320.0;
/// The width of a divider between two panes (`--divider` in the style sheet).
pub const DIVIDER: f64 = 8.0;

/// The three panes, in page order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PaneId {
    Fiche,
    Workspace,
    Cluster,
}

impl PaneId {
    pub const ALL: [Self; 3] = [Self::Fiche, Self::Workspace, Self::Cluster];

    pub fn index(self) -> usize {
        match self {
            Self::Fiche => 0,
            Self::Workspace => 1,
            Self::Cluster => 2,
        }
    }

    /// The name in settings, element ids and class names.
    pub fn code(self) -> &'static str {
        match self {
            Self::Fiche => "fiche",
            Self::Workspace => "workspace",
            Self::Cluster => "cluster",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.code() == code)
    }

    /// The key of the pane's name in `i18n`.
    pub fn label_key(self) -> &'static str {
        match self {
            Self::Fiche => "pane.fiche",
            Self::Workspace => "pane.workspace",
            Self::Cluster => "pane.cluster",
        }
    }
}

/// How many panes stand side by side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Three columns, two dividers.
    Wide,
    /// The worksheet beside the manifests or the cluster, as the learner chooses.
    Medium,
    /// One pane at a time.
    Narrow,
}

impl Mode {
    /// The mode for a viewport `width` CSS pixels wide at type `scale`: projector mode's larger
    /// type makes 1280 px behave like 880. Browser zoom is already in `width` (200 % halves it).
    pub fn for_width(width: f64, scale: f64) -> Self {
        let effective = width / scale.max(0.1);
        if effective >= 3.0 * COMFORTABLE_PANE + 2.0 * DIVIDER {
            Self::Wide
        } else if effective >= 2.0 * COMFORTABLE_PANE + DIVIDER {
            Self::Medium
        } else {
            Self::Narrow
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Self::Wide => "wide",
            Self::Medium => "medium",
            Self::Narrow => "narrow",
        }
    }
}

/// What a pane looks like in the current arrangement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shown {
    /// A column of its own (the only one, or beside others).
    Open,
    /// Shrunk to a narrow bar with its name, which enlarges it when pressed.
    Strip,
    /// Not on screen (narrow and medium modes, where the learner picks what to see).
    Hidden,
}

impl Shown {
    pub fn code(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Strip => "strip",
            Self::Hidden => "hidden",
        }
    }
}

/// The learner's choices, independent of the window: kept across visits.
#[derive(Debug, Clone, PartialEq)]
pub struct Choices {
    /// The pane to show alone (narrow), or beside the worksheet (medium; the worksheet itself
    /// there means the manifests).
    pub chosen: PaneId,
    /// The pane enlarged, the others shrunk to strips (wide and medium only).
    pub focus: Option<PaneId>,
    /// The share of each pane in wide mode (sums to 1).
    pub wide: [f64; 3],
    /// The worksheet's share in medium mode.
    pub medium: f64,
}

impl Default for Choices {
    fn default() -> Self {
        Self {
            chosen: PaneId::Workspace,
            focus: None,
            wide: [0.36, 0.39, 0.25],
            medium: 0.45,
        }
    }
}

impl Choices {
    /// The pane beside the worksheet in medium mode.
    pub fn second(&self) -> PaneId {
        match self.chosen {
            PaneId::Fiche => PaneId::Workspace,
            other => other,
        }
    }

    /// How `pane` appears in `mode`.
    pub fn shown(&self, mode: Mode, pane: PaneId) -> Shown {
        match (mode, self.focus) {
            (Mode::Narrow, _) => {
                if pane == self.chosen {
                    Shown::Open
                } else {
                    Shown::Hidden
                }
            }
            (_, Some(focus)) => {
                if pane == focus {
                    Shown::Open
                } else {
                    Shown::Strip
                }
            }
            (Mode::Wide, None) => Shown::Open,
            (Mode::Medium, None) => {
                if pane == PaneId::Fiche || pane == self.second() {
                    Shown::Open
                } else {
                    Shown::Hidden
                }
            }
        }
    }

    /// Whether the divider after `pane` (the worksheet or the manifests) is on screen.
    pub fn divider_shown(&self, mode: Mode, after: PaneId) -> bool {
        match (mode, self.focus) {
            (Mode::Narrow, _) | (_, Some(_)) => false,
            (Mode::Wide, None) => after != PaneId::Cluster,
            // One divider between the worksheet and the pane beside it.
            (Mode::Medium, None) => after == PaneId::Fiche,
        }
    }

    /// The CSS grid columns of the panes area, in page order of what is on screen
    /// (pane, divider, pane…), for a panes area `width` CSS pixels wide at type `scale`.
    pub fn columns(&self, mode: Mode, width: f64, scale: f64) -> String {
        let fr = |share: f64| format!("minmax(0, {:.4}fr)", share);
        match (mode, self.focus) {
            (Mode::Narrow, _) => "minmax(0, 1fr)".to_owned(),
            (_, Some(focus)) => PaneId::ALL
                .iter()
                .map(|p| {
                    if *p == focus {
                        "minmax(0, 1fr)"
                    } else {
                        "var(--strip)"
                    }
                })
                .collect::<Vec<_>>()
                .join(" "),
            (Mode::Wide, None) => {
                let shares = self.wide_shares(width, scale);
                format!(
                    "{} var(--divider) {} var(--divider) {}",
                    fr(shares[0]),
                    fr(shares[1]),
                    fr(shares[2])
                )
            }
            (Mode::Medium, None) => {
                let first = self.medium_share(width, scale);
                format!("{} var(--divider) {}", fr(first), fr(1.0 - first))
            }
        }
    }

    /// The wide shares, each raised to the smallest width a pane may have in `width`.
    pub fn wide_shares(&self, width: f64, scale: f64) -> [f64; 3] {
        let floor = min_share(width - 2.0 * DIVIDER, scale, 3.0);
        fit(self.wide, floor)
    }

    pub fn medium_share(&self, width: f64, scale: f64) -> f64 {
        let floor = min_share(width - DIVIDER, scale, 2.0);
        self.medium.clamp(floor, 1.0 - floor)
    }

    /// Move the divider after `pane` so that the panes before it end at `share` of the panes'
    /// width (0 = far left, 1 = far right); the panes on each side keep their minimum.
    pub fn move_divider(&mut self, mode: Mode, after: PaneId, share: f64, width: f64, scale: f64) {
        match mode {
            Mode::Medium => {
                let floor = min_share(width - DIVIDER, scale, 2.0);
                self.medium = share.clamp(floor, 1.0 - floor);
            }
            Mode::Wide => {
                let floor = min_share(width - 2.0 * DIVIDER, scale, 3.0);
                let mut s = fit(self.wide, floor);
                match after {
                    PaneId::Fiche => {
                        let first = share.clamp(floor, s[0] + s[1] - floor);
                        s[1] += s[0] - first;
                        s[0] = first;
                    }
                    PaneId::Workspace => {
                        let end = share.clamp(s[0] + floor, 1.0 - floor);
                        s[2] = 1.0 - end;
                        s[1] = end - s[0];
                    }
                    PaneId::Cluster => {}
                }
                self.wide = s;
            }
            Mode::Narrow => {}
        }
    }

    /// The share of the panes' width that `pane` takes when every pane is open.
    pub fn share_of(&self, mode: Mode, pane: PaneId, width: f64, scale: f64) -> f64 {
        match mode {
            Mode::Wide => self.wide_shares(width, scale)[pane.index()],
            Mode::Medium if pane == PaneId::Fiche => self.medium_share(width, scale),
            Mode::Medium => 1.0 - self.medium_share(width, scale),
            Mode::Narrow => 1.0,
        }
    }

    /// Where the divider after `pane` stands and how far it may go, as shares of the panes'
    /// width: `(now, min, max)`.
    pub fn divider_range(
        &self,
        mode: Mode,
        after: PaneId,
        width: f64,
        scale: f64,
    ) -> (f64, f64, f64) {
        match mode {
            Mode::Wide => {
                let floor = min_share(width - 2.0 * DIVIDER, scale, 3.0);
                let s = self.wide_shares(width, scale);
                match after {
                    PaneId::Fiche => (s[0], floor, s[0] + s[1] - floor),
                    _ => (s[0] + s[1], s[0] + floor, 1.0 - floor),
                }
            }
            _ => {
                let floor = min_share(width - DIVIDER, scale, 2.0);
                (self.medium_share(width, scale), floor, 1.0 - floor)
            }
        }
    }

    /// The share of the panes' width before the divider after `pane` when the pointer is at `x`
    /// CSS pixels from the left of a panes area `width` wide.
    pub fn share_at(mode: Mode, after: PaneId, x: f64, width: f64) -> f64 {
        let (dividers, before) = match (mode, after) {
            (Mode::Wide, PaneId::Fiche) => (2.0, 0.0),
            (Mode::Wide, _) => (2.0, 1.0),
            _ => (1.0, 0.0),
        };
        let room = (width - dividers * DIVIDER).max(1.0);
        ((x - before * DIVIDER - DIVIDER / 2.0) / room).clamp(0.0, 1.0)
    }

    /// The choices as kept in the browser's storage: `chosen;focus;wide shares;medium share`.
    pub fn to_setting(&self) -> String {
        format!(
            "{};{};{:.3},{:.3},{:.3};{:.3}",
            self.chosen.code(),
            self.focus.map_or("", PaneId::code),
            self.wide[0],
            self.wide[1],
            self.wide[2],
            self.medium
        )
    }

    /// Read a setting written by `to_setting`; what is missing or damaged keeps its default.
    pub fn from_setting(text: &str) -> Self {
        let mut choices = Self::default();
        let mut parts = text.split(';');
        if let Some(p) = parts.next().and_then(PaneId::parse) {
            choices.chosen = p;
        }
        choices.focus = parts.next().and_then(PaneId::parse);
        let wide: Vec<f64> = parts
            .next()
            .unwrap_or_default()
            .split(',')
            .filter_map(|n| n.parse().ok())
            .collect();
        if let [a, b, c] = wide[..] {
            let sum = a + b + c;
            if [a, b, c].iter().all(|s| s.is_finite() && *s > 0.0) && sum > 0.0 {
                choices.wide = [a / sum, b / sum, c / sum];
            }
        }
        if let Some(m) = parts.next().and_then(|n| n.parse::<f64>().ok())
            && m.is_finite()
            && (0.05..=0.95).contains(&m)
        {
            choices.medium = m;
        }
        choices
    }
}

/// The smallest share of `room` CSS pixels a pane may take at type `scale` beside `panes - 1`
/// others (never more than an equal share).
fn min_share(room: f64, scale: f64, panes: f64) -> f64 {
    if room <= 0.0 {
        return 1.0 / panes;
    }
    (MIN_PANE * scale / room).min(1.0 / panes)
}

/// Raise every share below `floor` to it, taking the difference from the others in proportion
/// to what they have above the floor; the result sums to 1.
pub fn fit(shares: [f64; 3], floor: f64) -> [f64; 3] {
    let sum: f64 = shares.iter().sum();
    let mut s = shares.map(|x| if sum > 0.0 { x / sum } else { 1.0 / 3.0 });
    let lacking: f64 = s.iter().map(|x| (floor - x).max(0.0)).sum();
    if lacking <= 0.0 {
        return s;
    }
    let spare: f64 = s.iter().map(|x| (x - floor).max(0.0)).sum();
    for x in &mut s {
        if *x < floor {
            *x = floor;
        } else if spare > 0.0 {
            *x -= (*x - floor) / spare * lacking;
        }
    }
    s
}

#[cfg(test)]
mod tests;
