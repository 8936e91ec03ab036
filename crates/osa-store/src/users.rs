//! Users and how they prove who they are: roles (viewer < analyst < reviewer < admin), Argon2id
//! password hashes, browser sessions, API tokens for scripts, and one-time sign-in links. Secrets
//! (session ids, tokens, links) are 256-bit random values; only their SHA-256 is stored. Changing a
//! user's stamp (disable, new password) ends all their sessions at once.

use crate::migrate::hex;
use crate::seal::{API_TOKENS, SESSIONS, SIGNIN_LINKS, USERS};
use crate::{Actor, Result, Store, StoreError, Tx, col};
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::time::Duration;

/// What a user may do; each role includes the ones below it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Reads everything published.
    Viewer,
    /// Also proposes changes and records events, watchlists and app assessments.
    Analyst,
    /// Also approves or rejects others' proposals.
    Reviewer,
    /// Also manages users, tokens, imports and data releases.
    Admin,
}

impl Role {
    /// Every role, lowest first.
    pub const ALL: [Role; 4] = [Role::Viewer, Role::Analyst, Role::Reviewer, Role::Admin];

    /// Spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Analyst => "analyst",
            Role::Reviewer => "reviewer",
            Role::Admin => "admin",
        }
    }

    /// Parses a spelling.
    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// A user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct User {
    /// Id.
    pub id: i64,
    /// Name (unique; what revisions and the audit log record).
    pub name: String,
    /// Role.
    pub role: Role,
    /// Disabled users cannot sign in; their sessions and tokens stop working.
    pub disabled: bool,
    /// When created.
    pub created_at: String,
    #[serde(skip)]
    stamp: String,
}

/// Who a request acts as, once authenticated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Principal {
    /// The user.
    pub name: String,
    /// The role in force (a token's role, at most its user's).
    pub role: Role,
    /// How: `session` or `token`.
    pub via: &'static str,
}

/// A new random secret (hex of 32 random bytes) and its stored hash.
pub fn secret() -> Result<(String, String)> {
    let mut b = [0u8; 32];
    getrandom::fill(&mut b).map_err(|e| StoreError::Corrupt(format!("no randomness: {e}")))?;
    let s = hex(&b);
    let h = digest(&s);
    Ok((s, h))
}

/// The stored hash of a secret.
pub fn digest(secret: &str) -> String {
    hex(&Sha256::digest(secret.as_bytes()))
}

/// An Argon2id hash of a password (PHC string), computed off the async threads.
pub async fn hash_password(password: String) -> Result<String> {
    check_password(&password)?;
    tokio::task::spawn_blocking(move || {
        let mut salt = [0u8; 16];
        getrandom::fill(&mut salt)
            .map_err(|e| StoreError::Corrupt(format!("no randomness: {e}")))?;
        let salt = SaltString::encode_b64(&salt).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| StoreError::Corrupt(format!("could not hash the password: {e}")))
    })
    .await
    .map_err(|e| StoreError::Corrupt(e.to_string()))?
}

/// Passwords: 10 to 1,024 characters.
pub fn check_password(p: &str) -> Result<()> {
    let n = p.chars().count();
    if !(10..=1024).contains(&n) {
        return Err(StoreError::invalid(
            "password",
            "use 10 to 1,024 characters",
        ));
    }
    Ok(())
}

/// User names: 1-64 characters of letters, digits, `.`, `_`, `-`, `@`.
pub fn check_name(n: &str) -> Result<()> {
    let ok = !n.is_empty()
        && n.len() <= 64
        && n.chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-@".contains(c));
    if ok {
        Ok(())
    } else {
        Err(StoreError::invalid(
            "name",
            format!("`{n}`: use 1-64 letters, digits, '.', '_', '-' or '@'"),
        ))
    }
}

async fn verify_password(hash: String, password: String) -> bool {
    tokio::task::spawn_blocking(move || {
        PasswordHash::new(&hash)
            .map(|h| {
                Argon2::default()
                    .verify_password(password.as_bytes(), &h)
                    .is_ok()
            })
            .unwrap_or(false)
    })
    .await
    .unwrap_or(false)
}

impl Store {
    /// Adds a user (password optional: a first-run admin signs in with a one-time link).
    pub async fn add_user(
        &self,
        actor: &Actor,
        name: &str,
        role: Role,
        password: Option<String>,
    ) -> Result<User> {
        let target = format!("user/{name}");
        let detail = serde_json::json!({ "role": role.as_str() });
        let r = async {
            check_name(name)?;
            let hash = match password {
                Some(p) => Some(hash_password(p).await?),
                None => None,
            };
            let mut tx = self.write().await?;
            let exists: Option<(i64,)> = sqlx::query_as(self.sql("SELECT id FROM users WHERE name = ?"))
                .bind(name)
                .fetch_optional(&mut *tx)
                .await?;
            if exists.is_some() {
                return Err(StoreError::invalid("name", format!("a user `{name}` exists already")));
            }
            let id = self.next_id(&mut tx, "users", "id").await?;
            let (stamp, _) = secret()?;
            let now = crate::clock::now();
            sqlx::query(self.sql(
                "INSERT INTO users (id, name, role, password_hash, disabled, stamp, created_at) VALUES (?, ?, ?, ?, 0, ?, ?)",
            ))
            .bind(id)
            .bind(name)
            .bind(role.as_str())
            .bind(hash)
            .bind(&stamp)
            .bind(&now)
            .execute(&mut *tx)
            .await?;
            self.seal(&mut tx, &USERS, &[id.into()]).await?;
            self.audit(&mut tx, actor, "user.add", &target, "ok", detail.clone()).await?;
            tx.commit().await?;
            Ok(User { id, name: name.into(), role, disabled: false, created_at: now, stamp })
        }
        .await;
        self.audited(r, actor, "user.add", &target, detail).await
    }

    /// A user's id inside a write transaction (`NotFound` without one).
    async fn user_id(&self, tx: &mut Tx, name: &str) -> Result<i64> {
        let row: Option<(i64,)> = sqlx::query_as(self.sql("SELECT id FROM users WHERE name = ?"))
            .bind(name)
            .fetch_optional(&mut **tx)
            .await?;
        row.map(|r| r.0)
            .ok_or_else(|| StoreError::NotFound(format!("no user `{name}`")))
    }

    /// Every user, by name.
    pub async fn users(&self) -> Result<Vec<User>> {
        let rows = sqlx::query("SELECT * FROM users ORDER BY name")
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(user).collect()
    }

    /// The number of users.
    pub async fn user_count(&self) -> Result<i64> {
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM users")
            .fetch_one(&self.pool)
            .await?;
        Ok(n)
    }

    async fn user_by_name(&self, name: &str) -> Result<Option<(User, Option<String>)>> {
        let row = sqlx::query(self.sql("SELECT * FROM users WHERE name = ?"))
            .bind(name)
            .fetch_optional(&self.pool)
            .await?;
        match row {
            Some(r) => Ok(Some((user(&r)?, col(&r, "password_hash")?))),
            None => Ok(None),
        }
    }

    /// Disables (or enables) a user; their sessions end.
    pub async fn set_disabled(&self, actor: &Actor, name: &str, disabled: bool) -> Result<()> {
        let action = if disabled {
            "user.disable"
        } else {
            "user.enable"
        };
        let target = format!("user/{name}");
        let r = async {
            let (stamp, _) = secret()?;
            let mut tx = self.write().await?;
            let id = self.user_id(&mut tx, name).await?;
            sqlx::query(self.sql("UPDATE users SET disabled = ?, stamp = ? WHERE id = ?"))
                .bind(i64::from(disabled))
                .bind(stamp)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            self.seal(&mut tx, &USERS, &[id.into()]).await?;
            self.audit(&mut tx, actor, action, &target, "ok", serde_json::json!({}))
                .await?;
            tx.commit().await?;
            Ok(())
        }
        .await;
        self.audited(r, actor, action, &target, serde_json::json!({}))
            .await
    }

    /// Sets a user's password; their other sessions end.
    pub async fn set_password(&self, actor: &Actor, name: &str, password: String) -> Result<()> {
        let target = format!("user/{name}");
        let r = async {
            let hash = hash_password(password).await?;
            let (stamp, _) = secret()?;
            let mut tx = self.write().await?;
            let id = self.user_id(&mut tx, name).await?;
            sqlx::query(self.sql("UPDATE users SET password_hash = ?, stamp = ? WHERE id = ?"))
                .bind(hash)
                .bind(stamp)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            self.seal(&mut tx, &USERS, &[id.into()]).await?;
            self.audit(
                &mut tx,
                actor,
                "user.password",
                &target,
                "ok",
                serde_json::json!({}),
            )
            .await?;
            tx.commit().await?;
            Ok(())
        }
        .await;
        self.audited(r, actor, "user.password", &target, serde_json::json!({}))
            .await
    }

    /// Checks a name and password; on success opens a session and returns its secret. Failures
    /// are audited and say nothing about which part was wrong.
    pub async fn sign_in(
        &self,
        actor: &Actor,
        name: &str,
        password: &str,
        ttl: Duration,
    ) -> Result<(String, Principal)> {
        let target = format!("user/{name}");
        let found = self.user_by_name(name).await?;
        let ok = match &found {
            Some((u, Some(h))) if !u.disabled => {
                verify_password(h.clone(), password.to_string()).await
            }
            _ => false,
        };
        let Some((u, _)) = found.filter(|_| ok) else {
            self.audit_refusal(
                actor,
                "signin",
                &target,
                "wrong name or password",
                serde_json::json!({}),
            )
            .await?;
            return Err(StoreError::Refused("wrong name or password".into()));
        };
        self.open_session(actor, &u, ttl).await
    }

    async fn open_session(
        &self,
        actor: &Actor,
        u: &User,
        ttl: Duration,
    ) -> Result<(String, Principal)> {
        let (secret, hash) = secret()?;
        let mut tx = self.write().await?;
        sqlx::query(self.sql(
            "INSERT INTO sessions (hash, user_id, stamp, created_at, expires_at, revoked) VALUES (?, ?, ?, ?, ?, 0)",
        ))
        .bind(&hash)
        .bind(u.id)
        .bind(&u.stamp)
        .bind(crate::clock::now())
        .bind(crate::clock::after(ttl))
        .execute(&mut *tx)
        .await?;
        self.seal(&mut tx, &SESSIONS, &[(&hash).into()]).await?;
        let who = Actor {
            name: u.name.clone(),
            ..actor.clone()
        };
        self.audit(
            &mut tx,
            &who,
            "signin",
            &format!("user/{}", u.name),
            "ok",
            serde_json::json!({}),
        )
        .await?;
        tx.commit().await?;
        Ok((
            secret,
            Principal {
                name: u.name.clone(),
                role: u.role,
                via: "session",
            },
        ))
    }

    /// The user of a live session (not expired, not revoked, user enabled, stamp unchanged).
    pub async fn session(&self, secret: &str) -> Result<Option<Principal>> {
        let row = sqlx::query(self.sql(
            "SELECT u.name AS name, u.role AS role FROM sessions s JOIN users u ON u.id = s.user_id \
             WHERE s.hash = ? AND s.revoked = 0 AND s.expires_at > ? AND u.disabled = 0 AND u.stamp = s.stamp",
        ))
        .bind(digest(secret))
        .bind(crate::clock::now())
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| principal(&r, "session")).transpose()
    }

    /// Ends a session.
    pub async fn sign_out(&self, actor: &Actor, secret: &str) -> Result<()> {
        let mut tx = self.write().await?;
        let hash = digest(secret);
        sqlx::query(self.sql("UPDATE sessions SET revoked = 1 WHERE hash = ?"))
            .bind(&hash)
            .execute(&mut *tx)
            .await?;
        self.seal(&mut tx, &SESSIONS, &[(&hash).into()]).await?;
        self.audit(
            &mut tx,
            actor,
            "signout",
            &format!("user/{}", actor.name),
            "ok",
            serde_json::json!({}),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Creates a one-time sign-in link for a user, valid for `ttl`; returns its secret.
    pub async fn signin_link(&self, actor: &Actor, name: &str, ttl: Duration) -> Result<String> {
        let (u, _) = self
            .user_by_name(name)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("no user `{name}`")))?;
        let (secret, hash) = secret()?;
        let mut tx = self.write().await?;
        sqlx::query(
            self.sql(
                "INSERT INTO signin_links (hash, user_id, expires_at, used) VALUES (?, ?, ?, 0)",
            ),
        )
        .bind(&hash)
        .bind(u.id)
        .bind(crate::clock::after(ttl))
        .execute(&mut *tx)
        .await?;
        self.seal(&mut tx, &SIGNIN_LINKS, &[(&hash).into()]).await?;
        self.audit(
            &mut tx,
            actor,
            "signin_link.create",
            &format!("user/{name}"),
            "ok",
            serde_json::json!({}),
        )
        .await?;
        tx.commit().await?;
        Ok(secret)
    }

    /// Uses a one-time sign-in link: opens a session, and the link stops working.
    pub async fn use_signin_link(
        &self,
        actor: &Actor,
        secret: &str,
        ttl: Duration,
    ) -> Result<(String, Principal)> {
        let row = sqlx::query(self.sql(
            "SELECT u.name AS name FROM signin_links l JOIN users u ON u.id = l.user_id \
             WHERE l.hash = ? AND l.used = 0 AND l.expires_at > ? AND u.disabled = 0",
        ))
        .bind(digest(secret))
        .bind(crate::clock::now())
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else {
            self.audit_refusal(
                actor,
                "signin_link.use",
                "signin_link",
                "unknown, used or expired link",
                serde_json::json!({}),
            )
            .await?;
            return Err(StoreError::Refused(
                "this sign-in link is unknown, used or expired".into(),
            ));
        };
        let name: String = col(&row, "name")?;
        let mut tx = self.write().await?;
        let hash = digest(secret);
        let n =
            sqlx::query(self.sql("UPDATE signin_links SET used = 1 WHERE hash = ? AND used = 0"))
                .bind(&hash)
                .execute(&mut *tx)
                .await?
                .rows_affected();
        self.seal(&mut tx, &SIGNIN_LINKS, &[(&hash).into()]).await?;
        let target = format!("user/{name}");
        let detail = serde_json::json!({});
        self.audit(&mut tx, actor, "signin_link.use", &target, "ok", detail)
            .await?;
        tx.commit().await?;
        if n != 1 {
            return Err(StoreError::Refused(
                "this sign-in link is unknown, used or expired".into(),
            ));
        }
        let (u, _) = self
            .user_by_name(&name)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("no user `{name}`")))?;
        self.open_session(actor, &u, ttl).await
    }

    /// Creates an API token for a user with a role (at most the user's); returns its secret.
    pub async fn create_token(
        &self,
        actor: &Actor,
        name: &str,
        role: Role,
        label: &str,
        ttl: Duration,
    ) -> Result<String> {
        let target = format!("user/{name}");
        let detail = serde_json::json!({ "role": role.as_str(), "label": label });
        let r = async {
            let (u, _) = self
                .user_by_name(name)
                .await?
                .ok_or_else(|| StoreError::NotFound(format!("no user `{name}`")))?;
            if role > u.role {
                return Err(StoreError::invalid("role", format!("{name} is {}; a token cannot have more rights", u.role.as_str())));
            }
            let (secret, hash) = secret()?;
            let mut tx = self.write().await?;
            let id = self.next_id(&mut tx, "api_tokens", "id").await?;
            sqlx::query(self.sql(
                "INSERT INTO api_tokens (id, hash, user_id, role, name, created_at, expires_at, revoked) VALUES (?, ?, ?, ?, ?, ?, ?, 0)",
            ))
            .bind(id)
            .bind(&hash)
            .bind(u.id)
            .bind(role.as_str())
            .bind(label)
            .bind(crate::clock::now())
            .bind(crate::clock::after(ttl))
            .execute(&mut *tx)
            .await?;
            self.seal(&mut tx, &API_TOKENS, &[id.into()]).await?;
            self.audit(&mut tx, actor, "token.create", &target, "ok", detail.clone()).await?;
            tx.commit().await?;
            Ok(format!("osa_{secret}"))
        }
        .await;
        self.audited(r, actor, "token.create", &target, detail)
            .await
    }

    /// The principal of a live API token.
    pub async fn token(&self, token: &str) -> Result<Option<Principal>> {
        let Some(secret) = token.strip_prefix("osa_") else {
            return Ok(None);
        };
        let row = sqlx::query(self.sql(
            "SELECT u.name AS name, t.role AS role FROM api_tokens t JOIN users u ON u.id = t.user_id \
             WHERE t.hash = ? AND t.revoked = 0 AND t.expires_at > ? AND u.disabled = 0",
        ))
        .bind(digest(secret))
        .bind(crate::clock::now())
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| principal(&r, "token")).transpose()
    }

    /// Revokes every token of a user with a label.
    pub async fn revoke_tokens(&self, actor: &Actor, name: &str, label: &str) -> Result<u64> {
        let mut tx = self.write().await?;
        let ids: Vec<(i64,)> = sqlx::query_as(self.sql(
            "SELECT id FROM api_tokens WHERE name = ? AND user_id = (SELECT id FROM users WHERE name = ?) ORDER BY id",
        ))
        .bind(label)
        .bind(name)
        .fetch_all(&mut *tx)
        .await?;
        for (id,) in &ids {
            sqlx::query(self.sql("UPDATE api_tokens SET revoked = 1 WHERE id = ?"))
                .bind(id)
                .execute(&mut *tx)
                .await?;
            self.seal(&mut tx, &API_TOKENS, &[(*id).into()]).await?;
        }
        let n = ids.len() as u64;
        self.audit(
            &mut tx,
            actor,
            "token.revoke",
            &format!("user/{name}"),
            "ok",
            serde_json::json!({ "label": label, "revoked": n }),
        )
        .await?;
        tx.commit().await?;
        Ok(n)
    }
}

fn user(r: &sqlx::any::AnyRow) -> Result<User> {
    let role: String = col(r, "role")?;
    Ok(User {
        id: col(r, "id")?,
        name: col(r, "name")?,
        role: Role::parse(&role)
            .ok_or_else(|| StoreError::Corrupt(format!("unknown role `{role}`")))?,
        disabled: col::<i64>(r, "disabled")? != 0,
        created_at: col(r, "created_at")?,
        stamp: col(r, "stamp")?,
    })
}

fn principal(r: &sqlx::any::AnyRow, via: &'static str) -> Result<Principal> {
    let role: String = col(r, "role")?;
    Ok(Principal {
        name: col(r, "name")?,
        role: Role::parse(&role)
            .ok_or_else(|| StoreError::Corrupt(format!("unknown role `{role}`")))?,
        via,
    })
}
