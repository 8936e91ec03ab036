//! Dense square matrices and an LU factorisation with partial pivoting: enough linear algebra for
//! input-output tables (a few thousand sectors) without a dependency. Factorising costs n³/3
//! multiply-adds (an OECD ICIO table of 3,400 sectors takes seconds); each solve after that n².

/// A square matrix, row-major.
#[derive(Debug, Clone, PartialEq)]
pub struct Matrix {
    n: usize,
    data: Vec<f64>,
}

impl Matrix {
    /// The n-by-n zero matrix.
    pub fn zeros(n: usize) -> Matrix {
        Matrix {
            n,
            data: vec![0.0; n * n],
        }
    }

    /// The identity.
    pub fn identity(n: usize) -> Matrix {
        let mut m = Matrix::zeros(n);
        for i in 0..n {
            m.data[i * n + i] = 1.0;
        }
        m
    }

    /// From row-major data; `None` when `data` is not n².
    pub fn from_rows(n: usize, data: Vec<f64>) -> Option<Matrix> {
        (data.len() == n * n).then_some(Matrix { n, data })
    }

    /// Size.
    pub fn n(&self) -> usize {
        self.n
    }

    /// Entry (i, j).
    pub fn get(&self, i: usize, j: usize) -> f64 {
        self.data[i * self.n + j]
    }

    /// Sets entry (i, j).
    pub fn set(&mut self, i: usize, j: usize, v: f64) {
        self.data[i * self.n + j] = v;
    }

    /// Row i.
    pub fn row(&self, i: usize) -> &[f64] {
        &self.data[i * self.n..(i + 1) * self.n]
    }

    /// `I - self`.
    pub fn identity_minus(&self) -> Matrix {
        let mut m = Matrix {
            n: self.n,
            data: self.data.iter().map(|v| -v).collect(),
        };
        for i in 0..self.n {
            m.data[i * self.n + i] += 1.0;
        }
        m
    }

    /// `self * x`.
    pub fn mul_vec(&self, x: &[f64]) -> Vec<f64> {
        (0..self.n)
            .map(|i| self.row(i).iter().zip(x).map(|(a, b)| a * b).sum())
            .collect()
    }

    /// `selfᵀ * x`.
    pub fn tmul_vec(&self, x: &[f64]) -> Vec<f64> {
        let mut out = vec![0.0; self.n];
        for (i, &xi) in x.iter().enumerate().take(self.n) {
            if xi == 0.0 {
                continue;
            }
            for (o, a) in out.iter_mut().zip(self.row(i)) {
                *o += a * xi;
            }
        }
        out
    }

    /// `self * other`.
    pub fn mul(&self, other: &Matrix) -> Matrix {
        let n = self.n;
        let mut out = Matrix::zeros(n);
        for i in 0..n {
            for k in 0..n {
                let a = self.data[i * n + k];
                if a == 0.0 {
                    continue;
                }
                let (src, dst) = (other.row(k), &mut out.data[i * n..(i + 1) * n]);
                for (d, b) in dst.iter_mut().zip(src) {
                    *d += a * b;
                }
            }
        }
        out
    }

    /// Largest absolute entry.
    pub fn max_abs(&self) -> f64 {
        self.data.iter().fold(0.0, |m, v| m.max(v.abs()))
    }
}

/// `P A = L U` with unit lower-triangular L and row permutation P.
#[derive(Debug, Clone)]
pub struct Lu {
    n: usize,
    lu: Vec<f64>,
    /// Row `i` of `P A` is row `perm[i]` of `A`.
    perm: Vec<usize>,
}

impl Lu {
    /// Factorises `a`; `Err(k)` when column `k` has no usable pivot (the matrix is singular to
    /// working precision).
    pub fn factor(a: &Matrix) -> Result<Lu, usize> {
        let n = a.n;
        let mut lu = a.data.clone();
        let mut perm: Vec<usize> = (0..n).collect();
        let tol = 1e-13 * a.max_abs().max(1.0);
        for k in 0..n {
            let (p, best) = (k..n)
                .map(|i| (i, lu[i * n + k].abs()))
                .fold((k, -1.0), |b, c| if c.1 > b.1 { c } else { b });
            if best.is_nan() || best <= tol {
                return Err(k);
            }
            if p != k {
                for j in 0..n {
                    lu.swap(k * n + j, p * n + j);
                }
                perm.swap(k, p);
            }
            let (top, bottom) = lu.split_at_mut((k + 1) * n);
            let pivot_row = &top[k * n..];
            let pivot = pivot_row[k];
            for row in bottom.chunks_mut(n) {
                let l = row[k] / pivot;
                row[k] = l;
                if l != 0.0 {
                    for (r, u) in row[k + 1..].iter_mut().zip(&pivot_row[k + 1..]) {
                        *r -= l * u;
                    }
                }
            }
        }
        Ok(Lu { n, lu, perm })
    }

    /// Solves `A x = b`.
    pub fn solve(&self, b: &[f64]) -> Vec<f64> {
        let n = self.n;
        let mut x: Vec<f64> = self.perm.iter().map(|&p| b[p]).collect();
        for i in 0..n {
            let row = &self.lu[i * n..i * n + i];
            let s: f64 = row.iter().zip(&x[..i]).map(|(l, v)| l * v).sum();
            x[i] -= s;
        }
        for i in (0..n).rev() {
            let row = &self.lu[i * n..(i + 1) * n];
            let s: f64 = row[i + 1..]
                .iter()
                .zip(&x[i + 1..])
                .map(|(u, v)| u * v)
                .sum();
            x[i] = (x[i] - s) / row[i];
        }
        x
    }

    /// Solves `Aᵀ x = b`.
    pub fn solve_transpose(&self, b: &[f64]) -> Vec<f64> {
        let n = self.n;
        // Aᵀ = Uᵀ Lᵀ P: solve Uᵀ y = b, then Lᵀ z = y, then x = Pᵀ z.
        let mut y = b.to_vec();
        for i in 0..n {
            y[i] /= self.lu[i * n + i];
            let yi = y[i];
            for (yj, u) in y[i + 1..]
                .iter_mut()
                .zip(&self.lu[i * n + i + 1..(i + 1) * n])
            {
                *yj -= u * yi;
            }
        }
        for i in (0..n).rev() {
            let yi = y[i];
            for (yj, l) in y[..i].iter_mut().zip(&self.lu[i * n..i * n + i]) {
                *yj -= l * yi;
            }
        }
        let mut x = vec![0.0; n];
        for (i, &p) in self.perm.iter().enumerate() {
            x[p] = y[i];
        }
        x
    }

    /// The inverse, column by column.
    pub fn inverse(&self) -> Matrix {
        let n = self.n;
        let mut inv = Matrix::zeros(n);
        let mut e = vec![0.0; n];
        for j in 0..n {
            e.fill(0.0);
            e[j] = 1.0;
            let col = self.solve(&e);
            for (i, v) in col.into_iter().enumerate() {
                inv.data[i * n + j] = v;
            }
        }
        inv
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn solves_a_hand_checked_system() {
        // [[2, 1], [4, 3]] x = [3, 7] -> x = [1, 1]; the inverse is [[1.5, -0.5], [-2, 1]].
        let a = Matrix::from_rows(2, vec![2.0, 1.0, 4.0, 3.0]).expect("2x2");
        let lu = Lu::factor(&a).expect("regular");
        let x = lu.solve(&[3.0, 7.0]);
        assert!((x[0] - 1.0).abs() < 1e-15 && (x[1] - 1.0).abs() < 1e-15);
        let inv = lu.inverse();
        for (got, want) in inv.data.iter().zip([1.5, -0.5, -2.0, 1.0]) {
            assert!((got - want).abs() < 1e-15, "{got} vs {want}");
        }
        // Transposed: [[2, 4], [1, 3]] x = [6, 4] -> x = [1, 1].
        let xt = lu.solve_transpose(&[6.0, 4.0]);
        assert!((xt[0] - 1.0).abs() < 1e-15 && (xt[1] - 1.0).abs() < 1e-15);
    }

    #[test]
    fn singular_matrices_are_refused() {
        let a = Matrix::from_rows(2, vec![1.0, 2.0, 2.0, 4.0]).expect("2x2");
        assert_eq!(Lu::factor(&a).err(), Some(1));
    }

    proptest! {
        /// For diagonally dominant matrices, A (A⁻¹ b) = b and Aᵀ (A⁻ᵀ b) = b.
        #[test]
        fn solutions_satisfy_the_system(
            n in 1usize..8,
            entries in proptest::collection::vec(-1.0f64..1.0, 64),
            b in proptest::collection::vec(-10.0f64..10.0, 8),
        ) {
            let mut a = Matrix::zeros(n);
            for i in 0..n {
                for j in 0..n {
                    a.set(i, j, entries[i * 8 + j] + if i == j { n as f64 + 1.0 } else { 0.0 });
                }
            }
            let lu = Lu::factor(&a).expect("diagonally dominant");
            let b = &b[..n];
            let x = lu.solve(b);
            for (got, want) in a.mul_vec(&x).iter().zip(b) {
                prop_assert!((got - want).abs() < 1e-10);
            }
            let xt = lu.solve_transpose(b);
            for (got, want) in a.tmul_vec(&xt).iter().zip(b) {
                prop_assert!((got - want).abs() < 1e-10);
            }
        }
    }
}
