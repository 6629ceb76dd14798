#!/usr/bin/env bash
# Writes the demo album's config.yaml for `make run` (once; later runs keep the user's changes).
# encoder_spec "auto" makes `photomap serve` index the album at its first start: with an installed
# CLIP model if there is one, else the host default downloaded, else (offline) the built-in
# classic:v1 descriptor (image search and the map, no text search).
#   scripts/demo_config.sh REPO_DIR STATE_DIR
set -euo pipefail
repo=${1:?repo dir}
state=${2:?state dir}
mkdir -p "$state"
config="$state/config.yaml"
[ -f "$config" ] && exit 0
cat > "$config" <<YAML
albums:
  demo:
    name: Demo album
    description: Photographs bundled with photomap (see demo/LICENSE.md)
    image_paths:
    - $repo/demo/photos
    index: $state/demo_index/embeddings.npz
    encoder_spec: auto
config_version: 1.1.0
YAML
chmod 600 "$config"
echo "make run: wrote $config"
