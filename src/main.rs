//! The bundle's entry point; everything lives in the library.

fn main() {
    hugops_widget::start();
}
