python3 -c "import socket; s=socket.socket(socket.AF_UNIX); s.bind(\"engine.sock\")"
