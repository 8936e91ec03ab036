//! A throwaway PostgreSQL cluster for tests, started by the test process itself when PostgreSQL's
//! server binaries are installed and `OSA_TEST_PG_URL` names no server: `initdb` into a temporary
//! folder, `pg_ctl start` on a free local port (no fsync: a test cluster need not survive a power
//! cut), and a watchdog shell that stops the cluster and removes its folder once the test process
//! has exited. As root (CI, containers) the server runs as the `postgres` user, as `.ci/run` does,
//! since PostgreSQL refuses to run as root.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Where PostgreSQL's server binaries are looked for, after `$OSA_PG_BIN` and the `PATH`.
const BIN_DIRS: &[&str] = &["/usr/lib/postgresql", "/usr/local/pgsql/bin"];

/// Why no cluster could be started.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct NoCluster(String);

/// Starts a cluster and returns the URL of its `postgres` database.
pub fn start() -> Result<String, NoCluster> {
    let bin = server_bin_dir().ok_or_else(|| {
        NoCluster(
            "OSA_TEST_PG_URL is not set and PostgreSQL's server binaries (initdb, pg_ctl) are \
             not installed"
                .into(),
        )
    })?;
    let user = RunAs::detect()?;
    let dir = tempfile::Builder::new()
        .prefix("osa-test-pg-")
        .tempdir()
        .map_err(|e| NoCluster(format!("no temporary folder for a PostgreSQL cluster: {e}")))?
        .keep();
    user.hand_over(&dir)?;
    let port = free_port()?;
    init_and_start(&bin, &user, &dir, port)?;
    watch(&bin, &user, &dir);
    Ok(format!("postgres://postgres@127.0.0.1:{port}/postgres"))
}

/// The folder holding `initdb` and `pg_ctl`: `$OSA_PG_BIN`, the `PATH`, or Debian's
/// `/usr/lib/postgresql/<version>/bin` (the newest version).
fn server_bin_dir() -> Option<PathBuf> {
    let has_both = |d: &Path| d.join("initdb").is_file() && d.join("pg_ctl").is_file();
    if let Some(d) = std::env::var_os("OSA_PG_BIN").map(PathBuf::from) {
        return has_both(&d).then_some(d);
    }
    let on_path = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .unwrap_or_default();
    if let Some(d) = on_path.into_iter().find(|d| has_both(d)) {
        return Some(d);
    }
    let mut debian: Vec<(u32, PathBuf)> = std::fs::read_dir(BIN_DIRS[0])
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let version = e.file_name().to_str()?.parse::<u32>().ok()?;
            Some((version, e.path().join("bin")))
        })
        .filter(|(_, d)| has_both(d))
        .collect();
    debian.sort();
    debian
        .pop()
        .map(|(_, d)| d)
        .or_else(|| Some(PathBuf::from(BIN_DIRS[1])).filter(|d| has_both(d)))
}

/// Who runs the cluster's commands: this user, or `postgres` through `runuser` when this is root.
#[derive(Debug)]
enum RunAs {
    Me,
    Postgres,
}

impl RunAs {
    fn detect() -> Result<RunAs, NoCluster> {
        let uid = Command::new("id")
            .arg("-u")
            .output()
            .map_err(|e| NoCluster(format!("cannot run `id -u`: {e}")))?;
        if String::from_utf8_lossy(&uid.stdout).trim() != "0" {
            return Ok(RunAs::Me);
        }
        let known = Command::new("id")
            .args(["-u", "postgres"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if known {
            Ok(RunAs::Postgres)
        } else {
            Err(NoCluster(
                "running as root, PostgreSQL needs another user and there is no `postgres` user"
                    .into(),
            ))
        }
    }

    /// A command for `program`, run as this user.
    fn command(&self, program: &Path) -> Command {
        match self {
            RunAs::Me => Command::new(program),
            RunAs::Postgres => {
                let mut c = Command::new(runuser());
                c.args(["-u", "postgres", "--"]).arg(program);
                c
            }
        }
    }

    /// Gives the cluster's folder to the user that runs it.
    fn hand_over(&self, dir: &Path) -> Result<(), NoCluster> {
        if let RunAs::Postgres = self {
            let ok = Command::new("chown")
                .arg("postgres:")
                .arg(dir)
                .status()
                .is_ok_and(|s| s.success());
            if !ok {
                return Err(NoCluster(format!(
                    "cannot chown {} to postgres",
                    dir.display()
                )));
            }
        }
        Ok(())
    }
}

/// `runuser` (util-linux): in `/usr/sbin` or `/sbin`, which a user's `PATH` may leave out.
fn runuser() -> PathBuf {
    ["/usr/sbin/runuser", "/sbin/runuser"]
        .into_iter()
        .map(PathBuf::from)
        .find(|p| p.is_file())
        .unwrap_or_else(|| PathBuf::from("runuser"))
}

/// A local port nothing listens on now.
fn free_port() -> Result<u16, NoCluster> {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| NoCluster(format!("no free local port: {e}")))
}

/// `initdb` (UTF-8, trust on the local socket and loopback) and `pg_ctl start`, waiting until the
/// server accepts connections.
fn init_and_start(bin: &Path, user: &RunAs, dir: &Path, port: u16) -> Result<(), NoCluster> {
    let data = dir.join("data");
    let init = user
        .command(&bin.join("initdb"))
        .arg("-D")
        .arg(&data)
        .args([
            "-A",
            "trust",
            "-U",
            "postgres",
            "-E",
            "UTF8",
            "--locale=C",
            "--no-sync",
        ])
        .output();
    check("initdb", init)?;
    let options = format!(
        "-k {} -p {port} -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=off \
         -c synchronous_commit=off -c full_page_writes=off",
        dir.display()
    );
    let started = user
        .command(&bin.join("pg_ctl"))
        .arg("-D")
        .arg(&data)
        .args(["-o", &options, "-l"])
        .arg(dir.join("log"))
        .args(["-w", "start"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .output();
    check("pg_ctl start", started)
}

fn check(what: &str, out: std::io::Result<std::process::Output>) -> Result<(), NoCluster> {
    match out {
        Ok(o) if o.status.success() => Ok(()),
        Ok(o) => Err(NoCluster(format!(
            "{what} failed ({}): {}",
            o.status,
            String::from_utf8_lossy(&o.stderr).trim()
        ))),
        Err(e) => Err(NoCluster(format!("cannot run {what}: {e}"))),
    }
}

/// A detached shell that waits for this process to exit, then stops the cluster and removes its
/// folder. Its output goes nowhere, so it never holds the test run's pipes open.
fn watch(bin: &Path, user: &RunAs, dir: &Path) {
    let as_user = match user {
        RunAs::Me => String::new(),
        RunAs::Postgres => format!("'{}' -u postgres -- ", runuser().display()),
    };
    let script = format!(
        "while kill -0 {pid} 2>/dev/null; do sleep 1; done; \
         {as_user}'{pg_ctl}' -D '{dir}/data' -m immediate stop; rm -rf '{dir}'",
        pid = std::process::id(),
        pg_ctl = bin.join("pg_ctl").display(),
        dir = dir.display(),
    );
    let _ = Command::new("sh")
        .args(["-c", &script])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn();
}
