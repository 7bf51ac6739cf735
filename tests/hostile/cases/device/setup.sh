mknod null.yaml c 1 3 2>/dev/null || exit 77  # needs root
