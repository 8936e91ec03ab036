//! Views and printers for trade-based screening (`osa screen`), critical raw materials supply risk
//! (`osa crm`) and GeoPolRisk (`osa geopolrisk`). The views are plain serializable rows that the
//! CLI fills from osa-trade's results; JSON fields are documented in docs/trade.md.

mod crm;
mod geopolrisk;
mod panel;
mod panel_parquet;
mod screen;
mod screen_by;

pub use crm::{CRM_FORMULA, CrmRow, CrmSide, CrmTerm, render_crm};
pub use geopolrisk::{GPR_FORMULA, GprRow, GprSupplier, render_geopolrisk};
pub use panel::{
    ChurnRow, PanelRow, SpellRow, dependent_chart, render_churn, render_panel, render_spells,
};
pub use panel_parquet::{
    PANEL_SCHEMA, PanelBatch, PanelFigures, PanelParquetWriter, panel_parquet,
};
pub use screen::{Passes, SCREEN_FORMULA, ScreenRow, SupplierShare, render_screen};
pub use screen_by::{
    GroupRow, InputRow, SupplierRow, render_groups, render_inputs, render_suppliers,
};

fn value_m(v: f64) -> String {
    format!("{:.1}", v / 1000.0)
}

/// The ratio that stands for "no extra-bloc exports" in JSON (CEPII GeoDep's 9999).
fn screen_no_exports() -> f64 {
    9999.0
}

fn ratio_text(r: f64) -> String {
    if r >= screen_no_exports() {
        "no exports".into()
    } else {
        format!("{r:.2}")
    }
}
