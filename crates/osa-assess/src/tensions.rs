//! Step 2, where dimensions pull against each other (seed L1021-1043, L176-184). Three kinds:
//! tensions the report states; divergences (supply resilience or competitiveness at 0, where a
//! dependency may even help, while another dimension is at 3 or 4); and instrument conflicts (one of
//! the top-ranked instruments serves one dimension but strains another the technology is exposed
//! on, at level 2 or more).
//!
//! A stated tension says how its dimensions relate ([`TensionRelation`]): only a trade-off (and a
//! divergence, which is one by construction) lets toolkit rules on tensions fire; a compounding
//! relation, where the dimensions make each other worse, does not.

use crate::dimension::{Dimension, Level};
use crate::technology::{Technology, TensionRelation};
use crate::toolkit::{Ranked, Toolkit};

/// What kind of tension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TensionKind {
    /// Stated by the report (or the analyst) in the technology file.
    Stated,
    /// Detected from the levels: one dimension at 0, another at 3 or more.
    Divergence,
    /// Detected from the toolkit: a recommended instrument strains another dimension.
    Instrument,
}

impl TensionKind {
    /// Spelling in outputs.
    pub fn as_str(self) -> &'static str {
        match self {
            TensionKind::Stated => "stated",
            TensionKind::Divergence => "divergence",
            TensionKind::Instrument => "instrument",
        }
    }
}

/// A tension between dimensions.
#[derive(Debug, Clone, PartialEq)]
pub struct Tension {
    /// Kind.
    pub kind: TensionKind,
    /// The dimensions involved.
    pub dimensions: Vec<Dimension>,
    /// How they relate: a divergence and an instrument conflict are trade-offs by construction.
    pub relation: TensionRelation,
    /// The pairs of dimensions that trade off (empty unless the relation is a trade-off).
    pub trade_offs: Vec<(Dimension, Dimension)>,
    /// The explanation.
    pub text: String,
    /// Source, where there is one.
    pub source: Option<String>,
}

/// Dimensions on which a dependency can be a benefit rather than a cost (more foreign capacity can
/// mean more resilient supply; access to foreign technology can help competitiveness), so that a 0
/// there, against a high level elsewhere, signals dimensions pulling apart.
const CAN_BENEFIT: [Dimension; 2] = [Dimension::SupplyResilience, Dimension::Competitiveness];

/// How many of the top-ranked instruments are checked for conflicts.
pub const INSTRUMENTS_CHECKED: usize = 5;

/// Tensions the report states and divergences in the levels.
pub fn from_levels(tech: &Technology) -> Vec<Tension> {
    let mut out: Vec<Tension> = tech
        .tensions
        .iter()
        .map(|t| Tension {
            kind: TensionKind::Stated,
            dimensions: t.dimensions.clone(),
            relation: t.relation,
            trade_offs: t.trade_off_pairs(),
            text: t.text.clone(),
            source: Some(t.source.to_string()),
        })
        .collect();
    let level = |d: Dimension| tech.level(d).map(Level::value);
    for low in CAN_BENEFIT {
        for high in Dimension::ALL {
            if level(low) == Some(0) && level(high).is_some_and(|h| h >= 3) {
                let already = out
                    .iter()
                    .any(|t| t.dimensions.contains(&low) && t.dimensions.contains(&high));
                if !already {
                    out.push(Tension {
                        kind: TensionKind::Divergence,
                        dimensions: vec![low, high],
                        relation: TensionRelation::TradeOff,
                        trade_offs: vec![(low, high)],
                        text: format!(
                            "{} is at 0 (no challenge, possibly a benefit) while {} is at {}: measures that reduce the dependency for {} may give up what it offers for {}",
                            low.name(),
                            high.name(),
                            level(high).unwrap_or_default(),
                            high.name(),
                            low.name()
                        ),
                        source: None,
                    });
                }
            }
        }
    }
    out
}

/// Tensions created by recommended instruments that strain a dimension the technology is exposed on.
pub fn from_instruments(ranked: &[Ranked], toolkit: &Toolkit) -> Vec<Tension> {
    let mut out = Vec::new();
    for r in ranked.iter().take(INSTRUMENTS_CHECKED) {
        let Some(inst) = toolkit.instrument(&r.id) else {
            continue;
        };
        for c in &r.conflicts {
            let mut dims: Vec<Dimension> = inst
                .serves
                .iter()
                .copied()
                .filter(|d| *d != c.dimension)
                .collect();
            if dims.is_empty() {
                continue;
            }
            let trade_offs = dims.iter().map(|d| (*d, c.dimension)).collect();
            dims.push(c.dimension);
            out.push(Tension {
                kind: TensionKind::Instrument,
                dimensions: dims,
                relation: TensionRelation::TradeOff,
                trade_offs,
                text: format!(
                    "{} serves {} but strains {} (level {}): {}{}",
                    inst.name,
                    inst.serves
                        .iter()
                        .filter(|d| **d != c.dimension)
                        .map(|d| d.name())
                        .collect::<Vec<_>>()
                        .join(" and "),
                    c.dimension.name(),
                    c.level.map_or("silent".to_string(), |l| l.to_string()),
                    c.text,
                    if c.inference {
                        " (osa's inference)"
                    } else {
                        ""
                    }
                ),
                source: Some(c.source.to_string()),
            });
        }
    }
    out
}
