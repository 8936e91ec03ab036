//! What a new store starts with: everything osa embeds, as revision 1 by `osa`: the baseline's
//! files (the ten technologies with their evidence, countries, blocs, likelihood parameters,
//! toolkit, checklist), the curated ecosystems (as their first snapshots) and the scenarios.

use super::kind;
use crate::Result;
use osa_store::docs::Put;
use osa_store::{Actor, Store};

/// The note of the seed revision.
pub const NOTE: &str = "seed: the baseline, ecosystems and scenarios osa embeds";

/// Every document osa embeds.
pub fn embedded_documents() -> Vec<Put> {
    let put = |kind: &str, key: &str, body: String| Put {
        kind: kind.into(),
        key: key.into(),
        body: Some(body),
        expected: Some(0),
    };
    let files = osa_io::baseline::embedded_files();
    let mut puts: Vec<Put> = files
        .all()
        .into_iter()
        .map(|(name, text)| put(kind::BASELINE, &name, text.to_string()))
        .collect();
    for (name, text) in osa_io::builtin::ECOSYSTEMS {
        puts.push(put(kind::ECOSYSTEM, name, text.to_string()));
        let meta = serde_json::json!({
            "ecosystem": name,
            "label": "osa-curated",
            "origin": format!("built-in `{name}`"),
        });
        puts.push(put(
            kind::SNAPSHOT,
            &format!("{name}@osa-curated"),
            meta.to_string(),
        ));
    }
    for (id, text) in osa_io::scenario::BUILTIN {
        puts.push(put(kind::SCENARIO, id, text.to_string()));
    }
    puts
}

/// Writes the seed revision.
pub async fn seed(store: &Store) -> Result<()> {
    store
        .write_revision(&Actor::system(), "seed", NOTE, &embedded_documents())
        .await?;
    Ok(())
}
