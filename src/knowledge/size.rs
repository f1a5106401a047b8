//! Image sizes with their provenance, and the like-for-like comparison suggestions show.

use serde::{Deserialize, Serialize};

use super::model::Source;

/// Which number a size is: the two differ by 2-3x, so only equal measures are compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SizeMeasure {
    /// Registry transfer size of one platform's layers ("Total Size" in repo-info remote/).
    Compressed,
    /// Unpacked size on disk ("Virtual Size" in repo-info local/).
    OnDisk,
    /// A publisher's round figure that does not say which (e.g. distroless "around 2 MiB").
    Unspecified,
}

impl SizeMeasure {
    /// Words for messages: "compressed", "on disk", "" for unspecified.
    pub fn describe(self) -> &'static str {
        match self {
            SizeMeasure::Compressed => "compressed",
            SizeMeasure::OnDisk => "on disk",
            SizeMeasure::Unspecified => "",
        }
    }
}

/// The one measure that size comparisons, savings and the summary's estimate use: the
/// registry's compressed size (what a pull downloads), which the knowledge base has for the
/// most images. A saving is only ever computed between two figures of this measure.
pub const ESTIMATE_MEASURE: SizeMeasure = SizeMeasure::Compressed;

/// One measured size of one image tag.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Size {
    /// Megabytes (10^6 bytes, as repo-info reports them).
    pub megabytes: f64,
    pub measure: SizeMeasure,
    /// The image the figure was measured on, e.g. `python:3.12-slim`. A size stands for its
    /// whole class (all python slim tags), so messages should say what was measured.
    pub measured_on: String,
    /// Platform architecture, e.g. `amd64`.
    pub arch: Option<String>,
    /// Build date of the measured image (or date of the statement).
    pub date: String,
    /// Source, with the file and commit the figure was read from.
    pub source: Source,
    pub note: Option<String>,
}

impl Size {
    /// Human form with a tilde, because sizes drift with every rebuild: `~1.1 GB`, `~119 MB`.
    pub fn human(&self) -> String {
        format_megabytes(self.megabytes)
    }
}

/// Format megabytes the way messages show sizes: `~1.1 GB` from 1000 MB up, whole megabytes
/// from 10 MB, one decimal below (`~3.8 MB`).
pub fn format_megabytes(megabytes: f64) -> String {
    if !megabytes.is_finite() || megabytes < 0.0 {
        return "~? MB".to_string();
    }
    let (number, unit) = if megabytes >= 999.5 {
        (format!("{:.1}", megabytes / 1000.0), "GB")
    } else if megabytes >= 9.95 {
        (format!("{megabytes:.0}"), "MB")
    } else {
        (format!("{megabytes:.1}"), "MB")
    };
    let number = number.strip_suffix(".0").unwrap_or(&number);
    format!("~{number} {unit}")
}

/// Sizes of the current image and of a suggested one, measured the same way.
#[derive(Debug, Clone, PartialEq)]
pub struct SizeChange {
    pub from: Size,
    pub to: Size,
}

impl SizeChange {
    /// The comparison to show: both sizes of [`ESTIMATE_MEASURE`], or none. Never a mix of
    /// measures, which would be off by 2-3x, and never a publisher's unspecified figure.
    pub(crate) fn between(from: &[Size], to: &[Size]) -> Option<SizeChange> {
        let from = from.iter().find(|size| size.measure == ESTIMATE_MEASURE)?;
        let to = to.iter().find(|size| size.measure == ESTIMATE_MEASURE)?;
        // The same figure on both sides says nothing about the change.
        if from.measured_on == to.measured_on {
            return None;
        }
        Some(SizeChange {
            from: from.clone(),
            to: to.clone(),
        })
    }

    /// One line for messages, e.g.
    /// `~1.1 GB -> ~119 MB on disk (python:3.12 vs python:3.12-slim, amd64, repo-info
    /// 2026-08-13/2026-07-14)`.
    pub fn describe(&self) -> String {
        let arch = self
            .from
            .arch
            .as_deref()
            .map(|arch| format!(", {arch}"))
            .unwrap_or_default();
        let dates = if self.from.date == self.to.date {
            self.from.date.clone()
        } else {
            format!("{}/{}", self.from.date, self.to.date)
        };
        format!(
            "{} -> {} {} ({} vs {}{}, {} {})",
            self.from.human(),
            self.to.human(),
            self.from.measure.describe(),
            self.from.measured_on,
            self.to.measured_on,
            arch,
            self.from.source.id,
            dates
        )
    }
}
