truncate -s 1G big.yaml
