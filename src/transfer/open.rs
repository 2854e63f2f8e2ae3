//! Turning a [`Location`] into an [`Endpoint`], and finishing the destination afterwards.
//!
//! Registries need a connected client, which the caller supplies. Archives are unpacked into a
//! scratch layout when read; when written, the copy goes into a scratch layout beside the target
//! and [`Opened::finish`] packs it, so the target file appears only complete.

use std::path::PathBuf;
use std::sync::Arc;

use super::docker_archive::{self, ArchiveImage};
use super::endpoint::Endpoint;
use super::error::{Error, Result};
use super::location::Location;
use super::oci_archive::{self, Scratch};
use super::oci_layout::OciLayout;
use crate::client::RegistryClient;
use crate::oci::Reference;

/// An endpoint and what must happen after the copy.
pub struct Opened {
    pub endpoint: Endpoint,
    finish: Finish,
    /// Scratch space kept alive for the endpoint's lifetime.
    _scratch: Option<Scratch>,
}

enum Finish {
    Nothing,
    OciArchive(PathBuf),
    DockerArchive {
        path: PathBuf,
        name: Option<Reference>,
    },
}

/// Open `location` as a source. `client` is used for registry locations.
pub fn source(location: &Location, client: Option<Arc<RegistryClient>>) -> Result<Opened> {
    let display = location.to_string();
    match location {
        Location::Registry(reference) => Ok(registry(reference, client)),
        Location::OciLayout { path, tag } => Ok(Opened {
            endpoint: Endpoint::Layout {
                layout: OciLayout::open(path)?,
                name: tag.clone(),
                display,
            },
            finish: Finish::Nothing,
            _scratch: None,
        }),
        Location::OciArchive { path, tag } => {
            let scratch = Scratch::new()?;
            oci_archive::unpack(path, scratch.path())?;
            Ok(Opened {
                endpoint: Endpoint::Layout {
                    layout: OciLayout::open(scratch.path())?,
                    name: tag.clone(),
                    display,
                },
                finish: Finish::Nothing,
                _scratch: Some(scratch),
            })
        }
        Location::DockerArchive { path, reference } => {
            let imported = docker_archive::import(path, reference.as_ref())?;
            Ok(Opened {
                endpoint: Endpoint::Layout {
                    layout: imported.layout,
                    name: Some(docker_archive::IMPORTED.to_string()),
                    display,
                },
                finish: Finish::Nothing,
                _scratch: Some(imported.scratch),
            })
        }
    }
}

/// Open `location` as a destination.
pub fn destination(location: &Location, client: Option<Arc<RegistryClient>>) -> Result<Opened> {
    let display = location.to_string();
    match location {
        Location::Registry(reference) => Ok(registry(reference, client)),
        Location::OciLayout { path, tag } => Ok(Opened {
            endpoint: Endpoint::Layout {
                layout: OciLayout::create(path)?,
                name: tag.clone(),
                display,
            },
            finish: Finish::Nothing,
            _scratch: None,
        }),
        Location::OciArchive { path, tag } => {
            let scratch = Scratch::new_in(parent(path))?;
            Ok(Opened {
                endpoint: Endpoint::Layout {
                    layout: OciLayout::create(scratch.path())?,
                    name: tag.clone(),
                    display,
                },
                finish: Finish::OciArchive(path.clone()),
                _scratch: Some(scratch),
            })
        }
        Location::DockerArchive { path, reference } => {
            let scratch = Scratch::new_in(parent(path))?;
            Ok(Opened {
                endpoint: Endpoint::Layout {
                    layout: OciLayout::create(scratch.path())?,
                    name: Some(docker_archive::IMPORTED.to_string()),
                    display,
                },
                finish: Finish::DockerArchive {
                    path: path.clone(),
                    name: reference.clone(),
                },
                _scratch: Some(scratch),
            })
        }
    }
}

impl Opened {
    /// Whether this destination holds one image per name (a docker archive), so an index must
    /// be narrowed to one platform first.
    pub fn single_image_only(&self) -> bool {
        matches!(self.finish, Finish::DockerArchive { .. })
    }

    /// Complete the destination: pack archives. `source_name` names the image in a docker
    /// archive when the location gave no reference.
    pub fn finish(self, source_name: Option<&Reference>) -> Result<()> {
        let Endpoint::Layout { layout, .. } = &self.endpoint else {
            return Ok(());
        };
        match &self.finish {
            Finish::Nothing => Ok(()),
            Finish::OciArchive(path) => oci_archive::pack(layout.root(), path, &[]),
            Finish::DockerArchive { path, name } => {
                let descriptor =
                    layout
                        .resolve(Some(docker_archive::IMPORTED))?
                        .ok_or_else(|| Error::NotFound {
                            what: "the copied image".into(),
                            place: "the archive being written".into(),
                        })?;
                let image = ArchiveImage {
                    manifest: layout.read_manifest(&descriptor)?,
                    names: name
                        .clone()
                        .or_else(|| source_name.cloned())
                        .into_iter()
                        .collect(),
                };
                docker_archive::export(layout, &[image], path)
            }
        }
    }
}

fn registry(reference: &Reference, client: Option<Arc<RegistryClient>>) -> Opened {
    let client = client.expect("a registry location needs a connected client");
    Opened {
        endpoint: Endpoint::Registry {
            client,
            reference: reference.clone(),
        },
        finish: Finish::Nothing,
        _scratch: None,
    }
}

fn parent(path: &std::path::Path) -> &std::path::Path {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."))
}
