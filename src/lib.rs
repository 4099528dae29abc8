//! The HugOps widget.
