chmod 000 services
