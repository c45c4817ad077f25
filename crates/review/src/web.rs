//! The HTML side: login, the queue, the draft page and its forms, the images, the report. Forms post and then
//! redirect (303) back to a page, so a reload never repeats an action.

use std::collections::HashMap;

use axum::extract::rejection::FormRejection;
use axum::extract::{Form, Path, Query, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};

use crate::actions;
use crate::auth::{PageUser, clear_cookie, hash_secret, new_secret, session_cookie, session_secret};
use crate::edit::{DraftEdit, ItemEdit, content_view};
use crate::error::{PageError, ReviewError};
use crate::pages::{self, url_part};
use crate::state::AppState;

type Fields = Vec<(String, String)>;

fn form(result: Result<Form<Fields>, FormRejection>) -> Result<Fields, ReviewError> {
    result.map(|Form(f)| f).map_err(|e| ReviewError::BadRequest(format!("表单无法读取：{e}")))
}

fn field<'a>(fields: &'a Fields, name: &str) -> Option<&'a str> {
    fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

pub async fn login_form() -> Html<String> {
    pages::login_page(None)
}

pub async fn login(State(state): State<AppState>, body: Result<Form<Fields>, FormRejection>) -> Response {
    let fields = match form(body) {
        Ok(f) => f,
        Err(e) => return PageError(e).into_response(),
    };
    let token = field(&fields, "token").unwrap_or("").trim();
    if token.is_empty() {
        return (StatusCode::UNPROCESSABLE_ENTITY, pages::login_page(Some("请输入登录码"))).into_response();
    }
    let result = async {
        let Some(user) = state.store.user_by_token(&hash_secret(token)).await? else {
            return Err(ReviewError::BadLogin);
        };
        let secret = new_secret().map_err(|e| ReviewError::Internal(format!("no randomness: {e}")))?;
        state.store.create_session(&hash_secret(&secret), user.id, state.config.session_ttl()).await?;
        tracing::info!(user = %user.name, "logged in");
        Ok(secret)
    }
    .await;
    match result {
        Ok(secret) => {
            let cookie = session_cookie(&secret, state.config.session_ttl().as_secs(), state.config.secure_cookie);
            ([(SET_COOKIE, cookie)], Redirect::to("/drafts")).into_response()
        }
        Err(ReviewError::BadLogin) => {
            (StatusCode::UNAUTHORIZED, pages::login_page(Some(&ReviewError::BadLogin.to_string()))).into_response()
        }
        Err(e) => PageError(e).into_response(),
    }
}

pub async fn logout(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, PageError> {
    if let Some(secret) = session_secret(&headers) {
        state.store.delete_session(&hash_secret(&secret)).await?;
    }
    Ok(([(SET_COOKIE, clear_cookie())], Redirect::to("/login")).into_response())
}

pub async fn list(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Html<String>, PageError> {
    let status = actions::parse_status(query.get("status").map(String::as_str))?;
    let department = query.get("department").map(String::as_str).filter(|d| !d.trim().is_empty());
    let items = actions::queue(&state, &user, status, department).await?;
    let departments = if user.role == tujie_store::Role::Supervisor {
        state.store.department_report().await?.into_iter().map(|l| l.department).collect()
    } else {
        Vec::new()
    };
    Ok(pages::list_page(&user, &items, status, department, &departments))
}

pub async fn show(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Html<String>, PageError> {
    let detail = actions::load_draft(&state, &user, &id).await?;
    let view = content_view(&detail.content, &detail.source_text);
    let history = state.store.draft_history(&id).await?;
    Ok(pages::draft_page(&user, &detail, &view, &history, query.get("msg").map(String::as_str)))
}

/// Reads the edit form: `base_revision`, `note`, and `{item id}.{field}` for text fields, `.remove` and `.order`.
fn edit_from_form(fields: &Fields) -> Result<DraftEdit, ReviewError> {
    let base = field(fields, "base_revision")
        .ok_or_else(|| ReviewError::BadRequest("表单缺少 base_revision（所依据的版本号）".into()))?;
    let base_revision =
        base.trim().parse().map_err(|_| ReviewError::BadRequest(format!("版本号 `{base}` 不是整数")))?;
    let mut items: Vec<ItemEdit> = Vec::new();
    for (key, value) in fields {
        if key == "base_revision" || key == "note" {
            continue;
        }
        let Some((id, name)) = key.rsplit_once('.') else {
            return Err(ReviewError::BadRequest(format!("无法识别的表单字段 `{key}`")));
        };
        let at = match items.iter().position(|i| i.id == id) {
            Some(at) => at,
            None => {
                items.push(ItemEdit { id: id.to_owned(), ..Default::default() });
                items.len() - 1
            }
        };
        let item = &mut items[at];
        match name {
            "text" => item.text = Some(value.clone()),
            "value" => item.value = Some(value.clone()),
            "unit" => item.unit = Some(value.clone()),
            "label" => item.label = Some(value.clone()),
            "date" => item.date = Some(value.clone()),
            "remove" => item.remove = !value.is_empty(),
            "order" => {
                item.order = Some(
                    value
                        .trim()
                        .parse()
                        .map_err(|_| ReviewError::BadRequest(format!("条目 `{id}` 的顺序 `{value}` 不是正整数")))?,
                )
            }
            _ => return Err(ReviewError::BadRequest(format!("无法识别的表单字段 `{key}`"))),
        }
    }
    Ok(DraftEdit { base_revision, note: field(fields, "note").map(str::to_owned), items })
}

pub async fn edit(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path(id): Path<String>,
    body: Result<Form<Fields>, FormRejection>,
) -> Result<Redirect, PageError> {
    let edit = edit_from_form(&form(body)?)?;
    actions::save_edit(&state, &user, &id, &edit).await?;
    Ok(Redirect::to(&format!("/drafts/{}?msg=saved", url_part(&id))))
}

/// `approve` or `reject`, named by the last path segment; a rejection's form carries the comment.
pub async fn decide(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path((id, verb)): Path<(String, String)>,
    body: Result<Form<Fields>, FormRejection>,
) -> Result<Redirect, PageError> {
    let action = actions::parse_action(&verb)?;
    let fields = form(body)?;
    let status = actions::decide(&state, &user, &id, action, field(&fields, "comment")).await?;
    Ok(Redirect::to(&format!("/drafts/{}?msg={}", url_part(&id), status.as_str())))
}

/// Which rendered file of a draft.
#[derive(Debug, Clone, Copy)]
enum Asset {
    Png,
    Preview,
    Svg,
}

/// `image.png`, `preview.png` or `image.svg` of a draft, as stored.
pub async fn asset(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path((id, file)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let which = match file.as_str() {
        "image.png" => Asset::Png,
        "preview.png" => Asset::Preview,
        "image.svg" => Asset::Svg,
        _ => {
            return Err(ReviewError::NotFound(format!(
                "草稿没有文件 `{file}`，可选 image.png、preview.png、image.svg"
            ))
            .into());
        }
    };
    actions::load_draft(&state, &user, &id).await?;
    let assets =
        state.store.draft_assets(&id).await?.ok_or_else(|| ReviewError::NotFound(format!("找不到草稿 `{id}`")))?;
    let (content_type, bytes) = match which {
        Asset::Png => ("image/png", assets.png),
        Asset::Preview => ("image/png", assets.preview_png),
        Asset::Svg => ("image/svg+xml", assets.svg.into_bytes()),
    };
    let mut headers = HeaderMap::new();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    // Images change with every saved revision; pages add ?v=revision, and nothing is cached without asking.
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("private, no-cache"));
    headers.insert("x-content-type-options", HeaderValue::from_static("nosniff"));
    // An SVG opened on its own is a document: allow it nothing but its own inline styles.
    headers
        .insert("content-security-policy", HeaderValue::from_static("default-src 'none'; style-src 'unsafe-inline'"));
    Ok((headers, bytes).into_response())
}

pub async fn report(State(state): State<AppState>, PageUser(user): PageUser) -> Result<Html<String>, PageError> {
    let lines = actions::report(&state, &user).await?;
    Ok(pages::report_page(&user, &lines))
}

pub async fn not_found() -> PageError {
    PageError(ReviewError::NotFound("没有这个页面".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(pairs: &[(&str, &str)]) -> Fields {
        pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
    }

    #[test]
    fn the_edit_form_becomes_an_edit() {
        let edit = edit_from_form(&fields(&[
            ("base_revision", "3"),
            ("title.text", "标题"),
            ("s0.b1.text", "要点"),
            ("s0.b1.order", "1"),
            ("s0.b2.remove", "1"),
            ("h0.value", "100"),
            ("note", "改了"),
        ]))
        .unwrap();
        assert_eq!(edit.base_revision, 3);
        assert_eq!(edit.note.as_deref(), Some("改了"));
        let ids: Vec<&str> = edit.items.iter().map(|i| i.id.as_str()).collect();
        assert_eq!(ids, ["title", "s0.b1", "s0.b2", "h0"]);
        assert_eq!((edit.items[1].text.as_deref(), edit.items[1].order), (Some("要点"), Some(1)));
        assert!(edit.items[2].remove);
        assert_eq!(edit.items[3].value.as_deref(), Some("100"));
    }

    #[test]
    fn bad_forms_name_the_field() {
        for (pairs, needle) in [
            (vec![("title.text", "x")], "base_revision"),
            (vec![("base_revision", "x1")], "x1"),
            (vec![("base_revision", "1"), ("s0.b0.colour", "red")], "s0.b0.colour"),
            (vec![("base_revision", "1"), ("s0.b0.order", "-2")], "s0.b0"),
        ] {
            let err = edit_from_form(&fields(&pairs)).unwrap_err();
            assert!(matches!(err, ReviewError::BadRequest(_)), "{err:?}");
            assert!(err.to_string().contains(needle), "{err} should name {needle}");
        }
    }
}
