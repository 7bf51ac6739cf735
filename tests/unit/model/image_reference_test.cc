#include <catch2/catch.hpp>

#include "model/image_reference.h"

namespace stowage::model {

TEST_CASE("image references follow Docker's grammar", "[model]") {
  for (const char* ok :
       {"nginx", "nginx:1.25", "library/nginx:latest", "stowage/busybox:1",
        "registry.example.com/team/app:v1.2.3", "localhost:5000/app", "localhost/app",
        "123456789012.dkr.ecr.eu-west-1.amazonaws.com/web:2024-01-01",
        "ghcr.io/owner/"
        "repo@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        "a__b/c-----d:e", "[::1]:5000/app:tag", "my_app/x.v2"}) {
    INFO(ok);
    CHECK(ImageReferenceProblem(ok) == "");
  }
  CHECK(ImageReferenceProblem("<IMAGE1_NAME>") ==
        "it holds a placeholder: fill it in before committing");
  CHECK(ImageReferenceProblem("${AWS_ACCOUNT_ID}.dkr.ecr.us-east-1.amazonaws.com/web:latest") ==
        "it holds a placeholder: fill it in before committing");
  CHECK(ImageReferenceProblem("{{ must_env `IMAGE` }}") ==
        "it holds a placeholder: fill it in before committing");
  CHECK(ImageReferenceProblem("") == "it is empty");
  CHECK(ImageReferenceProblem("Nginx") == "repository \"Nginx\" must be lower case");
  CHECK(ImageReferenceProblem("nginx:1.25:extra") ==
        "bad repository component \"nginx:1.25\" (lower-case letters and digits, separated by "
        "'.', '_', '__' or '-')");
  CHECK(ImageReferenceProblem("nginx:") ==
        "bad tag \"\" (letters, digits, '_', '.', '-', at most 128)");
  CHECK(ImageReferenceProblem("nginx@sha256:abc") ==
        "bad digest \"sha256:abc\" (expected sha256:<hex>)");
  CHECK(ImageReferenceProblem("a//b") == "an empty path component");
  CHECK(ImageReferenceProblem("-bad.example.com/x") == "bad registry \"-bad.example.com\"");
  CHECK(ImageReferenceProblem("\x1b[31mred") != "");
  CHECK(ImageReferenceProblem("web app") != "");
  CHECK(ImageReferenceProblem(std::string(300, 'a')) == "the name is longer than 255 characters");
}

}  // namespace stowage::model
