//! Real Statuspage payloads (tests/fixtures/statuspage/, see the README
//! beside that folder) and the concrete facts each one holds, read off the
//! JSON by hand.

use hugops_core::status::{
    parse_summary, ComponentNode, ComponentStatus, Impact, IncidentStatus, Indicator, Status,
    Summary, UpdateStatus,
};
use hugops_core::time::Timestamp;
use std::fs;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures/statuspage/");

const FIXTURES: [&str; 4] = [
    "github-components-with-problem.json",
    "instructure-summary.json",
    "linode-components-problems.json",
    "qualys-components.json",
];

fn load(name: &str) -> Summary {
    let bytes = fs::read(format!("{DIR}{name}")).expect("fixture readable");
    parse_summary(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn at(text: &str) -> Option<Timestamp> {
    Some(Timestamp::parse_rfc3339(text).expect("valid test time"))
}

fn groups(s: &Summary) -> usize {
    s.components.iter().filter(|c| c.group).count()
}

fn count(s: &Summary, status: ComponentStatus) -> usize {
    s.components.iter().filter(|c| c.status == status).count()
}

fn row<'a>(tree: &'a [ComponentNode], name: &str) -> &'a ComponentNode {
    tree.iter()
        .find(|n| n.component.name == name)
        .unwrap_or_else(|| panic!("no row {name:?}"))
}

fn names<'a>(list: impl IntoIterator<Item = &'a hugops_core::status::Component>) -> Vec<&'a str> {
    list.into_iter().map(|c| c.name.as_str()).collect()
}

#[test]
fn the_fixture_folder_holds_exactly_the_files_tested_here() {
    let mut found: Vec<String> = fs::read_dir(DIR)
        .expect("fixture folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    found.sort();
    assert_eq!(found, FIXTURES, "a new fixture needs its facts tested here");
}

#[test]
fn every_fixture_survives_a_round_trip_through_serialisation() {
    for name in FIXTURES {
        let summary = load(name);
        let json = serde_json::to_vec(&summary).unwrap();
        assert_eq!(parse_summary(&json).unwrap(), summary, "{name}");
    }
}

#[test]
fn github_one_partial_outage_among_operational_components() {
    let s = load("github-components-with-problem.json");
    let page = s.page.as_ref().unwrap();
    assert_eq!(page.name, "GitHub");
    assert_eq!(page.id, "kctbh9vrtdwd");
    assert_eq!(page.url, "https://www.githubstatus.com");
    assert_eq!(page.time_zone.as_deref(), Some("Etc/UTC"));
    assert_eq!(page.updated_at, at("2021-12-10T14:56:24.510Z"));

    assert_eq!(s.components.len(), 10);
    assert_eq!(groups(&s), 0);
    assert_eq!(count(&s, ComponentStatus::Operational), 9);
    let broken: Vec<_> = s
        .components
        .iter()
        .filter(|c| !c.status.is_operational())
        .collect();
    assert_eq!(broken.len(), 1);
    assert_eq!(broken[0].name, "GitHub Actions");
    assert_eq!(broken[0].id, "br0l2tvcx85d");
    assert_eq!(broken[0].status, ComponentStatus::PartialOutage);
    assert_eq!(broken[0].status.label(), "Partial outage");

    // components.json carries no status: derived, one of ten partial.
    assert_eq!(s.status.indicator, Indicator::Minor);
    assert_eq!(s.status.description, "Minor service outage");
    assert!(s.is_degraded());
    assert!(s.incidents.is_empty() && s.scheduled_maintenances.is_empty());

    let tree = s.component_tree();
    assert_eq!(
        tree.iter()
            .map(|n| n.component.name.as_str())
            .collect::<Vec<_>>(),
        [
            "Git Operations",
            "API Requests",
            "Webhooks",
            "Visit www.githubstatus.com for more information",
            "Issues",
            "Pull Requests",
            "GitHub Actions",
            "GitHub Packages",
            "GitHub Pages",
            "Codespaces",
        ]
    );
    assert!(tree.iter().all(|n| !n.is_group() && n.children.is_empty()));
    assert_eq!(
        s.components[0].description.as_deref(),
        Some("Performance of git clones, pulls, pushes, and associated operations")
    );
}

#[test]
fn linode_a_group_row_that_is_itself_degraded() {
    let s = load("linode-components-problems.json");
    assert_eq!(s.page.as_ref().unwrap().name, "Linode");
    assert_eq!(s.components.len(), 68);
    assert_eq!(groups(&s), 6);
    assert_eq!(count(&s, ComponentStatus::PartialOutage), 8);
    assert_eq!(count(&s, ComponentStatus::Operational), 60);
    // Seven partial regions among 62 components that are not groups.
    assert_eq!(s.status.indicator, Indicator::Minor);
    assert_eq!(s.status.description, "Minor service outage");

    let tree = s.component_tree();
    assert_eq!(
        tree.iter()
            .map(|n| n.component.name.as_str())
            .collect::<Vec<_>>(),
        [
            "Linode.com",
            "Linode Manager and API",
            "Hosted DNS Service",
            "Longview",
            "Regions",
            "Backups",
            "Block Storage",
            "NodeBalancers",
            "Object Storage",
            "Linode Kubernetes Engine",
        ]
    );
    assert_eq!(tree.iter().filter(|n| n.is_group()).count(), 6);

    let regions = row(&tree, "Regions");
    assert!(regions.is_group());
    assert_eq!(regions.component.status, ComponentStatus::PartialOutage);
    assert_eq!(*regions.worst_status(), ComponentStatus::PartialOutage);
    assert_eq!(regions.children.len(), 11);
    assert_eq!(
        names(regions.degraded_children()),
        [
            "US-East (Newark)",
            "US-Central (Dallas)",
            "US-West (Fremont)",
            "EU-West (London)",
            "EU-Central (Frankfurt)",
            "AP-South (Singapore)",
            "AP-Northeast-2 (Tokyo 2)",
        ]
    );
    // The group row and its seven members make the eight partial outages.
    assert_eq!(regions.degraded_children().len() + 1, 8);

    let object_storage = row(&tree, "Object Storage");
    assert_eq!(
        names(&object_storage.children),
        [
            "US-East (Newark) Object Storage",
            "EU-Central (Frankfurt) Object Storage",
            "AP-South (Singapore) Object Storage",
            "US-Southeast (Atlanta) Object Storage",
        ]
    );
    for calm in [
        "Backups",
        "Block Storage",
        "NodeBalancers",
        "Linode Kubernetes Engine",
    ] {
        let node = row(&tree, calm);
        assert_eq!(*node.worst_status(), ComponentStatus::Operational, "{calm}");
        assert!(node.degraded_children().is_empty(), "{calm}");
    }
    assert_eq!(row(&tree, "Backups").children.len(), 11);
    assert_eq!(row(&tree, "Linode Kubernetes Engine").children.len(), 10);
}

#[test]
fn qualys_many_groups_maintenance_and_major_outage() {
    let s = load("qualys-components.json");
    let page = s.page.as_ref().unwrap();
    assert_eq!(page.name, "Qualys, Inc.");
    assert_eq!(page.updated_at, at("2021-12-01T11:04:33.384Z"));
    assert_eq!(s.components.len(), 271);
    assert_eq!(groups(&s), 12);
    assert_eq!(count(&s, ComponentStatus::Operational), 262);
    assert_eq!(count(&s, ComponentStatus::UnderMaintenance), 7);
    assert_eq!(count(&s, ComponentStatus::MajorOutage), 2);
    // A major outage on one of many components.
    assert_eq!(s.status.indicator, Indicator::Major);
    assert_eq!(s.status.description, "Partial system outage");

    let tree = s.component_tree();
    assert_eq!(tree.len(), 13);
    assert_eq!(tree.iter().filter(|n| n.is_group()).count(), 12);
    let shown: usize = tree.iter().map(|n| 1 + n.children.len()).sum();
    assert_eq!(shown, 271, "every component appears exactly once");
    assert_eq!(tree[0].component.name, "US Platform 1");
    assert_eq!(tree[11].component.name, "PCI Platform");
    assert!(!tree[11].is_group());
    assert_eq!(tree[12].component.name, "Free Services");
    assert_eq!(
        names(&tree[12].children),
        ["BrowserCheck", "SSL Labs", "Qualys Community"]
    );

    let eu = row(&tree, "EU Platform 1");
    assert_eq!(eu.children.len(), 25);
    assert_eq!(*eu.worst_status(), ComponentStatus::MajorOutage);
    assert_eq!(
        names(eu.degraded_children()),
        ["Global AssetView (GAV) /CyberSecurity Asset Management (CSAM)"]
    );

    let us3 = row(&tree, "US Platform 3");
    assert_eq!(*us3.worst_status(), ComponentStatus::UnderMaintenance);
    assert_eq!(
        names(us3.degraded_children()),
        ["Global AssetView (GAV) /CyberSecurity Asset Management (CSAM)"]
    );
    let india = row(&tree, "IN Platform 1");
    assert_eq!(
        names(india.degraded_children()),
        ["CertView (CERT)", "Patch Management (PM)"]
    );
    assert_eq!(
        names(row(&tree, "AE Platform 1").degraded_children()),
        ["Container Security (CS)"]
    );

    // Duplicate names in different groups stay apart.
    let gav = "Global AssetView (GAV) /CyberSecurity Asset Management (CSAM)";
    let with_gav = tree
        .iter()
        .filter(|n| n.children.iter().any(|c| c.name == gav))
        .count();
    assert_eq!(with_gav, 11);
}

#[test]
fn instructure_summary_with_an_unresolved_incident() {
    let s = load("instructure-summary.json");
    let page = s.page.as_ref().unwrap();
    assert_eq!(page.name, "Instructure");
    assert_eq!(page.time_zone.as_deref(), Some("America/Denver"));
    // -07:00 read as the same instant in UTC.
    assert_eq!(page.updated_at, at("2021-12-07T18:07:15.773Z"));

    assert_eq!(s.status.indicator, Indicator::Minor);
    assert_eq!(s.status.description, "Partially Degraded Service");
    // The rule for payloads without a status agrees with the page's own.
    let derived = Status::from_components(&s.components);
    assert_eq!(derived.indicator, Indicator::Minor);
    assert_eq!(derived.description, "Partially degraded service");
    assert!(s.is_degraded());

    assert_eq!(s.components.len(), 24);
    assert_eq!(groups(&s), 3);
    assert_eq!(count(&s, ComponentStatus::DegradedPerformance), 11);
    let tree = s.component_tree();
    assert_eq!(
        tree.iter()
            .map(|n| n.component.name.as_str())
            .collect::<Vec<_>>(),
        ["Canvas", "Portfolium", "MasteryConnect"]
    );
    assert_eq!(
        names(&row(&tree, "Portfolium").children),
        ["Website", "Web Application", "EDU Platform"]
    );
    assert_eq!(
        names(&row(&tree, "MasteryConnect").children),
        ["Assessments", "Benchmarks", "Portal", "Reporting"]
    );
    let canvas = row(&tree, "Canvas");
    assert_eq!(canvas.children.len(), 14);
    assert_eq!(canvas.children[1].name, "— Catalog");
    assert_eq!(canvas.children[13].name, "— Gauge");
    // The group "Canvas" holds a component also named "Canvas".
    assert_eq!(names(canvas.degraded_children()), ["Canvas"]);
    assert_eq!(*canvas.worst_status(), ComponentStatus::DegradedPerformance);

    assert!(s.scheduled_maintenances.is_empty());
    assert_eq!(s.incidents.len(), 1);
    let active = s.active_incidents();
    assert_eq!(active.len(), 1);
    let incident = &active[0];
    assert_eq!(incident.id, "g1zp3jpycgbz");
    assert_eq!(
        incident.name,
        "Amazon Web Services (AWS) is currently experiencing an outage that is affecting \
         some Canvas users hosted in the IAD (North American) region."
    );
    assert_eq!(incident.status, IncidentStatus::Identified);
    assert_eq!(incident.impact, Impact::Minor);
    assert_eq!(
        incident.shortlink.as_deref(),
        Some("https://stspg.io/0vf16sb2j8xn")
    );
    assert_eq!(incident.started_at, at("2021-12-07T16:06:43.172Z"));
    assert_eq!(incident.resolved_at, None);

    let updates = &incident.incident_updates;
    assert_eq!(updates.len(), 11);
    assert_eq!(updates[0].id, "bkwp1fjx0sxj");
    assert_eq!(updates[0].display_at, at("2021-12-07T17:39:58.000Z"));
    assert_eq!(updates[10].id, "1vph9j425rvt");
    assert_eq!(
        updates[10].body,
        "We are currently investigating this issue."
    );
    assert_eq!(updates[10].status, UpdateStatus::Investigating);
    assert!(updates
        .windows(2)
        .all(|w| w[0].display_at >= w[1].display_at));
    let identified = updates
        .iter()
        .filter(|u| u.status == UpdateStatus::Identified)
        .count();
    assert_eq!(identified, 9);
    assert_eq!(updates[0].affected_components.len(), 8);
    assert_eq!(
        updates[0].affected_components[0].name,
        "Portfolium - Website"
    );
    let first = &updates[10].affected_components[0];
    assert_eq!(first.name, "Canvas - Canvas");
    assert_eq!(first.new_status, ComponentStatus::Operational);

    let affected: Vec<(String, String)> = incident
        .affected_components()
        .into_iter()
        .map(|c| (c.id, c.name))
        .collect();
    let expected = [
        ("v6m5nhwgtshj", "Assessments"),
        ("j7jp6sq831c2", "Website"),
        ("9dlvqx1drp3d", "Canvas"),
        ("jt1kl5fj472f", "Benchmarks"),
        ("100xy482gkyf", "Web Application"),
        ("142661pcf7h1", "Portal"),
        ("c8zkn4rlhvw6", "EDU Platform"),
        ("xwqppk51m3mm", "Reporting"),
    ];
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(id, name)| (id.to_string(), name.to_string()))
        .collect();
    assert_eq!(affected, expected);
    // Each affected id is a real component of the page, and degraded.
    for (id, _) in &affected {
        let c = s.component(id).expect("affected component exists");
        assert_eq!(c.status, ComponentStatus::DegradedPerformance);
    }
    assert_eq!(s.affected_component_ids().len(), 8);
}
