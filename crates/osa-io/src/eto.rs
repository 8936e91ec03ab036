//! Importer for the CSET Emerging Technology Observatory (ETO) semiconductor supply-chain dataset,
//! in both published layouts:
//!
//! - **2026** (`eto-chip-explorer`): `provision.csv` has numeric `share_provided` (0-100), `year` and
//!   `source`; `providers.csv` has `alias`;
//! - **2025** (`eto-supply-chain`): shares are text like `61%`, there is no year (the figures are the
//!   CSET 2021 report's, which describe 2019, so osa records year 2019), and a
//!   `negligible_market_share` flag.
//!
//! Mapping: country providers become ISO3 providers (`EUR`, "Europe", stays a region; the 2025
//! release's `MAL` is read as `MYS`); "Various countries" becomes `unattributed` and "Various
//! companies" `unattributed-firms` (never a country); organisations become firms with their home
//! country; provision on `S1`-`S3` becomes stage provision; `sequence.csv` gives `goes_into` and
//! `is_type_of` edges. Exact duplicate rows are dropped with a warning. Every record keeps the file
//! and line it came from, so validation problems point at the CSV line.

use crate::error::{Diagnostic, Error, Result};
use crate::lines::LineIndex;
use osa_model::{
    Checked, CountryCode, Ecosystem, Firm, Input, InputKind, Provision, Record, Stage,
    UNATTRIBUTED, UNATTRIBUTED_FIRMS,
};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Which release layout a directory holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// The 2026 `eto-chip-explorer` release.
    V2026,
    /// The 2025 `eto-supply-chain` release.
    V2025,
}

impl Layout {
    fn label(self) -> &'static str {
        match self {
            Layout::V2026 => "CSET ETO chip explorer (2026 release)",
            Layout::V2025 => "CSET ETO supply chain (2025 release)",
        }
    }
}

/// Year recorded for the 2025 release, whose shares describe 2019 (CSET, The Semiconductor Supply
/// Chain: Assessing National Competitiveness, 2021).
pub const V2025_YEAR: i32 = 2019;

/// Country codes in ETO files that are not ISO 3166-1 alpha-3, and what they mean.
const COUNTRY_ALIASES: &[(&str, &str)] = &[("MAL", "MYS")];

/// The result of an import: the checked ecosystem and the warnings an analyst should read.
#[derive(Debug)]
pub struct Imported {
    /// The ecosystem.
    pub checked: Checked,
    /// Which layout was read.
    pub layout: Layout,
    /// Non-fatal findings (aliases applied, duplicates dropped).
    pub warnings: Vec<String>,
}

/// Whether a directory looks like an ETO release.
pub fn is_eto_dir(dir: &Path) -> bool {
    [
        "inputs.csv",
        "providers.csv",
        "provision.csv",
        "sequence.csv",
        "stages.csv",
    ]
    .iter()
    .all(|f| dir.join(f).is_file())
}

struct Table {
    path: PathBuf,
    headers: Vec<String>,
    rows: Vec<(usize, Vec<String>)>,
}

impl Table {
    fn read(dir: &Path, name: &str) -> Result<Table> {
        let path = dir.join(name);
        let bytes = std::fs::read(&path).map_err(|source| Error::Io {
            path: path.clone(),
            source,
        })?;
        let text = String::from_utf8(bytes).map_err(|e| {
            Error::one(
                &path.display().to_string(),
                None,
                "",
                "",
                format!("not UTF-8 text: {e}"),
            )
        })?;
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
        let mut rdr = csv::ReaderBuilder::new()
            .flexible(false)
            .from_reader(text.as_bytes());
        let file = path.display().to_string();
        let headers = rdr
            .headers()
            .map_err(|e| Error::one(&file, Some(1), "header", "", e.to_string()))?
            .iter()
            .map(str::to_string)
            .collect();
        // Line numbers come from byte offsets: the csv crate's own line count lags by one on CRLF
        // files (the 2025 release uses CRLF).
        let lines = LineIndex::new(text);
        let bytes = text.as_bytes();
        let line_at = |byte: u64| {
            let mut at = byte as usize;
            while at < bytes.len() && (bytes[at] == b'\r' || bytes[at] == b'\n') {
                at += 1;
            }
            lines.line(at)
        };
        let mut rows = Vec::new();
        for rec in rdr.records() {
            let rec = rec.map_err(|e| {
                let line = e.position().map(|p| line_at(p.byte()));
                Error::one(&file, line, "", "", format!("malformed CSV row: {e}"))
            })?;
            let line = rec.position().map_or(0, |p| line_at(p.byte()));
            rows.push((line, rec.iter().map(str::to_string).collect()));
        }
        Ok(Table {
            path,
            headers,
            rows,
        })
    }

    fn file(&self) -> String {
        self.path.display().to_string()
    }

    fn col(&self, name: &str) -> Result<usize> {
        self.headers.iter().position(|h| h == name).ok_or_else(|| {
            Error::one(
                &self.file(),
                Some(1),
                "header",
                name,
                format!("missing column `{name}`"),
            )
        })
    }

    fn opt_col(&self, name: &str) -> Option<usize> {
        self.headers.iter().position(|h| h == name)
    }
}

/// How a provider id of `providers.csv` maps into osa.
#[derive(Debug, Clone)]
enum Mapped {
    Provider(String),
}

/// Imports an ETO directory.
pub fn import(dir: &Path) -> Result<Imported> {
    let stages_t = Table::read(dir, "stages.csv")?;
    let inputs_t = Table::read(dir, "inputs.csv")?;
    let providers_t = Table::read(dir, "providers.csv")?;
    let provision_t = Table::read(dir, "provision.csv")?;
    let sequence_t = Table::read(dir, "sequence.csv")?;
    let layout = if provision_t.opt_col("year").is_some() {
        Layout::V2026
    } else if provision_t.opt_col("negligible_market_share").is_some() {
        Layout::V2025
    } else {
        return Err(Error::one(
            &provision_t.file(),
            Some(1),
            "header",
            "",
            "neither a `year` (2026 layout) nor a `negligible_market_share` column (2025 layout)"
                .into(),
        ));
    };
    let mut warnings = Vec::new();
    let mut diags = Vec::new();
    let mut origin: HashMap<Record, (String, usize)> = HashMap::new();

    // Stages.
    let (c_sid, c_sname) = (stages_t.col("stage_id")?, stages_t.col("stage_name")?);
    let c_sdesc = stages_t.opt_col("description");
    let mut stages = Vec::new();
    for (line, r) in &stages_t.rows {
        origin.insert(Record::Stage(stages.len()), (stages_t.file(), *line));
        stages.push(Stage {
            id: r[c_sid].trim().to_string(),
            name: r[c_sname].trim().to_string(),
            description: c_sdesc.map(|c| r[c].trim().to_string()).unwrap_or_default(),
            provision: Vec::new(),
        });
    }

    // Inputs.
    let c_iid = inputs_t.col("input_id")?;
    let c_iname = inputs_t.col("input_name")?;
    let c_type = inputs_t.col("type")?;
    let c_istage = inputs_t.col("stage_id")?;
    let c_idesc = inputs_t.opt_col("description");
    let c_market = inputs_t.opt_col("market_share_chart_global_market_size_info");
    let c_msource = inputs_t.opt_col("market_share_chart_source");
    let mut inputs = Vec::new();
    for (line, r) in &inputs_t.rows {
        let kind = match r[c_type].trim() {
            "process" => InputKind::Process,
            "design_resource" => InputKind::DesignResource,
            "tool_resource" => InputKind::Tool,
            "material_resource" => InputKind::Material,
            "ultimate_output" => InputKind::FinalOutput,
            other => {
                diags.push(Diagnostic {
                    file: inputs_t.file(),
                    line: Some(*line),
                    record: format!("input \"{}\"", r[c_iid]),
                    field: "type".into(),
                    message: format!("unknown ETO input type `{other}`"),
                });
                InputKind::Process
            }
        };
        let stage = Some(r[c_istage].trim())
            .filter(|s| !s.is_empty())
            .map(str::to_string);
        let market = c_market.map(|c| r[c].trim()).filter(|s| !s.is_empty());
        let mut sources = vec![format!("data: {}, inputs.csv line {line}", layout.label())];
        if let Some(s) = c_msource.map(|c| r[c].trim()).filter(|s| !s.is_empty()) {
            sources.push(format!("pub: {s}"));
        }
        origin.insert(Record::Input(inputs.len()), (inputs_t.file(), *line));
        inputs.push(Input {
            id: r[c_iid].trim().to_string(),
            name: r[c_iname].trim().to_string(),
            kind,
            stage,
            description: c_idesc.map(|c| r[c].trim().to_string()).unwrap_or_default(),
            notes: market
                .map(|m| format!("Global market size: {m}"))
                .unwrap_or_default(),
            sources,
            ..Input::default()
        });
    }

    // Providers.
    let c_pid = providers_t.col("provider_id")?;
    let c_pname = providers_t.col("provider_name")?;
    let c_ptype = providers_t.col("provider_type")?;
    let c_pcountry = providers_t.col("country")?;
    let mut firms = Vec::new();
    let mut providers: HashMap<String, Mapped> = HashMap::new();
    let mut provider_line: HashMap<String, (usize, String, String, String)> = HashMap::new();
    for (line, r) in &providers_t.rows {
        let id = r[c_pid].trim().to_string();
        let name = r[c_pname].trim();
        // The 2026 release lists a provider once per alias; the same id, name, type and country is
        // the same provider. A reused id with different facts is an error.
        let facts = (
            name.to_string(),
            r[c_ptype].trim().to_string(),
            r[c_pcountry].trim().to_string(),
        );
        if let Some((first, n, t, c)) = provider_line.get(&id) {
            if (n, t, c) != (&facts.0, &facts.1, &facts.2) {
                diags.push(Diagnostic {
                    file: providers_t.file(),
                    line: Some(*line),
                    record: format!("provider \"{id}\""),
                    field: "provider_id".into(),
                    message: format!(
                        "id `{id}` already names a different provider on line {first} (`{n}`, {t}, {c})"
                    ),
                });
            }
            continue;
        }
        provider_line.insert(id.clone(), (*line, facts.0, facts.1, facts.2));
        let mapped = match r[c_ptype].trim() {
            "country" => {
                if name.starts_with("Various") {
                    Mapped::Provider(UNATTRIBUTED.into())
                } else if CountryCode::parse(name).is_some()
                    || osa_model::country::region(name).is_some()
                {
                    Mapped::Provider(name.to_string())
                } else if let Some((_, iso)) = COUNTRY_ALIASES.iter().find(|(a, _)| *a == name) {
                    warnings.push(format!(
                        "{}:{line}: country provider `{name}` read as {iso}",
                        providers_t.file()
                    ));
                    Mapped::Provider(iso.to_string())
                } else {
                    diags.push(Diagnostic {
                        file: providers_t.file(),
                        line: Some(*line),
                        record: format!("provider \"{id}\""),
                        field: "provider_name".into(),
                        message: format!("unknown country code `{name}` (not ISO 3166-1 alpha-3)"),
                    });
                    continue;
                }
            }
            "organization" => {
                if name.starts_with("Various") {
                    Mapped::Provider(UNATTRIBUTED_FIRMS.into())
                } else {
                    let country = r[c_pcountry].trim();
                    let country = if country.is_empty() || country.starts_with("Various") {
                        None
                    } else if let Some((_, iso)) =
                        COUNTRY_ALIASES.iter().find(|(a, _)| *a == country)
                    {
                        Some(iso.to_string())
                    } else {
                        Some(country.to_string())
                    };
                    origin.insert(Record::Firm(firms.len()), (providers_t.file(), *line));
                    firms.push(Firm {
                        id: id.clone(),
                        name: name.to_string(),
                        country,
                        source: format!("data: {}, providers.csv line {line}", layout.label()),
                    });
                    Mapped::Provider(id.clone())
                }
            }
            other => {
                diags.push(Diagnostic {
                    file: providers_t.file(),
                    line: Some(*line),
                    record: format!("provider \"{id}\""),
                    field: "provider_type".into(),
                    message: format!("unknown provider type `{other}`"),
                });
                continue;
            }
        };
        providers.insert(id, mapped);
    }

    // Provision.
    let c_vpid = provision_t.col("provider_id")?;
    let c_vitem = provision_t.col("provided_id")?;
    let c_share = provision_t.col("share_provided")?;
    let c_year = provision_t.opt_col("year");
    let c_source = provision_t.opt_col("source");
    let c_negl = provision_t.opt_col("negligible_market_share");
    let input_idx: HashMap<String, usize> = inputs
        .iter()
        .enumerate()
        .map(|(i, x)| (x.id.clone(), i))
        .collect();
    let stage_idx: HashMap<String, usize> = stages
        .iter()
        .enumerate()
        .map(|(i, x)| (x.id.clone(), i))
        .collect();
    // (item, provider, year) -> (line, share) of the first record, to spot duplicates.
    type Key = (String, String, Option<i32>);
    let mut seen: HashMap<Key, (usize, Option<f64>)> = HashMap::new();
    for (line, r) in &provision_t.rows {
        let file = provision_t.file();
        let diag = |field: &str, message: String| Diagnostic {
            file: file.clone(),
            line: Some(*line),
            record: format!(
                "provision of \"{}\" by \"{}\"",
                r[c_vitem].trim(),
                r[c_vpid].trim()
            ),
            field: field.to_string(),
            message,
        };
        let pid = r[c_vpid].trim();
        let Some(Mapped::Provider(provider)) = providers.get(pid).cloned() else {
            diags.push(diag(
                "provider_id",
                format!("unknown provider id `{pid}` (not in providers.csv)"),
            ));
            continue;
        };
        let share_text = r[c_share].trim();
        let share = if share_text.is_empty() {
            None
        } else {
            match share_text.trim_end_matches('%').trim().parse::<f64>() {
                Ok(v) => Some(v),
                Err(_) => {
                    diags.push(diag(
                        "share_provided",
                        format!("`{share_text}` is not a number or percentage"),
                    ));
                    continue;
                }
            }
        };
        let year = match (layout, c_year) {
            (Layout::V2026, Some(c)) => {
                let t = r[c].trim();
                if t.is_empty() {
                    None
                } else {
                    match t.parse::<i32>() {
                        Ok(y) => Some(y),
                        Err(_) => {
                            diags.push(diag("year", format!("`{t}` is not a year")));
                            continue;
                        }
                    }
                }
            }
            _ => Some(V2025_YEAR),
        };
        let negligible = c_negl.is_some_and(|c| r[c].trim().eq_ignore_ascii_case("negligible"));
        let source = match c_source.map(|c| r[c].trim()).filter(|s| !s.is_empty()) {
            Some(s) => format!("{s} [{}, provision.csv line {line}]", layout.label()),
            None => format!("data: {}, provision.csv line {line}", layout.label()),
        };
        let item = r[c_vitem].trim().to_string();
        let key = (item.clone(), provider.clone(), year);
        if let Some((first, first_share)) = seen.get(&key) {
            if *first_share == share {
                warnings.push(format!(
                    "{file}:{line}: duplicate of line {first} (provision of {item} by {pid}), dropped"
                ));
                continue;
            }
        } else {
            seen.insert(key, (*line, share));
        }
        let p = Provision {
            provider,
            share,
            year,
            source,
            negligible,
        };
        if let Some(&i) = input_idx.get(&item) {
            origin.insert(
                Record::InputProvision(i, inputs[i].provision.len()),
                (file.clone(), *line),
            );
            inputs[i].provision.push(p);
        } else if let Some(&s) = stage_idx.get(&item) {
            origin.insert(
                Record::StageProvision(s, stages[s].provision.len()),
                (file.clone(), *line),
            );
            stages[s].provision.push(p);
        } else {
            diags.push(diag(
                "provided_id",
                format!("unknown input or stage id `{item}`"),
            ));
        }
    }

    // Sequence.
    let c_sin = sequence_t.col("input_id")?;
    let c_goes = sequence_t.col("goes_into_id")?;
    let c_type_of = sequence_t.col("is_type_of_id")?;
    for (line, r) in &sequence_t.rows {
        let from = r[c_sin].trim();
        let Some(&i) = input_idx.get(from) else {
            diags.push(Diagnostic {
                file: sequence_t.file(),
                line: Some(*line),
                record: format!("edge from \"{from}\""),
                field: "input_id".into(),
                message: format!("unknown input id `{from}`"),
            });
            continue;
        };
        let goes = r[c_goes].trim();
        let type_of = r[c_type_of].trim();
        if !goes.is_empty() {
            inputs[i].goes_into.push(goes.to_string());
        }
        if !type_of.is_empty() {
            inputs[i].is_type_of.push(type_of.to_string());
        }
        if goes.is_empty() && type_of.is_empty() {
            warnings.push(format!(
                "{}:{line}: edge from {from} has neither goes_into_id nor is_type_of_id",
                sequence_t.file()
            ));
        }
    }

    if !diags.is_empty() {
        return Err(Error::Invalid(diags));
    }
    let release = match layout {
        Layout::V2026 => "v2026",
        Layout::V2025 => "v2025",
    };
    let eco = Ecosystem {
        id: format!("eto-{release}"),
        name: format!("Semiconductors: {}", layout.label()),
        description: format!(
            "Imported from {} by osa. Shares are world-market shares by company headquarters \
             (fabrication and ATP capacity by site location in the 2026 release).",
            dir.display()
        ),
        sources: vec![format!(
            "data: {}, CC BY-NC 4.0, attribute CSET Emerging Technology Observatory",
            layout.label()
        )],
        blocs: Vec::new(),
        stages,
        firms,
        inputs,
    };
    match osa_model::validate(eco.clone()) {
        Ok(checked) => Ok(Imported {
            checked,
            layout,
            warnings,
        }),
        Err(problems) => Err(Error::Invalid(
            problems
                .iter()
                .map(|p| {
                    let (file, line) = origin
                        .get(&p.record)
                        .map(|(f, l)| (f.clone(), Some(*l)))
                        .unwrap_or((dir.display().to_string(), None));
                    Diagnostic {
                        file,
                        line,
                        record: p.record.describe(&eco),
                        field: p.field.to_string(),
                        message: p.message.clone(),
                    }
                })
                .collect(),
        )),
    }
}
