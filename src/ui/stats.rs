//! Statistics of a workspace or one of its stories: claims by verdict and by status as bar
//! charts (egui_plot), claims per story, orphans. Clicking a bar (or the count under a
//! chart) filters the claims table to it.
//!
//! It only reads [`StoryCounts`]; what a click means is returned as a [`StatsFilter`] for
//! the app to put in the table's query. No data is changed here.

use eframe::egui::{self, Color32, Ui};
use egui_plot::{Bar, BarChart, Plot};

pub use crate::app::command::StatsFilter;
use crate::model::{RatingScale, Status, parse_hex_color};
use crate::ui::fmt::plural;
use crate::workspace::{StoryCounts, Workspace};

/// The statistics view's state: which story it is about (`None`: the whole workspace).
#[derive(Debug, Default)]
pub struct StatsView {
    pub story: Option<usize>,
}

/// One bar: its name, count and colour.
struct Item {
    name: String,
    count: usize,
    color: Color32,
    filter: StatsFilter,
}

impl StatsView {
    pub fn ui(&mut self, ui: &mut Ui, ws: &Workspace) -> Option<StatsFilter> {
        let mut out = None;
        if self.story.is_some_and(|i| i >= ws.stories.len()) {
            self.story = None;
        }
        ui.horizontal(|ui| {
            ui.heading("Statistics");
            let current = self
                .story
                .and_then(|i| ws.stories.get(i))
                .map_or("Whole workspace", |s| s.name.as_str());
            let label = ui.label("About:");
            egui::ComboBox::from_id_salt("stats_scope")
                .selected_text(current)
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut self.story, None, "Whole workspace");
                    for (i, s) in ws.stories.iter().enumerate() {
                        ui.selectable_value(&mut self.story, Some(i), &s.name);
                    }
                })
                .response
                .labelled_by(label.id);
        });
        let (counts, scale) = match self.story.and_then(|i| ws.stories.get(i)) {
            Some(s) => (s.counts.clone(), s.scale_in(&ws.settings)),
            None => (ws.totals(), ws.settings.scale_or_default()),
        };
        ui.label(format!(
            "{} ({} unrated) among {}; {} orphaned, {} to confirm.",
            plural(counts.claims, "claim"),
            counts.unrated,
            plural(counts.annotations, "annotation"),
            counts.orphaned,
            counts.unconfirmed
        ));
        if let Some(warning) = crate::ui::fmt::left_out(counts.left_out) {
            let names: Vec<&str> = ws
                .left_out()
                .filter(|(s, _)| {
                    self.story
                        .is_none_or(|i| ws.stories.get(i).is_some_and(|o| o.path == s.path))
                })
                .map(|(s, _)| s.name.as_str())
                .collect();
            ui.colored_label(
                ui.visuals().warn_fg_color,
                format!(
                    "{warning} ({}). They are not in these counts.",
                    names.join(", ")
                ),
            );
        }
        if counts.wording_changed > 0
            && ui
                .small_button(format!("Wording changed: {}", counts.wording_changed))
                .on_hover_text("Show the annotations whose wording changed in the claims table")
                .clicked()
        {
            out = Some(StatsFilter::WordingChanged);
        }
        ui.separator();
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show(ui, |ui| {
                ui.columns(2, |cols| {
                    cols[0].strong("Claims by verdict");
                    if let Some(f) =
                        chart_ui(&mut cols[0], "verdicts", &verdict_items(&counts, &scale))
                    {
                        out = Some(f);
                    }
                    cols[1].strong("Claims by status");
                    if let Some(f) = chart_ui(&mut cols[1], "statuses", &status_items(&counts)) {
                        out = Some(f);
                    }
                });
                if self.story.is_none() {
                    ui.separator();
                    ui.strong("Claims per story");
                    let stories: Vec<Item> = ws
                        .stories
                        .iter()
                        .enumerate()
                        .map(|(i, s)| Item {
                            // Not "0 claims": nobody knows how many it has.
                            name: if s.left_out().is_some() {
                                format!("{} (not read)", s.name)
                            } else {
                                s.name.clone()
                            },
                            count: s.counts.claims,
                            color: if s.left_out().is_some() {
                                Color32::GRAY
                            } else if s.counts.orphaned > 0 {
                                Color32::from_rgb(0xd0, 0x80, 0x30)
                            } else {
                                Color32::from_rgb(0x4a, 0x7a, 0xc0)
                            },
                            filter: StatsFilter::Story(i),
                        })
                        .collect();
                    if let Some(f) = chart_ui(ui, "stories", &stories) {
                        out = Some(f);
                    }
                    let orphaned: Vec<String> = ws
                        .stories
                        .iter()
                        .filter(|s| s.counts.orphaned > 0)
                        .map(|s| format!("{} ({})", s.name, s.counts.orphaned))
                        .collect();
                    if orphaned.is_empty() {
                        ui.label("No orphaned annotations.");
                    } else {
                        ui.label(format!(
                            "Stories with orphaned annotations (orange): {}",
                            orphaned.join(", ")
                        ));
                    }
                }
            });
        out
    }
}

fn verdict_items(counts: &StoryCounts, scale: &RatingScale) -> Vec<Item> {
    let color = |c: &str| {
        let [r, g, b] = parse_hex_color(c).unwrap_or([0x99, 0x99, 0x99]);
        Color32::from_rgb(r, g, b)
    };
    let mut items: Vec<Item> = scale
        .ratings
        .iter()
        .map(|r| Item {
            name: r.name.clone(),
            count: counts.by_verdict.get(&r.name).copied().unwrap_or(0),
            color: color(&r.color),
            filter: StatsFilter::Verdict(Some(r.name.clone())),
        })
        .collect();
    // Verdicts written in sidecars but not on the scale are still counted.
    for (v, n) in &counts.by_verdict {
        if scale.find(v).is_none() {
            items.push(Item {
                name: v.clone(),
                count: *n,
                color: Color32::GRAY,
                filter: StatsFilter::Verdict(Some(v.clone())),
            });
        }
    }
    items.push(Item {
        name: "No verdict".into(),
        count: counts.unrated,
        color: Color32::LIGHT_GRAY,
        filter: StatsFilter::Verdict(None),
    });
    items
}

fn status_items(counts: &StoryCounts) -> Vec<Item> {
    Status::ALL
        .iter()
        .map(|s| Item {
            name: s.name().to_owned(),
            count: counts.by_status.get(s).copied().unwrap_or(0),
            color: match s {
                Status::Draft => Color32::from_rgb(0x99, 0x99, 0x99),
                Status::NeedsReview => Color32::from_rgb(0xe0, 0xa0, 0x20),
                Status::Approved => Color32::from_rgb(0x2e, 0x9d, 0x4f),
                Status::Disputed => Color32::from_rgb(0xc0, 0x39, 0x2b),
            },
            filter: StatsFilter::Status(*s),
        })
        .collect()
}

/// A bar chart of `items` plus a row of clickable counts (also how a keyboard or screen
/// reader user filters). Returns the filter of the bar clicked.
fn chart_ui(ui: &mut Ui, id: &str, items: &[Item]) -> Option<StatsFilter> {
    let mut out = None;
    let bars: Vec<Bar> = items
        .iter()
        .enumerate()
        .map(|(i, it)| {
            Bar::new(i as f64, it.count as f64)
                .name(&it.name)
                .fill(it.color)
                .width(0.7)
        })
        .collect();
    let names: Vec<String> = items.iter().map(|i| i.name.clone()).collect();
    let response = Plot::new(id)
        .height(180.0)
        .allow_zoom(false)
        .allow_drag(false)
        .allow_scroll(false)
        .show_x(false)
        .x_axis_formatter(move |mark, _| {
            let i = mark.value.round();
            if (mark.value - i).abs() < 1e-6 && i >= 0.0 {
                names.get(i as usize).cloned().unwrap_or_default()
            } else {
                String::new()
            }
        })
        .show(ui, |plot| plot.bar_chart(BarChart::new(id, bars)));
    if response.response.clicked()
        && let Some(pos) = response.response.interact_pointer_pos()
    {
        let point = response.transform.value_from_position(pos);
        let i = point.x.round();
        if (point.x - i).abs() <= 0.35
            && i >= 0.0
            && let Some(it) = items.get(i as usize)
            && point.y >= 0.0
            && point.y <= it.count as f64
        {
            out = Some(it.filter.clone());
        }
    }
    ui.horizontal_wrapped(|ui| {
        for it in items {
            if ui
                .small_button(format!("{}: {}", it.name, it.count))
                .on_hover_text("Show these in the claims table")
                .clicked()
            {
                out = Some(it.filter.clone());
            }
        }
    });
    out
}
