//! The layout as reactive state: the window's width, projector mode and the learner's choices,
//! kept in the browser's storage and mirrored on the root element for the style sheet.

use leptos::prelude::*;

use super::{Choices, Mode, PROJECTOR_SCALE, PaneId, Shown};
use crate::workspace;

/// Shared by the header, the panes and their dividers.
#[derive(Clone, Copy)]
pub struct Layout {
    /// The viewport's width in CSS pixels (browser zoom included).
    pub width: RwSignal<f64>,
    pub projector: RwSignal<bool>,
    pub choices: RwSignal<Choices>,
    pub mode: Memo<Mode>,
}

fn scale_of(projector: bool) -> f64 {
    if projector { PROJECTOR_SCALE } else { 1.0 }
}

fn query(name: &str) -> Option<String> {
    let search = web_sys::window()?.location().search().ok()?;
    web_sys::UrlSearchParams::new_with_str(&search)
        .ok()?
        .get(name)
}

fn viewport_width() -> f64 {
    web_sys::window()
        .and_then(|w| w.inner_width().ok())
        .and_then(|w| w.as_f64())
        .unwrap_or(1280.0)
}

impl Layout {
    /// Read the saved choices, follow the window's size, and keep the root element's
    /// `data-layout`, `data-focus` and `projector` class up to date.
    pub fn start() -> Self {
        let width = RwSignal::new(viewport_width());
        // `?projector=on` (or `off`) in the address wins over the last choice: a bookmark for
        // the classroom.
        let asked = query("projector");
        let saved = workspace::setting("projector");
        let projector = RwSignal::new(asked.or(saved).as_deref() == Some("on"));
        let choices = RwSignal::new(
            workspace::setting("layout")
                .map(|s| Choices::from_setting(&s))
                .unwrap_or_default(),
        );
        let mode = Memo::new(move |_| Mode::for_width(width.get(), scale_of(projector.get())));
        let resize = window_event_listener(leptos::ev::resize, move |_| {
            width.set(viewport_width());
        });
        on_cleanup(move || resize.remove());
        Effect::new(move |_| {
            let on = projector.get();
            let mode = mode.get();
            let focus = choices.with(|c| c.focus.filter(|_| mode != Mode::Narrow));
            if let Some(root) = document().document_element() {
                let _ = root.class_list().toggle_with_force("projector", on);
                let _ = root.set_attribute("data-layout", mode.code());
                let _ = root.set_attribute("data-focus", focus.map_or("none", PaneId::code));
            }
        });
        Effect::new(move |_| {
            workspace::set_setting("projector", if projector.get() { "on" } else { "off" });
        });
        Effect::new(move |_| {
            workspace::set_setting("layout", &choices.with(Choices::to_setting));
        });
        Self {
            width,
            projector,
            choices,
            mode,
        }
    }

    pub fn scale(&self) -> f64 {
        scale_of(self.projector.get())
    }

    /// The same, read from an event handler (outside any reactive context).
    pub fn scale_untracked(&self) -> f64 {
        scale_of(self.projector.get_untracked())
    }

    pub fn shown(&self, pane: PaneId) -> Shown {
        let mode = self.mode.get();
        self.choices.with(|c| c.shown(mode, pane))
    }

    /// The grid columns of the panes area.
    pub fn columns(&self) -> String {
        let (mode, width, scale) = (self.mode.get(), self.width.get(), self.scale());
        self.choices.with(|c| c.columns(mode, width, scale))
    }

    /// Show `pane` alone (narrow) or beside the worksheet (medium).
    pub fn choose(&self, pane: PaneId) {
        self.choices.update(|c| {
            c.chosen = pane;
            c.focus = None;
        });
    }

    /// Enlarge `pane`, or give every pane its column back when it is the enlarged one.
    pub fn toggle_focus(&self, pane: PaneId) {
        self.choices.update(|c| {
            c.focus = if c.focus == Some(pane) {
                None
            } else {
                Some(pane)
            }
        });
    }

    /// Make sure `pane` is on screen in full (the learner asked for something it shows).
    pub fn reveal(&self, pane: PaneId) {
        if self.shown_untracked(pane) == Shown::Open {
            return;
        }
        self.choices.update(|c| {
            if c.focus.is_some() && self.mode.get_untracked() != Mode::Narrow {
                c.focus = Some(pane);
            } else {
                c.chosen = pane;
            }
        });
    }

    fn shown_untracked(&self, pane: PaneId) -> Shown {
        let mode = self.mode.get_untracked();
        self.choices.with_untracked(|c| c.shown(mode, pane))
    }
}
