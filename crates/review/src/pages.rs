//! Server-rendered HTML in Chinese. Plain functions returning strings: every value from the database goes
//! through [`esc`], and the only script is a few lines that move rows up and down in the edit form.

use std::fmt::Write as _;

use axum::response::Html;
use tujie_model::DraftStatus;
use tujie_report::Report;
use tujie_report::format::{Cell, Table};
use tujie_store::{DraftDetail, HistoryEntry, ReviewItem, Role, User};

use crate::actions::{days_since, status_label};
use crate::edit::{ContentView, Excerpt, ItemView, field_label};
use crate::error::ReviewError;
use tujie_model::{display_date, display_time};

/// HTML-escapes text for element content and quoted attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Percent-encodes a path segment or query value (draft ids and department names come from upstream).
pub fn url_part(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// What an editor posted when the edit was refused: shown again, with the reason, instead of the stored values.
#[derive(Debug, Clone, Copy)]
pub struct Refusal<'a> {
    pub error: &'a ReviewError,
    pub fields: &'a [(String, String)],
}

impl<'a> Refusal<'a> {
    pub(crate) fn value(self, name: &str) -> Option<&'a str> {
        self.fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// The message, with the offending tokens highlighted.
    pub(crate) fn message_html(self) -> String {
        let mut html = esc(&self.error.to_string());
        if let ReviewError::Unfaithful { tokens, .. } = self.error {
            for t in tokens {
                html = html.replace(&esc(t), &format!("<mark class=\"bad\">{}</mark>", esc(t)));
            }
        }
        html
    }
}

/// Who is looking at a page: the user and the CSRF token the page's forms carry.
#[derive(Debug, Clone, Copy)]
pub struct Viewer<'a> {
    pub user: &'a User,
    pub csrf: &'a str,
}

/// The hidden field that carries the CSRF token in every form.
pub(crate) fn csrf_field(csrf: &str) -> String {
    format!("<input type=\"hidden\" name=\"{}\" value=\"{}\">", crate::security::CSRF_FIELD, esc(csrf))
}

fn layout(title: &str, viewer: Option<Viewer<'_>>, body: &str) -> Html<String> {
    let nav = match viewer {
        Some(Viewer { user: u, csrf }) => {
            let report = if u.role == Role::Supervisor { "<a href=\"/report\">统计报表</a>" } else { "" };
            format!(
                "<a href=\"/drafts\">待审核草稿</a>{report}<span class=\"me\">{}（{}，{}）</span>\
                 <form method=\"post\" action=\"/logout\">{}<button>退出</button></form>",
                esc(&u.name),
                esc(u.department.as_deref().unwrap_or("全部部门")),
                if u.role == Role::Supervisor { "督查" } else { "编辑" },
                csrf_field(csrf)
            )
        }
        None => String::new(),
    };
    Html(format!(
        "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>{} · 图解审核</title>\
         <link rel=\"stylesheet\" href=\"/static/app.css\"></head><body><header><strong>政策图解审核</strong>{nav}</header>\
         <main>{body}</main><script src=\"/static/app.js\"></script></body></html>",
        esc(title)
    ))
}

/// The login page, with an optional error; `next` is where a successful login goes.
pub fn login_page(error: Option<&str>, next: &str) -> Html<String> {
    let error = error.map(|e| format!("<p class=\"msg bad\">{}</p>", esc(e))).unwrap_or_default();
    layout(
        "登录",
        None,
        &format!(
            "<h1>登录</h1>{error}<form method=\"post\" action=\"/login\" class=\"login\">\
             <input type=\"hidden\" name=\"next\" value=\"{}\">\
             <p><label>用户名<br><input type=\"text\" name=\"name\" autocomplete=\"username\" required></label></p>\
             <p><label>登录码<br><input type=\"password\" name=\"token\" autocomplete=\"off\" required></label></p>\
             <p><button class=\"primary\">登录</button></p></form>\
             <p class=\"muted\">用户名和登录码由管理员用 <code>tujie user add</code> 创建账号时发给您。</p>",
            esc(next)
        ),
    )
}

/// A refusal or failure as a page.
pub fn error_page(err: &ReviewError) -> Html<String> {
    let status = err.status();
    layout(
        "出错了",
        None,
        &format!(
            "<h1>无法完成操作（{}）</h1><p class=\"msg bad\">{}</p>\
             <p><a href=\"/drafts\">返回草稿列表</a></p>",
            status.as_u16(),
            esc(&err.to_string())
        ),
    )
}

/// The review queue.
pub fn list_page(
    viewer: Viewer<'_>,
    items: &[ReviewItem],
    status: Option<DraftStatus>,
    department: Option<&str>,
    departments: &[String],
) -> Html<String> {
    let user = viewer.user;
    let now = chrono::Utc::now();
    let mut body =
        String::from("<h1>图解草稿</h1><form method=\"get\" action=\"/drafts\">状态 <select name=\"status\">");
    let statuses = [
        (Some(DraftStatus::Pending), "pending"),
        (Some(DraftStatus::Approved), "approved"),
        (Some(DraftStatus::Rejected), "rejected"),
        (Some(DraftStatus::Superseded), "superseded"),
        (None, "all"),
    ];
    for (s, value) in statuses {
        let selected = if s == status { " selected" } else { "" };
        let label = s.map_or("全部", status_label);
        let _ = write!(body, "<option value=\"{value}\"{selected}>{label}</option>");
    }
    body.push_str("</select> ");
    if user.role == Role::Supervisor {
        department_select(&mut body, "部门", "全部部门", departments, department);
    } else {
        let _ = write!(body, "部门：{} ", esc(user.department.as_deref().unwrap_or("")));
    }
    body.push_str("<button>筛选</button></form>");
    if items.is_empty() {
        body.push_str("<p class=\"msg ok\">没有符合条件的草稿。</p>");
        return layout("图解草稿", Some(viewer), &body);
    }
    body.push_str(
        "<table><thead><tr><th>政策标题</th><th>责任单位</th><th>发布日期</th><th>状态</th>\
         <th class=\"num\">已等待</th><th class=\"num\">提示</th><th>最后修改</th></tr></thead><tbody>",
    );
    for item in items {
        let warnings = item.warnings + item.missing_glyphs;
        let warn_class = if warnings > 0 { " class=\"num warn\"" } else { " class=\"num\"" };
        let _ = write!(
            body,
            "<tr><td><a href=\"/drafts/{}\">{}</a></td><td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{} 天</td>\
             <td{warn_class}>{warnings}</td><td>{}</td></tr>",
            url_part(&item.draft_id),
            esc(&item.policy_title),
            esc(item.department.as_deref().unwrap_or(tujie_store::UNASSIGNED_DEPARTMENT)),
            esc(&display_date(&item.policy_published_at)),
            status_label(item.status),
            days_since(&item.created_at, now),
            esc(&display_time(&item.updated_at))
        );
    }
    body.push_str("</tbody></table>");
    layout("图解草稿", Some(viewer), &body)
}

fn excerpt_html(item: &ItemView) -> String {
    excerpts_html(&item.sources)
}

/// Source excerpts with the cited text marked; a note when there are none.
pub(crate) fn excerpts_html(sources: &[Excerpt]) -> String {
    if sources.is_empty() {
        return "<span class=\"muted\">（无原文出处）</span>".into();
    }
    sources
        .iter()
        .map(|e| match &e.text {
            Some(t) => format!("…{}<mark>{}</mark>{}…", esc(&e.before), esc(t), esc(&e.after)),
            None => format!("<span class=\"bad\">出处 {}–{} 超出原文范围</span>", e.span.start, e.span.end),
        })
        .collect::<Vec<_>>()
        .join("<br>")
}

/// Rows a textarea starts with: enough for its text at about 36 characters a line (the script grows it further).
pub(crate) fn rows_for(text: &str) -> usize {
    text.chars().count().div_ceil(36).clamp(1, 12)
}

fn field_inputs(item: &ItemView, disabled: &str, refusal: Option<Refusal<'_>>) -> String {
    item.fields
        .iter()
        .map(|(field, value)| {
            let label = if item.fields.len() > 1 { format!("{}：", field_label(field)) } else { String::new() };
            let name = format!("{}.{field}", item.id);
            let value = refusal.and_then(|r| r.value(&name)).unwrap_or(value);
            let refused = refusal
                .filter(|r| matches!(r.error, ReviewError::Unfaithful { input, .. } if *input == name))
                .map(|r| format!("<div class=\"msg bad\">{}</div>", r.message_html()));
            let class = if refused.is_some() { " bad\" autofocus=\"autofocus" } else { "" };
            let control = if field == "text" {
                format!(
                    "<textarea class=\"grow{class}\" name=\"{}\" rows=\"{}\"{disabled}>{}</textarea>",
                    esc(&name),
                    rows_for(value),
                    esc(value)
                )
            } else {
                format!(
                    "<input type=\"text\" class=\"{class}\" name=\"{}\" value=\"{}\"{disabled}>",
                    esc(&name),
                    esc(value)
                )
            };
            format!("<label>{label}{control}</label>{}", refused.unwrap_or_default())
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn item_row(item: &ItemView, disabled: &str, refusal: Option<Refusal<'_>>) -> String {
    format!(
        "<tr><td>{}</td><td>{}</td><td><input class=\"order\" type=\"number\" min=\"1\" name=\"{id}.order\" value=\"{}\"{disabled}>\
         <button type=\"button\" class=\"up\" title=\"上移\"{disabled}>↑</button><button type=\"button\" class=\"down\" title=\"下移\"{disabled}>↓</button></td>\
         <td><label><input type=\"checkbox\" name=\"{id}.remove\" value=\"1\"{disabled}> 删除</label></td><td class=\"src\">{}</td></tr>",
        item.kind.label(),
        field_inputs(item, disabled, refusal),
        item.position,
        excerpt_html(item),
        id = esc(&item.id),
    )
}

fn list_table(items: &[&ItemView], disabled: &str, refusal: Option<Refusal<'_>>) -> String {
    let mut out = String::from(
        "<table><thead><tr><th>类型</th><th>内容</th><th>顺序</th><th></th><th>原文出处</th></tr></thead>",
    );
    // One tbody per list, so the arrows move items only among their own kind.
    let mut current: Option<crate::edit::ItemKind> = None;
    for item in items {
        if current != Some(item.kind) {
            if current.is_some() {
                out.push_str("</tbody>");
            }
            out.push_str("<tbody>");
            current = Some(item.kind);
        }
        out.push_str(&item_row(item, disabled, refusal));
    }
    if current.is_some() {
        out.push_str("</tbody>");
    }
    out.push_str("</table>");
    out
}

/// Why a flash message is shown after a redirect.
fn flash(msg: Option<&str>) -> &'static str {
    match msg {
        Some("saved") => "<p class=\"msg ok\">已保存，图解已按修改重新生成。</p>",
        Some("unchanged") => "<p class=\"msg ok\">内容没有变化，未保存新版本。</p>",
        Some("approved") => "<p class=\"msg ok\">已通过。图解已去掉“草稿”标记，可以下载发布。</p>",
        Some("rejected") => "<p class=\"msg ok\">已退回。</p>",
        Some("regenerated") => "<p class=\"msg ok\">已按原文重新生成草稿，请重新审核。</p>",
        Some("video_requested") => {
            "<p class=\"msg ok\">已开始生成视频和音频解读，完成后刷新页面即可播放（约需十几秒到一分钟）。</p>"
        }
        Some("script_saved") => "<p class=\"msg ok\">口播稿已保存。请重新生成视频，让视频按新的口播稿朗读。</p>",
        Some("script_unchanged") => "<p class=\"msg ok\">口播稿没有变化，未保存新版本。</p>",
        _ => "",
    }
}

/// The Chinese name of an audit-trail action.
fn action_label(action: &str) -> &str {
    match action {
        "approve" => "通过",
        "reject" => "退回",
        "edit" => "修改",
        "supersede" => "作废",
        "regenerate" => "重新生成",
        "script" => "修改口播稿",
        other => other,
    }
}

/// The draft page: preview, policy, warnings, the edit form with 原文出处, decisions and history. With a
/// `refusal`, the editor's refused input is shown again beside the reason.
/// `video` is the HTML of the 音视频解读 part ([`crate::video`]), shown between the edit form and the decisions.
pub fn draft_page(
    viewer: Viewer<'_>,
    d: &DraftDetail,
    view: &ContentView,
    history: &[HistoryEntry],
    msg: Option<&str>,
    refusal: Option<Refusal<'_>>,
    video: &str,
) -> Html<String> {
    let p = &d.policy;
    let mut body = String::new();
    body.push_str(flash(msg));
    if let Some(r) = refusal {
        let _ = write!(
            body,
            "<div class=\"msg bad\" role=\"alert\"><strong>未保存：</strong>{}<br>您的修改仍在下面的表单中，改正后可再次保存。</div>",
            r.message_html()
        );
    }
    let title = match &p.url {
        Some(url) if url.starts_with("http://") || url.starts_with("https://") => {
            format!("<a href=\"{}\" rel=\"noreferrer\" target=\"_blank\">{}</a>", esc(url), esc(&p.title))
        }
        _ => esc(&p.title),
    };
    let _ = write!(
        body,
        "<p><a href=\"/drafts\">← 返回草稿列表</a></p><h1>{title}</h1><p>文号：{} · 发文机关：{} · 责任单位：{} · 发布日期：{}</p>\
         <p>状态：<strong>{}</strong> · 最后修改：{}</p>",
        esc(p.doc_number.as_deref().unwrap_or("无")),
        esc(p.issuer.as_deref().unwrap_or("未知")),
        esc(p.department.as_deref().unwrap_or(tujie_store::UNASSIGNED_DEPARTMENT)),
        esc(&display_date(&p.published_at)),
        status_label(d.status),
        esc(&display_time(&d.updated_at)),
    );
    if !d.warnings.is_empty() || !d.missing_glyphs.is_empty() {
        body.push_str("<div class=\"msg warn\"><strong>请注意：</strong><ul>");
        for w in &d.warnings {
            let _ = write!(body, "<li>{}</li>", esc(w));
        }
        if !d.missing_glyphs.is_empty() {
            let _ = write!(body, "<li>字体缺少这些字，图中显示为 〓：{}</li>", esc(&d.missing_glyphs.join(" ")));
        }
        body.push_str("</ul></div>");
    }
    let id = url_part(&d.draft_id);
    let _ = write!(
        body,
        "<div class=\"cols\"><aside><a href=\"/drafts/{id}/image.png\" target=\"_blank\">\
         <img id=\"preview\" src=\"/drafts/{id}/preview.png?v={rev}\" alt=\"图解预览：{alt}\"></a>\
         <p><a id=\"download-png\" href=\"/drafts/{id}/image.png?download=1\">下载 PNG</a> · \
         <a href=\"/drafts/{id}/image.svg?download=1\">下载 SVG</a></p></aside><section>",
        rev = d.revision,
        alt = esc(&d.content.title),
    );
    edit_form(&mut body, viewer, d, view, refusal);
    body.push_str(video);
    decision_forms(&mut body, viewer, d, history);
    history_table(&mut body, history);
    body.push_str("</section></div>");
    layout(&p.title, Some(viewer), &body)
}

fn edit_form(body: &mut String, viewer: Viewer<'_>, d: &DraftDetail, view: &ContentView, refusal: Option<Refusal<'_>>) {
    let pending = d.status == DraftStatus::Pending;
    let disabled = if pending { "" } else { " disabled" };
    let _ = write!(
        body,
        "<form method=\"post\" action=\"/drafts/{}/edit\" class=\"edit\">{}\
         <input type=\"hidden\" name=\"base_revision\" value=\"{}\"><input type=\"hidden\" name=\"at\" value=\"\">\
         <fieldset id=\"title\"><legend>标题</legend>{}</fieldset>",
        url_part(&d.draft_id),
        csrf_field(viewer.csrf),
        d.revision,
        field_inputs(&view.title, disabled, refusal)
    );
    if !view.figures.is_empty() {
        let figures: Vec<&ItemView> = view.figures.iter().collect();
        let _ = write!(
            body,
            "<fieldset id=\"figures\"><legend>顶部数字</legend>{}</fieldset>",
            list_table(&figures, disabled, refusal)
        );
    }
    for (i, section) in view.sections.iter().enumerate() {
        let items: Vec<&ItemView> = section.items.iter().collect();
        let _ = write!(
            body,
            "<fieldset id=\"s{i}\"><legend>第 {} 节</legend><p>小标题 {}</p>{}</fieldset>",
            i + 1,
            field_inputs(&section.heading, disabled, refusal),
            list_table(&items, disabled, refusal)
        );
    }
    if pending {
        let note = refusal.and_then(|r| r.value("note")).unwrap_or("");
        let _ = write!(
            body,
            "<p><label>修改说明（可选）<input type=\"text\" name=\"note\" value=\"{}\"></label></p>\
             <p><button class=\"primary\" id=\"save\">保存修改并重新生成</button> \
             <span class=\"muted\">数字、日期和文号必须与原文一致；每一条的原文出处不变。</span></p>",
            esc(note)
        );
    }
    body.push_str("</form>");
}

fn decision_forms(body: &mut String, viewer: Viewer<'_>, d: &DraftDetail, history: &[HistoryEntry]) {
    let id = url_part(&d.draft_id);
    let csrf = csrf_field(viewer.csrf);
    match d.status {
        DraftStatus::Pending => {
            let _ = write!(
                body,
                "<fieldset><legend>审核</legend><form method=\"post\" action=\"/drafts/{id}/approve\" class=\"inline\" \
                 data-confirm=\"确认通过这份草稿？通过后图解去掉“草稿”标记，可以发布，且不能再修改。\">{csrf}\
                 <button class=\"primary\" id=\"approve\">通过</button></form>\
                 <form method=\"post\" action=\"/drafts/{id}/reject\">{csrf}<p><label>退回意见（退回时必填）\
                 <textarea name=\"comment\" rows=\"2\" required></textarea></label></p><button>退回</button></form></fieldset>"
            );
        }
        DraftStatus::Rejected => {
            let reason = history.iter().rev().find(|h| h.action == "reject").and_then(|h| h.comment.as_deref());
            let _ = write!(
                body,
                "<fieldset><legend>已退回</legend><p>退回意见：{}</p>\
                 <form method=\"post\" action=\"/drafts/{id}/regenerate\" class=\"inline\" \
                 data-confirm=\"按政策原文重新生成这份草稿？之前的修改不会保留。\">{csrf}\
                 <button class=\"primary\">重新生成</button></form> \
                 <span class=\"muted\">用当前的提取规则重新生成草稿，生成后回到待审核。</span></fieldset>",
                esc(reason.unwrap_or("（无）"))
            );
        }
        DraftStatus::Approved | DraftStatus::Superseded => {}
    }
}

fn history_table(body: &mut String, history: &[HistoryEntry]) {
    body.push_str(
        "<h2>审核记录</h2><table><thead><tr><th>时间</th><th>操作</th><th>操作人</th><th>说明</th></tr></thead><tbody>",
    );
    for h in history {
        let actor = if h.actor == "system" { "系统" } else { h.actor.as_str() };
        let _ = write!(
            body,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&display_time(&h.created_at)),
            esc(action_label(&h.action)),
            esc(actor),
            esc(h.comment.as_deref().unwrap_or(""))
        );
    }
    body.push_str("</tbody></table>");
}

/// The supervisors' report for a period: the filter, the two charts drawn on the server (SVG markup, no script
/// or inline style, so the CSP holds), the figures by department and the policies lacking a rich interpretation
/// with why they have no draft. The same tables as `tujie report` ([`tujie_report::format::tables`]).
pub fn report_page(viewer: Viewer<'_>, report: &Report, departments: &[String]) -> Html<String> {
    let mut body = format!("<h1>{}</h1>", esc(&tujie_report::format::title(report)));
    let _ = write!(
        body,
        "<form method=\"get\" action=\"/report\" id=\"period\">从 <input type=\"date\" name=\"from\" value=\"{}\" \
         required> 至 <input type=\"date\" name=\"to\" value=\"{}\" required> ",
        report.from, report.to
    );
    department_select(&mut body, "责任单位", "全部单位", departments, report.department.as_deref());
    body.push_str("<button>统计</button></form>");
    for line in tujie_report::format::preamble(report) {
        let _ = write!(body, "<p class=\"muted\">{}</p>", esc(&line));
    }
    body.push_str(&tujie_report::format::charts(report));
    let [figures, _, lacking] = tujie_report::format::tables(report);
    report_table(&mut body, &figures);
    if lacking.rows.is_empty() {
        let _ = write!(body, "<h2>{}</h2><p class=\"msg ok\">这一期间的政策都已有多元化解读。</p>", lacking.title);
    } else {
        report_table(&mut body, &lacking);
    }
    layout("统计报表", Some(viewer), &body)
}

/// One table of the report; counts and ratios right-aligned.
fn report_table(body: &mut String, table: &Table) {
    let _ = write!(body, "<h2>{}</h2><table><thead><tr>", esc(table.title));
    for h in &table.header {
        let _ = write!(body, "<th>{}</th>", esc(h));
    }
    body.push_str("</tr></thead><tbody>");
    for row in &table.rows {
        body.push_str("<tr>");
        for cell in row {
            let class = if matches!(cell, Cell::Text(_)) { "" } else { " class=\"num\"" };
            let _ = write!(body, "<td{class}>{}</td>", esc(&cell.text()));
        }
        body.push_str("</tr>");
    }
    body.push_str("</tbody></table>");
}

/// A `department` select of a filter form: `all` (empty value) first, then `departments`.
fn department_select(body: &mut String, label: &str, all: &str, departments: &[String], selected: Option<&str>) {
    let _ = write!(body, "{label} <select name=\"department\"><option value=\"\">{all}</option>");
    for d in departments {
        let chosen = if Some(d.as_str()) == selected { " selected" } else { "" };
        let _ = write!(body, "<option value=\"{0}\"{chosen}>{0}</option>", esc(d));
    }
    body.push_str("</select> ");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_shown_in_china_time() {
        assert_eq!(display_time("2026-12-01T01:30:00Z"), "2026-12-01 09:30");
        assert_eq!(display_time("2026-11-30T20:05:09.123+00:00"), "2026-12-01 04:05");
        assert_eq!(display_date("2026-12-01"), "2026-12-01", "a bare date stays");
        assert_eq!(display_date("2026-11-30T17:00:00Z"), "2026-12-01");
    }

    #[test]
    fn escaping_and_url_parts() {
        assert_eq!(esc("<a href=\"x\">R&D's</a>"), "&lt;a href=&quot;x&quot;&gt;R&amp;D&#39;s&lt;/a&gt;");
        assert_eq!(url_part("dr-p1-ab_c.d"), "dr-p1-ab_c.d");
        assert_eq!(url_part("县 局/1"), "%E5%8E%BF%20%E5%B1%80%2F1");
    }
}
