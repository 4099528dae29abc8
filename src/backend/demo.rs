//! The bundled demo status source (`status="demo"`): core's demo summary
//! with its times filled in at each fetch. No network.

use super::{LocalFuture, StatusProblem, StatusSource};
use hugops_core::demo::demo_summary_json;
use hugops_core::status::{parse_summary_str, Summary};

#[derive(Default)]
pub struct DemoSource;

impl StatusSource for DemoSource {
    fn fetch(&self) -> LocalFuture<'_, Result<Option<Summary>, StatusProblem>> {
        let text = demo_summary_json(crate::browser::now());
        Box::pin(async move {
            parse_summary_str(&text)
                .map(Some)
                .map_err(|e| StatusProblem::Unreadable(e.to_string()))
        })
    }
}
