//! The committed shell completions and man pages match the clap definitions.
//!
//! When they are stale, regenerate them with:
//! `RCTL_REGENERATE=1 cargo test --test it generated`

use std::path::Path;

use rctl::cli::generate;

const REGENERATE: &str = "RCTL_REGENERATE=1 cargo test --test it generated";

fn check(path: &Path, expected: &[u8], stale: &mut Vec<String>) {
    if std::env::var_os("RCTL_REGENERATE").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, expected).unwrap();
        return;
    }
    if std::fs::read(path).ok().as_deref() != Some(expected) {
        stale.push(path.display().to_string());
    }
}

#[test]
fn completions_and_man_pages_are_up_to_date() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut stale = Vec::new();
    for (shell, file) in generate::SHELLS {
        check(
            &root.join("completions").join(file),
            &generate::completion(shell),
            &mut stale,
        );
    }
    let pages = generate::man_pages();
    for (name, page) in &pages {
        check(&root.join("man").join(name), page, &mut stale);
    }
    let committed: Vec<_> = std::fs::read_dir(root.join("man"))
        .map(|dir| {
            dir.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    for name in committed {
        if !pages.iter().any(|(page, _)| *page == name) {
            if std::env::var_os("RCTL_REGENERATE").is_some() {
                std::fs::remove_file(root.join("man").join(&name)).unwrap();
                continue;
            }
            stale.push(format!("man/{name} (no such command any more)"));
        }
    }
    assert!(
        stale.is_empty(),
        "stale generated files: {stale:?}\nregenerate them with: {REGENERATE}"
    );
}

#[test]
fn completion_command_prints_the_committed_script() {
    let env = crate::harness::Env::new();
    let printed = env.run(&["completion", "bash"]).ok().to_string();
    assert_eq!(
        printed.as_bytes(),
        generate::completion(clap_complete::Shell::Bash).as_slice()
    );
    assert!(printed.contains("rctl"), "{printed}");
}
