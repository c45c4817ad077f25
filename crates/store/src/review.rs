//! What the editors' review workspace (`tujie serve`) reads and writes: accounts, login sessions, the review
//! queue with each draft's policy, and edits that become new draft revisions.
//!
//! Kept apart from `queries.rs` and `apply.rs`: the pipeline's write path knows nothing of editors. Approving and
//! rejecting stay in [`Store::review`] (`decisions.rs`), shared with `tujie drafts approve|reject`.
//!
//! Only SHA-256 hashes of login tokens and session cookies reach the database; hashing is the caller's job, so
//! this crate never sees a secret.

use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;
use tujie_model::{DraftStatus, InfographicContent, RenderedDraft};

use crate::rows::{corrupt, now, now_plus, to_json};
use crate::{Store, StoreError};

/// What an account may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Reviews the drafts of the policies of their own department.
    Editor,
    /// Sees every department's drafts and the coverage report.
    Supervisor,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Editor => "editor",
            Role::Supervisor => "supervisor",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Role::Editor, Role::Supervisor].into_iter().find(|r| r.as_str() == s)
    }
}

/// An account of the review workspace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct User {
    pub id: i64,
    /// Shown in the audit log as the actor of every edit and decision.
    pub name: String,
    pub department: Option<String>,
    pub role: Role,
    pub created_at: String,
}

/// One line of the review queue.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReviewItem {
    pub draft_id: String,
    pub policy_id: String,
    pub policy_title: String,
    pub department: Option<String>,
    pub policy_published_at: String,
    pub status: DraftStatus,
    pub revision: i64,
    pub warnings: usize,
    pub missing_glyphs: usize,
    pub created_at: String,
    pub updated_at: String,
}

/// Which department's drafts a queue shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DepartmentFilter<'a> {
    All,
    Named(&'a str),
    /// Policies whose events named no department ([`crate::UNASSIGNED_DEPARTMENT`] in reports).
    Unassigned,
}

/// The policy a draft is for, as the draft page shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DraftPolicy {
    pub id: String,
    pub title: String,
    pub doc_number: Option<String>,
    pub url: Option<String>,
    pub issuer: Option<String>,
    pub department: Option<String>,
    pub site: Option<String>,
    pub published_at: String,
}

/// Everything the draft page needs except the images.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DraftDetail {
    pub draft_id: String,
    pub status: DraftStatus,
    pub template: String,
    /// Bumped by every saved edit; an edit names the revision it was based on.
    pub revision: i64,
    pub content: InfographicContent,
    pub warnings: Vec<String>,
    pub missing_glyphs: Vec<String>,
    /// The text every span of `content` points into.
    pub source_text: String,
    pub created_at: String,
    pub updated_at: String,
    pub policy: DraftPolicy,
}

/// One entry of a draft's audit trail: generated, edited, approved, rejected, superseded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HistoryEntry {
    pub action: String,
    pub actor: String,
    pub comment: Option<String>,
    pub created_at: String,
}

/// An edited draft, re-rendered, ready to become the next revision.
#[derive(Debug, Clone, PartialEq)]
pub struct EditedDraft {
    pub content: InfographicContent,
    pub rendered: RenderedDraft,
}

/// What became of an edit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SaveOutcome {
    /// Stored as this revision.
    Saved { revision: i64 },
    /// Someone saved another revision since the edit was based on `base`; nothing was stored.
    Stale { current: i64 },
    /// The draft was approved, rejected or superseded meanwhile; nothing was stored.
    NotPending(DraftStatus),
}

const USER_COLUMNS: &str = "u.id, u.name, u.department, u.role, u.created_at";

impl Store {
    /// Adds an account. A taken name is a [`StoreError::Conflict`].
    pub async fn add_user(
        &self,
        name: &str,
        department: Option<&str>,
        role: Role,
        token_hash: &str,
    ) -> Result<User, StoreError> {
        let mut tx = self.begin_write().await?;
        let now = now();
        let id = sqlx::query(
            "INSERT INTO users (name, department, role, token_hash, created_at) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (name) DO NOTHING RETURNING id",
        )
        .bind(name)
        .bind(department)
        .bind(role.as_str())
        .bind(token_hash)
        .bind(&now)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(id) = id else {
            tx.rollback().await?;
            return Err(StoreError::Conflict(format!("a user named `{name}` already exists")));
        };
        tx.commit().await?;
        Ok(User {
            id: id.try_get(0)?,
            name: name.to_owned(),
            department: department.map(str::to_owned),
            role,
            created_at: now,
        })
    }

    /// Replaces a user's login token (a lost token) and ends their sessions.
    pub async fn reset_user_token(&self, name: &str, token_hash: &str) -> Result<User, StoreError> {
        let mut tx = self.begin_write().await?;
        let Some(row) = sqlx::query(
            "UPDATE users SET token_hash = $2 WHERE name = $1 RETURNING id, name, department, role, created_at",
        )
        .bind(name)
        .bind(token_hash)
        .fetch_optional(&mut *tx)
        .await?
        else {
            tx.rollback().await?;
            return Err(StoreError::NotFound(format!("user `{name}`")));
        };
        let user = user_from_row(&row)?;
        sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(user.id).execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(user)
    }

    /// Every account, by name.
    pub async fn users(&self) -> Result<Vec<User>, StoreError> {
        let sql = sqlx::AssertSqlSafe(format!("SELECT {USER_COLUMNS} FROM users u ORDER BY u.name"));
        sqlx::query(sql).fetch_all(&self.pool).await?.iter().map(user_from_row).collect()
    }

    /// The account a login token (by hash) belongs to.
    pub async fn user_by_token(&self, token_hash: &str) -> Result<Option<User>, StoreError> {
        let sql = sqlx::AssertSqlSafe(format!("SELECT {USER_COLUMNS} FROM users u WHERE u.token_hash = $1"));
        sqlx::query(sql).bind(token_hash).fetch_optional(&self.pool).await?.as_ref().map(user_from_row).transpose()
    }

    /// Opens a session lasting `ttl`; also drops expired sessions so the table does not grow forever.
    pub async fn create_session(
        &self,
        session_hash: &str,
        user_id: i64,
        ttl: std::time::Duration,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let now = now();
        sqlx::query("DELETE FROM sessions WHERE expires_at <= $1").bind(&now).execute(&mut *tx).await?;
        sqlx::query("INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
            .bind(session_hash)
            .bind(user_id)
            .bind(&now)
            .bind(now_plus(ttl))
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The user of an unexpired session.
    pub async fn session_user(&self, session_hash: &str) -> Result<Option<User>, StoreError> {
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {USER_COLUMNS} FROM sessions s JOIN users u ON u.id = s.user_id
             WHERE s.token_hash = $1 AND s.expires_at > $2"
        ));
        sqlx::query(sql)
            .bind(session_hash)
            .bind(now())
            .fetch_optional(&self.pool)
            .await?
            .as_ref()
            .map(user_from_row)
            .transpose()
    }

    /// Ends a session (logout). Ending one that does not exist is not an error.
    pub async fn delete_session(&self, session_hash: &str) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(session_hash).execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Drafts with `status` (all when `None`) of the policies `department` selects, oldest first: the
    /// longest-waiting draft is the most urgent.
    pub async fn review_queue(
        &self,
        status: Option<DraftStatus>,
        department: DepartmentFilter<'_>,
    ) -> Result<Vec<ReviewItem>, StoreError> {
        let (named, unassigned) = match department {
            DepartmentFilter::All => ("", 0),
            DepartmentFilter::Named(d) => (d, 0),
            DepartmentFilter::Unassigned => ("", 1),
        };
        let rows = sqlx::query(
            "SELECT d.id, d.policy_id, p.title, p.department, p.published_at, d.status, d.revision,
                 d.warnings_json, d.missing_glyphs_json, d.created_at, d.updated_at
             FROM drafts d JOIN documents p ON p.id = d.policy_id
             WHERE ($1 = '' OR d.status = $1) AND ($2 = '' OR p.department = $2)
                 AND ($3 = 0 OR p.department IS NULL OR p.department = '')
             ORDER BY d.created_at, d.id",
        )
        .bind(status.map(|s| s.as_str()).unwrap_or(""))
        .bind(named)
        .bind(unassigned)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let warnings: Vec<String> = json_column(r, "warnings_json")?;
                let glyphs: Vec<String> = json_column(r, "missing_glyphs_json")?;
                Ok(ReviewItem {
                    draft_id: r.try_get(0)?,
                    policy_id: r.try_get(1)?,
                    policy_title: r.try_get(2)?,
                    department: r.try_get(3)?,
                    policy_published_at: r.try_get(4)?,
                    status: draft_status(r)?,
                    revision: r.try_get(6)?,
                    warnings: warnings.len(),
                    missing_glyphs: glyphs.len(),
                    created_at: r.try_get(9)?,
                    updated_at: r.try_get(10)?,
                })
            })
            .collect()
    }

    /// A draft with its content, source text and policy.
    pub async fn draft_detail(&self, draft_id: &str) -> Result<Option<DraftDetail>, StoreError> {
        let Some(r) = sqlx::query(
            "SELECT d.id, d.status, d.template, d.revision, d.content_json, d.warnings_json, d.missing_glyphs_json,
                 d.source_text, d.created_at, d.updated_at, p.id AS policy_id, p.title, p.doc_number, p.url, p.issuer,
                 p.department, p.site, p.published_at
             FROM drafts d JOIN documents p ON p.id = d.policy_id WHERE d.id = $1",
        )
        .bind(draft_id)
        .fetch_optional(&self.pool)
        .await?
        else {
            return Ok(None);
        };
        Ok(Some(DraftDetail {
            draft_id: r.try_get("id")?,
            status: draft_status(&r)?,
            template: r.try_get("template")?,
            revision: r.try_get("revision")?,
            content: json_column(&r, "content_json")?,
            warnings: json_column(&r, "warnings_json")?,
            missing_glyphs: json_column(&r, "missing_glyphs_json")?,
            source_text: r.try_get("source_text")?,
            created_at: r.try_get("created_at")?,
            updated_at: r.try_get("updated_at")?,
            policy: DraftPolicy {
                id: r.try_get("policy_id")?,
                title: r.try_get("title")?,
                doc_number: r.try_get("doc_number")?,
                url: r.try_get("url")?,
                issuer: r.try_get("issuer")?,
                department: r.try_get("department")?,
                site: r.try_get("site")?,
                published_at: r.try_get("published_at")?,
            },
        }))
    }

    /// How many drafts each template drew, by status: `(template name, status, count)`, the name without its
    /// section kinds ([`RenderedDraft::template_name`]). The workspace's `/metrics` reports it.
    pub async fn draft_counts_by_template(&self) -> Result<Vec<(String, String, i64)>, StoreError> {
        let rows = sqlx::query("SELECT template, status, COUNT(*) FROM drafts GROUP BY template, status")
            .fetch_all(&self.pool)
            .await?;
        let mut counts: std::collections::BTreeMap<(String, String), i64> = std::collections::BTreeMap::new();
        for r in rows {
            let (template, status, n): (String, String, i64) = (r.try_get(0)?, r.try_get(1)?, r.try_get(2)?);
            *counts.entry((RenderedDraft::template_name(&template).to_owned(), status)).or_default() += n;
        }
        Ok(counts.into_iter().map(|((t, s), n)| (t, s, n)).collect())
    }

    /// Every department named by a stored document, sorted: with `[review] departments`, what `tujie user add`
    /// accepts.
    pub async fn known_departments(&self) -> Result<Vec<String>, StoreError> {
        let rows = sqlx::query(
            "SELECT DISTINCT department FROM documents WHERE department IS NOT NULL AND department <> ''
             ORDER BY department",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|r| Ok(r.try_get(0)?)).collect()
    }

    /// The audit trail of a draft, oldest first.
    pub async fn draft_history(&self, draft_id: &str) -> Result<Vec<HistoryEntry>, StoreError> {
        let rows = sqlx::query(
            "SELECT action, actor, comment, created_at FROM review_actions WHERE draft_id = $1 ORDER BY id",
        )
        .bind(draft_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(HistoryEntry {
                    action: r.try_get(0)?,
                    actor: r.try_get(1)?,
                    comment: r.try_get(2)?,
                    created_at: r.try_get(3)?,
                })
            })
            .collect()
    }

    /// The stored revisions of a draft as `(revision, author)`, oldest first; revision 1 is what the pipeline
    /// generated (author `system`).
    pub async fn draft_revisions(&self, draft_id: &str) -> Result<Vec<(i64, String)>, StoreError> {
        let rows = sqlx::query("SELECT revision, author FROM draft_revisions WHERE draft_id = $1 ORDER BY revision")
            .bind(draft_id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(|r| Ok((r.try_get(0)?, r.try_get(1)?))).collect()
    }

    /// Stores an edit as the next revision of a pending draft, if nobody saved one since `base_revision`
    /// (optimistic concurrency: the check and the write are one conditional `UPDATE`). Records the author in
    /// `draft_revisions` and in the audit log.
    pub async fn save_edit(
        &self,
        draft_id: &str,
        base_revision: i64,
        edited: &EditedDraft,
        author: &str,
        note: Option<&str>,
    ) -> Result<SaveOutcome, StoreError> {
        // Files before the row, as in `apply`: a committed row never names a file that is not there.
        let [png, preview] = self.assets.put_all([&edited.rendered.png, &edited.rendered.preview_png]).await?;
        let mut tx = self.begin_write().await?;
        let now = now();
        let content_json = to_json(&edited.content);
        let updated = sqlx::query(
            "UPDATE drafts SET content_json = $3, template = $4, warnings_json = $5, missing_glyphs_json = $6,
                 svg = $7, png = $8, preview_png = $9, png_key = $11, preview_key = $12, revision = revision + 1,
                 updated_at = $10
             WHERE id = $1 AND revision = $2 AND status = 'pending' RETURNING revision",
        )
        .bind(draft_id)
        .bind(base_revision)
        .bind(&content_json)
        .bind(&edited.rendered.template)
        .bind(to_json(&edited.rendered.warnings))
        .bind(to_json(&edited.rendered.missing_glyphs))
        .bind(&edited.rendered.svg)
        .bind(png.bytes())
        .bind(preview.bytes())
        .bind(&now)
        .bind(png.key())
        .bind(preview.key())
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = updated else {
            let current = sqlx::query("SELECT status, revision FROM drafts WHERE id = $1")
                .bind(draft_id)
                .fetch_optional(&mut *tx)
                .await?;
            tx.rollback().await?;
            let Some(current) = current else { return Err(StoreError::NotFound(format!("draft {draft_id}"))) };
            let status = draft_status_at(&current, 0)?;
            return Ok(if status != DraftStatus::Pending {
                SaveOutcome::NotPending(status)
            } else {
                SaveOutcome::Stale { current: current.try_get(1)? }
            });
        };
        let revision: i64 = row.try_get(0)?;
        let comment = note.map(str::trim).filter(|n| !n.is_empty());
        let entry =
            Revision { draft_id, revision, content_json: &content_json, svg: &edited.rendered.svg, author, now: &now };
        record_revision(&mut tx, &entry, "edit", comment).await?;
        tx.commit().await?;
        Ok(SaveOutcome::Saved { revision })
    }
}

impl Store {
    /// Puts a rejected draft back into review with `regenerated` (content extracted again from the policy by the
    /// current code, re-rendered) as its next revision, authored by `actor`. Refused as a conflict when the draft
    /// is not rejected, or when the policy meanwhile got another pending draft (one pending draft per policy).
    pub async fn regenerate_draft(
        &self,
        draft_id: &str,
        regenerated: &EditedDraft,
        actor: &str,
    ) -> Result<i64, StoreError> {
        let [png, preview] =
            self.assets.put_all([&regenerated.rendered.png, &regenerated.rendered.preview_png]).await?;
        let mut tx = self.begin_write().await?;
        let now = now();
        let content_json = to_json(&regenerated.content);
        let updated = sqlx::query(
            "UPDATE drafts SET status = 'pending', content_json = $2, template = $3, warnings_json = $4,
                 missing_glyphs_json = $5, svg = $6, png = $7, preview_png = $8, png_key = $9, preview_key = $10,
                 revision = revision + 1, updated_at = $11
             WHERE id = $1 AND status = 'rejected' RETURNING revision",
        )
        .bind(draft_id)
        .bind(&content_json)
        .bind(&regenerated.rendered.template)
        .bind(to_json(&regenerated.rendered.warnings))
        .bind(to_json(&regenerated.rendered.missing_glyphs))
        .bind(&regenerated.rendered.svg)
        .bind(png.bytes())
        .bind(preview.bytes())
        .bind(png.key())
        .bind(preview.key())
        .bind(&now)
        .fetch_optional(&mut *tx)
        .await;
        let row = match updated {
            Ok(Some(row)) => row,
            Ok(None) => {
                tx.rollback().await?;
                return Err(StoreError::Conflict(format!("draft {draft_id} is not rejected")));
            }
            Err(e) => {
                let e = StoreError::from(e);
                tx.rollback().await?;
                return Err(if e.is_constraint_race() {
                    StoreError::Conflict(format!("the policy of draft {draft_id} already has a pending draft"))
                } else {
                    e
                });
            }
        };
        let revision: i64 = row.try_get(0)?;
        let entry = Revision {
            draft_id,
            revision,
            content_json: &content_json,
            svg: &regenerated.rendered.svg,
            author: actor,
            now: &now,
        };
        record_revision(&mut tx, &entry, "regenerate", None).await?;
        tx.commit().await?;
        Ok(revision)
    }
}

/// A new revision of a draft, as `draft_revisions` keeps it.
struct Revision<'a> {
    draft_id: &'a str,
    revision: i64,
    content_json: &'a str,
    svg: &'a str,
    author: &'a str,
    now: &'a str,
}

/// Keeps a new revision and records who made it, and how, in the audit log.
async fn record_revision(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    r: &Revision<'_>,
    action: &str,
    comment: Option<&str>,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO draft_revisions (draft_id, revision, content_json, svg, author, created_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(r.draft_id)
    .bind(r.revision)
    .bind(r.content_json)
    .bind(r.svg)
    .bind(r.author)
    .bind(r.now)
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "INSERT INTO review_actions (draft_id, action, actor, comment, created_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(r.draft_id)
    .bind(action)
    .bind(r.author)
    .bind(comment)
    .bind(r.now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

fn user_from_row(r: &AnyRow) -> Result<User, StoreError> {
    let role: String = r.try_get("role")?;
    Ok(User {
        id: r.try_get("id")?,
        name: r.try_get("name")?,
        department: r.try_get("department")?,
        role: Role::parse(&role).ok_or_else(|| corrupt("users.role", role.clone()))?,
        created_at: r.try_get("created_at")?,
    })
}

fn draft_status(r: &AnyRow) -> Result<DraftStatus, StoreError> {
    draft_status_at(r, "status")
}

fn draft_status_at<I: sqlx::ColumnIndex<AnyRow>>(r: &AnyRow, index: I) -> Result<DraftStatus, StoreError> {
    let status: String = r.try_get(index)?;
    DraftStatus::parse(&status).ok_or_else(|| corrupt("drafts.status", status.clone()))
}

fn json_column<T: serde::de::DeserializeOwned>(r: &AnyRow, column: &str) -> Result<T, StoreError> {
    let text: String = r.try_get(column)?;
    serde_json::from_str(&text).map_err(|e| corrupt(&format!("drafts.{column}"), e.to_string()))
}
