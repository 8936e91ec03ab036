//! A seeded generator of synthetic BACI years, for benchmarks: a CSV in BACI's layout (`t,i,j,k,v,q`,
//! `q` space-padded and quoted, about 3% `NA`) and the country-code table that goes with it
//! (V202401 layout, Taiwan as 490 "Other Asia, nes" with ISO3 `S19`, as in BACI).
//!
//! Shape: HS6 codes structured like the HS (96 chapters, about 1,230 headings, 4.3 subheadings per
//! heading); country sizes follow a power law (rank^-1.2, the big traders first), product
//! popularity another (rank^-0.9, shuffled over the codes). Exporter i ships product p to
//! importer j with probability min(1, λ · s_i^0.7 · s_j^0.6 · w_p), λ solved so the expected row
//! count meets the target; values are heavy-tailed (log-normal, σ = 1.8, scaled by both partners'
//! sizes and the product's popularity). Rows are sorted by exporter, importer, product, as BACI's
//! are. The same spec and seed give the same bytes.

use osa_model::CountryCode;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::io::{self, Write};

/// What to generate.
#[derive(Debug, Clone, Copy)]
pub struct Spec {
    /// Target number of rows (met in expectation).
    pub rows: usize,
    /// Number of HS6 products.
    pub products: usize,
    /// Number of countries.
    pub countries: usize,
    /// The year.
    pub year: u16,
    /// RNG seed.
    pub seed: u64,
}

/// Most rows the generator writes (about 8 GB of CSV).
pub const MAX_ROWS: usize = 200_000_000;

/// Most products (the HS has about 5,600 subheadings).
pub const MAX_PRODUCTS: usize = 100_000;

impl Spec {
    /// Checks the sizes against [`MAX_ROWS`] and [`MAX_PRODUCTS`] before anything is allocated.
    pub fn check(&self) -> Result<(), crate::error::Error> {
        if self.rows > MAX_ROWS {
            return Err(crate::error::Error::Invalid(format!(
                "--rows {} is beyond the limit of {MAX_ROWS} rows (about 8 GB of CSV)",
                self.rows
            )));
        }
        if self.products > MAX_PRODUCTS {
            return Err(crate::error::Error::Invalid(format!(
                "--products {} is beyond the limit of {MAX_PRODUCTS} products",
                self.products
            )));
        }
        Ok(())
    }

    /// A full BACI year: about 11 million rows, 5,300 products, 220 countries.
    pub fn full_year(seed: u64) -> Spec {
        Spec {
            rows: 11_000_000,
            products: 5_300,
            countries: 220,
            year: 2021,
            seed,
        }
    }
}

/// EU members as of 2021 (for the generator's country choice only).
const EU27: [&str; 27] = [
    "AUT", "BEL", "BGR", "HRV", "CYP", "CZE", "DNK", "EST", "FIN", "FRA", "DEU", "GRC", "HUN",
    "IRL", "ITA", "LVA", "LTU", "LUX", "MLT", "NLD", "POL", "PRT", "ROU", "SVK", "SVN", "ESP",
    "SWE",
];

/// The largest traders, in rough order of size.
const BIG: [&str; 24] = [
    "CHN", "USA", "DEU", "JPN", "KOR", "FRA", "NLD", "ITA", "GBR", "HKG", "CAN", "MEX", "TWN",
    "IND", "SGP", "CHE", "BEL", "ESP", "VNM", "RUS", "MYS", "THA", "BRA", "AUS",
];

/// One generated country: its BACI code and ISO3.
#[derive(Debug, Clone, Copy)]
pub struct SynthCountry {
    /// BACI code (ISO numeric; 490 for Taiwan).
    pub code: u16,
    /// The country.
    pub country: CountryCode,
}

/// The countries of a spec, largest first.
pub fn countries(spec: &Spec) -> Vec<SynthCountry> {
    let mut chosen: Vec<CountryCode> = Vec::new();
    let mut push = |c: CountryCode| {
        if !chosen.contains(&c) {
            chosen.push(c);
        }
    };
    for code in BIG.iter().chain(EU27.iter()) {
        if let Some(c) = CountryCode::parse(code) {
            push(c);
        }
    }
    for c in osa_model::country::all_countries() {
        if c.numeric.is_some() {
            push(c.alpha3);
        }
    }
    chosen.truncate(spec.countries.max(2));
    chosen
        .into_iter()
        .filter_map(|c| {
            let code = if c.as_str() == "TWN" {
                490
            } else {
                c.country().numeric?
            };
            Some(SynthCountry { code, country: c })
        })
        .collect()
}

/// The country-code table (BACI V202401 layout) for a spec.
pub fn country_table(spec: &Spec) -> String {
    let mut cs = countries(spec);
    cs.sort_by_key(|c| c.code);
    let mut out = String::from("country_code,country_name,country_iso2,country_iso3\n");
    for c in cs {
        let (name, iso2, iso3) = if c.code == 490 {
            ("Other Asia, nes".to_string(), "S19".to_string(), "S19")
        } else {
            (
                c.country.name().replace('"', "'"),
                c.country.country().alpha2.clone(),
                c.country.as_str(),
            )
        };
        out.push_str(&format!("{},\"{}\",{},{}\n", c.code, name, iso2, iso3));
    }
    out
}

fn normal(rng: &mut ChaCha8Rng) -> f64 {
    let u1: f64 = rng.random_range(f64::EPSILON..1.0);
    let u2: f64 = rng.random_range(0.0..1.0);
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

/// Expected rows of a pair with scale `c`: Σ_p min(1, c·w_p), with `w` sorted descending and
/// `tail[k] = Σ_{p >= k} w_p`.
fn expected(c: f64, w: &[f64], tail: &[f64]) -> f64 {
    // Products with c·w_p >= 1 are always shipped.
    let k = w.partition_point(|&x| c * x >= 1.0);
    k as f64 + c * tail[k]
}

/// The products of a spec: HS6 codes (sorted), their popularity `w` (summing to 1) and price,
/// and the popularity sorted descending with its tail sums (for [`expected`]).
struct Products {
    codes: Vec<u32>,
    w: Vec<f64>,
    price: Vec<f64>,
    sorted_w: Vec<f64>,
    tail: Vec<f64>,
}

/// Writes the CSV; returns the rows written. `progress` is told the exporters done (of
/// `spec.countries`). Steps, each drawing from one seeded stream in turn: the countries and
/// their sizes, the products (codes shaped like the HS, popularity, prices), the scale λ that
/// meets the row count, then the rows exporter by exporter.
pub fn write_csv<W: Write>(spec: &Spec, out: W, progress: &dyn Fn(u64)) -> io::Result<u64> {
    let mut rng = ChaCha8Rng::seed_from_u64(spec.seed);
    let world = world(spec, &mut rng);
    write_rows(spec, &world, &mut rng, out, progress)
}

/// One year of a synthetic panel: the countries, products and their sizes drawn from
/// `world_seed` (the same for every year of the panel), the rows from `spec.seed` (one per
/// year), so that the same products and countries trade with year-to-year variation.
pub fn write_panel_year<W: Write>(
    spec: &Spec,
    world_seed: u64,
    out: W,
    progress: &dyn Fn(u64),
) -> io::Result<u64> {
    let mut rng = ChaCha8Rng::seed_from_u64(world_seed);
    let world = world(spec, &mut rng);
    let mut rows = ChaCha8Rng::seed_from_u64(spec.seed);
    write_rows(spec, &world, &mut rows, out, progress)
}

/// The countries and their sizes, the products and the scale λ, drawn from `rng`.
fn world(spec: &Spec, rng: &mut ChaCha8Rng) -> World {
    let cs = countries(spec);
    let n = cs.len();
    let size: Vec<f64> = (0..n).map(|r| ((r + 1) as f64).powf(-1.2)).collect();
    let codes = product_codes(spec, rng);
    let products = products(codes, rng);
    let lambda = solve_scale(spec, &size, &products);
    World {
        countries: cs,
        size,
        products,
        lambda,
    }
}

/// Everything the rows are drawn from: the countries (largest first) and their sizes, the
/// products, and the scale λ.
struct World {
    countries: Vec<SynthCountry>,
    size: Vec<f64>,
    products: Products,
    lambda: f64,
}

/// HS6 codes shaped like the HS: 96 chapters (77 is reserved), about 1,230 headings numbered
/// from 01 within their chapter, about 4.3 subheadings per heading with the usual endings (10,
/// 20, ..., 90, then 11, 12, 19, ...); sorted.
fn product_codes(spec: &Spec, rng: &mut ChaCha8Rng) -> Vec<u32> {
    const ENDINGS: [u32; 40] = [
        10, 90, 20, 30, 11, 19, 40, 50, 21, 29, 12, 60, 31, 39, 80, 13, 22, 41, 49, 91, 99, 70, 32,
        14, 23, 51, 59, 15, 24, 33, 42, 61, 69, 16, 25, 34, 43, 52, 92, 93,
    ];
    let chapters: Vec<u32> = (1..=97).filter(|c| *c != 77).collect();
    let n_headings = (spec.products * 1_230 / 5_300).max(chapters.len());
    let mut per_chapter = vec![0u32; chapters.len()];
    for h in 0..n_headings {
        // Every chapter gets a heading, then headings go to random chapters (at most 99 each).
        let c = if h < chapters.len() {
            h
        } else {
            rng.random_range(0..chapters.len())
        };
        if per_chapter[c] < 99 {
            per_chapter[c] += 1;
        }
    }
    let headings: Vec<u32> = chapters
        .iter()
        .zip(&per_chapter)
        .flat_map(|(ch, n)| (1..=*n).map(move |h| ch * 100 + h))
        .collect();
    let mut subs = vec![0usize; headings.len()];
    let mut codes: Vec<u32> = Vec::with_capacity(spec.products);
    while codes.len() < spec.products.min(headings.len() * ENDINGS.len()) {
        let h = rng.random_range(0..headings.len());
        if subs[h] < ENDINGS.len() {
            codes.push(headings[h] * 100 + ENDINGS[subs[h]]);
            subs[h] += 1;
        }
    }
    codes.sort_unstable();
    codes
}

/// Popularity by shuffled rank (rank^-0.9) and a log-normal price per product.
fn products(codes: Vec<u32>, rng: &mut ChaCha8Rng) -> Products {
    let mut rank: Vec<usize> = (0..codes.len()).collect();
    for i in (1..rank.len()).rev() {
        let j = rng.random_range(0..=i);
        rank.swap(i, j);
    }
    let raw_w: Vec<f64> = rank.iter().map(|&r| ((r + 1) as f64).powf(-0.9)).collect();
    let sum_w: f64 = raw_w.iter().sum();
    let w: Vec<f64> = raw_w.iter().map(|x| x / sum_w).collect();
    let price: Vec<f64> = (0..codes.len())
        .map(|_| (1.0 + 1.5 * normal(rng)).exp())
        .collect();
    let mut sorted_w = w.clone();
    sorted_w.sort_by(|a, b| b.total_cmp(a));
    let mut tail = vec![0.0; sorted_w.len() + 1];
    for k in (0..sorted_w.len()).rev() {
        tail[k] = tail[k + 1] + sorted_w[k];
    }
    Products {
        codes,
        w,
        price,
        sorted_w,
        tail,
    }
}

/// Scale of a pair of countries before λ.
fn pair(size: &[f64], i: usize, j: usize) -> f64 {
    size[i].powf(0.7) * size[j].powf(0.6)
}

/// λ such that the expected row count meets the spec's (bisection on a log scale).
fn solve_scale(spec: &Spec, size: &[f64], products: &Products) -> f64 {
    let n = size.len();
    let total = |lambda: f64| -> f64 {
        let mut t = 0.0;
        for i in 0..n {
            for j in 0..n {
                if i != j {
                    t += expected(
                        lambda * pair(size, i, j),
                        &products.sorted_w,
                        &products.tail,
                    );
                }
            }
        }
        t
    };
    let (mut lo, mut hi) = (1e-3_f64, 1e12_f64);
    for _ in 0..80 {
        let mid = (lo * hi).sqrt();
        if total(mid) < spec.rows as f64 {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    (lo * hi).sqrt()
}

/// The largest quantity written, in tonnes. A value over a low price can give an implausible
/// quantity (about 2 rows in 11 million went over 1e10 t); the largest flows BACI records (iron
/// ore, Australia to China) are under 1e9 t a year, so quantities are capped there. Values, and
/// so every screening, are unchanged (the cap draws no random number).
const MAX_QUANTITY_T: f64 = 1e9;

/// The header and the rows, by BACI code of exporter, then importer, then product.
fn write_rows<W: Write>(
    spec: &Spec,
    world: &World,
    rng: &mut ChaCha8Rng,
    out: W,
    progress: &dyn Fn(u64),
) -> io::Result<u64> {
    let (cs, size, lambda) = (&world.countries, &world.size, world.lambda);
    let mut order: Vec<usize> = (0..cs.len()).collect();
    order.sort_by_key(|&i| cs[i].code);
    let mut out = io::BufWriter::with_capacity(1 << 20, out);
    out.write_all(b"t,i,j,k,v,q\n")?;
    let mut rows = 0u64;
    let mut line = String::with_capacity(64);
    let Products {
        codes, w, price, ..
    } = &world.products;
    for (done, &i) in order.iter().enumerate() {
        for &j in &order {
            if i == j {
                continue;
            }
            let c = lambda * pair(size, i, j);
            let scale = (size[i] * size[j]).sqrt() * 5.0e5;
            for (p, &code) in codes.iter().enumerate() {
                let prob = c * w[p];
                if prob < 1.0 && rng.random_range(0.0..1.0) >= prob {
                    continue;
                }
                let v = (scale * (w[p] * codes.len() as f64).powf(0.5) * (1.8 * normal(rng)).exp())
                    .max(0.001);
                line.clear();
                use std::fmt::Write as _;
                let _ = write!(
                    line,
                    "{},{},{},{},{:.3},",
                    spec.year, cs[i].code, cs[j].code, code, v
                );
                if rng.random_range(0u32..100) < 3 {
                    line.push_str("\"           NA\"\n");
                } else {
                    let q = (v / price[p]).min(MAX_QUANTITY_T);
                    let _ = writeln!(line, "\"{q:>13.3}\"");
                }
                out.write_all(line.as_bytes())?;
                rows += 1;
            }
        }
        progress(done as u64 + 1);
    }
    out.flush()?;
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::countries::CountryTable;

    #[test]
    fn small_year_has_the_asked_shape() {
        let spec = Spec {
            rows: 20_000,
            products: 300,
            countries: 40,
            year: 2021,
            seed: 7,
        };
        let mut buf = Vec::new();
        let rows = write_csv(&spec, &mut buf, &|_| {}).expect("writes");
        assert!((18_000..22_000).contains(&rows), "rows {rows}");
        let text = String::from_utf8(buf.clone()).expect("utf8");
        assert_eq!(text.lines().count() as u64, rows + 1);
        // Same seed, same bytes.
        let mut again = Vec::new();
        write_csv(&spec, &mut again, &|_| {}).expect("writes");
        assert_eq!(buf, again);
        // The table resolves Taiwan and every code used.
        let table = CountryTable::parse(&country_table(&spec), "synth").expect("table");
        let twn = table.entity_of(490).expect("490");
        assert_eq!(table.entities()[twn as usize].label, "TWN");
        for line in text.lines().skip(1).take(500) {
            let row = crate::ingest::baci::parse_row(line.as_bytes(), &table);
            assert!(row.is_ok(), "{line}: {row:?}");
        }
    }
}
