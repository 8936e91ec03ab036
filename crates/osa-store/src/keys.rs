//! A user's own keys, as their account page shows them: the API tokens they hold (listed,
//! revoked one by one) and their feed key, a secret in the URL of their Atom feeds so that a feed
//! reader can fetch them. Only SHA-256 of a secret is stored; a user has at most one live feed
//! key (making one revokes the last), and a feed key reads feeds only (the server decides where
//! it is accepted). Every change is audited.

use crate::users::{Principal, Role, digest, secret};
use crate::{Actor, Result, Store, StoreError, col};
use serde::Serialize;

/// An API token as its owner sees it (never its secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct TokenInfo {
    /// Its id.
    pub id: i64,
    /// Its label.
    pub label: String,
    /// Its role (at most its user's).
    pub role: String,
    /// When it was made.
    pub created_at: String,
    /// When it expires.
    pub expires_at: String,
    /// Whether it was revoked.
    pub revoked: bool,
}

/// The prefix of a feed key.
pub const FEED_KEY_PREFIX: &str = "osa_feed_";

impl Store {
    /// A user's API tokens, newest first.
    pub async fn tokens_of(&self, name: &str) -> Result<Vec<TokenInfo>> {
        let rows = sqlx::query(self.sql(
            "SELECT t.id AS id, t.name AS label, t.role AS role, t.created_at AS created_at, \
             t.expires_at AS expires_at, t.revoked AS revoked FROM api_tokens t \
             JOIN users u ON u.id = t.user_id WHERE u.name = ? ORDER BY t.id DESC LIMIT 200",
        ))
        .bind(name)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(TokenInfo {
                    id: col(r, "id")?,
                    label: col(r, "label")?,
                    role: col(r, "role")?,
                    created_at: col(r, "created_at")?,
                    expires_at: col(r, "expires_at")?,
                    revoked: col::<i64>(r, "revoked")? != 0,
                })
            })
            .collect()
    }

    /// Revokes one of a user's own API tokens by id (another user's is not found).
    pub async fn revoke_token(&self, actor: &Actor, name: &str, id: i64) -> Result<()> {
        let target = format!("user/{name}");
        let detail = serde_json::json!({ "token": id });
        let r = async {
            let mut tx = self.write().await?;
            let n = sqlx::query(self.sql(
                "UPDATE api_tokens SET revoked = 1 WHERE id = ? AND user_id = (SELECT id FROM users WHERE name = ?)",
            ))
            .bind(id)
            .bind(name)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if n == 0 {
                return Err(StoreError::NotFound(format!("you have no API token {id}")));
            }
            self.seal(&mut tx, &crate::seal::API_TOKENS, &[id.into()])
                .await?;
            self.audit(&mut tx, actor, "token.revoke", &target, "ok", detail.clone())
                .await?;
            tx.commit().await?;
            Ok(())
        }
        .await;
        self.audited(r, actor, "token.revoke", &target, detail)
            .await
    }

    /// Makes a user's feed key (revoking the last one); returns it, the only time it is seen.
    pub async fn create_feed_key(&self, actor: &Actor, name: &str) -> Result<String> {
        let target = format!("user/{name}");
        let r = async {
            let (s, hash) = secret()?;
            let mut tx = self.write().await?;
            let (user,): (i64,) = sqlx::query_as(self.sql("SELECT id FROM users WHERE name = ?"))
                .bind(name)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or_else(|| StoreError::NotFound(format!("no user `{name}`")))?;
            sqlx::query(self.sql("UPDATE feed_keys SET revoked = 1 WHERE user_id = ?"))
                .bind(user)
                .execute(&mut *tx)
                .await?;
            let id = self.next_id(&mut tx, "feed_keys", "id").await?;
            sqlx::query(self.sql(
                "INSERT INTO feed_keys (id, hash, user_id, created_at, revoked) VALUES (?, ?, ?, ?, 0)",
            ))
            .bind(id)
            .bind(&hash)
            .bind(user)
            .bind(crate::clock::now())
            .execute(&mut *tx)
            .await?;
            self.audit(&mut tx, actor, "feed_key.create", &target, "ok", serde_json::json!({}))
                .await?;
            tx.commit().await?;
            Ok(format!("{FEED_KEY_PREFIX}{s}"))
        }
        .await;
        self.audited(r, actor, "feed_key.create", &target, serde_json::json!({}))
            .await
    }

    /// Revokes a user's feed key; true when there was a live one.
    pub async fn revoke_feed_key(&self, actor: &Actor, name: &str) -> Result<bool> {
        let mut tx = self.write().await?;
        let n = sqlx::query(self.sql(
            "UPDATE feed_keys SET revoked = 1 WHERE revoked = 0 AND user_id = (SELECT id FROM users WHERE name = ?)",
        ))
        .bind(name)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        self.audit(
            &mut tx,
            actor,
            "feed_key.revoke",
            &format!("user/{name}"),
            "ok",
            serde_json::json!({ "revoked": n }),
        )
        .await?;
        tx.commit().await?;
        Ok(n > 0)
    }

    /// When a user's live feed key was made, if they have one.
    pub async fn feed_key_created(&self, name: &str) -> Result<Option<String>> {
        let row: Option<(String,)> = sqlx::query_as(self.sql(
            "SELECT k.created_at FROM feed_keys k JOIN users u ON u.id = k.user_id \
             WHERE u.name = ? AND k.revoked = 0",
        ))
        .bind(name)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|r| r.0))
    }

    /// The principal of a live feed key (its user, as a viewer: a feed key only reads).
    pub async fn feed_key(&self, key: &str) -> Result<Option<Principal>> {
        let Some(s) = key.strip_prefix(FEED_KEY_PREFIX) else {
            return Ok(None);
        };
        let row: Option<(String,)> = sqlx::query_as(self.sql(
            "SELECT u.name FROM feed_keys k JOIN users u ON u.id = k.user_id \
             WHERE k.hash = ? AND k.revoked = 0 AND u.disabled = 0",
        ))
        .bind(digest(s))
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|(name,)| Principal {
            name,
            role: Role::Viewer,
            via: "feed key",
        }))
    }
}
