//! Writing a checked ecosystem back as an ETO 2026-layout directory: the stages, inputs,
//! providers, provision and sequence files, and the names of the fields the layout cannot hold.

use crate::error::{Error, Result};
use osa_model::{Checked, Ecosystem, InputKind, Provision, UNATTRIBUTED, UNATTRIBUTED_FIRMS};
use rustc_hash::FxHashMap as HashMap;
use std::path::Path;

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

/// Rows of a CSV file, as text fields.
type Rows = Vec<Vec<String>>;

const STAGES_HEADER: &[&str] = &["stage_id", "stage_name", "description"];
const INPUTS_HEADER: &[&str] = &[
    "input_id",
    "input_name",
    "type",
    "stage_name",
    "stage_id",
    "description",
];
const PROVIDERS_HEADER: &[&str] = &[
    "provider_name",
    "alias",
    "provider_id",
    "provider_type",
    "country",
];
const PROVISION_HEADER: &[&str] = &[
    "provider_name",
    "provider_id",
    "provided_name",
    "provided_id",
    "share_provided",
    "year",
    "source",
];
const SEQUENCE_HEADER: &[&str] = &[
    "input_name",
    "input_id",
    "goes_into_name",
    "goes_into_id",
    "is_type_of_name",
    "is_type_of_id",
];

/// The five files: stages, inputs, providers with provision, and sequence; then what was lost.
fn export_files(checked: &Checked, dir: &Path) -> Result<Exported> {
    let eco = checked.ecosystem();
    let mut files = Vec::new();
    let mut write = |name: &str, header: &[&str], rows: Rows| -> Result<()> {
        files.push((name.to_string(), csv_bytes(&dir.join(name), header, rows)?));
        Ok(())
    };
    write("stages.csv", STAGES_HEADER, stage_rows(eco))?;
    write("inputs.csv", INPUTS_HEADER, input_rows(checked))?;
    let providers = ProviderRows::of(checked);
    write("providers.csv", PROVIDERS_HEADER, providers.providers)?;
    write("provision.csv", PROVISION_HEADER, providers.provision)?;
    write("sequence.csv", SEQUENCE_HEADER, sequence_rows(checked))?;
    Ok((files, lost_fields(eco)))
}

/// One CSV file's bytes; `path` names it in errors.
fn csv_bytes(path: &Path, header: &[&str], rows: Rows) -> Result<Vec<u8>> {
    let io = |message: String| Error::Io {
        path: path.to_path_buf(),
        source: std::io::Error::other(message),
    };
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(header).map_err(|e| io(e.to_string()))?;
    for r in rows {
        w.write_record(&r).map_err(|e| io(e.to_string()))?;
    }
    w.into_inner().map_err(|e| io(e.to_string()))
}

fn stage_rows(eco: &Ecosystem) -> Rows {
    eco.stages
        .iter()
        .map(|s| vec![s.id.clone(), s.name.clone(), s.description.clone()])
        .collect()
}

/// The ETO `type` of an input kind.
fn eto_type(k: InputKind) -> &'static str {
    match k {
        InputKind::Process => "process",
        InputKind::DesignResource => "design_resource",
        InputKind::Tool => "tool_resource",
        InputKind::Material => "material_resource",
        InputKind::FinalOutput => "ultimate_output",
    }
}

fn input_rows(checked: &Checked) -> Rows {
    let eco = checked.ecosystem();
    eco.inputs
        .iter()
        .enumerate()
        .map(|(i, inp)| {
            let stage = checked.input_stage(i).map(|s| &eco.stages[s]);
            vec![
                inp.id.clone(),
                inp.name.clone(),
                eto_type(inp.kind).to_string(),
                stage.map(|s| s.name.clone()).unwrap_or_default(),
                stage.map(|s| s.id.clone()).unwrap_or_default(),
                inp.description.clone(),
            ]
        })
        .collect()
}

/// providers.csv and provision.csv, built together: a provider gets its row the first time it
/// provides something (stages first, then inputs), and firms without provision come last.
struct ProviderRows<'a> {
    checked: &'a Checked,
    providers: Rows,
    /// Provider id -> name, for the providers written so far.
    names: HashMap<String, String>,
    provision: Rows,
}

impl<'a> ProviderRows<'a> {
    fn of(checked: &'a Checked) -> ProviderRows<'a> {
        let eco = checked.ecosystem();
        let mut rows = ProviderRows {
            checked,
            providers: Vec::new(),
            names: HashMap::default(),
            provision: Vec::new(),
        };
        for s in &eco.stages {
            for p in &s.provision {
                rows.add(p, &s.id, &s.name);
            }
        }
        for inp in &eco.inputs {
            for p in &inp.provision {
                rows.add(p, &inp.id, &inp.name);
            }
        }
        // Firms without provision still belong in providers.csv.
        for f in &eco.firms {
            if !rows.names.contains_key(&f.id) {
                rows.names.insert(f.id.clone(), f.name.clone());
                rows.providers.push(vec![
                    f.name.clone(),
                    String::new(),
                    f.id.clone(),
                    "organization".into(),
                    f.country.clone().unwrap_or_default(),
                ]);
            }
        }
        rows
    }

    /// Provider ids: countries and regions get `C-<code>`, firms keep their ids.
    fn provider_id(&self, p: &str) -> String {
        if p == UNATTRIBUTED {
            "C-various".to_string()
        } else if p == UNATTRIBUTED_FIRMS {
            "F-various".to_string()
        } else if self.checked.firm_index(p).is_some() {
            p.to_string()
        } else {
            format!("C-{p}")
        }
    }

    /// A provider's name, ETO type and country.
    fn provider_facts(&self, provider: &str) -> (String, &'static str, String) {
        let eco = self.checked.ecosystem();
        if provider == UNATTRIBUTED {
            ("Various countries".to_string(), "country", String::new())
        } else if provider == UNATTRIBUTED_FIRMS {
            (
                "Various companies".to_string(),
                "organization",
                "Various countries".to_string(),
            )
        } else if let Some(f) = self.checked.firm_index(provider) {
            (
                eco.firms[f].name.clone(),
                "organization",
                eco.firms[f].country.clone().unwrap_or_default(),
            )
        } else {
            (provider.to_string(), "country", String::new())
        }
    }

    /// The provision row of `p` on a record, and its provider's row if it is the first.
    fn add(&mut self, p: &Provision, item_id: &str, item_name: &str) {
        let pid = self.provider_id(&p.provider);
        if !self.names.contains_key(&pid) {
            let (name, ptype, country) = self.provider_facts(&p.provider);
            self.names.insert(pid.clone(), name.clone());
            self.providers.push(vec![
                name,
                String::new(),
                pid.clone(),
                ptype.into(),
                country,
            ]);
        }
        let name = self.names.get(&pid).cloned().unwrap_or_default();
        self.provision.push(vec![
            name,
            pid,
            item_name.to_string(),
            item_id.to_string(),
            p.share.map(|s| s.to_string()).unwrap_or_default(),
            p.year.map(|y| y.to_string()).unwrap_or_default(),
            p.source.clone(),
        ]);
    }
}

/// One row per goes_into edge, then one per is_type_of edge, input by input.
fn sequence_rows(checked: &Checked) -> Rows {
    let eco = checked.ecosystem();
    let name_of = |id: &str| {
        checked
            .input_index(id)
            .map(|t| eco.inputs[t].name.clone())
            .unwrap_or_default()
    };
    let mut seq = Vec::new();
    for inp in &eco.inputs {
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
    seq
}

/// The fields the ecosystem uses that ETO's layout has no column for.
fn lost_fields(eco: &Ecosystem) -> Vec<&'static str> {
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
    lost
}
