//! The team page's entry point; everything lives in the library.

fn main() {
    hugops_team::start();
}
