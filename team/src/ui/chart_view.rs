//! The activity chart as inline SVG: two bar rows on their own scales,
//! messages (solid) above hugs (hatched), each labelled in text with its
//! peak, so neither colour nor the picture alone carries the numbers; the
//! table beneath says the same for screen readers and anyone who prefers
//! figures.

use crate::chart::{bars, Activity, Series, MAX_BUCKETS};
use crate::time_text;
use hugops_core::wire::Message;
use leptos::prelude::*;

const WIDTH: f64 = 600.0;
const ROW: f64 = 70.0;
const LABEL: f64 = 18.0;

#[component]
pub fn ActivityChart(messages: RwSignal<Vec<Message>>) -> impl IntoView {
    let activity = Memo::new(move |_| messages.with(|all| Activity::of(all, MAX_BUCKETS)));
    move || {
        let activity = activity.get();
        if activity.buckets.is_empty() {
            return view! { <p class="chart-empty">"No activity to chart yet."</p> }.into_any();
        }
        let summary = activity.summary();
        let rows = [
            (Series::Messages, "Messages", "bar bar--messages"),
            (Series::Hugs, "Hugs", "bar bar--hugs"),
        ]
        .into_iter()
        .enumerate()
        .map(|(i, (series, name, class))| {
            let top = i as f64 * (ROW + LABEL * 2.0);
            let peak = activity.peak(series).map_or(0, |b| series.value(&b));
            let drawn = bars(&activity, series, WIDTH, ROW)
                .into_iter()
                .zip(&activity.buckets)
                .map(|(bar, bucket)| {
                    let title = format!(
                        "{}: {} {}",
                        time_text::utc(bucket.start),
                        series.value(bucket),
                        name.to_lowercase()
                    );
                    view! {
                        <rect class=class x=bar.x.to_string() y=(top + LABEL + bar.y).to_string()
                            width=bar.width.to_string() height=bar.height.to_string()>
                            <title>{title}</title>
                        </rect>
                    }
                })
                .collect_view();
            view! {
                <text class="chart-label" x="0" y=(top + LABEL - 5.0).to_string()>
                    {format!("{name} per {} (highest: {peak})", activity.width_words())}
                </text>
                <line class="chart-axis" x1="0" x2=WIDTH.to_string()
                    y1=(top + LABEL + ROW).to_string() y2=(top + LABEL + ROW).to_string()/>
                {drawn}
            }
        })
        .collect_view();
        let height = 2.0 * (ROW + LABEL * 2.0);
        let table_rows = activity
            .buckets
            .iter()
            .map(|b| {
                view! {
                    <tr>
                        <th scope="row">{time_text::utc(b.start)}</th>
                        <td>{b.messages}</td>
                        <td>{b.hugs}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <figure class="chart">
                <figcaption id="chart-summary">{summary}</figcaption>
                <svg viewBox=format!("0 0 {WIDTH} {height}") role="img"
                    aria-labelledby="chart-summary">
                    <defs>
                        <pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse"
                            patternTransform="rotate(45)">
                            <rect class="hatch-back" width="6" height="6"/>
                            <line class="hatch-line" x1="0" y1="0" x2="0" y2="6"/>
                        </pattern>
                    </defs>
                    {rows}
                </svg>
                <details>
                    <summary>"The chart as a table"</summary>
                    <table>
                        <thead>
                            <tr>
                                <th scope="col">{format!("Start ({} each)", activity.width_words())}</th>
                                <th scope="col">"Messages"</th>
                                <th scope="col">"Hugs"</th>
                            </tr>
                        </thead>
                        <tbody>{table_rows}</tbody>
                    </table>
                </details>
            </figure>
        }
        .into_any()
    }
}
