ln -s /etc/shadow certs/ca.pem
