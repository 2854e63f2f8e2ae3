//! The registry server behind `rctl serve`.
