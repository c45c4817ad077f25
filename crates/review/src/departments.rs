//! Departments (责任单位) as the workspace knows them: those `[review] departments` lists and those stored
//! documents name. An editor's account must belong to one of them, or the editor would see an empty queue forever.

use tujie_store::Store;

use crate::ReviewConfig;
use crate::error::ReviewError;

/// Every known department, sorted, without duplicates.
pub async fn known(store: &Store, config: &ReviewConfig) -> Result<Vec<String>, ReviewError> {
    let mut all = store.known_departments().await?;
    all.extend(config.departments.iter().map(|d| d.trim().to_owned()));
    all.sort();
    all.dedup();
    Ok(all)
}

/// `asked` as a known department, or a refusal that lists the known ones.
pub async fn resolve(store: &Store, config: &ReviewConfig, asked: &str) -> Result<String, ReviewError> {
    let asked = asked.trim();
    let known = known(store, config).await?;
    if known.iter().any(|d| d == asked) {
        return Ok(asked.to_owned());
    }
    let listed = if known.is_empty() {
        "（还没有：请在 [review] departments 中配置，或先导入政策事件）".to_owned()
    } else {
        known.join("、")
    };
    Err(ReviewError::Unprocessable(format!("未知的部门「{asked}」。已知的部门：{listed}")))
}
