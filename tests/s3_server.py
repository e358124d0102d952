"""A throw-away S3-compatible server for the object-storage tests: moto's standalone server
(``python -m moto.server``) on a free port of its own, as a real process that the code
under test talks to over HTTP, exactly as it would to AWS S3, Cloudflare R2 or MinIO."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import boto3
from botocore.config import Config as BotoConfig

from tests.redis_server import free_port

ROOT = Path(__file__).resolve().parent.parent
# The bucket the ``s3_bucket`` fixture points the uploads at.
MEDIA_BUCKET = "tribune-media"
# What the settings' boto3 client configuration holds, carried over from the subprocess.
CLIENT_CONFIG = ("connect_timeout", "read_timeout", "retries")
# moto accepts any credentials; these stand in for a real key pair.
ACCESS_KEY = "tribune-test-key"
SECRET_KEY = "tribune-test-secret"
# Readers fetch pictures without credentials: the policy docs/object-storage.md gives.
PUBLIC_READ_POLICY = """{
  "Version": "2012-10-17",
  "Statement": [{
    "Sid": "PublicReadForMedia",
    "Effect": "Allow",
    "Principal": "*",
    "Action": "s3:GetObject",
    "Resource": "arn:aws:s3:::BUCKET/*"
  }]
}"""


class S3Server:
    """One moto server; ``stop()`` ends it."""

    def __init__(self) -> None:
        self.port = free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        command = [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)]
        self.process = subprocess.Popen(  # noqa: S603
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        self.client = boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            region_name="us-east-1",
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
        )
        if not self._answers():
            self.stop()
            raise RuntimeError(f"moto's S3 server did not start on port {self.port}")

    def _answers(self) -> bool:
        for _ in range(300):
            if self.process.poll() is not None:
                return False
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return True
            except OSError:
                time.sleep(0.05)
        return False

    def empty_bucket(self, bucket: str) -> None:
        """Create ``bucket`` if it is missing, readable by anyone as docs/object-storage.md
        says, and delete everything in it."""
        existing = {b["Name"] for b in self.client.list_buckets()["Buckets"]}
        if bucket not in existing:
            self.client.create_bucket(Bucket=bucket)
            policy = PUBLIC_READ_POLICY.replace("BUCKET", bucket)
            self.client.put_bucket_policy(Bucket=bucket, Policy=policy)
        for key in self.keys(bucket):
            self.client.delete_object(Bucket=bucket, Key=key)

    def keys(self, bucket: str) -> list[str]:
        """Every object's key in ``bucket``, sorted."""
        pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=bucket)
        return sorted(item["Key"] for page in pages for item in page.get("Contents", []))

    def read(self, bucket: str, key: str) -> bytes:
        return self.client.get_object(Bucket=bucket, Key=key)["Body"].read()

    @staticmethod
    def fetch(url: str) -> tuple[bytes, dict[str, str]]:
        """GET ``url`` as a reader's browser would (no credentials): the body, and the
        headers by their lower-case names."""
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310
            return response.read(), {k.lower(): v for k, v in response.headers.items()}

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def settings_from_environment(**env: str) -> dict:
    """What config/settings.py makes of ``env`` (and nothing else of this process's
    DJANGO_ variables), read in a fresh interpreter: the default storage (its boto3 client
    configuration apart, as ``client_config``), MEDIA_URL, MEDIA_ORIGIN, the CSP's img-src,
    and the URL the default storage gives a file named ``images/a b.jpg``."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "AWS_"))}
    code = (
        f"CONFIG = {CLIENT_CONFIG!r}; "
        "import json; from django.conf import settings; "
        "from django.core.files.storage import default_storage as storage; "
        "default = settings.STORAGES['default']; "
        "config = default.get('OPTIONS', {}).pop('client_config', None); "
        "print(json.dumps({'default': default, "
        "'client_config': config and {k: getattr(config, k) for k in CONFIG}, "
        "'MEDIA_URL': settings.MEDIA_URL, 'MEDIA_ORIGIN': settings.MEDIA_ORIGIN, "
        "'img-src': settings.SECURE_CSP['img-src'], 'url': storage.url('images/a b.jpg')}))"
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings", "DJANGO_DEBUG": "1", **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def storage_settings(found: dict, **options) -> dict:
    """The default storage as ``settings_from_environment`` found it, with ``options``
    changed."""
    client_config = BotoConfig(**found["client_config"])
    all_options = {**found["default"]["OPTIONS"], "client_config": client_config, **options}
    return {**found["default"], "OPTIONS": all_options}
