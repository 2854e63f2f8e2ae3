//! Reference errors as a user meets them on the command line.

use crate::harness::Env;

#[test]
fn malformed_reference_is_a_usage_error_that_quotes_the_input() {
    let env = Env::new();
    let stderr = env.run(&["inspect", "Busybox:latest"]).fails(2).to_string();
    assert!(stderr.contains("`Busybox:latest`"), "{stderr}");
    assert!(stderr.contains("lowercase"), "{stderr}");
}

#[test]
fn unknown_command_exits_two_and_help_exits_zero() {
    let env = Env::new();
    env.run(&["no-such-command"]).fails(2);
    assert!(env.run(&["--help"]).ok().contains("inspect"));
}
