//! The OpenAPI 3.1 document of `/api/v1`, generated from the route table ([`crate::routes`]) and
//! the Rust types of bodies, queries and responses (JSON Schema 2020-12 by schemars). The committed
//! copy (`openapi.json`, served at `/api/v1/openapi.json`) is checked against this in the tests;
//! `UPDATE_OPENAPI=1 cargo test -p osa-server openapi` rewrites it.

use crate::routes::{Route, routes};
use schemars::generate::SchemaSettings;
use serde_json::{Map, Value, json};

/// The document.
pub fn document() -> Value {
    let mut settings = SchemaSettings::draft2020_12();
    settings.definitions_path = "/components/schemas".into();
    let mut g = settings.into_generator();
    let mut inline = SchemaSettings::draft2020_12()
        .with(|s| s.inline_subschemas = true)
        .into_generator();
    let mut paths = Map::new();
    for r in routes() {
        let op = operation(&r, &mut g, &mut inline);
        let entry = paths.entry(r.path.to_string()).or_insert_with(|| json!({}));
        entry[r.method.to_ascii_lowercase()] = op;
    }
    let mut schemas: Map<String, Value> = g.take_definitions(true).into_iter().collect();
    schemas.insert(
        "Problem".into(),
        inline.subschema_for::<crate::problem::Problem>().to_value(),
    );
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "osa: the Open Strategic Autonomy workbench",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "The shared record of osa serve: the report's four-step method, its history, four-eyes review and monitoring. Reads answer the command line's JSON (docs/json.md); errors are application/problem+json (docs/api.md)."
        },
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                "session": { "type": "apiKey", "in": "cookie", "name": crate::auth::COOKIE },
                "token": { "type": "http", "scheme": "bearer", "description": "an API token osa_..." }
            }
        },
        "security": [{ "session": [] }, { "token": [] }]
    })
}

fn operation(
    r: &Route,
    g: &mut schemars::SchemaGenerator,
    inline: &mut schemars::SchemaGenerator,
) -> Value {
    let d = &r.doc;
    let mut params: Vec<Value> = r
        .path
        .split('/')
        .filter_map(|seg| seg.strip_prefix('{').and_then(|x| x.strip_suffix('}')))
        .map(|name| json!({ "name": name, "in": "path", "required": true, "schema": { "type": "string" } }))
        .collect();
    if let Some(q) = d.query {
        let schema = q(inline).to_value();
        if let Some(props) = schema.get("properties").and_then(Value::as_object) {
            for (name, s) in props {
                params.push(json!({ "name": name, "in": "query", "required": false, "schema": s }));
            }
        }
    }
    let ok = match (d.response, d.view) {
        (Some(f), _) => {
            json!({ "description": "OK", "content": { "application/json": { "schema": f(g).to_value() } } })
        }
        (None, Some("atom")) => {
            json!({ "description": "An Atom feed", "content": { "application/atom+xml": {} } })
        }
        (None, Some(view)) => {
            json!({ "description": format!("The command line's JSON: the `{view}` document of docs/json.md"), "content": { "application/json": { "schema": { "type": ["object", "array"] } } } })
        }
        (None, None) => json!({ "description": "OK" }),
    };
    let mut responses = Map::new();
    responses.insert(d.status.to_string(), ok);
    responses.insert("4XX".into(), json!({ "description": "A problem", "content": { "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } } }));
    let mut op = json!({
        "summary": d.summary,
        "description": format!("Role: {}.", d.role),
        "parameters": params,
        "responses": responses,
    });
    if let Some(b) = d.body {
        op["requestBody"] = json!({ "required": true, "content": { "application/json": { "schema": b(g).to_value() } } });
    }
    if d.raw_body {
        op["requestBody"] = json!({ "required": true, "content": { "application/octet-stream": { "schema": { "type": "string", "format": "binary" } } } });
    }
    if d.role == "public" {
        op["security"] = json!([]);
    }
    op
}

/// The document as committed (pretty, with a final newline).
pub fn text() -> String {
    let mut s = serde_json::to_string_pretty(&document()).unwrap_or_default();
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    #[test]
    fn openapi_document_is_committed() {
        let generated = super::text();
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/openapi.json");
        if std::env::var("UPDATE_OPENAPI").is_ok_and(|v| v == "1") {
            std::fs::write(path, &generated).expect("write openapi.json");
        }
        let committed = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            committed == generated,
            "crates/osa-server/openapi.json is not what the code generates: run UPDATE_OPENAPI=1 cargo test -p osa-server openapi"
        );
        let doc: serde_json::Value = serde_json::from_str(&generated).unwrap();
        assert_eq!(doc["openapi"], "3.1.0");
        let n: usize = doc["paths"]
            .as_object()
            .unwrap()
            .values()
            .map(|p| p.as_object().unwrap().len())
            .sum();
        assert_eq!(n, super::routes().len(), "every route is in the document");
        assert!(doc["components"]["schemas"]["CellChange"]["properties"]["level"].is_object());
    }
}
