ln -s defs alias
