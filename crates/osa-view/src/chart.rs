//! Charts for the HTML outputs, drawn server-side as SVG with plotters: horizontal bar charts
//! with one row per category (an input, a counterpart and dimension, a supplier), an x axis with
//! its unit, a legend, and the source printed under the chart by the page. No script, no fonts:
//! the SVG text uses the page's font.

use plotters::coord::Shift;
use plotters::coord::ranged1d::SegmentValue;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;

/// A palette of distinguishable fills (ColorBrewer Set2 and Dark2, colour-blind friendly).
const PALETTE: [RGBColor; 10] = [
    RGBColor(27, 158, 119),
    RGBColor(217, 95, 2),
    RGBColor(117, 112, 179),
    RGBColor(231, 41, 138),
    RGBColor(102, 166, 30),
    RGBColor(230, 171, 2),
    RGBColor(166, 118, 29),
    RGBColor(31, 120, 180),
    RGBColor(251, 154, 153),
    RGBColor(102, 102, 102),
];

/// Grey, for "other" and "unattributed".
pub const GREY: RGBColor = RGBColor(190, 190, 190);
/// Red, for what is beyond tolerance.
pub const RED: RGBColor = RGBColor(179, 38, 30);
/// Dark ink, for reference marks (a tolerance).
pub const INK: RGBColor = RGBColor(29, 39, 51);

/// The palette's `k`-th colour (cycling).
pub fn color(k: usize) -> RGBColor {
    PALETTE[k % PALETTE.len()]
}

/// One series of bars: a legend label, a colour and the bars as (row, from, to) on the x axis.
/// A series drawn in `slot` k of `slots` takes that part of each row's band (grouped bars); a
/// `mark` series draws thin ticks at `to` (a threshold) instead of bars.
#[derive(Debug, Clone)]
pub struct Series {
    /// Legend label.
    pub label: String,
    /// Fill.
    pub color: RGBColor,
    /// Bars: row index, start and end on the x axis.
    pub bars: Vec<(usize, f64, f64)>,
    /// The part of the band: (k, of).
    pub slot: (u32, u32),
    /// Whether the bars are ticks at their end.
    pub mark: bool,
}

impl Series {
    /// A series of bars over the whole band of each row.
    pub fn new(label: impl Into<String>, color: RGBColor, bars: Vec<(usize, f64, f64)>) -> Self {
        Series {
            label: label.into(),
            color,
            bars,
            slot: (0, 1),
            mark: false,
        }
    }
}

/// A horizontal bar chart.
#[derive(Debug, Clone)]
pub struct Bars {
    /// Chart title (also the SVG's accessible name).
    pub title: String,
    /// The x axis's description with its unit.
    pub x_desc: String,
    /// The x axis's range.
    pub x_range: (f64, f64),
    /// Whether x values are shares (0-1) shown as percentages.
    pub percent: bool,
    /// Row labels, top to bottom.
    pub rows: Vec<String>,
    /// The series.
    pub series: Vec<Series>,
}

/// Draws the chart as an SVG document (an `<svg>` element), or `None` when it has no row.
pub fn bars_svg(c: &Bars) -> Option<String> {
    if c.rows.is_empty() {
        return None;
    }
    if c.rows.len() == 1 {
        // A segmented axis needs two rows to draw a band: one row gets an empty row under it.
        let mut padded = c.clone();
        padded.rows.push(String::new());
        return bars_svg(&padded);
    }
    let label_px = c
        .rows
        .iter()
        .map(|r| r.chars().count())
        .max()
        .unwrap_or(0)
        .clamp(8, 44) as u32
        * 7
        + 24;
    let legend_rows = c.series.len().div_ceil(4) as u32;
    let height = 80 + 26 * c.rows.len() as u32 + 22 * legend_rows;
    let mut svg = String::new();
    draw(c, &mut svg, (900, height), label_px).ok()?;
    Some(svg)
}

fn draw(
    c: &Bars,
    svg: &mut String,
    size: (u32, u32),
    label_px: u32,
) -> Result<(), Box<dyn std::error::Error>> {
    let root = SVGBackend::with_string(svg, size).into_drawing_area();
    root.fill(&WHITE)?;
    let n = c.rows.len() as i32;
    let legend_px = 22 * c.series.len().div_ceil(4) as u32;
    let (plot, legend) = root.split_vertically(size.1 - legend_px);
    let mut chart = ChartBuilder::on(&plot)
        .caption(&c.title, ("sans-serif", 15))
        .margin(8)
        .margin_right(28)
        .x_label_area_size(40)
        .y_label_area_size(label_px)
        .build_cartesian_2d(c.x_range.0..c.x_range.1, (0..n - 1).into_segmented())?;
    let percent = c.percent;
    let rows = &c.rows;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .light_line_style(TRANSPARENT)
        .x_desc(&c.x_desc)
        .x_label_formatter(&|v| {
            if percent {
                format!("{:.0}%", v * 100.0)
            } else {
                let r = (v * 100.0).round() / 100.0;
                format!("{r}")
            }
        })
        .y_labels(rows.len())
        .y_label_formatter(&|v| match v {
            // Row 0 is drawn at the top.
            SegmentValue::CenterOf(i) => {
                rows.get((n - 1 - i) as usize).cloned().unwrap_or_default()
            }
            _ => String::new(),
        })
        .label_style(("sans-serif", 12))
        .axis_desc_style(("sans-serif", 12))
        .draw()?;
    let band = chart.plotting_area().dim_in_pixel().1 / n.max(1) as u32;
    for s in &c.series {
        let (k, of) = s.slot;
        let part = band.saturating_sub(6) / of.max(1);
        let top = 3 + k * part;
        let bottom = band.saturating_sub(top + part);
        let style = s.color.filled();
        chart.draw_series(s.bars.iter().map(|&(row, from, to)| {
            let y = n - 1 - row as i32;
            let (x0, x1) = if s.mark {
                let w = (c.x_range.1 - c.x_range.0) * 0.004;
                (to - w, to + w)
            } else {
                (from, to)
            };
            let mut r = Rectangle::new(
                [
                    (x0, SegmentValue::Exact(y)),
                    (x1, SegmentValue::Exact(y + 1)),
                ],
                style,
            );
            r.set_margin(top, bottom, 0, 0);
            r
        }))?;
    }
    legend_row(&legend, &c.series)?;
    root.present()?;
    Ok(())
}

/// The legend: a swatch and the label of each series, four to a line.
fn legend_row(
    area: &DrawingArea<SVGBackend, plotters::coord::Shift>,
    series: &[Series],
) -> Result<(), Box<dyn std::error::Error>> {
    for (k, s) in series.iter().enumerate() {
        let x = 16 + (k % 4) as i32 * 220;
        let y = 4 + (k / 4) as i32 * 22;
        area.draw(&Rectangle::new(
            [(x, y + 2), (x + 14, y + 14)],
            s.color.filled(),
        ))?;
        area.draw(&Text::new(
            s.label.clone(),
            (x + 20, y + 2),
            ("sans-serif", 12).into_font(),
        ))?;
    }
    Ok(())
}

/// Step 1: who supplies each input in scope, as stacked shares of the world market. The seven
/// largest suppliers over the inputs get a colour each; the rest are "other countries".
pub fn suppliers(e: &crate::assess::EcosystemView) -> Option<String> {
    let mut totals: std::collections::BTreeMap<&str, f64> = Default::default();
    for i in &e.supplier_shares {
        for (c, s) in &i.shares {
            *totals.entry(c.as_str()).or_default() += s;
        }
    }
    let mut top: Vec<(&str, f64)> = totals.into_iter().collect();
    top.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(b.0)));
    top.truncate(7);
    let mut series: Vec<Series> = top
        .iter()
        .enumerate()
        .map(|(k, (c, _))| Series::new(*c, color(k), Vec::new()))
        .collect();
    let mut other = Series::new("other countries", GREY, Vec::new());
    let mut unattributed = Series::new("unattributed", RGBColor(225, 225, 225), Vec::new());
    for (row, i) in e.supplier_shares.iter().enumerate() {
        let mut x = 0.0;
        for (c, s) in &i.shares {
            let target = match top.iter().position(|(t, _)| t == c) {
                Some(k) => &mut series[k],
                None => &mut other,
            };
            target.bars.push((row, x, x + s));
            x += s;
        }
        if i.unattributed > 0.0 {
            unattributed.bars.push((row, x, x + i.unattributed));
        }
    }
    for s in [other, unattributed] {
        if !s.bars.is_empty() {
            series.push(s);
        }
    }
    bars_svg(&Bars {
        title: "Who supplies each input in scope".into(),
        x_desc: "share of the world market (%), latest year with data".into(),
        x_range: (0.0, 1.0),
        percent: true,
        rows: e
            .supplier_shares
            .iter()
            .map(|i| crate::format::cut(&format!("{} ({})", i.name, i.year), 44))
            .collect(),
        series,
    })
}

/// Step 3: the risk of each counterpart on each assessed dimension against the EU's tolerance.
pub fn risks(g: &crate::assess::GeopoliticsView) -> Option<String> {
    let mut rows = Vec::new();
    let mut within = Series::new("risk within tolerance", color(7), Vec::new());
    let mut beyond = Series::new("risk beyond tolerance", RED, Vec::new());
    let mut tolerance = Series::new("tolerance", INK, Vec::new());
    tolerance.mark = true;
    for c in &g.counterparts {
        for d in osa_assess::Dimension::ALL {
            let Some(r) = c.dimensions.get(d.id()) else {
                continue;
            };
            if r.severity <= 0.0 {
                continue;
            }
            let row = rows.len();
            rows.push(format!("{} · {}", c.country, crate::format::words(d.id())));
            let s = if r.beyond_tolerance {
                &mut beyond
            } else {
                &mut within
            };
            s.bars.push((row, 0.0, r.risk));
            tolerance.bars.push((row, 0.0, r.tolerance));
        }
    }
    let series = [within, beyond, tolerance]
        .into_iter()
        .filter(|s| !s.bars.is_empty())
        .collect();
    bars_svg(&Bars {
        title: "Risk against tolerance, per counterpart and dimension".into(),
        x_desc: "risk = severity (level / 4) x likelihood of weaponization (0-1)".into(),
        x_range: (0.0, 1.0),
        percent: false,
        rows,
        series,
    })
}

/// Step 2: judged next to computed levels, where osa computes any.
pub fn levels(v: &crate::assess::DossierView) -> Option<String> {
    let dims = osa_assess::Dimension::ALL;
    let any_computed = dims.iter().any(|d| v.dimensions[d.id()].computed.is_some());
    if !any_computed {
        return None;
    }
    let mut judged = Series::new("judged (from the sources)", color(2), Vec::new());
    judged.slot = (0, 2);
    let mut computed = Series::new("computed (from ecosystem data)", color(1), Vec::new());
    computed.slot = (1, 2);
    for (row, d) in dims.iter().enumerate() {
        let x = &v.dimensions[d.id()];
        if let Some(l) = x.judged.level {
            judged.bars.push((row, 0.0, f64::from(l).max(0.05)));
        }
        if let Some(c) = &x.computed {
            computed.bars.push((row, 0.0, f64::from(c.level).max(0.05)));
        }
    }
    bars_svg(&Bars {
        title: "Judged and computed levels".into(),
        x_desc: "level (0 none or negligible, 1 low, 2 moderate, 3 high, 4 critical)".into(),
        x_range: (0.0, 4.0),
        percent: false,
        rows: dims.iter().map(|d| d.name().to_string()).collect(),
        series: vec![judged, computed],
    })
}

/// A disruption's reach: availability of each input reached, with the Monte Carlo p5-p95 band
/// where the run drew (the worst week's in a weekly run).
pub fn availability(rows: &[crate::disrupt::SimulateRow]) -> Option<String> {
    let shown: Vec<&crate::disrupt::SimulateRow> = rows.iter().take(30).collect();
    let mut point = Series::new("availability (point estimate)", color(7), Vec::new());
    point.slot = (0, 2);
    let mut band = Series::new("p5-p95 of the Monte Carlo draws", color(5), Vec::new());
    band.slot = (1, 2);
    for (k, r) in shown.iter().enumerate() {
        point.bars.push((k, 0.0, r.availability));
        if let (Some(a), Some(b)) = (r.p5, r.p95) {
            band.bars.push((k, a, b.max(a + 0.005)));
        }
    }
    let series = [point, band]
        .into_iter()
        .filter(|s| !s.bars.is_empty())
        .collect();
    let title = if absorbed(&shown) {
        "Availability of each input the disruption reaches: stocks and mitigations absorb the shock"
    } else {
        "Availability of each input the disruption reaches"
    };
    bars_svg(&Bars {
        title: title.into(),
        x_desc: "availability (% of normal supply; the worst week in a weekly run)".into(),
        x_range: (0.0, 1.0),
        percent: true,
        rows: shown
            .iter()
            .map(|r| crate::format::cut(&format!("{} (order {})", r.name, r.order), 44))
            .collect(),
        series,
    })
}

/// A weekly run: availability week by week of the inputs hit hardest (at most eight).
pub fn weekly(rows: &[crate::disrupt::SimulateRow]) -> Option<String> {
    let mut hit: Vec<&crate::disrupt::SimulateRow> =
        rows.iter().filter(|r| r.weekly.is_some()).collect();
    hit.sort_by(|a, b| a.availability.total_cmp(&b.availability));
    hit.truncate(8);
    let weeks = hit
        .iter()
        .filter_map(|r| r.weekly.as_ref().map(Vec::len))
        .max()?;
    let mut svg = String::new();
    draw_weekly(&hit, weeks, &mut svg).ok()?;
    Some(dashed(svg, hit.len()))
}

/// The line style of the k-th series of a line chart besides its colour (`stroke-dasharray`;
/// solid first), so series stay apart in grey print and for readers who do not tell the colours.
pub const DASHES: [&str; 4] = ["", "9 4", "2 3", "12 3 3 3"];

/// Gives the lines (and their legend marks) of the first `n` series their dash pattern.
fn dashed(svg: String, n: usize) -> String {
    let mut out = svg;
    for k in 1..n.min(PALETTE.len()) {
        let dash = DASHES[k % DASHES.len()];
        if dash.is_empty() {
            continue;
        }
        let RGBColor(r, g, b) = color(k);
        let stroke = format!("stroke=\"#{r:02X}{g:02X}{b:02X}\" stroke-width=\"2\"");
        out = out.replace(&stroke, &format!("{stroke} stroke-dasharray=\"{dash}\""));
    }
    out
}

/// Whether stocks and mitigations absorb the whole shock: every input shown keeps its full
/// supply although the run without them loses some.
pub fn absorbed(rows: &[&crate::disrupt::SimulateRow]) -> bool {
    !rows.is_empty() && rows.iter().all(|r| r.covered())
}

fn draw_weekly(
    rows: &[&crate::disrupt::SimulateRow],
    weeks: usize,
    svg: &mut String,
) -> Result<(), Box<dyn std::error::Error>> {
    let root = SVGBackend::with_string(svg, (900, 380)).into_drawing_area();
    root.fill(&WHITE)?;
    let caption = if absorbed(rows) {
        "Availability week by week: stocks and mitigations absorb the shock (every input at 100%)"
    } else {
        "Availability week by week (the inputs hit hardest; shaded: p5-p95 of the draws)"
    };
    let mut chart = weekly_axes(&root, caption, weeks)?;
    // The p5-p95 band of the three hardest hit, under the lines.
    for (k, r) in rows.iter().enumerate().take(3) {
        let Some(band) = &r.weekly_band else { continue };
        let upper = band.iter().enumerate().map(|(t, q)| (t as f64, q[1]));
        let lower = band.iter().enumerate().rev().map(|(t, q)| (t as f64, q[0]));
        chart.draw_series(std::iter::once(Polygon::new(
            upper.chain(lower).collect::<Vec<_>>(),
            color(k).mix(0.18).filled(),
        )))?;
    }
    for (k, r) in rows.iter().enumerate() {
        let Some(w) = &r.weekly else { continue };
        let c = color(k);
        chart
            .draw_series(LineSeries::new(
                w.iter().enumerate().map(|(i, v)| (i as f64, *v)),
                c.stroke_width(2),
            ))?
            .label(crate::format::cut(&r.name, 28))
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], c.stroke_width(2)));
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::LowerRight)
        .margin(4)
        .label_font(("sans-serif", 12))
        .background_style(WHITE)
        .border_style(GREY)
        .draw()?;
    root.present()?;
    Ok(())
}

/// An effect's order in words: order 0 (hit directly) is the first-order effect, order 1 the
/// second-order, order 2 the third-order, beyond that higher-order.
pub fn order_words(order: u32) -> &'static str {
    match order {
        0 => "first-order",
        1 => "second-order",
        2 => "third-order",
        _ => "higher-order",
    }
}

/// The colour of an effect's order (first, second, third, higher).
pub fn order_color(order: u32) -> RGBColor {
    match order {
        0 => RED,
        1 => color(1),
        2 => color(7),
        _ => color(2),
    }
}

/// Most inputs [`weekly_by_order`] draws (the hardest hit).
pub const MAX_WEEKLY_INPUTS: usize = 24;

/// A weekly run: availability week by week of every input reached (the hardest hit first, at
/// most [`MAX_WEEKLY_INPUTS`]), one line per input coloured by its order, each with its p5-p95
/// band where the run drew.
pub fn weekly_by_order(rows: &[crate::disrupt::SimulateRow]) -> Option<String> {
    let mut hit: Vec<&crate::disrupt::SimulateRow> =
        rows.iter().filter(|r| r.weekly.is_some()).collect();
    hit.sort_by(|a, b| {
        a.order
            .cmp(&b.order)
            .then(a.availability.total_cmp(&b.availability))
    });
    hit.truncate(MAX_WEEKLY_INPUTS);
    let weeks = hit
        .iter()
        .filter_map(|r| r.weekly.as_ref().map(Vec::len))
        .max()?;
    let mut svg = String::new();
    draw_by_order(&hit, weeks, &mut svg).ok()?;
    Some(svg)
}

fn draw_by_order(
    rows: &[&crate::disrupt::SimulateRow],
    weeks: usize,
    svg: &mut String,
) -> Result<(), Box<dyn std::error::Error>> {
    let height = 360 + 18 * rows.len() as u32;
    let root = SVGBackend::with_string(svg, (900, height)).into_drawing_area();
    root.fill(&WHITE)?;
    let (plot, legend) = root.split_vertically(360);
    let mut chart = weekly_axes(
        &plot,
        "Availability week by week, by order of effect (shaded: p5-p95 of the draws)",
        weeks,
    )?;
    for r in rows {
        let Some(band) = &r.weekly_band else { continue };
        let upper = band.iter().enumerate().map(|(t, q)| (t as f64, q[1]));
        let lower = band.iter().enumerate().rev().map(|(t, q)| (t as f64, q[0]));
        chart.draw_series(std::iter::once(Polygon::new(
            upper.chain(lower).collect::<Vec<_>>(),
            order_color(r.order).mix(0.15).filled(),
        )))?;
    }
    for (k, r) in rows.iter().enumerate() {
        let Some(w) = &r.weekly else { continue };
        let c = order_color(r.order);
        chart.draw_series(LineSeries::new(
            w.iter().enumerate().map(|(i, v)| (i as f64, *v)),
            c.stroke_width(2),
        ))?;
        let y = 6 + 18 * k as i32;
        legend.draw(&PathElement::new(
            vec![(70, y + 6), (92, y + 6)],
            c.stroke_width(3),
        ))?;
        legend.draw(&Text::new(
            format!(
                "{} ({} effect; worst {:.0}%)",
                crate::format::cut(&r.name, 48),
                order_words(r.order),
                r.availability * 100.0
            ),
            (100, y),
            ("sans-serif", 12),
        ))?;
    }
    root.present()?;
    Ok(())
}

/// Screening: dependent import value by supplier (the 20 largest).
pub fn import_value(rows: &[crate::trade::SupplierRow]) -> Option<String> {
    let shown: Vec<&crate::trade::SupplierRow> = rows.iter().take(20).collect();
    let max = shown.iter().map(|r| r.value / 1000.0).fold(0.0, f64::max);
    let bars = shown
        .iter()
        .enumerate()
        .map(|(k, r)| (k, 0.0, r.value / 1000.0))
        .collect();
    bars_svg(&Bars {
        title: "Dependent import value by supplier".into(),
        x_desc: "imports of the dependent products, million USD".into(),
        x_range: (0.0, if max > 0.0 { max * 1.05 } else { 1.0 }),
        percent: false,
        rows: shown
            .iter()
            .map(|r| crate::format::cut(&format!("{} ({})", r.name, r.country), 44))
            .collect(),
        series: vec![Series::new("dependent imports", color(0), bars)],
    })
}

/// A weekly availability chart's axes: weeks after the shock, availability in % of normal supply.
type WeeklyChart<'a, 'b> =
    ChartContext<'a, SVGBackend<'b>, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

fn weekly_axes<'a, 'b>(
    area: &'a DrawingArea<SVGBackend<'b>, Shift>,
    caption: &str,
    weeks: usize,
) -> Result<WeeklyChart<'a, 'b>, Box<dyn std::error::Error>> {
    let mut chart = ChartBuilder::on(area)
        .caption(caption, ("sans-serif", 15))
        .margin(8)
        .margin_right(28)
        .x_label_area_size(40)
        .y_label_area_size(56)
        .build_cartesian_2d(0f64..(weeks.saturating_sub(1).max(1)) as f64, 0f64..1.02f64)?;
    chart
        .configure_mesh()
        .light_line_style(TRANSPARENT)
        .x_desc("week after the shock")
        .y_desc("availability (% of normal supply)")
        .y_label_formatter(&|v| format!("{:.0}%", v * 100.0))
        .label_style(("sans-serif", 12))
        .axis_desc_style(("sans-serif", 12))
        .draw()?;
    Ok(chart)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn weekly_row(k: usize, weekly: Vec<f64>, unmitigated: f64) -> crate::disrupt::SimulateRow {
        let worst = weekly.iter().copied().fold(1.0, f64::min);
        crate::disrupt::SimulateRow {
            id: format!("i{k}"),
            name: format!("input {k}"),
            kind: "material".into(),
            order: 0,
            availability: worst,
            p5: None,
            p50: None,
            p95: None,
            unmitigated,
            direct_loss: 0.5,
            worst_week: Some(1),
            weekly: Some(weekly),
            weekly_band: None,
        }
    }

    #[test]
    fn weekly_series_differ_in_colour_and_line_style_and_absorbed_shocks_say_so() {
        let rows: Vec<_> = (0..3)
            .map(|k| weekly_row(k, vec![1.0, 0.5 + 0.1 * k as f64, 0.9], 0.4))
            .collect();
        let svg = weekly(&rows).expect("a chart");
        for k in 0..3 {
            let RGBColor(r, g, b) = color(k);
            assert!(
                svg.contains(&format!("stroke=\"#{r:02X}{g:02X}{b:02X}\"")),
                "colour {k}"
            );
        }
        assert!(svg.contains("stroke-dasharray=\"9 4\""), "{svg}");
        assert!(svg.contains("stroke-dasharray=\"2 3\""));
        assert!(!svg.contains("absorb"));
        let kept: Vec<_> = (0..2).map(|k| weekly_row(k, vec![1.0; 4], 0.6)).collect();
        let svg = weekly(&kept).expect("a chart");
        assert!(
            svg.contains("stocks and mitigations absorb the shock"),
            "{svg}"
        );
        let bars = availability(&kept).expect("a chart");
        assert!(bars.contains("stocks and mitigations absorb the shock"));
    }

    #[test]
    fn a_bar_chart_has_axis_rows_and_legend() {
        let c = Bars {
            title: "Who supplies what".into(),
            x_desc: "share of world market (%)".into(),
            x_range: (0.0, 1.0),
            percent: true,
            rows: vec!["Gallium".into(), "Neon".into()],
            series: vec![
                Series::new("CHN", color(0), vec![(0, 0.0, 0.98)]),
                Series::new("UKR", color(1), vec![(1, 0.0, 0.5)]),
            ],
        };
        let svg = bars_svg(&c).expect("svg");
        assert!(svg.starts_with("<svg"));
        for text in [
            "Gallium",
            "Neon",
            "share of world market (%)",
            "CHN",
            "UKR",
            "50%",
        ] {
            assert!(svg.contains(text), "{text} missing");
        }
        assert!(svg.matches("<rect").count() >= 4);
        let one = Bars {
            rows: vec!["Gallium".into()],
            series: vec![Series::new("CHN", color(0), vec![(0, 0.0, 0.98)])],
            ..c.clone()
        };
        let svg = bars_svg(&one).expect("a one-row chart");
        assert!(svg.contains("Gallium") && svg.contains("CHN"));
        // The bar itself: plot area, legend swatch and the bar.
        assert!(svg.matches("<rect").count() >= 3, "{svg}");
        assert!(bars_svg(&Bars { rows: vec![], ..c }).is_none());
    }

    #[test]
    fn a_weekly_chart_draws_lines_and_the_band() {
        let row = crate::disrupt::SimulateRow {
            id: "neon".into(),
            name: "Neon".into(),
            kind: "material".into(),
            order: 0,
            availability: 0.5,
            p5: Some(0.4),
            p50: Some(0.5),
            p95: Some(0.6),
            unmitigated: 0.5,
            direct_loss: 0.5,
            worst_week: Some(1),
            weekly: Some(vec![1.0, 0.5, 0.8]),
            weekly_band: Some(vec![[1.0, 1.0], [0.4, 0.6], [0.7, 0.9]]),
        };
        let svg = weekly(std::slice::from_ref(&row)).expect("svg");
        for text in [
            "week after the shock",
            "availability (% of normal supply)",
            "Neon",
            "50%",
        ] {
            assert!(svg.contains(text), "{text} missing");
        }
        assert!(svg.contains("<polygon") && svg.contains("<polyline"));
        let second = crate::disrupt::SimulateRow {
            id: "lithography".into(),
            name: "Lithography".into(),
            order: 1,
            ..row.clone()
        };
        let svg = weekly_by_order(&[row, second]).expect("svg");
        assert!(
            svg.contains("#B3261E") && svg.contains("#D95F02"),
            "coloured by order"
        );
        assert!(svg.contains("Neon (first-order effect; worst 50%)"));
        assert!(svg.contains("Lithography (second-order effect; worst 50%)"));
        assert!(svg.contains("week after the shock"));
    }
}
