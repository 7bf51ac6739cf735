ln -s defs/app.txt app.yaml
