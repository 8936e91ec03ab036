//! EU critical raw materials: supply risk by the 2017 method (European Commission, "Methodology
//! for establishing the EU list of critical raw materials", 2017; docs/trade.md).
//!
//! ```text
//! SR        = [ HHI_WGI,t(GS) · IR/2 + HHI_WGI,t(EU) · (1 − IR/2) ] · (1 − EoL_RIR) · SI_SR
//! HHI_WGI,t = Σ_c S_c² · WGI_c · t_c
//! WGI_c     = 5 − 2 · mean of the six WGI estimates of c   (0-10, higher = worse governance)
//! ```
//!
//! S_c is a country's share (0-1) of global supply (GS) or of actual EU sourcing (EU) at one stage
//! (E extraction, P processing); t_c the trade variable (export restrictions raise it above 1, an
//! EU trade agreement lowers it to 0.8); IR the net import reliance; EoL_RIR the end-of-life
//! recycling input rate; SI_SR the substitution index for supply risk. When one side has no data,
//! the other side's term alone is used, undivided ("GS only" / "EU sourcing only"), which needs no
//! IR. SR is computed per stage; the reported SR is the bottleneck, the largest.
//!
//! Conventions for gaps (documented in docs/trade.md): a share written `<0.1%` counts as half the
//! bound (0.05%); a country without six WGI estimates for the year gets WGI_c = 5, the scale's
//! midpoint, and is listed in `missing_wgi`. WGI_c is clamped to 0-10.

use osa_model::CountryCode;
use std::fmt;

/// A stage of the value chain, as the CRM study assesses it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Stage {
    /// Extraction (mining).
    Extraction,
    /// Processing (refining).
    Processing,
}

impl Stage {
    /// `E` or `P`, as the study writes it.
    pub fn letter(self) -> &'static str {
        match self {
            Stage::Extraction => "E",
            Stage::Processing => "P",
        }
    }

    /// Parses `E` or `P`.
    pub fn parse(s: &str) -> Option<Stage> {
        match s.trim() {
            "E" | "e" => Some(Stage::Extraction),
            "P" | "p" => Some(Stage::Processing),
            _ => None,
        }
    }
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.letter())
    }
}

/// One country's share at a stage, as the study's table gives it.
#[derive(Debug, Clone, PartialEq)]
pub struct ShareRow {
    /// The country as written (`Korea, South`).
    pub name: String,
    /// The country it resolves to.
    pub country: Option<CountryCode>,
    /// The share as written (`93.8%`, `<0.1%`).
    pub share_text: String,
    /// The share, 0-1.
    pub share: f64,
    /// The trade variable t_c.
    pub t: f64,
    /// Line in the source file.
    pub line: usize,
}

/// One term of a weighted HHI.
#[derive(Debug, Clone, PartialEq)]
pub struct Term {
    /// The row behind it.
    pub row: ShareRow,
    /// Mean of the six WGI estimates, when known.
    pub wgi_mean: Option<f64>,
    /// WGI_c on the 0-10 scale (5 when unknown).
    pub wgi_scaled: f64,
    /// S_c² · WGI_c · t_c.
    pub contribution: f64,
}

/// HHI_WGI,t of one side (GS or EU sourcing) at one stage.
#[derive(Debug, Clone, PartialEq)]
pub struct WeightedHhi {
    /// The value.
    pub value: f64,
    /// Terms, largest share first.
    pub terms: Vec<Term>,
    /// Sum of the shares (about 1; the tables round).
    pub share_sum: f64,
    /// Countries without WGI estimates (counted at the midpoint).
    pub missing_wgi: Vec<String>,
}

impl WeightedHhi {
    /// A country's share (0 when absent).
    pub fn share_of(&self, country: CountryCode) -> f64 {
        self.terms
            .iter()
            .filter(|t| t.row.country == Some(country))
            .map(|t| t.row.share)
            .sum()
    }
}

/// Rescales a mean WGI estimate (-2.5..2.5, higher = better) to 0-10 (higher = worse).
pub fn wgi_scaled(mean: f64) -> f64 {
    (5.0 - 2.0 * mean).clamp(0.0, 10.0)
}

/// Computes HHI_WGI,t from share rows and a governance lookup (mean of six WGI estimates).
pub fn weighted_hhi(rows: &[ShareRow], wgi: &dyn Fn(CountryCode) -> Option<f64>) -> WeightedHhi {
    let mut terms: Vec<Term> = rows
        .iter()
        .map(|r| {
            let wgi_mean = r.country.and_then(wgi);
            let scaled = wgi_mean.map_or(5.0, wgi_scaled);
            Term {
                row: r.clone(),
                wgi_mean,
                wgi_scaled: scaled,
                contribution: r.share * r.share * scaled * r.t,
            }
        })
        .collect();
    terms.sort_by(|a, b| b.row.share.total_cmp(&a.row.share));
    WeightedHhi {
        value: terms.iter().map(|t| t.contribution).sum(),
        share_sum: rows.iter().map(|r| r.share).sum(),
        missing_wgi: terms
            .iter()
            .filter(|t| t.wgi_mean.is_none())
            .map(|t| t.row.name.clone())
            .collect(),
        terms,
    }
}

/// The parameters the share tables lack, for one material.
#[derive(Debug, Clone, PartialEq)]
pub struct Params {
    /// Net import reliance (0-1) by stage, where known.
    pub import_reliance: Vec<(Stage, f64)>,
    /// End-of-life recycling input rate (0-1).
    pub eol_rir: f64,
    /// Substitution index for supply risk (0-1).
    pub si_sr: f64,
    /// The stage the source assessed (its bottleneck), for reference.
    pub assessed_stage: Option<Stage>,
    /// A published SR to compare with, with its source, where the share tables' SR file lacks the
    /// material (e.g. single rare earths, which it reports only as groups).
    pub published: Option<(f64, String)>,
    /// Where the values come from.
    pub source: String,
}

impl Params {
    /// IR at a stage.
    pub fn ir(&self, stage: Stage) -> Option<f64> {
        self.import_reliance
            .iter()
            .find(|(s, _)| *s == stage)
            .map(|p| p.1)
    }
}

/// Which form of the formula applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    /// Both sides, weighted by IR.
    Both,
    /// Global supply only (no EU sourcing data).
    GsOnly,
    /// EU sourcing only (no global supply data).
    EuOnly,
}

impl Variant {
    /// Spelling in outputs.
    pub fn as_str(self) -> &'static str {
        match self {
            Variant::Both => "gs_and_eu",
            Variant::GsOnly => "gs_only",
            Variant::EuOnly => "eu_only",
        }
    }
}

/// Supply risk at one stage.
#[derive(Debug, Clone, PartialEq)]
pub struct StageRisk {
    /// The stage.
    pub stage: Stage,
    /// HHI_WGI,t over global supply.
    pub gs: Option<WeightedHhi>,
    /// HHI_WGI,t over EU sourcing.
    pub eu: Option<WeightedHhi>,
    /// IR used (None when not needed or unknown).
    pub ir: Option<f64>,
    /// The form used, when SR could be computed.
    pub variant: Option<Variant>,
    /// SR, when computable.
    pub sr: Option<f64>,
    /// What is missing when SR is not computable.
    pub missing: Vec<String>,
}

/// Supply risk of a material over its stages.
#[derive(Debug, Clone, PartialEq)]
pub struct MaterialRisk {
    /// Material as named in the tables.
    pub material: String,
    /// Per stage (E then P), where any data exists.
    pub stages: Vec<StageRisk>,
    /// The bottleneck stage (largest SR).
    pub bottleneck: Option<Stage>,
    /// SR at the bottleneck.
    pub sr: Option<f64>,
    /// The parameters used.
    pub params: Params,
}

/// Computes SR at one stage from its two weighted HHIs (either may be missing).
pub fn stage_risk(
    stage: Stage,
    gs: Option<WeightedHhi>,
    eu: Option<WeightedHhi>,
    params: &Params,
) -> StageRisk {
    let tail = (1.0 - params.eol_rir) * params.si_sr;
    let mut missing = Vec::new();
    let (variant, ir, sr) = match (&gs, &eu) {
        (Some(g), Some(e)) => match params.ir(stage) {
            Some(ir) => (
                Some(Variant::Both),
                Some(ir),
                Some((g.value * ir / 2.0 + e.value * (1.0 - ir / 2.0)) * tail),
            ),
            None => {
                missing.push(format!("import_reliance at stage {stage}"));
                (None, None, None)
            }
        },
        (Some(g), None) => (Some(Variant::GsOnly), None, Some(g.value * tail)),
        (None, Some(e)) => (Some(Variant::EuOnly), None, Some(e.value * tail)),
        (None, None) => {
            missing.push(format!("shares at stage {stage}"));
            (None, None, None)
        }
    };
    StageRisk {
        stage,
        gs,
        eu,
        ir,
        variant,
        sr,
        missing,
    }
}

/// Combines stages into a material's risk (bottleneck = largest SR).
pub fn material_risk(material: &str, stages: Vec<StageRisk>, params: Params) -> MaterialRisk {
    let best = stages
        .iter()
        .filter_map(|s| s.sr.map(|sr| (s.stage, sr)))
        .max_by(|a, b| a.1.total_cmp(&b.1));
    MaterialRisk {
        material: material.to_string(),
        stages,
        bottleneck: best.map(|b| b.0),
        sr: best.map(|b| b.1),
        params,
    }
}

/// Computed and published SR count as reproduced within this distance (the study rounds to 0.1).
pub const REPRODUCED_WITHIN: f64 = 0.1;

/// Why a computed SR does not reproduce the published one, worked out from the numbers: the
/// concentration the published SR implies, HHI* = SR / ((1 − EoL_RIR) · SI_SR), against what the
/// tables give at each stage. None when the two agree within [`REPRODUCED_WITHIN`].
pub fn reproduction_gap(m: &MaterialRisk, published: f64) -> Option<String> {
    let sr = m.sr?;
    if (sr - published).abs() <= REPRODUCED_WITHIN {
        return None;
    }
    let tail = (1.0 - m.params.eol_rir) * m.params.si_sr;
    if tail <= 0.0 {
        return None;
    }
    let implied = published / tail;
    let mut parts = vec![format!(
        "{} computes {sr:.2} against the published {published}: the published value needs a weighted concentration HHI* = {published} / ((1 - {}) x {}) = {implied:.2}",
        m.material, m.params.eol_rir, m.params.si_sr
    )];
    for s in &m.stages {
        parts.push(stage_gap(
            s,
            implied,
            m.params.assessed_stage == Some(s.stage),
        ));
    }
    Some(parts.join("; "))
}

/// What one stage's tables say about an implied concentration.
fn stage_gap(s: &StageRisk, implied: f64, assessed: bool) -> String {
    let st = format!(
        "stage {}{}",
        s.stage,
        if assessed { " (the study's stage)" } else { "" }
    );
    let (g, e) = (
        s.gs.as_ref().map(|h| h.value),
        s.eu.as_ref().map(|h| h.value),
    );
    let mut out = match (g, e) {
        (Some(g), Some(e)) => {
            // With IR in 0-1 the mix runs from e (IR 0) to (g + e) / 2 (IR 1).
            let (lo, hi) = (e.min((g + e) / 2.0), e.max((g + e) / 2.0));
            let tables = format!(
                "{st} gives {g:.2} (global supply) and {e:.2} (EU sourcing), so any import reliance yields {lo:.2}-{hi:.2}"
            );
            if implied < lo - 1e-9 {
                format!(
                    "{tables}, all above it: the study's shares must be less concentrated than these tables"
                )
            } else if implied > hi + 1e-9 {
                format!(
                    "{tables}, all below it: the study's shares or trade variables must be more concentrated than these tables"
                )
            } else if (g - e).abs() > 1e-9 {
                let ir = 2.0 * (implied - e) / (g - e);
                format!(
                    "{tables}; an import reliance of {ir:.2} reproduces it (osa uses {})",
                    s.ir.map_or("none".into(), |v| format!("{v:.2}"))
                )
            } else {
                tables
            }
        }
        (Some(v), None) | (None, Some(v)) => format!("{st} gives {v:.2} from one side only"),
        (None, None) => format!("{st} has no shares"),
    };
    if let (Some(gs), Some(eu)) = (&s.gs, &s.eu)
        && same_shares(gs, eu)
    {
        out.push_str(" (its EU-sourcing table repeats the global-supply shares, country by country within 1 point: the EU sourcing the study used is not in these tables)");
    }
    out
}

/// Whether two sides list the same countries with shares within one percentage point.
fn same_shares(a: &WeightedHhi, b: &WeightedHhi) -> bool {
    let close = |x: &WeightedHhi, y: &WeightedHhi| {
        x.terms.iter().all(|t| {
            t.row.share < 0.01
                || t.row
                    .country
                    .is_some_and(|c| (y.share_of(c) - t.row.share).abs() <= 0.01)
        })
    };
    close(a, b) && close(b, a)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(code: &str, share: f64, t: f64) -> ShareRow {
        ShareRow {
            name: code.into(),
            country: CountryCode::parse(code),
            share_text: format!("{}%", share * 100.0),
            share,
            t,
            line: 0,
        }
    }

    fn params(ir: Option<f64>) -> Params {
        Params {
            import_reliance: ir.map(|v| (Stage::Processing, v)).into_iter().collect(),
            eol_rir: 0.25,
            si_sr: 0.8,
            assessed_stage: Some(Stage::Processing),
            published: None,
            source: "test".into(),
        }
    }

    #[test]
    fn formula_by_hand() {
        // WGI means: CHN -0.5 -> 6; DEU 1.5 -> 2; unknown -> 5.
        let wgi = |c: CountryCode| match c.as_str() {
            "CHN" => Some(-0.5),
            "DEU" => Some(1.5),
            _ => None,
        };
        let gs = weighted_hhi(&[row("CHN", 0.8, 1.0), row("DEU", 0.2, 0.8)], &wgi);
        // 0.64*6*1 + 0.04*2*0.8 = 3.84 + 0.064
        assert!((gs.value - 3.904).abs() < 1e-12);
        let eu = weighted_hhi(&[row("CHN", 0.5, 1.0), row("XKX", 0.5, 1.0)], &wgi);
        // 0.25*6 + 0.25*5 = 2.75; Kosovo has no WGI here.
        assert!((eu.value - 2.75).abs() < 1e-12);
        assert_eq!(eu.missing_wgi, vec!["XKX".to_string()]);
        let s = stage_risk(
            Stage::Processing,
            Some(gs.clone()),
            Some(eu.clone()),
            &params(Some(0.6)),
        );
        // (3.904*0.3 + 2.75*0.7) * 0.75 * 0.8
        let want = (3.904 * 0.3 + 2.75 * 0.7) * 0.75 * 0.8;
        assert!((s.sr.expect("sr") - want).abs() < 1e-12);
        assert_eq!(s.variant, Some(Variant::Both));
        // Without IR and with both sides: not computable, and says why.
        let s = stage_risk(Stage::Processing, Some(gs.clone()), Some(eu), &params(None));
        assert_eq!(s.sr, None);
        assert_eq!(s.missing, vec!["import_reliance at stage P".to_string()]);
        // GS only needs no IR.
        let s = stage_risk(Stage::Processing, Some(gs), None, &params(None));
        assert!((s.sr.expect("sr") - 3.904 * 0.6).abs() < 1e-12);
    }

    #[test]
    fn bottleneck_is_the_largest_stage() {
        let p = params(None);
        let wgi = |_: CountryCode| Some(0.0);
        let e = stage_risk(
            Stage::Extraction,
            Some(weighted_hhi(&[row("CHN", 0.5, 1.0)], &wgi)),
            None,
            &p,
        );
        let pr = stage_risk(
            Stage::Processing,
            Some(weighted_hhi(&[row("CHN", 0.9, 1.0)], &wgi)),
            None,
            &p,
        );
        let m = material_risk("X", vec![e, pr], p);
        assert_eq!(m.bottleneck, Some(Stage::Processing));
        assert!((m.sr.expect("sr") - 0.81 * 5.0 * 0.6).abs() < 1e-12);
    }

    #[test]
    fn a_gap_to_the_published_value_is_explained_from_the_numbers() {
        // WGI 0 everywhere: WGI_c = 5. GS: CHN 80% -> 3.2; EU: CHN 40% -> 0.8. IR 0.6, tail 0.6.
        let wgi = |_: CountryCode| Some(0.0);
        let p = params(Some(0.6));
        let st = || {
            stage_risk(
                Stage::Processing,
                Some(weighted_hhi(&[row("CHN", 0.8, 1.0)], &wgi)),
                Some(weighted_hhi(&[row("CHN", 0.4, 1.0)], &wgi)),
                &p,
            )
        };
        let m = material_risk("X", vec![st()], p.clone());
        let sr = m.sr.expect("sr"); // (3.2 * 0.3 + 0.8 * 0.7) * 0.6 = 0.912
        assert!((sr - 0.912).abs() < 1e-12);
        assert_eq!(reproduction_gap(&m, 0.95), None);
        // 1.2 needs HHI* = 2.0, reachable with IR = 2 (2.0 - 0.8) / (3.2 - 0.8) = 1.0.
        let g = reproduction_gap(&m, 1.2).expect("a gap");
        assert!(g.contains("HHI* = 1.2 / ((1 - 0.25) x 0.8) = 2.00"), "{g}");
        assert!(
            g.contains("an import reliance of 1.00 reproduces it (osa uses 0.60)"),
            "{g}"
        );
        // 3.0 needs 5.0, above anything the tables give.
        let g = reproduction_gap(&m, 3.0).expect("a gap");
        assert!(g.contains("all below it"), "{g}");
        // Identical shares on both sides are named as the likely cause.
        let same = stage_risk(
            Stage::Processing,
            Some(weighted_hhi(&[row("CHN", 0.8, 1.0)], &wgi)),
            Some(weighted_hhi(&[row("CHN", 0.805, 1.0)], &wgi)),
            &p,
        );
        let m = material_risk("Y", vec![same], p);
        let g = reproduction_gap(&m, 0.5).expect("a gap");
        assert!(
            g.contains("all above it") && g.contains("repeats the global-supply shares"),
            "{g}"
        );
    }
}
