//! Step 1 use cases: load an ecosystem (file, ETO release or built-in), the blocs a holder may
//! name, and the concentration metrics, chokepoints and leverage views over it.

use crate::{Answer, AppError, Result};
pub use osa_ecosystem::Thresholds;
use osa_ecosystem::{Holder, MetricsOptions, YearChoice, chokepoints, leverage, metrics};
use osa_io::Loaded;
use osa_model::{Bloc, Blocs, CountryCode};
use osa_view::ecosystem::{self as view, ChokepointRow, LeverageView, MetricsRow, StageRow};

/// Loads an ecosystem: `None` is the default built-in; otherwise a file, an ETO directory or a
/// built-in name. Import warnings come back with it.
pub fn load(spec: Option<&str>) -> Result<Answer<Loaded>> {
    let loaded = osa_io::load(spec).map_err(|e| {
        AppError::data(
            format!(
                "could not load ecosystem `{}`",
                spec.unwrap_or(osa_io::builtin::DEFAULT_ECOSYSTEM)
            ),
            e,
        )
    })?;
    let warnings = loaded.warnings.clone();
    Ok(Answer {
        value: loaded,
        warnings,
    })
}

/// The built-in blocs, plus the ecosystem's own, plus definitions `NAME=ISO3,ISO3,...`.
pub fn blocs(loaded: &Loaded, definitions: &[String]) -> Result<Blocs> {
    let mut blocs = osa_io::builtin::blocs()
        .map_err(|e| AppError::data("the built-in blocs are invalid", e))?;
    for b in loaded.checked.user_blocs() {
        blocs.insert(b.clone());
    }
    for def in definitions {
        blocs.insert(parse_bloc(def)?);
    }
    Ok(blocs)
}

/// Parses a bloc definition `NAME=ISO3,ISO3,...`.
pub fn parse_bloc(def: &str) -> Result<Bloc> {
    let invalid = |m: String| AppError::invalid(format!("bloc `{def}`"), m);
    let (name, codes) = def
        .split_once('=')
        .ok_or_else(|| invalid("expected NAME=ISO3,ISO3,...".into()))?;
    let name = name.trim();
    if name.is_empty() {
        return Err(invalid("the bloc name is empty".into()));
    }
    let mut members = Vec::new();
    for code in codes.split(',').map(str::trim).filter(|c| !c.is_empty()) {
        members.push(CountryCode::parse(code).ok_or_else(|| {
            invalid(format!(
                "unknown country code `{code}` (not ISO 3166-1 alpha-3)"
            ))
        })?);
    }
    if members.is_empty() {
        return Err(invalid("no members".into()));
    }
    Ok(Bloc::undated(name, name, &members, "command line"))
}

/// Resolves a holder name against blocs, countries and regions.
pub fn holder(name: &str, blocs: &Blocs) -> Result<Holder> {
    Holder::resolve(name, blocs).ok_or_else(|| {
        AppError::NotFound(format!(
            "unknown holder `{name}`: not a bloc ({}), an ISO 3166-1 alpha-3 country code, or a region (EUR)",
            blocs.iter().map(|b| b.id.as_str()).collect::<Vec<_>>().join(", ")
        ))
    })
}

/// The year choice: a given year, or the latest each input has.
pub fn year(y: Option<i32>) -> YearChoice {
    y.map_or(YearChoice::Latest, YearChoice::Exact)
}

/// Checks a 0-1 share argument.
pub fn share(field: &str, v: f64) -> Result<f64> {
    if v.is_finite() && (0.0..=1.0).contains(&v) {
        Ok(v)
    } else {
        Err(AppError::invalid(
            field,
            format!("{v} is outside 0-1 (a share of the world market, e.g. 0.9)"),
        ))
    }
}

/// What `metrics` answers: per input, or per stage.
#[derive(Debug)]
pub enum MetricsAnswer {
    /// One row per input, with the holders whose share is shown.
    Inputs {
        /// The rows.
        rows: Vec<MetricsRow>,
        /// The holders' names, in column order.
        holders: Vec<String>,
    },
    /// One row per stage.
    Stages(Vec<StageRow>),
}

/// Concentration metrics per input (or per stage). With no holders given: EU27, CHN, USA, and the
/// ecosystem's and the user's blocs.
pub fn metrics_view(
    loaded: &Loaded,
    blocs: &Blocs,
    holders: &[String],
    bloc_definitions: &[String],
    y: Option<i32>,
    stages: bool,
) -> Result<MetricsAnswer> {
    let mut names: Vec<String> = if holders.is_empty() {
        let mut v: Vec<String> = ["EU27", "CHN", "USA"].map(String::from).to_vec();
        v.extend(loaded.checked.user_blocs().iter().map(|b| b.id.clone()));
        v.extend(
            bloc_definitions
                .iter()
                .filter_map(|d| d.split_once('=').map(|(n, _)| n.trim().to_string())),
        );
        v
    } else {
        holders.to_vec()
    };
    names.dedup();
    let resolved = names
        .iter()
        .map(|n| holder(n, blocs))
        .collect::<Result<Vec<_>>>()?;
    let opts = MetricsOptions {
        year: year(y),
        holders: resolved,
    };
    let m = metrics(&loaded.checked, &opts);
    Ok(if stages {
        MetricsAnswer::Stages(view::stage_rows(&loaded.checked, &m.stages))
    } else {
        MetricsAnswer::Inputs {
            rows: view::metrics_rows(&loaded.checked, &m.inputs),
            holders: names,
        }
    })
}

/// Inputs where `holder` supplies at least `min_share`, ranked by downstream reach.
pub fn chokepoints_view(
    loaded: &Loaded,
    blocs: &Blocs,
    holder_name: &str,
    min_share: f64,
    y: Option<i32>,
) -> Result<Vec<ChokepointRow>> {
    let min_share = share("min_share", min_share)?;
    let h = holder(holder_name, blocs)?;
    let m = metrics(
        &loaded.checked,
        &MetricsOptions {
            year: year(y),
            holders: Vec::new(),
        },
    );
    let items = chokepoints(&loaded.checked, &m.inputs, &h, min_share);
    Ok(view::chokepoint_rows(
        &loaded.checked,
        h.id(),
        &items,
        &m.inputs,
    ))
}

/// The mutual-dependency balance between two holders.
pub fn leverage_view(
    loaded: &Loaded,
    blocs: &Blocs,
    between: (&str, &str),
    min_share: f64,
    y: Option<i32>,
) -> Result<LeverageView> {
    let min_share = share("min_share", min_share)?;
    let (ha, hb) = (holder(between.0, blocs)?, holder(between.1, blocs)?);
    let m = metrics(
        &loaded.checked,
        &MetricsOptions {
            year: year(y),
            holders: Vec::new(),
        },
    );
    let lev = leverage(&loaded.checked, &m.inputs, &ha, &hb, min_share);
    Ok(view::leverage_view(&loaded.checked, &lev, min_share))
}

/// What to compare two snapshots with.
#[derive(Debug, Clone)]
pub struct DiffRequest {
    /// Holders watched (default EU27 and CHN).
    pub holders: Vec<String>,
    /// Bloc definitions `NAME=ISO3,...`.
    pub bloc_definitions: Vec<String>,
    /// Thresholds of a reported change.
    pub thresholds: osa_ecosystem::Thresholds,
    /// Year read in the old snapshot.
    pub old_year: Option<i32>,
    /// Year read in the new snapshot.
    pub new_year: Option<i32>,
}

/// Refuses to compare snapshots of two different ecosystems: their ids differ and they share
/// fewer than half of the smaller one's inputs (6G's and blockchain's share one input of 6; two
/// ETO releases share 78 of 79), so a comparison would list every input as added and removed.
fn refuse_unrelated(old: &Loaded, new: &Loaded, labels: (&str, &str)) -> Result<()> {
    let (o, n) = (old.checked.ecosystem(), new.checked.ecosystem());
    let shared = o
        .inputs
        .iter()
        .filter(|i| n.inputs.iter().any(|j| j.id == i.id))
        .count();
    if o.id == n.id || shared * 2 >= o.inputs.len().min(n.inputs.len()) {
        return Ok(());
    }
    Err(AppError::invalid(
        "to",
        format!(
            "`{}` ({}) and `{}` ({}) are snapshots of two different ecosystems (they share {shared} \
             of their {} and {} inputs): compare two snapshots of one ecosystem",
            labels.0,
            o.name,
            labels.1,
            n.name,
            o.inputs.len(),
            n.inputs.len()
        ),
    ))
}

/// Compares two snapshots of an ecosystem (two ETO releases, two edits of a file): inputs added
/// and removed, top holders, shares, HHI and chokepoints, as the report's diff view. `labels`
/// name the two snapshots in the output.
pub fn diff_view(
    old: &Loaded,
    new: &Loaded,
    labels: (&str, &str),
    req: &DiffRequest,
) -> Result<osa_view::diff::DiffView> {
    req.thresholds
        .check()
        .map_err(|e| AppError::invalid("thresholds", e.to_string()))?;
    refuse_unrelated(old, new, labels)?;
    let mut all = blocs(new, &req.bloc_definitions)?;
    for b in old.checked.user_blocs() {
        if all.get(&b.id).is_none() {
            all.insert(b.clone());
        }
    }
    let names = if req.holders.is_empty() {
        vec!["EU27".to_string(), "CHN".to_string()]
    } else {
        req.holders.clone()
    };
    let holders = names
        .iter()
        .map(|n| holder(n, &all))
        .collect::<Result<Vec<_>>>()?;
    let opts = osa_ecosystem::CompareOptions {
        old_year: year(req.old_year),
        new_year: year(req.new_year),
        holders,
        top_holders: true,
        thresholds: req.thresholds,
    };
    let diff = osa_ecosystem::compare(&old.checked, &new.checked, &opts);
    Ok(osa_view::diff::diff_view(
        &old.checked,
        &new.checked,
        labels,
        &diff,
    ))
}
