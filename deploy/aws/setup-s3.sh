#!/usr/bin/env bash
# Creates and configures the archive's S3 buckets and the API's IAM user with the AWS CLI,
# from the JSON documents next to this script (docs/operations/aws-s3.md explains each one).
# Safe to run again: every step is a create-if-missing or a put that replaces the setting.
#
#   BUCKET=my-archive LOG_BUCKET=my-archive-logs WEB_ORIGIN=https://my-archive.netlify.app \
#   API_USER=my-archive-api bash deploy/aws/setup-s3.sh
#
# Settings (environment):
#   BUCKET       the bucket of blobs, zarrs and manifests (S3_BUCKET)             required
#   LOG_BUCKET   receives BUCKET's server access logs (ANALYTICS_LOG_BUCKET)      required
#   WEB_ORIGIN   the web app's origin, allowed to PUT parts from the browser      required
#   API_USER     IAM user whose keys the API and workers use                      required
#   PUBLIC       true: anyone may read open objects (an open-data bucket, as DANDI's);
#                false (default): only presigned URLs read. Embargoed objects are never public.
#   LOG_PREFIX   key prefix of the access logs (ANALYTICS_LOG_PREFIX), default logs/
#   REGION       default us-east-1
#   CREATE_ACCESS_KEY=1  also creates an access key for API_USER and prints it as
#                AWS_ACCESS_KEY_ID=/AWS_SECRET_ACCESS_KEY= lines (for `heroku config:set`).
#   AWS_ENDPOINT_URL     an S3/IAM-compatible endpoint instead of AWS (the tests use moto).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
: "${BUCKET:?set BUCKET}" "${LOG_BUCKET:?set LOG_BUCKET}" "${WEB_ORIGIN:?set WEB_ORIGIN}" "${API_USER:?set API_USER}"
PUBLIC="${PUBLIC:-false}"
LOG_PREFIX="${LOG_PREFIX:-logs/}"
REGION="${REGION:-us-east-1}"
aws_() { aws --region "$REGION" ${AWS_ENDPOINT_URL:+--endpoint-url "$AWS_ENDPOINT_URL"} "$@"; }
say() { printf '==> %s\n' "$*" >&2; }

# Fills ${BUCKET}, ${LOG_BUCKET}, ${WEB_ORIGIN} and ${API_USER_ARN} into a JSON template.
render() {
  sed -e "s|\${BUCKET}|$BUCKET|g" -e "s|\${LOG_BUCKET}|$LOG_BUCKET|g" \
    -e "s|\${WEB_ORIGIN}|$WEB_ORIGIN|g" -e "s|\${API_USER_ARN}|${API_USER_ARN:-}|g" "$here/$1"
}

create_bucket() {
  if aws_ s3api head-bucket --bucket "$1" >/dev/null 2>&1; then
    say "bucket $1 exists"
  elif [ "$REGION" = us-east-1 ]; then
    say "creating bucket $1" && aws_ s3api create-bucket --bucket "$1" >/dev/null
  else
    say "creating bucket $1" &&
      aws_ s3api create-bucket --bucket "$1" --create-bucket-configuration "LocationConstraint=$REGION" >/dev/null
  fi
  aws_ s3api put-bucket-ownership-controls --bucket "$1" \
    --ownership-controls 'Rules=[{ObjectOwnership=BucketOwnerEnforced}]'
  aws_ s3api put-bucket-encryption --bucket "$1" \
    --server-side-encryption-configuration '{"Rules":[{"ApplyServerSideEncryptionByDefault":{"SSEAlgorithm":"AES256"}}]}'
}

create_bucket "$BUCKET"
create_bucket "$LOG_BUCKET"

say "IAM user $API_USER with the least-privilege policy (iam-policy.json)"
aws_ iam get-user --user-name "$API_USER" >/dev/null 2>&1 || aws_ iam create-user --user-name "$API_USER" >/dev/null
API_USER_ARN="$(aws_ iam get-user --user-name "$API_USER" --query User.Arn --output text)"
aws_ iam put-user-policy --user-name "$API_USER" --policy-name dandi-archive-storage \
  --policy-document "$(render iam-policy.json)"

say "$BUCKET: versioning, CORS (cors.json), lifecycle (lifecycle.json)"
aws_ s3api put-bucket-versioning --bucket "$BUCKET" --versioning-configuration Status=Enabled
aws_ s3api put-bucket-cors --bucket "$BUCKET" --cors-configuration "$(render cors.json)"
aws_ s3api put-bucket-lifecycle-configuration --bucket "$BUCKET" --lifecycle-configuration "$(render lifecycle.json)"

say "$BUCKET: bucket policy (public read: $PUBLIC; embargoed objects only through the API user)"
if [ "$PUBLIC" = true ]; then
  aws_ s3api put-public-access-block --bucket "$BUCKET" --public-access-block-configuration \
    BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=false,RestrictPublicBuckets=false
  aws_ s3api put-bucket-policy --bucket "$BUCKET" --policy "$(render bucket-policy.json)"
else
  aws_ s3api put-public-access-block --bucket "$BUCKET" --public-access-block-configuration \
    BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true
  # The same document without its public-read statement.
  aws_ s3api put-bucket-policy --bucket "$BUCKET" --policy "$(render bucket-policy.json |
    python3 -c 'import json,sys; d=json.load(sys.stdin); d["Statement"]=[s for s in d["Statement"] if s["Effect"]=="Deny"]; print(json.dumps(d))')"
fi

say "$LOG_BUCKET: private, receives $BUCKET's access logs under $LOG_PREFIX"
aws_ s3api put-public-access-block --bucket "$LOG_BUCKET" --public-access-block-configuration \
  BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true
aws_ s3api put-bucket-policy --bucket "$LOG_BUCKET" --policy "$(render logs-bucket-policy.json)"
aws_ s3api put-bucket-logging --bucket "$BUCKET" --bucket-logging-status \
  "{\"LoggingEnabled\":{\"TargetBucket\":\"$LOG_BUCKET\",\"TargetPrefix\":\"$LOG_PREFIX\"}}"

if [ "${CREATE_ACCESS_KEY:-}" = 1 ]; then
  say "a new access key for $API_USER (store it in the API's config vars, nowhere else)"
  aws_ iam create-access-key --user-name "$API_USER" \
    --query 'AccessKey.[AccessKeyId,SecretAccessKey]' --output text |
    awk '{print "AWS_ACCESS_KEY_ID=" $1; print "AWS_SECRET_ACCESS_KEY=" $2}'
fi
say "done: S3_BUCKET=$BUCKET ANALYTICS_LOG_BUCKET=$LOG_BUCKET ANALYTICS_LOG_PREFIX=$LOG_PREFIX S3_REGION=$REGION"
