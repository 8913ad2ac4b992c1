//! The join link as a QR code for the projector: the module matrix from the `qrcode` crate, drawn
//! here as one SVG path (a run of dark modules per rectangle) with the quiet zone the standard asks
//! for around it.

use qrcode::{Color, EcLevel, QrCode};

/// The light margin around the code, in modules (the standard's minimum).
pub const QUIET: usize = 4;

/// A QR code's modules, row by row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Matrix {
    /// Modules per side.
    pub width: usize,
    dark: Vec<bool>,
}

impl Matrix {
    /// The code of `text` (error correction M: the projector's glare costs a few modules);
    /// `None` when the text is too long for any QR code.
    pub fn of(text: &str) -> Option<Self> {
        let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).ok()?;
        let width = code.width();
        let dark = code
            .to_colors()
            .into_iter()
            .map(|c| c == Color::Dark)
            .collect();
        Some(Self { width, dark })
    }

    pub fn is_dark(&self, x: usize, y: usize) -> bool {
        x < self.width && y < self.width && self.dark[y * self.width + x]
    }

    /// The SVG's side, in modules, quiet zone included.
    pub fn side(&self) -> usize {
        self.width + 2 * QUIET
    }

    /// The path of the dark modules: one rectangle per horizontal run, in module units, shifted
    /// by the quiet zone.
    pub fn path(&self) -> String {
        let mut d = String::new();
        for y in 0..self.width {
            let mut x = 0;
            while x < self.width {
                if !self.is_dark(x, y) {
                    x += 1;
                    continue;
                }
                let start = x;
                while self.is_dark(x, y) {
                    x += 1;
                }
                let run = x - start;
                d.push_str(&format!("M{} {}h{run}v1h-{run}z", start + QUIET, y + QUIET));
            }
        }
        d
    }

    /// A standalone SVG that scales to its box (`crispEdges`: no blur between modules).
    pub fn svg(&self, label: &str) -> String {
        let side = self.side();
        format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {side} {side}\" \
             shape-rendering=\"crispEdges\" role=\"img\" aria-label=\"{}\">\
             <rect width=\"{side}\" height=\"{side}\" fill=\"#fff\"/>\
             <path fill=\"#000\" d=\"{}\"/></svg>",
            escape(label),
            self.path()
        )
    }
}

/// `text` safe inside an XML attribute.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    const LINK: &str = "https://192.168.1.20:8443/#join=7kq2m9xw4hz3";

    /// The 7×7 finder pattern: a dark ring, a light ring, a dark 3×3 centre.
    fn finder_at(m: &Matrix, left: usize, top: usize) -> bool {
        (0..7).all(|dy| {
            (0..7).all(|dx| {
                let ring = dx.min(dy).min(6 - dx).min(6 - dy);
                m.is_dark(left + dx, top + dy) == (ring != 1)
            })
        })
    }

    #[test]
    fn a_join_link_has_the_size_of_its_version_and_three_finder_patterns() {
        let m = Matrix::of(LINK).expect("a short link fits");
        // 45 bytes at level M: version 4, 17 + 4 × 4 modules.
        assert_eq!(m.width, 33);
        assert!(finder_at(&m, 0, 0));
        assert!(finder_at(&m, m.width - 7, 0));
        assert!(finder_at(&m, 0, m.width - 7));
        assert!(!finder_at(&m, m.width - 7, m.width - 7));
    }

    #[test]
    fn the_svg_is_square_with_a_quiet_zone_and_draws_the_finders() {
        let m = Matrix::of(LINK).expect("a short link fits");
        let svg = m.svg("Join \"class\"");
        assert!(svg.contains("viewBox=\"0 0 41 41\""), "{svg}");
        assert!(svg.contains("aria-label=\"Join &quot;class&quot;\""));
        // The top row of each finder is one run of seven dark modules, inside the margin.
        assert!(svg.contains("M4 4h7v1h-7z"), "top left");
        assert!(
            svg.contains(&format!("M{} 4h7v1h-7z", 4 + 33 - 7)),
            "top right"
        );
        assert!(
            svg.contains(&format!("M4 {}h7v1h-7z", 4 + 33 - 7)),
            "bottom left"
        );
        // Nothing is drawn in the quiet zone.
        assert!(!svg.contains("M0 ") && !svg.contains("M1 ") && !svg.contains("M3 "));
    }

    #[test]
    fn too_long_a_text_has_no_code() {
        assert!(Matrix::of(&"x".repeat(5000)).is_none());
    }
}
