ln -s "$PWD/defs/app.txt" app.yaml
