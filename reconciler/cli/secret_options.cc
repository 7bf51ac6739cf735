#include "cli/secret_options.h"

namespace stowage::cli {

void AddSecretOptions(CLI::App& cmd, secrets::Providers& providers) {
  cmd.add_option("--secrets-dir", providers.dir,
                 "Directory of the operator's secrets: a valueFrom or "
                 "repositoryCredentials.credentialsParameter KEY reads the file DIR/KEY (never "
                 "outside DIR)")
      ->envname("STOWAGE_SECRETS_DIR")
      ->type_name("DIR");
  cmd.add_option("--secrets-env", providers.env_prefix,
                 "A valueFrom or repositoryCredentials.credentialsParameter KEY reads the "
                 "environment variable PREFIX + KEY upper-cased, other characters as _ (e.g. "
                 "STOWAGE_SECRET_)")
      ->envname("STOWAGE_SECRETS_ENV")
      ->type_name("PREFIX");
  cmd.add_option("--age-identity", providers.age_identity,
                 "age identity file (age-keygen) that decrypts the age:PATH#KEY files of the "
                 "source named by a valueFrom or repositoryCredentials.credentialsParameter")
      ->envname("STOWAGE_AGE_IDENTITY")
      ->type_name("FILE");
}

}  // namespace stowage::cli
