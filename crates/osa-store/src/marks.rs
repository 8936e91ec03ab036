//! Per-user marks: where a user stood when they last looked at something (the change log's newest
//! change when they last visited it), so the workbench can say what changed since their last visit.

use crate::{Actor, Result, Store, col};
use serde::Serialize;

/// A user's mark.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Mark {
    /// When it was set.
    pub at: String,
    /// The newest change id seen then (0: none).
    pub change_id: i64,
}

impl Store {
    /// A user's mark (`changes`: the change log), if set.
    pub async fn mark(&self, user: &str, mark: &str) -> Result<Option<Mark>> {
        let row = sqlx::query(
            self.sql("SELECT at, change_id FROM user_marks WHERE user_name = ? AND mark = ?"),
        )
        .bind(user)
        .bind(mark)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| {
            Ok(Mark {
                at: col(&r, "at")?,
                change_id: col(&r, "change_id")?,
            })
        })
        .transpose()
    }

    /// Sets the acting user's mark to `change_id`, now (audited in the same transaction).
    pub async fn set_mark(&self, actor: &Actor, mark: &str, change_id: i64) -> Result<Mark> {
        let at = crate::clock::now();
        let mut tx = self.write().await?;
        sqlx::query(self.sql("DELETE FROM user_marks WHERE user_name = ? AND mark = ?"))
            .bind(&actor.name)
            .bind(mark)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            self.sql("INSERT INTO user_marks (user_name, mark, at, change_id) VALUES (?, ?, ?, ?)"),
        )
        .bind(&actor.name)
        .bind(mark)
        .bind(&at)
        .bind(change_id)
        .execute(&mut *tx)
        .await?;
        let key = [(&actor.name).into(), mark.into()];
        self.seal(&mut tx, &crate::seal::USER_MARKS, &key).await?;
        self.audit(
            &mut tx,
            actor,
            "mark.set",
            &format!("user/{}/{mark}", actor.name),
            "ok",
            serde_json::json!({ "change_id": change_id }),
        )
        .await?;
        tx.commit().await?;
        Ok(Mark { at, change_id })
    }

    /// The newest change's id (0: none yet).
    pub async fn latest_change_id(&self) -> Result<i64> {
        let (n,): (i64,) = sqlx::query_as("SELECT COALESCE(MAX(id), 0) FROM changes")
            .fetch_one(&self.pool)
            .await?;
        Ok(n)
    }

    /// How many changes are newer than `change_id`.
    pub async fn count_changes_after(&self, change_id: i64) -> Result<u64> {
        let (n,): (i64,) = sqlx::query_as(self.sql("SELECT COUNT(*) FROM changes WHERE id > ?"))
            .bind(change_id)
            .fetch_one(&self.pool)
            .await?;
        Ok(u64::try_from(n).unwrap_or(0))
    }
}
