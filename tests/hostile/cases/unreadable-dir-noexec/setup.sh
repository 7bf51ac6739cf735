chmod 444 services
