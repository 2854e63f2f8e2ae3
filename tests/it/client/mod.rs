//! The registry client end to end: rctl against docker-registry in its three modes, and
//! against a fault server for what a real registry will not do on demand.

mod harness_self;
