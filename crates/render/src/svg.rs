//! The Tera templates that draw a laid-out page as SVG.
//!
//! Templates are compiled into the binary (`include_str!`) so a deployment cannot lose them, and XML escaping
//! is switched on for `.svg` because Tera only escapes `.html`/`.xml` by default: without it a bullet such as
//! `R&D <script>` would yield an SVG usvg refuses (or, worse, markup).

use tera::{Context, Tera};

use crate::RenderError;
use crate::typeset::Page;

const TEMPLATES: [(&str, &str); 13] = [
    ("macros.svg", include_str!("../templates/macros.svg")),
    ("page.svg", include_str!("../templates/page.svg")),
    ("header.svg", include_str!("../templates/header.svg")),
    ("card.svg", include_str!("../templates/card.svg")),
    ("figures.svg", include_str!("../templates/figures.svg")),
    ("bullets.svg", include_str!("../templates/bullets.svg")),
    ("steps.svg", include_str!("../templates/steps.svg")),
    ("flow.svg", include_str!("../templates/flow.svg")),
    ("timeline.svg", include_str!("../templates/timeline.svg")),
    ("table.svg", include_str!("../templates/table.svg")),
    ("footer.svg", include_str!("../templates/footer.svg")),
    ("draft.svg", include_str!("../templates/draft.svg")),
    ("caption.svg", include_str!("../templates/caption.svg")),
];

pub(crate) fn templates() -> Result<Tera, RenderError> {
    let mut tera = Tera::default();
    tera.autoescape_on(vec![".svg"]);
    tera.add_raw_templates(TEMPLATES).map_err(|e| template_error("(compile)", &e))?;
    Ok(tera)
}

pub(crate) fn draw(tera: &Tera, page: &Page) -> Result<String, RenderError> {
    let ctx = Context::from_serialize(page).map_err(|e| template_error("page.svg", &e))?;
    tera.render("page.svg", &ctx).map_err(|e| template_error("page.svg", &e))
}

fn template_error(name: &str, e: &tera::Error) -> RenderError {
    // Tera nests the useful message in `source()`.
    let mut message = e.to_string();
    let mut src = std::error::Error::source(e);
    while let Some(s) = src {
        message.push_str(": ");
        message.push_str(&s.to_string());
        src = s.source();
    }
    RenderError::Template { name: name.to_string(), message }
}
