//! Data in by upload, over HTTP on SQLite and PostgreSQL: the ETO 2026 release sent as a .zip in a
//! streamed (chunked) body, staged, approved by another reviewer and compared with ETO 2025 in the
//! explorer (integrated assembly tools: CHN 98% -> SGP 100%); bodies that name a path (the
//! database file, `/etc/shadow`, a FIFO) are only bytes, refused as an invalid release or trade
//! file with nothing kept; entry names inside an archive never become paths; an archive with too
//! many entries is refused; and no route of the API takes a path.

mod common;

use common::Server;
use reqwest::StatusCode;
use serde_json::{Value, json};

/// Uploads `bytes` as a chunked body of 64 KiB pieces (no Content-Length).
async fn upload_streamed(s: &Server, c: &reqwest::Client, bytes: Vec<u8>) -> Value {
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> =
        bytes.chunks(64 * 1024).map(|c| Ok(c.to_vec())).collect();
    let body = reqwest::Body::wrap_stream(futures_util::stream::iter(chunks));
    let r = c
        .post(s.url("/api/v1/uploads"))
        .header("content-type", "application/zip")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED, "{}", s.label);
    r.json().await.unwrap()
}

fn blobs(s: &Server) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(s.data.path().join("uploads/blobs"))
        .map(|rd| {
            rd.map(|e| e.unwrap().file_name().to_string_lossy().to_string())
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

#[tokio::test]
async fn the_eto_2026_zip_streamed_is_approved_and_compared_with_2025() {
    let Some(data) = osa_io::shared::data_dir_or_skip(
        "the_eto_2026_zip_streamed_is_approved_and_compared_with_2025",
    ) else {
        return;
    };
    for s in Server::all().await {
        let (ana, rev, rex) = (
            s.client("ana").await,
            s.client("rev").await,
            s.client("rex").await,
        );
        let eto = data.join("eto");
        common::release(
            &s,
            (&ana, &rev),
            ("eto-semiconductors", "eto-2025"),
            common::zip_folder(&eto.join("v2025_supply_chain")),
        )
        .await;
        let zip = common::zip_folder(&eto.join("v2026_chip_explorer"));
        let up = upload_streamed(&s, &ana, zip.clone()).await;
        assert_eq!(up["bytes"], json!(zip.len()), "{}", s.label);
        let sha = up["upload"].as_str().unwrap().to_string();
        assert!(
            blobs(&s).contains(&sha),
            "{}: kept under its SHA-256",
            s.label
        );
        let r = ana
            .post(s.url("/api/v1/releases"))
            .json(&json!({ "upload": sha, "ecosystem": "eto-semiconductors",
                "label": "eto-2026", "note": "CSET ETO chip explorer, 2026" }))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::CREATED, "{}", s.label);
        let staged: Value = r.json().await.unwrap();
        assert_eq!(staged["inputs"], 126, "{}: {staged}", s.label);
        let r = rex
            .post(s.url(&format!("/api/v1/releases/{sha}/approve")))
            .json(&json!({}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::CREATED, "{}", s.label);
        let rep: Value = r.json().await.unwrap();
        assert_eq!(rep["previous"], "eto-2025", "{}", s.label);
        assert!(
            rep["changes"].as_array().unwrap().iter().any(|c| c["title"]
                .as_str()
                .unwrap()
                .starts_with(
                    "Integrated assembly tools: the top holder changed from CHN (98%) to SGP (100%)"
                )),
            "{}: {rep}",
            s.label
        );
        let v = s
            .get_json(
                &ana,
                "/ecosystems/eto-semiconductors/compare?from=eto-2025&to=eto-2026&format=json",
            )
            .await;
        let n77 = v["comparison"]["diff"]["inputs"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == "N77")
            .cloned()
            .unwrap();
        let top = n77["changes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["kind"] == "top_holder")
            .cloned()
            .unwrap();
        assert_eq!(
            (
                top["before"]["place"].clone(),
                top["before"]["value"].clone()
            ),
            (json!("CHN"), json!(0.98)),
            "{}",
            s.label
        );
        assert_eq!(
            (top["after"]["place"].clone(), top["after"]["value"].clone()),
            (json!("SGP"), json!(1.0)),
            "{}",
            s.label
        );
        s.stop().await;
    }
}

#[tokio::test]
async fn bodies_naming_paths_are_only_bytes() {
    for s in Server::all().await {
        let (ana, rev) = (s.client("ana").await, s.client("rev").await);
        let fifo = s.data.path().join("a-fifo");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        assert!(made.is_ok_and(|st| st.success()), "mkfifo");
        let db = s.data.path().join("osa.db");
        let names = [
            "/etc/shadow".to_string(),
            db.display().to_string(),
            fifo.display().to_string(),
            "../../../../etc/passwd".to_string(),
        ];
        let table = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../osa-trade/tests/data/country_codes_fixture.csv");
        let countries = common::upload(&s, &rev, std::fs::read(table).unwrap()).await;
        for name in &names {
            let sha = common::upload(&s, &ana, name.as_bytes().to_vec()).await;
            let r = ana
                .post(s.url("/api/v1/releases"))
                .json(&json!({ "upload": sha, "ecosystem": "eto-semiconductors",
                    "label": "x", "note": "a path as a body" }))
                .send()
                .await
                .unwrap();
            assert_eq!(
                r.status(),
                StatusCode::UNPROCESSABLE_ENTITY,
                "{}: {name}",
                s.label
            );
            let p: Value = r.json().await.unwrap();
            let detail = p["detail"].as_str().unwrap();
            assert!(
                detail.contains("neither a .zip or .tar.gz of an ETO release nor"),
                "{}: {detail}",
                s.label
            );
            assert!(
                !detail.contains("root:") && !detail.contains(s.data.path().to_str().unwrap()),
                "{}: {detail}",
                s.label
            );
            assert!(
                !blobs(&s).contains(&sha),
                "{}: a refused upload is removed",
                s.label
            );
            // The same bytes as a trade file: refused by the ingest job.
            let sha = common::upload(&s, &rev, name.as_bytes().to_vec()).await;
            let r = rev
                .put(s.url("/api/v1/trade-datasets/pathy"))
                .json(&json!({ "upload": sha, "countries": countries, "note": "a path" }))
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), StatusCode::ACCEPTED, "{}", s.label);
            let job: Value = r.json().await.unwrap();
            let job = common::wait_job(&s, &rev, job["id"].as_u64().unwrap()).await;
            assert_eq!(job["phase"], "failed", "{}: {name}: {job}", s.label);
            assert!(
                job["error"].as_str().unwrap().contains("not a BACI CSV"),
                "{}: {job}",
                s.label
            );
            assert!(!blobs(&s).contains(&sha), "{}: removed", s.label);
        }
        let list: Value = s.get_json(&ana, "/api/v1/trade-datasets").await;
        assert_eq!(list, json!([]), "{}: nothing registered", s.label);
        let pending: Value = s.get_json(&ana, "/api/v1/releases").await;
        assert_eq!(pending, json!([]), "{}: nothing staged", s.label);
        s.stop().await;
    }
}

/// A .zip with the given (name, bytes) entries.
fn zip_of(entries: &[(String, Vec<u8>)]) -> Vec<u8> {
    use std::io::Write;
    let mut out = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut out);
        for (name, bytes) in entries {
            z.start_file(name.as_str(), zip::write::SimpleFileOptions::default())
                .unwrap();
            z.write_all(bytes).unwrap();
        }
        z.finish().unwrap();
    }
    out.into_inner()
}

#[tokio::test]
async fn archive_entry_names_never_become_paths() {
    let Some(data) = osa_io::shared::data_dir_or_skip("archive_entry_names_never_become_paths")
    else {
        return;
    };
    let s = Server::sqlite_with_users().await;
    let ana = s.client("ana").await;
    let dir = data.join("eto").join("v2026_chip_explorer");
    // Each file under a hostile name: climbing out, absolute, and a Windows path.
    let prefixes = [
        "../../../escaped/",
        "/tmp/absolute/",
        "C:\\evil\\",
        "",
        "a/b/c/",
        "x/",
    ];
    let mut entries = Vec::new();
    for (i, f) in [
        "inputs.csv",
        "stages.csv",
        "providers.csv",
        "provision.csv",
        "sequence.csv",
        "images.csv",
    ]
    .iter()
    .enumerate()
    {
        entries.push((
            format!("{}{f}", prefixes[i]),
            std::fs::read(dir.join(f)).unwrap(),
        ));
    }
    let sha = common::upload(&s, &ana, zip_of(&entries)).await;
    let r = ana
        .post(s.url("/api/v1/releases"))
        .json(&json!({ "upload": sha, "ecosystem": "eto-semiconductors",
            "label": "eto-2026", "note": "hostile names" }))
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        StatusCode::CREATED,
        "{}",
        r.text().await.unwrap()
    );
    for p in ["/tmp/absolute", "/tmp/escaped"] {
        assert!(!std::path::Path::new(p).exists(), "{p} was written");
    }
    assert!(!s.data.path().join("escaped").exists());
    assert!(!s.data.path().parent().unwrap().join("escaped").exists());
    // Unpacking leaves nothing behind in the area's temporary folder.
    let tmp = std::fs::read_dir(s.data.path().join("uploads/tmp"))
        .unwrap()
        .count();
    assert_eq!(tmp, 0, "the scratch folders are removed");
    // Too many entries: refused before anything is read.
    let many: Vec<(String, Vec<u8>)> = (0..1001)
        .map(|i| (format!("f{i}.txt"), Vec::new()))
        .collect();
    let sha = common::upload(&s, &ana, zip_of(&many)).await;
    let r = ana
        .post(s.url("/api/v1/releases"))
        .json(&json!({ "upload": sha, "ecosystem": "eto-semiconductors",
            "label": "many", "note": "1001 entries" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let p: Value = r.json().await.unwrap();
    assert!(
        p["detail"]
            .as_str()
            .unwrap()
            .contains("more than 1000 entries"),
        "{p}"
    );
    // An archive lacking files names them.
    let sha = common::upload(&s, &ana, zip_of(&entries[..2])).await;
    let r = ana
        .post(s.url("/api/v1/releases"))
        .json(&json!({ "upload": sha, "ecosystem": "eto-semiconductors",
            "label": "half", "note": "two files" }))
        .send()
        .await
        .unwrap();
    let p: Value = r.json().await.unwrap();
    assert_eq!(
        p["detail"],
        "body: not an ETO release: the archive lacks providers.csv, provision.csv, sequence.csv",
        "{p}"
    );
    s.stop().await;
}

#[tokio::test]
async fn no_route_takes_a_path_and_oversize_is_413() {
    let doc: Value = serde_json::from_str(osa_server::OPENAPI).unwrap();
    for (name, schema) in doc["components"]["schemas"].as_object().unwrap() {
        for field in ["path", "source_path", "dir", "folder"] {
            assert!(
                schema["properties"].get(field).is_none(),
                "{name}.{field} names a path"
            );
        }
    }
    for r in osa_server::routes::all() {
        assert!(
            !r.doc.summary.contains("on the server"),
            "{} {}: {}",
            r.method,
            r.path,
            r.doc.summary
        );
    }
    let s = Server::sqlite_with_users().await;
    let ana = s.client("ana").await;
    // A declared size past the bound is refused before a byte is kept.
    let r = ana
        .post(s.url("/api/v1/uploads"))
        .header("content-length", (5u64 << 30).to_string())
        .body("x")
        .send()
        .await;
    if let Ok(r) = r {
        assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
    }
    assert!(blobs(&s).is_empty());
    let vic = s.client("vic").await;
    let r = vic
        .post(s.url("/api/v1/uploads"))
        .body("bytes")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN, "viewers do not upload");
    s.stop().await;
}

fn trade_data(name: &str) -> Vec<u8> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../osa-trade/tests/data");
    std::fs::read(dir.join(name)).unwrap()
}

/// Sends `bytes` as a chunked body (16 KiB pieces) to `PUT /api/v1/trade-datasets/{id}/csv`.
async fn put_csv(
    s: &Server,
    c: &reqwest::Client,
    id: &str,
    countries: &str,
    bytes: Vec<u8>,
) -> reqwest::Response {
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> =
        bytes.chunks(16 * 1024).map(|c| Ok(c.to_vec())).collect();
    c.put(s.url(&format!(
        "/api/v1/trade-datasets/{id}/csv?countries={countries}&note=streamed"
    )))
    .header("content-type", "text/csv")
    .body(reqwest::Body::wrap_stream(futures_util::stream::iter(
        chunks,
    )))
    .send()
    .await
    .unwrap()
}

#[tokio::test]
async fn a_csv_sent_as_the_body_is_ingested_while_it_arrives() {
    for s in Server::all().await {
        let rev = s.client("rev").await;
        let countries = common::upload(&s, &rev, trade_data("country_codes_fixture.csv")).await;
        let r = put_csv(
            &s,
            &rev,
            "streamed",
            &countries,
            trade_data("screen_fixture.csv"),
        )
        .await;
        assert_eq!(r.status(), StatusCode::ACCEPTED, "{}", s.label);
        let job: Value = r.json().await.unwrap();
        let job = common::wait_job(&s, &rev, job["id"].as_u64().unwrap()).await;
        assert_eq!(job["phase"], "done", "{}: {job}", s.label);
        // The fixture's 25 data rows, the first of 2019, kept as a Parquet cache in the area.
        let a = &job["result"];
        assert_eq!(a["rows"], 25, "{}: {job}", s.label);
        assert_eq!(a["year"], 2019, "{}: {job}", s.label);
        assert_eq!(a["format"], "parquet", "{}: {job}", s.label);
        let cache = a["file"].as_str().unwrap().strip_prefix("upload:").unwrap();
        assert!(blobs(&s).iter().any(|b| b == cache), "{}", s.label);
        // Too many bad rows: the job fails naming the first, nothing is kept of the CSV.
        let before = blobs(&s);
        let r = put_csv(
            &s,
            &rev,
            "bad",
            &countries,
            trade_data("screen_bad_rows.csv"),
        )
        .await;
        assert_eq!(r.status(), StatusCode::ACCEPTED, "{}", s.label);
        let job: Value = r.json().await.unwrap();
        let job = common::wait_job(&s, &rev, job["id"].as_u64().unwrap()).await;
        assert_eq!(job["phase"], "failed", "{}: {job}", s.label);
        let error = job["error"].as_str().unwrap();
        assert!(
            error.contains("not a BACI CSV") && error.contains("line 3, field `"),
            "{}: {error}",
            s.label
        );
        assert_eq!(blobs(&s), before, "{}: the CSV is removed", s.label);
        // Who may: reviewers; the country table must be one.
        let ana = s.client("ana").await;
        let r = put_csv(&s, &ana, "x", &countries, b"t,i,j,k,v,q\n".to_vec()).await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "{}", s.label);
        let not_table = common::upload(&s, &rev, b"t,i,j,k,v,q\n".to_vec()).await;
        let r = put_csv(&s, &rev, "x", &not_table, b"t,i,j,k,v,q\n".to_vec()).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{}", s.label);
        let p: Value = r.json().await.unwrap();
        assert!(
            p["detail"]
                .as_str()
                .unwrap()
                .contains("not a BACI country table"),
            "{}: {p}",
            s.label
        );
        let list: Value = s.get_json(&rev, "/api/v1/trade-datasets").await;
        let ids: Vec<&str> = list
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["key"].as_str().unwrap())
            .collect();
        assert_eq!(ids, ["streamed"], "{}", s.label);
        s.stop().await;
    }
}

#[tokio::test]
async fn refused_uploads_leave_no_blob_whatever_the_refusal() {
    for s in Server::all().await {
        let (ana, rev) = (s.client("ana").await, s.client("rev").await);
        let before = blobs(&s);
        // Oversize: declared past the bound, on both routes that take bodies.
        let countries = common::upload(&s, &rev, trade_data("country_codes_fixture.csv")).await;
        for url in [
            "/api/v1/uploads".to_string(),
            format!("/api/v1/trade-datasets/big/csv?countries={countries}&note=big"),
        ] {
            let r = rev
                .request(
                    if url.contains("/csv") {
                        reqwest::Method::PUT
                    } else {
                        reqwest::Method::POST
                    },
                    s.url(&url),
                )
                .header("content-length", (5u64 << 30).to_string())
                .body("x")
                .send()
                .await;
            if let Ok(r) = r {
                assert_eq!(
                    r.status(),
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "{}: {url}",
                    s.label
                );
            }
        }
        // Oversize for a release (kept as an upload, refused and removed when staged).
        let big = vec![0u8; (osa_app::intake::MAX_RELEASE_BYTES + 1) as usize];
        let sha = common::upload(&s, &ana, big).await;
        let r = stage(&ana, &s, &sha).await;
        assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE, "{}", s.label);
        // Malformed: a .zip cut short.
        let mut zip = zip_of(&[("eto/x.csv".into(), b"a,b\n".to_vec())]);
        zip.truncate(zip.len() / 2);
        let sha_zip = common::upload(&s, &ana, zip.clone()).await;
        let r = stage(&ana, &s, &sha_zip).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{}", s.label);
        // Wrong kind: a BACI CSV as a release, and a .zip as a BACI CSV.
        let sha_csv = common::upload(&s, &ana, trade_data("screen_fixture.csv")).await;
        let r = stage(&ana, &s, &sha_csv).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{}", s.label);
        let r = put_csv(&s, &rev, "zipped", &countries, zip).await;
        assert_eq!(r.status(), StatusCode::ACCEPTED, "{}", s.label);
        let job: Value = r.json().await.unwrap();
        let job = common::wait_job(&s, &rev, job["id"].as_u64().unwrap()).await;
        assert_eq!(job["phase"], "failed", "{}: {job}", s.label);
        assert!(
            job["error"].as_str().unwrap().contains("field `header`"),
            "{}: {job}",
            s.label
        );
        let mut after = blobs(&s);
        after.retain(|b| *b != countries);
        assert_eq!(after, before, "{}: only the country table is kept", s.label);
        assert!(
            std::fs::read_dir(s.data.path().join("uploads/tmp"))
                .unwrap()
                .count()
                == 0,
            "{}: nothing half-written",
            s.label
        );
        s.stop().await;
    }
}

async fn stage(c: &reqwest::Client, s: &Server, sha: &str) -> reqwest::Response {
    c.post(s.url("/api/v1/releases"))
        .json(&json!({ "upload": sha, "ecosystem": "eto-semiconductors",
            "label": "x", "note": "refused" }))
        .send()
        .await
        .unwrap()
}
