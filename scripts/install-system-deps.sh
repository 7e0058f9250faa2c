#!/usr/bin/env bash
# The Debian packages the test suite drives as real counterparts (see README "Testing"):
# the AWS CLI v2, openssl (SNS signing certificates), Chromium for the console's browser tests (playwright-core drives it),
# curl, zip and jq, which the documented commands use (test/cli/docs.test.ts runs them; docs/lambda.md zips a function,
# docs/ci.md reads the event history with jq), nats-server (2.9), the JetStream single server and 3-server
# cluster the scale-out tests start themselves, bubblewrap, the sandbox Lambda functions run in (docs/security.md),
# and packer 1.6.6 (its amazon-ebs builder bakes an AMI against amiwatch in test/ec2/ec2-packer.test.ts).
# Idempotent: installs only what is missing. Needs root (CI runs as root).
set -euo pipefail
# Python functions (test/lambda/python-runtime.test.ts) need a python3 whose boto3 reads AWS_ENDPOINT_URL
# (>= 1.28.57): not Debian's python3-boto3 (1.26). The CI image has pyenv's Python 3.11 with boto3 1.43.
python3 -c 'import boto3, sys; v = tuple(map(int, boto3.__version__.split(".")[:3])); sys.exit(v < (1, 28, 57))' 2>/dev/null \
  || echo "warning: no python3 with boto3 >= 1.28.57 on PATH: Python Lambda tests will fail (pip install boto3)" >&2
packages=(awscli openssl chromium curl zip jq nats-server bubblewrap packer)
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" -ne 0 ]; then
  echo "The tests need these Debian packages: ${missing[*]}. Install them with: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
apt-get update -qq
apt-get install -y -qq "${missing[@]}"
