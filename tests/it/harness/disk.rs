//! A small tmpfs for full-disk tests. Mounting needs root: the suite runs as root in CI, and a
//! test that cannot mount fails instead of skipping, so a missing right is never mistaken for a
//! pass.

use std::path::{Path, PathBuf};
use std::process::Command;

/// A tmpfs of a fixed size, unmounted (lazily, so a live process cannot block it) when dropped.
pub struct SmallDisk {
    path: PathBuf,
    _dir: tempfile::TempDir,
}

impl SmallDisk {
    /// Mount a tmpfs of `size` (`4m`, `16m`, as `mount -o size=` reads it).
    pub fn mount(size: &str) -> SmallDisk {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("disk");
        std::fs::create_dir_all(&path).unwrap();
        let mounted = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(&path)
            .output()
            .expect("run mount");
        assert!(
            mounted.status.success(),
            "cannot mount a {size} tmpfs (run the tests as root): {}",
            String::from_utf8_lossy(&mounted.stderr)
        );
        SmallDisk { path, _dir: dir }
    }

    /// Grow (or shrink) the mounted disk to `size`, keeping its content.
    pub fn resize(&self, size: &str) {
        let resized = Command::new("mount")
            .args(["-o", &format!("remount,size={size}")])
            .arg(&self.path)
            .output()
            .expect("run mount");
        assert!(
            resized.status.success(),
            "cannot resize the tmpfs to {size}: {}",
            String::from_utf8_lossy(&resized.stderr)
        );
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.path).output();
    }
}
