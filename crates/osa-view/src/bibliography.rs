//! The bibliography of osa's outputs: the Digital Power China report in full, its chapters by
//! line range (so a `seed L1649-1655` reference reads as the chapter, its authors and the lines),
//! and every other source as written (publications, datasets, judgments).

/// The report osa's method and embedded baseline come from.
pub const REPORT: &str = "Digital Power China research consortium (convenor Tim Rühlig, German Council on Foreign Relations (DGAP); co-chair Carlo Fischione, KTH Royal Institute of Technology), China's digital tech power and EU Open Strategic Autonomy, Berlin: Digital Power China, 2023; supported by the German Federal Foreign Office and COST Action CA18215 (China in Europe Research Network). The report's text gives no web address of its own; osa counts its lines in the compact text of the report (7,145 lines).";

/// The report's parts: (first line, last line, part, authors).
pub const CHAPTERS: &[(u32, u32, &str, &str)] = &[
    (
        1,
        41,
        "About the Digital Power China research consortium",
        "",
    ),
    (
        42,
        251,
        "Executive Summary: Getting China's digital technology policy right: implications for the EU",
        "",
    ),
    (
        252,
        1122,
        "Ch. 1, Introduction: European Open Strategic Autonomy in the light of China's digital tech power",
        "Jan-Peter Kleinhans, Tim Rühlig",
    ),
    (
        1123,
        2026,
        "Ch. 2, Challenges of a rising Chinese chip design ecosystem",
        "Jan-Peter Kleinhans, John Lee",
    ),
    (
        2027,
        3033,
        "Ch. 3, In political and technological harmony or disharmony? How Europe and China advance towards 6G",
        "",
    ),
    (
        3034,
        3983,
        "Ch. 4, Crypto Without the Currency: China's Blockchain Strategy",
        "",
    ),
    (
        3984,
        4834,
        "Ch. 5, Assessing the Financial and Geoeconomic Implications of China's Digital Currency",
        "Amir Elalouf, Maximilian Mayer",
    ),
    (
        4835,
        5613,
        "Ch. 6, Chinese Vehicle-to-Everything (V2X) Technology and the European Car Industry",
        "Sanne van der Lugt, Raúl Rojas, Frans-Paul van der Putten",
    ),
    (
        5614,
        6462,
        "Ch. 7, AI for Urban Public Security: Threats to European Security and Values",
        "Gregory Walton, Valentin Weber",
    ),
    (
        6463,
        7145,
        "Ch. 8, AI ethics and Chinese AI-based consumer applications (title and authors not in the text)",
        "",
    ),
];

/// A source as a reader cites it: a seed reference becomes the report's chapter (with authors)
/// and lines; `pub:`, `data:` and `judgment:` sources are spelled out.
pub fn cite(source: &str) -> String {
    let s = source.trim();
    if let Some(rest) = s.strip_prefix("seed L") {
        let first = rest
            .split(['-', ','])
            .next()
            .and_then(|x| x.trim().parse::<u32>().ok());
        let lines = rest.replace(", L", ", ");
        return match first.and_then(chapter) {
            Some((part, "")) => {
                format!("DPC report, {part}, lines {lines}")
            }
            Some((part, authors)) => format!("DPC report, {part} ({authors}), lines {lines}"),
            None => format!("DPC report, lines {lines}"),
        };
    }
    for (prefix, what) in [
        ("pub:", "Publication"),
        ("data:", "Dataset"),
        ("judgment:", "Judgment"),
    ] {
        if let Some(rest) = s.strip_prefix(prefix) {
            return format!("{what}: {}", rest.trim());
        }
    }
    s.to_string()
}

fn chapter(line: u32) -> Option<(&'static str, &'static str)> {
    CHAPTERS
        .iter()
        .find(|(a, b, _, _)| (*a..=*b).contains(&line))
        .map(|(_, _, p, au)| (*p, *au))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_references_read_as_chapters() {
        assert_eq!(
            cite("seed L1649-1655"),
            "DPC report, Ch. 2, Challenges of a rising Chinese chip design ecosystem (Jan-Peter Kleinhans, John Lee), lines 1649-1655"
        );
        assert!(cite("seed L2062-2063").starts_with("DPC report, Ch. 3, In political"));
        assert_eq!(cite("pub: USGS, MCS 2024"), "Publication: USGS, MCS 2024");
        assert_eq!(cite("judgment: osa team"), "Judgment: osa team");
        // The parts cover the report without gaps.
        for w in CHAPTERS.windows(2) {
            assert_eq!(w[0].1 + 1, w[1].0);
        }
        assert_eq!(CHAPTERS.last().map(|c| c.1), Some(7145));
    }
}
