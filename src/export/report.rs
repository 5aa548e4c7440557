//! Readable reports: Markdown and one self-contained HTML file.
//!
//! Both list, per story, every claim (label `Claim`, or any annotation with a verdict) with
//! its quote in context (a few words each side), statement, claimant, verdict, status,
//! rationale and sources as links, after a summary table that counts claims per verdict.
//!
//! Safety: every piece of user text is escaped for the target format (Markdown also escapes
//! `<`, `>` and `&`, since Markdown renderers pass HTML through). Only `http:`, `https:` and
//! `mailto:` sources become links; anything else (`javascript:`, `data:` ...) is shown as
//! text. The HTML has inline CSS, no scripts, no external resources, and a
//! Content-Security-Policy that forbids both anyway.
//! This module must not depend on any UI crate.

use std::fmt::Write;

use crate::model::{Annotation, RatingScale, Source, parse_hex_color};

use super::{ExportSet, ExportStory, context_words};

/// Words of context shown on each side of a quote.
const CONTEXT_WORDS: usize = 6;
const TITLE: &str = "Fact-check report";

/// One row of the summary table.
struct SummaryRow {
    verdict: String,
    color: Option<String>,
    count: usize,
}

/// Claims per verdict over the whole set: every rating of the scales in use (zeros kept,
/// scale order), then verdicts not on a scale, then "No verdict yet".
fn summary(set: &ExportSet) -> (Vec<SummaryRow>, usize) {
    let mut rows: Vec<SummaryRow> = Vec::new();
    let default_scale = RatingScale::default();
    let scales = set
        .stories
        .iter()
        .map(|s| &s.scale)
        .chain(set.stories.is_empty().then_some(&default_scale));
    for scale in scales {
        for r in &scale.ratings {
            if !rows
                .iter()
                .any(|row| row.verdict.eq_ignore_ascii_case(&r.name))
            {
                rows.push(SummaryRow {
                    verdict: r.name.clone(),
                    color: Some(r.color.clone()),
                    count: 0,
                });
            }
        }
    }
    let mut undecided = 0;
    let mut total = 0;
    for story in &set.stories {
        for a in claims(story) {
            total += 1;
            let Some(v) = &a.verdict else {
                undecided += 1;
                continue;
            };
            let name = story.scale.find(v).map(|r| r.name.as_str()).unwrap_or(v);
            match rows
                .iter_mut()
                .find(|row| row.verdict.eq_ignore_ascii_case(name))
            {
                Some(row) => row.count += 1,
                None => rows.push(SummaryRow {
                    verdict: name.to_owned(),
                    color: None,
                    count: 1,
                }),
            }
        }
    }
    rows.push(SummaryRow {
        verdict: "No verdict yet".to_owned(),
        color: None,
        count: undecided,
    });
    (rows, total)
}

/// For a claim whose story changed under it (SPEC 9): the sentence that says its verdict
/// was given on other words, so a report never presents it as unchanged.
fn wording_note(a: &Annotation) -> Option<String> {
    let checked = a
        .checked_wording
        .as_deref()
        .filter(|_| a.wording_changed())?;
    Some(format!(
        "the story's wording changed since this was checked; the verdict was given on \
         \u{201c}{checked}\u{201d}"
    ))
}

fn claims(story: &ExportStory) -> impl Iterator<Item = &Annotation> {
    story.annotations.iter().filter(|a| a.is_claim())
}

/// True for URLs that are safe to make clickable.
fn linkable(url: &str) -> bool {
    let lower = url.trim_start().to_ascii_lowercase();
    (lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("mailto:"))
        && !url
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | '\\' | '"'))
}

// ---------------------------------------------------------------- Markdown

/// Escapes text for Markdown: punctuation that starts emphasis, links, tables, code or
/// HTML is backslash-escaped or turned into an entity; line breaks become `<br>` so a
/// field never starts a new block.
pub fn md_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    // A piece starting with `-`, `+` or `1.` would become a list item where it opens a
    // line (its `\n`s become `<br>`, so only its first char can open one).
    let mut chars = text.chars().peekable();
    if let Some(&c) = chars.peek()
        && matches!(c, '-' | '+' | '=')
    {
        out.push('\\');
    }
    let digits = text.chars().take_while(char::is_ascii_digit).count();
    let mut i = 0;
    for c in chars {
        i += 1;
        if digits > 0 && i == digits + 1 && matches!(c, '.' | ')') {
            out.push('\\');
            out.push(c);
            continue;
        }
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\n' => out.push_str("<br>"),
            // `$` opens maths on GitHub ("$110 million … $1 billion"), `{`/`}` template
            // syntax on some CMS renderers.
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '~' | '#' | '!' | '(' | ')' | '$' | '{'
            | '}' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

fn md_link(text: &str, url: &str) -> String {
    let label = if text.is_empty() { url } else { text };
    if linkable(url) {
        format!("[{}](<{}>)", md_escape(label), url)
    } else {
        md_escape(label)
    }
}

pub fn to_markdown(set: &ExportSet) -> String {
    let mut out = String::with_capacity(set.len() * 400 + 1024);
    let _ = writeln!(out, "# {TITLE}\n");
    let (rows, total) = summary(set);
    out.push_str("## Summary\n\n| Verdict | Claims |\n| --- | ---: |\n");
    for row in &rows {
        let _ = writeln!(out, "| {} | {} |", md_escape(&row.verdict), row.count);
    }
    let _ = writeln!(out, "| **Total** | {total} |\n");
    for story in &set.stories {
        let _ = writeln!(out, "## {}\n", md_story_title(story));
        if let Some(line) = byline(story) {
            let _ = writeln!(out, "*{}*\n", md_escape(&line));
        }
        let mut any = false;
        for (n, a) in claims(story).enumerate() {
            any = true;
            md_claim(&mut out, story, a, n + 1);
        }
        if !any {
            out.push_str("No claims.\n\n");
        }
    }
    out
}

/// The story's headline (else its file name), linked to its public URL when known.
fn md_story_title(story: &ExportStory) -> String {
    let m = &story.meta;
    let title = if m.headline.trim().is_empty() {
        &story.name
    } else {
        &m.headline
    };
    match &m.url {
        Some(url) => md_link(title, url),
        None => md_escape(title),
    }
}

/// "Outlet · Author · 2026-03-14", from what is known of the story.
fn byline(story: &ExportStory) -> Option<String> {
    let m = &story.meta;
    let date = m.published.map(|d| d.to_string()).unwrap_or_default();
    let parts: Vec<&str> = [m.outlet.as_str(), m.author.as_str(), date.as_str()]
        .into_iter()
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    (!parts.is_empty()).then(|| parts.join(" · "))
}

fn md_claim(out: &mut String, story: &ExportStory, a: &Annotation, n: usize) {
    let title = if a.statement.trim().is_empty() {
        &a.anchor.quote
    } else {
        &a.statement
    };
    let _ = writeln!(out, "### {n}. {}\n", md_escape(&title.replace('\n', " ")));
    let (before, after) = context_words(a, CONTEXT_WORDS);
    let _ = writeln!(
        out,
        "> …{}**{}**{}…\n",
        md_escape(&before),
        md_escape(&a.anchor.quote.replace('\n', " ")),
        md_escape(&after)
    );
    let field = |out: &mut String, name: &str, value: &str| {
        if !value.trim().is_empty() {
            let _ = writeln!(out, "- **{name}:** {}", md_escape(value));
        }
    };
    field(out, "Statement", &a.statement);
    field(out, "Claimant", &a.claimant);
    field(
        out,
        "Verdict",
        a.verdict.as_deref().unwrap_or("No verdict yet"),
    );
    field(out, "Status", a.status.name());
    if let Some(checked) = wording_note(a) {
        field(out, "Wording changed", &checked);
    }
    field(out, "Rationale", &a.rationale);
    if !a.sources.is_empty() {
        out.push_str("- **Sources:**\n");
        for s in &a.sources {
            let _ = writeln!(out, "  - {}", md_source(story, s));
        }
    }
    if a.state.is_orphaned() {
        out.push_str("- *This highlight could not be found in the current story text.*\n");
    }
    out.push('\n');
}

fn md_source(story: &ExportStory, s: &Source) -> String {
    match s {
        Source::External {
            url, title, note, ..
        } => {
            let mut line = md_link(title, url);
            if !note.is_empty() {
                let _ = write!(line, ": {}", md_escape(note));
            }
            line
        }
        Source::Highlight { id, note } => {
            let quote = story.quote_of(id).unwrap_or("(removed highlight)");
            let mut line = format!("in the story: “{}”", md_escape(quote));
            if !note.is_empty() {
                let _ = write!(line, ": {}", md_escape(note));
            }
            line
        }
    }
}

// ---------------------------------------------------------------- HTML

/// Escapes text for HTML element content and quoted attribute values.
pub fn html_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
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

/// Escaped, with line breaks kept visible.
fn html_lines(text: &str) -> String {
    html_escape(text).replace('\n', "<br>")
}

fn html_link(text: &str, url: &str) -> String {
    let label = if text.is_empty() { url } else { text };
    if linkable(url) {
        format!(
            "<a href=\"{}\" rel=\"noopener noreferrer\">{}</a>",
            html_escape(url.trim()),
            html_escape(label)
        )
    } else {
        html_escape(label)
    }
}

/// A colour safe to put in a `style` attribute, or grey.
fn css_color(color: Option<&str>) -> String {
    let [r, g, b] = color
        .and_then(parse_hex_color)
        .unwrap_or([0x99, 0x99, 0x99]);
    format!("#{r:02x}{g:02x}{b:02x}")
}

const CSS: &str = "body{font-family:system-ui,sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#222}\
table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.25rem .6rem;text-align:left}td.n{text-align:right}\
article{border-top:1px solid #ddd;padding:.5rem 0}blockquote{margin:.5rem 0;padding:.25rem .75rem;border-left:4px solid #ccc;color:#444}\
mark{background:#fde68a}.verdict{display:inline-block;padding:0 .5rem;border-radius:.75rem;color:#fff;font-weight:600}\
dt{font-weight:600;float:left;clear:left;width:7rem}dd{margin-left:7.5rem}.orphan{color:#a33}\
.swatch{display:inline-block;width:.8rem;height:.8rem;border-radius:50%;margin-right:.4rem}";

pub fn to_html(set: &ExportSet) -> String {
    let mut out = String::with_capacity(set.len() * 800 + 4096);
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    let _ = writeln!(
        out,
        "<title>{TITLE}</title>\n<style>{CSS}</style>\n</head>\n<body>"
    );
    let _ = writeln!(out, "<h1>{TITLE}</h1>");
    let (rows, total) = summary(set);
    out.push_str("<section class=\"summary\">\n<h2>Summary</h2>\n<table>\n<tr><th>Verdict</th><th>Claims</th></tr>\n");
    for row in &rows {
        let _ = writeln!(
            out,
            "<tr><td><span class=\"swatch\" style=\"background:{}\"></span>{}</td><td class=\"n\">{}</td></tr>",
            css_color(row.color.as_deref()),
            html_escape(&row.verdict),
            row.count
        );
    }
    let _ = writeln!(
        out,
        "<tr><th>Total</th><td class=\"n\">{total}</td></tr>\n</table>\n</section>"
    );
    for story in &set.stories {
        let m = &story.meta;
        let title = html_escape(if m.headline.trim().is_empty() {
            &story.name
        } else {
            &m.headline
        });
        let title = match &m.url {
            Some(url) if linkable(url) => format!("<a href=\"{}\">{title}</a>", html_escape(url)),
            _ => title,
        };
        let _ = writeln!(
            out,
            "<section class=\"story\">\n<h2 dir=\"auto\">{title}</h2>"
        );
        if let Some(line) = byline(story) {
            let _ = writeln!(
                out,
                "<p class=\"byline\" dir=\"auto\">{}</p>",
                html_escape(&line)
            );
        }
        let mut any = false;
        for a in claims(story) {
            any = true;
            html_claim(&mut out, story, a);
        }
        if !any {
            out.push_str("<p>No claims.</p>\n");
        }
        out.push_str("</section>\n");
    }
    out.push_str("</body>\n</html>\n");
    out
}

fn html_claim(out: &mut String, story: &ExportStory, a: &Annotation) {
    let title = if a.statement.trim().is_empty() {
        &a.anchor.quote
    } else {
        &a.statement
    };
    let _ = writeln!(
        out,
        "<article class=\"claim\">\n<h3 dir=\"auto\">{}</h3>",
        html_escape(title)
    );
    let (before, after) = context_words(a, CONTEXT_WORDS);
    let _ = writeln!(
        out,
        "<blockquote dir=\"auto\">…{}<mark>{}</mark>{}…</blockquote>",
        html_escape(&before),
        html_escape(&a.anchor.quote.replace('\n', " ")),
        html_escape(&after)
    );
    out.push_str("<dl>\n");
    let field = |out: &mut String, name: &str, value: &str| {
        if !value.trim().is_empty() {
            let _ = writeln!(
                out,
                "<dt>{name}</dt><dd dir=\"auto\">{}</dd>",
                html_lines(value)
            );
        }
    };
    field(out, "Statement", &a.statement);
    field(out, "Claimant", &a.claimant);
    match &a.verdict {
        Some(v) => {
            let color = story.scale.find(v).map(|r| r.color.as_str());
            let _ = writeln!(
                out,
                "<dt>Verdict</dt><dd><span class=\"verdict\" style=\"background:{}\">{}</span></dd>",
                css_color(color),
                html_escape(v)
            );
        }
        None => out.push_str("<dt>Verdict</dt><dd>No verdict yet</dd>\n"),
    }
    field(out, "Status", a.status.name());
    if let Some(checked) = wording_note(a) {
        field(out, "Wording changed", &checked);
    }
    field(out, "Rationale", &a.rationale);
    if !a.sources.is_empty() {
        out.push_str("<dt>Sources</dt><dd><ul>\n");
        for s in &a.sources {
            let _ = writeln!(out, "<li dir=\"auto\">{}</li>", html_source(story, s));
        }
        out.push_str("</ul></dd>\n");
    }
    out.push_str("</dl>\n");
    if a.state.is_orphaned() {
        out.push_str(
            "<p class=\"orphan\">This highlight could not be found in the current story text.</p>\n",
        );
    }
    out.push_str("</article>\n");
}

fn html_source(story: &ExportStory, s: &Source) -> String {
    match s {
        Source::External {
            url, title, note, ..
        } => {
            let mut line = html_link(title, url);
            if !note.is_empty() {
                let _ = write!(line, ": {}", html_lines(note));
            }
            line
        }
        Source::Highlight { id, note } => {
            let quote = story.quote_of(id).unwrap_or("(removed highlight)");
            let mut line = format!("in the story: “{}”", html_escape(quote));
            if !note.is_empty() {
                let _ = write!(line, ": {}", html_lines(note));
            }
            line
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_escapes_what_renderers_interpret() {
        // GitHub renders "$110 million … $1 billion" as maths without the escapes.
        assert_eq!(
            md_escape("$110 million … $1 billion"),
            "\\$110 million … \\$1 billion"
        );
        assert_eq!(
            md_escape("a | b * c _d_ [x] <b>"),
            "a \\| b \\* c \\_d\\_ \\[x\\] &lt;b&gt;"
        );
        assert_eq!(md_escape("# not a heading"), "\\# not a heading");
        assert_eq!(md_escape("- not a list"), "\\- not a list");
        assert_eq!(md_escape("2024. A year"), "2024\\. A year");
        assert_eq!(md_escape("3-2 win"), "3-2 win");
    }

    #[test]
    fn only_web_urls_become_links() {
        assert!(linkable("https://example.org/a?b=1"));
        assert!(linkable("MAILTO:desk@example.org"));
        assert!(!linkable("javascript:alert(1)"));
        assert!(!linkable("data:text/html,<script>"));
        assert!(!linkable("https://example.org/\"onmouseover=x"));
        assert_eq!(
            html_link("x", "javascript:alert(1)"),
            "x",
            "a script URL must stay text"
        );
    }

    #[test]
    fn escapes_cover_markup() {
        assert_eq!(
            html_escape("<script>a&'\"</script>"),
            "&lt;script&gt;a&amp;&#39;&quot;&lt;/script&gt;"
        );
        assert_eq!(
            md_escape("*a* [b](c) <i>"),
            "\\*a\\* \\[b\\]\\(c\\) &lt;i&gt;"
        );
    }
}
