ln -s ../symlink-dotdot-back-in/defs/app.txt app.yaml
