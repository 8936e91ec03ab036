//! The mutual-dependency balance (`osa leverage`): the dependencies of each side, how the view is
//! built, and the printer.

use crate::format::{self, Format, RenderError, cut, pct, r6};
use osa_ecosystem::Leverage;
use osa_model::Checked;
use serde::Serialize;

/// One dependency in the leverage view.
#[derive(Debug, Clone, Serialize)]
pub struct DependencyRow {
    /// Input id.
    pub id: String,
    /// Input name.
    pub name: String,
    /// Year.
    pub year: i32,
    /// Share of the side holding the input, 0-1.
    pub holder_share: f64,
    /// Share of the dependent side, 0-1.
    pub dependent_share: f64,
    /// Substitutability used, 0-1.
    pub substitutability: f64,
    /// Inputs fed downstream.
    pub reach: usize,
    /// Leverage weight share^2 * (1 - substitutability) * (1 + reach).
    pub weight: f64,
}

/// The mutual-dependency balance (`osa leverage --format json`).
#[derive(Debug, Clone, Serialize)]
pub struct LeverageView {
    /// Side A.
    pub a: String,
    /// Side B.
    pub b: String,
    /// L(A over B).
    pub leverage_a: f64,
    /// L(B over A).
    pub leverage_b: f64,
    /// (L_A - L_B) / (L_A + L_B), -1..1; positive when A holds more leverage.
    pub balance: f64,
    /// 1 - |balance|; 1 is perfectly mutual.
    pub mutuality: f64,
    /// A one-line reading of the numbers.
    pub interpretation: String,
    /// Inputs with shares considered.
    pub n_inputs: usize,
    /// The listing threshold used.
    pub min_share: f64,
    /// What A depends on B for (B holds at least min_share).
    pub a_depends_on_b: Vec<DependencyRow>,
    /// What B depends on A for.
    pub b_depends_on_a: Vec<DependencyRow>,
    /// The formula.
    pub formula: &'static str,
}

/// The leverage formula.
pub const LEVERAGE_FORMULA: &str = "L(X over Y) = sum over inputs of (X's share)^2 * (1 - substitutability) * (1 + reach); balance = (L_A - L_B) / (L_A + L_B); mutuality = 1 - |balance|";

/// Builds the leverage view.
pub fn leverage_view(checked: &Checked, lev: &Leverage, min_share: f64) -> LeverageView {
    let eco = checked.ecosystem();
    let dep = |d: &osa_ecosystem::Dependency| DependencyRow {
        id: eco.inputs[d.input].id.clone(),
        name: eco.inputs[d.input].name.clone(),
        year: d.year,
        holder_share: r6(d.holder_share),
        dependent_share: r6(d.dependent_share),
        substitutability: r6(d.substitutability),
        reach: d.reach,
        weight: r6(d.weight),
    };
    let balance = lev.balance();
    let interpretation = if lev.leverage_a + lev.leverage_b <= 0.0 {
        format!("neither {} nor {} holds a share of any input", lev.a, lev.b)
    } else if balance.abs() < 0.2 {
        format!(
            "mutual: {} and {} hold comparable leverage over each other",
            lev.a, lev.b
        )
    } else if balance > 0.0 {
        format!(
            "one-sided toward {}: {} depends on {} more than the reverse",
            lev.a, lev.b, lev.a
        )
    } else {
        format!(
            "one-sided toward {}: {} depends on {} more than the reverse",
            lev.b, lev.a, lev.b
        )
    };
    LeverageView {
        a: lev.a.clone(),
        b: lev.b.clone(),
        leverage_a: r6(lev.leverage_a),
        leverage_b: r6(lev.leverage_b),
        balance: r6(balance),
        mutuality: r6(lev.mutuality()),
        interpretation,
        n_inputs: lev.n_inputs,
        min_share,
        a_depends_on_b: lev.a_depends_on_b.iter().map(dep).collect(),
        b_depends_on_a: lev.b_depends_on_a.iter().map(dep).collect(),
        formula: LEVERAGE_FORMULA,
    }
}

/// Prints the leverage view.
pub fn render_leverage(v: &LeverageView, format: Format) -> Result<String, RenderError> {
    render_leverage_signed(v, format).map(|s| format::unsigned_zero(&s))
}

/// Prints the view as JSON, as CSV (one row per dependency, with its direction), or as text: the
/// balance, each side's dependencies as a table, and the formula.
fn render_leverage_signed(v: &LeverageView, format: Format) -> Result<String, RenderError> {
    match format {
        Format::Json => format::json(v),
        Format::Csv | Format::Xlsx | Format::Parquet => leverage_csv(v),
        _ => Ok(leverage_text(v, format == Format::Md)),
    }
}

/// The dependencies of both directions as CSV, figures in full.
fn leverage_csv(v: &LeverageView) -> Result<String, RenderError> {
    let mut rows = Vec::new();
    for (side, deps) in [
        (format!("{} depends on {}", v.a, v.b), &v.a_depends_on_b),
        (format!("{} depends on {}", v.b, v.a), &v.b_depends_on_a),
    ] {
        for d in deps {
            let mut r = vec![side.clone()];
            r.extend([
                d.id.clone(),
                d.name.clone(),
                d.holder_share.to_string(),
                d.dependent_share.to_string(),
                d.reach.to_string(),
                d.weight.to_string(),
            ]);
            rows.push(r);
        }
    }
    format::csv(
        &[
            "direction",
            "id",
            "name",
            "holder_share",
            "dependent_share",
            "reach",
            "weight",
        ],
        &rows,
    )
}

/// The balance in words, then what each side depends on the other for, then the formula.
fn leverage_text(v: &LeverageView, md: bool) -> String {
    let mut out = format!(
        "Mutual dependency {a} <-> {b} ({n} inputs with shares)\n\
         leverage {a} over {b}: {la:.3}   leverage {b} over {a}: {lb:.3}\n\
         balance {bal:+.3} (-1..1, positive: {a} holds more)   mutuality {mu:.3} (1 = fully mutual)\n\
         {interp}\n\n",
        a = v.a,
        b = v.b,
        n = v.n_inputs,
        la = v.leverage_a,
        lb = v.leverage_b,
        bal = v.balance,
        mu = v.mutuality,
        interp = v.interpretation
    );
    out.push_str(&format!(
        "What {} depends on {} for (share >= {}):\n",
        v.a,
        v.b,
        pct(Some(v.min_share))
    ));
    out.push_str(&dependency_table(&v.a_depends_on_b, md));
    out.push_str(&format!(
        "\nWhat {} depends on {} for (share >= {}):\n",
        v.b,
        v.a,
        pct(Some(v.min_share))
    ));
    out.push_str(&dependency_table(&v.b_depends_on_a, md));
    out.push_str(&format!("\nformula: {}\n", v.formula));
    out
}

/// One direction's dependencies as a table, in percent.
fn dependency_table(deps: &[DependencyRow], md: bool) -> String {
    let header = [
        "id",
        "input",
        "holder share",
        "dependent share",
        "reach",
        "weight",
    ];
    let cells = |d: &DependencyRow| -> Vec<String> {
        vec![
            d.id.clone(),
            cut(&d.name, 40),
            pct(Some(d.holder_share)),
            pct(Some(d.dependent_share)),
            d.reach.to_string(),
            format!("{:.3}", d.weight),
        ]
    };
    format::table(&header, &deps.iter().map(cells).collect::<Vec<_>>(), md)
}
