// ReadTlsFiles: a cluster's `tls:` files, read through the Source.
//
// The paths of a host's tls block are relative to the source root (the
// decoder joins them to the cluster file's folder and refuses one that leaves
// the source). They are read like documents, through Source::Read: confined
// to the root (a symlink out is an error), a git source's from the commit,
// never from the working directory of the stowage process. The contents go to
// TlsFiles::*_pem, which the Docker runtime hands to libcurl; a file that
// cannot be read is an error at its field. (A unix:// or ssh:// host's tls
// block is ignored, and not read.)
#pragma once

#include "diag/diagnostic.h"
#include "model/cluster.h"
#include "source/source.h"

namespace stowage::load {

void ReadTlsFiles(Source& source, model::Cluster& cluster, Diagnostics& diags);

}  // namespace stowage::load
