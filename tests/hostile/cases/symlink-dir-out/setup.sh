ln -s /etc conf
