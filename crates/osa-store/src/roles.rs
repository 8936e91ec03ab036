//! PostgreSQL as the boundary it can be: two roles. The *owner* (the role `osa db migrate` runs
//! as) owns the tables and runs migrations; the *server role* (the one `osa serve` connects as)
//! reads and writes the record but may only INSERT and SELECT on the audit log: no UPDATE,
//! DELETE or TRUNCATE, and, not owning the table, it cannot drop or disable the append-only
//! triggers. [`Store::grant_server_role`] sets this up (run by the owner after each migration, so
//! tables added later are granted too); [`Store::check_roles`] says what a role can do to the log.

use crate::{Backend, Result, Store, StoreError};

/// What a role can do to the audit log.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RoleReport {
    /// What breaks the boundary (empty: none).
    pub problems: Vec<String>,
    /// What holds, in words.
    pub notes: Vec<String>,
}

/// A PostgreSQL role name osa accepts: lower-case letters, digits and `_`, not starting with a
/// digit, at most 63 bytes (so it is never quoted and never injected).
pub fn check_role_name(name: &str) -> Result<()> {
    let ok = !name.is_empty()
        && name.len() <= 63
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        && !name.as_bytes()[0].is_ascii_digit();
    if ok {
        Ok(())
    } else {
        Err(StoreError::invalid(
            "role",
            format!(
                "`{name}`: a role name is lower-case letters, digits and _, not starting with a digit"
            ),
        ))
    }
}

impl Store {
    /// Grants the server role what `osa serve` needs: SELECT, INSERT, UPDATE, DELETE on every
    /// table of the record except the audit log, where it gets INSERT and SELECT only. The role
    /// must exist (`CREATE ROLE osa_server LOGIN PASSWORD '...'`), must not be a superuser and
    /// must not be the owner. Run as the owner, after migrating.
    pub async fn grant_server_role(&self, role: &str) -> Result<()> {
        check_role_name(role)?;
        if self.backend != Backend::Postgres {
            return Err(StoreError::invalid(
                "grant-server-role",
                "only PostgreSQL has roles; a SQLite file is guarded by its file permissions",
            ));
        }
        let found: Option<(bool,)> =
            sqlx::query_as(self.sql("SELECT rolsuper FROM pg_roles WHERE rolname = ?"))
                .bind(role)
                .fetch_optional(&self.pool)
                .await?;
        match found {
            None => {
                return Err(StoreError::invalid(
                    "grant-server-role",
                    format!(
                        "no role `{role}`: create it first (CREATE ROLE {role} LOGIN PASSWORD '...')"
                    ),
                ));
            }
            Some((true,)) => {
                return Err(StoreError::invalid(
                    "grant-server-role",
                    format!(
                        "`{role}` is a superuser: it could alter the audit log whatever is granted"
                    ),
                ));
            }
            Some(_) => {}
        }
        let owner = self.audit_owner().await?;
        if owner == role {
            return Err(StoreError::invalid(
                "grant-server-role",
                format!("`{role}` owns the tables; the server needs a role of its own"),
            ));
        }
        let sql = format!(
            "DO $$ BEGIN EXECUTE format('GRANT CONNECT ON DATABASE %I TO {role}', current_database()); END $$;\n\
             GRANT USAGE ON SCHEMA public TO {role};\n\
             REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {role};\n\
             GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role};\n\
             REVOKE UPDATE, DELETE ON audit FROM {role};\n\
             REVOKE INSERT, UPDATE, DELETE ON osa_migrations FROM {role};"
        );
        let mut tx = self.pool.begin().await?;
        sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn audit_owner(&self) -> Result<String> {
        let (owner,): (String,) = sqlx::query_as(
            "SELECT pg_get_userbyid(relowner)::text FROM pg_class WHERE oid = 'audit'::regclass",
        )
        .fetch_one(&self.pool)
        .await?;
        Ok(owner)
    }

    /// What a role (`None`: the role connected now) can do to the audit log. With a role named,
    /// any right beyond INSERT and SELECT is a problem; for the connected role it is a note that
    /// the log is guarded by its triggers only (a single-role set-up).
    pub async fn check_roles(&self, server_role: Option<&str>) -> Result<RoleReport> {
        let mut r = RoleReport::default();
        if self.backend != Backend::Postgres {
            return Ok(r);
        }
        let role = match server_role {
            Some(x) => {
                check_role_name(x)?;
                x.to_string()
            }
            None => {
                let (u,): (String,) = sqlx::query_as("SELECT current_user::text")
                    .fetch_one(&self.pool)
                    .await?;
                u
            }
        };
        let powers = self.powers_over_audit(&role).await?;
        if powers.is_empty() {
            r.notes.push(format!(
                "the role `{role}` has INSERT and SELECT on the audit log only and does not own it: it cannot alter the log or disable its triggers"
            ));
        } else if server_role.is_some() {
            r.problems.extend(
                powers
                    .iter()
                    .map(|p| format!("the server role `{role}` {p}: it could alter the audit log")),
            );
        } else {
            r.notes.push(format!(
                "note: the role `{role}` connected here {}; if osa serve runs as it, only the triggers guard the log (set up a server role: osa db migrate --grant-server-role NAME, then osa audit verify --server-role NAME)",
                powers.join(", ")
            ));
        }
        Ok(r)
    }

    /// The rights of a role over the audit log beyond INSERT and SELECT, in words.
    async fn powers_over_audit(&self, role: &str) -> Result<Vec<String>> {
        let row: Option<(bool, bool, bool, bool, bool, bool)> = sqlx::query_as(self.sql(
            "SELECT r.rolsuper, \
             pg_has_role(r.oid, c.relowner, 'USAGE'), \
             has_table_privilege(r.oid, 'audit', 'UPDATE'), \
             has_table_privilege(r.oid, 'audit', 'DELETE'), \
             has_table_privilege(r.oid, 'audit', 'TRUNCATE'), \
             has_table_privilege(r.oid, 'audit', 'TRIGGER') \
             FROM pg_roles r, pg_class c WHERE r.rolname = ? AND c.oid = 'audit'::regclass",
        ))
        .bind(role)
        .fetch_optional(&self.pool)
        .await?;
        let Some((sup, owns, upd, del, trunc, trig)) = row else {
            return Ok(vec![format!("does not exist")]);
        };
        let mut p = Vec::new();
        let named = [
            (sup, "is a superuser"),
            (owns, "owns the audit log (or is a member of its owner)"),
            (upd, "has UPDATE on it"),
            (del, "has DELETE on it"),
            (trunc, "has TRUNCATE on it"),
            (trig, "has TRIGGER on it"),
        ];
        p.extend(
            named
                .iter()
                .filter(|(b, _)| *b)
                .map(|(_, s)| (*s).to_string()),
        );
        Ok(p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_names_are_plain_identifiers() {
        assert!(check_role_name("osa_server").is_ok());
        assert!(check_role_name("x1").is_ok());
        for bad in [
            "",
            "1x",
            "Osa",
            "a;drop table audit",
            "a-b",
            &"a".repeat(64),
        ] {
            assert!(check_role_name(bad).is_err(), "{bad}");
        }
    }
}
