ln -s missing.yaml a.yaml
