//! Reading an ETO release directory: the five CSV files, the layout they follow, the stages,
//! inputs, providers, provision and sequence they hold (each record remembering its line), and the
//! model's validation, with every problem pointed back at the CSV line it came from.

use super::{Imported, Layout, V2025_YEAR};
use crate::csvtable::Table;
use crate::error::{Diagnostic, Error, Result};
use osa_model::{
    CountryCode, Ecosystem, Firm, Input, InputKind, Provision, Record, Rejected, Stage,
    UNATTRIBUTED, UNATTRIBUTED_FIRMS,
};
use rustc_hash::FxHashMap as HashMap;
use std::path::Path;

/// Country codes in ETO files that are not ISO 3166-1 alpha-3, and what they mean.
const COUNTRY_ALIASES: &[(&str, &str)] = &[("MAL", "MYS")];

/// How a provider id of `providers.csv` maps into osa.
#[derive(Debug, Clone)]
enum Mapped {
    Provider(String),
}

/// The five CSV files of a release. `provision.csv` is streamed (it can be large); the others are
/// read whole.
struct Files {
    stages: Table,
    inputs: Table,
    providers: Table,
    provision: Table,
    sequence: Table,
}

/// Where each record came from, by record kind: index i of `inputs` is the line of inputs[i], and
/// so on. Filled in the same order as the records.
#[derive(Default)]
struct Lines {
    stages: Vec<usize>,
    firms: Vec<usize>,
    inputs: Vec<usize>,
    /// Per input, the provision.csv line of each of its provision records.
    input_provision: Vec<Vec<usize>>,
    /// Per stage, the provision.csv line of each of its provision records.
    stage_provision: Vec<Vec<usize>>,
    /// Per input, the sequence.csv line of each goes_into edge, so that a problem with an edge (a
    /// cycle, an unknown id) points at its line there.
    goes_into: Vec<Vec<usize>>,
    /// Per input, the sequence.csv line of each is_type_of edge.
    is_type_of: Vec<Vec<usize>>,
}

/// The state that flows through the reading steps: the layout, the lines of the records read so
/// far, and what was found on the way (warnings to show, problems that refuse the import).
struct Reading {
    layout: Layout,
    lines: Lines,
    warnings: Vec<String>,
    diags: Vec<Diagnostic>,
}

/// The records read from a release, before validation.
struct Draft {
    stages: Vec<Stage>,
    firms: Vec<Firm>,
    inputs: Vec<Input>,
}

/// Imports an ETO directory: reads the five files, tells the layout from provision.csv's header,
/// reads the stages, inputs, providers, provision and sequence (collecting every problem), then
/// assembles the ecosystem and validates it, pointing validation problems at their CSV lines.
pub fn import(dir: &Path) -> Result<Imported> {
    let files = Files::read(dir)?;
    let mut reading = Reading {
        layout: detect_layout(&files.provision)?,
        lines: Lines::default(),
        warnings: Vec::new(),
        diags: Vec::new(),
    };
    let mut stages = read_stages(&files.stages, &mut reading)?;
    let mut inputs = read_inputs(&files.inputs, &mut reading)?;
    let (firms, providers) = read_providers(&files.providers, &mut reading)?;
    read_provision(
        &files.provision,
        &providers,
        &mut inputs,
        &mut stages,
        &mut reading,
    )?;
    read_sequence(&files.sequence, &mut inputs, &mut reading)?;
    if !reading.diags.is_empty() {
        return Err(Error::Invalid(reading.diags));
    }
    let draft = Draft {
        stages,
        firms,
        inputs,
    };
    match osa_model::validate(assemble(dir, reading.layout, draft)) {
        Ok(checked) => Ok(Imported {
            checked,
            layout: reading.layout,
            warnings: reading.warnings,
        }),
        Err(rejected) => Err(Error::Invalid(locate_problems(
            &rejected,
            &files,
            &reading.lines,
            dir,
        ))),
    }
}

impl Files {
    fn read(dir: &Path) -> Result<Files> {
        Ok(Files {
            stages: Table::read(&dir.join("stages.csv"))?,
            inputs: Table::read(&dir.join("inputs.csv"))?,
            providers: Table::read(&dir.join("providers.csv"))?,
            provision: Table::open(&dir.join("provision.csv"), false)?,
            sequence: Table::read(&dir.join("sequence.csv"))?,
        })
    }
}

/// The 2026 layout has a `year` column in provision.csv, the 2025 one a `negligible_market_share`.
fn detect_layout(provision: &Table) -> Result<Layout> {
    if provision.opt_col("year").is_some() {
        Ok(Layout::V2026)
    } else if provision.opt_col("negligible_market_share").is_some() {
        Ok(Layout::V2025)
    } else {
        Err(Error::one(
            &provision.file(),
            Some(1),
            "header",
            "",
            "neither a `year` (2026 layout) nor a `negligible_market_share` column (2025 layout)"
                .into(),
        ))
    }
}

fn read_stages(table: &Table, reading: &mut Reading) -> Result<Vec<Stage>> {
    let (c_sid, c_sname) = (table.col("stage_id")?, table.col("stage_name")?);
    let c_sdesc = table.opt_col("description");
    let mut stages = Vec::new();
    for (line, r) in &table.rows {
        reading.lines.stages.push(*line);
        stages.push(Stage {
            id: r[c_sid].trim().to_string(),
            name: r[c_sname].trim().to_string(),
            description: c_sdesc.map(|c| r[c].trim().to_string()).unwrap_or_default(),
            provision: Vec::new(),
        });
    }
    Ok(stages)
}

/// The input kind an ETO `type` names.
fn input_kind(eto_type: &str) -> Option<InputKind> {
    Some(match eto_type {
        "process" => InputKind::Process,
        "design_resource" => InputKind::DesignResource,
        "tool_resource" => InputKind::Tool,
        "material_resource" => InputKind::Material,
        "ultimate_output" => InputKind::FinalOutput,
        _ => return None,
    })
}

fn read_inputs(table: &Table, reading: &mut Reading) -> Result<Vec<Input>> {
    let c_iid = table.col("input_id")?;
    let c_iname = table.col("input_name")?;
    let c_type = table.col("type")?;
    let c_istage = table.col("stage_id")?;
    let c_idesc = table.opt_col("description");
    let c_market = table.opt_col("market_share_chart_global_market_size_info");
    let c_msource = table.opt_col("market_share_chart_source");
    let label = reading.layout.label();
    let mut inputs = Vec::new();
    for (line, r) in &table.rows {
        let kind = input_kind(r[c_type].trim()).unwrap_or_else(|| {
            reading.diags.push(Diagnostic {
                file: table.file(),
                line: Some(*line),
                record: format!("input \"{}\"", &r[c_iid]),
                field: "type".into(),
                message: format!("unknown ETO input type `{}`", r[c_type].trim()),
            });
            InputKind::Process
        });
        let stage = Some(r[c_istage].trim())
            .filter(|s| !s.is_empty())
            .map(str::to_string);
        let market = c_market.map(|c| r[c].trim()).filter(|s| !s.is_empty());
        let mut sources = vec![format!("data: {label}, inputs.csv line {line}")];
        if let Some(s) = c_msource.map(|c| r[c].trim()).filter(|s| !s.is_empty()) {
            sources.push(format!("pub: {s}"));
        }
        reading.lines.inputs.push(*line);
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
    Ok(inputs)
}

/// Columns of providers.csv.
struct ProviderCols {
    id: usize,
    name: usize,
    ptype: usize,
    country: usize,
}

/// One row of providers.csv, trimmed.
struct ProviderRow<'a> {
    line: usize,
    id: String,
    name: &'a str,
    ptype: &'a str,
    country: &'a str,
}

/// The firms, and what every provider id maps to.
type Providers = (Vec<Firm>, HashMap<String, Mapped>);

/// Reads providers.csv. The 2026 release lists a provider once per alias; the same id, name, type
/// and country is the same provider. A reused id with different facts is an error.
fn read_providers(table: &Table, reading: &mut Reading) -> Result<Providers> {
    let cols = ProviderCols {
        id: table.col("provider_id")?,
        name: table.col("provider_name")?,
        ptype: table.col("provider_type")?,
        country: table.col("country")?,
    };
    let mut firms = Vec::new();
    let mut providers: HashMap<String, Mapped> = HashMap::default();
    let mut provider_line: HashMap<String, (usize, String, String, String)> = HashMap::default();
    for (line, r) in &table.rows {
        let row = ProviderRow {
            line: *line,
            id: r[cols.id].trim().to_string(),
            name: r[cols.name].trim(),
            ptype: r[cols.ptype].trim(),
            country: r[cols.country].trim(),
        };
        if let Some((first, n, t, c)) = provider_line.get(&row.id) {
            if (n.as_str(), t.as_str(), c.as_str()) != (row.name, row.ptype, row.country) {
                reading.diags.push(provider_diag(
                    table,
                    &row,
                    "provider_id",
                    format!(
                        "id `{}` already names a different provider on line {first} (`{n}`, {t}, {c})",
                        row.id
                    ),
                ));
            }
            continue;
        }
        let facts = (row.name.into(), row.ptype.into(), row.country.into());
        provider_line.insert(row.id.clone(), (row.line, facts.0, facts.1, facts.2));
        if let Some(mapped) = map_provider(table, &row, &mut firms, reading) {
            providers.insert(row.id, mapped);
        }
    }
    Ok((firms, providers))
}

fn provider_diag(table: &Table, row: &ProviderRow, field: &str, message: String) -> Diagnostic {
    Diagnostic {
        file: table.file(),
        line: Some(row.line),
        record: format!("provider \"{}\"", row.id),
        field: field.into(),
        message,
    }
}

/// What a provider maps to: a country (or region, or unattributed share) or a firm, which is
/// added to `firms`. `None` (with a diagnostic) when its type or country is unknown.
fn map_provider(
    table: &Table,
    row: &ProviderRow,
    firms: &mut Vec<Firm>,
    reading: &mut Reading,
) -> Option<Mapped> {
    let name = row.name;
    let line = row.line;
    match row.ptype {
        "country" => {
            if name.starts_with("Various") {
                Some(Mapped::Provider(UNATTRIBUTED.into()))
            } else if CountryCode::parse(name).is_some()
                || osa_model::country::region(name).is_some()
            {
                Some(Mapped::Provider(name.to_string()))
            } else if let Some((_, iso)) = COUNTRY_ALIASES.iter().find(|(a, _)| *a == name) {
                reading.warnings.push(format!(
                    "{}:{line}: country provider `{name}` read as {iso}",
                    table.file()
                ));
                Some(Mapped::Provider(iso.to_string()))
            } else {
                reading.diags.push(provider_diag(
                    table,
                    row,
                    "provider_name",
                    format!("unknown country code `{name}` (not ISO 3166-1 alpha-3)"),
                ));
                None
            }
        }
        "organization" => {
            if name.starts_with("Various") {
                return Some(Mapped::Provider(UNATTRIBUTED_FIRMS.into()));
            }
            reading.lines.firms.push(line);
            firms.push(Firm {
                id: row.id.clone(),
                name: name.to_string(),
                country: firm_country(row.country),
                source: format!(
                    "data: {}, providers.csv line {line}",
                    reading.layout.label()
                ),
            });
            Some(Mapped::Provider(row.id.clone()))
        }
        other => {
            reading.diags.push(provider_diag(
                table,
                row,
                "provider_type",
                format!("unknown provider type `{other}`"),
            ));
            None
        }
    }
}

/// A firm's home country: none when blank or "Various", aliases read as their ISO3 code.
fn firm_country(country: &str) -> Option<String> {
    if country.is_empty() || country.starts_with("Various") {
        None
    } else if let Some((_, iso)) = COUNTRY_ALIASES.iter().find(|(a, _)| *a == country) {
        Some(iso.to_string())
    } else {
        Some(country.to_string())
    }
}

/// Columns of provision.csv (`year` and `source` in the 2026 layout, `negligible_market_share` in
/// the 2025 one).
struct ProvisionCols {
    provider: usize,
    item: usize,
    share: usize,
    year: Option<usize>,
    source: Option<usize>,
    negligible: Option<usize>,
}

/// Which record a provision row is on: an input or a stage, by index.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Item {
    Input(usize),
    Stage(usize),
}

/// Where the provided ids of provision.csv point: inputs and stages by id.
struct ItemIndex {
    inputs: HashMap<String, usize>,
    stages: HashMap<String, usize>,
}

impl ItemIndex {
    fn new(inputs: &[Input], stages: &[Stage]) -> ItemIndex {
        ItemIndex {
            inputs: inputs
                .iter()
                .enumerate()
                .map(|(i, x)| (x.id.clone(), i))
                .collect(),
            stages: stages
                .iter()
                .enumerate()
                .map(|(i, x)| (x.id.clone(), i))
                .collect(),
        }
    }

    fn find(&self, id: &str) -> Option<Item> {
        if let Some(&i) = self.inputs.get(id) {
            Some(Item::Input(i))
        } else {
            self.stages.get(id).map(|&s| Item::Stage(s))
        }
    }
}

/// The field of a row at fault, and what is wrong with it.
type FieldProblem = (&'static str, String);

/// One provision row, read: the record it is on, the provider id, and the provision.
struct ProvisionRow<'p> {
    item: Item,
    pid: &'p str,
    provision: Provision,
}

/// Reads provision.csv onto the inputs and stages. Exact duplicates (same record, provider, year
/// and share as an earlier row) are dropped with a warning.
fn read_provision(
    table: &Table,
    providers: &HashMap<String, Mapped>,
    inputs: &mut [Input],
    stages: &mut [Stage],
    reading: &mut Reading,
) -> Result<()> {
    let cols = ProvisionCols {
        provider: table.col("provider_id")?,
        item: table.col("provided_id")?,
        share: table.col("share_provided")?,
        year: table.opt_col("year"),
        source: table.opt_col("source"),
        negligible: table.opt_col("negligible_market_share"),
    };
    let index = ItemIndex::new(inputs, stages);
    // (item, provider id, year) -> (line, share) of the first record, to spot duplicates.
    type Key<'a> = (Item, &'a str, Option<i32>);
    let mut seen: HashMap<Key, (usize, Option<f64>)> = HashMap::default();
    reading.lines.input_provision = vec![Vec::new(); inputs.len()];
    reading.lines.stage_provision = vec![Vec::new(); stages.len()];
    let file = &table.file;
    table.each(|line, r| {
        let row = match provision_row(&cols, r, line, providers, &index, reading.layout) {
            Ok(row) => row,
            Err((field, message)) => {
                reading.diags.push(Diagnostic {
                    file: file.clone(),
                    line: Some(line),
                    record: format!(
                        "provision of \"{}\" by \"{}\"",
                        r[cols.item].trim(),
                        r[cols.provider].trim()
                    ),
                    field: field.to_string(),
                    message,
                });
                return Ok(());
            }
        };
        let ProvisionRow {
            item,
            pid,
            provision,
        } = row;
        let key = (item, pid, provision.year);
        if let Some((first, first_share)) = seen.get(&key) {
            if *first_share == provision.share {
                let item_id = r[cols.item].trim();
                reading.warnings.push(format!(
                    "{file}:{line}: duplicate of line {first} (provision of {item_id} by {pid}), dropped"
                ));
                return Ok(());
            }
        } else {
            seen.insert(key, (line, provision.share));
        }
        match item {
            Item::Input(i) => {
                reading.lines.input_provision[i].push(line);
                inputs[i].provision.push(provision);
            }
            Item::Stage(s) => {
                reading.lines.stage_provision[s].push(line);
                stages[s].provision.push(provision);
            }
        }
        Ok(())
    })
}

/// Reads one provision row: its provider, share, year, flag, source and record, in that order;
/// the first that is wrong is the field and message of the diagnostic.
fn provision_row<'p>(
    cols: &ProvisionCols,
    r: &csv::StringRecord,
    line: usize,
    providers: &'p HashMap<String, Mapped>,
    index: &ItemIndex,
    layout: Layout,
) -> std::result::Result<ProvisionRow<'p>, FieldProblem> {
    let Some((pid, Mapped::Provider(provider))) = providers.get_key_value(r[cols.provider].trim())
    else {
        let pid = r[cols.provider].trim();
        return Err((
            "provider_id",
            format!("unknown provider id `{pid}` (not in providers.csv)"),
        ));
    };
    let share = provision_share(r[cols.share].trim())?;
    let year = match (layout, cols.year) {
        (Layout::V2026, Some(c)) => provision_year(r[c].trim())?,
        _ => Some(V2025_YEAR),
    };
    let negligible = cols
        .negligible
        .is_some_and(|c| r[c].trim().eq_ignore_ascii_case("negligible"));
    let source = match cols.source.map(|c| r[c].trim()).filter(|s| !s.is_empty()) {
        Some(s) => format!("{s} [{}, provision.csv line {line}]", layout.label()),
        None => format!("data: {}, provision.csv line {line}", layout.label()),
    };
    let item_id = r[cols.item].trim();
    let Some(item) = index.find(item_id) else {
        return Err((
            "provided_id",
            format!("unknown input or stage id `{item_id}`"),
        ));
    };
    Ok(ProvisionRow {
        item,
        pid,
        provision: Provision {
            provider: provider.clone(),
            share,
            year,
            source,
            negligible,
        },
    })
}

/// A share as a number (2026) or a percentage like `61%` (2025); blank is no share.
fn provision_share(text: &str) -> std::result::Result<Option<f64>, FieldProblem> {
    if text.is_empty() {
        return Ok(None);
    }
    match text.trim_end_matches('%').trim().parse::<f64>() {
        Ok(v) => Ok(Some(v)),
        Err(_) => Err((
            "share_provided",
            format!("`{text}` is not a number or percentage"),
        )),
    }
}

/// A year of the 2026 layout; blank is no year.
fn provision_year(text: &str) -> std::result::Result<Option<i32>, FieldProblem> {
    if text.is_empty() {
        return Ok(None);
    }
    match text.parse::<i32>() {
        Ok(y) => Ok(Some(y)),
        Err(_) => Err(("year", format!("`{text}` is not a year"))),
    }
}

/// Reads sequence.csv into the inputs' goes_into and is_type_of edges.
fn read_sequence(table: &Table, inputs: &mut [Input], reading: &mut Reading) -> Result<()> {
    let c_sin = table.col("input_id")?;
    let c_goes = table.col("goes_into_id")?;
    let c_type_of = table.col("is_type_of_id")?;
    let input_idx: HashMap<String, usize> = inputs
        .iter()
        .enumerate()
        .map(|(i, x)| (x.id.clone(), i))
        .collect();
    let lines = &mut reading.lines;
    lines.goes_into = vec![Vec::new(); inputs.len()];
    lines.is_type_of = vec![Vec::new(); inputs.len()];
    for (line, r) in &table.rows {
        let from = r[c_sin].trim();
        let Some(&i) = input_idx.get(from) else {
            reading.diags.push(Diagnostic {
                file: table.file(),
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
            lines.goes_into[i].push(*line);
        }
        if !type_of.is_empty() {
            inputs[i].is_type_of.push(type_of.to_string());
            lines.is_type_of[i].push(*line);
        }
        if goes.is_empty() && type_of.is_empty() {
            reading.warnings.push(format!(
                "{}:{line}: edge from {from} has neither goes_into_id nor is_type_of_id",
                table.file()
            ));
        }
    }
    Ok(())
}

/// The ecosystem of a release: its id, name, description and licence, and the records read.
fn assemble(dir: &Path, layout: Layout, draft: Draft) -> Ecosystem {
    let release = match layout {
        Layout::V2026 => "v2026",
        Layout::V2025 => "v2025",
    };
    Ecosystem {
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
        stages: draft.stages,
        firms: draft.firms,
        inputs: draft.inputs,
    }
}

/// The validation problems as diagnostics, each at the file and line its record came from.
fn locate_problems(
    rejected: &Rejected,
    files: &Files,
    lines: &Lines,
    dir: &Path,
) -> Vec<Diagnostic> {
    let at = |t: &Table, line: Option<&usize>| (t.file(), line.copied());
    let nth = |v: &[Vec<usize>], i: usize, j: usize| v.get(i).and_then(|v| v.get(j)).copied();
    rejected
        .problems
        .iter()
        .map(|p| {
            let (file, line) = match p.record {
                Record::Stage(i) => at(&files.stages, lines.stages.get(i)),
                Record::StageProvision(i, j) => {
                    (files.provision.file(), nth(&lines.stage_provision, i, j))
                }
                Record::Firm(i) => at(&files.providers, lines.firms.get(i)),
                Record::Input(i) => match (p.field, p.item) {
                    ("goes_into", Some(k)) => (files.sequence.file(), nth(&lines.goes_into, i, k)),
                    ("is_type_of", Some(k)) => {
                        (files.sequence.file(), nth(&lines.is_type_of, i, k))
                    }
                    _ => at(&files.inputs, lines.inputs.get(i)),
                },
                Record::InputProvision(i, j) => {
                    (files.provision.file(), nth(&lines.input_provision, i, j))
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
        .collect()
}
