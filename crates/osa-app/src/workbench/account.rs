//! A user's own account: their API tokens (made with a label, a role at most theirs and a
//! lifetime; listed; revoked one by one) and their feed key (the secret a feed reader puts in the
//! URL of their Atom feeds). The API and the account page call the same use cases.

use super::Workbench;
use crate::{AppError, Result};
use osa_store::Actor;
use osa_store::keys::TokenInfo;
use osa_store::users::{Principal, Role};

/// Longest token label (bytes).
pub const MAX_LABEL: usize = 100;
/// Longest token lifetime (days).
pub const MAX_DAYS: u32 = 366;

/// What a user's account holds.
#[derive(Debug, Clone)]
pub struct Account {
    /// Their API tokens, newest first.
    pub tokens: Vec<TokenInfo>,
    /// When their live feed key was made.
    pub feed_key_created: Option<String>,
}

/// A token just made: its secret (shown once), its role and lifetime.
#[derive(Debug, Clone)]
pub struct MadeToken {
    /// The secret.
    pub token: String,
    /// Its role (at most its user's).
    pub role: Role,
    /// Its lifetime in days.
    pub days: u32,
}

impl Workbench {
    /// The caller's account.
    pub async fn account(&self, who: &Principal) -> Result<Account> {
        Ok(Account {
            tokens: self.store.tokens_of(&who.name).await?,
            feed_key_created: self.store.feed_key_created(&who.name).await?,
        })
    }

    /// Makes an API token for the caller: `role` at most theirs (default theirs), 1 to 366 days
    /// (default 90), a label of 1 to 100 bytes.
    pub async fn make_token(
        &self,
        actor: &Actor,
        who: &Principal,
        label: &str,
        role: Option<&str>,
        days: Option<u32>,
    ) -> Result<MadeToken> {
        let role = match role.map(str::trim).filter(|r| !r.is_empty()) {
            Some(r) => Role::parse(r).ok_or_else(|| {
                AppError::invalid(
                    "role",
                    format!("`{r}` is not a role (viewer, analyst, reviewer, admin)"),
                )
            })?,
            None => who.role,
        };
        let days = days.unwrap_or(90);
        if days == 0 || days > MAX_DAYS {
            return Err(AppError::invalid("days", format!("1 to {MAX_DAYS}")));
        }
        let label = label.trim();
        if label.is_empty() || label.len() > MAX_LABEL {
            return Err(AppError::invalid(
                "label",
                format!("1 to {MAX_LABEL} bytes"),
            ));
        }
        let role = role.min(who.role);
        let ttl = std::time::Duration::from_secs(u64::from(days) * 86_400);
        let token = self
            .store
            .create_token(actor, &who.name, role, label, ttl)
            .await?;
        Ok(MadeToken { token, role, days })
    }

    /// Revokes one of the caller's API tokens.
    pub async fn revoke_own_token(&self, actor: &Actor, who: &Principal, id: i64) -> Result<()> {
        Ok(self.store.revoke_token(actor, &who.name, id).await?)
    }

    /// Makes the caller's feed key (the last one stops working); answers it, shown once.
    pub async fn make_feed_key(&self, actor: &Actor, who: &Principal) -> Result<String> {
        Ok(self.store.create_feed_key(actor, &who.name).await?)
    }

    /// Revokes the caller's feed key.
    pub async fn revoke_feed_key(&self, actor: &Actor, who: &Principal) -> Result<bool> {
        Ok(self.store.revoke_feed_key(actor, &who.name).await?)
    }
}
