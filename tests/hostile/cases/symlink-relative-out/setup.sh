ln -s ../../../../../../../../etc/passwd env.yaml
