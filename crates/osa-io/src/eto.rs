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

use crate::csvtable::Table;
use crate::error::{Diagnostic, Error, Result};
use osa_model::{
    Checked, CountryCode, Ecosystem, Firm, Input, InputKind, Provision, Record, Stage,
    UNATTRIBUTED, UNATTRIBUTED_FIRMS,
};
use rustc_hash::FxHashMap as HashMap;
use std::path::Path;

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

/// How a provider id of `providers.csv` maps into osa.
#[derive(Debug, Clone)]
enum Mapped {
    Provider(String),
}

/// Imports an ETO directory.
pub fn import(dir: &Path) -> Result<Imported> {
    let stages_t = Table::read(&dir.join("stages.csv"))?;
    let inputs_t = Table::read(&dir.join("inputs.csv"))?;
    let providers_t = Table::read(&dir.join("providers.csv"))?;
    let provision_t = Table::open(&dir.join("provision.csv"), false)?;
    let sequence_t = Table::read(&dir.join("sequence.csv"))?;
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
    // Where each record came from (file, line), by record kind; filled in the same order as the
    // records, so index i of `input_lines` is the line of inputs[i].
    let mut stage_lines: Vec<usize> = Vec::new();
    let mut firm_lines: Vec<usize> = Vec::new();
    let mut input_lines: Vec<usize> = Vec::new();

    // Stages.
    let (c_sid, c_sname) = (stages_t.col("stage_id")?, stages_t.col("stage_name")?);
    let c_sdesc = stages_t.opt_col("description");
    let mut stages = Vec::new();
    for (line, r) in &stages_t.rows {
        stage_lines.push(*line);
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
                    record: format!("input \"{}\"", &r[c_iid]),
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
        input_lines.push(*line);
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
    let mut providers: HashMap<String, Mapped> = HashMap::default();
    let mut provider_line: HashMap<String, (usize, String, String, String)> = HashMap::default();
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
                    firm_lines.push(*line);
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
    /// Which record a provision row is on: an input or a stage, by index.
    #[derive(Clone, Copy, PartialEq, Eq, Hash)]
    enum Item {
        Input(usize),
        Stage(usize),
    }
    // (item, provider id, year) -> (line, share) of the first record, to spot duplicates.
    type Key<'a> = (Item, &'a str, Option<i32>);
    let mut seen: HashMap<Key, (usize, Option<f64>)> = HashMap::default();
    let mut input_prov_lines: Vec<Vec<usize>> = vec![Vec::new(); inputs.len()];
    let mut stage_prov_lines: Vec<Vec<usize>> = vec![Vec::new(); stages.len()];
    let file = &provision_t.file;
    provision_t.each(|line, r| {
        let line = &line;
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
        let Some((pid, Mapped::Provider(provider))) = providers.get_key_value(r[c_vpid].trim())
        else {
            let pid = r[c_vpid].trim();
            diags.push(diag(
                "provider_id",
                format!("unknown provider id `{pid}` (not in providers.csv)"),
            ));
            return Ok(());
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
                    return Ok(());
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
                            return Ok(());
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
        let item_id = r[c_vitem].trim();
        let item = if let Some(&i) = input_idx.get(item_id) {
            Item::Input(i)
        } else if let Some(&s) = stage_idx.get(item_id) {
            Item::Stage(s)
        } else {
            diags.push(diag(
                "provided_id",
                format!("unknown input or stage id `{item_id}`"),
            ));
            return Ok(());
        };
        let key = (item, pid.as_str(), year);
        if let Some((first, first_share)) = seen.get(&key) {
            if *first_share == share {
                warnings.push(format!(
                    "{file}:{line}: duplicate of line {first} (provision of {item_id} by {pid}), dropped"
                ));
                return Ok(());
            }
        } else {
            seen.insert(key, (*line, share));
        }
        let p = Provision {
            provider: provider.clone(),
            share,
            year,
            source,
            negligible,
        };
        match item {
            Item::Input(i) => {
                input_prov_lines[i].push(*line);
                inputs[i].provision.push(p);
            }
            Item::Stage(s) => {
                stage_prov_lines[s].push(*line);
                stages[s].provision.push(p);
            }
        }
        Ok(())
    })?;

    // Sequence.
    let c_sin = sequence_t.col("input_id")?;
    let c_goes = sequence_t.col("goes_into_id")?;
    let c_type_of = sequence_t.col("is_type_of_id")?;
    // Per input, the sequence.csv line of each goes_into and is_type_of edge, so that a problem
    // with an edge (a cycle, an unknown id) points at its line there.
    let mut goes_lines: Vec<Vec<usize>> = vec![Vec::new(); inputs.len()];
    let mut type_lines: Vec<Vec<usize>> = vec![Vec::new(); inputs.len()];
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
            goes_lines[i].push(*line);
        }
        if !type_of.is_empty() {
            inputs[i].is_type_of.push(type_of.to_string());
            type_lines[i].push(*line);
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
    match osa_model::validate(eco) {
        Ok(checked) => Ok(Imported {
            checked,
            layout,
            warnings,
        }),
        Err(rejected) => Err(Error::Invalid(
            rejected
                .problems
                .iter()
                .map(|p| {
                    let at = |t: &Table, line: Option<&usize>| (t.file(), line.copied());
                    let (file, line) = match p.record {
                        Record::Stage(i) => at(&stages_t, stage_lines.get(i)),
                        Record::StageProvision(i, j) => {
                            at(&provision_t, stage_prov_lines.get(i).and_then(|v| v.get(j)))
                        }
                        Record::Firm(i) => at(&providers_t, firm_lines.get(i)),
                        Record::Input(i) => match (p.field, p.item) {
                            ("goes_into", Some(k)) => {
                                at(&sequence_t, goes_lines.get(i).and_then(|v| v.get(k)))
                            }
                            ("is_type_of", Some(k)) => {
                                at(&sequence_t, type_lines.get(i).and_then(|v| v.get(k)))
                            }
                            _ => at(&inputs_t, input_lines.get(i)),
                        },
                        Record::InputProvision(i, j) => {
                            at(&provision_t, input_prov_lines.get(i).and_then(|v| v.get(j)))
                        }
                        Record::Ecosystem | Record::Bloc(_) => (dir.display().to_string(), None),
                    };
                    Diagnostic {
                        file,
                        line,
                        record: p.record.describe(&rejected.ecosystem),
                        field: p.field.to_string(),
                        message: p.message.clone(),
                    }
                })
                .collect(),
        )),
    }
}

/// Writes a checked ecosystem as an ETO 2026-layout directory (five CSV files), so that osa data
/// can go back to tools that read ETO's layout, and so that very large ecosystems can use the fast
/// CSV path. ETO has no columns for substitutability, storability, notes, HS codes or user blocs;
/// those are not written (the function returns their names so callers can warn).
///
/// The folder is written whole or not at all, and replaces a folder only when osa wrote it or
/// `force` is given ([`crate::write::write_dir`]).
pub fn export(checked: &Checked, dir: &Path, force: bool) -> Result<Vec<&'static str>> {
    crate::write::check_dir_target(dir, force)?;
    let (files, lost) = export_files(checked, dir)?;
    crate::write::write_dir(dir, &files, force)?;
    Ok(lost)
}

/// The five CSV files of [`export`] (name, content), and the fields the layout cannot hold.
type Exported = (Vec<(String, Vec<u8>)>, Vec<&'static str>);

fn export_files(checked: &Checked, dir: &Path) -> Result<Exported> {
    let eco = checked.ecosystem();
    let io = |path: &Path, source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut files = Vec::new();
    let csv_err = |path: &Path, e: csv::Error| Error::Io {
        path: path.to_path_buf(),
        source: std::io::Error::other(e.to_string()),
    };
    let mut write = |name: &str, header: &[&str], rows: Vec<Vec<String>>| -> Result<()> {
        let path = dir.join(name);
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(header).map_err(|e| csv_err(&path, e))?;
        for r in rows {
            w.write_record(&r).map_err(|e| csv_err(&path, e))?;
        }
        let bytes = w
            .into_inner()
            .map_err(|e| io(&path, std::io::Error::other(e.to_string())))?;
        files.push((name.to_string(), bytes));
        Ok(())
    };
    write(
        "stages.csv",
        &["stage_id", "stage_name", "description"],
        eco.stages
            .iter()
            .map(|s| vec![s.id.clone(), s.name.clone(), s.description.clone()])
            .collect(),
    )?;
    let kind = |k: InputKind| match k {
        InputKind::Process => "process",
        InputKind::DesignResource => "design_resource",
        InputKind::Tool => "tool_resource",
        InputKind::Material => "material_resource",
        InputKind::FinalOutput => "ultimate_output",
    };
    write(
        "inputs.csv",
        &[
            "input_id",
            "input_name",
            "type",
            "stage_name",
            "stage_id",
            "description",
        ],
        eco.inputs
            .iter()
            .enumerate()
            .map(|(i, inp)| {
                let stage = checked.input_stage(i).map(|s| &eco.stages[s]);
                vec![
                    inp.id.clone(),
                    inp.name.clone(),
                    kind(inp.kind).to_string(),
                    stage.map(|s| s.name.clone()).unwrap_or_default(),
                    stage.map(|s| s.id.clone()).unwrap_or_default(),
                    inp.description.clone(),
                ]
            })
            .collect(),
    )?;
    // Provider ids: countries and regions get `C-<code>`, firms keep their ids.
    let provider_id = |p: &str| -> String {
        if p == UNATTRIBUTED {
            "C-various".to_string()
        } else if p == UNATTRIBUTED_FIRMS {
            "F-various".to_string()
        } else if checked.firm_index(p).is_some() {
            p.to_string()
        } else {
            format!("C-{p}")
        }
    };
    let mut providers: Vec<Vec<String>> = Vec::new();
    let mut names: HashMap<String, String> = HashMap::default();
    let mut provision_rows = Vec::new();
    let mut add = |p: &Provision, item_id: &str, item_name: &str| {
        let pid = provider_id(&p.provider);
        if !names.contains_key(&pid) {
            let (name, ptype, country) = if p.provider == UNATTRIBUTED {
                ("Various countries".to_string(), "country", String::new())
            } else if p.provider == UNATTRIBUTED_FIRMS {
                (
                    "Various companies".to_string(),
                    "organization",
                    "Various countries".to_string(),
                )
            } else if let Some(f) = checked.firm_index(&p.provider) {
                (
                    eco.firms[f].name.clone(),
                    "organization",
                    eco.firms[f].country.clone().unwrap_or_default(),
                )
            } else {
                (p.provider.clone(), "country", String::new())
            };
            names.insert(pid.clone(), name.clone());
            providers.push(vec![
                name,
                String::new(),
                pid.clone(),
                ptype.into(),
                country,
            ]);
        }
        let name = names.get(&pid).cloned().unwrap_or_default();
        provision_rows.push(vec![
            name,
            pid,
            item_name.to_string(),
            item_id.to_string(),
            p.share.map(|s| s.to_string()).unwrap_or_default(),
            p.year.map(|y| y.to_string()).unwrap_or_default(),
            p.source.clone(),
        ]);
    };
    for s in &eco.stages {
        for p in &s.provision {
            add(p, &s.id, &s.name);
        }
    }
    for inp in &eco.inputs {
        for p in &inp.provision {
            add(p, &inp.id, &inp.name);
        }
    }
    // Firms without provision still belong in providers.csv.
    for f in &eco.firms {
        if !names.contains_key(&f.id) {
            names.insert(f.id.clone(), f.name.clone());
            providers.push(vec![
                f.name.clone(),
                String::new(),
                f.id.clone(),
                "organization".into(),
                f.country.clone().unwrap_or_default(),
            ]);
        }
    }
    write(
        "providers.csv",
        &[
            "provider_name",
            "alias",
            "provider_id",
            "provider_type",
            "country",
        ],
        providers,
    )?;
    write(
        "provision.csv",
        &[
            "provider_name",
            "provider_id",
            "provided_name",
            "provided_id",
            "share_provided",
            "year",
            "source",
        ],
        provision_rows,
    )?;
    let mut seq = Vec::new();
    for inp in &eco.inputs {
        let name_of = |id: &str| {
            checked
                .input_index(id)
                .map(|t| eco.inputs[t].name.clone())
                .unwrap_or_default()
        };
        for t in &inp.goes_into {
            seq.push(vec![
                inp.name.clone(),
                inp.id.clone(),
                name_of(t),
                t.clone(),
                String::new(),
                String::new(),
            ]);
        }
        for t in &inp.is_type_of {
            seq.push(vec![
                inp.name.clone(),
                inp.id.clone(),
                String::new(),
                String::new(),
                name_of(t),
                t.clone(),
            ]);
        }
    }
    write(
        "sequence.csv",
        &[
            "input_name",
            "input_id",
            "goes_into_name",
            "goes_into_id",
            "is_type_of_name",
            "is_type_of_id",
        ],
        seq,
    )?;
    let mut lost = Vec::new();
    if eco.inputs.iter().any(|i| i.substitutability.is_some()) {
        lost.push("substitutability");
    }
    if eco.inputs.iter().any(|i| i.storability_months.is_some()) {
        lost.push("storability_months");
    }
    if eco.inputs.iter().any(|i| !i.hs6.is_empty()) {
        lost.push("hs6");
    }
    if eco.inputs.iter().any(|i| !i.notes.is_empty()) {
        lost.push("notes");
    }
    if !eco.blocs.is_empty() {
        lost.push("blocs");
    }
    Ok((files, lost))
}
