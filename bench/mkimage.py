#!/usr/bin/env python3
"""Write a test image as an OCI layout: PLATFORMS platforms, LAYERS incompressible layers of
SIZE bytes each (random bytes in a gzip stream of stored blocks, so no tool recompresses them).

usage: mkimage.py DIR PLATFORMS LAYERS SIZE     prints the top manifest's digest"""

import gzip
import hashlib
import json
import os
import sys

root, platforms, layers, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
os.makedirs(f"{root}/blobs/sha256", exist_ok=True)


def put(data):
    digest = hashlib.sha256(data).hexdigest()
    with open(f"{root}/blobs/sha256/{digest}", "wb") as f:
        f.write(data)
    return {"digest": "sha256:" + digest, "size": len(data)}


ARCHES = [("amd64", None), ("arm64", "v8"), ("arm", "v7"), ("s390x", None), ("ppc64le", None)]
entries = []
for arch, variant in ARCHES[:platforms]:
    descs = []
    for _ in range(layers):
        layer = gzip.compress(os.urandom(size), compresslevel=0, mtime=0)
        descs.append(dict(put(layer), mediaType="application/vnd.oci.image.layer.v1.tar+gzip"))
    platform = {"os": "linux", "architecture": arch}
    if variant:
        platform["variant"] = variant
    config = dict(platform, created="2024-01-01T00:00:00Z",
                  rootfs={"type": "layers", "diff_ids": [d["digest"] for d in descs]})
    cdesc = dict(put(json.dumps(config).encode()), mediaType="application/vnd.oci.image.config.v1+json")
    manifest = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                "config": cdesc, "layers": descs}
    entries.append(dict(put(json.dumps(manifest).encode()), mediaType=manifest["mediaType"], platform=platform))

if platforms == 1:
    top = {k: v for k, v in entries[0].items() if k != "platform"}
else:
    index = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json", "manifests": entries}
    top = dict(put(json.dumps(index).encode()), mediaType=index["mediaType"])
top["annotations"] = {"org.opencontainers.image.ref.name": "v1"}
with open(f"{root}/index.json", "w") as f:
    json.dump({"schemaVersion": 2, "manifests": [top]}, f)
with open(f"{root}/oci-layout", "w") as f:
    f.write('{"imageLayoutVersion":"1.0.0"}')
print(top["digest"])
