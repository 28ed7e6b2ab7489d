"""deploy/aws/setup-s3.sh, run as the operator guide says, against moto_server with IAM
enforcement on: the buckets get the settings the guide promises, a browser on the web
app's origin may upload, and the least-privilege API user can do everything the archive's
storage code does and nothing else."""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import time
from pathlib import Path

import boto3
import pytest
import requests
from botocore.config import Config

REPO = Path(__file__).resolve().parents[2]
SETUP = REPO / "deploy" / "aws" / "setup-s3.sh"
WEB_ORIGIN = "https://archive.example.org"
BUCKET, LOG_BUCKET, API_USER = "ops-archive", "ops-archive-logs", "ops-archive-api"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_moto(enforce_iam: bool):
    """moto_server; with enforce_iam, IAM policies apply after its first 3 (bootstrap) requests."""
    exe = shutil.which("moto_server")
    if not exe:
        pytest.fail("moto_server is not on PATH (CI installs it into .venv)")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "INITIAL_NO_AUTH_ACTION_COUNT"}
    if enforce_iam:
        env["INITIAL_NO_AUTH_ACTION_COUNT"] = "3"
    proc = subprocess.Popen([exe, "-H", "127.0.0.1", "-p", str(port)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    # Wait for the port without a request: each request counts against the 3 bootstrap ones.
    for _ in range(200):
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.05)
    cfg = Config(signature_version="s3v4", s3={"addressing_style": "path"})
    anon = dict(endpoint_url=url, region_name="us-east-1", aws_access_key_id="bootstrap",
                aws_secret_access_key="bootstrap")
    iam = boto3.client("iam", **anon)
    iam.create_user(UserName="operator")
    iam.put_user_policy(UserName="operator", PolicyName="admin", PolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}))
    key = iam.create_access_key(UserName="operator")["AccessKey"]
    admin = dict(endpoint_url=url, region_name="us-east-1", aws_access_key_id=key["AccessKeyId"],
                 aws_secret_access_key=key["SecretAccessKey"], config=cfg)
    return proc, {"url": url, "admin": admin}


@pytest.fixture(scope="module")
def moto():
    """IAM enforced: what the API user's keys may do is what deploy/aws/iam-policy.json allows."""
    proc, server = start_moto(enforce_iam=True)
    yield server
    proc.terminate()
    proc.wait(10)


@pytest.fixture(scope="module")
def plain_moto():
    """No IAM enforcement (the CORS test needs it: moto refuses unsigned preflights under IAM enforcement)."""
    proc, server = start_moto(enforce_iam=False)
    yield server
    proc.terminate()
    proc.wait(10)


def run_setup(moto, **extra) -> subprocess.CompletedProcess:
    env = {**os.environ, "AWS_ENDPOINT_URL": moto["url"], "AWS_ACCESS_KEY_ID": moto["admin"]["aws_access_key_id"],
           "AWS_SECRET_ACCESS_KEY": moto["admin"]["aws_secret_access_key"], "BUCKET": BUCKET,
           "LOG_BUCKET": LOG_BUCKET, "WEB_ORIGIN": WEB_ORIGIN, "API_USER": API_USER, **extra}
    return subprocess.run(["bash", str(SETUP)], env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def setup_done(moto):
    first = run_setup(moto, CREATE_ACCESS_KEY="1", PUBLIC="true")
    assert first.returncode == 0, first.stderr
    keys = dict(line.split("=", 1) for line in first.stdout.split() if "=" in line)
    assert set(keys) == {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"}
    return keys


@pytest.fixture(scope="module")
def plain_setup_done(plain_moto):
    first = run_setup(plain_moto)
    assert first.returncode == 0, first.stderr
    # A second run on the same buckets succeeds too (the guide says it is safe to re-run).
    again = run_setup(plain_moto)
    assert again.returncode == 0, again.stderr
    assert "AWS_SECRET_ACCESS_KEY" not in again.stdout + again.stderr


def test_bucket_settings(moto, setup_done):
    s3 = boto3.client("s3", **moto["admin"])
    rules = s3.get_bucket_lifecycle_configuration(Bucket=BUCKET)["Rules"]
    abort = [r for r in rules if "AbortIncompleteMultipartUpload" in r]
    assert abort and abort[0]["Status"] == "Enabled" and abort[0]["Filter"] == {"Prefix": ""}
    # Later than the presigned part URLs' lifetime (UPLOAD_URL_EXPIRY, 7 days).
    assert abort[0]["AbortIncompleteMultipartUpload"]["DaysAfterInitiation"] > 7
    logging = s3.get_bucket_logging(Bucket=BUCKET)["LoggingEnabled"]
    assert logging == {"TargetBucket": LOG_BUCKET, "TargetPrefix": "logs/"}
    assert s3.get_bucket_versioning(Bucket=BUCKET)["Status"] == "Enabled"
    policy = json.loads(s3.get_bucket_policy(Bucket=BUCKET)["Policy"])
    deny = [st for st in policy["Statement"] if st["Effect"] == "Deny"][0]
    assert deny["Condition"]["StringEquals"] == {"s3:ExistingObjectTag/embargoed": "true"}
    api_arn = boto3.client("iam", **moto["admin"]).get_user(UserName=API_USER)["User"]["Arn"]
    assert deny["Condition"]["ArnNotEquals"] == {"aws:PrincipalArn": api_arn}
    assert "${" not in json.dumps(policy)


def test_cors_lets_the_web_app_upload(plain_moto, plain_setup_done):
    # moto applies the bucket policy's Deny (whose tag condition it cannot evaluate) to
    # unsigned CORS preflights, which S3 answers from the CORS rules alone: check the rules
    # the script wrote on a copy of the bucket without its policy.
    s3 = boto3.client("s3", **plain_moto["admin"])
    rules = s3.get_bucket_cors(Bucket=BUCKET)["CORSRules"]
    s3.create_bucket(Bucket=f"{BUCKET}-cors")
    s3.put_bucket_cors(Bucket=f"{BUCKET}-cors", CORSConfiguration={"CORSRules": rules})
    ok = requests.options(f"{plain_moto['url']}/{BUCKET}-cors/blobs/abc/def/x", timeout=10, headers={
        "Origin": WEB_ORIGIN, "Access-Control-Request-Method": "PUT",
        "Access-Control-Request-Headers": "content-type"})
    assert ok.status_code == 200, ok.text
    assert ok.headers["Access-Control-Allow-Origin"] == WEB_ORIGIN
    assert "PUT" in ok.headers["Access-Control-Allow-Methods"]
    assert "ETag" in ok.headers["Access-Control-Expose-Headers"]  # the browser reads part ETags


def test_private_bucket_keeps_only_the_embargo_statement(plain_moto, plain_setup_done):
    s3 = boto3.client("s3", **plain_moto["admin"])
    policy = json.loads(s3.get_bucket_policy(Bucket=BUCKET)["Policy"])
    assert [st["Effect"] for st in policy["Statement"]] == ["Deny"]
    block = s3.get_public_access_block(Bucket=BUCKET)["PublicAccessBlockConfiguration"]
    assert all(block.values())


def test_api_user_can_do_what_the_archive_does_and_no_more(moto, setup_done):
    # moto evaluates a Deny statement without its conditions, so the embargo statement of the
    # bucket policy (checked in test_bucket_settings) would deny everything here: lift the
    # bucket policy for this test, leaving the IAM user policy as the only grant.
    admin_s3 = boto3.client("s3", **moto["admin"])
    bucket_policy = admin_s3.get_bucket_policy(Bucket=BUCKET)["Policy"]
    admin_s3.delete_bucket_policy(Bucket=BUCKET)
    try:
        check_api_user(moto, setup_done)
    finally:
        admin_s3.put_bucket_policy(Bucket=BUCKET, Policy=bucket_policy)


def check_api_user(moto, setup_done):
    env = {**os.environ, "S3_BUCKET": BUCKET, "S3_ENDPOINT_URL": moto["url"], "S3_REGION": "us-east-1",
           "ANALYTICS_LOG_BUCKET": LOG_BUCKET, "ANALYTICS_LOG_PREFIX": "logs/", **setup_done}
    tsx = REPO / "apps" / "api" / "node_modules" / ".bin" / "tsx"
    out = subprocess.run([str(tsx), str(Path(__file__).with_name("exercise-s3-storage.ts"))],
                         cwd=REPO, env=env, capture_output=True, text=True, timeout=180)
    assert out.returncode == 0, out.stderr
    results = [json.loads(line) for line in out.stdout.splitlines() if line.startswith("{")]
    assert len(results) == 10, out.stdout
    failed = [r for r in results if not r["ok"]]
    assert not failed, failed
    # Enforcement is on: the same user may not change the bucket's settings or touch other buckets.
    api = boto3.client("s3", endpoint_url=moto["url"], region_name="us-east-1",
                       aws_access_key_id=setup_done["AWS_ACCESS_KEY_ID"],
                       aws_secret_access_key=setup_done["AWS_SECRET_ACCESS_KEY"],
                       config=Config(signature_version="s3v4", s3={"addressing_style": "path"}))
    for call in (lambda: api.delete_bucket_policy(Bucket=BUCKET), lambda: api.put_object(
            Bucket=LOG_BUCKET, Key="logs/forged", Body=b"x"), lambda: api.delete_bucket(Bucket=BUCKET)):
        with pytest.raises(api.exceptions.ClientError, match="AccessDenied"):
            call()


# Each S3 command the code sends, and the IAM actions it needs.
IAM_ACTIONS = {
    "AbortMultipartUploadCommand": ["s3:AbortMultipartUpload"],
    "CompleteMultipartUploadCommand": ["s3:PutObject"],
    "CreateMultipartUploadCommand": ["s3:PutObject", "s3:PutObjectTagging"],
    "UploadPartCommand": ["s3:PutObject"],
    "PutObjectCommand": ["s3:PutObject", "s3:PutObjectTagging"],
    "GetObjectCommand": ["s3:GetObject"],
    "HeadObjectCommand": ["s3:GetObject"],
    "HeadBucketCommand": ["s3:ListBucket"],
    "ListObjectsV2Command": ["s3:ListBucket"],
    "ListMultipartUploadsCommand": ["s3:ListBucketMultipartUploads"],
    "ListPartsCommand": ["s3:ListMultipartUploadParts"],
    "DeleteObjectCommand": ["s3:DeleteObject"],
    "DeleteObjectsCommand": ["s3:DeleteObject"],
    "GetObjectTaggingCommand": ["s3:GetObjectTagging"],
    "PutObjectTaggingCommand": ["s3:PutObjectTagging"],
    "DeleteObjectTaggingCommand": ["s3:DeleteObjectTagging"],
    "CopyObjectCommand": ["s3:GetObject", "s3:PutObject"],
}


def test_iam_policy_covers_every_s3_command_in_the_code():
    policy = json.loads((REPO / "deploy" / "aws" / "iam-policy.json").read_text())
    allowed = {a for st in policy["Statement"] if st["Effect"] == "Allow" for a in st["Action"]}
    used: set[str] = set()
    for root in ("apps", "packages"):
        for path in (REPO / root).rglob("*.ts"):
            # What deployments run: not the tests, test helpers (packages/testing) or builds.
            if {"node_modules", "dist", "test", "testing"} & set(path.parts) or path.name.endswith(".test.ts"):
                continue
            text = path.read_text()
            for block in re.findall(r"import\s*\{([^}]*)\}\s*from\s*\"@aws-sdk/client-s3\"", text):
                used |= {name.strip() for name in block.split(",") if name.strip().endswith("Command")}
    assert "PutObjectCommand" in used, "the scan found nothing: the import pattern changed"
    unknown = used - IAM_ACTIONS.keys()
    assert not unknown, f"add the IAM actions of {unknown} to deploy/aws/iam-policy.json and to IAM_ACTIONS"
    missing = {c: a for c in used for a in IAM_ACTIONS[c] if a not in allowed}
    assert not missing, f"deploy/aws/iam-policy.json lacks {missing}"
