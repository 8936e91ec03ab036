//! The `osa-ecosystem/1` TOML format (documented in `docs/formats.md`): parse with line numbers,
//! validate, and save canonically so that load → save → load → save is byte-identical.

use crate::error::{Diagnostic, Error, Result};
use crate::lines::LineIndex;
use osa_model::{
    BlocSpec, Checked, Ecosystem, Firm, Input, InputKind, Problem, Provision, Record, Stage,
};
use serde::{Deserialize, Serialize};
use toml::Spanned;

/// The format tag every ecosystem file starts with.
pub const FORMAT: &str = "osa-ecosystem/1";

type S<T> = Spanned<T>;

fn sp<T>(v: T) -> S<T> {
    Spanned::new(0..0, v)
}

fn is_false(b: &bool) -> bool {
    !*b
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEcosystem {
    format: S<String>,
    id: S<String>,
    name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    description: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    sources: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    blocs: Vec<RawBloc>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    stages: Vec<RawStage>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    firms: Vec<RawFirm>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    inputs: Vec<RawInput>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBloc {
    id: S<String>,
    name: String,
    members: Vec<S<String>>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    source: String,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStage {
    id: S<String>,
    name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    description: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    provision: Vec<RawProvision>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFirm {
    id: S<String>,
    name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    country: Option<S<String>>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    source: String,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawInput {
    id: S<String>,
    name: String,
    kind: S<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    stage: Option<S<String>>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    description: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    hs6: Vec<S<String>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    goes_into: Vec<S<String>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    is_type_of: Vec<S<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    substitutability: Option<S<f64>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    substitutes: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    storability_months: Option<S<f64>>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    notes: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    sources: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    provision: Vec<RawProvision>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProvision {
    provider: S<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    share: Option<S<f64>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    year: Option<S<i32>>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    source: String,
    #[serde(default, skip_serializing_if = "is_false")]
    negligible: bool,
}

fn provision_from_raw(p: &RawProvision) -> Provision {
    Provision {
        provider: p.provider.get_ref().clone(),
        share: p.share.as_ref().map(|s| *s.get_ref()),
        year: p.year.as_ref().map(|y| *y.get_ref()),
        source: p.source.clone(),
        negligible: p.negligible,
    }
}

fn provision_to_raw(p: &Provision) -> RawProvision {
    RawProvision {
        provider: sp(p.provider.clone()),
        share: p.share.map(sp),
        year: p.year.map(sp),
        source: p.source.clone(),
        negligible: p.negligible,
    }
}

fn strings(v: &[S<String>]) -> Vec<String> {
    v.iter().map(|s| s.get_ref().clone()).collect()
}

fn spanned(v: &[String]) -> Vec<S<String>> {
    v.iter().cloned().map(sp).collect()
}

/// The file being parsed and its line index: where diagnostics point.
struct SourceFile<'a> {
    file: &'a str,
    lines: LineIndex,
}

impl SourceFile<'_> {
    /// A diagnostic at byte `offset` of the file (no line when the offset is unknown).
    fn diag(
        &self,
        offset: Option<usize>,
        record: String,
        field: String,
        message: String,
    ) -> Diagnostic {
        Diagnostic {
            file: self.file.to_string(),
            line: offset.map(|o| self.lines.line(o)),
            record,
            field,
            message,
        }
    }
}

/// Parses TOML text into an ecosystem, checks it, and reports problems against `file` with lines.
/// The steps: read the TOML, check the format tag, build the inputs (their kinds checked) and the
/// rest of the ecosystem, validate it, and point every problem at the line of its field.
pub fn parse(text: &str, file: &str) -> Result<Checked> {
    let at = SourceFile {
        file,
        lines: LineIndex::new(text),
    };
    let raw: RawEcosystem = crate::text::from_toml(text, file)?;
    let mut diags = Vec::new();
    if raw.format.get_ref() != FORMAT {
        diags.push(at.diag(
            Some(raw.format.span().start),
            "ecosystem".into(),
            "format".into(),
            format!(
                "unsupported format `{}` (expected `{FORMAT}`)",
                raw.format.get_ref()
            ),
        ));
    }
    let inputs = raw
        .inputs
        .iter()
        .map(|r| input_from_raw(r, &at, &mut diags))
        .collect();
    let (eco, problems) = match osa_model::validate(ecosystem_from_raw(&raw, inputs)) {
        Ok(checked) if diags.is_empty() => return Ok(checked),
        Ok(checked) => (checked.into_ecosystem(), Vec::new()),
        Err(r) => (r.ecosystem, r.problems),
    };
    for p in &problems {
        diags.push(at.diag(
            line_of(&raw, p),
            p.record.describe(&eco),
            match p.item {
                Some(k) => format!("{}[{k}]", p.field),
                None => p.field.to_string(),
            },
            p.message.clone(),
        ));
    }
    Err(Error::Invalid(diags))
}

/// An input as written; an unknown kind is a diagnostic (and reads as a process meanwhile).
fn input_from_raw(r: &RawInput, at: &SourceFile, diags: &mut Vec<Diagnostic>) -> Input {
    let kind = match r.kind.get_ref().parse::<InputKind>() {
        Ok(k) => k,
        Err(m) => {
            diags.push(at.diag(
                Some(r.kind.span().start),
                format!("input \"{}\"", r.id.get_ref()),
                "kind".into(),
                m,
            ));
            InputKind::Process
        }
    };
    Input {
        id: r.id.get_ref().clone(),
        name: r.name.clone(),
        kind,
        stage: r.stage.as_ref().map(|s| s.get_ref().clone()),
        description: r.description.clone(),
        hs6: strings(&r.hs6),
        goes_into: strings(&r.goes_into),
        is_type_of: strings(&r.is_type_of),
        substitutability: r.substitutability.as_ref().map(|s| *s.get_ref()),
        substitutes: r.substitutes.clone(),
        storability_months: r.storability_months.as_ref().map(|s| *s.get_ref()),
        notes: r.notes.clone(),
        sources: r.sources.clone(),
        provision: r.provision.iter().map(provision_from_raw).collect(),
    }
}

/// The ecosystem as written: header, blocs, stages and firms from the raw file, and the inputs.
fn ecosystem_from_raw(raw: &RawEcosystem, inputs: Vec<Input>) -> Ecosystem {
    Ecosystem {
        id: raw.id.get_ref().clone(),
        name: raw.name.clone(),
        description: raw.description.clone(),
        sources: raw.sources.clone(),
        blocs: raw
            .blocs
            .iter()
            .map(|b| BlocSpec {
                id: b.id.get_ref().clone(),
                name: b.name.clone(),
                members: strings(&b.members),
                source: b.source.clone(),
            })
            .collect(),
        stages: raw
            .stages
            .iter()
            .map(|s| Stage {
                id: s.id.get_ref().clone(),
                name: s.name.clone(),
                description: s.description.clone(),
                provision: s.provision.iter().map(provision_from_raw).collect(),
            })
            .collect(),
        firms: raw
            .firms
            .iter()
            .map(|f| Firm {
                id: f.id.get_ref().clone(),
                name: f.name.clone(),
                country: f.country.as_ref().map(|c| c.get_ref().clone()),
                source: f.source.clone(),
            })
            .collect(),
        inputs,
    }
}

/// Byte offset of the problem's field (or of its record) in the raw file.
fn line_of(raw: &RawEcosystem, p: &Problem) -> Option<usize> {
    let item = |v: &[S<String>], k: Option<usize>| -> Option<usize> {
        k.and_then(|k| v.get(k)).map(|s| s.span().start)
    };
    let prov = |r: &RawProvision| -> usize {
        match p.field {
            "share" => r.share.as_ref().map(|s| s.span().start),
            "year" => r.year.as_ref().map(|s| s.span().start),
            _ => None,
        }
        .unwrap_or(r.provider.span().start)
    };
    Some(match p.record {
        Record::Ecosystem => raw.id.span().start,
        Record::Bloc(i) => {
            let b = raw.blocs.get(i)?;
            item(&b.members, p.item).unwrap_or(b.id.span().start)
        }
        Record::Stage(i) => raw.stages.get(i)?.id.span().start,
        Record::StageProvision(i, j) => prov(raw.stages.get(i)?.provision.get(j)?),
        Record::Firm(i) => {
            let f = raw.firms.get(i)?;
            match (p.field, &f.country) {
                ("country", Some(c)) => c.span().start,
                _ => f.id.span().start,
            }
        }
        Record::Input(i) => {
            let r = raw.inputs.get(i)?;
            let at = match p.field {
                "goes_into" => item(&r.goes_into, p.item),
                "is_type_of" => item(&r.is_type_of, p.item),
                "hs6" => item(&r.hs6, p.item),
                "stage" => r.stage.as_ref().map(|s| s.span().start),
                "substitutability" => r.substitutability.as_ref().map(|s| s.span().start),
                "storability_months" => r.storability_months.as_ref().map(|s| s.span().start),
                _ => None,
            };
            at.unwrap_or(r.id.span().start)
        }
        Record::InputProvision(i, j) => prov(raw.inputs.get(i)?.provision.get(j)?),
    })
}

/// Renders a checked ecosystem as a TOML file osa can read back: refuses one beyond
/// [`MAX_TOML_BYTES`](crate::text::MAX_TOML_BYTES) (a large ecosystem goes in the ETO CSV layout).
pub fn to_file_text(checked: &Checked) -> Result<String> {
    let text = to_string(checked);
    if text.len() > crate::text::MAX_TOML_BYTES {
        return Err(Error::NotFound(format!(
            "ecosystem `{}` is {} bytes as TOML, beyond the {} byte limit osa reads back (about 20 times that in memory); write it in the ETO CSV layout with osa ecosystem export",
            checked.ecosystem().id,
            text.len(),
            crate::text::MAX_TOML_BYTES
        )));
    }
    Ok(text)
}

/// Renders a checked ecosystem in the canonical TOML form.
pub fn to_string(checked: &Checked) -> String {
    let eco = checked.ecosystem();
    let raw = RawEcosystem {
        format: sp(FORMAT.to_string()),
        id: sp(eco.id.clone()),
        name: eco.name.clone(),
        description: eco.description.clone(),
        sources: eco.sources.clone(),
        blocs: eco
            .blocs
            .iter()
            .map(|b| RawBloc {
                id: sp(b.id.clone()),
                name: b.name.clone(),
                members: spanned(&b.members),
                source: b.source.clone(),
            })
            .collect(),
        stages: eco
            .stages
            .iter()
            .map(|s| RawStage {
                id: sp(s.id.clone()),
                name: s.name.clone(),
                description: s.description.clone(),
                provision: s.provision.iter().map(provision_to_raw).collect(),
            })
            .collect(),
        firms: eco
            .firms
            .iter()
            .map(|f| RawFirm {
                id: sp(f.id.clone()),
                name: f.name.clone(),
                country: f.country.clone().map(sp),
                source: f.source.clone(),
            })
            .collect(),
        inputs: eco
            .inputs
            .iter()
            .map(|r| RawInput {
                id: sp(r.id.clone()),
                name: r.name.clone(),
                kind: sp(r.kind.as_str().to_string()),
                stage: r.stage.clone().map(sp),
                description: r.description.clone(),
                hs6: spanned(&r.hs6),
                goes_into: spanned(&r.goes_into),
                is_type_of: spanned(&r.is_type_of),
                substitutability: r.substitutability.map(sp),
                substitutes: r.substitutes.clone(),
                storability_months: r.storability_months.map(sp),
                notes: r.notes.clone(),
                sources: r.sources.clone(),
                provision: r.provision.iter().map(provision_to_raw).collect(),
            })
            .collect(),
    };
    let body = toml::to_string(&raw).unwrap_or_else(|e| {
        // Serialising plain strings and numbers cannot fail; keep a visible marker if it ever does.
        format!("# osa could not serialise this ecosystem: {e}\n")
    });
    format!(
        "# osa ecosystem file (format {FORMAT}; see docs/formats.md). Written by osa: edit freely,\n# `osa ecosystem save` rewrites it in this canonical form.\n{body}"
    )
}
