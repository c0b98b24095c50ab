//! The readiness report: findings in, a scored review out, as Markdown or
//! a self-contained HTML page (the command line serializes [`Report`] as
//! JSON). Pure functions, so the language server can return the same
//! Markdown for `shipshape.report`.
//!
//! # The score (stable; documented in the README)
//!
//! Each rule with findings deducts points from its category:
//! critical 25, high 10, medium 4, low 1, and each further finding of the
//! same rule adds half that again, at most twice (so a rule costs at most
//! twice its weight), except a rule whose findings all name one cause
//! ([`ONE_CAUSE_RULES`]: the app and each of its open routes when nothing
//! authenticates), which deducts its weight once. A category scores `max(0, 100 - deductions)`. The
//! overall score is the weighted mean of the categories — security 25,
//! reliability 20, data-safety 10, observability 10, performance 10,
//! testing 10, scalability 10, documentation 5 — rounded, and at most 59
//! while any critical finding is open. Verdicts: 90+ ready, 75–89 nearly
//! ready, 60–74 needs work, below 60 not ready.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::rule::{Category, Priority, Rule, RuleId, ids};

/// A finding as the report sees it: where (path and 1-based line) and what.
#[derive(Clone, Debug)]
pub struct ReportInput {
    pub rule: &'static Rule,
    pub path: String,
    pub line: u32,
    pub message: String,
    /// The title of the finding's quick fix, if it has one.
    pub fix: Option<String>,
    /// About the project as a whole (see [`is_project_wide`]): listed as a
    /// project finding, not at a line.
    pub project_wide: bool,
}

/// The rules whose findings are about the project as a whole — something
/// is missing, no line is wrong. They are anchored on the project file's
/// first line (or its `[project]` table), and the report lists them as
/// project findings.
pub const PROJECT_WIDE_RULES: [RuleId; 3] =
    [ids::CI_MISSING, ids::TESTS_MISSING, ids::GITIGNORE_MISSING];

pub fn is_project_wide(rule: &str) -> bool {
    PROJECT_WIDE_RULES.iter().any(|id| rule == *id)
}

/// The rules whose findings all name one cause, however many places they
/// mark: `missing-authentication` reports the app and each route that
/// changes data when nothing in the project authenticates, and adding
/// authentication once fixes them all. They deduct their weight once.
pub const ONE_CAUSE_RULES: [RuleId; 1] = [ids::MISSING_AUTHENTICATION];

#[derive(Clone, Debug, Serialize)]
pub struct CategoryScore {
    pub name: &'static str,
    pub score: u32,
    pub weight: u32,
    pub findings: usize,
}

#[derive(Clone, Debug, Serialize)]
pub struct ReportFinding {
    pub rule: &'static str,
    pub priority: &'static str,
    pub category: &'static str,
    pub summary: String,
    pub path: String,
    pub line: u32,
    pub message: String,
    pub docs: String,
    /// The title of its quick fix (`shipshape` or an editor can apply it).
    pub fix: Option<String>,
    /// About the project as a whole: `path` and `line` only say where the
    /// finding is anchored.
    pub project_wide: bool,
}

/// The findings of one rule, for the grouped view.
#[derive(Clone, Debug, Serialize)]
pub struct RuleGroup {
    pub rule: &'static str,
    pub priority: &'static str,
    pub category: &'static str,
    pub summary: String,
    pub docs: String,
    pub deduction: f64,
    pub locations: Vec<ReportFinding>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Report {
    pub project: String,
    pub score: u32,
    pub verdict: &'static str,
    pub categories: Vec<CategoryScore>,
    /// Critical: must fix before production.
    pub must_fix: Vec<RuleGroup>,
    /// High: should fix soon.
    pub should_fix: Vec<RuleGroup>,
    /// Medium and low: nice to have.
    pub nice_to_have: Vec<RuleGroup>,
    pub finding_count: usize,
    /// Whether an open critical finding holds the score at [`CRITICAL_CAP`].
    pub capped: bool,
    /// What is already in place (from the project model; not scored).
    pub strengths: Vec<String>,
}

/// The highest overall score while a critical finding is open: "must fix
/// before production" means not ready, whatever else is right.
pub const CRITICAL_CAP: u32 = 59;

/// Points a rule of this priority deducts from its category (first finding).
pub fn weight(priority: Priority) -> f64 {
    match priority {
        Priority::Critical => 25.0,
        Priority::High => 10.0,
        Priority::Medium => 4.0,
        Priority::Low => 1.0,
    }
}

/// A category's weight in the overall score (they sum to 100).
pub fn category_weight(category: Category) -> u32 {
    match category {
        Category::Security => 25,
        Category::Reliability => 20,
        Category::DataSafety
        | Category::Observability
        | Category::Performance
        | Category::Testing
        | Category::Scalability => 10,
        Category::Documentation => 5,
    }
}

/// What a rule with `count` findings deducts.
pub fn deduction(priority: Priority, count: usize) -> f64 {
    let extra = count.saturating_sub(1).min(2) as f64;
    weight(priority) * (1.0 + 0.5 * extra)
}

pub fn verdict(score: u32) -> &'static str {
    match score {
        90.. => "Ready for production",
        75..=89 => "Nearly ready",
        60..=74 => "Needs work before production",
        _ => "Not ready for production",
    }
}

/// Scores the findings of a project.
pub fn build(project: &str, findings: &[ReportInput]) -> Report {
    let mut by_rule: BTreeMap<&'static str, Vec<&ReportInput>> = BTreeMap::new();
    for finding in findings {
        by_rule.entry(finding.rule.id).or_default().push(finding);
    }
    let mut deductions: BTreeMap<Category, f64> = BTreeMap::new();
    let mut counts: BTreeMap<Category, usize> = BTreeMap::new();
    let mut groups = Vec::new();
    for items in by_rule.values() {
        let rule = items[0].rule;
        let meta = &rule.meta;
        let causes = if ONE_CAUSE_RULES.iter().any(|id| rule.is(*id)) {
            1
        } else {
            items.len()
        };
        let points = deduction(meta.priority, causes);
        *deductions.entry(meta.category).or_default() += points;
        *counts.entry(meta.category).or_default() += items.len();
        let mut locations: Vec<ReportFinding> = items
            .iter()
            .map(|item| ReportFinding {
                rule: rule.id,
                priority: meta.priority.name(),
                category: meta.category.name(),
                summary: meta.summary.clone(),
                path: item.path.clone(),
                line: item.line,
                message: item.message.clone(),
                docs: rule.doc_url(),
                fix: item.fix.clone(),
                project_wide: item.project_wide,
            })
            .collect();
        locations.sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
        groups.push((
            meta.priority,
            RuleGroup {
                rule: rule.id,
                priority: meta.priority.name(),
                category: meta.category.name(),
                summary: meta.summary.clone(),
                docs: rule.doc_url(),
                deduction: points,
                locations,
            },
        ));
    }
    // Most costly first, then by id.
    groups.sort_by(|(pa, a), (pb, b)| {
        pb.cmp(pa)
            .then(b.deduction.total_cmp(&a.deduction))
            .then(a.rule.cmp(b.rule))
    });
    let categories: Vec<CategoryScore> = Category::ALL
        .iter()
        .map(|&category| CategoryScore {
            name: category.name(),
            score: (100.0 - deductions.get(&category).copied().unwrap_or(0.0))
                .max(0.0)
                .round() as u32,
            weight: category_weight(category),
            findings: counts.get(&category).copied().unwrap_or(0),
        })
        .collect();
    let weighted: u32 = categories
        .iter()
        .map(|category| category.score * category.weight)
        .sum();
    let mut score = (f64::from(weighted) / 100.0).round() as u32;
    let has_critical = findings
        .iter()
        .any(|finding| finding.rule.meta.priority == Priority::Critical);
    let capped = has_critical && score > CRITICAL_CAP;
    if has_critical {
        score = score.min(CRITICAL_CAP);
    }
    let mut must_fix = Vec::new();
    let mut should_fix = Vec::new();
    let mut nice_to_have = Vec::new();
    for (priority, group) in groups {
        match priority {
            Priority::Critical => must_fix.push(group),
            Priority::High => should_fix.push(group),
            Priority::Medium | Priority::Low => nice_to_have.push(group),
        }
    }
    Report {
        project: project.to_string(),
        score,
        verdict: verdict(score),
        categories,
        must_fix,
        should_fix,
        nice_to_have,
        finding_count: findings.len(),
        capped,
        strengths: Vec::new(),
    }
}

impl Report {
    /// The categories without findings, by name.
    pub fn clean_categories(&self) -> Vec<&'static str> {
        self.categories
            .iter()
            .filter(|category| category.findings == 0)
            .map(|category| category.name)
            .collect()
    }

    /// One sentence on what the score means.
    pub fn headline(&self) -> String {
        let critical: usize = self
            .must_fix
            .iter()
            .map(|group| group.locations.len())
            .sum();
        let high: usize = self
            .should_fix
            .iter()
            .map(|group| group.locations.len())
            .sum();
        let mut text = match (critical, high) {
            (0, 0) if self.finding_count == 0 => {
                "Nothing found that stands between this service and production.".to_string()
            }
            (0, 0) => "No blocking issues; the remaining findings are improvements.".to_string(),
            (0, high) => format!(
                "No blocking issues, but {high} high-priority finding{} should be fixed soon.",
                if high == 1 { "" } else { "s" }
            ),
            (critical, _) => format!(
                "{critical} critical finding{} must be fixed before production.",
                if critical == 1 { "" } else { "s" }
            ),
        };
        if self.capped {
            let critical: usize = self
                .must_fix
                .iter()
                .map(|group| group.locations.len())
                .sum();
            text.push_str(&format!(
                " The score is held at {CRITICAL_CAP} until {} fixed.",
                if critical == 1 { "it is" } else { "they are" }
            ));
        }
        let clean = self.clean_categories();
        if !clean.is_empty() && self.finding_count > 0 {
            text.push_str(&format!(
                " In good shape: {}.",
                clean
                    .iter()
                    .map(|name| name.replace('-', " "))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        text
    }
}

fn sections(report: &Report) -> [(&'static str, &'static str, &[RuleGroup]); 3] {
    [
        (
            "Must fix before production",
            "critical",
            report.must_fix.as_slice(),
        ),
        ("Should fix soon", "high", report.should_fix.as_slice()),
        (
            "Nice to have",
            "medium and low",
            report.nice_to_have.as_slice(),
        ),
    ]
}

fn title_case(name: &str) -> String {
    let mut out = String::new();
    for (index, word) in name.split('-').enumerate() {
        if index > 0 {
            out.push(' ');
        }
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            out.extend(first.to_uppercase());
            out.push_str(chars.as_str());
        }
    }
    out
}

/// The width of a score bar, in characters.
const BAR_WIDTH: u32 = 20;

/// A score out of 100 as a bar of Unicode blocks (`█` full, `░` empty,
/// one character per 5 points, rounded), which GitHub renders in a code
/// span in any font: `████████████████░░░░` is 80.
pub fn bar(score: u32) -> String {
    let full = (score.min(100) * BAR_WIDTH + 50) / 100;
    let mut out = "█".repeat(full as usize);
    out.push_str(&"░".repeat((BAR_WIDTH - full) as usize));
    out
}

/// The report as Markdown: the verdict, the score table, then the findings
/// grouped by urgency, each rule with its locations.
pub fn markdown(report: &Report) -> String {
    let mut out = format!(
        "# Deployment readiness: {}\n\n**Score: {}/100 — {}.** {} {} finding{} from {} rule{}.\n\n",
        report.project,
        report.score,
        report.verdict,
        report.headline(),
        report.finding_count,
        if report.finding_count == 1 { "" } else { "s" },
        report.must_fix.len() + report.should_fix.len() + report.nice_to_have.len(),
        if report.must_fix.len() + report.should_fix.len() + report.nice_to_have.len() == 1 {
            ""
        } else {
            "s"
        },
    );
    out.push_str("| category | score | | findings |\n|---|---:|---|---:|\n");
    for category in &report.categories {
        out.push_str(&format!(
            "| {} | {} | `{}` | {} |\n",
            title_case(category.name),
            category.score,
            bar(category.score),
            category.findings
        ));
    }
    if !report.strengths.is_empty() {
        out.push_str("\n## In place\n\n");
        for strength in &report.strengths {
            out.push_str(&format!("- {strength}\n"));
        }
    }
    for (title, priorities, groups) in sections(report) {
        out.push_str(&format!("\n## {title} ({priorities})\n\n"));
        if groups.is_empty() {
            out.push_str("Nothing here.\n");
            continue;
        }
        for group in groups {
            out.push_str(&format!(
                "### [{}]({}) · {}\n\n{}\n\n",
                group.rule, group.docs, group.category, group.summary
            ));
            for location in &group.locations {
                if location.project_wide {
                    out.push_str(&format!(
                        "- project (`{}`) — {}",
                        location.path, location.message
                    ));
                } else {
                    out.push_str(&format!(
                        "- `{}:{}` — {}",
                        location.path, location.line, location.message
                    ));
                }
                if let Some(fix) = &location.fix {
                    out.push_str(&format!(" *Quick fix: {fix}.*"));
                }
                out.push('\n');
            }
            out.push('\n');
        }
    }
    out.push_str(
        "\n---\nScore: each rule with findings deducts from its category (critical 25, high 10, medium 4, low 1; further findings of the same rule add half that, at most twice, unless they share one cause); the overall score weights the categories (security 25, reliability 20, data-safety, observability, performance, testing and scalability 10 each, documentation 5) and stays at or below 59 while a critical finding is open.\n",
    );
    out
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
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

/// Inline code spans (`x`) of a message as `<code>`.
fn inline_code(text: &str) -> String {
    let mut out = String::new();
    for (index, part) in text.split('`').enumerate() {
        if index % 2 == 1 {
            out.push_str(&format!("<code>{}</code>", escape(part)));
        } else {
            out.push_str(&escape(part));
        }
    }
    out
}

fn score_color(score: u32) -> &'static str {
    match score {
        90.. => "#1a7f37",
        75..=89 => "#4d8c1f",
        60..=74 => "#b35900",
        _ => "#c62828",
    }
}

/// A half-circle gauge of the score, as inline SVG.
fn gauge(score: u32) -> String {
    let fraction = f64::from(score.min(100)) / 100.0;
    let angle = std::f64::consts::PI * (1.0 - fraction);
    let (cx, cy, r) = (110.0, 110.0, 90.0);
    let x = cx + r * angle.cos();
    let y = cy - r * angle.sin();
    let color = score_color(score);
    format!(
        r##"<svg class="gauge" viewBox="0 0 220 130" role="img" aria-label="score {score} out of 100">
<path d="M 20 110 A 90 90 0 0 1 200 110" fill="none" stroke="#e6e8eb" stroke-width="18" stroke-linecap="round"/>
<path d="M 20 110 A 90 90 0 0 1 {x:.1} {y:.1}" fill="none" stroke="{color}" stroke-width="18" stroke-linecap="round"/>
<text x="110" y="100" text-anchor="middle" font-size="44" font-weight="700" fill="{color}">{score}</text>
<text x="110" y="124" text-anchor="middle" font-size="13" fill="#57606a">out of 100</text>
</svg>"##
    )
}

const STYLE: &str = r#"
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 -apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:#1f2328;background:#f6f8fa}
main{max-width:960px;margin:0 auto;padding:32px 24px 64px}
header.summary{display:flex;gap:32px;align-items:center;background:#fff;border:1px solid #d0d7de;border-radius:12px;padding:24px 28px}
.gauge{width:220px;flex:none}
h1{font-size:22px;margin:0 0 4px}
.verdict{font-size:18px;font-weight:600;margin:0 0 8px}
.counts{display:flex;gap:10px;flex-wrap:wrap;margin-top:12px}
.pill{border-radius:999px;padding:2px 12px;font-size:13px;font-weight:600}
.p-critical{background:#ffebe9;color:#c62828}.p-high{background:#fff1e5;color:#b35900}.p-medium{background:#ddf4ff;color:#0969da}.p-low{background:#f0f0f0;color:#57606a}.p-zero{background:#f6f8fa;color:#8c959f;font-weight:500}
section{background:#fff;border:1px solid #d0d7de;border-radius:12px;padding:20px 28px;margin-top:20px}
h2{font-size:17px;margin:0 0 14px}
.bars{display:grid;grid-template-columns:130px 1fr 44px;gap:8px 14px;align-items:center}
.bar{height:12px;background:#eaeef2;border-radius:6px;overflow:hidden}
.bar span{display:block;height:100%;border-radius:6px}
.bars .name{font-weight:500}.bars .num{text-align:right;font-variant-numeric:tabular-nums;font-weight:600}
.group{border-top:1px solid #eaeef2;padding:14px 0}
.group:first-of-type{border-top:0;padding-top:0}
.group h3{font-size:15px;margin:0 0 2px;display:flex;gap:10px;align-items:baseline;flex-wrap:wrap}
.group h3 a{color:#0969da;text-decoration:none;font-family:ui-monospace,SFMono-Regular,Menlo,monospace}
.group h3 a:hover{text-decoration:underline}
.cat{font-size:12px;color:#57606a;text-transform:uppercase;letter-spacing:.04em}
.summary-line{color:#57606a;margin:0 0 8px}
ul{margin:0;padding-left:18px}
li{margin:4px 0}
.loc{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:13px;background:#f6f8fa;border-radius:4px;padding:1px 6px;margin-right:6px}
code{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:13px;background:#eff1f3;border-radius:4px;padding:0 4px}
.empty{color:#1a7f37;margin:0}
ul.strengths{list-style:none;padding:0;columns:2;column-gap:32px}
ul.strengths li{padding-left:22px;position:relative;break-inside:avoid}
ul.strengths li::before{content:"\2713";position:absolute;left:0;color:#1a7f37;font-weight:700}
footer{color:#57606a;font-size:13px;margin-top:20px}
.muted{color:#57606a;font-size:13px;margin:6px 0 0}
.fix{display:inline-block;font-size:12px;color:#1a7f37;background:#dafbe1;border-radius:4px;padding:0 6px;margin-left:4px}
header.summary p{margin:0}
"#;

/// The report as a standalone HTML page: inline CSS and SVG, no scripts,
/// no network.
pub fn html(report: &Report) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>Deployment readiness: {}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n",
        escape(&report.project)
    ));
    let count = |groups: &[RuleGroup]| {
        groups
            .iter()
            .map(|group| group.locations.len())
            .sum::<usize>()
    };
    let (critical, high) = (count(&report.must_fix), count(&report.should_fix));
    let (medium, low) = report.nice_to_have.iter().fold((0, 0), |(m, l), group| {
        if group.priority == "medium" {
            (m + group.locations.len(), l)
        } else {
            (m, l + group.locations.len())
        }
    });
    out.push_str(&format!(
        "<header class=\"summary\">{}<div><h1>Deployment readiness: {}</h1><p class=\"verdict\" style=\"color:{}\">{}</p><p>{}</p><p class=\"muted\">{} finding{} across the code, container, deployment and CI configuration.</p><div class=\"counts\">{}</div></div></header>\n",
        gauge(report.score),
        escape(&report.project),
        score_color(report.score),
        report.verdict,
        escape(&report.headline()),
        report.finding_count,
        if report.finding_count == 1 { "" } else { "s" },
        [
            ("critical", critical),
            ("high", high),
            ("medium", medium),
            ("low", low)
        ]
        .iter()
        .map(|(name, count)| format!(
            "<span class=\"pill p-{}\">{count} {name}</span>",
            if *count == 0 { "zero" } else { name }
        ))
        .collect::<String>(),
    ));
    out.push_str("<section><h2>Scores by category</h2><div class=\"bars\">\n");
    for category in &report.categories {
        out.push_str(&format!(
            "<span class=\"name\">{}</span><div class=\"bar\"><span style=\"width:{}%;background:{}\"></span></div><span class=\"num\">{}</span>\n",
            title_case(category.name),
            category.score,
            score_color(category.score),
            category.score
        ));
    }
    out.push_str("</div></section>\n");
    if !report.strengths.is_empty() {
        out.push_str("<section><h2>In place</h2><ul class=\"strengths\">\n");
        for strength in &report.strengths {
            out.push_str(&format!("<li>{}</li>\n", inline_code(strength)));
        }
        out.push_str("</ul></section>\n");
    }
    for (title, priorities, groups) in sections(report) {
        out.push_str(&format!(
            "<section><h2>{title} <span class=\"cat\">{priorities}</span></h2>\n"
        ));
        if groups.is_empty() {
            out.push_str("<p class=\"empty\">Nothing here.</p>\n");
        }
        for group in groups {
            out.push_str(&format!(
                "<div class=\"group\"><h3><span class=\"pill p-{}\">{}</span><a href=\"{}\">{}</a><span class=\"cat\">{}</span></h3><p class=\"summary-line\">{}</p><ul>\n",
                group.priority,
                group.priority,
                escape(&group.docs),
                group.rule,
                group.category,
                inline_code(&group.summary)
            ));
            for location in &group.locations {
                let fix = location.fix.as_ref().map_or(String::new(), |fix| {
                    format!(
                        " <span class=\"fix\">quick fix: {}</span>",
                        inline_code(fix)
                    )
                });
                let place = if location.project_wide {
                    format!("project ({})", escape(&location.path))
                } else {
                    format!("{}:{}", escape(&location.path), location.line)
                };
                out.push_str(&format!(
                    "<li><span class=\"loc\">{place}</span>{}{fix}</li>\n",
                    inline_code(&location.message)
                ));
            }
            out.push_str("</ul></div>\n");
        }
        out.push_str("</section>\n");
    }
    out.push_str("<footer>Scored by shipshape. Each rule with findings deducts from its category (critical 25, high 10, medium 4, low 1; further findings of the same rule add half that, at most twice, unless they share one cause). The overall score weights the categories (security 25, reliability 20, data-safety, observability, performance, testing, scalability 10 each, documentation 5) and stays at or below 59 while a critical finding is open.</footer>\n</main>\n</body>\n</html>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::registry;

    fn input(id: &str, path: &str, line: u32) -> ReportInput {
        ReportInput {
            rule: registry().get(id).unwrap(),
            path: path.into(),
            line,
            message: format!("message of {id}"),
            fix: None,
            project_wide: is_project_wide(id),
        }
    }

    #[test]
    fn no_findings_score_100() {
        let report = build("clean", &[]);
        assert_eq!(report.score, 100);
        assert_eq!(report.verdict, "Ready for production");
        assert!(
            report
                .categories
                .iter()
                .all(|category| category.score == 100)
        );
        assert_eq!(
            report
                .categories
                .iter()
                .map(|category| category.weight)
                .sum::<u32>(),
            100
        );
    }

    #[test]
    fn bars_have_one_block_per_five_points() {
        assert_eq!(bar(100), "█".repeat(20));
        assert_eq!(bar(0), "░".repeat(20));
        assert_eq!(bar(59), format!("{}{}", "█".repeat(12), "░".repeat(8)));
        assert_eq!(bar(57), format!("{}{}", "█".repeat(11), "░".repeat(9)));
        assert!(
            (0..=100).all(|score| bar(score).chars().count() == 20),
            "every bar is as wide"
        );
    }

    #[test]
    fn the_formula_is_stable() {
        // security: 25 (critical) + 10 (high) * 1.5 (two findings) = 40.
        let report = build(
            "svc",
            &[
                input("missing-rate-limiting", "app/main.py", 3),
                input("gitignore-missing", "pyproject.toml", 1),
                input("gitignore-missing", "pyproject.toml", 9),
                input("tests-missing", "pyproject.toml", 1),
            ],
        );
        let security = report
            .categories
            .iter()
            .find(|category| category.name == "security")
            .unwrap();
        assert_eq!(security.score, 60);
        // 60*25 + 90*10 (testing) + 100*65 = 8900 -> 89, capped at 59.
        assert_eq!(report.score, 59);
        assert_eq!(report.must_fix[0].rule, "missing-rate-limiting");
        assert_eq!(report.should_fix.len(), 2);
        let text = markdown(&report);
        assert!(text.contains("**Score: 59/100"), "{text}");
        assert!(text.contains("- `app/main.py:3` — message of missing-rate-limiting"));
        assert!(
            text.contains("- project (`pyproject.toml`) — message of tests-missing"),
            "{text}"
        );
        assert!(
            text.contains("| Security | 60 | `████████████░░░░░░░░` | 3 |"),
            "{text}"
        );
        let page = html(&report);
        assert!(page.contains("<svg") && !page.contains("http://") && !page.contains("<script"));
    }

    #[test]
    fn a_rule_of_one_cause_deducts_once_however_many_places_it_marks() {
        // The app and three open routes: one missing authentication, 10
        // points; three routes that each forgot their router's dependency
        // are three mistakes, 10 * 2 (the most a rule costs).
        let one_cause = build(
            "svc",
            &[
                input("missing-authentication", "app/main.py", 3),
                input("missing-authentication", "app/notes.py", 10),
                input("missing-authentication", "app/notes.py", 20),
                input("missing-authentication", "app/notes.py", 30),
            ],
        );
        let security = |report: &Report| {
            let category = report
                .categories
                .iter()
                .find(|category| category.name == "security")
                .unwrap();
            (category.score, category.findings)
        };
        assert_eq!(security(&one_cause), (90, 4));
        assert_eq!(one_cause.should_fix[0].deduction, 10.0);
        assert_eq!(one_cause.should_fix[0].locations.len(), 4);
        let three_causes = build(
            "svc",
            &[
                input("route-without-authentication", "app/notes.py", 10),
                input("route-without-authentication", "app/notes.py", 20),
                input("route-without-authentication", "app/notes.py", 30),
            ],
        );
        assert_eq!(security(&three_causes), (80, 3));
    }
}
