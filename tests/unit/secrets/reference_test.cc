#include "secrets/reference.h"

#include <catch2/catch.hpp>

namespace stowage::secrets {
namespace {

Reference Parse(const std::string& value_from) {
  auto r = ParseReference(value_from);
  INFO(value_from);
  REQUIRE(r.ok());
  return *r;
}

std::string Error(const std::string& value_from) {
  auto r = ParseReference(value_from);
  REQUIRE_FALSE(r.ok());
  return r.status().message();
}

TEST_CASE("valueFrom: a bare name is a key", "[secrets]") {
  auto r = Parse("db_password");
  CHECK(r.kind == Reference::Kind::kKey);
  CHECK(r.key == "db_password");
  CHECK(r.json_key.empty());
  CHECK(Parse("prod/db.main@eu+1=x-y").key == "prod/db.main@eu+1=x-y");
}

TEST_CASE("valueFrom: SSM parameter ARNs map to their name", "[secrets]") {
  CHECK(Parse("arn:aws:ssm:eu-west-1:111122223333:parameter/prod/db").key == "prod/db");
  CHECK(Parse("arn:aws:ssm:eu-west-1:111122223333:parameter/db_password").key == "db_password");
  CHECK(Parse("arn:aws-cn:ssm:cn-north-1:111122223333:parameter/prod/db").key == "prod/db");
  CHECK(Error("arn:aws:ssm:eu-west-1:111122223333:parameter/prod/db:1") ==
        "valueFrom \"arn:aws:ssm:eu-west-1:111122223333:parameter/prod/db:1\": an SSM parameter "
        "ARN ends after the parameter name");
}

TEST_CASE("valueFrom: Secrets Manager ARNs drop the suffix and pick a JSON key", "[secrets]") {
  auto r = Parse("arn:aws:secretsmanager:eu-west-1:111122223333:secret:prod/db-AbCdEf");
  CHECK(r.key == "prod/db");
  CHECK(r.json_key.empty());
  auto j = Parse("arn:aws:secretsmanager:eu-west-1:111122223333:secret:prod/db-AbCdEf:password::");
  CHECK(j.key == "prod/db");
  CHECK(j.json_key == "password");
  CHECK(Parse("arn:aws:secretsmanager:eu-west-1:1:secret:prod/db-AbCdEf:password:AWSCURRENT:")
            .json_key == "password");
  CHECK(Parse("arn:aws:secretsmanager:eu-west-1:1:secret:prod/db-AbCdEf:::").json_key.empty());
  // A name without the suffix stays whole.
  CHECK(Parse("arn:aws:secretsmanager:eu-west-1:1:secret:splunk-token").key == "splunk-token");
  CHECK(Error("arn:aws:secretsmanager:eu-west-1:1:secret:prod/db-AbCdEf:password:AWSPREVIOUS:") ==
        "valueFrom \"arn:aws:secretsmanager:eu-west-1:1:secret:prod/db-AbCdEf:password:"
        "AWSPREVIOUS:\": version-stage and version-id are not supported (the operator's "
        "providers hold the current value)");
  CHECK(Error("arn:aws:secretsmanager:eu-west-1:1:secret:prod/db-AbCdEf:password") ==
        "valueFrom \"arn:aws:secretsmanager:eu-west-1:1:secret:prod/db-AbCdEf:password\": "
        "expected …:secret:NAME or …:secret:NAME:json-key:version-stage:version-id");
  CHECK(Error("arn:aws:s3:::bucket/key") ==
        "valueFrom \"arn:aws:s3:::bucket/key\": unsupported ARN: expected "
        "arn:aws:ssm:REGION:ACCOUNT:parameter/NAME or "
        "arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME");
}

TEST_CASE("valueFrom: age files of the source, whole or one key", "[secrets]") {
  auto r = Parse("age:secrets/prod.env.age#DB_PASSWORD");
  CHECK(r.kind == Reference::Kind::kAge);
  CHECK(r.path == "secrets/prod.env.age");
  CHECK(r.fragment == "DB_PASSWORD");
  auto whole = Parse("age:token.age");
  CHECK(whole.path == "token.age");
  CHECK(whole.fragment.empty());
  CHECK(Error("age:") == "valueFrom \"age:\": the age: form needs a file path");
  CHECK(Error("age:/etc/shadow") ==
        "valueFrom \"age:/etc/shadow\": the path must be relative "
        "to the source root");
  CHECK(Error("age:../../x.age#K") ==
        "valueFrom \"age:../../x.age#K\": '..' may not appear in "
        "a path");
  CHECK(Error("age:a//b.age") == "valueFrom \"age:a//b.age\": a path has an empty or '.' part");
  CHECK(Error("age:x.age#") ==
        "valueFrom \"age:x.age#\": #KEY must name a key (letters, digits "
        "and _ . @ + = / -) of the file");
  CHECK(Error("age:x\n.age") == "valueFrom \"age:x\\x0a.age\": the path has a control character");
}

TEST_CASE("valueFrom: machine paths and the old forms are refused", "[secrets]") {
  CHECK(Error("/etc/shadow") ==
        "valueFrom \"/etc/shadow\": a key never starts with '/' (paths on this machine are not "
        "secrets; for the SSM parameter /prod/db write prod/db)");
  CHECK(Error("../x") == "valueFrom \"../x\": '..' may not appear in a key");
  CHECK(Error("a/../../etc/passwd") ==
        "valueFrom \"a/../../etc/passwd\": '..' may not appear in a key");
  CHECK(Error("./x") == "valueFrom \"./x\": a key has an empty or '.' part");
  CHECK(Error("file:/root/.ssh/id_rsa") ==
        "valueFrom \"file:/root/.ssh/id_rsa\": the file: form is gone: a commit may not read "
        "files of the machine; name a key of the operator's secrets (--secrets-dir, "
        "--secrets-env) or an age: file of the source");
  CHECK(Error("env:STOWAGE_GIT_TOKEN") ==
        "valueFrom \"env:STOWAGE_GIT_TOKEN\": the env: form is gone: a commit may not read "
        "stowage's environment; name a key (with --secrets-env PREFIX it is read from PREFIX + "
        "KEY)");
  CHECK(Error(std::string("a\0b", 3)) ==
        "valueFrom \"a\\x00b\": a key has only letters, digits and _ . @ + = / -");
  CHECK(Error("a\x1b[31mb") ==
        "valueFrom \"a\\x1b[31mb\": a key has only letters, digits and _ . @ + = / -");
  CHECK(Error("") == "valueFrom \"\": empty key");
  CHECK(Error(std::string(513, 'a')).find("longer than 512 characters") != std::string::npos);
  CHECK(Error(std::string(kFingerprintKey)) ==
        "valueFrom \"stowage-fingerprint-key\": this key is reserved for stowage");
}

TEST_CASE("env names: prefix plus the key upper-cased, others as _", "[secrets]") {
  CHECK(EnvName("STOWAGE_SECRET_", "prod/db") == "STOWAGE_SECRET_PROD_DB");
  CHECK(EnvName("CI_", "db.password-2") == "CI_DB_PASSWORD_2");
  CHECK(CheckEnvPrefix("STOWAGE_SECRET_").ok());
  CHECK(CheckEnvPrefix("CI_").ok());
  CHECK(CheckEnvPrefix("").message() ==
        "--secrets-env \"\": expected upper-case letters, digits and '_', ending in '_' (e.g. "
        "STOWAGE_SECRET_)");
  CHECK(CheckEnvPrefix("ci_").message() ==
        "--secrets-env \"ci_\": expected upper-case letters, digits and '_', ending in '_' "
        "(e.g. STOWAGE_SECRET_)");
  CHECK(CheckEnvPrefix("STOWAGE_").message() ==
        "--secrets-env STOWAGE_: a commit could read STOWAGE_GIT_TOKEN through it; choose a "
        "prefix of its own (e.g. STOWAGE_SECRET_)");
  CHECK(CheckEnvPrefix("STOWAGE_WEBHOOK_").message() ==
        "--secrets-env STOWAGE_WEBHOOK_: a commit could read STOWAGE_WEBHOOK_SECRET through it; "
        "choose a prefix of its own (e.g. STOWAGE_SECRET_)");
}

}  // namespace
}  // namespace stowage::secrets
