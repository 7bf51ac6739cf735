chmod 000 app.yaml
