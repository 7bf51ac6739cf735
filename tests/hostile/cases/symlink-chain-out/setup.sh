ln -s b.yaml a.yaml
ln -s c/d.yaml b.yaml
mkdir c
ln -s /etc/hostname c/d.yaml
