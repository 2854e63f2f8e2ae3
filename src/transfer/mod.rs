//! Locations of images (registries, OCI layouts, archives, the local store) and the copy engine
//! that moves images between them.
