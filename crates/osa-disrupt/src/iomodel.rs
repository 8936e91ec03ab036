//! Input-output mode, for sector-level work where firm data is absent (formulas in docs/scenarios.md): the
//! Leontief demand-pull model, the Ghosh supply-push model and the inoperability input-output
//! model (IIM), each with its tier decomposition, so that first-, second- and third-order effects
//! are separate numbers.
//!
//! Notation: Z inter-industry flows (row = supplying sector, column = using sector), f final
//! demand, x gross output, v primary inputs (value added), A = Z x̂⁻¹, B = x̂⁻¹ Z, A* = x̂⁻¹ A x̂.
//!
//! - Leontief: a shock `SECTOR=LOST` removes that share of the sector's final demand,
//!   Δf = LOST·f. Output lost Δx = (I − A)⁻¹ Δf = Δf + AΔf + A²Δf + ...; tier k is AᵏΔf.
//! - Ghosh: `SECTOR=LOST` removes that share of the sector's primary inputs, Δv = LOST·v.
//!   Δx' = Δv'(I − B)⁻¹; tier k is Δv'Bᵏ. Read it as a price or supply-constraint model, not a
//!   quantity model (Oosterhaven 1988; Dietzenbacher 1997).
//! - IIM: `SECTOR=LOST` is the initial perturbation c* (the share of the sector's output lost at
//!   first). Inoperability q = (I − A*)⁻¹ c*; tier k is A*ᵏc*; the loss is x̂q in table units.
//!   Note A* = x̂⁻¹ A x̂ equals B: the IIM propagates along the same coefficients as Ghosh, but as
//!   a column model. Inoperability is bounded: a sector cannot lose more than all its output. Where
//!   the linear solution exceeds 1 the model saturates, and osa reports the bounded solution, the
//!   least fixpoint of q = min(1, A*q + c*) (iterated from 0; equal to the linear one when that stays
//!   within 1), flags the saturated sectors and keeps the linear total beside it.

use crate::error::Error;
use crate::linalg::{Lu, Matrix};
use std::fmt;
use std::str::FromStr;

/// An input-output table.
#[derive(Debug, Clone, PartialEq)]
pub struct IoTable {
    sectors: Vec<String>,
    z: Matrix,
    final_demand: Vec<f64>,
    output: Vec<f64>,
    value_added: Vec<f64>,
}

impl IoTable {
    /// Builds a table from flows `z` (n×n, row-major: row = supplier), final demand, and
    /// optionally gross output (default: row sums of Z plus f) and value added (default: output
    /// less column sums of Z).
    pub fn new(
        sectors: Vec<String>,
        z: Vec<f64>,
        final_demand: Vec<f64>,
        output: Option<Vec<f64>>,
        value_added: Option<Vec<f64>>,
    ) -> Result<IoTable, Error> {
        let n = sectors.len();
        if n == 0 {
            return Err(Error::Table("no sectors".into()));
        }
        crate::limits::check_sectors(n)?;
        let z = Matrix::from_rows(n, z).ok_or_else(|| {
            Error::Table(format!("the flow matrix is not {n} by {n} ({n} sectors)"))
        })?;
        if final_demand.len() != n {
            return Err(Error::Table(format!(
                "{} final-demand values for {n} sectors",
                final_demand.len()
            )));
        }
        for i in 0..n {
            for j in 0..n {
                let v = z.get(i, j);
                if !(v.is_finite() && v >= 0.0) {
                    return Err(Error::Table(format!(
                        "flow from `{}` to `{}` is {v} (flows must be finite and not negative)",
                        sectors[i], sectors[j]
                    )));
                }
            }
        }
        if let Some(i) = final_demand.iter().position(|v| !v.is_finite()) {
            return Err(Error::Table(format!(
                "final demand of `{}` is not a number",
                sectors[i]
            )));
        }
        let output = match output {
            Some(x) => {
                if x.len() != n {
                    return Err(Error::Table(format!(
                        "{} output values for {n} sectors",
                        x.len()
                    )));
                }
                x
            }
            None => (0..n)
                .map(|i| z.row(i).iter().sum::<f64>() + final_demand[i])
                .collect(),
        };
        if let Some(i) = output.iter().position(|v| !(v.is_finite() && *v >= 0.0)) {
            return Err(Error::Table(format!(
                "gross output of `{}` is {} (must be finite and not negative)",
                sectors[i], output[i]
            )));
        }
        let value_added = match value_added {
            Some(v) => {
                if v.len() != n {
                    return Err(Error::Table(format!(
                        "{} value-added values for {n} sectors",
                        v.len()
                    )));
                }
                v
            }
            None => (0..n)
                .map(|j| output[j] - (0..n).map(|i| z.get(i, j)).sum::<f64>())
                .collect(),
        };
        Ok(IoTable {
            sectors,
            z,
            final_demand,
            output,
            value_added,
        })
    }

    /// Sector names.
    pub fn sectors(&self) -> &[String] {
        &self.sectors
    }
    /// Number of sectors.
    pub fn n(&self) -> usize {
        self.sectors.len()
    }
    /// Gross output x.
    pub fn output(&self) -> &[f64] {
        &self.output
    }
    /// Final demand f.
    pub fn final_demand(&self) -> &[f64] {
        &self.final_demand
    }
    /// Primary inputs (value added) v.
    pub fn value_added(&self) -> &[f64] {
        &self.value_added
    }
    /// Index of a sector by name.
    pub fn sector_index(&self, name: &str) -> Option<usize> {
        self.sectors.iter().position(|s| s == name)
    }

    /// Technical coefficients A = Z x̂⁻¹ (a sector with no output has a zero column).
    pub fn technical(&self) -> Matrix {
        let n = self.n();
        let mut a = Matrix::zeros(n);
        for i in 0..n {
            for j in 0..n {
                if self.output[j] > 0.0 {
                    a.set(i, j, self.z.get(i, j) / self.output[j]);
                }
            }
        }
        a
    }

    /// Allocation coefficients B = x̂⁻¹ Z (a sector with no output has a zero row). Also the
    /// IIM's A* = x̂⁻¹ A x̂.
    pub fn allocation(&self) -> Matrix {
        let n = self.n();
        let mut b = Matrix::zeros(n);
        for i in 0..n {
            if self.output[i] > 0.0 {
                for j in 0..n {
                    b.set(i, j, self.z.get(i, j) / self.output[i]);
                }
            }
        }
        b
    }

    /// The Leontief inverse L = (I − A)⁻¹.
    pub fn leontief_inverse(&self) -> Result<Matrix, Error> {
        Ok(self.factor("A", &self.technical())?.inverse())
    }

    fn factor(&self, name: &'static str, m: &Matrix) -> Result<Lu, Error> {
        Lu::factor(&m.identity_minus()).map_err(|k| Error::Singular {
            matrix: name,
            sector: self.sectors.get(k).cloned().unwrap_or_default(),
        })
    }
}

/// Which model to run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IoModel {
    /// Leontief demand-pull.
    Leontief,
    /// Ghosh supply-push.
    Ghosh,
    /// Inoperability input-output model.
    Inoperability,
}

impl IoModel {
    /// Spelling on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            IoModel::Leontief => "leontief",
            IoModel::Ghosh => "ghosh",
            IoModel::Inoperability => "iim",
        }
    }
}

impl fmt::Display for IoModel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for IoModel {
    type Err = String;
    fn from_str(s: &str) -> Result<IoModel, String> {
        match s {
            "leontief" => Ok(IoModel::Leontief),
            "ghosh" => Ok(IoModel::Ghosh),
            "iim" | "inoperability" => Ok(IoModel::Inoperability),
            other => Err(format!(
                "unknown model `{other}` (expected leontief, ghosh or iim)"
            )),
        }
    }
}

/// A sector shock `SECTOR=LOST`.
#[derive(Debug, Clone, PartialEq)]
pub struct IoShock {
    /// Sector name as in the table.
    pub sector: String,
    /// Share lost, 0-1 (of final demand, of primary inputs, or the IIM perturbation).
    pub lost: f64,
}

impl FromStr for IoShock {
    type Err = Error;
    fn from_str(text: &str) -> Result<IoShock, Error> {
        let err = |m: &str| Error::Syntax {
            what: format!("--shock `{text}`"),
            message: format!("{m}; expected SECTOR=LOST, e.g. manufacturing=0.1"),
        };
        let (sector, lost) = text.rsplit_once('=').ok_or_else(|| err("no `=`"))?;
        let lost: f64 = lost
            .trim()
            .parse()
            .map_err(|_| err(&format!("`{}` is not a number", lost.trim())))?;
        if !(lost.is_finite() && (0.0..=1.0).contains(&lost)) {
            return Err(err(&format!("lost share {lost} is outside 0-1")));
        }
        let sector = sector.trim();
        if sector.is_empty() {
            return Err(err("the sector is empty"));
        }
        Ok(IoShock {
            sector: sector.to_string(),
            lost,
        })
    }
}

/// Effect on one sector.
#[derive(Debug, Clone, PartialEq)]
pub struct SectorEffect {
    /// Sector index.
    pub sector: usize,
    /// The shock vector's entry (Δf, Δv or c*).
    pub shock: f64,
    /// Tier k = the k-th term of the series (tier 0 is the shock itself).
    pub tiers: Vec<f64>,
    /// Everything beyond the last tier: total − Σ tiers.
    pub higher: f64,
    /// The total: Δx (Leontief, Ghosh) or inoperability q (IIM, bounded to 0-1).
    pub total: f64,
    /// The linear model's total; differs from `total` only where the IIM saturates.
    pub linear_total: f64,
    /// Whether the linear IIM exceeds 1 here (inoperability capped at 100%).
    pub saturated: bool,
    /// Output lost in table units (Δx, or x·q for the IIM).
    pub output_loss: f64,
    /// Share of the sector's gross output lost (Δx/x, or q).
    pub relative: f64,
}

/// Result of an input-output run.
#[derive(Debug, Clone, PartialEq)]
pub struct IoOutcome {
    /// Model run.
    pub model: IoModel,
    /// Per sector, in table order.
    pub effects: Vec<SectorEffect>,
    /// Sum over sectors of each tier.
    pub tier_sums: Vec<f64>,
    /// Sum over sectors of everything beyond the last tier.
    pub higher_sum: f64,
    /// Sum over sectors of the total.
    pub total_sum: f64,
    /// Sum over sectors of the output lost, in table units.
    pub output_loss_sum: f64,
    /// Whether the linear model saturates anywhere (IIM only).
    pub saturated: bool,
}

/// Most iterations of the bounded IIM; each shrinks the error by the spectral radius of A*.
const BOUNDED_MAX_ITER: usize = 100_000;

/// The least fixpoint of q = min(1, A*q + c), iterated from 0 (monotone, so it converges).
fn bounded_inoperability(a_star: &Matrix, c: &[f64]) -> Vec<f64> {
    let mut q = vec![0.0; c.len()];
    for _ in 0..BOUNDED_MAX_ITER {
        let next: Vec<f64> = a_star
            .mul_vec(&q)
            .iter()
            .zip(c)
            .map(|(aq, ci)| (aq + ci).min(1.0))
            .collect();
        let change = next
            .iter()
            .zip(&q)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f64::max);
        q = next;
        if change < 1e-13 {
            break;
        }
    }
    q
}

/// The shock vector, the matrix whose powers make the tiers (applied transposed for Ghosh), and
/// the linear total from one LU solve.
fn linear(
    table: &IoTable,
    model: IoModel,
    shocks: &[IoShock],
) -> Result<(Vec<f64>, Matrix, bool, Vec<f64>), Error> {
    let n = table.n();
    let mut lost = vec![0.0; n];
    for s in shocks {
        let i = table.sector_index(&s.sector).ok_or_else(|| {
            Error::Table(format!(
                "no sector `{}` (sectors: {})",
                s.sector,
                table.sectors.join(", ")
            ))
        })?;
        lost[i] = s.lost;
    }
    // The shock vector, the matrix whose powers make the tiers (applied transposed for Ghosh),
    // and the total from one LU solve.
    Ok(match model {
        IoModel::Leontief => {
            let a = table.technical();
            let s: Vec<f64> = (0..n).map(|i| lost[i] * table.final_demand[i]).collect();
            let total = table.factor("A", &a)?.solve(&s);
            (s, a, false, total)
        }
        IoModel::Ghosh => {
            let b = table.allocation();
            let s: Vec<f64> = (0..n).map(|i| lost[i] * table.value_added[i]).collect();
            let total = table.factor("B", &b)?.solve_transpose(&s);
            (s, b, true, total)
        }
        IoModel::Inoperability => {
            let a_star = table.allocation();
            let s = lost.clone();
            let total = table.factor("A*", &a_star)?.solve(&s);
            (s, a_star, false, total)
        }
    })
}

/// Runs a model on a table: `tiers` is the last order shown separately (3 shows first-, second-
/// and third-order effects).
pub fn run(
    table: &IoTable,
    model: IoModel,
    shocks: &[IoShock],
    tiers: usize,
) -> Result<IoOutcome, Error> {
    let n = table.n();
    let (shock, matrix, transposed, total) = linear(table, model, shocks)?;
    let saturated: Vec<bool> = match model {
        IoModel::Inoperability => total.iter().map(|&q| q > 1.0 + 1e-12).collect(),
        _ => vec![false; n],
    };
    let bounded = if saturated.iter().any(|&b| b) {
        bounded_inoperability(&matrix, &shock)
    } else {
        total.clone()
    };
    let step = |x: &[f64]| {
        if transposed {
            matrix.tmul_vec(x)
        } else {
            matrix.mul_vec(x)
        }
    };
    let mut series = vec![shock.clone()];
    for _ in 0..tiers {
        let next = step(series.last().map_or(&shock[..], |v| &v[..]));
        series.push(next);
    }
    let effects: Vec<SectorEffect> = (0..n)
        .map(|i| {
            let t: Vec<f64> = series.iter().map(|v| v[i]).collect();
            let sum: f64 = t.iter().sum();
            let x = table.output[i];
            let (output_loss, relative) = match model {
                IoModel::Inoperability => (x * bounded[i], bounded[i]),
                _ => (total[i], if x > 0.0 { total[i] / x } else { 0.0 }),
            };
            SectorEffect {
                sector: i,
                shock: shock[i],
                tiers: t,
                higher: total[i] - sum,
                total: bounded[i],
                linear_total: total[i],
                saturated: saturated[i],
                output_loss,
                relative,
            }
        })
        .collect();
    let tier_sums = (0..=tiers)
        .map(|k| effects.iter().map(|e| e.tiers[k]).sum())
        .collect();
    Ok(IoOutcome {
        model,
        tier_sums,
        higher_sum: effects.iter().map(|e| e.higher).sum(),
        total_sum: effects.iter().map(|e| e.total).sum(),
        output_loss_sum: effects.iter().map(|e| e.output_loss).sum(),
        saturated: effects.iter().any(|e| e.saturated),
        effects,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Three sectors; flows chosen so that A has simple fractions.
    ///        agri  manu  serv |  f   |  x
    /// agri     10    40    10 |  40  | 100
    /// manu     20    60    40 |  80  | 200
    /// serv     10    20    20 | 150  | 200
    fn table() -> IoTable {
        IoTable::new(
            vec!["agri".into(), "manu".into(), "serv".into()],
            vec![10.0, 40.0, 10.0, 20.0, 60.0, 40.0, 10.0, 20.0, 20.0],
            vec![40.0, 80.0, 150.0],
            None,
            None,
        )
        .expect("valid table")
    }

    #[test]
    fn coefficients_are_hand_checked() {
        let t = table();
        assert_eq!(t.output(), &[100.0, 200.0, 200.0]);
        // Value added = x - column sums: 100-40, 200-120, 200-70.
        assert_eq!(t.value_added(), &[60.0, 80.0, 130.0]);
        let a = t.technical();
        assert_eq!(a.row(0), &[0.1, 0.2, 0.05]);
        assert_eq!(a.row(1), &[0.2, 0.3, 0.2]);
        assert_eq!(a.row(2), &[0.1, 0.1, 0.1]);
        let b = t.allocation();
        assert_eq!(b.row(0), &[0.1, 0.4, 0.1]);
        assert_eq!(b.row(2), &[0.05, 0.1, 0.1]);
    }

    #[test]
    fn the_leontief_inverse_reproduces_output() {
        // x = L f exactly.
        let t = table();
        let l = t.leontief_inverse().expect("productive");
        let x = l.mul_vec(t.final_demand());
        for (got, want) in x.iter().zip(t.output()) {
            assert!((got - want).abs() < 1e-9, "{got} vs {want}");
        }
    }

    #[test]
    fn tier_sums_converge_to_the_leontief_inverse() {
        // Σ_k A^k f for k = 0..200 matches (I - A)^-1 f to 1e-9, and Σ_k A^k matches L entrywise.
        let t = table();
        let a = t.technical();
        let l = t.leontief_inverse().expect("productive");
        let f = t.final_demand().to_vec();
        let mut term = f.clone();
        let mut sum = f.clone();
        let mut power = Matrix::identity(3);
        let mut series = Matrix::identity(3);
        for _ in 0..200 {
            term = a.mul_vec(&term);
            for (s, v) in sum.iter_mut().zip(&term) {
                *s += v;
            }
            power = power.mul(&a);
            for i in 0..3 {
                for j in 0..3 {
                    series.set(i, j, series.get(i, j) + power.get(i, j));
                }
            }
        }
        let want = l.mul_vec(&f);
        for (got, want) in sum.iter().zip(&want) {
            assert!((got - want).abs() < 1e-9, "{got} vs {want}");
        }
        for i in 0..3 {
            for j in 0..3 {
                assert!((series.get(i, j) - l.get(i, j)).abs() < 1e-9);
            }
        }
    }

    #[test]
    fn leontief_tiers_are_separate_and_add_up() {
        // Losing all of agri's final demand (40): tier 0 = (40, 0, 0); tier 1 = A·(40,0,0) =
        // (4, 8, 4); tier 2 = A·(4, 8, 4) = (0.4+1.6+0.2, 0.8+2.4+0.8, 0.4+0.8+0.4) = (2.2, 4, 1.6).
        let t = table();
        let out = run(
            &t,
            IoModel::Leontief,
            &["agri=1".parse().expect("shock")],
            3,
        )
        .expect("runs");
        let agri = &out.effects[0];
        assert_eq!(agri.shock, 40.0);
        assert!((agri.tiers[1] - 4.0).abs() < 1e-12);
        assert!((agri.tiers[2] - 2.2).abs() < 1e-12);
        let manu = &out.effects[1];
        assert!((manu.tiers[1] - 8.0).abs() < 1e-12);
        assert!((manu.tiers[2] - 4.0).abs() < 1e-12);
        for e in &out.effects {
            let sum: f64 = e.tiers.iter().sum::<f64>() + e.higher;
            assert!((sum - e.total).abs() < 1e-12);
        }
        let l = t.leontief_inverse().expect("productive");
        for (e, want) in out.effects.iter().zip(l.mul_vec(&[40.0, 0.0, 0.0])) {
            assert!((e.total - want).abs() < 1e-9);
        }
    }

    #[test]
    fn ghosh_and_iim_match_their_inverses() {
        let t = table();
        let n = 3;
        let b = t.allocation();
        let g = Lu::factor(&b.identity_minus()).expect("regular").inverse();
        // Ghosh: Δx' = Δv' G with Δv = 0.5 · v_manu = 40 in manu only: Δx_j = 40 · G[manu][j].
        let out = run(&t, IoModel::Ghosh, &["manu=0.5".parse().expect("shock")], 3).expect("runs");
        for j in 0..n {
            assert!((out.effects[j].total - 40.0 * g.get(1, j)).abs() < 1e-9);
        }
        // With no shock, Ghosh reproduces output from value added: x' = v' G.
        let x = g.tmul_vec(t.value_added());
        for (got, want) in x.iter().zip(t.output()) {
            assert!((got - want).abs() < 1e-9);
        }
        // IIM: q = (I - A*)^-1 c*, with A* = x̂⁻¹ A x̂ built from A by hand.
        let a = t.technical();
        let mut a_star = Matrix::zeros(n);
        for i in 0..n {
            for j in 0..n {
                a_star.set(i, j, a.get(i, j) * t.output()[j] / t.output()[i]);
            }
        }
        let q = Lu::factor(&a_star.identity_minus())
            .expect("regular")
            .solve(&[0.0, 0.0, 0.2]);
        let out = run(
            &t,
            IoModel::Inoperability,
            &["serv=0.2".parse().expect("shock")],
            3,
        )
        .expect("runs");
        for (i, q) in q.iter().enumerate() {
            assert!((out.effects[i].total - q).abs() < 1e-12);
            assert!((out.effects[i].output_loss - q * t.output()[i]).abs() < 1e-9);
        }
        assert!(out.effects[2].total >= 0.2);
    }

    #[test]
    fn inoperability_is_bounded_and_saturation_is_flagged() {
        let t = table();
        // Losing all of agri: the linear IIM gives 1.2091 for agri (120.9%), more than all of it.
        let out = run(
            &t,
            IoModel::Inoperability,
            &["agri=1".parse().expect("shock")],
            3,
        )
        .expect("runs");
        assert!(out.saturated);
        let agri = &out.effects[0];
        assert!(agri.saturated);
        assert!(
            (agri.linear_total - 1.2091).abs() < 1e-4,
            "{}",
            agri.linear_total
        );
        assert_eq!(agri.total, 1.0);
        assert_eq!(agri.output_loss, 100.0);
        for e in &out.effects {
            assert!((0.0..=1.0).contains(&e.total), "{e:?}");
            assert!(e.relative <= 1.0);
            // The bounded solution is a fixpoint of q = min(1, A*q + c*).
        }
        let a_star = t.allocation();
        let aq = a_star.mul_vec(&out.effects.iter().map(|e| e.total).collect::<Vec<_>>());
        for (i, e) in out.effects.iter().enumerate() {
            assert!((e.total - (aq[i] + e.shock).min(1.0)).abs() < 1e-9);
            // Capping agri passes less on: the others lose less than in the linear model.
            assert!(e.total <= e.linear_total + 1e-12);
        }
        assert!(out.effects[1].total < out.effects[1].linear_total);
        // Unsaturated runs are the linear model, unflagged.
        let small = run(
            &t,
            IoModel::Inoperability,
            &["agri=0.5".parse().expect("shock")],
            3,
        )
        .expect("runs");
        assert!(!small.saturated);
        for e in &small.effects {
            assert_eq!(e.total, e.linear_total);
        }
    }

    #[test]
    fn bad_tables_and_shocks_are_refused() {
        let e = IoTable::new(vec!["a".into()], vec![1.0, 2.0], vec![1.0], None, None)
            .expect_err("not square");
        assert!(e.to_string().contains("1 by 1"));
        // A sector that uses more than it makes: (I - A) is singular.
        let t = IoTable::new(vec!["a".into()], vec![10.0], vec![0.0], None, None).expect("shape");
        let e = run(&t, IoModel::Leontief, &["a=0.5".parse().expect("shock")], 3)
            .expect_err("singular");
        assert!(e.to_string().contains("singular"), "{e}");
        let e = run(
            &table(),
            IoModel::Leontief,
            &["mining=0.5".parse().expect("shock")],
            3,
        )
        .expect_err("unknown");
        assert!(e.to_string().contains("no sector `mining`"), "{e}");
        assert!("agri=1.5".parse::<IoShock>().is_err());
        assert!("agri".parse::<IoShock>().is_err());
    }
}
