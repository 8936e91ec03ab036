//! Views and text printers for steps 2-4: the matrix of technologies x dimensions (osa's reading of
//! the report's text, not its Figure 0.1, which is an image),
//! the four-step dossier of one technology, actors to watch, and the AI-application checklist.
//! JSON fields are documented in docs/json.md.

mod actors;
mod checklist;
mod dossier;
mod dossier_text;
mod matrix;

pub use actors::{
    ACTORS_NOTE, ActorFilter, ActorView, RelevanceView, actors_of, all_actors, render_actors,
};
pub use checklist::render_checklist;
pub use dossier::{
    ComputedView, ConflictView, CounterpartView, DimensionView, DossierView, EcosystemView,
    FactorView, GeopoliticsView, IndicatorView, InputSharesView, InstrumentView, PriorityView,
    RecommendationView, RiskView, TensionView, TriggerView, dossier,
};
pub use dossier_text::{OSA_TIER, REPORT_TIER, render_dossier};
pub use matrix::{
    BASIS_LEGEND, BasisView, EvidenceView, FlagView, MATRIX_CAVEAT, MATRIX_LEGEND, MatrixCell,
    MatrixRow, MatrixView, RangeView, SignalView, construction_notes, judged_cell, matrix,
    matrix_notes, render_matrix, row_name,
};

/// The likelihood model in one line, shown with every geopolitical figure.
pub const LIKELIHOOD_MODEL: &str = "likelihood = clamp(base by the EU's stance + regime + governance + coercion history + legal exposure) x alliance factor (security ally) x (1 - maximum deterrence x EU share of mutual leverage); risk = level/4 x likelihood, beyond tolerance when above the tolerance for the stance and dimension (parameters: the baseline's likelihood settings; osa baseline export writes them for editing)";

/// What a dossier says where osa has no ecosystem data for the technology.
pub const NO_ECOSYSTEM: &str = "osa has no ecosystem data for this technology yet, so step 1 (who supplies each input, chokepoints, mutual dependence) and the computed levels are missing. To add it, name an ecosystem and the inputs the technology rests on in its case file (for example ecosystem = \"semiconductors\", scope = [\"euv-lithography\"]; `osa ecosystem list` names the built-in ecosystems and `osa metrics ECOSYSTEM` their input ids), or pass --ecosystem and --scope to osa assess; osa ecosystem import turns an ETO release into an ecosystem file.";

/// What a dossier says where the case names no counterpart country.
pub const NO_COUNTERPARTS: &str = "No counterpart country is recorded for this technology, so osa cannot say how likely a weaponization of the dependency is. Add the countries the EU depends on to the case file ([[counterparts]] with country, note and source).";

/// "11 technologies (7 case studies, 4 examples)" from the technologies' kinds.
pub fn count_phrase<'a>(kinds: impl Iterator<Item = &'a str>) -> String {
    let (mut cases, mut examples) = (0, 0);
    for k in kinds {
        if k == "example" {
            examples += 1;
        } else {
            cases += 1;
        }
    }
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    format!(
        "{} ({} and {})",
        plural(cases + examples, "technology", "technologies"),
        plural(cases, "case study", "case studies"),
        plural(examples, "example", "examples")
    )
}
