"""S3 for tests: moto in server mode on a free local port, so boto3 and
django-storages talk HTTP to it exactly as they would to AWS."""

import socket
import uuid
from collections.abc import Iterator
from typing import Final

import boto3
import pytest
from botocore.config import Config
from moto.server import ThreadedMotoServer

from core.storage import TenantS3Storage

REGION: Final = "ap-southeast-3"
ACCESS_KEY = SECRET_KEY = "testing"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


def s3_bucket_create(endpoint: str) -> str:
    """A new, empty bucket: tests sharing the server never see each other's keys."""
    bucket = f"sukowati-test-{uuid.uuid4().hex[:12]}"
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
    )
    client.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION})
    return bucket


def s3_storage_options(endpoint: str, bucket: str) -> dict[str, object]:
    """TenantS3Storage's options for a bucket on the moto server."""
    return {
        "bucket_name": bucket,
        "endpoint_url": endpoint,
        "access_key": ACCESS_KEY,
        "secret_key": SECRET_KEY,
        "region_name": REGION,
        "client_config": Config(s3={"addressing_style": "path"}),
    }


def s3_storage(endpoint: str, bucket: str) -> TenantS3Storage:
    return TenantS3Storage(**s3_storage_options(endpoint, bucket))
