ln -s b.yaml a.yaml
ln -s a.yaml b.yaml
