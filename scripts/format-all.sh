#!/usr/bin/env bash
# Formats the whole tree with Biome (biome.jsonc) once, after the wave's branches are merged: until
# then each branch formatting its own files would make every merge a conflict. `npm test` runs
# `biome format .` (npm run format:check), which fails until this has run.
#
#   bash scripts/format-all.sh            format, check, show what changed
#   bash scripts/format-all.sh --commit   the same, then commit it and list the commit in
#                                         .git-blame-ignore-revs so `git blame` skips it
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ -n "$(git status --porcelain --untracked-files=no)" ]]; then
  echo "format-all: commit or stash your changes first (the formatting should be a commit of its own)" >&2
  exit 1
fi

npx biome format --write .
# Biome 2.6 settles some long call chains only on a second pass (seen on bench/fuzz/mutations.ts).
npx biome format --write .
# Formatting must not change behaviour or leave anything the checks refuse.
npx biome format .
npx biome lint .
npm run --silent typecheck
git diff --shortstat

if [[ "${1:-}" == "--commit" ]]; then
  git commit -qam "format: the whole tree through Biome (scripts/format-all.sh), no other change"
  git rev-parse HEAD >> .git-blame-ignore-revs
  git add .git-blame-ignore-revs
  git commit -qm "git blame skips the formatting commit"
  git log --oneline -2
else
  echo "format-all: review with 'git diff', then commit (or run again with --commit)"
fi
