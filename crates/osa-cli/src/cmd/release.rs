//! `osa release add` and `osa trade add`: an operator on the server's host registers a data
//! release or a trade file from a path of their own (read by this command, never through HTTP),
//! straight into the record as an admin. Browser users and API clients upload bytes instead.

use crate::cmd::db::{StoreArgs, operator, runtime};
use anyhow::{Context, Result};
use clap::{Args, Subcommand};
use std::path::PathBuf;

/// `osa release ...`
#[derive(Debug, Subcommand)]
pub enum ReleaseCommand {
    /// Register a data release from a local path as an ecosystem's next snapshot: an ETO release
    /// folder, a .zip or .tar.gz of one, or an osa ecosystem (TOML).
    Add(ReleaseAddArgs),
}

/// `osa release add`
#[derive(Debug, Args)]
pub struct ReleaseAddArgs {
    /// The ecosystem it is a snapshot of (`eto-semiconductors`).
    pub ecosystem: String,
    /// Its label (`eto-2026`).
    pub label: String,
    /// The release: a folder, a .zip or .tar.gz of one, or a TOML file.
    pub path: PathBuf,
    /// Why (required).
    #[arg(long)]
    pub note: String,
    /// Holders whose shares monitoring watches (ISO3 or bloc; repeatable).
    #[arg(long = "holder", value_name = "HOLDER")]
    pub holders: Vec<String>,
    #[command(flatten)]
    pub store: StoreArgs,
}

/// `osa trade add`
#[derive(Debug, Args)]
pub struct TradeAddArgs {
    /// The dataset's id in the record (`baci-2022`).
    pub id: String,
    /// A BACI CSV (with BACI's country_codes_V*.csv beside it) or an osa Parquet cache; it stays
    /// where it is, and the server reads it there.
    pub path: PathBuf,
    /// Why (required).
    #[arg(long)]
    pub note: String,
    #[command(flatten)]
    pub store: StoreArgs,
}

/// Runs `osa release ...`.
pub fn run(c: ReleaseCommand) -> Result<()> {
    match c {
        ReleaseCommand::Add(a) => add(a),
    }
}

fn load(path: &std::path::Path) -> Result<osa_io::Loaded> {
    let origin = path.display().to_string();
    if path.is_dir() {
        return Ok(osa_app::ecosystem::load(Some(&origin))?.value);
    }
    let scratch = tempfile::tempdir().context("could not create a temporary folder")?;
    let u = osa_app::intake::archive::unpack_file(path, &origin, scratch.path())
        .with_context(|| format!("could not read the release {origin}"))?;
    Ok(u.loaded)
}

fn add(a: ReleaseAddArgs) -> Result<()> {
    let (actor, who) = operator();
    let loaded = load(&a.path)?;
    for w in &loaded.warnings {
        say!("warning: {w}");
    }
    runtime()?.block_on(async move {
        let wb = a.store.open().await?;
        let release = osa_app::workbench::monitor::Release {
            ecosystem: a.ecosystem.clone(),
            label: a.label.clone(),
            origin: a.path.display().to_string(),
            note: a.note.clone(),
        };
        let req = osa_app::ecosystem::DiffRequest {
            holders: a.holders.clone(),
            bloc_definitions: Vec::new(),
            thresholds: Default::default(),
            old_year: None,
            new_year: None,
        };
        let rep = wb
            .register_release(&actor, &who, &release, &loaded, &req)
            .await;
        wb.store().close().await;
        let rep = rep?;
        let fit = |t: &str| match osa_view::format::text_width() {
            Some(w) => osa_view::format::wrap(t, w),
            None => t.to_string(),
        };
        println!(
            "{}",
            fit(&format!(
                "registered {}@{} as revision r{} ({} inputs; {} changes recorded)",
                a.ecosystem,
                a.label,
                rep.revision,
                rep.inputs,
                rep.changes.len()
            ))
        );
        for c in &rep.changes {
            println!("{}", fit(&format!("- {}", c.title)));
        }
        Ok(())
    })
}

/// Runs `osa trade add`.
pub fn trade_add(a: TradeAddArgs) -> Result<()> {
    let (actor, who) = operator();
    let path = std::path::absolute(&a.path)
        .with_context(|| format!("could not resolve {}", a.path.display()))?;
    runtime()?.block_on(async move {
        let wb = a.store.open().await?;
        let d = wb
            .register_trade_file(
                &actor,
                &who,
                &a.id,
                (&path, &path.display().to_string()),
                &a.note,
            )
            .await;
        wb.store().close().await;
        let d = d?;
        println!(
            "registered trade dataset {} as revision r{} ({}, {} bytes, year {})",
            a.id,
            d.version,
            d.value.format,
            d.value.bytes,
            d.value.year.map_or("unknown".into(), |y| y.to_string())
        );
        Ok(())
    })
}
