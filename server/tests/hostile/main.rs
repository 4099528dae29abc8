//! The standing hostile-traffic suite: attacks on the real release binary
//! over loopback, each bounded in count and time, each asserting what the
//! server must still do. `cargo xtask test hostile` builds the binary with
//! the `server` profile and runs this target (which plain `cargo test`
//! leaves out: it needs that binary and two minutes).

mod harness;
mod idle;
mod replay;
